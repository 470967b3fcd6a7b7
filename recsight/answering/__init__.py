"""Answers: the result table, its restatement, explanation and chart."""

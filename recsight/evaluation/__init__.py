"""The eval suite: questions with gold answers on a pinned demo warehouse, run through `ask`.

suite (load and check the YAML) -> pinned (the warehouse the gold is defined on) -> gold (the
expected rows) -> runner (ask each question, time it) -> matching (compare rows) -> report.
"""

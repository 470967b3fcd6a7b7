"""Expected and actual results as `Table`s: gold from a semantic query or hand-written SQL, and
an Answer's rows with its dimension columns moved first."""

from __future__ import annotations

from recsight.answering.answer import Answer
from recsight.engine import Engine
from recsight.evaluation.matching import Table
from recsight.evaluation.suite import Question
from semantic_layer.spec import Grain, SemanticModel

GOLD_ROW_CAP = 10_000


def gold_table(engine: Engine, question: Question) -> Table:
    """The rows a correct answer holds; only for questions that are not to be refused."""
    if question.gold is not None:
        outcome = engine.query(question.gold)
        return Table(outcome.result.columns, len(question.gold.dimensions), outcome.result.rows)
    if question.gold_sql is None:
        raise ValueError(f"question '{question.id}' must be refused; it has no gold rows")
    result = engine.warehouse.run(question.gold_sql, row_cap=GOLD_ROW_CAP)
    return Table(result.columns, leading_dimensions(engine.model, result.columns), result.rows)


def dimension_columns(model: SemanticModel) -> set[str]:
    """Every result column name a dimension can have: 'algorithm', 'date', 'date_week'..."""
    names = set(model.dimensions)
    for name, dim in model.dimensions.items():
        if dim.type == "time":
            names |= {f"{name}_{g.value}" for g in Grain if g != Grain.day}
    return names


def leading_dimensions(model: SemanticModel, columns: list[str]) -> int:
    """How many of the first columns of hand-written SQL are named after dimensions.

    Hand-written gold SQL names its dimension columns as the compiler would, so this is how the
    scorer knows where dimensions end and metrics begin.
    """
    names = dimension_columns(model)
    count = 0
    for column in columns:
        if column.lower() not in names:
            break
        count += 1
    return count


def answer_table(answer: Answer) -> Table:
    """The answer's rows with dimension columns first, each group in its own order."""
    dims = [i for i, c in enumerate(answer.columns) if answer.kinds.get(c) == "dimension"]
    rest = [i for i in range(len(answer.columns)) if i not in dims]
    order = dims + rest
    rows = [tuple(row[i] for i in order) for row in answer.rows]
    return Table([answer.columns[i] for i in order], len(dims), rows)

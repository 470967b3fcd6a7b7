"""The "By week" button: the same question, with the time dimension at a weekly grain."""

from __future__ import annotations

from recsight.answering.answer import Answer
from semantic_layer.errors import QueryError
from semantic_layer.query import DimensionRef, OrderBy, SemanticQuery
from semantic_layer.spec import Grain, SemanticModel


def by_week(model: SemanticModel, answer: Answer) -> SemanticQuery:
    """Group the answer's query by week as well; ordered by week, since it is now a trend.

    A ranking's limit ("top 5 products") is dropped: five rows of one week would mislead.
    """
    if answer.query is None:
        raise QueryError(
            "This answer came from SQL written by a model, so it can't be regrouped by week.",
            hint="Ask again with 'by week' in the question.",
        )
    time = model.time_dimension
    kept = [d for d in answer.query.dimensions if d.name != time]
    week = DimensionRef(name=time, grain=Grain.week)
    return answer.query.model_copy(
        update={
            "dimensions": [week, *kept],
            "order_by": [OrderBy(field=week.column)],
            "limit": None,
        }
    )

"""Which dimensions describe the audience a fact reaches: the segments a mix check compares."""

from __future__ import annotations

from recsight.engine import Engine
from semantic_layer.catalog import dimensions_for
from semantic_layer.graph import reach
from semantic_layer.query import SemanticQuery
from semantic_layer.spec import SemanticModel

MAX_SEGMENT_VALUES = 4
MAX_SEGMENT_DIMENSIONS = 2
# TODO(answering): a `segments:` list in the semantic model would say who the audience is; until
# then it is the customer-like tables a fact reaches. Matters for models with other naming.
_AUDIENCE_WORDS = ("customer", "user", "shopper", "visitor", "member", "account")


def segment_dimensions(
    engine: Engine, metric: str, compared: str, query: SemanticQuery
) -> list[str]:
    """Audience dimensions with a handful of values, in model order, that fit the metric and
    that the query's filters leave open."""
    model = engine.model
    denominator = model.measures[model.metrics[metric].denominator or ""]
    reached = reach(model, denominator.table)
    facts = fact_tables(model)
    fits = set(dimensions_for(model, [metric]))
    values = engine.values()
    fixed = {
        f.dimension
        for f in query.filters
        if f.operator == "=" or (f.operator == "in" and len(f.values) == 1)
    }
    chosen = []
    for name, dim in model.dimensions.items():
        if dim.type != "categorical" or name == compared or name in fixed or name not in fits:
            continue
        audience = any(word in dim.table for word in _AUDIENCE_WORDS)
        few = 2 <= len(values.get(name, [])) <= MAX_SEGMENT_VALUES
        if audience and few and dim.table not in facts and reached.reaches(dim.table):
            chosen.append(name)
    return chosen[:MAX_SEGMENT_DIMENSIONS]


def fact_tables(model: SemanticModel) -> set[str]:
    return {m.table for m in model.measures.values() if not m.broadcast}


def is_fact_side(model: SemanticModel, dimension: str) -> bool:
    """A categorical dimension of a fact table (algorithm, placement), not of who saw it."""
    dim = model.dimensions[dimension]
    return dim.type == "categorical" and dim.table in fact_tables(model)

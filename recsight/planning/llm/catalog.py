"""The semantic catalog as a few compact lines of text for a prompt: names, meanings, values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from semantic_layer.spec import Grain, SemanticModel

MAX_LISTED_VALUES = 30
MAX_SYNONYMS = 4


def render_catalog(model: SemanticModel, values: Mapping[str, Sequence[str]]) -> str:
    return "\n".join([*_metric_lines(model), "", *_dimension_lines(model, values)])


def render_tables(model: SemanticModel) -> str:
    """Tables and their joins, for the SQL fallback."""
    lines = []
    for table in model.tables.values():
        joins = ", ".join(f"{j.foreign_key} -> {j.to}" for j in table.joins)
        line = f"- {table.sql_table}({', '.join(table.columns)})"
        lines.append(line + (f"; joins {joins}" if joins else ""))
    return "\n".join(lines)


def _metric_lines(model: SemanticModel) -> list[str]:
    lines = ["Metrics (name [unit]: meaning):"]
    for name, metric in sorted(model.metrics.items()):
        text = _sentence(metric.description) + _synonyms(name, metric.synonyms)
        lines.append(f"- {name} [{metric.unit}]: {text}")
    return lines


def _dimension_lines(model: SemanticModel, values: Mapping[str, Sequence[str]]) -> list[str]:
    lines = ["Dimensions (name: meaning):"]
    for name, dim in sorted(model.dimensions.items()):
        text = _sentence(dim.description) + _synonyms(name, dim.synonyms)
        if dim.type == "time":
            grains = ", ".join(g.value for g in Grain)
            lines.append(f"- {name} [time; grains {grains}]: {text}")
            continue
        lines.append(f"- {name}: {text}{_values(dim.type, values.get(name))}")
    return lines


def _values(kind: str, known: Sequence[str] | None) -> str:
    if kind == "boolean":
        return " Values: true | false."
    if not known:
        return " Values: many; look them up."
    if len(known) > MAX_LISTED_VALUES:
        shown = " | ".join(known[:MAX_LISTED_VALUES])
        return f" Values ({len(known)}, most frequent first): {shown} | ... (look up the rest)."
    return f" Values: {' | '.join(known)}."


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(".") else text + "."


def _synonyms(name: str, synonyms: Sequence[str]) -> str:
    others = [s for s in synonyms if s.replace(" ", "_") != name][:MAX_SYNONYMS]
    return f" Also called: {', '.join(others)}." if others else ""

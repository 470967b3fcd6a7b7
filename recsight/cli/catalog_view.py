"""`recsight metrics` and `recsight dimensions`: the catalog, as tables or JSON."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from recsight.answering.formatting import plain
from recsight.engine import Engine
from semantic_layer.catalog import dimensions_for
from semantic_layer.spec import SemanticModel


def metric_entries(model: SemanticModel) -> list[dict[str, object]]:
    return [
        {
            "name": m.name,
            "type": m.type,
            "unit": m.unit,
            "description": m.description,
            "higher_is_better": m.higher_is_better,
            "synonyms": list(m.synonyms),
        }
        for m in model.metrics.values()
    ]


def dimension_entries(model: SemanticModel) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for dim in model.dimensions.values():
        entry: dict[str, object] = {
            "name": dim.name,
            "type": dim.type,
            "description": dim.description.strip(),
            "synonyms": list(dim.synonyms),
        }
        if dim.type == "time":
            entry["grains"] = [
                "day",
                "week",
                "month",
                "quarter",
                "year",
                "day_of_week",
                "hour_of_day",
            ]
        entry["metrics"] = [m for m in model.metrics if dim.name in dimensions_for(model, [m])]
        entries.append(entry)
    return entries


def show_metrics(model: SemanticModel, format: str) -> None:
    entries = metric_entries(model)
    if format == "json":
        print(json.dumps(entries, indent=2))
        return
    table = Table(title=f"Metrics of the '{model.name}' model", title_justify="left")
    for column in ("metric", "unit", "description", "also called"):
        table.add_column(column, overflow="fold")
    for e in entries:
        synonyms = ", ".join(s for s in e["synonyms"] if s != e["name"])[:60]  # type: ignore[attr-defined]
        table.add_row(f"[bold]{e['name']}[/bold]", str(e["unit"]), str(e["description"]), synonyms)
    Console().print(table)


def show_dimensions(model: SemanticModel, format: str) -> None:
    entries = dimension_entries(model)
    if format == "json":
        print(json.dumps(entries, indent=2))
        return
    table = Table(title=f"Dimensions of the '{model.name}' model", title_justify="left")
    for column in ("dimension", "description", "works with"):
        table.add_column(column, overflow="fold")
    every = len(model.metrics)
    for e in entries:
        metrics = e["metrics"]
        assert isinstance(metrics, list)
        scope = "all metrics" if len(metrics) == every else ", ".join(metrics)
        name = f"[bold]{e['name']}[/bold]" + (" (time)" if e["type"] == "time" else "")
        table.add_row(name, str(e["description"]), scope)
    Console().print(table)
    Console().print("Show a dimension's values with `recsight dimensions --values NAME`.")


def show_values(engine: Engine, dimension: str, limit: int, format: str) -> None:
    values = engine.dimension_values(dimension, limit=limit)
    if format == "json":
        print(json.dumps([{"value": plain(v), "rows": n} for v, n in values], indent=2))
        return
    table = Table(title=f"Values of '{dimension}', most frequent first", title_justify="left")
    table.add_column("value")
    table.add_column("rows", justify="right")
    for value, count in values:
        table.add_row(str(plain(value)), f"{count:,}")
    Console().print(table)

"""Load a semantic model from YAML and check it whole before anything compiles against it."""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import sqlglot
import yaml
from pydantic import BaseModel, ValidationError
from sqlglot import exp

from semantic_layer.errors import ModelError, unknown_name
from semantic_layer.spec import Dimension, Join, Measure, Metric, SemanticModel, Table

log = logging.getLogger(__name__)

DEFAULT_MODEL = "personalization.yaml"


def default_model_path() -> Path:
    return Path(str(resources.files("semantic_layer") / "models" / DEFAULT_MODEL))


def load_model(path: Path | str | None = None) -> SemanticModel:
    """Read, name and validate a model file; `None` loads the bundled personalization model."""
    return _load_cached(str(Path(path).resolve()) if path else str(default_model_path()))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> SemanticModel:
    source = Path(path)
    if not source.is_file():
        raise ModelError(
            f"Semantic model file '{path}' does not exist.",
            hint="Pass --model PATH to a YAML model, or unset RECSIGHT_MODEL.",
        )
    try:
        # libyaml's loader when present: ten times faster, and `recsight serve` starts on it.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        raise ModelError(f"Semantic model '{path}' is not valid YAML: {error}") from None
    return parse_model(raw, origin=path)


def parse_model(raw: Any, origin: str = "<model>") -> SemanticModel:
    if not isinstance(raw, dict):
        raise ModelError(
            f"Semantic model '{origin}' must be a mapping with tables, dimensions, "
            "measures and metrics."
        )
    for section in ("tables", "dimensions", "measures", "metrics"):
        for name, body in (raw.get(section) or {}).items():
            if isinstance(body, dict):
                body.setdefault("name", name)
    raw["tables"] = {n: {"sql_table": n, **t} for n, t in (raw.get("tables") or {}).items()}
    try:
        model = SemanticModel.model_validate(raw)
    except ValidationError as error:
        raise ModelError(f"Semantic model '{origin}': {_describe(error)}") from None
    validate_model(model, origin)
    return model


_SECTION_SPECS: dict[str, type[BaseModel]] = {
    "tables": Table,
    "dimensions": Dimension,
    "measures": Measure,
    "metrics": Metric,
}


def _describe(error: ValidationError) -> str:
    """The first problem pydantic found, with the valid choices and the closest one."""
    problems = error.errors()
    # A misspelt key also makes the real key "missing": the misspelling is the one to report.
    first = next((p for p in problems if p["type"] == "extra_forbidden"), problems[0])
    loc = tuple(str(part) for part in first["loc"])
    where = ".".join(loc)
    if first["type"] == "extra_forbidden":
        spec = _spec_at(loc[:-1])
        if spec is not None:
            return unknown_name("field", loc[-1], spec.model_fields, where=f"at {where}")
    if first["type"] == "literal_error" and isinstance(first["input"], str):
        # pydantic lists the allowed values as "'a', 'b' or 'c'".
        allowed = str(first.get("ctx", {}).get("expected", "")).split("'")[1::2]
        return unknown_name(loc[-1], first["input"], allowed, where=f"at {where}")
    return f"{where}: {first['msg']}."


def _spec_at(loc: tuple[str, ...]) -> type[BaseModel] | None:
    if not loc:
        return SemanticModel
    if len(loc) == 2:
        return _SECTION_SPECS.get(loc[0])
    if len(loc) == 4 and loc[0] == "tables" and loc[2] == "joins":
        return Join
    return None


def validate_model(model: SemanticModel, origin: str = "<model>") -> None:
    """Every reference resolves: tables, columns, measures, metrics, and no cycles."""
    _check_tables(model, origin)
    _check_dimensions(model, origin)
    _check_measures(model, origin)
    _check_metrics(model, origin)
    for name in (*model.overview_metrics, *filter(None, [model.headline_metric])):
        if name not in model.metrics:
            raise ModelError(
                f"{origin}: "
                + unknown_name("metric", name, model.metrics, where="in overview_metrics")
            )
    clash = set(model.metrics) & set(model.dimensions)
    if clash:
        raise ModelError(
            f"{origin}: names used for both a metric and a dimension: {sorted(clash)}."
        )


def _check_tables(model: SemanticModel, origin: str) -> None:
    for table in model.tables.values():
        own_time = table.time_column if table.time_column and "." not in table.time_column else None
        needed = [table.primary_key, own_time, *(j.foreign_key for j in table.joins)]
        for column in filter(None, needed):
            if column not in table.columns:
                raise ModelError(
                    f"{origin}: "
                    + unknown_name(
                        "column", column, table.columns, where=f"in table '{table.name}'"
                    )
                )
        for join in table.joins:
            if join.to not in model.tables:
                raise ModelError(
                    f"{origin}: "
                    + unknown_name(
                        "table", join.to, model.tables, where=f"in a join of table '{table.name}'"
                    )
                )
        if table.time_column and "." in table.time_column:
            _check_columns(
                model,
                table.time_column,
                table.name,
                f"the time_column of table '{table.name}'",
                origin,
            )


def _check_dimensions(model: SemanticModel, origin: str) -> None:
    for dim in model.dimensions.values():
        if dim.type == "time":
            continue
        if dim.table not in model.tables:
            raise ModelError(
                f"{origin}: "
                + unknown_name("table", dim.table, model.tables, where=f"in dimension '{dim.name}'")
            )
        _check_columns(model, dim.expr or dim.name, dim.table, f"dimension '{dim.name}'", origin)
    time = model.dimensions.get(model.time_dimension)
    if time is None or time.type != "time":
        raise ModelError(
            f"{origin}: the time dimension '{model.time_dimension}' must be declared "
            "with type: time."
        )


def _check_measures(model: SemanticModel, origin: str) -> None:
    for measure in model.measures.values():
        if measure.table not in model.tables:
            raise ModelError(
                f"{origin}: "
                + unknown_name(
                    "table", measure.table, model.tables, where=f"in measure '{measure.name}'"
                )
            )
        if model.tables[measure.table].time_column is None and not measure.broadcast:
            raise ModelError(
                f"{origin}: measure '{measure.name}' is on table '{measure.table}', "
                "which has no time_column; declare one or mark the measure broadcast."
            )
        for text in filter(None, (measure.expr, measure.filter)):
            _check_columns(model, text, measure.table, f"measure '{measure.name}'", origin)


def _check_metrics(model: SemanticModel, origin: str) -> None:
    for metric in model.metrics.values():
        for ref in _measure_refs(metric):
            if ref not in model.measures:
                raise ModelError(
                    f"{origin}: "
                    + unknown_name(
                        "measure", ref, model.measures, where=f"in metric '{metric.name}'"
                    )
                )
        if metric.type == "derived":
            for ref in metric_refs(metric):
                if ref not in model.metrics:
                    raise ModelError(
                        f"{origin}: "
                        + unknown_name(
                            "metric", ref, model.metrics, where=f"in derived metric '{metric.name}'"
                        )
                    )
    for metric in model.metrics.values():
        _check_cycle(model, metric.name, (), origin)


def _measure_refs(metric: Metric) -> list[str]:
    if metric.type == "simple":
        return [metric.measure or ""]
    if metric.type == "ratio":
        return [metric.numerator or "", metric.denominator or ""]
    return []


def metric_refs(metric: Metric) -> list[str]:
    """Names of the metrics a derived metric's expression uses."""
    if metric.type != "derived" or not metric.expr:
        return []
    return sorted({c.name for c in parse_expression(metric.expr, metric.name).find_all(exp.Column)})


def _check_cycle(model: SemanticModel, name: str, trail: tuple[str, ...], origin: str) -> None:
    if name in trail:
        loop = " -> ".join((*trail, name))
        raise ModelError(f"{origin}: derived metrics form a cycle: {loop}.")
    for ref in metric_refs(model.metrics[name]):
        _check_cycle(model, ref, (*trail, name), origin)


def parse_expression(text: str, owner: str) -> exp.Expr:
    """The parsed expression, shared between callers: copy it before changing it."""
    return _parse_cached(text, owner)


@lru_cache(maxsize=1024)
def _parse_cached(text: str, owner: str) -> exp.Expr:
    # Parsing is most of a compile's cost, and a model's expressions are few and fixed.
    try:
        parsed = sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as error:
        raise ModelError(f"Expression '{text}' of {owner} does not parse: {error}") from None
    return parsed


def _check_columns(model: SemanticModel, text: str, table: str, owner: str, origin: str) -> None:
    for column in parse_expression(text, owner).find_all(exp.Column):
        where = column.table or table
        if where not in model.tables:
            raise ModelError(
                f"{origin}: " + unknown_name("table", where, model.tables, where=f"in {owner}")
            )
        if column.name not in model.tables[where].columns:
            raise ModelError(
                f"{origin}: "
                + unknown_name(
                    "column",
                    column.name,
                    model.tables[where].columns,
                    where=f"of table '{where}' in {owner}",
                )
            )

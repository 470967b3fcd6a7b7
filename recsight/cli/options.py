"""Options the commands share, and turning their text into a semantic query."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from semantic_layer.errors import QueryError, TimeRangeError, UserError, unknown_name

if TYPE_CHECKING:
    from rich.console import Console

    from recsight.engine import Engine
    from semantic_layer.query import SemanticQuery

WarehouseOpt = Annotated[
    str | None,
    typer.Option(
        "--warehouse",
        envvar="RECSIGHT_WAREHOUSE",
        show_envvar=True,
        help="DuckDB warehouse file [default: the demo warehouse, built on first use].",
    ),
]
Model = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="RECSIGHT_MODEL",
        show_envvar=True,
        help="Semantic model YAML [default: the bundled personalization model].",
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Treat this day (YYYY-MM-DD) as today for relative ranges."),
]
CatalogFormat = Annotated[Literal["table", "json"], typer.Option(help="table or json.")]
QueryFormat = Annotated[
    Literal["table", "json", "csv"],
    typer.Option(help="table (readable), json (one object: query, sql, columns, rows) or csv."),
]


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> NoReturn:
    from rich.markup import escape

    stderr().print(f"[bold red]Error:[/bold red] {escape(message)}", soft_wrap=True)
    raise SystemExit(code)


def parse_date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise TimeRangeError(
            f"{flag} '{text}' is not a date.", hint="Write it as YYYY-MM-DD, e.g. 2026-11-01."
        ) from None


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def build_query(
    metrics: str,
    by: str | None,
    where: str | None,
    having: str | None,
    start: str | None,
    end: str | None,
    order: str | None,
    limit: int | None,
    as_of: str | None,
    during: str | None = None,
) -> SemanticQuery:
    from pydantic import ValidationError

    from semantic_layer.query import SemanticQuery
    from semantic_layer.spec import Grain

    if (start and not end) or (end and not start):
        raise TimeRangeError(
            "--from and --to go together.",
            hint="Give both, e.g. --from 2026-11-01 --to 2026-11-30.",
        )
    today = parse_date(as_of, "--as-of") if as_of else date.today()
    if during and (start or end):
        raise TimeRangeError("Give either --range or --from/--to, not both.")
    dimensions = split(by)
    for text in dimensions:
        _, _, grain = text.partition(":")
        if grain and grain.strip() not in {g.value for g in Grain}:
            grains = [g.value for g in Grain]
            raise QueryError(unknown_name("grain", grain.strip(), grains, where=f"in --by {text}"))
    fields: dict[str, object] = {
        "metrics": split(metrics),
        "dimensions": dimensions,
        "where": where or None,
        "having": [_metric_filter(h) for h in split(having)],
        "order_by": split(order),
        "limit": limit,
    }
    if during:
        fields["time_range"] = _phrase_range(during, today)
    if start and end:
        fields["time_range"] = {
            "start": parse_date(start, "--from"),
            "end": parse_date(end, "--to"),
        }
    try:
        return SemanticQuery.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where_ = ".".join(str(p) for p in first["loc"])
        raise UserError(f"Invalid query ({where_}): {first['msg']}.") from None


def _phrase_range(text: str, today: date) -> object:
    from recsight.planning.timephrases import read_time

    reading = read_time(text.lower(), today)
    if reading.time_range is None:
        raise TimeRangeError(
            f"--range '{text}' is not a time range I can read.",
            hint="Try 'last 7 days', 'last month', 'in October', 'since Nov 3', "
            "'between Nov 1 and Nov 15' or 'Q4'.",
        )
    return reading.time_range


def _metric_filter(text: str) -> dict[str, object]:
    for op in (">=", "<=", "!=", "=", ">", "<"):
        name, found, value = text.partition(op)
        if found:
            try:
                return {"metric": name.strip(), "operator": op, "value": float(value)}
            except ValueError:
                break
    raise UserError(
        f"Could not read the metric filter '{text}'.",
        hint="Write metric, operator, number: ctr > 0.03.",
    )


def open_engine(warehouse: str | None, model: str | None) -> Engine:
    from recsight.cli.progress import progress_bar
    from recsight.engine import Engine

    with progress_bar("First run: building the demo warehouse", transient=True) as update:
        return Engine.open(warehouse, model, update)

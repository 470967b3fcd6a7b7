"""`recsight` on the command line. Commands stay thin: parse, call the engine, render.

Heavy modules are imported inside commands so `recsight ask` starts fast.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, timedelta
from typing import Annotated

import typer

from recsight.cli import options as opt
from semantic_layer.errors import UserError

app = typer.Typer(
    name="recsight",
    help=(
        "Ask plain-English questions about your recommendation engines and get the number, the "
        "SQL behind it, a chart and an explanation.\n\n"
        'Start with `recsight ask "Which algorithm has the best CTR?"` - with nothing configured '
        "it builds and uses a demo warehouse of a fashion shop."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",
)
log = logging.getLogger("recsight")


@app.command()
def demo(
    path: Annotated[
        str | None,
        typer.Option(help="Where to write the DuckDB file [default: recsight's data directory]."),
    ] = None,
    scale: Annotated[
        float, typer.Option(help="1 = about 3.3M impressions, 30 = about 100M.")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 7,
    end: Annotated[
        str | None,
        typer.Option(
            help="Last day covered, YYYY-MM-DD [default: yesterday]. The span is 91 days."
        ),
    ] = None,
) -> None:
    """Build the demo warehouse: a mid-market fashion shop running three recommenders.

    Example: `recsight demo --scale 1 --seed 7 --end 2026-11-30`
    """
    from pathlib import Path

    from recsight import config
    from recsight.cli.progress import progress_bar
    from recsight.warehouse.demo import DemoSpec, build_demo

    last = opt.parse_date(end, "--end") if end else date.today() - timedelta(days=1)
    target = Path(path).expanduser() if path else config.default_demo_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar("Building demo warehouse") as update:
        built = build_demo(DemoSpec(path=target, scale=scale, seed=seed, end=last), update)
    opt.stderr().print(f"[green]Demo warehouse ready:[/green] {built}")
    typer.echo(str(built))


@app.command()
def metrics(
    model: opt.Model = None,
    format: opt.CatalogFormat = "table",
) -> None:
    """List the metrics you can ask for, with their units and synonyms."""
    from recsight import config
    from recsight.cli import catalog_view
    from semantic_layer.loader import load_model

    catalog_view.show_metrics(load_model(config.model_path(model)), format)


@app.command()
def dimensions(
    values: Annotated[
        str | None,
        typer.Option("--values", help="Show the values of this dimension, most frequent first."),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many values to show.")] = 50,
    model: opt.Model = None,
    warehouse: opt.WarehouseOpt = None,
    format: opt.CatalogFormat = "table",
) -> None:
    """List the dimensions you can break metrics down by, or the values of one."""
    from recsight.cli import catalog_view

    if values is None:
        from recsight import config
        from semantic_layer.loader import load_model

        catalog_view.show_dimensions(load_model(config.model_path(model)), format)
        return
    engine = opt.open_engine(warehouse, model)
    catalog_view.show_values(engine, values, limit, format)


@app.command()
def query(
    metrics: Annotated[
        str, typer.Option("--metrics", "-m", help="Comma-separated metrics, e.g. ctr,clicks.")
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", "-b", help="Comma-separated dimensions; time takes a grain: date:week."
        ),
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            "-w",
            help="Filter over dimensions: \"category = 'Shoes' AND device != 'Tablet'\".",
        ),
    ] = None,
    having: Annotated[
        str | None,
        typer.Option(help='Filter over metrics, comma-separated: "ctr > 0.03,clicks >= 100".'),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (inclusive).")] = None,
    during: Annotated[
        str | None,
        typer.Option(
            "--range",
            help="A time phrase instead of --from/--to: 'last 7 days', 'last month', "
            "'in October', 'since Nov 3', 'Q4'. Counts back from --as-of (default today).",
        ),
    ] = None,
    order: Annotated[
        str | None,
        typer.Option(help="Comma-separated sort fields; a leading - sorts descending: -ctr."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    as_of: opt.AsOf = None,
    format: opt.QueryFormat = "table",
    show_sql: Annotated[bool, typer.Option("--show-sql", help="Print the SQL too.")] = False,
    dialect: Annotated[
        str,
        typer.Option(
            help="SQL dialect to print with --dry-run/--show-sql "
            "(duckdb, snowflake, bigquery, postgres, ...)."
        ),
    ] = "duckdb",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the SQL, run nothing.")] = False,
    warehouse: opt.WarehouseOpt = None,
    model: opt.Model = None,
) -> None:
    """Compute metrics by dimensions: the structured path, no guessing.

    Example: `recsight query -m ctr,clicks --by algorithm,date:week --where "category = 'Shoes'"
    --from 2026-11-01 --to 2026-11-30 --order -ctr --limit 10`, or
    `recsight query -m revenue --by category --range "last 30 days" --as-of 2026-12-01`
    """
    from recsight.cli import query_view

    semantic_query = opt.build_query(
        metrics, by, where, having, start, end, order, limit, as_of, during
    )
    # Names, filters and the dialect are checked before a warehouse is opened, or built.
    compiled = query_view.compile_checked(semantic_query, model, dialect)
    if dry_run:
        print(compiled.sql(dialect))
        return
    engine = opt.open_engine(warehouse, model)
    query_view.show_result(engine, semantic_query, format, show_sql, dialect)


def run() -> None:
    """Console entry point: user errors become one line and exit 2, never a traceback."""
    logging.basicConfig(
        level=os.environ.get("RECSIGHT_LOG", "WARNING").upper(),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    _register_later_commands()
    try:
        app(standalone_mode=False)
    except UserError as error:
        opt.fail(str(error))
    except KeyboardInterrupt:
        opt.stderr().print("[yellow]Interrupted.[/yellow]")
        raise SystemExit(130) from None
    except (typer.Exit, SystemExit) as done:
        raise SystemExit(getattr(done, "exit_code", getattr(done, "code", 0))) from None
    except Exception as error:  # the last line of defence: a bug, reported without a traceback
        # Typer carries its own copy of click, so its usage errors are recognised by shape: a
        # bad option or command prints click's usage message, not "internal error".
        if callable(getattr(error, "show", None)) and isinstance(
            getattr(error, "exit_code", None), int
        ):
            error.show()  # type: ignore[attr-defined]
            raise SystemExit(error.exit_code) from None  # type: ignore[attr-defined]
        if type(error).__name__ == "Abort":
            raise SystemExit(130) from None
        if os.environ.get("RECSIGHT_DEBUG"):
            raise
        opt.fail(
            f"Internal error ({type(error).__name__}: {error}). This is a bug in recsight; "
            "rerun with RECSIGHT_DEBUG=1 to see the traceback.",
            code=70,
        )


def _register_later_commands() -> None:
    """Commands whose modules land with later features; each registers itself when present."""
    import importlib

    for name in ("ask_cmd", "eval_cmd", "serve_cmd", "chat_cmd", "slack_cmd"):
        try:
            module = importlib.import_module(f"recsight.cli.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"recsight.cli.{name}":
                raise
            continue
        module.register(app)


if __name__ == "__main__":
    run()

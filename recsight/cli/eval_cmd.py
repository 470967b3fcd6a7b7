"""`recsight eval`: run the eval suite against a planner on the pinned demo warehouse."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from recsight.cli import options as opt

if TYPE_CHECKING:
    from recsight.evaluation.report import Report


def register(app: typer.Typer) -> None:
    app.command(name="eval")(eval_suite)


def eval_suite(
    suite: Annotated[
        str | None,
        typer.Option(help="Folder of question YAML files (or one file) [default: eval/questions]."),
    ] = None,
    planner: Annotated[
        Literal["builtin", "llm"],
        typer.Option(help="builtin (no LLM) or llm (the endpoint configured for recsight)."),
    ] = "builtin",
    category: Annotated[
        str | None, typer.Option(help="Run only the questions of this category.")
    ] = None,
    format: Annotated[
        Literal["table", "json"], typer.Option(help="table (readable) or json (the full report).")
    ] = "table",
    output: Annotated[
        str | None, typer.Option(help="Write the report here instead of to stdout.")
    ] = None,
    warehouse: Annotated[
        str | None,
        typer.Option(
            help="DuckDB file to evaluate on; built with the pinned parameters if missing "
            "[default: eval-demo.duckdb in recsight's data directory]."
        ),
    ] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option(
            help="Exit 1 when overall execution accuracy is below this fraction, e.g. 0.95."
        ),
    ] = None,
) -> None:
    """Measure how often questions get the gold answer, how often the unanswerable are refused,
    and how long it takes.

    Example: `recsight eval --category rankings --format json`
    """
    from pathlib import Path

    from recsight.cli.progress import progress_bar
    from recsight.engine import Engine
    from recsight.evaluation.pinned import ensure_warehouse
    from recsight.evaluation.planners import load_planner
    from recsight.evaluation.report import Report
    from recsight.evaluation.runner import run_suite
    from recsight.evaluation.suite import default_suite, load_suite
    from semantic_layer.errors import UserError

    if min_accuracy is not None and not 0 <= min_accuracy <= 1:
        raise UserError(
            f"--min-accuracy {min_accuracy:g} is not a fraction.", hint="Use e.g. 0.95 for 95%."
        )
    suite_path = Path(suite) if suite else default_suite()
    questions = load_suite(suite_path, category)
    chosen = load_planner(planner)
    with progress_bar("Building the pinned eval warehouse") as update:
        target = ensure_warehouse(Path(warehouse).expanduser() if warehouse else None, update)
    engine = Engine.open(str(target.path))
    try:
        with progress_bar(f"Asking {len(questions)} questions", transient=True) as update:
            outcomes = run_suite(engine, questions, chosen, update)
    finally:
        engine.close()

    report = Report(str(suite_path), planner, str(target.path), target.pinned, outcomes)
    _write(report, format, output)
    accuracy = report.overall.execution_accuracy
    if min_accuracy is not None and (accuracy or 0.0) < min_accuracy:
        opt.stderr().print(
            f"[red]Execution accuracy {accuracy or 0.0:.1%} is below --min-accuracy "
            f"{min_accuracy:.1%}.[/red]"
        )
        raise SystemExit(1)


def _write(report: Report, format: str, output: str | None) -> None:
    import json
    from pathlib import Path

    from rich.console import Console

    from recsight.evaluation.report import render

    if format == "json":
        text = json.dumps(report.as_dict(), indent=2, default=str)
        if output:
            Path(output).expanduser().write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
        return
    if output:
        with Path(output).expanduser().open("w", encoding="utf-8") as file:
            render(report, Console(file=file, width=160, no_color=True, highlight=False))
        return
    console = Console(highlight=False)
    # Piped output gets rich's 80 columns, too few for the score table; files get room to read.
    render(report, console if console.is_terminal else Console(highlight=False, width=160))

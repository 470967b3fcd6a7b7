"""`recsight ask "QUESTION"`: plan, run, explain and show one answer.

Only typer is imported at module level; everything else loads when the command runs, so the
whole process stays well under a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from recsight.cli import options as opt

if TYPE_CHECKING:
    from recsight.answering.answer import Answer
    from semantic_layer.errors import PlanningError

AskFormat = Literal["text", "json", "markdown"]
REFUSED_EXIT = 2


def register(app: typer.Typer) -> None:
    app.command(name="ask")(ask)


def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain English.")],
    format: Annotated[
        AskFormat,
        typer.Option(help="text (readable), json (the whole answer) or markdown."),
    ] = "text",
    as_of: opt.AsOf = None,
    chart: Annotated[
        str | None,
        typer.Option("--chart", help="Also write the chart to this PNG file.", metavar="PATH.png"),
    ] = None,
    show_sql: Annotated[bool, typer.Option("--show-sql", help="Print the SQL too.")] = False,
    planner: Annotated[
        Literal["auto", "builtin", "llm"],
        typer.Option(
            help="auto: the built-in planner, and the LLM when it can't read the question and "
            "one is configured (docs/llm.md); builtin: never the LLM; llm: always the LLM."
        ),
    ] = "auto",
    warehouse: opt.WarehouseOpt = None,
    model: opt.Model = None,
) -> None:
    """Ask a question in plain English; get the number, the SQL, a chart and an explanation.

    Example: `recsight ask "Which algorithm has the best CTR for high-value customers?"`
    """
    from recsight.answering.ask import ask as answer_question
    from recsight.planning.router import default_planner
    from semantic_layer.errors import PlanningError

    today = opt.parse_date(as_of, "--as-of") if as_of else None
    engine = opt.open_engine(warehouse, model)
    try:
        chosen = default_planner(engine, planner)
        answer = answer_question(engine, question, as_of=today, planner=chosen)
    except PlanningError as refusal:
        _refuse(refusal, format)
    finally:
        engine.close()
    _show(answer, format, show_sql)
    if chart:
        _write_chart(answer, chart)


def _show(answer: Answer, format: AskFormat, show_sql: bool) -> None:
    from recsight.answering import render

    if format == "json":
        print(render.render_json(answer))
    elif format == "markdown":
        print(render.render_markdown(answer, show_sql=show_sql), end="")
    else:
        from rich.console import Console

        console = render.wide_enough(Console(highlight=False), answer)
        console.print(render.render_rich(answer, show_sql=show_sql))


def _refuse(refusal: PlanningError, format: AskFormat) -> NoReturn:
    """A question that can't be read safely: what went wrong and what would work, then exit 2."""
    if format == "json":
        import json

        refused = {"error": refusal.message, "hint": refusal.hint, "suggestions": refusal.options}
        print(json.dumps({"refused": refused}, indent=2))
    elif format == "markdown":
        lines = [f"**Can't answer that:** {refusal.message}"]
        lines += [refusal.hint] if refusal.hint else []
        lines += [f"Closest: {', '.join(refusal.options)}"] if refusal.options else []
        print("\n\n".join(lines))
    else:
        from rich.panel import Panel
        from rich.text import Text

        body = Text(refusal.message, style="bold")
        if refusal.hint:
            body.append(f"\n{refusal.hint}", style="")
        if refusal.options:
            body.append("\nClosest: ", style="dim").append(", ".join(refusal.options))
        opt.stderr().print(
            Panel(body, title="Can't answer that", title_align="left", border_style="red")
        )
    raise SystemExit(REFUSED_EXIT)


def _write_chart(answer: Answer, path: str) -> None:
    from recsight.answering.chart import render_png

    if answer.chart is None:
        opt.stderr().print(
            "[yellow]No chart for this answer:[/yellow] a single number or a wide table reads "
            "better as the table above."
        )
        return
    try:
        written = render_png(answer.chart, path)
    except OSError as error:
        from semantic_layer.errors import UserError

        raise UserError(
            f"Could not write the chart to '{path}': {error.strerror or error}."
        ) from None
    opt.stderr().print(f"Chart written to {written}")

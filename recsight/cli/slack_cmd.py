"""`recsight slack`: answer questions in Slack, over Socket Mode or HTTP Events."""

from __future__ import annotations

import logging
import os
from typing import Annotated, Literal

import typer

from recsight.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command(name="slack")(slack)


def slack(
    mode: Annotated[
        Literal["socket", "http"],
        typer.Option(
            help="socket: connect out to Slack with SLACK_APP_TOKEN (no public URL needed). "
            "http: receive Slack's requests at /slack/events, verified with SLACK_SIGNING_SECRET."
        ),
    ] = "socket",
    port: Annotated[
        int, typer.Option(help="HTTP mode: port to listen on (0 picks a free one).")
    ] = 3000,
    host: Annotated[
        str, typer.Option(help="HTTP mode: address to listen on; 0.0.0.0 for all interfaces.")
    ] = "127.0.0.1",
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            envvar="SLACK_API_URL",
            show_envvar=True,
            help="Slack Web API base URL [default: https://slack.com/api/].",
        ),
    ] = None,
    as_of: opt.AsOf = None,
    warehouse: opt.WarehouseOpt = None,
    model: opt.Model = None,
) -> None:
    """Answer questions in Slack: @-mentions, `/recsight <question>` and replies in its threads.

    Tokens come from the environment: SLACK_BOT_TOKEN always, plus SLACK_APP_TOKEN (socket)
    or SLACK_SIGNING_SECRET (http). See docs/slack.md for the app manifest.
    """
    from slack_bolt import App
    from slack_sdk import WebClient

    from recsight.slack import runner
    from recsight.slack.app import build_app
    from recsight.slack.replies import Responder
    from recsight.slack.threads import ThreadMemory

    if not os.environ.get("RECSIGHT_LOG"):
        # A server's operator wants one line per answer or refusal; the CLI default is warnings.
        logging.getLogger("recsight.slack").setLevel(logging.INFO)
    creds = runner.credentials(mode)
    today = opt.parse_date(as_of, "--as-of") if as_of else None
    engine = opt.open_engine(warehouse, model)
    engine.values()  # index the dimension values now, not during the first question
    responder = Responder(engine, ThreadMemory(), as_of=today)

    def make_app(client: WebClient, signing_secret: str) -> App:
        return build_app(client, responder, signing_secret)

    app = runner.build(creds, make_app, api_url)
    if mode == "http":
        runner.serve_http(app, host, port)
    else:
        runner.serve_socket(app, creds.app_token)

"""Answering in a thread: ask, post the blocks, upload the chart and CSV, and say so when it fails.

Every Slack call goes through `_send`, so a Slack failure (after the client's retries) is logged
and turned into a short note in the thread when one can still be posted, never a silent thread.
"""

from __future__ import annotations

import contextlib
import logging
import re
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from recsight.answering.answer import Answer
from recsight.engine import Engine
from recsight.slack import blocks
from recsight.slack.text import clip, escape
from recsight.slack.threads import Place, Remembered, RequestIdentity, ThreadMemory
from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

ERROR_LIMIT = 600
BUG_NOTE = "Something went wrong on my side while answering that; the details are in my log."


class SlackCallFailed(Exception):
    """A Slack Web API call failed after the client's retries."""


class Responder:
    """Turns questions and button clicks into messages in the thread they came from."""

    def __init__(self, engine: Engine, memory: ThreadMemory, as_of: date | None = None) -> None:
        self.engine = engine
        self.memory = memory
        self.as_of = as_of

    def answer_question(
        self, client: WebClient, question: str, place: Place, identity: RequestIdentity
    ) -> None:
        from recsight.answering.ask import ask

        previous = self.memory.last_answer(place)
        self._answer_with(
            client,
            place,
            identity,
            question,
            lambda: ask(self.engine, question, as_of=self.as_of, previous=previous),
        )

    def answer_by_week(
        self, client: WebClient, entry: Remembered, identity: RequestIdentity
    ) -> None:
        from recsight.answering.ask import answer_query
        from recsight.slack.regroup import by_week

        question = f"{entry.answer.question or entry.answer.restatement}, by week"
        self._answer_with(
            client,
            entry.place,
            identity,
            question,
            lambda: answer_query(
                self.engine, by_week(self.engine.model, entry.answer), question=question
            ),
        )

    def show_sql(self, client: WebClient, entry: Remembered) -> None:
        answer = entry.answer
        if len(answer.sql) > blocks.TEXT_LIMIT:
            sql = answer.sql.encode()
            self.attach(client, entry.place, sql, "recsight.sql", title="SQL", what="the SQL")
            return
        try:
            self.post(
                client, entry.place, blocks.sql_blocks(answer), escape(f"SQL: {answer.restatement}")
            )
        except SlackCallFailed as failure:
            self.say(client, entry.place, f"Slack would not take the SQL ({failure}).")

    def send_csv(self, client: WebClient, entry: Remembered) -> None:
        from recsight.answering.formatting import to_csv

        answer = entry.answer
        data = to_csv(answer.columns, answer.rows).encode()
        name = _file_name(answer, "csv")
        self.attach(client, entry.place, data, name, title=answer.restatement, what="the CSV")

    def attach(
        self, client: WebClient, place: Place, data: bytes, filename: str, *, title: str, what: str
    ) -> None:
        """Upload a file into the thread; if Slack refuses it, say so there."""
        try:
            self.upload(client, place, data, filename, title)
        except SlackCallFailed as failure:
            self.say(client, place, f"I could not attach {what} ({failure}).")

    def say(self, client: WebClient, place: Place, text: str) -> None:
        """A short note in the thread; a failure to post it is only logged."""
        with contextlib.suppress(SlackCallFailed):
            self.post(client, place, blocks.notice_blocks(text), escape(text))

    def start_thread(self, client: WebClient, channel_id: str, text: str) -> Place:
        """Post a top-level mrkdwn message to answer under (a slash command has no thread)."""
        response = _send(
            "chat.postMessage",
            lambda: client.chat_postMessage(
                channel=channel_id, text=text, blocks=blocks.mrkdwn_blocks(text)
            ),
        )
        return Place(str(response.get("channel") or channel_id), str(response["ts"]))

    def post(self, client: WebClient, place: Place, content: list[blocks.Block], text: str) -> None:
        _send(
            "chat.postMessage",
            lambda: client.chat_postMessage(
                channel=place.channel_id,
                thread_ts=place.thread_ts,
                text=clip(text, 3000),
                blocks=content,
                unfurl_links=False,
            ),
        )

    def upload(
        self, client: WebClient, place: Place, data: bytes, filename: str, title: str
    ) -> None:
        _send(
            "files.uploadV2",
            lambda: client.files_upload_v2(
                channel=place.channel_id,
                thread_ts=place.thread_ts,
                content=data,
                filename=filename,
                title=clip(title, 200),
            ),
        )

    def _answer_with(
        self,
        client: WebClient,
        place: Place,
        identity: RequestIdentity,
        question: str,
        compute: Callable[[], Answer],
    ) -> None:
        started = time.perf_counter()
        try:
            answer = compute()
        except UserError as error:
            log.info("could not answer %r for %s: %s", question, identity, error)
            self.say(client, place, clip(str(error), ERROR_LIMIT))
            return
        except Exception:
            log.exception("answering %r for %s failed", question, identity)
            self.say(client, place, BUG_NOTE)
            return
        log.info(
            "answered %r for %s: %d rows in %.0f ms",
            question,
            identity,
            len(answer.rows),
            (time.perf_counter() - started) * 1000,
        )
        self._post_answer(client, answer, place, identity)

    def _post_answer(
        self, client: WebClient, answer: Answer, place: Place, identity: RequestIdentity
    ) -> None:
        entry = self.memory.remember(answer, place, identity)
        layout = blocks.table_layout(answer)
        content = blocks.answer_blocks(answer, entry.answer_id, layout)
        try:
            self.post(client, place, content, escape(_text(answer)))
        except SlackCallFailed as failure:
            self.say(client, place, f"I have the answer but Slack would not take it ({failure}).")
            return
        png = _chart_png(answer)
        if png is not None:
            name = _file_name(answer, "png")
            self.attach(client, place, png, name, title=answer.restatement, what="the chart")
        if layout.attach_csv:
            self.send_csv(client, entry)


def _send(method: str, call: Callable[[], Any]) -> Any:
    """Make one Slack call; its failure (after retries) is logged and raised as SlackCallFailed."""
    try:
        return call()
    except SlackApiError as error:
        reason = _reason(error)
        log.error("Slack %s failed: %s", method, reason)
        raise SlackCallFailed(f"{method}: {reason}") from None
    except (SlackClientError, OSError) as error:
        log.error("Slack %s failed: %s", method, error)
        raise SlackCallFailed(f"{method}: {type(error).__name__}") from None


def _reason(error: SlackApiError) -> str:
    """Slack's error code ('not_in_channel'), or the HTTP status when the body was not Slack's."""
    response = error.response
    if response is None:
        return "no response"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    code = response.data.get("error") if isinstance(response.data, dict) else None
    return str(code or f"HTTP {response.status_code}")


def _chart_png(answer: Answer) -> bytes | None:
    """The answer's chart as a PNG; a chart that fails to render is logged and left out."""
    if answer.chart is None:
        return None
    from recsight.answering.chart import render_png

    try:
        with tempfile.TemporaryDirectory(prefix="recsight-chart-") as folder:
            return render_png(answer.chart, Path(folder) / "chart.png").read_bytes()
    except Exception:
        log.exception("rendering the chart for %r failed", answer.restatement)
        return None


def _text(answer: Answer) -> str:
    """The notification text: what was asked and the headline sentence."""
    lead = answer.explanation[0] if answer.explanation else ""
    return f"{answer.restatement}. {lead}".strip()


def _file_name(answer: Answer, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", answer.restatement.lower()).strip("-")[:60] or "answer"
    return f"recsight-{slug}.{extension}"

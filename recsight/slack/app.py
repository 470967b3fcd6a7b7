"""The Bolt app: mentions, the /recsight command, thread replies and the answer's buttons.

Handlers only acknowledge and hand over to the Responder. Bolt sends the acknowledgement the moment
`ack()` runs (events are acknowledged before the listener starts), so Slack's 3-second limit holds
however long the warehouse takes.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from recsight.slack import blocks
from recsight.slack.replies import Responder, SlackCallFailed
from recsight.slack.text import escape, mentions, question_from
from recsight.slack.threads import Place, Remembered, RequestIdentity

log = logging.getLogger(__name__)

COMMAND = "/recsight"
FORGOTTEN = (
    "I no longer remember that answer (I was restarted, or it is too old). Ask the question again."
)


def build_app(client: WebClient, responder: Responder, signing_secret: str = "") -> App:
    """A Bolt app answering through `client`; `signing_secret` is only needed for HTTP mode."""
    app = App(client=client, signing_secret=signing_secret, name="recsight")
    _register_events(app, responder)
    _register_command(app, responder)
    _register_buttons(app, responder)
    return app


def _register_events(app: App, responder: Responder) -> None:
    @app.event("app_mention")
    def on_mention(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if not responder.memory.first_delivery(str(body.get("event_id", ""))):
            return
        place = Place(event["channel"], event.get("thread_ts") or event["ts"])
        _answer_event(responder, client, context, event, place)

    @app.event("message")
    def on_message(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        place = _follow_up_place(responder, event, context)
        if place is None or not responder.memory.first_delivery(str(body.get("event_id", ""))):
            return
        _answer_event(responder, client, context, event, place)


def _follow_up_place(
    responder: Responder, event: dict[str, Any], context: BoltContext
) -> Place | None:
    """Where a plain message should be answered: a reply in one of our threads, or a DM."""
    if event.get("subtype") or event.get("bot_id") or "user" not in event:
        return None
    if mentions(event.get("text", ""), context.bot_user_id):
        return None  # the app_mention event for the same message answers it
    channel = event["channel"]
    if "thread_ts" in event:
        place = Place(channel, event["thread_ts"])
        return place if responder.memory.knows(place) else None
    if event.get("channel_type") == "im":
        return Place(channel, event["ts"])
    return None


def _answer_event(
    responder: Responder,
    client: WebClient,
    context: BoltContext,
    event: dict[str, Any],
    place: Place,
) -> None:
    identity = RequestIdentity(
        str(context.team_id or event.get("team", "")), place.channel_id, str(event.get("user", ""))
    )
    responder.memory.join(place)
    question = question_from(event.get("text", ""), context.bot_user_id)
    if not question or question.lower() == "help":
        responder.say(client, place, blocks.HELP)
        return
    _react(client, event, "eyes")
    responder.answer_question(client, question, place, identity)


def _react(client: WebClient, event: dict[str, Any], emoji: str) -> None:
    """A visible 'working on it' on the question; nice to have, so failures are only logged."""
    try:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name=emoji)
    except (SlackClientError, OSError) as error:
        log.warning("could not add a reaction to %s: %s", event.get("ts"), error)


def _register_command(app: App, responder: Responder) -> None:
    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        question = question_from(command.get("text", ""))
        if not question or question.lower() == "help":
            ack(blocks.HELP)
            return
        ack(f"Looking into “{escape(question)}”…")
        identity = RequestIdentity(
            command.get("team_id", ""), command["channel_id"], command.get("user_id", "")
        )
        header = f"<@{identity.user_id}> asked: {escape(question)}"
        try:
            place = responder.start_thread(client, identity.channel_id, header)
        except SlackCallFailed as failure:
            respond(
                f"I can't post in this channel ({failure}). Invite me with `/invite @recsight`, "
                "or mention me in a channel I am in."
            )
            return
        responder.memory.join(place)
        responder.answer_question(client, question, place, identity)


def _register_buttons(app: App, responder: Responder) -> None:
    def entry_or_tell(body: dict[str, Any], client: WebClient) -> Remembered | None:
        """The answer a button belongs to; if it is forgotten, the clicker is told."""
        action = body["actions"][0]
        entry = responder.memory.answer(str(action.get("value", "")))
        if entry is None:
            _tell_forgotten(client, body)
        return entry

    @app.action(blocks.SHOW_SQL)
    def on_show_sql(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        entry = entry_or_tell(body, client)
        if entry is not None:
            responder.show_sql(client, entry)

    @app.action(blocks.BY_WEEK)
    def on_by_week(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        entry = entry_or_tell(body, client)
        if entry is not None:
            responder.answer_by_week(client, entry, _clicker(body))

    @app.action(blocks.DOWNLOAD_CSV)
    def on_download_csv(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        entry = entry_or_tell(body, client)
        if entry is not None:
            responder.send_csv(client, entry)


def _clicker(body: dict[str, Any]) -> RequestIdentity:
    return RequestIdentity(
        str(body.get("team", {}).get("id", "")),
        str(body.get("channel", {}).get("id", "")),
        str(body.get("user", {}).get("id", "")),
    )


def _tell_forgotten(client: WebClient, body: dict[str, Any]) -> None:
    who = _clicker(body)
    message = body.get("message", {})
    try:
        client.chat_postEphemeral(
            channel=who.channel_id,
            user=who.user_id,
            thread_ts=message.get("thread_ts") or message.get("ts"),
            text=FORGOTTEN,
        )
    except (SlackClientError, OSError) as error:
        log.warning("could not tell %s an answer was forgotten: %s", who, error)

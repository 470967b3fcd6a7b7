"""Test support: what Slack sends a bot (events, slash commands, button clicks), signed as Slack
signs them, over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from fake_slack_api import BOT_USER, SIGNING_SECRET, TEAM


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: HMAC-SHA256 of 'v0:<timestamp>:<body>', hex, prefixed 'v0='."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """An Events API envelope around `event`, as Slack delivers it."""
    return {
        "token": "legacy-unused",
        "team_id": TEAM,
        "api_app_id": "A0APP001",
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:12].upper()}",
        "event_time": int(time.time()),
        "event": {"event_ts": event.get("ts", ""), **event},
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def mention_event(
    text: str, channel: str, ts: str, thread_ts: str | None = None, user: str = "UASKER01"
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message_event(
    text: str,
    channel: str,
    ts: str,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    user: str = "UASKER01",
) -> dict[str, Any]:
    """A plain message: a reply in a thread when `thread_ts` is given; `im` for a direct message."""
    event = {
        "type": "message",
        "channel_type": channel_type,
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_form(
    text: str, channel: str, response_url: str, user: str = "UASKER01"
) -> dict[str, str]:
    """A slash command's fields, as Slack form-encodes them."""
    return {
        "token": "legacy-unused",
        "team_id": TEAM,
        "channel_id": channel,
        "channel_name": "merch",
        "user_id": user,
        "user_name": "merch-lead",
        "command": "/recsight",
        "text": text,
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "api_app_id": "A0APP001",
    }


def button_click(
    action_id: str, value: str, channel: str, message_ts: str, thread_ts: str, user: str
) -> dict[str, Any]:
    """A block_actions payload: a click on a button under a message in a thread."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "recsight-test"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0APP001",
        "token": "legacy-unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
            "thread_ts": thread_ts,
        },
        "trigger_id": "4.5.6",
        "channel": {"id": channel, "name": "merch"},
        "message": {
            "type": "message",
            "ts": message_ts,
            "thread_ts": thread_ts,
            "user": BOT_USER,
            "text": "",
        },
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "answer_actions",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }


@dataclass
class SlackSender:
    """Delivers events, commands and button clicks to the bot over HTTP as Slack does, signed."""

    url: str
    secret: str = SIGNING_SECRET

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(secret or self.secret, stamp, body),
            **(headers or {}),
        }
        return httpx.post(self.url, content=body, headers=sent, timeout=10)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **options: Any
    ) -> httpx.Response:
        body = json.dumps(event_callback(event, event_id)).encode()
        return self.post(body, "application/json", **options)

    def mention(
        self,
        text: str,
        *,
        channel: str,
        ts: str,
        thread_ts: str | None = None,
        event_id: str | None = None,
        **options: Any,
    ) -> httpx.Response:
        return self.event(mention_event(text, channel, ts, thread_ts), event_id=event_id, **options)

    def reply(self, text: str, *, channel: str, ts: str, thread_ts: str) -> httpx.Response:
        return self.event(message_event(text, channel, ts, thread_ts))

    def command(self, text: str, *, channel: str, response_url: str) -> httpx.Response:
        form = urlencode(command_form(text, channel, response_url)).encode()
        return self.post(form, "application/x-www-form-urlencoded")

    def click(
        self,
        action_id: str,
        value: str,
        *,
        channel: str,
        message_ts: str,
        thread_ts: str,
        user: str = "UCLICK01",
    ) -> httpx.Response:
        payload = button_click(action_id, value, channel, message_ts, thread_ts, user)
        form = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(form, "application/x-www-form-urlencoded")

"""Slack's text conventions: reading a question out of a message, and escaping what we post."""

from __future__ import annotations

import re

# Slack wraps mentions, channels and links in angle brackets: <@U123>, <#C1|general>, <url|label>.
_ANGLED = re.compile(r"<([^<>]*)>")
_SPACES = re.compile(r"\s+")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def question_from(text: str, bot_user_id: str | None = None) -> str:
    """The question in a message: the bot's mention dropped, Slack's markup read as words."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "" if target[1:] == bot_user_id else f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return ""
        return label or target

    plain = _ANGLED.sub(replace, text)
    for entity, char in _ENTITIES:
        plain = plain.replace(entity, char)
    return _SPACES.sub(" ", plain).strip()


def mentions(text: str, user_id: str | None) -> bool:
    return bool(user_id) and f"<@{user_id}" in text


def escape(text: str) -> str:
    """Text shown as mrkdwn: Slack reads &, < and > as markup, so they must be entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def mrkdwn(text: str, limit: int) -> str:
    """Plain text as mrkdwn, escaped, and within `limit` characters after escaping."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    return escape(clip(text, limit - (len(escaped) - len(text))))

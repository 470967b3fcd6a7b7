"""Bearer-token authentication for the HTTP transport, as an ASGI middleware.

Every HTTP request must carry `Authorization: Bearer <token>`; the token is compared in constant
time and never logged. Missing or wrong tokens get 401 before any MCP code runs.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

TOKEN_ENV = "RECSIGHT_MCP_TOKEN"
MIN_TOKEN_CHARS = 16
_GENERATE = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class AuthError(UserError):
    """The HTTP transport has no usable token configured."""


def load_token(token_file: Path | None) -> str:
    """The token from --token-file, else RECSIGHT_MCP_TOKEN; serving HTTP without one is refused."""
    if token_file is not None:
        try:
            token = token_file.expanduser().read_text(encoding="utf-8").strip()
        except OSError as error:
            raise AuthError(
                f"Could not read the token file '{token_file}': {error.strerror}."
            ) from None
        source = f"token file '{token_file}'"
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
        source = TOKEN_ENV
        if not token:
            raise AuthError(
                f"The HTTP transport needs a bearer token: set {TOKEN_ENV} or pass --token-file.",
                hint=_GENERATE + ".",
            )
    if len(token) < MIN_TOKEN_CHARS:
        raise AuthError(
            f"The token in {source} is too short ({len(token)} characters); use at least "
            f"{MIN_TOKEN_CHARS}.",
            hint=_GENERATE + ".",
        )
    return token


class BearerAuth:
    """Wraps an ASGI app; lets lifespan events through, checks every HTTP request."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        presented = _bearer(scope)
        if presented is not None and hmac.compare_digest(presented, self._expected):
            await self.app(scope, receive, send)
            return
        reason = "no bearer token" if presented is None else "a wrong bearer token"
        client = scope.get("client") or ("unknown", 0)
        log.warning("refused an HTTP request from %s with %s", client[0], reason)
        await _unauthorized(send, reason)


def _bearer(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, credentials = value.partition(b" ")
            return credentials.strip() if scheme.lower() == b"bearer" else None
    return None


async def _unauthorized(send: Send, reason: str) -> None:
    body = json.dumps(
        {"error": "unauthorized", "error_description": f"Request carried {reason}."}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Bearer realm="recsight"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""Running the bot: Socket Mode (an outbound WebSocket) or HTTP Events (Slack posts to us).

Tokens come only from the environment and are never logged or echoed; messages name the variable,
not its value.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Literal
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from recsight.slack.webapi import API_URL, web_client
from semantic_layer.errors import UserError

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

Mode = Literal["socket", "http"]

BOT_TOKEN = "SLACK_BOT_TOKEN"
APP_TOKEN = "SLACK_APP_TOKEN"
SIGNING_SECRET = "SLACK_SIGNING_SECRET"
EVENTS_PATH = "/slack/events"


class SlackSetupError(UserError):
    """The bot can't start: a token is missing or Slack refused it."""


@dataclass(frozen=True)
class Credentials:
    bot_token: str
    signing_secret: str = ""
    app_token: str = ""

    def __repr__(self) -> str:  # a stray log of this object must not print the tokens
        return "Credentials(...)"


def credentials(mode: Mode) -> Credentials:
    """The tokens `mode` needs, from the environment; a missing one is named, with where to look."""
    bot = _required(BOT_TOKEN, "xoxb-", "OAuth & Permissions > Bot User OAuth Token")
    if mode == "socket":
        app = _required(
            APP_TOKEN, "xapp-", "Basic Information > App-Level Tokens (connections:write)"
        )
        return Credentials(bot_token=bot, app_token=app)
    secret = _required(SIGNING_SECRET, "", "Basic Information > App Credentials > Signing Secret")
    return Credentials(bot_token=bot, signing_secret=secret)


def _required(name: str, prefix: str, where: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SlackSetupError(
            f"{name} is not set.", hint=f"Copy it from your Slack app's page: {where}."
        )
    if prefix and not value.startswith(prefix):
        raise SlackSetupError(
            f"{name} does not look right: it should start with '{prefix}'.",
            hint=f"Copy it from your Slack app's page: {where}.",
        )
    return value


def build(
    creds: Credentials, make_app: Callable[[WebClient, str], App], api_url: str | None = None
) -> App:
    """Build the app; Bolt checks the bot token with auth.test, and a refusal is a clear error."""
    from slack_bolt.error import BoltError

    client = web_client(creds.bot_token, api_url)
    logging.getLogger("slack_bolt.App").addFilter(_TokenFromEnvironmentNote())
    try:
        return make_app(client, creds.signing_secret)
    except BoltError:
        raise SlackSetupError(
            f"Slack refused {BOT_TOKEN} (auth.test failed at {client.base_url}).",
            hint="Check the token is the app's current Bot User OAuth Token and the app is "
            "installed in the workspace.",
        ) from None
    except (SlackClientError, OSError) as error:
        raise SlackSetupError(
            f"Could not reach the Slack API at {client.base_url}: {_reason(error)}.",
            hint=f"Check the network, or {API_URL} / --api-url if you set one.",
        ) from None


def _reason(error: Exception) -> str:
    return str(getattr(error, "reason", "") or error)


class _TokenFromEnvironmentNote(logging.Filter):
    """Bolt warns SLACK_BOT_TOKEN goes unused when given a client; the client holds that token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to the debug log instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


def serve_http(app: App, host: str, port: int, ready: Callable[[str], None] | None = None) -> None:
    """Serve Slack's Events and interactivity requests until interrupted."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    handler = _guarded(SlackRequestHandler(app, path=EVENTS_PATH))
    try:
        server = make_server(
            host, port, handler, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
    except OSError as error:
        raise SlackSetupError(
            f"Could not listen on {host}:{port}: {error.strerror}.",
            hint="Pick another --port, or stop what is using it.",
        ) from None
    url = f"http://{host}:{server.server_port}{EVENTS_PATH}"
    (ready or _announce)(f"recsight slack: listening for Slack requests at {url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _guarded(handler: WSGIApplication) -> WSGIApplication:
    """Bolt parses a body before checking its signature, so a malformed one raises; answer 400."""

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return handler(environ, start_response)
        except (ValueError, UnicodeError) as error:
            client = environ.get("REMOTE_ADDR", "?")
            log.warning("malformed request from %s refused: %s", client, type(error).__name__)
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Bad Request"]

    return guarded


def serve_socket(app: App, app_token: str, ready: Callable[[str], None] | None = None) -> None:
    """Hold a Socket Mode connection open until interrupted."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(app, app_token)
    try:
        handler.connect()
    except SlackApiError as error:
        reason = error.response.get("error") if error.response is not None else "unknown"
        raise SlackSetupError(
            f"Slack refused {APP_TOKEN} for Socket Mode ({reason}).",
            hint="Enable Socket Mode for the app and give the token the connections:write scope.",
        ) from None
    except (SlackClientError, OSError) as error:
        raise SlackSetupError(
            f"Could not open the Socket Mode connection: {_reason(error)}.",
            hint="Check the network; Socket Mode needs outbound HTTPS and WebSockets to Slack.",
        ) from None
    (ready or _announce)("recsight slack: connected to Slack over Socket Mode")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


def _announce(line: str) -> None:
    print(line, file=sys.stderr, flush=True)

"""Streamable HTTP transport: the SDK's ASGI app behind bearer-token auth, served by uvicorn."""

from __future__ import annotations

import logging
import socket

from semantic_layer.errors import UserError
from server.app import RecsightServer
from server.auth import BearerAuth

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024
"""Above the SDK's 4 MiB default so an oversized argument (a 10 MB string) reaches the tool and
gets a tool error the model can act on, instead of a bare HTTP 413."""
PATH = "/mcp"


def serve_http(server: RecsightServer, host: str, port: int, token: str) -> None:
    import uvicorn

    _check_free(host, port)
    app = server.streamable_http_app(
        streamable_http_path=PATH, host=host, max_request_body_size=MAX_BODY_BYTES
    )
    config = uvicorn.Config(
        BearerAuth(app, token),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    log.info("serving MCP over HTTP at http://%s:%d%s (bearer token required)", host, port, PATH)
    uvicorn.Server(config).run()


def _check_free(host: str, port: int) -> None:
    """Fail with one clear line, before anything starts, when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UserError(
                f"Can't listen on {host}:{port}: {error.strerror}.",
                hint="Pass another --port, or stop what is using it.",
            ) from None

"""Start the server: load the model, prepare the engine, then run a transport."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Literal

from recsight import config
from semantic_layer.loader import load_model
from server.state import ServerState

log = logging.getLogger(__name__)

Transport = Literal["stdio", "http"]


def run(
    transport: Transport,
    *,
    host: str,
    port: int,
    warehouse: str | None,
    model: str | None,
    token_file: Path | None,
) -> None:
    token = _token(transport, token_file)
    _check_warehouse(warehouse)
    state = ServerState(load_model(config.model_path(model)), warehouse, model)
    from server.app import build_server

    server = build_server(state)
    if _demo_missing(warehouse):
        # Building the demo takes a while; start now so the first data tool waits less.
        threading.Thread(target=_warm_up, args=(state,), daemon=True, name="demo-build").start()
    try:
        if transport == "http":
            from server.http import serve_http

            assert token is not None
            serve_http(server, host, port, token)
        else:
            server.run("stdio")
    finally:
        state.close()


def _token(transport: Transport, token_file: Path | None) -> str | None:
    if transport != "http":
        return None
    from server.auth import load_token

    return load_token(token_file)


def _check_warehouse(flag: str | None) -> None:
    """A configured warehouse that doesn't exist fails now, not at the first tool call."""
    if flag or os.environ.get(config.WAREHOUSE_ENV):
        config.warehouse_path(flag)


def _demo_missing(flag: str | None) -> bool:
    configured = flag or os.environ.get(config.WAREHOUSE_ENV)
    return not configured and not config.default_demo_path().is_file()


def _warm_up(state: ServerState) -> None:
    log.warning("no warehouse configured; building the demo warehouse (first run only)")
    try:
        state.engine()
    except Exception as error:  # the first tool call reports it again, to the client
        log.error("could not open the warehouse: %s", error)

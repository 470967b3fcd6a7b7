"""`recsight serve`: the MCP server for Claude Desktop and other MCP clients."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Literal

import typer

from recsight.cli import options as opt


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    transport: Annotated[
        Literal["stdio", "http"],
        typer.Option(help="stdio for a desktop client; http for shared use (needs a token)."),
    ] = "stdio",
    host: Annotated[str, typer.Option(help="HTTP: address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP: port to listen on.")] = 8765,
    warehouse: opt.WarehouseOpt = None,
    model: opt.Model = None,
    token_file: Annotated[
        Path | None,
        typer.Option(
            help="HTTP: file holding the bearer token clients must send [default: the "
            "RECSIGHT_MCP_TOKEN environment variable]."
        ),
    ] = None,
) -> None:
    """Serve the semantic layer to MCP clients: tools, resources and prompts.

    stdio (the default) is for Claude Desktop and other local clients; stdout carries only the
    protocol and logs go to stderr. `--transport http` serves streamable HTTP at
    http://HOST:PORT/mcp; every request needs `Authorization: Bearer <token>`.

    Example: `RECSIGHT_MCP_TOKEN=... recsight serve --transport http --port 8765`
    """
    from server.main import run

    if not os.environ.get("RECSIGHT_LOG"):
        # An operator wants each tool call's duration and outcome, not just warnings.
        for name in ("server", "uvicorn.error"):
            logging.getLogger(name).setLevel(logging.INFO)
    run(
        transport,
        host=host,
        port=port,
        warehouse=warehouse,
        model=model,
        token_file=token_file,
    )

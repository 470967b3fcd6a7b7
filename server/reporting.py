"""Every tool call is timed and logged, and recsight's errors become tool errors for the model."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import ValidationError

from semantic_layer.errors import UserError
from server.errors import invalid_arguments

log = logging.getLogger(__name__)
P = ParamSpec("P")


def reported(tool: Callable[P, CallToolResult]) -> Callable[P, CallToolResult]:
    """Log the call's duration and outcome (never its arguments: they are the user's data)."""

    @functools.wraps(tool)
    def run(*args: P.args, **kwargs: P.kwargs) -> CallToolResult:
        started = time.perf_counter()
        name = tool.__name__
        try:
            outcome = tool(*args, **kwargs)
        except UserError as error:
            log.info("%s refused in %.0f ms: %s", name, _ms(started), type(error).__name__)
            raise ToolError(error.render()) from None
        except ValidationError as error:
            log.info("%s refused in %.0f ms: invalid arguments", name, _ms(started))
            raise ToolError(invalid_arguments(name, error)) from None
        except Exception:
            log.exception("%s failed in %.0f ms", name, _ms(started))
            raise ToolError(
                f"recsight hit an internal error while running {name}. This is a bug in "
                "recsight, not a problem with your arguments; try a simpler request."
            ) from None
        log.info("%s answered in %.0f ms", name, _ms(started))
        return outcome

    return run


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000

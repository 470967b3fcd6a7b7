"""The Slack Web API client: where it points, and how it retries.

Slack's own 500/503s, rate limits and dropped connections are retried with exponential backoff;
each retry leaves a warning in the log so an operator can see Slack struggling.
"""

from __future__ import annotations

import logging
import os

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

log = logging.getLogger(__name__)

API_URL = "SLACK_API_URL"
DEFAULT_API_URL = "https://slack.com/api/"
RETRIES = 3
BACKOFF_S = 0.5
TIMEOUT_S = 30


class _LogsRetries(RetryHandler):
    """Mixed into a retry handler: one warning per retry, naming the method and what went wrong."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        what = response.status_code if response is not None else type(error).__name__
        log.warning(
            "Slack call %s failed (%s); retry %d of %d",
            request.url.rsplit("/", 1)[-1],
            what,
            state.current_attempt + 1,
            self.max_retry_count,
        )
        super().prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )


class _ServerErrors(_LogsRetries, ServerErrorRetryHandler):
    pass


class _RateLimits(_LogsRetries, RateLimitErrorRetryHandler):
    pass


class _ConnectionErrors(_LogsRetries, ConnectionErrorRetryHandler):
    pass


def retry_handlers(backoff_s: float = BACKOFF_S) -> list[RetryHandler]:
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff_s)
    return [
        _ConnectionErrors(max_retry_count=RETRIES, interval_calculator=interval),
        _ServerErrors(max_retry_count=RETRIES, interval_calculator=interval),
        _RateLimits(max_retry_count=RETRIES),  # waits as long as Slack's Retry-After says
    ]


def web_client(bot_token: str, api_url: str | None = None) -> WebClient:
    """The Web API client; `api_url` (or SLACK_API_URL) points it elsewhere, e.g. a test server."""
    base = (api_url or os.environ.get(API_URL) or DEFAULT_API_URL).rstrip("/") + "/"
    return WebClient(
        token=bot_token, base_url=base, timeout=TIMEOUT_S, retry_handlers=retry_handlers()
    )

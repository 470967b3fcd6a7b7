"""Chat Completions over the openai SDK: timeouts, retries with backoff, errors a user can act on.

Every failure of the endpoint becomes an `EndpointError` (see `failures`); a `RequestRejected`
naming a sampling parameter is answered here by dropping that parameter and asking again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recsight.planning.llm.config import LlmSettings
from recsight.planning.llm.failures import (
    RequestRejected,
    exhausted,
    explained,
    names_an_option,
    rejected,
)
from semantic_layer.errors import EndpointError

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0


@dataclass
class Usage:
    """Tokens spent across every request of one answer."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, int] | None) -> Usage:
        data = data or {}
        return cls(**{name: int(data.get(name, 0)) for name in cls.__dataclass_fields__})

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens
        self.requests += other.requests

    def as_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "requests": self.requests,
        }


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Reply:
    content: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None


Message = dict[str, Any]


class LlmClient:
    """One endpoint and model. `usage` accumulates until the caller takes it."""

    def __init__(
        self, settings: LlmSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        import openai

        self.settings = settings
        self.usage = Usage()
        self._sleep = sleep
        # Deterministic and bounded; servers that refuse one of these by name get it dropped.
        self._sampling: dict[str, Any] = {"max_tokens": settings.max_tokens, "temperature": 0}
        # Retries are ours (see `chat`) so that backoff, Retry-After and the messages are uniform.
        self._sdk = openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    def take_usage(self) -> Usage:
        spent, self.usage = self.usage, Usage()
        return spent

    def chat(self, messages: list[Message], **options: Any) -> Reply:
        """One completion; retried on 429 and 5xx, every other failure raised as EndpointError."""
        while True:
            try:
                return self._send(messages, options)
            except RequestRejected as rejected:
                if not self._relax(rejected.detail):
                    raise

    def _relax(self, detail: str) -> bool:
        """Drop or rename a sampling parameter the server refused by name; False if none was."""
        text = detail.lower()
        if "max_tokens" in text and "max_tokens" in self._sampling:
            self._sampling["max_completion_tokens"] = self._sampling.pop("max_tokens")
        elif "temperature" in text and "temperature" in self._sampling:
            del self._sampling["temperature"]
        else:
            return False
        log.info("LLM endpoint refused a sampling parameter; now sending %s", self._sampling)
        return True

    def _send(self, messages: list[Message], options: dict[str, Any]) -> Reply:
        import openai

        attempts = self.settings.max_retries + 1
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            try:
                response = self._sdk.chat.completions.create(
                    model=self.settings.model,
                    messages=messages,  # type: ignore[arg-type]
                    **self._sampling,
                    **options,
                )
            except (openai.RateLimitError, openai.InternalServerError) as error:
                if names_an_option(error, options):
                    raise rejected(error, self.settings) from None
                if attempt == attempts:
                    raise exhausted(error, self.settings, attempts) from None
                delay = self._delay(error, attempt)
                log.warning(
                    "LLM endpoint answered %s; retry %d of %d in %.1f s",
                    error.status_code,
                    attempt,
                    attempts - 1,
                    delay,
                )
                self._sleep(delay)
                continue
            except openai.OpenAIError as error:
                raise explained(error, self.settings, self.served_models) from None
            elapsed = (time.perf_counter() - started) * 1000
            return self._read(response, elapsed)
        raise AssertionError("unreachable: the loop returns or raises")

    def _read(self, response: Any, elapsed_ms: float) -> Reply:
        choices = getattr(response, "choices", None)
        if not choices or getattr(choices[0], "message", None) is None:
            raise EndpointError(
                f"The LLM endpoint at {self.settings.base_url} sent a reply that is not a Chat "
                "Completions response (no choices).",
                hint="Check that the base URL points at an OpenAI-compatible API (usually .../v1).",
            )
        usage = getattr(response, "usage", None)
        spent = Usage(
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            total_tokens=getattr(usage, "total_tokens", 0) or 0,
            requests=1,
        )
        self.usage.add(spent)
        log.info(
            "LLM %s answered in %.0f ms (%d tokens)",
            self.settings.model,
            elapsed_ms,
            spent.total_tokens,
        )
        message = choices[0].message
        log.debug("LLM reply: %.500r", getattr(message, "content", None))
        calls = [
            ToolCall(
                id=str(getattr(c, "id", "") or f"call_{i}"),
                name=str(getattr(c.function, "name", "") or ""),
                arguments=str(getattr(c.function, "arguments", "") or ""),
            )
            for i, c in enumerate(getattr(message, "tool_calls", None) or [])
            if getattr(c, "function", None) is not None
        ]
        return Reply(getattr(message, "content", None), calls, choices[0].finish_reason)

    def _delay(self, error: openai.APIStatusError, attempt: int) -> float:
        header = error.response.headers.get("retry-after", "")
        try:
            asked = float(header)
        except ValueError:
            asked = 0.0
        backoff = self.settings.backoff_s * 2 ** (attempt - 1)
        return min(max(asked, backoff), MAX_BACKOFF_S)

    def served_models(self) -> list[str]:
        """The endpoint's model list, or [] when it has none to offer."""
        import openai

        try:
            return sorted(m.id for m in self._sdk.models.list())
        except (openai.OpenAIError, AttributeError, TypeError):
            return []

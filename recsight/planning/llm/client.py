"""Chat Completions over the openai SDK: timeouts, retries with backoff, errors a user can act on.

Every failure of the endpoint becomes an `EndpointError` whose message says what happened and what
to change; `RequestRejected` (a 400/422) is kept apart because the planner answers it by trying a
simpler request format rather than giving up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recsight.planning.llm.config import KEY_ENV, MODEL_ENV, TIMEOUT_ENV, LlmSettings
from semantic_layer.errors import EndpointError, closest

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0


class RequestRejected(EndpointError):
    """The endpoint refused this request's shape (HTTP 400 or 422), e.g. a response format."""

    def __init__(self, message: str, *, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        super().__init__(message)


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
                if _names_an_option(error, options):
                    raise self._rejected(error) from None
                if attempt == attempts:
                    raise self._exhausted(error, attempts) from None
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
                raise self._explain(error) from None
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

    def _exhausted(self, error: openai.APIStatusError, attempts: int) -> EndpointError:
        what = "is rate-limiting us" if error.status_code == 429 else "keeps failing"
        return EndpointError(
            f"The LLM endpoint at {self.settings.base_url} {what} (HTTP {error.status_code} "
            f"on all {attempts} attempts): {_detail(error)}",
            hint="Try again later, or raise max_retries in the LLM config file.",
        )

    def _explain(self, error: Exception) -> EndpointError:
        import openai

        url, model = self.settings.base_url, self.settings.model
        if isinstance(error, openai.APITimeoutError):
            return EndpointError(
                f"The LLM endpoint at {url} did not answer within {self.settings.timeout_s:g} s.",
                hint=f"Raise {TIMEOUT_ENV} (seconds) for a slow local model, or try again.",
            )
        if isinstance(error, openai.APIConnectionError):
            return EndpointError(
                f"Could not reach the LLM endpoint at {url} ({_cause(error)}).",
                hint=f"Is the server running? The URL comes from {self.settings.source}.",
            )
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            return EndpointError(
                f"The LLM endpoint at {url} refused the API key (HTTP {error.status_code}).",
                hint=f"Check {KEY_ENV} (or api_key in the LLM config file).",
            )
        if isinstance(error, openai.NotFoundError):
            return self._missing_model(error)
        if isinstance(error, openai.BadRequestError | openai.UnprocessableEntityError):
            return self._rejected(error)
        if isinstance(error, openai.APIStatusError):
            return EndpointError(
                f"The LLM endpoint at {url} answered HTTP {error.status_code}: {_detail(error)}"
            )
        return EndpointError(
            f"The LLM endpoint at {url} sent a reply recsight could not read "
            f"({type(error).__name__}).",
            hint=f"Check that {url} is an OpenAI-compatible Chat Completions API for '{model}'.",
        )

    def _rejected(self, error: openai.APIStatusError) -> RequestRejected:
        detail = _detail(error)
        return RequestRejected(
            f"The LLM endpoint at {self.settings.base_url} refused the request "
            f"(HTTP {error.status_code}): {detail}",
            status=error.status_code,
            detail=detail,
        )

    def _missing_model(self, error: openai.APIStatusError) -> EndpointError:
        url, model = self.settings.base_url, self.settings.model
        served = self.served_models()
        if served:
            near = closest(model, served, limit=1)
            guess = f" Did you mean '{near[0]}'?" if near else ""
            listed = ", ".join(served[:12])
            return EndpointError(
                f"Model '{model}' is not served at {url}.{guess} It serves: {listed}.",
                hint=f"Set {MODEL_ENV} to one of them.",
            )
        return EndpointError(
            f"The LLM endpoint at {url} answered 404 for model '{model}': {_detail(error)}",
            hint=f"Check {MODEL_ENV}, and that the base URL ends where the API starts "
            "(usually .../v1).",
        )

    def served_models(self) -> list[str]:
        """The endpoint's model list, or [] when it has none to offer."""
        import openai

        try:
            return sorted(m.id for m in self._sdk.models.list())
        except (openai.OpenAIError, AttributeError, TypeError):
            return []


def _names_an_option(error: openai.APIStatusError, options: dict[str, Any]) -> bool:
    """A server error that names an option we sent is about that option, not a passing fault.
    Some servers answer an unsupported response format with a 500 rather than a 400."""
    text = f"{error.message} {error.body}".lower()
    return any(name.lower() in text for name in options)


def _detail(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _short(str(inner["message"]))
        if isinstance(inner, str):
            return _short(inner)
        if body.get("detail"):
            return _short(str(body["detail"]))
    return _short(error.message)


def _cause(error: Exception) -> str:
    cause = error.__cause__ or error.__context__
    return _short(str(cause)) if cause and str(cause) else "connection failed"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

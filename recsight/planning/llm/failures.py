"""What an endpoint failure means to the user: the openai SDK's exceptions as EndpointErrors that
say what happened and what to change. The API key never appears in a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from recsight.planning.llm.config import KEY_ENV, MODEL_ENV, TIMEOUT_ENV, LlmSettings
from semantic_layer.errors import EndpointError, closest

if TYPE_CHECKING:
    import openai


class RequestRejected(EndpointError):
    """The endpoint refused this request's shape (HTTP 400 or 422), e.g. a response format.
    The planner answers it by asking in a simpler format rather than giving up."""

    def __init__(self, message: str, *, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        super().__init__(message)


def exhausted(error: openai.APIStatusError, settings: LlmSettings, attempts: int) -> EndpointError:
    """Every retry of a 429 or 5xx was used up."""
    what = "is rate-limiting us" if error.status_code == 429 else "keeps failing"
    return EndpointError(
        f"The LLM endpoint at {settings.base_url} {what} (HTTP {error.status_code} "
        f"on all {attempts} attempts): {error_detail(error)}",
        hint="Try again later, or raise max_retries in the LLM config file.",
    )


def explained(
    error: Exception, settings: LlmSettings, served_models: Callable[[], list[str]]
) -> EndpointError:
    """Any other SDK failure, as what happened and what to change."""
    import openai

    url, model = settings.base_url, settings.model
    if isinstance(error, openai.APITimeoutError):
        return EndpointError(
            f"The LLM endpoint at {url} did not answer within {settings.timeout_s:g} s.",
            hint=f"Raise {TIMEOUT_ENV} (seconds) for a slow local model, or try again.",
        )
    if isinstance(error, openai.APIConnectionError):
        return EndpointError(
            f"Could not reach the LLM endpoint at {url} ({_cause(error)}).",
            hint=f"Is the server running? The URL comes from {settings.source}.",
        )
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return EndpointError(
            f"The LLM endpoint at {url} refused the API key (HTTP {error.status_code}).",
            hint=f"Check {KEY_ENV} (or api_key in the LLM config file).",
        )
    if isinstance(error, openai.NotFoundError):
        return _missing_model(error, settings, served_models)
    if isinstance(error, openai.BadRequestError | openai.UnprocessableEntityError):
        return rejected(error, settings)
    if isinstance(error, openai.APIStatusError):
        return EndpointError(
            f"The LLM endpoint at {url} answered HTTP {error.status_code}: {error_detail(error)}"
        )
    return EndpointError(
        f"The LLM endpoint at {url} sent a reply recsight could not read ({type(error).__name__}).",
        hint=f"Check that {url} is an OpenAI-compatible Chat Completions API for '{model}'.",
    )


def rejected(error: openai.APIStatusError, settings: LlmSettings) -> RequestRejected:
    """A 400 or 422, or a server error that names an option we sent."""
    text = error_detail(error)
    return RequestRejected(
        f"The LLM endpoint at {settings.base_url} refused the request "
        f"(HTTP {error.status_code}): {text}",
        status=error.status_code,
        detail=text,
    )


def _missing_model(
    error: openai.APIStatusError, settings: LlmSettings, served_models: Callable[[], list[str]]
) -> EndpointError:
    url, model = settings.base_url, settings.model
    served = served_models()
    if served:
        near = closest(model, served, limit=1)
        guess = f" Did you mean '{near[0]}'?" if near else ""
        listed = ", ".join(served[:12])
        return EndpointError(
            f"Model '{model}' is not served at {url}.{guess} It serves: {listed}.",
            hint=f"Set {MODEL_ENV} to one of them.",
        )
    return EndpointError(
        f"The LLM endpoint at {url} answered 404 for model '{model}': {error_detail(error)}",
        hint=f"Check {MODEL_ENV}, and that the base URL ends where the API starts "
        "(usually .../v1).",
    )


def names_an_option(error: openai.APIStatusError, options: dict[str, Any]) -> bool:
    """A server error that names an option we sent is about that option, not a passing fault.
    Some servers answer an unsupported response format with a 500 rather than a 400."""
    text = f"{error.message} {error.body}".lower()
    return any(name.lower() in text for name in options)


def error_detail(error: openai.APIStatusError) -> str:
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

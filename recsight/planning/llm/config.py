"""Whether an LLM is configured, and how to reach it: environment first, then a TOML file.

With no base URL and no API key anywhere, `load_settings()` returns None and recsight never builds
a client, so no question, catalog or number leaves the machine.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recsight import config
from semantic_layer.errors import EndpointError, unknown_name

log = logging.getLogger(__name__)

BASE_URL_ENV = "RECSIGHT_LLM_BASE_URL"
KEY_ENV = "OPENAI_API_KEY"
MODEL_ENV = "RECSIGHT_LLM_MODEL"
TIMEOUT_ENV = "RECSIGHT_LLM_TIMEOUT"
CONFIG_ENV = "RECSIGHT_LLM_CONFIG"
SWITCH_ENV = "RECSIGHT_LLM"
"""`RECSIGHT_LLM=off` turns the LLM off even when a key is set for other tools."""

CONFIG_FILE = "llm.toml"
OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
# Local servers (llama.cpp, LM Studio) accept any key; the SDK insists on one being set.
PLACEHOLDER_KEY = "not-needed"

OutputMode = Literal["auto", "tools", "json_schema", "json_object_schema", "json_object", "text"]


class FileSettings(BaseModel):
    """What `llm.toml` may set. Every key is optional; the environment wins over the file."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    api_key: str | None = None
    api_key_env: str | None = Field(default=None, description="Read the key from this variable.")
    model: str | None = None
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=1.0, ge=0)
    repair_rounds: int = Field(default=2, ge=0, le=10)
    value_lookups: int = Field(default=3, ge=0, le=10)
    sql_fallback: bool = True
    phrasing: bool = True
    output: OutputMode = "auto"
    prompt_version: str = "v1"
    max_tokens: int = Field(default=1024, ge=64)


@dataclass(frozen=True)
class LlmSettings:
    """A configured endpoint. `api_key` is kept out of repr so it never reaches a log line."""

    base_url: str
    model: str
    api_key: str = field(repr=False)
    source: str
    """Where the configuration came from, for error messages: an env var or the file's path."""
    timeout_s: float = 60.0
    max_retries: int = 3
    backoff_s: float = 1.0
    repair_rounds: int = 2
    value_lookups: int = 3
    sql_fallback: bool = True
    phrasing: bool = True
    output: OutputMode = "auto"
    prompt_version: str = "v1"
    max_tokens: int = 1024


def config_file(environ: dict[str, str] | None = None) -> Path:
    """`RECSIGHT_LLM_CONFIG`, or `llm.toml` in recsight's data directory."""
    override = (os.environ if environ is None else environ).get(CONFIG_ENV)
    return Path(override).expanduser() if override else config.data_dir() / CONFIG_FILE


def load_settings(env: dict[str, str] | None = None) -> LlmSettings | None:
    """The endpoint to use, or None when no base URL and no key is configured anywhere."""
    environ = dict(os.environ if env is None else env)
    if environ.get(SWITCH_ENV, "").strip().lower() in {"off", "0", "false", "no"}:
        return None
    path = config_file(environ)
    file = _read_file(path)
    base_url = environ.get(BASE_URL_ENV) or file.base_url
    key = _api_key(environ, file)
    if not base_url and not key:
        return None
    source = _source(environ, path)
    return LlmSettings(
        base_url=(base_url or OPENAI_URL).rstrip("/"),
        model=environ.get(MODEL_ENV) or file.model or DEFAULT_MODEL,
        api_key=key or PLACEHOLDER_KEY,
        source=source,
        timeout_s=_timeout(environ, file.timeout_s),
        max_retries=file.max_retries,
        backoff_s=file.backoff_s,
        repair_rounds=file.repair_rounds,
        value_lookups=file.value_lookups,
        sql_fallback=file.sql_fallback,
        phrasing=file.phrasing,
        output=file.output,
        prompt_version=file.prompt_version,
        max_tokens=file.max_tokens,
    )


def _read_file(path: Path) -> FileSettings:
    if not path.is_file():
        return FileSettings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise EndpointError(f"LLM config file '{path}' could not be read: {error}.") from None
    unknown = [k for k in raw if k not in FileSettings.model_fields]
    if unknown:
        raise EndpointError(
            f"LLM config file '{path}': "
            + unknown_name("setting", unknown[0], FileSettings.model_fields)
        )
    try:
        return FileSettings.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EndpointError(f"LLM config file '{path}': {where}: {first['msg']}.") from None


def _api_key(environ: dict[str, str], file: FileSettings) -> str | None:
    if file.api_key_env:
        return environ.get(file.api_key_env) or None
    return environ.get(KEY_ENV) or file.api_key or None


def _timeout(environ: dict[str, str], default: float) -> float:
    text = environ.get(TIMEOUT_ENV)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise EndpointError(
            f"{TIMEOUT_ENV}='{text}' is not a positive number of seconds.", hint="e.g. 60"
        )
    return value


def _source(environ: dict[str, str], path: Path) -> str:
    if environ.get(BASE_URL_ENV):
        return BASE_URL_ENV
    if path.is_file():
        return str(path)
    return KEY_ENV

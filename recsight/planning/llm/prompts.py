"""Prompt files from the top-level `prompts/` folder, one folder per task and version."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from string import Template

from semantic_layer.errors import EndpointError, unknown_name


@dataclass(frozen=True)
class PromptSet:
    task: str
    version: str
    files: dict[str, str]

    def render(self, name: str, **values: object) -> str:
        """`name.md` with its `$placeholders` filled; a missing placeholder is a bug, so raises."""
        return Template(self.files[f"{name}.md"]).substitute(values).strip()

    def table(self, name: str) -> dict[str, str]:
        """The strings of `name.toml`."""
        return {k: str(v).strip() for k, v in tomllib.loads(self.files[f"{name}.toml"]).items()}

    def message(self, table: str, key: str, **values: object) -> str:
        return Template(self.table(table)[key]).substitute(values).strip()


def load_prompts(task: str, version: str) -> PromptSet:
    return _load(task, version)


@lru_cache(maxsize=16)
def _load(task: str, version: str) -> PromptSet:
    root = resources.files("prompts").joinpath(task)
    versions = (
        sorted(entry.name for entry in root.iterdir() if entry.is_dir()) if root.is_dir() else []
    )
    if version not in versions:
        raise EndpointError(
            unknown_name("prompt version", version, versions, where=f"for {task}"),
            hint="Set prompt_version in the LLM config file.",
        )
    folder = root.joinpath(version)
    return PromptSet(task, version, _read(folder))


def _read(folder: Traversable) -> dict[str, str]:
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith((".md", ".toml"))
    }

"""Whether an LLM is on, and where it points: environment first, then the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsight.planning.llm.config import OPENAI_URL, load_settings
from semantic_layer.errors import EndpointError


def test_with_no_url_and_no_key_the_llm_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", "gpt-4o")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # the SDK's variable, not ours

    assert load_settings() is None


def test_a_key_alone_means_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")

    settings = load_settings()

    assert settings is not None
    assert settings.base_url == OPENAI_URL and settings.model == "gpt-4o-mini"
    assert "sk-test" not in repr(settings)


def test_a_local_url_alone_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECSIGHT_LLM_BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", "qwen2.5:7b")

    settings = load_settings()

    assert settings is not None
    assert settings.base_url == "http://localhost:11434/v1" and settings.model == "qwen2.5:7b"


def test_recsight_llm_off_wins_over_a_key_set_for_other_tools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("RECSIGHT_LLM", "off")

    assert load_settings() is None


def test_the_config_file_in_the_data_directory_configures_the_llm(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "llm.toml").write_text(
        'base_url = "http://127.0.0.1:1234/v1"\nmodel = "local"\nrepair_rounds = 4\n'
        'api_key_env = "MY_LLM_KEY"\n',
        encoding="utf-8",
    )

    settings = load_settings({"RECSIGHT_HOME": str(home), "MY_LLM_KEY": "secret"})

    assert settings is not None
    assert (settings.base_url, settings.model, settings.repair_rounds) == (
        "http://127.0.0.1:1234/v1",
        "local",
        4,
    )
    assert settings.api_key == "secret"


def test_the_environment_wins_over_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "llm.toml"
    config.write_text('base_url = "http://file/v1"\nmodel = "from-file"\n', encoding="utf-8")

    settings = load_settings({"RECSIGHT_LLM_CONFIG": str(config), "RECSIGHT_LLM_MODEL": "from-env"})

    assert settings is not None and settings.model == "from-env"
    assert settings.base_url == "http://file/v1"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('bas_url = "http://x"', "Unknown setting 'bas_url'. Did you mean 'base_url'?"),
        ("repair_rounds = -1", "repair_rounds: Input should be greater than or equal to 0"),
        ("model = ", "could not be read"),
    ],
)
def test_a_bad_config_file_is_one_clear_error_naming_the_file(
    text: str, says: str, tmp_path: Path
) -> None:
    config = tmp_path / "llm.toml"
    config.write_text(text, encoding="utf-8")

    with pytest.raises(EndpointError) as failure:
        load_settings({"RECSIGHT_LLM_CONFIG": str(config)})

    assert str(config) in str(failure.value) and says in str(failure.value)

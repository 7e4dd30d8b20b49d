"""LLM settings: precedence, masking, key file permissions, keys never in repr or logs."""

import logging
import stat

import pytest

from drafter import paths
from drafter.exceptions import LLMError, UsageError
from drafter.llm.config import (
    LLMSettings,
    key_file_too_open,
    key_path,
    masked,
    resolve_settings,
    save_setting,
    unset_setting,
)

KEY = "sk-live-abcdefghijklmnop9876"


def write_config(text: str) -> None:
    paths.config_path().write_text(text, encoding="utf-8")


def test_defaults_when_nothing_is_set():
    settings = resolve_settings()
    assert settings == LLMSettings()
    assert (settings.timeout, settings.max_retries, settings.concurrency) == (60.0, 3, 8)
    assert not settings.is_configured()
    assert set(settings.sources.values()) == {"默认值"}


def test_precedence_option_then_env_then_config_then_key_file(monkeypatch):
    write_config("base_url: http://config.example/v1\nmodel: config-model\ntimeout: 30\napi_key: sk-from-config-file-0000\n")
    key_path().write_text("api_key: sk-from-key-file-1111\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_MODEL", "env-model")
    monkeypatch.setenv("DRAFTER_TIMEOUT", "45")
    settings = resolve_settings({"timeout": 10, "temperature": None})
    assert settings.timeout == 10.0 and settings.sources["timeout"] == "命令行选项"
    assert settings.model == "env-model" and settings.sources["model"] == "环境变量 DRAFTER_MODEL"
    assert settings.base_url == "http://config.example/v1" and settings.sources["base_url"].startswith("配置文件")
    assert settings.api_key == "sk-from-config-file-0000"  # the config file comes before the key file
    assert settings.temperature == 0.3 and settings.sources["temperature"] == "默认值"  # None = not given


def test_key_file_supplies_the_key():
    save_setting("api_key", KEY)
    settings = resolve_settings()
    assert settings.api_key == KEY and settings.sources["api_key"].startswith("密钥文件")


@pytest.mark.parametrize("name", ["base_url", "api_key"])
def test_drafter_variable_beats_openai_variable(monkeypatch, name):
    upper = name.upper()
    monkeypatch.setenv(f"OPENAI_{upper}", "http://openai.example/v1" if name == "base_url" else "sk-openai-000000000")
    assert resolve_settings().sources[name] == f"环境变量 OPENAI_{upper}"
    monkeypatch.setenv(f"DRAFTER_{upper}", "http://drafter.example/v1" if name == "base_url" else "sk-drafter-00000000")
    assert resolve_settings().sources[name] == f"环境变量 DRAFTER_{upper}"


def test_empty_environment_variable_is_ignored(monkeypatch):
    monkeypatch.setenv("DRAFTER_MODEL", "  ")
    write_config("model: from-file\n")
    assert resolve_settings().model == "from-file"


@pytest.mark.parametrize(
    ("var", "raw", "field", "expected"),
    [
        ("DRAFTER_TEMPERATURE", "0.7", "temperature", 0.7),
        ("DRAFTER_MAX_RETRIES", "0", "max_retries", 0),
        ("DRAFTER_CONCURRENCY", "8", "concurrency", 8),
        ("DRAFTER_STREAMING", "true", "streaming", True),
        ("DRAFTER_STREAMING", "否", "streaming", False),
        ("DRAFTER_BASE_URL", "http://127.0.0.1:8080/v1/", "base_url", "http://127.0.0.1:8080/v1"),
    ],
)
def test_environment_values_are_parsed(monkeypatch, var, raw, field, expected):
    monkeypatch.setenv(var, raw)
    assert getattr(resolve_settings(), field) == expected


@pytest.mark.parametrize(
    ("var", "raw"),
    [("DRAFTER_TIMEOUT", "abc"), ("DRAFTER_TIMEOUT", "0"), ("DRAFTER_TEMPERATURE", "5"),
     ("DRAFTER_CONCURRENCY", "0"), ("DRAFTER_STREAMING", "maybe"), ("DRAFTER_BASE_URL", "api.deepseek.com")],
)
def test_bad_environment_value_names_the_variable(monkeypatch, var, raw):
    monkeypatch.setenv(var, raw)
    with pytest.raises(UsageError) as info:
        resolve_settings()
    assert var in str(info.value) and "drafter config set" in str(info.value)


def test_broken_config_file_says_how_to_fix():
    write_config("model: [unclosed\n")
    with pytest.raises(UsageError, match=r"配置文件.*第 \d+ 行"):
        resolve_settings()


def test_unknown_option_is_refused():
    with pytest.raises(UsageError, match="未知的设置项"):
        resolve_settings({"modle": "x"})


def test_settings_are_read_lazily_not_at_import(tmp_path):
    import subprocess
    import sys

    home = tmp_path / "h"
    home.mkdir()
    (home / "config.yaml").write_text("model: [broken\n", encoding="utf-8")
    code = "import drafter.llm, drafter.llm.config; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"DRAFTER_HOME": str(home), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "ok", out.stderr


@pytest.mark.parametrize(
    ("key", "shown"),
    [("sk-abcdefghijklmnopa1b2", "sk-…a1b2"), ("abcd", "…****"), ("", ""), (None, "")],
)
def test_masked(key, shown):
    assert masked(key) == shown


def test_key_never_in_repr_str_or_public_dict():
    settings = LLMSettings(base_url="http://x/v1", api_key=KEY, model="m")
    for text in (repr(settings), str(settings), f"{settings}", str(settings.public_dict())):
        assert KEY not in text
        assert "sk-…9876" in text


def test_key_never_in_logs(caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("DRAFTER_API_KEY", KEY)
    settings = resolve_settings()
    logging.getLogger("drafter.test").info("settings: %s", settings)
    assert KEY not in caplog.text


def test_key_file_is_private_and_config_file_has_no_key():
    write_config("model: m\napi_key: sk-old-key-in-config-000\n")
    path, value = save_setting("api_key", KEY)
    assert path == key_path() and value == KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KEY in path.read_text(encoding="utf-8")
    config_text = paths.config_path().read_text(encoding="utf-8")
    assert "api_key" not in config_text and "model: m" in config_text  # moved out, so it cannot shadow
    assert not key_file_too_open()


def test_key_file_opened_by_hand_is_noticed():
    save_setting("api_key", KEY)
    key_path().chmod(0o644)
    assert key_file_too_open()


def test_save_setting_validates_and_round_trips():
    save_setting("timeout", "120")
    save_setting("streaming", "开")
    save_setting("base_url", "https://api.deepseek.com/v1/")
    settings = resolve_settings()
    assert (settings.timeout, settings.streaming, settings.base_url) == (120.0, True, "https://api.deepseek.com/v1")
    with pytest.raises(UsageError, match="请重新运行 drafter config set max_retries"):
        save_setting("max_retries", "many")
    with pytest.raises(UsageError, match="未知的设置项"):
        save_setting("colour", "blue")


def test_unset_removes_a_stored_setting():
    save_setting("model", "m")
    save_setting("api_key", KEY)
    assert unset_setting("model") and unset_setting("api_key")
    assert not unset_setting("model")
    assert resolve_settings() == LLMSettings()


def test_configured_needs_base_url_and_model_but_no_key():
    assert LLMSettings(base_url="http://127.0.0.1:8080/v1", model="local").is_configured()
    assert not LLMSettings(base_url="http://127.0.0.1:8080/v1").is_configured()


def test_unconfigured_error_names_both_ways_to_fix():
    with pytest.raises(LLMError) as info:
        LLMSettings(model="m").require_configured()
    message = str(info.value)
    assert "DRAFTER_BASE_URL" in message and "drafter config set base_url" in message
    assert "model" not in message.split("。")[0]  # only what is missing is named


@pytest.mark.parametrize(("base_url", "key", "in_clear"), [
    ("http://10.0.0.8:8000/v1", KEY, True),
    ("http://llm.example.cn/v1", KEY, True),
    ("https://llm.example.cn/v1", KEY, False),
    ("http://127.0.0.1:8080/v1", KEY, False),
    ("http://127.8.0.1:8080/v1", KEY, False),
    ("http://localhost:11434/v1", KEY, False),
    ("http://[::1]:8080/v1", KEY, False),
    ("http://10.0.0.8:8000/v1", "", False),  # no key, nothing secret to send
])
def test_a_key_over_plain_http_to_another_host_is_refused_unless_allowed(base_url, key, in_clear):
    from drafter.llm.config import insecure_warning, sends_key_in_clear

    settings = LLMSettings(base_url=base_url, api_key=key, model="m")
    assert sends_key_in_clear(settings) is in_clear
    if not in_clear:
        assert insecure_warning(settings) is None
        return
    with pytest.raises(LLMError, match="--allow-insecure") as info:
        insecure_warning(settings)
    assert KEY not in str(info.value)
    settings.allow_insecure = True
    assert "明文" in insecure_warning(settings)


def test_allow_insecure_from_the_environment_or_the_run(monkeypatch):
    from drafter.llm.config import allow_insecure_for_this_run

    monkeypatch.setenv("DRAFTER_ALLOW_INSECURE", "")  # an empty variable is unset; restored after the test
    assert resolve_settings().allow_insecure is False
    allow_insecure_for_this_run()
    assert resolve_settings().allow_insecure is True


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("first_token_timeout", "300", 300.0), ("deadline", "0", 0.0), ("n_ctx", "8192", 8192),
    ("allow_insecure", "true", True),
])
def test_transport_settings_parse(name, raw, expected):
    save_setting(name, raw)
    assert getattr(resolve_settings(), name) == expected


@pytest.mark.parametrize(("name", "raw"), [("first_token_timeout", "0"), ("deadline", "-1"), ("n_ctx", "big")])
def test_bad_transport_settings_are_refused_in_chinese(name, raw):
    with pytest.raises(UsageError, match=name):
        save_setting(name, raw)


@pytest.mark.parametrize(("url", "shown"), [
    ("https://user:pa55word@llm.example.cn/v1", "https://***@llm.example.cn/v1"),
    ("https://llm.example.cn/v1?api-key=abc123&x=1", "https://llm.example.cn/v1?api-key=***&x=1"),
    ("https://llm.example.cn/v1", "https://llm.example.cn/v1"),
])
def test_credentials_inside_the_base_url_are_never_shown(url, shown):
    from drafter.llm.config import shown_url
    from drafter.llm.failures import scrub

    settings = LLMSettings(base_url=url, model="m")
    assert shown_url(url) == shown and scrub(f"无法连接 {url}") == f"无法连接 {shown}"
    assert "pa55word" not in repr(settings) + str(settings.public_dict()) and "abc123" not in repr(settings)


@pytest.mark.parametrize(("name", "raw"), [("api_key", "sk-abc中文def123456"), ("api_key", "sk-abc def123456"),
                                           ("api_key", "sk-abc\u200bdef123456"), ("base_url", "http://exa mple.cn/v1")])
def test_values_an_http_request_cannot_carry_are_refused(name, raw):
    with pytest.raises(UsageError) as info:
        save_setting(name, raw)
    assert "abc中文def" not in str(info.value)

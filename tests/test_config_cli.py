"""`drafter config` through the real CLI (a subprocess), against the fake OpenAI server."""

import json
import stat
import subprocess
import sys

import pytest

from drafter import paths
from tests.conftest import CliResult, run_cli
from tests.fake_openai import Reply

KEY = "sk-cli-0123456789abcdefQRST"


def run(*args: str) -> CliResult:
    # In process (conftest.run_cli): DRAFTER_HOME (isolated per test) and monkeypatched variables apply.
    return run_cli("config", *args)


def configure(server, monkeypatch, **extra: str) -> None:
    monkeypatch.setenv("DRAFTER_BASE_URL", server.base_url)
    monkeypatch.setenv("DRAFTER_MODEL", "fake-model")
    monkeypatch.setenv("DRAFTER_API_KEY", KEY)
    for name, value in extra.items():
        monkeypatch.setenv(name, value)


def test_show_is_the_default_and_explains_how_to_configure():
    result = run()
    assert result.returncode == 0, result.stderr
    assert "尚未配置大模型" in result.stdout and "drafter config set base_url" in result.stdout
    assert "DRAFTER_BASE_URL" in result.stdout


def test_set_then_show_masks_the_key_and_names_sources(monkeypatch):
    assert run("set", "base_url", "https://api.example.cn/v1").returncode == 0
    assert run("set", "model", "deepseek-chat").returncode == 0
    result = run("set", "api_key", KEY)
    assert result.returncode == 0 and KEY not in result.stdout and "sk-…QRST" in result.stdout
    key_file = paths.home() / "keys.yaml"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    monkeypatch.setenv("DRAFTER_TIMEOUT", "90")
    shown = run("show")
    assert shown.returncode == 0
    assert KEY not in shown.stdout and "sk-…QRST" in shown.stdout
    assert "deepseek-chat" in shown.stdout and "DRAFTER_TIMEOUT" in shown.stdout and "密钥文件" in shown.stdout
    assert "drafter config test" in shown.stdout


def test_show_json_is_masked(monkeypatch):
    monkeypatch.setenv("DRAFTER_API_KEY", KEY)
    result = run("show", "--format", "json")
    data = json.loads(result.stdout)
    assert data["settings"]["api_key"] == "sk-…QRST" and KEY not in result.stdout
    assert data["sources"]["api_key"] == "环境变量 DRAFTER_API_KEY" and data["configured"] is False


def test_set_warns_when_an_environment_variable_overrides_it(monkeypatch):
    monkeypatch.setenv("DRAFTER_MODEL", "env-model")
    result = run("set", "model", "file-model")
    assert result.returncode == 0 and "DRAFTER_MODEL" in result.stdout


def test_bad_values_exit_2_in_chinese():
    for args, needle in ((("set", "timeout", "abc"), "超时"), (("set", "colour", "x"), "未知的设置项"),
                         (("set", "base_url", "api.example.cn"), "http://")):
        result = run(*args)
        assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_unset():
    run("set", "model", "m")
    assert "已删除" in run("unset", "model").stdout
    assert "本来就没有" in run("unset", "model").stdout


def test_test_reports_latency_reply_and_tokens(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch)
    fake_openai.default = Reply.good("收到")
    result = run("test")
    assert result.returncode == 0, result.stderr
    assert "连接成功" in result.stdout and "秒" in result.stdout
    assert "模型回复：收到" in result.stdout and "用量：提示" in result.stdout
    assert KEY not in result.stdout + result.stderr
    (req,) = fake_openai.chat_requests
    assert req.model == "fake-model" and "收到" in req.messages[-1]["content"] and req.has_auth
    assert req.body["max_tokens"] == 32  # a confused model cannot ramble for minutes


def test_test_with_model_option_and_streaming(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch, DRAFTER_STREAMING="true")
    result = run("test", "--model", "other-model")
    assert result.returncode == 0, result.stderr
    (req,) = fake_openai.chat_requests
    assert req.model == "other-model" and req.stream


def test_test_warns_on_truncation_and_disobedience(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch)
    fake_openai.default = Reply.truncated("好的，下面")
    result = run("test")
    assert result.returncode == 0
    assert "截断" in result.stdout and "没有按要求" in result.stdout
    assert result.stderr == ""  # no English log line leaks to the user


def test_test_rejected_key_exits_2_without_leaking_it(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch)
    fake_openai.expected_key = "sk-another-key-000000000"
    result = run("test")
    assert result.returncode == 2
    assert "鉴权失败" in result.stderr and "drafter config set api_key" in result.stderr
    assert KEY not in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_test_unreachable_exits_2(monkeypatch):
    monkeypatch.setenv("DRAFTER_BASE_URL", "http://127.0.0.1:9/v1")  # discard port: nothing listens
    monkeypatch.setenv("DRAFTER_MODEL", "m")
    monkeypatch.setenv("DRAFTER_MAX_RETRIES", "0")
    result = run("test")
    assert result.returncode == 2 and "连接失败" in result.stderr


def test_test_when_not_configured_names_both_fixes():
    result = run("test")
    assert result.returncode == 2
    assert "DRAFTER_BASE_URL" in result.stderr and "drafter config set base_url" in result.stderr


def test_show_does_not_import_the_llm_stack():
    code = (
        "import sys; from drafter.cli import cli\n"
        "try:\n    cli.main(['config', 'show'], standalone_mode=False)\nexcept SystemExit: pass\n"
        "print([m for m in sys.modules if m.startswith(('langchain', 'openai', 'tiktoken', 'httpx'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr


# ---------------------------------------------------------------- what is wrong, in Chinese


def test_test_on_a_web_page_says_check_v1(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch)
    fake_openai.html_everywhere = True
    result = run("test")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "这个地址返回的是网页，不是 OpenAI 兼容接口：请检查 base_url 是否以 /v1 结尾" in result.stderr
    assert not fake_openai.chat_requests  # named from the model list, before any chat request


@pytest.mark.parametrize(("reply", "env", "needle"), [
    (Reply.no_choices(), {}, "choices 为空"),
    (Reply.empty_stream(), {}, "空的应答"),
    (Reply.silent(), {"DRAFTER_FIRST_TOKEN_TIMEOUT": "0.5"}, "秒内没有开始回复"),
    (Reply.cut_stream(), {}, "中途断开"),
])
def test_test_explains_a_bad_answer(fake_openai, monkeypatch, reply, env, needle):
    configure(fake_openai, monkeypatch, **env)
    fake_openai.default = reply
    result = run("test")
    assert result.returncode == 2, result.stdout
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert KEY not in result.stdout + result.stderr


def test_test_names_a_model_the_server_does_not_have(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch, DRAFTER_MODEL="deepseek-chatt")
    fake_openai.models = ["deepseek-chat", "deepseek-reasoner"]
    fake_openai.default = Reply.error(404)
    result = run("test")
    assert result.returncode == 2
    assert "模型名 deepseek-chatt 不在接口提供的模型列表中（可用：deepseek-chat、deepseek-reasoner）" in result.stderr


def test_test_shows_the_context_size_from_llama_cpp_props(fake_openai, monkeypatch):
    configure(fake_openai, monkeypatch)
    fake_openai.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    fake_openai.model_meta = {"n_ctx_train": 32768}
    result = run("test")
    assert result.returncode == 0, result.stderr
    assert "模型上下文长度：4096 tokens（来自llama.cpp 服务的 /props）" in result.stdout


def test_plain_http_to_another_host_refuses_to_send_the_key(monkeypatch):
    monkeypatch.setenv("DRAFTER_BASE_URL", "http://llm.example.invalid/v1")  # never reached: refused first
    monkeypatch.setenv("DRAFTER_MODEL", "m")
    monkeypatch.setenv("DRAFTER_API_KEY", KEY)
    result = run("test")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "明文" in result.stderr and "--allow-insecure" in result.stderr and "allow_insecure true" in result.stderr
    assert KEY not in result.stdout + result.stderr

"""Settings from the environment: every limit an operator tunes, and what is refused."""

import os

import pytest

from flashbuy_server.config import ConfigError, Settings

URL = "sqlite+pysqlite:///unused.sqlite3"


def test_without_variables_the_defaults_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FLASHBUY_"):
            monkeypatch.delenv(name)
    assert Settings.from_env(URL) == Settings(database_url=URL)


def test_the_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASHBUY_JOIN_RATE_PER_ADDRESS", "20.5")
    monkeypatch.setenv("FLASHBUY_JOIN_BURST_PER_ADDRESS", "300")
    monkeypatch.setenv("FLASHBUY_SIGN_IN_FREE_FAILURES_PER_PAIR", "5")
    monkeypatch.setenv("FLASHBUY_COMMENT_RATE_PER_VIEWER", "2")
    monkeypatch.setenv("FLASHBUY_MAX_CONNECTIONS", "500")
    monkeypatch.setenv("FLASHBUY_HEADER_TIMEOUT_SECONDS", "5")
    settings = Settings.from_env(URL)
    assert settings.join_rate_per_address == 20.5
    assert settings.join_burst_per_address == 300
    assert settings.sign_in_free_failures_per_pair == 5
    assert settings.comment_rate_per_viewer == 2.0
    assert settings.connections.max_connections == 500
    assert settings.connections.header_seconds == 5


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("FLASHBUY_JOIN_BURST_PER_ADDRESS", "2.5", "whole number"),
        ("FLASHBUY_JOIN_BURST_PER_ADDRESS", "0", "at least 1"),
        ("FLASHBUY_JOIN_RATE_PER_ADDRESS", "fast", "a number"),
        ("FLASHBUY_JOIN_RATE_PER_ADDRESS", "-1", "at least"),
        ("FLASHBUY_JOIN_RATE_PER_ADDRESS", "inf", "at least"),
        ("FLASHBUY_JOIN_RATE_PER_ADDRESS", "nan", "at least"),
        ("FLASHBUY_MAX_CONNECTIONS", "1e9", "whole number"),
        ("FLASHBUY_BODY_TIMEOUT_SECONDS", "0", "at least 1"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable) as refused:
        Settings.from_env(URL)
    assert says in str(refused.value)

"""Settings, the token store and the background-task helper."""

import json
import threading
from pathlib import Path

import keyring.backends.fail
import pytest
from pytestqt.qtbot import QtBot

from flashbuy_desktop.credentials import TokenStore
from flashbuy_desktop.settings import SCHEMA_VERSION, ConsoleSettings
from flashbuy_desktop.ui.tasks import Tasks

# --- settings ---------------------------------------------------------------------------


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = ConsoleSettings(server_url="http://127.0.0.1:8700/", audience_viewers=12)
    settings.save(path)
    loaded = ConsoleSettings.load(path)
    assert loaded.server_url == "http://127.0.0.1:8700"
    assert loaded.audience_viewers == 12
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_missing_settings_are_defaults(tmp_path: Path) -> None:
    assert ConsoleSettings.load(tmp_path / "none.json") == ConsoleSettings()


# A file with one bad value keeps its other values: see tests/desktop/test_settings.py.
@pytest.mark.parametrize("content", ["{not json", "[]", '"settings"'])
def test_a_broken_settings_file_is_set_aside(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    assert ConsoleSettings.load(path) == ConsoleSettings()
    assert not path.exists()
    assert (tmp_path / "settings.json.broken").read_text() == content


def test_settings_refuse_bad_values() -> None:
    settings = ConsoleSettings()
    with pytest.raises(ValueError, match="http"):
        settings.server_url = "127.0.0.1:8700"
    with pytest.raises(ValueError, match="audience_viewers"):
        settings.audience_viewers = 1_000_000


def test_settings_never_hold_a_token(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    ConsoleSettings().save(path)
    assert "token" not in path.read_text().lower()


# --- tokens -----------------------------------------------------------------------------


def test_without_a_keyring_tokens_stay_in_memory(tmp_path: Path) -> None:
    store = TokenStore(backend=keyring.backends.fail.Keyring())
    assert store.persistent is False
    assert store.save("http://p", "secret-token") is False
    assert store.load("http://p") == "secret-token"
    assert TokenStore(backend=keyring.backends.fail.Keyring()).load("http://p") is None
    store.delete("http://p")
    assert store.load("http://p") is None
    # Nothing was written anywhere under the (temporary) home.
    home = Path.home()
    assert not [p for p in home.rglob("*") if p.is_file() and b"secret-token" in p.read_bytes()]


# --- tasks ------------------------------------------------------------------------------


def test_work_runs_off_the_gui_thread_and_answers_on_it(qtbot: QtBot) -> None:
    tasks = Tasks()
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    results: list[int] = []

    def on_success(value: int) -> None:
        seen["callback"] = threading.get_ident()
        results.append(value)

    tasks.run(work, on_success)
    qtbot.waitUntil(lambda: results == [42])
    assert seen["worker"] != gui
    assert seen["callback"] == gui
    assert tasks.wait()


def test_failures_reach_on_failure_or_the_sink(qtbot: QtBot) -> None:
    tasks = Tasks()
    caught: list[Exception] = []
    tasks.run(lambda: 1 / 0, None, caught.append)
    qtbot.waitUntil(lambda: len(caught) == 1)
    assert isinstance(caught[0], ZeroDivisionError)
    with qtbot.waitSignal(tasks.failed) as blocker:
        tasks.run(lambda: {}["missing"])
    assert isinstance(blocker.args[0], KeyError)
    assert tasks.wait()


def test_a_newer_task_under_the_same_key_wins(qtbot: QtBot) -> None:
    tasks = Tasks()
    release = threading.Event()
    shown: list[str] = []
    tasks.run(lambda: (release.wait(10), "old")[1], shown.append, key="capture")
    tasks.run(lambda: "new", shown.append, key="capture")
    qtbot.waitUntil(lambda: shown == ["new"])
    release.set()
    assert tasks.wait()
    qtbot.waitUntil(lambda: not tasks._relays)  # the old result arrived and was dropped
    assert shown == ["new"]

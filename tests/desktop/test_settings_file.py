"""Settings on disk: the round trip, defaults, a broken file set aside, no token ever."""

import json
from pathlib import Path

import pytest

from flashbuy_desktop.settings import SCHEMA_VERSION, ConsoleSettings

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

"""Settings schema 3: migration, newer and damaged files, hotkeys, and the settings window."""

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QToolButton

from flashbuy_desktop import settings as settings_module
from flashbuy_desktop.capture.engine import CaptureEngine
from flashbuy_desktop.capture.types import CaptureConfig
from flashbuy_desktop.diagnostics import atomic
from flashbuy_desktop.settings import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ConsoleSettings,
    Hotkeys,
    migrate,
    normalize_hotkey,
)
from flashbuy_desktop.ui.settings_window import MODEL_MESSAGES, SettingsWindow
from tests.desktop.keyboard import focused, type_into

LEFT = Qt.MouseButton.LeftButton

# Exactly what the first release (schema 1) wrote: ConsoleSettings.model_dump_json(indent=2).
V1_FILE = """{
  "schema_version": 1,
  "server_url": "https://platform.example",
  "rehearsal_audience": false,
  "audience_viewers": 12,
  "last_template_id": 7,
  "capture_frame": [
    -1280,
    200,
    640,
    360
  ]
}"""


def saved_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- migration --------------------------------------------------------------------------


def test_a_v1_file_loads_with_the_new_defaults_and_is_saved_as_v3(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(V1_FILE, encoding="utf-8")
    loaded = ConsoleSettings.load(path)
    assert loaded.schema_version == SCHEMA_VERSION == 3
    # Everything the seller had is kept...
    assert loaded.server_url == "https://platform.example"
    assert loaded.rehearsal_audience is False
    assert loaded.audience_viewers == 12
    assert loaded.last_template_id == 7
    assert loaded.capture_frame == (-1280, 200, 640, 360)
    # ...and what v2 and v3 added takes its default.
    assert loaded.language == "auto"
    assert (loaded.capture_burst, loaded.capture_interval_ms) == (3, 33)
    assert loaded.hotkeys == Hotkeys(new_full="F2", retake="F5", pause_comments="F3")
    assert loaded.global_hotkeys is False
    on_disk = saved_json(path)
    assert on_disk["schema_version"] == 3
    assert on_disk["hotkeys"] == {"new_full": "F2", "retake": "F5", "pause_comments": "F3"}
    assert on_disk["global_hotkeys"] is False
    assert on_disk["capture_frame"] == [-1280, 200, 640, 360]
    assert ConsoleSettings.load(path) == loaded
    assert not (tmp_path / "settings.json.broken").exists()
    # The file as the first release wrote it is kept, for going back to that release.
    assert (tmp_path / "settings.json.v1").read_text(encoding="utf-8") == V1_FILE


@pytest.mark.parametrize(
    ("v2_hotkeys", "retake"),
    [
        ({"new_full": "F2", "retake": "R", "pause_comments": "F3"}, "F5"),  # v2's default
        ({"retake": "r"}, "F5"),  # written by hand, the same key
        ({}, "F5"),  # not in the file: it had v2's default
        ({"retake": "T"}, "T"),  # the seller's own choice stays
        ({"retake": "Ctrl+R"}, "Ctrl+R"),
        ({"new_full": "F5", "retake": "R"}, "R"),  # F5 is taken: R stays, nothing clashes
        ({"pause_comments": "F5"}, "R"),
    ],
)
def test_a_v2_file_moves_retake_from_r_to_f5_unless_the_seller_chose_it(
    tmp_path: Path, v2_hotkeys: dict[str, str], retake: str
) -> None:
    path = tmp_path / "settings.json"
    content = json.dumps({"schema_version": 2, "capture_burst": 4, "hotkeys": v2_hotkeys})
    path.write_text(content, encoding="utf-8")
    loaded = ConsoleSettings.load(path)
    assert loaded.hotkeys.retake == retake
    # Every other hotkey is as the file had it (or its default), and no clash reset them.
    expected = {"new_full": "F2", "pause_comments": "F3", **v2_hotkeys, "retake": retake}
    assert loaded.hotkeys == Hotkeys(**expected)
    assert loaded.capture_burst == 4
    assert loaded.global_hotkeys is False  # new in v3: off until the seller turns it on
    assert saved_json(path)["schema_version"] == 3
    assert saved_json(path)["hotkeys"]["retake"] == retake
    assert (tmp_path / "settings.json.v2").read_text(encoding="utf-8") == content


def test_the_copy_of_the_old_file_is_made_once(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    (tmp_path / "settings.json.v1").write_text("the first copy", encoding="utf-8")
    path.write_text(V1_FILE, encoding="utf-8")
    ConsoleSettings.load(path)
    assert (tmp_path / "settings.json.v1").read_text(encoding="utf-8") == "the first copy"
    assert saved_json(path)["schema_version"] == SCHEMA_VERSION


def test_no_copy_no_rewrite_when_the_copy_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(V1_FILE, encoding="utf-8")
    real_write = atomic.write_atomic

    def copy_fails(target: Path, data: bytes) -> None:
        if target.name.endswith(".v1"):
            raise OSError(28, "No space left on device")
        real_write(target, data)

    monkeypatch.setattr(settings_module, "write_atomic", copy_fails)
    loaded = ConsoleSettings.load(path)
    assert loaded.audience_viewers == 12
    # Without the copy the old file is not overwritten: the next start migrates it again.
    assert path.read_text(encoding="utf-8") == V1_FILE


def test_a_migration_step_that_fails_sets_the_file_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_step(raw: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("a field the step expected")

    monkeypatch.setitem(settings_module.MIGRATIONS, 1, broken_step)
    path = tmp_path / "settings.json"
    path.write_text(V1_FILE, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="flashbuy_desktop.settings"):
        loaded = ConsoleSettings.load(path)
    assert loaded == ConsoleSettings()
    assert not path.exists()
    assert (tmp_path / "settings.json.broken").read_text(encoding="utf-8") == V1_FILE
    assert "settings of schema 1 could not be migrated" in caplog.text
    assert "a field the step expected" in caplog.text  # the traceback, for support
    # The console goes on with defaults and saves them where the file was.
    loaded.save(path)
    assert ConsoleSettings.load(path) == ConsoleSettings()


def test_every_older_version_has_a_migration_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_migrations_run_in_order_from_the_files_version(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def step(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def run(raw: dict[str, Any]) -> dict[str, Any]:
            ran.append(f"{name} saw {raw['schema_version']}")
            return {**raw, name: True}

        return run

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(
        settings_module, "MIGRATIONS", {1: step("one"), 2: step("two"), 3: step("three")}
    )
    raw = {"schema_version": 2, "kept": 1}
    migrated = migrate(raw)
    assert ran == ["two saw 2", "three saw 3"]
    assert migrated == {"schema_version": 4, "kept": 1, "two": True, "three": True}
    assert raw == {"schema_version": 2, "kept": 1}  # the caller's dict is left alone
    ran.clear()
    migrate({"kept": 1})  # no version: the first one
    assert ran == ["one saw 1", "two saw 2", "three saw 3"]


def test_a_file_from_a_newer_console_keeps_loading(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    content = json.dumps(
        {
            "schema_version": 9,
            "server_url": "https://platform.example/",
            "capture_burst": 5,
            "language": "en",
            "hotkeys": {"new_full": "F6", "zoom": "Z"},
            "theme": {"dark": True},
        }
    )
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="flashbuy_desktop.settings"):
        loaded = ConsoleSettings.load(path)
    assert loaded.server_url == "https://platform.example"
    assert loaded.capture_burst == 5
    assert loaded.language == "en"
    assert loaded.hotkeys.new_full == "F6"
    assert loaded.hotkeys.retake == "F5"  # not in the file: this console's default
    assert loaded.schema_version == 9  # still the newer console's file
    text = caplog.text
    assert "newer console (schema 9" in text
    assert "unknown setting theme kept as it is" in text
    assert "unknown setting hotkeys.zoom kept as it is" in text
    # Left as the newer console wrote it until this one has something to save.
    assert path.read_text(encoding="utf-8") == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["settings.json"]


NEWER_FILE = {
    "schema_version": 4,
    "server_url": "https://platform.example",
    "capture_burst": 5,
    "theme": {"dark": True, "accent": "#c5221f"},
    "hotkeys": {"new_full": "F6", "retake": "R", "pause_comments": "F3", "zoom": "Z"},
}


def test_settings_from_a_newer_console_survive_a_save_here(tmp_path: Path) -> None:
    # Going back to this console for a while must not lose what only the newer one knows.
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(NEWER_FILE), encoding="utf-8")
    loaded = ConsoleSettings.load(path)
    loaded.capture_burst = 7
    loaded.hotkeys = Hotkeys(new_full="F7")  # a whole new set of the hotkeys it knows
    loaded.save(path)
    on_disk = saved_json(path)
    assert on_disk["schema_version"] == 4
    assert on_disk["theme"] == {"dark": True, "accent": "#c5221f"}
    assert on_disk["hotkeys"] == {
        "new_full": "F7",
        "retake": "F5",
        "pause_comments": "F3",
        "zoom": "Z",
    }
    assert on_disk["capture_burst"] == 7
    assert on_disk["server_url"] == "https://platform.example"
    # And again after loading what this console wrote.
    again = ConsoleSettings.load(path)
    assert again == loaded
    again.last_template_id = 4
    again.save(path)
    assert saved_json(path) == {**on_disk, "last_template_id": 4}


def test_a_changed_copy_keeps_the_newer_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(NEWER_FILE), encoding="utf-8")
    loaded = ConsoleSettings.load(path)
    changed = loaded.changed({"capture_burst": 2, "hotkeys": {"new_full": "F9"}})
    assert changed.capture_burst == 2
    assert changed.hotkeys == Hotkeys(new_full="F9")
    assert loaded.capture_burst == 5  # a copy: the original is left as it was
    changed.save(path)
    on_disk = saved_json(path)
    assert (on_disk["schema_version"], on_disk["theme"]["dark"]) == (4, True)
    assert on_disk["hotkeys"]["zoom"] == "Z"
    assert on_disk["hotkeys"]["new_full"] == "F9"
    with pytest.raises(ValueError, match="capture_burst"):
        loaded.changed({"capture_burst": 99})


def test_one_bad_value_resets_only_itself(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    content = json.dumps(
        {
            "schema_version": SCHEMA_VERSION,
            "server_url": "ftp://platform.example",
            "language": "fr",
            "audience_viewers": -5,
            "capture_burst": 4,
            "capture_interval_ms": 900,
            "capture_frame": [10, 20, 0, 30],
            "last_template_id": 3,
            "hotkeys": {"new_full": "F2, F3", "retake": "T", "pause_comments": "Ctrl+P"},
        }
    )
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="flashbuy_desktop.settings"):
        loaded = ConsoleSettings.load(path)
    defaults = ConsoleSettings()
    assert loaded.server_url is None
    assert loaded.language == defaults.language
    assert loaded.audience_viewers == defaults.audience_viewers
    assert loaded.capture_interval_ms == defaults.capture_interval_ms
    assert loaded.capture_frame is None
    assert loaded.hotkeys.new_full == "F2"  # the bad one
    # The good ones survive, nested hotkeys included.
    assert loaded.capture_burst == 4
    assert loaded.last_template_id == 3
    assert (loaded.hotkeys.retake, loaded.hotkeys.pause_comments) == ("T", "Ctrl+P")
    for name in (
        "server_url",
        "language",
        "audience_viewers",
        "capture_interval_ms",
        "capture_frame",
        "hotkeys.new_full",
    ):
        assert f"setting {name} reset to its default" in caplog.text
    # Not a broken file: kept where it is, fixed by the next save.
    assert path.read_text(encoding="utf-8") == content
    assert not (tmp_path / "settings.json.broken").exists()


def test_a_file_whose_hotkeys_clash_gets_the_default_hotkeys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    # "F5" is also retake's default: resetting the later one cannot resolve it.
    path.write_text(
        json.dumps(
            {"schema_version": SCHEMA_VERSION, "capture_burst": 6, "hotkeys": {"new_full": "F5"}}
        ),
        encoding="utf-8",
    )
    loaded = ConsoleSettings.load(path)
    assert loaded.hotkeys == Hotkeys()
    assert loaded.capture_burst == 6


@pytest.mark.parametrize(
    ("stored", "loaded", "reset"),
    [
        (  # the later duplicate goes back to its default; the others stay
            {"new_full": "F6", "retake": "T", "pause_comments": "f6"},
            {"new_full": "F6", "retake": "T", "pause_comments": "F3"},
            ["pause_comments"],
        ),
        (  # a clash with a default that was not in the file
            {"retake": "F2", "pause_comments": "Ctrl+P"},
            {"new_full": "F2", "retake": "F5", "pause_comments": "Ctrl+P"},
            ["retake"],
        ),
        (  # the later duplicate's default is the first one's key: all defaults
            {"new_full": "F3", "retake": "T", "pause_comments": "F3"},
            {"new_full": "F2", "retake": "F5", "pause_comments": "F3"},
            None,
        ),
    ],
)
def test_clashing_hotkeys_reset_only_the_later_duplicate(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, str],
    loaded: dict[str, str],
    reset: list[str] | None,
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, "hotkeys": stored}), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="flashbuy_desktop.settings"):
        assert ConsoleSettings.load(path).hotkeys == Hotkeys(**loaded)
    if reset is None:
        assert "setting hotkeys reset to its default" in caplog.text
    else:
        resets = [
            r.getMessage() for r in caplog.records if "reset to its default" in r.getMessage()
        ]
        assert resets == [
            f"setting hotkeys.{name} reset to its default: {settings_module.HOTKEY_TWICE}"
            for name in reset
        ]


def test_a_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    ConsoleSettings(capture_burst=2).save(path)
    before = path.read_bytes()

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        ConsoleSettings(capture_burst=9).save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["settings.json"]


# --- hotkeys and capture ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("F2", "F2"),
        ("f5", "F5"),
        ("ctrl+f2", "Ctrl+F2"),
        (" r ", "R"),
        ("Shift+Return", "Shift+Return"),
        # The keys the lists and tables need are free with a modifier.
        ("ctrl+up", "Ctrl+Up"),
        ("Alt+Down", "Alt+Down"),
        ("Ctrl+Space", "Ctrl+Space"),
        ("Shift+PgDown", "Shift+PgDown"),
        ("Ctrl+Home", "Ctrl+Home"),
    ],
)
def test_hotkeys_are_stored_as_portable_text(typed: str, stored: str) -> None:
    assert normalize_hotkey(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", settings_module.HOTKEY_EMPTY),
        ("F2, F3", settings_module.HOTKEY_SEVERAL),
        ("Ctrl+Shift+", settings_module.HOTKEY_UNKNOWN),
        ("Bogus", settings_module.HOTKEY_UNKNOWN),
        ("Shift", settings_module.HOTKEY_MODIFIERS_ONLY),
        ("Return", settings_module.HOTKEY_RESERVED),
        ("Esc", settings_module.HOTKEY_RESERVED),
        ("Up", settings_module.HOTKEY_RESERVED),
        ("Down", settings_module.HOTKEY_RESERVED),
        ("Left", settings_module.HOTKEY_RESERVED),
        ("Right", settings_module.HOTKEY_RESERVED),
        ("Space", settings_module.HOTKEY_RESERVED),
        ("Home", settings_module.HOTKEY_RESERVED),
        ("End", settings_module.HOTKEY_RESERVED),
        ("PgUp", settings_module.HOTKEY_RESERVED),
        ("PgDown", settings_module.HOTKEY_RESERVED),
    ],
)
def test_a_hotkey_is_one_usable_key_combination(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("+", r"\+") + "$"):
        normalize_hotkey(typed)


def test_hotkeys_change_together_and_never_clash() -> None:
    settings = ConsoleSettings()
    with pytest.raises(ValueError, match=settings_module.HOTKEY_TWICE):
        settings.hotkeys = Hotkeys(new_full="F5")  # retake's
    assert settings.hotkeys == Hotkeys()  # the refused change left the old set
    settings.hotkeys = Hotkeys(new_full="F5", retake="Ctrl+R")
    assert settings.hotkeys.new_full == "F5"
    with pytest.raises(ValueError, match="frozen"):
        settings.hotkeys.retake = "T"  # type: ignore[misc]  # frozen: the point of the test


def test_capture_settings_configure_the_engine() -> None:
    for burst, interval in ((1, 0), (3, 33), (10, 500)):
        config = ConsoleSettings(capture_burst=burst, capture_interval_ms=interval).capture_config()
        assert config == CaptureConfig(burst=burst, interval_s=interval / 1000)
        assert CaptureEngine(config).config.burst == burst
    assert ConsoleSettings().capture_config() == CaptureConfig()  # same defaults as the engine
    for field, bad in (("capture_burst", 0), ("capture_burst", 11), ("capture_interval_ms", 501)):
        with pytest.raises(ValueError, match=field):
            ConsoleSettings.model_validate({field: bad})


def test_the_model_messages_are_marked_for_translation() -> None:
    for message, marked in MODEL_MESSAGES.items():
        assert message == marked
    names = [n for n in dir(settings_module) if n.startswith(("HOTKEY_", "ADDRESS_"))]
    assert {getattr(settings_module, n) for n in names} == set(MODEL_MESSAGES)


# --- the window -------------------------------------------------------------------------


def press_hotkey(
    qtbot: Any, window: SettingsWindow, name: str, key: Qt.Key, modifier: Any = None
) -> None:
    edit = window.hotkey_edits[name]
    qtbot.mouseClick(edit, LEFT)
    if modifier is None:
        qtbot.keyClick(edit, key)
    else:
        qtbot.keyClick(edit, key, modifier)


def clear_hotkey(qtbot: Any, window: SettingsWindow, name: str) -> None:
    # The line edit's own clear button, as the seller clicks it.
    buttons = [b for b in window.hotkey_edits[name].findChildren(QToolButton) if b.isVisible()]
    assert len(buttons) == 1
    qtbot.mouseClick(buttons[0], LEFT)


def open_window(
    qtbot: Any, settings: ConsoleSettings, path: Path, *, demo: bool = True
) -> SettingsWindow:
    window = SettingsWindow(settings, embedded_demo=demo, path=path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click_box(qtbot: Any, box: QCheckBox) -> None:
    """Click a check box on its indicator (its middle may be empty space past the text)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def test_save_writes_what_was_typed_and_emits_it(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    current = ConsoleSettings(last_template_id=4, capture_frame=(0, 0, 800, 450))
    window = open_window(qtbot, current, path)
    assert window.server_url.text() == ""
    assert window.hotkeys() == {"new_full": "F2", "retake": "F5", "pause_comments": "F3"}
    assert not window.global_hotkeys.isChecked()

    type_into(qtbot, window.server_url, "http://127.0.0.1:8700/")
    window.language.setFocus()
    qtbot.keyClick(window.language, Qt.Key.Key_End)  # the last language: English
    type_into(qtbot, window.burst, "5")
    type_into(qtbot, window.interval, "120")
    press_hotkey(qtbot, window, "new_full", Qt.Key.Key_F6)
    press_hotkey(qtbot, window, "pause_comments", Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    click_box(qtbot, window.global_hotkeys)
    click_box(qtbot, window.audience)
    assert not window.viewers.isEnabled()
    # Meanwhile the console saved the frame's new place: Save must not undo that.
    current.capture_frame = (10, 10, 900, 500)

    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    result: ConsoleSettings = saved.args[0]
    assert not window.isVisible()
    assert window.result_settings == result
    assert result.server_url == "http://127.0.0.1:8700"
    assert result.language == "en"
    assert (result.capture_burst, result.capture_interval_ms) == (5, 120)
    assert result.hotkeys == Hotkeys(new_full="F6", retake="F5", pause_comments="Ctrl+P")
    assert result.global_hotkeys is True
    assert result.rehearsal_audience is False
    assert result.last_template_id == 4
    assert result.capture_frame == (10, 10, 900, 500)
    assert ConsoleSettings.load(path) == result
    assert saved_json(path)["schema_version"] == SCHEMA_VERSION


def test_cancel_changes_nothing(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    current = ConsoleSettings()
    window = open_window(qtbot, current, path)
    type_into(qtbot, window.server_url, "http://127.0.0.1:8700")
    press_hotkey(qtbot, window, "retake", Qt.Key.Key_T)
    with qtbot.assertNotEmitted(window.saved):
        qtbot.mouseClick(window.cancel_button, LEFT)
    assert not window.isVisible()
    assert window.result_settings is None
    assert not path.exists()
    assert current == ConsoleSettings()


def test_an_invalid_address_is_explained_and_nothing_is_written(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    window = open_window(qtbot, ConsoleSettings(), path)
    type_into(qtbot, window.server_url, "127.0.0.1:8700")
    assert not window.server_url_error.isVisible()  # not while typing
    with qtbot.assertNotEmitted(window.saved):
        qtbot.mouseClick(window.save_button, LEFT)
    assert window.isVisible()
    assert window.server_url_error.isVisible()
    assert "http://" in window.server_url_error.text()
    assert not path.exists()
    # Fixing it clears the message as soon as it is right.
    window.server_url.setFocus()
    qtbot.keyClick(window.server_url, Qt.Key.Key_Home)
    qtbot.keyClicks(window.server_url, "http://")
    assert not window.server_url_error.isVisible()
    with qtbot.waitSignal(window.saved, timeout=5_000):
        qtbot.mouseClick(window.save_button, LEFT)
    assert ConsoleSettings.load(path).server_url == "http://127.0.0.1:8700"


def test_a_hotkey_clash_is_shown_and_save_disabled(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    window = open_window(qtbot, ConsoleSettings(), path)
    assert window.save_button.isEnabled()
    press_hotkey(qtbot, window, "retake", Qt.Key.Key_F2)  # already "new full flash-buy"
    assert window.hotkeys()["retake"] == "F2"
    assert window.hotkey_errors["retake"].isVisible()
    assert not window.hotkey_errors["new_full"].isVisible()
    assert not window.save_button.isEnabled()

    clear_hotkey(qtbot, window, "retake")
    assert window.hotkeys()["retake"] == ""
    assert window.hotkey_errors["retake"].isVisible()  # a hotkey needs a key
    assert not window.save_button.isEnabled()

    press_hotkey(qtbot, window, "retake", Qt.Key.Key_F4)
    assert not window.hotkey_errors["retake"].isVisible()
    assert window.save_button.isEnabled()
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    assert saved.args[0].hotkeys.retake == "F4"


def test_global_hotkeys_are_opt_in_and_say_what_cannot_be_global(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    window = open_window(qtbot, ConsoleSettings(), path)
    box = window.global_hotkeys
    assert not box.isChecked()
    assert box.text() == "全局快捷键：在直播软件里也能按"
    assert window.global_help.isVisible()
    assert "新建全量闪购" in window.global_help.text()
    assert "其他程序" in window.global_help.text()
    assert not window.global_note.isVisible()

    # A letter would be typed in every other program: said before saving, Save still allowed.
    press_hotkey(qtbot, window, "pause_comments", Qt.Key.Key_P)
    assert not window.global_note.isVisible()  # only matters once global
    click_box(qtbot, box)
    assert box.isChecked()
    assert window.global_note.isVisible()
    assert window.global_note.text().startswith("P（暂停或继续评论）会输入文字")
    assert window.save_button.isEnabled()
    press_hotkey(qtbot, window, "pause_comments", Qt.Key.Key_F3)
    assert not window.global_note.isVisible()

    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    assert saved.args[0].global_hotkeys is True
    assert ConsoleSettings.load(path).global_hotkeys is True
    again = open_window(qtbot, ConsoleSettings.load(path), path)
    assert again.global_hotkeys.isChecked()
    again.close()


def test_the_audience_is_only_for_the_embedded_demo(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    current = ConsoleSettings(server_url="https://platform.example", audience_viewers=25)
    window = open_window(qtbot, current, path, demo=False)
    assert not window.audience.isEnabled()
    assert not window.viewers.isEnabled()
    assert window.audience_note.isVisible()
    click_box(qtbot, window.audience)  # a disabled box does not change
    assert window.audience.isChecked()
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    assert saved.args[0].rehearsal_audience is True
    assert saved.args[0].audience_viewers == 25

    demo = open_window(qtbot, ConsoleSettings(), tmp_path / "demo.json", demo=True)
    assert demo.audience.isEnabled()
    assert demo.viewers.isEnabled()
    assert not demo.audience_note.isVisible()
    type_into(qtbot, demo.viewers, "300")
    with qtbot.waitSignal(demo.saved, timeout=5_000) as saved:
        qtbot.mouseClick(demo.save_button, LEFT)
    assert saved.args[0].audience_viewers == 300
    demo.close()


def test_the_window_says_when_the_file_cannot_be_written(qtbot: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    window = open_window(qtbot, ConsoleSettings(), blocker / "settings.json")
    with qtbot.assertNotEmitted(window.saved):
        qtbot.mouseClick(window.save_button, LEFT)
    assert window.isVisible()
    assert window.error.isVisible()
    assert str(blocker / "settings.json") in window.error.text()  # where
    assert os.strerror(20) in window.error.text()  # and why: ENOTDIR
    assert window.result_settings is None
    window.close()


def test_the_window_says_why_a_write_failed_and_leaves_the_old_file(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    ConsoleSettings(capture_burst=2).save(path)
    before = path.read_bytes()
    window = open_window(qtbot, ConsoleSettings.load(path), path)
    type_into(qtbot, window.burst, "8")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with qtbot.assertNotEmitted(window.saved):
        qtbot.mouseClick(window.save_button, LEFT)
    monkeypatch.undo()
    assert window.isVisible()
    assert "No space left on device" in window.error.text()
    assert str(path) in window.error.text()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["settings.json"]
    # Room made: the same Save now goes through.
    with qtbot.waitSignal(window.saved, timeout=5_000):
        qtbot.mouseClick(window.save_button, LEFT)
    assert ConsoleSettings.load(path).capture_burst == 8


def test_the_window_keeps_the_newer_consoles_settings(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(NEWER_FILE), encoding="utf-8")
    window = open_window(qtbot, ConsoleSettings.load(path), path)
    press_hotkey(qtbot, window, "retake", Qt.Key.Key_T)
    with qtbot.waitSignal(window.saved, timeout=5_000):
        qtbot.mouseClick(window.save_button, LEFT)
    on_disk = saved_json(path)
    assert on_disk["schema_version"] == 4
    assert on_disk["theme"] == NEWER_FILE["theme"]
    assert on_disk["hotkeys"] == {
        "new_full": "F6",
        "retake": "T",
        "pause_comments": "F3",
        "zoom": "Z",
    }


def test_edit_opens_the_window_and_returns_what_was_saved(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"

    def click_save() -> None:
        window = QApplication.activeModalWidget()
        assert isinstance(window, SettingsWindow)
        type_into(qtbot, window.burst, "7")
        qtbot.mouseClick(window.save_button, LEFT)

    QTimer.singleShot(0, click_save)
    result = SettingsWindow.edit(None, ConsoleSettings(), embedded_demo=True, path=path)
    assert result is not None
    assert result.capture_burst == 7
    assert ConsoleSettings.load(path).capture_burst == 7

    def click_cancel() -> None:
        window = QApplication.activeModalWidget()
        assert isinstance(window, SettingsWindow)
        qtbot.mouseClick(window.cancel_button, LEFT)

    QTimer.singleShot(0, click_cancel)
    assert SettingsWindow.edit(None, result, embedded_demo=True, path=path) is None


# --- sales: the pay window and the hold-back rule -------------------------------------------


def test_the_pay_window_defaults_to_five_minutes_and_the_hold_back_rule_is_off() -> None:
    settings = ConsoleSettings()
    assert settings.pay_minutes == 5
    assert settings.hold_back_expired is None


def test_a_file_without_the_sales_settings_takes_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "capture_burst": 4}))
    loaded = ConsoleSettings.load(path)
    assert (loaded.capture_burst, loaded.pay_minutes, loaded.hold_back_expired) == (4, 5, None)


@pytest.mark.parametrize(
    ("raw", "pay_minutes", "hold_back"),
    [
        ({"pay_minutes": 0, "hold_back_expired": 3}, 5, 3),  # 0 minutes: only that resets
        ({"pay_minutes": 31}, 5, None),
        ({"pay_minutes": 12, "hold_back_expired": 0}, 12, None),
        ({"pay_minutes": 1, "hold_back_expired": 21}, 1, None),
        ({"pay_minutes": 30, "hold_back_expired": 20}, 30, 20),
    ],
)
def test_sales_settings_out_of_bounds_reset_alone(
    tmp_path: Path, raw: dict[str, int], pay_minutes: int, hold_back: int | None
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "capture_burst": 6, **raw}))
    loaded = ConsoleSettings.load(path)
    assert (loaded.capture_burst, loaded.pay_minutes, loaded.hold_back_expired) == (
        6,
        pay_minutes,
        hold_back,
    )


def test_the_window_edits_the_pay_window_and_turns_the_hold_back_rule_on_and_off(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    window = open_window(qtbot, ConsoleSettings(), path)
    assert window.pay_minutes.value() == 5
    assert window.pay_minutes.suffix() == " 分钟"
    assert not window.hold_back.isChecked()
    assert not window.hold_back_after.isEnabled()
    type_into(qtbot, window.pay_minutes, "10")
    click_box(qtbot, window.hold_back)
    assert window.hold_back_after.isEnabled()
    type_into(qtbot, window.hold_back_after, "3")
    if shots := os.environ.get("FLASHBUY_SHOTS"):
        window.grab().save(str(Path(shots) / "settings-sales.png"))
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    result: ConsoleSettings = saved.args[0]
    assert (result.pay_minutes, result.hold_back_expired) == (10, 3)
    assert ConsoleSettings.load(path) == result

    window = open_window(qtbot, result, path)
    assert window.hold_back.isChecked()
    assert window.hold_back_after.value() == 3
    click_box(qtbot, window.hold_back)  # off again: the number is kept in the box, not saved
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    assert saved.args[0].hold_back_expired is None
    assert saved.args[0].pay_minutes == 10


# --- reading the order card -----------------------------------------------------------------


def test_reading_the_card_is_on_by_default_also_for_a_file_from_before(tmp_path: Path) -> None:
    assert ConsoleSettings().read_card is True
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "capture_burst": 4}))
    loaded = ConsoleSettings.load(path)
    assert (loaded.capture_burst, loaded.read_card) == (4, True)
    path.write_text(V1_FILE, encoding="utf-8")
    assert ConsoleSettings.load(path).read_card is True
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "read_card": False}))
    assert ConsoleSettings.load(path).read_card is False


def test_a_nonsense_read_card_value_resets_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, "capture_burst": 6, "read_card": "maybe"})
    )
    loaded = ConsoleSettings.load(path)
    assert (loaded.capture_burst, loaded.read_card) == (6, True)


def test_the_window_turns_reading_the_card_off_and_on(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    window = open_window(qtbot, ConsoleSettings(capture_burst=4), path)
    box = window.read_card
    assert box.text() == "读取卡片上的件号和价格"
    assert box.isChecked()
    shots = os.environ.get("FLASHBUY_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / "settings-read-card-on.png"))
    click_box(qtbot, box)
    assert not box.isChecked()
    if shots:
        window.grab().save(str(Path(shots) / "settings-read-card-off.png"))
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    result: ConsoleSettings = saved.args[0]
    assert (result.read_card, result.capture_burst) == (False, 4)
    assert ConsoleSettings.load(path) == result
    assert saved_json(path)["read_card"] is False

    # By keyboard: from the time between frames, Tab reaches the box and Space ticks it.
    window = open_window(qtbot, result, path)
    assert not window.read_card.isChecked()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    type_into(qtbot, window.interval, "40")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is window.read_card
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert window.read_card.isChecked()
    with qtbot.waitSignal(window.saved, timeout=5_000) as saved:
        qtbot.mouseClick(window.save_button, LEFT)
    assert (saved.args[0].read_card, saved.args[0].capture_interval_ms) == (True, 40)
    assert ConsoleSettings.load(path).read_card is True

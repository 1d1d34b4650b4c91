"""The console's menu as a seller uses it: settings that apply at once, hotkeys, the report.

Against the real platform, with the real settings window and the real report window:
only the file dialog that would block is left out.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QKeySequenceEdit
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.diagnostics import crash
from flashbuy_desktop.services import i18n
from flashbuy_desktop.settings import ConsoleSettings, Hotkeys
from flashbuy_desktop.ui.crash_window import CrashReporter
from flashbuy_desktop.ui.report_window import ProblemReportDialog
from flashbuy_desktop.ui.settings_window import SettingsWindow
from tests.desktop.console_steps import (
    keyless_console,
    save_settings_when_asked,
    sign_in,
    switch_to_english,
    when_modal,
)
from tests.support import PASSWORD, World


@pytest.fixture
def console(qtbot: QtBot, world: World, tmp_path: Path) -> Iterator[Console]:
    """A console signed in to the real platform, showing the world's live room."""
    running = keyless_console(
        # zh_CN, as the tests' catalog (tests/desktop/conftest.py) shows.
        ConsoleSettings(server_url=world.platform.url, language="zh_CN"),
        settings_path=tmp_path / "settings.json",
    )
    sign_in(qtbot, running, world)
    assert running.window is not None
    qtbot.waitExposed(running.window)
    qtbot.waitUntil(lambda: running.window is not None and running.window.room is not None)
    yield running
    running.shutdown()


def _press(qtbot: QtBot, console: Console, key: Qt.Key) -> None:
    assert console.window is not None
    console.window.activateWindow()
    qtbot.waitUntil(console.window.isActiveWindow)
    qtbot.keyClick(console.window, key)


def test_new_hotkeys_and_capture_settings_apply_as_soon_as_they_are_saved(
    qtbot: QtBot, console: Console, tmp_path: Path
) -> None:
    window = console.window
    assert window is not None
    assert window.new_button.text() == "新建全量闪购 (F2)"

    def change(dialog: SettingsWindow) -> None:
        edit = dialog.hotkey_edits["new_full"]
        assert isinstance(edit, QKeySequenceEdit)
        edit.setKeySequence(QKeySequence("F6"))
        dialog.burst.setValue(5)
        dialog.interval.setValue(20)

    save_settings_when_asked(qtbot, change)
    window.settings_action.trigger()  # returns when the window closed

    # Saved to the file, kept by the console, and in force in the open window.
    saved = ConsoleSettings.load(tmp_path / "settings.json")
    assert saved.hotkeys.new_full == "F6"
    assert (saved.capture_burst, saved.capture_interval_ms) == (5, 20)
    assert console.settings.hotkeys.new_full == "F6"
    assert window.new_button.text() == "新建全量闪购 (F6)"

    _press(qtbot, console, Qt.Key.Key_F2)  # the old hotkey does nothing now
    assert window.new_dialog is None
    _press(qtbot, console, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible())
    dialog = window.new_dialog
    assert dialog is not None
    # The picture it captured as it opened is the sharpest of a burst of 5 now.
    qtbot.waitUntil(lambda: dialog.captured_result() is not None, timeout=30_000)
    result = dialog.captured_result()
    assert result is not None
    assert result.frames == 5
    dialog.reject()
    qtbot.waitUntil(lambda: window.new_dialog is None)


def test_cancelling_the_settings_window_changes_nothing(
    qtbot: QtBot, console: Console, tmp_path: Path
) -> None:
    window = console.window
    assert window is not None
    before = console.settings

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsWindow)
        dialog.hotkey_edits["new_full"].setKeySequence(QKeySequence("F7"))
        dialog.reject()

    when_modal(cancel)
    window.settings_action.trigger()
    assert console.settings is before
    assert console.settings.hotkeys == Hotkeys()
    assert not (tmp_path / "settings.json").exists()
    assert window.new_full_action.shortcut() == QKeySequence("F2")


def test_the_pause_hotkey_holds_the_comments_until_pressed_again(
    qtbot: QtBot, console: Console, world: World
) -> None:
    window = console.window
    assert window is not None
    comments = window.comments
    _press(qtbot, console, Qt.Key.Key_F3)
    assert comments.is_held()
    assert window.feed.is_paused()
    assert comments.paused_label.isVisible()
    assert "F3" in comments.paused_label.text()

    # Comments that arrive meanwhile wait; the pointer leaving the list does not resume it.
    shown = window.feed.model.rowCount()
    world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "3号多少钱"})
    qtbot.waitUntil(lambda: window.feed.pending_count() >= 1, timeout=10_000)
    comments.list_view.hoverChanged.emit(False)
    assert window.feed.is_paused()
    assert window.feed.model.rowCount() == shown

    _press(qtbot, console, Qt.Key.Key_F3)
    assert not comments.is_held()
    assert not window.feed.is_paused()
    qtbot.waitUntil(lambda: window.feed.model.rowCount() > shown, timeout=10_000)


def test_the_retake_hotkey_from_settings_reaches_the_new_flashbuy_window(
    qtbot: QtBot, console: Console
) -> None:
    window = console.window
    assert window is not None
    window.apply_hotkeys(Hotkeys(new_full="F2", retake="Ctrl+R", pause_comments="F3"))
    window.new_full_flashbuy()
    qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible())
    dialog = window.new_dialog
    assert dialog is not None
    assert dialog.retake_shortcut.key() == QKeySequence("Ctrl+R")
    assert dialog.retake_button.text() == "重拍 (Ctrl+R)"
    dialog.reject()
    qtbot.waitUntil(lambda: window.new_dialog is None)


def test_the_menu_opens_the_problem_report_with_the_log_and_the_console(
    qtbot: QtBot, console: Console
) -> None:
    window = console.window
    assert window is not None
    assert [a.text() for a in window.header.menu.actions() if a.text()] == [
        "往期直播…",
        "设置…",
        "问题反馈…",
        "退出登录",
    ]
    window.report_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ProblemReportDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ProblemReportDialog)
    qtbot.waitUntil(lambda: dialog.bundle is not None, timeout=30_000)
    assert set(dialog.member_names()) == {"report.json", "console.log", "console.png"}
    dialog.close()


def test_command_line_choices_hold_for_one_run_and_are_not_saved(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    # --no-audience with the embedded demo: no viewers this run, the setting unchanged.
    demo = keyless_console(
        ConsoleSettings(), audience=False, data_path=tmp_path, settings_path=path
    )
    assert demo.embedded is not None
    assert demo.embedded.audience_viewers == 0
    demo._remember_template(7)  # any save, e.g. the seller picked a template
    demo.shutdown()
    saved = ConsoleSettings.load(path)
    assert saved.last_template_id == 7
    assert saved.rehearsal_audience is True

    # --server: this platform for this run, the embedded one still the saved choice.
    remote = keyless_console(saved, server_url=world.platform.url, settings_path=path)
    assert remote.embedded is None
    remote._remember_template(8)
    remote.shutdown()
    saved = ConsoleSettings.load(path)
    assert saved.last_template_id == 8
    assert saved.server_url is None


def test_the_password_typed_at_sign_in_never_reaches_the_report(
    qtbot: QtBot, console: Console
) -> None:
    window = console.window
    assert window is not None
    assert console.client is not None
    token = console.client.token
    assert token
    window.report_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ProblemReportDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ProblemReportDialog)
    # The seller pastes their password into the description (it happens).
    dialog.description.setPlainText(f"登录后没反应，我的密码是 {PASSWORD}，token {token}")
    qtbot.waitUntil(
        lambda: (
            dialog.bundle is not None
            and "登录后没反应" in dialog.bundle.member("report.json").data.decode()
        ),
        timeout=30_000,
    )
    assert dialog.bundle is not None
    assert PASSWORD.encode() not in dialog.bundle.zip_bytes
    assert token.encode() not in dialog.bundle.zip_bytes
    for member in dialog.bundle.members:
        assert PASSWORD.encode() not in member.data
        assert token.encode() not in member.data
    dialog.close()


@pytest.mark.qt_no_exception_capture
def test_a_crash_in_the_console_offers_the_problem_report(
    qtbot: QtBot, console: Console, tmp_path: Path
) -> None:
    window = console.window
    assert window is not None
    # As __main__ wires it: the hooks, the one crash window, its report button.
    reporter = CrashReporter(report=console.report_problem)
    hooks = crash.install(reporter.notify)
    try:
        with qtbot.waitSignal(reporter.crashShown, timeout=10_000):
            QTimer.singleShot(0, _a_slot_that_fails)
        crashed = reporter.window
        assert crashed is not None
        qtbot.waitExposed(crashed)
        assert "the new feature failed" in crashed.summary.text()
        qtbot.mouseClick(crashed.report_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _report_window() is not None, timeout=10_000)
        report = _report_window()
        assert report is not None
        qtbot.waitUntil(lambda: report.bundle is not None, timeout=30_000)
        assert "console.png" in report.member_names()
        report.close()
        crashed.close()
    finally:
        hooks.uninstall()
        reporter.deleteLater()


def _a_slot_that_fails() -> None:
    raise RuntimeError("the new feature failed")


def _report_window() -> ProblemReportDialog | None:
    shown = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ProblemReportDialog) and w.isVisible()
    ]
    return shown[0] if shown else None


def test_a_new_language_applies_at_once_to_a_new_main_window(
    qtbot: QtBot, console: Console, qapp: QApplication, tmp_path: Path
) -> None:
    old = console.window
    assert old is not None
    assert old.new_button.text() == "新建全量闪购 (F2)"

    try:
        window = switch_to_english(qtbot, console)
        assert not old.isVisible()
        qtbot.waitExposed(window)
        assert window.new_button.text() == "New full flash-buy (F2)"
        assert window.header.menu_button.text() == "Menu"
        # The room is shown again, and followed: the new window is the live console.
        qtbot.waitUntil(lambda: window.room is not None, timeout=30_000)
        assert ConsoleSettings.load(tmp_path / "settings.json").language == "en"
    finally:
        i18n.install(qapp, "zh_CN")  # the other tests read Chinese

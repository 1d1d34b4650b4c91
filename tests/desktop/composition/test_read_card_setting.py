"""Reading the order card follows the settings: at start, and as soon as they are saved.

A console signed in to the real platform; the seller turns reading off and on again in the
real settings window, by clicks, and the console's capture service follows at once.
"""

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.settings_window import SettingsWindow
from tests.desktop.console_steps import keyless_console, save_settings_when_asked, sign_in
from tests.support import World


def signed_in(qtbot: QtBot, world: World, settings_file: Path, *, read_card: bool) -> Console:
    console = keyless_console(
        ConsoleSettings(server_url=world.platform.url, language="zh_CN", read_card=read_card),
        settings_path=settings_file,
    )
    sign_in(qtbot, console, world)
    assert console.window is not None
    qtbot.waitExposed(console.window)
    return console


def toggle_reading(qtbot: QtBot, console: Console) -> None:
    """Open the settings from the main window's menu, click the card box, save."""

    def click(dialog: SettingsWindow) -> None:
        box = dialog.read_card
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))

    save_settings_when_asked(qtbot, click)
    assert console.window is not None
    console.window.settings_action.trigger()  # returns when the window closed


def test_turning_reading_off_and_on_reaches_the_capture_service_at_once(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    console = signed_in(qtbot, world, path, read_card=True)
    try:
        assert console.capture.reading
        toggle_reading(qtbot, console)
        assert not console.capture.reading
        assert ConsoleSettings.load(path).read_card is False
        toggle_reading(qtbot, console)
        assert console.capture.reading
        assert ConsoleSettings.load(path).read_card is True
    finally:
        console.shutdown()


def test_a_console_whose_settings_say_off_starts_with_reading_off(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    console = signed_in(qtbot, world, tmp_path / "settings.json", read_card=False)
    try:
        assert not console.capture.reading
    finally:
        console.shutdown()

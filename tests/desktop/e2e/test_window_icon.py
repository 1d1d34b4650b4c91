"""The running console's windows show the app's icon: in Qt, and where the X server has it."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.app_icon import SIZES
from flashbuy_desktop.ui.settings_window import SettingsWindow
from tests.desktop.console_steps import sign_in, when_modal
from tests.support import World


@pytest.fixture
def console(qtbot: QtBot, world: World, tmp_path: Path) -> Iterator[Console]:
    """A console signed in to the real platform, started with no app icon set before it."""
    QApplication.setWindowIcon(QIcon())  # an earlier test's console may have set it
    bare = QWidget()
    assert bare.windowIcon().availableSizes() == []  # so what follows is the console's doing
    bare.deleteLater()
    running = Console(
        ConsoleSettings(server_url=world.platform.url, language="zh_CN"),
        TokenStore(backend=keyring.backends.fail.Keyring()),
        settings_path=tmp_path / "settings.json",
    )
    sign_in(qtbot, running, world)
    assert running.window is not None
    qtbot.waitExposed(running.window)
    yield running
    running.shutdown()


def _has_the_icon(window: QWidget) -> None:
    assert window.windowIcon().availableSizes() == [QSize(s, s) for s in SIZES], window
    if QGuiApplication.platformName() != "xcb":
        return  # offscreen: no window manager to hand it to
    # What the window manager draws in the title bar and the taskbar (EWMH _NET_WM_ICON):
    # width, height, then the pixels, for each size Qt handed over.
    xprop = shutil.which("xprop")
    assert xprop is not None, "xprop (x11-utils) is needed to read the X window's icon"
    done = subprocess.run(
        [xprop, "-id", str(int(window.winId())), "_NET_WM_ICON"],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    assert "Icon (16 x 16)" in done.stdout, done.stdout[:200]
    assert "Icon (32 x 32)" in done.stdout


def test_every_window_of_the_console_shows_the_app_icon(qtbot: QtBot, console: Console) -> None:
    window = console.window
    assert window is not None
    _has_the_icon(window)
    qtbot.waitUntil(console.frame.isVisible)
    _has_the_icon(console.frame)
    seen: list[QDialog] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsWindow)
        qtbot.waitExposed(dialog)
        _has_the_icon(dialog)
        seen.append(dialog)
        dialog.reject()

    when_modal(look)
    window.settings_action.trigger()  # returns when the window closed
    assert len(seen) == 1

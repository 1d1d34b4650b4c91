"""Steps the console tests share: signing in as a seller does, answering a modal window."""

from collections.abc import Callable
from typing import Any

import keyring.backends.fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.settings_window import SettingsWindow
from tests.support import PASSWORD, Api, World

SIGN_IN_TIMEOUT = 30_000


def sign_in(qtbot: Any, console: Console, world: World, *, enter: bool = False) -> None:
    """Start ``console``, type the world's account into its sign-in window and sign in
    (with the button, or with Enter in the password field); return once it is ready."""
    console.start()
    # The window follows the keyring's answer (a saved token?), which a busy keyring delays.
    qtbot.waitUntil(
        lambda: console.dialog is not None and console.dialog.isVisible(), timeout=SIGN_IN_TIMEOUT
    )
    assert console.dialog is not None
    qtbot.keyClicks(console.dialog.username, world.username)
    qtbot.keyClicks(console.dialog.password, PASSWORD)
    with qtbot.waitSignal(console.ready, timeout=SIGN_IN_TIMEOUT):
        if enter:
            qtbot.keyClick(console.dialog.password, Qt.Key.Key_Return)
        else:
            console.dialog.ok.click()


def when_modal(act: Callable[[QDialog], None]) -> None:
    """Run ``act`` on the modal window as soon as it is up (``exec()`` blocks the test)."""

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal.isVisible():
            act(modal)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def confirm_when_asked(qtbot: Any) -> None:
    """Click the act button of the confirm box (``Confirm``) as soon as it is asked."""

    def confirm(box: QDialog) -> None:
        button = box.findChild(QPushButton, Confirm.ACT_BUTTON)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    when_modal(confirm)


def save_settings_when_asked(qtbot: Any, change: Callable[[SettingsWindow], None]) -> None:
    """Once the settings window is up: ``change`` what a seller changes there, click Save."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsWindow)
        change(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(act)


def switch_to_english(qtbot: Any, console: Console) -> MainWindow:
    """Choose English in the settings window of ``console``'s main window and save; the new
    main window the console builds for it (the caller installs the Chinese catalog again)."""
    old = console.window
    assert old is not None

    def choose_english(dialog: SettingsWindow) -> None:
        dialog.language.setCurrentIndex(dialog.language.findData("en"))

    save_settings_when_asked(qtbot, choose_english)
    old.settings_action.trigger()  # returns when the settings window closed
    window = console.window
    assert window is not None
    assert window is not old
    return window


def keyless_console(settings: ConsoleSettings, **options: Any) -> Console:
    """A console whose keyring keeps nothing (``options`` go to ``Console``)."""
    return Console(settings, TokenStore(backend=keyring.backends.fail.Keyring()), **options)


def followed_window(qtbot: Any, url: str, token: str | None) -> MainWindow:
    """A main window on the live of the creator with ``token`` at ``url``, once it follows it."""
    window = MainWindow(PlatformClient(url, token), Tasks())
    qtbot.addWidget(window)
    window.show()
    window.load()
    qtbot.waitUntil(
        lambda: window.header.connection.property("state") == "connected", timeout=30_000
    )
    return window


def post_comment(viewer: Api, room_id: int, text: str) -> None:
    """``viewer`` comments ``text`` in the live room, over HTTP as a viewer's page does."""
    viewer.ok("POST", f"/rooms/{room_id}/comments", 201, json={"text": text})


def comment_texts(window: MainWindow) -> list[str]:
    """The comments the main window shows, oldest first."""
    model = window.comments.model
    return [model.comment(row).text for row in range(model.rowCount())]

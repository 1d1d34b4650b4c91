"""Steps the console tests share: signing in as a seller does, answering a modal window."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from flashbuy_desktop.composition.app import Console
from tests.support import PASSWORD, World

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

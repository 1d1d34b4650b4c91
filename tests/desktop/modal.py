"""Answering a modal window the way a person does: wait for it to show, then act on it.

A modal window's ``exec`` (or a message box's) blocks the test until it closes, so what the
person does in it is scheduled before, and runs from the event loop once the window shows.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)

POLL_MS = 10  # how often the top-level windows are looked at until the one wanted shows


def when_shown(kind: type[W], act: Callable[[W], None]) -> None:
    """Run ``act`` on the first visible top-level ``kind`` window, once one shows."""

    def attempt() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if not shown:
            QTimer.singleShot(POLL_MS, attempt)
            return
        act(shown[0])

    QTimer.singleShot(0, attempt)


def click_in_message_box(qtbot: Any, button_name: str) -> list[str]:
    """Click a button of the next message box once it shows; its text goes in the list."""
    texts: list[str] = []

    def click(box: QMessageBox) -> None:
        texts.append(box.text())
        button = box.findChild(QAbstractButton, button_name)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    when_shown(QMessageBox, click)
    return texts

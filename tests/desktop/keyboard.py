"""Typing into the console's fields as a seller does, for the tests."""

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def focused() -> QWidget:
    """The widget that has the keyboard focus: where a seller's typing goes."""
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type like a seller: ASCII key by key, Chinese committed by the input method."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:  # QTest cannot press keys that are not on a keyboard; an IME commits them
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def type_into(qtbot: Any, widget: QWidget, text: str) -> None:
    """Replace what ``widget`` holds with ``text``: select all, delete, type."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)

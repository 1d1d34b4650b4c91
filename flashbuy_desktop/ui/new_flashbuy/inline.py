"""Inline words under a field or across the window: shown, hidden, and keeping their line."""

from PySide6.QtWidgets import QLabel, QWidget

from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone


def inline_label(parent: QWidget, tone: Tone | None = Tone.ERROR) -> QLabel:
    """A hidden, word-wrapped label in ``tone`` that keeps its line when hidden.

    Hidden, it keeps its line: an error that appears never moves the buttons below it.
    """
    label = QLabel(parent)
    theme.set_tone(label, tone)
    label.setWordWrap(True)
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.hide()
    return label


def say(label: QLabel, text: str | None, tone: Tone | None = None) -> None:
    """Show ``text`` in ``label`` (None or empty: hide it); ``tone``, if given, changes its look."""
    label.setText(text or "")
    label.setVisible(bool(text))
    if tone is not None:
        theme.set_tone(label, tone)

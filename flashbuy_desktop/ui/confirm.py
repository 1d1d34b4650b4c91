"""One question before anything that cannot be undone: named buttons, the safe one the default.

Every destructive action of the console (ending a live, closing the console during one,
signing out, ending a flash-buy, deleting a template) asks through :class:`Confirm`, so they
all look alike and none of them can be confirmed by a stray Enter: the default and the
escape button are always the safe choice, and each button says what it does instead of
是/否. Callers' tests replace :meth:`Confirm.ask`; the dialog's own test clicks the real
buttons by their object names (:data:`Confirm.ACT_BUTTON`, :data:`Confirm.SAFE_BUTTON`).
"""

from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass(frozen=True)
class Question:
    """What to ask: the window title, the question, what follows, and the two buttons' words."""

    title: str
    text: str
    details: str
    act: str  # the destructive choice, e.g. "结束直播"
    safe: str  # the safe choice, e.g. "继续直播"


class Confirm:
    """A modal warning with a destructive and a safe button; tests replace :meth:`ask`."""

    ACT_BUTTON = "confirm_act_button"
    SAFE_BUTTON = "confirm_safe_button"

    @classmethod
    def build(cls, parent: QWidget | None, question: Question) -> QMessageBox:
        """The dialog, not yet shown; the safe button is the default and the escape."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(question.title)
        box.setText(question.text)
        if question.details:
            box.setInformativeText(question.details)
        act = box.addButton(question.act, QMessageBox.ButtonRole.DestructiveRole)
        act.setObjectName(cls.ACT_BUTTON)
        safe = box.addButton(question.safe, QMessageBox.ButtonRole.RejectRole)
        safe.setObjectName(cls.SAFE_BUTTON)
        box.setDefaultButton(safe)
        box.setEscapeButton(safe)
        return box

    @classmethod
    def ask(cls, parent: QWidget | None, question: Question) -> bool:
        """Whether the seller chose the destructive button (a modal question)."""
        box = cls.build(parent, question)
        try:
            box.exec()
            clicked = box.clickedButton()
            return clicked is not None and clicked.objectName() == cls.ACT_BUTTON
        finally:
            box.deleteLater()

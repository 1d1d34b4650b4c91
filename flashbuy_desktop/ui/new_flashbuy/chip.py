"""One targeted viewer, shown as a chip with a button that removes it."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone


class TargetChip(QFrame):
    """One targeted viewer's nickname, with a button that removes it."""

    removed = Signal(int)  # viewer id

    def __init__(self, viewer_id: int, nickname: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer_id = viewer_id
        self.nickname = nickname
        self.setObjectName("chip")
        theme.set_tone(self, Tone.CHIP)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        layout.addWidget(QLabel(nickname, self))
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove {nickname}").format(nickname=nickname))
        self.remove_button.clicked.connect(lambda: self.removed.emit(self.viewer_id))
        layout.addWidget(self.remove_button)

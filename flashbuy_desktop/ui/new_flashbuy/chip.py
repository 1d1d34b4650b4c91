"""One targeted viewer, shown as a chip with their record and a button that removes it."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone


class TargetChip(QFrame):
    """One targeted viewer's nickname and record ("回头客 5 · 跑单 1"), and a remove button."""

    removed = Signal(int)  # viewer id

    def __init__(
        self, viewer_id: int, nickname: str, record: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.viewer_id = viewer_id
        self.nickname = nickname
        self.setObjectName("chip")
        theme.set_tone(self, Tone.CHIP)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        layout.addWidget(QLabel(nickname, self))
        # Whether this viewer pays, at the moment the seller offers them a piece.
        self.record_label = QLabel(record, self)
        self.record_label.setObjectName("chip_record")
        theme.set_tone(self.record_label, Tone.MUTED)
        self.record_label.setVisible(bool(record))
        layout.addWidget(self.record_label)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove {nickname}").format(nickname=nickname))
        self.remove_button.clicked.connect(lambda: self.removed.emit(self.viewer_id))
        layout.addWidget(self.remove_button)

"""Which waiting piece goes to the viewer, when more than one came back (a small modal list)."""

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashbuy_protocol.models import FlashBuy
from flashbuy_protocol.money import format_fen


def piece_name(flashbuy: FlashBuy) -> str:
    """A flash-buy as the seller names it: "3号 冰种手镯 (¥1,288)"."""
    return QCoreApplication.translate("PiecePicker", "{title} (¥{price})").format(
        title=flashbuy.title, price=format_fen(flashbuy.price_fen)
    )


class PiecePicker(QDialog):
    """Lists the pieces waiting for a buyer; the seller picks the one to hand over."""

    def __init__(
        self, pieces: list[FlashBuy], nickname: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("piece_picker")
        self.setWindowTitle(self.tr("Hand over"))
        self.pieces = pieces
        self.label = QLabel(
            self.tr("Which piece goes to {nickname}?").format(nickname=nickname), self
        )
        self.list = QListWidget(self)
        for piece in pieces:
            QListWidgetItem(piece_name(piece), self.list)
        self.list.setCurrentRow(0)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Hand over"))
        self.ok_button.setObjectName("piece_picker_ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())

    def chosen(self) -> FlashBuy | None:
        """The piece selected in the list."""
        row = self.list.currentRow()
        return self.pieces[row] if 0 <= row < len(self.pieces) else None

    @classmethod
    def choose(
        cls, parent: QWidget | None, pieces: list[FlashBuy], nickname: str
    ) -> FlashBuy | None:
        """Ask (modal); the piece chosen, or None if cancelled."""
        picker = cls(pieces, nickname, parent)
        try:
            return picker.chosen() if picker.exec() == QDialog.DialogCode.Accepted else None
        finally:
            picker.deleteLater()

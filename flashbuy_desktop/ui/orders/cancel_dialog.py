"""The seller's reason for cancelling a buyer's unpaid order, asked before anything is sent.

Cancelling cannot be undone: the piece goes to the next viewer in the queue or back on sale.
So the window names both choices, and "Cancel order" works only once a reason is typed, so a
stray Enter cancels nothing; Esc keeps the order.
"""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.ui.theme import Tone, set_tone
from flashbuy_protocol.limits import CANCEL_REASON_MAX
from flashbuy_protocol.models import Order
from flashbuy_protocol.money import format_fen


class CancelOrderDialog(QDialog):
    """Asks why the seller cancels ``order``; :meth:`reason` once accepted."""

    def __init__(self, order: Order, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancel_order_dialog")
        self.setWindowTitle(self.tr("Cancel order"))
        question = QLabel(
            self.tr("Cancel {nickname}'s unpaid order (¥{price})?").format(
                nickname=order.nickname, price=format_fen(order.price_fen)
            )
        )
        details = QLabel(
            self.tr(
                "The piece goes to the next viewer in the queue, or back on sale."
                " The buyer sees your reason."
            )
        )
        details.setWordWrap(True)
        set_tone(details, Tone.MUTED)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("cancel_reason")
        self.reason_edit.setMaxLength(CANCEL_REASON_MAX)
        self.reason_edit.setPlaceholderText(self.tr("Reason, e.g. the buyer asked to cancel"))
        buttons = QDialogButtonBox()
        self.act = QPushButton(self.tr("Cancel order"))
        self.act.setObjectName("cancel_order_act")
        self.keep = QPushButton(self.tr("Keep the order"))
        self.keep.setObjectName("cancel_order_keep")
        buttons.addButton(self.act, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._typed)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(details)
        layout.addWidget(self.reason_edit)
        layout.addWidget(buttons)
        self._typed("")

    def reason(self) -> str:
        """The reason as typed, trimmed."""
        return self.reason_edit.text().strip()

    def _typed(self, _text: str) -> None:
        has_reason = bool(self.reason())
        self.act.setEnabled(has_reason)
        # Enter confirms only a reason typed; with none it does nothing at all.
        self.act.setDefault(has_reason)
        self.act.setAutoDefault(has_reason)
        self.keep.setAutoDefault(False)

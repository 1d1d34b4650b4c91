"""The viewer's card: who pays, the seller's own note, and blocking (click a nickname).

A small window per viewer, opened from their name in the comment list. It shows the record
whole (pieces paid and what they came to, orders left unpaid until they expired, orders the
viewer cancelled), the seller's note, editable, and 拉黑 / 取消拉黑. Every change goes to the
platform through Tasks, never on the GUI thread; the card shows what the platform answers,
and later ``viewer.record`` events (:meth:`ViewerCard.set_record`) keep it current. Blocking
asks first (:class:`~flashbuy_desktop.ui.confirm.Confirm`); unblocking does not, it only
gives back.
"""

import logging

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.limits import VIEWER_NOTE_MAX, text_problem, trim
from flashbuy_protocol.models import ViewerRecord, ViewerRecordChange
from flashbuy_protocol.money import format_fen

log = logging.getLogger(__name__)


class ViewerCard(QDialog):
    """One viewer's record, note and block, as this creator knows them."""

    recordChanged = Signal(object)  # ViewerRecord, as the platform answered a change

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        viewer_id: int,
        nickname: str,
        record: ViewerRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks.scoped(self)
        self.viewer_id = viewer_id
        self.nickname = nickname
        self.record: ViewerRecord | None = None
        self._busy = False
        self._read = False  # the platform answered: whether they are blocked is known
        self.setObjectName("viewer_card")
        self.setWindowTitle(self.tr("Viewer: {nickname}").format(nickname=nickname))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build()
        self.set_record(record or ViewerRecord(viewer_id=viewer_id, nickname=nickname))
        self.block_button.setEnabled(False)  # until the platform said whether they are blocked

    def _build(self) -> None:
        self.name_label = QLabel(self.nickname, self)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_tone(self.name_label, Tone.STRONG)
        self.blocked_label = QLabel(self.tr("Blocked: gets no offer from you"), self)
        theme.set_tone(self.blocked_label, Tone.ERROR)
        self.blocked_label.hide()
        self.paid_label = QLabel(self)
        self.unpaid_label = QLabel(self)
        self.cancelled_label = QLabel(self)
        record = QFormLayout()
        record.addRow(self.tr("Paid"), self.paid_label)
        record.addRow(self.tr("Left unpaid"), self.unpaid_label)
        record.addRow(self.tr("Cancelled"), self.cancelled_label)

        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("viewer_note_edit")
        self.note_edit.setMaxLength(VIEWER_NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("Your note on this viewer (only you see it)"))
        self.save_note_button = QPushButton(self.tr("Save note"), self)
        self.save_note_button.setObjectName("viewer_note_save")
        self.save_note_button.setAutoDefault(False)
        self.save_note_button.setEnabled(False)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.save_note_button)
        record.addRow(self.tr("Note"), note_row)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.block_button = QPushButton(self)
        self.block_button.setObjectName("viewer_block_button")
        self.block_button.setAutoDefault(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.block_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.blocked_label)
        layout.addLayout(record)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)

        self.note_edit.textEdited.connect(self._note_edited)
        self.note_edit.returnPressed.connect(self.save_note)
        self.save_note_button.clicked.connect(self.save_note)
        self.block_button.clicked.connect(self.toggle_block)
        self.close_button.clicked.connect(self.close)

    # --- showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the record from the platform (the comment list's may be older or missing)."""
        self.tasks.run(
            lambda: self.client.viewer_record(self.viewer_id),
            self._loaded,
            self._failed,
            key="record",
        )

    def _loaded(self, record: ViewerRecord) -> None:
        self._read = True
        self.set_record(record)
        self.block_button.setEnabled(not self._busy)

    def set_record(self, record: ViewerRecord) -> None:
        """Show ``record`` (the note only while the seller is not editing it)."""
        if record.viewer_id != self.viewer_id:
            return
        editing = self.record is not None and self.note_edit.text() != self.record.note
        self.record = record
        self.paid_label.setText(
            self.tr("%n piece(s) · ¥{amount}", "", record.paid_count).format(
                amount=format_fen(record.paid_fen)
            )
        )
        self.unpaid_label.setText(self.tr("%n order(s) expired", "", record.expired_count))
        theme.set_tone(self.unpaid_label, Tone.ERROR if record.expired_count else None)
        self.cancelled_label.setText(self.tr("%n order(s)", "", record.cancelled_count))
        if not editing:
            self.note_edit.setText(record.note)
        self._note_edited()
        self.blocked_label.setVisible(record.blocked)
        self.block_button.setText(self.tr("Unblock") if record.blocked else self.tr("Block"))

    def _note_edited(self, _text: str = "") -> None:
        saved = self.record.note if self.record is not None else ""
        self.save_note_button.setEnabled(not self._busy and self.note_edit.text() != saved)

    def _say(self, text: str | None, tone: Tone | None = None) -> None:
        self.status_label.setText(text or "")
        theme.set_tone(self.status_label, tone)
        self.status_label.setVisible(bool(text))

    def _failed(self, error: Exception) -> None:
        log.warning("viewer %s: %s", self.viewer_id, error)
        self._set_busy(False)
        self._say(describe(error), Tone.ERROR)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.block_button.setEnabled(self._read and not busy)
        self.note_edit.setReadOnly(busy)
        self._note_edited()

    # --- changing ---------------------------------------------------------------------------

    def save_note(self) -> None:
        """Save the note as typed (Enter in the note, or 保存备注)."""
        if self._busy:
            return
        note = trim(self.note_edit.text())
        if problem := text_problem(note):
            self._say(text_rule_reason(problem, self.tr("note")), Tone.ERROR)
            return
        try:
            change = ViewerRecordChange(note=note)
        except ValidationError as exc:
            self._say(self.tr("Invalid input: {reason}").format(reason=exc.errors()[0]["msg"]))
            return
        self._send(change, self.tr("Note saved"))

    def toggle_block(self) -> None:
        """拉黑 (after asking) or 取消拉黑."""
        if self._busy or self.record is None:
            return
        if self.record.blocked:
            self._send(ViewerRecordChange(blocked=False), self.tr("Unblocked"))
            return
        question = Question(
            title=self.tr("Block viewer"),
            text=self.tr("Block {nickname}?").format(nickname=self.nickname),
            details=self.tr(
                "They get no offer from you in this live or later ones, and cannot pay for"
                " a piece. Orders they already paid stay theirs. You can unblock them here."
            ),
            act=self.tr("Block"),
            safe=self.tr("Cancel"),
        )
        if not Confirm.ask(self, question):
            return
        self._send(ViewerRecordChange(blocked=True), self.tr("Blocked"))

    def _send(self, change: ViewerRecordChange, done: str) -> None:
        self._set_busy(True)
        self._say(self.tr("Saving…"), Tone.MUTED)
        viewer_id = self.viewer_id

        def changed(record: ViewerRecord) -> None:
            self._read = True
            self._set_busy(False)
            if change.note is not None:
                self.note_edit.setText(record.note)
            self.set_record(record)
            self._say(done, Tone.SUCCESS)
            self.recordChanged.emit(record)

        self.tasks.run(
            lambda: self.client.change_viewer_record(viewer_id, change),
            changed,
            self._failed,
            key="change",
        )

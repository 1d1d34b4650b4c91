"""The viewers a targeted flash-buy is for: the comment that asked, their chips, and a picker."""

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.chip import TargetChip
from flashbuy_desktop.ui.new_flashbuy.inline import inline_label, say
from flashbuy_desktop.ui.theme import Tone
from flashbuy_desktop.ui.viewers.words import summary
from flashbuy_protocol.models import Viewer, ViewerRecord


class TargetsBox(QWidget):
    """The targeted viewers as chips; more are added from a searchable list of the room's."""

    changed = Signal()  # a viewer was added or removed

    def __init__(
        self,
        targets: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        record_of: Callable[[int], ViewerRecord | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._record_of = record_of
        self._targets: dict[int, str] = {}
        self._viewers: list[Viewer] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.comment_label = QLabel(self)
        self.comment_label.setWordWrap(True)
        self.comment_label.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_tone(self.comment_label, Tone.QUOTE)
        self.comment_label.hide()
        layout.addWidget(self.comment_label)
        self.chips_layout = QHBoxLayout()
        self.chips_layout.setSpacing(4)
        self.chips_layout.addStretch(1)
        layout.addLayout(self.chips_layout)
        add_row = QHBoxLayout()
        self.viewer_combo = QComboBox(self)
        self.viewer_combo.setPlaceholderText(self.tr("Choose a viewer in the live room"))
        self.viewer_combo.setMinimumContentsLength(12)
        # Searchable: typing any part of a nickname narrows the list (most active first).
        self.viewer_combo.setEditable(True)
        self.viewer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.viewer_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Search viewers by nickname"))
        completer = QCompleter(self.viewer_combo.model(), self.viewer_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.viewer_combo.setCompleter(completer)
        add_row.addWidget(self.viewer_combo, 1)
        self.add_target_button = QPushButton(self.tr("Add viewer"), self)
        self.add_target_button.setAutoDefault(False)
        add_row.addWidget(self.add_target_button)
        layout.addLayout(add_row)
        self.targets_error = inline_label(self)
        layout.addWidget(self.targets_error)
        self.add_target_button.clicked.connect(self._add_selected_viewer)
        for viewer_id, nickname in targets:
            self.add_target(viewer_id, nickname)

    def set_comment(self, comment: str | None) -> None:
        """The comment whose + opened the window, quoted above the chips (None: none)."""
        self.comment_label.setText(
            self.tr("Comment: “{comment}”").format(comment=comment) if comment else ""
        )
        self.comment_label.setVisible(bool(comment))

    def targets(self) -> list[tuple[int, str]]:
        return list(self._targets.items())

    def chips(self) -> list[TargetChip]:
        return self.findChildren(TargetChip)

    def add_target(self, viewer_id: int, nickname: str) -> None:
        if viewer_id in self._targets:
            return
        self._targets[viewer_id] = nickname
        record = summary(self._record_of(viewer_id)) if self._record_of is not None else ""
        chip = TargetChip(viewer_id, nickname, record, self)
        chip.remove_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        chip.removed.connect(self.remove_target)
        self.chips_layout.insertWidget(self.chips_layout.count() - 1, chip)
        say(self.targets_error, None)
        self._refill_viewer_combo()
        self.changed.emit()

    def remove_target(self, viewer_id: int) -> None:
        self._targets.pop(viewer_id, None)
        for chip in self.chips():
            if chip.viewer_id == viewer_id:
                chip.hide()
                chip.deleteLater()
        self._refill_viewer_combo()
        self.changed.emit()

    def set_viewers(self, viewers: list[Viewer]) -> None:
        """The room's viewers, the latest to speak first: those not yet targeted are offered."""
        self._viewers = viewers
        self._refill_viewer_combo()

    def _add_selected_viewer(self) -> None:
        data = self.viewer_combo.currentData()
        if isinstance(data, int):
            self.add_target(data, self.viewer_combo.currentText())

    def _refill_viewer_combo(self) -> None:
        self.viewer_combo.clear()
        for viewer in self._viewers:
            if viewer.id not in self._targets:
                self.viewer_combo.addItem(viewer.nickname, viewer.id)
        self.viewer_combo.setCurrentIndex(-1)

"""The creator's shipping templates: a list to create, edit and delete them from."""

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.shipping.template_editor import ShippingTemplateEditor
from flashbuy_desktop.ui.shipping.template_words import (
    delete_question,
    excluded_summary,
    fee_summary,
    kind_text,
    say,
)
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.models import ShippingTemplate


class ShippingTemplateManager(QDialog):
    """The creator's shipping templates: list, create, edit, delete.

    It loads the list when built and after every change. :attr:`loaded` carries each
    list shown; :attr:`failed` carries each failure's sentence, also shown in the window.
    Deleting asks first (:meth:`Confirm.ask <flashbuy_desktop.ui.confirm.Confirm.ask>`).
    """

    loaded = Signal(list)  # list[ShippingTemplate], after every refresh
    failed = Signal(str)  # the sentence shown for a failure
    changed = Signal()  # a template was created, edited or deleted

    # Marked for translation here, translated when the table is built.
    COLUMNS = (
        QT_TRANSLATE_NOOP("ShippingTemplateManager", "Name"),
        QT_TRANSLATE_NOOP("ShippingTemplateManager", "Fee type"),
        QT_TRANSLATE_NOOP("ShippingTemplateManager", "Postage"),
        QT_TRANSLATE_NOOP("ShippingTemplateManager", "Not shipped to"),
    )

    def __init__(self, parent: QWidget | None, client: PlatformClient, tasks: Tasks) -> None:
        super().__init__(parent)
        self._client = client
        self._app_tasks = tasks
        self._tasks = tasks.scoped(self)
        self.templates: list[ShippingTemplate] = []
        self._busy = False
        self.setWindowTitle(self.tr("Shipping templates"))
        self.setMinimumSize(QSize(760, 420))

        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("template_table")
        self.table.setHorizontalHeaderLabels([self.tr(str(c)) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit_selected())

        self.new_button = self._button(self.tr("New…"), "new_button", self.create_template)
        self.edit_button = self._button(self.tr("Edit…"), "edit_button", self.edit_selected)
        self.delete_button = self._button(self.tr("Delete"), "delete_button", self.delete_selected)
        self.close_button = self._button(self.tr("Close"), "close_button", self.accept)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._update_buttons()
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())
        return button

    # --- the list -------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        """Load the templates again; keep (or move to ``select_id``) the selection."""
        keep = select_id if select_id is not None else self._selected_id()
        client = self._client
        self._tasks.run(
            client.templates,
            lambda templates: self._show(templates, keep),
            self._load_failed,
            key="load",
        )

    def _show(self, templates: list[ShippingTemplate], select_id: int | None) -> None:
        self.templates = sorted(templates, key=lambda t: t.id)
        self.table.setRowCount(len(self.templates))
        for row, t in enumerate(self.templates):
            cells = (t.name, kind_text(t.kind), fee_summary(t), excluded_summary(t))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, t.id)
                if column == 2:
                    item.setToolTip(fee_summary(t, limit=None))
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        if select_id is not None:
            self.select(select_id)
        self._update_buttons()
        self.loaded.emit(list(self.templates))

    def _load_failed(self, error: Exception) -> None:
        self._report(
            self.tr("Could not load the shipping templates: {reason}").format(
                reason=describe(error)
            )
        )

    def _report(self, text: str) -> None:
        theme.set_tone(self.status_label, Tone.ERROR)
        self.status_label.setText(text)
        self.failed.emit(text)

    def _note(self, text: str) -> None:
        theme.set_tone(self.status_label, None)
        self.status_label.setText(text)

    def row_of(self, template_id: int) -> int:
        """The table row of ``template_id``, or -1."""
        for row, t in enumerate(self.templates):
            if t.id == template_id:
                return row
        return -1

    def select(self, template_id: int) -> None:
        """Select the row of ``template_id``, if it is listed."""
        row = self.row_of(template_id)
        if row >= 0:
            self.table.selectRow(row)

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def selected(self) -> ShippingTemplate | None:
        """The template whose row is selected."""
        tid = self._selected_id()
        return next((t for t in self.templates if t.id == tid), None)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None and not self._busy
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.new_button.setEnabled(not self._busy)

    # --- changes --------------------------------------------------------------------------

    def create_template(self) -> None:
        """新建…: the editor for a new template; the list shows it once saved."""
        created = ShippingTemplateEditor.create(self, self._client, self._app_tasks)
        if created is not None:
            self._note(self.tr("Made the shipping template “{name}”").format(name=created.name))
            self.changed.emit()
            self.refresh(select_id=created.id)

    def edit_selected(self) -> None:
        """编辑…: the editor for the selected template."""
        template = self.selected()
        if template is None or self._busy:
            return
        saved = ShippingTemplateEditor.edit(self, self._client, self._app_tasks, template)
        if saved is not None:
            self._note(self.tr("Saved the shipping template “{name}”").format(name=saved.name))
            self.changed.emit()
            self.refresh(select_id=saved.id)

    def delete_selected(self) -> None:
        """删除: ask, then delete the selected template on the platform."""
        template = self.selected()
        if template is None or self._busy or not Confirm.ask(self, delete_question(template)):
            return
        client, tid = self._client, template.id

        def work() -> None:
            client.delete_template(tid)

        def deleted(_: None) -> None:
            self._set_busy(False)
            self._note(self.tr("Deleted the shipping template “{name}”").format(name=template.name))
            self.changed.emit()
            self.refresh()

        def refused(error: Exception) -> None:
            self._set_busy(False)
            self._report(
                self.tr("Could not delete “{name}”: {reason}").format(
                    name=template.name, reason=say(error)
                )
            )
            self.refresh(select_id=tid)

        self._set_busy(True)
        self._note(self.tr("Deleting…"))
        self._tasks.run(work, deleted, refused, key="delete")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

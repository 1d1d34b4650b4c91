"""The by-region page of the shipping editor: a default postage and regions with their own.

添加地区 puts the keyboard in the new region's fee, so the fee the seller types next lands
there.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.ui.shipping.template_checks import DEFAULT, fee_field
from flashbuy_protocol.limits import REGIONS


class RegionFees(QWidget):
    """A default postage, and a table of regions each with a fee field and a Remove button.

    ``touched`` carries the field name (:mod:`.template_checks`) of a fee the seller edited;
    ``rows_changed`` says a region was added or removed.
    """

    touched = Signal(str)
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.default_fee_edit = QLineEdit(self)
        self.default_fee_edit.setObjectName("default_fee_edit")
        self.default_fee_edit.setPlaceholderText(
            self.tr("Yuan, charged to every region without a postage of its own")
        )
        form.addRow(self.tr("Default postage (yuan)"), self.default_fee_edit)
        layout.addLayout(form)

        adder = QHBoxLayout()
        adder.addWidget(QLabel(self.tr("Regions with a postage of their own:"), self))
        self.region_combo = QComboBox(self)
        self.region_combo.setObjectName("region_combo")
        self.region_combo.setMinimumContentsLength(6)
        adder.addWidget(self.region_combo)
        self.add_region_button = QPushButton(self.tr("Add region"), self)
        self.add_region_button.setObjectName("add_region_button")
        self.add_region_button.setAutoDefault(False)
        self.add_region_button.clicked.connect(self._add_chosen_region)
        adder.addWidget(self.add_region_button)
        adder.addStretch(1)
        layout.addLayout(adder)

        self.region_table = QTableWidget(0, 3, self)
        self.region_table.setObjectName("region_table")
        self.region_table.setHorizontalHeaderLabels(
            [self.tr("Region"), self.tr("Postage (yuan)"), ""]
        )
        self.region_table.verticalHeader().setVisible(False)
        self.region_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.region_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.region_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.region_table.setMinimumHeight(150)
        layout.addWidget(self.region_table, 1)
        self._refill_region_combo()
        self.default_fee_edit.textChanged.connect(lambda _text: self.touched.emit(DEFAULT))

    def _add_chosen_region(self) -> None:
        edit = self.add_region(self.region_combo.currentText())
        if edit is not None:
            self.region_table.scrollToBottom()
            edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def region_rows(self) -> list[tuple[str, QLineEdit]]:
        """The regions priced in the table, in order, with their fee fields."""
        rows = []
        for row in range(self.region_table.rowCount()):
            item = self.region_table.item(row, 0)
            edit = self.region_table.cellWidget(row, 1)
            if item is not None and isinstance(edit, QLineEdit):
                rows.append((item.text(), edit))
        return rows

    def fee_edit(self, region: str) -> QLineEdit | None:
        """The fee field of ``region`` in the table, if it is listed."""
        return dict(self.region_rows()).get(region)

    def add_region(self, region: str, fee_text: str = "") -> QLineEdit | None:
        """Add a row for ``region`` (one of REGIONS not yet listed); its fee field."""
        if region not in REGIONS or self.fee_edit(region) is not None:
            return None
        row = self.region_table.rowCount()
        self.region_table.insertRow(row)
        item = QTableWidgetItem(region)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.region_table.setItem(row, 0, item)
        edit = QLineEdit(fee_text, self.region_table)
        edit.setObjectName(f"region_fee_{region}")
        edit.setPlaceholderText(self.tr("yuan"))
        edit.setFrame(False)
        edit.textChanged.connect(lambda _text: self.touched.emit(fee_field(region)))
        self.region_table.setCellWidget(row, 1, edit)
        remove = QPushButton(self.tr("Remove"), self.region_table)
        remove.setObjectName(f"remove_region_{region}")
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.remove_region(region))
        self.region_table.setCellWidget(row, 2, remove)
        self._refill_region_combo()
        self.rows_changed.emit()
        return edit

    def remove_region(self, region: str) -> None:
        """Take ``region`` out of the table: it is charged the default fee again."""
        for row in range(self.region_table.rowCount()):
            item = self.region_table.item(row, 0)
            if item is not None and item.text() == region:
                self.region_table.removeRow(row)
                break
        self._refill_region_combo()
        self.rows_changed.emit()

    def _refill_region_combo(self) -> None:
        listed = {region for region, _ in self.region_rows()}
        self.region_combo.clear()
        self.region_combo.addItems([r for r in REGIONS if r not in listed])
        self.add_region_button.setEnabled(self.region_combo.count() > 0)

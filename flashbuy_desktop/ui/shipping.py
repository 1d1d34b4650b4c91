"""Shipping templates (运费模板): the editor for one template and the creator's list of them.

Fees are typed in yuan and carried in whole fen, never through a float. The editor checks
every rule the platform enforces before it is asked (:class:`ShippingTemplateIn`) and says
the reasons in the seller's language: a field's problem once the seller edited it, every
problem once they press Save (which then sends nothing and puts the cursor in the first
field to fix), never at open (:mod:`flashbuy_desktop.ui.form_errors`). The reasons have room
kept for them, so Save and Cancel never move. 添加地区 puts the cursor in the new region's
fee. The platform's own refusal, if any, is shown in the same place and the editor stays
open.
"""

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient, PlatformError
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.form_errors import Problem, fit_lines, shown
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    FEE_MAX_FEN,
    REGIONS,
    TEMPLATE_NAME_MAX,
    TextProblem,
    text_problem,
    trim,
)
from flashbuy_protocol.models import ShippingTemplate, ShippingTemplateIn
from flashbuy_protocol.money import MoneyError, MoneyProblem, format_fen, parse_yuan

_ERROR_STYLE = "color: #c0392b;"
ERROR_LINES = 3  # lines of problems the editor has room for (then "…and 2 more")
# The editor's fields, as its problems name them.
_NAME, _FLAT, _DEFAULT = "name", "flat", "default"


def _fee_field(region: str) -> str:
    return f"fee:{region}"


SUMMARY_REGIONS = 3  # region fees shown in a list's summary before "…"


def parse_fee(text: str) -> int:
    """Return the fen in a postage typed in yuan (``"0"``, ``"12"``, ``"¥1,288.50"``).

    :func:`flashbuy_protocol.money.parse_yuan` decides, with 0 as a valid fee and
    :data:`FEE_MAX_FEN` as the maximum. Raises :class:`FeeError` saying why, in the
    seller's language.
    """
    try:
        return parse_yuan(text, minimum=0, maximum=FEE_MAX_FEN)
    except MoneyError as exc:
        raise FeeError(exc) from exc


class FeeError(MoneyError):
    """A postage that is not an amount; ``str()`` says why in the seller's language."""

    def __init__(self, error: MoneyError) -> None:
        ValueError.__init__(self, fee_reason(error))
        self.problem, self.minimum, self.maximum = error.problem, error.minimum, error.maximum


def fee_reason(error: MoneyError) -> str:
    """Why ``error``'s postage was refused, in the seller's language."""
    # Marked with QT_TRANSLATE_NOOP (lupdate reads literal strings only, never a helper's
    # argument) and translated here, when shown.
    reasons = {
        MoneyProblem.EMPTY: QT_TRANSLATE_NOOP("Shipping", "Enter the postage"),
        MoneyProblem.NEGATIVE: QT_TRANSLATE_NOOP("Shipping", "The postage cannot be negative"),
        MoneyProblem.NOT_AN_AMOUNT: QT_TRANSLATE_NOOP(
            "Shipping", "The postage can contain only digits and a decimal point"
        ),
        MoneyProblem.TOO_MANY_DECIMALS: QT_TRANSLATE_NOOP(
            "Shipping", "The postage has at most two decimals"
        ),
        MoneyProblem.TOO_LOW: QT_TRANSLATE_NOOP("Shipping", "The postage cannot be negative"),
        MoneyProblem.TOO_HIGH: QT_TRANSLATE_NOOP("Shipping", "The postage is at most {max} yuan"),
    }
    return QCoreApplication.translate("Shipping", str(reasons[error.problem])).format(
        max=format_fen(error.maximum)
    )


def fen_text(fen: int) -> str:
    """A fee as the editor shows it for editing: ``"23.00"``."""
    return format_fen(fen).replace(",", "")


def say(error: BaseException) -> str:
    """:func:`describe`, and for a template that is gone (``NOT_FOUND``) a sentence of ours."""
    if isinstance(error, PlatformError) and str(error.code) == ErrorCode.NOT_FOUND:
        return QCoreApplication.translate(
            "Shipping",
            "This shipping template no longer exists (it may have been deleted elsewhere)",
        )
    return describe(error)


def kind_text(kind: TemplateKind) -> str:
    """The kind of a template in words."""
    return {
        TemplateKind.FREE: QCoreApplication.translate("Shipping", "Free shipping"),
        TemplateKind.FLAT: QCoreApplication.translate("Shipping", "Flat fee"),
        TemplateKind.BY_REGION: QCoreApplication.translate("Shipping", "By region"),
    }[kind]


def _ordered(regions: "list[str] | dict[str, int]") -> list[str]:
    return sorted(regions, key=lambda r: REGIONS.index(r) if r in REGIONS else len(REGIONS))


def fee_summary(template: ShippingTemplate, limit: int | None = SUMMARY_REGIONS) -> str:
    """The postage in a few words: "包邮", "¥23.00", "默认 ¥10.00，广东 ¥0.00…"."""
    if template.kind == TemplateKind.FREE:
        return QCoreApplication.translate("Shipping", "Free shipping")
    if template.kind == TemplateKind.FLAT:
        return "¥" + format_fen(template.flat_fee_fen or 0)
    parts = [
        QCoreApplication.translate("Shipping", "Default ¥{fee}").format(
            fee=format_fen(template.default_fee_fen or 0)
        )
    ]
    regions = _ordered(template.region_fees)
    shown = regions if limit is None else regions[:limit]
    parts += [f"{r} ¥{format_fen(template.region_fees[r])}" for r in shown]
    text = QCoreApplication.translate("Shipping", ", ", "between the fees of a summary").join(parts)
    return text + ("…" if len(shown) < len(regions) else "")


def excluded_summary(template: ShippingTemplate) -> str:
    """The regions a template does not ship to: "不发: 新疆, 西藏", or ""."""
    if not template.excluded_regions:
        return ""
    return QCoreApplication.translate("Shipping", "Not shipped to: {regions}").format(
        regions=", ".join(_ordered(template.excluded_regions))
    )


# --- the editor ---------------------------------------------------------------------------


class ShippingTemplateEditor(QDialog):
    """Create or edit one shipping template; closes (accepted) once the platform saved it.

    :attr:`template` is the saved template after acceptance; :attr:`saved` is emitted
    with it just before the dialog closes.
    """

    saved = Signal(object)  # the ShippingTemplate the platform stored

    def __init__(
        self,
        parent: QWidget | None,
        client: PlatformClient,
        tasks: Tasks,
        template: ShippingTemplate | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = tasks.scoped(self)
        self._original = template
        self.template: ShippingTemplate | None = None
        self._body: ShippingTemplateIn | None = None
        self._saving = False
        # Problems show for the fields the seller edited, or all once they tried to save.
        self._touched: set[str] = set()
        self._tried = False
        self._ready = False  # filling in a loaded template is not the seller's editing
        self.setWindowTitle(
            self.tr("Edit shipping template") if template else self.tr("New shipping template")
        )
        self.setMinimumSize(QSize(600, 640))
        self._build()
        if template is not None:
            self._load(template)
        self._ready = True
        self._validate()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.nameEdit = QLineEdit(self)
        self.nameEdit.setObjectName("nameEdit")
        self.nameEdit.setPlaceholderText(
            self.tr(
                "e.g. Free shipping to Jiangsu, Zhejiang, Shanghai (at most {n} characters)"
            ).format(n=TEMPLATE_NAME_MAX)
        )
        form.addRow(self.tr("Template name"), self.nameEdit)

        self.freeRadio = QRadioButton(self.tr("Free shipping"), self)
        self.flatRadio = QRadioButton(self.tr("Flat fee"), self)
        self.byRegionRadio = QRadioButton(self.tr("By region"), self)
        self.kindGroup = QButtonGroup(self)
        kinds = QHBoxLayout()
        for index, (radio, name) in enumerate(
            (
                (self.freeRadio, "freeRadio"),
                (self.flatRadio, "flatRadio"),
                (self.byRegionRadio, "byRegionRadio"),
            )
        ):
            radio.setObjectName(name)
            self.kindGroup.addButton(radio, index)
            kinds.addWidget(radio)
        kinds.addStretch(1)
        self.freeRadio.setChecked(True)
        form.addRow(self.tr("Fee type"), kinds)

        self.kindPages = QStackedWidget(self)
        self.kindPages.addWidget(self._free_page())
        self.kindPages.addWidget(self._flat_page())
        self.kindPages.addWidget(self._region_page())

        excluded = QGroupBox(
            self.tr("Regions not shipped to (buyers in a ticked region cannot order)"), self
        )
        excluded_layout = QVBoxLayout(excluded)
        self.excludedList = QListWidget(excluded)
        self.excludedList.setObjectName("excludedList")
        self.excludedList.setFlow(QListWidget.Flow.LeftToRight)
        self.excludedList.setWrapping(True)
        self.excludedList.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.excludedList.setMovement(QListWidget.Movement.Static)
        self.excludedList.setGridSize(QSize(84, 26))
        self.excludedList.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for region in REGIONS:
            item = QListWidgetItem(region, self.excludedList)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.excludedList.setMinimumHeight(140)
        excluded_layout.addWidget(self.excludedList)

        self.errorLabel = QLabel(self)
        self.errorLabel.setObjectName("errorLabel")
        self.errorLabel.setStyleSheet(_ERROR_STYLE)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for ERROR_LINES lines, kept whether empty or full: a problem appearing never
        # moves Save and Cancel under the pointer, nor grows the window.
        self.errorLabel.setFixedHeight(self.errorLabel.fontMetrics().lineSpacing() * ERROR_LINES)
        self.errorLabel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        self.buttons = QDialogButtonBox(self)
        self.okButton = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.okButton.setObjectName("okButton")
        self.okButton.setDefault(True)
        self.cancelButton = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancelButton.setObjectName("cancelButton")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.kindPages)
        layout.addWidget(excluded, 1)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)

        self.nameEdit.textChanged.connect(lambda _text: self._touch(_NAME))
        self.kindGroup.idToggled.connect(self._kind_toggled)
        self.flatFeeEdit.textChanged.connect(lambda _text: self._touch(_FLAT))
        self.defaultFeeEdit.textChanged.connect(lambda _text: self._touch(_DEFAULT))
        self.excludedList.itemChanged.connect(self._validate)

    def _free_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(self.tr("Buyers pay no postage."), page)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _flat_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.flatFeeEdit = QLineEdit(page)
        self.flatFeeEdit.setObjectName("flatFeeEdit")
        self.flatFeeEdit.setPlaceholderText(self.tr("Yuan, e.g. 12 or 8.50; 0 means no postage"))
        form.addRow(self.tr("Postage (yuan)"), self.flatFeeEdit)
        return page

    def _region_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.defaultFeeEdit = QLineEdit(page)
        self.defaultFeeEdit.setObjectName("defaultFeeEdit")
        self.defaultFeeEdit.setPlaceholderText(
            self.tr("Yuan, charged to every region without a postage of its own")
        )
        form.addRow(self.tr("Default postage (yuan)"), self.defaultFeeEdit)
        layout.addLayout(form)

        adder = QHBoxLayout()
        adder.addWidget(QLabel(self.tr("Regions with a postage of their own:"), page))
        self.regionCombo = QComboBox(page)
        self.regionCombo.setObjectName("regionCombo")
        self.regionCombo.setMinimumContentsLength(6)
        adder.addWidget(self.regionCombo)
        self.addRegionButton = QPushButton(self.tr("Add region"), page)
        self.addRegionButton.setObjectName("addRegionButton")
        self.addRegionButton.setAutoDefault(False)
        self.addRegionButton.clicked.connect(self._add_chosen_region)
        adder.addWidget(self.addRegionButton)
        adder.addStretch(1)
        layout.addLayout(adder)

        self.regionTable = QTableWidget(0, 3, page)
        self.regionTable.setObjectName("regionTable")
        self.regionTable.setHorizontalHeaderLabels(
            [self.tr("Region"), self.tr("Postage (yuan)"), ""]
        )
        self.regionTable.verticalHeader().setVisible(False)
        self.regionTable.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.regionTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.regionTable.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.regionTable.setMinimumHeight(150)
        layout.addWidget(self.regionTable, 1)
        self._refill_region_combo()
        return page

    # --- the per-region table ------------------------------------------------------------

    def _add_chosen_region(self) -> None:
        """添加地区: the new region's fee field takes the keyboard, so the fee typed lands there."""
        edit = self.add_region(self.regionCombo.currentText())
        if edit is not None:
            self.regionTable.scrollToBottom()
            edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def region_rows(self) -> list[tuple[str, QLineEdit]]:
        """The regions priced in the table, in order, with their fee fields."""
        rows = []
        for row in range(self.regionTable.rowCount()):
            item = self.regionTable.item(row, 0)
            edit = self.regionTable.cellWidget(row, 1)
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
        row = self.regionTable.rowCount()
        self.regionTable.insertRow(row)
        item = QTableWidgetItem(region)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.regionTable.setItem(row, 0, item)
        edit = QLineEdit(fee_text, self.regionTable)
        edit.setObjectName(f"regionFee_{region}")
        edit.setPlaceholderText(self.tr("yuan"))
        edit.setFrame(False)
        edit.textChanged.connect(lambda _text: self._touch(_fee_field(region)))
        self.regionTable.setCellWidget(row, 1, edit)
        remove = QPushButton(self.tr("Remove"), self.regionTable)
        remove.setObjectName(f"removeRegion_{region}")
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.remove_region(region))
        self.regionTable.setCellWidget(row, 2, remove)
        self._refill_region_combo()
        self._validate()
        return edit

    def remove_region(self, region: str) -> None:
        """Take ``region`` out of the table: it is charged the default fee again."""
        for row in range(self.regionTable.rowCount()):
            item = self.regionTable.item(row, 0)
            if item is not None and item.text() == region:
                self.regionTable.removeRow(row)
                break
        self._refill_region_combo()
        self._validate()

    def _refill_region_combo(self) -> None:
        listed = {region for region, _ in self.region_rows()}
        self.regionCombo.clear()
        self.regionCombo.addItems([r for r in REGIONS if r not in listed])
        self.addRegionButton.setEnabled(self.regionCombo.count() > 0)

    # --- reading and checking -------------------------------------------------------------

    def kind(self) -> TemplateKind:
        """The kind the radio buttons choose."""
        if self.flatRadio.isChecked():
            return TemplateKind.FLAT
        if self.byRegionRadio.isChecked():
            return TemplateKind.BY_REGION
        return TemplateKind.FREE

    def set_kind(self, kind: TemplateKind) -> None:
        {
            TemplateKind.FREE: self.freeRadio,
            TemplateKind.FLAT: self.flatRadio,
            TemplateKind.BY_REGION: self.byRegionRadio,
        }[kind].setChecked(True)

    def excluded_item(self, region: str) -> QListWidgetItem:
        """The check box of ``region`` in the excluded list."""
        return self.excludedList.item(REGIONS.index(region))

    def excluded_regions(self) -> list[str]:
        items = (self.excludedList.item(i) for i in range(self.excludedList.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.kindPages.setCurrentIndex(self.kindGroup.checkedId())
            self._validate()

    def errors(self) -> list[str]:
        """Why the template cannot be saved as it stands (empty when it can), shown or not."""
        return [problem.text for problem in self._check()[1]]

    def shown_errors(self) -> list[str]:
        """The problems the window says now: those of edited fields, all after trying to save."""
        return [p.text for p in shown(self._check()[1], self._touched, self._tried)]

    def _check(self) -> tuple[ShippingTemplateIn | None, list[Problem]]:
        errors: list[Problem] = []
        name = trim(self.nameEdit.text())
        if not name:
            errors.append(Problem(_NAME, self.tr("Enter a template name")))
        elif len(name) > TEMPLATE_NAME_MAX:
            errors.append(
                Problem(
                    _NAME,
                    self.tr("The template name has at most {max} characters (now {n})").format(
                        max=TEMPLATE_NAME_MAX, n=len(name)
                    ),
                )
            )
        elif (rule := text_problem(name)) is TextProblem.CONTROL:
            errors.append(
                Problem(_NAME, self.tr("The template name cannot contain control characters"))
            )
        elif rule is not None:
            errors.append(Problem(_NAME, text_rule_reason(rule, self.tr("template name"))))

        def fee(field: str, label: str, text: str) -> int | None:
            try:
                return parse_fee(text)
            except MoneyError as exc:
                reason = self.tr("{field}: {reason}").format(field=label, reason=exc)
                errors.append(Problem(field, reason))
                return None

        kind = self.kind()
        excluded = self.excluded_regions()
        flat_fee = default_fee = None
        region_fees: dict[str, int] = {}
        if kind is TemplateKind.FLAT:
            flat_fee = fee(_FLAT, self.tr("Postage"), self.flatFeeEdit.text())
        elif kind is TemplateKind.BY_REGION:
            default_fee = fee(_DEFAULT, self.tr("Default postage"), self.defaultFeeEdit.text())
            for region, edit in self.region_rows():
                label = self.tr("Postage to {region}").format(region=region)
                value = fee(_fee_field(region), label, edit.text())
                if value is not None:
                    region_fees[region] = value
            for region, _ in self.region_rows():
                if region in excluded:
                    text = self.tr(
                        "{region} has a postage and is also not shipped to; choose one"
                    ).format(region=region)
                    errors.append(Problem(_fee_field(region), text, at_once=True))
        if errors:
            return None, errors
        body = ShippingTemplateIn(
            name=name,
            kind=kind,
            flat_fee_fen=flat_fee,
            default_fee_fen=default_fee,
            region_fees=region_fees,
            excluded_regions=excluded,
        )
        return body, []

    def _touch(self, field: str) -> None:
        if self._ready:
            self._touched.add(field)
        self._validate()

    def _validate(self) -> None:
        if self._saving:
            return
        self._body, problems = self._check()
        texts = [p.text for p in shown(problems, self._touched, self._tried)]
        lines = fit_lines(
            texts, ERROR_LINES, lambda n: self.tr("…and {n} more (see the tooltip)").format(n=n)
        )
        self.errorLabel.setText("\n".join(lines))
        self.errorLabel.setToolTip("\n".join(texts) if len(lines) < len(texts) else "")
        self.okButton.setEnabled(True)  # Save says what is missing rather than staying grey

    def _field_widget(self, field: str) -> QWidget | None:
        if field == _NAME:
            return self.nameEdit
        if field == _FLAT:
            return self.flatFeeEdit
        if field == _DEFAULT:
            return self.defaultFeeEdit
        return next((e for r, e in self.region_rows() if _fee_field(r) == field), None)

    def _load(self, template: ShippingTemplate) -> None:
        self.nameEdit.setText(template.name)
        self.set_kind(template.kind)
        if template.flat_fee_fen is not None:
            self.flatFeeEdit.setText(fen_text(template.flat_fee_fen))
        if template.default_fee_fen is not None:
            self.defaultFeeEdit.setText(fen_text(template.default_fee_fen))
        for region in _ordered(template.region_fees):
            self.add_region(region, fen_text(template.region_fees[region]))
        for region in template.excluded_regions:
            if region in REGIONS:
                self.excluded_item(region).setCheckState(Qt.CheckState.Checked)

    # --- saving ---------------------------------------------------------------------------

    def _save(self) -> None:
        if self._saving:
            return
        self._tried = True
        self._validate()
        body = self._body
        if body is None:
            problems = self._check()[1]
            widget = self._field_widget(problems[0].field) if problems else None
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        client, original = self._client, self._original

        def work() -> ShippingTemplate:
            if original is None:
                return client.create_template(body)
            return client.update_template(original.id, body)

        self._set_saving(True)
        self.errorLabel.setText(self.tr("Saving…"))
        self._tasks.run(work, self._saved, self._refused, key="save")

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.okButton.setEnabled(not saving)
        for widget in (self.nameEdit, self.kindPages, self.excludedList):
            widget.setEnabled(not saving)
        for button in self.kindGroup.buttons():
            button.setEnabled(not saving)

    def _saved(self, template: ShippingTemplate) -> None:
        self._set_saving(False)
        self.template = template
        self.saved.emit(template)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._set_saving(False)
        self._validate()
        self.errorLabel.setText(self.tr("Could not save: {reason}").format(reason=say(error)))

    def reject(self) -> None:
        self._tasks.cancel("save")  # an answer arriving after Cancel is not shown
        self._saving = False
        super().reject()

    # --- modal entry points ---------------------------------------------------------------

    @classmethod
    def _run(
        cls,
        parent: QWidget | None,
        client: PlatformClient,
        tasks: Tasks,
        template: ShippingTemplate | None,
    ) -> ShippingTemplate | None:
        dialog = cls(parent, client, tasks, template)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.template if accepted else None
        finally:
            dialog.deleteLater()

    @classmethod
    def create(  # type: ignore[override]  # the name the window's "新建…" calls; not QWidget.create
        cls, parent: QWidget | None, client: PlatformClient, tasks: Tasks
    ) -> ShippingTemplate | None:
        """Ask for a new template (modal); the one the platform created, or None if cancelled."""
        return cls._run(parent, client, tasks, None)

    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        client: PlatformClient,
        tasks: Tasks,
        template: ShippingTemplate,
    ) -> ShippingTemplate | None:
        """Edit ``template`` (modal); the saved version, or None if cancelled."""
        return cls._run(parent, client, tasks, template)


# --- the list -----------------------------------------------------------------------------


class ConfirmDelete:
    """The question asked before a template is deleted (a :class:`Confirm`).

    Tests replace :meth:`ask`.
    """

    DELETE_BUTTON = Confirm.ACT_BUTTON
    CANCEL_BUTTON = Confirm.SAFE_BUTTON

    @staticmethod
    def question(template: ShippingTemplate) -> Question:
        """What is asked, with its two named buttons."""
        return Question(
            title=QCoreApplication.translate("Shipping", "Delete shipping template"),
            text=QCoreApplication.translate(
                "Shipping", "Delete the shipping template “{name}”?"
            ).format(name=template.name),
            details=QCoreApplication.translate(
                "Shipping",
                "Once deleted it cannot be chosen for new flash-buys; the postage of orders"
                " already placed does not change.",
            ),
            act=QCoreApplication.translate("Shipping", "Delete"),
            safe=QCoreApplication.translate("Shipping", "Cancel"),
        )

    @classmethod
    def build(cls, parent: QWidget | None, template: ShippingTemplate) -> QMessageBox:
        """The dialog, not yet shown; its buttons are named :attr:`DELETE_BUTTON` and so on."""
        return Confirm.build(parent, cls.question(template))

    @classmethod
    def ask(cls, parent: QWidget | None, template: ShippingTemplate) -> bool:
        """Whether the seller confirms deleting ``template`` (a modal question)."""
        return Confirm.ask(parent, cls.question(template))


class ShippingTemplateManager(QDialog):
    """The creator's shipping templates: list, create, edit, delete.

    It loads the list when built and after every change. :attr:`loaded` carries each
    list shown; :attr:`failed` carries each failure's sentence, also shown in the window.
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
        self.table.setObjectName("templateTable")
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

        self.newButton = self._button(self.tr("New…"), "newButton", self.create_template)
        self.editButton = self._button(self.tr("Edit…"), "editButton", self.edit_selected)
        self.deleteButton = self._button(self.tr("Delete"), "deleteButton", self.delete_selected)
        self.closeButton = self._button(self.tr("Close"), "closeButton", self.accept)

        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("statusLabel")
        self.statusLabel.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.newButton, self.editButton, self.deleteButton):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.closeButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.statusLabel)
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
        self.statusLabel.setStyleSheet(_ERROR_STYLE)
        self.statusLabel.setText(text)
        self.failed.emit(text)

    def _note(self, text: str) -> None:
        self.statusLabel.setStyleSheet("")
        self.statusLabel.setText(text)

    def row_of(self, template_id: int) -> int:
        """The table row of ``template_id``, or -1."""
        for row, t in enumerate(self.templates):
            if t.id == template_id:
                return row
        return -1

    def select(self, template_id: int) -> None:
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
        self.editButton.setEnabled(chosen)
        self.deleteButton.setEnabled(chosen)
        self.newButton.setEnabled(not self._busy)

    # --- changes --------------------------------------------------------------------------

    def create_template(self) -> None:
        created = ShippingTemplateEditor.create(self, self._client, self._app_tasks)
        if created is not None:
            self._note(self.tr("Made the shipping template “{name}”").format(name=created.name))
            self.changed.emit()
            self.refresh(select_id=created.id)

    def edit_selected(self) -> None:
        template = self.selected()
        if template is None or self._busy:
            return
        saved = ShippingTemplateEditor.edit(self, self._client, self._app_tasks, template)
        if saved is not None:
            self._note(self.tr("Saved the shipping template “{name}”").format(name=saved.name))
            self.changed.emit()
            self.refresh(select_id=saved.id)

    def delete_selected(self) -> None:
        template = self.selected()
        if template is None or self._busy or not ConfirmDelete.ask(self, template):
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

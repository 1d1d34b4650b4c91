"""The editor of one shipping template (运费模板): create or edit, then save to the platform.

Fees are typed in yuan and carried in whole fen, never through a float. The editor checks
every rule the platform enforces before it is asked (:mod:`.template_checks`, the protocol's own
model) and says the reasons in the seller's language: a field's problem once the seller
edited it, every problem once they press Save (which then sends nothing and puts the cursor
in the first field to fix), never at open (:mod:`flashbuy_desktop.ui.form_errors`). The
reasons have room kept for them, so Save and Cancel never move. The platform's own refusal,
if any, is shown in the same place and the editor stays open.
"""

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.form_errors import Problem, fit_lines, shown
from flashbuy_desktop.ui.shipping.postage import fen_text
from flashbuy_desktop.ui.shipping.region_fees import RegionFees
from flashbuy_desktop.ui.shipping.template_checks import (
    DEFAULT,
    FLAT,
    NAME,
    TemplateForm,
    check,
    fee_field,
)
from flashbuy_desktop.ui.shipping.template_words import ordered_regions, say
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.limits import REGIONS, TEMPLATE_NAME_MAX
from flashbuy_protocol.models import ShippingTemplate, ShippingTemplateIn

ERROR_LINES = 3  # lines of problems the editor has room for (then "…and 2 more")


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
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setPlaceholderText(
            self.tr(
                "e.g. Free shipping to Jiangsu, Zhejiang, Shanghai (at most {n} characters)"
            ).format(n=TEMPLATE_NAME_MAX)
        )
        form.addRow(self.tr("Template name"), self.name_edit)

        self.free_radio = QRadioButton(self.tr("Free shipping"), self)
        self.flat_radio = QRadioButton(self.tr("Flat fee"), self)
        self.by_region_radio = QRadioButton(self.tr("By region"), self)
        self.kind_group = QButtonGroup(self)
        kinds = QHBoxLayout()
        for index, (radio, name) in enumerate(
            (
                (self.free_radio, "free_radio"),
                (self.flat_radio, "flat_radio"),
                (self.by_region_radio, "by_region_radio"),
            )
        ):
            radio.setObjectName(name)
            self.kind_group.addButton(radio, index)
            kinds.addWidget(radio)
        kinds.addStretch(1)
        self.free_radio.setChecked(True)
        form.addRow(self.tr("Fee type"), kinds)

        self.region_fees = RegionFees(self)
        self.kind_pages = QStackedWidget(self)
        self.kind_pages.addWidget(self._free_page())
        self.kind_pages.addWidget(self._flat_page())
        self.kind_pages.addWidget(self.region_fees)

        excluded = QGroupBox(
            self.tr("Regions not shipped to (buyers in a ticked region cannot order)"), self
        )
        excluded_layout = QVBoxLayout(excluded)
        self.excluded_list = QListWidget(excluded)
        self.excluded_list.setObjectName("excluded_list")
        self.excluded_list.setFlow(QListWidget.Flow.LeftToRight)
        self.excluded_list.setWrapping(True)
        self.excluded_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.excluded_list.setMovement(QListWidget.Movement.Static)
        self.excluded_list.setGridSize(QSize(84, 26))
        self.excluded_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for region in REGIONS:
            item = QListWidgetItem(region, self.excluded_list)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.excluded_list.setMinimumHeight(140)
        excluded_layout.addWidget(self.excluded_list)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("error_label")
        theme.set_tone(self.error_label, Tone.ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for ERROR_LINES lines, kept whether empty or full: a problem appearing never
        # moves Save and Cancel under the pointer, nor grows the window.
        self.error_label.setFixedHeight(self.error_label.fontMetrics().lineSpacing() * ERROR_LINES)
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel_button")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.kind_pages)
        layout.addWidget(excluded, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.name_edit.textChanged.connect(lambda _text: self._touch(NAME))
        self.kind_group.idToggled.connect(self._kind_toggled)
        self.flat_fee_edit.textChanged.connect(lambda _text: self._touch(FLAT))
        self.region_fees.touched.connect(self._touch)
        self.region_fees.rows_changed.connect(self._validate)
        self.excluded_list.itemChanged.connect(self._validate)

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
        self.flat_fee_edit = QLineEdit(page)
        self.flat_fee_edit.setObjectName("flat_fee_edit")
        self.flat_fee_edit.setPlaceholderText(self.tr("Yuan, e.g. 12 or 8.50; 0 means no postage"))
        form.addRow(self.tr("Postage (yuan)"), self.flat_fee_edit)
        return page

    # --- the regions ----------------------------------------------------------------------

    def region_rows(self) -> list[tuple[str, QLineEdit]]:
        """The regions priced in the table, in order, with their fee fields."""
        return self.region_fees.region_rows()

    def fee_edit(self, region: str) -> QLineEdit | None:
        """The fee field of ``region`` in the by-region table, if it is listed."""
        return self.region_fees.fee_edit(region)

    def add_region(self, region: str, fee_text: str = "") -> QLineEdit | None:
        """Add a row for ``region`` to the by-region table; its fee field."""
        return self.region_fees.add_region(region, fee_text)

    def excluded_item(self, region: str) -> QListWidgetItem:
        """The check box of ``region`` in the excluded list."""
        return self.excluded_list.item(REGIONS.index(region))

    def excluded_regions(self) -> list[str]:
        """The regions ticked "not shipped to", in the order of REGIONS."""
        items = (self.excluded_list.item(i) for i in range(self.excluded_list.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    # --- reading and checking -------------------------------------------------------------

    def kind(self) -> TemplateKind:
        """The kind the radio buttons choose."""
        if self.flat_radio.isChecked():
            return TemplateKind.FLAT
        if self.by_region_radio.isChecked():
            return TemplateKind.BY_REGION
        return TemplateKind.FREE

    def set_kind(self, kind: TemplateKind) -> None:
        """Choose the kind's radio button (and so its page)."""
        {
            TemplateKind.FREE: self.free_radio,
            TemplateKind.FLAT: self.flat_radio,
            TemplateKind.BY_REGION: self.by_region_radio,
        }[kind].setChecked(True)

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.kind_pages.setCurrentIndex(self.kind_group.checkedId())
            self._validate()

    def form(self) -> TemplateForm:
        """What the fields hold now, as typed."""
        return TemplateForm(
            name=self.name_edit.text(),
            kind=self.kind(),
            flat_fee=self.flat_fee_edit.text(),
            default_fee=self.region_fees.default_fee_edit.text(),
            region_fees=[(region, edit.text()) for region, edit in self.region_rows()],
            excluded=self.excluded_regions(),
        )

    def _check(self) -> tuple[ShippingTemplateIn | None, list[Problem]]:
        return check(self.form())

    def errors(self) -> list[str]:
        """Why the template cannot be saved as it stands (empty when it can), shown or not."""
        return [problem.text for problem in self._check()[1]]

    def shown_errors(self) -> list[str]:
        """The problems the window says now: those of edited fields, all after trying to save."""
        return [p.text for p in shown(self._check()[1], self._touched, self._tried)]

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
        self.error_label.setText("\n".join(lines))
        self.error_label.setToolTip("\n".join(texts) if len(lines) < len(texts) else "")
        self.ok_button.setEnabled(True)  # Save says what is missing rather than staying grey

    def _field_widget(self, field: str) -> QWidget | None:
        if field == NAME:
            return self.name_edit
        if field == FLAT:
            return self.flat_fee_edit
        if field == DEFAULT:
            return self.region_fees.default_fee_edit
        return next((e for r, e in self.region_rows() if fee_field(r) == field), None)

    def _load(self, template: ShippingTemplate) -> None:
        self.name_edit.setText(template.name)
        self.set_kind(template.kind)
        if template.flat_fee_fen is not None:
            self.flat_fee_edit.setText(fen_text(template.flat_fee_fen))
        if template.default_fee_fen is not None:
            self.region_fees.default_fee_edit.setText(fen_text(template.default_fee_fen))
        for region in ordered_regions(template.region_fees):
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
        self.error_label.setText(self.tr("Saving…"))
        self._tasks.run(work, self._saved, self._refused, key="save")

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.ok_button.setEnabled(not saving)
        for widget in (self.name_edit, self.kind_pages, self.excluded_list):
            widget.setEnabled(not saving)
        for button in self.kind_group.buttons():
            button.setEnabled(not saving)

    def _saved(self, template: ShippingTemplate) -> None:
        self._set_saving(False)
        self.template = template
        self.saved.emit(template)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._set_saving(False)
        self._validate()
        self.error_label.setText(self.tr("Could not save: {reason}").format(reason=say(error)))

    def reject(self) -> None:
        """Override QDialog::reject: an answer arriving after Cancel is not shown."""
        self._tasks.cancel("save")
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

"""The product a flash-buy is made of: a list with each one's quotas, and why one cannot be used.

The rules (what is usable in a mode, which one is preselected) are Qt-free, in
``flashbuy_desktop.room.product_choice``; this widget words them and shows the list.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from flashbuy_desktop.api.client import PlatformError
from flashbuy_desktop.room.product_choice import Unusable, preselect, unusable
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.inline import inline_label, say
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import Product


class ProductPicker(QWidget):
    """The products, their quotas and category; the last one used preselected if it can be."""

    changed = Signal()  # another product was chosen

    def __init__(self, mode: Mode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.products: list[Product] = []
        self.loaded = False
        self.last_product_note: str | None = None  # why the last product is not preselected
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        self.product_model = QStandardItemModel(self)
        self.product_combo = QComboBox(self)
        self.product_combo.setModel(self.product_model)
        self.product_combo.setPlaceholderText(self.tr("Loading products…"))
        self.product_combo.setMinimumContentsLength(14)
        # The list shows names, shops and quotas in full; the closed box elides them rather
        # than pushing the category off the window.
        self.product_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        row.addWidget(self.product_combo, 1)
        self.category_label = QLabel(self)
        theme.set_tone(self.category_label, Tone.MUTED)
        row.addWidget(self.category_label)
        layout.addLayout(row)
        self.product_error = inline_label(self)
        layout.addWidget(self.product_error)
        self.product_combo.currentIndexChanged.connect(self._on_changed)

    def set_products(self, products: list[Product], last_id: int | None) -> None:
        """List ``products`` and preselect the last one used, if it can still be used."""
        self.products = products
        self.loaded = True
        self.product_model.clear()
        shops = {p.shop_id for p in products}
        for product in products:
            item = QStandardItem(self.product_text(product, with_shop=len(shops) > 1))
            item.setData(product.id, Qt.ItemDataRole.UserRole)
            reason = self.unusable_reason(product)
            item.setEnabled(reason is None)
            item.setToolTip(reason or "")
            self.product_model.appendRow(item)
        self.product_combo.setPlaceholderText(self.tr("Choose a product"))
        view = self.product_combo.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)
        self.product_combo.setCurrentIndex(self._preferred_row(last_id))
        self._on_changed(self.product_combo.currentIndex())

    def reload(self, products: list[Product], last_id: int | None) -> None:
        """New quotas for the same list: the product chosen stays chosen if it still can be."""
        current = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        self.set_products(products, last_id)
        index = self.product_combo.findData(current, Qt.ItemDataRole.UserRole)
        if index >= 0 and self.product_model.item(index).isEnabled():
            self.product_combo.setCurrentIndex(index)

    def current(self) -> Product | None:
        """The product shown in the box, usable or not."""
        product_id = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        return next((p for p in self.products if p.id == product_id), None)

    def selected(self) -> Product | None:
        """The selected product if it can be flash-bought."""
        product = self.current()
        return product if product is not None and product.eligible else None

    def product_text(self, product: Product, *, with_shop: bool) -> str:
        """A product as the list shows it: name (shop), and what is left of its quotas."""
        q = product.quota
        name = (
            self.tr("{product} · {shop}").format(product=product.name, shop=product.shop_name)
            if with_shop
            else product.name
        )
        if not product.eligible:
            return self.tr("{product} ({reason})").format(
                product=name, reason=self._short_reason(product.ineligible_reason)
            )
        return self.tr(
            "{product}    Full {full_left}/{full_limit} · Targeted {t_left}/{t_limit}"
        ).format(
            product=name,
            full_left=q.full_left,
            full_limit=q.full_limit,
            t_left=q.targeted_left,
            t_limit=q.targeted_limit,
        )

    def unusable_reason(self, product: Product) -> str | None:
        """Why ``product`` cannot be flash-bought in this window's mode (None: it can)."""
        q = product.quota
        match unusable(product, self.mode):
            case None:
                return None
            case Unusable.NOT_ELIGIBLE:
                return self._reason(product.ineligible_reason)
            case Unusable.FULL_USED_UP:
                return self.tr("No full flash-buys left for this product ({left}/{limit})").format(
                    left=q.full_left, limit=q.full_limit
                )
            case Unusable.TARGETED_USED_UP:
                return self.tr(
                    "No targeted flash-buys left for this product ({left}/{limit})"
                ).format(left=q.targeted_left, limit=q.targeted_limit)

    def _preferred_row(self, last_id: int | None) -> int:
        choice = preselect(self.products, last_id, self.mode)
        self.last_product_note = None
        if choice.last_unusable is not None:
            self.last_product_note = self.tr(
                "The product used last, “{product}”, cannot be used: {reason}. Choose a product."
            ).format(
                product=choice.last_unusable.name,
                reason=self.unusable_reason(choice.last_unusable),
            )
        elif choice.last_gone:
            self.last_product_note = self.tr(
                "The product used last is no longer offered. Choose a product."
            )
        return choice.row

    def _short_reason(self, code: ErrorCode | None) -> str:
        short = {
            ErrorCode.CREATOR_NOT_INVITED: self.tr("account not invited"),
            ErrorCode.SHOP_NOT_QUALIFIED: self.tr("shop not qualified"),
            ErrorCode.CATEGORY_NOT_APPROVED: self.tr("category not approved"),
            ErrorCode.SHOP_NOT_BOUND: self.tr("shop not bound"),
        }
        not_eligible = self.tr("not eligible")
        return short.get(code, not_eligible) if code is not None else not_eligible

    def _reason(self, code: ErrorCode | str | None) -> str:
        if code is None:
            return self.tr("This product cannot be flash-bought")
        return describe(PlatformError(403, code, str(code), {}))

    def _on_changed(self, _index: int) -> None:
        product = self.current()
        self.category_label.setText(product.category_name if product else "")
        say(self.product_error, None)
        self.changed.emit()

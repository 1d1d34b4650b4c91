"""Shipping templates in the seller's words: kinds, fee summaries, refusals, the delete question."""

from PySide6.QtCore import QCoreApplication

from flashbuy_desktop.api.client import PlatformError
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.ui.confirm import Question
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import REGIONS
from flashbuy_protocol.models import ShippingTemplate
from flashbuy_protocol.money import format_fen

SUMMARY_REGIONS = 3  # region fees shown in a list's summary before "…"


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


def ordered_regions(regions: "list[str] | dict[str, int]") -> list[str]:
    """``regions`` in the order of :data:`REGIONS` (the order sellers know from Douyin)."""
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
    regions = ordered_regions(template.region_fees)
    shown = regions if limit is None else regions[:limit]
    parts += [f"{r} ¥{format_fen(template.region_fees[r])}" for r in shown]
    text = QCoreApplication.translate("Shipping", ", ", "between the fees of a summary").join(parts)
    return text + ("…" if len(shown) < len(regions) else "")


def excluded_summary(template: ShippingTemplate) -> str:
    """The regions a template does not ship to: "不发: 新疆, 西藏", or ""."""
    if not template.excluded_regions:
        return ""
    return QCoreApplication.translate("Shipping", "Not shipped to: {regions}").format(
        regions=", ".join(ordered_regions(template.excluded_regions))
    )


def delete_question(template: ShippingTemplate) -> Question:
    """What :class:`~flashbuy_desktop.ui.confirm.Confirm` asks before ``template`` is deleted."""
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

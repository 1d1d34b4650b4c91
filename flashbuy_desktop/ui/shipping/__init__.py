"""Shipping templates (运费模板): the editor of one template and the creator's list of them.

* :mod:`.template_editor`: :class:`ShippingTemplateEditor` (also opened from the new flash-buy
  window's 新建…), with :mod:`.region_fees`, its by-region page.
* :mod:`.template_checks`: the editor's fields against the protocol's model, problems in words.
* :mod:`.postage`: postage typed in yuan, kept in fen.
* :mod:`.template_words`: kinds, fee summaries, refusals and the delete question in words.
* :mod:`.template_manager`: :class:`ShippingTemplateManager`, the list.
"""

from flashbuy_desktop.ui.shipping.postage import FeeError, fen_text, parse_fee
from flashbuy_desktop.ui.shipping.template_editor import ERROR_LINES, ShippingTemplateEditor
from flashbuy_desktop.ui.shipping.template_manager import ShippingTemplateManager
from flashbuy_desktop.ui.shipping.template_words import (
    SUMMARY_REGIONS,
    delete_question,
    excluded_summary,
    fee_summary,
    kind_text,
    say,
)

__all__ = [
    "ERROR_LINES",
    "SUMMARY_REGIONS",
    "FeeError",
    "ShippingTemplateEditor",
    "ShippingTemplateManager",
    "delete_question",
    "excluded_summary",
    "fee_summary",
    "fen_text",
    "kind_text",
    "parse_fee",
    "say",
]

"""The new flash-buy window (F2, or + on a comment), one idea per module.

- ``dialog``: the window: renders the capture, the fields and the publisher's answer, forwards keys
- ``fields``: the form (product, piece, title, price, stock, template, note) and its inline words
- ``capture_watch``: the capture this window asked for, retakes, a covered frame
- ``card_fill``: 件号 and 价格 filled from the order card, marked and outlined (the rule is
  ``flashbuy_desktop.operations.card_fill``)
- ``publishing``: sending or not, a repeated piece number accepted, a failure worded
- ``placement``: the window opens beside the capture frame, never over it
- ``picture_pane`` / ``preview``: the picture being taken, shown, and cropped by dragging
- ``products``: the product list with quotas and reasons (rules in ``room/product_choice``)
- ``targets`` / ``chip``: the viewers of a targeted flash-buy
- ``inline``: words under a field that keep their line; ``context``: what the live knows
- ``template_hook``: the way to the shipping-template editor (tests replace it)

Publishing itself (key, upload, create) is ``flashbuy_desktop.operations.publish``.
"""

from flashbuy_desktop.capture.crop import CropFraction
from flashbuy_desktop.ui.new_flashbuy.chip import TargetChip
from flashbuy_desktop.ui.new_flashbuy.context import LiveContext
from flashbuy_desktop.ui.new_flashbuy.dialog import NewFlashBuyDialog
from flashbuy_desktop.ui.new_flashbuy.preview import PicturePreview
from flashbuy_desktop.ui.new_flashbuy.template_hook import TemplateEditorHook

__all__ = [
    "CropFraction",
    "LiveContext",
    "NewFlashBuyDialog",
    "PicturePreview",
    "TargetChip",
    "TemplateEditorHook",
]

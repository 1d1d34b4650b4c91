"""The flash-buy management table: this live's flash-buys, updated as they sell.

Each file one idea, each usable alone:

* ``table_columns``: the columns and the data roles beyond Qt's.
* ``table_cells``: what a row's cells say and how they look (palette colours).
* ``thumbnails``: the small square pictures, asked for once per picture id.
* ``table_model``: :class:`FlashBuyTableModel`, rendering
  :class:`~flashbuy_desktop.room.live_sales.LiveSales` (newest revision wins) as rows.
* ``table_filter``: :class:`FlashBuyFilter`, by status, mode, category and text, sorted by
  value, with counts per status.
* ``table_pictures``: the thumbnails fetched, and one picture shown large on a click.
* ``end_question``: what is asked before a flash-buy is ended.
* ``table_panel``: :class:`FlashBuyPanel`, the widget, every platform call through Tasks.
"""

from flashbuy_desktop.ui.flashbuys.end_question import end_question
from flashbuy_desktop.ui.flashbuys.table_cells import shown_title
from flashbuy_desktop.ui.flashbuys.table_columns import THUMBNAIL_PX, Column, Role
from flashbuy_desktop.ui.flashbuys.table_filter import FlashBuyFilter
from flashbuy_desktop.ui.flashbuys.table_model import FlashBuyTableModel
from flashbuy_desktop.ui.flashbuys.table_panel import FlashBuyPanel

__all__ = [
    "THUMBNAIL_PX",
    "Column",
    "FlashBuyFilter",
    "FlashBuyPanel",
    "FlashBuyTableModel",
    "Role",
    "end_question",
    "shown_title",
]

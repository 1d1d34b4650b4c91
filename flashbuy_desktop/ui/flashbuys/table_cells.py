"""What each cell of a flash-buy row shows: its words, tooltip, colours and sort value.

Worked out once per change of the row (:func:`row_text`), not on every paint. Colours come
from the console's palette (:func:`~flashbuy_desktop.ui.theme.colour`). The words are
translated in the ``FlashBuyTableModel`` context, the table's own.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush

from flashbuy_desktop.room.listing import buyers_brief, title_names_piece
from flashbuy_desktop.room.order_life import countdown
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.flashbuys.table_columns import Column, Role
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import FlashBuy
from flashbuy_protocol.money import format_fen

# How statuses sort: still buyable first, then sold out, then ended.
STATUS_RANK = {FlashBuyStatus.ACTIVE: 0, FlashBuyStatus.SOLD_OUT: 1, FlashBuyStatus.ENDED: 2}


def shown_title(fb: FlashBuy) -> str:
    """The title as the table shows it: with its piece number once ("#3 · 冰种" or "3号 冰种")."""
    if not fb.piece_no or title_names_piece(fb.title, fb.piece_no):
        return fb.title
    return QCoreApplication.translate("FlashBuyTableModel", "#{piece} · {title}").format(
        piece=fb.piece_no, title=fb.title
    )


def status_text(status: FlashBuyStatus) -> str:
    """A status in the seller's words."""
    if status is FlashBuyStatus.ACTIVE:
        return QCoreApplication.translate("FlashBuyTableModel", "Active")
    if status is FlashBuyStatus.SOLD_OUT:
        return QCoreApplication.translate("FlashBuyTableModel", "Sold out")
    return QCoreApplication.translate("FlashBuyTableModel", "Ended")


def timestamp(moment: datetime) -> float:
    """POSIX seconds of ``moment``, read as UTC when it carries no zone."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _local(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()


def _piece_key(piece_no: str) -> str:
    """Piece numbers sort as numbers when they are numbers: 2 before 10."""
    return piece_no.zfill(12) if piece_no.isdigit() else piece_no.casefold()


@dataclass(frozen=True)
class RowText:
    """The words of one row: per column, the text shown and the tooltip."""

    texts: tuple[str, ...]
    tips: tuple[str | None, ...]


def sold_text(fb: FlashBuy, due_in: int | None = None, waiting: int = 0) -> tuple[str, str]:
    """The sold cell and what its tooltip adds to the buyers: taken against paid
    ("已付 1 · 待付 1 / 2"), then on a second line the soonest held order's countdown
    (``due_in`` seconds) and the queue (候补 3)."""
    paid = fb.sold - fb.held
    if fb.held:
        first = QCoreApplication.translate(
            "FlashBuyTableModel", "Paid {paid} · unpaid {held} / {stock}"
        ).format(paid=paid, held=fb.held, stock=fb.stock)
    else:
        first = QCoreApplication.translate("FlashBuyTableModel", "Sold {sold}/{stock}").format(
            sold=fb.sold, stock=fb.stock
        )
    second: list[str] = []
    tips: list[str] = []
    if fb.held and due_in is not None:
        # Words, not a clock glyph: the fonts a seller's system has may lack one.
        second.append(
            QCoreApplication.translate("FlashBuyTableModel", "{left} left").format(
                left=countdown(due_in)
            )
        )
        tips.append(
            QCoreApplication.translate(
                "FlashBuyTableModel", "The first unpaid order runs out in {left}"
            ).format(left=countdown(due_in))
        )
    if waiting:
        words = QCoreApplication.translate("FlashBuyTableModel", "Waiting {n}").format(n=waiting)
        second.append(words)
        tips.append(
            QCoreApplication.translate(
                "FlashBuyTableModel",
                "{n} viewer(s) wait for a piece to come back",
            ).format(n=waiting)
        )
    text = first + ("\n" + " · ".join(second) if second else "")
    return text, "\n".join(tips)


def row_text(
    fb: FlashBuy, buyers: list[str], *, due_in: int | None = None, waiting: int = 0
) -> RowText:
    """The texts and tooltips of ``fb``'s row, bought by ``buyers`` (first buyer first), its
    soonest unpaid order due in ``due_in`` seconds, ``waiting`` viewers in its queue."""
    title = shown_title(fb)
    sold, sold_tip = sold_text(fb, due_in, waiting)
    buyers_tip = (
        QCoreApplication.translate("FlashBuyTableModel", "Buyers: {names}").format(
            names=", ".join(buyers)
        )
        if buyers
        else QCoreApplication.translate("FlashBuyTableModel", "No buyers yet")
    )
    if fb.mode is Mode.TARGETED:
        names = ", ".join(t.nickname for t in fb.targets)
        mode = QCoreApplication.translate("FlashBuyTableModel", "Targeted: {names}").format(
            names=names
        )
    else:
        mode = QCoreApplication.translate("FlashBuyTableModel", "Full", "flash-buy mode")
    created = _local(fb.created_at)
    title_tip = QCoreApplication.translate(
        "FlashBuyTableModel", "{title}\nProduct: {product}\nCategory: {category}"
    ).format(title=title, product=fb.product_name, category=fb.category_name)
    if fb.note:
        title_tip += "\n" + QCoreApplication.translate("FlashBuyTableModel", "Note: {note}").format(
            note=fb.note
        )
    status_tip = status_text(fb.status)
    if fb.ended_at is not None:
        status_tip = QCoreApplication.translate("FlashBuyTableModel", "{status} ({time})").format(
            status=status_tip, time=_local(fb.ended_at).strftime("%H:%M:%S")
        )
    return RowText(
        texts=(
            "",
            title,
            "¥" + format_fen(fb.price_fen),
            sold,
            buyers_brief(buyers),
            mode,
            status_text(fb.status),
            created.strftime("%H:%M:%S"),
        ),
        tips=(
            QCoreApplication.translate("FlashBuyTableModel", "Click to see the picture large")
            + "\n"
            + title_tip,
            title_tip,
            None,
            "\n".join(filter(None, (buyers_tip, sold_tip))),
            buyers_tip,
            mode,
            status_tip,
            created.strftime("%Y-%m-%d %H:%M:%S"),
        ),
    )


@cache
def _brush(name: str) -> QBrush:
    return QBrush(theme.colour(name))


def foreground(status: FlashBuyStatus, column: int, held: int = 0) -> QBrush | None:
    """Text colour: green "active", white on the sold-out badge, grey rows no longer buyable,
    amber pieces waiting for their buyer to pay."""
    if column == Column.SOLD and held:
        return _brush("warning")
    if column == Column.STATUS:
        if status is FlashBuyStatus.ACTIVE:
            return _brush("success")
        if status is FlashBuyStatus.SOLD_OUT:
            return _brush("on_colour")
    return None if status is FlashBuyStatus.ACTIVE else _brush("faint")


def background(status: FlashBuyStatus, column: int) -> QBrush | None:
    """The status cell's badge: red when sold out, light grey when ended."""
    if column != Column.STATUS:
        return None
    if status is FlashBuyStatus.SOLD_OUT:
        return _brush("sold_out")
    if status is FlashBuyStatus.ENDED:
        return _brush("ended")
    return None


def alignment(column: int) -> Qt.AlignmentFlag | None:
    """Money to the right, short figures centred, words from the left."""
    if column == Column.PRICE:
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if column in (Column.SOLD, Column.STATUS, Column.CREATED):
        return Qt.AlignmentFlag.AlignCenter
    return None


def sort_value(fb: FlashBuy, buyers: list[str], column: int) -> Any:
    """What ``column`` sorts ``fb``'s row by: fen, timestamps, status rank, not the text."""
    if column == Column.TITLE:
        return _piece_key(fb.piece_no) + "\x00" + fb.title.casefold()
    if column == Column.PRICE:
        return fb.price_fen
    if column == Column.SOLD:
        return fb.sold
    if column == Column.BUYERS:
        return buyers[0].casefold() if buyers else ""
    if column == Column.MODE:
        return fb.mode.value
    if column == Column.STATUS:
        return STATUS_RANK[fb.status]
    if column == Column.CREATED:
        return timestamp(fb.created_at)
    return fb.id


def role_value(fb: FlashBuy, buyers: list[str], column: int, role: int) -> Any:
    """The value of one of our own :class:`Role` roles (``None`` for any other role)."""
    if role == Role.SORT:
        return sort_value(fb, buyers, column)
    if role == Role.ID:
        return fb.id
    if role == Role.PRICE_FEN:
        return fb.price_fen
    if role == Role.CREATED_AT:
        return timestamp(fb.created_at)
    if role == Role.STATUS:
        return fb.status.value
    if role == Role.MODE:
        return fb.mode.value
    if role == Role.CATEGORY_ID:
        return fb.category_id
    if role == Role.FLASHBUY:
        return fb
    if role == Role.BUYERS:
        return buyers
    return None

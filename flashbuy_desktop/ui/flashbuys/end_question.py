"""What the seller is asked before a flash-buy is ended (put by :class:`Confirm`)."""

from PySide6.QtCore import QCoreApplication

from flashbuy_desktop.ui.confirm import Question
from flashbuy_desktop.ui.flashbuys.table_cells import shown_title
from flashbuy_protocol.models import FlashBuy


def end_question(fb: FlashBuy) -> Question:
    """The question before ``fb`` is ended, with its two named buttons.

    Asked with ``Confirm.ask(parent, end_question(fb))``; tests answer it by replacing
    :meth:`Confirm.ask`. The words keep the ``FlashBuys`` context the catalogs have them in.
    """
    return Question(
        title=QCoreApplication.translate("FlashBuys", "End flash-buy"),
        text=QCoreApplication.translate("FlashBuys", "End the flash-buy “{name}”?").format(
            name=shown_title(fb)
        ),
        details=QCoreApplication.translate(
            "FlashBuys",
            "Once ended it disappears from the live room at once, viewers can no longer"
            " buy it, and it cannot be restored.",
        ),
        act=QCoreApplication.translate("FlashBuys", "End flash-buy"),
        safe=QCoreApplication.translate("FlashBuys", "Cancel"),
    )

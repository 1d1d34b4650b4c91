"""Who pays, in the main window: the viewers' records, their cards, and handing a piece over.

:class:`ViewerDesk` is what the main window wires: it loads the records into the comment
list with the room's snapshot, passes each ``viewer.record`` event to the list's badges and
to the viewer's open card, opens a card when a nickname is clicked (one per viewer), and
gives a piece that came back to a viewer the seller picked from the comments ("hand over").
"""

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QObject, Signal
from PySide6.QtWidgets import QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.comments import CommentView
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.viewers.piece_picker import PiecePicker, piece_name
from flashbuy_desktop.ui.viewers.viewer_card import ViewerCard
from flashbuy_protocol.models import FlashBuy, Order, ViewerRecord

log = logging.getLogger(__name__)


class ViewerDesk(QObject):
    """The viewers' records behind the comment list, their cards, and hand-overs."""

    errorRaised = Signal(str)  # for the main window's error bar
    handedOver = Signal(object)  # Order: the piece is held for the viewer the seller chose

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        comments: CommentView,
        window: QWidget,
        *,
        waiting: Callable[[], list[FlashBuy]] = list,
    ) -> None:
        super().__init__(window)
        self.client = client
        self.tasks = tasks
        self.comments = comments
        self.window = window
        self.waiting = waiting  # the flash-buys whose piece came back and waits for a buyer
        self.cards: dict[int, ViewerCard] = {}
        comments.viewerRequested.connect(self.open_card)
        comments.handOverRequested.connect(self.hand_over)

    # --- records ----------------------------------------------------------------------------

    def load(self, records: Iterable[ViewerRecord]) -> None:
        """The records of the live shown, read with its snapshot."""
        self.comments.load_records(records)

    def apply_record(self, record: ViewerRecord) -> None:
        """A ``viewer.record`` event, or a card's answer: badges and the open card follow."""
        self.comments.put_record(record)
        card = self.cards.get(record.viewer_id)
        if card is not None:
            card.set_record(record)

    def watch(self, model: QAbstractItemModel) -> None:
        """Check for waiting pieces whenever the flash-buy table ``model`` changes."""
        model.dataChanged.connect(self.pieces_changed)
        model.rowsInserted.connect(self.pieces_changed)
        model.rowsRemoved.connect(self.pieces_changed)
        model.modelReset.connect(self.pieces_changed)
        model.layoutChanged.connect(self.pieces_changed)

    def pieces_changed(self) -> None:
        """A flash-buy changed: show "hand over" on the comments while a piece waits."""
        self.comments.set_hand_over_shown(bool(self.waiting()))

    # --- the card ---------------------------------------------------------------------------

    def open_card(self, viewer_id: int, nickname: str) -> ViewerCard:
        """The viewer's card, opened (or raised, if it is open already)."""
        card = self.cards.get(viewer_id)
        if card is None:
            card = ViewerCard(
                self.client,
                self.tasks,
                viewer_id,
                nickname,
                self.comments.records.record(viewer_id),
                self.window,
            )
            self.cards[viewer_id] = card
            card.recordChanged.connect(self.apply_record)
            card.destroyed.connect(lambda _o=None, vid=viewer_id: self.cards.pop(vid, None))
            card.show()
            card.load()
        else:
            card.raise_()
            card.activateWindow()
        return card

    def close_cards(self) -> None:
        """Close every card (another live, or the window closes)."""
        for card in list(self.cards.values()):
            card.close()

    # --- handing a piece over ---------------------------------------------------------------

    def hand_over(self, viewer_id: int, nickname: str) -> None:
        """Give a piece that came back to this viewer: the one waiting (after asking), or the
        one the seller picks when several wait."""
        waiting = self.waiting()
        if not waiting:
            self.errorRaised.emit(self.tr("No piece is waiting for a buyer"))
            return
        if len(waiting) == 1:
            piece = waiting[0]
            question = Question(
                title=self.tr("Hand over"),
                text=self.tr("Give {piece} to {nickname}?").format(
                    piece=piece_name(piece), nickname=nickname
                ),
                details=self.tr(
                    "The piece is held for them with a new pay window; the viewers waiting"
                    " in its queue stay in it."
                ),
                act=self.tr("Hand over"),
                safe=self.tr("Cancel"),
            )
            chosen: FlashBuy | None = piece if Confirm.ask(self.window, question) else None
        else:
            chosen = PiecePicker.choose(self.window, waiting, nickname)
        if chosen is None:
            return
        flashbuy_id = chosen.id
        self.tasks.run(
            lambda: self.client.hand_over(flashbuy_id, viewer_id),
            self._handed_over,
            self._failed,
        )

    def _handed_over(self, order: Order) -> None:
        self.handedOver.emit(order)

    def _failed(self, error: Exception) -> None:
        log.warning("hand-over failed: %s", error)
        self.errorRaised.emit(describe(error))

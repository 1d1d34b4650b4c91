"""The window's publishing state: sending or not, a repeated piece number accepted, the answer.

The :class:`Publisher` owns the submission (its key, upload and create); this object runs it
off the GUI thread and says when it is sending, from Enter until the answer is back on this
thread: the publisher's own state turns before its answer arrives, and a press between the
two must not count.
"""

import logging

from PySide6.QtCore import QObject, Signal

from flashbuy_desktop.api.client import OfflineError, PlatformError
from flashbuy_desktop.operations.publish import ChosenPicture, Publisher, PublishState
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate

log = logging.getLogger(__name__)

# Refusals that mean the products' quotas or eligibility changed: the list is read again.
_REFRESH_PRODUCTS = {
    ErrorCode.QUOTA_FULL_EXCEEDED,
    ErrorCode.QUOTA_TARGETED_EXCEEDED,
    ErrorCode.CREATOR_NOT_INVITED,
    ErrorCode.SHOP_NOT_QUALIFIED,
    ErrorCode.CATEGORY_NOT_APPROVED,
    ErrorCode.SHOP_NOT_BOUND,
}


class Publishing(QObject):
    """Runs the window's submissions one at a time and words a failure."""

    sending_changed = Signal()
    created = Signal(object)  # FlashBuy
    failed = Signal(object)  # Exception

    def __init__(self, publisher: Publisher, tasks: Tasks, parent: QObject) -> None:
        super().__init__(parent)
        self.publisher = publisher
        self._tasks = tasks
        self.sending = False
        self._repeat_ok: str | None = None  # the repeated piece number the seller accepted

    def repeat_accepted(self, piece_no: str) -> bool:
        """Whether this repeated piece number may go: the second Enter on it says yes.

        A second identical bangle is legitimate, so the first Enter only shows what repeats.
        """
        if self._repeat_ok == piece_no:
            return True
        self._repeat_ok = piece_no
        return False

    def send(self, body: FlashBuyCreate, picture: ChosenPicture) -> None:
        """Publish ``body`` with ``picture``; ``created`` or ``failed`` tells how it went."""
        publisher = self.publisher
        self._set_sending(True)
        self._tasks.run(
            lambda: publisher.submit(body, picture), self._on_created, self._on_failed, key="create"
        )

    def _set_sending(self, sending: bool) -> None:
        self.sending = sending
        self.sending_changed.emit()

    def _on_created(self, flashbuy: FlashBuy) -> None:
        self._set_sending(False)
        self.created.emit(flashbuy)

    def _on_failed(self, error: Exception) -> None:
        self._set_sending(False)
        unconfirmed = self.publisher.state is PublishState.UNCONFIRMED
        if not isinstance(error, PlatformError) and not (
            unconfirmed and isinstance(error, OfflineError)
        ):
            log.error("new flash-buy failed: %s", getattr(error, "__traceback_text__", error))
        self.failed.emit(error)

    def failure_text(self, error: Exception) -> str:
        """Why the submission failed, and what Enter does now."""
        if self.publisher.state is PublishState.UNCONFIRMED and isinstance(error, OfflineError):
            # The publisher keeps the key: pressing Enter again on the same form retries it.
            return self.tr(
                "Cannot reach the platform, so the flash-buy is not confirmed;"
                " check the network, then press Enter to try again"
            )
        return describe(error)

    @staticmethod
    def refreshes_products(error: Exception) -> bool:
        """Whether the refusal means the products' quotas or eligibility changed."""
        return isinstance(error, PlatformError) and str(error.code) in _REFRESH_PRODUCTS

    @property
    def pending_key(self) -> str | None:
        """The key a retry of the last unconfirmed submission would carry."""
        return self.publisher.pending_key

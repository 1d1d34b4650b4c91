"""The flash-buy table's pictures: thumbnails fetched as rows ask, one large popup on a click.

Every download runs on Tasks, off the GUI thread. The last few pictures shown large are kept
(:data:`PICTURES_KEPT`), so looking at the same one again opens it at once; the popup shows
the thumbnail, scaled, until the picture arrives, and says so if it cannot.
"""

import logging
from collections import OrderedDict

import shiboken6
from PySide6.QtCore import QObject, QRect
from PySide6.QtWidgets import QTableView, QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.flashbuys.table_cells import shown_title
from flashbuy_desktop.ui.flashbuys.table_columns import Column
from flashbuy_desktop.ui.flashbuys.table_filter import FlashBuyFilter
from flashbuy_desktop.ui.flashbuys.table_model import FlashBuyTableModel
from flashbuy_desktop.ui.picture_popup import PicturePopup

log = logging.getLogger(__name__)

PICTURES_KEPT = 8  # pictures fetched to be shown large, kept for the next look


class TablePictures(QObject):
    """Fetches the table's thumbnails and shows one flash-buy's picture large."""

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        model: FlashBuyTableModel,
        proxy: FlashBuyFilter,
        view: QTableView,
        panel: QWidget,
    ) -> None:
        super().__init__(panel)
        self._client = client
        self._tasks = tasks
        self._model = model
        self._proxy = proxy
        self._view = view
        self._panel = panel
        self.popup: PicturePopup | None = None
        self._pictures: OrderedDict[str, bytes] = OrderedDict()  # the last few shown large
        model.thumbnailWanted.connect(self.fetch_thumbnail)

    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    def fetch_thumbnail(self, picture_id: str) -> None:
        """Download ``picture_id`` for its row's thumbnail (the model asks once per id)."""
        client = self._client

        def show(data: bytes) -> None:
            if self._alive():
                self._model.set_thumbnail(picture_id, data)

        def lost(exc: Exception) -> None:
            log.warning("picture %s could not be loaded: %s", picture_id, exc)
            if self._alive():
                self._model.thumbnail_failed(picture_id)

        self._tasks.run(lambda: client.picture(picture_id), show, lost)

    def show_large(self, flashbuy_id: int) -> PicturePopup | None:
        """Open the picture of ``flashbuy_id`` large, beside its thumbnail (if shown)."""
        model = self._model
        row = model.row_of(flashbuy_id)
        if row < 0:
            return None
        fb = model.flashbuy(row)
        if self.popup is not None:
            self.popup.close()
        popup = PicturePopup(shown_title(fb), model.thumbnail(row), self._panel)
        self.popup = popup
        popup.destroyed.connect(lambda _obj=None: self._popup_gone(popup))
        at = self._proxy.mapFromSource(model.index(row, Column.PICTURE))
        viewport = self._view.viewport()
        cell = self._view.visualRect(at) if at.isValid() else viewport.rect()
        popup.show_beside(QRect(viewport.mapToGlobal(cell.topLeft()), cell.size()))
        picture_id = fb.picture_id
        known = self._pictures.get(picture_id)
        if known is not None:
            self._pictures.move_to_end(picture_id)
            popup.set_picture(known)
            return popup
        client = self._client

        def arrived(data: bytes) -> None:
            if not self._alive():
                return
            self._pictures[picture_id] = data
            while len(self._pictures) > PICTURES_KEPT:
                self._pictures.popitem(last=False)
            if self.popup is popup and shiboken6.isValid(popup):
                popup.set_picture(data)

        def lost(exc: Exception) -> None:
            log.warning("picture %s could not be loaded: %s", picture_id, exc)
            if self._alive() and self.popup is popup and shiboken6.isValid(popup):
                popup.failed(describe(exc))

        self._tasks.run(lambda: client.picture(picture_id), arrived, lost)
        return popup

    def _popup_gone(self, popup: PicturePopup) -> None:
        if self._alive() and self.popup is popup:
            self.popup = None

"""The table's small square pictures: asked for once per picture id, kept once decoded."""

import logging
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap

from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.flashbuys.table_columns import THUMBNAIL_PX

log = logging.getLogger(__name__)


class Thumbnails:
    """Square thumbnails by picture id, and which ids have been asked for already.

    Fetching is not done here: :meth:`wanted` says which of some ids still need asking
    for (each once, until :meth:`failed` says the fetch did not work), :meth:`put` takes
    the bytes in.
    """

    def __init__(self) -> None:
        self._pixmaps: dict[str, QPixmap] = {}
        self._asked: set[str] = set()
        self._placeholder: QPixmap | None = None

    def wanted(self, picture_ids: Iterable[str]) -> list[str]:
        """Those of ``picture_ids`` neither known nor asked for, now counted as asked for."""
        fresh: list[str] = []
        for picture_id in picture_ids:
            if picture_id not in self._pixmaps and picture_id not in self._asked:
                self._asked.add(picture_id)
                fresh.append(picture_id)
        return fresh

    def put(self, picture_id: str, data: bytes) -> bool:
        """Decode ``data`` (JPEG or PNG) into the square thumbnail; whether it was a picture."""
        image = QImage.fromData(data)
        if image.isNull():
            log.warning("picture %s could not be decoded", picture_id)
            return False
        side = THUMBNAIL_PX
        scaled = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        square = scaled.copy(
            (scaled.width() - side) // 2, (scaled.height() - side) // 2, side, side
        )
        self._pixmaps[picture_id] = QPixmap.fromImage(square)
        return True

    def failed(self, picture_id: str) -> None:
        """The fetch of ``picture_id`` did not work: it may be asked for again."""
        self._asked.discard(picture_id)

    def get(self, picture_id: str) -> QPixmap | None:
        """The thumbnail of ``picture_id`` if it has arrived."""
        return self._pixmaps.get(picture_id)

    def shown(self, picture_id: str) -> QPixmap:
        """What the table paints for ``picture_id``: its thumbnail, or a plain placeholder."""
        pixmap = self._pixmaps.get(picture_id)
        if pixmap is not None:
            return pixmap
        if self._placeholder is None:
            self._placeholder = QPixmap(THUMBNAIL_PX, THUMBNAIL_PX)
            self._placeholder.fill(theme.colour("placeholder"))
        return self._placeholder

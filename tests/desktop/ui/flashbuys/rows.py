"""Flash-buys, progress and orders as the platform sends them, and ways to read the table."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.flashbuys import FlashBuyFilter, FlashBuyPanel, FlashBuyTableModel, Role
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order

ROOM = 7
T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
ACTIVE, SOLD_OUT, ENDED = FlashBuyStatus.ACTIVE, FlashBuyStatus.SOLD_OUT, FlashBuyStatus.ENDED


def make_fb(fid: int, **changes: Any) -> FlashBuy:
    fields: dict[str, Any] = {
        "id": fid,
        "room_id": ROOM,
        "product_id": 1,
        "product_name": "冰种翡翠手镯",
        "category_id": 1,
        "category_name": "翡翠",
        "mode": Mode.FULL,
        "title": f"{fid}号 冰种翡翠手镯",
        "piece_no": str(fid),
        "price_fen": 128_800,
        "stock": 1,
        "sold": 0,
        "status": ACTIVE,
        "revision": 1,
        "picture_id": f"{fid:064x}",
        "template_id": 1,
        "note": "",
        "targets": [],
        "created_at": T0 + timedelta(minutes=fid),
        "ended_at": None,
    }
    fields.update(changes)
    return FlashBuy(**fields)


def progress(
    fid: int, sold: int, stock: int, status: FlashBuyStatus, revision: int | None = None
) -> FlashBuyProgress:
    """The platform's progress event: created at revision 1, one more per sale by default."""
    return FlashBuyProgress(
        id=fid,
        room_id=ROOM,
        sold=sold,
        stock=stock,
        status=status,
        revision=sold + 1 if revision is None else revision,
    )


def order(oid: int, fid: int, nickname: str) -> Order:
    return Order(
        id=oid,
        flashbuy_id=fid,
        room_id=ROOM,
        viewer_id=100 + oid,
        nickname=nickname,
        price_fen=128_800,
        shipping_fen=0,
        total_fen=128_800,
        region="浙江",
        created_at=T0,
        revision=1,
    )


class Recorder:
    """Counts a model's change signals."""

    def __init__(self, model: FlashBuyTableModel) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int, int, int]] = []
        self.resets = 0
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.dataChanged.connect(
            lambda tl, br, _roles=(): self.changed.append(
                (tl.row(), tl.column(), br.row(), br.column())
            )
        )
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    def clear(self) -> None:
        self.inserted.clear()
        self.changed.clear()
        self.resets = 0


def cell(model: Any, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.index(row, column).data(role)


def proxy_ids(proxy: FlashBuyFilter) -> list[int]:
    return [cell(proxy, r, 0, Role.ID) for r in range(proxy.rowCount())]


@dataclass
class Console:
    panel: FlashBuyPanel
    client: PlatformClient
    tasks: Tasks
    errors: list[str]


class Bridge(QObject):
    """Hands events from the stream's thread to the GUI thread (a queued signal)."""

    received = Signal(object)


def click_in_dialog(qtbot, button_name: str) -> list[str]:
    """Click a button of the next message box once it shows; its text goes in the list."""
    texts: list[str] = []

    def attempt() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        if not boxes:
            QTimer.singleShot(10, attempt)
            return
        texts.append(boxes[0].text())
        button = boxes[0].findChild(QAbstractButton, button_name)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, attempt)
    return texts


def row_state(panel: FlashBuyPanel, fid: int) -> tuple[str, str, list[str]] | None:
    row = panel.model.row_of(fid)
    if row < 0:
        return None
    fb = panel.model.flashbuy(row)
    return fb.status.value, f"{fb.sold}/{fb.stock}", panel.model.buyers(row)

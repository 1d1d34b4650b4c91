"""Ways to read the flash-buy table (the data it shows: ``tests.desktop.room.sales_data``)."""

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.flashbuys import FlashBuyFilter, FlashBuyPanel, FlashBuyTableModel, Role


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


def row_state(panel: FlashBuyPanel, fid: int) -> tuple[str, str, list[str]] | None:
    row = panel.model.row_of(fid)
    if row < 0:
        return None
    fb = panel.model.flashbuy(row)
    return fb.status.value, f"{fb.sold}/{fb.stock}", panel.model.buyers(row)

"""Past lives (往期直播): every live of the creator with its totals, each one's flash-buys.

A live that has ended leaves the main window when the next one starts; here it stays
reachable. :class:`LivesWindow` lists the lives, newest first, with the totals the platform
sums (flash-buys, orders, sales); opening one shows :class:`PastLiveWindow`, its flash-buy
table read-only (filters and search work, nothing can be ended).
"""

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.flashbuys import FlashBuyPanel
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.models import LiveSummary
from flashbuy_protocol.money import format_fen

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex

_HEADERS = (
    QT_TRANSLATE_NOOP("LivesModel", "Title"),
    QT_TRANSLATE_NOOP("LivesModel", "Status"),
    QT_TRANSLATE_NOOP("LivesModel", "Started at"),
    QT_TRANSLATE_NOOP("LivesModel", "Ended at"),
    QT_TRANSLATE_NOOP("LivesModel", "Flash-buys"),
    QT_TRANSLATE_NOOP("LivesModel", "Orders"),
    QT_TRANSLATE_NOOP("LivesModel", "Sales"),
)
TITLE, STATUS, STARTED, ENDED, FLASHBUYS, ORDERS, SALES = range(len(_HEADERS))
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(moment: datetime | None) -> str:
    """A moment in the seller's time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


class LivesModel(QAbstractTableModel):
    """The creator's lives, one row each, newest first (as the platform lists them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lives: list[LiveSummary] = []

    def reset(self, lives: list[LiveSummary]) -> None:
        """Show ``lives`` instead of what was shown."""
        self.beginResetModel()
        self._lives = list(lives)
        self.endResetModel()

    def summary(self, row: int) -> LiveSummary:
        """The live of ``row``."""
        return self._lives[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(self._lives)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(  # override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return self.tr(str(_HEADERS[section]))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # override
        if not index.isValid() or not 0 <= index.row() < len(self._lives):
            return None
        live = self._lives[index.row()]
        column = index.column()
        if role == SUMMARY_ROLE:
            return live
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(live, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FLASHBUYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return live.title
        return None

    def _text(self, live: LiveSummary, column: int) -> str:
        if column == TITLE:
            return live.title
        if column == STATUS:
            return self.tr("Live now") if live.status is LiveStatus.LIVE else self.tr("Ended")
        if column == STARTED:
            return _when(live.started_at)
        if column == ENDED:
            return _when(live.ended_at)
        if column == FLASHBUYS:
            return str(live.flashbuy_count)
        if column == ORDERS:
            return str(live.order_count)
        return "¥" + format_fen(live.sales_fen)


class LivesWindow(QDialog):
    """往期直播: the creator's lives with their totals; Enter or a double-click opens one."""

    def __init__(self, client: PlatformClient, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lives_window")
        self.setWindowTitle(self.tr("Past lives"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.client = client
        self.tasks = tasks.scoped(self)
        self.model = LivesModel(self)
        self.opened: list[PastLiveWindow] = []

        self.view = QTableView()
        self.view.setObjectName("lives_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        for column in range(len(_HEADERS)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda index: self.open_live(index.row()))

        self.status = QLabel(self.tr("Loading the lives…"))
        self.status.setObjectName("lives_status")
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("Open flash-buys"))
        self.open_button.setObjectName("open_live_button")
        self.open_button.setDefault(True)  # Enter opens the selected live
        self.open_button.clicked.connect(self.open_selected)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.view.selectionModel().selectionChanged.connect(self._update_open)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.resize(900, 480)
        self._update_open()

    def load(self) -> None:
        """Read the lives (off the GUI thread) and show them."""
        self.tasks.run(self.client.live_summaries, self._loaded, self._failed, key="lives")

    def _loaded(self, lives: list[LiveSummary]) -> None:
        theme.set_tone(self.status, None)
        self.model.reset(lives)
        if lives:
            self.status.setText(self.tr("Lives: {n}").format(n=len(lives)))
            self.view.selectRow(0)
        else:
            self.status.setText(self.tr("No lives yet"))
        self.view.setFocus()

    def _failed(self, error: Exception) -> None:
        theme.set_tone(self.status, Tone.ERROR)
        self.status.setText(self.tr("Could not load the lives: {why}").format(why=describe(error)))

    def _update_open(self, *_args: object) -> None:
        self.open_button.setEnabled(bool(self.view.selectionModel().selectedRows()))

    def open_selected(self) -> None:
        """Open the selected live's flash-buys."""
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.open_live(rows[0].row())

    def open_live(self, row: int) -> "PastLiveWindow | None":
        """Show the flash-buys of the live in ``row`` (read-only)."""
        if not 0 <= row < self.model.rowCount():
            return None
        live = self.model.summary(row)
        for shown in self.opened:
            if shown.live.id == live.id:
                shown.raise_()
                shown.activateWindow()
                return shown
        # Beside the list, not inside it: it stays open when the list closes.
        window = PastLiveWindow(self.client, self.tasks, live, self.parentWidget())
        self.opened.append(window)
        window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
        window.show()
        return window

    def _forget(self, window: "PastLiveWindow") -> None:
        if window in self.opened:
            self.opened.remove(window)


class PastLiveWindow(QDialog):
    """One live's flash-buys, read-only: what sold, to whom, and how it ended."""

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        live: LiveSummary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("past_live_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.live = live
        self.setWindowTitle(self.tr("Past live: {title}").format(title=live.title))
        self.summary = QLabel(self._summary_text(live))
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setObjectName("past_live_summary")
        self.summary.setWordWrap(True)
        self.panel = FlashBuyPanel(client, tasks.scoped(self), live.id, read_only=True)
        self.error = QLabel()
        self.error.setObjectName("past_live_error")
        theme.set_tone(self.error, Tone.ERROR)
        self.panel.errorRaised.connect(self.error.setText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Enter in the search field must not close the window.
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1000, 560)
        self.panel.refresh()

    def _summary_text(self, live: LiveSummary) -> str:
        start, end = _when(live.started_at), _when(live.ended_at)
        when = (
            self.tr("{start} to {end}").format(start=start, end=end)
            if end
            else self.tr("since {start}, still live").format(start=start)
        )
        totals = self.tr("Flash-buys {flashbuys} · orders {orders} · sales ¥{sales}").format(
            flashbuys=live.flashbuy_count,
            orders=live.order_count,
            sales=format_fen(live.sales_fen),
        )
        return f"<b>{html.escape(live.title)}</b>　{html.escape(when)}<br>{html.escape(totals)}"

"""The header of the main window: the live, its audience and sales, and the connection.

Its looks are the theme's tones (the live badge, the connection's colour); the figures are
what the main window hands it, the platform's own.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from flashbuy_desktop.api.events import StreamState
from flashbuy_desktop.ui.theme import Tone, set_tone
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.models import Room
from flashbuy_protocol.money import format_fen

# The connection's tone and dot: a colour and a shape, so it reads without the colour too.
_CONNECTION_LOOK = {
    StreamState.CONNECTED: (Tone.SUCCESS, "●"),
    StreamState.CONNECTING: (Tone.WARNING, "◐"),
    StreamState.RECONNECTING: (Tone.WARNING, "◐"),
    StreamState.OFFLINE: (Tone.ERROR, "○"),
    StreamState.STOPPED: (Tone.MUTED, "○"),
}


class LiveHeader(QWidget):
    """Title, live or ended, viewers, orders and sales of this live, and the connection state."""

    goLiveRequested = Signal()
    endLiveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("live_header")
        self.title = QLabel(self.tr("Not live"))
        self.title.setObjectName("live_title")
        self.state = QLabel()
        self.state.setObjectName("live_state")
        self.viewers = QLabel()
        self.orders = QLabel()
        self.orders.setObjectName("sales")
        # Orders waiting to be paid: apart from the sales, amber, shown only when there are any.
        self.held = QLabel()
        self.held.setObjectName("held_sales")
        set_tone(self.held, Tone.WARNING)
        self.connection = QLabel()
        self.connection.setObjectName("connection")
        bold = self.connection.font()
        bold.setBold(True)  # whatever its tone, the state reads at a glance
        self.connection.setFont(bold)
        self.go_live = QPushButton(self.tr("Go live"))
        self.end_live = QPushButton(self.tr("End live"))
        self.go_live.clicked.connect(self.goLiveRequested)
        self.end_live.clicked.connect(self.endLiveRequested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addStretch(1)
        sales = QHBoxLayout()  # paid and held read as one figure: close together
        sales.setSpacing(6)
        sales.addWidget(self.orders)
        sales.addWidget(self.held)
        for part in (self.viewers, sales, self.connection):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
            layout.addSpacing(16)
        layout.addWidget(self.go_live)
        layout.addWidget(self.end_live)
        # Settings, problem report and sign-out: rare actions, one click away, out of the way.
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("console_menu")
        self.menu_button.setText(self.tr("Menu"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.menu_button)
        self.menu_button.setMenu(self.menu)
        layout.addSpacing(8)
        layout.addWidget(self.menu_button)

        self._room: Room | None = None
        self.set_room(None)
        self.set_connection(StreamState.CONNECTING)

    def set_room(self, room: Room | None) -> None:
        """Show a room (or that there is no live).

        An ended live keeps its title and its sales, says it has ended, and no longer
        shows a viewer count, which would read as people watching now; the go-live
        button then offers a new live.
        """
        self._room = room
        live = room is not None and room.status is LiveStatus.LIVE
        self.title.setText(room.title if room else self.tr("Not live"))
        self.state.setText(self.tr("● Live") if live else self.tr("Live ended") if room else "")
        self.state.setProperty("live", live)
        set_tone(self.state, Tone.LIVE if live else Tone.IDLE)
        self.go_live.setText(self.tr("Start a new live") if room else self.tr("Go live"))
        self.go_live.setVisible(not live)
        self.end_live.setVisible(live)
        self.viewers.setVisible(live)
        self.set_viewer_count(room.viewer_count if live and room else 0)

    def set_viewer_count(self, count: int) -> None:
        """How many viewers are in the room now."""
        self.viewers.setText(self.tr("%n viewer(s)", "", count))

    def set_sales(
        self, orders: int, sales_fen: int, held_count: int = 0, held_fen: int = 0
    ) -> None:
        """Paid orders and sales of this live so far, and apart, the orders waiting to be paid
        ("订单 3 · 成交 ¥7,418.00 · 待付 ¥899.00")."""
        self.orders.setText(
            self.tr("%n order(s) · sales ¥{sales}", "", orders).format(sales=format_fen(sales_fen))
        )
        self.orders.setToolTip(self.tr("Paid orders and what they were paid, postage aside"))
        self.held.setText(
            self.tr("· unpaid ¥{held}").format(held=format_fen(held_fen)) if held_count else ""
        )
        self.held.setToolTip(self.tr("Orders waiting to be paid: {n}").format(n=held_count))
        self.held.setVisible(held_count > 0)

    def set_connection(self, state: StreamState, reason: str = "") -> None:
        """The event stream's state, readable at a glance."""
        tone, dot = _CONNECTION_LOOK[state]
        words = {
            StreamState.CONNECTED: self.tr("Connected"),
            StreamState.CONNECTING: self.tr("Connecting…"),
            StreamState.RECONNECTING: self.tr("Reconnecting…"),
            StreamState.OFFLINE: self.tr("Offline"),
            StreamState.STOPPED: self.tr("Not connected"),
        }[state]
        self.connection.setText(f"{dot} {words}")
        set_tone(self.connection, tone)
        self.connection.setToolTip(reason)
        self.connection.setProperty("state", state.value)
        self.connection.setAlignment(Qt.AlignmentFlag.AlignVCenter)

"""The header of the main window: the live, its audience and sales, and the connection."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from flashbuy_desktop.api.events import StreamState
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.models import Room
from flashbuy_protocol.money import format_fen

_CONNECTION_STYLE = {
    StreamState.CONNECTED: ("#1e8e3e", "●"),
    StreamState.CONNECTING: ("#b06000", "◐"),
    StreamState.RECONNECTING: ("#b06000", "◐"),
    StreamState.OFFLINE: ("#c5221f", "○"),
    StreamState.STOPPED: ("#5f6368", "○"),
}


class LiveHeader(QWidget):
    """Title, live or ended, viewers, orders and sales of this live, and the connection state."""

    goLiveRequested = Signal()
    endLiveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveHeader")
        self.title = QLabel(self.tr("未开播"))
        self.title.setObjectName("liveTitle")
        self.state = QLabel()
        self.state.setObjectName("liveState")
        self.viewers = QLabel()
        self.orders = QLabel()
        self.connection = QLabel()
        self.connection.setObjectName("connection")
        self.go_live = QPushButton(self.tr("开播"))
        self.end_live = QPushButton(self.tr("结束直播"))
        self.go_live.clicked.connect(self.goLiveRequested)
        self.end_live.clicked.connect(self.endLiveRequested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addStretch(1)
        for label in (self.viewers, self.orders, self.connection):
            layout.addWidget(label)
            layout.addSpacing(16)
        layout.addWidget(self.go_live)
        layout.addWidget(self.end_live)

        self._room: Room | None = None
        self.set_room(None)
        self.set_connection(StreamState.CONNECTING)

    def set_room(self, room: Room | None) -> None:
        """Show a room (or that there is no live)."""
        self._room = room
        live = room is not None and room.status is LiveStatus.LIVE
        self.title.setText(room.title if room else self.tr("未开播"))
        self.state.setText(self.tr("● 直播中") if live else self.tr("已结束") if room else "")
        self.state.setProperty("live", live)
        self.state.setStyleSheet(
            "color: white; background: #e8453c; border-radius: 4px; padding: 2px 8px;"
            if live
            else "color: #5f6368;"
        )
        self.go_live.setVisible(not live)
        self.end_live.setVisible(live)
        self.set_viewer_count(room.viewer_count if room else 0)

    def set_viewer_count(self, count: int) -> None:
        """How many viewers are in the room now."""
        self.viewers.setText(self.tr("观众 %n 人", "", count))

    def set_sales(self, orders: int, sales_fen: int) -> None:
        """Orders and sales of this live so far."""
        self.orders.setText(
            self.tr("订单 %1 · 成交 ¥%2")
            .replace("%1", str(orders))
            .replace("%2", format_fen(sales_fen))
        )

    def set_live_ended(self) -> None:
        """The live has ended (from the event stream)."""
        if self._room is not None:
            self.set_room(self._room.model_copy(update={"status": LiveStatus.ENDED}))

    def set_connection(self, state: StreamState, reason: str = "") -> None:
        """The event stream's state, readable at a glance."""
        color, dot = _CONNECTION_STYLE[state]
        words = {
            StreamState.CONNECTED: self.tr("已连接"),
            StreamState.CONNECTING: self.tr("连接中…"),
            StreamState.RECONNECTING: self.tr("重连中…"),
            StreamState.OFFLINE: self.tr("离线"),
            StreamState.STOPPED: self.tr("未连接"),
        }[state]
        self.connection.setText(f"{dot} {words}")
        self.connection.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.connection.setToolTip(reason)
        self.connection.setProperty("state", state.value)
        self.connection.setAlignment(Qt.AlignmentFlag.AlignVCenter)

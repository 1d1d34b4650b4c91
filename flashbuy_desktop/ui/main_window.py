"""The console's main window: the live header, the comment flood and the flash-buy table.

It loads the room's state once, then follows the room's event stream; every event
after the loaded state is applied exactly once, whatever the network does, so the
table never shows a stale status after a reconnect.
"""

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import StreamState
from flashbuy_desktop.settings import Hotkeys
from flashbuy_desktop.ui.capture import CaptureService
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.comments import CommentBridge, CommentFeed, CommentView
from flashbuy_desktop.ui.flashbuys import FlashBuyPanel
from flashbuy_desktop.ui.header import LiveHeader
from flashbuy_desktop.ui.messages import describe
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog
from flashbuy_desktop.ui.shipping import ShippingTemplateManager
from flashbuy_desktop.ui.sync import RoomSync
from flashbuy_desktop.ui.tasks import Tasks
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.models import Comment, Event, FlashBuy, FlashBuyList, Room

log = logging.getLogger(__name__)

# The title a live started from the console gets (translated when it starts).
LIVE_TITLE_DEFAULT = QT_TRANSLATE_NOOP("MainWindow", "Jade live")


class MainWindow(QMainWindow):
    """One creator's live: header, comments (left), flash-buys (right)."""

    signOutRequested = Signal()
    settingsRequested = Signal()
    reportRequested = Signal()
    targetRequested = Signal(int, str)  # viewer id, nickname: a targeted flash-buy for them
    frameLockChanged = Signal(bool)
    lastTemplateChanged = Signal(int)  # the template the seller used last (to preselect)

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        frame: CaptureFrame | None = None,
        capture: CaptureService | None = None,
        last_template_id: int | None = None,
        hotkeys: Hotkeys | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks.scoped(self)  # answers that come after the window closed are dropped
        self.room: Room | None = None
        self.closed = False
        self.setWindowTitle(self.tr("Flash-buy console"))
        self.resize(1280, 800)

        self.header = LiveHeader()
        self.comments = CommentView()
        self.feed = CommentFeed(self.comments.model)
        self.comments.attach_feed(self.feed)
        self.bridge = CommentBridge(self.feed, self)
        self.panel = FlashBuyPanel(client, self.tasks, room_id=0)
        self.sync = RoomSync(client, self, comments=self.bridge.on_event)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.comments)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 840])  # nicknames and comments readable from the start
        self.setMenuWidget(self.header)
        self.setCentralWidget(splitter)
        self.error_bar = QLabel()
        self.error_bar.setObjectName("errorBar")
        self.error_bar.setStyleSheet("color: #c5221f;")
        self.statusBar().addWidget(self.error_bar, 1)

        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.triggered.connect(self.settingsRequested)
        self.report_action = QAction(self.tr("Report a problem…"), self)
        self.report_action.triggered.connect(self.reportRequested)
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.triggered.connect(self.signOutRequested)
        menu = self.header.menu
        menu.addAction(self.settings_action)
        menu.addAction(self.report_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        self.frame = frame
        if frame is not None:
            self._add_frame_controls(frame)
        self.capture = capture
        self.last_template_id = last_template_id
        self.new_dialog: NewFlashBuyDialog | None = None
        # Hotkeys work wherever the console has focus (not only in this window).
        self.new_full_action = QAction(self.tr("New full flash-buy"), self)
        self.new_full_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.new_full_action.triggered.connect(self.new_full_flashbuy)
        self.addAction(self.new_full_action)
        self.pause_action = QAction(self.tr("Pause comments"), self)
        self.pause_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.pause_action.triggered.connect(self.comments.toggle_hold)
        self.addAction(self.pause_action)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newFlashBuyButton")
        self.new_button.clicked.connect(self.new_full_flashbuy)
        self.retake_key = QKeySequence(Qt.Key.Key_R)
        self.apply_hotkeys(hotkeys or Hotkeys())
        self.templates_button = QPushButton(self.tr("Shipping templates…"))
        self.templates_button.clicked.connect(self.manage_templates)
        self.statusBar().addPermanentWidget(self.templates_button)
        self.statusBar().addPermanentWidget(self.new_button)
        self.targetRequested.connect(lambda viewer, nick: self.new_targeted_flashbuy(viewer, nick))
        self.header.goLiveRequested.connect(self.go_live)
        self.header.endLiveRequested.connect(self.end_live)
        self.sync.eventArrived.connect(self.apply_event)
        self.sync.stateChanged.connect(
            lambda state, why: self.header.set_connection(StreamState(state), why)
        )
        self.panel.errorRaised.connect(self.show_error)
        self.comments.targetRequested.connect(self.targetRequested)
        self.tasks.failed.connect(self.show_error)

    def apply_hotkeys(self, hotkeys: Hotkeys) -> None:
        """Use the seller's hotkeys from now on (new full flash-buy, retake, pause comments)."""

        def key(text: str) -> QKeySequence:
            return QKeySequence(text, QKeySequence.SequenceFormat.PortableText)

        native = QKeySequence.SequenceFormat.NativeText
        self.new_full_action.setShortcut(key(hotkeys.new_full))
        self.new_button.setText(
            self.tr("New full flash-buy ({key})").format(key=key(hotkeys.new_full).toString(native))
        )
        self.pause_action.setShortcut(key(hotkeys.pause_comments))
        self.comments.hold_key = key(hotkeys.pause_comments).toString(native)
        self.retake_key = key(hotkeys.retake)

    def _add_frame_controls(self, frame: CaptureFrame) -> None:
        """Show/hide and lock the capture frame, from the status bar (always at hand)."""
        self.frame_shown = QCheckBox(self.tr("Show capture frame"))
        self.frame_shown.setChecked(True)
        self.frame_shown.toggled.connect(frame.setVisible)
        self.frame_locked = QCheckBox(self.tr("Lock capture frame"))
        self.frame_locked.setChecked(frame.is_locked())
        self.frame_locked.toggled.connect(frame.set_locked)
        self.frame_locked.toggled.connect(self.frameLockChanged)
        self.statusBar().addPermanentWidget(self.frame_shown)
        self.statusBar().addPermanentWidget(self.frame_locked)

    # --- loading and following a room -----------------------------------------------------

    def load(self) -> None:
        """Find the creator's live (or latest) room and follow it."""
        self.tasks.run(self.client.rooms, self._rooms_loaded, self.show_error, key="rooms")

    def _rooms_loaded(self, rooms: list[Room]) -> None:
        live = [r for r in rooms if r.status is LiveStatus.LIVE]
        self.show_room(live[0] if live else rooms[0] if rooms else None)

    def show_room(self, room: Room | None) -> None:
        """Show ``room``: its state now, then every change as it happens."""
        self.sync.stop()
        self.room = room
        self.header.set_room(room)
        if room is None:
            self.header.set_connection(StreamState.STOPPED)
            return
        room_id = room.id

        def snapshot() -> tuple[list[Comment], FlashBuyList]:
            # Read after the room, so the stream (from room.last_event_id) can only repeat
            # what these already show, never miss it; repeats are applied idempotently.
            return self.client.comments(room_id, limit=200), self.client.flashbuys(room_id)

        self.tasks.run(
            snapshot,
            lambda loaded: self._snapshot_loaded(room, *loaded),
            self.show_error,
            key="snapshot",
        )

    def _snapshot_loaded(
        self, room: Room, comments: list[Comment], flashbuys: FlashBuyList
    ) -> None:
        if self.closed or self.room is None or self.room.id != room.id:
            return
        self.feed.extend(comments)
        self.panel.set_room(room.id)
        self.panel.reset(flashbuys.items)
        self._show_sales()
        self.sync.start(room.id, after=room.last_event_id)

    def _show_sales(self) -> None:
        # Derived from the table, whose rows take repeated events idempotently, so an order
        # both in the snapshot and replayed by the stream is counted once.
        model = self.panel.model
        rows = [model.flashbuy(row) for row in range(model.rowCount())]
        self.header.set_sales(
            sum(fb.sold for fb in rows), sum(fb.sold * fb.price_fen for fb in rows)
        )

    def apply_event(self, event: Event) -> None:
        """One change in the room, in order."""
        kind = event.type
        if kind == "comment.posted":
            self.feed.push(Comment.model_validate(event.data))
        elif kind.startswith("flashbuy.") or kind == "order.placed":
            self.panel.apply_event(event)
            self._show_sales()
        elif kind in ("viewer.joined", "viewer.left"):
            self.header.set_viewer_count(int(event.data["viewer_count"]))
        elif kind == "live.ended":
            self.header.set_live_ended()

    # --- actions ------------------------------------------------------------------------

    def new_full_flashbuy(self) -> None:
        """F2: a flash-buy for every viewer; the picture is being captured as the window opens."""
        self._open_new_flashbuy([])

    def new_targeted_flashbuy(self, viewer_id: int, nickname: str) -> None:
        """+ on a comment: a flash-buy for that viewer only."""
        self._open_new_flashbuy([(viewer_id, nickname)])

    def _open_new_flashbuy(self, targets: list[tuple[int, str]]) -> None:
        if self.room is None or self.room.status is not LiveStatus.LIVE:
            self.show_error(self.tr("Go live first, then create flash-buys"))
            return
        if self.capture is None:
            self.show_error(self.tr("There is no capture frame to take the picture from"))
            return
        if self.new_dialog is not None and self.new_dialog.isVisible():
            self.new_dialog.raise_()
            self.new_dialog.activateWindow()
            return
        dialog = NewFlashBuyDialog(
            self.client,
            self.tasks,
            self.capture,
            self.room.id,
            targets=targets,
            last_template_id=self.last_template_id,
            retake_key=self.retake_key,
            parent=self,
        )
        dialog.created.connect(self._flashbuy_created)
        dialog.finished.connect(lambda _result: self._new_dialog_closed(dialog))
        self.new_dialog = dialog
        dialog.open()

    def _flashbuy_created(self, flashbuy: FlashBuy) -> None:
        # The stream brings it too; showing it now is what the seller waits for.
        self.panel.model.upsert(flashbuy)
        self._show_sales()

    def _new_dialog_closed(self, dialog: NewFlashBuyDialog) -> None:
        chosen = dialog.last_template_id
        if chosen is not None and chosen != self.last_template_id:
            self.last_template_id = chosen
            self.lastTemplateChanged.emit(chosen)
        if self.new_dialog is dialog:
            self.new_dialog = None
        dialog.deleteLater()

    def manage_templates(self) -> None:
        """The shipping templates window."""
        manager = ShippingTemplateManager(self, self.client, self.tasks)
        manager.finished.connect(manager.deleteLater)
        manager.open()

    def go_live(self) -> None:
        """Start a new live."""
        title = self.tr(str(LIVE_TITLE_DEFAULT))
        self.tasks.run(lambda: self.client.go_live(title), self.show_room, self.show_error)

    def end_live(self) -> None:
        """End the live (and with it every active flash-buy), after asking."""
        if self.room is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("End live"),
            self.tr("Ending the live ends every active flash-buy. End it now?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        room_id = self.room.id
        self.tasks.run(lambda: self.client.end_live(room_id), self.header.set_room, self.show_error)

    def show_error(self, error: object) -> None:
        """The one place errors are shown to the seller."""
        text = describe(error) if isinstance(error, BaseException) else str(error)
        log.warning("shown to the seller: %s", text)
        self.error_bar.setText(text)
        self.statusBar().showMessage("", 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop following the room before the window goes (and never start again)."""
        self.closed = True
        self.sync.stop()
        super().closeEvent(event)

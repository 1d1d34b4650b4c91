"""The console's main window: the live header, the comment flood and the flash-buy table.

It loads the room's state once, then follows the room's event stream; every event
after the loaded state is applied exactly once, whatever the network does, so the
table never shows a stale status after a reconnect. The header's orders and sales are
the platform's figures (the room's, then each ``live.totals``), never a sum of the table.
"""

import logging
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import StreamState, understood
from flashbuy_desktop.room.live_totals import SalesFigures
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.global_hotkeys import GLOBAL_HOTKEYS, Binding, GlobalHotkeys
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.sync import RoomSync
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import Hotkeys
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.comments import CommentBridge, CommentFeed, CommentView
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.flashbuys import FlashBuyPanel
from flashbuy_desktop.ui.golive import GoLiveDialog
from flashbuy_desktop.ui.header import LiveHeader
from flashbuy_desktop.ui.lives import LivesWindow
from flashbuy_desktop.ui.new_flashbuy import LiveContext, NewFlashBuyDialog
from flashbuy_desktop.ui.orders import OrdersPane
from flashbuy_desktop.ui.screenfit import fitted_size
from flashbuy_desktop.ui.shipping import ShippingTemplateManager
from flashbuy_desktop.ui.theme import Tone, set_tone
from flashbuy_desktop.ui.viewers.desk import ViewerDesk
from flashbuy_protocol.enums import FlashBuyStatus, LiveStatus
from flashbuy_protocol.event_payloads import LiveEnded, LiveTotals, ViewerCount
from flashbuy_protocol.limits import PAY_MINUTES_DEFAULT
from flashbuy_protocol.models import (
    Comment,
    Event,
    FlashBuy,
    FlashBuyList,
    FlashBuyProgress,
    Order,
    QueueEntry,
    Room,
    ViewerRecord,
)

log = logging.getLogger(__name__)

# The title the go-live window suggests for a creator's first live (translated when shown).
LIVE_TITLE_DEFAULT = QT_TRANSLATE_NOOP("MainWindow", "Jade live")
DEFAULT_SIZE = (1280, 800)


@dataclass(frozen=True)
class ViewState:
    """What the seller arranged in the window, carried into a window built anew.

    Geometry, the splitter, the flash-buy filters, search and sort, and the comment
    filter: a language change rebuilds the window, and it must come back as it was.
    """

    geometry: QByteArray
    splitter: QByteArray
    status: FlashBuyStatus | None
    mode_index: int
    category: tuple[int, str] | None  # id and name: the list of categories loads later
    search: str
    sort_column: int
    sort_order: Qt.SortOrder
    intent_only: bool
    comments_held: bool


class MainWindow(QMainWindow):
    """One creator's live: header, comments (left), flash-buys (right)."""

    signOutRequested = Signal()
    settingsRequested = Signal()
    reportRequested = Signal()
    targetRequested = Signal(int, str, str)  # viewer id, nickname, comment: a targeted one
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
        global_keys: bool = False,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks.scoped(self)  # answers that come after the window closed are dropped
        self.room: Room | None = None
        self.sales = SalesFigures.none()  # the platform's figures of the live shown
        self.closed = False
        self.setWindowTitle(self.tr("Flash-buy console"))
        self._fit_first_size()

        self.header = LiveHeader()
        self.comments = CommentView()
        self.feed = CommentFeed(self.comments.model)
        self.comments.attach_feed(self.feed)
        self.bridge = CommentBridge(None, self)
        self.bridge.commentsArrived.connect(self._comments_arrived)
        self.panel = FlashBuyPanel(client, self.tasks, room_id=0)
        self.sync = RoomSync(client, self, comments=self.bridge.on_event)

        # Under the flash-buys, the selected one's orders and queue (候补).
        self.orders_pane = OrdersPane(client, self.tasks, self.panel.model)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("sales_splitter")
        right.addWidget(self.panel)
        right.addWidget(self.orders_pane)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([480, 240])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.comments)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 840])  # nicknames and comments readable from the start
        self.splitter = splitter
        self.setMenuWidget(self.header)
        self.setCentralWidget(splitter)
        self.error_bar = QLabel()
        self.error_bar.setObjectName("error_bar")
        set_tone(self.error_bar, Tone.ERROR)
        self.statusBar().addWidget(self.error_bar, 1)

        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.triggered.connect(self.settingsRequested)
        self.report_action = QAction(self.tr("Report a problem…"), self)
        self.report_action.triggered.connect(self.reportRequested)
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.lives_action = QAction(self.tr("Past lives…"), self)
        self.lives_action.triggered.connect(self.show_lives)
        self.lives_window: LivesWindow | None = None
        menu = self.header.menu
        menu.addAction(self.lives_action)
        menu.addAction(self.settings_action)
        menu.addAction(self.report_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        self.frame = frame
        if frame is not None:
            self._add_frame_controls(frame)
        self.capture = capture
        self.last_template_id = last_template_id
        self.last_product_id: int | None = None  # kept for the next flash-buy if still usable
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
        self.new_button.setObjectName("new_flashbuy_button")
        self.new_button.clicked.connect(self.new_full_flashbuy)
        self.retake_key = QKeySequence(Qt.Key.Key_F5)
        self.global_hotkeys = GlobalHotkeys(self)  # the keys from the whole desktop, if asked
        global_actions = {"new_full": self.new_full_action, "pause_comments": self.pause_action}
        self.global_hotkeys.activated.connect(lambda name: global_actions[name].trigger())
        self.apply_hotkeys(hotkeys or Hotkeys(), global_keys=global_keys)
        self.templates_button = QPushButton(self.tr("Shipping templates…"))
        self.templates_button.clicked.connect(self.manage_templates)
        self.statusBar().addPermanentWidget(self.templates_button)
        self.statusBar().addPermanentWidget(self.new_button)
        self.targetRequested.connect(self.new_targeted_flashbuy)
        self.header.goLiveRequested.connect(self.go_live)
        self.header.endLiveRequested.connect(self.end_live)
        self.sync.eventArrived.connect(self.apply_event)
        self.sync.resyncNeeded.connect(self.resync)
        self.sync.stateChanged.connect(
            lambda state, why: self.header.set_connection(StreamState(state), why)
        )
        self.panel.errorRaised.connect(self.show_error)
        self.panel.flashbuySelected.connect(lambda fid: self.orders_pane.show_flashbuy(fid or None))
        self.orders_pane.errorRaised.connect(self.show_error)
        self.comments.targetRequested.connect(self.targetRequested)
        self.tasks.failed.connect(self.show_error)
        # Who pays: badges, the viewer's card (click a name), handing a piece over.
        self.viewers = ViewerDesk(
            client, self.tasks, self.comments, self, waiting=self.panel.model.sales.waiting_pieces
        )
        self.viewers.watch(self.panel.model)
        self.viewers.errorRaised.connect(self.show_error)
        # New flash-buys' pay window and hold-back rule (the settings'; the Console sets them).
        self.pay_minutes = PAY_MINUTES_DEFAULT
        self.hold_back_after: int | None = None

    def apply_hotkeys(self, hotkeys: Hotkeys, *, global_keys: bool = False) -> None:
        """Use the seller's hotkeys from now on (new full flash-buy, retake, pause comments);
        with ``global_keys``, new full flash-buy and pause also from any other program."""

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
        actions = {"new_full": self.new_full_action, "pause_comments": self.pause_action}
        wanted = [Binding(name, getattr(hotkeys, name), actions[name].text())
                  for name in GLOBAL_HOTKEYS] if global_keys else []  # fmt: skip
        taken, problems = self.global_hotkeys.start(wanted)
        for name in taken:
            # The system hands these keys to the console wherever the focus is; the shortcut
            # as well would fire a second time where both see the press.
            actions[name].setShortcut(QKeySequence())
        if problems:
            self.show_error(" ".join(problems))

    def _fit_first_size(self) -> None:
        """1280x800, or what the screen can show (1920x1080 at 200% is 960x540)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        available = (area.x(), area.y(), area.width(), area.height())
        width, height = fitted_size(DEFAULT_SIZE, available)
        self.resize(width, height)
        if (width, height) != DEFAULT_SIZE:
            # Too big for the screen: put it at the top left, where it all shows.
            self.move(area.topLeft())

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
        if room is None or self.room is None or room.id != self.room.id:
            # Another live (a new one): nothing of the last one's comments or sales stays.
            self.feed.clear()
            self.panel.set_room(room.id if room else 0)
        self.room = room
        self.header.set_room(room)
        # Whole, not merged: a room read again after a restore may stand at an older event.
        self._show_sales(SalesFigures.of_room(room) if room else SalesFigures.none())
        if room is None:
            self.header.set_connection(StreamState.STOPPED)
            return
        room_id = room.id

        def snapshot() -> tuple[
            list[Comment], FlashBuyList, list[Order], list[QueueEntry], list[ViewerRecord]
        ]:
            # Read after the room, so the stream (from room.last_event_id) can only repeat
            # what these already show, never miss it; repeats are applied idempotently.
            # Every order, those that expired or were cancelled too: the orders pane shows
            # where each piece went.
            return (
                self.client.comments(room_id, limit=200),
                self.client.flashbuys(room_id),
                self.client.room_orders(room_id),
                self.client.room_queue(room_id),
                self.client.room_viewer_records(room_id),
            )

        self.tasks.run(
            snapshot,
            lambda loaded: self._snapshot_loaded(room, *loaded),
            self.show_error,
            key="snapshot",
        )

    def _snapshot_loaded(
        self,
        room: Room,
        comments: list[Comment],
        flashbuys: FlashBuyList,
        orders: list[Order],
        queue: list[QueueEntry],
        records: list[ViewerRecord],
    ) -> None:
        if self.closed or self.room is None or self.room.id != room.id:
            return
        self.viewers.load(records)
        self.feed.extend(comments)
        self.panel.set_room(room.id)
        self.panel.add_orders(orders)  # first: the load then lacks no buyer
        self.panel.reset(flashbuys.items)
        self.panel.load_queue(queue)
        self.sync.start(room.id, after=room.last_event_id)

    def resync(self) -> None:
        """The platform no longer has events this window showed (it was restored from an older
        copy of its database): forget the comments, flash-buys and sales, read them again."""
        self.feed.clear()
        self.panel.set_room(0)  # a reload of the same room keeps rows; this one must not
        self._show_sales(SalesFigures.none())
        self.load()

    def _show_sales(self, figures: SalesFigures) -> None:
        self.sales = figures
        self.header.set_sales(
            figures.order_count, figures.sales_fen, figures.held_count, figures.held_fen
        )

    def _comments_arrived(self, comments: list[Comment]) -> None:
        # A stream stopped for another room may still have some on their way.
        if self.room is not None:
            self.feed.extend(c for c in comments if c.room_id == self.room.id)

    def apply_event(self, event: Event) -> None:
        """One change in the room, in order."""
        if self.room is None or event.room_id != self.room.id:
            return  # queued before the stream of a room no longer shown was stopped
        # Comments never come this way: RoomSync hands them to the comment bridge.
        data = understood(event)
        if data is None:
            return
        match data:
            case FlashBuy() | FlashBuyProgress() | Order() | QueueEntry():
                if data.room_id == self.room.id:
                    self.panel.apply_payload(data, event.type)
            case ViewerRecord():
                self.viewers.apply_record(data)
            case ViewerCount():
                self.header.set_viewer_count(data.viewer_count)
            case LiveTotals():
                self._show_sales(self.sales.updated(event.id, data))
            case LiveEnded():
                self._live_ended(self.room.model_copy(update={"status": LiveStatus.ENDED}))

    def _live_ended(self, room: Room) -> None:
        """The live is over (ended here or elsewhere): no more flash-buys, no audience count."""
        if self.room is None or room.id != self.room.id:
            return
        self.room = room
        self.header.set_room(room)
        if room.last_event_id > self.sales.as_of:  # the platform's answer, newer than shown
            self._show_sales(SalesFigures.of_room(room))
        if self.new_dialog is not None:
            self.new_dialog.live_ended()  # it says so before anything more is typed

    # --- actions ------------------------------------------------------------------------

    def new_full_flashbuy(self) -> None:
        """F2: a flash-buy for every viewer; the picture is being captured as the window opens."""
        self._open_new_flashbuy([])

    def new_targeted_flashbuy(self, viewer_id: int, nickname: str, comment: str = "") -> None:
        """+ on a comment: a flash-buy for that viewer only (the comment prefills the piece)."""
        self._open_new_flashbuy([(viewer_id, nickname)], comment)

    def _open_new_flashbuy(self, targets: list[tuple[int, str]], comment: str = "") -> None:
        if self.room is None:
            self.show_error(self.tr("Go live first, then create flash-buys"))
            return
        if self.capture is None:
            self.show_error(self.tr("There is no capture frame to take the picture from"))
            return
        if self.new_dialog is not None and self.new_dialog.isVisible():
            self.new_dialog.raise_()
            self.new_dialog.activateWindow()
            return
        model = self.panel.model
        flashbuys = sorted(
            (model.flashbuy(row) for row in range(model.rowCount())),
            key=lambda fb: (fb.created_at, fb.id),
        )
        dialog = NewFlashBuyDialog(
            self.client,
            self.tasks,
            self.capture,
            self.room.id,
            targets=targets,
            last_template_id=self.last_template_id,
            retake_key=self.retake_key,
            live=LiveContext(
                flashbuys=flashbuys,
                last_product_id=self.last_product_id,
                comment=comment or None,
                ended=self.room.status is not LiveStatus.LIVE,
                pay_minutes=self.pay_minutes,
                hold_back_after=self.hold_back_after,
                record_of=self.comments.records.record,
            ),
            parent=self,
        )
        dialog.created.connect(self._flashbuy_created)
        dialog.finished.connect(lambda _result: self._new_dialog_closed(dialog))
        # A window opened while the platform was unreachable loads again once it is back.
        self.sync.stateChanged.connect(dialog.on_stream_state)
        self.new_dialog = dialog
        dialog.open()

    def _flashbuy_created(self, flashbuy: FlashBuy) -> None:
        # The stream brings it too; showing it now is what the seller waits for.
        self.panel.model.upsert(flashbuy)

    def _new_dialog_closed(self, dialog: NewFlashBuyDialog) -> None:
        self.sync.stateChanged.disconnect(dialog.on_stream_state)
        self.last_product_id = dialog.last_product_id
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
        """Ask for the new live's title, then start it and show it (a clean console)."""
        title = self.room.title if self.room is not None else self.tr(str(LIVE_TITLE_DEFAULT))
        dialog = GoLiveDialog(self.client, self.tasks, title, self)
        dialog.started.connect(self.show_room)
        dialog.alreadyLive.connect(self.load)  # show the live that is on, wherever it began
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def end_live(self) -> None:
        """End the live (and with it every active flash-buy), after asking."""
        if not self.is_live():
            return
        assert self.room is not None
        question = Question(
            title=self.tr("End live"),
            text=self.tr("End the live “{title}” now?").format(title=self.room.title),
            details=self.tr(
                "The live room closes: every active flash-buy ends at once and can no longer"
                " be bought. An ended live cannot be resumed; you can start a new one."
            ),
            act=self.tr("End live"),
            safe=self.tr("Keep the live on"),
        )
        if not Confirm.ask(self, question) or not self.is_live():
            return
        room_id = self.room.id
        self.tasks.run(lambda: self.client.end_live(room_id), self._live_ended, self.show_error)

    def is_live(self) -> bool:
        """Whether the room shown is broadcasting (as far as this console knows)."""
        return self.room is not None and self.room.status is LiveStatus.LIVE

    def sign_out(self) -> None:
        """Ask, then hand over to the console, which shows the sign-in window."""
        details = (
            self.tr(
                "The live goes on on the platform: viewers can still buy its active"
                " flash-buys. Sign in again to manage it."
            )
            if self.is_live()
            else ""
        )
        question = Question(
            title=self.tr("Sign out"),
            text=self.tr("Sign out of the console?"),
            details=details,
            act=self.tr("Sign out"),
            safe=self.tr("Cancel"),
        )
        if Confirm.ask(self, question):
            self.signOutRequested.emit()

    def _may_quit(self) -> bool:
        assert self.room is not None
        return Confirm.ask(
            self,
            Question(
                title=self.tr("Quit the console"),
                text=self.tr("The live “{title}” is still on. Quit the console?").format(
                    title=self.room.title
                ),
                details=self.tr(
                    "The live goes on on the platform without the console: viewers stay and"
                    " can still buy its active flash-buys, and nobody here sees their comments."
                    " To end it, choose Keep the console open, then End live."
                ),
                act=self.tr("Quit the console"),
                safe=self.tr("Keep the console open"),
            ),
        )

    def show_lives(self) -> None:
        """往期直播: every live with its totals; each opens its flash-buys read-only."""
        if self.lives_window is not None:
            self.lives_window.raise_()
            self.lives_window.activateWindow()
            return
        window = LivesWindow(self.client, self.tasks, self)
        self.lives_window = window
        window.destroyed.connect(lambda _o=None: setattr(self, "lives_window", None))
        window.show()
        window.load()

    def view_state(self) -> ViewState:
        """What the seller arranged here, for a window built anew (:meth:`restore_view_state`)."""
        panel = self.panel
        category = panel.category_combo.currentData()
        columns = panel.view.horizontalHeader()
        return ViewState(
            geometry=self.saveGeometry(),
            splitter=self.splitter.saveState(),
            status=panel.proxy.status,
            mode_index=panel.mode_combo.currentIndex(),
            category=(
                (int(category), panel.category_combo.currentText())
                if category is not None
                else None
            ),
            search=panel.search_edit.text(),
            sort_column=columns.sortIndicatorSection(),
            sort_order=columns.sortIndicatorOrder(),
            intent_only=self.comments.intent_only.isChecked(),
            comments_held=self.comments.is_held(),
        )

    def restore_view_state(self, state: ViewState) -> None:
        """Arrange this window as ``state`` says; call before it is shown."""
        self.restoreGeometry(state.geometry)  # and onto the screen, if it hung off it
        self.splitter.restoreState(state.splitter)
        panel = self.panel
        panel.status_buttons[state.status].click()
        panel.mode_combo.setCurrentIndex(state.mode_index)
        if state.category is not None:
            category_id, name = state.category
            panel.category_combo.addItem(name, category_id)  # kept when the list loads
            panel.category_combo.setCurrentIndex(panel.category_combo.count() - 1)
        panel.search_edit.setText(state.search)
        panel.proxy.set_search(state.search)  # now, not after the typing pause
        panel.view.sortByColumn(state.sort_column, state.sort_order)
        self.comments.intent_only.setChecked(state.intent_only)
        if state.comments_held != self.comments.is_held():
            self.comments.toggle_hold()

    def show_error(self, error: object) -> None:
        """The one place errors are shown to the seller."""
        text = describe(error) if isinstance(error, BaseException) else str(error)
        log.warning("shown to the seller: %s", text)
        self.error_bar.setText(text)
        self.statusBar().showMessage("", 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask first if the seller closes it during a live; then stop following the room.

        Only a close from the window system (the close button, Alt+F4) asks: the console's
        own closes (sign-out, a new language, quitting) were decided already.
        """
        if event.spontaneous() and not self.closed and self.is_live() and not self._may_quit():
            event.ignore()
            return
        self.closed = True
        self.sync.stop()
        self.global_hotkeys.stop()
        super().closeEvent(event)

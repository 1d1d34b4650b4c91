"""A live from start to end and the next one, as the seller drives it, against the real platform.

Ending asks with named buttons and Enter keeps the live on; an ended live says so; the next
live asks for its title and starts clean; past lives stay reachable, read-only; closing the
console during a live asks; signing out returns to the sign-in window.
"""

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.services import i18n
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.golive import GoLiveDialog
from flashbuy_desktop.ui.lives import LivesWindow, PastLiveWindow
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.screenfit import is_inside
from flashbuy_protocol.enums import FlashBuyStatus
from tests.desktop.console_steps import followed_window, sign_in
from tests.desktop.keyboard import type_into
from tests.desktop.qt_child import run_qt_child
from tests.desktop.sale_steps import buy, pay
from tests.support import PASSWORD, World

SHOTS = os.environ.get("FLASHBUY_SHOTS")  # a folder: the tests save what they show there


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


# --- driving modal windows ----------------------------------------------------------------


class Steps:
    """Acts on windows as they come up, in order, while the test waits (``exec()`` blocks).

    Each step is (find, act): ``find`` returns the widget once it is there, ``act`` then
    does what the seller does with it. Polls every 10 ms for at most 60 s; a step that
    fails (or time running out) closes the modal window, so the test fails instead of
    hanging, and :meth:`finished` raises what went wrong.
    """

    def __init__(self, *steps: tuple[Callable[[], QWidget | None], Callable[[QWidget], None]]):
        self.steps = list(steps)
        self.done = 0
        self.error: BaseException | None = None
        self.deadline = time.monotonic() + 60
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if self.done == len(self.steps) or self.error is not None:
            return
        if time.monotonic() > self.deadline:
            self._give_up(TimeoutError(f"step {self.done} never found its window"))
            return
        find, act = self.steps[self.done]
        try:
            found = find()
            if found is not None:
                self.done += 1
                act(found)
        except BaseException as exc:
            self._give_up(exc)
            return
        QTimer.singleShot(10, self._poll)

    def _give_up(self, error: BaseException) -> None:
        self.error = error
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()

    def finished(self) -> bool:
        if self.error is not None:
            raise self.error
        return self.done == len(self.steps)


def modal_box() -> QMessageBox | None:
    """The question on screen, once it has the keyboard."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox) and box.isVisible() and box.isActiveWindow():
        return box
    return None


def shown_menu() -> QMenu | None:
    popup = QApplication.activePopupWidget()
    return popup if isinstance(popup, QMenu) and popup.isVisible() else None


def button(box: QWidget, name: str) -> QAbstractButton:
    found = box.findChild(QAbstractButton, name)
    assert found is not None, name
    return found


def press_enter(qtbot: QtBot) -> Callable[[QWidget], None]:
    """Enter, to whatever has the keyboard focus in the window (as a real key press goes)."""

    def act(window: QWidget) -> None:
        focused = QApplication.focusWidget()
        assert focused is not None
        assert window.isAncestorOf(focused), focused
        qtbot.keyClick(focused, Qt.Key.Key_Return)

    return act


def click(qtbot: QtBot, name: str) -> Callable[[QWidget], None]:
    def act(window: QWidget) -> None:
        qtbot.mouseClick(button(window, name), Qt.MouseButton.LeftButton)

    return act


def choose(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Open the header's menu with a click and click the entry ``text``."""

    def pick(menu: QWidget) -> None:
        assert isinstance(menu, QMenu)
        [action] = [a for a in menu.actions() if a.text() == text]
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    steps = Steps((shown_menu, pick))
    qtbot.mouseClick(window.header.menu_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(steps.finished)


# --- the window ---------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, world: World) -> Iterator[MainWindow]:
    """The main window on the world's live, followed."""
    shown = followed_window(qtbot, world.platform.url, world.creator.token)
    yield shown
    shown.close()


def status_of(world: World, room_id: int | None = None) -> str:
    room = world.creator.ok("GET", f"/rooms/{room_id or world.room_id}")
    return str(room["status"])


def test_enter_on_the_end_question_keeps_the_live_on_and_the_named_button_ends_it(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    header = window.header
    assert header.viewers.isVisible()
    assert "2" in header.viewers.text()
    seen: dict[str, str] = {}

    def read_and_press_enter(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["act"] = button(box, Confirm.ACT_BUTTON).text()
        seen["safe"] = button(box, Confirm.SAFE_BUTTON).text()
        seen["text"] = box.text()
        _shot(box, "end-live-question")
        press_enter(qtbot)(box)

    steps = Steps((modal_box, read_and_press_enter))
    qtbot.mouseClick(header.end_live, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(steps.finished)
    assert seen == {"act": "结束直播", "safe": "继续直播", "text": "现在结束直播“翡翠专场”吗？"}
    assert status_of(world) == "live"  # Enter chose the safe button
    assert window.is_live()
    assert header.end_live.isVisible()

    steps = Steps((modal_box, click(qtbot, Confirm.ACT_BUTTON)))
    qtbot.mouseClick(header.end_live, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(steps.finished)
    qtbot.waitUntil(lambda: header.state.text() == "直播已结束", timeout=10_000)
    assert status_of(world) == "ended"
    assert not window.is_live()
    assert not header.viewers.isVisible()  # nobody is watching an ended live
    assert not header.end_live.isVisible()
    assert header.go_live.isVisible()
    assert header.go_live.text() == "开始新直播"
    assert header.title.text() == "翡翠专场"
    _shot(window, "main-window-live-ended")


def test_a_live_ended_elsewhere_says_so_at_once(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    fb = world.create_flashbuy()
    qtbot.waitUntil(lambda: window.panel.model.row_of(fb["id"]) >= 0, timeout=10_000)
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")  # from the phone, say
    header = window.header
    qtbot.waitUntil(lambda: header.state.text() == "直播已结束", timeout=10_000)
    assert not window.is_live()
    assert not header.viewers.isVisible()
    assert header.go_live.text() == "开始新直播"
    # The ended live's flash-buys stay in view (ended with it) until the next live starts.
    row = window.panel.model.row_of(fb["id"])
    qtbot.waitUntil(
        lambda: window.panel.model.flashbuy(row).status is FlashBuyStatus.ENDED, timeout=10_000
    )
    _shot(window, "main-window-ended-elsewhere")


def test_going_live_asks_for_a_title_and_the_new_live_starts_clean(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "3号多少钱"})
    fb = world.create_flashbuy()
    pay(world.viewers[1], buy(world.viewers[1], fb["id"])["id"])  # a sale is a paid order
    qtbot.waitUntil(lambda: window.comments.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "订单 1" in window.header.orders.text(), timeout=10_000)
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    qtbot.waitUntil(lambda: not window.is_live(), timeout=10_000)

    def go_live_dialog() -> GoLiveDialog | None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, GoLiveDialog) and modal.isVisible() and modal.isActiveWindow():
            return modal
        return None

    # Esc: nothing starts.
    qtbot.mouseClick(window.header.go_live, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: go_live_dialog() is not None)
    dialog = go_live_dialog()
    assert dialog is not None
    assert dialog.title_edit.text() == "翡翠专场"  # the last live's title
    assert dialog.title_edit.hasFocus()
    assert dialog.title_edit.selectedText() == "翡翠专场"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: go_live_dialog() is None)
    assert len(world.creator.ok("GET", "/rooms")) == 1

    qtbot.mouseClick(window.header.go_live, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: go_live_dialog() is not None)
    dialog = go_live_dialog()
    assert dialog is not None
    # The platform's rules, said as the seller types: an empty title cannot go live.
    type_into(qtbot, dialog.title_edit, "   ")
    assert dialog.error.text() == "请填写直播标题"
    assert not dialog.go_button.isEnabled()
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    type_into(qtbot, dialog.title_edit, "长" * 61)
    assert dialog.error.text() == "标题最多 60 个字"
    # Pasted characters the platform's text rule refuses (flashbuy_protocol.limits).
    type_into(qtbot, dialog.title_edit, "和田玉\u202e专场")
    assert dialog.error.text() == "标题含有改变文字方向的隐藏字符，请重新输入"
    assert not dialog.go_button.isEnabled()
    _shot(dialog, "go-live-title-direction")
    type_into(qtbot, dialog.title_edit, "\u200b\u3000")
    assert dialog.error.text() == "标题没有可显示的内容：只含不可见字符"
    type_into(qtbot, dialog.title_edit, "和田玉专场")
    assert dialog.error.text() == ""
    _shot(dialog, "go-live-title")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.room is not None and window.room.id != world.room_id, timeout=10_000
    )
    new_room = window.room
    assert new_room is not None
    assert status_of(world, new_room.id) == "live"

    header = window.header
    assert header.title.text() == "和田玉专场"
    assert header.state.text() == "● 直播中"
    assert header.viewers.isVisible()
    assert header.viewers.text() == "观众 0 人"
    assert header.orders.text() == "订单 0 · 成交 ¥0.00"
    assert window.comments.model.rowCount() == 0
    assert window.panel.model.rowCount() == 0
    qtbot.waitUntil(lambda: header.connection.property("state") == "connected", timeout=30_000)

    # The new live is followed: its audience and its comments arrive.
    world.room_id = new_room.id
    viewer, _ = world.join("新来的")
    qtbot.waitUntil(lambda: header.viewers.text() == "观众 1 人", timeout=10_000)
    viewer.ok("POST", f"/rooms/{new_room.id}/comments", 201, json={"text": "1号要了"})
    qtbot.waitUntil(lambda: window.comments.model.rowCount() == 1, timeout=10_000)
    assert window.comments.model.comment(0).text == "1号要了"


def test_a_title_the_platform_refuses_keeps_the_window_open_with_the_reason(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    qtbot.waitUntil(lambda: not window.is_live(), timeout=10_000)
    # Meanwhile another device of the creator's started a live.
    other = world.creator.ok("POST", "/rooms", 201, json={"title": "手机开播"})

    qtbot.mouseClick(window.header.go_live, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), GoLiveDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, GoLiveDialog)
    type_into(qtbot, dialog.title_edit, "第二场")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.title_edit.isEnabled() and dialog.error.text() != "")
    assert "直播" in dialog.error.text()
    assert dialog.isVisible()
    assert dialog.title_edit.text() == "第二场"
    assert next(r["id"] for r in world.creator.ok("GET", "/rooms")) == other["id"]
    # The console shows the live that is on now, so the seller can go on with it.
    qtbot.waitUntil(lambda: window.room is not None and window.room.id == other["id"])
    assert window.is_live()
    assert window.header.title.text() == "手机开播"
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_past_lives_show_their_totals_and_open_their_flashbuys_read_only(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    sold = world.create_flashbuy(piece_no="3", title="3号 冰种手镯", price_fen=128_800)
    world.create_flashbuy(piece_no="5", title="5号 飘花吊坠", price_fen=66_600)
    world.platform.settle(buy(world.viewers[0], sold["id"])["id"])  # paid: a sale
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    new = world.creator.ok("POST", "/rooms", 201, json={"title": "和田玉专场"})

    choose(qtbot, window, "往期直播…")
    lives = window.lives_window
    assert isinstance(lives, LivesWindow)
    qtbot.waitExposed(lives)
    qtbot.waitUntil(lambda: lives.model.rowCount() == 2, timeout=10_000)
    rows = [
        [lives.model.index(r, c).data() for c in range(lives.model.columnCount())] for r in range(2)
    ]
    assert rows[0][0:2] == ["和田玉专场", "直播中"]
    assert rows[0][3] == ""
    assert rows[0][4:] == ["0", "0", "¥0.00"]
    assert rows[1][0:2] == ["翡翠专场", "已结束"]
    assert rows[1][3] != ""
    assert rows[1][4:] == ["2", "1", "¥1,288.00"]
    assert lives.status.text() == "共 2 场直播"
    _shot(lives, "past-lives")

    # The ended live: a click on its row and Enter.
    view = lives.view
    at = view.visualRect(lives.model.index(1, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(lives.opened) == 1)
    past = lives.opened[0]
    assert isinstance(past, PastLiveWindow)
    qtbot.waitExposed(past)
    panel = past.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 or past.error.text() != "", timeout=10_000)
    assert past.error.text() == ""
    assert panel.model.rowCount() == 2
    statuses = {panel.model.flashbuy(r).id: panel.model.flashbuy(r).status for r in range(2)}
    assert statuses.pop(sold["id"]) is FlashBuyStatus.SOLD_OUT
    assert list(statuses.values()) == [FlashBuyStatus.ENDED]  # ended with the live
    row = panel.model.row_of(sold["id"])
    qtbot.waitUntil(lambda: panel.model.buyers(row) != [], timeout=10_000)
    assert "翡翠专场" in past.summary.text()
    assert "¥1,288.00" in past.summary.text()
    # Read-only: no End, not even from the row's menu.
    assert not panel.end_button.isVisible()
    assert panel.view.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu
    panel.select(sold["id"])
    assert not panel.end_action.isEnabled()
    # Its filters still work.
    type_into(qtbot, panel.search_edit, "吊坠")
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert panel.proxy.rowCount() == 1
    _shot(past, "past-live-read-only")

    # Opening it again brings the same window forward.
    lives.open_live(1)
    assert lives.opened == [past]
    past.close()
    qtbot.waitUntil(lambda: lives.opened == [])
    lives.close()
    qtbot.waitUntil(lambda: window.lives_window is None)
    assert new["id"] != world.room_id


# --- closing and signing out --------------------------------------------------------------


def _alt_f4(qtbot: QtBot, window: QWidget) -> None:
    """Alt+F4 from the keyboard: the window manager asks the window to close."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    subprocess.run(["xdotool", "key", "alt+F4"], check=True, timeout=30)


@pytest.fixture
def desktop() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X server with a window manager: run it through scripts/pytest.sh")


def test_closing_during_a_live_asks_and_the_live_goes_on(
    qtbot: QtBot, world: World, window: MainWindow, desktop: None
) -> None:
    seen: dict[str, str] = {}

    def read_and_press_enter(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["act"] = button(box, Confirm.ACT_BUTTON).text()
        seen["safe"] = button(box, Confirm.SAFE_BUTTON).text()
        seen["details"] = box.informativeText()
        _shot(box, "quit-during-live-question")
        press_enter(qtbot)(box)

    steps = Steps((modal_box, read_and_press_enter))
    _alt_f4(qtbot, window)
    qtbot.waitUntil(steps.finished)
    assert (seen["act"], seen["safe"]) == ("退出控制台", "不退出")
    assert "直播仍在平台上继续" in seen["details"]
    assert window.isVisible()  # the close was answered (inside the wait): the window stays

    steps = Steps((modal_box, click(qtbot, Confirm.ACT_BUTTON)))
    _alt_f4(qtbot, window)
    qtbot.waitUntil(steps.finished)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert status_of(world) == "live"  # the console quit, the live did not end


def test_closing_after_the_live_ended_asks_nothing(
    qtbot: QtBot, world: World, window: MainWindow, desktop: None
) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    qtbot.waitUntil(lambda: not window.is_live(), timeout=10_000)
    _alt_f4(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert QApplication.activeModalWidget() is None


def _signed_in_console(qtbot: QtBot, world: World) -> Console:
    console = Console(
        ConsoleSettings(server_url=world.platform.url),
        TokenStore(backend=keyring.backends.fail.Keyring()),
    )
    sign_in(qtbot, console, world, enter=True)
    return console


def test_sign_out_asks_and_returns_to_the_sign_in_window(
    qtbot: QtBot, world: World, qapp: QApplication
) -> None:
    console = _signed_in_console(qtbot, world)
    closed_all: list[bool] = []
    qapp.lastWindowClosed.connect(lambda: closed_all.append(True))
    try:
        window = console.window
        assert window is not None
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.is_live, timeout=30_000)
        assert console.client is not None
        token = console.client.token
        seen: dict[str, str] = {}

        def read_and_press_enter(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            seen["act"] = button(box, Confirm.ACT_BUTTON).text()
            seen["safe"] = button(box, Confirm.SAFE_BUTTON).text()
            seen["details"] = box.informativeText()
            press_enter(qtbot)(box)

        steps = Steps((modal_box, read_and_press_enter))
        choose(qtbot, window, "退出登录")
        qtbot.waitUntil(steps.finished)
        assert (seen["act"], seen["safe"]) == ("退出登录", "取消")
        assert "直播仍在平台上继续" in seen["details"]
        assert console.window is window
        assert window.isVisible()

        steps = Steps((modal_box, click(qtbot, Confirm.ACT_BUTTON)))
        choose(qtbot, window, "退出登录")
        qtbot.waitUntil(steps.finished)
        qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
        assert console.window is None
        assert not window.isVisible()
        # The console never had no window, so it would not have quit.
        assert closed_all == []
        qtbot.waitUntil(
            lambda: world.platform.client(token).get("/me").status_code == 401, timeout=10_000
        )
        assert status_of(world) == "live"  # signing out does not end the live

        # Signing in again shows the live.
        dialog = console.dialog
        assert dialog is not None
        assert dialog.username.text() == ""  # a real platform: nothing is prefilled
        qtbot.keyClicks(dialog.username, world.username)
        qtbot.keyClicks(dialog.password, PASSWORD)
        with qtbot.waitSignal(console.ready, timeout=30_000):
            qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        again = console.window
        assert again is not None
        qtbot.waitUntil(lambda: again.room is not None and again.room.id == world.room_id)
    finally:
        console.shutdown()


def test_signing_out_of_the_demo_offers_the_demo_account(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    console = Console(
        ConsoleSettings(),
        TokenStore(backend=keyring.backends.fail.Keyring()),
        audience=False,
        data_path=tmp_path,
    )
    closed_all: list[bool] = []
    qapp.lastWindowClosed.connect(lambda: closed_all.append(True))
    try:
        with qtbot.waitSignal(console.ready, timeout=60_000):
            console.start()
        window = console.window
        assert window is not None
        qtbot.waitExposed(window)
        steps = Steps((modal_box, click(qtbot, Confirm.ACT_BUTTON)))
        choose(qtbot, window, "退出登录")
        qtbot.waitUntil(steps.finished)
        qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
        assert closed_all == []
        dialog = console.dialog
        assert dialog is not None
        assert console.embedded is not None
        assert console.embedded.demo is not None
        assert dialog.username.text() == console.embedded.demo.username
        # One Enter signs the demo in again.
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        focused = QApplication.focusWidget()
        assert focused is not None
        assert dialog.isAncestorOf(focused)
        with qtbot.waitSignal(console.ready, timeout=30_000):
            qtbot.keyClick(focused, Qt.Key.Key_Return)
        assert console.window is not None
    finally:
        console.shutdown()


# --- a new language, and a small screen -----------------------------------------------------


def test_a_new_language_keeps_the_window_where_and_as_it_was(
    qtbot: QtBot, world: World, qapp: QApplication, tmp_path: Path, desktop: None
) -> None:
    world.create_flashbuy(piece_no="3", title="3号 冰种手镯")
    world.create_flashbuy(piece_no="5", title="5号 飘花吊坠")
    console = Console(
        ConsoleSettings(server_url=world.platform.url, language="zh_CN"),
        TokenStore(backend=keyring.backends.fail.Keyring()),
        settings_path=tmp_path / "settings.json",
    )
    closed_all: list[bool] = []
    qapp.lastWindowClosed.connect(lambda: closed_all.append(True))
    try:
        console.start()
        qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
        assert console.dialog is not None
        qtbot.keyClicks(console.dialog.username, world.username)
        qtbot.keyClicks(console.dialog.password, PASSWORD)
        with qtbot.waitSignal(console.ready, timeout=30_000):
            qtbot.keyClick(console.dialog.password, Qt.Key.Key_Return)
        old = console.window
        assert old is not None
        qtbot.waitExposed(old)
        panel = old.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
        qtbot.waitUntil(lambda: panel.category_combo.count() > 1, timeout=10_000)

        # The seller arranges the window: smaller, to one side, filtered.
        old.setGeometry(200, 150, 1100, 700)
        qtbot.waitUntil(lambda: old.geometry().topLeft().x() == 200)
        old.splitter.setSizes([300, 780])
        qtbot.mouseClick(panel.status_buttons[FlashBuyStatus.ACTIVE], Qt.MouseButton.LeftButton)
        type_into(qtbot, panel.search_edit, "吊坠")
        qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
        panel.mode_combo.setFocus()
        qtbot.keyClick(panel.mode_combo, Qt.Key.Key_Down)  # 全量
        # The world's category (the session's platform has many).
        panel.category_combo.setCurrentIndex(panel.category_combo.findData(world.category_id))
        old.comments.intent_only.click()
        assert panel.proxy.rowCount() == 1
        before = (old.geometry(), old.splitter.sizes())
        arranged = (
            panel.mode_combo.currentText(),
            panel.category_combo.currentText(),
            panel.proxy.rowCount(),
        )

        def choose_english(dialog: QWidget) -> None:
            from flashbuy_desktop.ui.settings_window import SettingsWindow

            assert isinstance(dialog, SettingsWindow)
            dialog.language.setCurrentIndex(dialog.language.findData("en"))
            qtbot.mouseClick(
                dialog.buttons.button(dialog.buttons.StandardButton.Save),
                Qt.MouseButton.LeftButton,
            )

        steps = Steps((lambda: QApplication.activeModalWidget(), choose_english))
        choose(qtbot, old, "设置…")
        qtbot.waitUntil(steps.finished)
        window = console.window
        assert window is not None
        assert window is not old
        qtbot.waitExposed(window)
        assert closed_all == []  # never without a window: the console did not quit

        assert (window.geometry(), window.splitter.sizes()) == before
        area = window.screen().availableGeometry()
        qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))
        new_panel = window.panel
        assert new_panel.status_buttons[FlashBuyStatus.ACTIVE].isChecked()
        assert new_panel.search_edit.text() == "吊坠"
        assert window.comments.intent_only.isChecked()
        qtbot.waitUntil(lambda: new_panel.model.rowCount() == 2, timeout=10_000)
        assert (
            new_panel.mode_combo.currentText(),
            new_panel.category_combo.currentText(),
            new_panel.proxy.rowCount(),
        ) == ("Full", arranged[1], 1)
        assert arranged[0] == "全量"
        assert window.new_button.text() == "New full flash-buy (F2)"
        # The capture frame speaks the new language too.
        assert console.frame.windowTitle() == "Capture frame"
    finally:
        i18n.install(qapp, "zh_CN")  # the other tests read Chinese
        console.shutdown()


SMALL_SCREEN_CHILD = """
import json, sys, time
from PySide6.QtWidgets import QApplication
from flashbuy_desktop.services import i18n
from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.services.tasks import Tasks
app = QApplication(sys.argv)
window = MainWindow(PlatformClient("http://127.0.0.1:9"), Tasks())
window.show()
deadline = time.monotonic() + 20
# The window manager frames the window a moment after it shows: wait for its frame.
while time.monotonic() < deadline and window.frameGeometry() == window.geometry():
    app.processEvents()
for _ in range(20):
    app.processEvents()
def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]
print(json.dumps({
    "ratio": window.screen().devicePixelRatio(),
    "available": rect(window.screen().availableGeometry()),
    "frame": rect(window.frameGeometry()),
    "size": [window.width(), window.height()],
}))
window.close()
"""


@pytest.mark.gui  # the main window, in a process of its own, on the X screen
@pytest.mark.parametrize(("scale", "size"), [("1", [1280, 800]), ("2", None)])
def test_the_first_window_fits_the_screen_at_any_scale(
    desktop: None, scale: str, size: list[int] | None
) -> None:
    verdict = run_qt_child(SMALL_SCREEN_CHILD, timeout=120, QT_SCALE_FACTOR=scale)
    assert verdict["ratio"] == float(scale)
    assert is_inside(tuple(verdict["frame"]), tuple(verdict["available"])), verdict
    if size is not None:
        assert verdict["size"] == size  # where 1280x800 fits, that is the size
    else:
        assert verdict["available"][2:] == [960, 540]


def test_a_window_rebuilt_from_one_hanging_off_the_screen_comes_back_on_it(
    qtbot: QtBot, desktop: None
) -> None:
    client = PlatformClient("http://127.0.0.1:9")  # never called: nothing is loaded
    old = MainWindow(client, Tasks())
    qtbot.addWidget(old)
    old.show()
    qtbot.waitExposed(old)
    area = old.screen().availableGeometry()
    old.setGeometry(300, area.bottom() - 300, 1100, 700)  # the bottom well off the screen
    qtbot.waitUntil(lambda: old.geometry().size().width() == 1100)
    assert old.frameGeometry().bottom() > area.bottom()  # as the seller left it
    state = old.view_state()
    old.close()

    new = MainWindow(client, Tasks())
    qtbot.addWidget(new)
    new.restore_view_state(state)
    new.show()
    qtbot.waitExposed(new)
    qtbot.waitUntil(lambda: area.contains(new.frameGeometry()))
    assert new.size() == old.size()
    new.close()


def test_the_lives_model_is_a_well_behaved_model(qtmodeltester: ModelTester) -> None:
    from datetime import UTC, datetime

    from flashbuy_desktop.ui.lives import LivesModel
    from flashbuy_protocol.enums import LiveStatus
    from flashbuy_protocol.models import LiveSummary

    model = LivesModel()
    start = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    live = LiveSummary(
        id=2,
        creator_id=1,
        title="和田玉专场",
        status=LiveStatus.LIVE,
        started_at=start,
        ended_at=None,
        viewer_count=3,
        last_event_id=9,
        flashbuy_count=0,
        order_count=0,
        sales_fen=0,
    )
    ended = live.model_copy(
        update={
            "id": 1,
            "title": "翡翠专场",
            "status": LiveStatus.ENDED,
            "ended_at": start,
            "viewer_count": 0,
            "last_event_id": 40,
            "flashbuy_count": 12,
            "order_count": 7,
            "sales_fen": 1_288_00,
        }
    )
    model.reset([live, ended])
    qtmodeltester.check(model)
    assert model.index(1, 6).data() == "¥1,288.00"
    assert model.headerData(6, Qt.Orientation.Horizontal) == "成交额"

"""The first minutes of a live, as a seller runs them: real keys, real clicks, real screen.

A whole console (main window, capture frame, real capture engine) runs against the real
platform under Xvfb with openbox; a stand-in for the streaming software's preview runs in a
process of its own under the capture frame. Keys and clicks are real X events (xdotool):
they go to whatever window and widget has the focus, as a seller's do, never to a widget
the test names. Text an input method commits (full-width digits) is committed to the
focused widget, as the input method would.
"""

import io
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring.backends.fail
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.comments import CommentDelegate
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog
from flashbuy_protocol.models import FlashBuy
from flashbuy_server import catalog
from flashbuy_server.config import sqlite_url
from flashbuy_server.db import Database
from flashbuy_server.migrate import upgrade
from tests.desktop.console_steps import sign_in
from tests.desktop.keyboard import focused, type_text
from tests.support import ProcessPlatform, ServerProcess, World, make_world

TIMEOUT = 30_000
PREVIEW = QRect(1000, 120, 900, 620)  # where the stand-in stream preview shows
FRAME = QRect(1040, 180, 820, 500)  # the capture rectangle the seller aimed at it
MAGENTA = (255, 0, 255)

pytestmark = pytest.mark.gui
# The console is what is tested here: one database is enough (the platform's own tests
# run on both).
ON_SQLITE = pytest.mark.parametrize("platform", ["sqlite"], indirect=True)


def _require_desktop() -> None:
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        if os.environ.get("FLASHBUY_TEST_REQUIRE_POSTGRES"):
            pytest.fail("the test command promised an X desktop (Xvfb, openbox, xdotool)")
        pytest.skip("needs an X server with xdotool: run under scripts/test.sh")
    if QApplication.platformName() != "xcb":
        pytest.skip("real key events need Qt's xcb platform")


def xdo(*args: object) -> None:
    """Run xdotool: real X events, to whatever the window manager has focused."""
    subprocess.run(["xdotool", *(str(a) for a in args)], check=True, timeout=15)


def press(*keys: str) -> None:
    xdo("key", "--clearmodifiers", *keys)


def type_keys(text: str) -> None:
    xdo("type", "--delay", "25", text)


def click_at(point: QPoint) -> None:
    """A left click at a point of the screen (Xvfb: logical = physical pixels)."""
    xdo("mousemove", "--sync", point.x(), point.y(), "click", "1")


def activate(widget: QWidget) -> None:
    xdo("windowactivate", "--sync", int(widget.winId()))


@pytest.fixture
def preview() -> Iterator[subprocess.Popen[str]]:
    """The streaming software's preview: another program, under the capture frame."""
    _require_desktop()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).parents[1] / "stream_preview.py")]
        + [str(v) for v in (PREVIEW.x(), PREVIEW.y(), PREVIEW.width(), PREVIEW.height())],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready, "the stand-in preview did not show"
    assert process.stdout.readline().startswith("shown")
    yield process
    process.terminate()
    process.wait(10)
    process.stdout.close()


def _sign_in(qtbot: QtBot, world: World, settings: ConsoleSettings, path: Path) -> Console:
    console = Console(
        settings, TokenStore(backend=keyring.backends.fail.Keyring()), settings_path=path
    )
    sign_in(qtbot, console, world)
    window = console.window
    assert window is not None
    qtbot.waitExposed(window)
    qtbot.waitUntil(
        lambda: window.header.connection.property("state") == "connected", timeout=TIMEOUT
    )
    return console


@pytest.fixture
def console(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    world: World,
    tmp_path: Path,
    preview: subprocess.Popen[str],
) -> Iterator[Console]:
    """A signed-in console, its frame over the preview, its main window beside it, focused.

    It reads the order card as a seller's does, unless a test asks otherwise
    (``indirect`` parameter: ``read_card``).
    """
    settings = ConsoleSettings(
        server_url=world.platform.url,
        language="zh_CN",
        capture_frame=(FRAME.x(), FRAME.y(), FRAME.width(), FRAME.height()),
        read_card=getattr(request, "param", True),
    )
    _pointer_away()
    running = _sign_in(qtbot, world, settings, tmp_path / "settings.json")
    window = running.window
    assert window is not None
    window.setGeometry(10, 40, 960, 760)  # as the seller arranged it: beside the preview
    activate(window)
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    yield running
    _close(running)


def _pointer_away() -> None:
    """The pointer to a corner: resting on a comment list, it pauses that list (by design)."""
    screen = QApplication.primaryScreen().geometry()
    # Not --sync: it would wait for a motion that never comes when the pointer is there.
    xdo("mousemove", screen.right(), screen.bottom())


def _close(running: Console) -> None:
    window = running.window
    if window is not None and window.new_dialog is not None:
        window.new_dialog.reject()
    running.shutdown()
    QApplication.processEvents()
    _pointer_away()


def _window(console: Console) -> MainWindow:
    assert console.window is not None
    return console.window


def _dialog(qtbot: QtBot, console: Console) -> NewFlashBuyDialog:
    window = _window(console)
    qtbot.waitUntil(
        lambda: window.new_dialog is not None and window.new_dialog.isVisible(), timeout=TIMEOUT
    )
    assert window.new_dialog is not None
    return window.new_dialog


def _f2(qtbot: QtBot, console: Console) -> NewFlashBuyDialog:
    """F2 in the main window; the new window once its price field has the keyboard."""
    press("F2")
    dialog = _dialog(qtbot, console)
    # Nothing is clicked: the window takes the keyboard and gives it to the price field.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    return dialog


def _ready(qtbot: QtBot, dialog: NewFlashBuyDialog) -> None:
    def ready() -> None:
        assert dialog.captured_result() is not None, dialog.capture_status.text()
        assert dialog.create_button.isEnabled(), dialog.blocking_reason()

    qtbot.waitUntil(ready, timeout=TIMEOUT)


def _published(qtbot: QtBot, console: Console, count: int) -> FlashBuy:
    window = _window(console)
    qtbot.waitUntil(lambda: window.new_dialog is None, timeout=TIMEOUT)
    model = window.panel.model
    qtbot.waitUntil(lambda: model.rowCount() == count, timeout=TIMEOUT)
    return max((model.flashbuy(r) for r in range(model.rowCount())), key=lambda fb: fb.id)


def _picture(world: World, fb: FlashBuy) -> np.ndarray[Any, Any]:
    data = world.creator.get(f"/pictures/{fb.picture_id}").content
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _share_near(picture: np.ndarray[Any, Any], colour: tuple[int, int, int]) -> float:
    return float((np.abs(picture - np.array(colour)) <= 40).all(axis=2).mean())


def _click_plus(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Click the + on the comment saying ``text`` once it shows."""
    view = window.comments

    def row() -> int:
        for r in range(view.filter.rowCount()):
            if view.filter.index(r, 0).data() == text:
                return r
        return -1

    qtbot.waitUntil(lambda: row() >= 0, timeout=TIMEOUT)
    rect = view.list_view.visualRect(view.filter.index(row(), 0))
    click_at(view.list_view.viewport().mapToGlobal(CommentDelegate.button_rect(rect).center()))
    _pointer_away()  # off the list, which would stay paused under it


class Cover(QWidget):
    """One of the console's own windows, painted a colour the desk never shows."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(*MAGENTA))
        painter.end()


# --- what could publish the wrong thing -----------------------------------------------------


@ON_SQLITE
def test_f2_then_the_price_typed_at_once_publishes_the_desk_under_the_frame(
    qtbot: QtBot, world: World, console: Console
) -> None:
    dialog = _f2(qtbot, console)
    type_keys("1888")
    _ready(qtbot, dialog)
    press("Return")
    fb = _published(qtbot, console, 1)
    assert fb.price_fen == 188_800
    picture = _picture(world, fb)
    assert _share_near(picture, (250, 248, 245)) > 0.05  # the order card
    assert _share_near(picture, MAGENTA) == 0


@ON_SQLITE
def test_a_console_window_over_the_frame_is_never_published(
    qtbot: QtBot, world: World, console: Console
) -> None:
    cover = Cover()
    qtbot.addWidget(cover)
    cover.setWindowTitle("another console window")
    cover.setGeometry(FRAME.x() + 200, FRAME.y() + 100, 360, 260)
    cover.show()
    qtbot.waitExposed(cover)
    activate(_window(console))
    dialog = _f2(qtbot, console)
    qtbot.waitUntil(lambda: "挡住了捕获框" in dialog.capture_status.text(), timeout=TIMEOUT)
    assert dialog.captured_result() is None
    type_keys("520")
    press("Return")  # no picture: nothing is published
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "520", timeout=TIMEOUT)
    assert dialog.isVisible()
    assert _window(console).panel.model.rowCount() == 0

    cover.move(20, 850)  # the seller moves it off the frame: the picture is retaken
    _ready(qtbot, dialog)
    activate(dialog)
    press("Return")
    fb = _published(qtbot, console, 1)
    assert fb.price_fen == 52_000
    picture = _picture(world, fb)
    assert _share_near(picture, MAGENTA) == 0
    assert _share_near(picture, (250, 248, 245)) > 0.05
    cover.close()


@ON_SQLITE
def test_the_window_opens_beside_the_frame_never_over_it(qtbot: QtBot, console: Console) -> None:
    dialog = _f2(qtbot, console)
    frame = console.frame.geometry()
    qtbot.waitUntil(lambda: dialog.frameGeometry().x() != 0 or dialog.frameGeometry().y() != 0)
    assert not dialog.frameGeometry().intersects(frame)


@ON_SQLITE
def test_a_used_up_product_is_kept_and_said_never_swapped(
    qtbot: QtBot, world: World, console: Console
) -> None:
    with world.platform.db.write() as conn:
        catalog.create_product(conn, world.shop_id, world.category_id, "和田玉吊坠")
    dialog = _f2(qtbot, console)
    type_keys("100")
    _ready(qtbot, dialog)
    press("Return")
    first = _published(qtbot, console, 1)
    assert first.product_name == "冰种翡翠手镯"
    for n in range(19):
        world.create_flashbuy(piece_no=str(n + 10), title=f"{n}")
    qtbot.waitUntil(lambda: _window(console).panel.model.rowCount() == 20, timeout=TIMEOUT)

    dialog = _f2(qtbot, console)
    qtbot.waitUntil(lambda: dialog._products_loaded, timeout=TIMEOUT)
    assert dialog.product_combo.currentIndex() == -1  # not the pendant in its place
    assert "冰种翡翠手镯" in dialog.banner.text()
    assert "全量闪购次数已用完（0/20）" in dialog.banner.text()
    texts = [dialog.product_model.item(r).text() for r in range(dialog.product_model.rowCount())]
    assert any("冰种翡翠手镯" in t and "全量 0/20" in t for t in texts)
    assert any("和田玉吊坠" in t and "全量 20/20" in t for t in texts)
    type_keys("880")
    press("Return")
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "880", timeout=TIMEOUT)
    assert dialog.isVisible()
    assert not dialog.create_button.isEnabled()
    assert _window(console).panel.model.rowCount() == 20


@ON_SQLITE
def test_the_same_piece_again_warns_and_a_second_enter_publishes(
    qtbot: QtBot, world: World, console: Console
) -> None:
    world.create_flashbuy(piece_no="3", title="3号 冰种翡翠手镯")
    window = _window(console)
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=TIMEOUT)
    asker = world.viewers[0]
    asker.ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "3号多少钱"})
    _click_plus(qtbot, window, "3号多少钱")
    dialog = _dialog(qtbot, console)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    assert dialog.piece_edit.text() == "3"  # read from the comment
    assert "3号多少钱" in dialog.comment_label.text()
    assert not dialog.piece_error.isHidden()
    assert "件号 3 本场已有闪购" in dialog.piece_error.text()
    type_keys("880")
    _ready(qtbot, dialog)
    press("Return")
    qtbot.waitUntil(lambda: "再按一次 Enter" in dialog.status_label.text(), timeout=TIMEOUT)
    assert dialog.isVisible()  # the first Enter only made sure
    assert _window(console).panel.model.rowCount() == 1
    press("Return")
    fb = _published(qtbot, console, 2)
    assert (fb.piece_no, fb.price_fen) == ("3", 88_000)
    assert [t.id for t in fb.targets] == [world.viewer_ids[0]]


# --- what loses the seller's keystrokes or time ---------------------------------------------


@ON_SQLITE
def test_f5_retakes_from_the_price_field_without_typing_into_it(
    qtbot: QtBot, console: Console
) -> None:
    dialog = _f2(qtbot, console)
    _ready(qtbot, dialog)
    first = dialog.captured_result()
    type_keys("12")
    press("F5")
    qtbot.waitUntil(lambda: dialog.captured_result() not in (None, first), timeout=TIMEOUT)
    assert dialog.price_edit.text() == "12"
    assert dialog.price_error.isHidden()
    press("r")  # a plain R in the price field is just a (wrong) character
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "12r", timeout=TIMEOUT)


@ON_SQLITE
def test_full_width_digits_from_an_input_method_are_a_price(qtbot: QtBot, console: Console) -> None:
    dialog = _f2(qtbot, console)
    type_text(qtbot, focused(), "１２ａ")
    assert "只能包含数字和小数点" in dialog.price_error.text()
    press("ctrl+a", "BackSpace")
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "", timeout=TIMEOUT)
    type_text(qtbot, focused(), "￥１，８８８．５元")
    assert dialog.price_error.isHidden()
    assert dialog.price_fen() == 188_850
    _ready(qtbot, dialog)
    press("Return")
    assert _published(qtbot, console, 1).price_fen == 188_850


@ON_SQLITE
@pytest.mark.parametrize("console", [False], indirect=True, ids=["reading-off"])
def test_the_next_piece_number_follows_the_last(
    qtbot: QtBot, world: World, console: Console
) -> None:
    world.create_flashbuy(piece_no="7", title="7号 冰种翡翠手镯")
    qtbot.waitUntil(lambda: _window(console).panel.model.rowCount() == 1, timeout=TIMEOUT)
    dialog = _f2(qtbot, console)
    assert dialog.piece_edit.text() == "8"
    assert dialog.piece_error.isHidden()


@ON_SQLITE
def test_the_card_wins_over_the_guessed_piece_number_and_says_so(
    qtbot: QtBot, world: World, console: Console
) -> None:
    # The preview's card says 3号 ¥1288; the guess after the last flash-buy is 8.
    world.create_flashbuy(piece_no="7", title="7号 冰种翡翠手镯")
    qtbot.waitUntil(lambda: _window(console).panel.model.rowCount() == 1, timeout=TIMEOUT)
    dialog = _f2(qtbot, console)
    qtbot.waitUntil(lambda: "8" in dialog.card_note.text(), timeout=TIMEOUT)
    assert dialog.piece_edit.text() == "3"
    assert dialog.price_edit.text() == "1288"


@ON_SQLITE
def test_an_inline_error_never_moves_the_buttons(qtbot: QtBot, console: Console) -> None:
    dialog = _f2(qtbot, console)
    _ready(qtbot, dialog)
    before = (dialog.create_button.mapToGlobal(QPoint(0, 0)), dialog.height())
    type_keys("abc")
    qtbot.waitUntil(lambda: not dialog.price_error.isHidden(), timeout=TIMEOUT)
    assert (dialog.create_button.mapToGlobal(QPoint(0, 0)), dialog.height()) == before


@ON_SQLITE
def test_after_the_live_ended_the_window_says_so_before_anything_is_typed(
    qtbot: QtBot, world: World, console: Console
) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    window = _window(console)
    qtbot.waitUntil(
        lambda: window.room is not None and window.room.status.value == "ended", timeout=TIMEOUT
    )
    dialog = _f2(qtbot, console)
    assert "直播已结束" in dialog.banner.text()
    assert not dialog.banner.isHidden()
    assert not dialog.create_button.isEnabled()
    type_keys("1288")
    press("Return")
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "1288", timeout=TIMEOUT)
    assert dialog.isVisible()


# --- the capture frame ----------------------------------------------------------------------


def test_the_frame_moves_by_its_tab_and_says_how_at_first_start(
    qtbot: QtBot, preview: subprocess.Popen[str]
) -> None:
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    frame.restore(ConsoleSettings())  # nothing saved: the first start
    frame.set_capture_rect(QRect(200, 200, 400, 240))
    frame.show()
    qtbot.waitExposed(frame)
    assert frame.is_first_start()
    assert "拖这里移动" in frame.tab_text()
    before = frame.capture_rect()
    grip = frame.mapToGlobal(frame.tab_rect().center())
    xdo("mousemove", "--sync", grip.x(), grip.y(), "mousedown", "1")
    xdo("mousemove", "--sync", grip.x() + 60, grip.y() + 30)
    xdo("mousemove", "--sync", grip.x() + 120, grip.y() + 50, "mouseup", "1")
    qtbot.waitUntil(lambda: frame.capture_rect().topLeft() == before.topLeft() + QPoint(120, 50))
    assert frame.capture_rect().size() == before.size()
    assert not frame.is_first_start()
    assert "拖这里移动" not in frame.tab_text()
    _pointer_away()
    frame.close()


@ON_SQLITE
def test_first_start_puts_the_frame_beside_the_main_window(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    _require_desktop()
    settings = ConsoleSettings(server_url=world.platform.url, language="zh_CN")
    running = _sign_in(qtbot, world, settings, tmp_path / "settings.json")
    try:
        window = _window(running)
        qtbot.waitExposed(running.frame)
        assert running.frame.is_first_start()
        assert not running.frame.geometry().intersects(window.frameGeometry())
    finally:
        _close(running)


@ON_SQLITE
def test_the_viewer_picker_searches_and_lists_the_last_to_speak_first(
    qtbot: QtBot, world: World, console: Console
) -> None:
    # The other viewers are named 观众-<number>-<hex>: "xy" can only match this one.
    _, late = world.join("罗阿杰xy")
    world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "要"})
    window = _window(console)
    _click_plus(qtbot, window, "要")
    dialog = _dialog(qtbot, console)
    combo = dialog.viewer_combo
    qtbot.waitUntil(lambda: combo.count() == 2, timeout=TIMEOUT)  # the target is not listed
    assert combo.currentIndex() == -1
    assert combo.itemData(0) == late  # nobody else spoke: the newest arrival first
    assert combo.itemText(0) == "罗阿杰xy"
    edit, completer = combo.lineEdit(), combo.completer()
    assert edit is not None
    assert completer is not None
    click_at(edit.mapToGlobal(edit.rect().center()))
    type_keys("xy")
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["罗阿杰xy"]
    press("Escape")


@pytest.fixture
def restartable_sqlite(tmp_path: Path) -> Iterator[ProcessPlatform]:
    """A platform in a process of its own (SQLite), which the test stops and starts again."""
    url = sqlite_url(tmp_path / "platform" / "flashbuy.sqlite3")
    db = Database(url, pool_size=2)
    upgrade(db)
    server = ServerProcess(url).start()
    yield ProcessPlatform(server, db)
    server.stop()
    db.dispose()


def test_a_window_opened_while_the_platform_was_down_recovers_by_itself(
    qtbot: QtBot,
    restartable_sqlite: ProcessPlatform,
    tmp_path: Path,
    preview: subprocess.Popen[str],
) -> None:
    restartable = restartable_sqlite
    world = make_world(restartable)  # type: ignore[arg-type]  # has all make_world uses
    settings = ConsoleSettings(
        server_url=world.platform.url,
        language="zh_CN",
        capture_frame=(FRAME.x(), FRAME.y(), FRAME.width(), FRAME.height()),
    )
    running = _sign_in(qtbot, world, settings, tmp_path / "settings.json")
    try:
        window = _window(running)
        window.setGeometry(10, 40, 960, 760)
        restartable.server.stop()
        qtbot.waitUntil(
            lambda: window.header.connection.property("state") != "connected", timeout=TIMEOUT
        )
        activate(window)
        qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
        dialog = _f2(qtbot, running)
        qtbot.waitUntil(lambda: dialog._load_failed, timeout=TIMEOUT)
        assert "连接" in dialog.banner.text() or "平台" in dialog.banner.text()
        type_keys("666")
        qtbot.waitUntil(lambda: dialog.price_edit.text() == "666", timeout=TIMEOUT)
        assert not dialog.create_button.isEnabled()

        restartable.server.start()  # the platform is back: nothing is clicked
        qtbot.waitUntil(
            lambda: window.header.connection.property("state") == "connected", timeout=TIMEOUT
        )
        _ready(qtbot, dialog)
        assert dialog.banner.isHidden()
        press("Return")
        assert _published(qtbot, running, 1).price_fen == 66_600
    finally:
        _close(running)
        world.close()


SECOND_CONSOLE = r"""
import sys
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

class Window(QWidget):
    def paintEvent(self, event):
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(255, 0, 255))
        p.end()

app = QApplication(sys.argv[:1])
app.setApplicationName("flashbuy")  # as the console names itself (its windows' WM_CLASS)
w = Window()
w.setWindowTitle("闪购控制台")
w.setGeometry(*map(int, sys.argv[1:5]))
w.show()
print("shown", flush=True)
app.exec()
"""


@ON_SQLITE
def test_a_second_console_over_the_frame_is_never_published(
    qtbot: QtBot, world: World, console: Console
) -> None:
    where = (FRAME.x() + 100, FRAME.y() + 80, 400, 300)
    other = subprocess.Popen(
        [sys.executable, "-c", SECOND_CONSOLE, *(str(v) for v in where)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None
        ready, _, _ = select.select([other.stdout], [], [], 30)
        assert ready, "the second console did not show"
        assert other.stdout.readline().startswith("shown")
        activate(_window(console))
        dialog = _f2(qtbot, console)
        qtbot.waitUntil(lambda: "挡住了捕获框" in dialog.capture_status.text(), timeout=TIMEOUT)
        assert dialog.captured_result() is None
    finally:
        other.terminate()
        other.wait(10)
        if other.stdout is not None:
            other.stdout.close()
    _ready(qtbot, dialog)  # gone from the frame: the picture is retaken by itself
    type_keys("66")
    press("Return")
    picture = _picture(world, _published(qtbot, console, 1))
    assert _share_near(picture, MAGENTA) == 0

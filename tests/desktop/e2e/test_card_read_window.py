"""F2 reads the order card: 件号 and 价格 filled from the picture, Enter publishes that price.

A stand-in for the streaming software's preview, in a process of its own, paints the seller's
desk with an order card (written large in a Chinese font). The real capture frame is over it,
the real capture engine grabs the screen, and the real card reader (PP-OCR) reads the card;
the main window, the new flash-buy window and the platform over HTTP are real too. The only
thing added is a gate in front of the reader, which can hold a read back (never change it),
so a test can type while the read is still running. Keys go to the widget with the focus.
"""

import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.capture.card_reading import CardReader, CardReading, Image
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog
from flashbuy_desktop.ui.theme import Tone
from tests.desktop.keyboard import focused
from tests.support import World

TIMEOUT = 30_000
PREVIEW = QRect(1000, 120, 900, 620)  # where the stand-in stream preview shows
FRAME = QRect(1040, 180, 820, 500)  # the capture rectangle the seller aimed at it
SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("platform", ["sqlite"], indirect=True)]

# The seller's desk as the camera shows it: dark cloth, a white order card, a jade bangle.
# argv: x y width height, then the card's lines ("\n" between them).
DESK = r"""
import sys
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

class Desk(QWidget):
    def paintEvent(self, event):
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor(36, 38, 40))
        card = QRect(int(w * 0.08), int(h * 0.18), int(w * 0.40), int(h * 0.56))
        p.fillRect(card, QColor(250, 248, 245))
        font = QFont("WenQuanYi Micro Hei")
        font.setPixelSize(card.height() // 4)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(20, 20, 20))
        p.drawText(card, Qt.AlignmentFlag.AlignCenter, sys.argv[5])
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(60, 160, 70), max(8, w // 40)))
        p.drawEllipse(int(w * 0.58), int(h * 0.2), int(w * 0.3), int(h * 0.5))
        p.end()

app = QApplication(sys.argv[:1])
desk = Desk(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus)
desk.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
desk.setWindowTitle("stream preview")
desk.setGeometry(*map(int, sys.argv[1:5]))
desk.show()
QTimer.singleShot(300, lambda: print("shown", flush=True))
app.exec()
"""


class GatedReader:
    """The real card reader behind a gate: a read waits while the gate is shut, then runs."""

    def __init__(self, reader: CardReader) -> None:
        self.reader = reader
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()  # a read has reached the gate

    def __call__(self, image: Image) -> CardReading:
        self.waiting.set()
        self.gate.wait(TIMEOUT / 1000)
        return self.reader.read(image)


@pytest.fixture(scope="module")
def card_reader() -> CardReader:
    """One real reader for the module: its models load once."""
    reader = CardReader()
    reader.load()
    return reader


@pytest.fixture
def reader(card_reader: CardReader) -> Iterator[GatedReader]:
    gated = GatedReader(card_reader)
    yield gated
    gated.gate.set()


Desk = Callable[[str], None]


@pytest.fixture
def desk() -> Iterator[Desk]:
    """Shows the stand-in preview with a card saying the text given."""
    if not os.environ.get("DISPLAY") or QApplication.platformName() != "xcb":
        pytest.fail("needs an X desktop (Xvfb): run under scripts/pytest.sh")
    processes: list[subprocess.Popen[str]] = []

    def show(card_text: str) -> None:
        where = (PREVIEW.x(), PREVIEW.y(), PREVIEW.width(), PREVIEW.height())
        process = subprocess.Popen(
            [sys.executable, "-c", DESK, *(str(v) for v in where), card_text],
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "the stand-in preview did not show"
        assert process.stdout.readline().startswith("shown")

    yield show
    for process in processes:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def frame(qtbot: QtBot) -> Iterator[CaptureFrame]:
    """The capture frame the seller aimed at the preview."""
    captured = CaptureFrame()
    qtbot.addWidget(captured)
    captured.restore(
        ConsoleSettings(capture_frame=(FRAME.x(), FRAME.y(), FRAME.width(), FRAME.height()))
    )
    captured.show()
    qtbot.waitExposed(captured)
    yield captured
    captured.close()


@pytest.fixture
def tasks() -> Iterator[Tasks]:
    running = Tasks()
    yield running
    running.wait()


@pytest.fixture
def capture(frame: CaptureFrame, tasks: Tasks, reader: GatedReader) -> Iterator[CaptureService]:
    service = CaptureService(frame, tasks, reader=reader)
    yield service
    service.cancel()
    reader.gate.set()
    assert service.wait_reads(), "a card read outlived its test"


@pytest.fixture
def window(
    qtbot: QtBot, world: World, tasks: Tasks, frame: CaptureFrame, capture: CaptureService
) -> Iterator[MainWindow]:
    client = PlatformClient(world.platform.url, world.creator.token)
    win = MainWindow(client, tasks, frame=frame, capture=capture)
    qtbot.addWidget(win)
    win.setGeometry(10, 40, 960, 760)  # beside the preview, as the seller arranged it
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)  # F2 is a shortcut: it goes to the active window
    win.load()
    qtbot.waitUntil(lambda: win.header.connection.property("state") == "connected", timeout=TIMEOUT)
    yield win
    if win.new_dialog is not None:
        win.new_dialog.reject()
    win.close()


def _f2(qtbot: QtBot, window: MainWindow) -> NewFlashBuyDialog:
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: window.new_dialog is not None and window.new_dialog.isVisible(), timeout=TIMEOUT
    )
    dialog = window.new_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    return dialog


def _ready(qtbot: QtBot, dialog: NewFlashBuyDialog) -> None:
    def ready() -> None:
        assert dialog.captured_result() is not None, dialog.capture_status.text()
        assert dialog.create_button.isEnabled(), dialog.blocking_reason()

    qtbot.waitUntil(ready, timeout=TIMEOUT)


def _enter(qtbot: QtBot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def _published(qtbot: QtBot, world: World, window: MainWindow) -> dict[str, object]:
    """The one flash-buy of the live, as the platform lists it over HTTP."""
    qtbot.waitUntil(lambda: window.new_dialog is None, timeout=TIMEOUT)
    listed = world.creator.ok("GET", "/flash-buys", params={"room_id": world.room_id})
    assert listed["total"] == 1
    item: dict[str, object] = listed["items"][0]
    return item


def _shot(dialog: NewFlashBuyDialog, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_f2_fills_piece_and_price_from_the_card_and_enter_publishes_them(
    qtbot: QtBot, world: World, desk: Desk, window: MainWindow
) -> None:
    desk("3号\n¥1288")
    dialog = _f2(qtbot, window)
    qtbot.waitUntil(lambda: dialog.price_edit.text() == "1288", timeout=TIMEOUT)
    assert dialog.piece_edit.text() == "3"
    assert theme.tone_of(dialog.price_edit) is Tone.CARD
    assert theme.tone_of(dialog.piece_edit) is Tone.CARD
    assert dialog.card_note.isVisible()
    assert dialog.card_note.text() == "读自卡片，请核对"
    assert theme.tone_of(dialog.card_note) is Tone.CARD
    # Where each value was read is outlined on the picture, inside the picture.
    outlines = dialog.preview.highlight_rects()
    assert len(outlines) == 2
    assert all(dialog.preview.picture_rect().contains(r) for r in outlines)
    # The price keeps the keyboard, selected: typing would replace it.
    assert dialog.price_edit.hasFocus()
    assert dialog.price_edit.selectedText() == "1288"
    assert dialog.price_error.isHidden()
    _ready(qtbot, dialog)
    _shot(dialog, "filled-from-card")

    assert dialog.isVisible()  # nothing is published by itself
    _enter(qtbot)
    published = _published(qtbot, world, window)
    assert (published["price_fen"], published["piece_no"]) == (128_800, "3")


def test_a_card_without_a_price_leaves_the_price_to_type(
    qtbot: QtBot, world: World, desk: Desk, window: MainWindow
) -> None:
    desk("5号\n翡翠")
    dialog = _f2(qtbot, window)
    qtbot.waitUntil(lambda: "价格未能读出" in dialog.card_note.text(), timeout=TIMEOUT)
    assert dialog.price_edit.text() == ""
    assert theme.tone_of(dialog.price_edit) is None
    assert dialog.price_edit.hasFocus()
    _ready(qtbot, dialog)
    _shot(dialog, "price-unreadable")

    qtbot.keyClicks(focused(), "990")
    _enter(qtbot)
    published = _published(qtbot, world, window)
    assert published["price_fen"] == 99_000


def test_typing_during_the_read_is_never_overwritten_nor_by_a_retake(
    qtbot: QtBot,
    world: World,
    desk: Desk,
    window: MainWindow,
    reader: GatedReader,
    capture: CaptureService,
) -> None:
    desk("3号\n¥1288")
    reader.gate.clear()
    dialog = _f2(qtbot, window)
    qtbot.waitUntil(reader.waiting.is_set, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: dialog.card_note.text() == "正在读取卡片…", timeout=TIMEOUT)
    _shot(dialog, "reading")
    qtbot.keyClicks(focused(), "1500")  # the seller types while the card is being read

    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        reader.gate.set()
    assert dialog.price_edit.text() == "1500"
    assert theme.tone_of(dialog.price_edit) is None
    assert dialog.piece_edit.text() == "3"  # the field nobody typed in is filled
    assert theme.tone_of(dialog.piece_edit) is Tone.CARD

    first = dialog.captured_result()
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_F5)  # a retake reads the card again
    assert dialog.captured_result() is not first
    assert dialog.price_edit.text() == "1500"
    assert dialog.price_edit.hasFocus()
    assert dialog.price_edit.selectedText() == ""
    _ready(qtbot, dialog)
    _enter(qtbot)
    published = _published(qtbot, world, window)
    assert (published["price_fen"], published["piece_no"]) == (150_000, "3")

"""The capture frame (move, resize, lock, focus, settings), the capture service, and HiDPI."""

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QCursor, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.capture.types import (
    Box,
    CaptureCancelledError,
    CaptureError,
    CaptureResult,
    Region,
)
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.capture_frame import MARGIN, MIN_SIZE, TAB, CaptureFrame
from tests.desktop.qt_child import run_qt_child

# Offscreen Qt (a plain pytest run) cannot raise an always-on-top window, and says so.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

OFF_SCREEN = "捕获框不在任何屏幕上 (the capture frame is off every screen)"


@pytest.fixture
def frame(qtbot: QtBot) -> Iterator[CaptureFrame]:
    widget = CaptureFrame()
    qtbot.addWidget(widget)
    widget.set_capture_rect(QRect(200, 150, 400, 300))
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, widget)
    yield widget
    widget.close()


def settle(qtbot: QtBot, widget: QWidget) -> None:
    """Wait until Qt knows where the window manager put the window.

    A window manager reparents a window as it maps it, and for a moment Qt reports the
    window at the origin of its new parent; a drag begun then starts from there.
    """
    if QApplication.platformName() != "xcb" or shutil.which("xdotool") is None:
        return

    def placed() -> bool:
        out = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", str(int(widget.winId()))],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
        fields = dict(line.split("=", 1) for line in out.split())
        return widget.pos() == QPoint(int(fields["X"]), int(fields["Y"]))

    qtbot.waitUntil(placed)


def drag(qtbot: QtBot, widget: QWidget, start: QPoint, delta: QPoint) -> None:
    """Press, one move, release: the release happens where the pointer ended, in the window.

    The real pointer is put at the start first: on a real X server QTest moves it too, and
    the motion the X server reports on the way from wherever it was would drag as well.
    """
    target = widget.mapToGlobal(start)
    QCursor.setPos(target)
    qtbot.waitUntil(lambda: QCursor.pos() == target)
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, pos=start + delta)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=start + delta)


# --- the frame --------------------------------------------------------------------------


def test_dragging_from_inside_moves_the_frame(qtbot: QtBot, frame: CaptureFrame) -> None:
    committed: list[QRect] = []
    frame.geometryCommitted.connect(committed.append)
    drag(qtbot, frame, QPoint(frame.width() // 2, frame.height() // 2), QPoint(120, 70))
    assert frame.capture_rect() == QRect(320, 220, 400, 300)
    assert committed == [QRect(320, 220, 400, 300)]


def test_dragging_the_bottom_right_corner_resizes(qtbot: QtBot, frame: CaptureFrame) -> None:
    committed: list[QRect] = []
    frame.geometryCommitted.connect(committed.append)
    corner = QPoint(frame.width() - 3, frame.height() - 3)
    qtbot.mousePress(frame, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(frame, pos=corner + QPoint(80, 60))
    assert frame.is_resizing()
    assert frame.size_text() == "480 × 360"  # physical pixels; the screen here is scale 1
    qtbot.mouseRelease(frame, Qt.MouseButton.LeftButton, pos=corner + QPoint(80, 60))
    assert not frame.is_resizing()
    assert frame.capture_rect() == QRect(200, 150, 480, 360)  # the top-left stays put
    assert committed == [QRect(200, 150, 480, 360)]


def test_the_top_left_corner_resizes_but_never_below_the_minimum(
    qtbot: QtBot, frame: CaptureFrame
) -> None:
    drag(qtbot, frame, QPoint(3, TAB + 3), QPoint(1000, 1000))
    rect = frame.capture_rect()
    assert rect.size() == MIN_SIZE
    assert rect.bottomRight() == QRect(200, 150, 400, 300).bottomRight()  # the far corner stays


def test_the_cursor_says_what_a_drag_will_do(qtbot: QtBot) -> None:
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    w, h = frame.width(), frame.height()
    for pos, shape in [
        (QPoint(w // 2, h // 2), Qt.CursorShape.SizeAllCursor),
        (QPoint(w - 2, h - 2), Qt.CursorShape.SizeFDiagCursor),
        (QPoint(2, h - 2), Qt.CursorShape.SizeBDiagCursor),
        (QPoint(2, h // 2), Qt.CursorShape.SizeHorCursor),
        (QPoint(w // 2, TAB + 2), Qt.CursorShape.SizeVerCursor),
        (QPoint(w // 2, TAB + MARGIN - 2), Qt.CursorShape.SizeAllCursor),  # the border moves
        (frame.tab_rect().center(), Qt.CursorShape.SizeAllCursor),  # the grip tab moves
    ]:
        hover = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(pos),
            QPointF(frame.mapToGlobal(pos)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(frame, hover)
        assert frame.cursor().shape() == shape, pos
    frame.close()


def test_a_locked_frame_neither_moves_nor_resizes(qtbot: QtBot, frame: CaptureFrame) -> None:
    committed: list[QRect] = []
    frame.geometryCommitted.connect(committed.append)
    frame.set_locked(True)
    qtbot.waitExposed(frame)
    assert frame.isVisible()
    assert frame.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert frame.windowFlags() & Qt.WindowType.WindowTransparentForInput
    drag(qtbot, frame, QPoint(frame.width() // 2, frame.height() // 2), QPoint(120, 70))
    drag(qtbot, frame, QPoint(frame.width() - 3, frame.height() - 3), QPoint(80, 60))
    assert frame.capture_rect() == QRect(200, 150, 400, 300)
    assert committed == []
    frame.set_locked(False)
    assert not frame.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    drag(qtbot, frame, QPoint(frame.width() // 2, frame.height() // 2), QPoint(10, 10))
    assert frame.capture_rect() == QRect(210, 160, 400, 300)


def test_the_border_is_drawn_in_the_palette_s_frame_colours(
    qtbot: QtBot, frame: CaptureFrame
) -> None:
    def border_colour() -> str:
        image = frame.grab().toImage()
        # Mid-way down the left border, just outside the capture rectangle.
        return image.pixelColor(MARGIN - 2, image.height() // 2).name()

    assert border_colour() == theme.colour("frame").name()
    frame.set_locked(True)
    qtbot.waitExposed(frame)
    assert border_colour() == theme.colour("frame_locked").name()
    assert theme.colour("frame_locked") != theme.colour("frame")


def test_the_frame_is_made_never_to_take_the_keyboard(qtbot: QtBot) -> None:
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    flags = frame.windowFlags()
    for flag in (
        Qt.WindowType.WindowDoesNotAcceptFocus,
        Qt.WindowType.WindowStaysOnTopHint,
        Qt.WindowType.FramelessWindowHint,
        Qt.WindowType.Tool,
    ):
        assert flags & flag, flag
    assert frame.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert frame.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert frame.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)


def test_showing_and_clicking_the_frame_leaves_the_keyboard_where_it_was(qtbot: QtBot) -> None:
    if QApplication.platformName() == "offscreen":
        pytest.skip("offscreen Qt focuses every window it shows, whatever its flags")
    streaming = QWidget()  # stands in for the streaming software's window
    qtbot.addWidget(streaming)
    streaming.setGeometry(50, 50, 500, 400)
    streaming.show()
    streaming.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is streaming.windowHandle())
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    qtbot.mousePress(frame, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseRelease(frame, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    frame.set_locked(True)  # re-shown with new flags: still not activated
    qtbot.wait(150)
    assert QApplication.focusWindow() is streaming.windowHandle()
    assert not frame.isActiveWindow()
    assert streaming.isActiveWindow()
    frame.close()
    streaming.close()


def test_the_frame_round_trips_through_settings(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first = CaptureFrame()
    qtbot.addWidget(first)
    first.set_capture_rect(QRect(333, 222, 640, 360))
    settings = ConsoleSettings()
    first.save_into(settings)
    settings.save(path)
    assert json.loads(path.read_text())["capture_frame"] == [333, 222, 640, 360]

    second = CaptureFrame()
    qtbot.addWidget(second)
    second.restore(ConsoleSettings.load(path))
    assert second.capture_rect() == QRect(333, 222, 640, 360)


def test_a_frame_saved_on_a_monitor_now_gone_comes_back_centred(qtbot: QtBot) -> None:
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    frame.restore(ConsoleSettings(capture_frame=(-5000, 200, 640, 360)))
    frame.region()  # on a screen again: no OffScreenError
    assert frame.capture_rect().size().width() == 640
    frame.restore(ConsoleSettings())  # nothing saved: the default place, also on screen
    frame.region()


def test_settings_refuse_a_nonsense_frame() -> None:
    settings = ConsoleSettings()
    with pytest.raises(ValueError, match="positive size"):
        settings.capture_frame = (0, 0, 0, 100)
    with pytest.raises(ValueError, match="virtual desktop"):
        settings.capture_frame = (10**7, 0, 100, 100)


def test_the_region_is_the_inside_of_the_border_in_physical_pixels(frame: CaptureFrame) -> None:
    screen = frame.screen()
    ratio = screen.devicePixelRatio()
    origin = screen.geometry().topLeft()
    assert frame.region() == Region(
        round(origin.x() + (200 - origin.x()) * ratio),
        round(origin.y() + (150 - origin.y()) * ratio),
        round(400 * ratio),
        round(300 * ratio),
    )
    assert frame.geometry() == QRect(200, 150, 400, 300).adjusted(
        -MARGIN, -MARGIN - TAB, MARGIN, MARGIN
    )


# --- the capture service ----------------------------------------------------------------


def result(tag: str) -> CaptureResult:
    return CaptureResult(
        jpeg=tag.encode(),
        width=4,
        height=3,
        crop=Box(0, 0, 4, 3),
        card=None,
        piece=None,
        sharpness=1.0,
    )


@pytest.fixture
def service(qtbot: QtBot) -> Iterator[tuple[CaptureService, CaptureFrame]]:
    frame = CaptureFrame()
    qtbot.addWidget(frame)
    frame.set_capture_rect(QRect(100, 100, 320, 240))
    svc = CaptureService(frame, Tasks(), engine=lambda region, cancel: result("unused"))
    yield svc, frame
    svc.cancel()
    svc.tasks.wait()


def test_a_capture_arrives_by_signal_on_the_gui_thread(
    qtbot: QtBot, service: tuple[CaptureService, CaptureFrame]
) -> None:
    svc, frame = service
    seen: list[tuple[Region, bool]] = []

    def engine(region: Region, cancel: threading.Event) -> CaptureResult:
        seen.append((region, threading.current_thread() is threading.main_thread()))
        return result("one")

    svc._engine = engine
    got: list[tuple[CaptureResult, str]] = []
    svc.captured.connect(lambda r: got.append((r, threading.current_thread().name)))
    with qtbot.waitSignal(svc.started, timeout=1000):
        svc.request()
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(result("one"), threading.main_thread().name)]
    assert seen == [(frame.region(), False)]  # the engine ran off the GUI thread


def test_a_retake_cancels_the_running_capture_and_only_its_result_arrives(
    qtbot: QtBot, service: tuple[CaptureService, CaptureFrame]
) -> None:
    svc, _ = service
    cancels: list[threading.Event] = []
    first_running = threading.Event()
    release_first = threading.Event()

    def engine(region: Region, cancel: threading.Event) -> CaptureResult:
        cancels.append(cancel)
        if len(cancels) == 1:
            first_running.set()
            release_first.wait(10)  # a slow grab that ignores its cancel event
            return result("first")
        return result("second")

    svc._engine = engine
    got: list[CaptureResult] = []
    failed: list[str] = []
    svc.captured.connect(got.append)
    svc.failed.connect(failed.append)
    svc.request()
    assert first_running.wait(5)
    svc.retake()
    assert cancels[0].is_set()
    qtbot.waitUntil(lambda: bool(got))
    assert not cancels[1].is_set()
    release_first.set()
    svc.tasks.wait()
    qtbot.wait(50)  # let the first result's queued callback run, and be dropped
    assert got == [result("second")]
    assert failed == []


def test_a_cancelled_engine_stays_silent(
    qtbot: QtBot, service: tuple[CaptureService, CaptureFrame]
) -> None:
    svc, _ = service
    running = threading.Event()

    def engine(region: Region, cancel: threading.Event) -> CaptureResult:
        running.set()
        assert cancel.wait(5)
        raise CaptureCancelledError("replaced")

    svc._engine = engine
    emitted: list[object] = []
    svc.captured.connect(emitted.append)
    svc.failed.connect(emitted.append)
    svc.request()
    assert running.wait(5)
    svc.cancel()
    svc.tasks.wait()
    qtbot.wait(50)
    assert emitted == []


def test_an_engine_failure_reaches_the_seller_in_words(
    qtbot: QtBot, service: tuple[CaptureService, CaptureFrame]
) -> None:
    svc, _ = service

    def engine(region: Region, cancel: threading.Event) -> CaptureResult:
        raise CaptureError("屏幕截图失败 (the screen could not be grabbed)")

    svc._engine = engine
    with qtbot.waitSignal(svc.failed, timeout=5000) as blocker:
        svc.request()
    assert blocker.args == ["屏幕截图失败 (the screen could not be grabbed)"]


def test_an_off_screen_frame_fails_with_a_clear_message(
    qtbot: QtBot, service: tuple[CaptureService, CaptureFrame]
) -> None:
    svc, frame = service
    calls: list[Region] = []

    def engine(region: Region, cancel: threading.Event) -> CaptureResult:
        calls.append(region)
        return result("never")

    svc._engine = engine
    frame.set_capture_rect(QRect(-20_000, -20_000, 320, 240))
    started: list[bool] = []
    svc.started.connect(lambda: started.append(True))
    with qtbot.waitSignal(svc.failed, timeout=1000) as blocker:
        svc.request()
    assert blocker.args == [OFF_SCREEN]
    assert calls == []
    assert started == []


# --- a real screen at device pixel ratio 2 ----------------------------------------------

HIDPI_CHILD = r"""
import json
import time
import numpy as np
import mss
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from flashbuy_desktop.ui.capture_frame import CaptureFrame

RED, GREEN = QRect(100, 100, 200, 150), QRect(500, 200, 200, 150)
app = QApplication([])
screen = app.primaryScreen()


class Scene(QWidget):
    def paintEvent(self, event):
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(30, 30, 30))
        p.fillRect(RED, QColor(220, 20, 60))
        p.fillRect(GREEN, QColor(20, 200, 90))
        p.end()


scene = Scene()
scene.setWindowFlags(Qt.WindowType.FramelessWindowHint)
# Not the whole screen: a window manager raises an undecorated window that fills the screen
# into its full-screen layer, above the frame's always-on-top one.
scene.setGeometry(screen.geometry().adjusted(0, 0, 0, -20))
scene.show()
frame = CaptureFrame()
frame.set_capture_rect(RED)
frame.show()
QTest.qWaitForWindowExposed(scene)
QTest.qWaitForWindowExposed(frame)
region = frame.region()
# Wait until the X server shows what Qt painted: grab until the block is there (bounded).
deadline = time.monotonic() + 20
with mss.MSS() as sct:
    while True:
        app.processEvents()
        shot = np.asarray(sct.grab({"left": region.left, "top": region.top,
                                    "width": region.width, "height": region.height}))
        bgr = shot[:, :, :3].astype(int)
        red = (np.abs(bgr - [60, 20, 220]) <= 40).all(axis=2)
        if red.mean() > 0.95 or time.monotonic() > deadline:
            break
    around = np.asarray(sct.grab({"left": region.left - 30, "top": region.top - 30,
                                  "width": region.width + 60, "height": region.height + 60}))
inner = red[2:-2, 2:-2]  # anti-aliasing may touch the outermost pixels
ring = around[:, :, :3].astype(int)
border = (np.abs(ring - [120, 45, 255]) <= 40).all(axis=2)
print(json.dumps({
    "ratio": screen.devicePixelRatio(),
    "logical_screen": [screen.geometry().width(), screen.geometry().height()],
    "capture_rect": [frame.capture_rect().x(), frame.capture_rect().y(),
                     frame.capture_rect().width(), frame.capture_rect().height()],
    "region": [region.left, region.top, region.width, region.height],
    "shape": list(shot.shape),
    "red_share": float(red.mean()),
    "inner_red_share": float(inner.mean()),
    "border_pixels_around": int(border.sum()),
}))
frame.close()
scene.close()
"""


@pytest.mark.gui  # the capture frame, in a process of its own, on the X screen
def test_the_region_grabs_the_right_pixels_at_device_pixel_ratio_2() -> None:
    if not os.environ.get("DISPLAY"):
        if os.environ.get("FLASHBUY_TEST_REQUIRE_POSTGRES"):
            pytest.fail("the test command promised an X server (Xvfb) but DISPLAY is empty")
        pytest.skip("no X server (DISPLAY is empty): run under xvfb-run to grab a real screen")
    verdict = run_qt_child(HIDPI_CHILD, timeout=60, QT_SCALE_FACTOR="2")
    assert verdict["ratio"] == 2.0
    assert verdict["logical_screen"] == [960, 540]
    assert verdict["capture_rect"] == [100, 100, 200, 150]
    assert verdict["region"] == [200, 200, 400, 300]  # twice the logical size and place
    assert verdict["shape"][:2] == [300, 400]
    assert verdict["inner_red_share"] == 1.0, verdict
    assert verdict["red_share"] > 0.97, verdict
    assert verdict["border_pixels_around"] > 1000, verdict  # the frame was drawn around it

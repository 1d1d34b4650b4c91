"""The capture engine: locating card and piece, the sharpest frame, crop, JPEG, the real screen."""

import os
import threading
import time

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.capture import grab as grab_module
from flashbuy_desktop.capture.encode import encode_jpeg
from flashbuy_desktop.capture.engine import CaptureEngine, is_blurry
from flashbuy_desktop.capture.grab import clip_to_screen, close_thread_grabber, grab
from flashbuy_desktop.capture.locate import crop_box, find_card, locate
from flashbuy_desktop.capture.sharpness import sharpness
from flashbuy_desktop.capture.types import (
    Box,
    CaptureCancelledError,
    CaptureConfig,
    CaptureError,
    CaptureResult,
    CaptureWarning,
    Region,
)
from flashbuy_desktop.services.tasks import Tasks

Image = npt.NDArray[np.uint8]

BACKGROUND = (40, 38, 36)  # BGR: a dark cloth
CARD_WHITE = (245, 248, 250)
JADE = (70, 160, 60)
JADE_LIGHT = (140, 220, 130)
TOLERANCE = 3  # px


def scene(
    width: int = 1280,
    height: int = 720,
    card: tuple[int, int, int, int] | None = (200, 180, 300, 200),
    piece: tuple[int, int, int, int] = (800, 360, 170, 110),
    seed: int = 0,
) -> Image:
    """A BGR frame: dark noisy cloth, a white card with a written number, a jade ellipse."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 3, (height, width, 3))
    img = np.clip(np.full((height, width, 3), BACKGROUND, np.float64) + noise, 0, 255)
    frame = img.astype(np.uint8)
    if card is not None:
        x, y, w, h = card
        cv2.rectangle(frame, (x, y), (x + w - 1, y + h - 1), CARD_WHITE, cv2.FILLED)
        cv2.putText(
            frame,
            "37",
            (x + w // 5, y + h * 3 // 4),
            cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
            h / 60,
            (20, 20, 20),
            max(2, h // 40),
            cv2.LINE_AA,
        )
    cx, cy, ax, ay = piece
    cv2.ellipse(frame, (cx, cy), (ax, ay), 15, 0, 360, JADE, cv2.FILLED, cv2.LINE_AA)
    cv2.ellipse(frame, (cx - ax // 5, cy - ay // 5), (ax // 4, ay // 5), 15, 0, 360, JADE_LIGHT, -1)
    return frame


def blurred(frame: Image) -> Image:
    return np.asarray(cv2.GaussianBlur(frame, (0, 0), 4), dtype=np.uint8)


def assert_near(found: Box | None, expected: tuple[int, int, int, int]) -> Box:
    assert found is not None, "the card was not found"
    x, y, w, h = expected
    got = (found.x, found.y, found.x + found.width, found.y + found.height)
    want = (x, y, x + w, y + h)
    assert all(abs(a - b) <= TOLERANCE for a, b in zip(got, want, strict=True)), (got, want)
    return found


def contains(outer: Box, inner: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and outer.x + outer.width >= inner.x + inner.width
        and outer.y + outer.height >= inner.y + inner.height
    )


class FrameFeed:
    """A grabber that hands out prepared frames in turn and records when it was called."""

    def __init__(self, *frames: Image) -> None:
        self.frames = frames
        self.calls: list[float] = []

    def __call__(self, region: Region) -> Image:
        self.calls.append(time.monotonic())
        return self.frames[(len(self.calls) - 1) % len(self.frames)]


REGION = Region(0, 0, 1280, 720)


# --- locating -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "card", "piece"),
    [
        ((1280, 720), (200, 180, 300, 200), (800, 360, 170, 110)),
        ((1920, 1080), (300, 300, 420, 280), (1200, 540, 250, 160)),
        ((900, 500), (80, 120, 240, 160), (600, 260, 140, 90)),
        ((1280, 720), (850, 60, 220, 300), (400, 420, 200, 150)),  # portrait card, right
    ],
)
def test_the_card_is_found_where_it_was_drawn_and_the_crop_holds_both(
    size: tuple[int, int], card: tuple[int, int, int, int], piece: tuple[int, int, int, int]
) -> None:
    frame = scene(*size, card=card, piece=piece)
    for image in (frame, cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)):
        found = locate(np.asarray(image, dtype=np.uint8), margin=0.06)
        found_card = assert_near(found.card, card)
        assert found.piece is not None
        cx, cy, ax, ay = piece
        # The ellipse is tilted by 15 degrees: its box lies within the box of its circle.
        r = max(ax, ay)
        assert contains(Box(cx - r - 3, cy - r - 3, 2 * r + 6, 2 * r + 6), found.piece)
        assert found.piece.width >= ax
        assert found.piece.height >= ay
        assert contains(found.crop, found_card)
        assert contains(found.crop, found.piece)
        assert found.crop.width < size[0] or found.crop.height < size[1]
        assert contains(Box(0, 0, *size), found.crop)


def test_a_tilted_card_is_found() -> None:
    frame = scene(card=None)
    corners = cv2.boxPoints(((350.0, 280.0), (300.0, 200.0), 8.0)).astype(np.int32)
    cv2.fillConvexPoly(frame, corners, CARD_WHITE)
    cv2.putText(frame, "52", (270, 330), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 3, (20, 20, 20), 5)
    x, y, w, h = cv2.boundingRect(corners)
    assert_near(find_card(frame), (x, y, w, h))


def test_without_a_card_the_whole_frame_is_kept() -> None:
    found = locate(scene(card=None))
    assert found.card is None
    assert found.crop == Box(0, 0, 1280, 720)

    result = CaptureEngine(CaptureConfig(burst=1), grabber=FrameFeed(scene(card=None))).capture(
        REGION
    )
    assert result.card is None
    assert CaptureWarning.CARD_NOT_FOUND in result.warnings
    assert result.crop == Box(0, 0, 1280, 720)
    assert (result.width, result.height) == (1280, 720)


def test_a_blank_card_or_a_round_pearl_is_not_an_order_card() -> None:
    frame = scene(card=None)
    cv2.rectangle(frame, (200, 180), (499, 379), CARD_WHITE, cv2.FILLED)  # nothing written
    cv2.circle(frame, (1000, 200), 90, (235, 238, 240), cv2.FILLED)  # a pearl
    assert find_card(frame) is None


def test_the_crop_has_the_margin_and_stays_in_the_frame() -> None:
    card, piece = Box(10, 10, 100, 50), Box(150, 20, 100, 100)
    assert crop_box(400, 300, card, piece, 0.1) == Box(0, 0, 274, 144)
    assert crop_box(400, 300, card, None, 0.1) == Box(0, 0, 400, 300)
    assert crop_box(260, 130, card, piece, 0.5) == Box(0, 0, 260, 130)


# --- sharpness and the burst ----------------------------------------------------------------


def test_a_blurred_frame_scores_lower() -> None:
    frame = scene()
    assert sharpness(blurred(frame)) < 0.5 * sharpness(frame)
    bgra = np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA), dtype=np.uint8)
    assert sharpness(bgra) == pytest.approx(sharpness(frame))


def test_the_sharpest_frame_of_the_burst_is_kept() -> None:
    sharp = scene(seed=1)
    soft = blurred(scene(seed=2))
    feed = FrameFeed(soft, sharp, soft, soft)
    engine = CaptureEngine(CaptureConfig(burst=4, interval_s=0.0), grabber=feed)
    result = engine.capture(REGION)
    assert len(feed.calls) == result.frames == 4
    assert result.sharpness == pytest.approx(sharpness(sharp))
    assert result.warnings == ()
    assert_near(result.card, (200, 180, 300, 200))
    assert set(result.timings_ms) == {"grab", "pick", "locate", "encode", "total"}
    assert result.timings_ms["total"] >= result.timings_ms["encode"]


def test_grabs_are_spaced_by_the_interval() -> None:
    feed = FrameFeed(scene())
    CaptureEngine(CaptureConfig(burst=3, interval_s=0.02), grabber=feed).capture(REGION)
    gaps = np.diff(feed.calls)
    assert len(gaps) == 2
    assert all(g >= 0.02 for g in gaps), gaps


def test_a_kept_frame_much_blurrier_than_the_best_is_flagged() -> None:
    # In the sharpest frame a hand covers the card: the blurry one with the card is kept, and
    # flagged.
    no_card = scene(seed=3)
    for finger in range(6):
        x = 180 + finger * 60
        cv2.rectangle(no_card, (x, 140), (x + 52, 420), (120, 150, 205), cv2.FILLED)
    assert find_card(no_card) is None
    with_card = blurred(scene(seed=4))
    assert sharpness(no_card) > 2 * sharpness(with_card)
    engine = CaptureEngine(CaptureConfig(burst=2, interval_s=0.0), FrameFeed(no_card, with_card))
    result = engine.capture(REGION)
    assert result.card is not None
    assert result.sharpness == pytest.approx(sharpness(with_card))
    assert CaptureWarning.BLURRY in result.warnings


def test_a_burst_blurred_throughout_is_flagged_against_recent_captures() -> None:
    sharp, soft = scene(seed=5), blurred(scene(seed=6))
    feed = FrameFeed(sharp)
    engine = CaptureEngine(CaptureConfig(burst=2, interval_s=0.0), grabber=feed)
    assert engine.capture(REGION).warnings == ()
    feed.frames = (soft,)
    assert CaptureWarning.BLURRY in engine.capture(REGION).warnings


def test_the_blurry_rule() -> None:
    assert not is_blurry(100.0, 100.0)
    assert is_blurry(40.0, 100.0)
    assert not is_blurry(60.0, 100.0)
    assert is_blurry(40.0, 40.0, [100.0, 90.0, 110.0])
    assert not is_blurry(80.0, 80.0, [100.0, 90.0, 110.0])
    assert not is_blurry(0.0, 0.0)


# --- cancel, errors, configuration ----------------------------------------------------------


def test_a_set_cancel_stops_before_the_first_grab() -> None:
    feed = FrameFeed(scene())
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CaptureCancelledError):
        CaptureEngine(grabber=feed).capture(REGION, cancel)
    assert feed.calls == []


def test_cancel_interrupts_the_wait_between_grabs() -> None:
    cancel = threading.Event()
    frame = scene()

    def grab_then_cancel(region: Region) -> Image:
        cancel.set()  # a retake arrives while the engine waits for the next grab
        return frame

    engine = CaptureEngine(CaptureConfig(burst=3, interval_s=1.0), grabber=grab_then_cancel)
    began = time.monotonic()
    with pytest.raises(CaptureCancelledError):
        engine.capture(REGION, cancel)
    assert time.monotonic() - began < 0.5  # it did not sit out the 1 s interval


def test_a_grabber_error_reaches_the_caller() -> None:
    def failing(region: Region) -> Image:
        raise CaptureError("the screen could not be captured")

    with pytest.raises(CaptureError, match="could not be captured"):
        CaptureEngine(grabber=failing).capture(REGION)


@pytest.mark.parametrize(
    "bad",
    [
        {"burst": 0},
        {"burst": 11},
        {"interval_s": -0.1},
        {"interval_s": 2.0},
        {"max_side": 10},
        {"jpeg_quality": 30},
        {"jpeg_quality": 101},
    ],
)
def test_invalid_configuration_is_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each field has its own message
        CaptureConfig(**bad)  # type: ignore[arg-type]  # wrong on purpose


def test_clipping_to_the_screen() -> None:
    screen = Region(0, 0, 1920, 1080)
    assert clip_to_screen(Region(100, 100, 50, 50), screen) == Region(100, 100, 50, 50)
    assert clip_to_screen(Region(1900, 1000, 100, 100), screen) == Region(1900, 1000, 20, 80)
    assert clip_to_screen(Region(-50, -50, 100, 100), screen) == Region(0, 0, 50, 50)
    assert clip_to_screen(Region(5000, 5000, 100, 100), screen) is None


# --- encoding -------------------------------------------------------------------------------


@pytest.mark.parametrize("channels", [3, 4])
def test_encode_caps_the_longest_side_and_decodes(channels: int) -> None:
    frame = cv2.resize(scene(), (3000, 1000))
    if channels == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)
    encoded = encode_jpeg(np.asarray(frame, dtype=np.uint8), quality=85, max_side=1600)
    assert (encoded.width, encoded.height) == (1600, 533)
    assert encoded.jpeg[:3] == b"\xff\xd8\xff"
    decoded = cv2.imdecode(np.frombuffer(encoded.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None
    assert decoded.shape == (533, 1600, 3)

    small = encode_jpeg(scene(200, 100, card=None, piece=(100, 50, 40, 20)), max_side=1600)
    assert (small.width, small.height) == (200, 100)  # never enlarged


def test_the_engine_encodes_the_crop() -> None:
    config = CaptureConfig(burst=1, max_side=256, jpeg_quality=80)
    result = CaptureEngine(config, grabber=FrameFeed(scene())).capture(REGION)
    decoded = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None
    assert decoded.shape[:2] == (result.height, result.width)
    assert max(result.width, result.height) == 256
    assert result.crop.width > result.crop.height  # card left, piece right: a wide crop
    ratio = result.crop.width / result.crop.height
    assert result.width / result.height == pytest.approx(ratio, rel=0.02)


# --- the real screen ------------------------------------------------------------------------


def require_x_server() -> None:
    """mss needs an X server; the test command (FLASHBUY_TEST_REQUIRE_POSTGRES) has Xvfb."""
    if not os.environ.get("DISPLAY"):
        if os.environ.get("FLASHBUY_TEST_REQUIRE_POSTGRES"):
            pytest.fail("the test command provides Xvfb, but DISPLAY is not set")
        pytest.skip("no X server (DISPLAY is unset): mss cannot grab the screen; use xvfb-run")


CARD_RECT = QRect(80, 120, 240, 160)  # in the widget, logical pixels


class SceneWidget(QWidget):
    """The seller's view: dark cloth, a white card with a number, a jade piece."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint)
        self.painted = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(36, 38, 40))
        painter.fillRect(CARD_RECT, QColor(250, 248, 245))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A handwritten "37", drawn as strokes so that it needs no font.
        path = QPainterPath(QPointF(130, 160))
        path.cubicTo(QPointF(175, 135), QPointF(190, 185), QPointF(150, 195))
        path.cubicTo(QPointF(195, 205), QPointF(185, 255), QPointF(130, 240))
        path.moveTo(210, 160)
        path.lineTo(270, 158)
        path.lineTo(225, 245)
        painter.setPen(QPen(QColor(20, 20, 20), 7))
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(60, 160, 70))
        painter.drawEllipse(QPointF(600, 260), 140, 90)
        painter.setBrush(QColor(130, 220, 140))
        painter.drawEllipse(QPointF(570, 235), 35, 18)
        painter.end()
        self.painted += 1


def physical(rect: QRect, ratio: float) -> tuple[int, int, int, int]:
    return (
        round(rect.x() * ratio),
        round(rect.y() * ratio),
        round(rect.width() * ratio),
        round(rect.height() * ratio),
    )


def test_the_card_is_found_on_the_real_screen(qtbot: QtBot) -> None:
    require_x_server()
    widget = SceneWidget()
    qtbot.addWidget(widget)
    # At 100,100 on an unscaled screen; on a scaled one (QT_SCALE_FACTOR=2 makes 1920x1080 a
    # 960x540 logical screen) moved up and left so that the window stays wholly on it.
    screen = widget.screen().geometry()
    widget.setGeometry(
        max(screen.x(), min(100, screen.right() + 1 - 900)),
        max(screen.y(), min(100, screen.bottom() + 1 - 500)),
        900,
        500,
    )
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.painted > 0)
    ratio = widget.devicePixelRatioF()
    left, top, width, height = physical(widget.geometry(), ratio)
    region = Region(left, top, width, height)
    card_x, card_y, card_w, card_h = physical(CARD_RECT, ratio)
    centre = (card_y + card_h // 2, card_x + card_w // 8)
    try:
        # The X server shows the painting a moment after paintEvent: wait for the white card.
        qtbot.waitUntil(lambda: grab(region)[centre][:3].min() > 200, timeout=5000)
        frame = grab(region)
        assert frame.shape == (height, width, 4)
        assert frame.dtype == np.uint8
        assert_near(find_card(frame), (card_x, card_y, card_w, card_h))

        result = CaptureEngine(CaptureConfig(burst=2, interval_s=0.0)).capture(region)
        card = assert_near(result.card, (card_x, card_y, card_w, card_h))
        assert result.piece is not None
        assert contains(result.crop, card)
        assert contains(result.crop, result.piece)
        assert CaptureWarning.CARD_NOT_FOUND not in result.warnings
    finally:
        close_thread_grabber()
        widget.close()


def test_a_region_off_the_screen_is_a_capture_error() -> None:
    require_x_server()
    try:
        with pytest.raises(CaptureError, match="off the screen"):
            grab(Region(50_000, 50_000, 100, 100))
        with pytest.raises(CaptureError, match="off the screen"):
            CaptureEngine(CaptureConfig(burst=1)).capture(Region(-5_000, 0, 100, 100))
        # Partly off: clipped to the screen.
        assert grab(Region(-10, -10, 30, 20)).shape == (10, 20, 4)
    finally:
        close_thread_grabber()


def test_each_thread_has_its_own_grabber() -> None:
    require_x_server()
    seen: list[object] = []

    def work() -> None:
        try:
            grab(Region(0, 0, 16, 16))
            seen.append(grab_module._local.sct)
        finally:
            close_thread_grabber()
        seen.append(grab_module._local.sct)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 4
    instances = [s for s in seen if s is not None]
    assert len(instances) == 2
    assert instances[0] is not instances[1]
    assert seen.count(None) == 2


def _open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # closed while listed (the listing's own descriptor)
    return count


def test_captures_on_the_qt_pool_leave_no_x_connection_open(qtbot: QtBot) -> None:
    # A pool thread's Python state lasts one task: a per-thread mss instance kept past the
    # capture was dropped with its X connection open, one per capture, until the X server
    # refused the 250th or so and the seller read "the screen cannot be read".
    require_x_server()
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("counting open sockets needs /proc")
    tasks = Tasks()
    engine = CaptureEngine(CaptureConfig(burst=2, interval_s=0.0))
    done: list[CaptureResult] = []
    failures: list[Exception] = []

    def capture() -> CaptureResult:
        return engine.capture(Region(0, 0, 320, 180))

    before = _open_sockets()
    for count in range(1, 41):
        tasks.run(capture, done.append, failures.append)

        def answered(count: int = count) -> bool:
            return len(done) + len(failures) == count

        qtbot.waitUntil(answered, timeout=10_000)
    tasks.wait()
    assert failures == []
    assert len(done) == 40
    assert _open_sockets() <= before + 1


# --- the card, cut out for the card reader -------------------------------------------------


def test_a_capture_carries_the_card_cut_from_the_full_resolution_frame() -> None:
    frame = scene(1920, 1080, card=(300, 300, 420, 280), piece=(1200, 540, 250, 160))
    engine = CaptureEngine(CaptureConfig(burst=1, max_side=800), grabber=FrameFeed(frame))
    result = engine.capture(Region(0, 0, 1920, 1080))
    card = assert_near(result.card, (300, 300, 420, 280))
    box, image = result.card_image_box, result.card_image
    assert box is not None
    assert image is not None
    # Full resolution (the JPEG is scaled down to 800), the card and a margin, a copy.
    assert max(result.width, result.height) == 800
    assert image.dtype == np.uint8
    assert image.shape == (box.height, box.width, 3)
    assert contains(box, card)
    assert box.width > card.width
    assert box.height > card.height
    assert np.array_equal(image, frame[box.y : box.y + box.height, box.x : box.x + box.width])
    assert not np.shares_memory(image, frame)
    assert "card_image=" not in repr(result)  # the pixels never fill a log line


def test_a_bgra_frame_gives_a_bgr_card() -> None:
    frame = np.asarray(cv2.cvtColor(scene(), cv2.COLOR_BGR2BGRA), dtype=np.uint8)
    result = CaptureEngine(CaptureConfig(burst=1), grabber=FrameFeed(frame)).capture(REGION)
    assert result.card_image is not None
    assert result.card_image.shape[2] == 3
    assert result.card_image.flags["C_CONTIGUOUS"]


def test_a_capture_without_a_card_carries_no_card_image() -> None:
    result = CaptureEngine(CaptureConfig(burst=1), grabber=FrameFeed(scene(card=None))).capture(
        REGION
    )
    assert CaptureWarning.CARD_NOT_FOUND in result.warnings
    assert result.card_image is None
    assert result.card_image_box is None

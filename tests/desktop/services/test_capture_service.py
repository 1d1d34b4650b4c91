"""The capture service reads the card: after the picture, off the GUI thread, newest only.

The real capture engine takes a synthetic frame (a dark cloth, a white order card written
"3号" and "¥1288" in a Chinese font, a jade piece) from an injected grabber; the card is
read by the real default reader (PP-OCR) where the test is about what is read, and by a
small stand-in reader where the test is about the order of the service's signals and the
threads the reads run on.
"""

import threading
from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw
from PySide6.QtCore import QCoreApplication, QThreadPool
from pytestqt.qtbot import QtBot

from flashbuy_desktop.capture.card_reading import CardReader, CardReading, ReadValue, TextLine
from flashbuy_desktop.capture.engine import CaptureEngine
from flashbuy_desktop.capture.types import Box, CaptureConfig, CaptureResult, CaptureWarning
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from tests.cards.fonts import CJK_PRINTED, font
from tests.desktop.fakes import FakeFrame

Image = npt.NDArray[np.uint8]
TIMEOUT = 30_000  # ms: the first real read loads the models

CARD = (90, 70, 240, 150)  # x, y, width, height in the frame (FakeFrame's region: 480x320)


def desk(
    card: tuple[int, int, int, int] | None = CARD, lines: tuple[str, ...] = ("3号", "¥1288")
) -> Image:
    """A BGR frame as the grabber gives it: cloth, an order card written ``lines``, a piece."""
    width, height = 480, 320
    rng = np.random.default_rng(0)
    cloth = np.clip(rng.normal((36, 38, 40), 3, (height, width, 3)), 0, 255).astype(np.uint8)
    picture = PILImage.fromarray(cloth, "RGB")  # channels as BGR throughout: colours are grey
    draw = ImageDraw.Draw(picture)
    if card is not None:
        x, y, w, h = card
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(250, 248, 245))
        face = font(*CJK_PRINTED, h // 3)
        for row, text in enumerate(lines):
            draw.text(
                (x + w // 8, y + h // 10 + row * (h * 2 // 5)), text, fill=(20, 20, 20), font=face
            )
    draw.ellipse((360, 200, 460, 290), fill=(60, 160, 70))  # the jade piece (BGR)
    return np.asarray(picture, dtype=np.uint8).copy()


class Feed:
    """A grabber that gives the frame it holds now (a test swaps it between captures)."""

    def __init__(self, frame: Image) -> None:
        self.frame = frame

    def __call__(self, region: object) -> Image:
        return self.frame


def reading(piece: str = "3", price: str = "1288") -> CardReading:
    """What a stand-in reader answers: a sure piece number and price."""
    box = Box(10, 10, 50, 30)
    return CardReading(
        piece=ReadValue(piece, 0.99, box),
        price=ReadValue(price, 0.99, box),
        text="",
        lines=(TextLine(f"{piece}号", 0.99, box), TextLine(f"¥{price}", 0.99, box)),
        engine="stand-in",
        elapsed_ms=1.0,
    )


Reader = Callable[[Image], CardReading]


def service(feed: Feed, reader: Reader | None = None, *, reading: bool = True) -> CaptureService:
    """A capture service with the real engine on ``feed`` (one frame a capture)."""
    engine = CaptureEngine(CaptureConfig(burst=1), grabber=feed)
    return CaptureService(FakeFrame(), Tasks(), engine.capture, reader=reader, reading=reading)


@pytest.fixture
def services() -> Iterator[list[CaptureService]]:
    """Services a test made: each is cancelled and its work waited for at the end."""
    made: list[CaptureService] = []
    yield made
    for svc in made:
        svc.cancel()
        assert svc.tasks.wait()
        assert svc.wait_reads()
        assert svc.tasks.pool.activeThreadCount() == 0
        assert svc.read_tasks.pool.activeThreadCount() == 0


def settle(svc: CaptureService) -> None:
    """Every answer the service's work could still give has arrived (or been dropped).

    No sleep: the workers are waited for, and an answer is posted to the GUI thread before
    its worker ends, so one turn of the event loop delivers it. A capture's answer may start
    a read, hence captures first, then reads.
    """
    assert svc.tasks.wait()
    QCoreApplication.processEvents()
    assert svc.wait_reads()
    QCoreApplication.processEvents()
    # Every answer was delivered: each relay goes when its answer arrives.
    assert not svc.tasks._relays
    assert not svc.read_tasks._relays


class Events:
    """The service's signals, in the order they came, with their arguments."""

    def __init__(self, svc: CaptureService) -> None:
        self.seen: list[tuple[str, tuple[object, ...]]] = []
        for name in ("started", "captured", "reading_started", "card_read", "card_read_failed"):
            signal = getattr(svc, name)
            signal.connect(lambda *args, name=name: self.seen.append((name, args)))

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]

    def args(self, name: str) -> list[tuple[object, ...]]:
        return [args for seen, args in self.seen if seen == name]


# --- the read, with the real reader ------------------------------------------------------


def test_the_picture_comes_first_then_what_its_card_says(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    svc = service(Feed(desk()))  # the default reader: PP-OCR
    services.append(svc)
    events = Events(svc)
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT):
        svc.request()
    assert events.names() == ["started", "captured", "reading_started", "card_read"]
    (captured,) = events.args("captured")[0]
    result, read = events.args("card_read")[0]
    assert result is captured  # the reading is for that picture
    assert isinstance(read, CardReading)
    piece, price = read.sure_piece(), read.sure_price()
    assert piece is not None
    assert piece.text == "3"
    assert price is not None
    assert price.text == "1288"


def test_warm_up_loads_the_reader_once_and_reads_a_made_up_card(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    counted = CountingEngine()
    svc = service(Feed(desk()), CardReader(counted).read)
    services.append(svc)
    svc.warm_up()
    svc.warm_up()  # a second main window (a sign-in again, a language switch) asks again
    qtbot.waitUntil(lambda: counted.reads == 1, timeout=TIMEOUT)
    settle(svc)
    assert (counted.loads, counted.reads) == (1, 1)
    assert counted.on_gui_thread == 0
    # The first picture's read finds the reader loaded.
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT) as read:
        svc.request()
    assert (counted.loads, counted.reads) == (1, 2)
    assert read.args[1].sure_price().text == "1288"


def test_with_reading_off_warm_up_leaves_the_reader_until_it_is_turned_on(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    counted = CountingEngine()
    svc = service(Feed(desk()), CardReader(counted).read, reading=False)
    services.append(svc)
    svc.warm_up()
    settle(svc)
    assert (counted.loads, counted.reads) == (0, 0)
    svc.set_reading(True)  # the seller turned it on: warm it now, for the next picture
    qtbot.waitUntil(lambda: counted.reads == 1, timeout=TIMEOUT)
    assert counted.loads == 1


class CountingEngine:
    """The real PP-OCR engine, counting its loads and reads and where they ran."""

    def __init__(self) -> None:
        from flashbuy_desktop.capture.card_ocr import PaddleEngine

        self.real = PaddleEngine()
        self.name = self.real.name
        self.loads = self.reads = self.on_gui_thread = 0

    def _note(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.on_gui_thread += 1

    def load(self) -> None:
        self._note()
        self.loads += 1
        self.real.load()

    def read_lines(self, image: Image) -> list[TextLine]:
        self._note()
        self.reads += 1
        return self.real.read_lines(image)


# --- the order of the signals, with a stand-in reader ------------------------------------


class GatedReader:
    """Answers ``reading()`` for each card; the first read (or every one) waits at a gate.

    The piece number it answers is the count of reads so far: "1" for the first.
    """

    def __init__(self, *, every: bool = False) -> None:
        self.gate = threading.Event()
        self.every = every
        self.first_running = threading.Event()
        self.images: list[Image] = []
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()

    def __call__(self, image: Image) -> CardReading:
        with self.lock:
            self.images.append(image)
            self.threads.append(threading.current_thread())
            count = len(self.images)
        if count == 1:
            self.first_running.set()
        if count == 1 or self.every:
            assert self.gate.wait(10)
        return reading(piece=str(count))


def test_the_read_runs_off_the_gui_thread_on_the_pictures_card(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader()
    reader.gate.set()
    svc = service(Feed(desk()), reader)
    services.append(svc)
    events = Events(svc)
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT):
        svc.request()
    (captured,) = events.args("captured")[0]
    assert isinstance(captured, CaptureResult)
    assert reader.images[0] is captured.card_image
    assert reader.threads[0] is not threading.main_thread()
    assert events.args("card_read") == [(captured, reading(piece="1"))]


def test_a_retake_while_a_read_runs_shows_only_the_newest_pictures_reading(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader()
    feed = Feed(desk())
    svc = service(feed, reader)
    services.append(svc)
    events = Events(svc)
    svc.request()
    qtbot.waitUntil(
        reader.first_running.is_set, timeout=TIMEOUT
    )  # the first picture is shown, its card being read
    first = events.args("captured")[0][0]
    feed.frame = desk(card=(60, 90, 260, 160))  # the host moved the card
    svc.retake()
    # The new picture shows while the old read still runs; its read waits for the worker.
    qtbot.waitUntil(lambda: events.names().count("reading_started") == 2, timeout=TIMEOUT)
    second = events.args("captured")[1][0]
    assert second is not first
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT) as read:
        reader.gate.set()  # the first read ends now: its answer is for a picture gone
    assert read.args == [second, reading(piece="2")]
    settle(svc)
    assert events.names() == [
        "started", "captured", "reading_started",
        "started", "captured", "reading_started", "card_read",
    ]  # fmt: skip
    assert events.args("card_read") == [(second, reading(piece="2"))]


def test_a_read_replaced_while_it_waits_never_runs(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader()
    feed = Feed(desk())
    svc = service(feed, reader)
    services.append(svc)
    events = Events(svc)

    def read_asked(count: int) -> None:
        qtbot.waitUntil(lambda: events.names().count("reading_started") == count, timeout=TIMEOUT)

    svc.request()
    qtbot.waitUntil(reader.first_running.is_set, timeout=TIMEOUT)  # the worker is held
    svc.retake()  # F5: the second picture's read waits for the worker
    read_asked(2)
    feed.frame = desk(card=(60, 90, 260, 160))
    svc.retake()  # F5 again: the second read is replaced before it started
    read_asked(3)
    (third,) = events.args("captured")[2]
    assert isinstance(third, CaptureResult)
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT) as read:
        reader.gate.set()
    settle(svc)
    # The reader ran twice: the read held at the gate, then the newest; never the second.
    assert len(reader.images) == 2
    assert reader.images[1] is third.card_image
    assert read.args == [third, reading(piece="2")]
    assert events.args("card_read") == [(third, reading(piece="2"))]


def test_a_read_waiting_after_cancel_never_runs(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader()
    svc = service(Feed(desk()), reader)
    services.append(svc)
    events = Events(svc)
    svc.request()
    qtbot.waitUntil(reader.first_running.is_set, timeout=TIMEOUT)
    svc.retake()
    qtbot.waitUntil(lambda: events.names().count("reading_started") == 2, timeout=TIMEOUT)
    svc.cancel()  # the window closed with a read waiting
    reader.gate.set()
    settle(svc)
    assert len(reader.images) == 1
    assert "card_read" not in events.names()


def test_reads_never_hold_a_thread_of_the_shared_pool(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader(every=True)  # every read is held until the test opens the gate
    svc = service(Feed(desk()), reader)
    services.append(svc)
    events = Events(svc)
    svc.warm_up()  # the reader's warm-up read is held too (the injected engine loads nothing)
    qtbot.waitUntil(reader.first_running.is_set, timeout=TIMEOUT)
    shared = QThreadPool.globalInstance()
    assert svc.tasks.pool is shared
    svc.request()
    qtbot.waitUntil(lambda: events.names().count("reading_started") == 1, timeout=TIMEOUT)
    svc.retake()  # repeated F5: more reads asked for while one is held
    qtbot.waitUntil(lambda: events.names().count("reading_started") == 2, timeout=TIMEOUT)
    # A capture went through while a read was held; so do calls like the platform's, all
    # the shared pool's threads at once, and that pool is left idle: no read is on it.
    free = threading.Barrier(shared.maxThreadCount(), timeout=10)
    answers: list[int] = []
    http = Tasks()
    for _ in range(shared.maxThreadCount()):
        http.run(free.wait, answers.append)
    qtbot.waitUntil(lambda: len(answers) == shared.maxThreadCount(), timeout=TIMEOUT)
    assert http.wait()
    assert shared.activeThreadCount() == 0
    assert svc.read_tasks.pool.activeThreadCount() == 1  # the held read, on its own worker
    assert not svc.wait_reads(50)  # held: a wait that ends says so
    assert len(reader.images) == 1
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT) as read:
        reader.gate.set()
    assert read.args[0] is events.args("captured")[1][0]
    settle(svc)
    assert len(reader.images) == 2  # the warm-up, then the newest picture's card only


def test_cancel_drops_a_running_read(qtbot: QtBot, services: list[CaptureService]) -> None:
    reader = GatedReader()
    svc = service(Feed(desk()), reader)
    services.append(svc)
    events = Events(svc)
    svc.request()
    qtbot.waitUntil(reader.first_running.is_set, timeout=TIMEOUT)
    svc.cancel()  # the window closed
    reader.gate.set()
    settle(svc)
    assert len(reader.images) == 1  # it ran to its end...
    assert events.names() == ["started", "captured", "reading_started"]  # ...unheard


def test_with_reading_off_the_card_is_not_read(
    qtbot: QtBot, services: list[CaptureService]
) -> None:
    reader = GatedReader()
    reader.gate.set()
    svc = service(Feed(desk()), reader, reading=False)
    services.append(svc)
    events = Events(svc)
    with qtbot.waitSignal(svc.captured, timeout=TIMEOUT) as captured:
        svc.request()
    assert captured.args[0].card_image is not None  # there was a card to read
    settle(svc)
    assert events.names() == ["started", "captured"]
    assert reader.images == []

    svc.set_reading(True)  # the settings window turned it on: the next picture is read
    with qtbot.waitSignal(svc.card_read, timeout=TIMEOUT):
        svc.request()
    assert len(reader.images) == 1


def test_a_picture_without_a_card_is_not_read(qtbot: QtBot, services: list[CaptureService]) -> None:
    reader = GatedReader()
    reader.gate.set()
    svc = service(Feed(desk(card=None)), reader)
    services.append(svc)
    events = Events(svc)
    with qtbot.waitSignal(svc.captured, timeout=TIMEOUT) as captured:
        svc.request()
    assert CaptureWarning.CARD_NOT_FOUND in captured.args[0].warnings
    settle(svc)
    assert events.names() == ["started", "captured"]
    assert reader.images == []


def test_a_reader_that_fails_says_so_for_that_picture(
    qtbot: QtBot, services: list[CaptureService], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(image: Image) -> CardReading:
        raise RuntimeError("the model file is damaged")

    svc = service(Feed(desk()), broken)
    services.append(svc)
    events = Events(svc)
    with qtbot.waitSignal(svc.card_read_failed, timeout=TIMEOUT) as failed:
        svc.request()
    (captured,) = events.args("captured")[0]
    assert failed.args == [captured]
    assert events.names() == ["started", "captured", "reading_started", "card_read_failed"]
    assert "the model file is damaged" in caplog.text

"""Publish latency: from the seller's keystrokes in the console to the viewers' screens.

The real console, driven by its keys: a ``MainWindow`` with a ``CaptureService`` on the real
capture engine (``CaptureEngine``, default config: a burst of 3 frames 33 ms apart) and a real
``CaptureFrame`` aimed over a window that paints the seller's scene (dark cloth, a white order
card with a written number, a jade piece), the real ``NewFlashBuyDialog``, the platform over
HTTP on 127.0.0.1 in a child process, and a few viewers in the live room, each with its own
viewer event stream read on a thread of this process. A test-driver does what pytest-qt's
QtBot does (``QTest.keyClick``/``keyClicks``/``mouseClick``) and waits for conditions by
running a Qt event loop with a 1 ms precise timer and a deadline (no fixed sleeps).

The seller's keys go where the keyboard focus is, never to a named widget: the price is typed
into ``QApplication.focusWidget()`` and Return is pressed there. When the price field did not
get the price (the focus was elsewhere), that flash-buy counts as "keys lost" and the driver
falls back to the old way for it: the price typed, and Return pressed, into the price field by
name, so its latency is still measured. The piece number (件号) is the window's own when it
prefills one (the one after the last flash-buy's; the one a comment names); only when it is
empty (an older console) does the driver type one into the piece field by name, as setup,
outside every timed interval. Full pieces are numbered 1, 2, 3...; targeted ones continue
after the last full one, so no number repeats (a repeat warning would be answered by a
second Return, counted).

The code under test is whatever ``flashbuy_desktop`` imports as (printed at the start): run
with ``PYTHONPATH`` set to another checkout (a ``git worktree`` of an older commit) to measure
that one with the same script.

For each database (SQLite; PostgreSQL too when ``PGHOST`` is set):

* full flash-buys (``--count``): F2 on the main window, wait for the picture and the form,
  type the price to the focus, Return. Measured:
  (a) Enter -> the ``flashbuy.created`` frame arriving at each viewer's stream (pooled over
  viewers and flash-buys; ``time.perf_counter()`` just before the key is sent, and on the
  stream thread as the frame's line is read; frames are matched by the flash-buy's title,
  made unique by the piece number),
  (b) F2 -> the picture shown in the dialog (``dialog.captured_result()`` not None, stamped
  when the driver's event loop sees it); beside it, the engine's own time for the capture,
  F2 -> the form ready (products and templates loaded) and Enter -> the console has it
  (the dialog's ``created`` signal);
* targeted flash-buys (``--targeted``): a viewer comments over HTTP ("103号多少钱"); once the
  comment is in the console's comment list, a mouse click on its + (at the button's place in
  the list's viewport), wait for picture and form, type the price to the focus, Return.
  Measured:
  (c) Enter -> the named viewer's stream has it; also + -> the picture, and the comment's
  POST -> its row in the console. Leaks (another viewer's stream carrying a targeted offer)
  are counted once a full "fence" flash-buy, created after the last one, reached everyone.

A product allows ``QUOTA_FULL_DEFAULT`` (20) full flash-buys; this benchmark does not change
the platform's settings: it creates enough products and, when the preselected product has no
full quota left (or none is selected: a newer console keeps the last product and selects
nothing once its quota is used up), the driver picks the first one that has, as setup
(counted, as "product switches").
Two flash-buys are made first to warm up (not measured).

The order card in the scene says what a host writes on it: a piece number and a price ("37号"
/ "¥1,288", in a brush-like Chinese font; see ``benchmarks/_host_card.py``). The full and
targeted flash-buys above are made with the console's reading of the card off (its
``CaptureService.set_reading(False)``): their price is typed, and a read filling the field at
the same time would race those keys. Then, when the console under test reads cards:

* flash-buys in two actions (``--two-actions``, default as many as ``--count``; reading on):
  before each one the scene is repainted with a new card (a new piece number and price; the
  driver waits until the new card is on the screen, untimed), then F2 on the main window, wait
  until the price field is filled from the card (its text not empty; the driver typed nothing)
  and Enter to the focus. Measured: (d) F2 -> the picture shown, reading on, beside (b),
  reading off, in the same run: the read must never delay the picture; (e) F2 -> the fields
  filled from the card; the reader's own time; (f) Enter -> the invitation at a viewer.
  Checked at every viewer: the price published is the card's (fen), and the piece number.
  Counted: flash-buys done in two actions (F2, Enter: nothing typed, no second Return) out of
  all; wrong prices published (must be 0); prices left empty (the read was not sure: the
  driver then types the card's price to the focus, counted, and it is not a two-action one);
  piece numbers not the card's. A flash-buy left empty is decided once the console has said
  the read ended (``card_read`` / ``card_read_failed``) and the field stayed empty 0.3 s.

An older console without the reading (no ``set_reading``) runs the flows it has; the
two-action flow then says "not available".

Aims: p99 of (a) within 150 ms, of (b) within 250 ms; (c) is held to the aim of (a); (d)
within the aim of (b), (f) within that of (a); no wrong price published.

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m benchmarks.publish_latency [--quick]
"""

import argparse
import http.client
import io
import math
import os
import platform as pyplatform
import socket
import statistics
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if os.environ.get("PYTHONPATH"):
    # `python -m` put this checkout first; a checkout on PYTHONPATH (an older console, for a
    # "before" run) must win, so this one goes last.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT]
    sys.path.append(str(REPO_ROOT))

import requests  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QEventLoop, QPointF, QRect, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from benchmarks._common import (  # noqa: E402
    API,
    HOST,
    HTTP_TIMEOUT,
    REGION,
    PlatformServer,
    cores_line,
    cpu_seconds,
    database_name,
    each_database,
    fresh_database,
    new_session,
    own_cpu_seconds,
    percentile,
    text_table,
)
from benchmarks._host_card import HostCard, host_cards  # noqa: E402
from benchmarks._scene import DeskScene  # noqa: E402
from flashbuy_protocol.event_payloads import payload  # noqa: E402
from flashbuy_protocol.events import EventType  # noqa: E402
from flashbuy_protocol.limits import QUOTA_FULL_DEFAULT  # noqa: E402
from flashbuy_protocol.models import Event, FlashBuy  # noqa: E402
from flashbuy_protocol.money import MoneyError, parse_yuan  # noqa: E402
from flashbuy_protocol.sse import CONNECTED_LINE, SseDecoder  # noqa: E402

if TYPE_CHECKING:
    from flashbuy_desktop.ui.main_window import MainWindow
    from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog
    from flashbuy_protocol.models import Product
    from flashbuy_server.server import ServerThread

PASSWORD = uuid.uuid4().hex  # the benchmark creator's, for this run only
WARM_UP = 2  # full flash-buys through the window before measuring
STEP_TIMEOUT = 30.0  # seconds any one awaited condition may take
AIM_INVITATION_MS = 150.0
AIM_PICTURE_MS = 250.0
STRIP = 640  # logical px: the scene's strip at the right of the screen
CAPTURE = QRect(20, 200, 600, 400)  # the capture rectangle, inside the strip
CARD = QRect(60, 260, 200, 140)  # the order card, in the strip's coordinates
PRICE_FULL = "1288"
PRICE_TARGETED = "880"
# The card under the typed flows (full, targeted): what it says is not read there.
TYPED_CARD = HostCard("1号", "¥1288", "black", "1", 128800)
SETTLE_S = 0.3  # after the read ended, how long an empty price field is given to fill


# --- the platform's side, in its child process ----------------------------------------------


def arrange_in_child(db: Any, password: str, products: int) -> dict[str, Any]:
    """Shop, creator, category and ``products`` products, through the platform's functions."""
    import flashbuy_server
    from benchmarks._common import database_version
    from flashbuy_server import accounts, catalog

    tag = uuid.uuid4().hex[:8]
    username = f"bench-{tag}"
    with db.write() as conn:
        shop_id = accounts.create_shop(conn, f"shop-{tag}", qualified=True)
        creator_id = accounts.create_creator(conn, username, password, invited=True)
        accounts.bind_shop(conn, creator_id, shop_id)
        category_id = catalog.create_category(conn, f"翡翠-{tag}", approved=True)
        ids = [
            catalog.create_product(conn, shop_id, category_id, "冰种翡翠手镯")
            for _ in range(products)
        ]
    return {
        "username": username,
        "product_ids": ids,
        "version": database_version(db),
        "code": str(Path(flashbuy_server.__file__).parent),
    }


def serve_arranging(server: "ServerThread", pipe: Pipe) -> None:
    """Answer ("arrange", password, products) until told to stop (or the parent goes)."""
    while True:
        try:
            message = pipe.recv()
        except EOFError:
            return
        if message[0] != "arrange":
            return
        try:
            pipe.send(("ok", arrange_in_child(server.app.state.db, *message[1:])))
        except Exception:
            pipe.send(("error", traceback.format_exc()))


# --- viewers --------------------------------------------------------------------------------


class ViewerStream:
    """One viewer's event stream, read on a thread; stamps each invitation's arrival."""

    def __init__(self, port: int, room_id: int, token: str, viewer_id: int, nickname: str) -> None:
        self.viewer_id = viewer_id
        self.nickname = nickname
        self._conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self._path = f"{API}/rooms/{room_id}/viewer-events"
        self._token = token
        self._lock = threading.Lock()
        self.arrivals: dict[str, float] = {}  # title -> perf_counter at arrival
        self.ids: dict[str, int] = {}
        self.offers: dict[str, tuple[str, int]] = {}  # title -> (piece number, price in fen)
        self.invitations = 0
        self.connected = threading.Event()
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="viewer-stream")

    def open(self) -> None:
        self._conn.request(
            "GET",
            self._path,
            headers={"Accept": "text/event-stream", "Authorization": f"Bearer {self._token}"},
        )
        self._response = self._conn.getresponse()
        if self._response.status != 200:
            raise RuntimeError(f"viewer stream: HTTP {self._response.status}")
        self._thread.start()
        if not self.connected.wait(30):
            raise RuntimeError("a viewer stream did not say it was connected within 30 s")

    def _run(self) -> None:
        decoder = SseDecoder()
        try:
            while True:
                raw = self._response.readline()
                now = time.perf_counter()
                if not raw:
                    break
                line = raw.decode().rstrip("\r\n")
                if line == CONNECTED_LINE:
                    self.connected.set()
                message = decoder.feed_line(line)
                if message is None or message.event != EventType.FLASHBUY_CREATED:
                    continue
                offer = payload(Event.model_validate_json(message.data))
                assert isinstance(offer, FlashBuy)
                with self._lock:
                    self.invitations += 1
                    self.arrivals.setdefault(offer.title, now)
                    self.ids[offer.title] = offer.id
                    self.offers.setdefault(offer.title, (offer.piece_no, offer.price_fen))
        except (OSError, http.client.HTTPException, ValueError, AttributeError):
            pass  # closed under the read (http.client may trip over its own closed file)
        finally:
            self.ended.set()

    def arrival(self, title: str) -> float | None:
        with self._lock:
            return self.arrivals.get(title)

    def offer(self, title: str) -> tuple[str, int] | None:
        """The piece number and price (fen) this viewer was offered under ``title``."""
        with self._lock:
            return self.offers.get(title)

    def close(self) -> None:
        sock = self._conn.sock
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)
        self._conn.close()


# --- the scene under the capture frame ------------------------------------------------------


# --- waiting in the event loop --------------------------------------------------------------


def wait_until(
    conditions: dict[str, Callable[[], bool]],
    timeout: float,
    done: Callable[[dict[str, float]], bool] | None = None,
) -> dict[str, float]:
    """Run the event loop until every condition holds (or ``done(stamps)``), or ``timeout``.

    Each condition is checked every millisecond (a precise timer) and stamped with
    ``time.perf_counter()`` the first time it is seen to hold; the stamps of those that did.
    """
    seen: dict[str, float] = {}

    def check() -> bool:
        now = time.perf_counter()
        for name, condition in conditions.items():
            if name not in seen and condition():
                seen[name] = now
        return len(seen) == len(conditions) or (done is not None and done(seen))

    if check():
        return seen
    loop = QEventLoop()
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(1)

    def tick() -> None:
        if check():
            loop.quit()

    ticker.timeout.connect(tick)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    ticker.start()
    deadline.start(int(timeout * 1000))
    loop.exec()
    ticker.stop()
    deadline.stop()
    check()
    return seen


def must(stamps: dict[str, float], names: list[str], what: str) -> None:
    missing = [n for n in names if n not in stamps]
    if missing:
        raise RuntimeError(f"{what}: not within {STEP_TIMEOUT:.0f} s: {', '.join(missing)}")


# --- one database ---------------------------------------------------------------------------


def _arrived(viewer: ViewerStream, title: str) -> Callable[[], bool]:
    """Whether ``viewer`` has seen the flash-buy ``title`` yet, asked when called."""
    return lambda: viewer.arrival(title) is not None


@dataclass
class TwoActions:
    """The flash-buys made from the card's reading: F2, Enter."""

    available: str = ""  # why not, when the console under test does not read cards
    picture: list[float] = field(default_factory=list)  # (d) F2 -> picture, reading on
    filled: list[float] = field(default_factory=list)  # (e) F2 -> price field filled
    read_ended: list[float] = field(default_factory=list)  # F2 -> card_read / _failed
    reader_ms: list[float] = field(default_factory=list)  # the reading's own elapsed_ms
    invitation: list[float] = field(default_factory=list)  # (f) Enter -> a viewer
    created: list[float] = field(default_factory=list)
    total: int = 0  # measured ones
    in_two: int = 0  # nothing typed by the driver, one Return
    price_empty: int = 0  # the price field left empty: the driver typed the card's price
    price_wrong_filled: int = 0  # filled with another price than the card's
    price_rejected: int = 0  # filled, but the window would not take it (cleared, typed)
    piece_empty: int = 0  # the piece field left empty: typed by name
    piece_not_card: int = 0  # the piece field said another number than the card's
    wrong_price_published: int = 0  # at any viewer: must be 0
    wrong_piece_published: int = 0
    read_failed: int = 0  # card_read_failed (the engine failed)
    no_read: int = 0  # no read ended within the step's time
    keys_lost: int = 0  # the driver's price (after an empty field) missed the price field
    first_filled: float | None = None  # the first measured one's F2 -> filled, ms
    misses: list[str] = field(default_factory=list)  # card -> fields, for each not in two


@dataclass
class Samples:
    invitation: list[float] = field(default_factory=list)  # (a), ms
    picture: list[float] = field(default_factory=list)  # (b)
    engine: list[float] = field(default_factory=list)
    engine_steps: dict[str, list[float]] = field(default_factory=dict)
    ready: list[float] = field(default_factory=list)
    created: list[float] = field(default_factory=list)
    slowest_viewer: list[float] = field(default_factory=list)
    targeted: list[float] = field(default_factory=list)  # (c)
    targeted_picture: list[float] = field(default_factory=list)
    comment_shown: list[float] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    product_switches: int = 0
    # Keys lost: the price typed to the focus did not land in the price field (per kind,
    # measured flash-buys only), out of how many were typed, and where the focus was.
    keys_lost: Counter[str] = field(default_factory=Counter)
    keys_typed: Counter[str] = field(default_factory=Counter)
    lost_to: Counter[str] = field(default_factory=Counter)
    keys_lost_warm_up: int = 0
    pieces_prefilled: int = 0  # the window's own piece number, used as it was
    pieces_unexpected: int = 0  # ... which was not the number the driver expected
    pieces_typed: int = 0  # typed by name as setup: the window left the field empty
    repeat_enters: int = 0  # a second Return after the window warned of a repeated piece
    repeated_titles: int = 0  # a title seen before: its arrivals cannot be told apart
    missing: int = 0
    leaks: int = 0
    two: TwoActions = field(default_factory=TwoActions)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Section:
    name: str
    version: str = ""
    samples: Samples = field(default_factory=Samples)
    measured: bool = True


@dataclass
class Stage:
    """Everything one database's run drives."""

    api: str
    port: int
    creator: requests.Session
    token: str
    room_id: int
    product_ids: list[int]
    template_id: int
    viewers: list[ViewerStream]
    viewer_sessions: list[requests.Session]


def http_ok(session: requests.Session, method: str, url: str, status: int, **kw: Any) -> Any:
    resp = session.request(method, url, timeout=HTTP_TIMEOUT, **kw)
    if resp.status_code != status:
        raise RuntimeError(f"{method} {url}: {resp.status_code} {resp.text[:300]}")
    return resp.json()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "#2e8b57").save(buf, "JPEG")
    return buf.getvalue()


def arrange(server: PlatformServer, viewers: int, products: int) -> tuple[Stage, str]:
    server.pipe.send(("arrange", PASSWORD, products))
    status, value = server.receive(60, "the platform did not arrange the creator within 60 s")
    if status != "ok":
        raise RuntimeError(f"arranging failed:\n{value}")
    api = server.api
    creator = new_session()
    signed = http_ok(
        creator,
        "POST",
        api + "/auth/sign-in",
        200,
        json={"username": value["username"], "password": PASSWORD},
    )
    token = str(signed["token"])
    creator.headers["Authorization"] = f"Bearer {token}"
    room_id = int(http_ok(creator, "POST", api + "/rooms", 201, json={"title": "翡翠专场"})["id"])
    template_id = int(
        http_ok(
            creator,
            "POST",
            api + "/shipping-templates",
            201,
            json={"name": "包邮", "kind": "free"},
        )["id"]
    )
    streams: list[ViewerStream] = []
    sessions: list[requests.Session] = []
    for n in range(viewers):
        session = new_session()
        joined = http_ok(
            session,
            "POST",
            f"{api}/rooms/{room_id}/join",
            200,
            json={"nickname": f"观众{n + 1}", "region": REGION},
        )
        session.headers["Authorization"] = f"Bearer {joined['token']}"
        sessions.append(session)
        stream = ViewerStream(
            server.port,
            room_id,
            str(joined["token"]),
            int(joined["viewer"]["id"]),
            str(joined["viewer"]["nickname"]),
        )
        stream.open()
        streams.append(stream)
    stage = Stage(
        api,
        server.port,
        creator,
        token,
        room_id,
        list(value["product_ids"]),
        template_id,
        streams,
        sessions,
    )
    print(f"  platform code: {value['code']}", flush=True)
    return stage, str(value["version"])


class Driver:
    """Drives the console's window as a seller would, and stamps each step.

    Keys go to whatever has the keyboard focus (``QApplication.focusWidget()``); only setup
    (a product with quota, a piece number the window left empty) and the fallback after lost
    keys touch a field by name.
    """

    def __init__(
        self, window: "MainWindow", stage: Stage, samples: Samples, scene: DeskScene
    ) -> None:
        self.window = window
        self.stage = stage
        self.samples = samples
        self.scene = scene
        # The console's card reads as they end: (stamp, reading or None when it failed).
        self.reads: list[tuple[float, Any]] = []
        self.next_full = 1  # the piece number the next full flash-buy should carry
        self.highest = 0  # the highest numeric piece number used so far
        self.targeted_base: int | None = None  # the first targeted piece number
        self.titles: set[str] = set()

    def _open_dialog(self) -> "NewFlashBuyDialog":
        dialog = self.window.new_dialog
        if dialog is None:
            raise RuntimeError(f"no dialog opened; the console says: {self._error_text()}")
        return dialog

    def _error_text(self) -> str:
        return self.window.error_bar.text() or "(nothing)"

    def _wait_picture_and_form(
        self, dialog: "NewFlashBuyDialog", began: float, measured: bool = True
    ) -> float:
        stamps = wait_until(
            {
                "picture": lambda: dialog.captured_result() is not None,
                "form": lambda: dialog._products_loaded and dialog._templates_loaded,
            },
            STEP_TIMEOUT,
        )
        if "picture" not in stamps:
            raise RuntimeError(f"no picture; the dialog says: {dialog.capture_status.text()}")
        must(stamps, ["form"], "the form")
        if not measured:
            return (stamps["picture"] - began) * 1000
        self.samples.ready.append((stamps["form"] - began) * 1000)
        result = dialog.captured_result()
        assert result is not None
        self.samples.warnings.update(str(w) for w in result.warnings)
        self.samples.engine.append(result.timings_ms.get("total", math.nan))
        for key, ms in result.timings_ms.items():
            if key != "total":
                self.samples.engine_steps.setdefault(key, []).append(ms)
        return (stamps["picture"] - began) * 1000

    def _pick_product_with_quota(self, dialog: "NewFlashBuyDialog", full: bool) -> None:
        product = dialog.selected_product()

        def left(p: "Product") -> int:
            return p.quota.full_left if full else p.quota.targeted_left

        if product is not None and left(product) > 0:
            return
        for row in range(dialog.product_combo.count()):
            pid = dialog.product_combo.itemData(row, Qt.ItemDataRole.UserRole)
            candidate = next((p for p in dialog._products if p.id == pid), None)
            if candidate is not None and candidate.eligible and left(candidate) > 0:
                dialog.product_combo.setCurrentIndex(row)
                self.samples.product_switches += 1
                return
        raise RuntimeError("no product has quota left (create more products)")

    def _fill_piece(self, dialog: "NewFlashBuyDialog", expected: str) -> str:
        """The window's piece number if it prefilled one; else ``expected``, typed by name."""
        prefilled = dialog.piece_edit.text().strip()
        if prefilled:
            self.samples.pieces_prefilled += 1
            if prefilled != expected:
                self.samples.pieces_unexpected += 1
            piece = prefilled
        else:  # an older console: setup, so that each title is unique
            QTest.keyClicks(dialog.piece_edit, expected)
            self.samples.pieces_typed += 1
            piece = expected
        if piece.isdigit():
            self.highest = max(self.highest, int(piece))
        return piece

    @staticmethod
    def _name_of(dialog: "NewFlashBuyDialog", widget: QWidget | None) -> str:
        """What had the focus, by the dialog's attribute name when it has one."""
        if widget is None:
            return "nothing (no active window)"
        for owner in (dialog, dialog.parentWidget()):
            if owner is None:
                continue
            for name, value in vars(owner).items():
                if value is widget:
                    return f"{type(owner).__name__}.{name}"
        label = type(widget).__name__
        return f"{label} {widget.objectName()!r}" if widget.objectName() else label

    def _type_and_enter(
        self, dialog: "NewFlashBuyDialog", kind: str, piece: str, price: str, measured: bool
    ) -> tuple[str, float, dict[str, float]]:
        """The price typed to the focus, then Return to it; (title, Enter's stamp, stamps).

        Keys lost (the price field did not get the price): counted, and the price typed and
        Return pressed in the price field by name instead, so the latency is still measured.
        """
        full = kind == "full"
        self._pick_product_with_quota(dialog, full)
        self._fill_piece(dialog, piece)
        focus = QApplication.focusWidget()
        if focus is not None:
            QTest.keyClicks(focus, price)
        lost = dialog.price_edit.text() != price
        if measured:
            self.samples.keys_typed[kind] += 1
        if lost:
            if measured:
                self.samples.keys_lost[kind] += 1
                self.samples.lost_to[f"{kind}: {self._name_of(dialog, focus)}"] += 1
            else:
                self.samples.keys_lost_warm_up += 1
            dialog.price_edit.clear()
            QTest.keyClicks(dialog.price_edit, price)
            self._pick_product_with_quota(dialog, full)  # keys elsewhere may have moved it
        return self._press_enter(dialog, to_focus=not lost)

    def _press_enter(
        self, dialog: "NewFlashBuyDialog", to_focus: bool
    ) -> tuple[str, float, dict[str, float]]:
        """Return to the focus (or to the price field by name); (title, Enter's stamp, stamps).

        A repeat warning is answered by a second Return (counted in ``repeat_enters``).
        """
        title = dialog.title_edit.text()
        if not dialog.create_button.isEnabled():
            raise RuntimeError(f"cannot create: {dialog.create_button.toolTip()}")
        created: dict[str, float] = {}
        dialog.created.connect(lambda _fb: created.setdefault("created", time.perf_counter()))

        def receiver() -> QWidget:
            return (QApplication.focusWidget() if to_focus else None) or dialog.price_edit

        repeated = getattr(dialog, "repeated_pieces", None)  # a newer console warns first
        if callable(repeated) and repeated():
            QTest.keyClick(receiver(), Qt.Key.Key_Return)
            warned = wait_until(
                {"warned": lambda: getattr(dialog, "_duplicate_ok", None) is not None},
                STEP_TIMEOUT,
            )
            must(warned, ["warned"], f"the repeat warning for {title!r}")
            self.samples.repeat_enters += 1
        if title in self.titles:
            self.samples.repeated_titles += 1
        enter = time.perf_counter()
        QTest.keyClick(receiver(), Qt.Key.Key_Return)
        return title, enter, created

    def full(self, n: int, measured: bool) -> None:
        if QApplication.activeWindow() is not self.window and not activate(self.window):
            raise RuntimeError("the main window is not active again (F2 goes to it)")
        f2 = time.perf_counter()
        QTest.keyClick(self.window, Qt.Key.Key_F2)
        dialog = self._open_dialog()
        picture_ms = self._wait_picture_and_form(dialog, f2, measured)
        expected = str(self.next_full)
        title, enter, created = self._type_and_enter(dialog, "full", expected, PRICE_FULL, measured)
        self.next_full = self.highest + 1
        viewers = self.stage.viewers
        conditions: dict[str, Callable[[], bool]] = {
            f"viewer {v.viewer_id}": _arrived(v, title) for v in viewers
        }
        conditions["created"] = lambda: "created" in created
        conditions["closed"] = lambda: self.window.new_dialog is None
        stamps = wait_until(conditions, STEP_TIMEOUT)
        must(stamps, ["created", "closed"], f"flash-buy {title!r} in the console")
        ambiguous = title in self.titles
        self.titles.add(title)
        if not measured or ambiguous:
            return
        self.samples.picture.append(picture_ms)
        self.samples.created.append((created["created"] - enter) * 1000)
        arrivals = [v.arrival(title) for v in viewers]
        got = [(t - enter) * 1000 for t in arrivals if t is not None]
        self.samples.missing += len(arrivals) - len(got)
        self.samples.invitation.extend(got)
        if got:
            self.samples.slowest_viewer.append(max(got))

    def two_actions(self, card: HostCard, measured: bool) -> None:
        """F2, the fields filled from the card, Enter; checked against the card at a viewer."""
        two = self.samples.two
        show_card(self.scene, card)  # setup: the new card on the screen before F2
        if QApplication.activeWindow() is not self.window and not activate(self.window):
            raise RuntimeError("the main window is not active again (F2 goes to it)")
        reads_before = len(self.reads)
        f2 = time.perf_counter()
        QTest.keyClick(self.window, Qt.Key.Key_F2)
        dialog = self._open_dialog()

        def read_ended() -> bool:
            return len(self.reads) > reads_before

        def settled(stamps: dict[str, float]) -> bool:
            if "picture" not in stamps or "form" not in stamps:
                return False
            if "filled" in stamps:
                return True
            ended = stamps.get("read")
            return ended is not None and time.perf_counter() - ended >= SETTLE_S

        stamps = wait_until(
            {
                "picture": lambda: dialog.captured_result() is not None,
                "form": lambda: dialog._products_loaded and dialog._templates_loaded,
                "read": read_ended,
                "filled": lambda: bool(dialog.price_edit.text()),
            },
            STEP_TIMEOUT,
            done=settled,
        )
        if "picture" not in stamps:
            raise RuntimeError(f"no picture; the dialog says: {dialog.capture_status.text()}")
        must(stamps, ["form"], "the form")
        reading = self.reads[reads_before][1] if read_ended() else None
        typed = self._take_from_card(dialog, card, stamps, reading, measured)
        self._pick_product_with_quota(dialog, True)  # setup: this benchmark's quota only
        repeats = self.samples.repeat_enters
        title, enter, created = self._press_enter(dialog, to_focus=True)
        self.highest = max(self.highest, int(card.piece))
        conditions: dict[str, Callable[[], bool]] = {
            f"viewer {v.viewer_id}": _arrived(v, title) for v in self.stage.viewers
        }
        conditions["created"] = lambda: "created" in created
        conditions["closed"] = lambda: self.window.new_dialog is None
        done = wait_until(conditions, STEP_TIMEOUT)
        must(done, ["created", "closed"], f"flash-buy {title!r} in the console")
        ambiguous = title in self.titles
        self.titles.add(title)
        if not measured or ambiguous:
            return
        two.total += 1
        two.picture.append((stamps["picture"] - f2) * 1000)
        if "filled" in stamps:
            two.filled.append((stamps["filled"] - f2) * 1000)
            if two.first_filled is None:
                two.first_filled = two.filled[-1]
        if "read" in stamps:
            two.read_ended.append((stamps["read"] - f2) * 1000)
        if reading is not None:
            two.reader_ms.append(float(reading.elapsed_ms))
        two.created.append((created["created"] - enter) * 1000)
        arrivals = [v.arrival(title) for v in self.stage.viewers]
        got = [(t - enter) * 1000 for t in arrivals if t is not None]
        self.samples.missing += len(arrivals) - len(got)
        two.invitation.extend(got)
        offers = {o for v in self.stage.viewers if (o := v.offer(title)) is not None}
        wrong_price = any(fen != card.price_fen for _piece, fen in offers)
        wrong_piece = any(piece != card.piece for piece, _fen in offers)
        two.wrong_price_published += wrong_price
        two.wrong_piece_published += wrong_piece
        if wrong_price or wrong_piece:
            published = ", ".join(f"{piece} ¥{fen / 100:.2f}" for piece, fen in sorted(offers))
            two.misses.append(f"card {' / '.join(card.lines)}: PUBLISHED {published}")
        if not typed and self.samples.repeat_enters == repeats:
            two.in_two += 1

    def _take_from_card(
        self,
        dialog: "NewFlashBuyDialog",
        card: HostCard,
        stamps: dict[str, float],
        reading: Any,
        measured: bool,
    ) -> bool:
        """Check the fields against the card; type what the window left empty (True: typed)."""
        two = self.samples.two
        price_text = dialog.price_edit.text()
        piece_text = dialog.piece_edit.text().strip()
        said = f"read {_said(reading)}" if reading is not None else "no read"
        if "read" in stamps and reading is None:
            said = "the read failed"
        miss = f"card {' / '.join(card.lines)}: fields {piece_text!r} / {price_text!r} ({said})"
        typed = False
        count = measured  # warm-up ones are not counted
        if "filled" not in stamps:
            two.price_empty += count
            if "read" not in stamps:
                two.no_read += count
            elif reading is None:
                two.read_failed += count
            typed = True
        else:
            fen = fen_of(price_text)
            if fen is None:
                two.price_rejected += count
                dialog.price_edit.clear()
                typed = True
            elif fen != card.price_fen:
                two.price_wrong_filled += count  # published as it is: the seller trusted it
        if typed:  # as a seller would: the card's price to the focus (the empty price field)
            price = f"{card.price_fen // 100}" + (
                f".{card.price_fen % 100:02d}" if card.price_fen % 100 else ""
            )
            focus = QApplication.focusWidget()
            if focus is not None:
                QTest.keyClicks(focus, price)
            if dialog.price_edit.text() != price:
                two.keys_lost += count
                dialog.price_edit.clear()
                QTest.keyClicks(dialog.price_edit, price)
        if not piece_text:
            two.piece_empty += count
            QTest.keyClicks(dialog.piece_edit, card.piece)
            typed = True
        elif piece_text != card.piece:
            two.piece_not_card += count
        wrong = fen_of(price_text) != card.price_fen or piece_text != card.piece
        if measured and (typed or wrong):
            two.misses.append(miss)
        return typed

    def _click_plus(self, text: str, viewer_id: int) -> float:
        """A mouse click on the + of the comment; the stamp just before it."""
        from flashbuy_desktop.ui.comments import CommentDelegate

        view = self.window.comments
        model = view.model
        row = next(
            (
                r
                for r in range(model.rowCount() - 1, -1, -1)
                if model.comment(r).text == text and model.comment(r).viewer_id == viewer_id
            ),
            -1,
        )
        index = view.filter.mapFromSource(model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            raise RuntimeError(f"the comment {text!r} is not in the list as shown")
        view.list_view.scrollTo(index)  # it follows the newest already; setup, untimed
        button = CommentDelegate.button_rect(view.list_view.visualRect(index))
        viewport = view.list_view.viewport()
        if not viewport.rect().contains(button):
            raise RuntimeError(f"the + of {text!r} is not on the screen: {button}")
        plus = time.perf_counter()
        QTest.mouseClick(
            viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, button.center()
        )
        return plus

    def targeted(self, k: int, titles: dict[str, int]) -> None:
        stage = self.stage
        index = k % len(stage.viewers)
        viewer, session = stage.viewers[index], stage.viewer_sessions[index]
        if self.targeted_base is None:
            self.targeted_base = self.highest + 1  # after every full one: no repeat
        piece = str(self.targeted_base + k)
        text = f"{piece}号多少钱"
        model = self.window.comments.model
        if QApplication.activeWindow() is not self.window and not activate(self.window):
            raise RuntimeError("the main window is not active again (the + is clicked in it)")
        posted = time.perf_counter()
        failure: list[str] = []

        def post() -> None:
            try:
                http_ok(
                    session,
                    "POST",
                    f"{stage.api}/rooms/{stage.room_id}/comments",
                    201,
                    json={"text": text},
                )
            except Exception as exc:
                failure.append(repr(exc))

        poster = threading.Thread(target=post, name="comment-post", daemon=True)
        poster.start()

        def shown() -> bool:
            for row in range(model.rowCount() - 1, -1, -1):
                comment = model.comment(row)
                if comment.text == text and comment.viewer_id == viewer.viewer_id:
                    return True
            return bool(failure)

        stamps = wait_until({"shown": shown}, STEP_TIMEOUT)
        poster.join(STEP_TIMEOUT)
        if failure or "shown" not in stamps:
            raise RuntimeError(f"the comment never reached the console: {failure}")
        self.samples.comment_shown.append((stamps["shown"] - posted) * 1000)
        plus = self._click_plus(text, viewer.viewer_id)
        dialog = self._open_dialog()
        self.samples.targeted_picture.append(self._wait_picture_and_form(dialog, plus))
        title, enter, created = self._type_and_enter(
            dialog, "targeted", piece, PRICE_TARGETED, True
        )
        stamps = wait_until(
            {
                "named": lambda: viewer.arrival(title) is not None,
                "created": lambda: "created" in created,
                "closed": lambda: self.window.new_dialog is None,
            },
            STEP_TIMEOUT,
        )
        must(stamps, ["created", "closed"], f"targeted flash-buy {title!r} in the console")
        ambiguous = title in self.titles
        self.titles.add(title)
        if ambiguous:
            return
        arrived = viewer.arrival(title)
        if arrived is None:
            self.samples.missing += 1
        else:
            self.samples.targeted.append((arrived - enter) * 1000)
        titles[title] = viewer.viewer_id


def fen_of(text: str) -> int | None:
    """The fen in a price field's text, or None when it is not a valid price."""
    try:
        return parse_yuan(text)
    except MoneyError:
        return None


def _said(reading: Any) -> str:
    """What a CardReading made of the card, in short: piece, price, their confidence."""
    parts = []
    for name in ("piece", "price"):
        value = getattr(reading, name, None)
        parts.append(
            f"{name} -" if value is None else f"{name} {value.text!r} {value.confidence:.2f}"
        )
    return ", ".join(parts)


def show_card(scene: DeskScene, card: HostCard) -> None:
    """Paint ``card`` on the scene and wait until the screen shows it (setup, untimed)."""
    import numpy as np

    from flashbuy_desktop.capture.grab import close_thread_grabber, grab
    from flashbuy_desktop.capture.types import Region

    scene.set_card(card.lines, card.ink)
    image = scene.card_image().convertToFormat(QImage.Format.Format_RGB32)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    expected = rows[:, : width * 4].reshape(height, width, 4)[:, :, :3].astype(np.int16)
    ratio = scene.devicePixelRatioF()
    top_left = scene.mapToGlobal(scene.card.topLeft())
    region = Region(round(top_left.x() * ratio), round(top_left.y() * ratio), width, height)

    def shown() -> bool:
        screen = grab(region)[:, :, :3].astype(np.int16)
        return screen.shape == expected.shape and float(np.abs(screen - expected).mean()) < 2.0

    stamps = wait_until({"card": shown}, 10)
    close_thread_grabber()
    if "card" not in stamps:
        raise RuntimeError(f"the card {card.lines} never reached the screen")


def fence(stage: Stage, samples: Samples) -> None:
    """A full flash-buy over HTTP after the last targeted one; wait until everyone has it."""
    picture = http_ok(
        stage.creator,
        "POST",
        stage.api + "/pictures",
        201,
        data=jpeg_bytes(),
        headers={"Content-Type": "image/jpeg"},
    )["id"]
    products = http_ok(stage.creator, "GET", stage.api + "/products", 200)
    product = next(p for p in products if p["eligible"] and p["quota"]["full_left"] > 0)
    http_ok(
        stage.creator,
        "POST",
        f"{stage.api}/rooms/{stage.room_id}/flash-buys",
        201,
        json={
            "product_id": product["id"],
            "mode": "full",
            "title": "fence",
            "piece_no": "fence",
            "price_fen": 100,
            "stock": 1,
            "picture_id": picture,
            "template_id": stage.template_id,
        },
    )
    stamps = wait_until(
        {str(v.viewer_id): _arrived(v, "fence") for v in stage.viewers},
        STEP_TIMEOUT,
    )
    if len(stamps) != len(stage.viewers):
        samples.problems.append("the fence flash-buy did not reach every viewer")


def activate(window: QWidget) -> bool:
    window.activateWindow()
    window.raise_()
    stamps = wait_until({"active": lambda: QApplication.activeWindow() is window}, 10)
    return "active" in stamps


def reading_switch(capture: Any) -> Callable[[bool], None] | None:
    """The console's switch for reading the card after a capture (None: it cannot read)."""
    switch = getattr(capture, "set_reading", None)
    if not callable(switch) or not hasattr(capture, "card_read"):
        return None
    return switch  # type: ignore[no-any-return]


def run_console(
    stage: Stage, args: argparse.Namespace, samples: Samples, frame: Any, scene: DeskScene
) -> None:
    from flashbuy_desktop.api.client import PlatformClient
    from flashbuy_desktop.services.capture_service import CaptureService
    from flashbuy_desktop.services.tasks import Tasks
    from flashbuy_desktop.ui.main_window import MainWindow

    tasks = Tasks()
    capture = CaptureService(frame, tasks)  # the real engine (loaded on first use)
    client = PlatformClient(f"http://{HOST}:{stage.port}", stage.token, session=new_session())
    window = MainWindow(client, tasks, frame=frame, capture=capture)
    window.move(0, 0)
    window.show()
    try:
        if not activate(window):
            raise RuntimeError("the main window never became active (F2 goes to it)")
        window.load()
        reading = reading_switch(capture)
        if reading is not None:
            reading(True)  # so that the warm-up loads the reader too
        capture.warm_up()
        if reading is not None:
            reading(False)  # the typed flows: a fill would race their keys
        stamps = wait_until(
            {"connected": lambda: window.header.connection.property("state") == "connected"},
            STEP_TIMEOUT,
        )
        must(stamps, ["connected"], "the console following the room")
        driver = Driver(window, stage, samples, scene)
        if reading is not None:
            capture.card_read.connect(
                lambda _result, read: driver.reads.append((time.perf_counter(), read))
            )
            capture.card_read_failed.connect(
                lambda _result: driver.reads.append((time.perf_counter(), None))
            )
        else:
            samples.two.available = "not available: the console under test does not read cards"
        for n in range(WARM_UP):
            driver.full(n + 1, measured=False)
        began = time.perf_counter()
        deadline = began + args.max_seconds
        for n in range(args.count):
            if time.perf_counter() > deadline:
                samples.notes.append(f"full: stopped after {n} at the {args.max_seconds:.0f} s cap")
                break
            driver.full(n + 1, measured=True)
        if reading is not None and args.two_actions:
            reading(True)
            cards = host_cards(driver.highest + 1)
            began = time.perf_counter()
            for n in range(args.two_actions):
                if time.perf_counter() > began + args.max_seconds:
                    samples.notes.append(
                        f"two actions: stopped after {n} at the {args.max_seconds:.0f} s cap"
                    )
                    break
                driver.two_actions(next(cards), measured=True)
            reading(False)
            show_card(scene, TYPED_CARD)
        titles: dict[str, int] = {}
        for k in range(args.targeted):
            if time.perf_counter() > deadline + args.max_seconds / 3:
                samples.notes.append(f"targeted: stopped after {k} at the time cap")
                break
            driver.targeted(k, titles)
        fence(stage, samples)
        for viewer in stage.viewers:
            for title, target in titles.items():
                if viewer.viewer_id != target and viewer.arrival(title) is not None:
                    samples.leaks += 1
        if samples.leaks:
            samples.problems.append(f"{samples.leaks} targeted offers reached other viewers")
    finally:
        if window.new_dialog is not None:
            window.new_dialog.reject()
        # A newer console asks before quitting during a live; the benchmark decides (an
        # older one has no such question and no close_quietly).
        getattr(window, "close_quietly", window.close)()
        QApplication.processEvents()
        tasks.wait()
        client.close()


def measure(
    backend: str, args: argparse.Namespace, scratch: Path, frame: Any, scene: DeskScene
) -> Section:
    section = Section(database_name(backend))

    def say(text: str) -> None:
        print(f"[{backend}] {text}", flush=True)

    total = WARM_UP + args.count + args.two_actions + 1  # full flash-buys, with the fence
    products = math.ceil(total / QUOTA_FULL_DEFAULT) + 1
    with fresh_database(backend, scratch, "platform") as url:
        server = PlatformServer(url, serve=serve_arranging)
        stage: Stage | None = None
        try:
            stage, section.version = arrange(server, args.viewers, products)
            say(
                f"{section.version}; platform at {server.base}, pid {server.pid}; "
                f"{len(stage.product_ids)} products, {args.viewers} viewer streams open"
            )
            server_cpu = cpu_seconds(server.pid)
            own_cpu = own_cpu_seconds()
            wall = time.perf_counter()
            try:
                run_console(stage, args, section.samples, frame, scene)
            except Exception as exc:
                traceback.print_exc()
                section.samples.problems.append(f"the run failed: {exc!r}")
            now = cpu_seconds(server.pid)
            spent = "?" if now is None or server_cpu is None else f"{now - server_cpu:.1f}"
            section.samples.notes.append(
                f"{time.perf_counter() - wall:.1f} s wall; CPU: platform {spent} s, "
                f"console (window, capture, viewer threads) {own_cpu_seconds() - own_cpu:.1f} s"
            )
        finally:
            if stage is not None:
                for viewer in stage.viewers:
                    viewer.close()
                for session in [stage.creator, *stage.viewer_sessions]:
                    session.close()
            server.stop()
    return section


# --- output ---------------------------------------------------------------------------------


def row(db: str, what: str, values: list[float], aim: float | None, note: str = "") -> list[str]:
    p99 = percentile(values, 99)
    within = "" if aim is None or not values else ("yes" if p99 <= aim else "NO")
    return [
        db,
        what,
        str(len(values)),
        f"{percentile(values, 50):.1f}",
        f"{p99:.1f}",
        f"{max(values):.1f}" if values else "nan",
        f"{aim:.0f}" if aim is not None else "",
        within,
        note,
    ]


def two_rows(db: str, two: TwoActions, args: argparse.Namespace) -> list[list[str]]:
    """The table's rows for the flash-buys in two actions (or why there are none)."""
    if two.available or not args.two_actions:
        why = two.available or "not run (--two-actions 0)"
        return [[db, "(d)-(f) two actions (F2, Enter)", "", "", "", "", "", "", why]]
    done = f"in two actions {two.in_two}/{two.total}"
    wrong = f"wrong prices published {two.wrong_price_published}"
    empty = f"price left empty {two.price_empty}/{two.total}"
    return [
        row(db, "(d) two actions: F2 -> picture, reading on", two.picture, 250, "compare (b)"),
        row(db, "(e) two actions: F2 -> fields filled (card)", two.filled, None, empty),
        row(db, "    two actions: F2 -> the read ended", two.read_ended, None),
        row(db, "    the reader's own time per card", two.reader_ms, None, "elapsed_ms"),
        row(db, "(f) two actions: Enter -> invitation", two.invitation, 150, f"{done}; {wrong}"),
        row(db, "    two actions: Enter -> console has it", two.created, None),
    ]


def two_lines(two: TwoActions) -> None:
    """The counts of the flash-buys in two actions, and each one that was not."""
    if two.available:
        print(f"  two actions (F2, Enter; OCR of the card): {two.available}")
        return
    if not two.total:
        return
    first = "-" if two.first_filled is None else f"{two.first_filled:.1f} ms"
    print(
        f"  two actions (F2, Enter): done in two actions {two.in_two}/{two.total}; "
        f"wrong prices published {two.wrong_price_published} (must be 0); "
        f"wrong piece numbers published {two.wrong_piece_published}"
    )
    print(
        f"    price field left empty {two.price_empty} (the read failed {two.read_failed}, "
        f"no read ended {two.no_read}; the driver typed the card's price, keys lost "
        f"{two.keys_lost}); filled with another price {two.price_wrong_filled}; filled "
        f"but not a valid price {two.price_rejected}"
    )
    print(
        f"    piece field left empty {two.piece_empty} (typed by name); piece field not the "
        f"card's number {two.piece_not_card}; the first one's F2 -> filled {first}"
    )
    for miss in two.misses[:30]:
        print(f"    not in two actions or not the card's: {miss}")
    if len(two.misses) > 30:
        print(f"    ... and {len(two.misses) - 30} more")


def report(sections: list[Section], args: argparse.Namespace, screen: str) -> int:
    grid = [
        ["database", "measurement", "n", "p50 ms", "p99 ms", "max ms", "aim p99", "ok", "notes"]
    ]
    problems: list[str] = []
    for section in sections:
        if not section.measured:
            grid.append([section.name, "not measured (PGHOST is not set)", *[""] * 7])
            continue
        s = section.samples
        db = section.name
        viewers = f"{args.viewers} viewers x flash-buys"
        lost_full = f"keys lost {s.keys_lost['full']}/{s.keys_typed['full']}"
        lost_targeted = f"keys lost {s.keys_lost['targeted']}/{s.keys_typed['targeted']}"
        off = "no reading" if s.two.available else "reading off"
        grid += [
            row(
                db,
                "(a) full: Enter -> invitation at a viewer",
                s.invitation,
                150,
                f"{viewers}; {lost_full}",
            ),
            row(db, "    full: Enter -> slowest viewer of each", s.slowest_viewer, None),
            row(db, "    full: Enter -> console has it (created)", s.created, None),
            row(db, "    capture engine total (in (b) and +)", s.engine, None, "burst 3"),
            row(db, "    F2 or + -> form ready (products, tmpl)", s.ready, None),
            row(db, f"(b) full: F2 -> picture shown, {off}", s.picture, 250, lost_full),
            *two_rows(db, s.two, args),
            row(db, "(c) targeted: Enter -> named viewer has it", s.targeted, 150, lost_targeted),
            row(db, "    targeted: + -> picture shown", s.targeted_picture, None, lost_targeted),
            row(db, "    comment POST -> row in the console", s.comment_shown, None),
        ]
        steps = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in s.engine_steps.items() if v)
        warnings = dict(s.warnings) or "none"
        print(f"\n[{db}] {section.version}")
        print(f"  capture engine steps, median ms: {steps}")
        print(f"  capture warnings over all pictures: {warnings}")
        print(f"  product switches by the driver (quota used up): {s.product_switches}")
        print(
            f"  keys lost (the price typed to the focus missed the price field): "
            f"full {s.keys_lost['full']}/{s.keys_typed['full']}, "
            f"targeted {s.keys_lost['targeted']}/{s.keys_typed['targeted']}, "
            f"warm-up {s.keys_lost_warm_up}/{WARM_UP}"
        )
        for where, times in sorted(s.lost_to.items()):
            print(f"    the focus was on {where}: {times}")
        if s.keys_lost or s.keys_lost_warm_up:
            print(
                "    (each of those: price typed and Return pressed in the price field by name "
                "instead, so its latency is still measured)"
            )
        print(
            f"  piece numbers (件号, warm-up included): prefilled by the window "
            f"{s.pieces_prefilled} ({s.pieces_unexpected} not the one expected), typed by "
            f"name as setup {s.pieces_typed}; second Return after a repeat warning: "
            f"{s.repeat_enters}; repeated titles (not measured): {s.repeated_titles}"
        )
        print(f"  invitations missing: {s.missing}; targeted leaks: {s.leaks}")
        two_lines(s.two)
        for note in s.notes:
            print(f"  {note}")
        problems += [f"[{db}] {p}" for p in s.problems]
        if s.missing:
            problems.append(f"[{db}] {s.missing} invitations never arrived")
        if s.repeated_titles:
            problems.append(f"[{db}] {s.repeated_titles} flash-buys repeated a title")
        if s.two.wrong_price_published:
            problems.append(
                f"[{db}] {s.two.wrong_price_published} flash-buys published another price "
                "than the card's"
            )
    print()
    print("Operator's actions, full flash-buy: F2, type the price, Enter (3 actions)")
    print(
        "Operator's actions, comment -> targeted invitation: click + on the comment, "
        "type the price, Enter (3 actions)"
    )
    if any(section.samples.two.total for section in sections):
        print(
            "Operator's actions, full flash-buy from the card's reading: F2, Enter "
            "(2 actions); the full and targeted flows with the reading off"
        )
    print(
        "  (price and Enter go to the widget with the keyboard focus; the driver types a "
        "piece number, 件号, by name only when the window left it empty, outside every "
        "timed interval)"
    )
    print(
        f"settings: --count {args.count}, --two-actions {args.two_actions}, "
        f"--targeted {args.targeted}, --viewers {args.viewers}, "
        f"warm-up {WARM_UP}; full quota {QUOTA_FULL_DEFAULT} per product (platform default, "
        "unchanged): more products, the driver picks one with quota left; capture engine "
        "default config (burst 3, 33 ms apart); platform in a child process"
    )
    print(
        f"{screen}; Python {pyplatform.python_version()}; "
        f"Qt platform {QGuiApplication.platformName()}"
    )
    print(f"console code: {console_code()}")
    print(cores_line())
    print()
    print(text_table(grid))
    if problems:
        print("\nproblems:\n  " + "\n  ".join(problems))
        return 1
    return 0


# --- main -----------------------------------------------------------------------------------


def show_scene(app: QApplication) -> tuple[DeskScene, Any, str]:
    """The scene strip and the capture frame over it; waits until the card is on the screen."""
    from flashbuy_desktop.ui.capture_frame import CaptureFrame

    screen = QGuiApplication.primaryScreen()
    geometry = screen.geometry()
    if geometry.width() < 1280 + STRIP or geometry.height() < 800:
        raise SystemExit(
            f"the screen is {geometry.width()}x{geometry.height()}; needs 1920x1080: "
            "run under xvfb-run -a -s '-screen 0 1920x1080x24'"
        )
    left = geometry.width() - STRIP
    scene = DeskScene(CARD, QPointF(440, 400), (140, 95), focus=False)
    scene.setGeometry(left, 0, STRIP, geometry.height())
    scene.show()
    frame = CaptureFrame()
    frame.set_capture_rect(CAPTURE.translated(left, 0))
    frame.show()
    ratio = screen.devicePixelRatio()
    try:
        show_card(scene, TYPED_CARD)
    except RuntimeError as exc:
        raise SystemExit(f"the scene never reached the screen: {exc}") from exc
    text = (
        f"screen {geometry.width()}x{geometry.height()} (device pixel ratio {ratio}); "
        f"capture region {frame.region()}"
    )
    return scene, frame, text


def console_code() -> str:
    """Where the console under test comes from (PYTHONPATH may name an older checkout)."""
    import flashbuy_desktop

    return str(Path(flashbuy_desktop.__file__).resolve().parent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 full, 10 two-action, 5 targeted")
    parser.add_argument("--count", type=int, default=100, help="full flash-buys (100)")
    parser.add_argument("--targeted", type=int, default=20, help="targeted flash-buys (20)")
    parser.add_argument(
        "--two-actions",
        type=int,
        help="flash-buys in two actions from the card's reading (as many as --count; 0: none)",
    )
    parser.add_argument("--viewers", type=int, default=5, help="viewers with a stream (5)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one database only")
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="cap on the full flash-buys' time (120)"
    )
    args = parser.parse_args()
    if args.quick:
        args.count, args.targeted = min(args.count, 10), min(args.targeted, 5)
    if args.two_actions is None:
        args.two_actions = args.count
    if not (
        1 <= args.count <= 1000
        and 0 <= args.targeted <= 200
        and 0 <= args.two_actions <= 1000
        and 1 <= args.viewers <= 50
    ):
        parser.error("--count 1..1000, --two-actions 0..1000, --targeted 0..200, --viewers 1..50")
    if not os.environ.get("DISPLAY"):
        print("needs an X server: run under xvfb-run -a -s '-screen 0 1920x1080x24'")
        return 2
    app = QApplication(sys.argv[:1])
    print(f"console code: {console_code()}", flush=True)
    scene, frame, screen = show_scene(app)
    print(f"{screen}; {cores_line()}", flush=True)
    try:
        sections = each_database(
            args.only,
            lambda backend, scratch: measure(backend, args, scratch, frame, scene),
            lambda: Section("PostgreSQL", measured=False),
        )
    finally:
        frame.close()
        scene.close()
    return report(sections, args, screen)


if __name__ == "__main__":
    sys.exit(main())

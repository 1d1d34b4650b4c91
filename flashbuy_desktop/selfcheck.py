"""``flashbuy --self-check``: start the console as a seller would, check it, report, quit.

Made for the packaged console (``build_spec.py``), where a module, a Qt plugin or a data
file left out of the bundle only shows when the program runs. The check starts the real
console with a new seller's default settings: ``platform`` (the embedded platform with the
demo, and the sign-in), ``window`` (the main window shown), ``room`` (its room loaded and the
event stream connected) and ``audience`` (every rehearsal viewer joined, over httpx). Its data
lives in a temporary folder and its token in memory, so it never touches the user's data,
settings or keyring items. Then it checks the parts that packaging breaks:

* ``translations``: for each language, the console's catalog and Qt's ``qtbase`` catalog
  install through :mod:`flashbuy_desktop.services.i18n` and translate;
* ``capture``: OpenCV and numpy run the capture engine on a small synthetic picture;
* ``card_read``: the card reader (PP-OCR's models and configs inside the ``rapidocr``
  package, run by onnxruntime's libraries) reads that picture's card: piece "3" and price
  "1288", both sure enough to fill the fields (a build that lost a model file fails here);
* ``picture``: the embedded platform takes that JPEG (Pillow) and Qt's JPEG plugin reads it;
* ``grab``: mss grabs a small region of the screen (skipped where there is no screen);
* ``migrations``: the embedded platform's database carries Alembic's revision;
* ``keyring``: which backend the system offers (reported, never required: a machine
  without a Secret Service is a normal place for the console to run).

It prints one JSON line to stdout (each check's result and the timings, among them process
start to main window shown) and exits 0 only if every required check passed; otherwise 1,
with the failing checks named on stderr. It never hangs: after ``timeout_s`` it reports what
it has as a failure and quits, and a watchdog thread ends the process a little later still
if quitting itself hangs (exit code 3).
"""

import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.diagnostics.atomic import write_atomic
from flashbuy_desktop.diagnostics.crash import Crash

log = logging.getLogger(__name__)

TIMEOUT_S = 60.0  # the whole check, start to report
HARD_EXIT_GRACE_S = 15.0  # after the report, quitting may take this long before a hard exit
POLL_MS = 20  # how often the room and the audience are looked at while waiting for them
HARD_EXIT_CODE = 3
# A string of Qt's own dialogs and its zh_CN translation: proves the catalog is Qt's and works.
QT_PROBE = ("QPlatformTheme", "Cancel", "取消")
# Platforms with no screen that mss could read: grabbing is skipped there, not failed.
NO_SCREEN_PLATFORMS = ("offscreen", "minimal", "vnc", "wayland")
JPEG_MAGIC = b"\xff\xd8\xff"


def process_age_s() -> float | None:
    """Seconds since the operating system started this process, where that can be read.

    Linux reads ``/proc/self/stat`` (10 ms resolution), Windows asks GetProcessTimes; on
    other systems the answer is None and the report measures from the check's own start.
    """
    try:
        if sys.platform.startswith("linux"):
            stat = Path("/proc/self/stat").read_text(encoding="ascii")
            # Fields after "(comm)", which may itself hold spaces; starttime is field 22.
            started_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
            since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
            return max(0.0, since_boot - started_ticks / os.sysconf("SC_CLK_TCK"))
        if sys.platform == "win32":
            return _windows_process_age_s()
    except (OSError, ValueError, IndexError, AttributeError):
        log.debug("the process start time cannot be read", exc_info=True)
    return None


if sys.platform == "win32":

    def _windows_process_age_s() -> float:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32
        created, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
        if not kernel32.GetProcessTimes(
            kernel32.GetCurrentProcess(),
            ctypes.byref(created),
            ctypes.byref(exited),
            ctypes.byref(kernel),
            ctypes.byref(user),
        ):
            raise OSError("GetProcessTimes failed")
        kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

        def ticks(ft: wintypes.FILETIME) -> int:  # 100 ns units
            return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

        return max(0.0, (ticks(now) - ticks(created)) / 1e7)


@dataclass
class Check:
    """One thing checked: whether it passed, whether it must, and what was seen."""

    ok: bool
    required: bool = True
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The check as it appears in the report."""
        return {"ok": self.ok, "required": self.required, **self.detail}


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Hold back ``logger``'s warnings for the duration (errors still show)."""
    quieted = logging.getLogger(logger)
    level = quieted.level
    quieted.setLevel(logging.ERROR)
    try:
        yield
    finally:
        quieted.setLevel(level)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


# --- the checks that need no console -----------------------------------------------------


def _probe_message(catalog_dir: Path, language: str) -> tuple[str, str, str] | None:
    """A (context, source, translation) finished in the ``language`` catalog's .ts source."""
    try:
        root = ElementTree.parse(catalog_dir / f"flashbuy_{language}.ts").getroot()  # noqa: S314 - our own file
    except (OSError, ElementTree.ParseError):
        return None
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source")
            if (
                source
                and translation is not None
                and translation.text
                and translation.get("type") is None  # not unfinished, vanished or obsolete
                and message.get("numerus") != "yes"
                and message.find("comment") is None  # no disambiguation to pass along
                and translation.text != source
            ):
                return name, source, translation.text
    return None


def check_translations(app: QCoreApplication, shown: str) -> Check:
    """Each language's catalogs (ours and Qt's ``qtbase``) load and translate.

    Installs every language in turn through :mod:`flashbuy_desktop.services.i18n`, as the console
    does, and puts ``shown`` (the language the console runs in) back at the end.
    """
    from flashbuy_desktop.services import i18n

    catalog_dir = Path(i18n.catalog_dir())
    detail: dict[str, Any] = {}
    ok = True
    try:
        for language in i18n.LANGUAGES:
            names = sorted(Path(t.filePath()).name for t in i18n.install(app, language))
            seen: dict[str, Any] = {"catalogs": names}
            ok = ok and names == sorted((f"flashbuy_{language}.qm", f"qtbase_{language}.qm"))
            if language == "zh_CN":
                context, source, expected = QT_PROBE
                seen["qt_translates"] = QCoreApplication.translate(context, source) == expected
                ok = ok and seen["qt_translates"]
            probe = _probe_message(catalog_dir, language)
            if probe is not None:
                context, source, expected = probe
                seen["translates"] = QCoreApplication.translate(context, source) == expected
                ok = ok and seen["translates"]
            detail[language] = seen
    finally:
        i18n.install(app, shown)
    detail["shown"] = shown
    return Check(ok, detail=detail)


# What the synthetic desk's card says, and what the card reader must make of it. OpenCV's
# Hershey fonts are drawn from strokes built into cv2: no font file the build could lose.
CARD_LINES = ("No.3", "1288")
CARD_PIECE, CARD_PRICE = "3", "1288"


def _synthetic_desk(width: int = 900, height: int = 500) -> Any:
    """A dark cloth, a white order card ("No.3" over "1288") and a jade piece (BGR)."""
    import cv2
    import numpy as np

    cloth = np.full((height, width, 3), (40, 38, 36), np.uint8)
    noise = np.random.default_rng(0).integers(0, 6, cloth.shape, dtype=np.uint8)
    frame = np.asarray(cv2.add(cloth, noise), dtype=np.uint8)  # a little grain, as a camera has
    x, y, w, h = 80, 120, 240, 160
    cv2.rectangle(frame, (x, y), (x + w - 1, y + h - 1), (245, 248, 250), cv2.FILLED)
    piece, price = CARD_LINES
    ink = (20, 20, 20)
    cv2.putText(frame, piece, (x + 24, y + 58), cv2.FONT_HERSHEY_DUPLEX, 1.3, ink, 2, cv2.LINE_AA)
    cv2.putText(frame, price, (x + 24, y + 130), cv2.FONT_HERSHEY_DUPLEX, 1.9, ink, 3, cv2.LINE_AA)
    cv2.ellipse(frame, (600, 260), (140, 90), 15, 0, 360, (70, 160, 60), cv2.FILLED, cv2.LINE_AA)
    return frame


def check_capture_and_publish(client: PlatformClient) -> dict[str, Check]:
    """``capture``: OpenCV and numpy find the card in a synthetic picture and encode a JPEG;
    ``picture``: the embedded platform takes that JPEG (Pillow, on its side) and gives it back,
    and Qt's JPEG plugin decodes it, as the flash-buy table shows it.

    Blocking (a few tenths of a second): run it off the GUI thread.
    """
    import cv2
    import numpy as np

    from flashbuy_desktop.capture.engine import CaptureEngine
    from flashbuy_desktop.capture.types import CaptureConfig, Region

    frame = _synthetic_desk()
    height, width = frame.shape[:2]
    began = time.monotonic()
    engine = CaptureEngine(CaptureConfig(burst=1), grabber=lambda _region: frame)
    result = engine.capture(Region(0, 0, width, height))
    decoded = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    capture = Check(
        result.jpeg.startswith(JPEG_MAGIC)
        and result.card is not None
        and decoded is not None
        and decoded.shape[:2] == (result.height, result.width),
        detail={
            "card_found": result.card is not None,
            "jpeg_bytes": len(result.jpeg),
            "opencv": cv2.__version__,
            "numpy": np.__version__,
            "ms": round((time.monotonic() - began) * 1000, 1),
        },
    )
    began = time.monotonic()
    picture = client.upload_picture(result.jpeg)
    image = QImage.fromData(client.picture(picture.id))  # QImage: allowed off the GUI thread
    size = (image.width(), image.height())
    published = Check(
        not image.isNull()
        and size == (result.width, result.height)
        and (picture.width, picture.height) == size,
        detail={
            "platform_size": [picture.width, picture.height],
            "qt_size": list(size),
            "ms": round((time.monotonic() - began) * 1000, 1),
        },
    )
    return {"capture": capture, "picture": published}


def check_card_read() -> Check:
    """``card_read``: the capture cuts the synthetic desk's card and the card reader reads it.

    A reader of its own, loaded here (the console's may be warming up at the same time): the
    models, their configs and onnxruntime's libraries must all be in the build, and the
    values sure enough to fill the fields. Blocking (the model loads): off the GUI thread.
    """
    from flashbuy_desktop.capture.card_reading import CardReader, ReadValue
    from flashbuy_desktop.capture.engine import CaptureEngine
    from flashbuy_desktop.capture.types import CaptureConfig, Region

    frame = _synthetic_desk()
    height, width = frame.shape[:2]
    result = CaptureEngine(CaptureConfig(burst=1), grabber=lambda _region: frame).capture(
        Region(0, 0, width, height)
    )
    if result.card_image is None:
        return Check(False, detail={"error": "the capture cut no card image to read"})
    reader = CardReader()
    began = time.perf_counter()
    reader.load()
    load_ms = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    reading = reader.read(result.card_image)
    read_ms = (time.perf_counter() - began) * 1000
    piece, price = reading.sure_piece(), reading.sure_price()

    def seen(value: ReadValue | None, sure: ReadValue | None) -> dict[str, Any] | None:
        if value is None:
            return None
        confidence = round(float(value.confidence), 3)
        return {"text": value.text, "confidence": confidence, "sure": sure is not None}

    return Check(
        piece is not None
        and piece.text == CARD_PIECE
        and price is not None
        and price.text == CARD_PRICE,
        detail={
            "engine": reading.engine,
            "piece": seen(reading.piece, piece),
            "price": seen(reading.price, price),
            "lines": [line.text for line in reading.lines],
            "load_ms": round(load_ms, 1),
            "read_ms": round(read_ms, 1),
            "engine_ms": round(reading.elapsed_ms, 1),
        },
    )


def check_grab() -> Check:
    """mss: a small region of the screen, as the capture frame would grab it (blocking)."""
    from flashbuy_desktop.capture.grab import close_thread_grabber, grab
    from flashbuy_desktop.capture.types import Region

    began = time.monotonic()
    try:
        pixels = grab(Region(0, 0, 32, 32))
    finally:
        close_thread_grabber()  # a pool thread outlives this check: release its X connection
    ok = pixels.ndim == 3 and pixels.shape[2] == 4 and pixels.size > 0
    return Check(
        ok,
        detail={
            "shape": list(pixels.shape),
            "ms": round((time.monotonic() - began) * 1000, 1),
        },
    )


def check_keyring() -> Check:
    """Which keyring backend this system offers; reported, not required (blocking: D-Bus)."""
    import keyring

    from flashbuy_desktop.composition.credentials import TokenStore

    backend = keyring.get_keyring()
    with _quiet(TokenStore.__module__):  # its warning is for sellers; here it is the answer
        store = TokenStore(backend=backend)  # reads no token: only asks whether it would persist
    return Check(
        True,
        required=False,
        detail={
            "backend": f"{type(backend).__module__}.{type(backend).__name__}",
            "persistent": store.persistent,
        },
    )


def check_migrations(data_dir: Path) -> Check:
    """The embedded platform's SQLite database carries Alembic's revision (blocking)."""
    import sqlite3

    databases = sorted(data_dir.glob("*.sqlite3"))
    if not databases:
        return Check(False, detail={"error": f"no database in {data_dir}"})
    conn = sqlite3.connect(f"file:{databases[0]}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    finally:
        conn.close()
    revisions = [str(row[0]) for row in rows]
    return Check(
        len(revisions) == 1 and bool(revisions[0]),
        detail={"revision": revisions[0] if revisions else None, "tables": int(tables[0])},
    )


# --- the run ------------------------------------------------------------------------------


def check_log(directory: Path) -> Check:
    """The rotating log file was written (the console's start is in it)."""
    from flashbuy_desktop.diagnostics import logs

    path = logs.log_file(directory)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Check(False, detail={"error": _error_text(exc)})
    return Check(size > 0, detail={"bytes": size})


class SelfCheck(QObject):
    """Drives one console through its start, runs the checks, and reports once."""

    def __init__(self, app: QApplication, scratch: Path, timeout_s: float = TIMEOUT_S) -> None:
        super().__init__(app)
        from flashbuy_desktop.services.tasks import Tasks

        self.app = app
        self.scratch = scratch
        self.timeout_s = timeout_s
        self.entered = time.monotonic()
        age = process_age_s()
        # Process start on the monotonic clock; without it, this check's start stands in.
        self.process_started = self.entered - age if age is not None else None
        self.checks: dict[str, Check] = {}
        self.crashes: list[Crash] = []  # uncaught exceptions, from any thread
        self.pending: set[str] = set()
        self.marks: dict[str, float] = {}
        self.stream_state = ""
        self.report: dict[str, Any] | None = None
        self.language = "en"  # the console's language, once start() has chosen it
        self.exit_code = 1
        self.tasks = Tasks(self)
        self.console: Any = None  # flashbuy_desktop.composition.app.Console, once started
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)
        self._waiting_for: set[str] = set()

    # --- starting ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the console as ``flashbuy`` does, with scratch data and an in-memory token."""
        import keyring.backends.fail

        from flashbuy_desktop.composition.app import Console
        from flashbuy_desktop.composition.credentials import TokenStore
        from flashbuy_desktop.services import i18n
        from flashbuy_desktop.settings import ConsoleSettings

        QTimer.singleShot(round(self.timeout_s * 1000), self._timed_out)
        # A backend that refuses every call: the store keeps the token in memory only. It
        # says so in a warning meant for a seller without a keyring; here it is the plan.
        with _quiet(TokenStore.__module__):
            tokens = TokenStore(backend=keyring.backends.fail.Keyring())
        settings = ConsoleSettings()  # the defaults a new seller starts with
        # The console's language, installed before any window is built, as the console does.
        self.language = i18n.resolve(settings.language)
        i18n.install(self.app, self.language)
        self.console = Console(
            settings,
            tokens,
            data_path=self.scratch / "data",
            settings_path=self.scratch / "settings.json",
        )
        self.pending = {"platform", "window", "room"}
        self.console.ready.connect(self._window_shown)
        self.console.failed.connect(self._console_failed)
        self.app.aboutToQuit.connect(self.console.shutdown)
        self.console.start()

    def _console_failed(self, why: str) -> None:
        self.stop_waiting(why)

    def _window_shown(self) -> None:
        console = self.console
        self.marks["window"] = time.monotonic()
        embedded = console.embedded
        self._done(
            "platform",
            Check(
                embedded is not None and embedded.demo is not None and bool(console.client.token),
                detail={"demo_room": embedded.demo.room_id if embedded and embedded.demo else None},
            ),
        )
        window = console.window
        self._done("window", Check(window is not None and window.isVisible()))
        if window is None:
            self._done("room", Check(False, detail={"error": "no main window"}))
            return
        window.sync.stateChanged.connect(self._stream_changed)
        self._waiting_for = {"room"}
        if embedded is not None and console.settings.rehearsal_audience:
            self.pending.add("audience")
            self._waiting_for.add("audience")
        self._poll.start()

    def _stream_changed(self, state: str, _why: str) -> None:
        self.stream_state = state

    def _look(self) -> None:
        """While waiting: has the room loaded and its stream connected; has the audience come?"""
        from flashbuy_desktop.api.events import StreamState

        window = self.console.window
        if "room" in self._waiting_for and window is not None:
            room = window.room
            if (
                room is not None
                and window.panel.room_id == room.id
                and self.stream_state == StreamState.CONNECTED.value
            ):
                self.marks["room"] = time.monotonic()
                self._waiting_for.discard("room")
                self._run_checks()  # first: they join the pending ones before "room" is done
                self._done(
                    "room",
                    Check(True, detail={"room": room.id, "status": str(room.status)}),
                )
        embedded = self.console.embedded
        audience = embedded.audience if embedded is not None else None
        if "audience" in self._waiting_for and (audience is None or audience.ready.is_set()):
            self._waiting_for.discard("audience")
            stats = audience.stats if audience is not None else None
            viewers = audience.config.viewers if audience is not None else 0
            self._done(
                "audience",
                Check(
                    stats is not None and stats.joined == viewers,
                    detail={
                        "viewers": viewers,
                        "joined": stats.joined if stats else 0,
                        "errors": stats.errors if stats else 0,
                    },
                ),
            )
        if not self._waiting_for:
            self._poll.stop()

    def _run_checks(self) -> None:
        """The packaging checks, once the console is up (so they do not slow its start)."""
        platform_name = QGuiApplication.platformName()
        client = self.console.client
        data = self.scratch / "data"
        background: dict[tuple[str, ...], Callable[[], dict[str, Check]]] = {
            ("capture", "picture"): lambda: check_capture_and_publish(client),
            ("card_read",): lambda: {"card_read": check_card_read()},
            ("keyring",): lambda: {"keyring": check_keyring()},
            ("migrations",): lambda: {"migrations": check_migrations(data)},
        }
        if platform_name in NO_SCREEN_PLATFORMS:
            self.checks["grab"] = Check(
                True,
                required=False,
                detail={"skipped": f"the {platform_name} platform has no screen to grab"},
            )
        else:
            background[("grab",)] = lambda: {"grab": check_grab()}
        for names, work in background.items():
            self.pending.update(names)
            self._in_background(names, work)
        self._done("translations", check_translations(self.app, self.language))
        self._done("log", check_log(self.scratch / "log"))

    def _in_background(self, names: tuple[str, ...], work: Callable[[], dict[str, Check]]) -> None:
        def succeeded(checks: dict[str, Check]) -> None:
            for name in names:
                self._done(name, checks.get(name) or Check(False, detail={"error": "not run"}))

        def failed(error: Exception) -> None:
            for name in names:
                detail = {"error": _error_text(error)}
                self._done(name, Check(False, required=name != "keyring", detail=detail))

        self.tasks.run(work, succeeded, failed)

    # --- reporting -----------------------------------------------------------------------

    def _done(self, name: str, check: Check) -> None:
        # When each check ended, after the check's start: what a slow one costs shows.
        check.detail.setdefault("done_ms", round((time.monotonic() - self.entered) * 1000, 1))
        self.checks[name] = check
        self.pending.discard(name)
        if not self.pending and self.report is None:
            self._finish()

    def _timed_out(self) -> None:
        if self.report is None:
            self.checks["timeout"] = Check(False, detail={"seconds": self.timeout_s})
            self.stop_waiting("not done in time")

    def stop_waiting(self, why: str) -> None:
        """Report now: every check still under way has failed for ``why``."""
        for name in sorted(self.pending):
            self.checks[name] = Check(False, detail={"error": why})
        self.pending.clear()
        self._finish()

    def build_report(self) -> dict[str, Any]:
        """What was checked and how long the start took, as one JSON-ready dict."""
        now = time.monotonic()
        crashes = list(self.crashes)
        self.checks["crashes"] = Check(
            not crashes, detail={"count": len(crashes), "first": [c.summary for c in crashes[:3]]}
        )
        failed = sorted(n for n, c in self.checks.items() if c.required and not c.ok)
        failed += sorted(n for n in self.pending if n not in failed)

        def ms(start: float | None, end: float | None) -> float | None:
            if start is None or end is None:
                return None
            return round((end - start) * 1000, 1)

        window, room = self.marks.get("window"), self.marks.get("room")
        return {
            "selfcheck": "flashbuy",
            "ok": not failed and bool(self.checks),
            "failed": failed,
            "frozen": bool(getattr(sys, "frozen", False)),
            "qt_platform": QGuiApplication.platformName(),
            "timings_ms": {
                "process_start_to_window": ms(self.process_started, window),
                "process_start_to_check": ms(self.process_started, self.entered),
                "check_to_window": ms(self.entered, window),
                "window_to_room": ms(window, room),
                "total": ms(self.process_started or self.entered, now),
            },
            "checks": {name: check.as_json() for name, check in sorted(self.checks.items())},
        }

    def _finish(self) -> None:
        if self.report is not None:
            return
        self._poll.stop()
        report = self.report = self.build_report()
        self.exit_code = 0 if report["ok"] else 1
        write_report(report)
        if not report["ok"] and sys.stderr is not None:
            print("self-check failed: " + ", ".join(report["failed"]), file=sys.stderr)
        # Quit from the event loop, so the callbacks under way return first.
        QTimer.singleShot(0, self.app.quit)


def report_file() -> Path:
    """Where the report goes when there is no stdout (a windowed build on Windows)."""
    return Path(tempfile.gettempdir()) / "flashbuy-selfcheck.json"


def write_report(report: dict[str, Any]) -> None:
    """The report as one JSON line: on stdout, or atomically into :func:`report_file`."""
    line = json.dumps(report, ensure_ascii=False)
    if sys.stdout is not None:
        print(line, flush=True)
        return
    write_atomic(report_file(), (line + "\n").encode("utf-8"))


def _watchdog(check: SelfCheck, after_s: float) -> threading.Timer:
    """End the process if the check and its quitting take longer than ``after_s`` in all."""

    def hard_exit() -> None:
        try:
            shutil.rmtree(check.scratch, ignore_errors=True)  # os._exit skips every cleanup
            if check.report is None:
                check.checks["timeout"] = Check(False, detail={"seconds": after_s, "hard": True})
                write_report(check.build_report())
            if sys.stderr is not None:
                print(
                    f"self-check: still running after {after_s:.0f} s; ending it", file=sys.stderr
                )
                sys.stderr.flush()
        finally:  # whatever failed above (a closed pipe, say), the process ends
            os._exit(HARD_EXIT_CODE)

    timer = threading.Timer(after_s, hard_exit)
    timer.daemon = True
    timer.name = "self-check-watchdog"
    timer.start()
    return timer


def run_self_check(timeout_s: float = TIMEOUT_S) -> int:
    """Run the self-check in this process (it creates the QApplication); the exit code."""
    from flashbuy_desktop.diagnostics import crash, logs

    scratch = Path(tempfile.mkdtemp(prefix="flashbuy-selfcheck-"))
    # As the console does, but the log goes to the scratch folder and stderr stays quiet.
    logs.setup_logging(scratch / "log", stderr=False)
    logging.getLogger("flashbuy_desktop").info("self-check starting")
    hooks = crash.install()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("flashbuy")
    check = SelfCheck(app, scratch, timeout_s)
    # An exception nobody caught (a module the build left out, imported in a slot) fails it.
    hooks.add_listener(check.crashes.append)
    watchdog = _watchdog(check, timeout_s + HARD_EXIT_GRACE_S)
    try:
        check.start()
        app.exec()
    finally:
        watchdog.cancel()
        hooks.uninstall()
        logs.stop_logging()
        shutil.rmtree(scratch, ignore_errors=True)
    if check.report is None:  # the loop ended before the checks did (a window closed, say)
        check.stop_waiting("the console quit before this check was done")
    return check.exit_code

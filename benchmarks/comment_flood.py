"""A comment flood on the console: our comment list against the naive one, side by side.

A real live room on a real platform (127.0.0.1, a child process, SQLite in a scratch
folder) receives ``--rate`` comments per second (5,000) for ``--seconds`` (30). The
console side, in a child process of its own per variant, shows a real window (run it
under an X server: ``xvfb-run -a -s "-screen 0 1920x1080x24" python -m
benchmarks.comment_flood``; without one Qt draws offscreen, and the script says so)
and reads the room's SSE stream with the console's own ``EventStream`` on a thread:

* **ours**: ``CommentView``; the stream thread hands comments over through a
  ``CommentBridge`` (one queued wake-up per turn of the GUI event loop, however many
  comments came), a ``CommentFeed`` inserts them into the bounded ring model (5,000
  rows) once per 66 ms;
* **naive**: a ``QListWidget`` that adds one item per comment as it arrives, each
  comment delivered to the GUI thread on its own by a queued signal, followed by
  ``scrollToBottom()``, as straightforward code would do.

Measured on the console, over the same window of ``--seconds``: the GUI event loop's
lag (a 10 ms precise QTimer; lag = actual interval - 10 ms; p50/p99/max), the
process's resident memory (``/proc/self/statm``) at a third, two thirds and the end of
the run (10, 20, 30 s by default), comments read from the stream and delivered to
the GUI thread per second, and how long after the platform stamped a comment it was
put into the list (p50/p99). Aim: p99 lag <= 50 ms, memory flat once the ring is full.

How the flood is made: posting 5,000 comments a second over HTTP is beyond what one
Python process can send (every post is a request with authentication, idempotency
and its own transaction). So a thread inside the platform's process writes them
directly: every 20 ms, one transaction inserts the due comments into the ``comments``
table and appends their ``comment.posted`` events with the platform's own
``flashbuy_server.events.append_all``, through the platform's own ``Database`` whose
commit hook wakes the event streams, exactly as a posted comment does. The room, its
creator and its viewers are arranged as the tests do (accounts and catalogue through
the platform's functions, the rest over HTTP).

PySide6 6.12.0 under Python 3.11 releases a reference to ``None`` that it does not
own on every call of a Qt method returning nothing (and every ``None`` it returns),
and one to ``True`` on every ``Signal.emit``, so a busy GUI process aborts with
"Fatal Python error: none_dealloc" (or bool_dealloc) within seconds. Python 3.12 and
later are immune (these objects are immortal there). On older Pythons the console
processes of this benchmark first raise the reference counts of ``None``, ``True``
and ``False`` far out of reach (see :func:`keep_singletons_alive`) and say so.

    python -m benchmarks.comment_flood [--quick] [--seconds S] [--rate N] [--capacity N]
        [--only ours|naive]
"""

import argparse
import ctypes
import gc
import itertools
import math
import multiprocessing
import os
import platform as pyplatform
import queue
import sys
import tempfile
import threading
import time
import traceback
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from benchmarks._common import (
    HTTP_TIMEOUT,
    REGION,
    PlatformServer,
    cores_line,
    fresh_database,
    go_live,
    percentile,
    text_table,
)
from flashbuy_protocol.event_payloads import payload
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Comment

if TYPE_CHECKING:
    from flashbuy_server.db import Database
    from flashbuy_server.server import ServerThread

# The platform's modules are imported where the platform side runs, not here: every
# process re-imports this module, and a console process that also loaded the server's
# (SQLAlchemy, FastAPI, ...) would pay for their objects in every full garbage collection.
# benchmarks._common keeps to the same rule.

TICK_SECONDS = 0.02  # the generator writes one transaction this often
LAG_INTERVAL_MS = 10
VIEWERS = 24
PASSWORD = uuid.uuid4().hex  # the benchmark creator's, for this run only
VARIANTS = {"ours": "CommentView (ours)", "naive": "QListWidget, item per comment"}
# What viewers say in a jade live: about a third of it purchase intent.
TEXTS = (
    "主播好", "3号多少钱", "好漂亮", "要了", "这个种水不错", "#5", "晚上好", "号称冰种？",
    "拍了", "圈口多大", "No.7 什么价格", "我要", "手镯能再拿近点吗", "刚来，错过了什么",
    "2号链接", "颜色好正", "有证书吗", "8号我也要", "主播辛苦了", "价格美丽吗",
)  # fmt: skip


def keep_singletons_alive() -> bool:
    """Work around PySide6 6.12.0 on Python < 3.12: None, True, False out of reach of stray decrefs.

    Returns whether it was needed. (``ob_refcnt`` is the first field of every object.)
    """
    if sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    return True


def rss_mib() -> float:
    """This process's resident memory, from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Samples:
    """Up to ``capacity`` numbers in memory taken up front, so recording them grows no RSS."""

    def __init__(self, capacity: int) -> None:
        self._values = array("d", [0.0]) * capacity
        self.count = 0

    def add(self, value: float) -> None:
        if self.count < len(self._values):
            self._values[self.count] = value
            self.count += 1

    def values(self) -> list[float]:
        return self._values[: self.count].tolist()


# --- the platform, and the comment generator inside its process ---------------------------


class Generator(threading.Thread):
    """Writes ``rate`` comments a second into a room for ``seconds``, one transaction a tick."""

    def __init__(
        self,
        db: "Database",
        room_id: int,
        viewers: list[tuple[int, str]],
        rate: float,
        seconds: float,
    ) -> None:
        super().__init__(name="comment-generator", daemon=True)
        self.db = db
        self.room_id = room_id
        self.viewers = viewers
        self.rate = rate
        self.seconds = seconds
        self.written = 0
        self.elapsed = 0.0
        self.slowest_tick = 0.0
        self.error = ""

    def run(self) -> None:
        try:
            self._run()
        except Exception:
            self.error = traceback.format_exc()

    def _run(self) -> None:
        texts = itertools.cycle(TEXTS)
        who = itertools.cycle(self.viewers)
        most = max(1, int(self.rate * 0.5))  # never more than half a second's worth at once
        start = time.perf_counter()
        next_tick = start
        while True:
            now = time.perf_counter()
            if now - start >= self.seconds:
                break
            due = min(int(self.rate * (now - start)) - self.written, most)
            if due > 0:
                began = time.perf_counter()
                self._write([(next(who), next(texts)) for _ in range(due)])
                self.written += due
                self.slowest_tick = max(self.slowest_tick, time.perf_counter() - began)
            next_tick += TICK_SECONDS
            time.sleep(max(0.0, next_tick - time.perf_counter()))
        self.elapsed = time.perf_counter() - start

    def _write(self, batch: list[tuple[tuple[int, str], str]]) -> None:
        from flashbuy_server import events
        from flashbuy_server.sqltypes import utcnow
        from flashbuy_server.tables import comments

        stamp = utcnow()
        rows = [
            {"room_id": self.room_id, "viewer_id": viewer_id, "text": text, "created_at": stamp}
            for (viewer_id, _nick), text in batch
        ]
        with self.db.write() as conn:
            ids = (
                conn.execute(
                    comments.insert().returning(comments.c.id, sort_by_parameter_order=True), rows
                )
                .scalars()
                .all()
            )
            events.append_all(
                conn,
                self.room_id,
                [
                    events.NewEvent(
                        EventType.COMMENT_POSTED,
                        Comment(
                            id=comment_id,
                            room_id=self.room_id,
                            viewer_id=viewer_id,
                            nickname=nickname,
                            text=text,
                            created_at=stamp,
                        ),
                    )
                    for comment_id, ((viewer_id, nickname), text) in zip(ids, batch, strict=True)
                ],
            )


def _generate_on_request(server: "ServerThread", pipe: Pipe) -> None:
    """In the platform's child process: generate floods on request, until told to stop."""
    generator: Generator | None = None
    try:
        while True:
            if pipe.poll(0.05):
                try:
                    message = pipe.recv()
                except EOFError:
                    break  # the parent went away
                if message[0] == "stop":
                    break
                if message[0] == "generate":
                    _kind, room_id, viewers, rate, seconds = message
                    generator = Generator(server.app.state.db, room_id, viewers, rate, seconds)
                    generator.start()
            if generator is not None and not generator.is_alive():
                pipe.send(
                    (
                        "generated",
                        {
                            "written": generator.written,
                            "seconds": generator.elapsed,
                            "slowest_tick": generator.slowest_tick,
                            "error": generator.error,
                        },
                    )
                )
                generator = None
    finally:
        if generator is not None:
            generator.seconds = 0  # ends at its next tick
            generator.join(10)


class PlatformProcess(PlatformServer):
    """The platform in a child process, with the comment generator in it."""

    def __init__(self, url: str) -> None:
        super().__init__(url, serve=_generate_on_request)

    def generate(
        self, room_id: int, viewers: list[tuple[int, str]], rate: float, seconds: float
    ) -> None:
        self.pipe.send(("generate", room_id, viewers, rate, seconds))

    def generated(self, timeout: float) -> dict[str, Any]:
        status, value = self.receive(timeout, "the comment generator did not finish in time")
        if status != "generated" or value["error"]:
            raise RuntimeError(f"the comment generator failed: {value}")
        return dict(value)


# --- arranging a live room ----------------------------------------------------------------


@dataclass
class Stage:
    """A creator live in a room, and viewers in it."""

    api: str
    token: str
    room_id: int
    viewers: list[tuple[int, str]] = field(default_factory=list)

    def last_event_id(self) -> int:
        resp = requests.get(f"{self.api}/rooms/{self.room_id}", timeout=HTTP_TIMEOUT)
        resp.raise_for_status()
        return int(resp.json()["last_event_id"])


def arrange(db: "Database", api: str) -> Stage:
    """Accounts and catalogue through the platform's functions; the live and viewers over HTTP."""
    live = go_live(db, api, "flood-creator", PASSWORD)
    with live.session:
        del live.session.headers["Authorization"]  # viewers join without the creator's token
        stage = Stage(api, live.token, live.room_id)
        nicknames = ["小翡翠", "珍珠控", "玉石爱好者", "阿花", "老王", "江南", "和田", "琥珀"]
        for i in range(VIEWERS):
            nickname = f"{nicknames[i % len(nicknames)]}{i}"
            joined = live.ok(
                "POST",
                f"/rooms/{live.room_id}/join",
                200,
                json={"nickname": nickname, "region": REGION},
            )
            stage.viewers.append((int(joined["viewer"]["id"]), nickname))
    return stage


# --- the console side (in a child process per variant) ------------------------------------


def _console_main(config: dict[str, Any], pipe: Pipe) -> None:
    try:
        result = _console_run(config, pipe)
    except Exception:
        pipe.send(("error", traceback.format_exc()))
    else:
        pipe.send(("result", result))
    finally:
        pipe.close()


def _console_run(config: dict[str, Any], pipe: Pipe) -> dict[str, Any]:
    patched = keep_singletons_alive()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, QTimer, Signal, Slot
    from PySide6.QtWidgets import QApplication, QListWidget, QWidget

    from flashbuy_desktop.api.client import PlatformClient
    from flashbuy_desktop.api.events import EventStream, StreamState
    from flashbuy_desktop.ui.comments import (
        CommentBridge,
        CommentFeed,
        CommentListModel,
        CommentView,
    )
    from flashbuy_protocol.models import Event

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    variant: str = config["variant"]
    seconds: float = config["seconds"]
    read = [0]  # comments the stream thread read (written by that thread only)
    delivered = [0]  # comments that reached the GUI thread
    # created_at -> put into the list, for every comment shown during the run
    delays_ms = Samples(int(config["rate"] * seconds * 1.2) + 1000)
    measuring = [False]
    deadline = [math.inf]

    gc_pauses: list[float] = []  # ms of every garbage collection during the run
    gc_began = [0.0]

    def on_gc(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            gc_began[0] = time.perf_counter()
        elif measuring[0]:
            gc_pauses.append((time.perf_counter() - gc_began[0]) * 1000)

    gc.callbacks.append(on_gc)

    def delay_from(created_at: datetime, now: datetime) -> None:
        if measuring[0]:
            delays_ms.add((now - created_at).total_seconds() * 1000)

    window: QWidget
    receiver: QObject
    on_event: Callable[[Event], None]
    rows: Callable[[], int]
    if variant == "ours":
        view = CommentView(CommentFeed(CommentListModel(config["capacity"])))
        bridge = CommentBridge(view.feed, parent=view)
        model = view.model

        def count(batch: list[Comment]) -> None:
            if measuring[0]:
                delivered[0] += len(batch)

        def inserted(_parent: QModelIndex, first: int, last: int) -> None:
            now = datetime.now(UTC)
            for row in range(first, last + 1):
                delay_from(model.comment(row).created_at, now)

        bridge.commentsArrived.connect(count)
        model.rowsInserted.connect(inserted)

        def ours_event(event: Event) -> None:
            if event.type is EventType.COMMENT_POSTED:
                read[0] += 1
            bridge.on_event(event)

        window, receiver, on_event, rows = view, bridge, ours_event, model.rowCount
    else:
        listing = QListWidget()

        class Relay(QObject):
            comment = Signal(object)

        class Sink(QObject):
            @Slot(object)
            def take(self, comment: Comment) -> None:
                if time.perf_counter() > deadline[0]:
                    return  # the run is over: let a backlog drain fast
                listing.addItem(f"{comment.nickname}：{comment.text}")
                listing.scrollToBottom()
                if measuring[0]:
                    delivered[0] += 1
                delay_from(comment.created_at, datetime.now(UTC))

        relay, sink = Relay(), Sink()
        relay.comment.connect(sink.take)  # emitted on the stream thread: delivered queued

        def naive_event(event: Event) -> None:
            if event.type is EventType.COMMENT_POSTED:
                read[0] += 1
                relay.comment.emit(payload(event))

        window, receiver, on_event, rows = listing, sink, naive_event, listing.count

    window.setWindowTitle(f"comment flood: {VARIANTS[variant]}")
    window.setGeometry(40, 40, 480, 900)
    window.show()

    states: queue.Queue[StreamState] = queue.Queue()
    client = PlatformClient(config["base"], config["token"])
    client.session.trust_env = False
    stream = EventStream(
        client,
        config["room_id"],
        after=config["after"],
        on_event=on_event,
        on_state=lambda state, _why: states.put(state),
    )
    reader = threading.Thread(target=stream.run, name="room-events", daemon=True)
    reader.start()
    try:
        give_up = time.monotonic() + 30
        while True:
            app.processEvents()
            try:
                state = states.get(timeout=0.05)
            except queue.Empty:
                state = None
            if state is StreamState.CONNECTED:
                break
            if state is StreamState.OFFLINE or time.monotonic() > give_up:
                raise RuntimeError(f"the event stream did not connect (last state {state})")

        lags = Samples(int(seconds * 1000 / LAG_INTERVAL_MS * 1.2) + 100)
        memory: list[tuple[float, float]] = []  # (seconds into the run, MiB)
        marks = [seconds * k / 3 for k in (1, 2, 3)]
        clock = {"start": 0.0, "last": 0.0}
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(LAG_INTERVAL_MS)

        def tick() -> None:
            now = time.perf_counter()
            lags.add((now - clock["last"]) * 1000 - LAG_INTERVAL_MS)
            clock["last"] = now
            elapsed = now - clock["start"]
            while marks and elapsed >= marks[0] - 0.005:
                marks.pop(0)
                memory.append((elapsed, rss_mib()))
            if elapsed >= seconds:
                timer.stop()
                app.quit()

        timer.timeout.connect(tick)
        rss_start = rss_mib()
        pipe.send(("ready", rss_start))
        clock["start"] = clock["last"] = time.perf_counter()
        deadline[0] = clock["start"] + seconds
        measuring[0] = True
        read_before = read[0]
        timer.start()
        app.exec()
        measuring[0] = False
        window_seconds = time.perf_counter() - clock["start"]
        read_count = read[0] - read_before
        shown = rows()
    finally:
        stream.stop()
        reader.join(15)
        QCoreApplication.removePostedEvents(receiver)  # a backlog of queued comments, if any
        window.close()
        client.close()
    if reader.is_alive():
        raise RuntimeError("the event-stream thread did not stop")
    return {
        "seconds": window_seconds,
        "read": read_count,
        "delivered": delivered[0],
        "rows": shown,
        "lags": lags.values(),
        "delays": delays_ms.values(),
        "rss_start": rss_start,
        "memory": memory,
        "platform": app.platformName(),
        "none_patched": patched,
        "gc_pauses": gc_pauses,
    }


def run_variant(
    platform: PlatformProcess, stage: Stage, variant: str, args: argparse.Namespace
) -> dict[str, Any]:
    """One console process showing ``variant`` while the room is flooded; its measurements."""
    config = {
        "variant": variant,
        "seconds": args.seconds,
        "rate": args.rate,
        "capacity": args.capacity,
        "base": platform.base,
        "token": stage.token,
        "room_id": stage.room_id,
        "after": stage.last_event_id(),
    }
    ctx = multiprocessing.get_context("spawn")
    pipe, child = ctx.Pipe()
    process = ctx.Process(
        target=_console_main, args=(config, child), name=f"console-{variant}", daemon=True
    )
    process.start()
    child.close()
    try:
        if not pipe.poll(90):
            raise RuntimeError(f"the {variant} console did not get ready within 90 s")
        status, value = pipe.recv()
        if status != "ready":
            raise RuntimeError(f"the {variant} console failed:\n{value}")
        platform.generate(stage.room_id, stage.viewers, args.rate, args.seconds)
        if not pipe.poll(args.seconds + 120):
            raise RuntimeError(f"the {variant} console did not finish in time")
        status, value = pipe.recv()
        if status != "result":
            raise RuntimeError(f"the {variant} console failed:\n{value}")
        result: dict[str, Any] = value
        result["generated"] = platform.generated(60)
        return result
    finally:
        process.join(30)
        if process.is_alive():
            print(f"  the {variant} console did not exit; terminating it", flush=True)
            process.terminate()
            process.join(10)
        pipe.close()


# --- output -------------------------------------------------------------------------------


def cells(result: dict[str, Any] | None, seconds: float) -> list[str]:
    if result is None:
        return ["-"] * 14
    gen = result["generated"]
    span = result["seconds"]
    lags, delays = result["lags"], result["delays"]
    memory = [f"{mib:.0f} (at {at:.0f} s)" for at, mib in result["memory"]]
    memory += ["-"] * (3 - len(memory))
    return [
        f"{gen['written'] / gen['seconds']:.0f}" if gen["seconds"] else "-",
        f"{result['read'] / span:.0f}",
        f"{result['delivered'] / span:.0f}",
        f"{result['rows']}",
        f"{percentile(lags, 50):.1f}",
        f"{percentile(lags, 99):.1f}",
        f"{max(lags) if lags else math.nan:.1f}",
        f"{percentile(delays, 50):.0f}",
        f"{percentile(delays, 99):.0f}",
        f"{max(result['gc_pauses'], default=0.0):.0f}",
        f"{result['rss_start']:.0f}",
        *memory,
    ]


def table(results: dict[str, dict[str, Any] | None], seconds: float) -> str:
    third = seconds / 3
    labels = [
        "comments written by the platform /s",
        "comments read from the stream /s",
        "comments delivered to the GUI thread /s",
        "rows in the list at the end",
        "GUI event-loop lag p50 (ms)",
        "GUI event-loop lag p99 (ms)",
        "GUI event-loop lag max (ms)",
        "comment stamped -> in the list p50 (ms)",
        "comment stamped -> in the list p99 (ms)",
        "longest garbage collection (ms)",
        "RSS before the flood (MiB)",
        f"RSS at ~{third:.0f} s (MiB)",
        f"RSS at ~{2 * third:.0f} s (MiB)",
        f"RSS at ~{seconds:.0f} s (MiB)",
    ]
    columns = [cells(results.get(v), seconds) for v in VARIANTS]
    grid = [["", *VARIANTS.values()]] + [
        [label, *(col[i] for col in columns)] for i, label in enumerate(labels)
    ]
    return text_table(grid)


def verdict(result: dict[str, Any], capacity: int) -> str:
    p99 = percentile(result["lags"], 99)
    memory = result["memory"]
    growth = memory[-1][1] - memory[0][1] if len(memory) >= 2 else math.nan
    return (
        f"p99 lag {p99:.1f} ms ({'within' if p99 <= 50 else 'OVER'} the 50 ms aim); "
        f"RSS change from ~{memory[0][0]:.0f} s to ~{memory[-1][0]:.0f} s: {growth:+.1f} MiB "
        f"(ring of {capacity} rows full after {capacity / max(1.0, result['delivered'] / result['seconds']):.1f} s)"  # noqa: E501
        if memory
        else f"p99 lag {p99:.1f} ms"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, help="length of each flood (30)")
    parser.add_argument("--rate", type=float, default=5000.0, help="comments per second (5000)")
    parser.add_argument("--quick", action="store_true", help="a 5 s flood to check it works")
    parser.add_argument(
        "--capacity", type=int, default=5000, help="rows our comment list keeps (5000)"
    )
    parser.add_argument("--only", choices=tuple(VARIANTS), help="measure one variant, not both")
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 5.0 if args.quick else 30.0
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")
    if not 1 <= args.rate <= 100_000:
        parser.error("--rate must be between 1 and 100000")
    if args.capacity < 1:
        parser.error("--capacity must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from flashbuy_server.db import Database

    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    print(cores_line())
    print(
        f"settings: {args.rate:.0f} comments/s for {args.seconds:g} s per variant, "
        f"ring capacity {args.capacity}; python {pyplatform.python_version()}"
    )
    if not display:
        print("no X server (DISPLAY is not set): Qt draws offscreen, not in a real window")
    started = time.perf_counter()
    results: dict[str, dict[str, Any] | None] = {}
    with (
        tempfile.TemporaryDirectory(prefix="flashbuy-flood-") as tmp,
        fresh_database("sqlite", Path(tmp), "flood") as url,
    ):
        platform = PlatformProcess(url)
        db = Database(url, pool_size=2)
        try:
            stage = arrange(db, platform.api)
            print(f"platform at {platform.base}; room {stage.room_id}, {VIEWERS} viewers")
            for variant in VARIANTS:
                if args.only and args.only != variant:
                    continue
                print(f"[{variant}] flooding for {args.seconds:g} s ...", flush=True)
                result = run_variant(platform, stage, variant, args)
                results[variant] = result
                print(
                    f"[{variant}] Qt platform {result['platform']}; "
                    + verdict(result, args.capacity),
                    flush=True,
                )
                if result["none_patched"]:
                    print(f"[{variant}] (None/True/False kept alive: PySide6 6.12, Python < 3.12)")
        finally:
            db.dispose()
            platform.stop()

    print()
    print(
        f"{args.rate:.0f} comments/s for {args.seconds:g} s into one live room; "
        f"lag = interval of a {LAG_INTERVAL_MS} ms precise QTimer minus {LAG_INTERVAL_MS} ms"
    )
    print()
    print(table(results, args.seconds))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The demo at its largest rehearsal audience, started and quit as a seller does.

Starts the console (``python -m flashbuy_desktop``, the same program ``flashbuy`` runs) on
its embedded demo platform, with the rehearsal audience at ``--viewers`` (1,000) set in the
settings file of a scratch HOME (so nothing of the user's is read or written), and measures:

* **window s**: process start to the console's log line "main window shown";
* **first new comment s**: process start to the first comment made in this run reaching a
  creator's event stream of the embedded platform. The benchmark signs in as the demo
  creator (the demo's published password) and reads the room's event stream from its first
  event, as the console reads it. A comment is new when the platform stamped it after the
  process started. Comments stored before the benchmark's stream was open count from the
  later of their time stamp and the main window being shown (the console cannot show a
  comment before its window);
* **peak MB**: the largest resident memory of the console's process and its children,
  sampled every 100 ms, and the kernel's own high-water mark (VmHWM) read just before quit;
* **viewers**: what the platform reports (``GET /rooms/{id}``, what the header shows)
  against how many viewers joined in this run (``viewer.joined`` events after the start,
  less those that left again), once joining has settled, and when the last one came in;
* **quit s**: from the seller's last act to the process's exit: Alt+F4 on the main window
  (through the window manager, as a seller closes it), or the answer to the console's
  question if it asks one during a live (Tab to "quit", Space); or SIGTERM (``--quit term``).

Each subject is started twice on the same data folder: a first start (fresh data) and a
second one (the demo data of the first run still there), since a seller starts the demo
again and again. ``--rev REV`` also measures the console at git revision ``REV`` (a
temporary ``git worktree``, removed afterwards) with the same scratch set-up, for a
before/after table in one run.

    xvfb-run -a -s "-screen 0 1920x1080x24" bash scripts/with-desktop.sh \\
        .venv/bin/python -m benchmarks.demo_start [--viewers 1000] [--hold 15] [--rev 51ed859]
        [--quit close|term] [-- --audience-rate 2000]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from benchmarks._common import HTTP_TIMEOUT, cores_line, new_session, scratch_env, text_table
from flashbuy_protocol.event_payloads import ViewerLeft, ViewerPresence, payload
from flashbuy_protocol.models import Comment, Event
from flashbuy_protocol.sse import CONNECTED_LINE, SseDecoder

REPO = Path(__file__).resolve().parent.parent
DEMO_USER, DEMO_PASSWORD = "demo", "flashbuy-demo"  # the demo's published account
SHOWN = re.compile(r"main window shown \((http://127\.0\.0\.1:\d+)\)")
SAMPLE_S = 0.1
AIMS = {"first": 3.0, "peak": 400.0, "quit": 2.0}


@dataclass
class Run:
    """What one start of the console did."""

    name: str
    window_s: float | None = None
    first_comment_s: float | None = None
    joined: int = 0
    platform_count: int | None = None
    settled_s: float | None = None
    peak_mb: float = 0.0
    hwm_mb: float | None = None
    quit_s: float | None = None
    exit_code: int | None = None
    comments: int = 0
    notes: list[str] = field(default_factory=list)


def console_env(home: Path, source: Path) -> dict[str, str]:
    """A scratch HOME and XDG folders; ``source`` first on the import path."""
    env = {**scratch_env(home), "PYTHONPATH": str(source)}
    # The embedded demo signs in without the keyring; this keeps any other use off the real one.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env.pop("QT_QPA_PLATFORM", None)
    return env


def write_settings(home: Path, viewers: int) -> None:
    folder = home / ".config" / "flashbuy"
    folder.mkdir(parents=True, exist_ok=True)
    settings = {"schema_version": 2, "rehearsal_audience": True, "audience_viewers": viewers}
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")


# --- watching the process ---------------------------------------------------------------


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and every descendant (Linux /proc), in KiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, IndexError, ValueError):
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += status_kb(current, "VmRSS") or 0
        todo.extend(children.get(current, []))
    return total


def status_kb(pid: int, key: str) -> int | None:
    with suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


class Watcher:
    """Samples memory and reads the console's log lines, each on a thread of its own."""

    def __init__(self, process: subprocess.Popen[str], started: float) -> None:
        self.process = process
        self.started = started
        self.peak_kb = 0
        self.url: str | None = None
        self.window_at: float | None = None
        self.lines: list[str] = []
        self.shown = threading.Event()
        self._done = threading.Event()
        self._threads = [
            threading.Thread(target=self._sample, daemon=True),
            threading.Thread(target=self._read_log, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _sample(self) -> None:
        while not self._done.is_set() and self.process.poll() is None:
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.process.pid))
            self._done.wait(SAMPLE_S)

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip())
            found = SHOWN.search(line)
            if found and self.url is None:
                self.url = found.group(1)
                self.window_at = time.monotonic()
                self.shown.set()

    def stop(self) -> None:
        self._done.set()
        for thread in self._threads:
            thread.join(5)


class CreatorStream:
    """The demo room's events as its creator gets them, read from the room's first event."""

    def __init__(self, url: str, started_wall: float, started: float) -> None:
        self.api = url + "/api/v1"
        self.session = new_session()
        self.started_wall = started_wall
        self.started = started
        token = self._ok("POST", "/auth/sign-in", json=DEMO_LOGIN)["token"]
        self.session.headers["Authorization"] = f"Bearer {token}"
        rooms = self._ok("GET", "/rooms")
        live = [r for r in rooms if r["status"] == "live"]
        self.room_id = int((live or rooms)[0]["id"])
        self.opened_at: float | None = None
        self.first_new_comment: tuple[float, float] | None = None  # (stamped, arrived)
        self.comments = 0
        self.present: set[int] = set()  # joined in this run and not left
        self.last_join_at = time.monotonic()
        self._stop = threading.Event()
        self._response: requests.Response | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _ok(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self.session.request(method, self.api + path, timeout=HTTP_TIMEOUT, **kwargs)
        resp.raise_for_status()
        return resp.json()

    def _new(self, stamp: datetime) -> float | None:
        """Seconds after the process start of a platform time stamp; None if before it."""
        when = stamp.timestamp()
        return when - self.started_wall if when >= self.started_wall else None

    def _read(self) -> None:
        headers = {"Last-Event-ID": "0", "Accept": "text/event-stream"}
        with self.session.get(
            f"{self.api}/rooms/{self.room_id}/events", headers=headers, stream=True, timeout=(5, 60)
        ) as resp:
            self._response = resp
            decoder = SseDecoder()
            with suppress(requests.RequestException, AttributeError, ValueError):
                for raw in resp.iter_lines(decode_unicode=True):
                    if self._stop.is_set():
                        return
                    if raw == CONNECTED_LINE:
                        self.opened_at = time.monotonic()
                    message = decoder.feed_line(raw)
                    if message is not None:
                        self._event(Event.model_validate_json(message.data))

    def _event(self, event: Event) -> None:
        now = time.monotonic()
        after = self._new(event.created_at)
        if after is None:
            return
        match payload(event):
            case Comment():
                self.comments += 1
                if self.first_new_comment is None:
                    self.first_new_comment = (after, now - self.started)
            case ViewerPresence(viewer=viewer):
                self.present.add(viewer.id)
                self.last_join_at = now
            case ViewerLeft(viewer_id=viewer_id):
                self.present.discard(viewer_id)

    def viewer_count(self) -> int:
        return int(self._ok("GET", f"/rooms/{self.room_id}")["viewer_count"])

    def close(self) -> None:
        self._stop.set()
        if self._response is not None:
            with suppress(Exception):
                self._response.close()
        self.session.close()
        self._thread.join(5)


DEMO_LOGIN = {"username": DEMO_USER, "password": DEMO_PASSWORD}


# --- one start ----------------------------------------------------------------------------


def xdotool(*args: str) -> str:
    """Run xdotool (real X events, as a person's keyboard makes them); its output."""
    done = subprocess.run(  # noqa: S603 - xdotool, the project's desktop-test tool
        ["xdotool", *args],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def windows_of(pid: int) -> dict[str, tuple[str, int]]:
    """The visible X windows of ``pid``: id -> (title, area in pixels)."""
    found = {}
    for wid in xdotool("search", "--all", "--onlyvisible", "--pid", str(pid)).split():
        size = re.search(r"Geometry: (\d+)x(\d+)", xdotool("getwindowgeometry", wid))
        area = int(size.group(1)) * int(size.group(2)) if size else 0
        found[wid] = (xdotool("getwindowname", wid).strip(), area)
    return found


def quit_console(process: subprocess.Popen[str], how: str, timeout: float) -> float:
    """Quit the console as asked; the moment of the seller's last act (monotonic).

    ``close``: Alt+F4 on the main window (through the window manager, as a seller closes
    it). A console that asks first during a live gets its question answered as a seller
    does: Tab from the safe default to the other button, and Space; the quit is timed from
    that answer. ``term``: SIGTERM.
    """
    if how == "term":
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        return began
    before = windows_of(process.pid)
    if not before:
        raise RuntimeError("the console's windows were not found (is a window manager up?)")
    main = max(before, key=lambda wid: before[wid][1])
    xdotool("windowactivate", "--sync", main)
    began = time.monotonic()
    xdotool("key", "--clearmodifiers", "alt+F4")
    deadline = time.monotonic() + min(timeout, 10)
    while time.monotonic() < deadline and process.poll() is None:
        asked = [w for w in windows_of(process.pid) if w not in before]
        if asked:
            print(f"  the console asks: {windows_of(process.pid)[asked[0]][0]!r}", flush=True)
            xdotool("windowactivate", "--sync", asked[0])
            xdotool("key", "Tab")
            began = time.monotonic()
            xdotool("key", "space")
            break
        time.sleep(0.05)
    return began


def start_once(
    name: str, source: Path, home: Path, args: argparse.Namespace, extra: list[str]
) -> Run:
    run = Run(name)
    env = console_env(home, source)
    command = [sys.executable, "-m", "flashbuy_desktop", *extra]
    started_wall = time.time()
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own program
        command, cwd=source, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    watcher = Watcher(process, started)
    stream: CreatorStream | None = None
    try:
        if not watcher.shown.wait(args.timeout):
            run.notes.append("the main window was not shown in time")
            return run
        assert watcher.url is not None
        assert watcher.window_at is not None
        run.window_s = watcher.window_at - started
        stream = CreatorStream(watcher.url, started_wall, started)
        deadline = started + args.timeout
        # Joining has settled when every viewer is in, or none came for a while.
        while time.monotonic() < deadline:
            everyone = len(stream.present) >= args.viewers
            quiet = time.monotonic() - stream.last_join_at > args.settle
            if stream.first_new_comment is not None and (everyone or quiet):
                break
            time.sleep(0.05)
        run.settled_s = stream.last_join_at - started  # when the last viewer came in
        if stream.first_new_comment is not None:
            stamped, arrived = stream.first_new_comment
            opened = stream.opened_at - started if stream.opened_at else None
            if opened is not None and stamped < opened:
                run.first_comment_s = max(stamped, run.window_s)  # before the stream was open
            else:
                run.first_comment_s = arrived
        else:
            run.notes.append("no new comment before the timeout")
        time.sleep(args.hold)  # the live going on: memory keeps being sampled
        run.joined = len(stream.present)
        run.platform_count = stream.viewer_count()
        run.comments = stream.comments
        hwm = status_kb(process.pid, "VmHWM")
        run.hwm_mb = hwm / 1024 if hwm else None
        stream.close()
        stream = None
        began = quit_console(process, args.quit, args.timeout)
        try:
            process.wait(args.timeout)
            run.quit_s = time.monotonic() - began
        except subprocess.TimeoutExpired:
            run.notes.append(f"still running {args.timeout:.0f} s after the quit")
        run.exit_code = process.returncode
    finally:
        if stream is not None:
            stream.close()
        if process.poll() is None:
            process.kill()
            process.wait(10)
        watcher.stop()
        run.peak_mb = watcher.peak_kb / 1024
        if args.verbose:
            print("\n".join(watcher.lines[-40:]))
    return run


@contextmanager
def checkout(rev: str | None) -> Iterator[Path]:
    """This checkout, or a temporary worktree of ``rev`` (removed afterwards)."""
    if rev is None:
        yield REPO
        return
    folder = Path(tempfile.mkdtemp(prefix="flashbuy-rev-"))
    shutil.rmtree(folder)
    subprocess.run(  # noqa: S603
        ["git", "worktree", "add", "--detach", str(folder), rev],  # noqa: S607
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(  # noqa: S603
            ["git", "worktree", "remove", "--force", str(folder)],  # noqa: S607
            cwd=REPO,
            check=False,
            capture_output=True,
        )


def measure(label: str, rev: str | None, args: argparse.Namespace, extra: list[str]) -> list[Run]:
    runs = []
    with checkout(rev) as source, tempfile.TemporaryDirectory(prefix="flashbuy-demo-") as tmp:
        home = Path(tmp)
        write_settings(home, args.viewers)
        for which in ("first start", "second start"):
            print(f"[{label}] {which} ...", flush=True)
            run = start_once(f"{label}, {which}", source, home, args, extra)
            print(f"  {run}", flush=True)
            runs.append(run)
    return runs


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def report(runs: list[Run], args: argparse.Namespace) -> None:
    print(f"\n{cores_line()}; {args.viewers} rehearsal viewers; quit by {args.quit}")
    grid = [
        [
            "",
            "window s",
            "first new comment s",
            "peak MB (sampled / VmHWM)",
            "viewers shown / joined",
            "last join s",
            "quit s",
            "exit",
            "comments",
        ]
    ]
    for run in runs:
        grid.append(
            [
                run.name,
                fmt(run.window_s, ".1f"),
                fmt(run.first_comment_s, ".1f"),
                f"{run.peak_mb:.0f} / {fmt(run.hwm_mb, '.0f')}",
                f"{fmt(run.platform_count, 'd')} / {run.joined}",
                fmt(run.settled_s, ".1f"),
                fmt(run.quit_s, ".1f"),
                fmt(run.exit_code, "d"),
                str(run.comments),
            ]
        )
    print(text_table(grid))
    print(
        f"aims: first new comment <= {AIMS['first']:.0f} s, peak < {AIMS['peak']:.0f} MB, "
        f"shown = joined = {args.viewers}, quit <= {AIMS['quit']:.0f} s"
    )
    for run in runs:
        for note in run.notes:
            print(f"  {run.name}: {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=1000, help="rehearsal viewers")
    parser.add_argument("--hold", type=float, default=15, help="seconds of live before quitting")
    parser.add_argument(
        "--settle", type=float, default=5, help="joining has settled after this long with none"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds to give each step")
    parser.add_argument("--quit", choices=("close", "term"), default="close")
    parser.add_argument("--rev", help="also measure this git revision (before), e.g. 51ed859")
    parser.add_argument("--only-rev", action="store_true", help="measure only --rev")
    parser.add_argument("--verbose", action="store_true", help="print the console's last log lines")
    parser.add_argument(
        "extra", nargs="*", help="arguments for the console (after --), e.g. -- --audience-rate 50"
    )
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        parser.error(
            "needs an X display with a window manager (xvfb-run + scripts/with-desktop.sh)"
        )
    runs: list[Run] = []
    if args.rev:
        runs += measure(f"before ({args.rev})", args.rev, args, [])
    if not args.only_rev:
        runs += measure("this checkout", None, args, args.extra)
    report(runs, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

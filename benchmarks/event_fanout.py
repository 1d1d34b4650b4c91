"""Event fan-out: how fast a live room's events reach a thousand open streams, and polling.

What the streams carry (docs/platform.md, "Events and streams"): a viewer stream
(GET /rooms/{id}/viewer-events) carries the offers that viewer may see (``flashbuy.*``),
not comments: ``comment.posted`` is the creator's, on the creator's room stream
(GET /rooms/{id}/events) only, and a viewer stream is not even woken by one. A stream opened
without ``Last-Event-ID`` (as all of these are) starts from now, replaying nothing. So the
fence this benchmark uses, to know that every stream has carried everything before some
point, is a full flash-buy with a title no other has ("sentinel"): every stream carries it,
and a stream carries a room's events in order.

For each database it measures, over real HTTP against a real platform on 127.0.0.1:

* opening the streams: ``--viewers`` viewers join a live room over HTTP, then each opens
  its own viewer stream, ``OPEN_AT_ONCE`` at a time: the time from each GET to its
  ": connected", and until every stream is live (a sentinel flash-buy created then reached
  them all), with the CPU the server spent on it;
* full invitation (push): with every stream open, the creator creates a full flash-buy
  ``--rounds`` times. Per viewer and round: the time from just before the POST
  is sent until the invitation's bytes arrive on that viewer's stream; p50/p99/max of the
  pooled samples, and how many got it (must be every viewer every round);
* targeted invitations, to 1 and to 10 viewers, ``--rounds`` times each: the time until
  the named viewers have it, and leaks: other viewers' streams that carried it (must be
  0). Leaks are counted once a sentinel flash-buy (to everyone, after the last targeted
  offer) has reached every stream: nothing older can still arrive on it. A named viewer's
  copy must name no other target. Every viewer stream's count of invitation frames must
  match what was offered to that viewer;
* comments: with the creator's room stream open (and the viewer streams), ``--posters``
  viewer connections post up to ``--comments`` comments as fast as they are answered
  (for at most ``--comment-seconds``): comment events per second carried by the creator's
  stream and the lag from POST to arrival there. While they are being posted (once a third
  of them are answered, or a third of the time has passed) the creator creates one full
  flash-buy: its invitation latency to every viewer DURING the comment flood, which is what
  viewer streams sleeping through comments is for. Viewer streams must carry no comment,
  and the bytes they received during the flood are reported (the invitation, nothing else);
* the obvious alternative, polling: the streams are closed and the same viewers each
  GET /rooms/{id}/offers once a second (their start times spread evenly over the second)
  for ``--poll-seconds``; a full flash-buy is created a third of the way in. The time until
  each viewer saw it in a poll's answer, how many did within the run, and the request
  rate the platform sustained against the one per viewer per second asked.

The client is one asyncio event loop in this process on raw sockets: HTTP/1.1 written
by hand, ``reader.read()``, a byte search for the event's text and ``time.perf_counter()``
at arrival, so that it costs little beside the server it measures (each phase prints the
CPU seconds both used). The server runs in a child process by default, so the client does
not share its interpreter lock; ``--in-process`` serves from a thread of this process.
Both processes raise their open-file limit towards the hard limit when a thousand
streams need it. PostgreSQL is measured when ``PGHOST`` is set (run under
``scripts/with-postgres.sh``), in a fresh database dropped at the end.

    python -m benchmarks.event_fanout [--quick] [--viewers N] [--rounds N] [--only sqlite]
"""

import argparse
import asyncio
import functools
import json
import math
import os
import platform as pyplatform
import random
import resource
import sys
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from benchmarks._common import (
    API,
    HOST,
    REGION,
    PlatformServer,
    cores_line,
    cpu_seconds,
    database_name,
    database_version,
    each_database,
    fresh_database,
    go_live,
    own_cpu_seconds,
    percentile,
    text_table,
)
from flashbuy_protocol.events import EventType
from flashbuy_protocol.limits import QUOTA_FULL_DEFAULT
from flashbuy_protocol.sse import CONNECTED
from flashbuy_server.db import Database

T = TypeVar("T")

REQUEST_TIMEOUT = 60.0  # one raw request, connect to last byte of the answer
OPEN_TIMEOUT = 30.0  # one stream, connect to ": connected"
OPEN_AT_ONCE = 64  # streams being opened at the same time
KEEPALIVE_REUSE = 4.0  # uvicorn closes a keep-alive connection idle for 5 s
READ_SIZE = 65536
TAIL = 2048  # bytes of a stream kept across reads, so text split by a read is still found
INVITATION = f"event: {EventType.FLASHBUY_CREATED}\n".encode()
COMMENT = f"event: {EventType.COMMENT_POSTED}\n".encode()
# Full flash-buys besides the rounds, all of one product: the warm-up, the sentinel, the one
# during the comments and the one polled for.
EXTRA_FULL = 4
PASSWORD = uuid.uuid4().hex  # the benchmark creator's, for this run only


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def raise_open_files(need: int) -> str:
    """Raise this process's soft RLIMIT_NOFILE towards the hard limit if below ``need``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= need:
        return f"open-file limit {soft} kept (enough for {need})"
    target = hard if hard == resource.RLIM_INFINITY else max(soft, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError) as exc:
        return f"open-file limit {soft} (need {need}); raising it failed: {exc}"
    short = "" if target == resource.RLIM_INFINITY or target >= need else " - STILL TOO LOW"
    return f"open-file limit raised from {soft} to {target} (hard limit) for {need}{short}"


class Meter:
    """Wall time and the CPU seconds the server and this client used over a phase."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.wall = time.perf_counter()
        self.server = cpu_seconds(server_pid)
        self.client = own_cpu_seconds()

    def text(self) -> str:
        wall = time.perf_counter() - self.wall
        client = own_cpu_seconds() - self.client
        now = cpu_seconds(self.server_pid)
        if self.server_pid == os.getpid():
            return f"{wall:.1f} s wall, CPU {client:.1f} s (server and client in one process)"
        server = "?" if now is None or self.server is None else f"{now - self.server:.1f}"
        return f"{wall:.1f} s wall, CPU: server {server} s, client {client:.1f} s"


# --- HTTP/1.1 by hand ---------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    sent: float  # perf_counter just before the request was written
    done: float  # perf_counter when the whole answer had arrived


class Http:
    """One keep-alive HTTP/1.1 connection to the platform, spoken by hand."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._idle_since = 0.0

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with suppress(OSError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), 5)

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> Reply:
        """Send one request and read its whole answer (a GET is retried once on a new
        connection if the server had closed the old one)."""
        for attempt in (1, 2):
            if self._writer is None or time.monotonic() - self._idle_since > KEEPALIVE_REUSE:
                await self.close()
                self._reader, self._writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, self.port), REQUEST_TIMEOUT
                )
            assert self._reader is not None
            assert self._writer is not None
            head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
            if token:
                head.append(f"Authorization: Bearer {token}")
            if body is not None:
                head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
            data = ("\r\n".join(head) + "\r\n\r\n").encode() + (body or b"")
            sent = time.perf_counter()
            try:
                self._writer.write(data)
                status, payload, keep = await asyncio.wait_for(
                    self._answer(self._reader), REQUEST_TIMEOUT
                )
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                await self.close()
                if method == "GET" and attempt == 1 and not getattr(exc, "partial", b""):
                    continue
                raise
            except BaseException:
                await self.close()
                raise
            done = time.perf_counter()
            if keep:
                self._idle_since = time.monotonic()
            else:
                await self.close()
            return Reply(status, payload, sent, done)
        raise AssertionError("unreachable")

    @staticmethod
    async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip().lower()
        if "content-length" in headers:
            payload = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            payload = b"".join(parts)
        else:
            payload = b""
        return status, payload, headers.get("connection") != "close"


async def bounded(coro: Awaitable[T], seconds: float, what: str) -> T:
    try:
        return await asyncio.wait_for(coro, seconds)
    except TimeoutError:
        raise RuntimeError(f"{what} did not finish within {seconds:.0f} s") from None


# --- event streams ------------------------------------------------------------------------


class Watch:
    """The texts the streams look for: one per flash-buy, registered before its POST."""

    def __init__(self) -> None:
        self.markers: list[bytes] = []


class Stream:
    """One event stream read on this loop: what arrived, and when.

    The platform writes each batch of whole SSE frames as one HTTP chunk, so a frame's
    text is never cut by chunk framing; a cut by a read is covered by keeping the last
    ``TAIL`` bytes and searching them with the next read.
    """

    def __init__(self, port: int, path: str, token: str, watch: Watch, viewer_id: int) -> None:
        self.port = port
        self.path = path
        self.token = token
        self.watch = watch
        self.viewer_id = viewer_id
        self.connected = asyncio.Event()
        self.asked = 0.0  # perf_counter when the GET was written
        self.connected_at = 0.0  # perf_counter when ": connected" arrived
        self.found: dict[bytes, float] = {}  # marker -> perf_counter at arrival
        self.snippets: dict[bytes, bytes] = {}  # marker -> the bytes it arrived in
        self._unfinished: list[bytes] = []  # markers whose snippet lacks the line's end
        self.invitations = 0  # flashbuy.created frames carried
        self.comments = 0  # comment.posted frames carried (a viewer stream: must stay 0)
        self.received = 0
        self.error: str | None = None
        self.ended = False  # the platform ended the stream
        self.task: asyncio.Task[None] | None = None
        self._tail = b""
        self._writer: asyncio.StreamWriter | None = None

    def start(self, opening: asyncio.Semaphore) -> None:
        self.task = asyncio.create_task(self._run(opening))

    async def _run(self, opening: asyncio.Semaphore) -> None:
        try:
            async with opening:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, self.port), OPEN_TIMEOUT
                )
                self._writer = writer
                self.asked = time.perf_counter()
                writer.write(
                    (
                        f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                        f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
                    ).encode()
                )
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), OPEN_TIMEOUT)
                status = int(head.split(b" ", 2)[1])
                if status != 200:
                    body = await asyncio.wait_for(reader.read(2048), OPEN_TIMEOUT)
                    self.error = f"HTTP {status}: {body[:200]!r}"
                    return
                buf = b""
                while CONNECTED not in buf:
                    chunk = await asyncio.wait_for(reader.read(READ_SIZE), OPEN_TIMEOUT)
                    if not chunk:
                        self.error = "ended before ': connected'"
                        return
                    buf += chunk
                self.connected_at = time.perf_counter()
                self.connected.set()
                rest = buf[buf.index(CONNECTED) + len(CONNECTED) :]
                if rest:
                    self.feed(rest, time.perf_counter())
            while True:
                chunk = await reader.read(READ_SIZE)
                now = time.perf_counter()
                if not chunk:
                    self.ended = True
                    return
                self.feed(chunk, now)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            self.error = repr(exc)
        finally:
            self.connected.set()  # whoever waits for it must not wait for a failed stream
            if self._writer is not None:
                self._writer.close()

    def feed(self, chunk: bytes, now: float) -> None:
        self.received += len(chunk)
        tail = self._tail
        joint = tail + chunk
        self.comments += joint.count(COMMENT) - tail.count(COMMENT)
        for marker in list(self._unfinished):  # a found frame's line may end in this read
            self.snippets[marker] += chunk
            if self._line_ends(marker):
                self._unfinished.remove(marker)
        if INVITATION in joint:
            self.invitations += joint.count(INVITATION) - tail.count(INVITATION)
            for marker in self.watch.markers:
                if marker not in self.found and marker in joint:
                    self.found[marker] = now
                    self.snippets[marker] = joint
                    if not self._line_ends(marker):
                        self._unfinished.append(marker)
        self._tail = joint[-TAIL:]

    def _line_ends(self, marker: bytes) -> bool:
        snippet = self.snippets[marker]
        return snippet.find(b"\n", snippet.find(marker)) >= 0 or len(snippet) > READ_SIZE

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self.task is not None:
            self.task.cancel()
            with suppress(asyncio.CancelledError):
                await self.task


class CreatorStream(Stream):
    """The creator's room stream, which also notes when each numbered comment arrived."""

    def __init__(self, port: int, path: str, token: str, watch: Watch) -> None:
        super().__init__(port, path, token, watch, 0)
        self.arrivals: dict[int, float] = {}
        self._buf = b""

    def feed(self, chunk: bytes, now: float) -> None:
        super().feed(chunk, now)
        self._buf += chunk
        cut = self._buf.rfind(b"\n\n")
        if cut < 0:
            return
        whole, self._buf = self._buf[:cut], self._buf[cut + 2 :]
        start = 0
        while (at := whole.find(b'"text":"fo', start)) >= 0:
            end = whole.find(b"x", at + 10)
            start = at + 10
            with suppress(ValueError):
                self.arrivals.setdefault(int(whole[at + 10 : end]), now)


def copy_names_others(snippet: bytes, marker: bytes, viewer_id: int) -> bool | None:
    """Whether the frame holding ``marker`` names a target other than ``viewer_id``."""
    at = snippet.find(marker)
    start = snippet.rfind(b"data: ", 0, at)
    end = snippet.find(b"\n", at)
    if at < 0 or start < 0 or end < 0:
        return None
    try:
        payload = json.loads(snippet[start + 6 : end])
        targets = [t["id"] for t in payload["data"]["targets"]]
    except (ValueError, KeyError, TypeError):
        return None
    return targets != [viewer_id]


# --- arranging a live room ----------------------------------------------------------------


@dataclass
class Stage:
    """A creator live in a room, and what a flash-buy needs."""

    creator_token: str
    room_id: int
    product_id: int
    template_id: int
    picture_id: str


def arrange(db: Database, api: str) -> Stage:
    """Accounts and catalogue through the platform's functions; the rest over HTTP."""
    live = go_live(db, api, "bench-creator", PASSWORD)
    with live.session:
        template_id, picture_id = live.offer_needs()
    return Stage(live.token, live.room_id, live.product_id, template_id, picture_id)


# --- results ------------------------------------------------------------------------------


@dataclass
class Measured:
    """One line of the table."""

    name: str
    latencies_ms: list[float] = field(default_factory=list)
    delivered: str = "-"
    notes: list[str] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)  # how long the creating POSTs took


@dataclass
class Section:
    """Everything measured on one database."""

    database: str
    version: str = ""
    lines: list[Measured] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    note: str = ""

    def line(self, name: str) -> Measured:
        for m in self.lines:
            if m.name == name:
                return m
        self.lines.append(Measured(name))
        return self.lines[-1]


@dataclass
class Run:
    """The live room under test, as this loop sees it."""

    port: int
    pid: int
    stage: Stage
    args: argparse.Namespace
    section: Section
    say: Callable[[str], None]
    watch: Watch = field(default_factory=Watch)
    tokens: list[str] = field(default_factory=list)
    viewer_ids: list[int] = field(default_factory=list)
    streams: list[Stream] = field(default_factory=list)
    creator: CreatorStream | None = None
    flashbuy_ids: list[int] = field(default_factory=list)
    full_markers: list[bytes] = field(default_factory=list)  # every full one, sentinels too
    targeted: list[tuple[str, bytes, list[int]]] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)

    @property
    def room(self) -> str:
        return f"{API}/rooms/{self.stage.room_id}"

    def problem(self, text: str) -> None:
        self.section.problems.append(text)
        self.say(f"!!! {text}")


async def create_flashbuy(run: Run, title: str, targets: list[int] | None = None) -> Reply:
    """Create a flash-buy on a fresh connection; its answer (``sent`` is the POST's time)."""
    body = {
        "product_id": run.stage.product_id,
        "mode": "targeted" if targets else "full",
        "title": title,
        "piece_no": str(len(run.flashbuy_ids) + 1),
        "price_fen": 128_800,
        "stock": 1,
        "picture_id": run.stage.picture_id,
        "template_id": run.stage.template_id,
        "target_viewer_ids": targets or [],
    }
    conn = Http(run.port)
    try:
        reply = await conn.request(
            "POST", f"{run.room}/flash-buys", token=run.stage.creator_token, body=json_bytes(body)
        )
    finally:
        await conn.close()
    if reply.status != 201:
        raise RuntimeError(f"creating a flash-buy failed: {reply.status} {reply.body[:300]!r}")
    run.flashbuy_ids.append(int(json.loads(reply.body)["id"]))
    return reply


def new_marker(kind: str) -> tuple[str, bytes]:
    """A flash-buy title no other has, and the bytes that find it in a frame."""
    title = f"FO {kind} {uuid.uuid4().hex[:12]}"
    return title, f'"title":"{title}"'.encode()


# --- the phases ---------------------------------------------------------------------------


async def join_viewers(run: Run) -> None:
    count, meter = run.args.viewers, Meter(run.pid)
    numbers = iter(range(count))
    joined: dict[int, tuple[str, int]] = {}
    deadline = time.perf_counter() + run.args.join_seconds

    async def joiner() -> None:
        conn = Http(run.port)
        try:
            for i in numbers:
                if time.perf_counter() > deadline:
                    return
                body = json_bytes({"nickname": f"观众{i}", "region": REGION})
                reply = await conn.request("POST", f"{run.room}/join", body=body)
                if reply.status != 200:
                    raise RuntimeError(f"join failed: {reply.status} {reply.body[:300]!r}")
                answer = json.loads(reply.body)
                joined[i] = (answer["token"], int(answer["viewer"]["id"]))
        finally:
            await conn.close()

    await bounded(
        asyncio.gather(*(joiner() for _ in range(16))), run.args.join_seconds + 60, "joining"
    )
    if len(joined) != count:
        raise RuntimeError(f"only {len(joined)} of {count} viewers joined in time")
    for i in range(count):
        run.tokens.append(joined[i][0])
        run.viewer_ids.append(joined[i][1])
    run.say(f"{count} viewers joined over HTTP ({meter.text()})")


async def open_streams(run: Run) -> None:
    meter = Meter(run.pid)
    opening = asyncio.Semaphore(OPEN_AT_ONCE)
    run.creator = CreatorStream(run.port, f"{run.room}/events", run.stage.creator_token, run.watch)
    run.creator.start(opening)
    for token, viewer_id in zip(run.tokens, run.viewer_ids, strict=True):
        stream = Stream(run.port, f"{run.room}/viewer-events", token, run.watch, viewer_id)
        run.streams.append(stream)
        stream.start(opening)
    everyone = [s.connected.wait() for s in [run.creator, *run.streams]]
    await bounded(asyncio.gather(*everyone), OPEN_TIMEOUT + len(everyone) / 5, "opening streams")
    failed = [s for s in [run.creator, *run.streams] if s.error or s.ended]
    if failed:
        errors = Counter(s.error or "ended" for s in failed)
        raise RuntimeError(f"{len(failed)} streams failed to open: {dict(errors.most_common(3))}")
    connected = time.perf_counter() - meter.wall
    # Streams opened without Last-Event-ID start from now, so there is nothing to replay; a
    # flash-buy to everyone shows that every stream is live (viewer streams carry no
    # comments), and the platform is at rest before anything is timed.
    warm_up = await sentinel(run, "warm-up", 120)
    ready = time.perf_counter() - meter.wall
    line = run.section.line(f"open {len(run.streams)} viewer streams")
    line.latencies_ms = [(s.connected_at - s.asked) * 1000 for s in run.streams]
    line.delivered = f"{sum(1 for s in run.streams if s.connected_at)}/{len(run.streams)}"
    line.notes = [
        f"all connected in {connected:.1f} s, a flash-buy then reached all in {ready:.1f} s "
        f"({OPEN_AT_ONCE} opening at once)",
        f"{meter.text()}",
    ]
    if warm_up is None:
        run.problem("the warm-up flash-buy did not reach every stream within 120 s")
    run.say(
        f"{len(run.streams)} viewer streams + the creator's stream connected in "
        f"{connected:.1f} s, a warm-up flash-buy reached all of them "
        f"{'(NOT ALL)' if warm_up is None else f'{warm_up * 1000:.0f} ms after its POST'}, "
        f"{ready:.1f} s in all; per stream GET to ': connected' p50 "
        f"{percentile(line.latencies_ms, 50):.0f} ms, p99 {percentile(line.latencies_ms, 99):.0f}"
        f" ms ({meter.text()})"
    )


async def sentinel(run: Run, kind: str, seconds: float) -> float | None:
    """Create a full flash-buy with a title no other has; wait until every stream carried it.

    Every stream carries a full flash-buy (a viewer stream carries no comments), and a
    stream carries a room's events in order, so once it has this one it has carried
    everything committed before it. The seconds from just before the POST until the last
    stream had it, or None if some stream had not within ``seconds``.
    """
    assert run.creator is not None
    everyone = [run.creator, *run.streams]
    title, marker = new_marker(kind)
    run.watch.markers.append(marker)
    run.full_markers.append(marker)
    reply = await create_flashbuy(run, title)
    if not await until(lambda: all(marker in s.found for s in everyone), seconds):
        return None
    return max(s.found[marker] for s in everyone) - reply.sent


async def until(check: Callable[[], bool], seconds: float, step: float = 0.01) -> bool:
    """Wait until ``check()`` holds, at most ``seconds``; whether it held."""
    deadline = time.perf_counter() + seconds
    while not check():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(step)
    return True


def stream_trouble(run: Run) -> str:
    broken = [s for s in run.streams if s.error or s.ended]
    if not broken:
        return ""
    return f"{len(broken)} streams broke, e.g. {broken[0].error or 'ended by the platform'}"


async def push_round(run: Run, line: Measured, kind: str, targets: list[Stream]) -> int:
    """One flash-buy to ``targets`` (every viewer for a full one); the number that got it."""
    title, marker = new_marker(kind)
    run.watch.markers.append(marker)
    full = len(targets) == len(run.streams)
    if full:
        run.full_markers.append(marker)
    else:
        run.targeted.append((kind, marker, [s.viewer_id for s in targets]))
    reply = await create_flashbuy(run, title, None if full else [s.viewer_id for s in targets])
    t0 = reply.sent
    await until(lambda: all(marker in s.found for s in targets), run.args.round_timeout)
    got = [s.found[marker] - t0 for s in targets if marker in s.found]
    line.latencies_ms.extend(g * 1000 for g in got)
    line.post_ms.append((reply.done - t0) * 1000)
    if full and got:
        ms = [g * 1000 for g in got]
        run.say(
            f"  {kind} round {len(line.post_ms)}: POST answered {line.post_ms[-1]:.0f} ms; "
            f"first viewer {min(ms):.0f} ms, p50 {percentile(ms, 50):.0f} ms, "
            f"p99 {percentile(ms, 99):.0f} ms, last {max(ms):.0f} ms"
        )
    if len(got) < len(targets):
        run.problem(
            f"{kind}: {len(targets) - len(got)} of {len(targets)} viewers did not get "
            f"the invitation within {run.args.round_timeout:g} s. {stream_trouble(run)}"
        )
    return len(got)


def post_times(line: Measured) -> str:
    times = line.post_ms
    return f"POST answered p50 {percentile(times, 50):.0f} ms, max {max(times):.0f} ms"


async def push_full(run: Run) -> None:
    meter, line = Meter(run.pid), run.section.line("full invitation (push)")
    got = 0
    for _ in range(run.args.rounds):
        got += await push_round(run, line, "full", run.streams)
        await asyncio.sleep(0.3)
    expected = run.args.rounds * len(run.streams)
    line.delivered = f"{got}/{expected}"
    line.notes = [f"{run.args.rounds} rounds x {len(run.streams)}; {post_times(line)}"]
    run.say(
        f"full invitation (push): {got}/{expected} delivered, p50 "
        f"{percentile(line.latencies_ms, 50):.1f} ms, p99 {percentile(line.latencies_ms, 99):.1f}"
        f" ms, max {max(line.latencies_ms, default=math.nan):.1f} ms ({meter.text()})"
    )


async def push_targeted(run: Run) -> None:
    meter = Meter(run.pid)
    sizes = [n for n in (1, 10) if n <= len(run.streams)]
    lines = {n: run.section.line(f"targeted {n}") for n in sizes}
    got = dict.fromkeys(sizes, 0)
    for _ in range(run.args.rounds):
        for n in sizes:
            chosen = run.rng.sample(run.streams, n)
            got[n] += await push_round(run, lines[n], f"targeted {n}", chosen)
            await asyncio.sleep(0.3)
    # A flash-buy to every stream after the last targeted offer: once a stream has it, the
    # stream has carried everything before it, so a leak would be there by now.
    if await sentinel(run, "sentinel", 30) is None:
        run.problem("the sentinel flash-buy did not reach every stream in 30 s: leaks missed?")
    by_viewer = {s.viewer_id: s for s in run.streams}
    for n in sizes:
        leaks = named_others = unchecked = 0
        for kind, marker, targets in run.targeted:
            if kind != f"targeted {n}":
                continue
            leaks += sum(1 for s in run.streams if marker in s.found) - sum(
                1 for v in targets if marker in by_viewer[v].found
            )
            for v in targets:
                stream = by_viewer[v]
                if marker in stream.snippets:
                    verdict = copy_names_others(stream.snippets[marker], marker, v)
                    named_others += verdict is True
                    unchecked += verdict is None
        line = lines[n]
        line.delivered = f"{got[n]}/{run.args.rounds * n}"
        line.notes = [
            f"leaks {leaks}",
            f"copies naming another target {named_others}",
            post_times(line),
        ]
        if unchecked:
            line.notes.insert(2, f"{unchecked} copies not parsed")
        if leaks:
            run.problem(f"targeted {n}: {leaks} invitations LEAKED to viewers not named")
        if named_others:
            run.problem(f"targeted {n}: {named_others} copies named other targets")
        run.say(
            f"targeted {n}: {got[n]}/{run.args.rounds * n} delivered, p50 "
            f"{percentile(line.latencies_ms, 50):.1f} ms, p99 "
            f"{percentile(line.latencies_ms, 99):.1f} ms, leaks {leaks}"
        )
    # Independent of the titles: every stream's count of flashbuy.created frames (the full
    # ones include the warm-up and the sentinel).
    expected = {s.viewer_id: len(run.full_markers) for s in run.streams}
    for _kind, _marker, targets in run.targeted:
        for v in targets:
            expected[v] += 1
    extra = sum(max(0, s.invitations - expected[s.viewer_id]) for s in run.streams)
    if extra:
        run.problem(f"viewer streams carried {extra} more invitations than were offered to them")
    run.say(f"targeted phase done; extra invitation frames on viewer streams: {extra} "
            f"({meter.text()})")  # fmt: skip


async def comments(run: Run) -> None:
    """Comments flood the creator's stream; one full flash-buy reaches the viewers meanwhile."""
    meter, line = Meter(run.pid), run.section.line("comments on creator stream")
    offer_line = run.section.line("full invitation (push, during comments)")
    creator = run.creator
    assert creator is not None
    bytes_before = {id(s): s.received for s in run.streams}
    invitations_before = {id(s): s.invitations for s in run.streams}
    count, posters, seconds = run.args.comments, run.args.posters, run.args.comment_seconds
    numbers = iter(range(1, count + 1))
    sent: dict[int, float] = {}
    acked: dict[int, float] = {}
    failures: Counter[str] = Counter()
    started = time.perf_counter()
    deadline = started + seconds
    posting: list[float] = []  # perf_counter when the posters stopped
    offer: dict[str, Any] = {}

    async def poster(k: int) -> None:
        conn = Http(run.port)
        token = run.tokens[k % len(run.tokens)]
        try:
            for n in numbers:
                if time.perf_counter() > deadline:
                    return
                body = json_bytes({"text": f"fo{n}x 主播好"})
                try:
                    reply = await conn.request(
                        "POST", f"{run.room}/comments", token=token, body=body
                    )
                except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                    failures[type(exc).__name__] += 1
                    continue
                sent[n] = reply.sent
                if reply.status == 201:
                    acked[n] = reply.done
                else:
                    failures[f"HTTP {reply.status}"] += 1
        finally:
            await conn.close()

    async def flood() -> None:
        await asyncio.gather(*(poster(k) for k in range(posters)))
        posting.append(time.perf_counter())

    async def invite() -> None:
        # Once the flood is well under way: a third of the comments answered, or a third of
        # the time gone (or, failing both, the posting over).
        await until(
            lambda: (
                len(acked) >= count / 3
                or time.perf_counter() >= started + seconds / 3
                or bool(posting)
            ),
            seconds + REQUEST_TIMEOUT,
        )
        title, marker = new_marker("flood")
        run.watch.markers.append(marker)
        run.full_markers.append(marker)
        offer["acked_before"] = len(acked)
        offer["flooding"] = not posting
        reply = await create_flashbuy(run, title)
        offer["reply"], offer["marker"] = reply, marker
        await until(lambda: all(marker in s.found for s in run.streams), run.args.round_timeout)
        offer["acked_until_last"] = len(acked)

    await bounded(
        asyncio.gather(flood(), invite()),
        seconds + REQUEST_TIMEOUT + run.args.round_timeout + 10,
        "posting comments",
    )
    done_creator = await until(lambda: all(n in creator.arrivals for n in acked), 20, 0.05)
    await asyncio.sleep(0.5)  # anything a viewer stream should not carry has time to show
    arrived = [n for n in acked if n in creator.arrivals]
    lags = [(creator.arrivals[n] - sent[n]) * 1000 for n in arrived]
    line.latencies_ms = lags
    line.delivered = f"{len(arrived)}/{len(acked)}"
    span = (max(creator.arrivals[n] for n in arrived) - min(sent.values())) if arrived else 0
    rate = len(arrived) / span if span > 0 else math.nan
    post_span = max(acked.values()) - min(sent.values()) if acked else 0
    post_rate = len(acked) / post_span if post_span > 0 else math.nan
    # Viewer streams carry no comments: over the flood they carry the one invitation.
    viewer_comments = sum(s.comments for s in run.streams)
    flood_bytes = [float(s.received - bytes_before[id(s)]) for s in run.streams]
    odd_invitations = sum(1 for s in run.streams if s.invitations - invitations_before[id(s)] != 1)
    line.notes = [
        f"{rate:.0f} comments/s carried",
        f"{posters} posters: {post_rate:.0f} POST/s",
        f"viewer streams: {viewer_comments} comment frames, received p50 "
        f"{percentile(flood_bytes, 50):.0f} B max {max(flood_bytes, default=0):.0f} B each "
        "over the flood (1 invitation)",
    ]
    if failures:
        line.notes.append(f"failed POSTs {dict(failures)}")
        run.problem(f"comments: POSTs failed: {dict(failures)}")
    if not done_creator:
        run.problem(f"comments: {len(acked) - len(arrived)} never reached the creator's stream")
    if viewer_comments:
        run.problem(f"viewer streams carried {viewer_comments} comment frames (they must not)")
    if odd_invitations:
        run.problem(
            f"comments: {odd_invitations} viewer streams did not carry exactly the one "
            f"invitation over the flood. {stream_trouble(run)}"
        )

    reply, marker = offer["reply"], offer["marker"]
    got = [(s.found[marker] - reply.sent) * 1000 for s in run.streams if marker in s.found]
    offer_line.latencies_ms = got
    offer_line.post_ms = [(reply.done - reply.sent) * 1000]
    offer_line.delivered = f"{len(got)}/{len(run.streams)}"
    created_at = reply.sent - started
    last = reply.sent + max(got, default=0) / 1000
    ended = posting[0] if posting else math.nan
    if offer["flooding"] and ended > last:
        during = (
            f"flood on until {ended - last:.1f} s after the last viewer had it; "
            f"{offer['acked_until_last'] - offer['acked_before']} comments answered meanwhile"
        )
    else:
        during = f"NOT during the flood: posting ended {last - ended:.1f} s before the last had it"
        run.problem(f"comments: the invitation was {during}")
    offer_line.notes = [
        f"POSTed {created_at:.1f} s into the flood, {offer['acked_before']} comments answered",
        during,
        f"POST answered {offer_line.post_ms[0]:.0f} ms, the last viewer had it "
        f"{max(got, default=math.nan) - offer_line.post_ms[0]:.0f} ms later",
    ]
    if len(got) < len(run.streams):
        run.problem(
            f"comments: {len(run.streams) - len(got)} of {len(run.streams)} viewers did not get "
            f"the invitation within {run.args.round_timeout:g} s. {stream_trouble(run)}"
        )
    run.say(
        f"full invitation during comments: {len(got)}/{len(run.streams)} delivered, p50 "
        f"{percentile(got, 50):.1f} ms, p99 {percentile(got, 99):.1f} ms, max "
        f"{max(got, default=math.nan):.1f} ms; {during}"
    )
    run.say(
        f"comments: {len(acked)} posted ({post_rate:.0f}/s), {len(arrived)} on the creator's "
        f"stream at {rate:.0f}/s, lag p50 {percentile(lags, 50):.1f} ms p99 "
        f"{percentile(lags, 99):.1f} ms; viewer streams carried {viewer_comments} comments "
        f"({meter.text()})"
    )


async def close_streams(run: Run) -> None:
    everyone: list[Stream] = [*run.streams] + ([run.creator] if run.creator else [])
    trouble = stream_trouble(run)
    if trouble:
        run.problem(f"before closing: {trouble}")
    await bounded(asyncio.gather(*(s.close() for s in everyone)), 30, "closing the streams")


async def polling(run: Run) -> None:
    meter, line = Meter(run.pid), run.section.line("full invitation (polling 1 s)")
    # End the earlier flash-buys, so every answer is as short as it can be: [] until the new one.
    conn = Http(run.port)
    try:
        for fb in run.flashbuy_ids:
            reply = await conn.request(
                "POST", f"{API}/flash-buys/{fb}/end", token=run.stage.creator_token, body=b""
            )
            if reply.status != 200:
                raise RuntimeError(f"ending flash-buy {fb} failed: {reply.status}")
    finally:
        await conn.close()
    count, seconds = len(run.tokens), run.args.poll_seconds
    start = time.perf_counter() + 0.5
    end = start + seconds
    marker: list[bytes] = []
    posted: list[Reply] = []
    seen: list[float | None] = [None] * count
    answered: list[float] = []
    took: list[float] = []
    failures: Counter[str] = Counter()
    path = f"{run.room}/offers"

    async def poller(i: int) -> None:
        conn = Http(run.port)
        slot = start + i / count
        try:
            while slot < end:
                await asyncio.sleep(max(0.0, slot - time.perf_counter()))
                try:
                    reply = await conn.request("GET", path, token=run.tokens[i])
                except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                    failures[type(exc).__name__] += 1
                else:
                    if reply.status == 200:
                        answered.append(reply.done)
                        took.append((reply.done - reply.sent) * 1000)
                        if marker and seen[i] is None and marker[0] in reply.body:
                            seen[i] = reply.done
                    else:
                        failures[f"HTTP {reply.status}"] += 1
                slot += 1.0
                late = time.perf_counter() - slot
                if late > 0:  # skip the seconds missed, as a timer would
                    slot += math.ceil(late)
        finally:
            await conn.close()

    async def offer() -> None:
        await asyncio.sleep(max(0.0, start + seconds / 3 - time.perf_counter()))
        title, text = new_marker("poll")
        marker.append(text)
        posted.append(await create_flashbuy(run, title))

    await bounded(
        asyncio.gather(offer(), *(poller(i) for i in range(count))),
        seconds + REQUEST_TIMEOUT + 10,
        "polling",
    )
    t0 = posted[0].sent
    got = [(s - t0) * 1000 for s in seen if s is not None]
    line.latencies_ms = got
    line.delivered = f"{len(got)}/{count}"
    steady = [t for t in answered if start + 1 <= t <= end]
    rate = len(steady) / (seconds - 1)
    line.notes = [
        f"asked {count}/s, served {rate:.0f}/s",
        f"poll answered p50 {percentile(took, 50):.0f} ms p99 {percentile(took, 99):.0f} ms",
        f"{seconds:g} s run, offer POSTed at {seconds / 3:.0f} s, answered in "
        f"{(posted[0].done - t0) * 1000:.0f} ms",
    ]
    if failures:
        line.notes.append(f"failed polls {dict(failures)}")
    run.say(
        f"polling: {len(got)}/{count} saw the invitation, p50 {percentile(got, 50):.0f} ms, "
        f"p99 {percentile(got, 99):.0f} ms; {len(answered)} polls answered, steady "
        f"{rate:.0f}/s of {count}/s asked; poll p50 {percentile(took, 50):.0f} ms, "
        f"p99 {percentile(took, 99):.0f} ms"
        + (f"; failures {dict(failures)}" if failures else "")
        + f" ({meter.text()})"
    )


async def phases(run: Run) -> None:
    await join_viewers(run)
    try:
        await open_streams(run)
        await push_full(run)
        await push_targeted(run)
        await comments(run)
    finally:
        await close_streams(run)
    await polling(run)


def run_loop(coro: Coroutine[Any, Any, None], stock: bool) -> str:
    """Run ``coro`` on a new event loop (uvloop unless ``stock``); the loop's name."""
    if not stock:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runner.run(coro)
            return "uvloop"
    asyncio.run(coro)
    return "asyncio"


# --- one database -------------------------------------------------------------------------


def measure(backend: str, args: argparse.Namespace, scratch: Path, need_files: int) -> Section:
    section = Section(database_name(backend))

    def say(text: str) -> None:
        print(f"[{backend}] {text}", flush=True)

    with fresh_database(backend, scratch, "platform") as url:
        server = PlatformServer(
            url,
            in_process=args.in_process,
            prepare=functools.partial(raise_open_files, need_files),
        )
        limit = "(the client's)" if args.in_process else str(server.extra)
        try:
            db = Database(url, pool_size=2)
            try:
                section.version = database_version(db)
                stage = arrange(db, server.api)
            finally:
                db.dispose()
            say(f"{section.version}; platform at {server.base}, pid {server.pid}; {limit}")
            run = Run(server.port, server.pid, stage, args, section, say)
            run.rng.seed(args.seed)
            try:
                loop = run_loop(phases(run), args.stock_loop)
                say(f"client event loop: {loop}")
            except Exception as exc:
                traceback.print_exc()
                section.problems.append(f"the run failed: {exc!r}")
        finally:
            server.stop()
    return section


# --- output -------------------------------------------------------------------------------

HEADERS = ("database", "measurement", "p50 ms", "p99 ms", "max ms", "delivered", "notes")
ORDER = (
    "open {n} viewer streams",
    "full invitation (push)",
    "full invitation (push, during comments)",
    "targeted 1",
    "targeted 10",
    "full invitation (polling 1 s)",
    "comments on creator stream",
)


def cells(section: Section, viewers: int) -> list[list[str]]:
    if section.note:
        return [[section.database, section.note, "", "", "", "", ""]]
    rows = []
    for name in ORDER:
        name = name.format(n=viewers)
        m = next((x for x in section.lines if x.name == name), None)
        if m is None:
            rows.append([section.database, name, "-", "-", "-", "-", "not measured"])
            continue
        lat = m.latencies_ms
        rows.append(
            [
                section.database,
                name,
                f"{percentile(lat, 50):.1f}",
                f"{percentile(lat, 99):.1f}",
                f"{max(lat, default=math.nan):.1f}",
                m.delivered,
                "; ".join(m.notes),
            ]
        )
    return rows


def table(sections: list[Section], viewers: int) -> str:
    return text_table([list(HEADERS), *(row for s in sections for row in cells(s, viewers))])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, help="viewers, each with its own stream (1000)")
    parser.add_argument("--rounds", type=int, help="flash-buys of each kind (5)")
    parser.add_argument("--posters", type=int, default=16, help="comment connections (16)")
    parser.add_argument("--comments", type=int, help="comments posted at most (3000)")
    parser.add_argument(
        "--comment-seconds", type=float, help="seconds comments are posted for at most (20)"
    )
    parser.add_argument("--poll-seconds", type=float, help="seconds the viewers poll (15)")
    parser.add_argument(
        "--round-timeout",
        type=float,
        default=15.0,
        help="seconds to wait for a flash-buy to reach its viewers (15)",
    )
    parser.add_argument(
        "--join-seconds", type=float, default=120.0, help="seconds joining may take (120)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small run to check it works (100 viewers)"
    )
    parser.add_argument("--seed", type=int, default=7, help="picks the targeted viewers (7)")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="serve from a thread of this process, not a child process",
    )
    parser.add_argument(
        "--stock-loop", action="store_true", help="the client on asyncio's own loop, not uvloop"
    )
    parser.add_argument(
        "--only", choices=("sqlite", "postgres"), help="measure one database, not both"
    )
    args = parser.parse_args(argv)
    defaults = {
        "viewers": (100, 1000),
        "rounds": (2, 5),
        "comments": (300, 3000),
        "comment_seconds": (5.0, 20.0),
        "poll_seconds": (6.0, 15.0),
    }
    for name, (quick, full) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    if args.viewers < 10:
        parser.error("--viewers must be at least 10 (a flash-buy is targeted to 10)")
    most = QUOTA_FULL_DEFAULT - EXTRA_FULL
    if not 1 <= args.rounds <= most:
        parser.error(f"--rounds must be 1 to {most} (a product's full quota, less {EXTRA_FULL})")
    if args.posters < 1 or args.comments < 1:
        parser.error("--posters and --comments must be at least 1")
    if args.poll_seconds < 3:
        parser.error("--poll-seconds must be at least 3")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    need_files = 2 * args.viewers + 200  # streams, then polling connections, and the rest
    print(cores_line())
    print(
        f"settings: viewers={args.viewers} rounds={args.rounds} posters={args.posters} "
        f"comments={args.comments} comment-seconds={args.comment_seconds:g} "
        f"poll-seconds={args.poll_seconds:g} round-timeout={args.round_timeout:g} "
        f"server={'thread in this process' if args.in_process else 'child process'}"
        f"{' (quick)' if args.quick else ''}"
    )
    print(f"client: {raise_open_files(need_files)}")
    print(f"python {pyplatform.python_version()}, sqlalchemy {sa.__version__}", flush=True)
    started = time.perf_counter()
    sections = each_database(
        args.only,
        lambda backend, scratch: measure(backend, args, scratch, need_files),
        lambda: Section("PostgreSQL", note="not measured (PGHOST not set)"),
    )

    print()
    for s in sections:
        if s.version:
            print(f"{s.database}: {s.version}")
    print(
        f"{args.viewers} viewers on {os.cpu_count()} cores; push: ms from just before the POST "
        "until the invitation's bytes reached each viewer's stream, pooled over "
        f"{args.rounds} rounds; polling: ms until a poll's answer held it (each viewer polls "
        "once a second); comments: ms from POST to the creator's stream (viewer streams "
        "carry offers, not comments; during comments: one full flash-buy's invitation while "
        "they flood the creator's stream). "
        "Reference: every viewer within 500 ms at p99."
    )
    print()
    print(table(sections, args.viewers))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    problems = [f"{s.database}: {p}" for s in sections for p in s.problems]
    if problems:
        print("\nproblems:\n  " + "\n  ".join(problems))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

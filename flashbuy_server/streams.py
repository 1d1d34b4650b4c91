"""Live event streams (Server-Sent Events) for a room's creator and its viewers.

The events table is the truth; streams only read it. Per process and room, one
:class:`RoomFeed` reads new events once per wake-up into a bounded ring that
every stream of the room serves from, so a thousand viewers cost one query per
change, not a thousand. A stream that reconnects with ``Last-Event-ID`` (or
falls behind the ring) reads what it missed from the database, then continues
from the ring. Each stream writes to its own socket, so a slow or dead client
only ever waits for itself. A resume point beyond the room's newest event is
refused (``EVENT_ID_UNKNOWN``, with the room's ``last_event_id``): the client's
state came from another copy of the database, and it must read it again.

Wake-ups come from :attr:`Database.on_commit` in this process and, on
PostgreSQL, from LISTEN/NOTIFY, so a change made through another platform
process reaches streams here too.
"""

import asyncio
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import ID_MAX
from flashbuy_protocol.sse import CONNECTED, HEARTBEAT, encode
from flashbuy_server.db import NOTIFY_CHANNEL, Database
from flashbuy_server.deps import CreatorDep, DbDep, PathId, ViewerDep
from flashbuy_server.errors import ApiError
from flashbuy_server.events import AUDIENCE_ALL, AUDIENCE_CREATOR, AUDIENCE_TARGETS
from flashbuy_server.roomaccess import owned_room, require_present, room_row
from flashbuy_server.tables import event_targets, events
from flashbuy_server.viewer_records import OFFER_EVENTS, blocked_in_room

log = logging.getLogger(__name__)

RING_SIZE = 10_000  # events per room kept in memory for the streams
FETCH_BATCH = 2_000  # events read from the database at once
COALESCE_SECONDS = 0.02  # while events keep coming, streams wake at most this often
RETRY_SECONDS = 0.5  # after a failed read of new events


@dataclass(frozen=True)
class EventRecord:
    """One stored event, with its SSE frame encoded once for every stream."""

    id: int
    type: str
    audience: str
    targets: frozenset[int]
    frame: bytes
    # Kept only for targeted events, to re-frame them per viewer: the ring holds
    # thousands of events, and every dict in it is work for the garbage collector.
    payload: dict[str, Any] | None = None

    @classmethod
    def build(
        cls,
        room_id: int,
        event_id: int,
        type_: str,
        data: dict[str, Any],
        audience: str,
        targets: frozenset[int],
        created_at: datetime,
    ) -> "EventRecord":
        payload = {
            "id": event_id,
            "room_id": room_id,
            "type": type_,
            "data": data,
            "created_at": created_at.isoformat().replace("+00:00", "Z"),
        }
        kept = payload if audience == AUDIENCE_TARGETS or type_ == _RECORD else None
        return cls(event_id, type_, audience, targets, _frame(payload), kept)

    def visible_to(self, viewer_id: int) -> bool:
        """Whether a viewer's stream carries this event."""
        if self.audience == AUDIENCE_ALL:
            return True
        return self.audience == AUDIENCE_TARGETS and viewer_id in self.targets

    def frame_for(self, viewer_id: int) -> bytes:
        """The frame a viewer gets: a targeted offer names no other viewer."""
        if self.payload is None or not self.payload["data"].get("targets"):
            return self.frame
        targets = self.payload["data"]["targets"]
        data = {**self.payload["data"], "targets": [t for t in targets if t["id"] == viewer_id]}
        return _frame({**self.payload, "data": data})


_RECORD = "viewer.record"  # a seller's block or unblock: the feed follows who is blocked


def _frame(payload: dict[str, Any]) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return encode(payload["id"], payload["type"], text)


def read_events(
    db: Database, room_id: int, after: int, before: int | None = None, *, public: bool = False
) -> list[EventRecord]:
    """Up to FETCH_BATCH events of a room with ``after < id < before``, oldest first.

    ``public`` leaves out what only the creator sees, for viewer streams catching up.
    """
    conds = [events.c.room_id == room_id, events.c.id > after]
    if before is not None:
        conds.append(events.c.id < before)
    if public:
        conds.append(events.c.audience != AUDIENCE_CREATOR)
    with db.read() as conn:
        rows = conn.execute(
            sa.select(events).where(*conds).order_by(events.c.id).limit(FETCH_BATCH)
        ).all()
        targeted = [r.id for r in rows if r.audience == AUDIENCE_TARGETS]
        targets: dict[int, set[int]] = {i: set() for i in targeted}
        if targeted:
            for event_id, viewer_id in conn.execute(
                sa.select(event_targets.c.event_id, event_targets.c.viewer_id).where(
                    event_targets.c.room_id == room_id, event_targets.c.event_id.in_(targeted)
                )
            ):
                targets[event_id].add(viewer_id)
    return [
        EventRecord.build(
            room_id,
            r.id,
            r.type,
            r.data,
            r.audience,
            frozenset(targets.get(r.id, ())),
            r.created_at,
        )
        for r in rows
    ]


class RoomFeed:
    """The newest events of one room in memory, and a signal when more arrive."""

    def __init__(self, hub: "Hub", room_id: int, last_id: int) -> None:
        self.hub = hub
        self.room_id = room_id
        self.last_id = last_id  # every event up to here is in the database and in order
        self.ring: deque[EventRecord] = deque(maxlen=RING_SIZE)
        # What viewers may see, also kept apart: a flood of comments (the creator's only)
        # pushes everything else out of the ring above within seconds, and every viewer
        # stream would then read the gap from the database to find nothing in it for them.
        self.public_ring: deque[EventRecord] = deque(maxlen=RING_SIZE)
        self.public_floor = last_id  # every public event after this id is in public_ring
        self.changed = asyncio.Event()  # any new event: wakes the creator's streams
        self.changed_public = asyncio.Event()  # one a viewer may see: wakes viewer streams
        self.subscribers = 0
        # viewer id -> (the newest viewer.record event read of them, whether it blocks them)
        self.standings: dict[int, tuple[int, bool]] = {}
        self._task: asyncio.Task[None] | None = None
        self._dirty = False

    def poke(self) -> None:
        """Something may have been appended: read it (once, however often poked)."""
        if self._task is not None and not self._task.done():
            self._dirty = True
            return
        self._task = asyncio.get_running_loop().create_task(self._fetch())

    async def _fetch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            self._dirty = False
            try:
                batch = await run_in_threadpool(
                    read_events, self.hub.db, self.room_id, self.last_id
                )
            except Exception:
                log.exception("reading the events of room %s failed; retrying", self.room_id)
                # A wake-up must not be lost: the events are in the database, read them soon.
                loop.call_later(RETRY_SECONDS, self.poke)
                return
            if batch:
                self.ring.extend(batch)
                self._follow_standings(batch)
                self._keep_public([e for e in batch if e.audience != AUDIENCE_CREATOR])
                self.last_id = batch[-1].id
                self._signal(public=any(e.audience != AUDIENCE_CREATOR for e in batch))
            if len(batch) < FETCH_BATCH and not self._dirty:
                return
            # More came in meanwhile: gather it for a moment, so a flood of comments
            # wakes the streams at most every COALESCE_SECONDS, in batches.
            await asyncio.sleep(max(0.0, COALESCE_SECONDS - (loop.time() - started)))

    def _follow_standings(self, batch: list[EventRecord]) -> None:
        """Who the room's creator blocked, as its events tell (viewer_records.change)."""
        for e in batch:
            if e.type == _RECORD and e.payload is not None:
                data = e.payload["data"]
                self.standings[data["viewer_id"]] = (e.id, data["blocked"])

    def _keep_public(self, public: list[EventRecord]) -> None:
        dropped = len(self.public_ring) + len(public) - RING_SIZE
        if dropped > 0:  # the newest public event that falls out sets the floor
            self.public_floor = [*self.public_ring, *public][dropped - 1].id
        self.public_ring.extend(public)

    def public_after(self, cursor: int) -> list[EventRecord] | None:
        """Public events after ``cursor`` (to :attr:`last_id`), or None when not all are kept."""
        if cursor < self.public_floor:
            return None
        newer: list[EventRecord] = []
        for event in reversed(self.public_ring):
            if event.id <= cursor:
                break
            newer.append(event)
        newer.reverse()
        return newer

    def _signal(self, *, public: bool = True) -> None:
        # Wake the waiting streams, and give later waiters a fresh event to wait on.
        self.changed.set()
        self.changed = asyncio.Event()
        if public:
            self.changed_public.set()
            self.changed_public = asyncio.Event()

    def after(self, cursor: int) -> list[EventRecord] | None:
        """Events after ``cursor`` from the ring, or None when the ring no longer reaches back."""
        if not self.ring:
            return [] if cursor >= self.last_id else None
        first = self.ring[0].id
        if cursor + 1 < first:
            return None
        start = cursor + 1 - first  # the ring holds consecutive ids
        return [self.ring[i] for i in range(start, len(self.ring))]


class Hub:
    """Every open stream of this process, the feeds they read, and their wake-ups."""

    def __init__(self, db: Database, heartbeat_seconds: float) -> None:
        self.db = db
        self.heartbeat_seconds = heartbeat_seconds
        self.feeds: dict[int, RoomFeed] = {}
        self.closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: PgListener | None = None
        self._closed = asyncio.Event()

    async def start(self) -> None:
        """Begin taking wake-ups (call on the server's event loop)."""
        self._loop = asyncio.get_running_loop()
        self._closed = asyncio.Event()
        self.db.on_commit = self.notify_threadsafe
        if not self.db.is_sqlite:
            self._listener = PgListener(self.db, self.notify_threadsafe, self._poke_all_threadsafe)
            self._listener.start()

    def close(self) -> None:
        """End every stream now (thread-safe); called when the server begins to shut down."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self.closing = True
            return
        loop.call_soon_threadsafe(self._close)

    def _close(self) -> None:
        self.closing = True
        self._closed.set()
        for feed in self.feeds.values():
            feed._signal()

    async def stop(self) -> None:
        """Stop taking wake-ups (call on the server's event loop at shutdown)."""
        self._close()
        if self.db.on_commit == self.notify_threadsafe:
            self.db.on_commit = None
        if self._listener is not None:
            listener = self._listener
            self._listener = None
            await run_in_threadpool(listener.stop)

    def notify_threadsafe(self, room_ids: Iterable[int]) -> None:
        """Wake the feeds of these rooms; callable from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for room_id in room_ids:
            try:
                loop.call_soon_threadsafe(self._poke, room_id)
            except RuntimeError:  # the loop closed between the check and the call
                return

    def _poke_all_threadsafe(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._poke_all)

    def _poke_all(self) -> None:
        for feed in list(self.feeds.values()):
            feed.poke()

    def _poke(self, room_id: int) -> None:
        feed = self.feeds.get(room_id)
        if feed is not None:
            feed.poke()

    def subscribe(self, room_id: int, last_id: int) -> RoomFeed:
        """The room's feed, made on first use from the room's newest event id."""
        feed = self.feeds.get(room_id)
        if feed is None:
            feed = self.feeds[room_id] = RoomFeed(self, room_id, last_id)
        feed.subscribers += 1
        feed.poke()  # anything committed since last_id was read
        return feed

    def unsubscribe(self, feed: RoomFeed) -> None:
        """A stream of the feed ended; drop the feed with its last stream."""
        feed.subscribers -= 1
        if feed.subscribers == 0 and self.feeds.get(feed.room_id) is feed:
            del self.feeds[feed.room_id]

    async def stream(
        self,
        room_id: int,
        last_id: int,
        cursor: int,
        visible: Callable[[EventRecord], bytes | None],
        *,
        public: bool = False,
    ) -> AsyncIterator[bytes]:
        """SSE bytes: events after ``cursor`` that ``visible`` frames, then live ones, forever.

        A ``public`` (viewer) stream sleeps through events only the creator sees.
        """
        feed = self.subscribe(room_id, last_id)
        try:
            yield CONNECTED
            while not self.closing:
                kept = feed.public_after(cursor) if public else None
                ringed = feed.after(cursor) if kept is None else None
                if kept is not None:  # all a viewer may see, up to the feed's newest event
                    batch, gap_end = kept, feed.last_id
                elif ringed is not None:
                    batch, gap_end = ringed, ringed[-1].id if ringed else cursor
                else:  # behind the ring: catch up from the database
                    first = feed.ring[0].id if feed.ring else feed.last_id + 1
                    batch = await run_in_threadpool(
                        read_events, self.db, room_id, cursor, first, public=public
                    )
                    # A short batch covers the whole gap (all of it this stream may see).
                    gap_end = batch[-1].id if len(batch) == FETCH_BATCH else first - 1
                if gap_end > cursor:
                    frames = [f for f in (visible(e) for e in batch) if f is not None]
                    cursor = gap_end
                    if frames:
                        yield b"".join(frames)
                    continue
                changed = feed.changed_public if public else feed.changed
                try:
                    async with asyncio.timeout(self.heartbeat_seconds):
                        await changed.wait()
                except TimeoutError:
                    yield HEARTBEAT
        finally:
            self.unsubscribe(feed)


class PgListener(threading.Thread):
    """LISTENs on PostgreSQL for commits made by any platform process, and wakes the feeds."""

    def __init__(
        self,
        db: Database,
        notify: Callable[[Iterable[int]], None],
        reconnected: Callable[[], None],
    ) -> None:
        super().__init__(name="pg-listener", daemon=True)
        self._conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._notify = notify
        self._reconnected = reconnected
        self._stop_event = threading.Event()
        self.listening = threading.Event()

    def run(self) -> None:
        # Imported here: only a PostgreSQL platform needs the driver, and the packaged
        # console (SQLite only) leaves it out.
        import psycopg

        while not self._stop_event.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.listening.set()
                    # Whatever was committed while we were not listening is read now.
                    self._reconnected()
                    while not self._stop_event.is_set():
                        for note in conn.notifies(timeout=0.5):
                            rooms = [r for r in note.payload.split(",") if r.isdigit()]
                            self._notify(int(r) for r in rooms)
            except psycopg.Error:
                self.listening.clear()
                log.warning("lost the PostgreSQL listener connection; reconnecting", exc_info=True)
                self._stop_event.wait(1.0)

    def stop(self) -> None:
        """Stop listening and wait for the thread to end."""
        self._stop_event.set()
        self.join(timeout=5)


# --- HTTP ---------------------------------------------------------------------------------

router = APIRouter(tags=["events"])

_SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: `id:` the room's event id, `data:` an Event in JSON.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}
LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        description="Resume after this event id (sent on reconnect); one beyond the room's "
        "newest is refused: 409 EVENT_ID_UNKNOWN with `details.last_event_id`.",
    ),
]
After = Annotated[
    int | None,
    Query(
        ge=0,
        le=ID_MAX,
        description="Resume after this event id (if headers cannot be set); as Last-Event-ID.",
    ),
]


def get_hub(request: Request) -> Hub:
    """The event hub of the app serving this request."""
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


def _cursor(header: str | None, query: int | None) -> int | None:
    """Where a stream resumes: after the id given, or (None) from now on."""
    if header is not None and header.strip():
        try:
            value = int(header.strip())
        except ValueError:
            raise ApiError(
                ErrorCode.VALIDATION_FAILED, "Last-Event-ID must be an event id (a whole number)"
            ) from None
        if not 0 <= value <= ID_MAX:
            raise ApiError(ErrorCode.VALIDATION_FAILED, "Last-Event-ID is not an event id")
        return value
    return query


def _start(room_id: int, last_id: int, cursor: int | None) -> int:
    """The id a stream starts after: ``cursor``, or the room's newest event without one.

    A cursor beyond the newest event is an id this room never had: the client saw it
    from another copy of the database (a platform restored from a backup, a demo reset).
    Served, that stream would stay silent until the room caught up, then skip what came
    in between, and the client's state is wrong anyway; so it is refused with the room's
    newest id, from which the client streams again after reading its state afresh. Ids
    count per room, so any id up to that one is an event of this room.
    """
    if cursor is None:
        return last_id
    if cursor > last_id:
        raise ApiError(
            ErrorCode.EVENT_ID_UNKNOWN,
            f"room {room_id} has no event {cursor}: its newest is {last_id}; read the room's "
            "state again and resume after that id",
            last_event_id=last_id,
        )
    return cursor


def _sse(body: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        body,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/rooms/{room_id}/events", response_class=StreamingResponse, responses=_SSE_RESPONSE)
async def room_events(
    room_id: PathId,
    me: CreatorDep,
    db: DbDep,
    hub: HubDep,
    last_event_id: LastEventId = None,
    after: After = None,
) -> StreamingResponse:
    """Every event of the creator's room: comments, viewers, flash-buys, orders, the live."""
    cursor = _cursor(last_event_id, after)
    room = await run_in_threadpool(_owned, db, me.id, room_id)
    start = _start(room_id, room.last_event_id, cursor)
    return _sse(hub.stream(room_id, room.last_event_id, start, lambda e: e.frame))


@router.get(
    "/rooms/{room_id}/viewer-events", response_class=StreamingResponse, responses=_SSE_RESPONSE
)
async def viewer_events(
    room_id: PathId,
    me: ViewerDep,
    db: DbDep,
    hub: HubDep,
    last_event_id: LastEventId = None,
    after: After = None,
) -> StreamingResponse:
    """What this viewer may see: the live, and the flash-buys offered to them (and their hides)."""
    cursor = _cursor(last_event_id, after)
    room, blocked = await run_in_threadpool(_present, db, me.id, room_id)

    def visible(event: EventRecord) -> bytes | None:
        if not event.visible_to(me.id):
            return None
        if event.type in OFFER_EVENTS:
            # Blocked by the seller: no offer of theirs. The feed's latest word on it when
            # newer than what was read at the start (viewer_records.change appends it).
            feed = hub.feeds.get(room_id)
            seen = feed.standings.get(me.id) if feed is not None else None
            now = seen[1] if seen is not None and seen[0] > room.last_event_id else blocked
            if now:
                return None
        return event.frame_for(me.id)

    start = _start(room_id, room.last_event_id, cursor)
    return _sse(hub.stream(room_id, room.last_event_id, start, visible, public=True))


def _owned(db: Database, creator_id: int, room_id: int) -> Any:
    with db.read() as conn:
        return owned_room(conn, creator_id, room_id)


def _present(db: Database, viewer_id: int, room_id: int) -> tuple[Any, bool]:
    """The room, and whether its creator blocked the viewer as of its last_event_id."""
    with db.read() as conn:
        room = room_row(conn, room_id)
        require_present(conn, room_id, viewer_id)
        return room, blocked_in_room(conn, room_id, viewer_id)

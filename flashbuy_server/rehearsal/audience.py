"""The rehearsal audience: simulated viewers that join a live, comment, and buy.

It drives a platform through its public HTTP API, like real viewers' apps: each viewer
joins, reads its own event stream (:mod:`flashbuy_server.rehearsal.stream`), and tries to
buy the invitations it receives; then lives the sale after the click
(:mod:`flashbuy_server.rehearsal.buyers`): pays, late or never, cancels, waits in the queue.
The one exception is a flood: above ``HTTP_COMMENT_RATE`` an embedder that runs the
platform in-process may pass ``post_comments``, which stores each moment's comments in one
transaction (see :func:`flashbuy_server.rehearsal.shortcuts.
post_comments`). Given ``next_live``, the audience follows the creator from an ended live
into the next one. Used by ``flashbuy-audience``, by the demo (``flashbuy-server --demo``,
the console's embedded platform), and by load tests.

    audience = Audience(AudienceConfig(server="http://127.0.0.1:8700", room_id=1, viewers=50))
    audience.start()   # in a thread of its own
    ...
    stats = audience.stop()
"""

import asyncio
import contextlib
import logging
import random
import ssl
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from flashbuy_protocol.enums import FlashBuyStatus
from flashbuy_protocol.events import EventType
from flashbuy_protocol.limits import REGIONS
from flashbuy_server.rehearsal.audience_settings import (
    CALLS_AT_ONCE,
    FLASHBUYS_KEPT,
    FOLLOW_POLL_SECONDS,
    HTTP_COMMENT_RATE,
    INVITED_KEPT,
    JOINS_AT_ONCE,
    TICK_SECONDS,
    AudienceConfig,
    AudienceStats,
    NextLive,
    PostComments,
)
from flashbuy_server.rehearsal.buyers import Buyers
from flashbuy_server.rehearsal.plumbing import error_code, logged_task, retry_after, without_sniffio
from flashbuy_server.rehearsal.stream import read_viewer_stream
from flashbuy_server.rehearsal.viewer import Viewer
from flashbuy_server.rehearsal.words import comment_text, nickname

log = logging.getLogger("flashbuy_server.rehearsal")


class Audience:
    """Simulated viewers of a creator's live, run on an asyncio loop of their own.

    Viewers join one after another (a few at a time, as a real audience trickles in) and
    comment from the moment the first is in. Each reads its own event stream and may buy
    what it is offered, then pay for it (or not: :mod:`flashbuy_server.rehearsal.buyers`).
    When the live ends, the viewers leave it; given ``next_live``, they wait for the
    creator's next live and join it (as the same viewers), and so on.

    ``clock``: the time buyers pay and cancel by, the platform's (a test that moves the
    platform's clock passes the same one); the real time by default.
    """

    def __init__(
        self,
        config: AudienceConfig,
        *,
        next_live: NextLive | None = None,
        post_comments: PostComments | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.stats = AudienceStats()
        self.room_id = config.room_id  # the live the audience is in (or going to)
        self.listening = 0  # viewers whose stream of that live is open
        self.ready = threading.Event()  # every viewer has joined the first live and listens
        self.invited: deque[tuple[int, int]] = deque(maxlen=INVITED_KEPT)  # (viewer, offer)
        self._next_live = next_live
        self._post_comments = post_comments
        self._rng = random.Random(config.seed)  # noqa: S311 (a simulation, not a secret)
        self._crowd: dict[int, Viewer] = {}  # seat -> viewer: who re-enters the next live
        self._present: list[Viewer] = []  # in self.room_id now: who may comment
        self._arrived = asyncio.Event()  # someone is in self._present
        self._settled = 0  # viewers of this live that listen, or gave up
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._calls: httpx.AsyncClient | None = None  # requests, on a shared pool
        self._base = ""
        self._tls: ssl.SSLContext | None = None
        self._bought: set[tuple[int, int]] = set()
        self._inflight: set[asyncio.Task[None]] = set()  # comments, purchases, leaves
        self._lane_failing = False  # post_comments failed last time (logged once)
        self._news = threading.Condition()
        self._by_id: dict[int, Viewer] = {}  # every viewer that joined, by its id
        # Flash-buys' moments, to tell "back on sale" from a purchase's progress: the
        # revision at which each was seen sold out, and at which it came back.
        self._sold_out_at: OrderedDict[int, int] = OrderedDict()
        self._back_at: OrderedDict[int, int] = OrderedDict()
        self._modes: OrderedDict[int, str] = OrderedDict()  # offers' modes, by flash-buy
        self.buyers = Buyers(
            config,
            self.stats,
            self._rng,
            clock or (lambda: datetime.now(UTC)),
            viewer_of=self._by_id.get,
            spawn=self._spawn,
            busy=lambda: len(self._inflight),
            tell=self._tell,
        )

    # --- running ------------------------------------------------------------------------

    async def run(self) -> AudienceStats:
        """Join, comment and buy until :meth:`request_stop`; then stop and return the stats."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        without_sniffio()
        base = self.config.server.rstrip("/") + "/api/v1"
        # One TLS context for every client: building one takes about 16 ms and 0.8 MB, and
        # httpx builds one per client unless given one.
        self._tls = ssl.create_default_context()
        calls = httpx.AsyncClient(
            base_url=base,
            verify=self._tls,
            # No read timeout, as before the shared pool: a platform saturated by the flood
            # answers late, not wrongly; the stop bounds what is still under way.
            timeout=httpx.Timeout(self.config.request_timeout, read=None),
            limits=httpx.Limits(
                max_connections=CALLS_AT_ONCE, max_keepalive_connections=CALLS_AT_ONCE
            ),
        )
        self._base, self._calls = base, calls
        self.buyers.client = calls
        async with calls:
            attending = logged_task(self._attend(), "attend")
            chatter = logged_task(self._chatter(), "chatter")
            selling = logged_task(self.buyers.run(), "sale")
            try:
                await self._stop.wait()
            finally:
                self.ready.set()
                # No new comments, offers or buyer steps from here on.
                for task in (attending, chatter, selling):
                    task.cancel()
                await asyncio.gather(attending, chatter, selling, return_exceptions=True)
                await self._finish_inflight()
                self.buyers.clear()  # payments still to come are not made
                if self.config.leave_on_stop:
                    await self._leave_all(self.room_id, self._present)
        return self.stats

    def request_stop(self) -> None:
        """Ask :meth:`run` to finish (thread-safe)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)

    def start(self) -> "Audience":
        """Run in a daemon thread with its own event loop."""
        if self._thread is not None:
            raise RuntimeError("the audience is already running")
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self.run()), name="rehearsal-audience", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> AudienceStats:
        """Stop the thread started by :meth:`start` and wait for it; the stats."""
        thread = self._thread
        if thread is not None:
            # The loop may not exist yet if stop follows start at once: wait for it.
            while thread.is_alive() and self._stop is None:
                thread.join(0.01)
            self.request_stop()
            thread.join(timeout)
            self._thread = None
        return self.stats

    def present_ids(self) -> list[int]:
        """The viewers in the audience's live now (a copy; from any thread)."""
        return [viewer.id for viewer in list(self._present)]

    def wait_until(self, check: Callable[["Audience"], bool], timeout: float = 30) -> bool:
        """Wait (from another thread) until ``check(self)`` holds; False on timeout."""
        with self._news:
            return self._news.wait_for(lambda: check(self), timeout)

    def _tell(self) -> None:
        with self._news:
            self._news.notify_all()

    async def _finish_inflight(self) -> None:
        # Let requests under way finish, so the stats say what the platform did.
        grace = self.config.stop_grace
        if self._inflight:
            await asyncio.wait(
                list(self._inflight),
                timeout=self.config.request_timeout if grace is None else grace,
            )
        for task in list(self._inflight):
            task.cancel()
        await asyncio.gather(*self._inflight, return_exceptions=True)

    # --- following the creator's lives --------------------------------------------------

    async def _attend(self) -> None:
        """Be the audience of the live, and of each next one when ``next_live`` is given."""
        room_id = self.config.room_id
        while True:
            await self._watch(room_id)  # returns once this live has ended
            self.ready.set()
            ended, left = room_id, list(self._present)
            self._present = []
            self._arrived.clear()
            if self._next_live is None:
                return
            self._spawn(self._leave_all(ended, left))
            room_id = await self._find_next_live(ended)
            log.info("rehearsal audience: the live %s ended; joining live %s", ended, room_id)

    async def _find_next_live(self, ended: int) -> int:
        assert self._next_live is not None
        while True:
            try:
                room_id = await asyncio.to_thread(self._next_live, ended)
            except Exception:  # looked again in a moment
                log.exception("rehearsal audience: finding the next live failed")
                room_id = None
            if room_id is not None and room_id != ended:
                return room_id
            await asyncio.sleep(FOLLOW_POLL_SECONDS)

    async def _watch(self, room_id: int) -> None:
        """Everyone joins ``room_id`` and listens there, until the live ends."""
        began = time.monotonic()
        self.room_id, self.listening, self._settled = room_id, 0, 0
        self._present = []
        self._arrived.clear()
        self._tell()
        wanted = self.config.viewers
        if wanted == 0:
            self.ready.set()
            await asyncio.Event().wait()  # nobody to follow the live: until the stop
        ended = asyncio.Event()
        seats: asyncio.Queue[int] = asyncio.Queue()
        for seat in range(wanted):
            seats.put_nowait(seat)
        listeners: list[asyncio.Task[None]] = []

        async def usher() -> None:
            while not ended.is_set() and not seats.empty():
                viewer = await self._join(room_id, seats.get_nowait(), ended)
                if viewer is None:
                    self._settle(room_id)
                    continue
                self._present.append(viewer)
                self._arrived.set()
                listeners.append(
                    logged_task(self._listen(room_id, viewer, ended), f"viewer-{viewer.id}")
                )

        ushers = [logged_task(usher(), "usher") for _ in range(min(JOINS_AT_ONCE, wanted))]
        try:
            await asyncio.gather(*ushers)
            log.info(
                "rehearsal audience: %d of %d viewers joined live %s in %.1f s",
                len(self._present),
                wanted,
                room_id,
                time.monotonic() - began,
            )
            await ended.wait()
        finally:
            for task in [*ushers, *listeners]:
                task.cancel()
            await asyncio.gather(*ushers, *listeners, return_exceptions=True)

    def _settle(self, room_id: int, *, listens: bool = False) -> None:
        """One viewer of ``room_id`` listens now, or gave up."""
        if room_id != self.room_id:
            return
        self._settled += 1
        self.listening += listens
        if self._settled >= self.config.viewers:
            self.ready.set()
        self._tell()

    # --- one viewer ---------------------------------------------------------------------

    async def _join(self, room_id: int, seat: int, ended: asyncio.Event) -> Viewer | None:
        """The viewer of ``seat`` enters the live (as the same viewer as before, if known)."""
        assert self._calls is not None
        known = self._crowd.get(seat)
        if known is not None:
            name, region, headers = known.nickname, known.region, known.auth
        else:
            name, region, headers = nickname(self._rng), self._rng.choice(REGIONS[:31]), {}
        try:
            resp = await self._enter(room_id, name, region, headers)
            if resp.status_code == 401 and known is not None:  # the token expired: a new viewer
                resp = await self._enter(room_id, name, region, {})
        except httpx.HTTPError as exc:
            self.stats.errors += 1
            log.warning("rehearsal audience: a join failed: %s", exc)
            return None
        if resp.status_code != 200:
            if error_code(resp) == "LIVE_NOT_ACTIVE":
                ended.set()
            else:
                self.stats.errors += 1
                log.warning(
                    "rehearsal audience: join refused: %s %s", resp.status_code, resp.text[:200]
                )
            return None
        body = resp.json()
        viewer = Viewer(int(body["viewer"]["id"]), name, region, str(body["token"]))
        self._crowd[seat] = viewer
        self._by_id[viewer.id] = viewer
        self.stats.joined += 1
        return viewer

    async def _enter(
        self, room_id: int, name: str, region: str, headers: dict[str, str]
    ) -> httpx.Response:
        """POST the join; while the platform answers 429, wait as long as it says and again,
        as a viewer's app would (a crowd from one address meets the per-address limit)."""
        assert self._calls is not None
        while True:
            resp = await self._calls.post(
                f"/rooms/{room_id}/join", json={"nickname": name, "region": region}, headers=headers
            )
            wait = retry_after(resp)
            if wait is None:
                return resp
            await asyncio.sleep(wait)

    async def _listen(self, room_id: int, viewer: Viewer, ended: asyncio.Event) -> None:
        """Read the viewer's stream, resuming after drops, until the live ends.

        Each viewer has a client of its own for its stream, as its app would: one shared
        pool of a thousand never-ending streams makes every request scan them all.
        """
        client = httpx.AsyncClient(
            base_url=self._base,
            verify=self._tls or True,
            headers=viewer.auth,
            timeout=httpx.Timeout(self.config.request_timeout, read=None),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
        )
        listening = False
        try:
            async with client:
                listening = await self._read_stream(client, room_id, viewer, ended)
        finally:
            if not listening:  # a viewer that gave up must not hold back the others
                self._settle(room_id)

    async def _read_stream(
        self, client: httpx.AsyncClient, room_id: int, viewer: Viewer, ended: asyncio.Event
    ) -> bool:
        async def resync() -> set[int]:
            self.buyers.forget_viewer(viewer.id)
            reread = await self._offers_again(room_id, viewer)
            with self._news:
                self.stats.resyncs += 1
                self._news.notify_all()
            return reread

        def refused(_status: int) -> None:
            self.stats.errors += 1

        return await read_viewer_stream(
            client,
            room_id,
            viewer.id,
            ended,
            on_listening=lambda: self._settle(room_id, listens=True),
            on_offer=lambda offer: self._invited(viewer, offer),
            on_resync=resync,
            on_refused=refused,
            on_sale=lambda type_, data: self._sale_news(viewer, type_, data),
        )

    async def _offers_again(self, room_id: int, viewer: Viewer) -> set[int]:
        """The viewer forgets what it bought and takes the offers open to it now; their ids."""
        assert self._calls is not None
        self._bought = {(v, fb) for v, fb in self._bought if v != viewer.id}
        try:
            resp = await self._calls.get(f"/rooms/{room_id}/offers", headers=viewer.auth)
        except httpx.HTTPError as exc:
            self.stats.errors += 1
            log.warning("rehearsal audience: reading the offers failed: %r", exc)
            return set()
        if resp.status_code != 200:
            self.stats.errors += 1
            log.warning("rehearsal audience: offers refused: %s", error_code(resp))
            return set()
        offers: list[dict[str, Any]] = resp.json()
        for offer in offers:
            self._invited(viewer, offer)
        return {int(offer["id"]) for offer in offers}

    def _invited(self, viewer: Viewer, offer: dict[str, Any]) -> None:
        self.stats.invitations += 1
        flashbuy_id = int(offer["id"])
        with self._news:
            self.invited.append((viewer.id, flashbuy_id))
            self._news.notify_all()
        mode = str(offer.get("mode", "full"))
        _remember(self._modes, flashbuy_id, mode)
        if self._rng.random() < self._capped(self.config.buy_probability, mode):
            delay = self._rng.uniform(*self.config.reaction_seconds)
            self._spawn(self._buy(viewer, flashbuy_id, delay))

    def _capped(self, chance: float, mode: str) -> float:
        """``chance`` for one viewer, so that about ``buyers_per_offer`` of all try an offer
        made to everyone."""
        cap = self.config.buyers_per_offer
        if mode != "targeted" and cap is not None and self._present:
            return min(chance, cap / len(self._present))
        return chance

    # --- the sale after the click ---------------------------------------------------------

    def _sale_news(self, viewer: Viewer, type_: str, data: dict[str, Any]) -> None:
        """What the viewer's stream says of its orders and of the offers' stock."""
        if type_ == EventType.ORDER_PLACED:
            if int(data["viewer_id"]) == viewer.id:  # only its own reach it; to be sure
                self._bought.add((viewer.id, int(data["flashbuy_id"])))
                self.buyers.took(viewer, data)
        elif type_ == EventType.ORDER_UPDATED:
            if int(data["viewer_id"]) == viewer.id:
                self.buyers.heard(data)
        elif type_ == EventType.FLASHBUY_SOLD_OUT:
            self._seen_sold_out(viewer, data)
        elif type_ == EventType.FLASHBUY_UPDATED:
            self._seen_progress(viewer, data)

    def _seen_sold_out(self, viewer: Viewer, progress: dict[str, Any]) -> None:
        """Sold out: while some pieces are only held, the viewer may wait for one (候补)."""
        flashbuy_id, revision = int(progress["id"]), int(progress["revision"])
        if self._back_at.get(flashbuy_id, -1) < revision:
            seen = max(revision, self._sold_out_at.get(flashbuy_id, -1))
            _remember(self._sold_out_at, flashbuy_id, seen)
        if int(progress.get("held", 0)) <= 0 or (viewer.id, flashbuy_id) in self._bought:
            return
        mode = self._modes.get(flashbuy_id, "full")
        if self._rng.random() < self._capped(self.config.queue_share, mode):
            delay = self._rng.uniform(*self.config.reaction_seconds)
            self._spawn(self._buy(viewer, flashbuy_id, delay, on_purpose=True))

    def _seen_progress(self, viewer: Viewer, progress: dict[str, Any]) -> None:
        """A sold-out flash-buy on sale again (a piece came back, nobody waited for it): to
        the viewer it is offered anew, as it first was."""
        flashbuy_id, revision = int(progress["id"]), int(progress["revision"])
        if progress.get("status") != FlashBuyStatus.ACTIVE.value:
            return
        sold_out = self._sold_out_at.get(flashbuy_id)
        if sold_out is not None and sold_out < revision:
            del self._sold_out_at[flashbuy_id]
            _remember(self._back_at, flashbuy_id, revision)
        if self._back_at.get(flashbuy_id) == revision:
            mode = self._modes.get(flashbuy_id, "full")
            self._invited(viewer, {"id": flashbuy_id, "mode": mode})

    async def _post_as(
        self, viewer: Viewer, path: str, body: dict[str, Any], what: str
    ) -> httpx.Response | None:
        """A creating POST as ``viewer``, under a key of its own; None when no answer came
        (counted as an error and logged as ``what`` that failed)."""
        assert self._calls is not None
        try:
            return await self._calls.post(
                path, json=body, headers={**viewer.auth, "Idempotency-Key": uuid.uuid4().hex}
            )
        except httpx.HTTPError as exc:
            self.stats.errors += 1
            log.warning("rehearsal audience: %s failed: %r", what, exc)
            return None

    async def _buy(
        self, viewer: Viewer, flashbuy_id: int, delay: float, *, on_purpose: bool = False
    ) -> None:
        """Buy a piece; while every piece is held, that is a place in the queue (202), which
        ``on_purpose`` asks for on a sold-out offer."""
        await asyncio.sleep(delay)
        if (viewer.id, flashbuy_id) in self._bought:
            return
        self.stats.attempts += 1
        order = {"region": viewer.region}
        resp = await self._post_as(viewer, f"/flash-buys/{flashbuy_id}/orders", order, "a purchase")
        if resp is None:
            return
        if resp.status_code == 201:
            self.stats.orders += 1
            self._bought.add((viewer.id, flashbuy_id))
            self.buyers.took(viewer, resp.json())
        elif resp.status_code == 202:  # in the queue: its order.placed comes if a piece does
            self.stats.queued += 1
            self.stats.queued_on_purpose += on_purpose
            self._bought.add((viewer.id, flashbuy_id))
        else:
            code = error_code(resp)
            self.stats.refused[code] = self.stats.refused.get(code, 0) + 1
        self._tell()  # for wait_until on the stats

    # --- comments -----------------------------------------------------------------------

    async def _chatter(self) -> None:
        """Comments from random viewers in the live at the configured rate (Poisson)."""
        rate = self.config.comment_rate
        if rate <= 0:
            return
        batched = self._post_comments is not None and rate > HTTP_COMMENT_RATE
        most = max(1, int(rate))  # a stall of over a second is not made up for
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            if not self._present:  # between lives, or before the first viewer is in
                await self._arrived.wait()
                due = loop.time()  # the first one in says something at once
            now = loop.time()
            count = 0
            while due <= now and count < most:
                count += 1
                due += self._rng.expovariate(rate)
            due = max(due, now)  # too far behind: from now on
            present, room_id = self._present, self.room_id
            if count and present:
                said = [(self._rng.choice(present), comment_text(self._rng)) for _ in range(count)]
                if batched:
                    await self._post_batch(room_id, said)
                else:
                    for viewer, text in said:
                        if len(self._inflight) >= CALLS_AT_ONCE * 4:
                            self.stats.skipped += 1
                        else:
                            self._spawn(self._comment(room_id, viewer, text))
            await asyncio.sleep(max(due - loop.time(), TICK_SECONDS if batched else 0.0))

    async def _post_batch(self, room_id: int, said: list[tuple[Viewer, str]]) -> None:
        assert self._post_comments is not None
        try:
            stored = await asyncio.to_thread(
                self._post_comments, room_id, [(viewer.id, text) for viewer, text in said]
            )
        except Exception:  # said once; the next batch tries again
            self.stats.errors += 1
            if not self._lane_failing:
                log.exception("rehearsal audience: comments could not be posted")
            self._lane_failing = True
            return
        self._lane_failing = False
        self.stats.comments += stored

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _comment(self, room_id: int, viewer: Viewer, text: str) -> None:
        said = {"text": text}
        resp = await self._post_as(viewer, f"/rooms/{room_id}/comments", said, "a comment")
        if resp is None:
            return
        if resp.status_code == 201:
            self.stats.comments += 1
        elif resp.status_code == 429:  # faster than one viewer may write: that one is dropped
            self.stats.skipped += 1
        elif error_code(resp) not in ("LIVE_NOT_ACTIVE", "VIEWER_NOT_IN_ROOM"):
            self.stats.errors += 1  # (the live ended under it: no error)

    async def _leave_all(self, room_id: int, viewers: Sequence[Viewer]) -> None:
        """The viewers leave ``room_id``, a few at a time."""
        queue = list(viewers)

        async def walk_out() -> None:
            while queue:
                await self._leave(room_id, queue.pop())

        await asyncio.gather(*(walk_out() for _ in range(min(JOINS_AT_ONCE, len(queue)))))

    async def _leave(self, room_id: int, viewer: Viewer) -> None:
        assert self._calls is not None
        with contextlib.suppress(httpx.HTTPError):
            await self._calls.post(f"/rooms/{room_id}/leave", headers=viewer.auth)


def _remember(kept: "OrderedDict[int, Any]", key: int, value: Any) -> None:
    """Keep ``key``'s ``value`` as the newest, forgetting the oldest beyond FLASHBUYS_KEPT."""
    kept[key] = value
    kept.move_to_end(key)
    if len(kept) > FLASHBUYS_KEPT:
        kept.popitem(last=False)

"""The rehearsal audience: simulated viewers that join a live, comment, and buy.

It drives a platform only through its public HTTP API, like real viewers'
apps: each viewer joins, reads its own event stream (resuming with
Last-Event-ID after a drop), and tries to buy the invitations it receives.
Used by ``flashbuy-audience``, by the embedded demo, and by load tests.

    audience = Audience(AudienceConfig(server="http://127.0.0.1:8700", room_id=1, viewers=50))
    audience.start()   # in a thread of its own
    ...
    stats = audience.stop()
"""

import argparse
import asyncio
import contextlib
import json
import logging
import random
import signal
import sys
import threading
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from flashbuy_protocol.limits import REGIONS
from flashbuy_protocol.sse import SseDecoder

log = logging.getLogger(__name__)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_NAMES = (
    "小美",
    "阿珍",
    "玉儿",
    "大壮",
    "晓晓",
    "翠翠",
    "明明",
    "婷婷",
    "老周",
    "佳佳",
    "小雨",
    "阿杰",
)
_SMALL_TALK = (
    "主播好",
    "晚上好呀",
    "这个种水不错",
    "颜色好正",
    "能再近一点看看吗",
    "有证书吗",
    "手镯圈口多大",
    "好漂亮",
    "刚进来，在播什么",
    "支持主播",
    "这个是A货吗",
    "灯光下看看",
)
_INTENT = (
    "{n}号多少钱",
    "{n}号多少钱?",
    "要了",
    "#{n}",
    "{n}号我要",
    "拍了",
    "{n}号要",
    "这个多少钱",
)


def nickname(rng: random.Random) -> str:
    """A plausible Chinese viewer nickname."""
    return rng.choice(_SURNAMES) + rng.choice(_NAMES) + str(rng.randint(1, 999))


def comment_text(rng: random.Random, intent_share: float = 0.35) -> str:
    """Small talk, or now and then purchase intent about a piece number."""
    if rng.random() < intent_share:
        return rng.choice(_INTENT).format(n=rng.randint(1, 30))
    return rng.choice(_SMALL_TALK)


@dataclass(frozen=True)
class AudienceConfig:
    """What the audience does; ``comment_rate`` is comments per second for the whole room."""

    server: str
    room_id: int
    viewers: int = 20
    comment_rate: float = 2.0
    buy_probability: float = 0.3
    reaction_seconds: tuple[float, float] = (0.2, 2.0)
    seed: int | None = None
    request_timeout: float = 10.0

    def __post_init__(self) -> None:
        if not self.server.startswith(("http://", "https://")):
            raise ValueError(
                f"the server address must start with http:// or https://: {self.server!r}"
            )
        if self.room_id < 1:
            raise ValueError("the room id is a whole number from 1")
        if not 0 <= self.viewers <= 5_000:
            raise ValueError("viewers must be between 0 and 5000")
        if not 0 <= self.comment_rate <= 10_000:
            raise ValueError("the comment rate must be between 0 and 10000 per second")
        if not 0 <= self.buy_probability <= 1:
            raise ValueError("the buy probability must be between 0 and 1")
        low, high = self.reaction_seconds
        if not 0 <= low <= high:
            raise ValueError("the reaction time range must be 0 <= low <= high")


@dataclass
class AudienceStats:
    """What the audience did so far."""

    joined: int = 0
    comments: int = 0
    invitations: int = 0
    attempts: int = 0
    orders: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    errors: int = 0


@dataclass
class _Viewer:
    id: int
    nickname: str
    region: str
    client: httpx.AsyncClient


class Audience:
    """Simulated viewers of one live room, run on an asyncio loop of their own."""

    def __init__(self, config: AudienceConfig) -> None:
        self.config = config
        self.stats = AudienceStats()
        self._rng = random.Random(config.seed)  # noqa: S311 (a simulation, not a secret)
        self._viewers: list[_Viewer] = []
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bought: set[tuple[int, int]] = set()
        self._inflight: set[asyncio.Task[None]] = set()  # comments and purchases under way
        self.ready = threading.Event()  # set once every viewer has joined and listens
        self.invited: list[tuple[int, int]] = []  # (viewer id, flash-buy id), as received
        self._news = threading.Condition()

    # --- running ------------------------------------------------------------------------

    async def run(self) -> AudienceStats:
        """Join, comment and buy until :meth:`request_stop`; then leave and return the stats."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        base = self.config.server.rstrip("/") + "/api/v1"
        limits = httpx.Limits(max_connections=self.config.viewers * 2 + 10)
        timeout = httpx.Timeout(self.config.request_timeout, read=None)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as shared:
            tasks: list[asyncio.Task[None]] = []
            try:
                joined = await asyncio.gather(
                    *(self._join(shared) for _ in range(self.config.viewers)),
                    return_exceptions=True,
                )
                self._viewers = [v for v in joined if isinstance(v, _Viewer)]
                listening = [asyncio.Event() for _ in self._viewers]
                tasks = [
                    asyncio.create_task(self._listen(v, ev), name=f"viewer-{v.id}")
                    for v, ev in zip(self._viewers, listening, strict=True)
                ]
                tasks.append(asyncio.create_task(self._chatter(), name="chatter"))
                await self._until_listening(listening)
                self.ready.set()
                await self._stop.wait()
            finally:
                self.ready.set()
                for task in tasks:  # no new comments or offers from here on
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                # Let requests under way finish, so the stats say what the platform did.
                if self._inflight:
                    await asyncio.wait(list(self._inflight), timeout=self.config.request_timeout)
                for task in list(self._inflight):
                    task.cancel()
                await asyncio.gather(*self._inflight, return_exceptions=True)
                await asyncio.gather(
                    *(self._leave(v) for v in self._viewers), return_exceptions=True
                )
                for viewer in self._viewers:
                    await viewer.client.aclose()
        return self.stats

    async def _until_listening(self, listening: list[asyncio.Event]) -> None:
        """Wait until every viewer's stream is open (or gave up), or a stop."""
        assert self._stop is not None
        everyone: asyncio.Future[list[bool]] = asyncio.ensure_future(
            asyncio.gather(*(ev.wait() for ev in listening))
        )
        stopped: asyncio.Future[bool] = asyncio.ensure_future(self._stop.wait())
        waiters: list[asyncio.Future[Any]] = [everyone, stopped]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in (everyone, stopped):
            waiter.cancel()
        await asyncio.gather(everyone, stopped, return_exceptions=True)

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
        """Stop the thread started by :meth:`start`: viewers leave, connections close."""
        thread = self._thread
        if thread is not None:
            # The loop may not exist yet if stop follows start at once: wait for it.
            while thread.is_alive() and self._stop is None:
                thread.join(0.01)
            self.request_stop()
            thread.join(timeout)
            self._thread = None
        return self.stats

    # --- one viewer ---------------------------------------------------------------------

    async def _join(self, shared: httpx.AsyncClient) -> _Viewer:
        name = nickname(self._rng)
        region = self._rng.choice(REGIONS[:31])  # mainland provinces
        resp = await shared.post(
            f"/rooms/{self.config.room_id}/join", json={"nickname": name, "region": region}
        )
        if resp.status_code != 200:
            self.stats.errors += 1
            raise RuntimeError(f"join failed: {resp.status_code} {resp.text[:200]}")
        body = resp.json()
        client = httpx.AsyncClient(
            base_url=str(shared.base_url),
            headers={"Authorization": f"Bearer {body['token']}"},
            timeout=httpx.Timeout(self.config.request_timeout, read=None),
        )
        self.stats.joined += 1
        return _Viewer(body["viewer"]["id"], name, region, client)

    async def _listen(self, viewer: _Viewer, listening: asyncio.Event) -> None:
        """Read the viewer's stream for ever, resuming after drops, reacting to invitations."""
        try:
            await self._read_stream(viewer, listening)
        finally:
            listening.set()  # a viewer that gave up must not hold back the others

    async def _read_stream(self, viewer: _Viewer, listening: asyncio.Event) -> None:
        last_id: str | None = None
        backoff = 0.2
        while True:
            headers = {"Last-Event-ID": last_id} if last_id else {}
            try:
                async with viewer.client.stream(
                    "GET", f"/rooms/{self.config.room_id}/viewer-events", headers=headers
                ) as resp:
                    if resp.status_code != 200:
                        self.stats.errors += 1
                        log.warning("viewer %s stream refused: %s", viewer.id, resp.status_code)
                        return
                    decoder = SseDecoder()
                    async for line in resp.aiter_lines():
                        if line == ": connected":
                            listening.set()
                            backoff = 0.2
                        message = decoder.feed_line(line)
                        if message is None:
                            continue
                        last_id = message.id
                        if message.event == "flashbuy.created":
                            self._invited(viewer, json.loads(message.data)["data"])
                        elif message.event == "live.ended":
                            return
            except (httpx.HTTPError, OSError):
                pass
            await asyncio.sleep(backoff)  # reconnect, resuming where we were
            backoff = min(backoff * 2, 5.0)

    def wait_until(self, check: Callable[["Audience"], bool], timeout: float = 30) -> bool:
        """Wait (from another thread) until ``check(self)`` holds; False on timeout."""
        with self._news:
            return self._news.wait_for(lambda: check(self), timeout)

    def _invited(self, viewer: _Viewer, offer: dict[str, Any]) -> None:
        self.stats.invitations += 1
        with self._news:
            self.invited.append((viewer.id, int(offer["id"])))
            self._news.notify_all()
        if self._rng.random() < self.config.buy_probability:
            delay = self._rng.uniform(*self.config.reaction_seconds)
            self._spawn(self._buy(viewer, offer["id"], delay))

    async def _buy(self, viewer: _Viewer, flashbuy_id: int, delay: float) -> None:
        await asyncio.sleep(delay)
        if (viewer.id, flashbuy_id) in self._bought:
            return
        self.stats.attempts += 1
        try:
            resp = await viewer.client.post(
                f"/flash-buys/{flashbuy_id}/orders",
                json={"region": viewer.region},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
        except httpx.HTTPError:
            self.stats.errors += 1
            return
        if resp.status_code == 201:
            self.stats.orders += 1
            self._bought.add((viewer.id, flashbuy_id))
        else:
            code = _error_code(resp)
            self.stats.refused[code] = self.stats.refused.get(code, 0) + 1

    async def _chatter(self) -> None:
        """Comments from random viewers at the configured rate (a Poisson process)."""
        if self.config.comment_rate <= 0 or not self._viewers:
            return
        while True:
            await asyncio.sleep(self._rng.expovariate(self.config.comment_rate))
            viewer = self._rng.choice(self._viewers)
            self._spawn(self._comment(viewer, comment_text(self._rng)))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _comment(self, viewer: _Viewer, text: str) -> None:
        try:
            resp = await viewer.client.post(
                f"/rooms/{self.config.room_id}/comments",
                json={"text": text},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
        except httpx.HTTPError:
            self.stats.errors += 1
            return
        if resp.status_code == 201:
            self.stats.comments += 1
        else:
            self.stats.errors += 1

    async def _leave(self, viewer: _Viewer) -> None:
        with contextlib.suppress(httpx.HTTPError):
            await viewer.client.post(f"/rooms/{self.config.room_id}/leave")


def _error_code(resp: httpx.Response) -> str:
    try:
        return str(resp.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP_{resp.status_code}"


# --- command line -------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashbuy-audience",
        description="Simulated viewers that join a live room, comment in Chinese and buy.",
    )
    parser.add_argument(
        "--server", required=True, help="platform address, e.g. http://127.0.0.1:8700"
    )
    parser.add_argument("--room", type=int, required=True, help="live room id")
    parser.add_argument("--viewers", type=int, default=20, help="how many viewers (0-5000)")
    parser.add_argument(
        "--comment-rate", type=float, default=2.0, help="comments per second in all"
    )
    parser.add_argument("--buy-probability", type=float, default=0.3, help="chance to buy an offer")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--seed", type=int, help="make the run repeatable")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run an audience until Ctrl-C (or --duration); print what it did as JSON."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = AudienceConfig(
            server=args.server,
            room_id=args.room,
            viewers=args.viewers,
            comment_rate=args.comment_rate,
            buy_probability=args.buy_probability,
            seed=args.seed,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.duration is not None and args.duration <= 0:
        parser.error("--duration must be more than 0 seconds")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    async def main_async() -> AudienceStats:
        audience = Audience(config)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, audience.request_stop)
        if args.duration is not None:
            loop.call_later(args.duration, audience.request_stop)
        return await audience.run()

    stats = asyncio.run(main_async())
    print(json.dumps(asdict(stats), ensure_ascii=False, indent=2))
    return 0 if stats.joined == config.viewers else 1


if __name__ == "__main__":
    sys.exit(main())

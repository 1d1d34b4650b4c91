"""The expiry job's cost: many held orders due at once, and the purchases meanwhile.

For each database, over real HTTP against a real platform on 127.0.0.1 (its own process,
with its job runner, as deployed):

* arranging: a creator goes live; ``--orders`` held orders are placed through the
  platform's own purchase function (``orders.buy``, as a request would, events and expiry
  jobs included) on ``--flashbuys`` flash-buys of that live, by viewers entered through
  ``rooms.enter``; each order's pay window is 30 minutes, so none is due yet;
* the quiet baseline: a steady stream of buyers, ``--rate`` purchases a second (each
  sent at its due time by one of ``--concurrency`` client threads), buys another
  flash-buy of the same live for ``--baseline`` seconds: purchase p50/p99;
* the expiry: every one of those held orders' pay windows is made to end at one instant
  T, a second ahead (their ``pay_until`` and their jobs' ``due_at``: what a clock moved
  past them would show), while the same steady stream buys a third flash-buy of the live.
  The job runner, polling as it does, expires them all; the time from T to the last
  ``closed_at`` is the time to expire all (orders/s), and the purchases due between T and
  then give the purchase p50/p99 during the expiry;
* the check: every one of those orders expired exactly once (expired, its job gone, the
  viewer's expired count 1 per order), every piece back on sale (sold 0, held 0), the
  live's held count equal to the stream's held orders.

A purchase's latency is counted from its due time, not from when a thread got to send
it: a stall of the platform counts in full for every purchase it delays. The held orders
and the stream share one live room: each expiry takes that room's lock, as a purchase
does, which is the worst case for the buyers. PostgreSQL is measured when ``PGHOST`` is
set (run under ``scripts/with-postgres.sh``), in a fresh database dropped at the end.

    python -m benchmarks.expiry [--quick] [--orders N] [--rate N] [--only sqlite]
"""

import argparse
import math
import platform as pyplatform
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import requests
import sqlalchemy as sa

from benchmarks._common import (
    REGION,
    PlatformServer,
    cores_line,
    database_name,
    database_version,
    each_database,
    fresh_database,
    new_session,
    percentile,
    text_table,
)
from benchmarks.purchase_race import QUEUED, Stage, arrange, buy
from flashbuy_protocol.limits import PAY_MINUTES_MAX, STOCK_MAX
from flashbuy_protocol.models import JoinRoom, OrderCreate
from flashbuy_server.db import Database
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import flashbuys, jobs, orders, rooms, viewer_records

LEAD_SECONDS = 1.0  # from moving the windows to T: the stream is running by then
PLACE_BATCH = 250  # held orders placed per transaction while arranging
WATCH_SECONDS = 0.5  # how often the benchmark counts the orders still held


# --- arranging ----------------------------------------------------------------------------


def enter_viewers(
    db: Database, url: str, room_id: int, count: int, name: str
) -> list[tuple[int, str]]:
    """``count`` new viewers enter the room through the platform's function: (id, token)."""
    from flashbuy_server import rooms as room_service
    from flashbuy_server.config import Settings

    settings = Settings(database_url=url)
    entered: list[tuple[int, str]] = []
    while len(entered) < count:
        with db.write() as conn:
            for _ in range(min(PLACE_BATCH, count - len(entered))):
                body = JoinRoom(nickname=f"{name}{len(entered)}", region=REGION)
                viewer, token, _room = room_service.enter(conn, settings, room_id, body, None)
                assert token is not None
                entered.append((viewer.id, token))
    return entered


def place_held(db: Database, viewer_ids: list[int], flashbuy_ids: list[int], count: int) -> None:
    """``count`` held orders, each viewer buying one piece of each flash-buy in turn."""
    from flashbuy_server import orders as order_service

    body = OrderCreate(region=REGION)
    pairs = [(v, f) for v in viewer_ids for f in flashbuy_ids][:count]
    assert len(pairs) == count
    for start in range(0, count, PLACE_BATCH):
        with db.write() as conn:
            for viewer_id, flashbuy_id in pairs[start : start + PLACE_BATCH]:
                order_service.buy(conn, viewer_id, flashbuy_id, body, utcnow())


def move_windows(db: Database, flashbuy_ids: list[int], at: datetime) -> int:
    """Make the held orders of the flash-buys due at ``at``, their jobs with them; how many."""
    from flashbuy_server.settlement import EXPIRE_KIND

    held = sa.and_(orders.c.flashbuy_id.in_(flashbuy_ids), orders.c.status == "held")
    keys = sa.select(sa.cast(orders.c.id, sa.String)).where(held).scalar_subquery()
    with db.write() as conn:
        moved = conn.execute(orders.update().where(held).values(pay_until=at)).rowcount
        jobs_moved = conn.execute(
            jobs.update().where(jobs.c.kind == EXPIRE_KIND, jobs.c.key.in_(keys)).values(due_at=at)
        ).rowcount
    if moved != jobs_moved:
        raise RuntimeError(f"{moved} held orders but {jobs_moved} expiry jobs")
    return int(moved)


def still_held(db: Database, flashbuy_ids: list[int]) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(orders)
                .where(orders.c.flashbuy_id.in_(flashbuy_ids), orders.c.status == "held")
            ).scalar_one()
        )


# --- the steady stream of buyers ----------------------------------------------------------


@dataclass
class Sample:
    due: float  # perf_counter time the purchase was due
    ms: float  # from its due time to its answer
    code: str  # "" an order, QUEUED, or an error code


class Stream:
    """Purchases at a steady rate: the i-th is due at start + i / rate, sent by whichever of
    the client threads is free. Each viewer buys one piece of a flash-buy; when all have,
    the stream goes on with a new flash-buy of the live (``title`` and a number)."""

    def __init__(
        self, stage: Stage, tokens: list[str], rate: float, threads: int, title: str
    ) -> None:
        self.stage, self.tokens, self.rate, self.threads = stage, tokens, rate, threads
        self.title = title
        self.samples: list[Sample] = []
        self.failures: list[str] = []
        self.flashbuy_ids: list[int] = []
        self._lock = threading.Lock()
        self._next = 0
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self.start = 0.0

    def begin(self) -> None:
        self._flashbuy(0)
        self.start = time.perf_counter() + 0.05
        self._workers = [
            threading.Thread(target=self._client, daemon=True) for _ in range(self.threads)
        ]
        for w in self._workers:
            w.start()

    def end(self) -> list[Sample]:
        self._stop.set()
        for w in self._workers:
            w.join(120)
        if any(w.is_alive() for w in self._workers):
            raise RuntimeError("the stream's client threads did not finish in time")
        if self.failures:
            raise RuntimeError(f"{len(self.failures)} stream thread(s) failed: {self.failures[0]}")
        return self.samples

    def _take(self) -> int:
        with self._lock:
            self._next += 1
            return self._next - 1

    def _flashbuy(self, round_no: int) -> int:
        """The flash-buy of the stream's ``round_no``-th pass over its viewers."""
        with self._lock:
            while len(self.flashbuy_ids) <= round_no:
                self.flashbuy_ids.append(
                    self.stage.create_flashbuy(
                        STOCK_MAX,
                        f"{self.title} {len(self.flashbuy_ids) + 1}",
                        pay_minutes=PAY_MINUTES_MAX,
                    )
                )
            return self.flashbuy_ids[round_no]

    def _client(self) -> None:
        session = new_session()
        mine: list[Sample] = []
        try:
            while not self._stop.is_set():
                i = self._take()
                round_no, viewer = divmod(i, len(self.tokens))
                flashbuy_id = self._flashbuy(round_no)  # made ahead, before it is due
                due = self.start + i / self.rate
                # Pacing a steady arrival rate, not waiting for a result.
                if self._stop.wait(max(0.0, due - time.perf_counter())):
                    break
                _status, code = buy(session, self.stage.api, flashbuy_id, self.tokens[viewer])
                mine.append(Sample(due, (time.perf_counter() - due) * 1000, code))
        except Exception as exc:
            self.failures.append(repr(exc))
        finally:
            session.close()
            with self._lock:
                self.samples.extend(mine)


def stream_phase(stage: Stage, tokens: list[str], args: argparse.Namespace, title: str) -> Stream:
    stream = Stream(stage, tokens, args.rate, args.concurrency, title)
    stream.begin()
    return stream


# --- one database -------------------------------------------------------------------------


@dataclass
class Latencies:
    count: int = 0
    p50: float = math.nan
    p99: float = math.nan
    refused: int = 0

    @classmethod
    def of(cls, samples: list[Sample]) -> "Latencies":
        ms = [s.ms for s in samples]
        refused = sum(1 for s in samples if s.code not in ("", QUEUED))
        return cls(len(ms), percentile(ms, 50), percentile(ms, 99), refused)

    def cell(self) -> str:
        if not self.count:
            return "-"
        return f"{self.p50:.0f} / {self.p99:.0f} (n={self.count})"


@dataclass
class Row:
    database: str
    version: str = ""
    orders: int = 0
    expired: int = 0
    placing_s: float = math.nan
    expire_s: float = math.nan
    first_s: float = math.nan
    quiet: Latencies = field(default_factory=Latencies)
    during: Latencies = field(default_factory=Latencies)
    problems: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def rate(self) -> float:
        return self.expired / self.expire_s if self.expire_s > 0 else math.nan


def check(db: Database, row: Row, held_fbs: list[int], room_id: int, stream_held: int) -> None:
    """Every held order expired once, every piece back on sale, the live's totals right."""
    from flashbuy_server.settlement import EXPIRE_KIND

    ours = orders.c.flashbuy_id.in_(held_fbs)
    with db.read() as conn:
        statuses: dict[str, int] = dict(
            conn.execute(
                sa.select(orders.c.status, sa.func.count()).where(ours).group_by(orders.c.status)
            ).all()
        )
        keys = sa.select(sa.cast(orders.c.id, sa.String)).where(ours).scalar_subquery()
        left = conn.execute(
            sa.select(sa.func.count()).where(jobs.c.kind == EXPIRE_KIND, jobs.c.key.in_(keys))
        ).scalar_one()
        pieces = conn.execute(
            sa.select(flashbuys.c.sold, flashbuys.c.held, flashbuys.c.status).where(
                flashbuys.c.id.in_(held_fbs)
            )
        ).all()
        expired_counted = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(viewer_records.c.expired_count), 0))
        ).scalar_one()
        held_count = conn.execute(
            sa.select(rooms.c.held_count).where(rooms.c.id == room_id)
        ).scalar_one()
    if statuses != {"expired": row.orders}:
        row.problems.append(f"held orders' statuses after the run: {statuses}")
    if left:
        row.problems.append(f"{left} expiry jobs of those orders left")
    if any(p.sold or p.held or p.status != "active" for p in pieces):
        row.problems.append(f"pieces not all back on sale: {[tuple(p) for p in pieces]}")
    if expired_counted != row.orders:
        row.problems.append(
            f"viewers' expired counts add up to {expired_counted}, not {row.orders}"
        )
    if held_count != stream_held:
        row.problems.append(
            f"the live's held count is {held_count}, the stream holds {stream_held}"
        )


def measure(backend: str, args: argparse.Namespace, scratch: Path) -> Row:
    row = Row(database_name(backend), orders=args.orders)

    def say(text: str) -> None:
        print(f"[{backend}] {text}", flush=True)

    with fresh_database(backend, scratch, "platform") as url:
        server = PlatformServer(url)
        db = Database(url, pool_size=4)
        try:
            row.version = database_version(db)
            say(f"{row.version}; platform at {server.base}")
            stage = arrange(db, server.api)
            per = math.ceil(args.orders / args.flashbuys)
            held_fbs = [
                stage.create_flashbuy(per, f"held {n}", pay_minutes=PAY_MINUTES_MAX)
                for n in range(args.flashbuys)
            ]
            t0 = time.perf_counter()
            holders = enter_viewers(db, url, stage.room_id, per, "候补")
            buyers = enter_viewers(db, url, stage.room_id, args.viewers, "观众")
            say(f"{per + args.viewers} viewers entered in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            place_held(db, [v for v, _t in holders], held_fbs, args.orders)
            row.placing_s = time.perf_counter() - t0
            say(
                f"{args.orders} held orders placed on {args.flashbuys} flash-buys in "
                f"{row.placing_s:.1f} s ({args.orders / row.placing_s:.0f}/s, in one process)"
            )
            tokens = [t for _v, t in buyers]

            quiet = stream_phase(stage, tokens, args, "quiet")
            time.sleep(args.baseline)  # the baseline's length, the stream runs meanwhile
            row.quiet = Latencies.of(quiet.end())
            say(f"quiet: p50/p99 {row.quiet.cell()} ms")

            stream = stream_phase(stage, tokens, args, "during expiry")
            at = utcnow() + timedelta(seconds=LEAD_SECONDS)
            moved = move_windows(db, held_fbs, at)
            # perf_counter time of T, for the stream's due times
            t_at = time.perf_counter() + (at - utcnow()).total_seconds()
            if moved != args.orders:
                row.problems.append(f"{moved} held orders to expire, not {args.orders}")
            deadline = time.monotonic() + args.time_limit
            while (left := still_held(db, held_fbs)) and time.monotonic() < deadline:
                time.sleep(WATCH_SECONDS)
            t_done = time.perf_counter()
            samples = stream.end()
            row.expired = args.orders - left
            if left:
                row.problems.append(f"{left} orders still held after {args.time_limit:g} s")
            with db.read() as conn:
                first, last = conn.execute(
                    sa.select(
                        sa.func.min(orders.c.closed_at), sa.func.max(orders.c.closed_at)
                    ).where(orders.c.flashbuy_id.in_(held_fbs), orders.c.status == "expired")
                ).one()
            if first is not None:
                row.first_s = (first - at).total_seconds()
                row.expire_s = (last - at).total_seconds()
            # The purchases due while orders were expiring: from T to the last expiry.
            t_last = t_at + (row.expire_s if row.expire_s > 0 else t_done - t_at)
            row.during = Latencies.of([s for s in samples if t_at <= s.due <= t_last])
            say(
                f"expired {row.expired} in {row.expire_s:.1f} s after T "
                f"({row.rate:.0f}/s, first after {row.first_s:.2f} s); "
                f"purchases meanwhile p50/p99 {row.during.cell()} ms"
            )
            for name, lat in (("quiet", row.quiet), ("during", row.during)):
                if lat.refused:
                    row.problems.append(f"{lat.refused} purchases refused ({name})")
            stream_held = sum(1 for s in quiet.samples + samples if s.code == "")
            check(db, row, held_fbs, stage.room_id, stream_held)
            stage.creator.close()
        finally:
            db.dispose()
            server.stop()
    return row


# --- output -------------------------------------------------------------------------------

HEADERS = (
    "database",
    "held orders",
    "time to expire all s",
    "expired/s",
    "first expiry after T s",
    "purchase p50/p99 ms, quiet",
    "purchase p50/p99 ms, during expiry",
    "p99 change",
)


def cells(row: Row) -> list[str]:
    if row.note:
        return [row.database, row.note] + [""] * (len(HEADERS) - 2)
    change = row.during.p99 / row.quiet.p99 if row.quiet.p99 else math.nan
    return [
        row.database,
        f"{row.orders:,}" + ("" if row.expired == row.orders else f" ({row.expired:,} expired)"),
        f"{row.expire_s:.1f}",
        f"{row.rate:.0f}",
        f"{row.first_s:.2f}",
        row.quiet.cell(),
        row.during.cell(),
        f"x{change:.1f}",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, help="held orders due at once (10000)")
    parser.add_argument("--flashbuys", type=int, default=4, help="flash-buys they are of (4)")
    parser.add_argument("--rate", type=float, help="the stream's purchases per second (40)")
    parser.add_argument("--concurrency", type=int, default=16, help="stream client threads (16)")
    parser.add_argument("--baseline", type=float, help="seconds of the quiet stream (20)")
    parser.add_argument(
        "--viewers",
        type=int,
        help="viewers of the stream: each buys one piece of a flash-buy, then of the next (3000)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=900.0, help="seconds the expiry may take (900)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small run to check it works (500 orders)"
    )
    parser.add_argument(
        "--only", choices=("sqlite", "postgres"), help="measure one database, not both"
    )
    args = parser.parse_args(argv)
    defaults = {"orders": 10_000, "rate": 40.0, "baseline": 30.0, "viewers": 3_000}
    if args.quick:
        defaults = {"orders": 500, "rate": 20.0, "baseline": 3.0, "viewers": 300}
    for name, default in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, default)
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    if args.viewers > STOCK_MAX:
        parser.error(f"--viewers is at most {STOCK_MAX}, one flash-buy's largest stock")
    if math.ceil(args.orders / args.flashbuys) > STOCK_MAX:
        parser.error(f"more --flashbuys: each holds at most {STOCK_MAX} orders")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(cores_line())
    print(
        f"settings: orders={args.orders} on {args.flashbuys} flash-buys, stream {args.rate:g}/s "
        f"on {args.concurrency} threads, quiet {args.baseline:g} s, viewers={args.viewers}"
        f"{' (quick)' if args.quick else ''}"
    )
    print(
        f"python {pyplatform.python_version()}, sqlalchemy {sa.__version__}, "
        f"psycopg {psycopg.__version__}, sqlite {sqlite3.sqlite_version}, "
        f"requests {requests.__version__}",
        flush=True,
    )
    started = time.perf_counter()
    rows = each_database(
        args.only,
        lambda backend, scratch: measure(backend, args, scratch),
        lambda: Row("PostgreSQL", note="not measured (PGHOST not set)"),
    )
    print()
    for row in rows:
        if row.version:
            print(f"{row.database}: {row.version}")
    print(
        f"{args.orders} held orders due at one instant T; a steady {args.rate:g} purchases/s "
        "on another flash-buy of the same live, quiet and while they expire; latency from "
        "each purchase's due time"
    )
    print()
    print(text_table([list(HEADERS), *(cells(r) for r in rows)]))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    problems = [f"{r.database}: {p}" for r in rows for p in r.problems]
    if problems:
        print("\nproblems:\n  " + "\n  ".join(problems))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

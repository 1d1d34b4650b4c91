"""Purchase race and throughput of the flash-buy purchase path, on SQLite and PostgreSQL.

For each database it measures, over real HTTP against a real platform on 127.0.0.1:

* the race: ``--buyers`` viewers, each with its own thread and connection, released at
  once by a barrier to buy one flash-buy of stock 1, then another of stock 5. Orders
  placed must equal the stock; more is OVERSOLD (printed loudly, exit status 1);
* the purchase rate: ``--purchases`` distinct viewers each buy one piece of one
  flash-buy of stock 9999, driven by ``--concurrency`` client threads (a
  ``requests.Session`` each): purchases per second and p50/p99 latency of the call;
* the raw rate: ``--concurrency`` threads, each on its own connection of a
  :class:`flashbuy_server.db.Database` (so SQLite gets the platform's pragmas and
  ``BEGIN IMMEDIATE``), run ``--purchases`` single-statement transactions
  ``UPDATE bench SET sold = sold + 1 WHERE id = :id AND sold < stock`` on one scratch
  row, the same hot-row shape as one flash-buy: updates per second;
* the ratio of the two rates: how much of the database's raw limit a purchase reaches.

A purchase places a HELD order (the buyer has a pay window, and the order's expiry job is
scheduled in the same transaction); a buyer who comes when every piece is held joins the
queue (202): the race counts those apart from FLASHBUY_SOLD_OUT.

``--before PATH`` compares with earlier code: PATH is a checkout of it (for instance
``git worktree add /tmp/bench-before <rev>``). Each database is then measured twice, each
time in a fresh Python process: once with the platform of PATH, once with this working
tree's, and both lines go into one table. The benchmark's own code is this file's either
way: the earlier side runs from a scratch folder of links (``benchmarks`` here, the
platform's packages and ``tests`` from PATH), put first on ``sys.path``.

By default the platform serves from a child process, so the client threads do not
share the server's interpreter lock; ``--in-process`` serves from a thread of this
process, as the tests do. PostgreSQL is measured when ``PGHOST`` is set (run under
``scripts/with-postgres.sh``), in a fresh database dropped at the end.

    python -m benchmarks.purchase_race [--quick] [--buyers N] [--concurrency N] [--purchases N]
                                       [--before PATH]
"""

import argparse
import json
import math
import os
import platform as pyplatform
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests
import sqlalchemy as sa

from benchmarks._common import (
    HTTP_TIMEOUT,
    REGION,
    PlatformServer,
    cores_line,
    database_name,
    database_version,
    each_database,
    fresh_database,
    go_live,
    new_session,
    percentile,
    text_table,
)
from flashbuy_protocol.limits import STOCK_MAX
from flashbuy_server.db import Database
from flashbuy_server.tables import flashbuys, orders

SOLD_OUT = "FLASHBUY_SOLD_OUT"
QUEUED = "queued"  # a 202: every piece is held, the buyer waits for one that comes back
PASSWORD = uuid.uuid4().hex  # the benchmark creator's, for this run only
# --- client threads -----------------------------------------------------------------------


class Tickets:
    """A fixed number of turns shared by threads, and a deadline after which none are given."""

    def __init__(self, count: int, seconds: float) -> None:
        self._left = count
        self._next = 0
        self._lock = threading.Lock()
        self.deadline = time.monotonic() + seconds
        self.expired = False

    def take(self) -> int | None:
        """The next turn's index, or None when all are taken or time is up."""
        with self._lock:
            if self._left <= 0:
                return None
            if time.monotonic() > self.deadline:
                self.expired = True
                return None
            self._left -= 1
            index = self._next
            self._next += 1
            return index


def error_code(resp: requests.Response) -> str:
    try:
        return str(resp.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {resp.status_code}"


@dataclass
class PoolRun:
    """What a pool of client threads did."""

    seconds: float
    results: list[Any]
    latencies: list[float]
    expired: bool


def run_pool(
    threads: int,
    count: int,
    seconds: float,
    warm: Callable[[Any], None],
    work: Callable[[Any, int], Any],
    make: Callable[[], Any] = new_session,
    close: Callable[[Any], None] = lambda s: s.close(),
    *,
    once: bool = False,
) -> PoolRun:
    """Run ``work(resource, i)`` for i in 0..count-1 on ``threads`` threads, timed.

    Each thread makes its own resource (a requests session or a database connection),
    warms it up, then all start together at a barrier. The run is bounded by
    ``count`` and by ``seconds``. With ``once`` each thread does at most one call.
    """
    threads = max(1, min(threads, count))
    tickets = Tickets(count, seconds + 30)  # the deadline is reset at the barrier
    barrier = threading.Barrier(threads + 1)
    lock = threading.Lock()
    results: list[Any] = []
    latencies: list[float] = []
    failures: list[str] = []

    def client() -> None:
        resource = make()
        mine: list[Any] = []
        took: list[float] = []
        try:
            warm(resource)
            barrier.wait(timeout=60)
            while (i := tickets.take()) is not None:
                started = time.perf_counter()
                mine.append(work(resource, i))
                took.append(time.perf_counter() - started)
                if once:
                    break
        except threading.BrokenBarrierError:
            pass
        except Exception as exc:
            failures.append(repr(exc))
            barrier.abort()
        finally:
            close(resource)
            with lock:
                results.extend(mine)
                latencies.extend(took)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    with suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=90)
    tickets.deadline = time.monotonic() + seconds
    started = time.perf_counter()
    for w in workers:
        w.join(max(0.1, tickets.deadline + 70 - time.monotonic()))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} client thread(s) failed, e.g. {failures[0]}")
    if any(w.is_alive() for w in workers):
        raise RuntimeError("client threads did not finish in time")
    return PoolRun(elapsed, results, latencies, tickets.expired)


def warm_http(api: str) -> Callable[[requests.Session], None]:
    def warm(session: requests.Session) -> None:
        session.get(api + "/health", timeout=HTTP_TIMEOUT).raise_for_status()

    return warm


# --- arranging a live room ----------------------------------------------------------------


@dataclass
class Stage:
    """A creator live in a room, and what a flash-buy needs."""

    api: str
    creator: requests.Session
    room_id: int
    product_id: int
    template_id: int
    picture_id: str
    viewer_tokens: list[str] = field(default_factory=list)

    def create_flashbuy(self, stock: int, title: str, **extra: Any) -> int:
        """A full flash-buy of ``stock`` pieces; ``extra``: more fields of its body."""
        body = {
            "product_id": self.product_id,
            "mode": "full",
            "title": title,
            "piece_no": title[:20],
            "price_fen": 128_800,
            "stock": stock,
            "picture_id": self.picture_id,
            "template_id": self.template_id,
            **extra,
        }
        resp = self.creator.post(
            f"{self.api}/rooms/{self.room_id}/flash-buys", json=body, timeout=HTTP_TIMEOUT
        )
        assert resp.status_code == 201, (resp.status_code, resp.text)
        return int(resp.json()["id"])


def arrange(db: Database, api: str) -> Stage:
    """Accounts and catalogue through the platform's functions; the rest over HTTP."""
    live = go_live(db, api, "bench-creator", PASSWORD)
    template_id, picture_id = live.offer_needs()
    return Stage(api, live.session, live.room_id, live.product_id, template_id, picture_id)


def join_viewers(stage: Stage, count: int, threads: int, seconds: float) -> float:
    """``count`` new viewers join the room over HTTP; their tokens go to the stage. Joins/s."""
    url = f"{stage.api}/rooms/{stage.room_id}/join"

    def join(session: requests.Session, i: int) -> str:
        resp = session.post(
            url, json={"nickname": f"观众{i}", "region": REGION}, timeout=HTTP_TIMEOUT
        )
        assert resp.status_code == 200, (resp.status_code, resp.text)
        return str(resp.json()["token"])

    run = run_pool(threads, count, seconds, warm_http(stage.api), join)
    if len(run.results) != count:
        raise RuntimeError(f"only {len(run.results)} of {count} viewers joined in {seconds} s")
    stage.viewer_tokens.extend(run.results)
    return count / run.seconds


def buy(session: requests.Session, api: str, flashbuy_id: int, token: str) -> tuple[int, str]:
    """One purchase call: (HTTP status, "" for an order, QUEUED, or the error code)."""
    resp = session.post(
        f"{api}/flash-buys/{flashbuy_id}/orders",
        json={"region": REGION},
        headers={"Authorization": f"Bearer {token}"},
        timeout=HTTP_TIMEOUT,
    )
    if resp.status_code == 202:
        return resp.status_code, QUEUED
    return resp.status_code, ("" if resp.status_code == 201 else error_code(resp))


def stored_sales(db: Database, flashbuy_id: int) -> tuple[int, int, int]:
    """(stock, sold, order rows) of a flash-buy, as the database has them."""
    with db.read() as conn:
        stock, sold = conn.execute(
            sa.select(flashbuys.c.stock, flashbuys.c.sold).where(flashbuys.c.id == flashbuy_id)
        ).one()
        placed = conn.execute(
            sa.select(sa.func.count())
            .select_from(orders)
            .where(orders.c.flashbuy_id == flashbuy_id)
        ).scalar_one()
    return int(stock), int(sold), int(placed)


# --- the three measurements ---------------------------------------------------------------


@dataclass
class Race:
    stock: int
    placed: int  # 201 responses
    sold_out: int  # FLASHBUY_SOLD_OUT responses
    queued: int  # 202 responses: in the queue for a held piece
    other: Counter[str]
    stored_sold: int
    stored_orders: int
    seconds: float

    @property
    def oversold(self) -> bool:
        return max(self.placed, self.stored_sold, self.stored_orders) > self.stock

    @property
    def exact(self) -> bool:
        return self.placed == self.stored_sold == self.stored_orders == self.stock

    def cell(self) -> str:
        text = f"{self.placed}/{self.stock}"
        if self.sold_out or not self.queued:
            text += f", {self.sold_out} sold out"
        if self.queued:
            text += f", {self.queued} queued"
        if self.other:
            text += f", {sum(self.other.values())} other"
        if self.oversold:
            text = "OVERSOLD " + text
        return text


def race(stage: Stage, db: Database, stock: int, buyers: int, seconds: float) -> Race:
    """``buyers`` threads, one per viewer, released together to buy a flash-buy of ``stock``."""
    flashbuy_id = stage.create_flashbuy(stock, f"race {stock}")
    tokens = stage.viewer_tokens[:buyers]
    run = run_pool(
        buyers,
        buyers,
        seconds,
        warm_http(stage.api),
        lambda session, i: buy(session, stage.api, flashbuy_id, tokens[i]),
        once=True,
    )
    outcomes = Counter(code for _status, code in run.results)
    placed = outcomes.pop("", 0)
    sold_out = outcomes.pop(SOLD_OUT, 0)
    queued = outcomes.pop(QUEUED, 0)
    missing = buyers - len(run.results)
    if missing:
        outcomes["not sent (time limit)"] += missing
    _stock, sold, stored = stored_sales(db, flashbuy_id)
    return Race(stock, placed, sold_out, queued, outcomes, sold, stored, run.seconds)


@dataclass
class Throughput:
    done: int
    failed: Counter[str]
    seconds: float
    latencies_ms: list[float]
    expired: bool
    stored_sold: int

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def throughput(
    stage: Stage, db: Database, purchases: int, threads: int, seconds: float
) -> Throughput:
    """Distinct viewers each buy one piece of one flash-buy of large stock, ``threads`` at once."""
    flashbuy_id = stage.create_flashbuy(STOCK_MAX, "throughput")
    tokens = stage.viewer_tokens[:purchases]
    run = run_pool(
        threads,
        purchases,
        seconds,
        warm_http(stage.api),
        lambda session, i: buy(session, stage.api, flashbuy_id, tokens[i]),
    )
    outcomes = Counter(code for _status, code in run.results)
    done = outcomes.pop("", 0)
    _stock, sold, _placed = stored_sales(db, flashbuy_id)
    return Throughput(
        done, outcomes, run.seconds, [s * 1000 for s in run.latencies], run.expired, sold
    )


@dataclass
class Raw:
    done: int
    seconds: float
    expired: bool
    stored_sold: int

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0


def raw_updates(url: str, count: int, threads: int, seconds: float) -> Raw:
    """Single-statement UPDATE transactions on one scratch row, each thread on its connection."""
    db = Database(url, pool_size=threads + 1)
    try:
        with db.write() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE bench (id INTEGER PRIMARY KEY, "
                "sold INTEGER NOT NULL, stock INTEGER NOT NULL)"
            )
            conn.execute(sa.text("INSERT INTO bench VALUES (1, 0, :stock)"), {"stock": count})
        update = sa.text("UPDATE bench SET sold = sold + 1 WHERE id = :id AND sold < stock")

        def warm(conn: sa.Connection) -> None:
            conn.exec_driver_sql("SELECT 1").scalar()
            conn.rollback()

        def work(conn: sa.Connection, _i: int) -> int:
            with conn.begin():  # BEGIN IMMEDIATE on SQLite, as the platform's writers
                return int(conn.execute(update, {"id": 1}).rowcount)

        run = run_pool(threads, count, seconds, warm, work, db.engine.connect, lambda c: c.close())
        with db.read() as conn:
            sold = int(conn.exec_driver_sql("SELECT sold FROM bench WHERE id = 1").scalar_one())
        return Raw(sum(run.results), run.seconds, run.expired, sold)
    finally:
        db.dispose()


# --- one database -------------------------------------------------------------------------


@dataclass
class Row:
    database: str
    version: str = ""
    race1: Race | None = None
    race5: Race | None = None
    buys: Throughput | None = None
    raw: Raw | None = None
    oversold: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    note: str = ""


def measure(backend: str, args: argparse.Namespace, scratch: Path) -> Row:
    row = Row(database_name(backend))

    def say(text: str) -> None:
        print(f"[{backend}] {text}", flush=True)

    with fresh_database(backend, scratch, "platform") as url:
        server = PlatformServer(url, in_process=args.in_process)
        db = Database(url, pool_size=4)
        try:
            row.version = database_version(db)
            say(f"{row.version}; platform at {server.base}")
            stage = arrange(db, server.api)
            viewers = max(args.buyers, args.purchases)
            t0 = time.perf_counter()
            rate = join_viewers(stage, viewers, args.concurrency, args.time_limit)
            say(f"{viewers} viewers joined in {time.perf_counter() - t0:.1f} s ({rate:.0f}/s)")
            for stock in (1, 5):
                result = race(stage, db, stock, args.buyers, args.time_limit)
                say(
                    f"race stock {stock}: {result.cell()} in {result.seconds:.2f} s "
                    f"(stored: sold={result.stored_sold}, orders={result.stored_orders})"
                    + (f"; other outcomes {dict(result.other)}" if result.other else "")
                )
                if result.oversold:
                    row.oversold.append(
                        f"{row.database}, race of stock {stock}: {result.placed} orders answered, "
                        f"{result.stored_orders} stored, sold={result.stored_sold}"
                    )
                    say(f"!!! OVERSOLD: {row.oversold[-1]} !!!")
                elif not result.exact:
                    row.problems.append(f"stock {stock} race sold {result.placed}, not {stock}")
                if stock == 1:
                    row.race1 = result
                else:
                    row.race5 = result
            buys = throughput(stage, db, args.purchases, args.concurrency, args.time_limit)
            row.buys = buys
            say(
                f"{buys.done} purchases in {buys.seconds:.2f} s: {buys.rate:.1f}/s, "
                f"p50 {percentile(buys.latencies_ms, 50):.1f} ms, "
                f"p99 {percentile(buys.latencies_ms, 99):.1f} ms"
                + (f"; failed {dict(buys.failed)}" if buys.failed else "")
                + ("; CUT SHORT by --time-limit" if buys.expired else "")
            )
            if buys.failed:
                row.problems.append(f"purchases refused: {dict(buys.failed)}")
            if buys.stored_sold != buys.done:
                row.problems.append(f"stored sold {buys.stored_sold} != {buys.done} purchases")
            stage.creator.close()
        finally:
            db.dispose()
            server.stop()
    with fresh_database(backend, scratch, "raw") as url:
        raw = raw_updates(url, args.purchases, args.concurrency, args.time_limit)
        row.raw = raw
        say(
            f"{raw.done} raw UPDATE transactions in {raw.seconds:.2f} s: {raw.rate:.1f}/s"
            + ("; CUT SHORT by --time-limit" if raw.expired else "")
        )
        if raw.stored_sold != raw.done:
            row.problems.append(f"raw: stored sold {raw.stored_sold} != {raw.done} updates")
    return row


# --- output -------------------------------------------------------------------------------


HEADERS = (
    "database",
    "code",
    "race stock 1",
    "race stock 5",
    "purchases/s",
    "vs before",
    "p50 ms",
    "p99 ms",
    "raw UPDATE/s",
    "ratio",
)


@dataclass
class Line:
    """One line of the table: a database with one version of the platform's code. Plain
    data, so a measuring child process can hand it over as JSON."""

    database: str
    code: str
    version: str = ""
    race1: str = "-"
    race5: str = "-"
    rate: float | None = None
    cut_short: bool = False
    p50_ms: float | None = None
    p99_ms: float | None = None
    raw_rate: float | None = None
    raw_cut_short: bool = False
    oversold: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    note: str = ""


def line_of(row: Row, code: str) -> Line:
    buys, raw = row.buys, row.raw
    return Line(
        database=row.database,
        code=code,
        version=row.version,
        race1=row.race1.cell() if row.race1 else "-",
        race5=row.race5.cell() if row.race5 else "-",
        rate=buys.rate if buys else None,
        cut_short=bool(buys and buys.expired),
        p50_ms=percentile(buys.latencies_ms, 50) if buys else None,
        p99_ms=percentile(buys.latencies_ms, 99) if buys else None,
        raw_rate=raw.rate if raw else None,
        raw_cut_short=bool(raw and raw.expired),
        oversold=row.oversold,
        problems=row.problems,
        note=row.note,
    )


def _number(value: float | None, star: bool = False) -> str:
    return "-" if value is None else f"{value:.1f}" + ("*" if star else "")


def cells(line: Line, before: Line | None) -> list[str]:
    if line.note:
        return [line.database, line.code, line.note] + [""] * (len(HEADERS) - 3)
    ratio = line.rate / line.raw_rate if line.rate and line.raw_rate else math.nan
    change = ""
    if before is not None and before is not line and before.rate and line.rate is not None:
        change = f"{(line.rate / before.rate - 1) * 100:+.0f}%"
    return [
        line.database,
        line.code,
        line.race1,
        line.race5,
        _number(line.rate, line.cut_short),
        change,
        _number(line.p50_ms),
        _number(line.p99_ms),
        _number(line.raw_rate, line.raw_cut_short),
        f"{ratio:.3f}",
    ]


def table(lines: list[Line]) -> str:
    """The lines in one table; a database's first line is what the later ones compare with
    (the earlier code, when there is one)."""
    first: dict[str, Line] = {}
    grid = [list(HEADERS)]
    for line in lines:
        before = first.setdefault(line.database, line)
        grid.append(cells(line, before if len(lines) > 1 else None))
    return text_table(grid)


# --- earlier code, in a process of its own ------------------------------------------------

# What of a checkout the earlier side imports from it: the platform and the tests' helpers
# (which the benchmark uses to arrange accounts, and which must match that platform).
FROM_CHECKOUT = ("flashbuy_server", "flashbuy_protocol", "flashbuy_desktop", "tests")


def revision_of(checkout: Path) -> str:
    """The checkout's short commit id, or its folder's name if git cannot tell."""
    try:
        found = subprocess.run(  # noqa: S603 - git, reading the checkout's commit
            ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return checkout.name
    return found.stdout.strip()


def link_folder(checkout: Path, into: Path) -> Path:
    """A folder whose ``benchmarks`` is this one and whose platform is the checkout's."""
    here = Path(__file__).resolve().parent
    (into / "benchmarks").symlink_to(here, target_is_directory=True)
    for name in FROM_CHECKOUT:
        if (checkout / name).is_dir():
            (into / name).symlink_to((checkout / name).resolve(), target_is_directory=True)
    return into


def measure_in_child(args: argparse.Namespace, backend: str, root: Path, code: str) -> Line:
    """Measure ``backend`` in a new Python process whose platform is the one under ``root``
    (run from there: the folder of a module run with -m comes first on sys.path)."""
    with tempfile.TemporaryDirectory(prefix="flashbuy-bench-line-") as tmp:
        out = Path(tmp) / "line.json"
        command = [
            sys.executable,
            "-m",
            "benchmarks.purchase_race",
            "--only",
            backend,
            "--buyers",
            str(args.buyers),
            "--concurrency",
            str(args.concurrency),
            "--purchases",
            str(args.purchases),
            "--time-limit",
            str(args.time_limit),
            "--code-label",
            code,
            "--write-line",
            str(out),
        ]
        if args.in_process:
            command.append("--in-process")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        # Our own interpreter and module.
        finished = subprocess.run(command, cwd=root, env=env, check=False)  # noqa: S603
        if not out.exists():
            return Line(
                database_name(backend),
                code,
                note=f"the measuring process failed (exit status {finished.returncode})",
            )
        return Line(**json.loads(out.read_text()))


def compare(args: argparse.Namespace) -> list[Line]:
    """Each database with the earlier code, then with this tree's, each in its own process."""
    before = Path(args.before).resolve()
    if not (before / "flashbuy_server").is_dir():
        raise SystemExit(f"--before {before}: no flashbuy_server there")
    here_root = Path(__file__).resolve().parent.parent
    label = f"before ({revision_of(before)})"
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="flashbuy-bench-before-") as tmp:
        links = link_folder(before, Path(tmp))
        for backend in ("sqlite", "postgres"):
            if args.only and args.only != backend:
                continue
            if backend == "postgres" and not os.environ.get("PGHOST"):
                print("[postgres] not measured: PGHOST is not set (use scripts/with-postgres.sh)")
                lines.append(Line("PostgreSQL", "-", note="not measured (PGHOST not set)"))
                continue
            for root, code in ((links, label), (here_root, "today (holds)")):
                print(f"\n=== {database_name(backend)}, {code} ===", flush=True)
                lines.append(measure_in_child(args, backend, root, code))
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, help="concurrent buyers in each race (200)")
    parser.add_argument("--concurrency", type=int, help="client threads for the rates (16)")
    parser.add_argument("--purchases", type=int, help="purchases and raw UPDATEs timed (2000)")
    parser.add_argument(
        "--quick", action="store_true", help="a small run to check it works (50 buyers, 300)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds each timed phase may run before it stops taking new work (60)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="serve from a thread of this process (as the tests do), not a child process",
    )
    parser.add_argument(
        "--only", choices=("sqlite", "postgres"), help="measure one database, not both"
    )
    parser.add_argument(
        "--before",
        metavar="PATH",
        help="also measure the platform of this checkout of earlier code (e.g. a git worktree)",
    )
    # Between the comparing process and the ones it starts.
    parser.add_argument("--write-line", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--code-label", default="today (holds)", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    defaults = (50, 16, 300) if args.quick else (200, 16, 2000)
    for name, default in zip(("buyers", "concurrency", "purchases"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.buyers < 5:
        parser.error("--buyers must be at least 5: the second race has stock 5")
    if args.purchases > STOCK_MAX:
        parser.error(f"--purchases is at most {STOCK_MAX}, one flash-buy's largest stock")
    return args


def platform_line() -> str:
    """Where the platform under test was imported from, and whether it holds orders."""
    import flashbuy_server

    holds = (Path(flashbuy_server.__file__).parent / "settlement.py").exists()
    return (
        f"platform code: {Path(flashbuy_server.__file__).parent} "
        f"({'held orders' if holds else 'no held orders'})"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write_line:
        print(platform_line(), flush=True)
    else:
        print(cores_line())
        print(
            f"settings: buyers={args.buyers} concurrency={args.concurrency} "
            f"purchases={args.purchases} time-limit={args.time_limit:g}s "
            f"server={'thread in this process' if args.in_process else 'child process'}"
            f"{' (quick)' if args.quick else ''}"
        )
        print(
            f"python {pyplatform.python_version()}, sqlalchemy {sa.__version__}, "
            f"psycopg {psycopg.__version__}, sqlite {sqlite3.sqlite_version}",
            flush=True,
        )
    started = time.perf_counter()
    if args.before:
        lines = compare(args)
    else:
        rows = each_database(
            args.only,
            lambda backend, scratch: measure(backend, args, scratch),
            lambda: Row("PostgreSQL", note="not measured (PGHOST not set)"),
        )
        lines = [line_of(row, args.code_label) for row in rows]
    if args.write_line:
        assert len(lines) == 1, "a measuring child measures one database"
        Path(args.write_line).write_text(json.dumps(asdict(lines[0])))
        return 0

    print()
    for line in lines:
        if line.version:
            print(f"{line.database}, {line.code}: {line.version}")
    print(
        f"race: placed/stock, FLASHBUY_SOLD_OUT answers and queued (202) answers, among "
        f"{args.buyers} buyers at once; rates over {args.purchases} calls on "
        f"{args.concurrency} threads; vs before = purchases/s against the database's first "
        "line; ratio = purchases/s / raw UPDATE/s; * = cut short by --time-limit"
    )
    print()
    print(table(lines))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")

    oversold = [f"{x.database}, {x.code}: {o}" for x in lines for o in x.oversold]
    other = [f"{x.database}, {x.code}: {p}" for x in lines for p in x.problems]
    other += [f"{x.database}, {x.code}: {x.note}" for x in lines if "failed" in x.note]
    if oversold:
        banner = "!" * 72
        said = "\n".join(f"!!! OVERSOLD: {o}" for o in oversold)
        print(f"\n{banner}\n!!! MORE ORDERS THAN STOCK\n{said}\n{banner}")
        return 1
    if other:
        print("\nproblems:\n  " + "\n  ".join(other))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Timed work: jobs due at a time ("expire order 42 at 12:05") and periodic jobs (the purge).

Both kinds live in the database, so they run exactly once however many platform processes
share it, and survive a restart: what came due while the platform was down runs as it
starts (:meth:`JobRunner.start` does a first pass before it returns).

A **due job** is a row of ``jobs``, one per (kind, key); domain code schedules it in the
transaction that makes it needed (:func:`schedule`, :func:`cancel`), so the job exists
exactly when its reason does. A runner claims one due row at a time::

    SELECT kind, key, attempts FROM jobs
     WHERE kind IN (<kinds this process knows>) AND due_at <= :now
     ORDER BY due_at LIMIT 1
       FOR UPDATE SKIP LOCKED            -- PostgreSQL; SQLite: BEGIN IMMEDIATE

then, in that same transaction, runs the job's handler and deletes the row. Another
process skips the locked row and takes the next; once the first commits, the row is gone.
A handler that raises rolls its work back; a second transaction then counts the attempt,
keeps the error and makes the job due again later (:func:`retry_delay`): a failing job is
logged and retried, never lost, and never holds up the others.

A **periodic job** is a row of ``periodic_jobs``; the process whose conditional
``UPDATE ... SET next_run_at = :next WHERE name = :name AND next_run_at <= :now`` changes
it runs that period (a second process's UPDATE re-checks the WHERE after the first commits,
and changes nothing). Its work runs after that claim, in transactions of its own (the purge
deletes in short batches so it never holds SQLite's write lock for long).

Time is the settings' clock (``Settings.clock``), so tests move it instead of sleeping.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from flashbuy_server.db import Database
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import jobs, periodic_jobs

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often an idle runner looks for due work
START_JOBS = 1_000  # due jobs run before start() returns (the rest right after, in the thread)
BATCH = 200  # due jobs per pass before the runner checks whether it should stop
RETRY_FIRST = timedelta(seconds=10)
RETRY_MOST = timedelta(minutes=10)
_ERROR_KEPT = 2_000  # characters of a failure's text kept in the row


@dataclass(frozen=True)
class DueJob:
    """A kind of job due at a time. ``run(conn, key)`` does its work in the claiming
    transaction: it must not commit, and whatever it writes commits with the job's removal."""

    kind: str
    run: Callable[[Connection, str], None]


@dataclass(frozen=True)
class PeriodicJob:
    """Work done every ``every``, by one process per period. ``run(db)`` uses transactions
    of its own and returns True when it stopped with work left: it is then due again at once."""

    name: str
    every: timedelta
    run: Callable[[Database], bool]


def retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a job is due again: 10 s, doubling, 10 min."""
    return min(RETRY_FIRST * (1 << min(max(attempts - 1, 0), 16)), RETRY_MOST)


def schedule(conn: Connection, kind: str, key: str, due_at: datetime) -> None:
    """Make job (``kind``, ``key``) due at ``due_at``, in the caller's transaction.

    Scheduling a job that already waits moves it to the new time (and forgets its failures).
    """
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(jobs)
    statement = insert.values(
        kind=kind, key=key, due_at=due_at, attempts=0, last_error=None, created_at=utcnow()
    ).on_conflict_do_update(
        index_elements=[jobs.c.kind, jobs.c.key],
        set_={"due_at": due_at, "attempts": 0, "last_error": None},
    )
    conn.execute(statement)


def cancel(conn: Connection, kind: str, key: str) -> bool:
    """Forget job (``kind``, ``key``) if it has not run; whether it was waiting.

    A job a runner has claimed (PostgreSQL: its row is locked) is left to it: the runner
    holds that row while it waits for the locks its work takes, which the caller may hold,
    so waiting here would deadlock. Its handler then finds nothing left to do (the caller's
    change is what made the job pointless), and the runner deletes the row.
    """
    if conn.dialect.name == "postgresql":
        free = sa.select(jobs.c.kind).where(jobs.c.kind == kind, jobs.c.key == key)
        if conn.execute(free.with_for_update(skip_locked=True)).first() is None:
            return False
    gone = conn.execute(jobs.delete().where(jobs.c.kind == kind, jobs.c.key == key)).rowcount
    return bool(gone)


class JobRunner:
    """Runs the due and periodic jobs this process knows, on a thread of its own.

    :meth:`run_due` is one pass (tests call it after moving the clock); :meth:`start`
    does a first pass, then keeps passing every ``poll_seconds`` on the ``jobs`` thread
    until :meth:`stop`. A job in hand is finished before the thread ends.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        due: Iterable[DueJob] = (),
        periodic: Iterable[PeriodicJob] = (),
        poll_seconds: float = POLL_SECONDS,
        name: str = "jobs",
    ) -> None:
        self.db = db
        self.clock = clock
        self.due = {job.kind: job for job in due}
        self.periodic = {job.name: job for job in periodic}
        self.poll_seconds = poll_seconds
        self.name = name
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one pass ---------------------------------------------------------------------

    def run_due(self, limit: int | None = None) -> int:
        """Run every periodic job whose time has come, then due jobs (at most ``limit``);
        how many jobs ran (failed ones included)."""
        periodic, any_due = self._look(self.clock())
        ran = 0
        for name in periodic:
            if self._stopping():
                return ran
            ran += self._run_periodic(self.periodic[name])
        while any_due and (limit is None or ran < limit):
            if self._stopping() or not self._run_one_due():
                break
            ran += 1
        return ran

    def _look(self, now: datetime) -> tuple[list[str], bool]:
        """Which periodic jobs are due, and whether a due job is, read without a write
        lock: an idle runner must not take SQLite's write lock every poll."""
        with self.db.read() as conn:
            periodic: list[str] = []
            if self.periodic:
                periodic = list(
                    conn.execute(
                        sa.select(periodic_jobs.c.name)
                        .where(
                            periodic_jobs.c.name.in_(sorted(self.periodic)),
                            periodic_jobs.c.next_run_at <= now,
                        )
                        .order_by(periodic_jobs.c.name)
                    ).scalars()
                )
            any_due = False
            if self.due:
                any_due = (
                    conn.execute(
                        sa.select(jobs.c.kind)
                        .where(jobs.c.kind.in_(sorted(self.due)), jobs.c.due_at <= now)
                        .limit(1)
                    ).first()
                    is not None
                )
        return periodic, any_due

    def _stopping(self) -> bool:
        # Only the thread's passes end early; a pass called directly runs to its end.
        return self._stop.is_set() and self._thread is not None

    def _run_one_due(self) -> bool:
        """Claim the most overdue job and run it; False when none is due."""
        if not self.due:
            return False
        now = self.clock()
        claimed: sa.Row[tuple[str, str, int]] | None = None
        try:
            with self.db.write() as conn:
                claimed = conn.execute(self._claim_query(conn, now)).first()
                if claimed is None:
                    return False
                self.due[claimed.kind].run(conn, claimed.key)
                conn.execute(
                    jobs.delete().where(jobs.c.kind == claimed.kind, jobs.c.key == claimed.key)
                )
        except Exception as exc:
            if claimed is None:
                raise  # the claim itself failed: the database, not a job
            self._failed(claimed.kind, claimed.key, claimed.attempts + 1, exc)
        return True

    def _claim_query(self, conn: Connection, now: datetime) -> sa.Select[tuple[str, str, int]]:
        query = (
            sa.select(jobs.c.kind, jobs.c.key, jobs.c.attempts)
            .where(jobs.c.kind.in_(sorted(self.due)), jobs.c.due_at <= now)
            .order_by(jobs.c.due_at)
            .limit(1)
        )
        if conn.dialect.name == "postgresql":
            # Another process's job in hand is passed over, not waited for.
            query = query.with_for_update(skip_locked=True)
        return query

    def _failed(self, kind: str, key: str, attempts: int, exc: Exception) -> None:
        again = self.clock() + retry_delay(attempts)
        log.error(
            "job %s %s failed (attempt %d); due again at %s",
            kind,
            key,
            attempts,
            again.isoformat(),
            exc_info=exc,
        )
        with self.db.write() as conn:
            conn.execute(
                jobs.update()
                .where(jobs.c.kind == kind, jobs.c.key == key)
                .values(attempts=attempts, last_error=_said(exc), due_at=again)
            )

    def _run_periodic(self, job: PeriodicJob) -> int:
        """Run ``job`` if its time has come and no other process took this period: 1 or 0."""
        now = self.clock()
        with self.db.write() as conn:
            claimed = conn.execute(
                periodic_jobs.update()
                .where(periodic_jobs.c.name == job.name, periodic_jobs.c.next_run_at <= now)
                .values(next_run_at=now + job.every, last_started_at=now)
            ).rowcount
        if not claimed:
            return 0
        try:
            more = job.run(self.db)
        except Exception as exc:
            with self.db.write() as conn:
                failures = conn.execute(
                    periodic_jobs.update()
                    .where(periodic_jobs.c.name == job.name)
                    .values(failures=periodic_jobs.c.failures + 1, last_error=_said(exc))
                    .returning(periodic_jobs.c.failures)
                ).scalar_one()
                # Sooner than a whole period, unless the period is the shorter.
                again = now + min(retry_delay(failures), job.every)
                conn.execute(
                    periodic_jobs.update()
                    .where(periodic_jobs.c.name == job.name, periodic_jobs.c.next_run_at > again)
                    .values(next_run_at=again)
                )
            log.error(
                "periodic job %s failed (%d in a row); runs again by %s",
                job.name,
                failures,
                again.isoformat(),
                exc_info=exc,
            )
            return 1
        with self.db.write() as conn:
            values: dict[str, object] = {"failures": 0, "last_error": None}
            if more:
                values["next_run_at"] = now
            conn.execute(
                periodic_jobs.update().where(periodic_jobs.c.name == job.name).values(**values)
            )
        return 1

    def register_periodic(self) -> None:
        """Give each periodic job its row, due now, unless another process already did."""
        if not self.periodic:
            return
        now = self.clock()
        with self.db.write() as conn:
            insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(
                periodic_jobs
            )
            for name in self.periodic:
                conn.execute(
                    insert.values(name=name, next_run_at=now, failures=0).on_conflict_do_nothing(
                        index_elements=[periodic_jobs.c.name]
                    )
                )

    # --- the thread -------------------------------------------------------------------

    def start(self, first_pass_limit: int = START_JOBS) -> "JobRunner":
        """Run what is due now (what came due while the platform was down), then go on in
        the background."""
        if self._thread is not None:
            raise RuntimeError("the job runner is already running")
        self._stop.clear()
        self.register_periodic()
        self.run_due(limit=first_pass_limit)
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Look for due work now rather than at the next poll (from any thread)."""
        self._wake.set()

    def request_stop(self) -> None:
        """Ask the thread to end after the job in hand, without waiting (from any thread)."""
        self._stop.set()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """End the thread: the job in hand finishes, no other starts. Whether it ended
        within ``timeout`` (a job that does not is logged, and left to the process's exit)."""
        thread = self._thread
        if thread is None:
            return True
        self.request_stop()
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the job runner did not stop within %.0f s", timeout)
            return False
        self._thread = None
        return True

    @property
    def running(self) -> bool:
        """Whether the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_due(limit=BATCH)
            except Exception:  # the database is away: look again at the next poll
                log.exception("looking for due jobs failed")
                ran = 0
            if ran >= BATCH:
                continue  # more may be due: no wait
            self._wake.wait(self._idle_seconds())
            self._wake.clear()

    def _idle_seconds(self) -> float:
        """Until the next poll, or sooner if a job falls due before it."""
        if not self.due:
            return self.poll_seconds
        try:
            with self.db.read() as conn:
                soonest: datetime | None = conn.execute(
                    sa.select(sa.func.min(jobs.c.due_at)).where(jobs.c.kind.in_(sorted(self.due)))
                ).scalar_one_or_none()
        except Exception:
            return self.poll_seconds
        if soonest is None:
            return self.poll_seconds
        wait = (soonest - self.clock()).total_seconds()
        return min(self.poll_seconds, max(0.0, wait))


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_ERROR_KEPT]

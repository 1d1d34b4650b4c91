"""Timed jobs: each due job runs once, on time by the platform's clock, across runners and
processes; what came due while the platform was down runs at its start; a failure is
retried and logged; the runner stops cleanly. Time is a clock the tests move: none sleeps."""

import logging
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import IO

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_server import jobs as timed
from flashbuy_server.config import Settings
from flashbuy_server.db import Database
from flashbuy_server.jobs import DueJob, JobRunner, PeriodicJob
from flashbuy_server.migrate import upgrade
from flashbuy_server.server import ServerThread
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import jobs, periodic_jobs
from tests.clock import Clock
from tests.conftest import require_backend
from tests.server.jobs_process import KIND, counting_job, job_test_runs, run_metadata
from tests.support import free_port, fresh_postgres_database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database with the table the counting job writes to."""
    database = Database(database_url, pool_size=4)
    upgrade(database)
    run_metadata.create_all(database.engine)
    yield database
    database.dispose()


def runs(db: Database) -> list[tuple[str, str]]:
    """(key, runner) of every run, in key order."""
    with db.read() as conn:
        query = sa.select(job_test_runs.c.key, job_test_runs.c.runner).order_by(job_test_runs.c.key)
        return [(row.key, row.runner) for row in conn.execute(query)]


def waiting(db: Database) -> list[tuple[str, str, int]]:
    """(kind, key, attempts) of every job still waiting."""
    with db.read() as conn:
        query = sa.select(jobs.c.kind, jobs.c.key, jobs.c.attempts).order_by(jobs.c.key)
        return [(row.kind, row.key, row.attempts) for row in conn.execute(query)]


def schedule(db: Database, kind: str, keys: list[str], due: datetime) -> None:
    with db.write() as conn:
        for key in keys:
            timed.schedule(conn, kind, key, due)


def test_a_due_job_runs_once_when_its_time_comes(db: Database) -> None:
    clock = Clock()
    runner = JobRunner(db, clock=clock, due=[counting_job("a")])
    schedule(db, KIND, ["order-42"], clock() + timedelta(minutes=5))

    clock.advance(299)
    assert runner.run_due() == 0
    assert runs(db) == []
    clock.advance(1)
    assert runner.run_due() == 1
    assert runs(db) == [("order-42", "a")]
    clock.advance(3600)
    assert runner.run_due() == 0
    assert runs(db) == [("order-42", "a")]
    assert waiting(db) == []


def test_a_job_scheduled_again_moves_and_a_cancelled_one_never_runs(db: Database) -> None:
    clock = Clock()
    runner = JobRunner(db, clock=clock, due=[counting_job("a")])
    schedule(db, KIND, ["moved", "cancelled"], clock() + timedelta(seconds=60))
    schedule(db, KIND, ["moved"], clock() + timedelta(seconds=120))
    with db.write() as conn:
        assert timed.cancel(conn, KIND, "cancelled")
        assert not timed.cancel(conn, KIND, "never-scheduled")

    clock.advance(60)
    assert runner.run_due() == 0
    clock.advance(60)
    assert runner.run_due() == 1
    assert runs(db) == [("moved", "a")]


def test_a_kind_this_process_does_not_know_is_left_for_one_that_does(db: Database) -> None:
    clock = Clock()
    schedule(db, "order.expire", ["7"], clock())
    assert JobRunner(db, clock=clock, due=[counting_job("a")]).run_due() == 0
    assert waiting(db) == [("order.expire", "7", 0)]


def test_a_failing_job_is_retried_later_logged_and_does_not_stop_the_others(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    provider_away = True

    def flaky(conn: Connection, key: str) -> None:
        # What it wrote before failing must go with the failure.
        conn.execute(job_test_runs.insert().values(key=key, runner="flaky"))
        if provider_away:
            raise RuntimeError("the payment provider is away")

    runner = JobRunner(db, clock=clock, due=[counting_job("a"), DueJob("flaky", flaky)])
    schedule(db, "flaky", ["pay-1"], clock())
    schedule(db, KIND, ["after-1", "after-2"], clock() + timedelta(seconds=1))
    clock.advance(1)

    with caplog.at_level(logging.ERROR, logger="flashbuy_server.jobs"):
        assert runner.run_due() == 3
    assert runs(db) == [("after-1", "a"), ("after-2", "a")]
    assert waiting(db) == [("flaky", "pay-1", 1)]
    with db.read() as conn:
        row = conn.execute(sa.select(jobs).where(jobs.c.kind == "flaky")).one()
    assert row.last_error == "RuntimeError: the payment provider is away"
    assert row.due_at == clock() + timedelta(seconds=10)
    [record] = [r for r in caplog.records if "pay-1" in r.getMessage()]
    assert "flaky pay-1 failed (attempt 1)" in record.getMessage()
    assert record.exc_info is not None

    clock.advance(9)
    assert runner.run_due() == 0
    provider_away = False
    clock.advance(1)
    assert runner.run_due() == 1
    assert runs(db) == [("after-1", "a"), ("after-2", "a"), ("pay-1", "flaky")]
    assert waiting(db) == []


def test_the_wait_after_failures_doubles_up_to_ten_minutes() -> None:
    waits = [timed.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_two_runners_run_each_of_200_due_jobs_exactly_once(database_url: str) -> None:
    first, second = Database(database_url, pool_size=4), Database(database_url, pool_size=4)
    upgrade(first)
    run_metadata.create_all(first.engine)
    clock = Clock()
    calls = Calls()
    keys = [f"job-{n:03}" for n in range(200)]
    schedule(first, KIND, keys, clock())
    runners = [
        JobRunner(
            db,
            clock=clock,
            due=[calls.count(counting_job(name, pause=not db.is_sqlite))],
            name=f"jobs-{name}",
        )
        for db, name in ((first, "a"), (second, "b"))
    ]
    try:
        for runner in runners:
            runner.start(first_pass_limit=0)  # both begin on their threads, together
        assert calls.wait_for(200), calls.made
    finally:
        stopped = [runner.stop() for runner in runners]
    try:
        assert stopped == [True, True]
        done = runs(first)
        assert sorted(key for key, _ in done) == keys  # each once: no key twice, none missing
        assert calls.made == 200
        assert waiting(first) == []
        if not first.is_sqlite:
            # Side by side: each skips the row the other holds. (SQLite has one writer at a
            # time, and one runner may well take every turn.)
            assert {runner for _, runner in done} == {"a", "b"}, "both runners took jobs"
    finally:
        first.dispose()
        second.dispose()


def test_a_periodic_job_runs_once_a_period_across_runners(db: Database) -> None:
    clock = Clock()
    ran: list[str] = []
    failing = [True]

    def purge(_db: Database) -> bool:
        ran.append("purge")
        if failing[0]:
            failing[0] = False
            raise OSError("disk full")
        return False

    job = PeriodicJob("test.purge", every=timedelta(hours=1), run=purge)
    one, two = (JobRunner(db, clock=clock, periodic=[job]) for _ in range(2))
    one.register_periodic()
    two.register_periodic()  # the second process finds the row there: nothing changes

    # The first run fails: it is due again in 10 s, not an hour.
    assert one.run_due() == 1
    assert two.run_due() == 0
    with db.read() as conn:
        row = conn.execute(sa.select(periodic_jobs)).one()
    assert (row.failures, row.last_error) == (1, "OSError: disk full")
    assert row.next_run_at == clock() + timedelta(seconds=10)

    clock.advance(10)
    assert two.run_due() == 1
    assert one.run_due() == 0
    clock.advance(3599)
    assert (one.run_due(), two.run_due()) == (0, 0)
    clock.advance(1)
    assert (two.run_due(), one.run_due()) == (1, 0)
    assert ran == ["purge"] * 3
    with db.read() as conn:
        row = conn.execute(sa.select(periodic_jobs)).one()
    assert (row.failures, row.last_error) == (0, None)


def test_a_periodic_job_with_work_left_is_due_again_at_once(db: Database) -> None:
    clock = Clock()
    backlog = [3]

    def purge(_db: Database) -> bool:
        backlog[0] -= 1
        return backlog[0] > 0

    runner = JobRunner(
        db, clock=clock, periodic=[PeriodicJob("test.purge", timedelta(hours=1), purge)]
    )
    runner.register_periodic()
    assert [runner.run_due() for _ in range(4)] == [1, 1, 1, 0]
    assert backlog == [0]


def test_a_job_due_while_the_platform_was_down_runs_as_it_starts(database_url: str) -> None:
    clock = Clock()
    settings = Settings(database_url=database_url, clock=clock)
    server = ServerThread(settings, extra_jobs=[counting_job("first")]).start()
    db = server.app.state.db
    run_metadata.create_all(db.engine)
    schedule(db, KIND, ["expire-7"], clock() + timedelta(minutes=5))
    server.stop()
    assert runs(db) == []
    assert not server.app.state.jobs.running, "the runner ended with the platform"
    db.dispose()

    clock.advance(3600)  # down for an hour
    again = ServerThread(settings, extra_jobs=[counting_job("second")]).start()
    try:
        # Before the platform answered its first request, the job had run.
        assert runs(again.app.state.db) == [("expire-7", "second")]
        assert waiting(again.app.state.db) == []
    finally:
        again.stop()
        again.app.state.db.dispose()


def test_the_platform_runs_a_job_when_it_falls_due(database_url: str) -> None:
    """The runner's thread, not a test's call: the job is due in 0 s of the moved clock."""
    clock = Clock()
    settings = replace(Settings(database_url=database_url, clock=clock), jobs_poll_seconds=0.05)
    calls = Calls()
    server = ServerThread(settings, extra_jobs=[calls.count(counting_job("platform"))]).start()
    try:
        run_metadata.create_all(server.app.state.db.engine)
        schedule(server.app.state.db, KIND, ["later"], clock() + timedelta(seconds=30))
        clock.advance(30)
        assert calls.wait_for(1)
    finally:
        server.stop()
    assert runs(server.app.state.db) == [("later", "platform")]
    server.app.state.db.dispose()


def test_stop_lets_the_job_in_hand_finish_and_starts_no_other(db: Database) -> None:
    clock = Clock()
    entered, release = threading.Event(), threading.Event()

    def slow(conn: Connection, key: str) -> None:
        entered.set()
        assert release.wait(30)
        conn.execute(job_test_runs.insert().values(key=key, runner="slow"))

    runner = JobRunner(db, clock=clock, due=[DueJob("slow", slow)], name="jobs-under-test")
    runner.start(first_pass_limit=0)
    schedule(db, "slow", ["first", "second"], clock())
    runner.wake()
    assert entered.wait(30)
    runner.request_stop()
    release.set()
    began = time.monotonic()
    assert runner.stop(timeout=10)
    assert time.monotonic() - began < 10
    assert not runner.running
    assert "jobs-under-test" not in [t.name for t in threading.enumerate()]
    # The one in hand committed; the other waits for the next start.
    assert runs(db) == [("first", "slow")]
    assert waiting(db) == [("slow", "second", 0)]


# --- two real platform processes on one PostgreSQL ------------------------------------------


@pytest.mark.postgres
def test_two_platform_processes_run_each_of_200_jobs_exactly_once() -> None:
    require_backend("postgres")
    with fresh_postgres_database() as url:
        db = Database(url, pool_size=2)
        upgrade(db)
        run_metadata.create_all(db.engine)
        processes = [JobsProcess(url), JobsProcess(url)]
        try:
            for process in processes:
                process.start()
            keys = [f"order-{n:03}" for n in range(200)]
            schedule(db, KIND, keys, utcnow())
            assert until(lambda: not waiting(db), timeout=60), len(waiting(db))
        finally:
            codes = [process.stop() for process in processes]
        try:
            done = runs(db)
            assert sorted(key for key, _ in done) == keys  # each exactly once
            assert len({runner for _, runner in done}) == 2, "both processes took jobs"
            for process, code in zip(processes, codes, strict=True):
                assert process.stopped_cleanly, (code, process.log[-2000:])
        finally:
            db.dispose()


# --- helpers --------------------------------------------------------------------------------


class Calls:
    """Counts a job's calls, and waits (from the test's thread) for a number of them."""

    def __init__(self) -> None:
        self.made = 0
        self._changed = threading.Condition()

    def count(self, job: DueJob) -> DueJob:
        def run(conn: Connection, key: str) -> None:
            job.run(conn, key)
            with self._changed:
                self.made += 1
                self._changed.notify_all()

        return DueJob(job.kind, run)

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.made >= count, timeout)


def until(check: Callable[[], bool], timeout: float) -> bool:
    """Whether ``check`` holds within ``timeout``, asked every 50 ms: the other processes'
    work shows only in the database, which tells nobody when it changes."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not check():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.05)
    return True


class JobsProcess:
    """``tests.server.jobs_process``: the platform in a process of its own, with the
    counting job; stopped by SIGTERM as an operator stops it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ""
        self._err: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (stop() closes it)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.server.jobs_process", self.url, str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=self._err,
        )
        health = f"http://127.0.0.1:{self.port}/api/v1/health"

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"the platform exited: {self.read_log()}")
            try:
                return requests.get(health, timeout=1).ok
            except requests.ConnectionError:
                return False

        if not until(answers, timeout=60):
            raise RuntimeError(f"the platform did not start: {self.read_log()}")

    def read_log(self) -> str:
        self._err.seek(0)
        self.log = self._err.read().decode(errors="replace")
        return self.log

    def stop(self) -> int | None:
        if self.process is None:
            return None
        self.process.terminate()
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.read_log()
        self._err.close()
        self.process = None
        return code

    @property
    def stopped_cleanly(self) -> bool:
        """uvicorn finished its shutdown, the job runner's stop included."""
        return "Application shutdown complete" in self.log

"""A platform process that also runs a test kind of due job: ``python -m tests.server.jobs_process
DATABASE_URL PORT``. The job records each run (its key and this process's id) in
``job_test_runs``, which the test made, so two processes' runs can be counted."""

import logging
import os
import sys
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_server.config import Settings
from flashbuy_server.jobs import DueJob
from flashbuy_server.server import serve

KIND = "test.count"
run_metadata = sa.MetaData()
job_test_runs = sa.Table(
    "job_test_runs",
    run_metadata,
    # No unique key on purpose: a job run twice must show as two rows, not as a failure.
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("runner", sa.String(40), nullable=False),
)


def counting_job(runner: str, *, pause: bool = False) -> DueJob:
    """A job that records that ``runner`` ran it; ``pause``: it takes 5 ms of the
    database's time (PostgreSQL), so that runners overlap."""

    def run(conn: Connection, key: str) -> None:
        conn.execute(job_test_runs.insert().values(key=key, runner=runner))
        if pause:
            conn.execute(sa.text("SELECT pg_sleep(0.005)"))

    return DueJob(KIND, run)


def main() -> None:
    """Serve on 127.0.0.1:PORT until SIGTERM, running the counting job every 50 ms poll."""
    url, port = sys.argv[1], int(sys.argv[2])
    logging.basicConfig(level=logging.INFO)
    settings = replace(Settings.from_env(url), jobs_poll_seconds=0.05)
    job = counting_job(f"pid-{os.getpid()}", pause=True)
    serve(settings, "127.0.0.1", port, extra_jobs=[job])


if __name__ == "__main__":
    main()

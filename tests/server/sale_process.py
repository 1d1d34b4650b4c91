"""A platform process whose order expiry also records which process ran it:
``python -m tests.server.sale_process DATABASE_URL PORT``.

The platform's own expiry job runs unchanged; in the same transaction, a row of
``job_test_runs`` (tests.server.jobs_process, made by the test) records the order and this
process's id, so a test can count, for two processes on one database, who expired what.
It takes 5 ms of the database's time besides (PostgreSQL), so that the two runners overlap.
The job is passed as an extra kind of the same name: a runner keeps one job per kind, the
last given, so it replaces the platform's (a test that sees no rows knows it did not).
"""

import logging
import os
import sys
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_server import settlement
from flashbuy_server.config import Settings
from flashbuy_server.jobs import DueJob
from flashbuy_server.server import serve
from tests.server.jobs_process import job_test_runs


def recorded_expiry(settings: Settings, runner: str) -> DueJob:
    """The platform's expiry job, recording each run as ``runner``'s."""
    expire = settlement.expire_job(settings.clock)

    def run(conn: Connection, key: str) -> None:
        expire.run(conn, key)
        conn.execute(job_test_runs.insert().values(key=key, runner=runner))
        conn.execute(sa.text("SELECT pg_sleep(0.005)"))

    return DueJob(settlement.EXPIRE_KIND, run)


def main() -> None:
    """Serve on 127.0.0.1:PORT until SIGTERM, looking for due jobs every 50 ms."""
    url, port = sys.argv[1], int(sys.argv[2])
    logging.basicConfig(level=logging.INFO)
    settings = replace(Settings.from_env(url), jobs_poll_seconds=0.05)
    serve(settings, "127.0.0.1", port, extra_jobs=[recorded_expiry(settings, f"pid-{os.getpid()}")])


if __name__ == "__main__":
    main()

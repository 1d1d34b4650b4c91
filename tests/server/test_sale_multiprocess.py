"""Two platform processes on one PostgreSQL, both running their job runners: many held
orders falling due at the same moment each expire once (one ``order.updated`` per order,
each order's revision grown by one, one recorded run per order, both processes taking
part), and a unique piece with a queue goes to one next viewer, not one per process.

The processes (tests.server.sale_process) keep the real time, so the orders are made due by
moving their pay windows and their jobs into the past in the database, as the end of the
windows would."""

import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from flashbuy_server.db import Database
from flashbuy_server.migrate import upgrade
from flashbuy_server.settlement import EXPIRE_KIND
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import events, jobs, orders
from tests.conftest import require_backend
from tests.server.jobs_process import job_test_runs, run_metadata
from tests.server.sale_support import buy, check_invariants, order_statuses, until
from tests.support import ProcessPlatform, ServerProcess, World, fresh_postgres_database, make_world

pytestmark = pytest.mark.postgres

VIEWERS = 40  # held orders due at once: 40 of one flash-buy, one more with a queue


class SaleProcess(ServerProcess):
    """tests.server.sale_process: the platform, recording who runs each expiry."""

    def start(self, timeout: float = 60) -> "SaleProcess":
        self._log_file = tempfile.TemporaryFile()  # noqa: SIM115 (stop() closes it)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.server.sale_process", self.database_url, str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,
        )
        process = self.process

        def answers() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"the platform exited: {self.stop()} {self.log}")
            try:
                return requests.get(self.url + "/api/v1/health", timeout=1).ok
            except requests.ConnectionError:
                return False

        if not until(answers, timeout):
            self.stop()
            raise RuntimeError(f"the platform did not start: {self.log}")
        return self


@pytest.fixture
def two_processes() -> Iterator[tuple[ServerProcess, ServerProcess, Database]]:
    require_backend("postgres")
    with fresh_postgres_database() as url:
        db = Database(url, pool_size=2)
        upgrade(db)
        run_metadata.create_all(db.engine)
        a, b = SaleProcess(url), SaleProcess(url)
        try:
            a.start()
            b.start()
            yield a, b, db
        finally:
            a.stop()
            b.stop()
            db.dispose()


def test_two_processes_expire_each_held_order_once(
    two_processes: tuple[ServerProcess, ServerProcess, Database],
) -> None:
    a, b, db = two_processes
    # A ProcessPlatform has all make_world uses of a platform.
    world = make_world(ProcessPlatform(a, db), viewers=VIEWERS)  # type: ignore[arg-type]
    try:
        _expire_on_two(world, b, db)
    finally:
        world.close()


def _expire_on_two(world: World, b: ServerProcess, db: Database) -> None:
    many = world.create_flashbuy(stock=VIEWERS)
    unique = world.create_flashbuy(stock=1)
    held = [buy(viewer, many["id"]) for viewer in world.viewers]
    # The unique piece is bought through the other process.
    through_b = b.client(world.viewers[0].token)
    try:
        unique_order = buy(through_b, unique["id"])
    finally:
        through_b.close()
    for viewer in world.viewers[1:4]:
        buy(viewer, unique["id"], 202)
    check_invariants(db, world.room_id)
    due_ids = [o["id"] for o in held] + [unique_order["id"]]

    # Every window ends now, together.
    past = utcnow() - timedelta(seconds=1)
    with db.write() as conn:
        conn.execute(orders.update().where(orders.c.id.in_(due_ids)).values(pay_until=past))
        conn.execute(
            jobs.update()
            .where(jobs.c.kind == EXPIRE_KIND, jobs.c.key.in_([str(i) for i in due_ids]))
            .values(due_at=past)
        )

    def all_expired() -> bool:
        found = {**order_statuses(db, many["id"]), **order_statuses(db, unique["id"])}
        return all(found[i] == "expired" for i in due_ids)

    assert until(all_expired, timeout=60)
    # The unique piece's next holder has a window of five minutes: nothing more falls due.
    with db.read() as conn:
        left = set(conn.execute(sa.select(jobs.c.key).where(jobs.c.kind == EXPIRE_KIND)).scalars())
        updated = Counter(
            int(data["id"])
            for data in conn.execute(
                sa.select(events.c.data).where(
                    events.c.room_id == world.room_id, events.c.type == "order.updated"
                )
            ).scalars()
        )
        revisions = {
            row.id: row.revision
            for row in conn.execute(
                sa.select(orders.c.id, orders.c.revision).where(orders.c.id.in_(due_ids))
            )
        }
    assert updated == Counter({order_id: 1 for order_id in due_ids}), "one expiry per order"
    with db.read() as conn:
        runs = conn.execute(sa.select(job_test_runs.c.key, job_test_runs.c.runner)).all()
    assert sorted(int(key) for key, _ in runs) == sorted(due_ids), "each run once"
    assert len({runner for _, runner in runs}) == 2, "both processes expired orders"
    assert set(revisions.values()) == {2}, revisions
    statuses = order_statuses(db, unique["id"])
    assert Counter(statuses.values()) == {"expired": 1, "held": 1}, "one next holder"
    [next_holder] = [order_id for order_id, s in statuses.items() if s == "held"]
    assert left == {str(next_holder)}
    with db.read() as conn:
        holder = conn.execute(
            sa.select(orders.c.viewer_id, orders.c.previous_order_id).where(
                orders.c.id == next_holder
            )
        ).one()
    assert (holder.viewer_id, holder.previous_order_id) == (world.viewer_ids[1], unique_order["id"])
    check_invariants(db, world.room_id)
    room = world.creator.ok("GET", f"/rooms/{world.room_id}")
    assert (room["held_count"], room["order_count"]) == (1, 0)

"""A platform stopped and started again while orders are held, on SQLite and PostgreSQL:
none is lost, and what came due while it was down expires exactly once as it starts (the
job runner's first pass, before the first request is served), the queue's next viewer
getting the piece. The platform's time is a clock the test moves while it is stopped."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from flashbuy_server.server import ServerThread
from flashbuy_server.settlement import EXPIRE_KIND
from flashbuy_server.tables import jobs, orders
from tests.clock import Clock
from tests.conftest import platform_settings
from tests.server.sale_support import (
    SalePlatform,
    buy,
    check_invariants,
    events_after,
    last_event_id,
    order_statuses,
)
from tests.support import Api, make_world

WINDOW = timedelta(minutes=5)
PRICE = 66_600


class Restartable:
    """One database served by a platform that the test stops and starts again, its time
    one clock throughout."""

    def __init__(self, url: str, backend: str) -> None:
        self.clock = Clock()
        self.settings = replace(platform_settings(url), clock=self.clock)
        self.backend = backend
        self.current: SalePlatform | None = None

    def start(self) -> SalePlatform:
        server = ServerThread(self.settings).start()
        self.current = SalePlatform(server, self.backend, self.clock)
        return self.current

    def stop(self) -> None:
        if self.current is not None:
            self.current.server.stop()
            self.current.server.app.state.db.dispose()
            self.current = None


@pytest.fixture
def platform(database_url: str) -> Iterator[Restartable]:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgres"
    restartable = Restartable(database_url, backend)
    try:
        yield restartable
    finally:
        restartable.stop()


def expire_jobs(sale: SalePlatform) -> dict[str, datetime]:
    with sale.db.read() as conn:
        rows = conn.execute(sa.select(jobs.c.key, jobs.c.due_at).where(jobs.c.kind == EXPIRE_KIND))
        return {row.key: row.due_at for row in rows}


def revisions(sale: SalePlatform, flashbuy_id: int) -> dict[int, int]:
    with sale.db.read() as conn:
        rows = conn.execute(
            sa.select(orders.c.id, orders.c.revision).where(orders.c.flashbuy_id == flashbuy_id)
        )
        return {row.id: row.revision for row in rows}


def test_held_orders_survive_a_restart_and_expire_once_as_the_platform_starts(
    platform: Restartable,
) -> None:
    first = platform.start()
    world = make_world(first, viewers=4)
    tokens = [viewer.token for viewer in world.viewers]
    creator_token = world.creator.token
    ids = world.viewer_ids
    unique_piece = world.create_flashbuy(price_fen=PRICE, stock=1)
    three_pieces = world.create_flashbuy(price_fen=PRICE, stock=3)
    held_one = buy(world.viewers[0], unique_piece["id"])
    buy(world.viewers[1], unique_piece["id"], 202)
    buy(world.viewers[2], unique_piece["id"], 202)
    held_three = [buy(world.viewers[n], three_pieces["id"]) for n in range(3)]
    held_ids = {str(o["id"]) for o in [held_one, *held_three]}
    check_invariants(first.db, world.room_id)
    due = expire_jobs(first)
    assert set(due) == held_ids
    world.close()

    # 1. Stopped and started within the windows: every held order and its job is there.
    platform.stop()
    again = platform.start()
    assert expire_jobs(again) == due
    assert set(order_statuses(again.db, unique_piece["id"]).values()) == {"held"}
    assert set(order_statuses(again.db, three_pieces["id"]).values()) == {"held"}
    check_invariants(again.db, world.room_id)

    # 2. Stopped, and down past the end of every window; started again.
    last_id = last_event_id(again, world.room_id)
    platform.stop()
    platform.clock.advance(WINDOW.total_seconds() + 60)
    restarted = platform.start()
    # start() returned once the platform accepted connections: no request was served
    # yet, and every order that came due is expired, each once.
    found = {
        **order_statuses(restarted.db, unique_piece["id"]),
        **order_statuses(restarted.db, three_pieces["id"]),
    }
    for key in held_ids:
        assert found[int(key)] == "expired", (key, found)
    appended = events_after(restarted, world.room_id, last_id)
    updated = Counter(data["id"] for kind, data in appended if kind == "order.updated")
    assert updated == Counter({int(key): 1 for key in held_ids})
    assert set(revisions(restarted, three_pieces["id"]).values()) == {2}
    # The unique piece went to the first in its queue, with a window from now.
    queued = [o for o in found.values() if o == "held"]
    assert queued == ["held"]
    creator = Api(restarted.api_url, creator_token)
    try:
        listed = creator.ok("GET", f"/flash-buys/{unique_piece['id']}/orders")
        [_, moved] = listed
        assert (moved["viewer_id"], moved["source"], moved["previous_order_id"]) == (
            ids[1],
            "queue",
            held_one["id"],
        )
        assert datetime.fromisoformat(moved["pay_until"]) == platform.clock() + WINDOW
        fb = creator.ok("GET", f"/flash-buys/{three_pieces['id']}")
        assert (fb["sold"], fb["held"], fb["status"]) == (0, 0, "active")
        unique_fb = creator.ok("GET", f"/flash-buys/{unique_piece['id']}")
        assert (unique_fb["sold"], unique_fb["held"], unique_fb["waiting"]) == (1, 1, 1)
    finally:
        creator.close()
    assert set(expire_jobs(restarted)) == {str(moved["id"])}
    check_invariants(restarted.db, world.room_id)

    # 3. A second pass, or another restart, finds nothing more to do.
    mark = last_event_id(restarted, world.room_id)
    restarted.runner.run_due()
    platform.stop()
    last = platform.start()
    assert events_after(last, world.room_id, mark) == []
    # The viewers' tokens from before still work: the fourth buys a piece back on sale.
    fourth = Api(last.api_url, tokens[3])
    try:
        assert buy(fourth, three_pieces["id"])["status"] == "held"
    finally:
        fourth.close()
    check_invariants(last.db, world.room_id)

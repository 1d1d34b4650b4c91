"""Races of a sale's life, over HTTP on SQLite and PostgreSQL: a payment and an expiry at
the same instant (100 rounds: exactly one wins each time), and 1,000 buyers racing for one
piece whose winner never pays (one holder at a time, the queue served in order, at most one
paid order for the piece ever). Invariants are checked in SQL after every step, and a
watcher reads them from outside while the races run."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.models import JoinRoom
from flashbuy_server import rooms
from flashbuy_server.db import Database
from flashbuy_server.payments.sandbox import Notifier, SandboxProvider
from flashbuy_server.tables import events, orders, payments, sandbox_payments
from tests.conftest import BACKENDS
from tests.server.sale_support import (
    SalePlatform,
    buy,
    check_invariants,
    checkout,
    notice_for,
    order_statuses,
    send_callback,
    serve_on_clock,
    totals,
)
from tests.support import Api, World, make_world

ROUNDS = 100
BUYERS = 1_000
PRICE = 88_800
WINDOW = timedelta(minutes=5)


@pytest.fixture(scope="module", params=BACKENDS)
def sale(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SalePlatform]:
    yield from serve_on_clock(request.param, tmp_path_factory)


def updates_per_order(db: Database, room_id: int) -> Counter[int]:
    """How many ``order.updated`` events each order of the room has had."""
    with db.read() as conn:
        data = conn.execute(
            sa.select(events.c.data).where(
                events.c.room_id == room_id, events.c.type == "order.updated"
            )
        ).scalars()
        return Counter(int(d["id"]) for d in data)


class Watcher:
    """Reads, from a thread of its own and as often as it can, how many orders of a
    flash-buy are taken (held or paid) and how many are held, keeping the most seen: what
    any reader could have seen at any moment of a race, committed."""

    def __init__(self, db: Database, flashbuy_id: int) -> None:
        self.db = db
        self.flashbuy_id = flashbuy_id
        self.most_taken = 0
        self.most_held = 0
        self.reads = 0
        self.failed: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sale-watcher", daemon=True)

    def __enter__(self) -> "Watcher":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(30)
        assert not self._thread.is_alive()
        if self.failed is not None:
            raise self.failed

    def _run(self) -> None:
        query = (
            sa.select(orders.c.status, sa.func.count())
            .where(orders.c.flashbuy_id == self.flashbuy_id, orders.c.status.in_(["held", "paid"]))
            .group_by(orders.c.status)
        )
        try:
            while True:
                stopping = self._stop.is_set()  # one more read after the race: its end state
                with self.db.read() as conn:
                    found = {row[0]: int(row[1]) for row in conn.execute(query)}
                self.most_taken = max(self.most_taken, sum(found.values()))
                self.most_held = max(self.most_held, found.get("held", 0))
                self.reads += 1
                if stopping:
                    return
                self._stop.wait(0.001)  # leaves the platform the CPU it races on
        except BaseException as exc:  # told to the test by __exit__
            self.failed = exc


# --- a payment and an expiry at the same instant ------------------------------------------


def test_a_payment_and_an_expiry_at_the_same_instant_have_exactly_one_outcome(
    sale: SalePlatform,
) -> None:
    world = make_world(sale, viewers=0)
    try:
        _race_payment_and_expiry(sale, world)
    finally:
        world.close()


def _race_payment_and_expiry(sale: SalePlatform, world: World) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=ROUNDS)
    # The payment company's own side: the buyer pays on its page, and its notice is sent
    # by this test at the chosen instant (the sandbox's own delivery thread would send it
    # at a moment of its choosing).
    provider = SandboxProvider(sale.db, sale.clock, Notifier(sale.secret, sale.clock), sale.url)
    outcomes: Counter[str] = Counter()
    for n in range(ROUNDS):
        viewer, _viewer_id = world.join(f"买家{n}")
        order = buy(viewer, fb["id"])
        paying = checkout(viewer, order["id"])
        shown, _ = provider.pay(paying["payment_id"])
        assert shown.transaction_id is not None
        notice = notice_for(paying, shown.transaction_id)
        sale.clock.advance(WINDOW.total_seconds())  # the expiry instant: pay_until is now

        answer = _at_once(sale, notice)
        assert answer.status_code == 200, (n, answer.status_code, answer.text)
        receipt = answer.json()["status"]
        status = order_statuses(sale.db, fb["id"])[order["id"]]
        with sale.db.read() as conn:
            recorded = conn.execute(
                sa.select(payments.c.outcome).where(payments.c.id == paying["payment_id"])
            ).scalar_one()
            book = conn.execute(
                sa.select(sandbox_payments.c.status).where(
                    sandbox_payments.c.id == paying["payment_id"]
                )
            ).scalar_one()
        # Exactly one outcome, and the payment's record tells the same story.
        assert (status, receipt, recorded, book) in (
            ("paid", "paid", "paid", "paid"),
            ("expired", "late", "late", "refunded"),
        ), (n, status, receipt, recorded, book)
        assert updates_per_order(sale.db, world.room_id)[order["id"]] == 1, n
        check_invariants(sale.db, world.room_id)
        outcomes[status] += 1

    assert sum(outcomes.values()) == ROUNDS
    paid = outcomes["paid"]
    assert totals(world) == (paid, paid * PRICE, 0, 0)
    # Once more, later: nothing is left to run for any of them.
    sale.clock.advance(WINDOW.total_seconds())
    sale.run_due()
    assert Counter(order_statuses(sale.db, fb["id"]).values()) == outcomes
    print(f"\n{sale.backend}: payment vs expiry at the instant, {ROUNDS} rounds: {dict(outcomes)}")


def _at_once(sale: SalePlatform, notice: dict[str, Any]) -> requests.Response:
    """Two threads released together: one runs the due jobs (the expiry), the other sends
    the provider's callback; the callback's answer."""
    start = threading.Barrier(2)
    answers: list[requests.Response] = []

    def expire_now() -> None:
        start.wait()
        sale.run_due()

    def confirm_now() -> None:
        start.wait()
        answers.append(send_callback(sale, notice))

    _together(expire_now, confirm_now)
    [answer] = answers
    return answer


CANCEL_ROUNDS = 30


def test_a_buyers_cancel_and_the_expiry_at_the_same_instant_have_exactly_one_outcome(
    sale: SalePlatform,
) -> None:
    world = make_world(sale, viewers=0)
    try:
        fb = world.create_flashbuy(price_fen=PRICE, stock=CANCEL_ROUNDS)
        outcomes: Counter[str] = Counter()
        for n in range(CANCEL_ROUNDS):
            viewer, _viewer_id = world.join(f"取消{n}")
            order = buy(viewer, fb["id"])
            sale.clock.advance(WINDOW.total_seconds())
            start = threading.Barrier(2)
            answers: list[requests.Response] = []

            def expire_now(start: threading.Barrier = start) -> None:
                start.wait()
                sale.run_due()

            def cancel_now(
                start: threading.Barrier = start,
                viewer: Api = viewer,
                order_id: int = order["id"],
                answers: list[requests.Response] = answers,
            ) -> None:
                start.wait()
                answers.append(viewer.post(f"/orders/{order_id}/cancel", json={}))

            _together(expire_now, cancel_now)
            [answer] = answers
            status = order_statuses(sale.db, fb["id"])[order["id"]]
            # The cancel won (200, cancelled), or came after the expiry (409, expired).
            assert (answer.status_code, status) in ((200, "cancelled"), (409, "expired")), (
                n,
                answer.status_code,
                answer.text,
                status,
            )
            assert updates_per_order(sale.db, world.room_id)[order["id"]] == 1, n
            check_invariants(sale.db, world.room_id)
            outcomes[status] += 1
        print(f"\n{sale.backend}: cancel vs expiry at the instant: {dict(outcomes)}")
    finally:
        world.close()


def _together(*work: Callable[[], None]) -> None:
    """Run each on a thread of its own, all started; wait for them all."""
    threads = [threading.Thread(target=w) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()


# --- 1,000 buyers for one piece whose winner never pays -----------------------------------


def crowd(sale: SalePlatform, world: World, count: int) -> list[tuple[Api, int]]:
    """``count`` viewers in the world's room, arranged in one transaction with the
    platform's own join (the race is the purchase, not the joins)."""
    joined: list[tuple[str, int]] = []
    with sale.db.write() as conn:
        for n in range(count):
            viewer, token, _room = rooms.enter(
                conn,
                sale.server.settings,
                world.room_id,
                JoinRoom(nickname=f"观众{n}", region="浙江"),
                None,
            )
            assert token is not None
            joined.append((token, viewer.id))
    return [(sale.client(token), viewer_id) for token, viewer_id in joined]


def test_a_thousand_buyers_race_for_one_piece_whose_winner_never_pays(
    sale: SalePlatform,
) -> None:
    world = make_world(sale, viewers=0)
    buyers = crowd(sale, world, BUYERS)
    try:
        _thousand_buyers(sale, world, buyers)
    finally:
        for api, _ in buyers:
            api.close()
        world.close()


def _thousand_buyers(sale: SalePlatform, world: World, buyers: list[tuple[Api, int]]) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    start = threading.Barrier(len(buyers))

    def attempt(buyer: tuple[Api, int]) -> tuple[int, int, dict[str, Any]]:
        api, viewer_id = buyer
        start.wait()
        resp = api.post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"})
        return viewer_id, resp.status_code, resp.json()

    with Watcher(sale.db, fb["id"]) as watcher, ThreadPoolExecutor(len(buyers)) as pool:
        results = list(pool.map(attempt, buyers))
    statuses = Counter(status for _, status, _ in results)
    [winner] = [(v, body) for v, status, body in results if status == 201]
    queued = [(v, body) for v, status, body in results if status == 202]
    refused = [body for _, status, body in results if status not in (201, 202)]
    # Every other buyer queued or was refused cleanly: the one error shape, never a 5xx.
    assert all(set(body) == {"error"} and body["error"]["code"] for body in refused), refused[:3]
    assert all(status < 500 for status in statuses), statuses
    assert statuses[201] == 1, statuses
    assert len(queued) + len(refused) == BUYERS - 1
    positions = sorted(body["position"] for _, body in queued)
    assert positions == list(range(1, len(queued) + 1)), "each place in the queue once"
    assert (watcher.most_taken, watcher.most_held) == (1, 1), "never two pieces taken"
    check_invariants(sale.db, world.room_id)
    in_order = [
        entry["viewer_id"] for entry in world.creator.ok("GET", f"/rooms/{world.room_id}/queue")
    ]
    assert sorted(in_order) == sorted(v for v, _ in queued)
    print(f"\n{sale.backend}: {BUYERS} buyers for 1 piece: {dict(statuses)}")

    # The winner never pays; nor do the next two the piece goes to. Each time exactly one
    # other viewer holds it, the first still waiting, and never two at once.
    holders = [winner[0]]
    with Watcher(sale.db, fb["id"]) as watcher:
        for step in range(3):
            sale.clock.advance(WINDOW.total_seconds())
            sale.run_due()
            check_invariants(sale.db, world.room_id)
            found = order_statuses(sale.db, fb["id"])
            assert Counter(found.values()) == {"expired": step + 1, "held": 1}, found
            with sale.db.read() as conn:
                [holder] = conn.execute(
                    sa.select(
                        orders.c.viewer_id, orders.c.previous_order_id, orders.c.source
                    ).where(orders.c.flashbuy_id == fb["id"], orders.c.status == "held")
                ).all()
            assert holder.viewer_id == in_order[step], "the queue is served in order"
            assert holder.source == "queue"
            assert holder.previous_order_id is not None
            assert found[holder.previous_order_id] == "expired"
            holders.append(holder.viewer_id)
    assert (watcher.most_taken, watcher.most_held) == (1, 1)
    assert len(set(holders)) == len(holders)

    # The fourth holder pays: the piece is sold, once; the queue is not served any more.
    [held_id] = [o for o, s in order_statuses(sale.db, fb["id"]).items() if s == "held"]
    holder_api = next(api for api, v in buyers if v == holders[-1])
    assert send_callback(sale, notice_for(checkout(holder_api, held_id))).json() == {
        "status": "paid"
    }
    sale.clock.advance(WINDOW.total_seconds())
    sale.run_due()
    found = order_statuses(sale.db, fb["id"])
    assert Counter(found.values()) == {"expired": 3, "paid": 1}
    assert totals(world) == (1, PRICE, 0, 0)
    check_invariants(sale.db, world.room_id)
    # A buyer still in the queue is told it is sold out now.
    late_api = next(api for api, v in buyers if v == in_order[-1])
    resp = late_api.post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"})
    assert resp.status_code == 409, resp.text

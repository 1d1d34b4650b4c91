"""Buying flash-buys over HTTP: stock, targeting, presence, listings, offers, events, retries."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.tables import event_targets, orders, rooms
from tests.support import Api, Platform, World, expect_error, make_world, room_events, snapshot

MISSING_ID = 999_999_999


def order_path(flashbuy_id: int) -> str:
    return f"/flash-buys/{flashbuy_id}/orders"


def buy(viewer: Api, flashbuy_id: int, **body: Any) -> dict[str, Any]:
    """An order that must be placed; its JSON."""
    order: dict[str, Any] = viewer.ok("POST", order_path(flashbuy_id), 201, json=body)
    return order


def flashbuy(world: World, flashbuy_id: int) -> dict[str, Any]:
    got: dict[str, Any] = world.creator.ok("GET", f"/flash-buys/{flashbuy_id}")
    return got


def order_count(platform: Platform, flashbuy_id: int) -> int:
    with platform.db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(orders)
                .where(orders.c.flashbuy_id == flashbuy_id)
            ).scalar_one()
        )


def flat_postage(world: World, fee_fen: int) -> int:
    """A shipping template of one fee for every region; its id."""
    body = {"name": "顺丰", "kind": "flat", "flat_fee_fen": fee_fen}
    return int(world.creator.ok("POST", "/shipping-templates", 201, json=body)["id"])


def test_a_viewer_in_the_room_buys_a_full_flashbuy(world: World) -> None:
    fb = world.create_flashbuy(
        price_fen=128_800, stock=2, template_id=flat_postage(world, 1_200), pay_minutes=7
    )
    viewer, viewer_id = world.join("翠友小明", region="广东")

    order = buy(viewer, fb["id"], region="广东")

    assert isinstance(order["id"], int)
    assert (order["flashbuy_id"], order["room_id"], order["viewer_id"]) == (
        fb["id"],
        world.room_id,
        viewer_id,
    )
    assert order["nickname"] == "翠友小明"
    assert (order["price_fen"], order["shipping_fen"], order["total_fen"]) == (
        128_800,
        1_200,
        130_000,
    )
    assert order["region"] == "广东"
    assert order["created_at"]
    # Held while the buyer pays: the flash-buy's window from now.
    assert (order["status"], order["source"], order["closed_at"]) == ("held", "offer", None)
    window = datetime.fromisoformat(order["pay_until"]) - datetime.fromisoformat(
        order["created_at"]
    )
    assert timedelta(minutes=7) - timedelta(seconds=5) < window <= timedelta(minutes=7)
    after = flashbuy(world, fb["id"])
    assert (after["sold"], after["held"], after["status"], after["pay_minutes"]) == (
        1,
        1,
        "active",
        7,
    )


def test_the_last_piece_sells_out_and_the_next_buyer_is_refused(world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    first, second = world.viewers[:2]
    world.platform.settle(buy(first, fb["id"])["id"])
    after = flashbuy(world, fb["id"])
    assert (after["sold"], after["held"], after["status"]) == (1, 0, "sold_out")

    before = snapshot(world.platform.db)
    resp = second.post(order_path(fb["id"]), json={"region": "浙江"})
    assert expect_error(resp, ErrorCode.FLASHBUY_SOLD_OUT)["flashbuy_id"] == fb["id"]
    assert snapshot(world.platform.db) == before


def test_three_pieces_sell_to_three_viewers_and_the_fourth_is_refused(world: World) -> None:
    world.join()
    world.join()
    fb = world.create_flashbuy(stock=3)
    for n, viewer in enumerate(world.viewers[:3], start=1):
        world.platform.settle(buy(viewer, fb["id"])["id"])
        after = flashbuy(world, fb["id"])
        assert after["sold"] == n
        assert after["status"] == ("sold_out" if n == 3 else "active")

    before = snapshot(world.platform.db)
    expect_error(world.viewers[3].post(order_path(fb["id"]), json={}), ErrorCode.FLASHBUY_SOLD_OUT)
    assert snapshot(world.platform.db) == before
    assert order_count(world.platform, fb["id"]) == 3


def test_the_same_viewer_cannot_buy_twice(world: World) -> None:
    fb = world.create_flashbuy(stock=5)
    viewer = world.viewers[0]
    buy(viewer, fb["id"])
    before = snapshot(world.platform.db)
    resp = viewer.post(order_path(fb["id"]), json={})
    assert expect_error(resp, ErrorCode.ALREADY_PURCHASED)["flashbuy_id"] == fb["id"]
    assert snapshot(world.platform.db) == before
    assert flashbuy(world, fb["id"])["sold"] == 1


def test_an_ended_flashbuy_cannot_be_bought(world: World) -> None:
    fb = world.create_flashbuy(stock=3)
    world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    before = snapshot(world.platform.db)
    resp = world.viewers[0].post(order_path(fb["id"]), json={})
    expect_error(resp, ErrorCode.FLASHBUY_ENDED)
    assert snapshot(world.platform.db) == before


def test_a_targeted_flashbuy_sells_only_to_the_named_viewer(world: World) -> None:
    named, other = world.viewers[:2]
    fb = world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]], stock=2)

    before = snapshot(world.platform.db)
    resp = other.post(order_path(fb["id"]), json={})
    assert expect_error(resp, ErrorCode.NOT_OFFERED_TO_VIEWER)["flashbuy_id"] == fb["id"]
    assert snapshot(world.platform.db) == before

    order = buy(named, fb["id"])
    assert order["viewer_id"] == world.viewer_ids[0]


@pytest.mark.parametrize("how", ["sold_out", "ended"])
def test_a_targeted_offer_never_tells_another_viewer_it_exists(world: World, how: str) -> None:
    """The offer is checked before the stock: sold out or ended, the answer to someone else
    is the same 403 as while it was on sale."""
    named, other = world.viewers[:2]
    fb = world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])
    if how == "sold_out":
        buy(named, fb["id"])
    else:
        world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    before = snapshot(world.platform.db)
    resp = other.post(order_path(fb["id"]), json={})
    assert expect_error(resp, ErrorCode.NOT_OFFERED_TO_VIEWER)["flashbuy_id"] == fb["id"]
    assert snapshot(world.platform.db) == before


def test_a_viewer_who_left_the_room_cannot_buy_a_full_flashbuy(world: World) -> None:
    fb = world.create_flashbuy(stock=2)
    viewer = world.viewers[0]
    viewer.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    before = snapshot(world.platform.db)
    resp = viewer.post(order_path(fb["id"]), json={})
    assert expect_error(resp, ErrorCode.VIEWER_NOT_IN_ROOM)["room_id"] == world.room_id
    assert snapshot(world.platform.db) == before


def test_a_viewer_of_another_room_cannot_buy_a_full_flashbuy(world: World) -> None:
    """To a viewer who never joined its room, a flash-buy is the same 404 as one that does
    not exist: walking ids tells neither that it exists nor in which room."""
    other = make_world(world.platform, viewers=1)
    try:
        fb = world.create_flashbuy(stock=2)
        before = snapshot(world.platform.db)
        resp = other.viewers[0].post(order_path(fb["id"]), json={})
        expect_error(resp, ErrorCode.NOT_FOUND)
        assert resp.json()["error"]["message"] == f"flash-buy {fb['id']} does not exist"
        assert "room_id" not in resp.json()["error"]["details"]
        assert snapshot(world.platform.db) == before
    finally:
        other.close()


def test_an_unknown_flashbuy_is_not_found(world: World) -> None:
    before = snapshot(world.platform.db)
    resp = world.viewers[0].post(order_path(MISSING_ID), json={})
    expect_error(resp, ErrorCode.NOT_FOUND)
    assert snapshot(world.platform.db) == before


def test_only_a_viewer_token_can_buy(world: World) -> None:
    fb = world.create_flashbuy(stock=2)
    before = snapshot(world.platform.db)
    expect_error(world.creator.post(order_path(fb["id"]), json={}), ErrorCode.FORBIDDEN)
    anonymous = world.platform.client()
    try:
        expect_error(anonymous.post(order_path(fb["id"]), json={}), ErrorCode.UNAUTHENTICATED)
    finally:
        anonymous.close()
    assert snapshot(world.platform.db) == before


def test_the_creator_lists_who_bought_and_nobody_else_can(world: World) -> None:
    fb = world.create_flashbuy(stock=3)
    assert world.creator.ok("GET", order_path(fb["id"])) == []
    first = buy(world.viewers[1], fb["id"], region="上海")
    second = buy(world.viewers[0], fb["id"])

    listed = world.creator.ok("GET", order_path(fb["id"]))
    assert listed == [first, second]
    assert [o["viewer_id"] for o in listed] == [world.viewer_ids[1], world.viewer_ids[0]]

    other = make_world(world.platform, viewers=0)
    try:
        expect_error(other.creator.get(order_path(fb["id"])), ErrorCode.NOT_FOUND)
    finally:
        other.close()
    expect_error(world.viewers[0].get(order_path(fb["id"])), ErrorCode.FORBIDDEN)
    expect_error(world.creator.get(order_path(MISSING_ID)), ErrorCode.NOT_FOUND)


def test_offers_show_a_viewer_only_what_it_may_buy(world: World) -> None:
    a, b = world.viewers[:2]
    a_id, b_id = world.viewer_ids[:2]
    full = world.create_flashbuy(title="1号 全量", stock=2)
    for_a = world.create_flashbuy(title="2号 给A", mode="targeted", target_viewer_ids=[a_id])
    for_b = world.create_flashbuy(title="3号 给B", mode="targeted", target_viewer_ids=[b_id])
    for_both = world.create_flashbuy(
        title="4号 给AB", mode="targeted", target_viewer_ids=[a_id, b_id]
    )
    sold_out = world.create_flashbuy(title="5号 售罄", stock=1)
    ended = world.create_flashbuy(title="6号 结束", stock=1)
    buy(b, sold_out["id"])
    world.creator.ok("POST", f"/flash-buys/{ended['id']}/end")

    def offers(viewer: Api) -> dict[int, dict[str, Any]]:
        got = viewer.ok("GET", f"/rooms/{world.room_id}/offers")
        return {o["id"]: o for o in got}

    seen_by_a = offers(a)
    assert set(seen_by_a) == {full["id"], for_a["id"], for_both["id"]}
    seen_by_b = offers(b)
    assert set(seen_by_b) == {full["id"], for_b["id"], for_both["id"]}
    # A targeted offer names only the viewer looking at it, never the other targets.
    assert [t["id"] for t in seen_by_a[for_both["id"]]["targets"]] == [a_id]
    assert [t["id"] for t in seen_by_b[for_both["id"]]["targets"]] == [b_id]
    assert seen_by_a[full["id"]]["targets"] == []

    c, _c_id = world.join()
    assert set(offers(c)) == {full["id"]}
    c.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    expect_error(c.get(f"/rooms/{world.room_id}/offers"), ErrorCode.VIEWER_NOT_IN_ROOM)


def test_a_purchase_appends_its_events_together(world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    before = room_events(world.platform, world.room_id)
    order = buy(world.viewers[0], fb["id"])

    log = room_events(world.platform, world.room_id)
    assert [e.id for e in log] == list(range(1, len(log) + 1))  # one by one per room
    new = log[len(before) :]
    assert [e.type for e in new] == [
        "order.placed",
        "live.totals",
        "flashbuy.updated",
        "flashbuy.sold_out",
    ]
    placed, totals, updated, sold_out = new
    # Held, not yet a sale: the live counts it apart.
    assert totals.data == {
        "room_id": world.room_id,
        "order_count": 0,
        "sales_fen": 0,
        "held_count": 1,
        "held_fen": 128_800,
    }
    assert totals.audience == "creator"
    assert placed.data == order
    assert placed.audience == "targets"  # the creator, and the buyer
    assert targets_of(world, placed.id) == [world.viewer_ids[0]]
    assert (updated.data["id"], updated.data["sold"], updated.data["status"]) == (
        fb["id"],
        1,
        "sold_out",
    )
    assert updated.audience == "all"
    assert sold_out.data == updated.data
    with world.platform.db.read() as conn:
        last = conn.execute(
            sa.select(rooms.c.last_event_id).where(rooms.c.id == world.room_id)
        ).scalar_one()
    assert last == log[-1].id

    # A refused purchase appends nothing.
    world.platform.settle(order["id"])
    log = room_events(world.platform, world.room_id)
    expect_error(world.viewers[1].post(order_path(fb["id"]), json={}), ErrorCode.FLASHBUY_SOLD_OUT)
    assert room_events(world.platform, world.room_id) == log


def targets_of(world: World, event_id: int) -> list[int]:
    """The viewers an event with audience "targets" is for."""
    with world.platform.db.read() as conn:
        return [
            t.viewer_id
            for t in conn.execute(
                sa.select(event_targets.c.viewer_id).where(
                    event_targets.c.room_id == world.room_id,
                    event_targets.c.event_id == event_id,
                )
            )
        ]


def test_a_targeted_purchase_event_goes_to_its_targets_only(world: World) -> None:
    fb = world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])
    buy(world.viewers[0], fb["id"])
    log = room_events(world.platform, world.room_id)
    updated = next(e for e in log if e.type == "flashbuy.updated")
    assert updated.audience == "targets"
    with world.platform.db.read() as conn:
        targets = conn.execute(
            sa.select(event_targets.c.viewer_id).where(
                event_targets.c.room_id == world.room_id, event_targets.c.event_id == updated.id
            )
        ).all()
    assert [t.viewer_id for t in targets] == [world.viewer_ids[0]]


def test_racing_viewers_never_oversell_and_each_purchase_logs_its_events_together(
    world: World,
) -> None:
    for _ in range(6):
        world.join()
    stock = 3
    fb = world.create_flashbuy(stock=stock)
    before = room_events(world.platform, world.room_id)
    racers = world.viewers
    start = threading.Barrier(len(racers))

    def attempt(viewer: Api) -> tuple[int, dict[str, Any]]:
        start.wait(timeout=30)
        resp = viewer.post(order_path(fb["id"]), json={})
        return resp.status_code, resp.json()

    with ThreadPoolExecutor(len(racers)) as pool:
        results = list(pool.map(attempt, racers))

    placed = [body for status, body in results if status == 201]
    # Every piece is held by a buyer who has not paid: the others wait for one to come back.
    queued = [body for status, body in results if status == 202]
    assert len(placed) == stock
    assert len(placed) + len(queued) == len(racers)
    assert sorted(q["position"] for q in queued) == list(range(1, len(queued) + 1))
    after = flashbuy(world, fb["id"])
    assert (after["sold"], after["status"]) == (stock, "sold_out")
    assert order_count(world.platform, fb["id"]) == stock

    log = room_events(world.platform, world.room_id)
    assert [e.id for e in log] == list(range(1, len(log) + 1))
    new = log[len(before) :]
    # Each purchase's batch: its order, the live's totals, the flash-buy it left behind (the
    # last one's followed by the sell-out); then each queued viewer's place and the count.
    batch = ["order.placed", "live.totals", "flashbuy.updated"]
    expected_types = batch * (stock - 1) + batch + ["flashbuy.sold_out"]
    expected_types += ["queue.joined", "flashbuy.updated"] * len(queued)
    assert [e.type for e in new] == expected_types
    # Each order's event is followed, after the totals, by the flash-buy it left behind.
    for n in range(stock):
        order_event, updated = new[3 * n], new[3 * n + 2]
        assert updated.data["sold"] == n + 1
        assert order_event.data in placed
    # The totals count up one order at a time, in commit order.
    totals = [e.data for e in new if e.type == "live.totals"]
    assert [(t["held_count"], t["held_fen"]) for t in totals] == [
        (n, n * 128_800) for n in range(1, stock + 1)
    ]
    assert sorted(e.data["id"] for e in new if e.type == "order.placed") == sorted(
        o["id"] for o in placed
    )


def test_an_idempotent_purchase_replays_the_same_order(world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    viewer = world.viewers[0]
    key = {"Idempotency-Key": "buy-3-once"}
    first = viewer.ok("POST", order_path(fb["id"]), 201, json={"region": "浙江"}, headers=key)

    before = snapshot(world.platform.db)
    replay = viewer.ok("POST", order_path(fb["id"]), 201, json={"region": "浙江"}, headers=key)
    assert replay == first
    assert snapshot(world.platform.db) == before
    assert order_count(world.platform, fb["id"]) == 1

    resp = viewer.post(order_path(fb["id"]), json={"region": "江苏"}, headers=key)
    expect_error(resp, ErrorCode.IDEMPOTENCY_KEY_REUSED)
    assert snapshot(world.platform.db) == before

    # The key is the viewer's own: another viewer using it is a new request, refused on merit.
    world.platform.settle(first["id"])
    before = snapshot(world.platform.db)
    resp = world.viewers[1].post(order_path(fb["id"]), json={"region": "浙江"}, headers=key)
    expect_error(resp, ErrorCode.FLASHBUY_SOLD_OUT)
    assert snapshot(world.platform.db) == before


# --- the orders of a live, and the live's totals -----------------------------------------


@contextmanager
def statements_on(platform: Platform, table: str) -> Iterator[list[str]]:
    """The SQL statements the platform's engine runs that name ``table``, while inside."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if f" {table}" in statement:
            seen.append(statement)

    engine = platform.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def orders_read_with(platform: Platform, ask: Callable[[], Any]) -> tuple[Any, int]:
    """What ``ask`` answered, and how many statements reading orders it cost the platform."""
    with statements_on(platform, "orders") as seen:
        answer = ask()
    return answer, len(seen)


def room_orders_path(room_id: int) -> str:
    return f"/rooms/{room_id}/orders"


def test_the_creator_lists_a_lives_orders_in_one_query(world: World) -> None:
    assert world.creator.ok("GET", room_orders_path(world.room_id)) == []
    for _ in range(3):
        world.join()
    first = world.create_flashbuy(stock=5, price_fen=10_000)
    second = world.create_flashbuy(stock=5, price_fen=20_000)
    placed = [buy(world.viewers[0], first["id"])]
    listed, reads = orders_read_with(
        world.platform, lambda: world.creator.ok("GET", room_orders_path(world.room_id))
    )
    assert (listed, reads) == (placed, 1)

    placed += [buy(viewer, second["id"]) for viewer in world.viewers[1:]]
    placed.append(buy(world.viewers[1], first["id"]))
    listed, reads = orders_read_with(
        world.platform, lambda: world.creator.ok("GET", room_orders_path(world.room_id))
    )
    # Oldest first, whole, and still one query however many orders and flash-buys there are.
    assert listed == sorted(placed, key=lambda o: o["id"])
    assert len(listed) == 6
    assert reads == 1
    # The flash-buy's own list is one query too, and the same orders.
    of_first, reads = orders_read_with(
        world.platform, lambda: world.creator.ok("GET", order_path(first["id"]))
    )
    assert of_first == [o for o in listed if o["flashbuy_id"] == first["id"]]
    assert reads == 1


def test_only_the_lives_creator_lists_its_orders(world: World) -> None:
    fb = world.create_flashbuy(stock=2)
    buy(world.viewers[0], fb["id"])
    path = room_orders_path(world.room_id)
    other = make_world(world.platform, viewers=0)
    try:
        # Another creator's room is the same 404 as a room that does not exist.
        theirs = other.creator.get(path)
        missing = other.creator.get(room_orders_path(MISSING_ID))
        assert expect_error(theirs, ErrorCode.NOT_FOUND) == {"what": "room", "id": world.room_id}
        assert expect_error(missing, ErrorCode.NOT_FOUND) == {"what": "room", "id": MISSING_ID}
        assert other.creator.ok("GET", room_orders_path(other.room_id)) == []
    finally:
        other.close()
    expect_error(world.viewers[0].get(path), ErrorCode.FORBIDDEN)
    anonymous = world.platform.client()
    try:
        expect_error(anonymous.get(path), ErrorCode.UNAUTHENTICATED)
    finally:
        anonymous.close()
    # An ended live's orders are still listed.
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    assert len(world.creator.ok("GET", path)) == 1


def test_the_room_counts_its_orders_and_sales_as_they_are_placed(world: World) -> None:
    def totals() -> tuple[int, int]:
        room = world.creator.ok("GET", f"/rooms/{world.room_id}")
        return room["order_count"], room["sales_fen"]

    def held() -> tuple[int, int]:
        room = world.creator.ok("GET", f"/rooms/{world.room_id}")
        return room["held_count"], room["held_fen"]

    assert totals() == (0, 0)
    fb = world.create_flashbuy(price_fen=128_800, stock=2, template_id=flat_postage(world, 1_200))
    first = buy(world.viewers[0], fb["id"])
    assert (totals(), held()) == ((0, 0), (1, 128_800))  # held: not a sale yet
    world.platform.settle(first["id"])
    assert (totals(), held()) == ((1, 128_800), (0, 0))  # the price: postage is not a sale
    world.platform.settle(buy(world.viewers[1], fb["id"])["id"])
    assert totals() == (2, 257_600)

    # A refused purchase counts nothing.
    late, _late_id = world.join()
    expect_error(late.post(order_path(fb["id"]), json={}), ErrorCode.FLASHBUY_SOLD_OUT)
    assert totals() == (2, 257_600)
    # The lists of rooms and lives say the same.
    listed = world.creator.ok("GET", "/rooms")
    assert [(r["order_count"], r["sales_fen"]) for r in listed if r["id"] == world.room_id] == [
        (2, 257_600)
    ]
    log = room_events(world.platform, world.room_id)
    paid = [(n, n * 128_800) for n in (0, 1, 1, 2)]  # placed, paid, placed, paid
    held_then = [(1, 128_800), (0, 0), (1, 128_800), (0, 0)]
    assert [e.data for e in log if e.type == "live.totals"] == [
        {
            "room_id": world.room_id,
            "order_count": count,
            "sales_fen": sales,
            "held_count": held_count,
            "held_fen": held_fen,
        }
        for (count, sales), (held_count, held_fen) in zip(paid, held_then, strict=True)
    ]

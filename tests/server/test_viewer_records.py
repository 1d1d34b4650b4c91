"""What a creator knows of each viewer: counts, the seller's note, blocking, over HTTP.

On SQLite and PostgreSQL (the ``world`` fixture runs on both): records as orders are paid and
expire, the note, block and unblock, what a blocked viewer is refused and never shown, tenancy
and hostile input.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import ID_MAX, VIEWER_NOTE_MAX
from flashbuy_server import settlement, viewer_records
from flashbuy_server.sqltypes import utcnow
from tests.support import (
    Api,
    SseClient,
    World,
    expect_error,
    make_world,
    room_events,
    snapshot,
)

MISSING_ID = 999_999_999


def record_path(viewer_id: int | str) -> str:
    return f"/viewers/{viewer_id}/record"


def record(world: World, viewer_id: int) -> dict[str, Any]:
    got: dict[str, Any] = world.creator.ok("GET", record_path(viewer_id))
    return got


def change(world: World, viewer_id: int, **body: Any) -> dict[str, Any]:
    got: dict[str, Any] = world.creator.ok("PUT", record_path(viewer_id), json=body)
    return got


def room_records(world: World) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = world.creator.ok("GET", f"/rooms/{world.room_id}/viewer-records")
    return got


def record_events(world: World) -> list[dict[str, Any]]:
    """The viewer.record events of the world's room: their data; each must be the creator's."""
    found = [e for e in room_events(world.platform, world.room_id) if e.type == "viewer.record"]
    assert all(e.audience == "creator" for e in found)
    return [dict(e.data) for e in found]


def zero(viewer_id: int, nickname: str) -> dict[str, Any]:
    return {
        "viewer_id": viewer_id,
        "nickname": nickname,
        "paid_count": 0,
        "paid_fen": 0,
        "expired_count": 0,
        "cancelled_count": 0,
        "note": "",
        "blocked": False,
    }


def buy(viewer: Api, flashbuy_id: int) -> dict[str, Any]:
    order: dict[str, Any] = viewer.ok(
        "POST", f"/flash-buys/{flashbuy_id}/orders", 201, json={"region": "浙江"}
    )
    return order


# --- records ------------------------------------------------------------------------------


def test_a_viewer_of_the_creators_room_has_a_zero_record_until_something_happens(
    world: World,
) -> None:
    _api, viewer_id = world.join("翠友小明")
    assert record(world, viewer_id) == zero(viewer_id, "翠友小明")
    assert room_records(world) == []  # no row yet: nothing worth listing


def test_counts_kept_by_settlement_are_what_the_routes_show(world: World) -> None:
    first, second = world.viewer_ids[:2]
    with world.platform.db.write() as conn:
        paid = viewer_records.counted(
            conn, world.creator_id, first, "一号", paid_count=2, paid_fen=257_600
        )
        viewer_records.counted(conn, world.creator_id, first, "一号", expired_count=1)
        viewer_records.counted(conn, world.creator_id, second, "二号", cancelled_count=1)
    # What the transaction that counts gets back is the record as it now stands.
    assert (paid.viewer_id, paid.nickname, paid.paid_count, paid.paid_fen) == (
        first,
        "一号",
        2,
        257_600,
    )

    got = record(world, first)
    assert (got["paid_count"], got["paid_fen"], got["expired_count"]) == (2, 257_600, 1)
    assert (got["cancelled_count"], got["note"], got["blocked"]) == (0, "", False)
    listed = room_records(world)
    assert [r["viewer_id"] for r in listed] == sorted([first, second])
    assert listed[0 if first < second else 1] == got
    assert next(r for r in listed if r["viewer_id"] == second)["cancelled_count"] == 1


def test_paid_and_expired_orders_are_counted_per_creator(world: World) -> None:
    payer, runner = world.viewers[:2]
    payer_id, runner_id = world.viewer_ids[:2]
    paid_fb = world.create_flashbuy(price_fen=128_800, stock=1)
    unpaid_fb = world.create_flashbuy(price_fen=88_800, stock=1)
    paid_order = buy(payer, paid_fb["id"])
    unpaid_order = buy(runner, unpaid_fb["id"])
    assert (paid_order["status"], unpaid_order["status"]) == ("held", "held")

    with world.platform.db.write() as conn:
        settlement.pay(conn, paid_order["id"])
    with world.platform.db.write() as conn:
        settlement.expire(conn, unpaid_order["id"], utcnow() + timedelta(hours=1))

    got = record(world, payer_id)
    assert (got["paid_count"], got["paid_fen"], got["expired_count"]) == (1, 128_800, 0)
    got = record(world, runner_id)
    assert (got["paid_count"], got["paid_fen"], got["expired_count"]) == (0, 0, 1)
    assert {r["viewer_id"] for r in room_records(world)} == {payer_id, runner_id}
    # The console learns each change from its own stream.
    told = {(e["viewer_id"], e["paid_count"], e["expired_count"]) for e in record_events(world)}
    assert told == {(payer_id, 1, 0), (runner_id, 0, 1)}

    # Another creator's record of the same viewers starts from nothing.
    other = make_world(world.platform, viewers=0)
    try:
        payer.ok(
            "POST", f"/rooms/{other.room_id}/join", json={"nickname": "翠友", "region": "浙江"}
        )
        assert other.creator.ok("GET", record_path(payer_id))["paid_count"] == 0
    finally:
        other.close()


# --- the seller's note and block ----------------------------------------------------------


def test_the_note_is_set_trimmed_kept_and_cleared(world: World) -> None:
    viewer_id = world.viewer_ids[0]
    got = change(world, viewer_id, note="  老客户，只要满绿  ")
    assert (got["note"], got["blocked"]) == ("老客户，只要满绿", False)
    assert change(world, viewer_id, blocked=True)["note"] == "老客户，只要满绿"  # left alone
    assert change(world, viewer_id)["note"] == "老客户，只要满绿"  # {} changes nothing
    assert change(world, viewer_id, note=None)["note"] == "老客户，只要满绿"  # null: unchanged
    cleared = change(world, viewer_id, note="")
    assert (cleared["note"], cleared["blocked"]) == ("", True)
    longest = "翠" * VIEWER_NOTE_MAX
    assert change(world, viewer_id, note=longest)["note"] == longest
    assert record(world, viewer_id)["note"] == longest


def test_block_and_unblock_round_trip_tell_the_creators_console(world: World) -> None:
    viewer_id = world.viewer_ids[0]
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events")
    try:
        assert change(world, viewer_id, blocked=True)["blocked"] is True
        assert record(world, viewer_id)["blocked"] is True
        assert [r["viewer_id"] for r in room_records(world)] == [viewer_id]
        told = stream.next()
        assert told.event == "viewer.record"
        assert json.loads(told.data)["data"] == record(world, viewer_id)

        assert change(world, viewer_id, blocked=False)["blocked"] is False
        told = stream.next()
        assert (told.event, json.loads(told.data)["data"]["blocked"]) == ("viewer.record", False)
    finally:
        stream.close()
    assert [e["blocked"] for e in record_events(world)] == [True, False]
    # Saying again what is already so writes nothing and tells nobody.
    before = snapshot(world.platform.db)
    assert change(world, viewer_id, blocked=False, note="")["blocked"] is False
    assert snapshot(world.platform.db) == before


def test_a_change_with_no_live_on_is_kept_without_an_event(world: World) -> None:
    viewer_id = world.viewer_ids[0]
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    assert change(world, viewer_id, blocked=True, note="跑单")["blocked"] is True
    assert record(world, viewer_id)["note"] == "跑单"
    assert record_events(world) == []


def test_a_flood_of_puts_is_answered_and_leaves_one_change(world: World) -> None:
    viewer_id = world.viewer_ids[0]

    def put(_n: int) -> int:
        resp = world.creator.put(record_path(viewer_id), json={"blocked": True, "note": "跑单"})
        return resp.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(put, range(200)))
    assert statuses == [200] * 200
    assert len(record_events(world)) == 1  # the log grows by changes, not by requests
    assert room_records(world) == [{**zero(viewer_id, record(world, viewer_id)["nickname"]),
                                    "note": "跑单", "blocked": True}]  # fmt: skip


# --- a blocked viewer ---------------------------------------------------------------------


def test_a_blocked_viewer_is_refused_at_purchase_then_buys_once_unblocked(world: World) -> None:
    viewer, viewer_id = world.viewers[0], world.viewer_ids[0]
    fb = world.create_flashbuy(stock=2)
    change(world, viewer_id, blocked=True)
    before = snapshot(world.platform.db)
    resp = viewer.post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"})
    assert expect_error(resp, ErrorCode.VIEWER_BLOCKED)["viewer_id"] == viewer_id
    assert snapshot(world.platform.db) == before

    change(world, viewer_id, blocked=False)
    assert buy(viewer, fb["id"])["viewer_id"] == viewer_id


def test_a_blocked_viewer_is_offered_nothing_by_this_creator(world: World) -> None:
    blocked_api, other_api = world.viewers[:2]
    blocked_id, other_id = world.viewer_ids[:2]
    full = world.create_flashbuy()
    targeted = world.create_flashbuy(mode="targeted", target_viewer_ids=[blocked_id, other_id])
    offers = f"/rooms/{world.room_id}/offers"
    assert {o["id"] for o in blocked_api.ok("GET", offers)} == {full["id"], targeted["id"]}

    change(world, blocked_id, blocked=True)
    assert blocked_api.ok("GET", offers) == []
    assert {o["id"] for o in other_api.ok("GET", offers)} == {full["id"], targeted["id"]}
    change(world, blocked_id, blocked=False)
    assert {o["id"] for o in blocked_api.ok("GET", offers)} == {full["id"], targeted["id"]}


def test_a_targeted_offer_naming_a_blocked_viewer_is_refused(world: World) -> None:
    first, second = world.viewer_ids[:2]
    change(world, second, blocked=True)
    before = snapshot(world.platform.db)
    resp = world.creator.post(
        f"/rooms/{world.room_id}/flash-buys",
        json=world.flashbuy_body(mode="targeted", target_viewer_ids=[first, second]),
    )
    assert expect_error(resp, ErrorCode.VIEWER_BLOCKED)["viewer_ids"] == [second]
    assert snapshot(world.platform.db) == before
    world.create_flashbuy(mode="targeted", target_viewer_ids=[first])


def _offer_events(stream: SseClient, until: int) -> list[tuple[str, int]]:
    return [
        (e["type"], e["data"]["id"])
        for e in stream.until_id(until)
        if e["type"].startswith("flashbuy.")
    ]


def test_a_blocked_viewers_stream_carries_no_offer_of_this_creator(world: World) -> None:
    blocked_api, other_api = world.viewers[:2]
    blocked_id = world.viewer_ids[0]
    change(world, blocked_id, blocked=True)
    path = f"/rooms/{world.room_id}/viewer-events"
    blocked_stream, other_stream = SseClient(blocked_api, path), SseClient(other_api, path)
    try:
        fb = world.create_flashbuy()
        world.creator.ok("POST", f"/rooms/{world.room_id}/end")  # a fence every viewer sees
        ended = room_events(world.platform, world.room_id)[-1]
        assert ended.type == "live.ended"

        assert _offer_events(blocked_stream, ended.id) == []
        assert _offer_events(other_stream, ended.id) == [
            ("flashbuy.created", fb["id"]),
            ("flashbuy.ended", fb["id"]),
        ]
    finally:
        blocked_stream.close()
        other_stream.close()


def test_a_stream_follows_a_block_and_an_unblock_while_it_is_open(world: World) -> None:
    viewer_api, other_api = world.viewers[:2]
    viewer_id = world.viewer_ids[0]
    path = f"/rooms/{world.room_id}/viewer-events"
    stream, other = SseClient(viewer_api, path), SseClient(other_api, path)
    try:
        before = world.create_flashbuy()
        change(world, viewer_id, blocked=True)
        during = world.create_flashbuy()
        # The other viewer's stream carrying it means the platform has read the block too.
        other_saw = _offer_events(other, room_events(world.platform, world.room_id)[-1].id)
        assert ("flashbuy.created", during["id"]) in other_saw
        change(world, viewer_id, blocked=False)
        after = world.create_flashbuy()
        last = room_events(world.platform, world.room_id)[-1].id

        assert _offer_events(stream, last) == [
            ("flashbuy.created", before["id"]),
            ("flashbuy.created", after["id"]),
        ]
    finally:
        stream.close()
        other.close()


# --- tenancy ------------------------------------------------------------------------------


def test_another_creators_viewer_and_room_are_not_found_and_not_changed(world: World) -> None:
    other = make_world(world.platform, viewers=0)
    try:
        viewer_id = world.viewer_ids[0]
        change(world, viewer_id, note="好客户")
        before = snapshot(world.platform.db)

        missing = expect_error(other.creator.get(record_path(MISSING_ID)), ErrorCode.NOT_FOUND)
        theirs = expect_error(other.creator.get(record_path(viewer_id)), ErrorCode.NOT_FOUND)
        assert {k: v for k, v in theirs.items() if k != "id"} == {
            k: v for k, v in missing.items() if k != "id"
        }
        resp = other.creator.put(record_path(viewer_id), json={"blocked": True, "note": "x"})
        expect_error(resp, ErrorCode.NOT_FOUND)
        resp = other.creator.get(f"/rooms/{world.room_id}/viewer-records")
        assert expect_error(resp, ErrorCode.NOT_FOUND)["what"] == "room"
        assert snapshot(world.platform.db) == before
        assert record(world, viewer_id)["note"] == "好客户"

        # A viewer's token is not a creator's.
        resp = world.viewers[0].get(record_path(viewer_id))
        expect_error(resp, ErrorCode.FORBIDDEN)
    finally:
        other.close()


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "好\x00客户",  # NUL: PostgreSQL cannot even store it
        "好\x07客户",
        "好\x85客户",  # NEL
        "好\u2028客户",
        "好\u202e户客",  # right-to-left override: reads otherwise than stored
        "\u200b\u200b\u200b",  # nothing to read
        "翠" * (VIEWER_NOTE_MAX + 1),
    ],
)
def test_a_note_the_text_rule_refuses_is_one_error_and_changes_nothing(
    world: World, note: str
) -> None:
    viewer_id = world.viewer_ids[0]
    before = snapshot(world.platform.db)
    resp = world.creator.put(record_path(viewer_id), json={"note": note, "blocked": True})
    errors = expect_error(resp, ErrorCode.VALIDATION_FAILED)["errors"]
    assert [e["field"] for e in errors] == ["note"]
    assert snapshot(world.platform.db) == before


@pytest.mark.parametrize(
    "body",
    [
        {"blocked": "yes"},
        {"blocked": "true"},
        {"blocked": 1},
        {"blocked": 0},
        {"blocked": "off"},
        {"note": 5},
        {"note": ["跑单"]},
        {"blocked": True, "paid_count": 99},  # counts are the platform's
        {"nickname": "改名"},
    ],
)
def test_a_malformed_change_is_refused_and_changes_nothing(
    world: World, body: dict[str, Any]
) -> None:
    viewer_id = world.viewer_ids[0]
    before = snapshot(world.platform.db)
    resp = world.creator.put(record_path(viewer_id), json=body)
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    assert snapshot(world.platform.db) == before


def test_a_ten_megabyte_body_is_refused_unread(world: World) -> None:
    viewer_id = world.viewer_ids[0]
    before = snapshot(world.platform.db)
    body = json.dumps({"note": "翠" * (10 * 1024 * 1024 // 3)}).encode()
    resp = world.creator.put(
        record_path(viewer_id), data=body, headers={"Content-Type": "application/json"}
    )
    expect_error(resp, ErrorCode.BODY_TOO_LARGE)
    expect_error(
        world.creator.put(
            record_path(viewer_id), data=b"{", headers={"Content-Type": "application/json"}
        ),
        ErrorCode.MALFORMED_JSON,
    )
    assert snapshot(world.platform.db) == before


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_ids_out_of_range_are_malformed_and_in_range_unknown_ones_not_found(
    world: World, method: str
) -> None:
    body = {"json": {"blocked": True}} if method == "PUT" else {}
    for bad in ("0", "-1", str(ID_MAX + 1), "9" * 400, "1e3", "abc"):
        resp = world.creator.request(method, record_path(bad), **body)
        expect_error(resp, ErrorCode.VALIDATION_FAILED)
    expect_error(
        world.creator.request(method, f"/viewers/{ID_MAX}/record", **body), ErrorCode.NOT_FOUND
    )
    resp = world.creator.get(f"/rooms/{ID_MAX + 1}/viewer-records")
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    expect_error(world.creator.get(f"/rooms/{ID_MAX}/viewer-records"), ErrorCode.NOT_FOUND)

"""Every event the platform streams is its type's payload model; nothing else is appended."""

from datetime import UTC, datetime

import pytest

from flashbuy_protocol.enums import FlashBuyStatus
from flashbuy_protocol.event_payloads import PAYLOADS, LiveTotals, ViewerLeft, payload
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Event, FlashBuyProgress, Room
from flashbuy_server import events
from tests.support import SseClient, World, room_events


def test_a_whole_live_streams_every_type_as_its_model(world: World) -> None:
    room = world.room_id
    stream = SseClient(world.creator, f"/rooms/{room}/events", last_event_id=0)
    viewer, _ = world.join("翠友阿珍")
    viewer.ok("POST", f"/rooms/{room}/comments", 201, json={"text": "3号多少钱"})
    sold = world.create_flashbuy(stock=1)
    world.create_flashbuy(stock=2, title="5号 飘花吊坠")
    order = viewer.ok("POST", f"/flash-buys/{sold['id']}/orders", 201, json={"region": "浙江"})
    # The next viewer waits for the held piece, then gives up; the buyer pays.
    late = world.viewers[0]
    late.ok("POST", f"/flash-buys/{sold['id']}/orders", 202, json={"region": "浙江"})
    late.ok("DELETE", f"/flash-buys/{sold['id']}/queue", 204)
    world.platform.settle(order["id"])
    viewer.ok("POST", f"/rooms/{room}/leave", 204)
    ended = world.creator.ok("POST", f"/rooms/{room}/end")

    seen = [Event.model_validate(e) for e in stream.until_id(ended["last_event_id"])]
    stream.close()
    assert {e.type for e in seen} == set(EventType)
    for event in seen:
        assert type(payload(event)) is PAYLOADS[event.type], event
    totals = [payload(e) for e in seen if e.type is EventType.LIVE_TOTALS]
    price = sold["price_fen"]
    assert totals == [
        LiveTotals(room_id=room, order_count=0, sales_fen=0, held_count=1, held_fen=price),
        LiveTotals(room_id=room, order_count=1, sales_fen=price, held_count=0, held_fen=0),
    ]
    summary = Room.model_validate(world.creator.ok("GET", f"/rooms/{room}"))
    assert (summary.order_count, summary.sales_fen) == (1, sold["price_fen"])


def test_an_event_takes_only_its_type_s_model(world: World) -> None:
    left = ViewerLeft(viewer_id=world.viewer_ids[0], viewer_count=1)
    progress = FlashBuyProgress(
        id=1, room_id=world.room_id, sold=0, stock=1, status=FlashBuyStatus.ACTIVE, revision=1
    )
    # Each call below is also a type error: mypy refuses it (the ignores are checked as used),
    # and the check at run time refuses it for a caller mypy does not see.
    with pytest.raises(TypeError, match=r"viewer\.joined event carries ViewerPresence"):
        events.NewEvent(EventType.VIEWER_JOINED, left)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"flashbuy\.created event carries FlashBuy,"):
        events.NewEvent(EventType.FLASHBUY_CREATED, progress)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"viewer\.left event carries ViewerLeft, not dict"):
        events.NewEvent(EventType.VIEWER_LEFT, left.model_dump())  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"EventType\.VIEWER_LEFT, not the string 'viewer\.left'"):
        events.NewEvent("viewer.left", left)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"payment\.window"):
        events.NewEvent("payment.window", {})  # type: ignore[call-overload]
    with world.platform.db.write() as conn, pytest.raises(TypeError, match="carries LiveTotals"):
        events.append(conn, world.room_id, EventType.LIVE_TOTALS, left)  # type: ignore[call-overload]


def test_a_model_is_stored_as_its_json(world: World) -> None:
    totals = LiveTotals(room_id=world.room_id, order_count=7, sales_fen=123_456)
    with world.platform.db.write() as conn:
        event_id = events.append(
            conn, world.room_id, EventType.LIVE_TOTALS, totals, audience=events.AUDIENCE_CREATOR
        )
    stored = next(e for e in room_events(world.platform, world.room_id) if e.id == event_id)
    assert (stored.type, stored.data) == ("live.totals", totals.model_dump(mode="json"))
    assert stored.audience == events.AUDIENCE_CREATOR
    # And read back through the model the protocol names for it.
    back = Event(id=event_id, room_id=world.room_id, type=stored.type, data=stored.data,
                 created_at=datetime.now(UTC))  # fmt: skip
    assert payload(back) == totals

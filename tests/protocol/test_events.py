"""Every event type has its payload model, and every payload survives the wire unchanged."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from flashbuy_protocol.event_payloads import (
    PAYLOADS,
    LiveEnded,
    LiveStarted,
    LiveTotals,
    ViewerCount,
    ViewerLeft,
    ViewerPresence,
    payload,
)
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import (
    Comment,
    Event,
    FlashBuy,
    FlashBuyProgress,
    Order,
    QueueEntry,
    ViewerRecord,
)
from flashbuy_protocol.sse import CONNECTED, CONNECTED_LINE, HEARTBEAT, SseDecoder

WHEN = "2026-12-07T03:00:00Z"
VIEWER = {"id": 7, "nickname": "翠友阿珍", "region": "福建"}
FLASHBUY = {
    "id": 3,
    "room_id": 1,
    "product_id": 5,
    "product_name": "冰种手镯",
    "category_id": 2,
    "category_name": "翡翠",
    "mode": "targeted",
    "title": "3号 冰种手镯",
    "piece_no": "3",
    "price_fen": 128_800,
    "stock": 2,
    "sold": 1,
    "held": 1,
    "waiting": 0,
    "status": "active",
    "revision": 2,
    "pay_minutes": 5,
    "hold_back_after": None,
    "picture_id": "a" * 64,
    "template_id": 4,
    "note": "",
    "targets": [VIEWER],
    "created_at": WHEN,
    "ended_at": None,
}
PROGRESS = {
    "id": 3,
    "room_id": 1,
    "sold": 2,
    "stock": 2,
    "held": 1,
    "waiting": 4,
    "status": "sold_out",
    "revision": 3,
}
ORDER = {
    "id": 11,
    "flashbuy_id": 3,
    "room_id": 1,
    "viewer_id": 7,
    "nickname": "翠友阿珍",
    "price_fen": 128_800,
    "shipping_fen": 1_000,
    "total_fen": 129_800,
    "region": "福建",
    "created_at": WHEN,
    "revision": 1,
    "status": "held",
    "pay_until": "2026-12-07T03:05:00Z",
    "closed_at": None,
    "cancelled_by": None,
    "cancel_reason": "",
    "source": "offer",
    "previous_order_id": None,
}
QUEUE_ENTRY = {
    "flashbuy_id": 3,
    "room_id": 1,
    "viewer_id": 8,
    "nickname": "小王",
    "position": 1,
    "joined_at": WHEN,
}

# One payload of each type, as the platform writes it (JSON).
SAMPLES: dict[EventType, dict[str, Any]] = {
    EventType.LIVE_STARTED: {"room_id": 1, "title": "珍珠专场"},
    EventType.LIVE_ENDED: {"room_id": 1},
    EventType.LIVE_TOTALS: {
        "room_id": 1,
        "order_count": 3,
        "sales_fen": 386_400,
        "held_count": 1,
        "held_fen": 128_800,
    },
    EventType.VIEWER_JOINED: {"viewer": VIEWER, "viewer_count": 12},
    EventType.VIEWER_LEFT: {"viewer_id": 7, "viewer_count": 11},
    EventType.COMMENT_POSTED: {
        "id": 9,
        "room_id": 1,
        "viewer_id": 7,
        "nickname": "翠友阿珍",
        "text": "3号多少钱",
        "created_at": WHEN,
    },
    EventType.FLASHBUY_CREATED: FLASHBUY,
    EventType.FLASHBUY_UPDATED: PROGRESS,
    EventType.FLASHBUY_SOLD_OUT: PROGRESS,
    EventType.FLASHBUY_ENDED: {**FLASHBUY, "status": "ended", "ended_at": WHEN, "revision": 4},
    EventType.ORDER_PLACED: ORDER,
    EventType.ORDER_UPDATED: {
        **ORDER,
        "status": "cancelled",
        "closed_at": WHEN,
        "cancelled_by": "seller",
        "cancel_reason": "买家要求换一件",
        "revision": 2,
    },
    EventType.QUEUE_JOINED: QUEUE_ENTRY,
    EventType.QUEUE_LEFT: QUEUE_ENTRY,
    EventType.VIEWER_RECORD: {
        "viewer_id": 7,
        "nickname": "翠友阿珍",
        "paid_count": 5,
        "paid_fen": 644_000,
        "expired_count": 2,
        "cancelled_count": 0,
        "note": "爱砍价",
        "blocked": False,
    },
}


def _event(type_: EventType, data: dict[str, Any], event_id: int = 1) -> Event:
    return Event(id=event_id, room_id=1, type=type_, data=data, created_at=datetime.now(UTC))


def test_every_event_type_has_its_payload_model() -> None:
    assert set(PAYLOADS) == set(EventType)
    assert set(SAMPLES) == set(EventType)
    assert {t: PAYLOADS[t] for t in EventType} == {
        EventType.LIVE_STARTED: LiveStarted,
        EventType.LIVE_ENDED: LiveEnded,
        EventType.LIVE_TOTALS: LiveTotals,
        EventType.VIEWER_JOINED: ViewerPresence,
        EventType.VIEWER_LEFT: ViewerLeft,
        EventType.COMMENT_POSTED: Comment,
        EventType.FLASHBUY_CREATED: FlashBuy,
        EventType.FLASHBUY_UPDATED: FlashBuyProgress,
        EventType.FLASHBUY_SOLD_OUT: FlashBuyProgress,
        EventType.FLASHBUY_ENDED: FlashBuy,
        EventType.ORDER_PLACED: Order,
        EventType.ORDER_UPDATED: Order,
        EventType.QUEUE_JOINED: QueueEntry,
        EventType.QUEUE_LEFT: QueueEntry,
        EventType.VIEWER_RECORD: ViewerRecord,
    }
    # Both presence events tell the header the room's count.
    assert issubclass(ViewerPresence, ViewerCount)
    assert issubclass(ViewerLeft, ViewerCount)


@pytest.mark.parametrize("type_", list(EventType))
def test_every_payload_round_trips(type_: EventType) -> None:
    data = SAMPLES[type_]
    model = payload(_event(type_, data))
    assert type(model) is PAYLOADS[type_]
    assert model.model_dump(mode="json") == data
    # Through the whole envelope, as the stream carries it.
    wire = _event(type_, model.model_dump(mode="json")).model_dump_json()
    again = Event.model_validate_json(wire)
    assert again.type is type_
    assert payload(again) == model


def test_an_event_type_is_its_wire_string() -> None:
    event = _event(EventType.FLASHBUY_CREATED, FLASHBUY)
    assert event.model_dump(mode="json")["type"] == "flashbuy.created"
    assert Event.model_validate(event.model_dump(mode="json")).type is EventType.FLASHBUY_CREATED


def test_an_unknown_event_type_is_refused_not_guessed() -> None:
    """A newer platform's kind of event: this side refuses it (its reader skips it)."""
    wire = {"id": 1, "room_id": 1, "type": "payment.window", "data": {}, "created_at": WHEN}
    with pytest.raises(ValidationError):
        Event.model_validate(wire)


def test_data_that_is_not_its_type_s_model_is_refused() -> None:
    with pytest.raises(ValidationError):
        payload(_event(EventType.VIEWER_JOINED, SAMPLES[EventType.VIEWER_LEFT]))
    with pytest.raises(ValidationError):
        payload(_event(EventType.FLASHBUY_CREATED, PROGRESS))


def test_the_stream_s_comments_are_skipped_by_a_decoder() -> None:
    decoder = SseDecoder()
    lines = [*(CONNECTED + HEARTBEAT).decode().split("\n")]
    assert CONNECTED.decode().startswith(CONNECTED_LINE)
    assert list(decoder.feed(lines)) == []

"""A comment flood (events only the creator sees) costs viewer streams nothing.

Viewer streams sleep through the creator's events; their feed keeps what viewers may see
apart, so a flood that pushes everything else out of the ring never sends a thousand
viewer streams to the database to look for offers that are not there.
"""

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from flashbuy_server import streams
from flashbuy_server.events import AUDIENCE_ALL
from flashbuy_server.rehearsal import post_comments
from flashbuy_server.streams import EventRecord, RoomFeed
from tests.support import Platform, SseClient, World


def test_a_flood_does_not_send_viewer_streams_to_the_database(
    platform: Platform, world: World
) -> None:
    stream = SseClient(world.viewers[0], f"/rooms/{world.room_id}/viewer-events")
    talker = world.viewer_ids[1]
    for _ in range(streams.RING_SIZE // 1_000 + 2):  # more than the ring holds
        post_comments(platform.db, world.room_id, [(talker, "刷屏")] * 1_000)
    looked: list[str] = []

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM events" in statement and "events.audience !=" in statement:
            looked.append(statement)

    sa.event.listen(platform.db.engine, "before_cursor_execute", spy)
    try:
        offer = world.create_flashbuy()
        event = stream.events(1)[0]
    finally:
        sa.event.remove(platform.db.engine, "before_cursor_execute", spy)
        stream.close()
    assert (event["type"], event["data"]["id"]) == ("flashbuy.created", offer["id"])
    assert looked == []


def _record(event_id: int, audience: str) -> EventRecord:
    return EventRecord.build(1, event_id, "x", {}, audience, frozenset(), datetime.now(UTC))


def test_the_feed_knows_how_far_back_it_holds_every_public_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(streams, "RING_SIZE", 3)
    # No hub: the test reads the feed's ring, and nothing here wakes a stream.
    feed = RoomFeed(hub=None, room_id=1, last_id=10)  # type: ignore[arg-type]
    feed.public_ring = type(feed.public_ring)(maxlen=3)
    assert feed.public_after(9) is None  # before the feed began: the database has it
    assert feed.public_after(10) == []
    feed._keep_public([_record(i, AUDIENCE_ALL) for i in (11, 13)])
    assert [e.id for e in feed.public_after(10) or []] == [11, 13]
    assert [e.id for e in feed.public_after(12) or []] == [13]
    feed._keep_public([_record(i, AUDIENCE_ALL) for i in (15, 17)])  # 11 falls out
    assert feed.public_floor == 11
    assert feed.public_after(10) is None
    assert [e.id for e in feed.public_after(11) or []] == [13, 15, 17]

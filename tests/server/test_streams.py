"""Event streams: nothing lost or repeated across drops, nobody sees another's offer."""

import contextlib
import json
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Comment
from flashbuy_protocol.sse import SseMessage
from flashbuy_server import events
from flashbuy_server.config import Settings, sqlite_url
from flashbuy_server.server import ServerThread
from flashbuy_server.tables import rooms
from tests.support import Platform, SseClient, World, expect_error, make_world


def _comment(world: World, viewer: int, text: str) -> int:
    """Post a comment; its event id."""
    world.viewers[viewer].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": text})
    return int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"])


def _fence(world: World) -> tuple[int, int]:
    """A full offer every viewer stream carries, after everything before it: (event id, fb id)."""
    fb = world.create_flashbuy(title="fence")
    return int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"]), fb["id"]


def test_a_stream_without_a_resume_point_starts_from_now(world: World) -> None:
    _comment(world, 0, "before")
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events")
    last = _comment(world, 1, "after")
    assert [(e["id"], e["data"]["text"]) for e in stream.until_id(last)] == [(last, "after")]
    stream.close()


def test_a_dropped_stream_resumes_with_nothing_missed_or_repeated(world: World) -> None:
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events", last_event_id=0)
    for i in range(5):
        _comment(world, i % 2, f"{i}号多少钱")
    seen = stream.until_id(_comment(world, 0, "要了"))
    stream.close()  # the network drops

    for i in range(7):  # the room goes on while the console is away
        _comment(world, 1, f"#{i}")
    world.create_flashbuy()
    last = _comment(world, 0, "拍")

    resumed = SseClient(
        world.creator, f"/rooms/{world.room_id}/events", last_event_id=seen[-1]["id"]
    )
    seen += resumed.until_id(last)
    ids = [e["id"] for e in seen]
    assert ids == list(range(1, last + 1))
    assert [e["data"]["text"] for e in seen if e["type"] == "comment.posted"][-1] == "拍"
    resumed.close()


def test_events_carry_their_id_type_and_data(world: World) -> None:
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events")
    fb = world.create_flashbuy()
    messages: list[SseMessage] = []
    while not messages or messages[-1].event != "flashbuy.created":
        messages.append(stream.next())
    created = messages[-1]
    payload = json.loads(created.data)
    assert created.id == str(payload["id"])
    assert payload["type"] == "flashbuy.created"
    assert payload["room_id"] == world.room_id
    assert payload["data"]["id"] == fb["id"]
    stream.close()


def test_viewers_see_only_offers_meant_for_them(world: World) -> None:
    _carol_api, carol = world.join("Carol")
    alice, bob = world.viewer_ids[:2]
    streams = {
        v: SseClient(api, f"/rooms/{world.room_id}/viewer-events")
        for v, api in zip(world.viewer_ids, world.viewers, strict=True)
    }
    to_bob = world.create_flashbuy(mode="targeted", target_viewer_ids=[bob])
    to_bob_and_carol = world.create_flashbuy(mode="targeted", target_viewer_ids=[bob, carol])
    for_all = world.create_flashbuy()
    world.creator.ok("POST", f"/flash-buys/{to_bob['id']}/end")
    world.creator.ok("POST", f"/flash-buys/{for_all['id']}/end")
    fence, fence_fb = _fence(world)  # every stream sees this, after everything above

    def offers(viewer: int) -> list[tuple[str, int, list[int]]]:
        got = streams[viewer].until_id(fence)
        return [
            (e["type"], e["data"]["id"], [t["id"] for t in e["data"]["targets"]])
            for e in got
            if e["type"].startswith("flashbuy.") and e["data"]["id"] != fence_fb
        ]

    assert offers(alice) == [
        ("flashbuy.created", for_all["id"], []),
        ("flashbuy.ended", for_all["id"], []),
    ]
    assert offers(bob) == [
        ("flashbuy.created", to_bob["id"], [bob]),
        ("flashbuy.created", to_bob_and_carol["id"], [bob]),  # never Carol's name
        ("flashbuy.created", for_all["id"], []),
        ("flashbuy.ended", to_bob["id"], [bob]),
        ("flashbuy.ended", for_all["id"], []),
    ]
    assert offers(carol) == [
        ("flashbuy.created", to_bob_and_carol["id"], [carol]),
        ("flashbuy.created", for_all["id"], []),
        ("flashbuy.ended", for_all["id"], []),
    ]
    for stream in streams.values():
        stream.close()


def test_viewer_streams_carry_offers_not_the_creators_business(world: World) -> None:
    """Viewers get invitations and hides; comments, joins and orders are the creator's."""
    stream = SseClient(world.viewers[0], f"/rooms/{world.room_id}/viewer-events", last_event_id=0)
    fb = world.create_flashbuy(stock=2)
    world.viewers[1].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={"region": "浙江"})
    world.join("late")
    _comment(world, 0, "3号多少钱")
    fence, _ = _fence(world)
    types = {e["type"] for e in stream.until_id(fence)}
    assert types == {"live.started", "flashbuy.created", "flashbuy.updated"}
    stream.close()


def test_who_may_open_which_stream(world: World, platform: Platform) -> None:
    other = make_world(platform, viewers=1)
    # Another creator's room is answered like one that does not exist (test_tenancy.py).
    refused = SseClient(other.creator, f"/rooms/{world.room_id}/events")
    assert refused.status == 404
    assert json.loads(refused.error_body)["error"]["code"] == ErrorCode.NOT_FOUND
    outsider = SseClient(other.viewers[0], f"/rooms/{world.room_id}/viewer-events")
    assert json.loads(outsider.error_body)["error"]["code"] == ErrorCode.VIEWER_NOT_IN_ROOM
    resp = world.creator.get(f"/rooms/{world.room_id}/events", headers={"Last-Event-ID": "abc"})
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    other.close()


@pytest.fixture
def quick_platform(tmp_path: Path) -> Iterator[Platform]:
    """A SQLite platform of this test's own, with a heartbeat every 50 ms."""
    settings = Settings(
        database_url=sqlite_url(tmp_path / "flashbuy.sqlite3"), heartbeat_seconds=0.05
    )
    server = ServerThread(settings).start()
    yield Platform(server, "sqlite")
    server.stop()


def test_idle_streams_get_heartbeats(quick_platform: Platform) -> None:
    world = make_world(quick_platform, viewers=1)
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events")
    assert stream.comments.get(timeout=10) == ": keep-alive"
    stream.close()
    world.close()


def test_shutdown_ends_open_streams(quick_platform: Platform) -> None:
    world = make_world(quick_platform, viewers=1)
    creator = SseClient(world.creator, f"/rooms/{world.room_id}/events")
    viewer = SseClient(world.viewers[0], f"/rooms/{world.room_id}/viewer-events")
    quick_platform.server.stop()
    assert creator.ended()
    assert viewer.ended()
    creator.close()
    viewer.close()
    world.close()


@pytest.mark.parametrize("platform", ["sqlite"], indirect=True)
def test_a_slow_consumer_does_not_delay_a_fast_one(world: World) -> None:
    """A viewer whose app stopped reading must not hold up anyone else's stream."""
    # The stalled client: a raw socket with a tiny receive buffer that never reads.
    stalled = socket.create_connection(("127.0.0.1", world.platform.server.port))
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.sendall(
        (
            f"GET /api/v1/rooms/{world.room_id}/viewer-events HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {world.viewers[0].token}\r\n\r\n"
        ).encode()
    )
    fast = SseClient(world.viewers[1], f"/rooms/{world.room_id}/viewer-events")

    # Far more than the kernel and the server buffer for one connection (about 7 MB).
    text = "翡翠" * 200
    now = datetime.now(UTC)
    with world.platform.db.write() as conn:
        for i in range(6_000):
            # Shown to every viewer on purpose: comments normally go to the creator alone.
            said = Comment(
                id=i + 1,
                room_id=world.room_id,
                viewer_id=world.viewer_ids[1],
                nickname="翠友",
                text=f"{i} {text}",
                created_at=now,
            )
            events.append(conn, world.room_id, EventType.COMMENT_POSTED, said)
        last = conn.execute(
            sa.select(rooms.c.last_event_id).where(rooms.c.id == world.room_id)
        ).scalar_one()

    got = fast.until_id(last, timeout=60)
    assert got[-1]["id"] == last

    # The stalled viewer was held back by its own socket, not the fast one: so far it
    # has only part of the stream.
    stalled.setblocking(False)
    pending = b""
    with contextlib.suppress(BlockingIOError):
        while chunk := stalled.recv(1 << 20):
            pending += chunk
    assert f"id: {last}\n".encode() not in pending
    received = [int(m) for m in re.findall(rb"\nid: (\d+)\n", pending)]
    assert received, "the stalled viewer got nothing at all"
    stalled.close()

    # When its app comes back it resumes from what it has, and misses nothing.
    resumed = SseClient(
        world.viewers[0], f"/rooms/{world.room_id}/viewer-events", last_event_id=received[-1] - 1
    )
    rest = resumed.until_id(last, timeout=60)
    assert [e["id"] for e in rest] == list(range(received[-1], last + 1))
    resumed.close()
    fast.close()

"""The console's event-stream reader: every event once, across drops and platform restarts."""

import queue
import threading
from datetime import UTC, datetime

import sqlalchemy as sa

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream, StreamState
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Event
from flashbuy_server.tables import events, rooms
from tests.support import Api, ProcessPlatform, World, make_world


class Reader:
    """An EventStream on a thread, its events and states in queues."""

    def __init__(self, client: PlatformClient, room_id: int, after: int = 0) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.states: queue.Queue[StreamState] = queue.Queue()
        self.stream = EventStream(
            client,
            room_id,
            after=after,
            on_event=self.events.put,
            on_state=lambda state, _why: self.states.put(state),
        )
        self.thread = threading.Thread(target=self.stream.run, daemon=True)
        self.thread.start()

    def wait_state(self, wanted: StreamState, timeout: float = 30) -> None:
        while (state := self.states.get(timeout=timeout)) is not wanted:
            assert state is not StreamState.OFFLINE, "the stream gave up"

    def until(self, event_id: int, timeout: float = 30) -> list[Event]:
        got: list[Event] = []
        while not got or got[-1].id < event_id:
            got.append(self.events.get(timeout=timeout))
        return got

    def stop(self) -> None:
        self.stream.stop()
        self.thread.join(10)
        assert not self.thread.is_alive()


def _last_id(api: Api, room_id: int) -> int:
    return int(api.ok("GET", f"/rooms/{room_id}")["last_event_id"])


def test_events_arrive_in_order_from_the_start(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    reader = Reader(client, world.room_id)
    reader.wait_state(StreamState.CONNECTED)
    fb = world.create_flashbuy()
    got = reader.until(_last_id(world.creator, world.room_id))
    assert [e.id for e in got] == list(range(1, got[-1].id + 1))
    assert got[-1].type == "flashbuy.created"
    assert got[-1].data["id"] == fb["id"]
    reader.stop()
    client.close()


def test_a_restarted_platform_loses_no_event(restartable: ProcessPlatform) -> None:
    world = make_world(restartable, viewers=2)  # type: ignore[arg-type]  # has all make_world uses
    client = PlatformClient(restartable.server.url, world.creator.token)
    reader = Reader(client, world.room_id)
    reader.wait_state(StreamState.CONNECTED)
    for text in ("1号多少钱", "要了"):
        world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": text})
    before = reader.until(_last_id(world.creator, world.room_id))

    restartable.server.stop()  # the platform goes away mid-stream...
    reader.wait_state(StreamState.RECONNECTING)
    restartable.server.start()  # ...and comes back on the same address
    reader.wait_state(StreamState.CONNECTED)
    world.create_flashbuy()
    world.viewers[1].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "#3"})

    after = reader.until(_last_id(world.creator, world.room_id))
    ids = [e.id for e in before + after]
    assert ids == list(range(1, ids[-1] + 1))  # nothing lost, nothing twice
    assert [e.type for e in after][-2:] == ["flashbuy.created", "comment.posted"]
    reader.stop()
    client.close()
    world.close()


def test_a_stream_resumes_after_the_id_it_was_given(world: World) -> None:
    for text in ("a", "b", "c"):
        world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": text})
    last = _last_id(world.creator, world.room_id)
    client = PlatformClient(world.platform.url, world.creator.token)
    reader = Reader(client, world.room_id, after=last - 1)
    got = reader.until(last)
    assert [e.id for e in got] == [last]
    reader.stop()
    client.close()


def test_a_revoked_token_stops_the_stream_for_good(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    world.creator.ok("POST", "/auth/sign-out", 204)
    reader = Reader(client, world.room_id)
    states = [reader.states.get(timeout=30) for _ in range(2)]
    assert states == [StreamState.CONNECTING, StreamState.OFFLINE]
    reader.thread.join(10)
    assert not reader.thread.is_alive()
    client.close()


def test_an_event_of_an_unknown_kind_is_passed_over_and_not_read_again(world: World) -> None:
    """A newer platform's kind of event: the console goes on, and resumes after it."""
    client = PlatformClient(world.platform.url, world.creator.token)
    reader = Reader(client, world.room_id, after=_last_id(world.creator, world.room_id))
    reader.wait_state(StreamState.CONNECTED)
    with world.platform.db.write() as conn:  # what a newer platform would have appended
        unknown = int(
            conn.execute(
                sa.update(rooms)
                .where(rooms.c.id == world.room_id)
                .values(last_event_id=rooms.c.last_event_id + 1)
                .returning(rooms.c.last_event_id)
            ).scalar_one()
        )
        conn.execute(
            events.insert().values(
                room_id=world.room_id,
                id=unknown,
                type="payment.window",
                data={"order_id": 1, "seconds": 300},
                audience="creator",
                created_at=datetime.now(UTC),
            )
        )
    fb = world.create_flashbuy()  # its wake-up also brings the unknown one
    got = reader.until(_last_id(world.creator, world.room_id))
    assert [(e.id, e.type, e.data["id"]) for e in got] == [
        (unknown + 1, EventType.FLASHBUY_CREATED, fb["id"])
    ]
    assert reader.stream.last_id == unknown + 1
    assert reader.states.empty()  # read on, never dropped the stream for it
    reader.stop()
    client.close()

"""A stream resumed after an id its room never had is refused with the room's newest id.

Such an id came from another copy of the database (a platform restored from a backup, a
reset demo). Served, the stream would stay silent until the room caught up with it and then
skip everything in between; refused, the client learns where the room really is, reads its
state again and follows from there.
"""

from typing import Any

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import ID_MAX
from tests.backup import restore_backup, take_backup
from tests.support import Api, Platform, ProcessPlatform, SseClient, World, expect_error, make_world


def _last_id(world: World) -> int:
    return int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"])


def _comment(viewer: Api, room_id: int, text: str) -> None:
    viewer.ok("POST", f"/rooms/{room_id}/comments", 201, json={"text": text})


def _refused(api: Api, path: str, **kwargs: Any) -> int:
    """The room's newest id, which a refused stream request names."""
    details = expect_error(api.get(path, **kwargs), ErrorCode.EVENT_ID_UNKNOWN)
    assert set(details) == {"last_event_id"}, details
    return int(details["last_event_id"])


def test_both_streams_refuse_a_resume_point_beyond_the_room(world: World) -> None:
    last = _last_id(world)
    creator_path = f"/rooms/{world.room_id}/events"
    viewer_path = f"/rooms/{world.room_id}/viewer-events"
    for api, path in ((world.creator, creator_path), (world.viewers[0], viewer_path)):
        for beyond in (last + 1, last + 1000, ID_MAX):
            assert _refused(api, path, headers={"Last-Event-ID": str(beyond)}) == last
            assert _refused(api, f"{path}?after={beyond}") == last
        # The header wins over the query, as before: a good header with a bad query is served.
        fine = SseClient(api, f"{path}?after={last + 5}", last_event_id=last)
        assert fine.status == 200, fine.error_body
        fine.close()


def test_the_room_s_newest_id_is_a_resume_point_that_follows_what_comes(world: World) -> None:
    """Resuming after the id the refusal names misses nothing that comes next."""
    path = f"/rooms/{world.room_id}/events"
    newest = _refused(world.creator, path, headers={"Last-Event-ID": str(_last_id(world) + 3)})
    creator = SseClient(world.creator, path, last_event_id=newest)
    assert creator.status == 200, creator.error_body
    viewer_path = f"/rooms/{world.room_id}/viewer-events"
    viewer = SseClient(world.viewers[1], viewer_path, last_event_id=newest)
    assert viewer.status == 200, viewer.error_body

    _comment(world.viewers[0], world.room_id, "1号多少钱")
    fb = world.create_flashbuy()
    last = _last_id(world)
    assert [e["id"] for e in creator.until_id(last)] == list(range(newest + 1, last + 1))
    offers = viewer.until_id(last)
    assert [(e["type"], e["data"]["id"]) for e in offers] == [("flashbuy.created", fb["id"])]
    creator.close()
    viewer.close()


def test_ids_count_per_room(world: World, platform: Platform) -> None:
    """An id another room has reached is still beyond this one: each room counts its own."""
    other = make_world(platform, viewers=1)
    for i in range(_last_id(world) + 3):
        _comment(other.viewers[0], other.room_id, f"#{i}")
    theirs = int(other.creator.ok("GET", f"/rooms/{other.room_id}")["last_event_id"])
    mine = _last_id(world)
    assert theirs > mine
    path = f"/rooms/{world.room_id}/events"
    assert _refused(world.creator, path, headers={"Last-Event-ID": str(theirs)}) == mine
    # Every id up to this room's newest is one of its own events: served from there.
    stream = SseClient(world.creator, path, last_event_id=mine - 1)
    assert [e["id"] for e in stream.until_id(mine)] == [mine]
    stream.close()
    other.close()


def test_a_platform_restored_from_an_older_copy_refuses_the_ids_it_lost(
    restartable: ProcessPlatform,
) -> None:
    # A ProcessPlatform has all make_world uses of a Platform (its url, db and clients).
    world = make_world(restartable, viewers=2)  # type: ignore[arg-type]
    _comment(world.viewers[0], world.room_id, "备份之前")
    backup = take_backup(restartable.db)
    kept = _last_id(world)
    for text in ("一", "二", "三"):  # seen by a client, then lost with the restore
        _comment(world.viewers[1], world.room_id, text)
    seen = _last_id(world)

    restartable.server.stop()
    restore_backup(restartable.db, backup)
    restartable.server.start()
    assert _last_id(world) == kept
    _comment(world.viewers[0], world.room_id, "恢复之后")  # an id the client already "has"
    assert _last_id(world) <= seen

    creator_path = f"/rooms/{world.room_id}/events"
    viewer_path = f"/rooms/{world.room_id}/viewer-events"
    newest = _refused(world.creator, creator_path, headers={"Last-Event-ID": str(seen)})
    assert newest == kept + 1
    assert _refused(world.viewers[0], viewer_path, headers={"Last-Event-ID": str(seen)}) == newest
    # From a point the restored room has, the stream carries what it really holds.
    stream = SseClient(world.creator, creator_path, last_event_id=kept)
    got = stream.until_id(newest)
    assert [(e["type"], e["data"]["text"]) for e in got] == [("comment.posted", "恢复之后")]
    stream.close()
    world.close()

"""Live rooms: going live and ending, viewers joining and leaving, comments, and their events."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.tables import rooms
from tests.support import Api, World, expect_error, make_world, room_events, snapshot

MISSING_ID = 999_999_999


def room(world: World, room_id: int | None = None) -> dict[str, Any]:
    got: dict[str, Any] = world.creator.ok("GET", f"/rooms/{room_id or world.room_id}")
    return got


def join(world: World, nickname: str, region: str | None = None, token: str | None = None) -> Any:
    """POST /rooms/{id}/join, anonymously or with a viewer token."""
    client = world.platform.client(token)
    try:
        return client.post(
            f"/rooms/{world.room_id}/join", json={"nickname": nickname, "region": region}
        )
    finally:
        client.close()


def comment(viewer: Api, room_id: int, text: str) -> dict[str, Any]:
    posted: dict[str, Any] = viewer.ok(
        "POST", f"/rooms/{room_id}/comments", 201, json={"text": text}
    )
    return posted


# --- going live ---------------------------------------------------------------------------


def test_a_creator_goes_live_once_at_a_time(world: World) -> None:
    # make_world went live already: a second live is refused while it is on.
    before = snapshot(world.platform.db)
    resp = world.creator.post("/rooms", json={"title": "第二场"})
    assert expect_error(resp, ErrorCode.LIVE_ALREADY_ACTIVE)["room_id"] == world.room_id
    assert snapshot(world.platform.db) == before

    ended = world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    assert (ended["id"], ended["status"]) == (world.room_id, "ended")
    assert ended["ended_at"]
    assert room(world) == ended

    second = world.creator.ok("POST", "/rooms", 201, json={"title": "  和田玉专场  "})
    assert second["id"] != world.room_id
    assert (second["creator_id"], second["title"], second["status"]) == (
        world.creator_id,
        "和田玉专场",
        "live",
    )
    assert (second["ended_at"], second["viewer_count"], second["last_event_id"]) == (None, 0, 1)
    expect_error(
        world.creator.post("/rooms", json={"title": "第三场"}), ErrorCode.LIVE_ALREADY_ACTIVE
    )
    listed = world.creator.ok("GET", "/rooms")
    assert [r["id"] for r in listed] == [second["id"], world.room_id]


def test_ending_a_live_twice_is_harmless_and_only_its_creator_may(world: World) -> None:
    other = make_world(world.platform, viewers=0)
    try:
        before = snapshot(world.platform.db)
        # Another creator's room is no room at all to this one (see test_tenancy.py).
        expect_error(other.creator.post(f"/rooms/{world.room_id}/end"), ErrorCode.NOT_FOUND)
        expect_error(world.viewers[0].post(f"/rooms/{world.room_id}/end"), ErrorCode.FORBIDDEN)
        assert snapshot(world.platform.db) == before
    finally:
        other.close()
    first = world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    log = room_events(world.platform, world.room_id)
    assert world.creator.ok("POST", f"/rooms/{world.room_id}/end") == first
    assert room_events(world.platform, world.room_id) == log
    expect_error(world.creator.post(f"/rooms/{MISSING_ID}/end"), ErrorCode.NOT_FOUND)


def test_an_invalid_live_title_is_refused(world: World) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    before = snapshot(world.platform.db)
    for body in ({"title": "   "}, {"title": "长" * 61}, {}, {"title": "ok", "extra": 1}):
        expect_error(world.creator.post("/rooms", json=body), ErrorCode.VALIDATION_FAILED)
    expect_error(world.viewers[0].post("/rooms", json={"title": "观众开播"}), ErrorCode.FORBIDDEN)
    assert snapshot(world.platform.db) == before


def _start_concurrently(world: World, racers: int) -> list[Any]:
    # Separate sessions of the same creator, as a console retrying over a flaky network would.
    clients = [world.platform.client(world.creator.token) for _ in range(racers)]
    start = threading.Barrier(racers)

    def attempt(client: Api) -> Any:
        start.wait(timeout=30)
        return client.post("/rooms", json={"title": "抢开播"})

    try:
        with ThreadPoolExecutor(racers) as pool:
            return list(pool.map(attempt, clients))
    finally:
        for client in clients:
            client.close()


def test_racing_go_live_requests_start_one_live(
    world: World,
) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    results = _start_concurrently(world, 8)
    started = [r for r in results if r.status_code == 201]
    for refused in (r for r in results if r.status_code != 201):
        expect_error(refused, ErrorCode.LIVE_ALREADY_ACTIVE)
    live = [r for r in world.creator.ok("GET", "/rooms") if r["status"] == "live"]
    assert len(live) == 1
    assert len(started) == 1


# --- viewers ------------------------------------------------------------------------------


def test_joining_and_leaving_move_the_viewer_count(world: World) -> None:
    assert room(world)["viewer_count"] == 2  # make_world's two viewers

    resp = join(world, "  翠友阿珍  ", region="福建")
    assert resp.status_code == 200, resp.text
    joined = resp.json()
    assert joined["viewer"]["nickname"] == "翠友阿珍"
    assert joined["viewer"]["region"] == "福建"
    assert joined["token"]
    assert joined["room"]["viewer_count"] == 3
    assert room(world)["viewer_count"] == 3

    viewer = world.platform.client(joined["token"])
    try:
        viewer.ok("POST", f"/rooms/{world.room_id}/leave", 204)
        assert room(world)["viewer_count"] == 2

        before = snapshot(world.platform.db)
        viewer.ok("POST", f"/rooms/{world.room_id}/leave", 204)  # not in it: nothing happens
        assert snapshot(world.platform.db) == before

        # The same token comes back as the same viewer.
        again = join(world, "翠友阿珍", region="福建", token=joined["token"])
        assert again.status_code == 200, again.text
        assert again.json()["viewer"]["id"] == joined["viewer"]["id"]
        assert again.json()["token"] == joined["token"]
        assert again.json()["room"]["viewer_count"] == 3

        # Joining while present changes no count and logs no event.
        log = room_events(world.platform, world.room_id)
        still = join(world, "翠友阿珍", region="福建", token=joined["token"])
        assert still.json()["viewer"]["id"] == joined["viewer"]["id"]
        assert still.json()["room"]["viewer_count"] == 3
        assert room_events(world.platform, world.room_id) == log
    finally:
        viewer.close()


def test_joining_is_refused_where_it_cannot_happen(world: World) -> None:
    before = snapshot(world.platform.db)
    expect_error(join(world, "   "), ErrorCode.VALIDATION_FAILED)
    expect_error(join(world, "观众", region="火星"), ErrorCode.VALIDATION_FAILED)
    expect_error(join(world, "长" * 31), ErrorCode.VALIDATION_FAILED)
    expect_error(join(world, "观众", token="not-a-token"), ErrorCode.UNAUTHENTICATED)
    expect_error(join(world, "观众", token=world.creator.token), ErrorCode.FORBIDDEN)
    anonymous = world.platform.client()
    try:
        resp = anonymous.post(f"/rooms/{MISSING_ID}/join", json={"nickname": "观众"})
        expect_error(resp, ErrorCode.NOT_FOUND)
    finally:
        anonymous.close()
    assert snapshot(world.platform.db) == before

    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    before = snapshot(world.platform.db)
    expect_error(join(world, "迟到的观众"), ErrorCode.LIVE_NOT_ACTIVE)
    expect_error(join(world, "回来的观众", token=world.viewers[0].token), ErrorCode.LIVE_NOT_ACTIVE)
    assert snapshot(world.platform.db) == before


def test_the_viewers_most_recently_active_come_first(world: World) -> None:
    """The targeted window's picker lists who spoke last at the top."""
    first, second = world.viewer_ids
    silent = join(world, "阿珍").json()["viewer"]["id"]
    comment(world.viewers[1], world.room_id, "3号多少钱")
    comment(world.viewers[0], world.room_id, "要了")
    listed = [v["id"] for v in world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")]
    assert listed == [first, second, silent]  # the last to speak first; the silent one after
    comment(world.viewers[1], world.room_id, "好看")
    listed = [v["id"] for v in world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")]
    assert listed == [second, first, silent]


def test_the_creator_sees_who_is_in_the_room(world: World) -> None:
    zhen = join(world, "阿珍", region="福建").json()
    listed = world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")
    # Nobody has commented yet: the newest arrivals first.
    assert [v["id"] for v in listed] == [zhen["viewer"]["id"], *reversed(world.viewer_ids)]
    assert listed[0] == {"id": zhen["viewer"]["id"], "nickname": "阿珍", "region": "福建"}

    world.viewers[0].ok("POST", f"/rooms/{world.room_id}/leave", 204)
    listed = world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")
    assert [v["id"] for v in listed] == [zhen["viewer"]["id"], world.viewer_ids[1]]

    other = make_world(world.platform, viewers=0)
    try:
        expect_error(other.creator.get(f"/rooms/{world.room_id}/viewers"), ErrorCode.NOT_FOUND)
    finally:
        other.close()
    expect_error(world.viewers[1].get(f"/rooms/{world.room_id}/viewers"), ErrorCode.FORBIDDEN)
    expect_error(world.creator.get(f"/rooms/{MISSING_ID}/viewers"), ErrorCode.NOT_FOUND)


# --- comments -----------------------------------------------------------------------------


def test_a_viewer_in_the_room_comments(world: World) -> None:
    viewer, viewer_id = world.join("翠友小明")
    posted = comment(viewer, world.room_id, "3号多少钱")
    assert isinstance(posted["id"], int)
    assert (posted["room_id"], posted["viewer_id"], posted["nickname"], posted["text"]) == (
        world.room_id,
        viewer_id,
        "翠友小明",
        "3号多少钱",
    )
    assert posted["created_at"]


def test_a_comment_in_chinese_round_trips_exactly(world: World) -> None:
    viewer = world.viewers[0]
    texts = [
        "3号多少钱？要！！#3 冰种飘花，和田玉籽料🍑💎",
        "「琥珀」蜜蜡·老坑～　全角空格与标点……",
        "翡" * 200,  # the longest comment there may be
    ]
    posted = [comment(viewer, world.room_id, text) for text in texts]
    assert [p["text"] for p in posted] == texts
    listed = world.creator.ok("GET", f"/rooms/{world.room_id}/comments")
    assert [c["text"] for c in listed] == texts
    log = room_events(world.platform, world.room_id)
    assert [e.data["text"] for e in log if e.type == "comment.posted"] == texts

    before = snapshot(world.platform.db)
    resp = viewer.post(f"/rooms/{world.room_id}/comments", json={"text": "翡" * 201})
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    expect_error(
        viewer.post(f"/rooms/{world.room_id}/comments", json={"text": "  "}),
        ErrorCode.VALIDATION_FAILED,
    )
    assert snapshot(world.platform.db) == before


def test_a_viewer_not_in_the_room_cannot_comment(world: World) -> None:
    viewer = world.viewers[0]
    viewer.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    outsider = make_world(world.platform, viewers=1)
    try:
        before = snapshot(world.platform.db)
        for who in (viewer, outsider.viewers[0]):
            resp = who.post(f"/rooms/{world.room_id}/comments", json={"text": "要"})
            assert expect_error(resp, ErrorCode.VIEWER_NOT_IN_ROOM)["room_id"] == world.room_id
        resp = world.creator.post(f"/rooms/{world.room_id}/comments", json={"text": "主播说"})
        expect_error(resp, ErrorCode.FORBIDDEN)
        assert snapshot(world.platform.db) == before
    finally:
        outsider.close()


def test_commenting_in_an_ended_live_is_refused(world: World) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    before = snapshot(world.platform.db)
    resp = world.viewers[0].post(f"/rooms/{world.room_id}/comments", json={"text": "还在吗"})
    assert expect_error(resp, ErrorCode.LIVE_NOT_ACTIVE)["room_id"] == world.room_id
    assert snapshot(world.platform.db) == before


def test_comments_are_paged_newest_n_or_after_an_id_oldest_first(world: World) -> None:
    a, b = world.viewers[:2]
    ids = [comment(a if n % 2 else b, world.room_id, f"{n}号多少钱")["id"] for n in range(1, 7)]
    path = f"/rooms/{world.room_id}/comments"

    def listed(client: Api, **params: int) -> list[int]:
        return [c["id"] for c in client.ok("GET", path, params=params)]

    assert listed(world.creator) == ids
    assert listed(world.creator, limit=3) == ids[-3:]
    assert listed(world.creator, limit=1) == ids[-1:]
    assert listed(world.creator, after_id=ids[1]) == ids[2:]
    assert listed(world.creator, after_id=ids[1], limit=2) == ids[2:4]
    assert listed(world.creator, after_id=ids[-1]) == []
    assert listed(world.creator, after_id=0, limit=2) == ids[:2]
    assert listed(a, limit=2) == ids[-2:]  # a viewer in the room reads them too
    texts = [c["text"] for c in world.creator.ok("GET", path, params={"limit": 2})]
    assert texts == ["5号多少钱", "6号多少钱"]

    for params in ({"limit": 0}, {"limit": 501}, {"after_id": -1}, {"limit": "many"}):
        expect_error(world.creator.get(path, params=params), ErrorCode.VALIDATION_FAILED)
    a.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    expect_error(a.get(path), ErrorCode.VIEWER_NOT_IN_ROOM)
    other = make_world(world.platform, viewers=0)
    try:
        expect_error(other.creator.get(path), ErrorCode.NOT_FOUND)
    finally:
        other.close()
    anonymous = world.platform.client()
    try:
        expect_error(anonymous.get(path), ErrorCode.UNAUTHENTICATED)
    finally:
        anonymous.close()


# --- the event log ------------------------------------------------------------------------


def test_a_lives_events_are_logged_in_order(world: World) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    started = world.creator.ok("POST", "/rooms", 201, json={"title": "珍珠专场"})
    room_id = started["id"]
    anonymous = world.platform.client()
    joined = anonymous.ok(
        "POST", f"/rooms/{room_id}/join", json={"nickname": "阿珍", "region": "福建"}
    )
    anonymous.close()
    viewer = world.platform.client(joined["token"])
    try:
        posted = comment(viewer, room_id, "要这颗南洋金珠")
        viewer.ok("POST", f"/rooms/{room_id}/leave", 204)
    finally:
        viewer.close()
    ended = world.creator.ok("POST", f"/rooms/{room_id}/end")

    log = room_events(world.platform, room_id)
    assert [(e.id, e.type) for e in log] == [
        (1, "live.started"),
        (2, "viewer.joined"),
        (3, "comment.posted"),
        (4, "viewer.left"),
        (5, "live.ended"),
    ]
    started_e, joined_e, comment_e, left_e, ended_e = log
    assert started_e.data == {"room_id": room_id, "title": "珍珠专场"}
    assert joined_e.data == {"viewer": joined["viewer"], "viewer_count": 1}
    assert comment_e.data == posted
    assert left_e.data == {"viewer_id": joined["viewer"]["id"], "viewer_count": 0}
    assert ended_e.data == {"room_id": room_id}
    # Comments, like joins and leaves, are the creator's: viewer streams carry offers.
    assert [e.audience for e in log] == ["all", "creator", "creator", "creator", "all"]
    assert ended["last_event_id"] == 5
    with world.platform.db.read() as conn:
        last = conn.execute(sa.select(rooms.c.last_event_id).where(rooms.c.id == room_id))
        assert last.scalar_one() == 5
    # Each room numbers its own events: the first room's log is untouched by the second's.
    first_log = room_events(world.platform, world.room_id)
    assert [e.id for e in first_log] == list(range(1, len(first_log) + 1))
    assert first_log[-1].type == "live.ended"


# --- past lives ---------------------------------------------------------------------------


def test_past_lives_are_listed_newest_first_with_their_totals(world: World) -> None:
    first = world.create_flashbuy(piece_no="1", price_fen=128_800, stock=2)
    world.create_flashbuy(piece_no="2", price_fen=50_000)
    for viewer in world.viewers:
        order = viewer.ok("POST", f"/flash-buys/{first['id']}/orders", 201, json={"region": "浙江"})
        world.platform.settle(order["id"])  # sales are paid orders
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    second = world.creator.ok("POST", "/rooms", 201, json={"title": "和田玉专场"})
    other = make_world(world.platform, viewers=1)  # another creator's live is not listed
    try:
        other.create_flashbuy()

        lives = world.creator.ok("GET", "/rooms/summaries")
        assert [(s["id"], s["title"], s["status"]) for s in lives] == [
            (second["id"], "和田玉专场", "live"),
            (world.room_id, "翡翠专场", "ended"),
        ]
        assert [(s["flashbuy_count"], s["order_count"], s["sales_fen"]) for s in lives] == [
            (0, 0, 0),
            (2, 2, 257_600),
        ]
        assert lives[1]["ended_at"]
        assert lives[1]["started_at"]
        # The same room as GET /rooms/{id}, plus its totals.
        plain = room(world)
        assert {k: v for k, v in lives[1].items() if k in plain} == plain

        newest = world.creator.ok("GET", "/rooms/summaries", params={"limit": 1})
        assert [s["id"] for s in newest] == [second["id"]]
        older = world.creator.ok("GET", "/rooms/summaries", params={"limit": 1, "offset": 1})
        assert [s["id"] for s in older] == [world.room_id]
        for bad in (
            {"limit": 0},
            {"limit": 501},
            {"offset": -1},
            {"offset": 2**63},
            {"limit": "abc"},
            {"limit": 1.5},
            {"limit": "１０"},
            {"offset": "1e3"},
        ):
            expect_error(
                world.creator.get("/rooms/summaries", params=bad), ErrorCode.VALIDATION_FAILED
            )
        expect_error(world.viewers[0].get("/rooms/summaries"), ErrorCode.FORBIDDEN)
        anonymous = world.platform.client()
        try:
            expect_error(anonymous.get("/rooms/summaries"), ErrorCode.UNAUTHENTICATED)
        finally:
            anonymous.close()
    finally:
        other.close()

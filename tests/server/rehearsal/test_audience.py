"""The rehearsal audience joins, comments in Chinese, reads its streams and buys.

It follows the creator from an ended live into the next one, makes a flood through the
demo's batch lane, and leaves the counts exact.
"""

import random
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from flashbuy_protocol.event_payloads import payload
from flashbuy_protocol.models import Comment, Event, Order
from flashbuy_server.rehearsal import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Audience,
    AudienceConfig,
    comment_text,
    live_room,
    nickname,
    post_comments,
    prepare_demo,
    send_audience_home,
)
from flashbuy_server.rehearsal.audience_settings import HTTP_COMMENT_RATE
from tests.support import Platform, ServerProcess, SseClient, World


@pytest.fixture
def audience(world: World) -> Iterator[Audience]:
    crowd = Audience(
        AudienceConfig(
            server=world.platform.url,
            room_id=world.room_id,
            viewers=12,
            comment_rate=200,
            buy_probability=1.0,
            reaction_seconds=(0.0, 0.02),
            seed=7,
        )
    ).start()
    assert crowd.ready.wait(60)
    yield crowd
    crowd.stop()


def test_the_audience_joins_comments_and_races_for_an_offer(
    world: World, audience: Audience
) -> None:
    room = world.creator.ok("GET", f"/rooms/{world.room_id}")
    assert room["viewer_count"] == 12 + len(world.viewers)
    stream = SseClient(
        world.creator, f"/rooms/{world.room_id}/events", last_event_id=room["last_event_id"]
    )
    fb = world.create_flashbuy(stock=1)

    seen: list[dict[str, object]] = []
    comments = 0
    while not any(e["type"] == "flashbuy.sold_out" for e in seen) or comments < 20:
        event = stream.events(1)[0]
        seen.append(event)
        comments += event["type"] == "comment.posted"
    said = [payload(Event.model_validate(e)) for e in seen]
    orders = [p for p in said if isinstance(p, Order)]
    assert len(orders) == 1
    assert orders[0].flashbuy_id == fb["id"]
    texts = [p.text for p in said if isinstance(p, Comment)]
    assert all(isinstance(t, str) and t for t in texts)
    stream.close()

    stats = audience.stop()
    assert stats.joined == 12
    assert stats.invitations == 12
    assert stats.orders == 1
    # Whoever else tried before the stop was told it had sold out, and nothing failed.
    assert set(stats.refused) <= {"FLASHBUY_SOLD_OUT"}
    assert stats.orders + sum(stats.refused.values()) <= stats.attempts
    assert stats.errors == 0
    assert world.creator.ok("GET", f"/rooms/{world.room_id}")["viewer_count"] == len(world.viewers)


def test_a_targeted_offer_reaches_only_its_viewer(world: World) -> None:
    crowd = Audience(
        AudienceConfig(
            server=world.platform.url, room_id=world.room_id, viewers=4, comment_rate=0,
            buy_probability=0.0, seed=3,
        )
    ).start()  # fmt: skip
    assert crowd.ready.wait(60)
    viewers = world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")
    simulated = [v["id"] for v in viewers if v["id"] not in world.viewer_ids]
    targeted = world.create_flashbuy(mode="targeted", target_viewer_ids=[simulated[0]])
    fence = world.create_flashbuy()  # a full offer after it: everyone gets this one
    # Streams deliver in order: once all four have the fence, the targeted one is settled.
    assert crowd.wait_until(lambda a: sum(fb == fence["id"] for _, fb in a.invited) == 4)
    got_targeted = [v for v, fb in crowd.invited if fb == targeted["id"]]
    stats = crowd.stop()
    assert got_targeted == [simulated[0]]
    assert stats.invitations == 5
    assert stats.errors == 0


def test_sample_comments_and_names_look_real() -> None:
    rng = random.Random(1)
    assert all(2 <= len(nickname(rng)) <= 30 for _ in range(100))
    texts = [comment_text(rng, intent_share=1.0) for _ in range(100)]
    assert any("号" in t or "#" in t or "要" in t or "拍" in t for t in texts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--room", "1", "--viewers", "-1"], "viewers must be between 0 and 5000"),
        (["--room", "1", "--buy-probability", "1.5"], "buy probability"),
        (["--room", "0"], "room id"),
        (["--room", "1", "--duration", "0"], "--duration"),
        (["--room", "x"], "invalid int value"),
        (["--room", "1", "--never-share", "0.9", "--late-share", "0.5"], "add up to at most 1"),
        (["--room", "1", "--queue-share", "2"], "queue share must be between 0 and 1"),
    ],
)
def test_the_command_line_refuses_bad_settings(args: list[str], message: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashbuy_server.rehearsal",
            "--server",
            "http://127.0.0.1:9",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_demo_is_ready_and_idempotent(platform: Platform) -> None:
    first = prepare_demo(platform.db)
    again = prepare_demo(platform.db)
    assert again == first
    client = platform.client()
    token = client.ok(
        "POST", "/auth/sign-in", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    )["token"]
    creator = platform.client(token)
    products = creator.ok("GET", "/products")
    reasons = {p["name"]: p["ineligible_reason"] for p in products}
    assert reasons["冰种翡翠手镯"] is None
    assert reasons["真丝围巾"] == "CATEGORY_NOT_APPROVED"
    assert reasons["翡翠戒面"] == "SHOP_NOT_QUALIFIED"
    assert len(creator.ok("GET", "/shipping-templates")) == 4
    assert creator.ok("GET", f"/rooms/{first.room_id}")["status"] == "live"
    # Once the demo live ends, the next start opens a new one.
    creator.ok("POST", f"/rooms/{first.room_id}/end")
    assert prepare_demo(platform.db).room_id != first.room_id
    client.close()
    creator.close()


def test_flashbuy_server_demo_with_an_audience(database_url: str) -> None:
    server = ServerProcess(database_url, "--demo", "--audience", "5").start()
    try:
        anon = server.client()
        token = anon.ok(
            "POST", "/auth/sign-in", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )["token"]
        creator = server.client(token)
        room = next(r for r in creator.ok("GET", "/rooms") if r["status"] == "live")
        # From the start of the live: the audience may have arrived before this stream.
        stream = SseClient(creator, f"/rooms/{room['id']}/events", last_event_id=0)
        joined = set()
        for _ in range(1_000):  # the audience arrives by itself (and soon comments)
            event = stream.events(1)[0]
            if event["type"] == "viewer.joined":
                joined.add(event["data"]["viewer"]["id"])
            if len(joined) == 5:
                break
        assert len(joined) == 5
        stream.close()
        anon.close()
        creator.close()
    finally:
        server.stop()
    assert server.stopped_cleanly, server.log


# --- following the creator's lives, floods, exact counts -----------------------------------


def _read_until(stream: SseClient, done: Any, limit: int = 20_000) -> list[dict[str, Any]]:
    """Events from ``stream`` until ``done(events so far)`` holds."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        seen += stream.events(1)
        if done(seen):
            return seen
    raise AssertionError(f"not seen within {limit} events")


def _count_after(events: list[dict[str, Any]]) -> int | None:
    counts = [e["data"]["viewer_count"] for e in events if e["type"].startswith("viewer.")]
    return counts[-1] if counts else None


def test_the_audience_follows_the_creator_into_the_next_live(
    platform: Platform, world: World
) -> None:
    old_room = world.room_id
    crowd = Audience(
        AudienceConfig(
            server=platform.url, room_id=old_room, viewers=6, comment_rate=20, seed=5,
            buy_probability=0.0,
        ),
        next_live=lambda _ended: live_room(platform.db, world.creator_id),
    ).start()  # fmt: skip
    try:
        assert crowd.ready.wait(60)
        first_ids = set(crowd.present_ids())
        assert len(first_ids) == 6
        before = world.creator.ok("GET", f"/rooms/{old_room}")
        assert before["viewer_count"] == 6 + len(world.viewers)
        old = SseClient(world.creator, f"/rooms/{old_room}/events", before["last_event_id"])

        world.creator.ok("POST", f"/rooms/{old_room}/end")
        new_room = world.creator.ok("POST", "/rooms", 201, json={"title": "第二场"})["id"]
        new = SseClient(world.creator, f"/rooms/{new_room}/events", last_event_id=0)

        # The same viewers come in (the count starts from them), listen, and talk there.
        joined = _read_until(
            new, lambda seen: sum(e["type"] == "comment.posted" for e in seen) >= 3
        )
        in_new = {e["data"]["viewer"]["id"] for e in joined if e["type"] == "viewer.joined"}
        assert in_new == first_ids
        counts = [e["data"]["viewer_count"] for e in joined if e["type"] == "viewer.joined"]
        assert counts == list(range(1, 7))
        talkers = {e["data"]["viewer_id"] for e in joined if e["type"] == "comment.posted"}
        assert talkers <= first_ids
        assert crowd.wait_until(lambda a: a.room_id == new_room and a.listening == 6)
        # ...and leave the ended live, where the two real viewers stay.
        gone = _read_until(old, lambda seen: _count_after(seen) == len(world.viewers))
        assert {e["data"]["viewer_id"] for e in gone if e["type"] == "viewer.left"} == first_ids
        assert world.creator.ok("GET", f"/rooms/{new_room}")["viewer_count"] == 6

        # An offer in the new live reaches every simulated viewer there.
        world.room_id = new_room
        offer = world.create_flashbuy()
        assert crowd.wait_until(lambda a: sum(fb == offer["id"] for _, fb in a.invited) == 6)
        old.close()
        new.close()
    finally:
        stats = crowd.stop()
    assert stats.joined == 12  # six viewers, two lives
    assert stats.errors == 0
    assert world.creator.ok("GET", f"/rooms/{new_room}")["viewer_count"] == 0


def test_a_flood_beyond_http_goes_through_the_demo_lane(platform: Platform, world: World) -> None:
    rate = 2_000
    assert rate > HTTP_COMMENT_RATE
    start = world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"]
    stream = SseClient(world.creator, f"/rooms/{world.room_id}/events", start)
    crowd = Audience(
        AudienceConfig(
            server=platform.url, room_id=world.room_id, viewers=10, comment_rate=rate, seed=9
        ),
        post_comments=lambda room_id, said: post_comments(platform.db, room_id, said),
    ).start()
    try:
        seen = _read_until(
            stream, lambda got: sum(e["type"] == "comment.posted" for e in got) >= 2_000
        )
        present = world.creator.ok("GET", f"/rooms/{world.room_id}/viewers")
    finally:
        stats = crowd.stop()
        stream.close()
    posted = [Comment.model_validate(e["data"]) for e in seen if e["type"] == "comment.posted"]
    viewers = {v["id"]: v["nickname"] for v in present}
    # Stored and announced as a posted comment is: by viewers in the room, under their names.
    assert all(viewers[c.viewer_id] == c.nickname for c in posted)
    stored = world.creator.ok("GET", f"/rooms/{world.room_id}/comments", params={"limit": 500})
    by_id = {c.id: c for c in posted}
    assert all(Comment.model_validate(c) == by_id[c["id"]] for c in stored if c["id"] in by_id)
    # A flood: two thousand comments within a few seconds (3 a second is the demo's calm).
    span = (posted[1_999].created_at - posted[0].created_at).total_seconds()
    assert span < 5, span
    assert stats.comments >= 2_000
    assert stats.errors == 0


def test_the_demo_lane_keeps_the_platforms_rules(platform: Platform, world: World) -> None:
    inside = world.viewer_ids[0]
    outsider = world.join()[1]
    world.viewers[-1].ok("POST", f"/rooms/{world.room_id}/leave", 204)
    stored = post_comments(platform.db, world.room_id, [(inside, "3号多少钱"), (outsider, "要了")])
    assert stored == 1  # the viewer who left is not heard
    with pytest.raises(ValidationError):
        post_comments(platform.db, world.room_id, [(inside, "")])
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    assert post_comments(platform.db, world.room_id, [(inside, "还在吗")]) == 0
    texts = [c["text"] for c in world.creator.ok("GET", f"/rooms/{world.room_id}/comments")]
    assert texts[-1] == "3号多少钱"
    assert "要了" not in texts
    assert "还在吗" not in texts


def test_an_audience_left_behind_is_sent_home_with_exact_counts(platform: Platform) -> None:
    demo = prepare_demo(platform.db)
    send_audience_home(platform.db, demo.creator_id)  # whatever other tests left
    anon = platform.client()
    for n in range(3):
        anon.ok("POST", f"/rooms/{demo.room_id}/join", json={"nickname": f"留下的{n}"})
    token = anon.ok(
        "POST", "/auth/sign-in", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    )["token"]
    creator = platform.client(token)
    room = creator.ok("GET", f"/rooms/{demo.room_id}")
    assert room["viewer_count"] == 3
    stream = SseClient(creator, f"/rooms/{demo.room_id}/events", room["last_event_id"])
    assert send_audience_home(platform.db, demo.creator_id) == 3
    left = stream.events(3)
    assert [e["type"] for e in left] == ["viewer.left"] * 3
    assert [e["data"]["viewer_count"] for e in left] == [2, 1, 0]
    assert creator.ok("GET", f"/rooms/{demo.room_id}")["viewer_count"] == 0
    assert creator.ok("GET", f"/rooms/{demo.room_id}/viewers") == []
    assert send_audience_home(platform.db, demo.creator_id) == 0
    stream.close()
    anon.close()
    creator.close()


def test_joining_a_live_that_ended_is_no_error(world: World) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    crowd = Audience(
        AudienceConfig(server=world.platform.url, room_id=world.room_id, viewers=3, seed=1)
    ).start()
    assert crowd.ready.wait(60)
    stats = crowd.stop()
    assert stats.joined == 0
    assert stats.errors == 0

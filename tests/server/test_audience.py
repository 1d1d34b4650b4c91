"""The rehearsal audience joins, comments in Chinese, reads its streams and buys."""

import random
import subprocess
import sys
from collections.abc import Iterator

import pytest

from flashbuy_server.audience import Audience, AudienceConfig, comment_text, nickname
from flashbuy_server.demo import DEMO_PASSWORD, DEMO_USERNAME, prepare_demo
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
    orders = [e for e in seen if e["type"] == "order.placed"]
    assert len(orders) == 1
    assert orders[0]["data"]["flashbuy_id"] == fb["id"]
    texts = [e["data"]["text"] for e in seen if e["type"] == "comment.posted"]  # type: ignore[index]
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
    ],
)
def test_the_command_line_refuses_bad_settings(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flashbuy_server.audience", "--server", "http://127.0.0.1:9", *args],
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

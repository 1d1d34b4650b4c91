"""Retries are safe: one Idempotency-Key makes at most one flash-buy, comment or template."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import CommentIn
from flashbuy_server import idempotency
from flashbuy_server.config import Settings
from flashbuy_server.db import Database
from flashbuy_server.migrate import upgrade
from flashbuy_server.server import ServerThread
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import flashbuys, idempotency_keys
from tests.support import World, expect_error, snapshot


def _count_flashbuys(world: World) -> int:
    with world.platform.db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(flashbuys)
                .where(flashbuys.c.room_id == world.room_id)
            ).scalar_one()
        )


def test_a_replay_returns_the_first_response_and_creates_nothing(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    headers = {"Idempotency-Key": "enter-press-1"}
    first = world.creator.post(path, json=world.flashbuy_body(), headers=headers)
    assert first.status_code == 201
    before = snapshot(world.platform.db)
    replay = world.creator.post(path, json=world.flashbuy_body(), headers=headers)
    assert (replay.status_code, replay.json()) == (201, first.json())
    assert snapshot(world.platform.db) == before


def test_the_same_key_with_another_body_is_refused(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    headers = {"Idempotency-Key": "enter-press-2"}
    world.creator.ok("POST", path, 201, json=world.flashbuy_body(), headers=headers)
    before = snapshot(world.platform.db)
    resp = world.creator.post(path, json=world.flashbuy_body(price_fen=1), headers=headers)
    expect_error(resp, ErrorCode.IDEMPOTENCY_KEY_REUSED)
    assert snapshot(world.platform.db) == before


def test_keys_belong_to_their_caller(world: World) -> None:
    """Another viewer using the same key string gets its own comment, not the first one's."""
    first, second = world.viewers
    headers = {"Idempotency-Key": "hello"}
    path = f"/rooms/{world.room_id}/comments"
    a = first.ok("POST", path, 201, json={"text": "3号多少钱"}, headers=headers)
    b = second.ok("POST", path, 201, json={"text": "3号多少钱"}, headers=headers)
    assert a["id"] != b["id"]
    assert first.ok("POST", path, 201, json={"text": "3号多少钱"}, headers=headers) == a


def test_a_refused_request_does_not_burn_its_key(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    headers = {"Idempotency-Key": "retry-after-fix"}
    bad = world.creator.post(path, json=world.flashbuy_body(template_id=999_999), headers=headers)
    expect_error(bad, ErrorCode.TEMPLATE_NOT_FOUND)
    good = world.creator.post(path, json=world.flashbuy_body(), headers=headers)
    assert good.status_code == 201


def test_concurrent_retries_with_one_key_make_one_flashbuy(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    headers = {"Idempotency-Key": "flaky-network"}
    body = world.flashbuy_body()
    start = threading.Barrier(8)

    def press(_: int) -> tuple[int, int]:
        client = world.platform.client(world.creator.token)
        start.wait()
        resp = client.post(path, json=body, headers=headers)
        client.close()
        return resp.status_code, resp.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(press, range(8)))
    assert {status for status, _ in results} == {201}
    assert len({fb_id for _, fb_id in results}) == 1
    assert _count_flashbuys(world) == 1


def test_bad_keys_are_refused(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    before = snapshot(world.platform.db)
    for key in ("has space", "x" * 201, "中文"):
        resp = world.creator.post(
            path,
            json=world.flashbuy_body(),
            headers={"Idempotency-Key": key.encode().decode("latin-1")},
        )
        expect_error(resp, ErrorCode.IDEMPOTENCY_KEY_INVALID)
    assert snapshot(world.platform.db) == before


def test_a_request_is_named_by_its_route_path_and_validated_ids(world: World) -> None:
    """The key's fingerprint names the API path with the ids as validated (the route writes
    its path once, in its decorator): what keys stored before this helper stay comparable,
    and a zero-padded id is the same request as the plain one."""
    viewer = world.viewers[0]
    headers = {"Idempotency-Key": "fingerprint-1"}
    first = viewer.ok(
        "POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "要"}, headers=headers
    )
    with world.platform.db.read() as conn:
        stored = conn.execute(
            sa.select(idempotency_keys.c.fingerprint).where(
                idempotency_keys.c.principal == f"viewer:{world.viewer_ids[0]}",
                idempotency_keys.c.key == "fingerprint-1",
            )
        ).scalar_one()
    path = f"/rooms/{world.room_id}/comments"
    assert stored == idempotency.fingerprint("POST", path, CommentIn(text="要"))
    padded = viewer.ok(
        "POST", f"/rooms/00{world.room_id}/comments", 201, json={"text": "要"}, headers=headers
    )
    assert padded == first


# --- forgetting old keys ---------------------------------------------------------------


def _keys(db: Database, *, old: int, recent: int) -> None:
    """``old`` keys from two days ago and ``recent`` ones from an hour ago."""
    now = utcnow()
    rows = [
        {
            "principal": "creator:0",
            "key": f"{age}-{i}",
            "fingerprint": "0" * 64,
            "status_code": 201,
            "response": {},
            "created_at": now - (timedelta(days=2) if age == "old" else timedelta(hours=1)),
        }
        for age, count in (("old", old), ("recent", recent))
        for i in range(count)
    ]
    with db.write() as conn:
        conn.execute(idempotency_keys.insert(), rows)


def _left(db: Database) -> set[str]:
    with db.read() as conn:
        return {row.key for row in conn.execute(sa.select(idempotency_keys.c.key))}


def test_keys_older_than_a_day_are_forgotten_in_batches(database_url: str) -> None:
    db = Database(database_url, pool_size=2)
    try:
        upgrade(db)
        _keys(db, old=2 * idempotency.PURGE_BATCH + 1, recent=3)
        # A bounded pass takes whole batches only.
        assert idempotency.purge(db, max_batches=1) == idempotency.PURGE_BATCH
        assert idempotency.purge(db) == idempotency.PURGE_BATCH + 1
        assert _left(db) == {"recent-0", "recent-1", "recent-2"}
        assert idempotency.purge(db) == 0
        # A day later the recent ones go too.
        assert idempotency.purge(db, now=utcnow() + timedelta(days=1)) == 3
        assert _left(db) == set()
    finally:
        db.dispose()


def test_the_platform_forgets_old_keys_as_it_starts(database_url: str) -> None:
    db = Database(database_url, pool_size=2)
    upgrade(db)
    _keys(db, old=3, recent=1)
    db.dispose()
    server = ServerThread(Settings(database_url=database_url)).start()
    try:
        assert _left(server.app.state.db) == {"recent-0"}
    finally:
        server.stop()
        server.app.state.db.dispose()


def test_a_replay_within_the_day_still_returns_the_first_response(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    headers = {"Idempotency-Key": "enter-press-purge"}
    first = world.creator.post(path, json=world.flashbuy_body(), headers=headers)
    assert first.status_code == 201
    idempotency.purge(world.platform.db)
    replay = world.creator.post(path, json=world.flashbuy_body(), headers=headers)
    assert (replay.status_code, replay.json()) == (201, first.json())

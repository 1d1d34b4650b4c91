"""Guessing and floods meet a wait: sign-in per account and address, joins, comments.

Each test runs its own platform with small limits and a clock it moves forward itself,
so a cool-down passes without sleeping. Other client addresses are real: the client
binds 127.0.0.2, 127.0.0.3, ... (all of 127/8 is this machine) and the platform sees it.
"""

import http.client
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from flashbuy_server import accounts, signin_guard
from flashbuy_server.config import Settings
from flashbuy_server.rehearsal import Audience, AudienceConfig
from flashbuy_server.server import ServerThread
from flashbuy_server.signin_guard import Policy, wait_after
from flashbuy_server.tables import sign_in_failures
from flashbuy_server.throttle import Buckets
from tests.clock import Clock
from tests.support import PASSWORD, Platform, World, make_world, snapshot, unique

HOME = "127.0.0.1"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def code(self) -> str:
        return str(self.body["error"]["code"]) if self.status >= 400 else ""

    @property
    def retry_after(self) -> int:
        seconds = self.body["error"]["details"]["retry_after_seconds"]
        assert isinstance(seconds, int)
        assert self.headers.get("retry-after") == str(seconds)  # the header says it too
        return seconds


class Lab:
    """A platform of the test's own, and requests to it from any 127.x address."""

    def __init__(self, server: ServerThread, backend: str, clock: Clock) -> None:
        self.server = server
        self.platform = Platform(server, backend)
        self.clock = clock

    def post(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        frm: str = HOME,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        parts = urlsplit(self.platform.api_url)
        conn = http.client.HTTPConnection(
            parts.hostname or "", parts.port, timeout=60, source_address=(frm, 0)
        )
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            conn.request("POST", parts.path + path, json.dumps(body or {}).encode(), sent)
            resp = conn.getresponse()
            raw = resp.read()
            got = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        return Reply(resp.status, got, json.loads(raw) if raw else None)

    def sign_in(self, username: str, password: str, frm: str = HOME) -> Reply:
        return self.post("/auth/sign-in", {"username": username, "password": password}, frm=frm)

    def creator(self) -> str:
        username = unique("creator")
        with self.platform.db.write() as conn:
            accounts.create_creator(conn, username, PASSWORD, invited=True)
        return username


@pytest.fixture
def lab_of(database_url: str) -> Iterator[Any]:
    """Start the test's platform with these limits (once per test)."""
    servers: list[ServerThread] = []

    def start(**limits: Any) -> Lab:
        clock = Clock()
        server = ServerThread(Settings(database_url=database_url, clock=clock, **limits)).start()
        servers.append(server)
        return Lab(server, "sqlite" if database_url.startswith("sqlite") else "postgres", clock)

    yield start
    for server in servers:
        server.stop()
        server.app.state.db.dispose()


LOOSE = {  # only the pair counts, unless a test says otherwise
    "sign_in_free_failures_per_address": 10_000,
    "sign_in_free_failures_per_account": 10_000,
}


# --- sign-in ------------------------------------------------------------------------------


def test_200_wrong_passwords_meet_a_growing_wait_then_the_right_one_works(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=3, sign_in_max_wait_per_pair=8, **LOOSE)
    username = lab.creator()

    replies = [lab.sign_in(username, f"guess {i}") for i in range(200)]
    assert [r.status for r in replies[:3]] == [401, 401, 401]
    assert {(r.status, r.code) for r in replies[3:]} == {(429, "TOO_MANY_ATTEMPTS")}
    assert {r.retry_after for r in replies[3:]} == {1}

    # Each further failure doubles the wait, up to the cap.
    waits: list[int] = []
    for _ in range(5):
        lab.clock.advance(waits[-1] if waits else 1)
        assert lab.sign_in(username, "another guess").code == "INVALID_CREDENTIALS"
        waits.append(lab.sign_in(username, "and another").retry_after)
    assert waits == [2, 4, 8, 8, 8]

    # The right password waits too (a 429 says nothing about it), then works.
    blocked = lab.sign_in(username, PASSWORD)
    assert (blocked.status, blocked.retry_after) == (429, 8)
    lab.clock.advance(8)
    assert lab.sign_in(username, PASSWORD).status == 200
    # A success clears the pair: a typo now is just a typo.
    assert lab.sign_in(username, "typo").code == "INVALID_CREDENTIALS"
    assert lab.sign_in(username, PASSWORD).status == 200


def test_a_refused_attempt_writes_nothing(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=1, **LOOSE)
    username = lab.creator()
    assert lab.sign_in(username, "guess").status == 401
    before = snapshot(lab.platform.db)
    for password in ("guess", PASSWORD, ""):
        refused = lab.sign_in(username, password)
        assert refused.status == (422 if password == "" else 429)
    assert snapshot(lab.platform.db) == before
    # Nothing either for an account and address seen for the first time, on a 422.
    assert lab.sign_in("", "x", frm="127.0.0.9").status == 422
    assert snapshot(lab.platform.db) == before


def test_an_unknown_account_is_answered_as_a_wrong_password(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=2, **LOOSE)
    known, unknown = lab.creator(), unique("nobody")

    def run(username: str) -> tuple[list[tuple[int, str]], float]:
        began = time.perf_counter()
        replies = [lab.sign_in(username, "wrong") for _ in range(4)]
        took = time.perf_counter() - began
        return [(r.status, r.code) for r in replies], took

    known_replies, known_took = run(known)
    unknown_replies, unknown_took = run(unknown)
    assert (
        known_replies
        == unknown_replies
        == [(401, "INVALID_CREDENTIALS")] * 2 + [(429, "TOO_MANY_ATTEMPTS")] * 2
    )
    # Both hash the password (scrypt, tens of ms): the same order of magnitude.
    assert 1 / 3 < known_took / unknown_took < 3, (known_took, unknown_took)


def test_one_address_s_guesses_do_not_lock_the_creator_out_elsewhere(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=3)  # the deployment's other limits
    username = lab.creator()
    for _ in range(3):
        assert lab.sign_in(username, "guess", frm="127.0.0.66").status == 401
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.66").status == 429
    # The creator, from home: the wrong password is only wrong, the right one works.
    assert lab.sign_in(username, "typo", frm="127.0.0.2").code == "INVALID_CREDENTIALS"
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.2").status == 200
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.66").status == 429  # still waiting


def test_a_guesser_with_many_addresses_locks_the_account_briefly(lab_of: Any) -> None:
    lab: Lab = lab_of(
        sign_in_free_failures_per_account=4,
        sign_in_max_wait_per_account=5,
        sign_in_free_failures_per_address=10_000,
    )
    username = lab.creator()
    statuses = [lab.sign_in(username, "guess", frm=f"127.0.1.{i}").status for i in range(1, 9)]
    assert statuses == [401] * 4 + [429] * 4
    # The creator from a new address waits too, but briefly: the account's cap is short.
    waits: list[int] = []
    for _ in range(4):
        lab.clock.advance(waits[-1] if waits else 1)
        assert lab.sign_in(username, "guess", frm="127.0.1.99").status == 401
        waits.append(lab.sign_in(username, PASSWORD, frm="127.0.0.2").retry_after)
    assert waits == [2, 4, 5, 5]
    lab.clock.advance(5)
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.2").status == 200


def test_a_guesser_with_many_addresses_does_not_lock_the_creator_out_where_known(
    lab_of: Any,
) -> None:
    lab: Lab = lab_of(
        sign_in_free_failures_per_account=4,
        sign_in_max_wait_per_account=30,
        sign_in_free_failures_per_address=10_000,
    )
    username = lab.creator()
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.2").status == 200  # the shop's PC
    for i in range(1, 13):  # the attack goes on, each guess as soon as it may
        lab.clock.advance(30)
        assert lab.sign_in(username, "guess", frm=f"127.0.4.{i}").status == 401
    assert lab.sign_in(username, "guess", frm="127.0.4.99").retry_after == 30
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.3").retry_after == 30  # a new place
    # Where the creator signed in before, the account's counter does not hold it up...
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.2").status == 200
    # ...but that pair's own counter still does, should a guesser share the address.
    statuses = [lab.sign_in(username, "guess", frm="127.0.0.2").status for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # The attack's counts stay as they were: the creator's successes took only their own.
    assert lab.sign_in(username, "guess", frm="127.0.4.99").retry_after == 30
    # Known for a while, not for ever.
    lab.clock.advance(lab.server.settings.sign_in_known_seconds + 1)
    for i in range(1, 5):  # the free four: the account waits again
        assert lab.sign_in(username, "guess", frm=f"127.0.5.{i}").status == 401
    assert lab.sign_in(username, PASSWORD, frm="127.0.0.2").status == 429


def test_a_sprayer_is_held_up_across_accounts(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_address=5, sign_in_max_wait_per_address=300)
    names = [lab.creator() for _ in range(7)]
    statuses = [lab.sign_in(name, "123456", frm="127.0.0.77").status for name in names]
    assert statuses == [401] * 5 + [429] * 2
    # Another address signs in to the same accounts as ever.
    assert lab.sign_in(names[-1], PASSWORD, frm="127.0.0.3").status == 200


def test_200_guesses_at_once_do_not_all_get_through(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=3, **LOOSE)
    username = lab.creator()
    start = threading.Barrier(200)

    def guess(i: int) -> tuple[int, str]:
        start.wait()
        reply = lab.sign_in(username, f"guess {i}")
        return reply.status, reply.code

    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(guess, range(200)))
    # Exactly the free three were let through to the password check, whatever the order.
    assert sorted(set(results)) == [(401, "INVALID_CREDENTIALS"), (429, "TOO_MANY_ATTEMPTS")]
    assert results.count((401, "INVALID_CREDENTIALS")) == 3
    with lab.platform.db.read() as conn:
        counted = conn.execute(sa.select(sign_in_failures.c.failures)).scalars().all()
    assert sorted(counted) == [3, 3, 3]  # pair, address, account


def test_failures_are_forgotten_after_a_quiet_spell(lab_of: Any) -> None:
    lab: Lab = lab_of(sign_in_free_failures_per_pair=2, sign_in_forget_seconds=600, **LOOSE)
    username = lab.creator()
    for _ in range(2):
        assert lab.sign_in(username, "guess").status == 401
    assert lab.sign_in(username, "guess").status == 429
    lab.clock.advance(601)
    assert [lab.sign_in(username, "guess").status for _ in range(3)] == [401, 401, 429]
    # Rows quiet past the forget time are removed (each process does so now and then).
    lab.clock.advance(601)
    assert signin_guard.purge(lab.platform.db, lab.server.settings) == 3
    with lab.platform.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sign_in_failures)).scalar() == 0


def test_the_wait_doubles_from_the_free_failures_up_to_its_cap() -> None:
    policy = Policy(free=3, max_wait=60)
    assert [wait_after(n, policy) for n in range(0, 11)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert wait_after(10_000, policy) == 60
    assert wait_after(1, Policy(free=0, max_wait=5)) == 2  # none free: the first waits
    assert wait_after(1, Policy(free=1, max_wait=5)) == 1


# --- joins and comments -------------------------------------------------------------------


def join(lab: Lab, world: World, frm: str = HOME, room: int | None = None) -> Reply:
    return lab.post(
        f"/rooms/{room or world.room_id}/join", {"nickname": unique("观众")[:30]}, frm=frm
    )


def test_joins_are_limited_per_address(lab_of: Any) -> None:
    lab: Lab = lab_of(join_burst_per_address=5, join_rate_per_address=0.5)
    world = make_world(lab.platform, viewers=0)
    try:
        replies = [join(lab, world) for _ in range(8)]
        assert [r.status for r in replies] == [200] * 5 + [429] * 3
        refused = replies[-1]
        assert refused.code == "RATE_LIMITED"
        assert refused.body["error"]["details"]["limit"] == "address"
        assert refused.retry_after == 2  # one join per two seconds
        before = snapshot(lab.platform.db)
        assert join(lab, world).status == 429  # no viewer, no token, no event
        assert snapshot(lab.platform.db) == before
        assert join(lab, world, frm="127.0.0.2").status == 200  # a neighbour is let in
        lab.clock.advance(2)
        assert [join(lab, world).status for _ in range(2)] == [200, 429]
    finally:
        world.close()


def test_joins_are_limited_per_room(lab_of: Any) -> None:
    lab: Lab = lab_of(join_burst_per_room=4, join_rate_per_room=1)
    world = make_world(lab.platform, viewers=0)
    other = make_world(lab.platform, viewers=0)
    try:
        statuses = [join(lab, world, frm=f"127.0.2.{i}").status for i in range(1, 7)]
        assert statuses == [200] * 4 + [429] * 2
        refused = join(lab, world, frm="127.0.2.50")
        assert refused.body["error"]["details"]["limit"] == "room"
        assert refused.retry_after == 1
        assert join(lab, other, frm="127.0.2.50").status == 200  # another live is let in
        lab.clock.advance(1)
        assert join(lab, world, frm="127.0.2.50").status == 200
    finally:
        world.close()
        other.close()


def test_a_refused_join_takes_nothing_from_the_other_limit(lab_of: Any) -> None:
    lab: Lab = lab_of(join_burst_per_address=2, join_rate_per_address=0.1, join_burst_per_room=3)
    world = make_world(lab.platform, viewers=0)
    try:
        assert [join(lab, world, frm="127.0.3.1").status for _ in range(2)] == [200, 200]
        # Refused by its address, the third join leaves the room's last token alone...
        assert join(lab, world, frm="127.0.3.1").body["error"]["details"]["limit"] == "address"
        # ...which another address then gets.
        assert join(lab, world, frm="127.0.3.2").status == 200
        assert join(lab, world, frm="127.0.3.3").body["error"]["details"]["limit"] == "room"
    finally:
        world.close()


def test_comments_are_limited_per_viewer(lab_of: Any) -> None:
    lab: Lab = lab_of(comment_burst_per_viewer=3, comment_rate_per_viewer=1)
    world = make_world(lab.platform, viewers=2)
    try:
        talker, quiet = (viewer.token for viewer in world.viewers)
        path = f"/rooms/{world.room_id}/comments"
        said = [lab.post(path, {"text": f"{i}号多少钱"}, token=talker) for i in range(5)]
        assert [r.status for r in said] == [201] * 3 + [429] * 2
        assert said[-1].code == "RATE_LIMITED"
        assert said[-1].body["error"]["details"]["limit"] == "viewer"
        assert said[-1].retry_after == 1

        before = snapshot(lab.platform.db)
        key = {"Idempotency-Key": "comment-after-wait"}
        assert lab.post(path, {"text": "要了"}, token=talker, headers=key).status == 429
        assert snapshot(lab.platform.db) == before  # no comment, no event, no key kept
        assert lab.post(path, {"text": "主播好"}, token=quiet).status == 201  # others talk on

        lab.clock.advance(1)
        resent = lab.post(path, {"text": "要了"}, token=talker, headers=key)
        assert resent.status == 201  # the same key, sent again after the wait
        assert lab.post(path, {"text": "要了"}, token=talker).status == 429
    finally:
        world.close()


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    buckets = Buckets(burst=2, rate=0.5)
    for _ in range(2):
        assert buckets.wait("a", 100.0) == 0
        buckets.take("a", 100.0)
    assert buckets.wait("a", 100.0) == 2.0
    assert buckets.wait("a", 101.0) == 1.0
    assert buckets.wait("a", 102.0) == 0
    assert buckets.wait("a", 50.0) == 2.0  # a clock that stepped back gives nothing
    assert buckets.wait("b", 100.0) == 0  # keys are apart
    assert buckets.wait("a", 1_000.0) == 0  # and never more than the burst:
    buckets.take("a", 1_000.0)
    buckets.take("a", 1_000.0)
    assert buckets.wait("a", 1_000.0) == 2.0
    assert Buckets(burst=0, rate=0).wait("c", 0.0) == float("inf")


def test_the_rehearsal_audience_waits_as_asked_and_everyone_gets_in(database_url: str) -> None:
    # On the real clock: the audience waits the second the platform asks, then joins.
    server = ServerThread(
        Settings(database_url=database_url, join_burst_per_address=3, join_rate_per_address=10)
    ).start()
    try:
        lab = Lab(server, "any", Clock())
        world = make_world(lab.platform, viewers=0)
        crowd = Audience(
            AudienceConfig(
                server=server.url, room_id=world.room_id, viewers=8, comment_rate=0, seed=3
            )
        ).start()
        try:
            assert crowd.ready.wait(60)
            assert crowd.listening == 8
        finally:
            stats = crowd.stop()
        assert (stats.joined, stats.errors) == (8, 0)  # five of them were told to wait first
        world.close()
    finally:
        server.stop()
        server.app.state.db.dispose()

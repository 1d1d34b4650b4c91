"""The embedded demo platform: its audience follows the seller's lives and counts exactly.

Qt-free: the platform and its rehearsal audience as the console starts them, reached over
HTTP as the console reaches them.
"""

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from flashbuy_desktop.composition.embedded import COMMENT_RATE_MAX, EmbeddedPlatform
from flashbuy_server.config import sqlite_url
from flashbuy_server.db import Database
from flashbuy_server.tables import room_members, rooms
from tests.support import Api, SseClient

TIMEOUT_S = 120


def _signed_in(platform: EmbeddedPlatform) -> Api:
    assert platform.demo is not None
    anon = Api(platform.url + "/api/v1")
    token = anon.ok(
        "POST",
        "/auth/sign-in",
        json={"username": platform.demo.username, "password": platform.demo.password},
    )["token"]
    anon.close()
    return Api(platform.url + "/api/v1", token)


def _viewer_counts(stream: SseClient, until: int, limit: int = 10_000) -> list[int]:
    """The counts of the viewer events from ``stream`` up to the one that says ``until``."""
    counts: list[int] = []
    for _ in range(limit):
        event = stream.events(1)[0]
        if event["type"].startswith("viewer."):
            counts.append(event["data"]["viewer_count"])
            if counts[-1] == until:
                return counts
    raise AssertionError(f"the count never reached {until}: {counts[-5:]}")


def test_the_audience_follows_the_seller_into_a_new_live_and_goes_home_at_the_end(
    tmp_path: Path,
) -> None:
    platform = EmbeddedPlatform(tmp_path, audience_viewers=8)
    demo = platform.start()
    creator = _signed_in(platform)
    try:
        assert platform.audience is not None
        assert platform.audience.ready.wait(TIMEOUT_S)
        assert creator.ok("GET", f"/rooms/{demo.room_id}")["viewer_count"] == 8

        creator.ok("POST", f"/rooms/{demo.room_id}/end")
        new_room = creator.ok("POST", "/rooms", 201, json={"title": "第二场 · 演示"})["id"]
        stream = SseClient(creator, f"/rooms/{new_room}/events", last_event_id=0)
        # The new live's count starts from the audience coming in: 1, 2, ... 8.
        assert _viewer_counts(stream, until=8) == list(range(1, 9))
        audience = platform.audience
        assert audience.wait_until(lambda a: a.room_id == new_room and a.listening == 8)
        old_left = SseClient(creator, f"/rooms/{demo.room_id}/events", last_event_id=0)
        assert _viewer_counts(old_left, until=0)[-1] == 0  # they left the ended live
        old_left.close()
        stream.close()
    finally:
        platform.stop()
        creator.close()
    # The stop sent everyone home in one go: the platform's counts are 0, exactly.
    db = Database(sqlite_url(tmp_path / "platform.sqlite3"))
    with db.read() as conn:
        counts = conn.execute(sa.select(rooms.c.id, rooms.c.viewer_count)).all()
        present = conn.execute(
            sa.select(sa.func.count()).where(room_members.c.present.is_(True))
        ).scalar_one()
    db.dispose()
    assert sorted(counts) == [(demo.room_id, 0), (new_room, 0)]
    assert present == 0


KILLED_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from flashbuy_desktop.composition.embedded import EmbeddedPlatform

    platform = EmbeddedPlatform(Path(sys.argv[1]), audience_viewers=int(sys.argv[2]))
    platform.start()
    assert platform.audience is not None and platform.audience.ready.wait(120)
    print("ready", flush=True)
    sys.stdin.read()  # until killed
    """
)


def test_a_demo_killed_with_its_audience_in_leaves_no_stale_viewers(tmp_path: Path) -> None:
    with subprocess.Popen(  # the first run ends without a word, as when killed
        [sys.executable, "-c", KILLED_RUN, str(tmp_path), "7"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as killed:
        try:
            assert killed.stdout is not None
            assert killed.stdout.readline().strip() == "ready"
        finally:
            killed.kill()
            killed.wait(TIMEOUT_S)
    platform = EmbeddedPlatform(tmp_path, audience_viewers=5)
    demo = platform.start()
    creator = _signed_in(platform)
    try:
        assert platform.audience is not None
        assert platform.audience.ready.wait(TIMEOUT_S)
        # Five, not the seven left behind plus five.
        room = creator.ok("GET", f"/rooms/{demo.room_id}")
        assert room["viewer_count"] == 5
        present = {v["id"] for v in creator.ok("GET", f"/rooms/{demo.room_id}/viewers")}
        assert present == set(platform.audience.present_ids())
    finally:
        platform.stop()
        creator.close()


FILE_LIMIT = textwrap.dedent(
    """
    import resource, sys
    from flashbuy_desktop.composition.embedded import open_files_for

    soft, hard = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    fits = open_files_for(int(sys.argv[3]))
    print(fits, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    """
)


@pytest.mark.parametrize(
    ("soft", "hard", "viewers", "fits", "raised_to"),
    [
        (256, 4_096, 1_000, 1_000, 2_256),  # raised as far as a thousand viewers need
        (256, 600, 1_000, 172, 600),  # the hard limit allows no more: fewer viewers
        (4_096, 4_096, 40, 40, 4_096),  # enough already: left as it is
    ],
)
def test_the_open_file_limit_is_raised_for_a_large_audience(
    soft: int, hard: int, viewers: int, fits: int, raised_to: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FILE_LIMIT, str(soft), str(hard), str(viewers)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    )
    assert done.stdout.split() == [str(fits), str(raised_to)]
    if fits < viewers:
        assert f"{fits} viewers instead of {viewers}" in done.stderr


@pytest.mark.parametrize("rate", [-1, COMMENT_RATE_MAX + 1])
def test_the_comment_rate_is_bounded(tmp_path: Path, rate: Any) -> None:
    with pytest.raises(ValueError, match="comment rate"):
        EmbeddedPlatform(tmp_path, comment_rate=rate)


def test_the_console_flag_and_the_platform_agree_on_the_rate() -> None:
    from flashbuy_desktop import __main__ as console_main
    from flashbuy_desktop.composition.embedded import DEFAULT_COMMENT_RATE

    assert console_main.AUDIENCE_RATE_MAX == COMMENT_RATE_MAX
    assert console_main.AUDIENCE_RATE_DEFAULT == DEFAULT_COMMENT_RATE

"""The console tells the platform's time from its answers, whatever this machine's clock says."""

from datetime import UTC, datetime, timedelta

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.server_clock import ServerClock, header_time
from tests.support import World

T0 = datetime(2026, 12, 7, 8, 0, 0, tzinfo=UTC)


def test_a_date_header_is_read_as_utc_and_nonsense_is_ignored() -> None:
    assert header_time("Mon, 07 Dec 2026 08:00:00 GMT") == T0
    assert header_time("Mon, 07 Dec 2026 16:00:00 +0800") == T0
    for bad in (
        None,
        "",
        "yesterday",
        "Mon, 99 Foo 2026 25:61:00 GMT",
        "Mon, 07 Dec 2026 08:00:00 -0000",
    ):
        assert header_time(bad) is None


def test_the_offset_is_the_median_of_round_trip_middles() -> None:
    local = T0 - timedelta(minutes=10)  # this machine is ten minutes behind
    clock = ServerClock(local=lambda: local)
    sent, received = local, local + timedelta(milliseconds=200)
    clock.observe("Mon, 07 Dec 2026 08:00:00 GMT", sent, received)
    # The answer left the platform in the second 08:00:00 names; its end is taken.
    assert clock.offset == timedelta(minutes=10, milliseconds=900)
    assert clock.now() == T0 + timedelta(milliseconds=900)
    # One slow, far-off answer does not move it; a run of them does.
    clock.observe("Mon, 07 Dec 2026 08:00:30 GMT", sent, received)
    clock.observe("Mon, 07 Dec 2026 08:00:00 GMT", sent, received)
    assert clock.offset == timedelta(minutes=10, milliseconds=900)
    # An answer that came back before it was sent (the clock was set back meanwhile) counts not.
    clock.observe("Mon, 07 Dec 2026 09:00:00 GMT", received, sent)
    assert clock.offset == timedelta(minutes=10, milliseconds=900)


def test_a_machine_ten_minutes_behind_still_knows_the_platform_s_time(world: World) -> None:
    behind = ServerClock(local=lambda: datetime.now(UTC) - timedelta(minutes=10))
    client = PlatformClient(world.platform.url, world.creator.token, server_clock=behind)
    try:
        client.room(world.room_id)
        assert abs(behind.now() - datetime.now(UTC)) < timedelta(seconds=2)
        assert abs(behind.offset - timedelta(minutes=10)) < timedelta(seconds=2)
    finally:
        client.close()

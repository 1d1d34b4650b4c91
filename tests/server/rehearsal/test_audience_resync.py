"""The rehearsal audience recovers when the platform comes back from an older copy of its data.

Its viewers had followed their streams past the events the restored platform still has;
they must neither stay silent (waiting for ids the room will reach with other events) nor
trust what they knew (a flash-buy id given out again is a new offer, not one they bought).
"""

from flashbuy_server.rehearsal import Audience, AudienceConfig
from tests.backup import restore_backup, take_backup
from tests.support import ProcessPlatform, make_world

VIEWERS = 4


def test_the_audience_follows_and_buys_again_after_a_restore(
    restartable: ProcessPlatform,
) -> None:
    # A ProcessPlatform has all make_world uses of a Platform (its url, db and clients).
    world = make_world(restartable, viewers=0)  # type: ignore[arg-type]
    crowd = Audience(
        AudienceConfig(
            server=restartable.server.url, room_id=world.room_id, viewers=VIEWERS,
            comment_rate=0, buy_probability=1.0, reaction_seconds=(0.0, 0.02), seed=11,
        )
    ).start()  # fmt: skip
    try:
        assert crowd.ready.wait(60)
        assert crowd.listening == VIEWERS
        backup = take_backup(restartable.db)  # every viewer is in the room
        lost = world.create_flashbuy(stock=VIEWERS, title="备份之后")
        assert crowd.wait_until(lambda a: a.stats.orders == VIEWERS)
        marker = len(crowd.invited)

        restartable.server.stop()
        restore_backup(restartable.db, backup)  # the offer and its orders are gone
        restartable.server.start()
        # Every viewer is told its place is gone before the room reuses the ids it saw: a
        # viewer that saw only the lost offer's first event, coming back once the new offer
        # has taken that id, cannot be told (event ids carry no copy of the database).
        assert crowd.wait_until(lambda a: a.stats.resyncs >= VIEWERS, timeout=60)
        fresh = world.create_flashbuy(stock=VIEWERS, title="恢复之后")
        assert fresh["id"] == lost["id"]  # the restored platform gives the id out again

        assert crowd.wait_until(lambda a: a.stats.orders == 2 * VIEWERS, timeout=60)
        buyers = world.creator.ok("GET", f"/flash-buys/{fresh['id']}/orders")
        assert sorted(o["viewer_id"] for o in buyers) == sorted(crowd.present_ids())
    finally:
        stats = crowd.stop()
    # Each viewer was offered the new flash-buy once: by its stream or by reading its offers.
    assert sorted(list(crowd.invited)[marker:]) == sorted(
        (viewer, fresh["id"]) for viewer in crowd.present_ids()
    )
    assert stats.errors == 0
    assert stats.refused == {}
    world.close()

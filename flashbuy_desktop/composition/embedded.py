"""The embedded default platform: the real server, in-process on 127.0.0.1, with the demo.

With no platform address configured the console starts this, so a new user sees
the whole flow at once: a demo shop and live room, a rehearsal audience commenting
and buying, and the console signed in as the demo creator.

The audience follows the demo creator's lives: when the seller ends the live and starts
another, the viewers leave the ended one and join the new one. When the console stops,
the viewers are sent home in one transaction (a thousand leave requests would hold up the
quit for seconds); a run that ended without that (killed) has its viewers sent home at
the next start, so the count always starts from the audience now joining.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from flashbuy_server.config import Settings, sqlite_url
from flashbuy_server.openfiles import open_files
from flashbuy_server.rehearsal import (
    Audience,
    AudienceConfig,
    DemoInfo,
    live_room,
    post_comments,
    prepare_demo,
    send_audience_home,
)
from flashbuy_server.server import ServerThread
from flashbuy_server.throttle import rehearsal_settings

log = logging.getLogger(__name__)

DEFAULT_COMMENT_RATE = 3.0  # comments per second from the whole rehearsal audience
COMMENT_RATE_MAX = 2_000.0  # a real flood, which the console's comment list is built for
BUY_PROBABILITY = 0.25  # of a viewer offered a piece (a targeted offer's viewer)
BUYERS_PER_OFFER = 20.0  # about this many race for one full offer, however large the room
STOP_GRACE_SECONDS = 0.5  # at the quit, what the audience still has under way may finish
# Each viewer holds its event stream open: two sockets in this process (the audience's end
# and the platform's). Besides them the console needs files and sockets of its own.
FILES_PER_VIEWER = 2
FILES_BESIDES = 256


def open_files_for(viewers: int) -> int:
    """How many viewers this process can hold, raising its open-file limit if it must.

    Many systems start a program with a soft limit of 1,024 (macOS: 256) open files and
    allow more on request, up to the hard limit. Where even that is too low, fewer
    viewers come, and the log says why.
    """
    wanted = viewers * FILES_PER_VIEWER + FILES_BESIDES
    soft = open_files(wanted)
    if soft is None or soft >= wanted:
        return viewers
    fits = max(0, (soft - FILES_BESIDES) // FILES_PER_VIEWER)
    log.warning(
        "rehearsal audience: %d viewers instead of %d, as this system allows %d open files",
        fits,
        viewers,
        soft,
    )
    return fits


@dataclass
class EmbeddedPlatform:
    """The platform and (optionally) its audience, started and stopped together."""

    data_dir: Path
    audience_viewers: int = 40
    comment_rate: float = DEFAULT_COMMENT_RATE
    server: ServerThread | None = None
    audience: Audience | None = None
    demo: DemoInfo | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.comment_rate <= COMMENT_RATE_MAX:
            raise ValueError(f"the comment rate is from 0 to {COMMENT_RATE_MAX:.0f} per second")

    @property
    def url(self) -> str:
        assert self.server is not None, "not started"
        return self.server.url

    def start(self) -> DemoInfo:
        """Start serving and prepare the demo (blocking: call it off the GUI thread)."""
        # The rehearsal audience joins from 127.0.0.1 as fast as a crowd: past the limit
        # the platform sets for one address (it serves on 127.0.0.1 alone).
        settings = rehearsal_settings(
            Settings(database_url=sqlite_url(self.data_dir / "platform.sqlite3"))
        )
        self.server = ServerThread(settings).start()
        db = self.server.app.state.db
        self.demo = prepare_demo(db)
        stale = send_audience_home(db, self.demo.creator_id)
        if stale:
            log.info("%d viewers of an earlier run left the demo rooms", stale)
        if self.audience_viewers:
            self.start_audience()
        return self.demo

    def start_audience(self) -> None:
        """Let the rehearsal audience into the demo live (no-op if it is there)."""
        if self.audience is not None or self.server is None or self.demo is None:
            return
        db, creator_id = self.server.app.state.db, self.demo.creator_id
        viewers = open_files_for(max(self.audience_viewers, 1))
        self.audience = Audience(
            AudienceConfig(
                server=self.server.url,
                room_id=self.demo.room_id,
                viewers=viewers,
                comment_rate=self.comment_rate,
                buy_probability=BUY_PROBABILITY,
                buyers_per_offer=BUYERS_PER_OFFER,
                leave_on_stop=False,  # sent home at once by stop_audience
                stop_grace=STOP_GRACE_SECONDS,
            ),
            next_live=lambda _ended: live_room(db, creator_id),
            post_comments=lambda room_id, said: post_comments(db, room_id, said),
        ).start()

    def stop_audience(self) -> None:
        """Send the rehearsal audience home."""
        if self.audience is None:
            return
        self.audience.stop()
        self.audience = None
        if self.server is not None and self.demo is not None:
            send_audience_home(self.server.app.state.db, self.demo.creator_id)

    def stop(self) -> None:
        """Stop the audience and the platform (blocking)."""
        self.stop_audience()
        if self.server is not None:
            self.server.stop()
            self.server = None

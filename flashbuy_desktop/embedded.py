"""The embedded default platform: the real server, in-process on 127.0.0.1, with the demo.

With no platform address configured the console starts this, so a new user sees
the whole flow at once: a demo shop and live room, a rehearsal audience commenting
and buying, and the console signed in as the demo creator.
"""

from dataclasses import dataclass
from pathlib import Path

from flashbuy_server.audience import Audience, AudienceConfig
from flashbuy_server.config import Settings, sqlite_url
from flashbuy_server.demo import DemoInfo, prepare_demo
from flashbuy_server.server import ServerThread


@dataclass
class EmbeddedPlatform:
    """The platform and (optionally) its audience, started and stopped together."""

    data_dir: Path
    audience_viewers: int = 40
    server: ServerThread | None = None
    audience: Audience | None = None
    demo: DemoInfo | None = None

    @property
    def url(self) -> str:
        assert self.server is not None, "not started"
        return self.server.url

    def start(self) -> DemoInfo:
        """Start serving and prepare the demo (blocking: call it off the GUI thread)."""
        settings = Settings(database_url=sqlite_url(self.data_dir / "platform.sqlite3"))
        self.server = ServerThread(settings).start()
        self.demo = prepare_demo(self.server.app.state.db)
        if self.audience_viewers:
            self.start_audience()
        return self.demo

    def start_audience(self) -> None:
        """Let the rehearsal audience into the demo live (no-op if it is there)."""
        if self.audience is not None or self.server is None or self.demo is None:
            return
        self.audience = Audience(
            AudienceConfig(
                server=self.server.url,
                room_id=self.demo.room_id,
                viewers=max(self.audience_viewers, 1),
                comment_rate=3.0,
                buy_probability=0.25,
            )
        ).start()

    def stop_audience(self) -> None:
        """Send the rehearsal audience home."""
        if self.audience is not None:
            self.audience.stop()
            self.audience = None

    def stop(self) -> None:
        """Stop the audience and the platform (blocking)."""
        self.stop_audience()
        if self.server is not None:
            self.server.stop()
            self.server = None

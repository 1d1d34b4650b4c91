"""A clock for a platform under test (``Settings.clock``): it stands still until moved."""

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """The platform's time, standing still until a test moves it on."""

    def __init__(self) -> None:
        self._now = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move on by ``seconds``."""
        with self._lock:
            self._now += timedelta(seconds=seconds)

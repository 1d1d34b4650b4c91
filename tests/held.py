"""A function held on a latch, to see how many calls of it run at once."""

import threading
from collections.abc import Callable
from typing import Any


class Held:
    """Wraps ``real``: each call waits for :attr:`release`, counting the calls under way.

    :meth:`arrive` counts something a test waits for besides (a body read, a request at
    a gate); every count notifies :attr:`changed`, so a test waits on it, never sleeps.
    """

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.changed = threading.Condition()
        self.release = threading.Event()
        self.arrived = 0
        self.running = 0
        self.peak = 0

    def call(self, *args: Any) -> Any:
        with self.changed:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.changed.notify_all()
        try:
            assert self.release.wait(60), "never released"
            return self.real(*args)
        finally:
            with self.changed:
                self.running -= 1

    def arrive(self) -> None:
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()

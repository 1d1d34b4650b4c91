"""At most a few of a costly job at once: the others wait their turn, holding only their input.

Unpacking a problem report or decoding a picture takes a worker thread and tens of MB
while it runs; the thread pool alone (40 threads) would let 40 run at once. Each kind of
job gets its own :class:`Slots` per app.
"""

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.concurrency import run_in_threadpool

T = TypeVar("T")


class Slots:
    """Runs a job on a worker thread once one of ``size`` slots is free.

    The counters say who is where (the tests read them).
    """

    def __init__(self, size: int) -> None:
        self._free = asyncio.Semaphore(size)
        self.running = 0  # jobs on a worker thread now
        self.waiting = 0  # jobs waiting for a slot

    async def run(self, job: Callable[..., T], *args: Any) -> T:
        """``job(*args)`` on a worker thread, once a slot is free."""
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            return await run_in_threadpool(job, *args)
        finally:
            self.running -= 1
            self._free.release()


def slots_of(app: Any, name: str, size: int) -> Slots:
    """The app's slots called ``name``, made on first use (asyncio's locks bind to the loop
    that waits on them, so they cannot be made before the app serves)."""
    slots: Slots | None = getattr(app.state, name, None)
    if slots is None:
        slots = Slots(size)
        setattr(app.state, name, slots)
    return slots

"""One small helper for work off the GUI thread: run, on success, on failure, cancel-on-restart.

Every HTTP call, screen grab and encode goes through :class:`Tasks`. The work runs
on a QThreadPool; its result comes back to the GUI thread by a queued signal, where
the callbacks run, so callbacks may touch widgets and the work never does; a window
uses :meth:`Tasks.scoped` so that answers arriving after it closed are dropped. Starting
a task under a ``key`` that already has one running makes the older one's result
be dropped (the "retake" pattern): only the newest answer is shown.
"""

import logging
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Relay(QObject):
    """Carries a task's outcome from the pool thread to the GUI thread."""

    done = Signal(object, object)  # (result, exception or None)


class _Job(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # every failure reaches on_failure, none vanishes
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._deliver(None, exc)
        else:
            self._deliver(result, None)

    def _deliver(self, result: object, error: Exception | None) -> None:
        try:
            self._relay.done.emit(result, error)
        except RuntimeError:
            # The relay went with the Tasks that owned it (its window closed, the console
            # quit): nobody is left to answer, which is what scoping means.
            log.debug("a task finished after its owner was deleted: %s", error or "ok")


class Tasks(QObject):
    """Runs callables on a thread pool and calls back on the GUI thread."""

    failed = Signal(object)  # every exception no on_failure handled, for the one error sink

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        # The application's pool by default: it lives as long as the application, so no
        # answer can ever arrive at a pool that was deleted with some window.
        self.pool = pool or QThreadPool.globalInstance()
        self._generation: dict[str, int] = {}
        self._relays: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Run ``work`` off the GUI thread; then ``on_success(result)`` or ``on_failure(exc)``."""
        generation = None
        if key is not None:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object, object)
        def finished(result: Any, error: Exception | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if not shiboken6.isValid(self):
                return  # the window these callbacks belong to is gone
            if key is not None and self._generation.get(key) != generation:
                return  # a newer task under this key has replaced this one
            if error is None:
                if on_success is not None:
                    on_success(result)
            elif on_failure is not None:
                on_failure(error)
            else:
                log.error("background task failed: %s", getattr(error, "__traceback_text__", error))
                self.failed.emit(error)

        relay.done.connect(finished)
        self.pool.start(_Job(work, relay))

    def scoped(self, owner: QObject) -> "Tasks":
        """Tasks on the same pool whose callbacks die with ``owner`` (a window, say)."""
        return Tasks(owner, self.pool)

    def cancel(self, key: str) -> None:
        """Drop the result of the task running under ``key``, if any."""
        self._generation[key] = self._generation.get(key, 0) + 1

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running work to finish (at shutdown and in tests)."""
        return bool(self.pool.waitForDone(msecs))

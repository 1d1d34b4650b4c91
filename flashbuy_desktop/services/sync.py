"""The room's live events, read on a worker thread and delivered on the GUI thread.

:class:`RoomSync` owns an :class:`EventStream` on a plain thread. The stream calls
back on that thread; the callbacks only emit signals of a QObject that lives on
the GUI thread, which Qt therefore delivers queued: widgets are touched on the GUI
thread only.
"""

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream, StreamState
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Event


class RoomSync(QObject):
    """Starts, stops and relays one room's event stream."""

    eventArrived = Signal(object)  # Event (never a comment), in order, each once
    stateChanged = Signal(str, str)  # StreamState value, reason
    # The platform no longer has events already delivered (it was restored from an older
    # copy of its database): what they built is suspect and must be read again. The
    # stream goes on by itself from the platform's newest event.
    resyncNeeded = Signal()

    def __init__(
        self,
        client: PlatformClient,
        parent: QObject | None = None,
        *,
        comments: Callable[[Event], None],
    ) -> None:
        """``comments`` takes comment events on the reader thread (a flood of them would
        otherwise be queued to the GUI thread one by one); the rest come as signals, so a
        comment never reaches :attr:`eventArrived`."""
        super().__init__(parent)
        self.client = client
        self._comments = comments
        self._stream: EventStream | None = None
        self._thread: threading.Thread | None = None

    @property
    def last_event_id(self) -> int:
        """The newest event delivered so far."""
        return self._stream.last_id if self._stream else 0

    def start(self, room_id: int, after: int) -> None:
        """Follow ``room_id`` from after event ``after`` (stops any previous room)."""
        self.stop()
        self._stream = EventStream(
            self.client,
            room_id,
            after=after,
            on_event=self._deliver,
            on_state=lambda state, why: self.stateChanged.emit(state.value, why),
            on_reset=lambda _newest: self.resyncNeeded.emit(),
        )
        self._thread = threading.Thread(target=self._stream.run, name="room-events", daemon=True)
        self._thread.start()

    def _deliver(self, event: Event) -> None:
        # On the reader thread.
        if event.type is EventType.COMMENT_POSTED:
            self._comments(event)
        else:
            self.eventArrived.emit(event)

    def stop(self) -> None:
        """Stop following (waits for the reader thread to end)."""
        if self._stream is not None:
            self._stream.stop()
        if self._thread is not None:
            self._thread.join(10)
        self._stream = None
        self._thread = None


__all__ = ["Event", "RoomSync", "StreamState"]

"""Reading a room's event stream without losing anything, whatever the network does.

:class:`EventStream` runs in a worker thread: it connects, hands every event to a
callback, and after any drop (network, platform restart) reconnects with
``Last-Event-ID`` so the platform replays exactly what was missed. The read
timeout is longer than the platform's heartbeat, so a silently dead connection
is noticed and replaced. A platform that never had the id the stream resumes
after (restored from an older copy of its database) refuses it with its newest
id: the stream follows from there and says so (``on_reset``), because whatever
its owner shows came from the other copy and must be read again.

An event of a type this console does not know (a newer platform's) is passed over, and the
stream's resume point moves past it: nothing here could act on it, and a reconnect must not
bring it back.
"""

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable
from enum import StrEnum

import requests
from pydantic import ValidationError

from flashbuy_desktop.api.client import CONNECT_TIMEOUT, PlatformClient, PlatformError, _refusal
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.event_payloads import EventPayload, payload
from flashbuy_protocol.models import Event
from flashbuy_protocol.sse import CONNECTED_LINE, SseDecoder, SseMessage

log = logging.getLogger(__name__)

READ_TIMEOUT = 40.0  # the platform sends a heartbeat every 15 s
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 5.0


class StreamState(StrEnum):
    """What the console's connection indicator shows."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"  # refused for good (signed out, room gone): no more retries
    STOPPED = "stopped"


class EventStream:
    """A creator's room stream that resumes after every drop until :meth:`stop`."""

    def __init__(
        self,
        client: PlatformClient,
        room_id: int,
        *,
        after: int = 0,
        on_event: Callable[[Event], None],
        on_state: Callable[[StreamState, str], None] = lambda _s, _m: None,
        on_reset: Callable[[int], None] = lambda _newest: None,
    ) -> None:
        """``on_reset(newest)``: the platform's room ends before what this stream had seen;
        it goes on after ``newest``, and what was shown from the earlier events is suspect."""
        self.client = client
        self.room_id = room_id
        self.last_id = after
        self._on_event = on_event
        self._on_state = on_state
        self._on_reset = on_reset
        self._stopping = threading.Event()
        self._response: requests.Response | None = None
        self._lock = threading.Lock()
        self._passed_over: set[str] = set()

    def run(self) -> None:
        """Read until stopped (blocking: call it on a worker thread)."""
        backoff = BACKOFF_FIRST
        self._on_state(StreamState.CONNECTING, "")
        while not self._stopping.is_set():
            try:
                self._read_once()
                backoff = BACKOFF_FIRST  # a stream that ended cleanly reconnects at once
                reason = "the platform closed the stream"
            except PlatformError as refused:
                if refused.status in (401, 403, 404):
                    self._on_state(StreamState.OFFLINE, refused.message)
                    return
                newest = _newest_event_id(refused)
                if newest is not None:
                    # Waiting for the room to reach our id would skip everything before
                    # it; follow from the platform's newest instead.
                    self.last_id = newest
                    self._on_reset(newest)
                reason = refused.message
            except (requests.RequestException, OSError, ValueError) as exc:
                reason = str(exc) or type(exc).__name__
            if self._stopping.is_set():
                break
            self._on_state(StreamState.RECONNECTING, reason)
            self._stopping.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
        self._on_state(StreamState.STOPPED, "")

    def _read_once(self) -> None:
        headers = {"Accept": "text/event-stream", "Last-Event-ID": str(self.last_id)}
        resp = self.client.session.get(
            f"{self.client.api}/rooms/{self.room_id}/events",
            headers=headers,
            stream=True,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        )
        with self._lock:
            self._response = resp
        try:
            if resp.status_code != 200:
                raise _refusal(resp)
            decoder = SseDecoder()
            for raw in resp.iter_lines(decode_unicode=False):
                if self._stopping.is_set():
                    return
                line = raw.decode("utf-8")
                if line == CONNECTED_LINE:
                    self._on_state(StreamState.CONNECTED, "")
                message = decoder.feed_line(line)
                if message is None:
                    continue
                try:
                    event = Event.model_validate(json.loads(message.data))
                except (ValueError, ValidationError):
                    self._pass_over(message)
                    continue
                if event.id <= self.last_id:
                    continue  # never deliver an event twice
                self.last_id = event.id
                self._on_event(event)
        finally:
            with self._lock:
                self._response = None
            resp.close()

    def _pass_over(self, message: SseMessage) -> None:
        """A frame this console does not understand: keep reading, and resume after it."""
        if message.event not in self._passed_over:  # once per kind: a flood must not fill the log
            self._passed_over.add(message.event)
            log.info(
                "passing over events %r (first: %s): not understood", message.event, message.id
            )
        if message.id is not None and message.id.isdigit() and int(message.id) > self.last_id:
            self.last_id = int(message.id)

    def stop(self) -> None:
        """End :meth:`run` soon, from any thread: closes the connection under its read."""
        self._stopping.set()
        with self._lock:
            resp = self._response
        if resp is not None:
            _shutdown(resp)


def understood(event: Event) -> EventPayload | None:
    """The event's data as its type's model, or None (logged) when it is not that model.

    The console never guesses at data it does not understand: a reader skips the event.
    """
    try:
        return payload(event)
    except ValidationError:
        log.warning("event %s (%s) was not understood", event.id, event.type)
        return None


def _newest_event_id(refused: PlatformError) -> int | None:
    """The room's newest event id, if the platform refused a resume point beyond it."""
    if refused.code != ErrorCode.EVENT_ID_UNKNOWN:
        return None
    newest = refused.details.get("last_event_id")
    return newest if isinstance(newest, int) and newest >= 0 else None


def _shutdown(resp: requests.Response) -> None:
    # Closing a response from another thread does not wake a blocked read; shutting
    # the socket down does.
    connection = getattr(resp.raw, "_connection", None)  # where urllib3 keeps it
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

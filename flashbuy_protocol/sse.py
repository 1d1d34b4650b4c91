"""Server-Sent Events framing, shared by the platform (encoding) and its clients (decoding).

Kept free of any HTTP library so the console's requests-based reader and the
rehearsal audience's asyncio reader parse a stream the same way.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SseMessage:
    """One dispatched event: its id (as sent), type and data."""

    id: str | None
    event: str
    data: str


def encode(event_id: int, event: str, data: str) -> bytes:
    """One SSE message; ``data`` must be a single line (compact JSON is)."""
    if "\n" in data or "\r" in data:
        raise ValueError("SSE data must be one line")
    return f"id: {event_id}\nevent: {event}\ndata: {data}\n\n".encode()


# Comments (lines starting ":") a stream sends besides its events; a reader skips them. The
# first says the stream is live (the platform sends it before any event, so a client waiting
# for it knows it can no longer miss what comes next); the heartbeat keeps a quiet stream from
# being taken for a dead one.
CONNECTED_LINE = ": connected"
CONNECTED = f"{CONNECTED_LINE}\n\n".encode()
HEARTBEAT = b": keep-alive\n\n"


class SseDecoder:
    """Incremental parser: feed it lines (without line ends), get messages as they complete.

    Follows the WHATWG rules that matter here: ``id``, ``event``, ``data`` (joined
    by newlines), comments and blank-line dispatch; ``retry`` and unknown fields
    are ignored.
    """

    def __init__(self) -> None:
        self.last_event_id: str | None = None
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None

    def feed_line(self, line: str) -> SseMessage | None:
        """Take one line; return a message when this blank line completes one."""
        if line == "":
            if not self._data:
                self._event, self._id = "", None
                return None
            message = SseMessage(
                id=self._id if self._id is not None else self.last_event_id,
                event=self._event or "message",
                data="\n".join(self._data),
            )
            self._event, self._data, self._id = "", [], None
            return message
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._id = value
            self.last_event_id = value
        return None

    def feed(self, lines: Iterable[str]) -> Iterator[SseMessage]:
        """Messages completed by ``lines``."""
        for line in lines:
            message = self.feed_line(line.rstrip("\r\n"))
            if message is not None:
                yield message

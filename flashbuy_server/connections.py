"""How long a connection may take to say what it wants, and how many may be open at once.

uvicorn closes a connection that idles *between* requests (``timeout_keep_alive``), but
has no timer while a request's headers or body arrive: a client that dribbles one byte
every few seconds holds its connection, a socket and a buffer for good, and a few
thousand such clients exhaust the process. uvicorn's own connection cap
(``limit_concurrency``) answers in plain text and only once the headers are in.

:func:`guarded_protocol` makes uvicorn's HTTP protocol class with three more limits:

- the headers of a request must be complete within ``header_seconds`` of the connection
  opening, or of the request's first byte on a kept-alive connection, and be at most
  ``header_bytes`` long with the request line;
- once the headers are in, body bytes must keep coming: never ``body_idle_seconds``
  without one, and the whole body within ``body_seconds``. Time the platform itself
  is not reading (uvicorn stops reading while a handler is busy) does not count;
- at most ``max_connections`` connections are open; the next one is answered 503 and
  closed at once, before it is parsed.

A refusal is the platform's one error shape (408 ``REQUEST_TIMEOUT``, 431
``HEADERS_TOO_LARGE``, 503 ``SERVER_BUSY``), written straight to the socket, and the
connection is closed.
"""

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.errors import ApiError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionLimits:
    """The limits every connection is held to (``Settings`` says them for a deployment)."""

    header_seconds: float = 10.0
    header_bytes: int = 64 * 1024  # the request line and every header together
    body_idle_seconds: float = 15.0
    body_seconds: float = 120.0
    max_connections: int = 10_000


_REASONS = {
    408: b"Request Timeout",
    431: b"Request Header Fields Too Large",
    503: b"Service Unavailable",
}


def _raw_response(error: ApiError) -> bytes:
    """A complete HTTP/1.1 response with the error's JSON body that closes the connection."""
    body = json.dumps(error.body(), ensure_ascii=False).encode()
    head = (
        b"HTTP/1.1 %d %s\r\n" % (error.status, _REASONS[error.status])
        + b"content-type: application/json\r\n"
        + b"content-length: %d\r\n" % len(body)
        + b"connection: close\r\n\r\n"
    )
    return head + body


def guarded_protocol(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, held to ``limits`` (pass it as ``Config(http=...)``)."""

    class GuardedProtocol(HttpToolsProtocol):
        """One client connection, with deadlines for its headers and its body."""

        held_to = limits

        _deadline: asyncio.TimerHandle | None = None
        _body_started = 0.0
        _header_bytes = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections:
                log.warning("refusing a connection: %d are open", len(self.connections) - 1)
                self._refuse(
                    ApiError(
                        ErrorCode.SERVER_BUSY,
                        "the platform has too many open connections; try again in a moment",
                        retry_after_seconds=1,
                    )
                )
                return
            self._arm(limits.header_seconds, self._headers_late)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._header_bytes = 0
            if self._deadline is None:  # a new request on a kept-alive connection
                self._arm(limits.header_seconds, self._headers_late)

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            self._count_header_bytes(len(url))

        def on_header(self, name: bytes, value: bytes) -> None:
            super().on_header(name, value)
            self._count_header_bytes(len(name) + len(value) + 4)

        def _count_header_bytes(self, size: int) -> None:
            # llhttp sets no limit of its own: uvicorn would keep every header it is sent.
            self._header_bytes += size
            if self._header_bytes > limits.header_bytes and not self.transport.is_closing():
                self._disarm()
                self._refuse(
                    ApiError(
                        ErrorCode.HEADERS_TOO_LARGE,
                        f"the request line and headers are over {limits.header_bytes} bytes",
                        max_bytes=limits.header_bytes,
                    )
                )

        def on_headers_complete(self) -> None:
            self._disarm()
            if self.transport.is_closing():
                return  # refused while its headers arrived: no request to run
            super().on_headers_complete()
            cycle = self.cycle
            if cycle is not None and cycle.more_body and not cycle.response_complete:
                self._body_started = self.loop.time()
                self._arm(limits.body_idle_seconds, self._body_late)

        def on_body(self, body: bytes) -> None:
            super().on_body(body)
            if self._deadline is not None:
                self._arm(self._body_wait(), self._body_late)

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        def on_response_complete(self) -> None:
            self._disarm()  # answered without reading all of the body: nothing to wait for
            super().on_response_complete()

        # -- deadlines ---------------------------------------------------------------------

        def _body_wait(self) -> float:
            """Seconds until the next body byte is due: the idle limit or the whole-body one."""
            left = limits.body_seconds - (self.loop.time() - self._body_started)
            return max(0.0, min(limits.body_idle_seconds, left))

        def _arm(self, seconds: float, then: Callable[[], None]) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(seconds, then)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _headers_late(self) -> None:
            self._deadline = None
            self._refuse(
                ApiError(
                    ErrorCode.REQUEST_TIMEOUT,
                    f"the request's headers did not arrive within {limits.header_seconds:g} s",
                    timeout_seconds=limits.header_seconds,
                )
            )

        def _body_late(self) -> None:
            self._deadline = None
            if self.flow.read_paused:
                # We are not reading (the handler is busy): the client cannot be late.
                self._body_started += limits.body_idle_seconds
                self._arm(limits.body_idle_seconds, self._body_late)
                return
            cycle = self.cycle
            if cycle is not None and cycle.response_started:
                self.transport.close()  # the answer is on its way; it cannot become a 408
                return
            self._refuse(
                ApiError(
                    ErrorCode.REQUEST_TIMEOUT,
                    "the request's body arrived too slowly (at most "
                    f"{limits.body_idle_seconds:g} s without data, "
                    f"{limits.body_seconds:g} s in all)",
                    idle_seconds=limits.body_idle_seconds,
                    timeout_seconds=limits.body_seconds,
                )
            )

        def _refuse(self, error: ApiError) -> None:
            if not self.transport.is_closing():
                self.transport.write(_raw_response(error))
                self.transport.close()

    return GuardedProtocol

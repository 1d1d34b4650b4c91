"""HTTP/1.1 by hand over a socket, as an attacker sends it: headers that promise more than
arrives, bodies in dribbles, connections held open. requests cannot stop half-way."""

import json
import socket
from dataclasses import dataclass
from typing import Any


@dataclass
class RawResponse:
    """What the platform answered on a raw connection."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def connect(url: str, timeout: float = 30.0) -> socket.socket:
    """A TCP connection to the platform at ``url`` (http://host:port)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    return sock


def head(method: str, path: str, headers: dict[str, str]) -> bytes:
    """The request line and headers of a request, ready to send."""
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_response(sock: socket.socket) -> RawResponse:
    """One response from ``sock`` (blocking up to the socket's timeout)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {data!r}")
        data += chunk
    header_block, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = header_block.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return RawResponse(int(status_line.split()[1]), headers, rest[:length])


def closed_after(sock: socket.socket) -> bool:
    """Whether the platform closes the connection: True as soon as it does, False if it is
    still open after 5 s (call it only where a close is expected)."""
    previous = sock.gettimeout()
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except (TimeoutError, BlockingIOError):
        return False
    except ConnectionResetError:
        return True
    finally:
        sock.settimeout(previous)

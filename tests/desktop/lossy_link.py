"""A link to the real platform that can lose what is sent back, or everything: a small HTTP relay.

Each request is read whole, then (by the rule for its path) relayed to the platform with its
answer sent back, relayed with its answer lost (the connection closes after the platform did
the work: "the answer was lost on the way back"), or not relayed at all (the platform is
unreachable). The relay counts what reached the platform, and the Idempotency-Key each came
with, so a test counts at the platform's door, not calls to a mock.
"""

import http.client
import socket
import threading
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit


class Fate(Enum):
    """What the link does with one request."""

    DELIVER = "deliver"
    LOSE_ANSWER = "lose answer"  # the platform does the work; its answer never comes back
    UNREACHABLE = "unreachable"  # the request never reaches the platform


@dataclass
class Seen:
    """One request the link read: its method, path, key, and whether it reached the platform."""

    method: str
    path: str
    key: str
    reached: bool


@dataclass
class LossyLink:
    """Relays 127.0.0.1:<port> to ``upstream``; ``rules`` decide each request's fate."""

    upstream: str
    # (method, path suffix) -> fates of the next requests matching it, in order; then DELIVER
    rules: dict[tuple[str, str], list[Fate]] = field(default_factory=dict)
    # (method, path suffix) -> the fate of every request matching it once ``rules`` ran out
    standing: dict[tuple[str, str], Fate] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)  # to notice close()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        parts = urlsplit(self.upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, name="lossy-link", daemon=True)
        self._accepting.start()

    def always(self, method: str, suffix: str, fate: Fate) -> None:
        """Every request matching from now on meets ``fate`` (until changed)."""
        with self._lock:
            self.standing[(method, suffix)] = fate

    def next(self, method: str, suffix: str, *fates: Fate) -> None:
        """The next requests matching meet ``fates``, one each; then they are delivered."""
        with self._lock:
            self.rules[(method, suffix)] = list(fates)

    def heal(self) -> None:
        """Deliver everything from now on."""
        with self._lock:
            self.rules.clear()
            self.standing.clear()

    def reached(self, method: str, suffix: str) -> list[Seen]:
        """The requests matching that reached the platform, in order."""
        with self._lock:
            return [
                s for s in self.seen if s.reached and s.method == method and s.path.endswith(suffix)
            ]

    def keys(self, method: str, suffix: str) -> list[str]:
        """The Idempotency-Keys of every request matching the link read, reached or not."""
        with self._lock:
            return [s.key for s in self.seen if s.method == method and s.path.endswith(suffix)]

    def close(self) -> None:
        self._stop.set()
        self._accepting.join(30)
        for thread in self._threads:
            thread.join(30)
        self._listener.close()

    # --- relaying -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _fate(self, method: str, path: str) -> Fate:
        with self._lock:
            for (m, suffix), fates in self.rules.items():
                if m == method and path.split("?")[0].endswith(suffix) and fates:
                    return fates.pop(0)
            for (m, suffix), fate in self.standing.items():
                if m == method and path.split("?")[0].endswith(suffix):
                    return fate
        return Fate.DELIVER

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            request = _read_request(conn)
            if request is None:
                return
            method, path, headers, body = request
            fate = self._fate(method, path)
            seen = Seen(
                method, path, headers.get("idempotency-key", ""), fate is not Fate.UNREACHABLE
            )
            with self._lock:
                self.seen.append(seen)
            if fate is Fate.UNREACHABLE:
                return  # closed unanswered, as a connection refused or reset would be
            upstream = http.client.HTTPConnection(self._host, self._port, timeout=30)
            try:
                forwarded = {k: v for k, v in headers.items() if k not in ("connection", "host")}
                upstream.request(method, path, body=body, headers=forwarded)
                answer = upstream.getresponse()
                data = answer.read()
                kept = [
                    (k, v)
                    for k, v in answer.getheaders()
                    if k.lower() not in ("connection", "content-length", "transfer-encoding")
                ]
            finally:
                upstream.close()
            if fate is Fate.LOSE_ANSWER:
                return  # the platform has done it; the answer is lost on the way back
            head = [f"HTTP/1.1 {answer.status} {answer.reason}"]
            head += [f"{k}: {v}" for k, v in kept]
            head += [f"Content-Length: {len(data)}", "Connection: close"]
            conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str], bytes] | None:
    raw = b""
    while b"\r\n\r\n" not in raw:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return method, path, headers, body

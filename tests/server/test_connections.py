"""Stalled clients are closed, and a flood of connections is turned away, not queued.

Ten connections dribbling headers or a body used to be all still open after 30 s. Each
test runs a platform of its own with short limits (on each database, though the
limits live below it), and holds its connections over raw sockets as an attacker does.
"""

import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import requests
import uvicorn

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server import server as server_module
from flashbuy_server.app import create_app
from flashbuy_server.config import Settings
from flashbuy_server.connections import ConnectionLimits
from flashbuy_server.server import ServerThread
from tests.server.rawhttp import closed_after, connect, head, read_response

LIMITS = ConnectionLimits(
    header_seconds=0.5, body_idle_seconds=0.5, body_seconds=2.0, max_connections=6
)


@pytest.fixture
def server(database_url: str) -> Iterator[ServerThread]:
    platform = ServerThread(Settings(database_url=database_url, connections=LIMITS)).start()
    yield platform
    platform.stop()
    platform.app.state.db.dispose()


def _refusal(sock: socket.socket, code: ErrorCode, status: int) -> dict[str, object]:
    response = read_response(sock)
    assert response.status == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code
    assert closed_after(sock)
    details: dict[str, object] = body["error"]["details"]
    return details


def test_a_connection_that_never_sends_its_headers_is_closed(server: ServerThread) -> None:
    with connect(server.url) as silent, connect(server.url) as dribbling:
        dribbling.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 1")  # and nothing more
        started = time.monotonic()
        assert _refusal(silent, ErrorCode.REQUEST_TIMEOUT, 408) == {"timeout_seconds": 0.5}
        _refusal(dribbling, ErrorCode.REQUEST_TIMEOUT, 408)
        assert time.monotonic() - started < 30  # closed by the platform, not by the test


def test_headers_dribbled_a_byte_at_a_time_are_cut_off(server: ServerThread) -> None:
    request = head("GET", "/api/v1/health", {"X-Filler": "x" * 200})
    with connect(server.url) as sock:
        # A byte every 50 ms keeps the connection busy but never completes the headers
        # within 0.5 s: the deadline runs from the first byte, it is not reset by each.
        for byte in request[:40]:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break  # closed on us: that is the point
            time.sleep(0.05)  # the attacker's pace, not a wait for the platform
        _refusal(sock, ErrorCode.REQUEST_TIMEOUT, 408)


def test_a_kept_alive_connection_has_a_deadline_for_each_request(server: ServerThread) -> None:
    with connect(server.url) as sock:
        sock.sendall(head("GET", "/api/v1/health", {}))
        assert read_response(sock).status == 200
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\n")  # the second request stalls
        _refusal(sock, ErrorCode.REQUEST_TIMEOUT, 408)


def test_a_body_that_stops_arriving_is_refused(server: ServerThread) -> None:
    with connect(server.url) as sock:
        sock.sendall(
            head(
                "POST",
                "/api/v1/auth/sign-in",
                {"Content-Type": "application/json", "Content-Length": "100"},
            )
            + b'{"username": "'
        )
        details = _refusal(sock, ErrorCode.REQUEST_TIMEOUT, 408)
        assert details == {"idle_seconds": 0.5, "timeout_seconds": 2.0}


def test_a_body_dribbled_slower_than_the_whole_body_deadline_is_refused(
    server: ServerThread,
) -> None:
    with connect(server.url) as sock:
        sock.sendall(
            head(
                "POST",
                "/api/v1/auth/sign-in",
                {"Content-Type": "application/json", "Content-Length": "1000"},
            )
        )
        started = time.monotonic()
        # A byte every 0.2 s never idles 0.5 s, yet 1000 bytes would take 200 s.
        try:
            while time.monotonic() - started < 10:
                sock.sendall(b" ")
                time.sleep(0.2)  # the attacker's pace, not a wait for the platform
        except OSError:
            pass  # closed on us
        _refusal(sock, ErrorCode.REQUEST_TIMEOUT, 408)
        assert time.monotonic() - started < 10


def test_a_slow_but_steady_request_still_goes_through(server: ServerThread) -> None:
    body = json.dumps({"username": "nobody-here", "password": "not-this"}).encode()
    with connect(server.url) as sock:
        sock.sendall(
            head(
                "POST",
                "/api/v1/auth/sign-in",
                {"Content-Type": "application/json", "Content-Length": str(len(body))},
            )
        )
        for start in range(0, len(body), 10):  # a poor uplink: within every limit
            sock.sendall(body[start : start + 10])
            time.sleep(0.1)
        response = read_response(sock)
    assert response.status == 401
    assert response.json()["error"]["code"] == ErrorCode.INVALID_CREDENTIALS


def test_connections_over_the_cap_are_turned_away_at_once(server: ServerThread) -> None:
    with ExitStack() as stack:
        held = []
        for _ in range(LIMITS.max_connections):
            sock = stack.enter_context(connect(server.url))
            sock.sendall(head("GET", "/api/v1/health", {}))
            assert read_response(sock).status == 200  # open, and kept alive
            held.append(sock)
        extra = stack.enter_context(connect(server.url))
        details = _refusal(extra, ErrorCode.SERVER_BUSY, 503)
        assert details == {"retry_after_seconds": 1}
        held.pop().close()
        # A place is free again once one closes.
        assert _health_eventually(server.url)


def _health_eventually(url: str) -> bool:
    """The platform answers a new connection within a few tries (the close it needs to see
    travels through its event loop)."""
    for _ in range(50):
        try:
            if requests.get(f"{url}/api/v1/health", timeout=5).status_code == 200:
                return True
        except requests.ConnectionError:
            pass
        except requests.exceptions.ChunkedEncodingError:
            pass
    return False


def test_headers_over_the_size_limit_are_refused_as_they_arrive(server: ServerThread) -> None:
    with connect(server.url) as sock:
        try:
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            for i in range(10_000):  # 10 MB of headers, far past the 64 KiB allowed
                sock.sendall(f"X-Filler-{i}: {'x' * 1000}\r\n".encode())
        except OSError:
            pass  # closed on us once the limit passed: that is the point
        response = read_response(sock)
    assert response.status == 431
    assert response.json()["error"] == {
        "code": "HEADERS_TOO_LARGE",
        "message": "the request line and headers are over 65536 bytes",
        "details": {"max_bytes": 65536},
    }


def held_to(config: uvicorn.Config) -> ConnectionLimits:
    """The limits the platform's connection class was made with (``guarded_protocol``)."""
    protocol = config.http
    assert isinstance(protocol, type), protocol
    limits = vars(protocol)["held_to"]
    assert isinstance(limits, ConnectionLimits)
    return limits


def test_the_cap_is_lowered_to_what_the_process_may_open(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the open-file limit a connection cannot even be accepted; below it, it is told.
    monkeypatch.setattr(server_module, "open_files", lambda wanted: 564)
    settings = Settings(database_url=database_url)
    app = create_app(settings)
    try:
        config = server_module.platform_config(app, settings)
        assert held_to(config).max_connections == 564 - server_module._SPARE_FILES
        monkeypatch.setattr(server_module, "open_files", lambda wanted: None)  # no limit
        config = server_module.platform_config(app, settings)
        assert held_to(config).max_connections == settings.connections.max_connections
    finally:
        app.state.db.dispose()

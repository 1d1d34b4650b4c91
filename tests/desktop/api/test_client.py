"""The console's HTTP client on the real platform: typed results and refusals, safe retries."""

import json
import socket
import threading
import time
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection

import flashbuy_desktop.api.client as client_module
from flashbuy_desktop.api.client import OfflineError, PlatformClient, PlatformError
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuyCreate
from tests.support import PASSWORD, World, free_port, snapshot


def test_sign_in_and_out_with_the_real_platform(world: World) -> None:
    client = PlatformClient(world.platform.url)
    result = client.sign_in(world.username, PASSWORD)
    assert client.token == result.token
    assert client.me().id == world.creator_id
    token = client.token
    client.sign_out()
    assert client.token is None
    stale = PlatformClient(world.platform.url, token)
    with pytest.raises(PlatformError) as refused:
        stale.me()
    assert refused.value.code == ErrorCode.TOKEN_REVOKED
    client.close()
    stale.close()


def test_refusals_carry_the_platform_code(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    with pytest.raises(PlatformError) as refused:
        client.sign_in(world.username, "wrong password")
    assert refused.value.code == ErrorCode.INVALID_CREDENTIALS
    assert refused.value.status == 401
    client.close()


def test_a_flashbuy_with_one_key_is_made_once_however_often_sent(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    body = FlashBuyCreate.model_validate(world.flashbuy_body())
    first = client.create_flashbuy(world.room_id, body, key="enter-1")
    before = snapshot(world.platform.db)
    again = client.create_flashbuy(world.room_id, body, key="enter-1")
    assert again == first
    assert snapshot(world.platform.db) == before
    listed = client.flashbuys(world.room_id)
    assert [f.id for f in listed.items] == [first.id]
    client.close()


def test_a_lost_answer_is_retried_with_the_same_key(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt reaches the platform but its answer is lost; the retry replays it."""
    client = PlatformClient(world.platform.url, world.creator.token)
    real_send = client.session.request
    calls: list[str] = []

    # Any: requests' keyword arguments are passed through untouched, whatever they are.
    def flaky(method: str, url: str, **kwargs: Any) -> requests.Response:
        resp = real_send(method, url, **kwargs)
        calls.append(dict(kwargs.get("headers") or {}).get("Idempotency-Key", ""))
        if len(calls) == 1:
            raise requests.ConnectionError("connection reset while reading the answer")
        return resp

    monkeypatch.setattr(client.session, "request", flaky)
    made = client.create_flashbuy(
        world.room_id, FlashBuyCreate.model_validate(world.flashbuy_body())
    )
    assert len(calls) == 2
    assert calls[0] == calls[1] != ""
    assert [f.id for f in client.flashbuys(world.room_id).items] == [made.id]
    client.close()


def test_an_unreachable_platform_is_offline() -> None:
    client = PlatformClient(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(OfflineError):
        client.me()
    client.close()


class SlowUplink:
    """A platform stand-in at the far end of a slow link: it reads ~512 KB/s, answers 201.

    Both ends keep their socket buffers small, so the client's bytes wait in the link
    rather than in the kernel, as they do on a seller's slow upload. It records every
    body it received in full, and the Idempotency-Key it came with.
    """

    RATE = 512 * 1024  # bytes a second
    BLOCK = 16 * 1024
    BUFFER = 32 * 1024

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.BUFFER)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received: list[tuple[str, int]] = []  # (key, bytes) of each whole body
        self.attempts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="slow-uplink", daemon=True)
        self._thread.start()

    def session(self) -> requests.Session:
        """A requests session whose sockets send through a small buffer."""

        class SmallSendBuffer(HTTPAdapter):
            def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                kwargs["socket_options"] = [
                    *HTTPConnection.default_socket_options,
                    (socket.SOL_SOCKET, socket.SO_SNDBUF, SlowUplink.BUFFER),
                ]
                super().init_poolmanager(*args, **kwargs)

        session = requests.Session()
        session.mount("http://", SmallSendBuffer())
        return session

    def _serve(self) -> None:
        self.listener.settimeout(0.2)  # to notice close()
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self.attempts += 1
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, body = head.partition(b"\r\n\r\n")
        fields = dict(
            line.decode().split(":", 1) for line in head.split(b"\r\n")[1:] if b":" in line
        )
        fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
        length = int(fields["content-length"])
        got = len(body)
        started = time.monotonic()
        while got < length:
            try:
                chunk = conn.recv(self.BLOCK)
            except OSError:
                return  # the client gave up on this attempt
            if not chunk:
                return
            got += len(chunk)
            ahead = started + got / self.RATE - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)  # the link's pace, not a wait for the test
        self.received.append((fields.get("idempotency-key", ""), got))
        receipt = json.dumps(
            {"id": 1, "received_at": "2026-11-28T10:00:00+00:00", "size_bytes": got,
             "sha256": "0" * 64}
        ).encode()  # fmt: skip
        conn.sendall(
            b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(receipt)
            + receipt
        )

    def close(self) -> None:
        self._stop.set()
        self._thread.join(30)
        self.listener.close()


def test_a_report_goes_through_a_slow_uplink_in_one_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sending takes four times the connect timeout; each block is well within it.

    Sent as one ``bytes``, the whole body had to be out within the connect timeout:
    every attempt timed out and the report never went. (The timeout is scaled down from
    5 s to 1 s, and the report with it, so that the test takes seconds.)
    """
    monkeypatch.setattr(client_module, "CONNECT_TIMEOUT", 1.0)
    size = int(4 * 1.0 * SlowUplink.RATE)
    uplink = SlowUplink()
    client = PlatformClient(uplink.url, "token", session=uplink.session())
    try:
        receipt = client.send_report(bytes(size), "report-key-1")
    finally:
        client.close()
        uplink.close()
    assert receipt.size_bytes == size
    assert uplink.received == [("report-key-1", size)]
    assert uplink.attempts == 1

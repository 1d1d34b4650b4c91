"""The sandbox payment provider as the platform's counterpart: its signed callbacks go out
over real HTTP after the buyer's answer, again after a failure, never twice after a success;
and the signature scheme itself (pure functions)."""

import hashlib
import hmac
import http.server
import json
import logging
import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import CALLBACK_TOLERANCE_SECONDS
from flashbuy_server.config import (
    PAYMENT_SECRET_MIN,
    PAYMENT_SECRET_VARIABLE,
    ConfigError,
    Settings,
)
from flashbuy_server.db import Database
from flashbuy_server.errors import ApiError
from flashbuy_server.payments.provider import PaymentNotice
from flashbuy_server.payments.sandbox import Notifier, SandboxProvider
from flashbuy_server.payments.signature import HEADER, digest, parse, sign, verify
from tests.support import Platform, expect_error

SECRET = "a-shared-secret-for-the-tests"
NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


# --- the signature scheme -----------------------------------------------------------------


def test_a_signature_is_hmac_sha256_of_the_timestamp_and_the_raw_body() -> None:
    # Computed here with the standard library alone, as a provider would.
    expected = hmac.new(SECRET.encode(), b'1796673600.{"a":1}', hashlib.sha256).hexdigest()
    assert digest(SECRET, 1796673600, b'{"a":1}') == expected
    assert sign(SECRET, 1796673600, b'{"a":1}') == f"t=1796673600,v1={expected}"


@pytest.mark.parametrize("skew", [0, -CALLBACK_TOLERANCE_SECONDS, CALLBACK_TOLERANCE_SECONDS])
def test_a_signature_within_the_tolerance_verifies(skew: int) -> None:
    body = b'{"payment_id":"p"}'
    t = int(NOW.timestamp()) + skew
    assert verify(SECRET, sign(SECRET, t, body), body, NOW) == t


@pytest.mark.parametrize("skew", [-CALLBACK_TOLERANCE_SECONDS - 1, CALLBACK_TOLERANCE_SECONDS + 1])
def test_a_signature_past_the_tolerance_is_stale(skew: int) -> None:
    body = b"{}"
    t = int(NOW.timestamp()) + skew
    with pytest.raises(ApiError) as refused:
        verify(SECRET, sign(SECRET, t, body), body, NOW)
    assert refused.value.code is ErrorCode.PAYMENT_STALE


def test_one_of_several_signatures_may_match_as_a_secret_is_rotated() -> None:
    body = b"{}"
    t = int(NOW.timestamp())
    header = (
        f"t={t},v1={digest('the-old-secret-before-rotation', t, body)},v1={digest(SECRET, t, body)}"
    )
    assert verify(SECRET, header, body, NOW) == t
    assert parse(header)[1][1] == digest(SECRET, t, body)


def test_a_body_changed_after_signing_does_not_verify() -> None:
    t = int(NOW.timestamp())
    with pytest.raises(ApiError) as refused:
        verify(SECRET, sign(SECRET, t, b'{"amount_fen":1}'), b'{"amount_fen":2}', NOW)
    assert refused.value.code is ErrorCode.PAYMENT_SIGNATURE_INVALID


# --- a stand-in platform that records what the sandbox sends ------------------------------


class _Receiver(http.server.BaseHTTPRequestHandler):
    """Answers each callback with the next status of ``server.statuses`` (200 when none are
    left), after ``server.release`` is set; records each request."""

    server: "_ReceivingServer"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.put((dict(self.headers), body))
        self.server.release.wait(30)
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        payload = b'{"status":"paid"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.server.answered.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ReceivingServer(http.server.ThreadingHTTPServer):
    def __init__(self, statuses: list[int]) -> None:
        super().__init__(("127.0.0.1", 0), _Receiver)
        self.statuses = statuses
        self.received: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        self.release = threading.Event()
        self.answered = threading.Event()  # a callback was answered

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v1/payments/callback"


@pytest.fixture
def receiver(request: pytest.FixtureRequest) -> Iterator[_ReceivingServer]:
    statuses = list(getattr(request, "param", []))
    server = _ReceivingServer(statuses)
    thread = threading.Thread(target=server.serve_forever, name="test-receiver", daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(10)


def _notice() -> PaymentNotice:
    return PaymentNotice(
        payment_id="sbx_test",
        transaction_id="sbx_tx_test",
        order_id=7,
        amount_fen=128_800,
        status="succeeded",
    )


@pytest.mark.parametrize("receiver", [[503, 500]], indirect=True)
def test_a_callback_the_platform_failed_is_sent_again_signed_afresh(
    receiver: _ReceivingServer,
) -> None:
    receiver.release.set()
    clock_times = iter([NOW, NOW + timedelta(seconds=1), NOW + timedelta(seconds=3)])
    notifier = Notifier(SECRET, lambda: next(clock_times))
    delivery = notifier.deliver(receiver.url, _notice())
    delivery.result(30)
    assert delivery.done()
    notifier.stop()
    tries = [receiver.received.get(timeout=1) for _ in range(3)]
    assert receiver.received.empty()  # the third (200) was the last
    for n, (headers, body) in enumerate(tries):
        assert json.loads(body) == _notice().model_dump()
        assert headers["Content-Type"] == "application/json"
        at = NOW + timedelta(seconds=(0, 1, 3)[n])
        assert verify(SECRET, headers[HEADER], body, at) == int(at.timestamp())


@pytest.mark.parametrize("receiver", [[422]], indirect=True)
def test_a_callback_the_platform_refused_is_not_sent_again(receiver: _ReceivingServer) -> None:
    receiver.release.set()
    notifier = Notifier(SECRET, lambda: NOW)
    delivery = notifier.deliver(receiver.url, _notice())
    delivery.result(30)
    assert delivery.done()
    notifier.stop()
    receiver.received.get(timeout=1)
    assert receiver.received.empty()


def test_the_buyer_is_answered_before_the_platform_is_told(
    platform: Platform, receiver: _ReceivingServer
) -> None:
    """The stand-in platform holds the callback until the buyer's answer arrived."""
    db: Database = platform.db
    settings = platform.server.settings
    notifier = Notifier(settings.payment_secret, settings.clock)
    sandbox = SandboxProvider(db, settings.clock, notifier, platform.url)
    created = sandbox.create_payment(128_800, "7", receiver.url)
    assert created.pay_url == f"{platform.api_url}/sandbox/payments/{created.payment_id}/pay"

    page = requests.post(created.pay_url, timeout=60)
    assert page.status_code == 200, page.text
    # Answered while the receiver still holds the callback (it would, 30 s, had the page
    # waited for the delivery).
    assert not receiver.answered.is_set()
    shown = page.json()
    assert shown["status"] == "paid"
    assert shown["amount_fen"] == 128_800

    headers, body = receiver.received.get(timeout=30)  # sent, and still held there
    receiver.release.set()
    sent = json.loads(body)
    assert sent == {
        "payment_id": created.payment_id,
        "transaction_id": shown["transaction_id"],
        "order_id": 7,
        "amount_fen": 128_800,
        "status": "succeeded",
    }
    verify(settings.payment_secret, headers[HEADER], body, settings.clock())

    # Paying again tells nobody anything new.
    assert requests.post(created.pay_url, timeout=60).json() == shown
    with pytest.raises(queue.Empty):
        receiver.received.get(timeout=1)

    sandbox.refund(shown["transaction_id"])
    after = requests.get(f"{platform.api_url}/sandbox/payments/{created.payment_id}", timeout=60)
    assert after.json()["status"] == "refunded"
    expect_error(
        requests.get(f"{platform.api_url}/sandbox/payments/sbx_none", timeout=60),
        ErrorCode.NOT_FOUND,
    )


# --- the shared secret's configuration ----------------------------------------------------


def test_the_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PAYMENT_SECRET_VARIABLE, SECRET)
    settings = Settings.from_env("sqlite+pysqlite:///unused.sqlite3")
    assert settings.payment_secret == SECRET
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    "value", ["too-short", " a-shared-secret-for-the-tests", "tab\tin-the-secret-1234"]
)
def test_an_unusable_secret_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(PAYMENT_SECRET_VARIABLE, value)
    with pytest.raises(ConfigError, match=PAYMENT_SECRET_VARIABLE):
        Settings.from_env("sqlite+pysqlite:///unused.sqlite3")


def test_without_the_variable_the_process_draws_one_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(PAYMENT_SECRET_VARIABLE, raising=False)
    with caplog.at_level(logging.WARNING, logger="flashbuy_server.config"):
        first = Settings.from_env("sqlite+pysqlite:///unused.sqlite3")
    second = Settings.from_env("sqlite+pysqlite:///unused.sqlite3")
    assert len(first.payment_secret) >= PAYMENT_SECRET_MIN
    assert first.payment_secret == second.payment_secret == Settings("x").payment_secret
    assert any(PAYMENT_SECRET_VARIABLE in r.getMessage() for r in caplog.records)
    assert first.payment_secret not in caplog.text

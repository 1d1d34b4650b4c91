"""Helpers for tests that drive the real platform over HTTP."""

import contextlib
import http.client
import io
import itertools
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import psycopg
import requests
import sqlalchemy as sa
from PIL import Image

from flashbuy_protocol.errors import ErrorCode, http_status_for
from flashbuy_protocol.sse import CONNECTED_LINE, SseDecoder, SseMessage
from flashbuy_server import accounts, catalog
from flashbuy_server.db import Database
from flashbuy_server.server import ServerThread
from flashbuy_server.tables import events, metadata

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test uses."""
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


# --- databases ----------------------------------------------------------------------------


def postgres_available() -> bool:
    """Whether a PostgreSQL server is configured through the PG* variables."""
    return bool(os.environ.get("PGHOST"))


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the duration; its SQLAlchemy URL."""
    name = "flashbuy_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg:///{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused request changed nothing.

    Stored files (pictures, report zips) count by their length: each row also holds the
    SHA-256 of its bytes, and reading megabytes of them into every snapshot made the
    suite's later tests slower the more files earlier ones had stored (a refused text
    test took 0.16 s instead of 0.014 s on the session's platform).
    """
    with db.read() as conn:
        return {
            table.name: sorted(
                (tuple(repr(v) for v in row) for row in conn.execute(_comparable(table))),
            )
            for table in metadata.sorted_tables
        }


def _comparable(table: sa.Table) -> sa.Select[Any]:
    return sa.select(
        *(
            sa.func.length(column).label(column.name)
            if isinstance(column.type, sa.LargeBinary)
            else column
            for column in table.c
        )
    )


# --- HTTP ---------------------------------------------------------------------------------


class Api:
    """A requests session against the platform's API, signed in or not."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.session = requests.Session()
        self.token = token
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """The JSON of a response that must have ``status``."""
        resp = self.request(method, path, **kwargs)
        assert resp.status_code == status, (resp.status_code, resp.text)
        return resp.json() if resp.content else None

    def close(self) -> None:
        self.session.close()


def expect_error(resp: requests.Response, code: ErrorCode) -> dict[str, Any]:
    """Assert the response is the one error shape with ``code``; return its details."""
    assert resp.status_code == http_status_for(code), (resp.status_code, resp.text)
    body = resp.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code.value, body
    assert body["error"]["message"], body
    return dict(body["error"]["details"])


def jpeg_bytes(width: int = 64, height: int = 48, color: str = "green") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "JPEG")
    return buf.getvalue()


def png_bytes(width: int = 64, height: int = 48, color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def room_events(platform: "Platform", room_id: int) -> list[Any]:
    """The room's event log, oldest first."""
    with platform.db.read() as conn:
        return list(
            conn.execute(
                sa.select(events.c.id, events.c.type, events.c.data, events.c.audience)
                .where(events.c.room_id == room_id)
                .order_by(events.c.id)
            ).all()
        )


# --- a platform and a small world on it ---------------------------------------------------


@dataclass
class Platform:
    """A real platform serving HTTP on 127.0.0.1, and its database for arranging tests."""

    server: ServerThread
    backend: str

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def api_url(self) -> str:
        return self.server.url + "/api/v1"

    @property
    def db(self) -> Database:
        db: Database = self.server.app.state.db
        return db

    def client(self, token: str | None = None) -> Api:
        return Api(self.api_url, token)

    def settle(self, order_id: int) -> None:
        """Record a held order as paid, as the payment provider's confirmed callback does
        (for tests about what comes after a payment; tests of payments send the callback)."""
        from flashbuy_server.settlement import PayOutcome, pay

        with self.db.write() as conn:
            _order, outcome = pay(conn, order_id)
        assert outcome is PayOutcome.PAID, f"order {order_id} was no longer held"


@dataclass
class World:
    """One creator's set-up: shop, category, product, live room, template, picture, viewers."""

    platform: Platform
    creator: Api
    creator_id: int
    username: str
    shop_id: int
    category_id: int
    product_id: int
    room_id: int
    template_id: int
    picture_id: str
    viewers: list[Api] = field(default_factory=list)
    viewer_ids: list[int] = field(default_factory=list)

    def flashbuy_body(self, **overrides: Any) -> dict[str, Any]:
        """A valid full-mode flash-buy request, changed by ``overrides``."""
        body: dict[str, Any] = {
            "product_id": self.product_id,
            "mode": "full",
            "title": "3号 冰种翡翠手镯",
            "piece_no": "3",
            "price_fen": 128_800,
            "stock": 1,
            "picture_id": self.picture_id,
            "template_id": self.template_id,
        }
        body.update(overrides)
        return body

    def create_flashbuy(self, **overrides: Any) -> dict[str, Any]:
        """Create a flash-buy that must succeed; its JSON."""
        result: dict[str, Any] = self.creator.ok(
            "POST", f"/rooms/{self.room_id}/flash-buys", 201, json=self.flashbuy_body(**overrides)
        )
        return result

    def join(self, nickname: str | None = None, region: str | None = "浙江") -> tuple[Api, int]:
        """A new viewer in the room; its client and id."""
        anon = self.platform.client()
        joined = anon.ok(
            "POST",
            f"/rooms/{self.room_id}/join",
            json={"nickname": nickname or unique("观众")[:30], "region": region},
        )
        anon.close()
        viewer = self.platform.client(joined["token"])
        self.viewers.append(viewer)
        self.viewer_ids.append(joined["viewer"]["id"])
        return viewer, joined["viewer"]["id"]

    def close(self) -> None:
        self.creator.close()
        for viewer in self.viewers:
            viewer.close()


def make_world(
    platform: Platform,
    *,
    invited: bool = True,
    qualified: bool = True,
    approved: bool = True,
    viewers: int = 2,
) -> World:
    """Arrange a creator's world directly in the database, then sign in and go live over HTTP."""
    username = unique("creator")
    with platform.db.write() as conn:
        shop_id = accounts.create_shop(conn, unique("shop"), qualified=qualified)
        creator_id = accounts.create_creator(conn, username, PASSWORD, invited=invited)
        accounts.bind_shop(conn, creator_id, shop_id)
        category_id = catalog.create_category(conn, unique("翡翠"), approved=approved)
        product_id = catalog.create_product(conn, shop_id, category_id, "冰种翡翠手镯")
    anon = platform.client()
    token = anon.ok("POST", "/auth/sign-in", json={"username": username, "password": PASSWORD})[
        "token"
    ]
    anon.close()
    creator = platform.client(token)
    room_id = creator.ok("POST", "/rooms", 201, json={"title": "翡翠专场"})["id"]
    template_id = creator.ok(
        "POST", "/shipping-templates", 201, json={"name": "包邮", "kind": "free"}
    )["id"]
    picture_id = creator.ok(
        "POST",
        "/pictures",
        201,
        data=jpeg_bytes(color="#2e8b57"),
        headers={"Content-Type": "image/jpeg"},
    )["id"]
    world = World(
        platform=platform,
        creator=creator,
        creator_id=creator_id,
        username=username,
        shop_id=shop_id,
        category_id=category_id,
        product_id=product_id,
        room_id=room_id,
        template_id=template_id,
        picture_id=picture_id,
    )
    for _ in range(viewers):
        world.join()
    return world


# --- event streams ------------------------------------------------------------------------


class SseClient:
    """An SSE stream read on a thread of its own into a queue, closable from the test.

    Built on http.client so that :meth:`close` can shut the socket down under a
    blocked read, the way a dropped network would.
    """

    def __init__(
        self, api: Api, path: str, last_event_id: int | str | None = None, connect: bool = True
    ) -> None:
        parts = urllib.parse.urlsplit(api.base + path)
        self._conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        self._target = parts.path + (f"?{parts.query}" if parts.query else "")
        self._headers = {"Accept": "text/event-stream"}
        if api.token:
            self._headers["Authorization"] = f"Bearer {api.token}"
        if last_event_id is not None:
            self._headers["Last-Event-ID"] = str(last_event_id)
        self.messages: queue.Queue[SseMessage | None] = queue.Queue()
        self.comments: queue.Queue[str] = queue.Queue()
        self.status = 0
        self.error_body = b""
        self._thread = threading.Thread(target=self._run, daemon=True, name="sse-client")
        if connect:
            self.open()

    def open(self) -> "SseClient":
        """Connect, and return once the platform says the stream is live."""
        self._conn.request("GET", self._target, headers=self._headers)
        response = self._conn.getresponse()
        self.status = response.status
        if response.status != 200:
            self.error_body = response.read()
            self._conn.close()
            return self
        self._response = response
        self._thread.start()
        first = self.comments.get(timeout=30)
        assert first == CONNECTED_LINE, first
        return self

    def _run(self) -> None:
        decoder = SseDecoder()
        try:
            while True:
                raw = self._response.readline()
                if not raw:
                    break
                line = raw.decode().rstrip("\r\n")
                if line.startswith(":"):
                    self.comments.put(line)
                message = decoder.feed_line(line)
                if message is not None:
                    self.messages.put(message)
        except (OSError, http.client.HTTPException, ValueError):
            pass  # closed under the read: the test dropped the connection
        finally:
            self.messages.put(None)

    def next(self, timeout: float = 30) -> SseMessage:
        """The next event (waits at most ``timeout`` seconds for it)."""
        message = self.messages.get(timeout=timeout)
        assert message is not None, "the stream ended"
        return message

    def events(self, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        """The next ``count`` events, decoded."""
        return [json.loads(self.next(timeout).data) for _ in range(count)]

    def until_id(self, event_id: int, timeout: float = 30) -> list[dict[str, Any]]:
        """Events up to and including ``event_id``."""
        got: list[dict[str, Any]] = []
        while not got or got[-1]["id"] < event_id:
            got.append(json.loads(self.next(timeout).data))
        return got

    def ended(self, timeout: float = 30) -> bool:
        """Whether the platform ended the stream (waits for the reader thread)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def close(self) -> None:
        """Drop the connection, as a network failure would."""
        sock = self._conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive():
            self._thread.join(10)  # the read fails now; only then is closing safe
        self._conn.close()


# --- platform processes -------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``flashbuy-server serve`` as a separate process on a database URL."""

    def __init__(self, database_url: str, *extra: str) -> None:
        self.database_url = database_url
        self.extra = extra
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ""  # what the process wrote to stderr, read when it stops
        self._log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, token: str | None = None) -> Api:
        return Api(self.url + "/api/v1", token)

    def start(self, timeout: float = 60) -> "ServerProcess":
        """Start it; return once /api/v1/health answers."""
        self._log_file = tempfile.TemporaryFile()  # noqa: SIM115 (stop() closes it)
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "flashbuy_server", "--database-url", self.database_url,
                "serve", "--port", str(self.port), *self.extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,  # a file, not a pipe: a full pipe would block the server
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                pass
            try:
                code = self.process.wait(timeout=0.05)  # waits, and notices a crash
            except subprocess.TimeoutExpired:
                continue
            self.stop()
            raise RuntimeError(f"the platform exited with {code}: {self.log}")
        self.stop()
        raise RuntimeError("the platform did not answer in time")

    def stop(self) -> int | None:
        """Stop it as an operator would (SIGTERM); its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file is not None:
            self._log_file.seek(0)
            self.log = self._log_file.read().decode(errors="replace")
            self._log_file.close()
            self._log_file = None
        code = self.process.returncode
        self.process = None
        return code

    @property
    def stopped_cleanly(self) -> bool:
        """Whether the last stop let uvicorn finish its shutdown (it then re-raises SIGTERM)."""
        return "Application shutdown complete" in self.log


@dataclass
class ProcessPlatform:
    """What make_world needs of a platform, for one served by a separate process."""

    server: ServerProcess
    db: Database

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, token: str | None = None) -> Api:
        return self.server.client(token)

"""Scaffolding the benchmarks share: the platform under test, databases, a live room, output.

Only the standard library and ``requests`` are imported here at module level. The platform's
modules (and ``tests.support``, whose helpers the benchmarks share with the tests and which
imports them) are imported inside the functions that need them: a benchmark's child
processes re-import it, and a console process that also loaded the server's modules would
pay for their objects in every garbage collection.
"""

import math
import multiprocessing
import os
import resource
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests

if TYPE_CHECKING:
    from flashbuy_server.db import Database
    from flashbuy_server.server import ServerThread

T = TypeVar("T")

HOST = "127.0.0.1"  # only ever this machine
API = "/api/v1"
REGION = "浙江"
HTTP_TIMEOUT = (5.0, 60.0)  # requests: connect, read; every request is bounded in time
PICTURE_COLOR = "#2e8b57"  # of the flash-buys' picture


# --- the platform under test --------------------------------------------------------------


def start_platform_thread(url: str) -> "ServerThread":
    """The platform serving ``url``'s database from a thread of this process, with the
    join limits of a rehearsal: every simulated viewer joins from 127.0.0.1."""
    from flashbuy_server.config import Settings
    from flashbuy_server.server import ServerThread
    from flashbuy_server.throttle import rehearsal_settings

    return ServerThread(rehearsal_settings(Settings(database_url=url))).start()


def serve_child(
    url: str,
    pipe: Pipe,
    prepare: Callable[[], Any] | None = None,
    serve: "Callable[[ServerThread, Pipe], None] | None" = None,
) -> None:
    """In a child process: serve the platform until the parent says stop (or goes away).

    ``prepare`` runs first and what it returns goes to the parent with the port and the
    process id; ``serve``, if given, answers the parent's messages and returns when told
    to stop (else any message, or the parent going away, stops the platform).
    """
    extra = prepare() if prepare is not None else None
    try:
        server = start_platform_thread(url)
    except Exception:
        pipe.send(("error", traceback.format_exc()))
        return
    pipe.send(("ok", (server.port, os.getpid(), extra)))
    try:
        if serve is None:
            with suppress(EOFError):
                pipe.recv()
        else:
            serve(server, pipe)
    finally:
        server.stop()
        server.app.state.db.dispose()
        with suppress(OSError):
            pipe.send(("stopped", None))


class PlatformServer:
    """The platform on 127.0.0.1: in a child process (default) or a thread of this one.

    The child process answers a start handshake over a pipe (its port, process id and what
    ``prepare`` returned, as ``extra``) and stops when sent ``("stop",)``.
    """

    def __init__(
        self,
        url: str,
        *,
        in_process: bool = False,
        prepare: Callable[[], Any] | None = None,
        serve: "Callable[[ServerThread, Pipe], None] | None" = None,
    ) -> None:
        self._thread: ServerThread | None = None
        self._process: Any = None
        self._pipe: Pipe | None = None
        self.extra: Any = None
        if in_process:
            self._thread = start_platform_thread(url)
            self.port, self.pid = self._thread.port, os.getpid()
        else:
            ctx = multiprocessing.get_context("spawn")
            parent, child = ctx.Pipe()
            self._process = ctx.Process(
                target=serve_child,
                args=(url, child, prepare, serve),
                name="flashbuy-platform",
                daemon=True,
            )
            self._process.start()
            child.close()
            self._pipe = parent
            status, value = self.receive(60, "the platform did not start within 60 s")
            if status != "ok":
                self.stop()
                raise RuntimeError(f"the platform did not start:\n{value}")
            self.port, self.pid, self.extra = int(value[0]), int(value[1]), value[2]
        self.base = f"http://{HOST}:{self.port}"
        self.api = self.base + API

    @property
    def pipe(self) -> Pipe:
        """The pipe to the child process."""
        assert self._pipe is not None
        return self._pipe

    def receive(self, timeout: float, why: str) -> tuple[str, Any]:
        """The child's next message; stops the platform and raises ``why`` if none in time."""
        if not self.pipe.poll(timeout):
            self.stop()
            raise RuntimeError(why)
        try:
            status, value = self.pipe.recv()
        except EOFError:
            status, value = "error", "the platform process exited; see its output above"
        return str(status), value

    def stop(self) -> None:
        """Stop serving and wait for it; the child process is ended by its handle if stuck."""
        if self._thread is not None:
            self._thread.stop()
            self._thread.app.state.db.dispose()
            self._thread = None
        if self._process is not None:
            assert self._pipe is not None
            try:
                self._pipe.send(("stop",))
                if self._pipe.poll(40):
                    self._pipe.recv()
            except (BrokenPipeError, EOFError, OSError):
                pass
            self._process.join(10)
            if self._process.is_alive():
                print("  the platform process did not stop; terminating it", flush=True)
                self._process.terminate()
                self._process.join(10)
            self._pipe.close()
            self._process = None


# --- databases ----------------------------------------------------------------------------


def database_name(backend: str) -> str:
    return "SQLite" if backend == "sqlite" else "PostgreSQL"


@contextmanager
def fresh_database(backend: str, scratch: Path, name: str) -> Iterator[str]:
    """An empty database of ``backend`` for the duration; its SQLAlchemy URL.

    SQLite: a file ``name`` in ``scratch``; PostgreSQL: a new database, dropped at the end.
    """
    if backend == "sqlite":
        from flashbuy_server.config import sqlite_url

        yield sqlite_url(scratch / f"{name}.sqlite3")
        return
    from tests.support import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


def database_version(db: "Database") -> str:
    with db.read() as conn:
        if db.is_sqlite:
            return "SQLite " + str(conn.exec_driver_sql("SELECT sqlite_version()").scalar())
        return "PostgreSQL " + str(conn.exec_driver_sql("SHOW server_version").scalar())


def each_database(
    only: str | None, measure: Callable[[str, Path], T], not_measured: Callable[[], T]
) -> list[T]:
    """``measure(backend, scratch)`` for SQLite and PostgreSQL (or ``only`` one of them).

    PostgreSQL only when ``PGHOST`` is set; otherwise it says so and takes ``not_measured()``.
    """
    results: list[T] = []
    with tempfile.TemporaryDirectory(prefix="flashbuy-bench-") as tmp:
        for backend in ("sqlite", "postgres"):
            if only and only != backend:
                continue
            if backend == "postgres" and not os.environ.get("PGHOST"):
                print("[postgres] not measured: PGHOST is not set (use scripts/with-postgres.sh)")
                results.append(not_measured())
                continue
            results.append(measure(backend, Path(tmp)))
    return results


# --- a live room --------------------------------------------------------------------------


def new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # only 127.0.0.1: never a proxy from the environment
    return session


@dataclass
class Live:
    """A creator signed in and live in a room; ``session`` carries the creator's token."""

    api: str
    session: requests.Session
    token: str
    room_id: int
    product_id: int

    def ok(self, method: str, path: str, status: int, **kwargs: Any) -> Any:
        """The JSON of a request that must answer ``status``."""
        resp = self.session.request(method, self.api + path, timeout=HTTP_TIMEOUT, **kwargs)
        assert resp.status_code == status, (resp.status_code, resp.text)
        return resp.json()

    def offer_needs(self) -> tuple[int, str]:
        """A free shipping template and an uploaded picture: (template id, picture id)."""
        template_id = self.ok(
            "POST", "/shipping-templates", 201, json={"name": "包邮", "kind": "free"}
        )["id"]
        from tests.support import jpeg_bytes

        picture_id = self.ok(
            "POST",
            "/pictures",
            201,
            data=jpeg_bytes(color=PICTURE_COLOR),
            headers={"Content-Type": "image/jpeg"},
        )["id"]
        return template_id, picture_id


def go_live(db: "Database", api: str, creator: str, password: str) -> Live:
    """Accounts and catalogue through the platform's functions, as the tests arrange them;
    sign-in and the live room over HTTP. ``creator`` is the prefix of the creator's name."""
    from flashbuy_server import accounts, catalog
    from tests.support import unique

    username = unique(creator)
    with db.write() as conn:
        shop_id = accounts.create_shop(conn, unique("shop"), qualified=True)
        creator_id = accounts.create_creator(conn, username, password, invited=True)
        accounts.bind_shop(conn, creator_id, shop_id)
        category_id = catalog.create_category(conn, unique("翡翠"), approved=True)
        product_id = catalog.create_product(conn, shop_id, category_id, "冰种翡翠手镯")
    live = Live(api, new_session(), "", 0, product_id)
    try:
        signed_in = live.ok(
            "POST", "/auth/sign-in", 200, json={"username": username, "password": password}
        )
        live.token = str(signed_in["token"])
        live.session.headers["Authorization"] = f"Bearer {live.token}"
        live.room_id = int(live.ok("POST", "/rooms", 201, json={"title": "翡翠专场"})["id"])
    except BaseException:
        live.session.close()
        raise
    return live


# --- output -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def cores_line() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return f"cores: {os.cpu_count()} (usable by this process: {usable})"


def text_table(grid: list[list[str]]) -> str:
    """Rows of cells in left-aligned columns; the first row is the header, ruled off."""
    widths = [max(len(line[i]) for line in grid) for i in range(len(grid[0]))]
    text = []
    for n, line in enumerate(grid):
        text.append(" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            text.append("-+-".join("-" * w for w in widths))
    return "\n".join(text)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def scratch_env(home: Path) -> dict[str, str]:
    """The environment of one console run: a fresh scratch HOME, nothing of the user's."""
    env = {**os.environ, "HOME": str(home)}
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        env[var] = str(home / sub)
    return env

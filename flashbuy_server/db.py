"""Engines and transactions for SQLite and PostgreSQL.

Writers take the database's write lock up front: SQLite runs in WAL mode and
every write transaction is ``BEGIN IMMEDIATE`` (so two writers never deadlock on
a lock upgrade, they queue on the busy timeout); PostgreSQL runs READ COMMITTED,
where a conditional UPDATE re-checks its WHERE after waiting for a row lock.
"""

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Connection.info key under which a transaction collects the rooms it appended events to.
ROOMS_CHANGED = "flashbuy_rooms_changed"
# The PostgreSQL channel that wakes the event streams of every platform process.
NOTIFY_CHANNEL = "flashbuy_events"


class Database:
    """One engine and the two kinds of transaction the services use."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.url = sa.make_url(url)
        # Told the rooms that got events, after the transaction that appended them commits.
        self.on_commit: Callable[[set[int]], None] | None = None
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # SQLite has one writer at a time; its busy handler makes the others sleep and
        # retry, so under load a writer can wait seconds while others go first. Taking
        # turns on a lock in this process hands the database over at once instead.
        self._writer = threading.Lock() if self.is_sqlite else contextlib.nullcontext()
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, pool_size)
        else:
            self.engine = sa.create_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
            )

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that will write: committed on success, rolled back on error.

        Event streams are woken once it commits: in this process through
        :attr:`on_commit`, in every process on PostgreSQL through NOTIFY (which
        PostgreSQL delivers at commit, and drops on rollback).
        """
        with self._writer, self.engine.connect() as conn:
            conn.info.pop(ROOMS_CHANGED, None)  # left over from a rolled-back transaction
            with conn.begin():
                yield conn
                rooms = conn.info.get(ROOMS_CHANGED)
                if rooms and not self.is_sqlite:
                    conn.execute(
                        sa.text("SELECT pg_notify(:channel, :rooms)"),
                        {"channel": NOTIFY_CHANNEL, "rooms": ",".join(map(str, sorted(rooms)))},
                    )
            changed: set[int] | None = conn.info.pop(ROOMS_CHANGED, None)
        if changed and self.on_commit is not None:
            self.on_commit(changed)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (a consistent snapshot; never takes SQLite's write lock)."""
        with self.engine.connect().execution_options(flashbuy_readonly=True) as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so "begin" below decides the mode.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed order survives a power cut, not only a crash of the process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("flashbuy_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def insert_id(conn: Connection, table: sa.Table, **values: Any) -> int:
    """Insert one row and return its new ``id``."""
    return int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())


def lock_rows(conn: Connection, query: sa.Select[Any], *, read: bool = False) -> sa.Select[Any]:
    """``query`` locking the rows it reads until the transaction ends (FOR UPDATE/SHARE).

    SQLite locks nothing by row: ``BEGIN IMMEDIATE`` already made the transaction
    the only writer.
    """
    if conn.dialect.name == "sqlite":
        return query
    return query.with_for_update(read=read)

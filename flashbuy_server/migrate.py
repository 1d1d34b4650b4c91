"""Bring a database's schema to the newest version with the bundled Alembic migrations.

Runs at every start, so upgrading a server keeps its data. Several processes
starting at once on one PostgreSQL take turns under an advisory lock.
"""

import functools
import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from flashbuy_server.db import Database

_MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x666C6173  # "flas": any constant shared by every platform process


def alembic_config() -> Config:
    """Alembic's configuration pointing at the bundled migrations."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@functools.cache
def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# Alembic keeps its running context in one global per process: two upgrades at once
# in one process would swap connections. (Across processes PostgreSQL's advisory lock
# below serialises them.)
_UPGRADING = threading.Lock()


def upgrade(db: Database) -> None:
    """Apply every migration the database has not had yet."""
    with _UPGRADING:
        _upgrade(db)


def _upgrade(db: Database) -> None:
    config = alembic_config()
    with db.engine.connect() as conn:
        if not db.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        finally:
            if not db.is_sqlite:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()

"""A copy of the platform's database, taken now and put back later, as an operator restores one.

Every row of every table is copied (the migration bookkeeping stays as it is), and put back
in a transaction of its own while the platform is stopped. Ids given out after the copy are
given out again after the restore, as with a restored SQLite file or a ``pg_restore``: the
PostgreSQL sequences are set back to what the copy holds.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flashbuy_server.db import Database
from flashbuy_server.tables import metadata


@dataclass(frozen=True)
class Backup:
    """The rows of each table, by table name, in an order that satisfies foreign keys."""

    rows: dict[str, list[dict[str, Any]]]


def take_backup(db: Database) -> Backup:
    """Every row of the platform's tables, read in one consistent transaction."""
    with db.read() as conn:
        present = set(sa.inspect(conn).get_table_names())
        return Backup(
            {
                table.name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
                for table in metadata.sorted_tables
                if table.name in present
            }
        )


def restore_backup(db: Database, backup: Backup) -> None:
    """Make the database hold exactly the backup's rows (run it with the platform stopped)."""
    tables = [t for t in metadata.sorted_tables if t.name in backup.rows]
    with db.write() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if backup.rows[table.name]:
                conn.execute(table.insert(), backup.rows[table.name])
        if conn.dialect.name == "postgresql":
            for table in tables:
                _rewind_sequences(conn, table)
        elif sa.inspect(conn).has_table("sqlite_sequence"):
            conn.execute(sa.text("DELETE FROM sqlite_sequence"))


def _rewind_sequences(conn: sa.Connection, table: sa.Table) -> None:
    for column in table.primary_key.columns:
        sequence = conn.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        ).scalar_one()
        if sequence is None:
            continue
        highest = conn.execute(sa.select(sa.func.max(column))).scalar_one()
        conn.execute(
            sa.text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": highest or 1, "called": highest is not None},
        )

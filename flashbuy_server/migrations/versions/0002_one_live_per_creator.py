"""One live room per creator at a time, enforced by the database.

The start-live check alone let concurrent starts on PostgreSQL open several
lives. Rooms already live twice (made before this index) are ended, oldest
first kept live, so the index can be built on a database that has them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE rooms SET status = 'ended', ended_at = started_at
        WHERE status = 'live' AND id NOT IN (
            SELECT MIN(id) FROM rooms WHERE status = 'live' GROUP BY creator_id
        )
        """
    )
    op.create_index(
        "uq_rooms_one_live_per_creator",
        "rooms",
        ["creator_id"],
        unique=True,
        sqlite_where=sa.text("status = 'live'"),
        postgresql_where=sa.text("status = 'live'"),
    )


def downgrade() -> None:
    op.drop_index("uq_rooms_one_live_per_creator", table_name="rooms")

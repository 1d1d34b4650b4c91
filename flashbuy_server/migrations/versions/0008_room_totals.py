"""A live's totals live on its room row: orders placed and their sales (fen).

The purchase that adds an order adds it to these counters in its own transaction, under the
room's lock, so the console's header reads the platform's numbers instead of summing the
rows it holds. Existing rooms are filled from their orders.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("order_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("sales_fen", sa.BigInteger(), nullable=False, server_default="0")
        )
    # Sales count the pieces' prices, as the lives' summaries always have (postage aside).
    op.execute(
        "UPDATE rooms SET"
        " order_count = (SELECT COUNT(*) FROM orders WHERE orders.room_id = rooms.id),"
        " sales_fen = (SELECT COALESCE(SUM(orders.price_fen), 0) FROM orders"
        " WHERE orders.room_id = rooms.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("sales_fen")
        batch.drop_column("order_count")

"""Orders have a life: held while the buyer pays, then paid, expired or cancelled.

Adds each order's state and pay window, the flash-buy's held and waiting counts, its pay
window and hold-back rule, the live's held totals, the queue for pieces that come back,
checkouts with the provider's transaction ids, the sandbox provider's book, and what each
creator knows of each viewer. Orders placed before this were complete sales: they are paid.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="paid")
        )
        batch.add_column(sa.Column("pay_until", _TIME, nullable=True))
        batch.add_column(sa.Column("closed_at", _TIME, nullable=True))
        batch.add_column(sa.Column("cancelled_by", sa.String(length=10), nullable=True))
        batch.add_column(
            sa.Column(
                "cancel_reason", sa.String(length=60), nullable=False, server_default=sa.text("''")
            )
        )
        batch.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="offer")
        )
        batch.add_column(sa.Column("previous_order_id", _ID, nullable=True))
        batch.create_index("ix_orders_flashbuy_id_status", ["flashbuy_id", "status"])
    op.execute("UPDATE orders SET closed_at = created_at")
    with op.batch_alter_table("flashbuys") as batch:
        batch.add_column(sa.Column("held", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("waiting", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("pay_minutes", sa.Integer(), nullable=False, server_default="5"))
        batch.add_column(sa.Column("hold_back_after", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # SQLite adds a CHECK only by rebuilding the table, which the orders' foreign keys
        # forbid inside a transaction; there the purchase's conditional updates keep it.
        op.create_check_constraint("held_within_sold", "flashbuys", "held >= 0 AND held <= sold")
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("held_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("held_fen", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "queue_entries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("flashbuy_id", _ID, nullable=False),
        sa.Column("room_id", _ID, nullable=False),
        sa.Column("viewer_id", _ID, nullable=False),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("joined_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["flashbuy_id"], ["flashbuys.id"], name=op.f("fk_queue_entries_flashbuy_id_flashbuys")
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_queue_entries_room_id_rooms")
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_queue_entries_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_entries")),
        sa.UniqueConstraint("flashbuy_id", "viewer_id", name="uq_queue_entries_flashbuy_viewer"),
    )
    op.create_index("ix_queue_entries_flashbuy_id_id", "queue_entries", ["flashbuy_id", "id"])
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("settled_at", _TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_payments_transaction_id")),
    )
    op.create_index("ix_payments_order_id", "payments", ["order_id"])
    op.create_table(
        "sandbox_payments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_reference", sa.String(length=40), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("notify_url", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("paid_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_payments")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_sandbox_payments_transaction_id")),
    )
    op.create_table(
        "viewer_records",
        sa.Column("creator_id", _ID, nullable=False),
        sa.Column("viewer_id", _ID, nullable=False),
        sa.Column("paid_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("expired_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("cancelled_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("note", sa.String(length=200), nullable=False, server_default=sa.text("''")),
        sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_viewer_records_creator_id_creators")
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_viewer_records_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("creator_id", "viewer_id", name=op.f("pk_viewer_records")),
    )
    # What the earlier orders already tell of their buyers: they paid.
    op.execute(
        "INSERT INTO viewer_records (creator_id, viewer_id, paid_count, paid_fen, updated_at)"
        " SELECT rooms.creator_id, orders.viewer_id, COUNT(*), SUM(orders.price_fen),"
        " MAX(orders.created_at)"
        " FROM orders JOIN rooms ON rooms.id = orders.room_id"
        " GROUP BY rooms.creator_id, orders.viewer_id"
    )


def downgrade() -> None:
    op.drop_table("viewer_records")
    op.drop_table("sandbox_payments")
    op.drop_index("ix_payments_order_id", table_name="payments")
    op.drop_table("payments")
    op.drop_index("ix_queue_entries_flashbuy_id_id", table_name="queue_entries")
    op.drop_table("queue_entries")
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("held_fen")
        batch.drop_column("held_count")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("ck_flashbuys_held_within_sold", "flashbuys", type_="check")
    with op.batch_alter_table("flashbuys") as batch:
        batch.drop_column("hold_back_after")
        batch.drop_column("pay_minutes")
        batch.drop_column("waiting")
        batch.drop_column("held")
    with op.batch_alter_table("orders") as batch:
        batch.drop_index("ix_orders_flashbuy_id_status")
        batch.drop_column("previous_order_id")
        batch.drop_column("source")
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_by")
        batch.drop_column("closed_at")
        batch.drop_column("pay_until")
        batch.drop_column("status")

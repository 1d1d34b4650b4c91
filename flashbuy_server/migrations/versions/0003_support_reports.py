"""Problem reports: the zip a console sends to support, and what support lists it by.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Ids are BIGINT on PostgreSQL; SQLite only autoincrements INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "support_reports",
        sa.Column("id", BigId, nullable=False),
        sa.Column("creator_id", BigId, nullable=False),
        sa.Column("shop_ids", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("os", sa.String(length=200), nullable=False),
        sa.Column("qt_version", sa.String(length=40), nullable=False),
        sa.Column("python_version", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_support_reports_creator_id_creators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_reports")),
    )
    with op.batch_alter_table("support_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_reports_creator_id"), ["creator_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("support_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_reports_creator_id"))
    op.drop_table("support_reports")

"""Initial schema: accounts, catalog, shipping, rooms, pictures, flash-buys, orders, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 09:02:57.319474
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Ids are BIGINT on PostgreSQL; SQLite only autoincrements INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", BigId, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("name", name=op.f("uq_categories_name")),
    )
    op.create_table(
        "creators",
        sa.Column("id", BigId, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("invited", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creators")),
        sa.UniqueConstraint("username", name=op.f("uq_creators_username")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "pictures",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pictures")),
    )
    op.create_table(
        "shops",
        sa.Column("id", BigId, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shops")),
        sa.UniqueConstraint("name", name=op.f("uq_shops_name")),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject_id", BigId, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_tokens")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index("ix_tokens_subject", ["kind", "subject_id"], unique=False)

    op.create_table(
        "viewers",
        sa.Column("id", BigId, nullable=False),
        sa.Column("nickname", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewers")),
    )
    op.create_table(
        "creator_shops",
        sa.Column("creator_id", BigId, nullable=False),
        sa.Column("shop_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_creator_shops_creator_id_creators")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_creator_shops_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("creator_id", "shop_id", name=op.f("pk_creator_shops")),
    )
    op.create_table(
        "products",
        sa.Column("id", BigId, nullable=False),
        sa.Column("shop_id", BigId, nullable=False),
        sa.Column("category_id", BigId, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("full_used", sa.Integer(), nullable=False),
        sa.Column("targeted_used", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_products_category_id_categories")
        ),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_products_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_shop_id"), ["shop_id"], unique=False)

    op.create_table(
        "rooms",
        sa.Column("id", BigId, nullable=False),
        sa.Column("creator_id", BigId, nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("viewer_count", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_rooms_creator_id_creators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
    )
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rooms_creator_id"), ["creator_id"], unique=False)

    op.create_table(
        "shipping_templates",
        sa.Column("id", BigId, nullable=False),
        sa.Column("creator_id", BigId, nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("flat_fee_fen", sa.Integer(), nullable=True),
        sa.Column("default_fee_fen", sa.Integer(), nullable=True),
        sa.Column("region_fees", sa.JSON(), nullable=False),
        sa.Column("excluded_regions", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_shipping_templates_creator_id_creators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_templates")),
    )
    with op.batch_alter_table("shipping_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipping_templates_creator_id"), ["creator_id"], unique=False
        )

    op.create_table(
        "comments",
        sa.Column("id", BigId, nullable=False),
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("viewer_id", BigId, nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_comments_room_id_rooms")),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_comments_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_room_id_id", ["room_id", "id"], unique=False)

    op.create_table(
        "events",
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_events_room_id_rooms")),
        sa.PrimaryKeyConstraint("room_id", "id", name=op.f("pk_events")),
    )
    op.create_table(
        "flashbuys",
        sa.Column("id", BigId, nullable=False),
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("creator_id", BigId, nullable=False),
        sa.Column("product_id", BigId, nullable=False),
        sa.Column("category_id", BigId, nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("piece_no", sa.String(length=20), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("picture_id", sa.String(length=64), nullable=False),
        sa.Column("template_id", BigId, nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sold >= 0 AND sold <= stock", name=op.f("ck_flashbuys_sold_within_stock")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_flashbuys_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_flashbuys_creator_id_creators")
        ),
        sa.ForeignKeyConstraint(
            ["picture_id"], ["pictures.id"], name=op.f("fk_flashbuys_picture_id_pictures")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_flashbuys_product_id_products")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_flashbuys_room_id_rooms")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["shipping_templates.id"],
            name=op.f("fk_flashbuys_template_id_shipping_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flashbuys")),
    )
    with op.batch_alter_table("flashbuys", schema=None) as batch_op:
        batch_op.create_index("ix_flashbuys_creator_id_id", ["creator_id", "id"], unique=False)
        batch_op.create_index("ix_flashbuys_room_id_id", ["room_id", "id"], unique=False)

    op.create_table(
        "room_members",
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("viewer_id", BigId, nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_members_room_id_rooms")
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_room_members_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("room_id", "viewer_id", name=op.f("pk_room_members")),
    )
    op.create_table(
        "event_targets",
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("viewer_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id", "event_id"], ["events.room_id", "events.id"], name="fk_event_targets_event"
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_event_targets_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("room_id", "event_id", "viewer_id", name=op.f("pk_event_targets")),
    )
    op.create_table(
        "flashbuy_targets",
        sa.Column("flashbuy_id", BigId, nullable=False),
        sa.Column("viewer_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(
            ["flashbuy_id"],
            ["flashbuys.id"],
            name=op.f("fk_flashbuy_targets_flashbuy_id_flashbuys"),
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_flashbuy_targets_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("flashbuy_id", "viewer_id", name=op.f("pk_flashbuy_targets")),
    )
    op.create_table(
        "orders",
        sa.Column("id", BigId, nullable=False),
        sa.Column("flashbuy_id", BigId, nullable=False),
        sa.Column("room_id", BigId, nullable=False),
        sa.Column("viewer_id", BigId, nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("shipping_fen", sa.BigInteger(), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["flashbuy_id"], ["flashbuys.id"], name=op.f("fk_orders_flashbuy_id_flashbuys")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_orders_room_id_rooms")),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["viewers.id"], name=op.f("fk_orders_viewer_id_viewers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("flashbuy_id", "viewer_id", name="uq_orders_flashbuy_viewer"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_room_id"))

    op.drop_table("orders")
    op.drop_table("flashbuy_targets")
    op.drop_table("event_targets")
    op.drop_table("room_members")
    with op.batch_alter_table("flashbuys", schema=None) as batch_op:
        batch_op.drop_index("ix_flashbuys_room_id_id")
        batch_op.drop_index("ix_flashbuys_creator_id_id")

    op.drop_table("flashbuys")
    op.drop_table("events")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_room_id_id")

    op.drop_table("comments")
    with op.batch_alter_table("shipping_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipping_templates_creator_id"))

    op.drop_table("shipping_templates")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rooms_creator_id"))

    op.drop_table("rooms")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_shop_id"))

    op.drop_table("products")
    op.drop_table("creator_shops")
    op.drop_table("viewers")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_tokens_subject")

    op.drop_table("tokens")
    op.drop_table("shops")
    op.drop_table("pictures")
    op.drop_table("idempotency_keys")
    op.drop_table("creators")
    op.drop_table("categories")

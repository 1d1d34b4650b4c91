"""The platform's tables (SQLAlchemy Core), the single source the migrations follow.

Counters that rules race on live in the row they guard (``products.full_used``,
``flashbuys.sold``, ``rooms.last_event_id``) so that one conditional UPDATE both
checks and takes them.
"""

import sqlalchemy as sa

from flashbuy_server.sqltypes import UtcDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Timestamp = UtcDateTime()
# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for ids that grow.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

shops = sa.Table(
    "shops",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("name", sa.String(60), nullable=False, unique=True),
    sa.Column("qualified", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

creators = sa.Table(
    "creators",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(60), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("invited", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

creator_shops = sa.Table(
    "creator_shops",
    metadata,
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), primary_key=True),
    sa.Column("shop_id", BigId, sa.ForeignKey("shops.id"), primary_key=True),
)

categories = sa.Table(
    "categories",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("name", sa.String(60), nullable=False, unique=True),
    sa.Column("approved", sa.Boolean, nullable=False, default=False),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("shop_id", BigId, sa.ForeignKey("shops.id"), nullable=False, index=True),
    sa.Column("category_id", BigId, sa.ForeignKey("categories.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("full_used", sa.Integer, nullable=False, default=0),
    sa.Column("targeted_used", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", Timestamp, nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),  # creator | viewer
    sa.Column("subject_id", BigId, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
    sa.Index("ix_tokens_subject", "kind", "subject_id"),
)

shipping_templates = sa.Table(
    "shipping_templates",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), nullable=False, index=True),
    sa.Column("name", sa.String(30), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("flat_fee_fen", sa.Integer, nullable=True),
    sa.Column("default_fee_fen", sa.Integer, nullable=True),
    sa.Column("region_fees", sa.JSON, nullable=False),
    sa.Column("excluded_regions", sa.JSON, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), nullable=False, index=True),
    sa.Column("title", sa.String(60), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("ended_at", Timestamp, nullable=True),
    sa.Column("viewer_count", sa.Integer, nullable=False, default=0),
    # Taken under the room row's lock, so a room's event ids commit in order.
    sa.Column("last_event_id", sa.BigInteger, nullable=False, default=0),
    # The live's totals, kept by the purchase that changes them (under the room's lock):
    # the console's header shows these, never a sum of the rows it happens to hold.
    sa.Column("order_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sales_fen", sa.BigInteger, nullable=False, server_default="0"),
    # Orders placed and not yet paid: counted apart, they are not sales until they are.
    sa.Column("held_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("held_fen", sa.BigInteger, nullable=False, server_default="0"),
    # A creator is live in one room at a time, even when two starts race.
    sa.Index(
        "uq_rooms_one_live_per_creator",
        "creator_id",
        unique=True,
        sqlite_where=sa.text("status = 'live'"),
        postgresql_where=sa.text("status = 'live'"),
    ),
)

viewers = sa.Table(
    "viewers",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("nickname", sa.String(30), nullable=False),
    sa.Column("region", sa.String(10), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
)

room_members = sa.Table(
    "room_members",
    metadata,
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), primary_key=True),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), primary_key=True),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.Column("joined_at", Timestamp, nullable=False),
)

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), nullable=False),
    sa.Column("text", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_comments_room_id_id", "room_id", "id"),
)

pictures = sa.Table(
    "pictures",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the bytes
    sa.Column("content_type", sa.String(20), nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

flashbuys = sa.Table(
    "flashbuys",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), nullable=False),
    sa.Column("product_id", BigId, sa.ForeignKey("products.id"), nullable=False),
    sa.Column("category_id", BigId, sa.ForeignKey("categories.id"), nullable=False),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("title", sa.String(60), nullable=False),
    sa.Column("piece_no", sa.String(20), nullable=False),
    sa.Column("price_fen", sa.BigInteger, nullable=False),
    sa.Column("stock", sa.Integer, nullable=False),
    sa.Column("sold", sa.Integer, nullable=False, default=0),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("picture_id", sa.String(64), sa.ForeignKey("pictures.id"), nullable=False),
    sa.Column("template_id", BigId, sa.ForeignKey("shipping_templates.id"), nullable=False),
    sa.Column("note", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("ended_at", Timestamp, nullable=True),
    # Grows by one with every change of the row: a client keeps the highest it has seen.
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    # Of the pieces sold, how many wait for their buyer to pay (orders.status = held), and
    # how many viewers wait in the queue for one to come back.
    sa.Column("held", sa.Integer, nullable=False, server_default="0"),
    sa.Column("waiting", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pay_minutes", sa.Integer, nullable=False, server_default="5"),
    sa.Column("hold_back_after", sa.Integer, nullable=True),
    sa.CheckConstraint("sold >= 0 AND sold <= stock", name="sold_within_stock"),
    sa.CheckConstraint("held >= 0 AND held <= sold", name="held_within_sold"),
    sa.Index("ix_flashbuys_room_id_id", "room_id", "id"),
    sa.Index("ix_flashbuys_creator_id_id", "creator_id", "id"),
)

flashbuy_targets = sa.Table(
    "flashbuy_targets",
    metadata,
    sa.Column("flashbuy_id", BigId, sa.ForeignKey("flashbuys.id"), primary_key=True),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), primary_key=True),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("flashbuy_id", BigId, sa.ForeignKey("flashbuys.id"), nullable=False),
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), nullable=False, index=True),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), nullable=False),
    sa.Column("price_fen", sa.BigInteger, nullable=False),
    sa.Column("shipping_fen", sa.BigInteger, nullable=False),
    sa.Column("region", sa.String(10), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    # Grows by one with every change of the row: a client keeps the highest it has seen.
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    # held -> paid | expired | cancelled (flashbuy_protocol.enums.OrderStatus). Orders from
    # before the payment window were complete sales: they are paid.
    sa.Column("status", sa.String(10), nullable=False, server_default="paid"),
    sa.Column("pay_until", Timestamp, nullable=True),
    sa.Column("closed_at", Timestamp, nullable=True),
    sa.Column("cancelled_by", sa.String(10), nullable=True),
    sa.Column("cancel_reason", sa.String(60), nullable=False, server_default=sa.text("''")),
    sa.Column("source", sa.String(10), nullable=False, server_default="offer"),
    sa.Column("previous_order_id", BigId, nullable=True),
    # One piece per viewer per flash-buy: a double click never buys twice.
    sa.UniqueConstraint("flashbuy_id", "viewer_id", name="uq_orders_flashbuy_viewer"),
    sa.Index("ix_orders_flashbuy_id_status", "flashbuy_id", "status"),
)

# Viewers waiting for a taken piece to come back (候补), in order of arrival (``id``).
queue_entries = sa.Table(
    "queue_entries",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("flashbuy_id", BigId, sa.ForeignKey("flashbuys.id"), nullable=False),
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), nullable=False),
    sa.Column("region", sa.String(10), nullable=True),  # as given when they tried to buy
    sa.Column("joined_at", Timestamp, nullable=False),
    sa.UniqueConstraint("flashbuy_id", "viewer_id", name="uq_queue_entries_flashbuy_viewer"),
    sa.Index("ix_queue_entries_flashbuy_id_id", "flashbuy_id", "id"),
)

# A checkout: the provider's payment for one held order. The provider's transaction id,
# once its signed callback arrives, makes a second delivery of it change nothing.
payments = sa.Table(
    "payments",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),  # the provider's payment id
    sa.Column("order_id", BigId, sa.ForeignKey("orders.id"), nullable=False, index=True),
    sa.Column("provider", sa.String(20), nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("transaction_id", sa.String(64), nullable=True, unique=True),
    # paid: the order was paid by it; late: it came after the order closed (to refund).
    sa.Column("outcome", sa.String(10), nullable=True),
    sa.Column("settled_at", Timestamp, nullable=True),
)

# The sandbox payment provider's own book (flashbuy_server.payments.sandbox): what a real
# provider keeps on its side of the boundary.
sandbox_payments = sa.Table(
    "sandbox_payments",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("merchant_reference", sa.String(40), nullable=False),  # our order id
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("notify_url", sa.String(500), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # pending | paid | refunded
    sa.Column("transaction_id", sa.String(64), nullable=True, unique=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("paid_at", Timestamp, nullable=True),
)

# What a creator knows of a viewer across its lives; kept by the transactions that pay,
# expire and cancel orders, and by the seller's note and block.
viewer_records = sa.Table(
    "viewer_records",
    metadata,
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), primary_key=True),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), primary_key=True),
    sa.Column("paid_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("paid_fen", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("expired_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("cancelled_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("note", sa.String(200), nullable=False, server_default=sa.text("''")),
    sa.Column("blocked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", Timestamp, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("room_id", BigId, sa.ForeignKey("rooms.id"), primary_key=True),
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    # Who may see it on a viewer stream: "all" viewers, "targets" (listed in
    # event_targets) or "creator" only.
    sa.Column("audience", sa.String(10), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

event_targets = sa.Table(
    "event_targets",
    metadata,
    sa.Column("room_id", BigId, primary_key=True),
    sa.Column("event_id", sa.BigInteger, primary_key=True),
    sa.Column("viewer_id", BigId, sa.ForeignKey("viewers.id"), primary_key=True),
    sa.ForeignKeyConstraint(
        ["room_id", "event_id"], ["events.room_id", "events.id"], name="fk_event_targets_event"
    ),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("principal", sa.String(40), primary_key=True),  # e.g. "creator:7"
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_idempotency_keys_created_at", "created_at"),  # the daily purge
)

support_reports = sa.Table(
    "support_reports",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    # Who sent it comes from the token, never from the report's own report.json.
    sa.Column("creator_id", BigId, sa.ForeignKey("creators.id"), nullable=False, index=True),
    sa.Column("shop_ids", sa.JSON, nullable=False),  # the creator's shops when it came in
    sa.Column("received_at", Timestamp, nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    # From report.json, so support can list reports without unpacking each one.
    sa.Column("reported_at", Timestamp, nullable=False),
    sa.Column("app_version", sa.String(40), nullable=False),
    sa.Column("os", sa.String(200), nullable=False),
    sa.Column("qt_version", sa.String(40), nullable=False),
    sa.Column("python_version", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("members", sa.JSON, nullable=False),  # the zip's file names
    sa.Column("data", sa.LargeBinary, nullable=False),  # the zip, exactly as sent
)

# Failed sign-ins, shared by every platform process (flashbuy_server.signin_guard). One row
# per counted thing: ``pair:``, ``address:`` or ``account:`` and a SHA-256, so that a
# password typed into the account field is never stored as typed.
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("blocked_until", Timestamp, nullable=True),
    sa.Column("last_failure_at", Timestamp, nullable=False),
    # A pair that signed in: until then its address skips the address and account counters.
    sa.Column("known_until", Timestamp, nullable=True),
    sa.Index("ix_sign_in_failures_last_failure_at", "last_failure_at"),  # forgetting old rows
)

# Timed work (flashbuy_server.jobs). A due job is one row per (kind, key), deleted by the
# transaction that does its work; a failed one stays, due again later, with its error.
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("kind", sa.String(60), primary_key=True),  # e.g. "order.expire"
    sa.Column("key", sa.String(200), primary_key=True),  # e.g. "42"
    sa.Column("due_at", Timestamp, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_jobs_due_at", "due_at"),  # the runners' "what is due" query
)

# A periodic job's next run: the process whose UPDATE moves it on runs that period.
periodic_jobs = sa.Table(
    "periodic_jobs",
    metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("next_run_at", Timestamp, nullable=False),
    sa.Column("last_started_at", Timestamp, nullable=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # in a row
    sa.Column("last_error", sa.Text, nullable=True),
)

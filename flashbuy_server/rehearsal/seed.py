"""The demo world: a ready shop, creator, catalog, shipping templates and live room.

``flashbuy-server --demo`` and the console's embedded default call :func:`prepare_demo`.
It is idempotent: run again on the same database it reuses what is there and only starts a
new live if the last one has ended. :func:`live_room` finds the creator's live now, for an
audience that follows the creator from live to live.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_protocol.enums import LiveStatus, TemplateKind
from flashbuy_protocol.models import ShippingTemplateIn
from flashbuy_server import accounts, catalog, rooms, shipping
from flashbuy_server.db import Database
from flashbuy_server.tables import categories, creators, products, shipping_templates, shops
from flashbuy_server.tables import rooms as rooms_table

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "flashbuy-demo"  # noqa: S105 (published on purpose: it is the demo's)
DEMO_SHOP = "翠玉轩 · 演示店铺"
UNQUALIFIED_SHOP = "未认证小店 · 演示"
LIVE_TITLE = "翡翠源头直播 · 演示"

# name -> approved for flash-buy
CATEGORIES = {"翡翠": True, "和田玉": True, "珍珠": True, "琥珀蜜蜡": True, "服饰": False}
# (product, category, qualified shop?)
PRODUCTS = (
    ("冰种翡翠手镯", "翡翠", True),
    ("翡翠吊坠", "翡翠", True),
    ("和田玉籽料手把件", "和田玉", True),
    ("南洋金珠项链", "珍珠", True),
    ("波罗的海蜜蜡手串", "琥珀蜜蜡", True),
    ("真丝围巾", "服饰", True),
    ("翡翠戒面", "翡翠", False),
)
TEMPLATES = (
    ShippingTemplateIn(name="全国包邮", kind=TemplateKind.FREE),
    ShippingTemplateIn(
        name="偏远地区不发货", kind=TemplateKind.FREE, excluded_regions=["新疆", "西藏"]
    ),
    ShippingTemplateIn(
        name="按地区计费",
        kind=TemplateKind.BY_REGION,
        default_fee_fen=1_000,
        region_fees={"广东": 0, "海南": 2_000},
    ),
    ShippingTemplateIn(name="顺丰到付 23 元", kind=TemplateKind.FLAT, flat_fee_fen=2_300),
)


@dataclass(frozen=True)
class DemoInfo:
    """Where the demo is: who to sign in as, and the live room."""

    username: str
    password: str
    creator_id: int
    room_id: int


def prepare_demo(db: Database) -> DemoInfo:
    """Make (or find) the demo world in one transaction."""
    with db.write() as conn:
        creator_id = _creator(conn)
        room_id = conn.execute(
            sa.select(rooms_table.c.id).where(
                rooms_table.c.creator_id == creator_id,
                rooms_table.c.status == LiveStatus.LIVE.value,
            )
        ).scalar()
        if room_id is None:
            room_id = rooms.start(conn, creator_id, LIVE_TITLE).id
    return DemoInfo(DEMO_USERNAME, DEMO_PASSWORD, creator_id, int(room_id))


def live_room(db: Database, creator_id: int) -> int | None:
    """The creator's live room now, or None between lives."""
    with db.read() as conn:
        room_id = conn.execute(
            sa.select(rooms_table.c.id).where(
                rooms_table.c.creator_id == creator_id,
                rooms_table.c.status == LiveStatus.LIVE.value,
            )
        ).scalar()
    return None if room_id is None else int(room_id)


def _creator(conn: Connection) -> int:
    existing = conn.execute(
        sa.select(creators.c.id).where(creators.c.username == DEMO_USERNAME)
    ).scalar()
    if existing is not None:
        return int(existing)
    creator_id = accounts.create_creator(
        conn, DEMO_USERNAME, DEMO_PASSWORD, display_name="林翠 (演示主播)", invited=True
    )
    shop_ids = {
        True: _shop(conn, DEMO_SHOP, qualified=True),
        False: _shop(conn, UNQUALIFIED_SHOP, qualified=False),
    }
    for shop_id in shop_ids.values():
        accounts.bind_shop(conn, creator_id, shop_id)
    category_ids = {name: _category(conn, name, approved) for name, approved in CATEGORIES.items()}
    for name, category, qualified in PRODUCTS:
        shop_id = shop_ids[qualified]
        exists = conn.execute(
            sa.select(products.c.id).where(products.c.shop_id == shop_id, products.c.name == name)
        ).first()
        if exists is None:
            catalog.create_product(conn, shop_id, category_ids[category], name)
    for template in TEMPLATES:
        exists = conn.execute(
            sa.select(shipping_templates.c.id).where(
                shipping_templates.c.creator_id == creator_id,
                shipping_templates.c.name == template.name,
            )
        ).first()
        if exists is None:
            shipping.create_template(conn, creator_id, template)
    return creator_id


def _shop(conn: Connection, name: str, *, qualified: bool) -> int:
    found = conn.execute(sa.select(shops.c.id).where(shops.c.name == name)).scalar()
    return (
        int(found) if found is not None else accounts.create_shop(conn, name, qualified=qualified)
    )


def _category(conn: Connection, name: str, approved: bool) -> int:
    found = conn.execute(sa.select(categories.c.id).where(categories.c.name == name)).scalar()
    if found is not None:
        return int(found)
    return catalog.create_category(conn, name, approved=approved)

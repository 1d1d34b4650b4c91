"""The demo platform: a ready shop, creator, catalog, shipping templates and live room.

``flashbuy-server --demo`` and the console's embedded default call
:func:`prepare_demo`. It is idempotent: run again on the same database it reuses
what is there and only starts a new live if the last one has ended.

The rehearsal audience of the embedded demo also finds the creator's next live here
(:func:`live_room`), posts a comment flood beyond what HTTP carries in one process
(:func:`post_comments`), and is sent home when the console stops or after a run that
never said goodbye (:func:`send_audience_home`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_protocol.enums import LiveStatus, TemplateKind
from flashbuy_protocol.models import Comment, CommentIn, ShippingTemplateIn
from flashbuy_server import accounts, catalog, events, rooms, shipping
from flashbuy_server.db import Database
from flashbuy_server.roomaccess import room_row
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    categories,
    comments,
    creators,
    products,
    room_members,
    shipping_templates,
    shops,
    viewers,
)
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


def send_audience_home(db: Database, creator_id: int) -> int:
    """Every viewer still in one of the creator's rooms leaves it; how many left.

    For the embedded demo only, where nobody but its own rehearsal audience can be in a
    room: when the console stops, and when it starts after a run that ended without its
    viewers leaving (killed, or a power cut), whose viewers would otherwise be counted
    with the new audience for ever. Each leave is a ``viewer.left`` event with the
    count after it, as a viewer's own leave is.
    """
    with db.write() as conn:
        staying = conn.execute(
            sa.select(room_members.c.room_id, room_members.c.viewer_id)
            .join(rooms_table, rooms_table.c.id == room_members.c.room_id)
            .where(rooms_table.c.creator_id == creator_id, room_members.c.present.is_(True))
            .order_by(room_members.c.room_id, room_members.c.viewer_id)
        ).all()
        by_room: dict[int, list[int]] = {}
        for room_id, viewer_id in staying:
            by_room.setdefault(room_id, []).append(viewer_id)
        for room_id, leaving in by_room.items():
            room_row(conn, room_id, lock=True)
            conn.execute(
                room_members.update()
                .where(room_members.c.room_id == room_id, room_members.c.present.is_(True))
                .values(present=False)
            )
            conn.execute(
                rooms_table.update().where(rooms_table.c.id == room_id).values(viewer_count=0)
            )
            remaining = len(leaving)
            left = []
            for viewer_id in leaving:
                remaining -= 1
                left.append(
                    events.NewEvent(
                        "viewer.left",
                        {"viewer_id": viewer_id, "viewer_count": remaining},
                        audience=events.AUDIENCE_CREATOR,
                    )
                )
            events.append_all(conn, room_id, left)
    return len(staying)


def post_comments(db: Database, room_id: int, said: Sequence[tuple[int, str]]) -> int:
    """Comments ``(viewer id, text)`` in one transaction; how many were stored.

    The rehearsal audience's flood: one Python process cannot post thousands of comments
    a second over HTTP, each with its own request and transaction. The platform's rules
    for a comment still hold: the live is on, the viewer is in the room, the text is
    what ``CommentIn`` accepts (comments the platform would refuse are dropped: the live
    may end at any moment), and each is stored and announced as
    ``POST /rooms/{id}/comments`` does.
    """
    texts = [(viewer_id, CommentIn(text=text).text) for viewer_id, text in said]
    with db.write() as conn:
        if room_row(conn, room_id, lock=True).status != LiveStatus.LIVE.value:
            return 0
        ids = {viewer_id for viewer_id, _ in texts}
        names: dict[int, str] = {
            row.id: row.nickname
            for row in conn.execute(
                sa.select(viewers.c.id, viewers.c.nickname)
                .join(room_members, room_members.c.viewer_id == viewers.c.id)
                .where(
                    room_members.c.room_id == room_id,
                    room_members.c.present.is_(True),
                    viewers.c.id.in_(ids),
                )
            )
        }
        kept = [(viewer_id, text) for viewer_id, text in texts if viewer_id in names]
        if not kept:
            return 0
        now = utcnow()
        comment_ids = (
            conn.execute(
                comments.insert().returning(comments.c.id, sort_by_parameter_order=True),
                [
                    {"room_id": room_id, "viewer_id": viewer_id, "text": text, "created_at": now}
                    for viewer_id, text in kept
                ],
            )
            .scalars()
            .all()
        )
        events.append_all(
            conn,
            room_id,
            [
                events.NewEvent(
                    "comment.posted",
                    Comment(
                        id=comment_id,
                        room_id=room_id,
                        viewer_id=viewer_id,
                        nickname=names[viewer_id],
                        text=text,
                        created_at=now,
                    ).model_dump(mode="json"),
                    audience=events.AUDIENCE_CREATOR,
                )
                for comment_id, (viewer_id, text) in zip(comment_ids, kept, strict=True)
            ],
        )
    return len(kept)


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

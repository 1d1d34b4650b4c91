"""Categories and products, and whether a creator may flash-buy a product now.

In the order of every domain module: statements, queries, service, router (see orders.py).
"""

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import Category, Product, Quota
from flashbuy_server.config import Settings
from flashbuy_server.db import insert_id
from flashbuy_server.deps import CreatorDep, DbDep, PathId, SettingsDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import categories, creator_shops, creators, products, shops

router = APIRouter(tags=["catalog"])

# --- statements ---------------------------------------------------------------------------

_PRODUCT_COLUMNS = (
    products,
    shops.c.name.label("shop_name"),
    shops.c.qualified.label("shop_qualified"),
    categories.c.name.label("category_name"),
    categories.c.approved.label("category_approved"),
)

_INVITED = sa.select(creators.c.invited).where(creators.c.id == sa.bindparam("creator"))


def _product_query(creator_id: int) -> sa.Select[Any]:
    """The products of the shops ``creator_id`` is bound to: the only ones it may see."""
    return (
        sa.select(*_PRODUCT_COLUMNS)
        .join(shops, shops.c.id == products.c.shop_id)
        .join(categories, categories.c.id == products.c.category_id)
        .join(creator_shops, creator_shops.c.shop_id == products.c.shop_id)
        .where(creator_shops.c.creator_id == creator_id)
    )


# --- queries ------------------------------------------------------------------------------


def ineligibility(conn: Connection, creator_id: int, row: Row[Any]) -> ApiError | None:
    """Why ``creator_id`` may not flash-buy the product in ``row``, or None if it may.

    ``row`` is one of the creator's own products (:func:`product_row`): a product of a
    shop the creator is not bound to does not exist for it at all (NOT_FOUND), so
    SHOP_NOT_BOUND is never the answer. The order is the one a seller can act on: the
    creator's invitation first, then the shop, then the category.
    """
    invited = conn.execute(_INVITED, {"creator": creator_id}).scalar_one()
    if not invited:
        return ApiError(
            ErrorCode.CREATOR_NOT_INVITED,
            "flash-buy is by invitation: this creator has not been invited by the platform",
        )
    if not row.shop_qualified:
        return ApiError(
            ErrorCode.SHOP_NOT_QUALIFIED,
            f"shop {row.shop_name} does not meet the platform's standard for flash-buy",
            shop_id=row.shop_id,
        )
    if not row.category_approved:
        return ApiError(
            ErrorCode.CATEGORY_NOT_APPROVED,
            f"category {row.category_name} is not approved for flash-buy",
            category_id=row.category_id,
        )
    return None


def quota_of(row: Row[Any], settings: Settings) -> Quota:
    """The product's flash-buys used and left, per mode."""
    return Quota(
        full_used=row.full_used,
        full_limit=settings.quota_full,
        full_left=max(0, settings.quota_full - row.full_used),
        targeted_used=row.targeted_used,
        targeted_limit=settings.quota_targeted,
        targeted_left=max(0, settings.quota_targeted - row.targeted_used),
    )


def product_row(conn: Connection, creator_id: int, product_id: int) -> Row[Any] | None:
    """The product with its shop's and category's names and flags, if it is one of a shop
    ``creator_id`` is bound to; None for another shop's product as for one that does not
    exist, so that the caller answers both alike."""
    return conn.execute(_product_query(creator_id).where(products.c.id == product_id)).first()


def to_product(conn: Connection, creator_id: int, row: Row[Any], settings: Settings) -> Product:
    """The product as this creator sees it: the row, and what is decided from it (whether
    the creator may flash-buy it now, and its quota)."""
    problem = ineligibility(conn, creator_id, row)
    return Product.model_validate(
        {
            **row._mapping,
            "eligible": problem is None,
            "ineligible_reason": problem.code if problem else None,
            "quota": quota_of(row, settings),
        }
    )


def all_categories(conn: Connection) -> list[Category]:
    """Every category and whether it is approved for flash-buy."""
    rows = conn.execute(sa.select(categories).order_by(categories.c.id)).all()
    return [Category.model_validate(r, from_attributes=True) for r in rows]


def products_of(conn: Connection, creator_id: int, settings: Settings) -> list[Product]:
    """The products of the creator's shops, with eligibility and quotas."""
    rows = conn.execute(_product_query(creator_id).order_by(products.c.id)).all()
    return [to_product(conn, creator_id, r, settings) for r in rows]


def owned_product(
    conn: Connection, creator_id: int, product_id: int, settings: Settings
) -> Product:
    """One product of the creator's shops; 404 for another shop's as for none."""
    row = product_row(conn, creator_id, product_id)
    if row is None:
        raise not_found("product", product_id)
    return to_product(conn, creator_id, row, settings)


# --- service (the admin operations: the command line and the demo seed) ------------------


def create_category(conn: Connection, name: str, *, approved: bool = False) -> int:
    """Add a category and return its id."""
    return insert_id(conn, categories, name=name, approved=approved)


def set_approved(conn: Connection, category_id: int, approved: bool) -> None:
    """Approve a category for flash-buy, or withdraw the approval."""
    if (
        conn.execute(
            categories.update().where(categories.c.id == category_id).values(approved=approved)
        ).rowcount
        != 1
    ):
        raise not_found("category", category_id)


def create_product(conn: Connection, shop_id: int, category_id: int, name: str) -> int:
    """Add a product of a shop in a category and return its id."""
    return insert_id(
        conn,
        products,
        shop_id=shop_id,
        category_id=category_id,
        name=name,
        full_used=0,
        targeted_used=0,
        created_at=utcnow(),
    )


# --- router -------------------------------------------------------------------------------


@router.get("/categories", response_model=list[Category])
def list_categories(_me: CreatorDep, db: DbDep) -> list[Category]:
    """Every category and whether it is approved for flash-buy."""
    with db.read() as conn:
        return all_categories(conn)


@router.get("/products", response_model=list[Product])
def list_products(me: CreatorDep, db: DbDep, settings: SettingsDep) -> list[Product]:
    """The products of the creator's shops, with eligibility and quotas."""
    with db.read() as conn:
        return products_of(conn, me.id, settings)


@router.get("/products/{product_id}", response_model=Product)
def get_product(product_id: PathId, me: CreatorDep, db: DbDep, settings: SettingsDep) -> Product:
    """One product of the creator's shops, with eligibility and quota."""
    with db.read() as conn:
        return owned_product(conn, me.id, product_id, settings)

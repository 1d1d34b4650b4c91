"""A creator's shipping templates and the postage an order pays.

In the order of every domain module: statements, queries, service, router (see orders.py);
the postage rules (:func:`fee_for`, :func:`needs_region`) come first, as the service's rules.
"""

from typing import Any, Protocol

import sqlalchemy as sa
from fastapi import APIRouter, Response
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import FlashBuyStatus, TemplateKind
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import (
    ShippingQuote,
    ShippingQuoteIn,
    ShippingTemplate,
    ShippingTemplateIn,
)
from flashbuy_server.db import insert_id, lock_rows
from flashbuy_server.deps import CreatorDep, DbDep, OnceDep, PathId
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import flashbuys, shipping_templates

router = APIRouter(tags=["shipping"])

# --- statements ---------------------------------------------------------------------------

_LIVE_TEMPLATES = sa.select(shipping_templates).where(shipping_templates.c.deleted.is_(False))

_ACTIVE_USERS = (
    sa.select(sa.func.count())
    .select_from(flashbuys)
    .where(
        flashbuys.c.template_id == sa.bindparam("template"),
        flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
    )
)


def _owned(template_id: int, creator_id: int) -> list[Any]:
    """Which row of ``shipping_templates`` a change may touch: the creator's, not deleted."""
    return [
        shipping_templates.c.id == template_id,
        shipping_templates.c.creator_id == creator_id,
        shipping_templates.c.deleted.is_(False),
    ]


# --- rules --------------------------------------------------------------------------------


class Rules(Protocol):
    """What decides postage: a template row, or any row with its columns."""

    kind: str
    flat_fee_fen: int | None
    default_fee_fen: int | None
    region_fees: dict[str, int]
    excluded_regions: list[str]


def fee_for(row: Rules, region: str | None) -> int | None:
    """Postage in fen for ``region`` under the template ``row``; None if it does not ship there."""
    if region is not None and region in row.excluded_regions:
        return None
    kind = TemplateKind(row.kind)
    if kind is TemplateKind.FREE:
        return 0
    fee = row.flat_fee_fen if kind is TemplateKind.FLAT else None
    if kind is TemplateKind.BY_REGION:
        if region is None:
            raise ValueError("a by_region template prices only a known region (see needs_region)")
        fee = row.region_fees.get(region, row.default_fee_fen)
    if fee is None:
        raise ValueError(f"template kind {kind} is missing its fee")
    return int(fee)


def needs_region(row: Rules) -> bool:
    """Whether an order under this template must say where it ships."""
    return row.kind == TemplateKind.BY_REGION or bool(row.excluded_regions)


# --- queries ------------------------------------------------------------------------------


def template_row(
    conn: Connection, creator_id: int, template_id: int, *, share_lock: bool = False
) -> Row[Any] | None:
    """The creator's live (not deleted) template, or None.

    With ``share_lock`` the row cannot be deleted until this transaction ends:
    a flash-buy being created on it and a delete cannot both succeed.
    """
    query = sa.select(shipping_templates).where(*_owned(template_id, creator_id))
    if share_lock:
        query = lock_rows(conn, query, read=True)
    return conn.execute(query).first()


def to_template(row: Row[Any]) -> ShippingTemplate:
    """The API view of a template row."""
    return ShippingTemplate.model_validate(row, from_attributes=True)


def templates_of(conn: Connection, creator_id: int) -> list[ShippingTemplate]:
    """The creator's templates, oldest first."""
    rows = conn.execute(
        _LIVE_TEMPLATES.where(shipping_templates.c.creator_id == creator_id).order_by(
            shipping_templates.c.id
        )
    ).all()
    return [to_template(r) for r in rows]


def owned_template(conn: Connection, creator_id: int, template_id: int) -> ShippingTemplate:
    """One of the creator's templates; 404 for another's as for one that does not exist."""
    row = template_row(conn, creator_id, template_id)
    if row is None:
        raise not_found("shipping template", template_id)
    return to_template(row)


def quote_for(conn: Connection, creator_id: int, template_id: int, region: str) -> ShippingQuote:
    """What an order shipped to ``region`` would pay under one of the creator's templates."""
    row = template_row(conn, creator_id, template_id)
    if row is None:
        raise not_found("shipping template", template_id)
    fee = fee_for(row, region)
    return ShippingQuote(region=region, ships=fee is not None, fee_fen=fee)


# --- service ------------------------------------------------------------------------------


def _values(body: ShippingTemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "kind": body.kind.value,
        "flat_fee_fen": body.flat_fee_fen,
        "default_fee_fen": body.default_fee_fen,
        "region_fees": dict(body.region_fees),
        "excluded_regions": list(body.excluded_regions),
    }


def create_template(
    conn: Connection, creator_id: int, body: ShippingTemplateIn
) -> ShippingTemplate:
    """Store a new template of the creator's."""
    now = utcnow()
    new_id = insert_id(
        conn,
        shipping_templates,
        creator_id=creator_id,
        deleted=False,
        created_at=now,
        updated_at=now,
        **_values(body),
    )
    return owned_template(conn, creator_id, int(new_id))


def replace_template(
    conn: Connection, creator_id: int, template_id: int, body: ShippingTemplateIn
) -> ShippingTemplate:
    """Replace a template no active flash-buy uses.

    An offer's postage must not change under the viewers it was offered to: while an
    active flash-buy uses the template, the change is refused (end the flash-buy, or
    make a new template for the next ones).
    """
    # Change it first (holding the row, as delete does), then look: refusing rolls back.
    changed = conn.execute(
        shipping_templates.update()
        .where(*_owned(template_id, creator_id))
        .values(updated_at=utcnow(), **_values(body))
    ).rowcount
    if changed != 1:
        raise not_found("shipping template", template_id)
    _refuse_in_use(conn, template_id)
    return owned_template(conn, creator_id, template_id)


def delete(conn: Connection, creator_id: int, template_id: int) -> None:
    """Delete a template no active flash-buy uses."""
    # Mark it deleted first: the UPDATE holds the row, so no flash-buy can be created
    # on it until we know; if it is in use, raising rolls the mark back.
    marked = conn.execute(
        shipping_templates.update()
        .where(*_owned(template_id, creator_id))
        .values(deleted=True, updated_at=utcnow())
    ).rowcount
    if marked != 1:
        raise not_found("shipping template", template_id)
    _refuse_in_use(conn, template_id)
    # Kept, marked deleted: past orders still say how their postage was charged.


def _refuse_in_use(conn: Connection, template_id: int) -> None:
    """Raise TEMPLATE_IN_USE while an active flash-buy uses the template."""
    in_use = conn.execute(_ACTIVE_USERS, {"template": template_id}).scalar_one()
    if in_use:
        raise ApiError(
            ErrorCode.TEMPLATE_IN_USE,
            f"{in_use} active flash-buy(s) use this template; end them first",
            active_flashbuys=in_use,
        )


# --- router -------------------------------------------------------------------------------


@router.get("/shipping-templates", response_model=list[ShippingTemplate])
def list_templates(me: CreatorDep, db: DbDep) -> list[ShippingTemplate]:
    """The creator's templates, oldest first."""
    with db.read() as conn:
        return templates_of(conn, me.id)


@router.post("/shipping-templates", response_model=ShippingTemplate, status_code=201)
def post_template(body: ShippingTemplateIn, me: CreatorDep, once: OnceDep) -> Response:
    """Create a shipping template."""
    return once(me.key, body, lambda conn: create_template(conn, me.id, body))


@router.get("/shipping-templates/{template_id}", response_model=ShippingTemplate)
def get_template(template_id: PathId, me: CreatorDep, db: DbDep) -> ShippingTemplate:
    """One of the creator's templates."""
    with db.read() as conn:
        return owned_template(conn, me.id, template_id)


@router.put("/shipping-templates/{template_id}", response_model=ShippingTemplate)
def put_template(
    template_id: PathId, body: ShippingTemplateIn, me: CreatorDep, db: DbDep
) -> ShippingTemplate:
    """Replace a template no active flash-buy uses.

    An offer's postage must not change under the viewers it was offered to: while an
    active flash-buy uses the template, the change is refused (end the flash-buy, or
    make a new template for the next ones).
    """
    with db.write() as conn:
        return replace_template(conn, me.id, template_id, body)


@router.delete("/shipping-templates/{template_id}", status_code=204)
def delete_template(template_id: PathId, me: CreatorDep, db: DbDep) -> None:
    """Delete a template no active flash-buy uses."""
    with db.write() as conn:
        delete(conn, me.id, template_id)


@router.post("/shipping-templates/{template_id}/quote", response_model=ShippingQuote)
def quote(template_id: PathId, body: ShippingQuoteIn, me: CreatorDep, db: DbDep) -> ShippingQuote:
    """What an order shipped to a region would pay under this template."""
    with db.read() as conn:
        return quote_for(conn, me.id, template_id, body.region)

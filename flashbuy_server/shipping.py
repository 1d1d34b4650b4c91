"""A creator's shipping templates and the postage an order pays."""

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
from flashbuy_server import idempotency
from flashbuy_server.db import insert_id, lock_rows
from flashbuy_server.deps import CreatorDep, DbDep, IdemKeyDep, PathId
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import flashbuys, shipping_templates

router = APIRouter(tags=["shipping"])


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


def template_row(
    conn: Connection, creator_id: int, template_id: int, *, share_lock: bool = False
) -> Row[Any] | None:
    """The creator's live (not deleted) template, or None.

    With ``share_lock`` the row cannot be deleted until this transaction ends:
    a flash-buy being created on it and a delete cannot both succeed.
    """
    query = sa.select(shipping_templates).where(
        shipping_templates.c.id == template_id,
        shipping_templates.c.creator_id == creator_id,
        shipping_templates.c.deleted.is_(False),
    )
    if share_lock:
        query = lock_rows(conn, query, read=True)
    return conn.execute(query).first()


def to_template(row: Row[Any]) -> ShippingTemplate:
    """The API view of a template row."""
    return ShippingTemplate(
        id=row.id,
        name=row.name,
        kind=TemplateKind(row.kind),
        flat_fee_fen=row.flat_fee_fen,
        default_fee_fen=row.default_fee_fen,
        region_fees=dict(row.region_fees),
        excluded_regions=list(row.excluded_regions),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


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
    row = template_row(conn, creator_id, int(new_id))
    assert row is not None
    return to_template(row)


@router.get("/shipping-templates", response_model=list[ShippingTemplate])
def list_templates(me: CreatorDep, db: DbDep) -> list[ShippingTemplate]:
    """The creator's templates, oldest first."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(shipping_templates)
            .where(
                shipping_templates.c.creator_id == me.id, shipping_templates.c.deleted.is_(False)
            )
            .order_by(shipping_templates.c.id)
        ).all()
    return [to_template(r) for r in rows]


@router.post("/shipping-templates", response_model=ShippingTemplate, status_code=201)
def post_template(body: ShippingTemplateIn, me: CreatorDep, db: DbDep, key: IdemKeyDep) -> Response:
    """Create a shipping template."""
    return idempotency.run_once(
        db,
        me.key,
        key,
        idempotency.fingerprint("POST", "/shipping-templates", body),
        201,
        lambda conn: create_template(conn, me.id, body),
    )


@router.get("/shipping-templates/{template_id}", response_model=ShippingTemplate)
def get_template(template_id: PathId, me: CreatorDep, db: DbDep) -> ShippingTemplate:
    """One of the creator's templates."""
    with db.read() as conn:
        row = template_row(conn, me.id, template_id)
    if row is None:
        raise not_found("shipping template", template_id)
    return to_template(row)


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
        # Change it first (holding the row, as delete does), then look: refusing rolls back.
        changed = conn.execute(
            shipping_templates.update()
            .where(
                shipping_templates.c.id == template_id,
                shipping_templates.c.creator_id == me.id,
                shipping_templates.c.deleted.is_(False),
            )
            .values(updated_at=utcnow(), **_values(body))
        ).rowcount
        if changed != 1:
            raise not_found("shipping template", template_id)
        _refuse_in_use(conn, template_id)
        row = template_row(conn, me.id, template_id)
    assert row is not None
    return to_template(row)


@router.delete("/shipping-templates/{template_id}", status_code=204)
def delete_template(template_id: PathId, me: CreatorDep, db: DbDep) -> None:
    """Delete a template no active flash-buy uses."""
    with db.write() as conn:
        # Mark it deleted first: the UPDATE holds the row, so no flash-buy can be created
        # on it until we know; if it is in use, raising rolls the mark back.
        marked = conn.execute(
            shipping_templates.update()
            .where(
                shipping_templates.c.id == template_id,
                shipping_templates.c.creator_id == me.id,
                shipping_templates.c.deleted.is_(False),
            )
            .values(deleted=True, updated_at=utcnow())
        ).rowcount
        if marked != 1:
            raise not_found("shipping template", template_id)
        _refuse_in_use(conn, template_id)
        # Kept, marked deleted: past orders still say how their postage was charged.


def _refuse_in_use(conn: Connection, template_id: int) -> None:
    """Raise TEMPLATE_IN_USE while an active flash-buy uses the template."""
    in_use = conn.execute(
        sa.select(sa.func.count())
        .select_from(flashbuys)
        .where(
            flashbuys.c.template_id == template_id,
            flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
        )
    ).scalar_one()
    if in_use:
        raise ApiError(
            ErrorCode.TEMPLATE_IN_USE,
            f"{in_use} active flash-buy(s) use this template; end them first",
            active_flashbuys=in_use,
        )


@router.post("/shipping-templates/{template_id}/quote", response_model=ShippingQuote)
def quote(template_id: PathId, body: ShippingQuoteIn, me: CreatorDep, db: DbDep) -> ShippingQuote:
    """What an order shipped to a region would pay under this template."""
    with db.read() as conn:
        row = template_row(conn, me.id, template_id)
    if row is None:
        raise not_found("shipping template", template_id)
    fee = fee_for(row, body.region)
    return ShippingQuote(region=body.region, ships=fee is not None, fee_fen=fee)

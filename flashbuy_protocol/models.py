"""Request and response bodies of the platform's HTTP API.

Request models forbid unknown fields and take numbers strictly (``12.5`` is not
a stock, ``"12"`` is not a price, ``true`` is not an id), so a client's mistake is refused
instead of silently coerced. Money fields are whole fen (``*_fen``).

The OpenAPI document says every rule these models check (lengths, patterns, the regions,
which fields go with which kind of shipping template), so a client generated from it, or a
fuzzer, sends only what the platform accepts; tests/server/test_openapi.py holds them to it.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from flashbuy_protocol.enums import (
    CancelledBy,
    FlashBuyStatus,
    LiveStatus,
    Mode,
    OrderSource,
    OrderStatus,
    TemplateKind,
)
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.events import EventType
from flashbuy_protocol.limits import (
    CANCEL_REASON_MAX,
    COMMENT_MAX,
    FACT_PATTERN,
    FEE_MAX_FEN,
    FILLED_TEXT_PATTERN,
    HOLD_BACK_MAX,
    HOLD_BACK_MIN,
    ID_MAX,
    LIVE_TITLE_MAX,
    NICKNAME_MAX,
    NOTE_MAX,
    PAY_MINUTES_DEFAULT,
    PAY_MINUTES_MAX,
    PAY_MINUTES_MIN,
    PICTURE_ID_PATTERN,
    PIECE_NO_MAX,
    REGIONS,
    REPORT_DESCRIPTION_MAX,
    REPORT_NAME_MAX,
    REPORT_OS_MAX,
    REPORT_SHOPS_MAX,
    REPORT_URL_MAX,
    REPORT_VERSION_MAX,
    STOCK_MAX,
    STOCK_MIN,
    TARGETS_MAX,
    TEMPLATE_NAME_MAX,
    TEXT_PATTERN,
    TITLE_MAX,
    VIEWER_NOTE_MAX,
)
from flashbuy_protocol.money import MAX_PRICE_FEN, MIN_PRICE_FEN


def _text(max_length: int, min_length: int = 1) -> StringConstraints:
    """Text a person types: trimmed, within length, the text rule (limits.TEXT_PATTERN).

    A field that must not be empty must also have something to read once trimmed.
    """
    pattern = FILLED_TEXT_PATTERN if min_length else TEXT_PATTERN
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=pattern
    )


# JSON has one kind of number: 62 and 62.0 are the same value, and JSON Schema's "integer"
# admits both, so a whole 62.0 is taken as the integer 62. Nothing is rounded: 62.5 stays
# refused, and so do "62" and true. Past 2**53 a float no longer holds every integer (the
# number written may not be the one parsed), so such a float is refused too.
WHOLE_FLOAT_MAX = 2**53


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) <= WHOLE_FLOAT_MAX:
        return int(value)
    return value


# The bounds sit inside the whole-float step so the document states them as JSON Schema's
# minimum and maximum. An id's upper bound is the one of a 64-bit signed integer, which the
# document states as OpenAPI's "format": "int64": as a "maximum" it would be written as a
# double (FastAPI's document model holds bounds as floats), and 2**63 - 1 rounds up to 2**63.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "format": "int64", "minimum": 1}
Id = Annotated[
    StrictInt, Field(ge=1, le=ID_MAX), BeforeValidator(_whole), WithJsonSchema(ID_SCHEMA)
]
PriceFen = Annotated[StrictInt, Field(ge=MIN_PRICE_FEN, le=MAX_PRICE_FEN), BeforeValidator(_whole)]
FeeFen = Annotated[StrictInt, Field(ge=0, le=FEE_MAX_FEN), BeforeValidator(_whole)]
Stock = Annotated[StrictInt, Field(ge=STOCK_MIN, le=STOCK_MAX), BeforeValidator(_whole)]
PayMinutes = Annotated[
    StrictInt, Field(ge=PAY_MINUTES_MIN, le=PAY_MINUTES_MAX), BeforeValidator(_whole)
]
HoldBack = Annotated[StrictInt, Field(ge=HOLD_BACK_MIN, le=HOLD_BACK_MAX), BeforeValidator(_whole)]
Title = Annotated[str, _text(TITLE_MAX)]


def _known_region(region: str) -> str:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; use a province name such as 浙江")
    return region


# One of REGIONS, exactly as listed (a picker sends it so); the document lists them as an enum,
# the check keeps its own message rather than pydantic's list of 34 literals.
REGION_SCHEMA: dict[str, Any] = {"type": "string", "enum": list(REGIONS)}
Region = Annotated[str, AfterValidator(_known_region), WithJsonSchema(REGION_SCHEMA)]


class Request(BaseModel):
    """Base of request bodies: unknown fields are an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    """Base of response bodies: tolerant of fields a newer platform adds."""

    model_config = ConfigDict(extra="ignore")


# --- accounts -----------------------------------------------------------------------------


class SignIn(Request):
    """A creator's credentials."""

    username: Annotated[str, _text(64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Shop(Response):
    """A merchant whose products a creator sells."""

    id: int
    name: str
    qualified: bool


class Creator(Response):
    """The signed-in streamer account and the shops it is bound to."""

    id: int
    username: str
    display_name: str
    invited: bool
    shops: list[Shop]


class SignInResult(Response):
    """A bearer token for the creator; keep it secret."""

    token: str
    expires_at: datetime
    creator: Creator


# --- catalog ------------------------------------------------------------------------------


class Category(Response):
    """A product category; only approved ones allow flash-buy."""

    id: int
    name: str
    approved: bool


class Quota(Response):
    """How many flash-buys of each mode a product has used and has left."""

    full_used: int
    full_limit: int
    full_left: int
    targeted_used: int
    targeted_limit: int
    targeted_left: int


class Product(Response):
    """A shop's listing, with whether this creator can flash-buy it now and why not."""

    id: int
    name: str
    shop_id: int
    shop_name: str
    category_id: int
    category_name: str
    eligible: bool
    ineligible_reason: ErrorCode | None
    quota: Quota


# --- shipping -----------------------------------------------------------------------------


def _no_fee_and_exclusion(region: str) -> dict[str, Any]:
    """A template that both charges for ``region`` and excludes it (to be refused)."""
    return {
        "required": ["region_fees", "excluded_regions"],
        "properties": {
            "region_fees": {"required": [region]},
            "excluded_regions": {"contains": {"const": region}},
        },
    }


def _template_rules(schema: dict[str, Any]) -> None:
    """Say in the document which fields go with which kind, as ``_consistent`` checks them."""
    none = {"type": "null"}
    fee = {"type": "integer"}
    no_region_fees = {"maxProperties": 0}
    schema["oneOf"] = [
        {
            "properties": {
                "kind": {"const": TemplateKind.FREE.value},
                "flat_fee_fen": none,
                "default_fee_fen": none,
                "region_fees": no_region_fees,
            }
        },
        {
            "required": ["flat_fee_fen"],
            "properties": {
                "kind": {"const": TemplateKind.FLAT.value},
                "flat_fee_fen": fee,
                "default_fee_fen": none,
                "region_fees": no_region_fees,
            },
        },
        {
            "required": ["default_fee_fen"],
            "properties": {
                "kind": {"const": TemplateKind.BY_REGION.value},
                "flat_fee_fen": none,
                "default_fee_fen": fee,
            },
            "not": {"anyOf": [_no_fee_and_exclusion(region) for region in REGIONS]},
        },
    ]


class ShippingTemplateIn(Request):
    """A shipping template as the creator writes it.

    ``free`` needs nothing more; ``flat`` needs ``flat_fee_fen``; ``by_region`` needs
    ``default_fee_fen`` and may set ``region_fees``. Any kind may exclude regions, each
    once, and none that also has a fee.
    """

    # One model, not a union per kind: the console builds it from its form, and refusals
    # keep their messages; the document states the same rules as a ``oneOf`` on ``kind``.
    model_config = ConfigDict(json_schema_extra=_template_rules)

    name: Annotated[str, _text(TEMPLATE_NAME_MAX)]
    kind: TemplateKind
    flat_fee_fen: FeeFen | None = None
    default_fee_fen: FeeFen | None = None
    region_fees: Annotated[dict[Region, FeeFen], Field(max_length=len(REGIONS))] = Field(
        default_factory=dict
    )
    excluded_regions: Annotated[
        list[Region], Field(max_length=len(REGIONS), json_schema_extra={"uniqueItems": True})
    ] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if set(self.region_fees) & set(self.excluded_regions):
            raise ValueError("a region cannot both have a fee and be excluded")
        if len(set(self.excluded_regions)) != len(self.excluded_regions):
            raise ValueError("excluded_regions lists a region twice")
        if self.kind is TemplateKind.FLAT:
            if self.flat_fee_fen is None:
                raise ValueError("a flat template needs flat_fee_fen")
            if self.default_fee_fen is not None or self.region_fees:
                raise ValueError("a flat template takes only flat_fee_fen")
        elif self.kind is TemplateKind.BY_REGION:
            if self.default_fee_fen is None:
                raise ValueError("a by_region template needs default_fee_fen for unlisted regions")
            if self.flat_fee_fen is not None:
                raise ValueError("a by_region template takes default_fee_fen and region_fees")
        elif self.flat_fee_fen is not None or self.default_fee_fen is not None or self.region_fees:
            raise ValueError("a free template takes no fees")
        return self


class ShippingTemplate(Response):
    """A stored shipping template."""

    id: int
    name: str
    kind: TemplateKind
    flat_fee_fen: int | None
    default_fee_fen: int | None
    region_fees: dict[str, int]
    excluded_regions: list[str]
    created_at: datetime
    updated_at: datetime


class ShippingQuoteIn(Request):
    """Ask what an order shipped to ``region`` would pay."""

    region: Region


class ShippingQuote(Response):
    """Postage for one region, or that the template does not ship there."""

    region: str
    ships: bool
    fee_fen: int | None


# --- live rooms ---------------------------------------------------------------------------


class LiveStart(Request):
    """Start a live broadcast."""

    title: Annotated[str, _text(LIVE_TITLE_MAX)]


class Room(Response):
    """A live room; ``last_event_id`` is the newest event id of its stream.

    ``order_count`` and ``sales_fen`` are the live's sales so far (paid orders, the sum of
    their prices in fen, postage aside); ``held_count`` and ``held_fen`` the orders waiting
    to be paid. The platform counts them: the console shows these, and the ``live.totals``
    event carries them as they change.
    """

    id: int
    creator_id: int
    title: str
    status: LiveStatus
    started_at: datetime
    ended_at: datetime | None
    viewer_count: int
    last_event_id: int
    order_count: int
    sales_fen: int
    held_count: int = 0
    held_fen: int = 0


class LiveSummary(Room):
    """A live with its totals so far: flash-buys made, besides the room's orders and sales."""

    flashbuy_count: int


class JoinRoom(Request):
    """A viewer entering a live room."""

    nickname: Annotated[str, _text(NICKNAME_MAX)]
    region: Region | None = None


class Viewer(Response):
    """A viewer as the creator sees them."""

    id: int
    nickname: str
    region: str | None = None


class JoinResult(Response):
    """The viewer's identity and bearer token for this room."""

    viewer: Viewer
    token: str
    room: Room


class CommentIn(Request):
    """A live comment."""

    text: Annotated[str, _text(COMMENT_MAX)]


class Comment(Response):
    """A live comment as stored."""

    id: int
    room_id: int
    viewer_id: int
    nickname: str
    text: str
    created_at: datetime


# --- pictures -----------------------------------------------------------------------------


class Picture(Response):
    """An uploaded picture, named by the SHA-256 of its bytes."""

    id: str
    content_type: str
    width: int
    height: int
    size_bytes: int


# --- problem reports ----------------------------------------------------------------------

REPORT_FORMAT = 1  # report.json's layout; a console that changes it raises this


# The times the platform accepts from a client: in this range, in UTC, whatever the offset.
# A date at the edge of what datetime holds (9999-12-31T23:59:59-14:00) cannot even be
# converted to UTC; such a value is refused as a validation error, never a 500.
TIMESTAMP_MIN = datetime(2000, 1, 1, tzinfo=UTC)
TIMESTAMP_MAX = datetime(2100, 1, 1, tzinfo=UTC)


def _in_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("the time is out of range (2000 to 2100)") from exc
    if not TIMESTAMP_MIN <= utc < TIMESTAMP_MAX:
        raise ValueError("the time is out of range (2000 to 2100)")
    return utc


AcceptedTime = Annotated[AwareDatetime, AfterValidator(_in_range)]


def _fact(max_length: int) -> StringConstraints:
    """A fact the console states about itself: within length, the text rule, as it is."""
    return StringConstraints(max_length=max_length, pattern=FACT_PATTERN)


class ReportShop(BaseModel):
    """A shop the reporting creator is bound to, as the console knew it."""

    model_config = ConfigDict(extra="ignore")

    id: Id
    name: Annotated[str, _fact(REPORT_NAME_MAX)]


class ProblemReport(BaseModel):
    """``report.json`` in a problem report: what support asks for, stated by the console.

    Newer consoles may add facts, so unknown fields are ignored; the platform records
    who sent the report from the token, never from these fields.
    """

    model_config = ConfigDict(extra="ignore")

    format: Literal[1]
    created_at: AcceptedTime
    creator_id: Id | None
    creator_name: Annotated[str, _fact(REPORT_NAME_MAX)]
    shops: Annotated[list[ReportShop], Field(max_length=REPORT_SHOPS_MAX)]
    platform_url: Annotated[str, _fact(REPORT_URL_MAX)]
    os: Annotated[str, _fact(REPORT_OS_MAX)]
    app_version: Annotated[str, _fact(REPORT_VERSION_MAX)]
    qt_version: Annotated[str, _fact(REPORT_VERSION_MAX)]
    pyside_version: Annotated[str, _fact(REPORT_VERSION_MAX)]
    python_version: Annotated[str, _fact(REPORT_VERSION_MAX)]
    description: Annotated[str, _fact(REPORT_DESCRIPTION_MAX)]


class SupportReceipt(Response):
    """The platform's receipt for a problem report: the number support knows it by."""

    id: int
    received_at: datetime
    size_bytes: int
    sha256: str


# --- flash-buys and orders ----------------------------------------------------------------


class FlashBuyCreate(Request):
    """Create a flash-buy in a live room from a product."""

    product_id: Id
    mode: Mode
    title: Title
    piece_no: Annotated[str, _text(PIECE_NO_MAX, min_length=0)] = ""
    price_fen: PriceFen
    stock: Stock = 1
    picture_id: Annotated[str, StringConstraints(pattern=PICTURE_ID_PATTERN)]
    template_id: Id
    target_viewer_ids: Annotated[list[Id], Field(max_length=TARGETS_MAX)] = Field(
        default_factory=list
    )
    note: Annotated[str, _text(NOTE_MAX, min_length=0)] = ""
    # How long a buyer has to pay once the piece is theirs.
    pay_minutes: PayMinutes = PAY_MINUTES_DEFAULT
    # Viewers with this many expired orders (with this creator) may not buy it; None: all may.
    hold_back_after: HoldBack | None = None


class FlashBuy(Response):
    """A flash-buy with its live counters."""

    id: int
    room_id: int
    product_id: int
    product_name: str
    category_id: int
    category_name: str
    mode: Mode
    title: str
    piece_no: str
    price_fen: int
    stock: int
    # Pieces taken: paid, or held while their buyer's pay window runs (``held`` of them).
    sold: int
    held: int = 0
    waiting: int = 0  # viewers in the queue for a piece that comes back
    status: FlashBuyStatus
    # Grows by one with every change the platform makes: of two views of one flash-buy, the
    # one with the higher revision is the newer, whatever its counters say.
    revision: int
    pay_minutes: int = PAY_MINUTES_DEFAULT
    hold_back_after: int | None = None
    picture_id: str
    template_id: int
    note: str
    targets: list[Viewer]
    created_at: datetime
    ended_at: datetime | None


class FlashBuyProgress(Response):
    """How far a flash-buy has sold: the data of its ``updated`` and ``sold_out`` events."""

    id: int
    room_id: int
    sold: int
    stock: int
    held: int = 0
    waiting: int = 0
    status: FlashBuyStatus
    # Grows by one with every change the platform makes: of two views of one flash-buy, the
    # one with the higher revision is the newer, whatever its counters say.
    revision: int


class StatusCounts(Response):
    """How many flash-buys match the other filters, per status."""

    active: int = 0
    sold_out: int = 0
    ended: int = 0


class FlashBuyList(Response):
    """A filtered page of flash-buys, newest first, with counts per status."""

    items: list[FlashBuy]
    total: int
    counts: StatusCounts


class OrderCreate(Request):
    """A viewer's purchase; ``region`` decides the postage."""

    region: Region | None = None


class Order(Response):
    """One viewer's purchase of one piece of a flash-buy, and where it stands.

    A ``held`` order must be paid by ``pay_until``; ``closed_at`` is when it was paid,
    expired or cancelled. ``previous_order_id`` names the order whose piece this one took
    over (the queue's next viewer, or the one the seller chose).
    """

    id: int
    flashbuy_id: int
    room_id: int
    viewer_id: int
    nickname: str
    price_fen: int
    shipping_fen: int
    total_fen: int
    region: str | None
    created_at: datetime
    # Grows by one with every change the platform makes: of two views of one order, the
    # one with the higher revision is the newer, whatever its counters say.
    revision: int
    status: OrderStatus = OrderStatus.PAID
    pay_until: datetime | None = None
    closed_at: datetime | None = None
    cancelled_by: CancelledBy | None = None
    cancel_reason: str = ""
    source: OrderSource = OrderSource.OFFER
    previous_order_id: int | None = None


class OrderCancel(Request):
    """Cancel a held order: the buyer needs no reason, the seller gives one."""

    reason: Annotated[str, _text(CANCEL_REASON_MAX, min_length=0)] = ""


class HandOver(Request):
    """The seller gives a piece to a viewer they choose.

    A free piece (one that came back) goes to ``viewer_id``; with ``replacing_order_id``,
    that unpaid order is cancelled and its piece goes to the viewer instead, in one step.
    """

    viewer_id: Id
    replacing_order_id: Id | None = None


class QueueEntry(Response):
    """A viewer waiting for a piece of a taken flash-buy to come back (候补).

    ``position`` counts from 1 at the front, when the entry was read.
    """

    flashbuy_id: int
    room_id: int
    viewer_id: int
    nickname: str
    position: int
    joined_at: datetime


class Checkout(Response):
    """Where the buyer pays a held order: the payment provider's page for it."""

    order_id: int
    payment_id: str
    provider: str
    pay_url: str
    amount_fen: int
    pay_until: datetime


class ViewerRecord(Response):
    """What a creator knows of one viewer across its lives: who pays, who does not.

    ``expired_count``: orders left unpaid until their window ran out (跑单);
    ``cancelled_count``: held orders the viewer cancelled. ``blocked`` viewers get no offer
    from this creator and are refused at checkout.
    """

    viewer_id: int
    nickname: str
    paid_count: int = 0
    paid_fen: int = 0
    expired_count: int = 0
    cancelled_count: int = 0
    note: str = ""
    blocked: bool = False


class ViewerRecordChange(Request):
    """The seller's note on a viewer, and whether the viewer is blocked; omitted: unchanged.

    ``blocked`` takes JSON's true or false only: a lax bool would read ``"yes"``, ``"off"``
    or ``1`` as a choice the seller never made.
    """

    note: Annotated[str, _text(VIEWER_NOTE_MAX, min_length=0)] | None = None
    blocked: StrictBool | None = None


# --- events -------------------------------------------------------------------------------


class Event(Response):
    """One change in a live room; ``id`` grows by one per room.

    ``data`` is the model :data:`flashbuy_protocol.event_payloads.PAYLOADS` names for ``type``
    (read it with :func:`flashbuy_protocol.event_payloads.payload`). A type this side does not
    know (a newer platform's) fails validation: a reader skips that event, it never guesses.
    """

    id: int
    room_id: int
    type: EventType
    data: dict[str, Any]
    created_at: datetime

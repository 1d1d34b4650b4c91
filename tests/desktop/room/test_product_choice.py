"""Which product a new flash-buy may use and which one is preselected: plain rules, no Qt."""

from datetime import UTC, datetime

from flashbuy_desktop.room.product_choice import Unusable, preselect, repeated_pieces, unusable
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuy, Product, Quota


def product(
    pid: int, *, full_left: int = 5, targeted_left: int = 5, eligible: bool = True
) -> Product:
    return Product(
        id=pid,
        name=f"p{pid}",
        shop_id=1,
        shop_name="shop",
        category_id=1,
        category_name="翡翠",
        eligible=eligible,
        ineligible_reason=None if eligible else ErrorCode.CATEGORY_NOT_APPROVED,
        quota=Quota(
            full_used=20 - full_left,
            full_limit=20,
            full_left=full_left,
            targeted_used=100 - targeted_left,
            targeted_limit=100,
            targeted_left=targeted_left,
        ),
    )


def flashbuy(fid: int, piece: str, status: FlashBuyStatus) -> FlashBuy:
    return FlashBuy(
        id=fid,
        room_id=1,
        product_id=1,
        product_name="p1",
        category_id=1,
        category_name="翡翠",
        mode=Mode.FULL,
        title=f"{piece}号",
        piece_no=piece,
        price_fen=100,
        stock=1,
        sold=0,
        status=status,
        revision=1,
        picture_id="0" * 64,
        template_id=1,
        note="",
        targets=[],
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        ended_at=None,
    )


def test_a_product_is_usable_while_eligible_with_quota_left_in_its_mode() -> None:
    assert unusable(product(1), Mode.FULL) is None
    assert unusable(product(1, eligible=False), Mode.FULL) is Unusable.NOT_ELIGIBLE
    assert unusable(product(1, eligible=False), Mode.TARGETED) is Unusable.NOT_ELIGIBLE
    used_up = product(1, full_left=0)
    assert unusable(used_up, Mode.FULL) is Unusable.FULL_USED_UP
    assert unusable(used_up, Mode.TARGETED) is None  # the quotas are separate
    assert unusable(product(1, targeted_left=0), Mode.TARGETED) is Unusable.TARGETED_USED_UP


def test_the_last_product_is_preselected_and_never_swapped_for_another() -> None:
    products = [product(1), product(2), product(3)]
    assert preselect(products, 2, Mode.FULL).row == 1
    used_up = [product(1), product(2, full_left=0), product(3)]
    choice = preselect(used_up, 2, Mode.FULL)
    assert choice.row == -1  # not product 1 or 3 in its place
    assert choice.last_unusable == used_up[1]
    assert not choice.last_gone
    assert preselect(used_up, 2, Mode.TARGETED).row == 1
    gone = preselect(products, 9, Mode.FULL)
    assert (gone.row, gone.last_unusable, gone.last_gone) == (-1, None, True)


def test_without_a_last_product_the_first_usable_one_is_preselected() -> None:
    products = [product(1, eligible=False), product(2, full_left=0), product(3)]
    assert preselect(products, None, Mode.FULL).row == 2
    assert preselect(products, None, Mode.TARGETED).row == 1
    assert preselect(products[:2], None, Mode.FULL) == preselect([], None, Mode.FULL)
    assert preselect([], None, Mode.FULL).row == -1


def test_repeated_pieces_are_the_active_or_sold_ones_of_the_same_number() -> None:
    live = [
        flashbuy(1, "3", FlashBuyStatus.ENDED),
        flashbuy(2, "3号", FlashBuyStatus.SOLD_OUT),
        flashbuy(3, "#3", FlashBuyStatus.ACTIVE),
        flashbuy(4, "4", FlashBuyStatus.ACTIVE),
    ]
    assert [fb.id for fb in repeated_pieces("3", live)] == [2, 3]
    assert [fb.id for fb in repeated_pieces("No.4", live)] == [4]
    assert repeated_pieces("5", live) == []
    assert repeated_pieces("", live) == []

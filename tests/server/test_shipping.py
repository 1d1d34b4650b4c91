"""Shipping templates: their life cycle, quotes, the postage orders pay, and who may touch them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest

from flashbuy_protocol.errors import ErrorCode
from tests.support import Api, World, expect_error, make_world, snapshot

FREE: dict[str, Any] = {"name": "包邮", "kind": "free", "excluded_regions": ["台湾"]}
FLAT: dict[str, Any] = {"name": "统一运费", "kind": "flat", "flat_fee_fen": 1_000}
BY_REGION: dict[str, Any] = {
    "name": "偏远加价",
    "kind": "by_region",
    "default_fee_fen": 800,
    "region_fees": {"新疆": 3_000, "西藏": 3_500},
    "excluded_regions": ["香港", "澳门"],
}
MISSING_ID = 999_999_999


def create(creator: Api, body: dict[str, Any]) -> dict[str, Any]:
    template: dict[str, Any] = creator.ok("POST", "/shipping-templates", 201, json=body)
    return template


def quote(creator: Api, template_id: int, region: str) -> dict[str, Any]:
    got: dict[str, Any] = creator.ok(
        "POST", f"/shipping-templates/{template_id}/quote", json={"region": region}
    )
    return got


def as_written(template: dict[str, Any]) -> dict[str, Any]:
    """The fields a creator writes, with the defaults the platform fills in."""
    return {
        "name": template["name"],
        "kind": template["kind"],
        "flat_fee_fen": template["flat_fee_fen"],
        "default_fee_fen": template["default_fee_fen"],
        "region_fees": template["region_fees"],
        "excluded_regions": template["excluded_regions"],
    }


def written(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "flat_fee_fen": None,
        "default_fee_fen": None,
        "region_fees": {},
        "excluded_regions": [],
        **body,
    }


def test_templates_of_each_kind_are_created_listed_and_read(world: World) -> None:
    made = [create(world.creator, body) for body in (FREE, FLAT, BY_REGION)]
    for body, template in zip((FREE, FLAT, BY_REGION), made, strict=True):
        assert as_written(template) == written(body)
        assert template["created_at"] == template["updated_at"]
        assert world.creator.ok("GET", f"/shipping-templates/{template['id']}") == template
    listed = world.creator.ok("GET", "/shipping-templates")
    assert [t["id"] for t in listed] == [world.template_id] + [t["id"] for t in made]
    assert listed[1:] == made


def test_a_template_is_replaced_by_put(world: World) -> None:
    template = create(world.creator, FLAT)
    changed = world.creator.ok("PUT", f"/shipping-templates/{template['id']}", json=BY_REGION)
    assert changed["id"] == template["id"]
    assert as_written(changed) == written(BY_REGION)
    assert changed["created_at"] == template["created_at"]
    assert datetime.fromisoformat(changed["updated_at"]) >= datetime.fromisoformat(
        template["updated_at"]
    )
    assert world.creator.ok("GET", f"/shipping-templates/{template['id']}") == changed

    again = world.creator.ok("PUT", f"/shipping-templates/{template['id']}", json=FREE)
    assert as_written(again) == written(FREE)


def test_a_template_is_deleted(world: World) -> None:
    template = create(world.creator, BY_REGION)
    world.creator.ok("DELETE", f"/shipping-templates/{template['id']}", 204)
    expect_error(world.creator.get(f"/shipping-templates/{template['id']}"), ErrorCode.NOT_FOUND)
    listed = world.creator.ok("GET", "/shipping-templates")
    assert template["id"] not in [t["id"] for t in listed]
    before = snapshot(world.platform.db)
    for resp in (
        world.creator.delete(f"/shipping-templates/{template['id']}"),
        world.creator.put(f"/shipping-templates/{template['id']}", json=FLAT),
        world.creator.post(f"/shipping-templates/{template['id']}/quote", json={"region": "新疆"}),
    ):
        expect_error(resp, ErrorCode.NOT_FOUND)
    assert snapshot(world.platform.db) == before
    # and no new flash-buy can use it
    resp = world.creator.post(
        f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body(template_id=template["id"])
    )
    expect_error(resp, ErrorCode.TEMPLATE_NOT_FOUND)
    assert snapshot(world.platform.db) == before


@pytest.mark.parametrize(
    "body",
    [
        {"name": "缺运费", "kind": "flat"},
        {"name": "多余", "kind": "flat", "flat_fee_fen": 500, "default_fee_fen": 500},
        {"name": "包邮带费", "kind": "free", "flat_fee_fen": 500},
        {"name": "缺默认", "kind": "by_region", "region_fees": {"新疆": 100}},
        {
            "name": "矛盾",
            "kind": "by_region",
            "default_fee_fen": 0,
            "region_fees": {"新疆": 100},
            "excluded_regions": ["新疆"],
        },
        {"name": "重复", "kind": "free", "excluded_regions": ["西藏", "西藏"]},
        {"name": "未知地区", "kind": "free", "excluded_regions": ["火星"]},
        {"name": "负运费", "kind": "flat", "flat_fee_fen": -1},
        {"name": "小数", "kind": "flat", "flat_fee_fen": 10.5},
        {"name": "字符串", "kind": "flat", "flat_fee_fen": "1000"},
        {"name": "太贵", "kind": "flat", "flat_fee_fen": 99_999_99 + 1},
        {"name": "", "kind": "free"},
        {"name": "包邮", "kind": "express"},
        {"name": "多字段", "kind": "free", "extra": 1},
    ],
)
def test_an_invalid_template_is_refused_and_stores_nothing(
    world: World, body: dict[str, Any]
) -> None:
    before = snapshot(world.platform.db)
    expect_error(world.creator.post("/shipping-templates", json=body), ErrorCode.VALIDATION_FAILED)
    resp = world.creator.put(f"/shipping-templates/{world.template_id}", json=body)
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    assert snapshot(world.platform.db) == before


def test_quotes_give_the_fee_per_region(world: World) -> None:
    by_region = create(world.creator, BY_REGION)
    assert quote(world.creator, by_region["id"], "新疆") == {
        "region": "新疆",
        "ships": True,
        "fee_fen": 3_000,
    }
    assert quote(world.creator, by_region["id"], "西藏")["fee_fen"] == 3_500
    assert quote(world.creator, by_region["id"], "浙江") == {
        "region": "浙江",
        "ships": True,
        "fee_fen": 800,
    }
    assert quote(world.creator, by_region["id"], "香港") == {
        "region": "香港",
        "ships": False,
        "fee_fen": None,
    }

    flat = create(world.creator, {**FLAT, "excluded_regions": ["新疆"]})
    assert quote(world.creator, flat["id"], "北京") == {
        "region": "北京",
        "ships": True,
        "fee_fen": 1_000,
    }
    assert quote(world.creator, flat["id"], "新疆")["ships"] is False

    free = create(world.creator, FREE)
    assert quote(world.creator, free["id"], "广东") == {
        "region": "广东",
        "ships": True,
        "fee_fen": 0,
    }
    assert quote(world.creator, free["id"], "台湾") == {
        "region": "台湾",
        "ships": False,
        "fee_fen": None,
    }

    resp = world.creator.post(
        f"/shipping-templates/{by_region['id']}/quote", json={"region": "火星"}
    )
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    resp = world.creator.post(f"/shipping-templates/{MISSING_ID}/quote", json={"region": "浙江"})
    expect_error(resp, ErrorCode.NOT_FOUND)


def order(viewer: Api, flashbuy_id: int, body: dict[str, Any]) -> dict[str, Any]:
    placed: dict[str, Any] = viewer.ok("POST", f"/flash-buys/{flashbuy_id}/orders", 201, json=body)
    return placed


def test_orders_pay_postage_by_region(world: World) -> None:
    template = create(world.creator, BY_REGION)
    fb = world.create_flashbuy(price_fen=50_000, stock=9, template_id=template["id"])
    far, near = world.viewers[:2]

    first = order(far, fb["id"], {"region": "新疆"})
    assert (first["shipping_fen"], first["total_fen"], first["region"]) == (3_000, 53_000, "新疆")
    second = order(near, fb["id"], {"region": "浙江"})  # not listed: the default fee
    assert (second["shipping_fen"], second["total_fen"], second["region"]) == (800, 50_800, "浙江")

    excluded, _ = world.join(region="香港")
    nowhere, _ = world.join(region=None)
    before = snapshot(world.platform.db)
    resp = excluded.post(f"/flash-buys/{fb['id']}/orders", json={"region": "香港"})
    assert expect_error(resp, ErrorCode.REGION_EXCLUDED)["region"] == "香港"
    assert snapshot(world.platform.db) == before

    resp = nowhere.post(f"/flash-buys/{fb['id']}/orders", json={})
    assert expect_error(resp, ErrorCode.VALIDATION_FAILED)["field"] == "region"
    resp = nowhere.post(f"/flash-buys/{fb['id']}/orders", json={"region": "火星"})
    expect_error(resp, ErrorCode.VALIDATION_FAILED)
    assert snapshot(world.platform.db) == before

    # The refused viewers can still buy once they give a region the template ships to.
    assert order(nowhere, fb["id"], {"region": "西藏"})["shipping_fen"] == 3_500
    assert order(excluded, fb["id"], {"region": "广东"})["shipping_fen"] == 800


def test_orders_pay_flat_and_free_postage_without_a_region(world: World) -> None:
    flat = create(world.creator, FLAT)
    free = create(world.creator, {"name": "全国包邮", "kind": "free"})
    fb_flat = world.create_flashbuy(price_fen=20_000, stock=2, template_id=flat["id"])
    fb_free = world.create_flashbuy(price_fen=20_000, stock=2, template_id=free["id"])
    viewer = world.viewers[0]
    flat_order = order(viewer, fb_flat["id"], {})
    assert (flat_order["shipping_fen"], flat_order["total_fen"]) == (1_000, 21_000)
    assert order(viewer, fb_free["id"], {"region": "新疆"})["total_fen"] == 20_000
    assert order(world.viewers[1], fb_flat["id"], {"region": "新疆"})["shipping_fen"] == 1_000


def test_an_order_without_region_is_refused_when_the_template_excludes_regions(
    world: World,
) -> None:
    template = create(world.creator, {**FLAT, "excluded_regions": ["新疆"]})
    fb = world.create_flashbuy(stock=2, template_id=template["id"])
    before = snapshot(world.platform.db)
    resp = world.viewers[0].post(f"/flash-buys/{fb['id']}/orders", json={})
    assert expect_error(resp, ErrorCode.VALIDATION_FAILED)["field"] == "region"
    assert snapshot(world.platform.db) == before


def test_postage_cannot_change_under_a_live_offer(world: World) -> None:
    """Viewers were offered a price with its postage: the template is frozen while it is live."""
    template = create(world.creator, FLAT)
    fb = world.create_flashbuy(price_fen=10_000, stock=2, template_id=template["id"])
    assert order(world.viewers[0], fb["id"], {})["shipping_fen"] == 1_000
    before = snapshot(world.platform.db)
    resp = world.creator.put(
        f"/shipping-templates/{template['id']}", json={**FLAT, "flat_fee_fen": 9_999_99}
    )
    assert expect_error(resp, ErrorCode.TEMPLATE_IN_USE)["active_flashbuys"] == 1
    assert snapshot(world.platform.db) == before
    assert order(world.viewers[1], fb["id"], {})["shipping_fen"] == 1_000

    # Sold out now: nothing live uses it, and the change applies to the next offers.
    world.creator.ok(
        "PUT", f"/shipping-templates/{template['id']}", json={**FLAT, "flat_fee_fen": 1_500}
    )
    fresh = world.create_flashbuy(price_fen=10_000, stock=1, template_id=template["id"])
    assert order(world.viewers[0], fresh["id"], {})["shipping_fen"] == 1_500


def test_a_template_an_active_flashbuy_uses_cannot_be_deleted_until_it_ends(world: World) -> None:
    template = create(world.creator, BY_REGION)
    fb = world.create_flashbuy(stock=2, template_id=template["id"])

    before = snapshot(world.platform.db)
    resp = world.creator.delete(f"/shipping-templates/{template['id']}")
    assert expect_error(resp, ErrorCode.TEMPLATE_IN_USE)["active_flashbuys"] == 1
    assert snapshot(world.platform.db) == before
    assert world.creator.ok("GET", f"/shipping-templates/{template['id']}") == template

    world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    world.creator.ok("DELETE", f"/shipping-templates/{template['id']}", 204)
    expect_error(world.creator.get(f"/shipping-templates/{template['id']}"), ErrorCode.NOT_FOUND)
    # The ended flash-buy still says which template priced it.
    assert world.creator.ok("GET", f"/flash-buys/{fb['id']}")["template_id"] == template["id"]


def test_racing_delete_and_create_never_leave_a_flashbuy_on_a_deleted_template(
    world: World,
) -> None:
    creating = world.platform.client(world.creator.token)
    deleting = world.platform.client(world.creator.token)
    body = world.flashbuy_body(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])

    def create_flashbuy(template_id: int, start: threading.Barrier) -> Any:
        start.wait(timeout=30)
        return creating.post(
            f"/rooms/{world.room_id}/flash-buys", json={**body, "template_id": template_id}
        )

    def delete_template(template_id: int, start: threading.Barrier) -> Any:
        start.wait(timeout=30)
        return deleting.delete(f"/shipping-templates/{template_id}")

    try:
        with ThreadPoolExecutor(2) as pool:
            for _ in range(40):  # a race: one attempt alone may not interleave
                template = create(world.creator, {"name": "竞速", "kind": "free"})
                start = threading.Barrier(2)
                made = pool.submit(create_flashbuy, template["id"], start)
                gone = pool.submit(delete_template, template["id"], start)
                made_resp, gone_resp = made.result(), gone.result()
                if made_resp.status_code == 201:
                    expect_error(gone_resp, ErrorCode.TEMPLATE_IN_USE)
                    world.creator.ok("POST", f"/flash-buys/{made_resp.json()['id']}/end")
                else:
                    expect_error(made_resp, ErrorCode.TEMPLATE_NOT_FOUND)
                    assert gone_resp.status_code == 204, gone_resp.text
    finally:
        creating.close()
        deleting.close()


def test_a_template_of_a_sold_out_flashbuy_can_be_deleted(world: World) -> None:
    template = create(world.creator, FLAT)
    fb = world.create_flashbuy(stock=1, template_id=template["id"])
    order(world.viewers[0], fb["id"], {})
    world.creator.ok("DELETE", f"/shipping-templates/{template['id']}", 204)


def test_another_creators_template_is_not_found(world: World) -> None:
    other = make_world(world.platform, viewers=0)
    try:
        theirs = create(other.creator, BY_REGION)
        path = f"/shipping-templates/{theirs['id']}"
        before = snapshot(world.platform.db)
        expect_error(world.creator.get(path), ErrorCode.NOT_FOUND)
        expect_error(world.creator.put(path, json=FLAT), ErrorCode.NOT_FOUND)
        expect_error(world.creator.delete(path), ErrorCode.NOT_FOUND)
        expect_error(
            world.creator.post(f"{path}/quote", json={"region": "新疆"}), ErrorCode.NOT_FOUND
        )
        resp = world.creator.post(
            f"/rooms/{world.room_id}/flash-buys",
            json=world.flashbuy_body(template_id=theirs["id"]),
        )
        expect_error(resp, ErrorCode.TEMPLATE_NOT_FOUND)
        assert snapshot(world.platform.db) == before
        assert other.creator.ok("GET", path) == theirs
        mine = [t["id"] for t in world.creator.ok("GET", "/shipping-templates")]
        assert theirs["id"] not in mine
        assert world.template_id not in [
            t["id"] for t in other.creator.ok("GET", "/shipping-templates")
        ]
    finally:
        other.close()


def test_unknown_templates_and_callers_without_a_creator_token_are_refused(world: World) -> None:
    before = snapshot(world.platform.db)
    path = f"/shipping-templates/{MISSING_ID}"
    expect_error(world.creator.get(path), ErrorCode.NOT_FOUND)
    expect_error(world.creator.put(path, json=FLAT), ErrorCode.NOT_FOUND)
    expect_error(world.creator.delete(path), ErrorCode.NOT_FOUND)
    viewer = world.viewers[0]
    expect_error(viewer.post("/shipping-templates", json=FLAT), ErrorCode.FORBIDDEN)
    expect_error(viewer.get("/shipping-templates"), ErrorCode.FORBIDDEN)
    anonymous = world.platform.client()
    try:
        expect_error(anonymous.post("/shipping-templates", json=FLAT), ErrorCode.UNAUTHENTICATED)
        expect_error(
            anonymous.get(f"/shipping-templates/{world.template_id}"), ErrorCode.UNAUTHENTICATED
        )
    finally:
        anonymous.close()
    assert snapshot(world.platform.db) == before

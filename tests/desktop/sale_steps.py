"""What a viewer's app does after the click: buy, and pay through the sandbox provider."""

from typing import Any

from tests.support import Api


def buy(viewer: Api, flashbuy_id: int, status: int = 201) -> Any:
    """The viewer buys: 201 a held order, 202 a place in the queue."""
    return viewer.ok("POST", f"/flash-buys/{flashbuy_id}/orders", status, json={"region": "浙江"})


def pay(viewer: Api, order_id: int) -> Any:
    """The viewer pays a held order as their app would: the platform's checkout, then the
    provider's page it names (the provider tells the platform by its signed callback)."""
    checkout = viewer.ok("POST", f"/orders/{order_id}/checkout", 201)
    resp = viewer.session.post(checkout["pay_url"], timeout=60)
    assert resp.status_code == 200, (resp.status_code, resp.text)
    return checkout

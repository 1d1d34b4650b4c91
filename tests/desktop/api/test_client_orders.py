"""The console's client reads a live's orders and totals from the real platform."""

from flashbuy_desktop.api.client import PlatformClient
from tests.support import World


def test_room_orders_are_every_order_of_the_live_oldest_first(world: World) -> None:
    first = world.create_flashbuy(stock=2, price_fen=10_000)
    second = world.create_flashbuy(stock=1, price_fen=20_000)
    placed = [
        world.viewers[0].ok("POST", f"/flash-buys/{first['id']}/orders", 201, json={}),
        world.viewers[1].ok("POST", f"/flash-buys/{second['id']}/orders", 201, json={}),
        world.viewers[1].ok("POST", f"/flash-buys/{first['id']}/orders", 201, json={}),
    ]
    client = PlatformClient(world.platform.url, world.creator.token)
    try:
        orders = client.room_orders(world.room_id)
        assert [o.model_dump(mode="json") for o in orders] == placed
        assert [o.id for o in orders] == sorted(o["id"] for o in placed)
        # The room carries the live's totals, as the platform counts them: held apart from
        # paid, until the buyers pay.
        room = client.room(world.room_id)
        assert (room.order_count, room.sales_fen, room.held_count, room.held_fen) == (
            0,
            0,
            3,
            40_000,
        )
        for order in placed:
            world.platform.settle(order["id"])
        room = client.room(world.room_id)
        assert (room.order_count, room.sales_fen, room.held_count, room.held_fen) == (
            3,
            40_000,
            0,
            0,
        )
    finally:
        client.close()

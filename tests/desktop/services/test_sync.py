"""The console recovers when its platform comes back from an older copy of its database.

The console had shown (and followed its stream past) comments, a flash-buy and an order
that the restored platform no longer has, and the platform's next events take ids the
console has already seen. It must show the platform's real state, say no error, and follow
what comes next.
"""

import os
import queue
import threading

from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_protocol.enums import FlashBuyStatus
from flashbuy_protocol.models import Event
from tests.backup import restore_backup, take_backup
from tests.desktop.console_steps import comment_texts, followed_window, post_comment
from tests.desktop.sale_steps import buy, pay
from tests.support import ProcessPlatform, World, make_world

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


def _table(window: MainWindow) -> list[tuple[int, str, int, FlashBuyStatus]]:
    """Id, title, sold and status of every flash-buy row, by id."""
    model = window.panel.model
    rows = [model.flashbuy(row) for row in range(model.rowCount())]
    return sorted((fb.id, fb.title, fb.sold, fb.status) for fb in rows)


def _connected(window: MainWindow) -> bool:
    return bool(window.header.connection.property("state") == "connected")


def test_the_console_shows_the_restored_platform_and_follows_it(
    qtbot: QtBot, restartable: ProcessPlatform
) -> None:
    world = make_world(restartable, viewers=2)  # type: ignore[arg-type]  # has all make_world uses
    room = world.room_id
    post_comment(world.viewers[0], room, "一")
    kept = world.create_flashbuy(stock=2, title="1号 冰种手镯")
    backup = take_backup(restartable.db)

    window = followed_window(qtbot, restartable.server.url, world.creator.token)
    # What the console sees next, the restore takes away again.
    post_comment(world.viewers[1], room, "二")
    bought = buy(world.viewers[0], kept["id"])
    pay(world.viewers[0], bought["id"])  # a sale is a paid order
    lost = world.create_flashbuy(title="2号 飘花吊坠")
    post_comment(world.viewers[1], room, "三")
    qtbot.waitUntil(lambda: comment_texts(window) == ["一", "二", "三"], timeout=10_000)
    shows = [
        (kept["id"], "1号 冰种手镯", 1, FlashBuyStatus.ACTIVE),
        (lost["id"], "2号 飘花吊坠", 0, FlashBuyStatus.ACTIVE),
    ]
    qtbot.waitUntil(lambda: _table(window) == shows, timeout=10_000)
    qtbot.waitUntil(lambda: "订单 1" in window.header.orders.text(), timeout=10_000)

    restartable.server.stop()
    qtbot.waitUntil(lambda: window.header.connection.property("state") == "reconnecting")
    restore_backup(restartable.db, backup)
    restartable.server.start()
    # The restored platform goes on; its events take ids the console has already seen.
    post_comment(world.viewers[1], room, "四")
    fresh = world.create_flashbuy(stock=1, title="3号 满绿戒面")
    assert fresh["id"] == lost["id"]  # and so does a new flash-buy

    qtbot.waitUntil(lambda: comment_texts(window) == ["一", "四"], timeout=30_000)
    shows = [
        (kept["id"], "1号 冰种手镯", 0, FlashBuyStatus.ACTIVE),
        (fresh["id"], "3号 满绿戒面", 0, FlashBuyStatus.ACTIVE),
    ]
    qtbot.waitUntil(lambda: _table(window) == shows, timeout=30_000)
    qtbot.waitUntil(lambda: _connected(window), timeout=30_000)
    assert "订单 0" in window.header.orders.text()
    assert window.error_bar.text() == ""

    # ...and follows it from there.
    pay(world.viewers[0], buy(world.viewers[0], fresh["id"])["id"])
    post_comment(world.viewers[0], room, "五")
    qtbot.waitUntil(lambda: comment_texts(window) == ["一", "四", "五"], timeout=10_000)
    qtbot.waitUntil(
        lambda: (fresh["id"], "3号 满绿戒面", 1, FlashBuyStatus.SOLD_OUT) in _table(window),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: "订单 1" in window.header.orders.text(), timeout=10_000)
    assert window.error_bar.text() == ""
    if SHOTS:
        backend = restartable.db.url.get_backend_name()
        window.grab().save(os.path.join(SHOTS, f"resynced-{backend}.png"))
    window.close()
    world.close()


def test_the_stream_reader_follows_from_the_platform_s_newest_id(world: World) -> None:
    """Told that the room ends before its resume point, the reader says so and goes on."""
    last = int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"])
    client = PlatformClient(world.platform.url, world.creator.token)
    events: queue.Queue[Event] = queue.Queue()
    resets: queue.Queue[int] = queue.Queue()
    stream = EventStream(
        client, world.room_id, after=last + 50, on_event=events.put, on_reset=resets.put
    )
    thread = threading.Thread(target=stream.run, daemon=True)
    thread.start()
    assert resets.get(timeout=30) == last
    fb = world.create_flashbuy()
    created = events.get(timeout=30)
    assert (created.id, created.type, created.data["id"]) == (
        last + 1,
        "flashbuy.created",
        fb["id"],
    )
    assert resets.empty()
    stream.stop()
    thread.join(10)
    assert not thread.is_alive()
    client.close()

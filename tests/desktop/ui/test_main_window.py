"""The main window against the real platform: the live room as the seller sees it."""

import os
from pathlib import Path

import keyring.backends.fail
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.theme import Tone, tone_of
from flashbuy_protocol.enums import FlashBuyStatus
from flashbuy_protocol.event_payloads import LiveTotals
from flashbuy_protocol.events import EventType
from flashbuy_protocol.money import format_fen
from flashbuy_server import events
from tests.desktop.console_steps import comment_texts, followed_window, post_comment
from tests.desktop.sale_steps import buy, pay
from tests.support import ProcessPlatform, World, make_world

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


def _status(window: MainWindow, flashbuy_id: int) -> FlashBuyStatus | None:
    row = window.panel.model.row_of(flashbuy_id)
    return window.panel.model.flashbuy(row).status if row >= 0 else None


def test_the_live_room_updates_as_it_happens(qtbot: QtBot, world: World) -> None:
    post_comment(
        world.viewers[0], world.room_id, "主播好"
    )  # before the window: loaded, not streamed
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    qtbot.waitUntil(lambda: comment_texts(window) == ["主播好"])

    post_comment(world.viewers[1], world.room_id, "3号多少钱")
    qtbot.waitUntil(lambda: comment_texts(window) == ["主播好", "3号多少钱"], timeout=10_000)

    fb = world.create_flashbuy(title="3号 冰种手镯")
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.ACTIVE, timeout=10_000)

    bought = buy(world.viewers[1], fb["id"])
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.SOLD_OUT, timeout=10_000)
    row = window.panel.model.row_of(fb["id"])
    assert window.panel.model.buyers(row)
    # Held, not paid yet: no sale, the held sum apart.
    qtbot.waitUntil(lambda: window.header.held.text() == "· 待付 ¥1,288.00", timeout=10_000)
    assert window.header.orders.text() == "订单 0 · 成交 ¥0.00"
    pay(world.viewers[1], bought["id"])
    qtbot.waitUntil(lambda: "订单 1" in window.header.orders.text(), timeout=10_000)
    assert "1,288.00" in window.header.orders.text()
    assert window.header.held.isHidden()

    world.join("新来的")
    qtbot.waitUntil(lambda: "3" in window.header.viewers.text(), timeout=10_000)
    window.close()


def test_a_platform_restart_mid_stream_loses_nothing(
    qtbot: QtBot, restartable: ProcessPlatform
) -> None:
    world = make_world(restartable, viewers=2)  # type: ignore[arg-type]  # has all make_world uses
    fb = world.create_flashbuy(stock=2)
    window = followed_window(qtbot, restartable.server.url, world.creator.token)
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.ACTIVE)
    post_comment(world.viewers[0], world.room_id, "一")
    qtbot.waitUntil(lambda: comment_texts(window) == ["一"])

    restartable.server.stop()
    qtbot.waitUntil(lambda: window.header.connection.property("state") == "reconnecting")
    restartable.server.start()
    # While the console reconnects, the room goes on.
    post_comment(world.viewers[1], world.room_id, "二")
    first = buy(world.viewers[0], fb["id"])
    buy(world.viewers[1], fb["id"])
    pay(world.viewers[0], first["id"])
    post_comment(world.viewers[1], world.room_id, "三")

    qtbot.waitUntil(lambda: comment_texts(window) == ["一", "二", "三"], timeout=30_000)
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.SOLD_OUT, timeout=30_000)
    assert window.header.connection.property("state") == "connected"
    # One paid, one held: both reached the header through the stream.
    qtbot.waitUntil(lambda: "订单 1" in window.header.orders.text(), timeout=30_000)
    assert window.header.held.text() == "· 待付 ¥1,288.00"
    window.close()
    world.close()


def test_flashbuy_starts_the_demo_and_shows_comments_flowing(qtbot: QtBot, tmp_path: Path) -> None:
    """No platform configured: the embedded one, the demo, an audience, signed in."""
    settings = ConsoleSettings(audience_viewers=6)
    tokens = TokenStore(backend=keyring.backends.fail.Keyring())  # the demo keeps none
    console = Console(settings, tokens, data_path=tmp_path)
    try:
        with qtbot.waitSignal(console.ready, timeout=60_000):
            console.start()
        window = console.window
        assert window is not None
        qtbot.waitUntil(lambda: window.room is not None, timeout=30_000)
        assert window.room is not None
        assert "演示" in window.room.title
        qtbot.waitUntil(lambda: window.comments.model.rowCount() >= 3, timeout=60_000)
        assert "6" in window.header.viewers.text()
        assert (tmp_path / "platform.sqlite3").exists()
    finally:
        console.shutdown()


def _sales_text(orders: int, sales_fen: int) -> str:
    return f"订单 {orders} · 成交 ¥{format_fen(sales_fen)}"


def _platform_sales(world: World) -> str:
    room = world.creator.ok("GET", f"/rooms/{world.room_id}")
    return _sales_text(room["order_count"], room["sales_fen"])


def test_the_header_shows_the_platform_s_orders_and_sales(qtbot: QtBot, world: World) -> None:
    bangle = world.create_flashbuy(stock=2, title="3号 冰种手镯", price_fen=128_800)
    pay(world.viewers[0], buy(world.viewers[0], bangle["id"])["id"])
    held = buy(world.viewers[1], bangle["id"])
    # The provider confirms by its callback, a moment after the buyer paid.
    qtbot.waitUntil(lambda: _platform_sales(world) == _sales_text(1, 128_800), timeout=10_000)
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    # At load: the room's figures, as the platform counts them; the held order apart.
    assert window.header.orders.text() == _platform_sales(world) == _sales_text(1, 128_800)
    assert window.header.held.text() == "· 待付 ¥1,288.00"
    assert not window.header.held.isHidden()
    assert tone_of(window.header.held) is Tone.WARNING

    pendant = world.create_flashbuy(stock=1, title="5号 飘花吊坠", price_fen=9_900)
    pay(world.viewers[1], held["id"])
    pay(world.viewers[0], buy(world.viewers[0], pendant["id"])["id"])
    expected = _sales_text(3, 2 * 128_800 + 9_900)
    qtbot.waitUntil(lambda: _platform_sales(world) == expected, timeout=10_000)
    qtbot.waitUntil(lambda: window.header.orders.text() == expected, timeout=10_000)
    assert window.header.held.isHidden()

    # The header in the console's one look: the live badge and the connection by their tones.
    world.join("新来的")
    qtbot.waitUntil(lambda: "3" in window.header.viewers.text(), timeout=10_000)
    assert tone_of(window.header.state) is Tone.LIVE
    assert tone_of(window.header.connection) is Tone.SUCCESS
    assert tone_of(window.error_bar) is Tone.ERROR
    if SHOTS:
        window.grab().save(os.path.join(SHOTS, "h5-main-window.png"))
        window.header.grab().save(os.path.join(SHOTS, "h5-header.png"))
    window.close()


def test_the_header_s_sales_are_the_platform_s_totals_not_the_table_s(
    qtbot: QtBot, world: World
) -> None:
    fb = world.create_flashbuy(stock=3, price_fen=50_000)
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.ACTIVE)
    assert window.header.orders.text() == _sales_text(0, 0)

    # Totals alone, no order in the table: the header shows them as they are.
    said = LiveTotals(room_id=world.room_id, order_count=7, sales_fen=123_456)
    with world.platform.db.write() as conn:
        events.append(
            conn, world.room_id, EventType.LIVE_TOTALS, said, audience=events.AUDIENCE_CREATOR
        )
    qtbot.waitUntil(lambda: window.header.orders.text() == _sales_text(7, 123_456), timeout=10_000)
    row = window.panel.model.row_of(fb["id"])
    assert window.panel.model.flashbuy(row).sold == 0

    # The platform's next figures replace them, whatever they say.
    pay(world.viewers[0], buy(world.viewers[0], fb["id"])["id"])
    qtbot.waitUntil(lambda: window.header.orders.text() == _sales_text(1, 50_000), timeout=10_000)
    window.close()

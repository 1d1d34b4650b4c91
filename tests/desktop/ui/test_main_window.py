"""The main window against the real platform: the live room as the seller sees it."""

from pathlib import Path

import keyring.backends.fail
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_protocol.enums import FlashBuyStatus
from tests.support import Api, ProcessPlatform, World, make_world


def _window(qtbot: QtBot, base_url: str, token: str | None) -> MainWindow:
    window = MainWindow(PlatformClient(base_url, token), Tasks())
    qtbot.addWidget(window)
    window.show()
    window.load()
    qtbot.waitUntil(
        lambda: window.header.connection.property("state") == "connected", timeout=30_000
    )
    return window


def _comment(viewer: Api, room_id: int, text: str) -> None:
    viewer.ok("POST", f"/rooms/{room_id}/comments", 201, json={"text": text})


def _texts(window: MainWindow) -> list[str]:
    model = window.comments.model
    return [model.comment(row).text for row in range(model.rowCount())]


def _status(window: MainWindow, flashbuy_id: int) -> FlashBuyStatus | None:
    row = window.panel.model.row_of(flashbuy_id)
    return window.panel.model.flashbuy(row).status if row >= 0 else None


def test_the_live_room_updates_as_it_happens(qtbot: QtBot, world: World) -> None:
    _comment(world.viewers[0], world.room_id, "主播好")  # before the window: loaded, not streamed
    window = _window(qtbot, world.platform.url, world.creator.token)
    qtbot.waitUntil(lambda: _texts(window) == ["主播好"])

    _comment(world.viewers[1], world.room_id, "3号多少钱")
    qtbot.waitUntil(lambda: _texts(window) == ["主播好", "3号多少钱"], timeout=10_000)

    fb = world.create_flashbuy(title="3号 冰种手镯")
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.ACTIVE, timeout=10_000)

    world.viewers[1].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={"region": "浙江"})
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.SOLD_OUT, timeout=10_000)
    row = window.panel.model.row_of(fb["id"])
    assert window.panel.model.buyers(row)
    assert "订单 1" in window.header.orders.text()
    assert "1,288.00" in window.header.orders.text()

    world.join("新来的")
    qtbot.waitUntil(lambda: "3" in window.header.viewers.text(), timeout=10_000)
    window.close()


def test_a_platform_restart_mid_stream_loses_nothing(
    qtbot: QtBot, restartable: ProcessPlatform
) -> None:
    world = make_world(restartable, viewers=2)  # type: ignore[arg-type]
    fb = world.create_flashbuy(stock=2)
    window = _window(qtbot, restartable.server.url, world.creator.token)
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.ACTIVE)
    _comment(world.viewers[0], world.room_id, "一")
    qtbot.waitUntil(lambda: _texts(window) == ["一"])

    restartable.server.stop()
    qtbot.waitUntil(lambda: window.header.connection.property("state") == "reconnecting")
    restartable.server.start()
    # While the console reconnects, the room goes on.
    _comment(world.viewers[1], world.room_id, "二")
    world.viewers[0].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={"region": "浙江"})
    world.viewers[1].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={"region": "浙江"})
    _comment(world.viewers[1], world.room_id, "三")

    qtbot.waitUntil(lambda: _texts(window) == ["一", "二", "三"], timeout=30_000)
    qtbot.waitUntil(lambda: _status(window, fb["id"]) is FlashBuyStatus.SOLD_OUT, timeout=30_000)
    assert window.header.connection.property("state") == "connected"
    assert "订单 2" in window.header.orders.text()
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

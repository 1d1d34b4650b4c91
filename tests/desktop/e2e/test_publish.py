"""From one keystroke to every viewer's screen: F2 and + in the main window, on the real platform.

The capture engine is a stand-in that returns a fixed picture (the engine itself is
tested on a real screen in test_capture_engine.py); everything else is real: the window,
the dialog, the platform over HTTP, and the viewers' event streams.
"""

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_protocol.enums import FlashBuyStatus
from tests.desktop.fakes import FakeEngine, FakeFrame, wait_ready
from tests.support import SseClient, World

TIMEOUT = 30_000


@pytest.fixture
def window(qtbot: QtBot, world: World) -> Iterator[MainWindow]:
    tasks = Tasks()
    capture = CaptureService(FakeFrame(), tasks, FakeEngine())
    win = MainWindow(
        PlatformClient(world.platform.url, world.creator.token), tasks, capture=capture
    )
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)  # F2 is a shortcut: it goes to the active window
    win.load()
    qtbot.waitUntil(lambda: win.header.connection.property("state") == "connected", timeout=TIMEOUT)
    yield win
    if win.new_dialog is not None:
        win.new_dialog.reject()
    win.close()
    tasks.wait()


def _offers(stream: SseClient, until: int) -> list[tuple[str, int]]:
    return [
        (e["type"], e["data"]["id"])
        for e in stream.until_id(until)
        if e["type"].startswith("flashbuy.")
    ]


def _last_event(world: World) -> int:
    return int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"])


def _type_price_and_enter(qtbot: QtBot, window: MainWindow, price: str) -> None:
    qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible())
    dialog = window.new_dialog
    assert dialog is not None
    wait_ready(qtbot, dialog)
    qtbot.keyClicks(dialog.price_edit, price)
    qtbot.keyClick(dialog.price_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.new_dialog is None, timeout=TIMEOUT)


def test_f2_price_enter_reaches_every_viewer_and_sells_out(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    streams = [SseClient(v, f"/rooms/{world.room_id}/viewer-events") for v in world.viewers]
    qtbot.keyClick(window, Qt.Key.Key_F2)
    _type_price_and_enter(qtbot, window, "1288")
    model = window.panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=TIMEOUT)
    fb = model.flashbuy(0)
    assert (fb.price_fen, fb.stock, fb.mode.value) == (128_800, 1, "full")
    last = _last_event(world)
    for stream in streams:
        assert _offers(stream, last) == [("flashbuy.created", fb.id)]

    # One viewer buys the only piece: sold out everywhere, hidden from the room.
    world.viewers[0].ok("POST", f"/flash-buys/{fb.id}/orders", 201, json={"region": "浙江"})
    qtbot.waitUntil(lambda: model.flashbuy(0).status is FlashBuyStatus.SOLD_OUT, timeout=TIMEOUT)
    last = _last_event(world)
    for stream in streams:
        assert _offers(stream, last) == [
            ("flashbuy.updated", fb.id),
            ("flashbuy.sold_out", fb.id),
        ]
    assert world.viewers[1].ok("GET", f"/rooms/{world.room_id}/offers") == []
    for stream in streams:
        stream.close()


def test_plus_on_a_comment_offers_to_that_viewer_only(
    qtbot: QtBot, world: World, window: MainWindow
) -> None:
    asker, other = world.viewers
    asker_id = world.viewer_ids[0]
    streams = {
        "asker": SseClient(asker, f"/rooms/{world.room_id}/viewer-events"),
        "other": SseClient(other, f"/rooms/{world.room_id}/viewer-events"),
    }
    asker.ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "3号多少钱"})
    qtbot.waitUntil(lambda: window.comments.model.rowCount() == 1, timeout=TIMEOUT)
    comment = window.comments.model.comment(0)
    window.comments.targetRequested.emit(comment.viewer_id, comment.nickname, comment.text)
    _type_price_and_enter(qtbot, window, "880")
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=TIMEOUT)
    fb = window.panel.model.flashbuy(0)
    assert [t.id for t in fb.targets] == [asker_id]

    fence = world.create_flashbuy(title="fence")  # a full offer, after it, for everyone
    last = _last_event(world)
    assert _offers(streams["asker"], last) == [
        ("flashbuy.created", fb.id),
        ("flashbuy.created", fence["id"]),
    ]
    assert _offers(streams["other"], last) == [("flashbuy.created", fence["id"])]
    refused = other.post(f"/flash-buys/{fb.id}/orders", json={"region": "浙江"})
    assert json.loads(refused.text)["error"]["code"] == "NOT_OFFERED_TO_VIEWER"
    for stream in streams.values():
        stream.close()

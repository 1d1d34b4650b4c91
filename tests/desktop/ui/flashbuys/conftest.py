"""Fixtures of the flash-buy panel's tests: a panel on the real platform, the room's stream."""

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.flashbuys import FlashBuyPanel
from tests.desktop.ui.flashbuys.rows import Bridge, Console
from tests.support import World


@pytest.fixture
def console(world: World, qtbot: QtBot) -> Iterator[Console]:
    client = PlatformClient(world.platform.url, world.creator.token)
    tasks = Tasks()
    panel = FlashBuyPanel(client, tasks, world.room_id)
    qtbot.addWidget(panel)
    errors: list[str] = []
    panel.errorRaised.connect(errors.append)
    yield Console(panel, client, tasks, errors)
    assert tasks.wait()
    QCoreApplication.sendPostedEvents()  # results of finished work reach their callbacks
    client.close()


@pytest.fixture
def follow(console: Console, world: World) -> Iterator[Callable[[], None]]:
    """Start the room's event stream into the panel, from the first event (a full replay)."""
    bridge = Bridge()
    bridge.received.connect(console.panel.apply_event, Qt.ConnectionType.QueuedConnection)
    client = PlatformClient(world.platform.url, world.creator.token)
    stream = EventStream(client, world.room_id, after=0, on_event=bridge.received.emit)
    thread = threading.Thread(target=stream.run, daemon=True, name="test-room-events")

    yield thread.start
    stream.stop()
    thread.join(10)
    assert not thread.is_alive()
    QCoreApplication.sendPostedEvents()
    client.close()

"""The viewer's card and handing a piece over, against the real platform.

The card reads the record, saves the seller's note and blocks (after asking) through the
platform; a refusal is worded in the seller's language. From a comment, "hand over" gives a
piece that came back to that viewer: one waiting piece after a question naming it, several
through a pick of which.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient, PlatformError
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.theme import Tone, tone_of
from flashbuy_desktop.ui.viewers.piece_picker import PiecePicker
from flashbuy_desktop.ui.viewers.viewer_card import ViewerCard
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import ViewerRecord
from tests.desktop.console_steps import (
    comment_texts,
    confirm_when_asked,
    followed_window,
    post_comment,
    when_modal,
)
from tests.desktop.keyboard import type_into
from tests.support import World

TIMEOUT = 15_000
SHOTS = os.environ.get("FLASHBUY_SHOTS", "")


@pytest.fixture
def tasks() -> Iterator[Tasks]:
    t = Tasks()
    yield t
    t.wait()


def open_card(qtbot: QtBot, world: World, tasks: Tasks, viewer_id: int, name: str) -> ViewerCard:
    client = PlatformClient(world.platform.url, world.creator.token)
    card = ViewerCard(client, tasks, viewer_id, name)
    card.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it
    qtbot.addWidget(card)
    card.show()
    card.load()
    qtbot.waitUntil(card.block_button.isEnabled, timeout=TIMEOUT)
    return card


def test_the_card_saves_the_note_on_the_platform(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    viewer_id = world.viewer_ids[0]
    card = open_card(qtbot, world, tasks, viewer_id, "小王")
    assert card.paid_label.text() == "0 件 · ¥0.00"
    assert not card.save_note_button.isEnabled()  # nothing typed yet
    type_into(qtbot, card.note_edit, "只要满绿，爱砍价")
    assert card.save_note_button.isEnabled()
    with qtbot.waitSignal(card.recordChanged, timeout=TIMEOUT) as changed:
        qtbot.keyClick(card.note_edit, Qt.Key.Key_Return)
    record = changed.args[0]
    assert isinstance(record, ViewerRecord)
    assert record.note == "只要满绿，爱砍价"
    assert card.status_label.text() == "备注已保存"
    assert not card.save_note_button.isEnabled()
    on_platform = world.creator.ok("GET", f"/viewers/{viewer_id}/record")
    assert on_platform["note"] == "只要满绿，爱砍价"
    if SHOTS:
        card.grab().save(str(Path(SHOTS) / "viewer-card.png"))


def test_blocking_asks_first_and_the_safe_answer_changes_nothing(
    qtbot: QtBot, world: World, tasks: Tasks
) -> None:
    viewer_id = world.viewer_ids[0]
    card = open_card(qtbot, world, tasks, viewer_id, "小王")

    def keep(box: QDialog) -> None:
        assert box.windowTitle() == "拉黑观众"
        button = box.findChild(QPushButton, Confirm.SAFE_BUTTON)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    when_modal(keep)
    qtbot.mouseClick(card.block_button, Qt.MouseButton.LeftButton)
    assert card.block_button.text() == "拉黑"
    assert world.creator.ok("GET", f"/viewers/{viewer_id}/record")["blocked"] is False

    confirm_when_asked(qtbot)
    qtbot.mouseClick(card.block_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.block_button.text() == "取消拉黑", timeout=TIMEOUT)
    assert world.creator.ok("GET", f"/viewers/{viewer_id}/record")["blocked"] is True


def test_a_refusal_is_worded_on_the_card(qtbot: QtBot, world: World, tasks: Tasks) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    card = ViewerCard(client, tasks, 999_999, "不存在")
    card.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(card)
    card.show()
    card.load()
    qtbot.waitUntil(card.status_label.isVisible, timeout=TIMEOUT)
    assert tone_of(card.status_label) is Tone.ERROR
    assert card.status_label.text() == describe(PlatformError(404, ErrorCode.NOT_FOUND, "", {}))
    assert not card.block_button.isEnabled()  # never blocks a viewer it could not read


# --- handing a piece over -------------------------------------------------------------------


def _released(world: World, **overrides: Any) -> dict[str, Any]:
    """A flash-buy whose only piece was bought, then cancelled by the seller: it waits."""
    fb = world.create_flashbuy(**overrides)
    order = world.viewers[0].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={})
    world.creator.ok(
        "POST", f"/orders/{order['id']}/cancel-by-seller", json={"reason": "买家说不要了"}
    )
    return fb


def _comment_window(qtbot: QtBot, world: World, text: str) -> MainWindow:
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    post_comment(world.viewers[1], world.room_id, text)
    qtbot.waitUntil(lambda: text in comment_texts(window), timeout=TIMEOUT)
    return window


def _hand_over_button(window: MainWindow) -> QPoint:
    view = window.comments.list_view
    index = view.model().index(view.model().rowCount() - 1, 0)
    rect = window.comments.delegate.hand_over_rect(index, view.visualRect(index))
    assert not rect.isEmpty()
    return rect.center()


def test_hand_over_gives_the_one_waiting_piece_after_asking(qtbot: QtBot, world: World) -> None:
    window = _comment_window(qtbot, world, "我要3号")
    assert not window.comments.delegate.hand_over_shown()  # nothing came back yet
    fb = _released(world)
    qtbot.waitUntil(window.comments.delegate.hand_over_shown, timeout=TIMEOUT)
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "main-hand-over.png"))
    confirm_when_asked(qtbot)
    qtbot.mouseClick(
        window.comments.list_view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=_hand_over_button(window),
    )
    qtbot.waitUntil(
        lambda: any(
            o["viewer_id"] == world.viewer_ids[1] and o["status"] == "held"
            for o in world.creator.ok("GET", f"/flash-buys/{fb['id']}/orders")
        ),
        timeout=TIMEOUT,
    )
    held = [
        o
        for o in world.creator.ok("GET", f"/flash-buys/{fb['id']}/orders")
        if o["status"] == "held"
    ]
    assert held[0]["source"] == "seller"
    qtbot.waitUntil(lambda: not window.comments.delegate.hand_over_shown(), timeout=TIMEOUT)
    window.close()


def test_with_several_waiting_the_seller_picks_which(qtbot: QtBot, world: World) -> None:
    window = _comment_window(qtbot, world, "都想要")
    first = _released(world, title="3号 冰种手镯", piece_no="3")
    second = _released(world, title="5号 飘花吊坠", piece_no="5")
    qtbot.waitUntil(lambda: len(window.panel.model.sales.waiting_pieces()) == 2, timeout=TIMEOUT)

    def pick_second(dialog: QDialog) -> None:
        assert isinstance(dialog, PiecePicker)
        names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert any("5号 飘花吊坠" in n for n in names)
        row = next(i for i, n in enumerate(names) if "5号" in n)
        dialog.list.setCurrentRow(row)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(pick_second)
    qtbot.mouseClick(
        window.comments.list_view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=_hand_over_button(window),
    )
    qtbot.waitUntil(
        lambda: any(
            o["status"] == "held"
            for o in world.creator.ok("GET", f"/flash-buys/{second['id']}/orders")
        ),
        timeout=TIMEOUT,
    )
    assert all(
        o["status"] != "held" for o in world.creator.ok("GET", f"/flash-buys/{first['id']}/orders")
    )
    window.close()

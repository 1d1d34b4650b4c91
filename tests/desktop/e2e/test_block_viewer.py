"""Blocking a viewer from their card, against the real platform: marked, refused, let back.

The seller clicks the viewer's name in the comment list, the card opens, 拉黑 asks first and
blocks; the comment list marks the viewer (the 已拉黑 badge, painted), and their purchase is
refused by the platform with VIEWER_BLOCKED. 取消拉黑 on the same card lets them buy again.
"""

import os
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.theme import colour
from flashbuy_desktop.ui.viewers.viewer_card import ViewerCard
from flashbuy_protocol.errors import ErrorCode
from tests.desktop.console_steps import (
    comment_texts,
    confirm_when_asked,
    followed_window,
    post_comment,
)
from tests.support import World, expect_error

TIMEOUT = 15_000
SHOTS = os.environ.get("FLASHBUY_SHOTS", "")


def _row_of(window: MainWindow, text: str) -> QModelIndex:
    view = window.comments.list_view
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(Qt.ItemDataRole.DisplayRole) == text:
            return index
    raise AssertionError(f"no comment {text!r} in the list")


def _badge_colour(window: MainWindow, index: QModelIndex) -> QColor:
    """The colour painted just inside where the viewer's first badge goes, as on screen."""
    view = window.comments.list_view
    rect = view.visualRect(index)
    name = window.comments.delegate.nickname_rect(index, rect)
    image = view.viewport().grab().toImage()
    return image.pixelColor(name.right() + 6, rect.center().y() - 4)


def _click_name(qtbot: QtBot, window: MainWindow, index: QModelIndex) -> None:
    view = window.comments.list_view
    name: QRect = window.comments.delegate.nickname_rect(index, view.visualRect(index))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(name.center()))


def test_block_from_the_card_marks_the_viewer_and_the_platform_refuses_them(
    qtbot: QtBot, world: World
) -> None:
    viewer, viewer_id = world.join("爱砍价的小李")
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    window.resize(1280, 800)
    post_comment(viewer, world.room_id, "3号多少钱")
    qtbot.waitUntil(lambda: "3号多少钱" in comment_texts(window), timeout=TIMEOUT)
    index = _row_of(window, "3号多少钱")
    before = _badge_colour(window, index)

    # The seller clicks the name: the card opens and reads the record.
    _click_name(qtbot, window, index)
    qtbot.waitUntil(lambda: viewer_id in window.viewers.cards, timeout=TIMEOUT)
    card: ViewerCard = window.viewers.cards[viewer_id]
    assert card.isVisible()
    assert card.windowTitle() == "观众：爱砍价的小李"
    qtbot.waitUntil(card.block_button.isEnabled, timeout=TIMEOUT)
    assert card.block_button.text() == "拉黑"

    # 拉黑 asks first; the act button blocks.
    confirm_when_asked(qtbot)
    qtbot.mouseClick(card.block_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.block_button.text() == "取消拉黑", timeout=TIMEOUT)
    assert card.blocked_label.isVisible()
    assert world.creator.ok("GET", f"/viewers/{viewer_id}/record")["blocked"] is True

    # The comment list marks them: the 已拉黑 badge after the name, in the palette's grey.
    qtbot.waitUntil(lambda: window.comments.records.is_blocked(viewer_id), timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: _badge_colour(window, _row_of(window, "3号多少钱")) == colour("muted"),
        timeout=TIMEOUT,
    )
    assert before != colour("muted")
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "blocked-in-comments.png"))
        card.grab().save(str(Path(SHOTS) / "viewer-card-blocked.png"))

    # Their purchase is refused by the platform.
    fb = world.create_flashbuy()
    refused = viewer.post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"})
    expect_error(refused, ErrorCode.VIEWER_BLOCKED)

    # 取消拉黑 on the same card (no question: it only gives back); then they can buy.
    qtbot.mouseClick(card.block_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.block_button.text() == "拉黑", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.comments.records.is_blocked(viewer_id), timeout=TIMEOUT)
    assert not card.blocked_label.isVisible()
    bought = viewer.post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"})
    assert bought.status_code == 201, bought.text
    card.close()
    window.close()

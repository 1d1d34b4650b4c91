"""The sign-in window against the real platform: its words, and buttons that stay put."""

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.ui.signin import SignInDialog
from flashbuy_desktop.ui.tasks import Tasks
from tests.desktop.keyboard import type_text
from tests.support import PASSWORD, World

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def dialog(world: World, qtbot: Any) -> Iterator[SignInDialog]:
    client = PlatformClient(world.platform.url)
    tasks = Tasks()
    window = SignInDialog(client, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.close()
    assert tasks.wait()
    client.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def where(dialog: SignInDialog) -> tuple[QPoint, QSize]:
    return dialog.ok.mapToGlobal(QPoint(0, 0)), dialog.size()


def field_label(dialog: SignInDialog, field: QWidget) -> str:
    form = dialog.findChild(QFormLayout)
    assert form is not None
    label = form.labelForField(field)
    assert isinstance(label, QLabel)
    return label.text()


def test_a_wrong_password_is_said_in_the_field_s_words_and_moves_nothing(
    dialog: SignInDialog, world: World, qtbot: Any
) -> None:
    assert field_label(dialog, dialog.username) == "账号"
    before = where(dialog)

    qtbot.mouseClick(dialog.ok, LEFT)  # nothing typed yet
    assert dialog.error.text() == "请输入账号和密码"
    QApplication.processEvents()
    assert where(dialog) == before

    qtbot.mouseClick(dialog.username, LEFT)
    type_text(qtbot, focused(), world.username)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.password
    type_text(qtbot, focused(), "not the password")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() == "账号或密码不对", timeout=30_000)
    assert "用户名" not in dialog.error.text()
    QApplication.processEvents()
    assert where(dialog) == before  # the reason took the room kept for it
    assert focused() is dialog.password  # ready for the right one

    with qtbot.waitSignal(dialog.signedIn, timeout=30_000):
        type_text(qtbot, focused(), PASSWORD)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())

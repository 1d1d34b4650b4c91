"""The sign-in window against the real platform: its words, and buttons that stay put."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.signin import SignInDialog
from flashbuy_server import accounts
from flashbuy_server.config import Settings, sqlite_url
from flashbuy_server.server import ServerThread
from tests.clock import Clock
from tests.desktop.keyboard import type_text
from tests.support import PASSWORD, World, unique

LEFT = Qt.MouseButton.LeftButton
SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


@contextmanager
def opened(url: str, qtbot: Any) -> Iterator[SignInDialog]:
    """The sign-in window for the platform at ``url``, shown and active; closed after."""
    client = PlatformClient(url)
    tasks = Tasks()
    window = SignInDialog(client, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        yield window
    finally:
        window.close()
        assert tasks.wait()
        client.close()


@pytest.fixture
def dialog(world: World, qtbot: Any) -> Iterator[SignInDialog]:
    with opened(world.platform.url, qtbot) as window:
        yield window


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


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[tuple[ServerThread, Clock, str]]:
    """A platform of the test's own that makes a wait follow the second wrong password in a
    row (then doubles it), on a clock the test moves on; a creator account on it."""
    clock = Clock()
    settings = Settings(
        database_url=sqlite_url(tmp_path / "guarded.sqlite3"),
        clock=clock,
        sign_in_free_failures_per_pair=1,
    )
    server = ServerThread(settings).start()
    username = unique("creator")
    with server.app.state.db.write() as conn:
        accounts.create_creator(conn, username, PASSWORD, invited=True)
    yield server, clock, username
    server.stop()
    server.app.state.db.dispose()


def test_too_many_attempts_count_down_with_the_button_off_then_sign_in_works(
    guarded: tuple[ServerThread, Clock, str], qtbot: Any
) -> None:
    server, clock, username = guarded
    with opened(server.url, qtbot) as window:
        qtbot.mouseClick(window.username, LEFT)
        type_text(qtbot, focused(), username)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "guess one")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.error.text() == "账号或密码不对", timeout=30_000)
        clock.advance(1)  # the first wait (1 s) is over on the platform
        type_text(qtbot, focused(), "guess two")  # the field's text is selected: replaced
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.ok.isEnabled(), timeout=30_000)
        assert window.error.text() == "账号或密码不对"

        # The right password now: the platform asks for 2 s; the window counts them down.
        type_text(qtbot, focused(), PASSWORD)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        waiting = "尝试次数过多，请 2 秒后再试"
        qtbot.waitUntil(lambda: window.error.text() == waiting, timeout=30_000)
        assert not window.ok.isEnabled()
        assert focused() is window.password
        if SHOTS:
            window.grab().save(os.path.join(SHOTS, "signin-wait.png"))
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter does nothing meanwhile
        qtbot.mouseClick(window.ok, LEFT)
        assert window.error.text() == waiting
        qtbot.waitUntil(lambda: window.error.text() == "尝试次数过多，请 1 秒后再试", timeout=3_000)
        assert not window.ok.isEnabled()
        qtbot.waitUntil(window.ok.isEnabled, timeout=3_000)
        assert window.error.text() == ""
        if SHOTS:
            window.grab().save(os.path.join(SHOTS, "signin-again.png"))

        clock.advance(2)  # ...and on the platform
        with qtbot.waitSignal(window.signedIn, timeout=30_000):
            qtbot.keyClick(focused(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not window.isVisible())

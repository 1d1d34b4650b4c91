"""The console as a seller uses it, against the real platform: sign in, the live, sign out."""

import os
import uuid
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_protocol.errors import ErrorCode
from tests.desktop.console_steps import keyless_console, sign_in
from tests.support import World, expect_error


@pytest.fixture
def scratch_keyring() -> TokenStore:
    """The Secret Service of the test run's own D-Bus session, under a service name of its own."""
    if os.environ.get("FLASHBUY_TEST_KEYRING") != "scratch":
        pytest.skip("needs the throw-away keyring that scripts/test.sh starts")
    backend = keyring.get_keyring()
    assert "SecretService" in type(backend).__module__ + type(backend).__name__, backend
    store = TokenStore(service=f"flashbuy-test-{uuid.uuid4().hex[:8]}")
    assert store.persistent
    return store


def _console(world: World, tokens: TokenStore) -> Console:
    return Console(ConsoleSettings(server_url=world.platform.url), tokens)


def test_sign_in_keeps_the_token_in_the_keyring_and_sign_out_revokes_it(
    qtbot: QtBot, world: World, scratch_keyring: TokenStore
) -> None:
    first = _console(world, scratch_keyring)
    sign_in(qtbot, first, world)
    assert first.client is not None
    token = first.client.token
    assert token
    url = world.platform.url
    fresh_store = TokenStore(service=scratch_keyring.service)  # a new run reads the keyring
    assert fresh_store.load(url) == token
    first.shutdown()

    # The next start signs in without asking.
    second = Console(ConsoleSettings(server_url=url), fresh_store)
    with qtbot.waitSignal(second.ready, timeout=30_000):
        second.start()
    assert second.dialog is None
    assert second.window is not None

    # Signing out revokes the token on the platform and deletes it from the keyring.
    second.sign_out()
    qtbot.waitUntil(lambda: second.dialog is not None and second.dialog.isVisible())
    assert TokenStore(service=scratch_keyring.service).load(url) is None
    stale = world.platform.client(token)
    qtbot.waitUntil(lambda: stale.get("/me").status_code == 401, timeout=10_000)
    expect_error(stale.get("/me"), ErrorCode.TOKEN_REVOKED)
    stale.close()
    second.shutdown()


def test_without_a_keyring_the_console_says_so_and_writes_no_file(
    qtbot: QtBot, world: World
) -> None:
    tokens = TokenStore(backend=keyring.backends.fail.Keyring())
    console = _console(world, tokens)
    sign_in(qtbot, console, world)
    assert console.window is not None
    assert "钥匙串" in console.window.error_bar.text()
    assert console.client is not None
    token = console.client.token
    assert token
    home = os.path.expanduser("~")
    for folder, _dirs, files in os.walk(home):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                assert token.encode() not in f.read(), name
    console.shutdown()


def test_a_wrong_password_keeps_the_window_open_with_the_reason(qtbot: QtBot, world: World) -> None:
    console = _console(world, TokenStore(backend=keyring.backends.fail.Keyring()))
    console.start()
    qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
    assert console.dialog is not None
    qtbot.keyClicks(console.dialog.username, world.username)
    qtbot.keyClicks(console.dialog.password, "not the password")
    console.dialog.ok.click()
    qtbot.waitUntil(
        lambda: console.dialog is not None and "密码不对" in console.dialog.error.text()
    )
    assert console.dialog.isVisible()
    assert console.window is None
    console.shutdown()


def test_the_capture_frame_shows_with_the_console_and_stays_where_the_seller_put_it(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    settings_path = tmp_path / "settings.json"
    console = keyless_console(
        ConsoleSettings(server_url=world.platform.url), settings_path=settings_path
    )
    sign_in(qtbot, console, world)
    frame = console.frame
    qtbot.waitExposed(frame)
    assert not frame.isActiveWindow()  # the streaming software keeps the keyboard
    before = frame.capture_rect()
    start = QPoint(frame.width() // 2, frame.height() // 2)
    qtbot.mousePress(frame, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(frame, pos=start + QPoint(-120, -80))
    qtbot.mouseRelease(frame, Qt.MouseButton.LeftButton, pos=start + QPoint(-120, -80))
    moved = frame.capture_rect()
    assert moved.topLeft() == before.topLeft() + QPoint(-120, -80)
    saved = ConsoleSettings.load(settings_path).capture_frame
    assert saved == (moved.x(), moved.y(), moved.width(), moved.height())

    assert console.window is not None
    console.window.frame_locked.setChecked(True)
    assert frame.is_locked()
    console.window.frame_shown.setChecked(False)
    assert not frame.isVisible()
    console.shutdown()

    # The next run puts it back there.
    again = keyless_console(ConsoleSettings.load(settings_path), settings_path=settings_path)
    assert again.frame.capture_rect() == moved
    again.shutdown()

"""The console's keyring calls never hold up the GUI thread, however long the keyring takes.

A keyring that hangs (a locked one asking for its password, a D-Bus service slow to wake)
is stood in for by a real keyring backend that waits until the test lets it go.
"""

import threading
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.settings import ConsoleSettings
from tests.desktop.console_steps import confirm_when_asked
from tests.support import PASSWORD, World

HELD = 30  # s a call may wait for the test before the backend gives up (a hung GUI thread)


class SlowKeyring(KeyringBackend):
    """A keyring whose every call waits at a gate the test opens; it notes who called.

    keyring registers every backend class and tries each one it can build without an
    argument when it looks for the system's keyring; this one needs its gate, so no other
    test ever finds it there.
    """

    priority = 1  # a usable keyring, for the console

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base is untyped
        self.gate = gate
        self.waiting = threading.Event()  # a call has come and waits at the gate
        self.calls: list[str] = []
        self.on_gui_thread: list[str] = []
        self.passwords: dict[tuple[str, str], str] = {}

    def _wait(self, call: str) -> None:
        self.calls.append(call)
        if threading.current_thread() is threading.main_thread():
            self.on_gui_thread.append(call)
        self.waiting.set()
        self.gate.wait(HELD)
        self.waiting.clear()

    def hold(self) -> None:
        """Make the next calls wait again."""
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def get_password(self, service: str, username: str) -> str | None:
        self._wait("get")
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait("set")
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._wait("delete")
        self.passwords.pop((service, username), None)


@pytest.fixture
def slow_keyring() -> Iterator[SlowKeyring]:
    """The slow keyring as the system's keyring (keyring.set_keyring), for this test only."""
    before = keyring.get_keyring()
    backend = SlowKeyring(threading.Event())
    keyring.set_keyring(backend)
    yield backend
    backend.release()  # nothing may stay blocked past the test
    keyring.set_keyring(before)


class Ticks:
    """A timer on the GUI thread: it counts only while the event loop runs."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1

    def keep_going(self, qtbot: QtBot, ticks: int = 10) -> None:
        """Wait until the loop has run ``ticks`` more times (it hangs if the loop does)."""
        target = self.count + ticks
        qtbot.waitUntil(lambda: self.count >= target, timeout=5_000)


def test_a_slow_keyring_never_stops_the_window_and_each_step_waits_for_it(
    qtbot: QtBot, world: World, slow_keyring: SlowKeyring
) -> None:
    url = world.platform.url
    tokens = TokenStore(service="flashbuy-slow-test")  # the system's keyring: the slow one
    console = Console(ConsoleSettings(server_url=url), tokens)
    ticks = Ticks()
    ready: list[bool] = []
    console.ready.connect(lambda: ready.append(True))
    try:
        # Start: the saved token is read off the GUI thread; the client waits for it.
        console.start()
        qtbot.waitUntil(slow_keyring.waiting.is_set)
        ticks.keep_going(qtbot)
        assert console.client is None
        assert console.dialog is None
        slow_keyring.release()
        qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
        assert console.client is not None
        assert console.client.token is None  # nothing was saved

        # Sign in: the main window shows at once; ready waits for the keyring to keep it.
        slow_keyring.hold()
        dialog = console.dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.username, world.username)
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(slow_keyring.waiting.is_set, timeout=30_000)
        window = console.window
        assert window is not None
        qtbot.waitExposed(window)
        ticks.keep_going(qtbot)
        assert ready == []
        assert slow_keyring.passwords == {}
        slow_keyring.release()
        qtbot.waitUntil(lambda: ready == [True])
        token = console.client.token
        assert token
        assert slow_keyring.passwords == {("flashbuy-slow-test", url): token}
        assert "钥匙串" not in window.error_bar.text()  # it was kept: nothing to say

        # Sign out: the keyring forgets it first; the main window waits, disabled.
        slow_keyring.hold()
        confirm_when_asked(qtbot)
        window.sign_out_action.trigger()  # returns when the question is answered
        qtbot.waitUntil(slow_keyring.waiting.is_set)
        ticks.keep_going(qtbot)
        assert console.window is window
        assert not window.isEnabled()
        assert console.dialog is None  # the sign-in window waits for the keyring
        slow_keyring.release()
        qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
        assert console.window is None
        assert slow_keyring.passwords == {}
        assert slow_keyring.calls == ["get", "set", "delete"]
        assert slow_keyring.on_gui_thread == []
    finally:
        ticks.timer.stop()
        slow_keyring.release()
        console.shutdown()

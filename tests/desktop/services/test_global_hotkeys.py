"""Global hotkeys: the key mapping of each system, and the X11 grab driven for real.

The X11 tests run the console against the real platform under Xvfb and openbox, with a
stand-in for the streaming software in a program of its own (tests/desktop/hotkeys_stand_in.py)
holding the focus; ``xdotool key`` sends real key events (XTEST) to whatever has the focus,
as the seller's keyboard would. The Windows and macOS registrations cannot run here: their
key mappings are tested as pure functions.
"""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flashbuy_desktop.composition.app import Console
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.hotkeys import (
    Chord,
    Refusal,
    UnavailableError,
    macos,
    parse,
    system,
    windows,
    x11_keys,
)
from flashbuy_desktop.hotkeys.x11 import THREAD_NAME
from flashbuy_desktop.hotkeys.x11_keys import KeyboardMap, Modifiers, RepeatFilter
from flashbuy_desktop.services import i18n
from flashbuy_desktop.services.global_hotkeys import refusal_message, unsupported_message
from flashbuy_desktop.settings import ConsoleSettings, Hotkeys
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.settings_window import SettingsWindow
from tests.desktop.console_steps import (
    confirm_when_asked,
    save_settings_when_asked,
    sign_in,
    switch_to_english,
)
from tests.support import World

STAND_IN = Path(__file__).parents[1] / "hotkeys_stand_in.py"
X11 = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="needs an X server (scripts/pytest.sh gives one)"
)


@pytest.fixture(autouse=True)
def _no_hotkey_thread_left() -> Iterator[None]:
    yield
    running = [t.name for t in threading.enumerate() if t.name == THREAD_NAME]
    assert not running, "the global hotkeys' thread outlived the test"


# --- the chord, from the settings' text ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "chord"),
    [
        ("F2", Chord("F2")),
        ("Ctrl+F2", Chord("F2", ctrl=True)),
        ("r", Chord("R")),
        ("Meta+Ctrl+Alt+Shift++", Chord("+", ctrl=True, shift=True, alt=True, meta=True)),
        ("Ctrl++", Chord("+", ctrl=True)),
        ("Ctrl+,", Chord(",", ctrl=True)),
        ("Num+5", Chord("5", keypad=True)),
        ("Shift+PgDown", Chord("PgDown", shift=True)),
    ],
)
def test_the_settings_text_reads_as_a_chord(text: str, chord: Chord) -> None:
    assert parse(text) == chord


@pytest.mark.parametrize("text", ["", "Ctrl+", "Shift"])
def test_a_text_without_a_key_is_no_chord(text: str) -> None:
    with pytest.raises(ValueError, match=r"key|modifiers"):
        parse(text)


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("R", True),
        ("Shift+R", True),
        ("5", True),
        ("Num+5", True),
        (",", True),
        ("Space", True),
        ("Ctrl+R", False),
        ("Alt+1", False),
        ("Meta+R", False),
        ("F2", False),
        ("Shift+F5", False),
        ("Pause", False),
        ("Ins", False),
    ],
)
def test_a_key_that_types_text_is_told_apart(text: str, types: bool) -> None:
    assert parse(text).types_text() is types


# --- X11 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keysym"),
    [
        ("F1", 0xFFBE),
        ("F2", 0xFFBF),
        ("F35", 0xFFBE + 34),
        ("Ctrl+R", ord("r")),
        ("Alt+1", ord("1")),
        ("Ctrl+,", ord(",")),
        ("Ctrl+PgUp", 0xFF55),
        ("Pause", 0xFF13),
        ("Num+5", 0xFFB5),
        ("Num+/", 0xFFAF),
        ("Volume Up", None),
        ("F36", None),
    ],
)
def test_x11_keysyms(text: str, keysym: int | None) -> None:
    assert x11_keys.keysym(parse(text)) == keysym


# A keyboard of five keys from keycode 10: two columns each (plain, shifted).
KEYBOARD = KeyboardMap(
    first=10,
    per_keycode=2,
    keysyms=[
        ord("1"), ord("!"),
        ord("r"), ord("R"),
        0xFFBF, 0,  # F2
        0xFFE9, 0xFFE7,  # Alt_L, Meta_L
        0xFF95, 0xFFB7,  # KP_Home, KP_7
    ],
)  # fmt: skip


def test_x11_keycodes_come_from_the_keyboard_mapping() -> None:
    assert KEYBOARD.find(ord("r")) == (11, 0)
    assert KEYBOARD.find(ord("!")) == (10, 1)
    assert KEYBOARD.find(0xFFBF) == (12, 0)
    assert KEYBOARD.find(0xFFB7) == (14, 1)
    assert KEYBOARD.find(0xFFC0) is None  # F3: not on this keyboard
    assert x11_keys.needs_shift(parse("Ctrl+!"), 1)
    assert not x11_keys.needs_shift(parse("Num+7"), 1)  # NumLock's column, not Shift's
    assert not x11_keys.needs_shift(parse("Ctrl+R"), 0)


def test_x11_modifier_masks_come_from_the_modifier_mapping() -> None:
    keyboard = KeyboardMap(
        first=8,
        per_keycode=1,
        keysyms=[0xFFE9, 0xFF7F, 0xFFEB, 0xFF14, ord("r")],  # Alt_L NumLock Super_L ScrollLock
    )
    # Shift, Lock, Control, Mod1..Mod5: which keycodes set each.
    modmap = [[50, 0], [66, 0], [37, 0], [8, 0], [9, 0], [11, 0], [10, 0], [0, 0]]
    masks = x11_keys.modifiers_from_mapping(modmap, keyboard)
    assert masks == Modifiers(alt=x11_keys.MOD1, meta=x11_keys.MOD4, num_lock=x11_keys.MOD2,
                              scroll_lock=x11_keys.MOD3)  # fmt: skip
    # Every state of CapsLock, NumLock and ScrollLock: eight grabs per hotkey.
    assert masks.lock_variants() == [0, 2, 16, 18, 32, 34, 48, 50]
    assert masks.locks() == 2 | 16 | 32
    assert masks.of(parse("Meta+Ctrl+Alt+Shift+F2")) == 1 | 4 | 8 | 64

    # Nothing sets ScrollLock (the usual case), and NumLock sits on another modifier.
    modmap = [[50], [66], [37], [8], [0], [0], [0], [9]]
    masks = x11_keys.modifiers_from_mapping(modmap, keyboard)
    assert (masks.num_lock, masks.scroll_lock) == (x11_keys.MOD5, 0)
    assert masks.lock_variants() == [0, 2, 128, 130]


def test_auto_repeat_presses_fire_once() -> None:
    repeats = RepeatFilter()
    assert repeats.press(67, 1000)  # pressed
    repeats.release(67, 1500)  # held: the server repeats it as release + press at one time
    assert not repeats.press(67, 1500)
    repeats.release(67, 1530)
    assert not repeats.press(67, 1530)
    repeats.release(67, 1600)  # let go
    assert repeats.press(67, 2400)  # pressed again


# --- Windows and macOS (the mappings; the registrations only run there) --------------------


@pytest.mark.parametrize(
    ("text", "vk", "flags"),
    [
        ("F2", 0x71, 0x4000),
        ("F24", 0x87, 0x4000),
        ("F25", None, 0x4000),
        ("Ctrl+R", 0x52, 0x4002),
        ("Meta+Ctrl+Alt+Shift+F5", 0x74, 0x400F),
        ("Ctrl+9", 0x39, 0x4002),
        ("Ctrl+,", 0xBC, 0x4002),
        ("Num+5", 0x65, 0x4000),
        ("Alt+PgDown", 0x22, 0x4001),
    ],
)
def test_windows_virtual_keys_and_flags(text: str, vk: int | None, flags: int) -> None:
    chord = parse(text)
    assert windows.virtual_key(chord) == vk
    assert windows.modifiers(chord) == flags  # MOD_NOREPEAT always: holding fires once


@pytest.mark.parametrize(
    ("text", "code", "flags"),
    [
        ("F2", 0x78, 0),
        ("F5", 0x60, 0),
        ("Ctrl+R", 0x0F, macos.CMD_KEY),  # Qt's Ctrl is Command on macOS
        ("Meta+A", 0x00, macos.CONTROL_KEY),
        ("Alt+Shift+B", 0x0B, macos.OPTION_KEY | macos.SHIFT_KEY),
        ("Ctrl+5", 0x17, macos.CMD_KEY),
        ("Num+5", 0x57, 0),
        ("F21", None, 0),
    ],
)
def test_macos_key_codes_and_flags(text: str, code: int | None, flags: int) -> None:
    chord = parse(text)
    assert macos.key_code(chord) == code
    assert macos.modifiers(chord) == flags


def test_the_other_systems_backends_refuse_to_start_here() -> None:
    if sys.platform != "win32":
        with pytest.raises(UnavailableError):
            windows.WindowsHotkeys(lambda _name: None)
    if sys.platform != "darwin":
        with pytest.raises(UnavailableError):
            macos.CarbonHotkeys(lambda _name: None)


# --- which systems offer them, and what the seller reads ----------------------------------


@pytest.mark.parametrize(
    ("platform", "environ", "why"),
    [
        ("xcb", {"DISPLAY": ":0"}, None),
        ("windows", {}, None),
        ("cocoa", {}, None),
        ("wayland", {"WAYLAND_DISPLAY": "wayland-0"}, system.WAYLAND_WITHOUT_X),
        ("wayland", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, None),
        ("offscreen", {}, system.NO_DESKTOP),
        ("minimal", {}, system.NO_DESKTOP),
    ],
)
def test_which_systems_give_global_hotkeys(
    platform: str, environ: dict[str, str], why: str | None
) -> None:
    assert system.support(platform, environ) == why
    if why is not None:
        with pytest.raises(UnavailableError, match=why):
            system.open_backend(platform, lambda _name: None, environ)


def test_xwayland_is_told_apart() -> None:
    assert system.through_xwayland("wayland", {"DISPLAY": ":0"})
    assert system.through_xwayland("xcb", {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not system.through_xwayland("xcb", {"DISPLAY": ":0"})


def test_the_messages_say_which_hotkey_and_why_in_chinese() -> None:
    assert refusal_message(Refusal.TAKEN, "F2", "新建全量闪购") == (
        "F2（新建全量闪购）已被其他程序占用，按下时控制台收不到；请在设置里换一个键。"
    )
    typed = refusal_message(Refusal.TYPES_TEXT, "R", "暂停评论")
    assert typed.startswith("R（暂停评论）会输入文字")
    assert "F2" in typed
    assert "Wayland" in unsupported_message(system.WAYLAND_WITHOUT_X)
    assert "XWayland" in unsupported_message(system.WAYLAND_WITHOUT_X)
    assert unsupported_message(system.NO_DESKTOP) == (
        "本系统不支持全局快捷键，快捷键只在控制台有焦点时有效。"
    )


def test_the_hotkey_logic_stays_free_of_qt() -> None:
    code = (
        "import sys, flashbuy_desktop.hotkeys.system, flashbuy_desktop.hotkeys.x11;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the X11 grab, for real -----------------------------------------------------------------


class OtherProgram:
    """Another X client (Xlib, not the console's xcb code) that grabs keys, as a hotkey
    tool or the streaming software's own hotkeys would."""

    GRAB_MODE_ASYNC = 1

    def __init__(self) -> None:
        path = ctypes.util.find_library("X11")
        assert path is not None
        self.xlib = ctypes.CDLL(path)
        self.xlib.XOpenDisplay.restype = ctypes.c_void_p
        self.xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        self.xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.xlib.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.xlib.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.xlib.XGrabKey.argtypes = [
            ctypes.c_void_p,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_ulong,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
        ]
        self.xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]  # fmt: skip
        self.display = self.xlib.XOpenDisplay(None)
        assert self.display
        self.root = self.xlib.XDefaultRootWindow(self.display)

    def grab(self, keysym: int) -> bool:
        """Grab the key with no modifier; whether the server allowed it."""
        errors: list[int] = []
        handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)

        def on_error(_display: int, _event: int) -> int:
            errors.append(1)  # BadAccess: another client holds the key
            return 0

        handler = handler_type(on_error)
        self.xlib.XSetErrorHandler.restype = ctypes.c_void_p
        self.xlib.XSetErrorHandler.argtypes = [ctypes.c_void_p]
        previous = self.xlib.XSetErrorHandler(ctypes.cast(handler, ctypes.c_void_p))
        try:
            keycode = self.xlib.XKeysymToKeycode(self.display, keysym)
            self.xlib.XGrabKey(self.display, keycode, 0, self.root, 0, self.GRAB_MODE_ASYNC,
                               self.GRAB_MODE_ASYNC)  # fmt: skip
            self.xlib.XSync(self.display, 0)
        finally:
            self.xlib.XSetErrorHandler(previous)  # Qt's own, back
        return not errors

    def close(self) -> None:
        self.xlib.XCloseDisplay(self.display)


class StandIn:
    """The stand-in streaming software, in a process of its own."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen([sys.executable, str(STAND_IN), str(log)])

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def window_id(self) -> str | None:
        ready = [line.split()[1] for line in self.lines() if line.startswith("ready ")]
        return ready[0] if ready else None

    def pressed(self) -> list[str]:
        return [line.removeprefix("key ") for line in self.lines() if line.startswith("key ")]

    def focus(self, qtbot: QtBot) -> None:
        """Give it the keyboard focus, as the seller clicking into the streaming software."""
        window = self.window_id()
        assert window is not None
        subprocess.run(["xdotool", "windowactivate", "--sync", window], check=True)
        qtbot.waitUntil(lambda: _focused_window() == window, timeout=10_000)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is None, timeout=10_000)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _focused_window() -> str:
    result = subprocess.run(["xdotool", "getwindowfocus"], capture_output=True, text=True)
    return result.stdout.strip()


def _press(key: str) -> None:
    """A real key press and release (XTEST), to whatever window has the focus."""
    subprocess.run(["xdotool", "key", key], check=True)


@pytest.fixture
def stand_in(qtbot: QtBot, tmp_path: Path) -> Iterator[StandIn]:
    program = StandIn(tmp_path / "stand-in.log")
    try:
        qtbot.waitUntil(lambda: program.window_id() is not None, timeout=30_000)
        yield program
    finally:
        program.close()


@pytest.fixture
def other_program() -> Iterator[OtherProgram]:
    program = OtherProgram()
    yield program
    program.close()


ConsoleFactory = Callable[[ConsoleSettings], Console]


@pytest.fixture
def start_console(qtbot: QtBot, world: World, tmp_path: Path) -> Iterator[ConsoleFactory]:
    """Start a console with the given settings, signed in to the world's live room."""
    started: list[Console] = []

    def start(settings: ConsoleSettings) -> Console:
        settings = settings.changed({"server_url": world.platform.url, "language": "zh_CN"})
        # The run's own keyring, under a name of its own: it keeps the token, so the error
        # bar says nothing about a missing keyring and shows only what the hotkeys say.
        tokens = TokenStore(service=f"flashbuy-test-{uuid.uuid4().hex[:8]}")
        assert tokens.persistent, "needs the throw-away keyring scripts/pytest.sh starts"
        console = Console(settings, tokens, settings_path=tmp_path / "settings.json")
        started.append(console)
        sign_in(qtbot, console, world)
        window = console.window
        assert window is not None
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.room is not None, timeout=30_000)
        return console

    yield start
    for console in started:
        console.shutdown()


XK_F2 = 0xFFBF


def _holding_the_keys(
    start_console: ConsoleFactory, settings: ConsoleSettings
) -> tuple[Console, MainWindow]:
    """A console started with ``settings`` whose main window holds the global hotkeys."""
    console = start_console(settings)
    window = console.window
    assert window is not None
    assert window.global_hotkeys.is_active()
    return console, window


@X11
def test_f2_in_the_streaming_software_opens_the_new_flashbuy_window(
    qtbot: QtBot, start_console: ConsoleFactory, stand_in: StandIn
) -> None:
    _, window = _holding_the_keys(start_console, ConsoleSettings(global_hotkeys=True))
    assert window.error_bar.text() == ""  # nothing refused
    stand_in.focus(qtbot)

    _press("F2")
    qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible())
    dialog = window.new_dialog
    assert dialog is not None
    # It has the keyboard: the price typed next goes to it, not to the streaming software.
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.reject()
    qtbot.waitUntil(lambda: window.new_dialog is None)

    # The pause hotkey too, from the streaming software.
    stand_in.focus(qtbot)
    _press("F3")
    qtbot.waitUntil(window.comments.is_held)
    _press("F3")
    qtbot.waitUntil(lambda: not window.comments.is_held())

    # The streaming software received neither key: what it got next is only the "x" typed.
    _press("x")
    qtbot.waitUntil(lambda: "X" in stand_in.pressed(), timeout=10_000)
    assert stand_in.pressed() == ["X"]


@X11
def test_with_global_hotkeys_off_f2_stays_with_the_streaming_software(
    qtbot: QtBot, start_console: ConsoleFactory, stand_in: StandIn
) -> None:
    console = start_console(ConsoleSettings())
    window = console.window
    assert window is not None
    assert not window.global_hotkeys.is_active()
    assert window.new_full_action.shortcut() == QKeySequence("F2")  # the console's own, as before
    stand_in.focus(qtbot)
    _press("F2")
    qtbot.waitUntil(lambda: stand_in.pressed() == ["F2"], timeout=10_000)
    QApplication.processEvents()
    assert window.new_dialog is None


@X11
def test_a_hotkey_another_program_holds_is_named_and_the_other_one_still_works(
    qtbot: QtBot, start_console: ConsoleFactory, other_program: OtherProgram, stand_in: StandIn
) -> None:
    assert other_program.grab(XK_F2)
    console = start_console(ConsoleSettings(global_hotkeys=True))
    window = console.window
    assert window is not None
    assert window.error_bar.text() == (
        "F2（新建全量闪购）已被其他程序占用，按下时控制台收不到；请在设置里换一个键。"
    )
    # F2 keeps its console shortcut (for when the other program lets it go); pause is global.
    assert window.new_full_action.shortcut() == QKeySequence("F2")
    assert window.global_hotkeys.is_active()
    assert window.pause_action.shortcut().isEmpty()
    stand_in.focus(qtbot)
    _press("F3")
    qtbot.waitUntil(window.comments.is_held)
    _press("F3")
    qtbot.waitUntil(lambda: not window.comments.is_held())


@X11
def test_turning_global_hotkeys_off_releases_the_keys_at_once(
    qtbot: QtBot, start_console: ConsoleFactory, other_program: OtherProgram
) -> None:
    console, window = _holding_the_keys(start_console, ConsoleSettings(global_hotkeys=True))
    assert not other_program.grab(XK_F2)  # the console holds it

    def turn_off(dialog: SettingsWindow) -> None:
        assert dialog.global_hotkeys.isChecked()
        box = dialog.global_hotkeys
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))

    save_settings_when_asked(qtbot, turn_off)
    window.settings_action.trigger()  # returns when the settings window closed
    assert console.settings.global_hotkeys is False
    assert not window.global_hotkeys.is_active()
    assert window.new_full_action.shortcut() == QKeySequence("F2")  # the console's own again
    assert other_program.grab(XK_F2)


@X11
def test_signing_out_releases_the_keys(
    qtbot: QtBot, start_console: ConsoleFactory, other_program: OtherProgram
) -> None:
    console, window = _holding_the_keys(
        start_console, ConsoleSettings(global_hotkeys=True, hotkeys=Hotkeys(new_full="F2"))
    )
    confirm_when_asked(qtbot)
    window.sign_out_action.trigger()  # returns when the question is answered
    qtbot.waitUntil(lambda: console.dialog is not None and console.dialog.isVisible())
    assert not window.global_hotkeys.is_active()
    assert other_program.grab(XK_F2)


@X11
def test_a_new_language_moves_the_keys_to_the_new_window(
    qtbot: QtBot, start_console: ConsoleFactory, qapp: QApplication, stand_in: StandIn
) -> None:
    console = start_console(ConsoleSettings(global_hotkeys=True))
    old = console.window
    assert old is not None

    try:
        window = switch_to_english(qtbot, console)
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.room is not None, timeout=30_000)
        # Built before the old window closed, it still got the keys (not "taken").
        assert window.global_hotkeys.is_active()
        assert window.error_bar.text() == ""
        assert not old.global_hotkeys.is_active()
        stand_in.focus(qtbot)
        _press("F2")
        qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible())
        assert window.new_dialog is not None
        window.new_dialog.reject()
        qtbot.waitUntil(lambda: window.new_dialog is None)
    finally:
        i18n.install(qapp, "zh_CN")

"""Global hotkeys on Windows: ``RegisterHotKey``, answered by ``WM_HOTKEY`` messages.

Registered with no window, the hotkeys post ``WM_HOTKEY`` to the registering thread's queue
(the GUI thread's); Qt hands every message its dispatcher takes to the native event filters,
and the console's filter passes it to :meth:`WindowsHotkeys.handle_message`. A combination
another program registered fails with ``ERROR_HOTKEY_ALREADY_REGISTERED``.

The key mapping is pure and tested everywhere; the registration itself runs only on Windows
and has not been tried on a real one by these tests.
"""

import ctypes
import string
import sys
from collections.abc import Mapping
from typing import Any

from flashbuy_desktop.hotkeys.base import Activated, Refusal, UnavailableError
from flashbuy_desktop.hotkeys.chord import Chord

MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x1, 0x2, 0x4, 0x8, 0x4000
WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
FIRST_ID = 0xB000  # ids 0x0000-0xBFFF are the application's own
VK_F1, VK_NUMPAD0 = 0x70, 0x60

_NAMED = {
    "Ins": 0x2D, "Del": 0x2E, "Home": 0x24, "End": 0x23, "PgUp": 0x21, "PgDown": 0x22,
    "Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28, "Print": 0x2C, "Pause": 0x13,
    "ScrollLock": 0x91, "Esc": 0x1B, "Tab": 0x09, "Backspace": 0x08, "Return": 0x0D,
    "Enter": 0x0D, "Space": 0x20, "Menu": 0x5D,
    # The OEM keys where a US keyboard has them (Windows names them by that layout).
    ";": 0xBA, "=": 0xBB, ",": 0xBC, "-": 0xBD, ".": 0xBE, "/": 0xBF, "`": 0xC0, "[": 0xDB,
    "\\": 0xDC, "]": 0xDD, "'": 0xDE,
}  # fmt: skip
_KEYPAD = {"*": 0x6A, "+": 0x6B, "-": 0x6D, ".": 0x6E, "/": 0x6F, "Enter": 0x0D}


def virtual_key(chord: Chord) -> int | None:
    """The chord's key as a Windows virtual-key code; None where there is none."""
    key = chord.key
    if chord.keypad:
        if len(key) == 1 and key.isdigit():
            return VK_NUMPAD0 + int(key)
        return _KEYPAD.get(key)
    if key.startswith("F") and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        return VK_F1 + int(key[1:]) - 1
    if len(key) == 1 and key in string.ascii_uppercase + string.digits:
        return ord(key)  # letters and digits are their own (upper-case) codes
    return _NAMED.get(key)


def modifiers(chord: Chord) -> int:
    """The chord's modifiers as ``RegisterHotKey`` flags (Qt's Meta is the Windows key)."""
    mask = MOD_NOREPEAT  # holding the key down fires once
    if chord.alt:
        mask |= MOD_ALT
    if chord.ctrl:
        mask |= MOD_CONTROL
    if chord.shift:
        mask |= MOD_SHIFT
    if chord.meta:
        mask |= MOD_WIN
    return mask


def _last_error() -> int:
    if sys.platform == "win32":
        return ctypes.get_last_error()
    return 0


class _Msg(ctypes.Structure):
    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt_x", ctypes.c_long),
        ("pt_y", ctypes.c_long),
    )


class WindowsHotkeys:
    """The console's hotkeys registered with Windows for the calling (GUI) thread."""

    def __init__(self, on_activated: Activated) -> None:
        self._on_activated = on_activated
        self._ids: dict[int, str] = {}
        if sys.platform != "win32":
            raise UnavailableError("RegisterHotKey is Windows only")
        self._user32: Any = ctypes.WinDLL("user32", use_last_error=True)

    def register(self, bindings: Mapping[str, Chord]) -> dict[str, Refusal]:
        """Register ``bindings`` instead of those before; what could not be, and why."""
        self._unregister()
        refused: dict[str, Refusal] = {}
        for offset, (name, chord) in enumerate(bindings.items()):
            vk = virtual_key(chord)
            if chord.types_text():
                refused[name] = Refusal.TYPES_TEXT
            elif vk is None:
                refused[name] = Refusal.NO_SUCH_KEY
            elif self._user32.RegisterHotKey(None, FIRST_ID + offset, modifiers(chord), vk):
                self._ids[FIRST_ID + offset] = name
            else:
                taken = _last_error() == ERROR_HOTKEY_ALREADY_REGISTERED
                refused[name] = Refusal.TAKEN if taken else Refusal.FAILED
        return refused

    def handle_message(self, address: int) -> bool:
        """Whether the MSG at ``address`` was one of our hotkeys (then it is handled)."""
        message = _Msg.from_address(address)
        if message.message != WM_HOTKEY or message.wParam not in self._ids:
            return False
        self._on_activated(self._ids[message.wParam])
        return True

    def _unregister(self) -> None:
        if sys.platform == "win32":
            for hotkey_id in self._ids:
                self._user32.UnregisterHotKey(None, hotkey_id)
        self._ids.clear()

    def close(self) -> None:
        """Unregister every hotkey (idempotent)."""
        self._unregister()

"""Global hotkeys on macOS: the Carbon hot-key API (``RegisterEventHotKey``), through ctypes.

It is still the system's one API for a hotkey that works while another program has focus
without the accessibility permission an event tap needs. The handler is installed on the
application's event target; Cocoa's run loop (which Qt runs) calls it on the main thread.
Registered as exclusive, a combination another program holds answers
``eventHotKeyExistsErr``.

The key mapping is pure and tested everywhere; the registration itself runs only on macOS
and has not been tried on a real one by these tests.
"""

import ctypes
import ctypes.util
import sys
from collections.abc import Mapping
from typing import Any

from flashbuy_desktop.hotkeys.base import Activated, Refusal, UnavailableError
from flashbuy_desktop.hotkeys.chord import Chord

CMD_KEY, SHIFT_KEY, OPTION_KEY, CONTROL_KEY = 1 << 8, 1 << 9, 1 << 11, 1 << 12
HOT_KEY_EXCLUSIVE = 1 << 0  # kEventHotKeyExclusive
HOT_KEY_EXISTS = -9878  # eventHotKeyExistsErr
EVENT_NOT_HANDLED = -9874  # eventNotHandledErr


def _four_cc(code: str) -> int:
    return int.from_bytes(code.encode("ascii"), "big")


SIGNATURE = _four_cc("FBuy")
EVENT_CLASS_KEYBOARD = _four_cc("keyb")
EVENT_HOT_KEY_PRESSED = 5
PARAM_DIRECT_OBJECT = _four_cc("----")
TYPE_HOT_KEY_ID = _four_cc("hkid")

# Virtual key codes (kVK_*), by the key's place on an ANSI keyboard.
_LETTERS = "ASDFHGZXCV?BQWERYT"  # 0x00-0x11 ("?" is 0x0A, a key only ISO keyboards have)
_KEYCODES: dict[str, int] = {ch: code for code, ch in enumerate(_LETTERS) if ch != "?"}
_KEYCODES |= {
    "1": 0x12, "2": 0x13, "3": 0x14, "4": 0x15, "6": 0x16, "5": 0x17, "=": 0x18, "9": 0x19,
    "7": 0x1A, "-": 0x1B, "8": 0x1C, "0": 0x1D, "]": 0x1E, "O": 0x1F, "U": 0x20, "[": 0x21,
    "I": 0x22, "P": 0x23, "Return": 0x24, "L": 0x25, "J": 0x26, "'": 0x27, "K": 0x28,
    ";": 0x29, "\\": 0x2A, ",": 0x2B, "/": 0x2C, "N": 0x2D, "M": 0x2E, ".": 0x2F,
    "Tab": 0x30, "Space": 0x31, "`": 0x32, "Backspace": 0x33, "Esc": 0x35,
    "F1": 0x7A, "F2": 0x78, "F3": 0x63, "F4": 0x76, "F5": 0x60, "F6": 0x61, "F7": 0x62,
    "F8": 0x64, "F9": 0x65, "F10": 0x6D, "F11": 0x67, "F12": 0x6F, "F13": 0x69,
    "F14": 0x6B, "F15": 0x71, "F16": 0x6A, "F17": 0x40, "F18": 0x4F, "F19": 0x50,
    "F20": 0x5A, "Ins": 0x72, "Home": 0x73, "PgUp": 0x74, "Del": 0x75, "End": 0x77,
    "PgDown": 0x79, "Left": 0x7B, "Right": 0x7C, "Down": 0x7D, "Up": 0x7E,
}  # fmt: skip
_KEYPAD = {
    "0": 0x52, "1": 0x53, "2": 0x54, "3": 0x55, "4": 0x56, "5": 0x57, "6": 0x58, "7": 0x59,
    "8": 0x5B, "9": 0x5C, ".": 0x41, "*": 0x43, "+": 0x45, "/": 0x4B, "-": 0x4E,
    "Enter": 0x4C,
}  # fmt: skip


def key_code(chord: Chord) -> int | None:
    """The chord's key as a macOS virtual key code; None where there is none."""
    return (_KEYPAD if chord.keypad else _KEYCODES).get(chord.key)


def modifiers(chord: Chord) -> int:
    """The chord's modifiers as Carbon flags.

    Qt on macOS calls Command "Ctrl" and the Control key "Meta", so the settings' "Ctrl+F2"
    is ⌘F2 there, as it shows in Qt's own menus.
    """
    mask = 0
    if chord.ctrl:
        mask |= CMD_KEY
    if chord.shift:
        mask |= SHIFT_KEY
    if chord.alt:
        mask |= OPTION_KEY
    if chord.meta:
        mask |= CONTROL_KEY
    return mask


class _HotKeyId(ctypes.Structure):
    _fields_ = (("signature", ctypes.c_uint32), ("id", ctypes.c_uint32))


class _EventTypeSpec(ctypes.Structure):
    _fields_ = (("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32))


_Handler = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


class CarbonHotkeys:
    """The console's hotkeys registered with Carbon's event manager."""

    def __init__(self, on_activated: Activated) -> None:
        path = ctypes.util.find_library("Carbon") if sys.platform == "darwin" else None
        if path is None:
            raise UnavailableError("the Carbon framework is macOS only")
        self._on_activated = on_activated
        self._carbon = ctypes.CDLL(path)
        c = self._carbon
        c.GetApplicationEventTarget.restype = ctypes.c_void_p
        c.InstallEventHandler.argtypes = [
            ctypes.c_void_p,
            _Handler,
            ctypes.c_ulong,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        c.RegisterEventHotKey.argtypes = [
            ctypes.c_uint32,
            ctypes.c_uint32,
            _HotKeyId,
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.c_void_p,
        ]
        c.GetEventParameter.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        c.UnregisterEventHotKey.argtypes = [ctypes.c_void_p]
        c.RemoveEventHandler.argtypes = [ctypes.c_void_p]  # fmt: skip
        self._target = c.GetApplicationEventTarget()
        self._refs: dict[int, tuple[str, ctypes.c_void_p]] = {}
        # Kept referenced: Carbon calls it for as long as the handler is installed.
        self._handler: Any = _Handler(self._pressed)
        self._handler_ref = ctypes.c_void_p()
        spec = _EventTypeSpec(EVENT_CLASS_KEYBOARD, EVENT_HOT_KEY_PRESSED)
        status = c.InstallEventHandler(self._target, self._handler, 1, ctypes.byref(spec), None,
                                       ctypes.byref(self._handler_ref))  # fmt: skip
        if status != 0:
            raise UnavailableError(f"InstallEventHandler failed ({status})")

    def register(self, bindings: Mapping[str, Chord]) -> dict[str, Refusal]:
        """Register ``bindings`` instead of those before; what could not be, and why."""
        self._unregister()
        refused: dict[str, Refusal] = {}
        for number, (name, chord) in enumerate(bindings.items(), start=1):
            code = key_code(chord)
            if chord.types_text():
                refused[name] = Refusal.TYPES_TEXT
                continue
            if code is None:
                refused[name] = Refusal.NO_SUCH_KEY
                continue
            ref = ctypes.c_void_p()
            status = self._carbon.RegisterEventHotKey(
                code, modifiers(chord), _HotKeyId(SIGNATURE, number), self._target,
                HOT_KEY_EXCLUSIVE, ctypes.byref(ref),
            )  # fmt: skip
            if status == 0:
                self._refs[number] = (name, ref)
            else:
                refused[name] = Refusal.TAKEN if status == HOT_KEY_EXISTS else Refusal.FAILED
        return refused

    def _pressed(self, _call: int, event: int, _data: int) -> int:
        hot_key = _HotKeyId()
        status = self._carbon.GetEventParameter(
            event, PARAM_DIRECT_OBJECT, TYPE_HOT_KEY_ID, None, ctypes.sizeof(hot_key), None,
            ctypes.byref(hot_key),
        )  # fmt: skip
        if status != 0 or hot_key.signature != SIGNATURE or hot_key.id not in self._refs:
            return EVENT_NOT_HANDLED
        self._on_activated(self._refs[hot_key.id][0])
        return 0

    def _unregister(self) -> None:
        for _name, ref in self._refs.values():
            self._carbon.UnregisterEventHotKey(ref)
        self._refs.clear()

    def close(self) -> None:
        """Unregister every hotkey and remove the handler (idempotent)."""
        self._unregister()
        if self._handler_ref:
            self._carbon.RemoveEventHandler(self._handler_ref)
            self._handler_ref = ctypes.c_void_p()

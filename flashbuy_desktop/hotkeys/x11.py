"""Global hotkeys on X11: passive key grabs on the root window, on a connection of our own.

Why a connection of our own (libxcb through ctypes) rather than Qt's: each grab is a
*checked* request, so a key another program already grabbed answers BadAccess to that very
request, without touching the process-wide Xlib error handler Qt installed; nothing depends
on Qt's native interfaces; and the grab is what any other client sees. The price is one
thread: it waits on the connection's socket (and on a pipe that wakes it to stop) and calls
``on_activated`` for each hotkey pressed. Grabs are made and released on the caller's
thread, only while that thread is not running.

A grab holds for one exact modifier state, so each hotkey is grabbed once per combination
of CapsLock, NumLock and ScrollLock (:meth:`~.x11_keys.Modifiers.lock_variants`).
"""

import ctypes
import ctypes.util
import logging
import os
import select
import threading
from collections.abc import Mapping
from typing import Any

from flashbuy_desktop.hotkeys.base import Activated, Refusal, UnavailableError
from flashbuy_desktop.hotkeys.chord import Chord
from flashbuy_desktop.hotkeys.x11_keys import (
    MODIFIER_BITS,
    KeyboardMap,
    RepeatFilter,
    keysym,
    modifiers_from_mapping,
    needs_shift,
)

log = logging.getLogger(__name__)

THREAD_NAME = "global-hotkeys"
KEY_PRESS, KEY_RELEASE = 2, 3
BAD_ACCESS = 10  # the key combination is grabbed by another client
GRAB_MODE_ASYNC = 1
_SETUP_MIN_KEYCODE = 34  # offsets in xcb_setup_t
_SETUP_MAX_KEYCODE = 35
_REPLY_HEADER = 32  # a reply's fixed part; its list follows


class _Cookie(ctypes.Structure):
    _fields_ = (("sequence", ctypes.c_uint),)


class _ScreenIterator(ctypes.Structure):
    _fields_ = (("data", ctypes.c_void_p), ("rem", ctypes.c_int), ("index", ctypes.c_int))


class _KeyEvent(ctypes.Structure):
    _fields_ = (
        ("response_type", ctypes.c_uint8),
        ("detail", ctypes.c_uint8),  # the keycode
        ("sequence", ctypes.c_uint16),
        ("time", ctypes.c_uint32),
        ("root", ctypes.c_uint32),
        ("event", ctypes.c_uint32),
        ("child", ctypes.c_uint32),
        ("root_x", ctypes.c_int16),
        ("root_y", ctypes.c_int16),
        ("event_x", ctypes.c_int16),
        ("event_y", ctypes.c_int16),
        ("state", ctypes.c_uint16),
    )


def _library(name: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name)
    if path is None:
        raise UnavailableError(f"lib{name} is not installed")
    return ctypes.CDLL(path)


def _bind_xcb(lib: ctypes.CDLL) -> None:
    """Declare the few libxcb functions used here (ctypes would assume int for everything)."""
    c_void_p, c_uint8, c_uint16, c_uint32 = (
        ctypes.c_void_p,
        ctypes.c_uint8,
        ctypes.c_uint16,
        ctypes.c_uint32,
    )
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "xcb_connect": (c_void_p, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
        "xcb_connection_has_error": (ctypes.c_int, [c_void_p]),
        "xcb_disconnect": (None, [c_void_p]),
        "xcb_flush": (ctypes.c_int, [c_void_p]),
        "xcb_get_file_descriptor": (ctypes.c_int, [c_void_p]),
        "xcb_get_setup": (c_void_p, [c_void_p]),
        "xcb_setup_roots_iterator": (_ScreenIterator, [c_void_p]),
        "xcb_screen_next": (None, [ctypes.POINTER(_ScreenIterator)]),
        "xcb_get_keyboard_mapping": (_Cookie, [c_void_p, c_uint8, c_uint8]),
        "xcb_get_keyboard_mapping_reply": (c_void_p, [c_void_p, _Cookie, c_void_p]),
        "xcb_get_modifier_mapping": (_Cookie, [c_void_p]),
        "xcb_get_modifier_mapping_reply": (c_void_p, [c_void_p, _Cookie, c_void_p]),
        "xcb_grab_key_checked": (
            _Cookie,
            [c_void_p, c_uint8, c_uint32, c_uint16, c_uint8, c_uint8, c_uint8],
        ),
        "xcb_ungrab_key_checked": (_Cookie, [c_void_p, c_uint8, c_uint32, c_uint16]),
        "xcb_request_check": (c_void_p, [c_void_p, _Cookie]),
        "xcb_poll_for_event": (c_void_p, [c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes


class X11Grabber:
    """Passive grabs of the console's hotkeys on the root window (see the module's text)."""

    def __init__(self, on_activated: Activated, display: str | None = None) -> None:
        self._on_activated = on_activated
        self._xcb = _library("xcb")
        self._libc = _library("c")
        self._libc.free.argtypes = [ctypes.c_void_p]
        self._libc.free.restype = None
        _bind_xcb(self._xcb)
        screen = ctypes.c_int(0)
        name = display.encode() if display else None
        self._conn: int | None = self._xcb.xcb_connect(name, ctypes.byref(screen))
        if not self._conn or self._xcb.xcb_connection_has_error(self._conn):
            if self._conn:
                self._xcb.xcb_disconnect(self._conn)
            self._conn = None
            raise UnavailableError(f"cannot connect to the X display {display or ''}".strip())
        self._root = self._root_window(screen.value)
        self._grabs: dict[tuple[int, int], str] = {}  # (keycode, modifiers) -> name
        self._granted: list[tuple[int, int]] = []  # every (keycode, mask) grabbed, locks too
        self._locks = 0
        self._thread: threading.Thread | None = None
        self._wake: tuple[int, int] | None = None

    # --- taking and releasing the keys -----------------------------------------------------

    def register(self, bindings: Mapping[str, Chord]) -> dict[str, Refusal]:
        """Grab ``bindings`` instead of what was grabbed before; what could not be, and why."""
        conn = self._connection()
        self._stop_thread()
        self._ungrab_all()
        keyboard = self._keyboard_map()
        modifiers = modifiers_from_mapping(self._modifier_map(), keyboard)
        self._locks = modifiers.locks()
        refused: dict[str, Refusal] = {}
        for name, chord in bindings.items():
            if chord.types_text():
                refused[name] = Refusal.TYPES_TEXT
                continue
            symbol = keysym(chord)
            found = keyboard.find(symbol) if symbol is not None else None
            if found is None:
                refused[name] = Refusal.NO_SUCH_KEY
                continue
            keycode, column = found
            mask = modifiers.of(chord) | (1 if needs_shift(chord, column) else 0)
            why = self._grab(conn, keycode, [mask | lock for lock in modifiers.lock_variants()])
            if why is None:
                self._grabs[(keycode, mask)] = name
            else:
                refused[name] = why
                log.warning("hotkey %s (%s) could not be grabbed: %s", name, chord, why.value)
        if self._grabs:
            self._start_thread()
        return refused

    def _grab(self, conn: int, keycode: int, masks: list[int]) -> Refusal | None:
        xcb = self._xcb
        cookies = [
            (mask, xcb.xcb_grab_key_checked(conn, 0, self._root, mask, keycode, GRAB_MODE_ASYNC,
                                            GRAB_MODE_ASYNC))
            for mask in masks
        ]  # fmt: skip
        # Sent together, then checked in order: one round trip, not one per lock variant.
        codes: list[int] = []
        for mask, cookie in cookies:
            error = xcb.xcb_request_check(conn, cookie)
            if error:
                codes.append(ctypes.string_at(error, 2)[1])
                self._libc.free(error)
            else:
                self._granted.append((keycode, mask))
        if not codes:
            return None
        # Half a hotkey (only with some locks on) would puzzle the seller: none of it, then.
        partial = [(keycode, mask) for mask in masks if (keycode, mask) in self._granted]
        self._ungrab(conn, partial)
        self._granted = [grab for grab in self._granted if grab not in partial]
        return Refusal.TAKEN if BAD_ACCESS in codes else Refusal.FAILED

    def _ungrab(self, conn: int, grabs: list[tuple[int, int]]) -> None:
        cookies = [
            self._xcb.xcb_ungrab_key_checked(conn, keycode, self._root, mask)
            for keycode, mask in grabs
        ]
        # Waited for, so another program can take the keys the moment this returns.
        for cookie in cookies:
            error = self._xcb.xcb_request_check(conn, cookie)
            if error:
                self._libc.free(error)

    def _ungrab_all(self) -> None:
        self._ungrab(self._connection(), self._granted)
        self._granted.clear()
        self._grabs.clear()

    def close(self) -> None:
        """Release every grab, stop the thread, and close the connection (idempotent)."""
        if self._conn is None:
            return
        self._stop_thread()
        self._ungrab_all()
        self._xcb.xcb_disconnect(self._conn)
        self._conn = None

    def grabbed(self) -> set[str]:
        """The names of the hotkeys held now."""
        return set(self._grabs.values())

    # --- reading the server's mappings -----------------------------------------------------

    def _connection(self) -> int:
        if self._conn is None:
            raise UnavailableError("the X connection is closed")
        return self._conn

    def _root_window(self, screen: int) -> int:
        xcb = self._xcb
        iterator = xcb.xcb_setup_roots_iterator(xcb.xcb_get_setup(self._conn))
        for _ in range(screen):
            xcb.xcb_screen_next(ctypes.byref(iterator))
        if not iterator.data:
            raise UnavailableError(f"the X display has no screen {screen}")
        return ctypes.c_uint32.from_address(iterator.data).value  # xcb_screen_t starts with root

    def _reply(self, name: str, *args: Any) -> bytes:
        conn = self._connection()
        cookie = getattr(self._xcb, name)(conn, *args)
        reply = getattr(self._xcb, f"{name}_reply")(conn, cookie, None)
        if not reply:
            raise UnavailableError(f"the X server did not answer {name}")
        try:
            length = ctypes.c_uint32.from_address(reply + 4).value  # in 4-byte units
            return ctypes.string_at(reply, _REPLY_HEADER + 4 * length)
        finally:
            self._libc.free(reply)

    def _keyboard_map(self) -> KeyboardMap:
        setup = ctypes.string_at(self._xcb.xcb_get_setup(self._conn), _SETUP_MAX_KEYCODE + 1)
        first, last = setup[_SETUP_MIN_KEYCODE], setup[_SETUP_MAX_KEYCODE]
        data = self._reply("xcb_get_keyboard_mapping", first, last - first + 1)
        count = (len(data) - _REPLY_HEADER) // 4
        keysyms = (ctypes.c_uint32 * count).from_buffer_copy(data, _REPLY_HEADER)
        return KeyboardMap(first=first, per_keycode=data[1], keysyms=list(keysyms))

    def _modifier_map(self) -> list[list[int]]:
        data = self._reply("xcb_get_modifier_mapping")
        per = data[1]
        codes = data[_REPLY_HEADER : _REPLY_HEADER + 8 * per]
        return [list(codes[i * per : (i + 1) * per]) for i in range(8)]

    # --- the thread that waits for presses -------------------------------------------------

    def _start_thread(self) -> None:
        self._wake = os.pipe()
        self._thread = threading.Thread(
            target=self._run, args=(self._connection(), self._wake[0]), name=THREAD_NAME,
            daemon=True,  # a last resort only: close() always stops it
        )  # fmt: skip
        self._thread.start()

    def _stop_thread(self) -> None:
        thread, wake = self._thread, self._wake
        self._thread = self._wake = None
        if wake is not None:
            os.write(wake[1], b"x")
        if thread is not None:
            thread.join()
        if wake is not None:
            os.close(wake[0])
            os.close(wake[1])

    def _run(self, conn: int, wake: int) -> None:
        xcb = self._xcb
        socket = xcb.xcb_get_file_descriptor(conn)
        repeats = RepeatFilter()
        grabs = dict(self._grabs)  # not changed while this thread runs
        ignored = ~self._locks & MODIFIER_BITS
        while True:
            # Drain first: a reply read on the other thread may have queued events already.
            while event := xcb.xcb_poll_for_event(conn):
                key = _KeyEvent.from_address(event)
                kind, keycode, time = key.response_type & 0x7F, key.detail, key.time
                state = key.state & ignored
                self._libc.free(event)
                if kind == KEY_RELEASE:
                    repeats.release(keycode, time)
                elif kind == KEY_PRESS and repeats.press(keycode, time):
                    name = grabs.get((keycode, state))
                    if name is not None:
                        self._on_activated(name)
            if xcb.xcb_connection_has_error(conn):
                log.error("the X connection for global hotkeys broke; they stop working")
                return
            ready, _, _ = select.select([socket, wake], [], [])
            if wake in ready:
                return

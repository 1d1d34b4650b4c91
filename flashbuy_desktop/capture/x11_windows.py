"""What the X11 desktop says: where another console's windows are, whether it composites.

This console's own windows are in its :class:`~.occlusion.Occluders` record; a second
console process on the same desktop is not, yet its windows photograph just as well. X11
has no flag that keeps a window out of screen captures, so the desktop is asked instead: the
window manager's client list (``_NET_CLIENT_LIST``), each client's ``WM_CLASS`` and
``_NET_WM_PID``, and where it is on the root window, in the physical pixels mss grabs.

libX11 through ctypes, one short-lived display connection per question (Xlib connections
must not be shared between threads). Anything that fails (no X server, no window manager, a
window closing while asked) answers "no window" for that window, never an exception.
"""

import ctypes
import ctypes.util
import logging
import os
from functools import cache

from flashbuy_desktop.capture.types import Region

log = logging.getLogger(__name__)

CONSOLE_CLASS = "flashbuy"  # WM_CLASS of the console's windows (QApplication's name)

_Window = ctypes.c_ulong
_Atom = ctypes.c_ulong
_XA_ATOM = 4
_XA_CARDINAL = 6
_XA_WINDOW = 33
_IS_VIEWABLE = 2


class _ClassHint(ctypes.Structure):
    # Pointers, not c_char_p: Xlib's own strings must go back to XFree as they came.
    _fields_ = [("res_name", ctypes.c_void_p), ("res_class", ctypes.c_void_p)]


class _Attributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", _Window),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


@cache
def _xlib() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    try:
        x = ctypes.CDLL(name)
    except OSError:
        return None
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x.XDefaultRootWindow.restype = _Window
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XInternAtom.restype = _Atom
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, _Window, _Atom, ctypes.c_long, ctypes.c_long, ctypes.c_int, _Atom,
        ctypes.POINTER(_Atom), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
    ]  # fmt: skip
    x.XGetClassHint.argtypes = [ctypes.c_void_p, _Window, ctypes.POINTER(_ClassHint)]
    x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, _Window, ctypes.POINTER(_Attributes)]
    x.XTranslateCoordinates.argtypes = [
        ctypes.c_void_p, _Window, _Window, ctypes.c_int, ctypes.c_int,
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(_Window),
    ]  # fmt: skip
    x.XFree.argtypes = [ctypes.c_void_p]
    x.XSetErrorHandler.restype = ctypes.c_void_p
    x.XSetErrorHandler.argtypes = [ctypes.c_void_p]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x.XGetSelectionOwner.restype = _Window
    x.XGetSelectionOwner.argtypes = [ctypes.c_void_p, _Atom]
    return x


def _ignore(_display: int, _event: int) -> int:
    return 0


_IGNORE_ERRORS = _ERROR_HANDLER(_ignore)  # kept alive: Xlib holds the pointer


def _cardinals(x: ctypes.CDLL, display: int, window: int, name: bytes, kind: int) -> list[int]:
    atom = x.XInternAtom(display, name, 1)
    if not atom:
        return []
    actual, fmt = _Atom(), ctypes.c_int()
    count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
    status = x.XGetWindowProperty(
        display, window, atom, 0, 4096, 0, kind,
        ctypes.byref(actual), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after),
        ctypes.byref(data),
    )  # fmt: skip
    if status != 0 or not data.value:
        return []
    try:
        if fmt.value != 32:
            return []
        values = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
        return [int(values[i]) for i in range(count.value)]
    finally:
        x.XFree(data)


def _class_of(x: ctypes.CDLL, display: int, window: int) -> str:
    hint = _ClassHint()
    if not x.XGetClassHint(display, window, ctypes.byref(hint)):
        return ""
    try:
        return ctypes.string_at(hint.res_class).decode(errors="replace") if hint.res_class else ""
    finally:
        for part in (hint.res_name, hint.res_class):
            if part:
                x.XFree(part)


def _region_of(x: ctypes.CDLL, display: int, root: int, window: int) -> Region | None:
    attributes = _Attributes()
    if not x.XGetWindowAttributes(display, window, ctypes.byref(attributes)):
        return None
    if attributes.map_state != _IS_VIEWABLE or attributes.width <= 0 or attributes.height <= 0:
        return None
    left, top, child = ctypes.c_int(), ctypes.c_int(), _Window()
    if not x.XTranslateCoordinates(
        display, window, root, 0, 0, ctypes.byref(left), ctypes.byref(top), ctypes.byref(child)
    ):
        return None
    return Region(left.value, top.value, attributes.width, attributes.height)


def other_console_windows(own_pid: int | None = None) -> list[Region]:
    """Where the windows of other console processes on this X11 desktop are (physical px)."""
    if not os.environ.get("DISPLAY"):
        return []
    x = _xlib()
    if x is None:
        return []
    display = x.XOpenDisplay(None)
    if not display:
        return []
    pid = os.getpid() if own_pid is None else own_pid
    # A window that closes while it is asked about raises BadWindow, and Xlib's default
    # handler would end the process: ignored while asking (that window is simply not there),
    # and whoever handled errors before gets them back afterwards.
    previous = x.XSetErrorHandler(ctypes.cast(_IGNORE_ERRORS, ctypes.c_void_p))
    try:
        root = x.XDefaultRootWindow(display)
        utility = int(x.XInternAtom(display, b"_NET_WM_WINDOW_TYPE_UTILITY", 1))
        found = []
        for window in _cardinals(x, display, root, b"_NET_CLIENT_LIST", _XA_WINDOW):
            if _class_of(x, display, window).casefold() != CONSOLE_CLASS:
                continue
            pids = _cardinals(x, display, window, b"_NET_WM_PID", _XA_CARDINAL)
            if pids and pids[0] == pid:
                continue  # ours: in this console's own record already
            types = _cardinals(x, display, window, b"_NET_WM_WINDOW_TYPE", _XA_ATOM)
            if utility and utility in types:
                continue  # its capture frame: see-through inside, its border outside that
            region = _region_of(x, display, root, window)
            if region is not None:
                found.append(region)
        return found
    except (OSError, ValueError) as exc:  # a ctypes failure: no answer, never a crash
        log.info("cannot list the desktop's windows: %s", exc)
        return []
    finally:
        x.XSync(display, 0)
        x.XSetErrorHandler(previous)
        x.XCloseDisplay(display)


def compositor_running() -> bool:
    """Whether a compositing manager runs on this X11 display (alpha is honoured).

    False also when there is no libX11 or display to ask: the caller then takes the safe
    path of a window cut down to what it paints.
    """
    x = _xlib()
    if x is None:
        return False
    display = x.XOpenDisplay(None)
    if not display:
        return False
    try:
        screen = int(x.XDefaultScreen(display))
        atom = x.XInternAtom(display, f"_NET_WM_CM_S{screen}".encode(), 0)
        return int(x.XGetSelectionOwner(display, atom)) != 0
    finally:
        x.XCloseDisplay(display)

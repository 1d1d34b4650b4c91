"""Which way of taking global hotkeys this system offers, chosen by Qt's platform name."""

import os
from collections.abc import Mapping

from flashbuy_desktop.hotkeys.base import Activated, Backend, UnavailableError
from flashbuy_desktop.hotkeys.macos import CarbonHotkeys
from flashbuy_desktop.hotkeys.windows import WindowsHotkeys
from flashbuy_desktop.hotkeys.x11 import X11Grabber

WAYLAND_WITHOUT_X = "wayland-without-xwayland"  # the reasons support() gives
NO_DESKTOP = "no-desktop"


def support(platform_name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """Why this system gives no global hotkeys at all (one of the constants above); None
    when it may (a backend can still fail to start, or refuse a given key)."""
    environ = os.environ if environ is None else environ
    if platform_name in ("xcb", "windows", "cocoa"):
        return None
    if platform_name.startswith("wayland"):
        # Wayland lets no program see keys meant for another; XWayland's X server does let
        # an X client grab them, as long as an X program has the focus.
        return None if environ.get("DISPLAY") else WAYLAND_WITHOUT_X
    return NO_DESKTOP  # offscreen, minimal, eglfs, vnc...


def through_xwayland(platform_name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the grabs go through XWayland in a Wayland session, where they see only the
    keys pressed while an X11 program has the focus."""
    environ = os.environ if environ is None else environ
    return platform_name.startswith("wayland") or (
        platform_name == "xcb" and bool(environ.get("WAYLAND_DISPLAY"))
    )


def open_backend(
    platform_name: str, on_activated: Activated, environ: Mapping[str, str] | None = None
) -> Backend:
    """The backend for Qt's ``platform_name``; raises UnavailableError where there is none."""
    environ = os.environ if environ is None else environ
    why = support(platform_name, environ)
    if why is not None:
        raise UnavailableError(why)
    if platform_name == "windows":
        return WindowsHotkeys(on_activated)
    if platform_name == "cocoa":
        return CarbonHotkeys(on_activated)
    return X11Grabber(on_activated, environ.get("DISPLAY"))

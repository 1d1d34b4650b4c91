"""Keep :class:`Occluders` up to date with every top-level window the console shows.

One application-wide event filter sees each window of ours shown, moved, resized and
hidden, and writes its rectangle (physical pixels, title bar included) into the record the
capture worker reads. Where the system can exclude a window from screen capture (Windows'
``WDA_EXCLUDEFROMCAPTURE``, macOS's ``NSWindowSharingNone``), each window is marked so as it
is first shown; on X11, which has no such flag, the record alone keeps our windows out of
the published picture.
"""

import ctypes
import logging
import sys

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from flashbuy_desktop.capture.geometry import to_physical
from flashbuy_desktop.capture.occlusion import Occluders
from flashbuy_desktop.capture.types import CaptureError, Region
from flashbuy_desktop.services.screens import qt_screens

log = logging.getLogger(__name__)

# Until the window manager has framed a window, Qt knows only its inside: the title bar and
# borders it will add are counted as this much more, so the record errs towards "covered".
TITLE_BAR = 32  # logical px above
BORDER = 8  # logical px on the other sides

# A window with this property set to True is left out of the record: the capture frame is
# see-through where it captures, so it never covers what it photographs.
SEE_THROUGH = "flashbuy_see_through"

_WATCHED = {
    QEvent.Type.Show,
    QEvent.Type.Hide,
    QEvent.Type.Move,
    QEvent.Type.Resize,
    QEvent.Type.Close,
    QEvent.Type.WindowStateChange,
}


def exclude_from_capture(widget: QWidget) -> bool:
    """Ask the system to leave ``widget``'s window out of screen captures; whether it could.

    Windows 10 2004+: ``SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE)``; macOS:
    ``NSWindow.sharingType = NSWindowSharingNone``. X11 has no such flag: False.
    """
    try:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined,unused-ignore]
            wda_exclude_from_capture = 0x11
            return bool(
                user32.SetWindowDisplayAffinity(int(widget.winId()), wda_exclude_from_capture)
            )
        if sys.platform == "darwin":
            return _macos_sharing_none(int(widget.winId()))
    except (OSError, AttributeError, ValueError) as exc:
        log.info("cannot exclude a window from capture: %s", exc)
    return False


def _macos_sharing_none(view: int) -> bool:
    """``[[view window] setSharingType:NSWindowSharingNone]`` through the Objective-C runtime."""
    objc = ctypes.cdll.LoadLibrary("/usr/lib/libobjc.A.dylib")
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    window = send(view, objc.sel_registerName(b"window"))
    if not window:
        return False
    set_sharing = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)(
        ("objc_msgSend", objc)
    )
    set_sharing(window, objc.sel_registerName(b"setSharingType:"), 0)  # NSWindowSharingNone
    return True


class WindowWatch(QObject):
    """Records where the console's top-level windows are (the capture reads the record)."""

    def __init__(self, occluders: Occluders, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.occluders = occluders
        self._excluded: set[int] = set()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        for widget in QApplication.topLevelWidgets():  # windows shown before we started
            if widget.isVisible():
                self._record(widget)

    def stop(self) -> None:
        """Stop watching (the record keeps what it knows)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in _WATCHED
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.property(SEE_THROUGH) is not True
        ):
            self._record(watched, gone=event.type() in (QEvent.Type.Hide, QEvent.Type.Close))
        return False

    def _record(self, widget: QWidget, *, gone: bool = False) -> None:
        key = id(widget)
        if gone or not widget.isVisible():
            self.occluders.place(key, None)
            self._excluded.discard(key)
        else:
            if key not in self._excluded:
                self._excluded.add(key)
                exclude_from_capture(widget)
            self.occluders.place(key, self._physical(widget))

    @staticmethod
    def _physical(widget: QWidget) -> Region | None:
        rect = widget.frameGeometry()
        if rect == widget.geometry() and not (
            widget.windowFlags() & Qt.WindowType.FramelessWindowHint
        ):
            rect = rect.adjusted(-BORDER, -TITLE_BAR, BORDER, BORDER)  # not framed yet
        return physical_region(rect.adjusted(-1, -1, 1, 1))


def physical_region(rect: QRect) -> Region | None:
    """``rect`` (logical) in physical pixels; None when it lies on no screen."""
    try:
        return to_physical((rect.x(), rect.y(), rect.width(), rect.height()), qt_screens())
    except CaptureError:
        return None

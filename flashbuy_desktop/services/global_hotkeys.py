"""The Qt side of global hotkeys: presses arrive on the GUI thread, refusals in words.

:class:`GlobalHotkeys` starts the system's backend (:mod:`flashbuy_desktop.hotkeys`) for the
hotkeys the seller wants global, tells which ones it got and why not the others, and emits
:attr:`GlobalHotkeys.activated` on the GUI thread for each press. Presses are always queued,
even where the system calls back on the GUI thread (Windows, macOS): the action then runs
from the event loop, never inside a native event filter or a Carbon callback.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from flashbuy_desktop.hotkeys import Backend, Refusal, UnavailableError, parse, system
from flashbuy_desktop.hotkeys.windows import WindowsHotkeys

log = logging.getLogger(__name__)

# The hotkeys that can be global, in the settings' names. Retake is not: it belongs to the
# new flash-buy window, which has the focus whenever it is used.
GLOBAL_HOTKEYS = ("new_full", "pause_comments")


@dataclass(frozen=True)
class Binding:
    """One hotkey to take globally: its name, its key (Qt portable text), what it does."""

    name: str
    key: str
    action: str  # as the seller reads it, e.g. "新建全量闪购"


class _WindowsMessages(QAbstractNativeEventFilter):
    """Hands the GUI thread's Windows messages to the backend (WM_HOTKEY comes that way)."""

    TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")

    def __init__(self, backend: WindowsHotkeys) -> None:
        super().__init__()
        self._backend = backend

    def nativeEventFilter(self, eventType: QByteArray | bytes, message: int) -> tuple[bool, int]:  # type: ignore[override]  # noqa: N803
        """Overrides QAbstractNativeEventFilter: take our WM_HOTKEY, pass everything on."""
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        if kind in self.TYPES and self._backend.handle_message(int(message)):
            return True, 0
        return False, 0


class GlobalHotkeys(QObject):
    """The hotkeys taken from the whole desktop while the seller's setting asks for it.

    One holder per process: starting one stops any other first. A new main window (after a
    language change) is built before the old one closes, and the old one's grabs would
    otherwise make the new one's look taken by another program.
    """

    activated = Signal(str)  # the hotkey's name, on the GUI thread
    _pressed = Signal(str)  # from the backend, on whatever thread it uses
    _holder: "GlobalHotkeys | None" = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend: Backend | None = None
        self._filter: _WindowsMessages | None = None
        self._pressed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def start(self, bindings: Sequence[Binding]) -> tuple[set[str], list[str]]:
        """Take ``bindings`` (instead of any before): the names taken, and what to tell the
        seller about the others (each still works while the console has focus)."""
        self.stop()
        if GlobalHotkeys._holder is not None:
            GlobalHotkeys._holder.stop()
        if not bindings:
            return set(), []
        platform = QGuiApplication.platformName()
        why = system.support(platform)
        if why is not None:
            return set(), [unsupported_message(why)]
        try:
            backend = system.open_backend(platform, self._pressed.emit)
        except UnavailableError as exc:
            log.warning("no global hotkeys here: %s", exc)
            return set(), [unsupported_message(str(exc))]
        chords = {b.name: parse(b.key) for b in bindings}
        refused = backend.register(chords)
        taken = {b.name for b in bindings if b.name not in refused}
        messages = [refusal_message(refused[b.name], b.key, b.action) for b in bindings
                    if b.name in refused]  # fmt: skip
        if not taken:
            backend.close()
            return taken, messages
        self._backend = backend
        GlobalHotkeys._holder = self
        app = QCoreApplication.instance()
        if isinstance(backend, WindowsHotkeys) and app is not None:
            self._filter = _WindowsMessages(backend)
            app.installNativeEventFilter(self._filter)
        if system.through_xwayland(platform):
            messages.append(
                self.tr("On Wayland, global hotkeys work only while an X11 program has focus.")
            )
        log.info("global hotkeys taken: %s", ", ".join(sorted(taken)))
        return taken, messages

    def stop(self) -> None:
        """Release every global hotkey (idempotent); presses still on their way are dropped."""
        if self._filter is not None:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeNativeEventFilter(self._filter)
            self._filter = None
        if GlobalHotkeys._holder is self:
            GlobalHotkeys._holder = None
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()
            log.info("global hotkeys released")

    def is_active(self) -> bool:
        """Whether any hotkey is held globally now."""
        return self._backend is not None

    def _deliver(self, name: str) -> None:
        if self._backend is None:
            return  # pressed just before stop()
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.windowModality() == Qt.WindowModality.ApplicationModal:
            # As the console's own shortcuts: nothing behind a question the seller must answer.
            return
        self.activated.emit(name)


def _native(key: str) -> str:
    portable = QKeySequence.SequenceFormat.PortableText
    return QKeySequence.fromString(key, portable).toString(QKeySequence.SequenceFormat.NativeText)


def refusal_message(refusal: Refusal, key: str, action: str) -> str:
    """Why the hotkey ``key`` (portable text) for ``action`` is not global, for the seller."""
    text = QCoreApplication.translate("GlobalHotkeys", str(_REFUSALS[refusal]))
    return text.format(key=_native(key), action=action)


def unsupported_message(why: str) -> str:
    """Why this system gives no global hotkeys at all (a :func:`system.support` reason)."""
    text = _WAYLAND_WITHOUT_X if why == system.WAYLAND_WITHOUT_X else _NOT_HERE
    return QCoreApplication.translate("GlobalHotkeys", str(text))


# Marked here for the catalog, translated each time one is shown.
_NOT_GLOBAL_HERE = QT_TRANSLATE_NOOP(
    "GlobalHotkeys",
    "{key} ({action}) cannot be global on this system; it works only while the console has focus.",
)
_REFUSALS: dict[Refusal, object] = {
    Refusal.TAKEN: QT_TRANSLATE_NOOP(
        "GlobalHotkeys",
        "{key} ({action}) is taken by another program, which gets it instead of the console;"
        " choose another key for it in the settings.",
    ),
    Refusal.TYPES_TEXT: QT_TRANSLATE_NOOP(
        "GlobalHotkeys",
        "{key} ({action}) types text, so it cannot be global; it works only while the console"
        " has focus. Choose a function key such as F2 for it.",
    ),
    Refusal.NO_SUCH_KEY: _NOT_GLOBAL_HERE,
    Refusal.UNSUPPORTED: _NOT_GLOBAL_HERE,
    Refusal.FAILED: QT_TRANSLATE_NOOP(
        "GlobalHotkeys",
        "The system refused {key} ({action}) as a global hotkey; it works only while the"
        " console has focus.",
    ),
}
_WAYLAND_WITHOUT_X = QT_TRANSLATE_NOOP(
    "GlobalHotkeys",
    "Global hotkeys need X11 or XWayland, and this Wayland session has no XWayland; the"
    " hotkeys work only while the console has focus.",
)
_NOT_HERE = QT_TRANSLATE_NOOP(
    "GlobalHotkeys",
    "This system does not allow global hotkeys; the hotkeys work only while the console has focus.",
)

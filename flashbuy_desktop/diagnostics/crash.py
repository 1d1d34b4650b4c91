"""One sink for uncaught exceptions, from any thread: logged with their traceback, then shown.

:func:`install` replaces three hooks:

* ``sys.excepthook``: an exception nothing caught in Python's main program or in code Qt
  called: PySide6 hands one raised in a slot, a virtual override (``paintEvent``…) or a
  ``QRunnable`` to this hook, on the thread it was raised on (the GUI thread, or a pool
  thread, which Python names ``Dummy-N``), and carries on;
* ``threading.excepthook``: one that ended a ``threading.Thread`` (the room's event reader,
  the rehearsal audience). Pool jobs run by ``ui.tasks.Tasks`` catch ``Exception`` themselves
  and report it through ``Tasks.failed``, so only a ``BaseException`` escapes them (to
  ``sys.excepthook``, above);
* ``sys.unraisablehook``: one Python could not raise at all (in ``__del__``, say); logged only,
  since nothing the seller was doing failed.

The first two log the traceback at ERROR, with the thread's name, then tell each listener
(the crash window, in the console) with a :class:`Crash`, on the thread that raised. An
exception that keeps coming back from the same place (in a timer or a paint event, many
times a second) is logged in full only the first :data:`FULL_COPIES` times, then counted
in one line at the 10th, 100th, 1000th … time: the first traceback, the one support needs,
must not be rotated out of the log by its own copies. The listeners hear every one.
KeyboardInterrupt and SystemExit go to the hook that was there before, as without us. No Qt
here: the hooks must work before the application object exists and after it is gone.
"""

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType

from flashbuy_desktop.diagnostics.logs import mask

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# How many times the same uncaught exception is logged with its whole traceback.
FULL_COPIES = 3
# Different exceptions counted at most; past that the counts start again (a bound on
# memory only: real code has far fewer places to fail from).
_MAX_SIGNATURES = 1000


@dataclass(frozen=True)
class Crash:
    """One uncaught exception, as the seller may see it (secrets masked)."""

    summary: str  # the last line of the traceback: "ValueError: …"
    details: str  # the whole traceback
    thread: str  # the name of the thread it was raised on
    when: datetime = field(default_factory=datetime.now)

    @classmethod
    def from_exception(
        cls,
        exc_type: type[BaseException],
        exc_value: BaseException | None,
        tb: TracebackType | None,
        thread: str,
    ) -> "Crash":
        """The crash an exception makes, its texts masked like the log's."""
        lines = traceback.format_exception(exc_type, exc_value, tb)
        summary = traceback.format_exception_only(exc_type, exc_value)[-1].strip()
        return cls(summary=mask(summary), details=mask("".join(lines)), thread=thread)


Listener = Callable[[Crash], None]

_PASSED_ON = (KeyboardInterrupt, SystemExit)


class CrashHooks:
    """The installed hooks and their listeners; :meth:`uninstall` restores what was there.

    Listeners are called on the thread that raised; they must be quick and thread-safe
    (the crash window's reporter only queues a signal to the GUI thread).
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        self._seen: dict[tuple[object, ...], int] = {}  # by _signature; under _lock
        self._active = False
        self._previous_except = sys.excepthook
        self._previous_thread = threading.excepthook
        self._previous_unraisable = sys.unraisablehook

    def _install(self) -> None:
        self._previous_except = sys.excepthook
        self._previous_thread = threading.excepthook
        self._previous_unraisable = sys.unraisablehook
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        sys.unraisablehook = self._unraisablehook
        self._active = True

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` with every crash from now on."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener`` (nothing happens if it was not added)."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def active(self) -> bool:
        """Whether these hooks still handle exceptions (until :meth:`uninstall`)."""
        return self._active

    def uninstall(self) -> None:
        """Put back the hooks :func:`install` replaced.

        A hook someone else has set over ours since is left in place; ours then only
        passes what reaches it on to the hook it replaced.
        """
        self._active = False
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._previous_except
        if threading.excepthook == self._thread_excepthook:
            threading.excepthook = self._previous_thread
        if sys.unraisablehook == self._unraisablehook:
            sys.unraisablehook = self._previous_unraisable

    # --- the hooks ------------------------------------------------------------------------

    def _excepthook(
        self,
        exc_type: type[BaseException],
        exc_value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if not self._active or issubclass(exc_type, _PASSED_ON):
            self._previous_except(exc_type, exc_value, tb)
            return
        self.handle((exc_type, exc_value, tb), threading.current_thread().name)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if not self._active or issubclass(args.exc_type, _PASSED_ON):
            self._previous_thread(args)
            return
        name = args.thread.name if args.thread is not None else "an unknown thread"
        value = _instance(args.exc_type, args.exc_value)
        self.handle((args.exc_type, value, args.exc_traceback), name)

    def _unraisablehook(self, unraisable: "sys.UnraisableHookArgs") -> None:
        if not self._active:
            self._previous_unraisable(unraisable)
            return
        if self._busy():
            return
        self._local.busy = True
        try:
            what = unraisable.err_msg or "Exception ignored in"
            if unraisable.object is not None:
                what = f"{what}: {_safe_repr(unraisable.object)}"
            value = _instance(unraisable.exc_type, unraisable.exc_value)
            log.error(
                "%s (thread %s)",
                what,
                threading.current_thread().name,
                exc_info=(unraisable.exc_type, value, unraisable.exc_traceback),
            )
        except BaseException:  # a hook must never raise
            _last_resort(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)
        finally:
            self._local.busy = False

    def handle(self, exc_info: ExcInfo, thread: str) -> None:
        """Log an uncaught exception and tell the listeners; never raises.

        An exception while doing so (a listener's bug, say) is logged, or printed if even
        that fails; it never comes back here, so one failure cannot loop.
        """
        if self._busy():
            _last_resort(*exc_info)
            return
        self._local.busy = True
        try:
            exc_type, exc_value, tb = exc_info
            self._log(exc_info, thread)
            crash = Crash.from_exception(exc_type, exc_value, tb, thread)
            with self._lock:
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener(crash)
                except Exception:
                    log.exception("a crash listener failed")
        except BaseException:
            _last_resort(*exc_info)
        finally:
            self._local.busy = False

    def _busy(self) -> bool:
        return bool(getattr(self._local, "busy", False))

    def _log(self, exc_info: ExcInfo, thread: str) -> None:
        """The traceback the first few times; later copies of it only now and then counted."""
        signature = _signature(exc_info[0], exc_info[1], exc_info[2])
        with self._lock:
            if signature not in self._seen and len(self._seen) >= _MAX_SIGNATURES:
                self._seen.clear()
            times = self._seen[signature] = self._seen.get(signature, 0) + 1
        if times <= FULL_COPIES:
            log.error("uncaught exception in thread %s", thread, exc_info=exc_info)
            if times == FULL_COPIES:
                log.error(
                    "the same uncaught exception came %d times; from now on it is only "
                    "counted, at the 10th, 100th, 1000th … time",
                    times,
                )
        elif _round(times):
            summary = traceback.format_exception_only(exc_info[0], exc_info[1])[-1].strip()
            log.error(
                "the same uncaught exception again, in thread %s: %d times so far (%s)",
                thread,
                times,
                summary,
            )


def install(*listeners: Listener) -> CrashHooks:
    """Route uncaught exceptions of every thread to the log and to ``listeners``."""
    hooks = CrashHooks()
    for listener in listeners:
        hooks.add_listener(listener)
    hooks._install()
    return hooks


def _signature(
    exc_type: type[BaseException], exc_value: BaseException | None, tb: TracebackType | None
) -> tuple[object, ...]:
    """What makes two exceptions "the same": their types and the places they came from.

    The message is left out: an error repeating in a paint event often names a value
    that changes every time (a position, a row), and is the same error all the same.
    """
    parts: list[object] = []
    seen: set[int] = set()
    kind: type[BaseException] = exc_type
    value, trace = exc_value, tb
    while True:
        frames = tuple(
            (frame.f_code.co_filename, line, frame.f_code.co_name)
            for frame, line in traceback.walk_tb(trace)
        )
        parts.append((kind.__module__, kind.__qualname__, frames))
        if value is None:
            break
        seen.add(id(value))
        cause = value.__cause__
        if cause is None and not value.__suppress_context__:
            cause = value.__context__
        if cause is None or id(cause) in seen:
            break
        kind, value, trace = type(cause), cause, cause.__traceback__
    return tuple(parts)


def _round(times: int) -> bool:
    """Whether ``times`` is 10, 100, 1000 …"""
    return times >= 10 and times == 10 ** (len(str(times)) - 1)


def _instance(exc_type: type[BaseException], value: BaseException | None) -> BaseException:
    # The hooks' arguments allow a missing exception object; formatting wants one.
    if value is not None:
        return value
    try:
        return exc_type()
    except Exception:
        return RuntimeError(exc_type.__name__)


def _safe_repr(value: object) -> str:
    try:
        return mask(repr(value))
    except Exception:
        return f"<{type(value).__name__} object>"


def _last_resort(
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """Print to the process's own stderr, the one place left when logging itself failed."""
    stream = sys.__stderr__
    if stream is None or exc_type is None:
        return
    try:
        text = "".join(traceback.format_exception(exc_type, exc_value, tb))
        stream.write(mask(text))
        stream.flush()
    except BaseException:  # noqa: S110 - nothing is left to report a failure to
        pass

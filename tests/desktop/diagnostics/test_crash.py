"""Uncaught exceptions from any thread: in the log with their traceback, and in one window."""

import gc
import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from flashbuy_desktop.diagnostics import crash
from flashbuy_desktop.diagnostics.crash import FULL_COPIES, Crash, CrashHooks
from flashbuy_desktop.diagnostics.logs import setup_logging, stop_logging
from flashbuy_desktop.diagnostics.redact import MASK
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.crash_window import MAX_DETAILS, CrashReporter, CrashWindow

LEFT = Qt.MouseButton.LeftButton


@dataclass
class Sink:
    """The hooks, the reporter and the log file of one test."""

    hooks: CrashHooks
    reporter: CrashReporter
    log: Path
    reports: list[str] = field(default_factory=list)

    def text(self) -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return self.log.read_text(encoding="utf-8")

    def window(self) -> CrashWindow:
        assert self.reporter.window is not None
        return self.reporter.window


@pytest.fixture
def sink(tmp_path: Path, qtbot: Any) -> Iterator[Sink]:
    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path / "logs", stderr=False)
    reports: list[str] = []
    reporter = CrashReporter(report=lambda: reports.append("report"))
    hooks = crash.install(reporter.notify)
    try:
        yield Sink(hooks, reporter, path, reports)
    finally:
        hooks.uninstall()
        if reporter.window is not None:
            reporter.window.close()
        reporter.deleteLater()
        stop_logging()
        root.setLevel(level)


def raise_in_a_thread(name: str, error: BaseException) -> None:
    def work() -> None:
        raise error

    thread = threading.Thread(target=work, name=name)
    thread.start()
    thread.join()


@pytest.mark.qt_no_exception_capture
def test_a_slot_and_a_thread_end_up_in_the_log_and_in_one_window(sink: Sink, qtbot: Any) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def on_clicked() -> None:
        raise ValueError("the price could not be read, token=abcd1234efgh")

    button.clicked.connect(on_clicked)
    button.show()
    qtbot.waitExposed(button)
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000) as shown:
        qtbot.mouseClick(button, LEFT)
    first: Crash = shown.args[0]
    window = sink.window()
    qtbot.waitExposed(window)
    assert first.thread == "MainThread"
    assert first.summary == f"ValueError: the price could not be read, token={MASK}"
    assert window.count() == 1
    assert window.summary.text() == first.summary
    assert not window.more.isVisible()

    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000) as shown:
        raise_in_a_thread("room-reader-test", RuntimeError("the stream broke"))
    second: Crash = shown.args[0]
    assert second.thread == "room-reader-test"
    # Added to the window that is open, not a second window.
    assert sink.window() is window
    assert window.count() == 2
    assert window.summary.text() == first.summary
    assert window.more.isVisible()
    shown_windows = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CrashWindow) and w.isVisible()
    ]
    assert shown_windows == [window]
    details = window.details.toPlainText()
    assert "in on_clicked" in details
    assert "in work" in details
    assert "[MainThread]" in details
    assert "[room-reader-test]" in details
    assert "abcd1234efgh" not in details

    log = sink.text()
    assert (
        "ERROR [MainThread] flashbuy_desktop.diagnostics.crash: uncaught exception in thread "
        "MainThread" in log
    )
    assert "uncaught exception in thread room-reader-test" in log
    assert log.count("Traceback (most recent call last):") == 2
    assert 'raise ValueError("the price could not be read, token=' in log
    assert "RuntimeError: the stream broke" in log
    assert "abcd1234efgh" not in log


@pytest.mark.qt_no_exception_capture
def test_a_base_exception_escaping_a_pool_task_is_shown(sink: Sink, qtbot: Any) -> None:
    class Fatal(BaseException):
        pass

    def work() -> None:
        raise Fatal("out of the pool")

    tasks = Tasks()
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000) as shown:
        tasks.run(work)
    assert tasks.wait()
    shown_crash: Crash = shown.args[0]
    assert shown_crash.summary.endswith("Fatal: out of the pool")
    assert shown_crash.thread != "MainThread"  # the pool's thread
    assert "Fatal: out of the pool" in sink.text()


def test_the_window_reports_copies_toggles_and_closes(sink: Sink, qtbot: Any) -> None:
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-a", KeyError("lot 3"))
    window = sink.window()
    qtbot.waitExposed(window)

    qtbot.mouseClick(window.report_button, LEFT)
    assert sink.reports == ["report"]

    assert not window.details.isVisible()
    qtbot.mouseClick(window.toggle, LEFT)
    assert window.details.isVisible()
    assert "KeyError: 'lot 3'" in window.details.toPlainText()

    qtbot.mouseClick(window.copy_button, LEFT)
    assert QGuiApplication.clipboard().text() == window.details_text()
    assert "Traceback (most recent call last):" in QGuiApplication.clipboard().text()

    qtbot.mouseClick(window.close_button, LEFT)
    qtbot.waitUntil(lambda: sink.reporter.window is None)
    assert not window.isVisible()

    # The next crash opens a fresh window that counts from one again.
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-b", OSError("disk full"))
    assert sink.window() is not window
    assert sink.window().count() == 1
    assert sink.window().summary.text() == "OSError: disk full"


def click_as_the_seller(widget: QWidget) -> None:
    """Click through the window system, where a modal dialog blocks the windows it blocks.

    (QTest's click on a widget is delivered straight to it, blocked or not.)
    """
    top = widget.window()
    handle = top.windowHandle()
    assert handle is not None
    at = widget.mapTo(top, widget.rect().center())
    QTest.mouseClick(handle, LEFT, Qt.KeyboardModifier.NoModifier, at)


def test_the_window_blocks_nothing_and_works_over_a_modal_dialog(sink: Sink, qtbot: Any) -> None:
    console = QWidget()
    qtbot.addWidget(console)
    live = QPushButton("live", console)
    QVBoxLayout(console).addWidget(live)
    pressed: list[str] = []
    live.clicked.connect(lambda: pressed.append("live"))
    console.show()
    qtbot.waitExposed(console)
    # As the new flash-buy window is: a modal dialog of the console's window.
    dialog = QDialog(console)
    qtbot.addWidget(dialog)
    dialog.setModal(True)
    dialog.open()
    qtbot.waitExposed(dialog)
    click_as_the_seller(live)
    assert pressed == []  # the dialog blocks the console: these clicks are the real thing

    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-m", ValueError("while the flash-buy window is open"))
    window = sink.window()
    qtbot.waitExposed(window)
    assert window.windowModality() == Qt.WindowModality.NonModal
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.parent() is None
    # Its buttons work with the dialog open...
    click_as_the_seller(window.copy_button)
    assert QGuiApplication.clipboard().text() == window.details_text()
    click_as_the_seller(window.report_button)
    assert sink.reports == ["report"]
    click_as_the_seller(window.toggle)
    assert window.details.isVisible()
    # ...and it blocks neither the dialog nor, once that is gone, the console.
    assert QApplication.activeModalWidget() is dialog
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    click_as_the_seller(live)
    assert pressed == ["live"]
    assert window.isVisible()
    click_as_the_seller(window.close_button)
    qtbot.waitUntil(lambda: sink.reporter.window is None)


def test_later_crashes_do_not_take_the_keyboard(sink: Sink, qtbot: Any) -> None:
    # The first crash brings the window forward; one repeating in a timer must not take the
    # keyboard from whatever the seller types into (the streaming software) each time.
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-o", ValueError("the first"))
    window = sink.window()
    qtbot.waitUntil(window.isActiveWindow)
    typing = QLineEdit()
    qtbot.addWidget(typing)
    typing.show()
    typing.activateWindow()
    qtbot.waitUntil(typing.isActiveWindow)

    focused: list[QWindow | None] = []
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.focusWindowChanged.connect(focused.append)
    try:
        for n in range(5):
            with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
                raise_in_a_thread(f"worker-p{n}", ValueError("again"))
        # The window system answers requests in order: once this window has the focus it
        # asked for, any activation the crashes asked for before has been answered too.
        probe = QLineEdit()
        qtbot.addWidget(probe)
        probe.show()
        probe.activateWindow()
        qtbot.waitUntil(probe.isActiveWindow)
    finally:
        app.focusWindowChanged.disconnect(focused.append)
    assert window.count() == 6
    assert focused == [probe.windowHandle()]


def test_many_crashes_are_counted_and_the_first_ones_kept(sink: Sink, qtbot: Any) -> None:
    total = MAX_DETAILS + 5
    for n in range(total):
        with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
            raise_in_a_thread(f"burst-{n}", RuntimeError(f"number {n}"))
    window = sink.window()
    assert window.count() == total
    assert window.summary.text() == "RuntimeError: number 0"
    assert str(total - 1) in window.more.text()
    assert [c.thread for c in window.crashes()] == [f"burst-{n}" for n in range(MAX_DETAILS)]
    # The same exception from the same place: its traceback is logged the first few times,
    # later ones are counted (the 10th here), each kept in the window all the same.
    log = sink.text()
    assert log.count("Traceback (most recent call last):") == FULL_COPIES
    assert log.count("uncaught exception in thread burst-") == FULL_COPIES
    assert "the same uncaught exception again, in thread burst-9: 10 times so far" in log
    assert "(RuntimeError: number 9)" in log


def fail_to_paint(row: int) -> None:
    raise IndexError(f"row {row} is not in the list")


def fail_to_read(row: int) -> None:
    raise KeyError(row)


def test_a_repeating_exception_is_logged_in_full_only_the_first_times(tmp_path: Path) -> None:
    # As from a paint event or a 66 ms timer: thousands of copies must not push the first
    # traceback, the one support needs, out of the 1 MiB log.
    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path / "logs", stderr=False)
    heard: list[Crash] = []
    hooks = CrashHooks()  # handle() alone; not installed as the process's hooks
    hooks.add_listener(heard.append)
    try:
        for n in range(1, 1003):
            failing = fail_to_read if n in (50, 51) else fail_to_paint
            try:
                failing(n)
            except LookupError as exc:
                hooks.handle((type(exc), exc, exc.__traceback__), "MainThread")
        for handler in root.handlers:
            handler.flush()
        log = path.read_text(encoding="utf-8")
    finally:
        stop_logging()
        root.setLevel(level)
    assert len(heard) == 1002  # the crash window still hears every one
    # Three of each in full (two of the other one), however the message changed...
    assert log.count("in fail_to_paint") == FULL_COPIES
    assert log.count("in fail_to_read") == 2
    assert log.count("Traceback (most recent call last):") == FULL_COPIES + 2
    for n in (1, 2, 3):
        assert f"IndexError: row {n} is not in the list" in log
    assert "IndexError: row 4 is" not in log
    # ...then a line at the 10th, 100th and 1000th time only.
    assert log.count("the same uncaught exception came 3 times") == 1
    counts = [line for line in log.splitlines() if "the same uncaught exception again" in line]
    assert [line.split(": ", 1)[1] for line in counts] == [
        "the same uncaught exception again, in thread MainThread: "
        f"{times} times so far (IndexError: row {row} is not in the list)"
        for times, row in ((10, 10), (100, 102), (1000, 1002))
    ]
    assert len(log.encode()) < 20_000


def test_a_failing_listener_neither_loops_nor_silences_the_others(sink: Sink, qtbot: Any) -> None:
    calls: list[str] = []

    def broken(_crash: Crash) -> None:
        calls.append("broken")
        raise RuntimeError("the listener itself failed")

    sink.hooks.remove_listener(sink.reporter.notify)
    sink.hooks.add_listener(broken)
    sink.hooks.add_listener(sink.reporter.notify)
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-c", ValueError("first"))
    assert calls == ["broken"]
    log = sink.text()
    assert "a crash listener failed" in log
    assert "RuntimeError: the listener itself failed" in log
    assert log.count("uncaught exception in thread") == 1


def test_the_crash_window_never_raises_back_into_the_hook(
    sink: Sink, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_add(self: CrashWindow, crash: Crash) -> None:
        raise RuntimeError("cannot show")

    monkeypatch.setattr(CrashWindow, "add", broken_add)
    raise_in_a_thread("worker-d", ValueError("shown nowhere"))
    qtbot.waitUntil(lambda: "the crash window could not be shown" in sink.text())
    assert sink.text().count("uncaught exception in thread") == 1


def test_a_report_callback_that_fails_is_logged(sink: Sink, qtbot: Any) -> None:
    def broken() -> None:
        raise RuntimeError("no report window")

    sink.reporter.report = broken
    with qtbot.waitSignal(sink.reporter.crashShown, timeout=5_000):
        raise_in_a_thread("worker-e", ValueError("x"))
    qtbot.mouseClick(sink.window().report_button, LEFT)
    assert "the problem report could not be opened" in sink.text()
    assert sink.window().count() == 1


def test_without_a_report_callback_there_is_no_report_button(qtbot: Any) -> None:
    reporter = CrashReporter()
    hooks = crash.install(reporter.notify)
    try:
        with qtbot.waitSignal(reporter.crashShown, timeout=5_000):
            raise_in_a_thread("worker-f", ValueError("x"))
        assert reporter.window is not None
        assert reporter.window.report_button.isHidden()
    finally:
        hooks.uninstall()
        if reporter.window is not None:
            reporter.window.close()


# --- the hooks themselves ---------------------------------------------------------------


def current_hooks() -> tuple[Any, Any, Any]:
    return sys.excepthook, threading.excepthook, sys.unraisablehook


def test_uninstall_restores_the_previous_hooks() -> None:
    before = current_hooks()
    first = crash.install()
    assert all(a != b for a, b in zip(current_hooks(), before, strict=True))
    second = crash.install()
    second.uninstall()
    assert current_hooks() == (first._excepthook, first._thread_excepthook, first._unraisablehook)
    first.uninstall()
    assert current_hooks() == before


def test_uninstalled_out_of_order_hooks_pass_everything_on() -> None:
    before = current_hooks()
    try:
        first = crash.install()
        second = crash.install()
        first.uninstall()  # second's hooks stay; first's only pass on what reaches it
        assert current_hooks() == (
            second._excepthook,
            second._thread_excepthook,
            second._unraisablehook,
        )
        assert not first.active
        second.uninstall()
        # second restores first's (inactive) hooks, which hand everything to the originals.
        seen: list[BaseException | None] = []
        first._previous_thread = lambda args: seen.append(args.exc_value)
        raise_in_a_thread("worker-g", ValueError("passed on"))
        assert [str(e) for e in seen] == ["passed on"]
    finally:
        # Whatever failed above, later tests must not run under these hooks.
        sys.excepthook, threading.excepthook, sys.unraisablehook = before


def test_keyboard_interrupt_keeps_its_default_behaviour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    passed_on: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, v, tb: passed_on.append(t))
    monkeypatch.setattr(threading, "excepthook", lambda args: passed_on.append(args.exc_type))
    heard: list[Crash] = []
    hooks = crash.install(heard.append)
    try:
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
        raise_in_a_thread("worker-h", KeyboardInterrupt())
        raise_in_a_thread("worker-i", SystemExit(3))
    finally:
        hooks.uninstall()
    assert passed_on == [KeyboardInterrupt, KeyboardInterrupt, SystemExit]
    assert heard == []


def test_an_unraisable_exception_is_logged_only(sink: Sink) -> None:
    heard: list[Crash] = []
    sink.hooks.add_listener(heard.append)

    class Leaky:
        def __del__(self) -> None:
            raise RuntimeError("failed while closing, Bearer leakedtoken123")

    leaky = Leaky()
    del leaky
    gc.collect()
    log = sink.text()
    assert "Exception ignored in" in log
    assert "RuntimeError: failed while closing" in log
    assert "leakedtoken123" not in log
    assert heard == []


def test_crash_texts_are_masked_like_the_log() -> None:
    try:
        raise ConnectionError("refused: Authorization: Bearer a.b.c")
    except ConnectionError as exc:
        made = Crash.from_exception(type(exc), exc, exc.__traceback__, "MainThread")
    assert made.summary == f"ConnectionError: refused: Authorization: {MASK}"
    assert "a.b.c" not in made.details
    assert made.details.startswith("Traceback (most recent call last):")


def test_a_crash_after_the_reporter_is_gone_goes_nowhere(qtbot: Any) -> None:
    reporter = CrashReporter()
    notify = reporter.notify
    shiboken6.delete(reporter)
    notify(Crash(summary="late", details="late", thread="MainThread"))  # must not raise

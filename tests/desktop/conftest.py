"""Qt test hygiene: no window, thread or pool task may outlive its test."""

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

# Threads the console starts; each must be stopped by whatever started it.
CONSOLE_THREADS = ("room-events", "rehearsal-audience")


@pytest.fixture(autouse=True)
def _no_leaked_windows_or_work(qapp: QApplication) -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(30_000)
    running = [t.name for t in threading.enumerate() if t.name in CONSOLE_THREADS]
    assert not running, f"threads left running: {running}"
    leftover = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in leftover:
        widget.close()
    assert not leftover, f"windows left open: {leftover}"

"""Qt test hygiene (no window, thread or pool task may outlive its test), language and look.

The console's source strings are English; the tests see it as most sellers do, in zh_CN,
with our catalog and Qt's own installed for the whole session.
"""

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from flashbuy_desktop.services import i18n
from flashbuy_desktop.ui import theme

# Threads the console starts; each must be stopped by whatever started it.
CONSOLE_THREADS = ("room-events", "rehearsal-audience", "global-hotkeys")


@pytest.fixture(scope="session", autouse=True)
def _zh_cn(qapp: QApplication) -> None:
    installed = i18n.install(qapp, "zh_CN")
    assert len(installed) == 2, "the zh_CN catalogs did not load: scripts/translations.py build"


@pytest.fixture(scope="session", autouse=True)
def _shipped_look(qapp: QApplication) -> None:
    """The console's style sheet, as the console installs it: windows look as shipped."""
    theme.apply(qapp)


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

"""Qt test hygiene (no window, thread or pool task may outlive its test), language and look.

The console's source strings are English; the tests see it as most sellers do, in zh_CN,
with our catalog and Qt's own installed for the whole session. The tests of the modules the
import contract keeps free of Qt (pyproject's importlinter) start no QApplication unless they
are `gui` tests (they ask for it, see tests/conftest.py): they need neither Qt nor a display.
"""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from flashbuy_desktop.services import i18n
from flashbuy_desktop.ui import theme

# Threads the console starts; each must be stopped by whatever started it.
CONSOLE_THREADS = ("room-events", "rehearsal-audience", "global-hotkeys")

# The tests of the Qt-free layers: a test elsewhere may need Qt's application without asking
# for it (a message in Chinese is translated through it).
_HERE = Path(__file__).resolve().parent
QT_FREE_TESTS = tuple(
    _HERE / name
    for name in (
        "api",
        "capture",
        "diagnostics",
        "operations",
        "room",
        "ui/test_form_errors.py",
        "ui/test_screenfit.py",
    )
)


def _needs_qt(item: pytest.Item) -> bool:
    if item.get_closest_marker("gui") is not None:
        return True
    return not any(item.path.is_relative_to(place) for place in QT_FREE_TESTS)


@pytest.fixture(scope="session")
def _console_app(qapp: QApplication) -> QApplication:
    """Qt's application in zh_CN with the console's style sheet: windows look as shipped."""
    installed = i18n.install(qapp, "zh_CN")
    assert len(installed) == 2, "the zh_CN catalogs did not load: scripts/translations.py build"
    theme.apply(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _no_leaked_windows_or_work(request: pytest.FixtureRequest) -> Iterator[None]:
    qt = _needs_qt(request.node)
    if qt:  # autouse: set up before the test's own fixtures build any window
        request.getfixturevalue("_console_app")
    yield
    QThreadPool.globalInstance().waitForDone(30_000)
    running = [t.name for t in threading.enumerate() if t.name in CONSOLE_THREADS]
    assert not running, f"threads left running: {running}"
    if not qt:
        return  # a Qt-free test: no application, no windows to look for
    leftover = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in leftover:
        widget.close()
    assert not leftover, f"windows left open: {leftover}"

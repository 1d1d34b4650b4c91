"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 on Python 3.11 did not).

That release dropped a reference to None on every call of a method returning
nothing, and to True on every emit, until the interpreter aborted: a console
that dies mid-live. This catches such a binding before a seller does.
"""

import sys
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_calls_and_signals_leave_none_and_bools_alone() -> None:
    emitter = _Emitter()
    emitter.fired.connect(lambda _n: None)
    calls: dict[str, Callable[[], object]] = {
        "setObjectName": lambda: emitter.setObjectName("x"),
        "parent": emitter.parent,
        "emit": lambda: emitter.fired.emit(1),
        "QModelIndex.data": lambda: QModelIndex().data(),
    }
    drift = {}
    for name, call in calls.items():
        for singleton in (None, True, False):
            before = sys.getrefcount(singleton)
            for _ in range(2_000):
                call()
            change = sys.getrefcount(singleton) - before
            if abs(change) > 50:  # other threads may touch them a little; 2,000 is a leak
                drift[f"{name}/{singleton}"] = change
    assert drift == {}

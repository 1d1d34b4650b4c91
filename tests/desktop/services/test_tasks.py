"""The background-task helper: work off the GUI thread, answers on it, the newest wins."""

import threading

from pytestqt.qtbot import QtBot

from flashbuy_desktop.services.tasks import Tasks

# --- tasks ------------------------------------------------------------------------------


def test_work_runs_off_the_gui_thread_and_answers_on_it(qtbot: QtBot) -> None:
    tasks = Tasks()
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    results: list[int] = []

    def on_success(value: int) -> None:
        seen["callback"] = threading.get_ident()
        results.append(value)

    tasks.run(work, on_success)
    qtbot.waitUntil(lambda: results == [42])
    assert seen["worker"] != gui
    assert seen["callback"] == gui
    assert tasks.wait()


def test_failures_reach_on_failure_or_the_sink(qtbot: QtBot) -> None:
    tasks = Tasks()
    caught: list[Exception] = []
    tasks.run(lambda: 1 / 0, None, caught.append)
    qtbot.waitUntil(lambda: len(caught) == 1)
    assert isinstance(caught[0], ZeroDivisionError)
    empty: dict[str, int] = {}
    with qtbot.waitSignal(tasks.failed) as blocker:
        tasks.run(lambda: empty["missing"])
    assert isinstance(blocker.args[0], KeyError)
    assert tasks.wait()


def test_a_newer_task_under_the_same_key_wins(qtbot: QtBot) -> None:
    tasks = Tasks()
    release = threading.Event()
    shown: list[str] = []
    tasks.run(lambda: (release.wait(10), "old")[1], shown.append, key="capture")
    tasks.run(lambda: "new", shown.append, key="capture")
    qtbot.waitUntil(lambda: shown == ["new"])
    release.set()
    assert tasks.wait()
    qtbot.waitUntil(lambda: not tasks._relays)  # the old result arrived and was dropped
    assert shown == ["new"]

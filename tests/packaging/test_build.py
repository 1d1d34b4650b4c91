"""The packaged console: build_spec.py builds it, and the built program passes its self-check.

The parts of the build have tests of their own beside this one (test_trims, test_toc,
test_elf, test_plan, test_icons).

The build test is slow (PyInstaller takes about a minute on two cores); CI runs it. The
self-check from source is quick and shows that a failure of the built program is the
packaging's, not the console's.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from flashbuy_build.plan import REPO, Plan
from flashbuy_desktop.selfcheck import CARD_PIECE, CARD_PRICE

PROGRAM = "flashbuy.exe" if sys.platform == "win32" else "flashbuy"
RUN_TIMEOUT_S = 120  # the self-check ends itself within 75 s (its timeout and grace)
# Lines Qt writes when it cannot find or load one of its parts.
QT_TROUBLE = re.compile(r"^(qt\.[\w.]+:|Q\w+::|Could not (load|find)|Cannot load)", re.MULTILINE)


def run_self_check(
    command: list[str],
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], float]:
    """Run ``command --self-check``; the finished process, its report and its wall time (s)."""
    began = time.monotonic()
    done = subprocess.run(
        [*command, "--self-check"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        cwd=REPO,
        check=False,
    )
    elapsed = time.monotonic() - began
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done, json.loads(lines[-1]), elapsed


def assert_every_check_passed(
    done: subprocess.CompletedProcess[str], report: dict[str, Any]
) -> None:
    failed = {name: c for name, c in report["checks"].items() if not c["ok"]}
    assert not failed, (failed, done.stderr)
    assert report["ok"] is True
    assert report["failed"] == []
    assert done.returncode == 0, done.stderr
    expected = {"platform", "window", "room", "audience", "translations", "capture", "picture"}
    expected |= {"migrations", "keyring", "grab", "log", "crashes", "card_read"}
    assert expected <= set(report["checks"]), sorted(report["checks"])
    assert not QT_TROUBLE.search(done.stderr), done.stderr
    # The card reader read the synthetic card's piece and price, sure of both.
    card = report["checks"]["card_read"]
    assert (card["piece"]["text"], card["piece"]["sure"]) == (CARD_PIECE, True), card
    assert (card["price"]["text"], card["price"]["sure"]) == (CARD_PRICE, True), card
    assert card["engine"]
    assert card["load_ms"] > 0
    assert card["read_ms"] > 0


# --- the self-check from source (quick) ---------------------------------------------------


@pytest.mark.gui  # the console, in a process of its own, shows its window
def test_the_console_passes_its_self_check_from_source() -> None:
    done, report, elapsed = run_self_check([sys.executable, "-m", "flashbuy_desktop"])
    assert_every_check_passed(done, report)
    assert report["frozen"] is False
    if os.environ.get("DISPLAY"):  # under Xvfb, the screen is grabbed for real
        assert report["checks"]["grab"]["shape"] == [32, 32, 4]
    timings = report["timings_ms"]
    # The process start is read from the OS: it comes before the check starts and the
    # window shows, and all of it lies within the time this test measured around the run.
    assert 0 < timings["process_start_to_check"] < timings["process_start_to_window"]
    assert timings["process_start_to_window"] < timings["total"] < elapsed * 1000
    assert report["checks"]["migrations"]["revision"]
    assert report["checks"]["translations"]["zh_CN"]["qt_translates"] is True


@pytest.mark.gui  # the console, in a process of its own, shows its window
def test_a_self_check_that_runs_out_of_time_fails_and_says_so() -> None:
    began = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from flashbuy_desktop.selfcheck import run_self_check;"
            " sys.exit(run_self_check(timeout_s=0.2))",
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        cwd=REPO,
        check=False,
    )
    assert time.monotonic() - began < 60
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["ok"] is False
    assert "timeout" in report["failed"]
    assert "self-check failed: " in done.stderr


def test_self_check_refuses_a_server_address() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flashbuy_desktop", "--self-check", "--server", "http://x"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert "--self-check runs the embedded demo" in done.stderr


# --- build_spec.py, the command ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dist", "out", "--work", "out"], "must be different folders"),
        (["--dist", "out/inner", "--work", "out"], "must not lie inside one another"),
        (["--dist", "flashbuy_desktop/dist"], "among the sources"),
    ],
)
def test_build_spec_refuses_bad_folders(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "build_spec.py", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert not (REPO / "out").exists()


# --- the build (slow; the `built` fixture is in conftest.py) ----------------------------------


@pytest.mark.slow
def test_the_build_is_one_folder_without_the_unused_qt_parts(built: Path) -> None:
    assert (built / PROGRAM).is_file()
    contents = built / "_internal"
    files = {p.relative_to(contents).as_posix() for p in contents.rglob("*") if p.is_file()}
    plan = Plan.make(keep_all=False)
    for dest in files:
        rules = [t.name for t in plan.trims if t.drops(dest)]
        assert not rules, (dest, rules)
    qt = [f for f in files if f.startswith("PySide6/")]
    assert not [f for f in qt if "wayland" in f.lower() or "Network" in f or "qgtk3" in f]
    translations = sorted(Path(f).name for f in qt if "/translations/" in f)
    assert translations == ["qtbase_en.qm", "qtbase_zh_CN.qm"]
    assert not [f for f in files if f.startswith(("mypy/", "websockets/", "yaml/_yaml."))]
    # A trimmed-away library leaves no link pointing at nothing.
    dangling = [p for p in contents.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
    if sys.platform.startswith("linux"):
        assert "PySide6/Qt/plugins/platforms/libqxcb.so" in files
        assert not [f for f in files if f.startswith("libgtk-3")]
    # What the console needs as files: the migrations and every resource.
    assert "flashbuy_server/migrations/env.py" in files
    for source in (REPO / "flashbuy_desktop" / "resources").rglob("*"):
        if source.is_file() and "__pycache__" not in source.parts:
            assert source.relative_to(REPO).as_posix() in files, source


@pytest.mark.slow
def test_the_build_carries_what_the_card_reader_loads(built: Path) -> None:
    """The OCR models and configs, as the installed packages list them, and onnxruntime's
    native module: a build that silently loses them reads no card."""
    import onnxruntime.capi.onnxruntime_pybind11_state as ort_native  # type: ignore[import-untyped]

    from flashbuy_desktop.capture.card_ocr import PaddleEngine

    contents = built / "_internal"
    plan = Plan.make(keep_all=False)
    # Every data file rapidocr's wheel installed (its RECORD), unless a trim rule leaves it out.
    data = [
        f
        for f in importlib.metadata.files("rapidocr") or []
        if f.parts[0] == "rapidocr" and f.suffix in (".onnx", ".yaml", ".yml", ".txt", ".json")
    ]
    assert [f for f in data if f.suffix == ".onnx"], "the installed rapidocr lists no model"
    for record in data:
        dest = record.as_posix()
        if any(t.drops(dest) for t in plan.trims):
            continue
        copied = contents / dest
        assert copied.is_file(), dest
        assert copied.stat().st_size == Path(str(record.locate())).stat().st_size, dest
    # The files the shipped engine loads: no rule may leave one of them out.
    site = Path(str(importlib.metadata.distribution("rapidocr").locate_file(""))).resolve()
    for model in PaddleEngine().model_paths():
        dest = model.resolve().relative_to(site).as_posix()
        assert not [t.name for t in plan.trims if t.drops(dest)], dest
        assert (contents / dest).read_bytes() == model.read_bytes(), dest
    native = Path(ort_native.__file__).resolve()
    assert (contents / native.relative_to(native.parents[2])).is_file(), native


@pytest.mark.gui
@pytest.mark.slow
def test_the_built_console_passes_its_self_check(built: Path) -> None:
    done, report, _elapsed = run_self_check([str(built / PROGRAM)])
    assert_every_check_passed(done, report)
    assert report["frozen"] is True
    if os.environ.get("FLASHBUY_TEST_KEYRING") == "scratch":
        # The test command runs a Secret Service: the bundle found its keyring backend.
        assert "SecretService" in report["checks"]["keyring"]["backend"]
        assert report["checks"]["keyring"]["persistent"] is True

"""OpenCV stays the headless wheel: nothing installs or loads the one that carries Qt.

``opencv-python`` and ``opencv-contrib-python`` bring a Qt 5 of their own (``cv2/qt/plugins``)
and set Qt's plugin path when cv2 is imported: beside PySide6 that breaks the console's
windows, and in the build it adds a second Qt. The console and the card reader (rapidocr)
ask for ``opencv-python-headless``; a package added later that asks for the other one
would pull it in on the next install, so these tests name it.
"""

import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HEADLESS = "opencv-python-headless"
WITH_GUI = ("opencv-python", "opencv-contrib-python")


def _name(dist: importlib.metadata.Distribution) -> str:
    return canonicalize_name(dist.metadata["Name"] or "")


def askers_of_gui_opencv(
    dists: Iterable[importlib.metadata.Distribution],
) -> list[tuple[str, str]]:
    """(distribution, requirement) for each distribution that asks for a GUI OpenCV wheel.

    A requirement counts when pip would follow it here: its marker holds for this Python
    and system without extras (``; extra == "gui"`` asks only when that extra is asked for).
    """
    environment = {str(key): str(value) for key, value in default_environment().items()}
    environment["extra"] = ""
    found = []
    for dist in dists:
        for line in dist.requires or []:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) not in WITH_GUI:
                continue
            if requirement.marker is None or requirement.marker.evaluate(environment):
                found.append((_name(dist), line))
    return sorted(found)


def test_only_the_headless_opencv_wheel_is_installed() -> None:
    installed = sorted({_name(d) for d in importlib.metadata.distributions()})
    opencv = [name for name in installed if name.startswith("opencv")]
    assert opencv == [HEADLESS], (opencv, askers_of_gui_opencv(importlib.metadata.distributions()))


def test_no_installed_package_asks_for_the_opencv_wheel_with_qt() -> None:
    askers = askers_of_gui_opencv(importlib.metadata.distributions())
    installed = sorted({_name(d) for d in importlib.metadata.distributions()} & set(WITH_GUI))
    # Asked for but absent (a package installed without its dependencies) fails too: the
    # next plain install of that package would bring the wheel in.
    assert not askers, (
        f"these packages ask for a GUI OpenCV wheel: {askers}; installed: {installed}"
    )


def test_the_check_names_a_package_that_asks(tmp_path: Path) -> None:
    """The check above fails, naming the package, for metadata that asks (written to disk and
    read back as any installed distribution's)."""

    def dist(name: str, *requires: str) -> importlib.metadata.Distribution:
        info = tmp_path / f"{name}-1.0.dist-info"
        info.mkdir()
        lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
        lines += [f"Requires-Dist: {r}" for r in requires]
        (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return importlib.metadata.PathDistribution(info)

    dists = [
        dist("ocr-thing", "numpy", "opencv-python>=4"),
        dist("gui-extra", 'opencv-contrib-python; extra == "gui"'),
        dist("old-python", 'opencv-python; python_version < "3"'),
        dist("headless-one", "opencv-python-headless"),
        dist("Contrib_Thing", "OpenCV_Contrib.Python"),
    ]
    assert askers_of_gui_opencv(dists) == [
        ("contrib-thing", "OpenCV_Contrib.Python"),
        ("ocr-thing", "opencv-python>=4"),
    ]


REPO = Path(__file__).resolve().parents[2]


def test_a_fresh_install_of_the_project_resolves_to_the_headless_wheel_only(
    tmp_path: Path,
) -> None:
    """What pip would install on a fresh machine for the declared dependencies (dev tools
    included), resolved afresh from the package index: the checks above see only what this
    environment already has, so a dependency added to pyproject.toml that would pull the
    GUI wheel in (directly, through an extra, or deeper down) shows only here."""
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--disable-pip-version-check",
            "--report",
            str(report),
            f"{REPO}[dev]",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    resolved = {
        canonicalize_name(item["metadata"]["name"])
        for item in json.loads(report.read_text(encoding="utf-8"))["install"]
    }
    assert HEADLESS in resolved
    assert not resolved & set(WITH_GUI), sorted(resolved & set(WITH_GUI))


def _mapped_files() -> list[Path]:
    """The files this process has mapped (Linux: its loaded libraries)."""
    maps = Path("/proc/self/maps").read_text(encoding="utf-8").splitlines()
    return sorted({Path(line.split(maxsplit=5)[5]) for line in maps if "/" in line})


def test_cv2_is_loaded_from_the_headless_wheel() -> None:
    import cv2

    owned = {Path(str(f.locate())).resolve() for f in importlib.metadata.files(HEADLESS) or []}
    package = Path(cv2.__file__).resolve()
    assert package in owned, package
    binaries = [p for p in owned if p.parent == package.parent and p.name.startswith("cv2.")]
    assert binaries, "the headless wheel lists no cv2 binary"
    if sys.platform.startswith("linux"):
        # What was really loaded: cv2's native module and the libraries vendored with it.
        loaded = [
            p.resolve()
            for p in _mapped_files()
            if (p.parent.name == "cv2" and p.name.startswith("cv2."))
            or p.parent.name.startswith("opencv")
        ]
        assert any(p.name.startswith("cv2.") for p in loaded), loaded
        assert [p for p in loaded if p not in owned] == []
    # The headless wheel has no Qt of its own, so cv2 never points Qt at one.
    assert not (package.parent / "qt").exists()
    assert "cv2" not in os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")


@pytest.mark.slow
def test_the_build_has_no_qt_but_pyside6s(built: Path) -> None:
    contents = built / "_internal"
    paths = [p.relative_to(contents).as_posix() for p in contents.rglob("*")]
    assert not [p for p in paths if p.startswith("cv2/qt")], "cv2's own Qt plugins are in"
    vendored = {p.split("/")[0] for p in paths if p.split("/")[0].startswith("opencv")}
    # Linux wheels vendor cv2's libraries in "<distribution>.libs": only the headless one's.
    assert vendored <= {"opencv_python_headless.libs"}, vendored
    # Every Qt library outside PySide6 is PyInstaller's link to PySide6's own copy.
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if not name.startswith(("libQt", "Qt5", "Qt6")) or path.startswith("PySide6/"):
            continue
        link = contents / path
        assert link.is_symlink(), f"a Qt library of its own: {path}"
        target = link.resolve().relative_to(contents.resolve()).as_posix()
        assert target.startswith("PySide6/"), (path, target)
    assert not [p for p in paths if "libQt5" in p], "a Qt 5 library is in the build"

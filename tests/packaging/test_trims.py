"""The trim rules: each drops what it names, keeps what it keeps, and none drops the console's."""

from pathlib import Path

from flashbuy_build.toc import trim_toc
from flashbuy_build.trims import TRIMS, Trim, rule_savings


def test_a_rule_drops_its_paths_except_what_it_keeps() -> None:
    rule = next(t for t in TRIMS if t.name == "qt-translations")
    assert rule.drops("PySide6/Qt/translations/qt_de.qm")
    assert rule.drops("PySide6\\translations\\qtbase_fr.qm")  # Windows' separators
    assert not rule.drops("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not rule.drops("PySide6/Qt/translations/qtbase_en.qm")
    assert not rule.drops("flashbuy_desktop/resources/translations/flashbuy_de.qm")
    kept, dropped = trim_toc(
        [("PySide6/Qt/translations/qt_de.qm", "x", "DATA"), ("certifi/cacert.pem", "y", "DATA")],
        [rule],
    )
    assert kept == [("certifi/cacert.pem", "y", "DATA")]
    assert dropped == {"qt-translations": ["PySide6/Qt/translations/qt_de.qm"]}


def test_the_console_keeps_what_it_uses() -> None:
    kept = [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/QtWidgets.abi3.so",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "libX11.so.6",
        "libXrandr.so.2",
        "cv2/cv2.abi3.so",
        "PIL/_imaging.cpython-311-x86_64-linux-gnu.so",
        "flashbuy_server/migrations/env.py",
        "flashbuy_desktop/resources/icons/flashbuy_16.png",
        "flashbuy_desktop/resources/translations/flashbuy_zh_CN.qm",
    ]
    for dest in kept:
        rules = [t.name for t in TRIMS if t.applies("linux") and t.drops(dest)]
        assert not rules, (dest, rules)


def test_a_rule_for_some_systems_applies_only_there() -> None:
    wayland = next(t for t in TRIMS if t.name == "qt-wayland")
    assert wayland.applies("linux")
    assert not wayland.applies("win32")
    assert not wayland.applies("darwin")
    everywhere = next(t for t in TRIMS if t.name == "qt-translations")
    assert everywhere.applies("win32")
    assert everywhere.applies("linux")


def test_every_rule_says_why_and_names_are_unique() -> None:
    names = [t.name for t in TRIMS]
    assert len(names) == len(set(names))
    for rule in TRIMS:
        assert len(rule.why) > 40, rule.name
        assert rule.modules or rule.paths, rule.name


def test_a_folder_glob_spans_folders_and_keep_wins() -> None:
    rule = Trim("x", "test", paths=("lib/*.so*",), keep=("*keep*",))
    assert rule.drops("lib/deep/inside/a.so.1")
    assert not rule.drops("lib/deep/keep.so")
    assert not rule.drops("other/a.so")


def test_rule_savings_measures_real_files(tmp_path: Path) -> None:
    contents = tmp_path / "_internal"
    (contents / "PySide6" / "Qt" / "translations").mkdir(parents=True)
    (contents / "PySide6" / "Qt" / "translations" / "qt_de.qm").write_bytes(b"x" * 100)
    (contents / "PySide6" / "Qt" / "translations" / "qtbase_en.qm").write_bytes(b"x" * 7)
    savings = {name: (size, count) for name, size, count in rule_savings(contents, "linux")}
    assert savings["qt-translations"] == (100, 1)
    assert savings["qt-wayland"] == (0, 0)
    assert "qt-wayland" not in {name for name, _s, _c in rule_savings(contents, "win32")}


def test_a_link_goes_with_the_file_it_points_at() -> None:
    rule = next(t for t in TRIMS if t.name == "qt-wayland")
    entries = [
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", "/x/libQt6WaylandClient.so.6", "BINARY"),
        ("libQt6WaylandClient.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ]
    kept, dropped = trim_toc(entries, [rule])
    assert kept == [entries[2]]
    assert dropped == {"qt-wayland": [entries[0][0], entries[1][0]]}


# Run by the test below in a process of its own: every module a trim rule excludes made
# unimportable (as in the build), load the card reader as the console does, read a card, and
# list the files that took from the installed packages.
_LOAD_THE_READER = """
import json, sys
from pathlib import Path
for name in json.loads(sys.argv[1]):
    sys.modules[name] = None  # importing it now raises ImportError, as in the trimmed build
import cv2, numpy as np
from flashbuy_desktop.capture.card_reading import CardReader
reader = CardReader()
card = np.full((160, 320, 3), 250, np.uint8)
cv2.putText(card, "1288", (20, 110), cv2.FONT_HERSHEY_DUPLEX, 2.4, (20, 20, 20), 3)
reading = reader.read(card)
maps = Path("/proc/self/maps")
mapped = sorted({l.split(maxsplit=5)[5] for l in maps.read_text().splitlines() if "/" in l}
                if maps.exists() else ())
files = [str(p) for p in reader.engine.model_paths()] + mapped
print(json.dumps({"modules": sorted(m for m, v in sys.modules.items() if v is not None),
                  "files": files, "price": reading.price.text if reading.price else None}))
"""


def test_the_card_reader_reads_without_what_the_rules_leave_out() -> None:
    """From source, with every module a rule excludes unimportable: the card reader loads and
    reads, and no file it opened from the installed packages (its models, onnxruntime's,
    shapely's and pyclipper's native libraries) is one a rule drops."""
    import json
    import subprocess
    import sys
    import sysconfig

    excluded = sorted({m for t in TRIMS if t.applies(sys.platform) for m in t.modules})
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_THE_READER, json.dumps(excluded)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert loaded["price"] == "1288"  # it really read: the models ran
    modules = set(loaded["modules"])
    assert {"rapidocr", "onnxruntime", "omegaconf", "yaml", "shapely", "pyclipper"} <= modules
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    inside = [Path(f).resolve() for f in loaded["files"]]
    dests = [p.relative_to(site).as_posix() for p in inside if p.is_relative_to(site)]
    assert [d for d in dests if d.endswith(".onnx")], dests
    for dest in dests:
        dropping = [t.name for t in TRIMS if t.applies(sys.platform) and t.drops(dest)]
        assert not dropping, (dest, dropping)

"""The ELF reader: what a Linux binary links; and the TOC steps that rely on it."""

import shutil
import sys
from pathlib import Path

import pytest

import build_spec
from flashbuy_build import elf
from flashbuy_build.elf import elf_info
from flashbuy_build.toc import broken_links

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads ELF files")


def _qt_core() -> Path:
    import PySide6

    return next(Path(PySide6.__file__).parent.glob("QtCore.abi3.so"))


@linux_only
def test_elf_info_reads_what_a_library_links() -> None:
    info = elf_info(_qt_core())
    assert info is not None
    needed, _debug = info
    assert "libQt6Core.so.6" in needed
    assert elf_info(Path(build_spec.__file__)) is None  # not an ELF file


def test_elf_info_is_none_for_what_is_not_elf(tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_bytes(b"\x7fELF")
    assert elf_info(short) is None
    truncated = tmp_path / "truncated"
    truncated.write_bytes(b"\x7fELF\x02\x01" + b"\xff" * 58)  # headers pointing nowhere
    assert elf_info(truncated) is None
    assert elf_info(tmp_path / "missing") is None


@linux_only
def test_a_kept_binary_linking_a_dropped_library_is_found() -> None:
    core = str(_qt_core())
    binaries = [("PySide6/QtCore.abi3.so", core, "EXTENSION")]
    assert broken_links(binaries, ["PySide6/Qt/lib/libQt6Core.so.6"]) == [
        ("PySide6/QtCore.abi3.so", "libQt6Core.so.6")
    ]
    assert broken_links(binaries, ["PySide6/Qt/lib/libQt6Network.so.6"]) == []


@linux_only
@pytest.mark.skipif(shutil.which("strip") is None, reason="needs binutils' strip")
def test_strip_debug_leaves_a_file_without_debugging_symbols_alone(tmp_path: Path) -> None:
    copy = tmp_path / "QtCore.abi3.so"
    shutil.copy(_qt_core(), copy)
    info = elf_info(copy)
    assert info is not None
    stripped, _saved = elf.strip_debug(tmp_path)
    assert stripped == (1 if info[1] else 0)
    after = elf_info(copy)
    assert after is not None
    assert after[0] == info[0]  # what it links is untouched
    assert after[1] is False

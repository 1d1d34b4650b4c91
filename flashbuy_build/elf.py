"""ELF: what a Linux binary links, and whether it carries debugging symbols.

A small reader of the section headers and the dynamic section (no dependency on binutils or
pyelftools): :func:`elf_info` is all the trims need. :func:`strip_debug` runs binutils'
``strip`` on the files that carry debugging sections.
"""

import shutil
import struct
import subprocess
import sys
from pathlib import Path


def elf_info(path: Path) -> tuple[list[str], bool] | None:
    """(the DT_NEEDED names, has .debug_* sections) of an ELF file; None if it is not one."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF":
                return None
            wide, order = head[4] == 2, "<" if head[5] == 1 else ">"
            if wide:
                (shoff,) = struct.unpack_from(order + "Q", head, 0x28)
                shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", head, 0x3A)
                layout = order + "IIQQQQIIQQ"
            else:
                (shoff,) = struct.unpack_from(order + "I", head, 0x20)
                shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", head, 0x2E)
                layout = order + "IIIIIIIIII"
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            # name, type, flags, addr, offset, size, link, info, align, entsize
            sections = [struct.unpack_from(layout, table, i * shentsize) for i in range(shnum)]

            def read(offset: int, size: int) -> bytes:
                f.seek(offset)
                return f.read(size)

            names = read(sections[shstrndx][4], sections[shstrndx][5]) if sections else b""
            debug = any(names[s[0] :].startswith(b".debug_") for s in sections)
            needed: list[str] = []
            for section in sections:
                if section[1] != 6:  # SHT_DYNAMIC
                    continue
                strings = read(sections[section[6]][4], sections[section[6]][5])
                dynamic = read(section[4], section[5])
                size = 16 if wide else 8
                for i in range(0, len(dynamic) - size + 1, size):
                    tag, value = struct.unpack_from(order + ("qQ" if wide else "iI"), dynamic, i)
                    if tag == 0:
                        break
                    if tag == 1:  # DT_NEEDED
                        needed.append(strings[value : strings.index(b"\0", value)].decode())
            return needed, debug
    except (OSError, struct.error, IndexError, ValueError):
        return None


def strip_debug(folder: Path) -> tuple[int, int]:
    """Strip debugging symbols from the ELF files in ``folder`` that carry them (Linux).

    Only debugging sections go (``strip --strip-debug``): the symbols that other libraries
    link against stay. Libraries vendored by auditwheel (``*.libs/``) are left alone: they
    come stripped, and binutils can break the program headers patchelf rewrote in them.
    Returns (files stripped, bytes saved).
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0, 0
    targets = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.endswith(".libs") for part in path.relative_to(folder).parts[:-1]):
            continue
        info = elf_info(path)
        if info is not None and info[1]:
            targets.append(path)
    before = sum(p.stat().st_size for p in targets)
    for start in range(0, len(targets), 100):
        subprocess.run(  # noqa: S603 - binutils' strip on files of our own build
            ["strip", "--strip-debug", *map(str, targets[start : start + 100])],  # noqa: S607
            check=True,
            capture_output=True,
        )
    return len(targets), before - sum(p.stat().st_size for p in targets)

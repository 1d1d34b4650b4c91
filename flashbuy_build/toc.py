"""The trim rules applied to PyInstaller's table of contents: (dest, source, type) entries.

Three steps, in the spec's order: drop what a rule drops (:func:`trim_toc`), then the
vendored libraries nothing links any more (:func:`drop_vendored_orphans`), then check that
no kept binary links a dropped library (:func:`broken_links`).
"""

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from flashbuy_build.elf import elf_info
from flashbuy_build.trims import Trim


def trim_toc(
    entries: Iterable[tuple[str, str, str]], trims: Sequence[Trim]
) -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """The TOC entries (dest, source, type) no rule drops, and what each rule dropped.

    A symbolic link (type ``SYMLINK``, its source the bundle path it points at) goes with
    its target: PyInstaller links libraries it moved beside the program (``libQt6Network.so.6``
    -> ``PySide6/Qt/lib/...``), and a link to a dropped file would be left dangling.
    """
    kept: list[tuple[str, str, str]] = []
    dropped: dict[str, list[str]] = {}
    for entry in entries:
        linked = entry[1] if entry[2] == "SYMLINK" else None
        rule = next(
            (t for t in trims if t.drops(entry[0]) or (linked is not None and t.drops(linked))),
            None,
        )
        if rule is None:
            kept.append(entry)
        else:
            dropped.setdefault(rule.name, []).append(entry[0])
    return kept, dropped


def drop_vendored_orphans(
    binaries: list[tuple[str, str, str]],
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Drop libraries in ``*.libs/`` folders that no remaining binary links (Linux)."""
    if not sys.platform.startswith("linux"):
        return binaries, []
    needed: set[str] = set()
    for _dest, source, _kind in binaries:
        info = elf_info(Path(source))
        if info is not None:
            needed.update(info[0])
    kept, orphans = [], []
    for entry in binaries:
        parts = entry[0].replace("\\", "/").split("/")
        vendored = len(parts) == 2 and parts[0].endswith(".libs")
        if vendored and parts[1] not in needed:
            orphans.append(entry[0])
        else:
            kept.append(entry)
    # Links to an orphan (PyInstaller's top-level links to vendored libraries) go with it.
    gone = {orphan.replace("\\", "/") for orphan in orphans}
    links = [e for e in kept if e[2] == "SYMLINK" and e[1].replace("\\", "/") in gone]
    orphans += [e[0] for e in links]
    kept = [e for e in kept if e not in links]
    return kept, orphans


def broken_links(
    binaries: Iterable[tuple[str, str, str]], dropped: Iterable[str]
) -> list[tuple[str, str]]:
    """(binary, library) pairs where a kept binary links a library a rule dropped (Linux).

    A rule that drops a library something still needs is a mistake in :data:`TRIMS`: the
    program would fail to start on a machine without that library, so the build stops.
    """
    gone = {Path(d.replace("\\", "/")).name for d in dropped}
    broken = []
    for dest, source, _kind in binaries:
        info = elf_info(Path(source))
        for name in info[0] if info is not None else ():
            if name in gone:
                broken.append((dest, name))
    return broken

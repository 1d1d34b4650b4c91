"""Writing a file atomically: readers see the old content or the new, never half of it.

:func:`write_atomic` writes to a temporary file of its own in the same folder, makes it
durable, and renames it over the target in one step. The temporary name is unique to each
call, so two processes (two consoles, say) saving the same file at once each replace it
whole: the last one wins, neither corrupts the other. No Qt here: the settings are saved
before the application object exists.
"""

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; on any failure the old file is left.

    The folder must exist. A file that is already there keeps its permission bits; a new
    one is readable by its owner only (settings and problem reports are nobody else's).
    The temporary file is removed whatever goes wrong, an interrupt included.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as stream:
            _keep_mode(path, stream.fileno())
            stream.write(data)
            stream.flush()
            # On the disk before the rename: after a power cut the rename may otherwise
            # survive while the data does not, leaving an empty file in place of both.
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(path.parent)


def _keep_mode(path: Path, fd: int) -> None:
    if not hasattr(os, "fchmod"):  # Windows: files have no POSIX permission bits
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return  # mkstemp's owner-only mode stays
    os.fchmod(fd, mode)


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is; best effort, since
    # the file is already complete and in place (and Windows cannot open a folder).
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

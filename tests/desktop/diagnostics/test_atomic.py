"""write_atomic(): the whole new file or the old one, never half, never a temporary left."""

import errno
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from flashbuy_desktop.diagnostics.atomic import write_atomic


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of the test's own (tmp_path also holds the test's home)."""
    made = tmp_path / "files"
    made.mkdir()
    return made


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_it_writes_a_new_file_and_replaces_an_old_one(folder: Path) -> None:
    path = folder / "settings.json"
    write_atomic(path, b"first")
    assert path.read_bytes() == b"first"
    write_atomic(path, "第二 second".encode())
    assert path.read_text(encoding="utf-8") == "第二 second"
    write_atomic(path, b"")
    assert path.read_bytes() == b""
    assert names(folder) == ["settings.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_before_the_rename_leaves_the_old_file_and_no_temporary(
    folder: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = folder / "settings.json"
    write_atomic(path, b"old and whole")

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new data that never arrives whole")
    monkeypatch.undo()
    assert path.read_bytes() == b"old and whole"
    assert names(folder) == ["settings.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX file size limit")
def test_a_write_cut_off_halfway_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    import resource

    path = folder / "settings.json"
    write_atomic(path, b"old and whole")
    # A real short write: past the size limit the system refuses the rest (EFBIG; Python
    # ignores the SIGXFSZ that comes with it), as a full disk would.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(OSError, match="too large") as raised:
            write_atomic(path, b"n" * 100_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert raised.value.errno == errno.EFBIG
    assert path.read_bytes() == b"old and whole"
    assert names(folder) == ["settings.json"]


def test_an_interrupt_mid_write_leaves_no_temporary(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder / "report.zip"

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"zip")
    assert names(folder) == []


def test_a_missing_folder_is_an_error_and_creates_nothing(folder: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(folder / "missing" / "settings.json", b"{}")
    assert names(folder) == []


def test_two_writers_at_once_never_mix_their_files(folder: Path) -> None:
    # With one fixed temporary name (settings.json.tmp) two writers wrote into the same
    # file and renamed each other's half-written data into place.
    path = folder / "settings.json"
    payloads = [bytes([65 + n]) * 200_000 for n in range(2)]
    failures: list[BaseException] = []
    start = threading.Barrier(len(payloads))

    def writer(data: bytes) -> None:
        try:
            start.wait()
            for _ in range(30):
                write_atomic(path, data)
                assert path.read_bytes() in payloads
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert path.read_bytes() in payloads
    assert names(folder) == ["settings.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_new_file_is_private_and_an_old_one_keeps_its_mode(folder: Path) -> None:
    new = folder / "new.json"
    write_atomic(new, b"{}")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    shared = folder / "shared.json"
    shared.write_bytes(b"old")
    shared.chmod(0o644)
    write_atomic(shared, b"new")
    assert shared.read_bytes() == b"new"
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644

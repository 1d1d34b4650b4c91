"""The log file: rotation, masked secrets, the tail for a problem report, and no file at all."""

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flashbuy_desktop.diagnostics import logs
from flashbuy_desktop.diagnostics.logs import (
    BACKUPS,
    MAX_BYTES,
    add_secret,
    log_dir,
    log_file,
    read_tail,
    setup_logging,
    stop_logging,
)
from flashbuy_desktop.diagnostics.redact import MASK


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    installed = ours()
    stop_logging()
    root.setLevel(level)
    assert not [h for h in installed if h in root.handlers], "stop_logging left handlers"


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def ours() -> list[logging.Handler]:
    return list(logs._handlers)


@pytest.fixture
def only_ours(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Megabytes of records go to our handlers only, not to pytest's report of the test."""

    def keep_only_ours() -> None:
        monkeypatch.setattr(logging.getLogger(), "handlers", ours())

    return keep_only_ours


def test_the_log_lives_in_the_users_log_folder() -> None:
    # Under the test's own home (tests/conftest.py), as it would be under the seller's.
    assert log_dir().is_relative_to(Path.home())
    assert log_file() == log_dir() / "flashbuy.log"
    assert setup_logging(stderr=False) == log_file()
    logging.getLogger("flashbuy_desktop.test").info("started")
    flush()
    assert "started" in log_file().read_text(encoding="utf-8")


def test_the_file_rotates_at_its_size_and_keeps_five_backups(
    tmp_path: Path, only_ours: Callable[[], None]
) -> None:
    folder = tmp_path / "logs"
    path = setup_logging(folder, stderr=False)
    only_ours()
    logger = logging.getLogger("flashbuy_desktop.test.rotation")
    line = "x" * 1000
    # A little over six files' worth: the oldest must have been dropped.
    for i in range((BACKUPS + 1) * MAX_BYTES // 1000 + 200):
        logger.info("%06d %s", i, line)
    flush()
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["flashbuy.log"] + [f"flashbuy.log.{n}" for n in range(1, BACKUPS + 1)]
    for n in range(1, BACKUPS + 1):
        size = (folder / f"flashbuy.log.{n}").stat().st_size
        # Rolled over just before the record that would have passed the size.
        assert MAX_BYTES - 1200 < size <= MAX_BYTES
    assert path.stat().st_size <= MAX_BYTES
    # Every line of the newest backup continues where the older one stopped.
    newest = (folder / "flashbuy.log.1").read_text(encoding="utf-8").splitlines()
    current = path.read_text(encoding="utf-8").splitlines()
    assert int(newest[-1].split(": ", 1)[1][:6]) + 1 == int(current[0].split(": ", 1)[1][:6])


def test_setting_up_again_replaces_the_handlers(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    setup_logging(tmp_path / "first")
    assert len(root.handlers) == before + 2  # the file and stderr
    path = setup_logging(tmp_path / "second", level=logging.DEBUG)
    assert len(root.handlers) == before + 2
    assert root.level == logging.DEBUG
    logging.getLogger("flashbuy_desktop.test").debug("once")
    flush()
    assert path.read_text(encoding="utf-8").count("once") == 1
    assert "once" not in (tmp_path / "first" / "flashbuy.log").read_text(encoding="utf-8")


def test_secrets_never_reach_the_file(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, stderr=False)
    logger = logging.getLogger("flashbuy_desktop.api.client")
    add_secret("session-7f3a9c2e41")
    logger.info("GET /api/v1/rooms with %s", "Authorization: Bearer eyJhbGciOi.J9.sig-nature")
    logger.info("retrying with Bearer eyJhbGciOi.J9.sig-nature")
    logger.warning("sign-in answered %s", {"access_token": "tok_51f0c9", "user": "seller"})
    logger.info("kept the token session-7f3a9c2e41 for this run")
    try:
        raise RuntimeError("the platform refused password=hunter2hunter2")
    except RuntimeError:
        logger.exception("sign-in failed")
    flush()
    text = path.read_text(encoding="utf-8")
    for secret in ("eyJhbGciOi", "sig-nature", "tok_51f0c9", "session-7f3a9c2e41", "hunter2"):
        assert secret not in text
    assert f"Authorization: {MASK}" in text
    assert f"retrying with Bearer {MASK}" in text
    assert text.count(MASK) >= 6
    # What is not a secret is still there to read, the traceback included.
    assert "GET /api/v1/rooms" in text
    assert "'user': 'seller'" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: the platform refused password=" in text


def test_a_log_folder_that_cannot_be_made_falls_back_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    path = setup_logging(blocker / "logs", stderr=False)
    assert path == blocker / "logs" / "flashbuy.log"
    logging.getLogger("flashbuy_desktop.test").info("the console keeps going with Bearer abc123")
    err = capsys.readouterr().err
    assert "the log cannot be written to" in err
    assert "the console keeps going" in err
    assert "abc123" not in err  # masked on stderr too
    assert [type(h) for h in ours()] == [logging.StreamHandler]
    assert blocker.read_text() == "a file where the log folder should be"


# --- the tail -----------------------------------------------------------------------------


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_no_log_yet_is_an_empty_tail(tmp_path: Path) -> None:
    assert read_tail(directory=tmp_path) == ""
    assert read_tail(0, directory=tmp_path) == ""


def test_the_tail_starts_at_a_line_and_reaches_into_the_rotated_file(tmp_path: Path) -> None:
    write(tmp_path / "flashbuy.log.1", b"old one\nold two\nold three\n")
    write(tmp_path / "flashbuy.log", b"new one\nnew two\n")
    whole = "old one\nold two\nold three\nnew one\nnew two\n"
    assert read_tail(10_000, directory=tmp_path) == whole
    # A cut that falls exactly after a line's end keeps that next line whole...
    exact = len("old three\nnew one\nnew two\n")
    assert read_tail(exact, directory=tmp_path) == "old three\nnew one\nnew two\n"
    # ...one byte shorter, and the cut line is left out rather than shown half.
    assert read_tail(exact - 1, directory=tmp_path) == "new one\nnew two\n"
    # A current file long enough on its own is read alone.
    assert read_tail(len("new two\n"), directory=tmp_path) == "new two\n"
    assert read_tail(len("new two\n") + 3, directory=tmp_path) == "new two\n"


def test_the_tail_survives_broken_bytes_and_one_endless_line(tmp_path: Path) -> None:
    write(tmp_path / "flashbuy.log", "甲\n乙 ".encode() + b"\xff" + " 丙\n".encode())
    assert read_tail(directory=tmp_path) == "甲\n乙 \ufffd 丙\n"
    # Cut inside a character of the first line: that line goes, the rest decodes cleanly.
    write(tmp_path / "flashbuy.log", "第一行\n第二行\n".encode())
    assert read_tail(len("行\n第二行\n".encode()) - 1, directory=tmp_path) == "第二行\n"
    write(tmp_path / "flashbuy.log", b"y" * 5000)
    assert read_tail(100, directory=tmp_path) == "y" * 100


def test_the_tail_of_a_real_rotated_log(tmp_path: Path, only_ours: Callable[[], None]) -> None:
    setup_logging(tmp_path, stderr=False)
    only_ours()
    logger = logging.getLogger("flashbuy_desktop.test.tail")
    for i in range(MAX_BYTES // 500 + 50):
        logger.info("record %06d %s", i, "z" * 470)
    flush()
    current = (tmp_path / "flashbuy.log").stat().st_size
    assert (tmp_path / "flashbuy.log.1").exists()
    assert current < 200_000
    tail = read_tail(200_000, directory=tmp_path)
    assert 200_000 - 600 < len(tail.encode()) <= 200_000
    lines = tail.splitlines()
    assert all(" INFO [MainThread] flashbuy_desktop.test.tail: record " in x for x in lines)
    numbers = [int(x.split("record ")[1][:6]) for x in lines]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert numbers[-1] == MAX_BYTES // 500 + 49

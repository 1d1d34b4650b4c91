"""``flashbuy`` as a seller starts it: a process of its own, the real start-up path.

The arguments, the log file, the language and the embedded demo platform, up to the main
window on screen (``--quit-when-shown`` ends the process there).
"""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_protocol.models import Comment
from flashbuy_server.config import sqlite_url
from flashbuy_server.db import Database
from flashbuy_server.rehearsal import DEMO_PASSWORD, DEMO_USERNAME
from flashbuy_server.tables import rooms
from tests.support import Api, SseClient

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 120


def _home(tmp_path: Path) -> dict[str, str]:
    """A scratch home for the process: its settings, data and log land in tmp_path."""
    env = {**os.environ, "HOME": str(tmp_path)}
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        env[var] = str(tmp_path / sub)
    return env


def _flashbuy(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flashbuy_desktop", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=REPO,
        env=_home(tmp_path),
        check=False,
    )


@pytest.mark.gui
@pytest.mark.slow
def test_the_console_starts_in_the_language_set_and_logs_to_the_users_log_folder(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "config" / "flashbuy" / "settings.json"
    ConsoleSettings(language="zh_CN").save(settings)
    done = _flashbuy(tmp_path, "--no-audience", "--quit-when-shown")
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "state" / "flashbuy" / "log" / "flashbuy.log").read_text(encoding="utf-8")
    assert "console starting: language zh_CN" in log
    assert "main window shown" in log
    # Command-line choices hold for the run only: the settings file is as it was.
    assert ConsoleSettings.load(settings).rehearsal_audience is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--server", "platform.example"], "starts with http:// or https://"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--audience-rate", "many"], "a number of comments a second"),
        (["--audience-rate", "-1"], "from 0 to 2000 comments a second"),
        (["--audience-rate", "2000.5"], "from 0 to 2000 comments a second"),
        (["--audience-rate", "nan"], "from 0 to 2000 comments a second"),
        (["--audience-rate", "inf"], "from 0 to 2000 comments a second"),
        (["--audience-rate", "50", "--no-audience"], "there is no audience"),
        (["--audience-rate", "50", "--server", "http://127.0.0.1:9"], "it takes no --server"),
    ],
)
def test_a_wrong_argument_is_refused_with_the_reason(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = _flashbuy(tmp_path, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "state").exists()  # refused before anything was written


class _Log:
    """A process's stderr, line by line, read on a thread so that waiting has a timeout."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        assert process.stderr is not None
        stderr = process.stderr

        def read() -> None:
            for line in stderr:
                self.lines.put(line)
            self.lines.put(None)

        self._thread = threading.Thread(target=read, daemon=True)
        self._thread.start()

    def until(self, pattern: str) -> re.Match[str]:
        """The first line from now on that matches ``pattern``."""
        while True:
            line = self.lines.get(timeout=TIMEOUT_S)
            assert line is not None, "the console ended:\n" + "".join(self.seen[-20:])
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found

    def rest(self) -> str:
        """Everything after what was read, once the process has ended."""
        self._thread.join(TIMEOUT_S)
        while (line := self.lines.get_nowait()) is not None:
            self.seen.append(line)
        return "".join(self.seen)


@pytest.mark.gui
@pytest.mark.slow
def test_a_flood_on_request_and_sigterm_quits_in_order(tmp_path: Path) -> None:
    ConsoleSettings(audience_viewers=20).save(tmp_path / "config" / "flashbuy" / "settings.json")
    with subprocess.Popen(
        [sys.executable, "-m", "flashbuy_desktop", "--audience-rate", "2000"],
        cwd=REPO,
        env=_home(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as console:
        try:
            log = _Log(console)
            url = log.until(r"main window shown \((http://127\.0\.0\.1:\d+)\)").group(1)
            anon = Api(url + "/api/v1")
            token = anon.ok(
                "POST", "/auth/sign-in", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
            )["token"]
            creator = Api(url + "/api/v1", token)
            room = next(r for r in creator.ok("GET", "/rooms") if r["status"] == "live")
            stream = SseClient(creator, f"/rooms/{room['id']}/events", room["last_event_id"])
            posted: list[Comment] = []
            while len(posted) < 1_000:
                event = stream.events(1)[0]
                if event["type"] == "comment.posted":
                    posted.append(Comment.model_validate(event["data"]))
            stream.close()
            anon.close()
            creator.close()
            console.send_signal(signal.SIGTERM)
            console.wait(TIMEOUT_S)
        finally:
            if console.poll() is None:
                console.kill()
        text = log.rest()
    # A thousand comments within seconds: the flood asked for (the demo's calm is 3 a second).
    assert (posted[-1].created_at - posted[0].created_at).total_seconds() < 5
    assert console.returncode == 0, text[-2000:]
    assert "SIGTERM: quitting" in text
    assert "console stopped" in text  # the orderly shutdown ran
    db = Database(sqlite_url(tmp_path / "data" / "flashbuy" / "platform.sqlite3"))
    with db.read() as conn:
        count = conn.execute(sa.select(rooms.c.viewer_count).where(rooms.c.id == room["id"]))
        assert count.scalar_one() == 0  # the audience was sent home on the way out
    db.dispose()

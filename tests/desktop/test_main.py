"""``flashbuy`` as a seller starts it: a process of its own, the real start-up path.

The arguments, the log file, the language and the embedded demo platform, up to the main
window on screen (``--quit-when-shown`` ends the process there).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flashbuy_desktop.settings import ConsoleSettings

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
    ],
)
def test_a_wrong_argument_is_refused_with_the_reason(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = _flashbuy(tmp_path, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "state").exists()  # refused before anything was written

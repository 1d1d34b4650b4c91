"""The one trimmed build the slow packaging tests share (PyInstaller takes minutes on 2 cores)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flashbuy_build.plan import REPO

BUILD_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trimmed console, built by build_spec.py into a temporary folder (``dist/flashbuy``)."""
    root = tmp_path_factory.mktemp("build")
    # PyInstaller's cache of processed binaries stays in the test's folder, not the home's.
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(root / "pyinstaller-config")}
    done = subprocess.run(
        [sys.executable, "build_spec.py", "--dist", str(root / "dist"), "--work", str(root / "w")],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    return root / "dist" / "flashbuy"

"""Running a small Qt program in a child Python (e.g. at another scale factor) for a test.

Qt's scale factor and platform are fixed when a QApplication starts, so a test that needs
another one runs the program in a process of its own and reads the verdict it prints.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_qt_child(script: str, *, timeout: float, **env: str) -> dict[str, Any]:
    """Run ``script`` from the project root with ``env`` added to this environment on the X
    screen; the JSON object it prints last. A failing child fails the test with its stderr."""
    child_env = dict(os.environ, QT_QPA_PLATFORM="xcb", **env)
    child_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    verdict: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return verdict

"""Build the packaged console with PyInstaller: one folder, without what the console never uses.

    python build_spec.py [--dist DIR] [--work DIR] [--keep-all]

The result is ``DIST/flashbuy/`` (default ``dist/``), started by ``DIST/flashbuy/flashbuy``
(``flashbuy.exe`` on Windows; on macOS also ``DIST/flashbuy.app``). Check a build with
``DIST/flashbuy/flashbuy --self-check`` (see ``flashbuy_desktop/selfcheck.py``). PyInstaller
builds for the system it runs on only: build on each system with this same command.

What goes in (:mod:`flashbuy_build.plan`): the console (``flashbuy_build/launcher.py``
starting ``flashbuy_desktop.__main__:main``) and the platform it embeds for its demo
(FastAPI, uvicorn, SQLAlchemy and Alembic with the migrations as data files, SQLite), the
console's run-time resources (``flashbuy_desktop/resources/**``: the translation catalogs
and the icon's pictures), the card reader's PP-OCR models and configs as they lie in the
installed ``rapidocr`` package (``PACKAGE_DATA``) with onnxruntime's native module, Qt's own
catalogs for the console's two languages, and the program's icon
(``resources/icons/flashbuy.ico`` on Windows, ``.icns`` for the macOS app).

What stays out is listed in :data:`flashbuy_build.trims.TRIMS`, each with the reason it is
safe: Qt modules, plugins and catalogs the console does not use, the GTK stack that only
Qt's GTK theme needs, tools that libraries carry for developers (type checkers, command-line
clients), codecs of picture formats the platform refuses anyway, the OCR packages' parts
the card reader never loads (other inference backends, onnxruntime's tools, the angle
classifier), and psycopg (PostgreSQL) when the platform's modules import without it. On
Linux the debugging symbols are stripped from the binaries that have them
(:mod:`flashbuy_build.elf`). ``--keep-all`` builds without any of this, for comparison
(``python -m benchmarks.startup``).

PyInstaller runs the spec ``flashbuy_build/flashbuy.spec`` with the plan made here. The build
goes to a staging folder in WORK first and replaces ``DIST/flashbuy`` only once it is
complete, so a failed build leaves the previous one as it was.
"""

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from flashbuy_build.elf import strip_debug
from flashbuy_build.plan import NAME, REPO, Plan
from flashbuy_build.trims import STRIP

SPEC = REPO / "flashbuy_build" / "flashbuy.spec"


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of a folder's regular files, symbolic links not followed."""
    total = count = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                total += path.stat().st_size
                count += 1
    return total, count


def build(dist: Path, work: Path, keep_all: bool) -> Path:
    """Build into ``dist/flashbuy`` (replacing an earlier build only once this one is done)."""
    try:
        import PyInstaller  # type: ignore[import-untyped]
        import PyInstaller.__main__  # type: ignore[import-untyped]
    except ImportError:
        raise SystemExit(
            "build: PyInstaller is not installed: run `bash scripts/setup.sh` "
            "(or `pip install -e '.[dev]'`)"
        ) from None
    if not PyInstaller.__version__.startswith("6."):
        raise SystemExit(f"build: needs PyInstaller 6, not {PyInstaller.__version__}")

    began = time.monotonic()
    plan = Plan.make(keep_all)
    work.mkdir(parents=True, exist_ok=True)
    staging = work / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    plan_path = work / "plan.json"
    plan_path.write_text(plan.to_json(), encoding="utf-8")
    dropped_path = work / "dropped.json"
    dropped_path.unlink(missing_ok=True)  # the spec writes it anew: never an old build's
    try:
        PyInstaller.__main__.run(
            [
                str(SPEC),
                "--distpath",
                str(staging),
                "--workpath",
                str(work / "pyinstaller"),
                "--noconfirm",
                "--log-level",
                "WARN",
                "--",  # the spec's own arguments
                "--plan",
                str(plan_path),
                "--dropped",
                str(dropped_path),
            ]
        )
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise SystemExit(
                f"build: PyInstaller failed ({exc.code}); see its output above"
            ) from exc
    built = staging / NAME
    if not (built / (NAME + (".exe" if sys.platform == "win32" else ""))).is_file():
        raise SystemExit(f"build: PyInstaller left no program in {built}")

    dropped: dict[str, list[str]] = json.loads(dropped_path.read_text(encoding="utf-8"))
    stripped = (0, 0) if keep_all else strip_debug(built)
    products = [NAME, NAME + ".app"]
    for product in products:
        if (staging / product).exists():
            _replace(staging / product, dist / product)
    shutil.rmtree(staging, ignore_errors=True)

    result = dist / NAME
    size, count = folder_size(result)
    kind = "untrimmed (--keep-all)" if keep_all else "trimmed"
    print(
        f"build: {result}: {size / 1e6:.1f} MB in {count} files, {kind}, "
        f"in {time.monotonic() - began:.0f} s"
    )
    for name, files in sorted(dropped.items()):
        print(f"  left out by {name}: {len(files)} files")
    if stripped[0]:
        print(f"  {STRIP}: {stripped[0]} files, {stripped[1] / 1e6:.1f} MB of debugging symbols")
    return result


def _replace(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``, the old ``target`` (if any) removed only after the switch."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.new-{os.getpid()}")
    outgoing = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.move(str(new), str(incoming))  # a copy only if the work folder is on another disk
    if target.exists():
        target.rename(outgoing)
    incoming.rename(target)
    shutil.rmtree(outgoing, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Build the flashbuy console into one folder with PyInstaller."
    )
    parser.add_argument(
        "--dist", type=Path, default=REPO / "dist", help="where the built folder goes (dist/)"
    )
    parser.add_argument(
        "--work", type=Path, default=REPO / "build", help="PyInstaller's working folder (build/)"
    )
    parser.add_argument(
        "--keep-all",
        action="store_true",
        help="leave nothing out (the untrimmed build, for comparison)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Check the arguments and build."""
    parser = _parser()
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    if dist == work:
        parser.error("--dist and --work must be different folders")
    if dist.is_relative_to(work) or work.is_relative_to(dist):
        parser.error("--dist and --work must not lie inside one another")
    for folder, flag in ((dist, "--dist"), (work, "--work")):
        if folder == REPO or any(
            folder.is_relative_to(REPO / package)
            for package in ("flashbuy_desktop", "flashbuy_server", "flashbuy_protocol")
        ):
            parser.error(f"{flag} {folder} would put build output among the sources")
        if folder.exists() and not folder.is_dir():
            parser.error(f"{flag} {folder} is a file, not a folder")
    build(dist, work, args.keep_all)
    return 0


if __name__ == "__main__":
    sys.exit(main())

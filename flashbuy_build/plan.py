"""What one build takes in: the program, its data files, hidden imports, and the trims.

:meth:`Plan.make` decides it for the system it runs on; ``build_spec.py`` writes it as JSON
for the spec (``flashbuy_build/flashbuy.spec``), which reads it back with
:meth:`Plan.from_json`, so the decisions are made once, in typed code, and the spec only
follows them.
"""

import ast
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from flashbuy_build.trims import TRIMS, Trim

REPO = Path(__file__).resolve().parent.parent
NAME = "flashbuy"
BUNDLE_ID = "com.flashbuy.console"
LAUNCHER = Path(__file__).resolve().parent / "launcher.py"  # the program's entry script
RESOURCES = REPO / "flashbuy_desktop" / "resources"
MIGRATIONS = REPO / "flashbuy_server" / "migrations"
# Installed packages that open files of their own at run time, with no PyInstaller hook to
# collect them: the card reader's PP-OCR models (models/*.onnx) and the configs rapidocr
# reads with OmegaConf (config.yaml, default_models.yaml). Their files go in as they lie in
# the package, where the package looks for them (beside its own modules).
PACKAGE_DATA = ("rapidocr",)
# What in a package folder is not its data: code (in the module archive) and markers.
_NOT_DATA_SUFFIXES = (".py", ".pyc", ".pyi", ".pyx", ".pxd")
_NOT_DATA_NAMES = ("py.typed", ".gitkeep")
# The packaged program's icon, painted by scripts/icons.py: Windows reads .ico, macOS .icns;
# on Linux a program file has no icon (the window's comes from the package's resources).
ICONS = {
    "win32": REPO / "resources" / "icons" / "flashbuy.ico",
    "darwin": REPO / "resources" / "icons" / "flashbuy.icns",
}

# uvicorn finds its event loop, HTTP protocol, lifespan and log formatter by dotted names in
# strings, which PyInstaller's import analysis cannot follow; the embedded platform needs them.
UVICORN_HIDDEN = (
    "uvicorn.logging",
    "uvicorn.loops.auto",
    "uvicorn.loops.asyncio",
    "uvicorn.loops.uvloop",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.lifespan.on",
    "uvicorn.lifespan.off",
)
# keyring picks its backend through entry points at run time (PyInstaller's keyring hook
# bundles their metadata); naming the backends makes sure each system finds its own.
KEYRING_HIDDEN = (
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
)


def psycopg_needed(python: str = sys.executable) -> bool:
    """Whether the console (with its embedded platform) fails to import without psycopg.

    The platform imports psycopg for PostgreSQL's LISTEN/NOTIFY; where it does so at module
    level, the console needs it even though it never uses PostgreSQL.
    """
    probe = textwrap.dedent(
        """
        import sys
        for name in ("psycopg", "psycopg_binary", "psycopg_c"):
            sys.modules[name] = None  # an import of it now raises ImportError
        import flashbuy_desktop.__main__
        import flashbuy_desktop.composition.app, flashbuy_desktop.composition.embedded
        """
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [python, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    return done.returncode != 0


def migration_imports() -> list[str]:
    """Modules the Alembic migrations import: Alembic loads them from files at run time,
    so PyInstaller's analysis never sees their imports."""
    found: set[str] = set()
    for path in MIGRATIONS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    # "from alembic import op" names a module; "from x import name" may name an attribute:
    # keep what is a module, which PyInstaller would otherwise warn about.
    return sorted(name for name in found if _is_module(name))


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def package_data(package: str) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) of an installed package's data files.

    Found without importing the package. A package that is not installed is an error: the
    build would otherwise succeed and the program fail where it reads the files.
    """
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"build: the package {package} is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = []
    for path in sorted(folder.rglob("*")):
        if (
            path.is_dir()
            or "__pycache__" in path.parts
            or path.suffix in _NOT_DATA_SUFFIXES
            or path.name in _NOT_DATA_NAMES
        ):
            continue
        files.append((str(path), path.parent.relative_to(folder.parent).as_posix()))
    return files


def data_files() -> list[tuple[str, str]]:
    """(source file, folder in the bundle) of every data file the console needs."""
    files: list[tuple[str, str]] = [f for package in PACKAGE_DATA for f in package_data(package)]
    for root, dest in ((MIGRATIONS, "flashbuy_server/migrations"), (RESOURCES, None)):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            folder = path.parent.relative_to(REPO).as_posix() if dest is None else dest
            if dest is not None:
                folder = (Path(dest) / path.parent.relative_to(root)).as_posix()
            files.append((str(path), folder))
    return files


@dataclass(frozen=True)
class Plan:
    """What one build takes in and leaves out."""

    keep_all: bool
    excludes: tuple[str, ...]
    trims: tuple[Trim, ...]
    hidden: tuple[str, ...]
    datas: tuple[tuple[str, str], ...]
    windowed: bool
    icon: str | None  # the program's icon file, on the systems whose program files have one

    @classmethod
    def make(cls, keep_all: bool, system: str = sys.platform) -> "Plan":
        """The plan for this system: every rule that applies, unless ``keep_all``."""
        trims: tuple[Trim, ...] = ()
        if not keep_all:
            trims = tuple(t for t in TRIMS if t.applies(system))
            if psycopg_needed():
                print("build: psycopg stays: the platform's modules import it at module level")
                trims = tuple(t for t in trims if t.name != "psycopg")
        excludes = tuple(m for t in trims for m in t.modules)
        hidden = (*UVICORN_HIDDEN, *KEYRING_HIDDEN, *migration_imports())
        icon = ICONS.get(system)
        return cls(
            keep_all=keep_all,
            excludes=excludes,
            trims=trims,
            hidden=tuple(h for h in hidden if h not in excludes),
            datas=tuple(data_files()),
            # A console window beside the app's on Windows, a terminal on macOS: not wanted.
            windowed=system in ("win32", "darwin"),
            icon=str(icon) if icon is not None else None,
        )

    def to_json(self) -> str:
        """The plan as the spec reads it (trims by name)."""
        return json.dumps(
            {
                "keep_all": self.keep_all,
                "excludes": self.excludes,
                "trims": [t.name for t in self.trims],
                "hidden": self.hidden,
                "datas": self.datas,
                "windowed": self.windowed,
                "icon": self.icon,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        """The plan :meth:`to_json` wrote."""
        raw = json.loads(text)
        by_name = {t.name: t for t in TRIMS}
        return cls(
            keep_all=bool(raw["keep_all"]),
            excludes=tuple(raw["excludes"]),
            trims=tuple(by_name[name] for name in raw["trims"]),
            hidden=tuple(raw["hidden"]),
            datas=tuple((str(source), str(folder)) for source, folder in raw["datas"]),
            windowed=bool(raw["windowed"]),
            icon=raw["icon"],
        )

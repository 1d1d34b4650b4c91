"""Build the packaged console with PyInstaller: one folder, without what the console never uses.

    python build_spec.py [--dist DIR] [--work DIR] [--keep-all]

The result is ``DIST/flashbuy/`` (default ``dist/``), started by ``DIST/flashbuy/flashbuy``
(``flashbuy.exe`` on Windows; on macOS also ``DIST/flashbuy.app``). Check a build with
``DIST/flashbuy/flashbuy --self-check`` (see ``flashbuy_desktop/selfcheck.py``). PyInstaller
builds for the system it runs on only: build on each system with this same command.

What goes in: the console (``flashbuy_desktop.__main__:main``) and the platform it embeds for
its demo (FastAPI, uvicorn, SQLAlchemy and Alembic with the migrations as data files, SQLite),
the console's resources (``flashbuy_desktop/resources/**``, translation catalogs among them)
and Qt's own catalogs for the console's two languages.

What stays out is listed in :data:`TRIMS`, each with the reason it is safe: Qt modules,
plugins and catalogs the console does not use, the GTK stack that only Qt's GTK theme needs,
tools that libraries carry for developers (type checkers, command-line clients), codecs of
picture formats the platform refuses anyway, and psycopg (PostgreSQL) when the platform's
modules import without it. On Linux the debugging symbols are stripped from the binaries that
have them. ``--keep-all`` builds without any of this, for comparison (``benchmarks/startup.py``).

The build goes to a staging folder in WORK first and replaces ``DIST/flashbuy`` only once it
is complete, so a failed build leaves the previous one as it was.
"""

import argparse
import ast
import fnmatch
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent
NAME = "flashbuy"
ENTRY = ("flashbuy_desktop.__main__", "main")
RESOURCES = REPO / "flashbuy_desktop" / "resources"
MIGRATIONS = REPO / "flashbuy_server" / "migrations"
QT_CATALOGS = ("qtbase_zh_CN.qm", "qtbase_en.qm")  # the console speaks Chinese, then English
BUNDLE_ID = "com.flashbuy.console"

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


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Trim:
    """One thing left out of the trimmed build, and why that is safe.

    ``modules`` are never analysed (so neither they nor the libraries only they need come
    in); ``paths`` are globs over the bundle's file names (``/``-separated, ``*`` also spans
    folders) dropped after the analysis, except those matching ``keep``. ``systems`` limits a
    rule to some values of ``sys.platform`` (empty: all).
    """

    name: str
    why: str
    modules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()

    def applies(self, system: str = sys.platform) -> bool:
        """Whether this rule is used when building on ``system``."""
        return not self.systems or system in self.systems

    def drops(self, dest: str) -> bool:
        """Whether the bundle file ``dest`` (a path inside the bundle) is left out."""
        dest = dest.replace("\\", "/")
        return any(fnmatch.fnmatchcase(dest, p) for p in self.paths) and not any(
            fnmatch.fnmatchcase(dest, k) for k in self.keep
        )


# Qt modules the console does not import (it uses QtCore, QtGui and QtWidgets only; see
# `grep -rn PySide6 flashbuy_desktop`). Most are not even installed with PySide6-Essentials;
# naming them keeps a build on a machine with the full PySide6 (Addons) just as small.
_QT_UNUSED_MODULES = tuple(
    f"PySide6.{m}"
    for m in _words(
        "QtNetwork QtNetworkAuth QtDBus QtOpenGL QtOpenGLWidgets QtSvg QtSvgWidgets QtQml "
        "QtQuick QtQuick3D QtQuickControls2 QtQuickWidgets QtQuickTest QtWebEngineCore "
        "QtWebEngineWidgets QtWebEngineQuick QtWebChannel QtWebSockets QtWebView QtHttpServer "
        "QtMultimedia QtMultimediaWidgets QtSpatialAudio QtTextToSpeech QtPdf QtPdfWidgets "
        "Qt3DCore Qt3DRender Qt3DInput Qt3DLogic Qt3DAnimation Qt3DExtras QtDesigner QtUiTools "
        "QtHelp QtSql QtTest QtPrintSupport QtXml QtConcurrent QtCharts QtDataVisualization "
        "QtGraphs QtGraphsWidgets QtBluetooth QtNfc QtPositioning QtLocation QtSensors "
        "QtSerialPort QtSerialBus QtRemoteObjects QtScxml QtStateMachine QtAxContainer"
    )
)

TRIMS: tuple[Trim, ...] = (
    Trim(
        "qt-translations",
        "Qt's catalogs for languages other than the console's two (zh_CN, en) are never "
        "loaded: flashbuy_desktop.services.i18n installs qtbase_<language> for the language shown.",
        paths=("PySide6/*translations/*",),
        keep=tuple(f"*/{name}" for name in QT_CATALOGS),
    ),
    Trim(
        "qt-unused-modules",
        "Qt modules the console never imports (QML/Quick, WebEngine, Multimedia, Pdf, 3D, "
        "Designer, SQL, network...) with their plugins and data: nothing loads them. QtGui "
        "links the QtDBus library itself, which stays; only the Python binding goes. The "
        "console talks to the platform with requests/httpx, not QtNetwork, so Qt's TLS and "
        "network-information plugins go too.",
        modules=_QT_UNUSED_MODULES,
        paths=(
            *(f"PySide6/{module.split('.')[1]}.*" for module in _QT_UNUSED_MODULES),
            "PySide6/*qml/*",
            "PySide6/*QtWebEngineProcess*",
            "PySide6/*resources/qtwebengine*",
            "PySide6/*Qt6Network*",
            "PySide6/*QtNetwork.framework/*",
            "PySide6/*Qt6Pdf*",
            "PySide6/*Qt6Qml*",
            "PySide6/*Qt6Quick*",
            *(
                f"PySide6/*plugins/{folder}/*"
                for folder in _words(
                    "qmltooling qmllint sqldrivers virtualkeyboard multimedia designer tls "
                    "networkinformation position geoservices sensors sceneparsers renderers "
                    "geometryloaders assetimporters printsupport texttospeech canbus "
                    "scenegraph webview"
                )
            ),
            "PySide6/*plugins/platforminputcontexts/*qtvirtualkeyboard*",
        ),
    ),
    Trim(
        "qt-image-formats",
        "Qt reads the pictures the console shows: captured and uploaded pictures are JPEG "
        "(PNG is built into QtGui). SVG and ICO stay for icons; GIF, TIFF, WebP, TGA, WBMP, "
        "ICNS and PDF readers are never used.",
        paths=("PySide6/*plugins/imageformats/*",),
        keep=("*qjpeg*", "*qsvg*", "*qico*"),
    ),
    Trim(
        "qt-wayland",
        "The console needs X11 on Linux: mss grabs the screen and the capture frame asks the "
        "X server directly, neither of which works on native Wayland. Without the Wayland "
        "plugin Qt starts on xcb, which a Wayland desktop serves through XWayland.",
        paths=(
            "PySide6/*plugins/platforms/*qwayland*",
            "PySide6/*plugins/wayland-*",
            "PySide6/*Qt6WaylandClient*",
            "PySide6/*Qt6WaylandEgl*",
            "PySide6/*Qt6WlShellIntegration*",
        ),
        systems=("linux",),
    ),
    Trim(
        "qt-device-platforms",
        "Platforms for devices without a window system (eglfs, linuxfb, vnc, Vulkan display) "
        "and their input plugins (evdev, tslib, tuio): the console runs on a desktop. xcb "
        "stays, and offscreen for headless runs (QT_QPA_PLATFORM=offscreen).",
        paths=(
            "PySide6/*plugins/platforms/*qeglfs*",
            "PySide6/*plugins/platforms/*qminimalegl*",
            "PySide6/*plugins/platforms/*qlinuxfb*",
            "PySide6/*plugins/platforms/*qvnc*",
            "PySide6/*plugins/platforms/*qvkkhrdisplay*",
            "PySide6/*plugins/platforms/*qminimal.*",
            "PySide6/*plugins/egldeviceintegrations/*",
            "PySide6/*plugins/generic/*",
            "PySide6/*Qt6EglFS*",
            "PySide6/*Qt6EglFs*",
        ),
        systems=("linux",),
    ),
    Trim(
        "qt-gtk-theme",
        "Qt's GTK3 theme plugin and the GTK stack only it needs (GTK, GDK, cairo, pango, atk, "
        "gio...), copied from the build machine: without it the console draws with Qt's own "
        "Fusion style and dialogs. libX11 and its extensions stay (mss and the capture frame "
        "load them by name at run time).",
        paths=(
            "PySide6/*plugins/platformthemes/*qgtk3*",
            *(
                f"lib{name}.so*"
                for name in _words(
                    "gtk-3 gdk-3 gdk_pixbuf-2.0 pango-1.0 pangocairo-1.0 pangoft2-1.0 cairo "
                    "cairo-gobject atk-1.0 atk-bridge-2.0 atspi epoxy pixman-1 fribidi thai "
                    "datrie graphite2 harfbuzz gio-2.0 gmodule-2.0 gobject-2.0 mount blkid "
                    "selinux"
                )
            ),
        ),
        systems=("linux",),
    ),
    Trim(
        "type-checkers",
        "mypy and its plugins for pydantic and SQLAlchemy (mypyc-compiled, with their "
        "runtime libraries): they check code while it is written, never while it runs.",
        modules=("mypy", "mypyc", "pydantic.mypy", "sqlalchemy.ext.mypy", "ast_serialize", "librt"),
        paths=("mypy/*", "mypyc/*", "ast_serialize/*", "librt/*"),
    ),
    Trim(
        "httpx-cli",
        "The `httpx` command-line client's rich, pygments and markdown rendering: httpx "
        "imports its CLI in a try/except ImportError, and the console never runs it.",
        modules=("rich", "pygments", "markdown_it", "mdurl"),
        # Pure Python: they live in the program's module archive, not as files of their own.
    ),
    Trim(
        "uvicorn-extras",
        "uvicorn's optional parts the embedded platform does not use: YAML log configuration "
        "files (PyYAML), --reload (watchfiles; uvicorn falls back on ImportError) and "
        "WebSockets (the platform has no WebSocket route; uvicorn's auto choice becomes none).",
        modules=("yaml", "watchfiles", "websockets", "wsproto"),
        paths=("yaml/*", "_yaml/*", "watchfiles/*", "websockets/*"),
    ),
    Trim(
        "pillow-codecs",
        "The platform accepts JPEG and PNG pictures only (flashbuy_server.images), which "
        "Pillow's core reads: its AVIF and WebP codecs, colour management, font rendering and "
        "Tk/Qt bridges are never used (Pillow imports the codecs in try/except ImportError).",
        modules=(
            "PIL._avif",
            "PIL._webp",
            "PIL._imagingcms",
            "PIL.ImageCms",
            "PIL._imagingft",
            "PIL._imagingtk",
            "PIL.ImageTk",
            "PIL.ImageQt",
            "tkinter",
            "_tkinter",
        ),
        paths=(
            *(f"PIL/{name}.*" for name in _words("_avif _webp _imagingcms _imagingft _imagingtk")),
            *(
                f"pillow.libs/lib{name}*"
                for name in _words("avif webp sharpyuv lcms2 freetype harfbuzz brotli png16")
            ),
            "_tkinter*",
        ),
    ),
    Trim(
        "psycopg",
        "The PostgreSQL driver: the embedded platform runs on SQLite only. Left out only when "
        "the console's and the embedded platform's modules import without it (checked at "
        "each build, see psycopg_needed()).",
        modules=("psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool"),
        paths=("psycopg/*", "psycopg_binary/*", "psycopg_binary.libs/*", "psycopg_c/*"),
    ),
)

# Vendored libraries (auditwheel's `<package>.libs` folders on Linux) that no binary in the
# bundle links any more once the rules above removed their users: loaded only through the
# dynamic linker, so nothing else can reach them. Checked after the rules, on Linux.
ORPHANS = "vendored-orphans"
STRIP = "strip-debug"


# --- the parts of a build -----------------------------------------------------------------


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


def data_files() -> list[tuple[str, str]]:
    """(source file, folder in the bundle) of every data file the console needs."""
    files: list[tuple[str, str]] = []
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

    @classmethod
    def make(cls, keep_all: bool) -> "Plan":
        """The plan for this system: every rule that applies, unless ``keep_all``."""
        trims: tuple[Trim, ...] = ()
        if not keep_all:
            trims = tuple(t for t in TRIMS if t.applies())
            if psycopg_needed():
                print("build: psycopg stays: the platform's modules import it at module level")
                trims = tuple(t for t in trims if t.name != "psycopg")
        excludes = tuple(m for t in trims for m in t.modules)
        hidden = (*UVICORN_HIDDEN, *KEYRING_HIDDEN, *migration_imports())
        return cls(
            keep_all=keep_all,
            excludes=excludes,
            trims=trims,
            hidden=tuple(h for h in hidden if h not in excludes),
            datas=tuple(data_files()),
            # A console window beside the app's on Windows, a terminal on macOS: not wanted.
            windowed=sys.platform in ("win32", "darwin"),
        )


def trim_toc(
    entries: Iterable[tuple[str, str, str]], trims: Sequence[Trim]
) -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """The TOC entries (dest, source, type) no rule drops, and what each rule dropped."""
    kept: list[tuple[str, str, str]] = []
    dropped: dict[str, list[str]] = {}
    for entry in entries:
        rule = next((t for t in trims if t.drops(entry[0])), None)
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


# --- ELF: what a Linux binary links, and whether it carries debugging symbols ----------------


def elf_info(path: Path) -> tuple[list[str], bool] | None:
    """(the DT_NEEDED names, has .debug_* sections) of an ELF file; None if it is not one."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF":
                return None
            wide, order = head[4] == 2, "<" if head[5] == 1 else ">"
            if wide:
                (shoff,) = struct.unpack_from(order + "Q", head, 0x28)
                shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", head, 0x3A)
                layout = order + "IIQQQQIIQQ"
            else:
                (shoff,) = struct.unpack_from(order + "I", head, 0x20)
                shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", head, 0x2E)
                layout = order + "IIIIIIIIII"
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            # name, type, flags, addr, offset, size, link, info, align, entsize
            sections = [struct.unpack_from(layout, table, i * shentsize) for i in range(shnum)]

            def read(offset: int, size: int) -> bytes:
                f.seek(offset)
                return f.read(size)

            names = read(sections[shstrndx][4], sections[shstrndx][5]) if sections else b""
            debug = any(names[s[0] :].startswith(b".debug_") for s in sections)
            needed: list[str] = []
            for section in sections:
                if section[1] != 6:  # SHT_DYNAMIC
                    continue
                strings = read(sections[section[6]][4], sections[section[6]][5])
                dynamic = read(section[4], section[5])
                size = 16 if wide else 8
                for i in range(0, len(dynamic) - size + 1, size):
                    tag, value = struct.unpack_from(order + ("qQ" if wide else "iI"), dynamic, i)
                    if tag == 0:
                        break
                    if tag == 1:  # DT_NEEDED
                        needed.append(strings[value : strings.index(b"\0", value)].decode())
            return needed, debug
    except (OSError, struct.error, IndexError, ValueError):
        return None


def strip_debug(folder: Path) -> tuple[int, int]:
    """Strip debugging symbols from the ELF files in ``folder`` that carry them (Linux).

    Only debugging sections go (``strip --strip-debug``): the symbols that other libraries
    link against stay. Libraries vendored by auditwheel (``*.libs/``) are left alone: they
    come stripped, and binutils can break the program headers patchelf rewrote in them.
    Returns (files stripped, bytes saved).
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0, 0
    targets = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.endswith(".libs") for part in path.relative_to(folder).parts[:-1]):
            continue
        info = elf_info(path)
        if info is not None and info[1]:
            targets.append(path)
    before = sum(p.stat().st_size for p in targets)
    for start in range(0, len(targets), 100):
        subprocess.run(  # noqa: S603 - binutils' strip on files of our own build
            ["strip", "--strip-debug", *map(str, targets[start : start + 100])],  # noqa: S607
            check=True,
            capture_output=True,
        )
    return len(targets), before - sum(p.stat().st_size for p in targets)


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


def rule_savings(contents: Path, system: str = sys.platform) -> list[tuple[str, int, int]]:
    """(rule, bytes, files) each path rule would drop from an untrimmed bundle's ``contents``
    folder (``_internal``): what each exclusion saves, measured on real files."""
    files = [
        (p.relative_to(contents).as_posix(), p.stat().st_size)
        for p in contents.rglob("*")
        if p.is_file() and not p.is_symlink()
    ]
    savings = []
    for trim in TRIMS:
        if not trim.applies(system):
            continue
        sizes = [size for dest, size in files if trim.drops(dest)]
        savings.append((trim.name, sum(sizes), len(sizes)))
    return savings


# --- the build ----------------------------------------------------------------------------

SPEC = """\
# Generated by build_spec.py for one build; edit build_spec.py, not this file.
import json
import sys

sys.path.insert(0, {repo!r})
import build_spec

plan = json.loads({plan!r})
trims = [t for t in build_spec.TRIMS if t.name in plan["trims"]]
a = Analysis(
    [{script!r}],
    pathex=[{repo!r}],
    datas=[tuple(d) for d in plan["datas"]],
    hiddenimports=plan["hidden"],
    excludes=plan["excludes"],
    noarchive=False,
)
a.binaries, dropped = build_spec.trim_toc(a.binaries, trims)
a.datas, dropped_data = build_spec.trim_toc(a.datas, trims)
for name, files in dropped_data.items():
    dropped.setdefault(name, []).extend(files)
if trims:
    a.binaries, orphans = build_spec.drop_vendored_orphans(a.binaries)
    if orphans:
        dropped[build_spec.ORPHANS] = orphans
with open({dropped_path!r}, "w", encoding="utf-8") as f:
    json.dump(dropped, f, indent=1)
broken = build_spec.broken_links(a.binaries, [d for files in dropped.values() for d in files])
if broken:
    raise SystemExit(
        "build: a trim rule drops libraries that the bundle still links: "
        + ", ".join(f"{{binary}} -> {{library}}" for binary, library in broken)
    )

pyz = PYZ(a.pure)
exe = EXE(
    pyz,
    a.scripts,
    [],
    exclude_binaries=True,
    name={name!r},
    console=not plan["windowed"],
    strip=False,
    upx=False,
)
coll = COLLECT(exe, a.binaries, a.datas, strip=False, upx=False, name={name!r})
if sys.platform == "darwin":
    app = BUNDLE(
        coll,
        name={name!r} + ".app",
        bundle_identifier={bundle_id!r},
        info_plist={{"NSHighResolutionCapable": True, "LSMinimumSystemVersion": "11.0"}},
    )
"""

LAUNCHER = f'''\
"""The packaged console's entry: {ENTRY[0]}:{ENTRY[1]}, as the `flashbuy` command runs it."""

import sys

from {ENTRY[0]} import {ENTRY[1]}

sys.exit({ENTRY[1]}())
'''


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
    script = work / f"{NAME}_launcher.py"
    script.write_text(LAUNCHER, encoding="utf-8")
    dropped_path = work / "dropped.json"
    spec = work / f"{NAME}.spec"
    spec.write_text(
        SPEC.format(
            repo=str(REPO),
            script=str(script),
            name=NAME,
            bundle_id=BUNDLE_ID,
            dropped_path=str(dropped_path),
            plan=json.dumps(
                {
                    "trims": [t.name for t in plan.trims],
                    "excludes": plan.excludes,
                    "hidden": plan.hidden,
                    "datas": plan.datas,
                    "windowed": plan.windowed,
                }
            ),
        ),
        encoding="utf-8",
    )
    try:
        PyInstaller.__main__.run(
            [
                str(spec),
                "--distpath",
                str(staging),
                "--workpath",
                str(work / "pyinstaller"),
                "--noconfirm",
                "--log-level",
                "WARN",
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

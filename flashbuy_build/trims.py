"""What the trimmed build leaves out, each rule with the reason it is safe.

A :class:`Trim` names Python modules PyInstaller never analyses and globs over the bundle's
file names it drops afterwards (:mod:`flashbuy_build.toc` applies them). :data:`TRIMS` is
the list ``build_spec.py`` uses; ``--keep-all`` builds without any of them.
"""

import fnmatch
import sys
from dataclasses import dataclass
from pathlib import Path

QT_CATALOGS = ("qtbase_zh_CN.qm", "qtbase_en.qm")  # the console speaks Chinese, then English


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text``: long lists of names read better as one string."""
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
        "uvicorn's optional parts the embedded platform does not use: --reload (watchfiles; "
        "uvicorn falls back on ImportError) and WebSockets (the platform has no WebSocket "
        "route; uvicorn's auto choice becomes none). PyYAML stays: the card reader's "
        "rapidocr reads its configs with OmegaConf, which parses them with PyYAML.",
        modules=("watchfiles", "websockets", "wsproto"),
        paths=("watchfiles/*", "websockets/*"),
    ),
    Trim(
        "yaml-libyaml",
        "PyYAML's libyaml C extension: OmegaConf (rapidocr's configs) parses with PyYAML's "
        "pure-Python loader, and PyYAML itself falls back to it when the extension is "
        "missing (its cyaml import is in a try/except ImportError). Two small files parsed "
        "once at load do not need the C parser.",
        modules=("yaml._yaml", "yaml.cyaml", "_yaml"),
        paths=("yaml/_yaml.*", "_yaml/*"),
    ),
    Trim(
        "ocr-unused",
        "The card reader runs PP-OCR's detection and recognition models on onnxruntime's CPU "
        "provider (capture/card_ocr.py): rapidocr's other inference backends (OpenVINO, "
        "Paddle, PyTorch, TensorRT, MNN: imported only when chosen), the PyTorch networks' "
        "config and the angle classifier's model (the reader runs without the classifier), "
        "and onnxruntime's developer tools (model conversion, quantization, transformer "
        "optimisers, test models) are never loaded. The self-check's card_read check reads "
        "a card with what stays.",
        modules=(
            *(
                f"rapidocr.inference_engine.{engine}"
                for engine in _words("openvino paddle pytorch tensorrt mnn")
            ),
            *(
                f"onnxruntime.{part}"
                for part in _words("tools transformers quantization backend datasets")
            ),
        ),
        paths=(
            "rapidocr/inference_engine/pytorch/*",
            "rapidocr/models/*_cls_*",
            *(
                f"onnxruntime/{part}/*"
                for part in _words("tools transformers quantization datasets")
            ),
        ),
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

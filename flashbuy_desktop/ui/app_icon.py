"""The console's icon (a jade square with a white lightning bolt), as Qt shows it.

The pictures are package data (``flashbuy_desktop/resources/icons/flashbuy_<size>.png``),
painted by ``scripts/icons.py`` from the drawing there: found the same way from a checkout,
a pip install and the PyInstaller bundle. The packaged program's own icon (.ico, .icns) is
the build's business (``build_spec.py``), not the running console's.
"""

import logging
from importlib import resources

from PySide6.QtGui import QIcon

log = logging.getLogger(__name__)

SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256)  # as scripts/icons.py PNG_SIZES


def icon_dir() -> str:
    """The folder of the icon's pictures (inside the installed package)."""
    return str(resources.files("flashbuy_desktop") / "resources" / "icons")


def app_icon() -> QIcon:
    """The icon at every size it was painted at; Qt picks the nearest for each use.

    A missing picture is logged, never fatal: a window without its icon still works.
    """
    icon = QIcon()
    folder = icon_dir()
    for size in SIZES:
        path = f"{folder}/flashbuy_{size}.png"
        before = len(icon.availableSizes())
        icon.addFile(path)
        if len(icon.availableSizes()) == before:
            log.warning("the icon picture %s was not found or not readable", path)
    return icon

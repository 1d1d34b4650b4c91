"""The application's screens, as the Qt-free geometry module sees them."""

from PySide6.QtGui import QGuiApplication

from flashbuy_desktop.capture.geometry import ScreenInfo


def qt_screens() -> list[ScreenInfo]:
    """Every screen Qt knows: name, logical geometry and device-pixel ratio."""
    screens = []
    for screen in QGuiApplication.screens():
        g = screen.geometry()
        screens.append(
            ScreenInfo(
                screen.name(), g.x(), g.y(), g.width(), g.height(), screen.devicePixelRatio()
            )
        )
    return screens

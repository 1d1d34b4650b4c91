"""Where a window opens: beside the capture frame, never over it (the picture would show it)."""

from PySide6.QtWidgets import QWidget

from flashbuy_desktop.capture.placement import clear_spot
from flashbuy_desktop.services.window_watch import BORDER, TITLE_BAR


def place_clear_of_frame(window: QWidget, frame: object) -> None:
    """Move ``window`` beside ``frame`` when it is on screen, near the window's parent."""
    parent = window.parentWidget()
    if not isinstance(frame, QWidget) or not frame.isVisible():
        return  # no frame on screen to keep clear of
    screen = (parent or frame).screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    avoid = frame.geometry()
    near = parent.frameGeometry() if parent is not None else avoid
    title, border = TITLE_BAR, BORDER  # what a window manager adds around the window
    size = (window.width() + 2 * border, window.height() + title + border)
    spot = clear_spot(
        size,
        (avoid.x(), avoid.y(), avoid.width(), avoid.height()),
        (area.x(), area.y(), area.width(), area.height()),
        (near.x(), near.y(), near.width(), near.height()),
    )
    if spot is not None:
        window.move(spot[0] + border, spot[1] + title)
    # Else the window may cover the frame: the capture drops every frame it may show
    # (see capture.occlusion) and asks the seller to move it.

"""Windows go beside the capture frame, and the frame beside the main window: plain geometry."""

import pytest

from flashbuy_desktop.capture.placement import (
    GAP,
    Rect,
    clear_spot,
    frame_beside,
    inside,
    intersects,
)

SCREEN = (0, 0, 1920, 1080)


def test_a_window_goes_beside_the_frame_never_over_it() -> None:
    frame = (1260, 300, 640, 360)  # where the console puts it at first start
    spot = clear_spot((880, 560), frame, SCREEN, near=(320, 140, 1280, 800))
    assert spot is not None
    assert inside(spot, SCREEN)
    assert not intersects(spot, frame)


@pytest.mark.parametrize(
    "frame",
    [(0, 0, 640, 360), (1280, 720, 640, 360), (640, 0, 640, 1080), (100, 500, 1700, 100)],
)
def test_wherever_the_frame_is_the_window_avoids_it_if_it_can(frame: Rect) -> None:
    spot = clear_spot((880, 520), frame, SCREEN)
    if spot is None:  # the frame leaves no room this size: no pretend spot
        assert frame[2] > 1920 - 880 - 2 * GAP or frame[3] > 1080 - 520 - 2 * GAP
        return
    assert inside(spot, SCREEN)
    assert not intersects(spot, frame)


def test_no_spot_when_there_is_no_room() -> None:
    assert clear_spot((880, 560), (600, 300, 640, 360), SCREEN) is None  # a centred frame
    # 200% scaling: a 960x540 logical screen; a big frame leaves no room for the window.
    assert clear_spot((880, 520), (100, 50, 640, 360), (0, 0, 960, 540)) is None


def test_the_nearest_clear_spot_wins() -> None:
    frame = (100, 100, 400, 300)
    spot = clear_spot((300, 200), frame, SCREEN, near=(1500, 100, 100, 100))
    assert spot is not None
    assert spot[0] >= 500  # to the right, towards the main window


def test_the_frame_starts_beside_the_main_window() -> None:
    window = (320, 140, 1280, 800)  # centred, as the main window starts
    frame = frame_beside(window, SCREEN, (640, 360), (160, 120))
    assert inside(frame, SCREEN)
    assert not intersects(frame, window)
    assert frame[2:] != (640, 360)  # shrunk to fit the 320 px beside the window


def test_on_a_small_screen_the_frame_takes_the_far_corner() -> None:
    area = (0, 0, 960, 540)
    window = (0, 0, 960, 540)  # the main window fills the screen
    frame = frame_beside(window, area, (640, 360), (160, 120))
    assert frame[2:] == (160, 120)
    assert inside(frame, area)

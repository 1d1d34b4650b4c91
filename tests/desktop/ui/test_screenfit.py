"""Keeping a window on the screen: plain rules on rectangles (no Qt)."""

import pytest

from flashbuy_desktop.ui.screenfit import FRAME_ALLOWANCE, fitted_size, inside, is_inside

FULL_HD = (0, 0, 1920, 1040)  # 1920x1080 less a 40-pixel panel
HALF = (0, 0, 960, 540)  # 1920x1080 at 200%


def test_the_default_size_stays_where_it_fits() -> None:
    assert fitted_size((1280, 800), FULL_HD) == (1280, 800)


def test_a_small_screen_shrinks_the_window_and_leaves_room_for_its_frame() -> None:
    width, height = fitted_size((1280, 800), HALF)
    assert (width, height) == (960 - FRAME_ALLOWANCE[0], 540 - FRAME_ALLOWANCE[1])
    assert fitted_size((1280, 800), HALF, frame=(0, 0)) == (960, 540)
    # Never below what the window can be made.
    assert fitted_size((1280, 800), HALF, minimum=(1000, 300)) == (1000, 540 - 48)


@pytest.mark.parametrize(
    ("rect", "expected"),
    [
        ((100, 100, 800, 600), (100, 100, 800, 600)),  # inside: unchanged
        ((100, 600, 800, 600), (100, 440, 800, 600)),  # bottom off the screen: up
        ((1500, 100, 800, 600), (1120, 100, 800, 600)),  # right edge off: left
        ((-50, -20, 800, 600), (0, 0, 800, 600)),  # above and left of it: in
        ((10, 10, 2400, 1200), (0, 0, 1920, 1040)),  # larger than the screen: shrunk
    ],
)
def test_inside_moves_a_rectangle_wholly_onto_the_screen(
    rect: tuple[int, int, int, int], expected: tuple[int, int, int, int]
) -> None:
    assert inside(rect, FULL_HD) == expected
    assert is_inside(expected, FULL_HD)
    assert is_inside(rect, FULL_HD) == (rect == expected)


def test_a_second_monitor_has_its_own_origin() -> None:
    right = (1920, 0, 2560, 1400)
    assert inside((4000, 1000, 800, 600), right) == (3680, 800, 800, 600)

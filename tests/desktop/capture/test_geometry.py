"""Logical (Qt) to physical (mss) pixels across screens and scales: pure, table-driven."""

import pytest

from flashbuy_desktop.capture.geometry import (
    LogicalRect,
    OffScreenError,
    ScreenInfo,
    physical_layout,
    to_physical,
)
from flashbuy_desktop.capture.types import CaptureError, Region

ONE = [ScreenInfo("one", 0, 0, 1920, 1080, 1.0)]
# QT_SCALE_FACTOR=2 on a 1920x1080 screen: Qt reports 960x540 logical at ratio 2.
HIDPI = [ScreenInfo("hidpi", 0, 0, 960, 540, 2.0)]
# A 2560x1440 primary at scale 2, and LEFT of it a 1920x1080 monitor at scale 1
# (physical origin -1920): Qt keeps each screen's physical origin as its logical origin.
PRIMARY_2X_LEFT_1X = [
    ScreenInfo("primary", 0, 0, 1280, 720, 2.0),
    ScreenInfo("left", -1920, 0, 1920, 1080, 1.0),
]
# A 1920x1080 primary at scale 1 and LEFT of it a 3840x2160 monitor at scale 2
# (physical origin -3840, logical size 1920x1080, logical origin still -3840).
PRIMARY_1X_LEFT_2X = [
    ScreenInfo("primary", 0, 0, 1920, 1080, 1.0),
    ScreenInfo("left", -3840, 0, 1920, 1080, 2.0),
]
# A 2560x1440 primary at scale 2 and RIGHT of it a 1920x1080 monitor at scale 1 at physical
# x 2560: logical space has a gap from 1280 to 2560.
PRIMARY_2X_RIGHT_1X = [
    ScreenInfo("primary", 0, 0, 1280, 720, 2.0),
    ScreenInfo("right", 2560, 0, 1920, 1080, 1.0),
]
FRACTIONAL_125 = [ScreenInfo("f125", 0, 0, 1536, 864, 1.25)]  # 1920x1080 at 125 %
FRACTIONAL_150 = [ScreenInfo("f150", 0, 0, 1707, 960, 1.5)]  # 2560x1440 at 150 % (Qt rounds)

CASES = [
    # (screens, logical x, y, w, h, expected physical region)
    pytest.param(ONE, (100, 50, 640, 360), Region(100, 50, 640, 360), id="scale-1"),
    pytest.param(ONE, (0, 0, 1920, 1080), Region(0, 0, 1920, 1080), id="scale-1-full"),
    pytest.param(HIDPI, (0, 0, 960, 540), Region(0, 0, 1920, 1080), id="scale-2-full"),
    pytest.param(HIDPI, (100, 100, 200, 150), Region(200, 200, 400, 300), id="scale-2"),
    pytest.param(
        PRIMARY_2X_LEFT_1X, (100, 100, 400, 300), Region(200, 200, 800, 600), id="on-primary-2x"
    ),
    pytest.param(
        PRIMARY_2X_LEFT_1X, (-1000, 100, 400, 300), Region(-1000, 100, 400, 300), id="on-left-1x"
    ),
    pytest.param(
        PRIMARY_2X_LEFT_1X,
        (-100, 100, 400, 300),  # centre x 100: the primary holds it; clipped at x 0
        Region(0, 200, 600, 600),
        id="spans-centre-on-primary",
    ),
    pytest.param(
        PRIMARY_2X_LEFT_1X,
        (-300, 100, 400, 300),  # centre x -100: the left monitor holds it; clipped at x 0
        Region(-300, 100, 300, 300),
        id="spans-centre-on-left",
    ),
    pytest.param(
        PRIMARY_1X_LEFT_2X,
        (-3740, 50, 200, 100),  # 100 logical px into the left 2x monitor
        Region(-3640, 100, 400, 200),
        id="on-left-2x-around-its-origin",
    ),
    pytest.param(
        PRIMARY_1X_LEFT_2X, (300, 200, 640, 360), Region(300, 200, 640, 360), id="primary-1x"
    ),
    pytest.param(
        PRIMARY_2X_LEFT_1X,
        (1200, 600, 200, 200),  # runs off the primary's bottom-right corner
        Region(2400, 1200, 160, 240),
        id="partly-off-screen",
    ),
    pytest.param(
        PRIMARY_2X_LEFT_1X,
        (-2000, -50, 300, 200),  # off the left monitor's top-left
        Region(-1920, 0, 220, 150),
        id="partly-off-left-monitor",
    ),
    pytest.param(
        PRIMARY_2X_RIGHT_1X,
        (1200, 100, 200, 100),  # centre in the logical gap: the screen it overlaps most
        Region(2400, 200, 160, 200),
        id="centre-in-logical-gap",
    ),
    pytest.param(
        PRIMARY_2X_RIGHT_1X, (2660, 100, 300, 200), Region(2660, 100, 300, 200), id="on-right"
    ),
    pytest.param(FRACTIONAL_125, (100, 100, 100, 100), Region(125, 125, 125, 125), id="1.25"),
    pytest.param(
        FRACTIONAL_125,
        (101, 101, 99, 99),  # 126.25 .. 250: rounded outward to 126 .. 250
        Region(126, 126, 124, 124),
        id="1.25-outward",
    ),
    pytest.param(
        FRACTIONAL_150,
        (11, 11, 101, 101),  # 16.5 .. 168: rounded outward to 16 .. 168
        Region(16, 16, 152, 152),
        id="1.5-outward",
    ),
    pytest.param(
        FRACTIONAL_150,
        (0, 0, 1707, 960),  # 1707 * 1.5 = 2560.5: never past the real 2560 pixels
        Region(0, 0, 2560, 1440),
        id="1.5-full-screen-no-overshoot",
    ),
]


@pytest.mark.parametrize(("screens", "rect", "expected"), CASES)
def test_to_physical(screens: list[ScreenInfo], rect: LogicalRect, expected: Region) -> None:
    assert to_physical(rect, screens) == expected


@pytest.mark.parametrize(
    "screens", [ONE, HIDPI, PRIMARY_2X_LEFT_1X, PRIMARY_2X_RIGHT_1X], ids=lambda s: s[0].name
)
@pytest.mark.parametrize(
    "rect", [(5000, 5000, 100, 100), (-9000, 0, 100, 100), (0, -500, 300, 200)]
)
def test_a_frame_wholly_off_every_screen_is_refused_clearly(
    screens: list[ScreenInfo], rect: LogicalRect
) -> None:
    with pytest.raises(OffScreenError) as caught:
        to_physical(rect, screens)
    assert isinstance(caught.value, CaptureError)
    assert str(caught.value) == "捕获框不在任何屏幕上 (the capture frame is off every screen)"


def test_no_screens_at_all_is_off_screen() -> None:
    with pytest.raises(OffScreenError):
        to_physical((0, 0, 100, 100), [])


def test_an_empty_rectangle_is_refused() -> None:
    with pytest.raises(CaptureError, match="no size"):
        to_physical((0, 0, 0, 100), ONE)


@pytest.mark.parametrize(
    ("screens", "expected"),
    [
        (ONE, [Region(0, 0, 1920, 1080)]),
        (HIDPI, [Region(0, 0, 1920, 1080)]),
        (PRIMARY_2X_LEFT_1X, [Region(0, 0, 2560, 1440), Region(-1920, 0, 1920, 1080)]),
        (PRIMARY_1X_LEFT_2X, [Region(0, 0, 1920, 1080), Region(-3840, 0, 3840, 2160)]),
        (FRACTIONAL_125, [Region(0, 0, 1920, 1080)]),
        (FRACTIONAL_150, [Region(0, 0, 2560, 1440)]),
    ],
)
def test_physical_layout(screens: list[ScreenInfo], expected: list[Region]) -> None:
    layout = physical_layout(screens)
    assert [screen for screen, _ in layout] == screens
    assert [region for _, region in layout] == expected


def test_every_mapped_region_lies_inside_its_screen() -> None:
    screens = [*PRIMARY_2X_LEFT_1X, ScreenInfo("far", 2560, -200, 1229, 691, 1.25)]
    layout = physical_layout(screens)
    for x in range(-2100, 4300, 97):
        for y in range(-300, 1500, 89):
            try:
                region = to_physical((x, y, 333, 211), screens)
            except OffScreenError:
                continue
            assert any(
                p.left <= region.left
                and p.top <= region.top
                and region.left + region.width <= p.left + p.width
                and region.top + region.height <= p.top + p.height
                for _, p in layout
            ), (x, y, region)


@pytest.mark.parametrize("bad", [(0, 0), (-1, 5)])
def test_a_screen_has_a_size(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="positive size"):
        ScreenInfo("bad", 0, 0, bad[0], bad[1], 1.0)

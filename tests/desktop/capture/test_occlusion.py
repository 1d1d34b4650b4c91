"""The record of the console's own windows that keeps them out of published pictures."""

import threading

import numpy as np
import pytest

from flashbuy_desktop.capture.engine import CaptureEngine
from flashbuy_desktop.capture.occlusion import LINGER_S, CoveredError, Occluders, overlaps
from flashbuy_desktop.capture.types import CaptureConfig, Region

FRAME = Region(100, 100, 400, 300)
OVER = Region(300, 200, 200, 200)  # overlaps FRAME
BESIDE = Region(600, 100, 200, 200)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_overlaps() -> None:
    assert overlaps(FRAME, OVER)
    assert not overlaps(FRAME, BESIDE)
    assert not overlaps(FRAME, Region(500, 100, 10, 10))  # touching edges share no pixel


def test_a_window_covers_from_when_it_was_shown_until_a_little_after_it_left() -> None:
    clock = Clock()
    record = Occluders(clock)
    record.place(1, OVER)  # shown at 1000
    assert not record.covers(FRAME, 999.0, 999.9)  # a grab before it was shown is clean
    assert record.covers(FRAME, 999.9, 1000.1)
    assert record.covering_now(FRAME)
    clock.now = 1010.0
    record.place(1, None)  # hidden at 1010
    assert record.covering_now(FRAME)  # the window system may not have unmapped it yet
    assert record.clear_in() == pytest.approx(LINGER_S)
    clock.now += LINGER_S + 0.01
    assert not record.covering_now(FRAME)
    assert record.covers(FRAME, 1005, 1006)  # a grab taken while it was there stays covered


def test_a_move_counts_at_both_places_for_a_moment() -> None:
    clock = Clock()
    record = Occluders(clock)
    record.place(1, BESIDE)
    clock.now = 1005.0
    record.place(1, OVER)  # moved over the frame: perhaps there a little before Qt knew
    assert record.covers(FRAME, 1005 - LINGER_S / 2, 1005 - LINGER_S / 2)
    assert not record.covers(FRAME, 1004.0, 1004.5)
    clock.now = 1006.0
    record.place(1, BESIDE)  # and away again
    clock.now += LINGER_S + 0.01
    assert not record.covering_now(FRAME)


def test_a_window_beside_the_frame_never_covers_it() -> None:
    record = Occluders(Clock())
    record.place(1, BESIDE)
    record.place(2, None)
    assert not record.covers(FRAME, 0, 10**6)


def _engine(record: Occluders, grabs: list[float]) -> CaptureEngine:
    frame = np.full((300, 400, 4), 90, np.uint8)
    frame[100:200, 50:150] = 250  # something to look at

    def grabber(region: Region) -> np.ndarray:
        grabs.append(region.left)
        return frame

    return CaptureEngine(CaptureConfig(burst=3, interval_s=0), grabber, occluders=record)


def test_the_engine_drops_every_frame_a_window_may_be_over() -> None:
    record = Occluders()
    grabs: list[float] = []
    engine = _engine(record, grabs)
    record.place(7, OVER)
    with pytest.raises(CoveredError):
        engine.capture(FRAME, threading.Event())
    assert len(grabs) == 3  # all three grabbed, none used


def test_the_engine_uses_the_frames_no_window_was_over() -> None:
    record = Occluders()
    grabs: list[float] = []
    engine = _engine(record, grabs)
    record.place(7, BESIDE)
    result = engine.capture(FRAME, threading.Event())
    assert result.frames == 3

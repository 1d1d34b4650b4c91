"""Finding the order card on hard pictures: low light, a glare, a thumb over the card, and what
it must still refuse there.

Cards of the card set come from its TUNE part only (the held-out part is never used to tune the
locator, see tests/cards/README.md); the others are painted here.
"""

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from flashbuy_desktop.capture.locate import find_card
from flashbuy_desktop.capture.types import Box
from tests.cards.card_set import card, indices

Image = npt.NDArray[np.uint8]

CLOTH = (40, 38, 36)  # BGR
PAPER = (236, 240, 244)
INK = (25, 25, 25)
SKIN = (120, 150, 205)
CARD = (300, 200, 320, 210)  # x, y, width, height in a 1280x720 frame


def iou(a: Box, b: Box) -> float:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.x + a.width, b.x + b.width), min(a.y + a.height, b.y + b.height)
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (a.width * a.height + b.width * b.height - inter)


def cloth(seed: int = 0) -> Image:
    rng = np.random.default_rng(seed)
    weave = np.full((720, 1280, 3), CLOTH, np.float64) + rng.normal(0, 3, (720, 1280, 3))
    return np.clip(weave, 0, 255).astype(np.uint8)


def write_card(frame: Image, box: tuple[int, int, int, int] = CARD) -> None:
    x, y, w, h = box
    cv2.rectangle(frame, (x, y), (x + w - 1, y + h - 1), PAPER, cv2.FILLED)
    cv2.putText(frame, "37", (x + w // 5, y + h * 3 // 4), 3, h / 60, INK, h // 40, cv2.LINE_AA)


def shot(
    frame: Image, gain: float = 1.0, noise: float = 0.0, glare: tuple[int, int] | None = None
) -> Image:
    """What the camera makes of the scene: exposure, a lamp's reflection centred at ``glare``
    (up to 170 grey levels brighter), the sensor's noise in the dark."""
    rng = np.random.default_rng(7)
    out = frame.astype(np.float64) * gain
    if glare is not None:
        yy, xx = np.mgrid[0:720, 0:1280].astype(np.float64)
        spot = np.exp(-(((xx - glare[0]) / 70) ** 2 + ((yy - glare[1]) / 45) ** 2))
        out += 170 * spot[:, :, None]
    if noise:
        out += rng.normal(0, noise, frame.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def assert_whole_card(found: Box | None, truth: Box) -> None:
    """Found, and the box holds the whole card (a cut card would be read cut)."""
    assert found is not None, "the card was not found"
    assert iou(found, truth) >= 0.9, (found, truth)


CARD_BOX = Box(*CARD)


# --- painted --------------------------------------------------------------------------------


def test_a_card_in_low_light_is_found_though_nothing_is_bright() -> None:
    frame = cloth()
    write_card(frame)
    dim = shot(frame, gain=0.38, noise=8.0)  # the paper at about 90 of 255, noisy
    assert int(cv2.cvtColor(dim, cv2.COLOR_BGR2HSV)[:, :, 2].max()) < 150
    assert_whole_card(find_card(dim), CARD_BOX)


def test_a_card_under_a_glare_is_found_whole() -> None:
    frame = cloth()
    write_card(frame)
    # The paper at about 140 of 255, and the lamp's reflection on one corner at 255.
    assert_whole_card(find_card(shot(frame, gain=0.6, glare=(560, 260))), CARD_BOX)


def test_a_thumb_over_the_card_s_edge_does_not_hide_it_nor_cut_its_box() -> None:
    # The box is the whole card's, the bite of the thumb included (judged by the outline's hull).
    frame = cloth()
    write_card(frame)
    x, y, w, h = CARD
    cv2.ellipse(frame, (x + w // 2, y + h + 60), (90, 70), 0, 0, 360, SKIN, cv2.FILLED)
    cv2.line(frame, (x + w // 2, y + h + 40), (x + w // 2 + 15, y + h - 55), SKIN, 46)
    assert_whole_card(find_card(shot(frame)), CARD_BOX)


@pytest.mark.parametrize("gain", [1.0, 0.4])
def test_a_blank_card_a_pearl_and_a_strand_are_still_refused_in_any_light(gain: float) -> None:
    frame = cloth()
    cv2.rectangle(frame, (200, 180), (499, 379), PAPER, cv2.FILLED)  # nothing written
    cv2.circle(frame, (1000, 200), 90, (235, 238, 240), cv2.FILLED)  # a pearl
    for k in range(14):  # a pearl strand in a ring
        angle = k / 14 * 2 * np.pi
        centre = (int(700 + 150 * np.cos(angle)), int(480 + 110 * np.sin(angle)))
        cv2.circle(frame, centre, 22, (225, 228, 232), cv2.FILLED)
    assert find_card(shot(frame, gain, noise=6.0 if gain < 1 else 0.0)) is None


@pytest.mark.parametrize("gain", [1.0, 0.4])
def test_a_bright_wall_or_table_is_still_no_card_in_any_light(gain: float) -> None:
    frame = cloth()
    cv2.rectangle(frame, (0, 0), (1279, 300), (200, 205, 210), cv2.FILLED)  # a wall
    cv2.putText(frame, "37", (500, 200), 3, 4, INK, 8)
    cv2.rectangle(frame, (0, 520), (1279, 719), (190, 200, 205), cv2.FILLED)  # a table
    cv2.putText(frame, "37", (500, 660), 3, 3, INK, 6)
    assert find_card(shot(frame, gain)) is None


# --- the card set's TUNE part ---------------------------------------------------------------

# Degraded cards the locator used to miss: low light (2, 56), glare (44, 62, 80, 110), a thumb
# over the card (26, 134), low light with a piece over a corner (128), glare on a tilted card (32).
MISSED_BEFORE = (2, 26, 32, 44, 56, 62, 80, 110, 128, 134)


@pytest.mark.parametrize("index", MISSED_BEFORE)
def test_hard_cards_of_the_tune_part_are_found_whole(index: int) -> None:
    c = card(index)
    assert c.split == "tune"
    assert c.kind == "degraded"
    found = find_card(c.frame)
    assert found is not None, f"card {index} was not found"
    assert iou(found, c.card_box) >= 0.9, (found, c.card_box)


def test_most_degraded_cards_of_the_tune_part_are_found_whole() -> None:
    # On all 200 degraded TUNE cards, 93.5 % are found with IoU >= 0.8 (49 % before); the floor
    # sits a little below what this sample of 45 measured (40 of 45; 19 before).
    sample = indices(split="tune", kinds=("degraded",))[:45]
    whole = 0
    for index in sample:
        c = card(index)
        found = find_card(c.frame)
        whole += found is not None and iou(found, c.card_box) >= 0.8
    assert whole >= 0.8 * len(sample), f"{whole} of {len(sample)}"

"""Judging a reading against a card's truth: right, wrong (confident and wrong) or left empty.

Shared by the read benchmark (``benchmarks/read_card.py``) and the reader's accuracy test, so
both count the same way. A field is *filled* when its value's confidence reaches the
threshold; a filled value that is not the truth is *wrong* (a price filled on a card that has
none is wrong too); a card with no price whose price is left empty is *right*.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flashbuy_desktop.capture.card_reading import CardReading, ReadValue
from flashbuy_protocol.money import MoneyError, parse_yuan

WRONG_TARGET = 0.0025  # the confident-and-wrong rate a threshold is chosen for, on tune cards


@dataclass(frozen=True)
class Read:
    """One field of one card as read: the value (if any), its confidence, and whether it is
    the truth."""

    value: str | None
    confidence: float
    correct: bool  # the value read is the truth (False if nothing was read)
    truth_empty: bool  # the card has no such value


def price_fen_of(value: ReadValue | None) -> int | None:
    """A read price in fen, or None if there is none or it is not a price."""
    if value is None:
        return None
    try:
        return parse_yuan(value.text)
    except MoneyError:
        return None


def piece_read(reading: CardReading | None, truth: str | None) -> Read:
    """The piece number field of a reading (None: the card was not found)."""
    value = reading.piece if reading is not None else None
    if value is None:
        return Read(None, 0.0, False, truth is None)
    return Read(value.text, value.confidence, value.text == truth, truth is None)


def price_read(reading: CardReading | None, truth_fen: int | None) -> Read:
    """The price field of a reading (None: the card was not found)."""
    value = reading.price if reading is not None else None
    if value is None:
        return Read(None, 0.0, False, truth_fen is None)
    fen = price_fen_of(value)
    return Read(
        value.text, value.confidence, fen is not None and fen == truth_fen, truth_fen is None
    )


def outcome(read: Read, threshold: float) -> str:
    """ "right", "wrong" or "empty" (a value on the card left unfilled) at ``threshold``."""
    filled = read.value is not None and read.confidence >= threshold
    if filled:
        return "right" if read.correct else "wrong"
    return "right" if read.truth_empty else "empty"


def rates(reads: Sequence[Read], threshold: float) -> dict[str, float]:
    """The share of right, wrong and empty outcomes at ``threshold``."""
    counts = {"right": 0, "wrong": 0, "empty": 0}
    for read in reads:
        counts[outcome(read, threshold)] += 1
    total = max(1, len(reads))
    return {key: count / total for key, count in counts.items()}


def threshold_for(reads: Sequence[Read], target: float = WRONG_TARGET) -> float:
    """The lowest threshold at which at most ``target`` of ``reads`` are confident and wrong.

    Candidates are 0 and every confidence read; above all of them nothing is filled, so a
    threshold always exists (at worst just above the highest confidence, capped at 1.0 + a
    hair, meaning "never fill").
    """
    candidates = sorted({0.0, *(r.confidence for r in reads if r.value is not None)})
    for threshold in candidates:
        if rates(reads, threshold)["wrong"] <= target:
            return threshold
    return min(1.000001, candidates[-1] + 1e-6)

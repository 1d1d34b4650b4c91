"""What a rehearsal buyer does after the click, as pure rules: its habit, its plan, its agenda.

A viewer holding an order (placed by its click, or handed to it from the queue) has a
:class:`Habit`, drawn with the audience's shares (:func:`choose_habit`). The habit becomes a
few :class:`Step` s at moments of the audience's clock (:func:`plan`): pay within seconds,
open the payment in time but pay after the window ran out, never pay, or cancel. The steps
wait in an :class:`Agenda`, bounded, which the audience reads every tick
(flashbuy_server.rehearsal.buyers). No I/O here: the tests draw thousands of plans.

Delays are clipped to the order's window, so that a 1-minute window still sees fast payers
pay and cancellers cancel inside it, whatever the seconds configured.
"""

import heapq
import itertools
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

# A fast payer pays within this share of its window at the latest, a canceller cancels within
# this share: both must happen while the order is held.
PAY_WITHIN_WINDOW = 0.5
CANCEL_WITHIN_WINDOW = 0.8
# Of late payers, this share opened the payment in time (their payment comes back "late");
# the others ask for it after the window (and are told ORDER_NOT_HELD).
LATE_OPENED_IN_TIME = 0.5
# Of never-payers, this share opens the payment page and leaves it.
NEVER_OPENS_PAGE = 0.5


class Habit(StrEnum):
    """How a buyer treats an order it holds."""

    PAY = "pay"  # pays within seconds
    LATE = "late"  # pays after the window ran out
    NEVER = "never"  # never pays (跑单)
    CANCEL = "cancel"  # cancels it


class Act(StrEnum):
    """One thing a buyer does about its order."""

    CHECKOUT = "checkout"  # opens the payment (the provider's page), does not pay yet
    PAY = "pay"  # pays on the provider's page (opening the payment first if needed)
    CANCEL = "cancel"  # cancels the order


@dataclass(frozen=True)
class Shares:
    """How buyers treat their orders: shares of late, never and cancel; the rest pay fast."""

    late: float
    never: float
    cancel: float

    @property
    def pay(self) -> float:
        """The share that pays within seconds (what the others leave)."""
        return max(0.0, 1.0 - self.late - self.never - self.cancel)


@dataclass(frozen=True)
class Timing:
    """Seconds from the order (pay, cancel) or from the end of its window (late)."""

    pay: tuple[float, float]
    cancel: tuple[float, float]
    late: tuple[float, float]


@dataclass(frozen=True, order=True)
class Step:
    """At ``due``, the buyer ``viewer_id`` does ``act`` about ``order_id``; ``tries`` counts
    earlier attempts that failed on the way (the platform was busy or away)."""

    due: datetime
    seq: int
    order_id: int = field(compare=False)
    viewer_id: int = field(compare=False)
    act: Act = field(compare=False)
    tries: int = field(default=0, compare=False)


def choose_habit(rng: random.Random, shares: Shares) -> Habit:
    """One buyer's habit, drawn with ``shares``."""
    draw = rng.random()
    for habit, share in (
        (Habit.LATE, shares.late),
        (Habit.NEVER, shares.never),
        (Habit.CANCEL, shares.cancel),
    ):
        if draw < share:
            return habit
        draw -= share
    return Habit.PAY


def plan(
    habit: Habit,
    now: datetime,
    pay_until: datetime,
    rng: random.Random,
    timing: Timing,
) -> list[tuple[Act, datetime]]:
    """What a buyer with ``habit`` does about an order held until ``pay_until``, and when."""
    window = max(0.0, (pay_until - now).total_seconds())

    def within(span: tuple[float, float], share: float) -> datetime:
        return now + timedelta(seconds=min(rng.uniform(*span), window * share))

    if habit is Habit.PAY:
        return [(Act.PAY, within(timing.pay, PAY_WITHIN_WINDOW))]
    if habit is Habit.CANCEL:
        return [(Act.CANCEL, within(timing.cancel, CANCEL_WITHIN_WINDOW))]
    if habit is Habit.LATE:
        steps = []
        if rng.random() < LATE_OPENED_IN_TIME:
            steps.append((Act.CHECKOUT, within(timing.pay, PAY_WITHIN_WINDOW)))
        steps.append((Act.PAY, pay_until + timedelta(seconds=rng.uniform(*timing.late))))
        return steps
    if rng.random() < NEVER_OPENS_PAGE:
        return [(Act.CHECKOUT, within(timing.pay, PAY_WITHIN_WINDOW))]
    return []


class Agenda:
    """The buyers' steps to come, soonest first, at most ``most`` of them."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._heap: list[Step] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, due: datetime, order_id: int, viewer_id: int, act: Act, tries: int = 0) -> bool:
        """Keep a step; False when the agenda is full (the step is dropped)."""
        if len(self._heap) >= self.most:
            return False
        heapq.heappush(self._heap, Step(due, next(self._seq), order_id, viewer_id, act, tries))
        return True

    def again(self, step: Step, due: datetime) -> bool:
        """Keep ``step`` for another try at ``due``; False when the agenda is full."""
        if len(self._heap) >= self.most:
            return False
        later = replace(step, due=due, seq=next(self._seq), tries=step.tries + 1)
        heapq.heappush(self._heap, later)
        return True

    def take_due(self, now: datetime, most: int) -> list[Step]:
        """Up to ``most`` steps due at ``now``, soonest first; they leave the agenda."""
        taken: list[Step] = []
        while self._heap and len(taken) < most and self._heap[0].due <= now:
            taken.append(heapq.heappop(self._heap))
        return taken

    def next_due(self) -> datetime | None:
        """When the soonest step is due; None when there is none."""
        return self._heap[0].due if self._heap else None

    def forget(self, order_id: int) -> int:
        """Drop every step about ``order_id`` (it was paid or cancelled); how many."""
        kept = [step for step in self._heap if step.order_id != order_id]
        dropped = len(self._heap) - len(kept)
        if dropped:
            heapq.heapify(kept)
            self._heap = kept
        return dropped

    def clear(self) -> int:
        """Drop every step (the audience stops); how many there were."""
        dropped = len(self._heap)
        self._heap = []
        return dropped

    def steps(self) -> list[Step]:
        """The steps to come, soonest first (a copy)."""
        return sorted(self._heap)

"""The rehearsal buyers' rules, without a platform: shares, plans inside the window, bounds."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from flashbuy_server.rehearsal import AudienceConfig
from flashbuy_server.rehearsal.sale import (
    Act,
    Agenda,
    Habit,
    Shares,
    Timing,
    choose_habit,
    plan,
)

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
DEFAULTS = AudienceConfig(server="http://127.0.0.1:9", room_id=1)
DEFAULT_TIMING = Timing(DEFAULTS.pay_seconds, DEFAULTS.cancel_seconds, DEFAULTS.late_seconds)


@pytest.mark.parametrize(
    "shares",
    [
        Shares(DEFAULTS.late_share, DEFAULTS.never_share, DEFAULTS.cancel_share),
        Shares(late=0.25, never=0.25, cancel=0.25),
        Shares(late=0.0, never=1.0, cancel=0.0),
        Shares(late=0.0, never=0.0, cancel=0.0),
    ],
)
def test_habits_follow_the_shares(shares: Shares) -> None:
    rng = random.Random(20261207)
    draws = 20_000
    counts = dict.fromkeys(Habit, 0)
    for _ in range(draws):
        counts[choose_habit(rng, shares)] += 1
    wanted = {
        Habit.PAY: shares.pay,
        Habit.LATE: shares.late,
        Habit.NEVER: shares.never,
        Habit.CANCEL: shares.cancel,
    }
    for habit, share in wanted.items():
        # Four standard deviations of a binomial share at 20,000 draws is under 0.015.
        assert abs(counts[habit] / draws - share) < 0.015, (habit, counts)
        if share in (0.0, 1.0):
            assert counts[habit] == share * draws


def test_most_buyers_pay_by_default() -> None:
    assert DEFAULTS.pay_share > 0.5
    assert DEFAULTS.pay_share == pytest.approx(
        1 - DEFAULTS.late_share - DEFAULTS.never_share - DEFAULTS.cancel_share
    )


def _plans(habit: Habit, window_seconds: float, n: int = 2_000) -> list[list[tuple[Act, datetime]]]:
    rng = random.Random(5)
    until = NOW + timedelta(seconds=window_seconds)
    return [plan(habit, NOW, until, rng, DEFAULT_TIMING) for _ in range(n)]


def test_in_a_one_minute_window_every_plan_ends_within_about_a_minute() -> None:
    until = NOW + timedelta(minutes=1)
    for steps in _plans(Habit.PAY, 60):
        assert [act for act, _ in steps] == [Act.PAY]
        assert NOW + timedelta(seconds=2) <= steps[0][1] <= NOW + timedelta(seconds=8)
    for steps in _plans(Habit.CANCEL, 60):
        assert [act for act, _ in steps] == [Act.CANCEL]
        assert NOW < steps[0][1] < until
    late = _plans(Habit.LATE, 60)
    for steps in late:
        assert steps[-1][0] is Act.PAY
        assert until < steps[-1][1] <= until + timedelta(seconds=10)
        assert all(act is Act.CHECKOUT and due < until for act, due in steps[:-1])
    opened = sum(len(steps) == 2 for steps in late) / len(late)
    assert 0.4 < opened < 0.6  # half open the payment in time, half ask after the window
    never = _plans(Habit.NEVER, 60)
    assert all(act is Act.CHECKOUT and due < until for steps in never for act, due in steps)
    assert 0.4 < sum(bool(steps) for steps in never) / len(never) < 0.6


def test_a_short_window_pulls_the_steps_inside_it() -> None:
    timing = Timing(pay=(100.0, 200.0), cancel=(100.0, 200.0), late=(0.0, 1.0))
    rng = random.Random(1)
    until = NOW + timedelta(seconds=60)
    assert plan(Habit.PAY, NOW, until, rng, timing) == [(Act.PAY, NOW + timedelta(seconds=30))]
    assert plan(Habit.CANCEL, NOW, until, rng, timing) == [
        (Act.CANCEL, NOW + timedelta(seconds=48))
    ]
    # A window already run out: a fast payer tries at once (and is told it is too late).
    assert plan(Habit.PAY, until, NOW, rng, timing) == [(Act.PAY, until)]


def test_the_agenda_is_bounded_and_gives_steps_in_time_order() -> None:
    agenda = Agenda(most=3)
    assert agenda.add(NOW + timedelta(seconds=5), 1, 10, Act.PAY)
    assert agenda.add(NOW + timedelta(seconds=1), 2, 11, Act.CANCEL)
    assert agenda.add(NOW + timedelta(seconds=3), 1, 10, Act.CHECKOUT)
    assert not agenda.add(NOW, 4, 12, Act.PAY)  # full: dropped
    assert agenda.take_due(NOW, 10) == []
    due = agenda.take_due(NOW + timedelta(seconds=3), 10)
    assert [(s.order_id, s.act) for s in due] == [(2, Act.CANCEL), (1, Act.CHECKOUT)]
    assert agenda.again(due[0], NOW + timedelta(seconds=9))
    assert [s.tries for s in agenda.steps()] == [0, 1]
    assert agenda.forget(1) == 1
    assert agenda.next_due() == NOW + timedelta(seconds=9)
    assert agenda.clear() == 1
    assert len(agenda) == 0
    assert agenda.next_due() is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"never_share": 1.5}, "never share must be between 0 and 1"),
        ({"queue_share": -0.1}, "queue share must be between 0 and 1"),
        ({"late_share": 0.5, "never_share": 0.4, "cancel_share": 0.2}, "add up to at most 1"),
        ({"pay_seconds": (5.0, 1.0)}, "pay seconds range"),
        ({"late_seconds": (0.0, 601.0)}, "late seconds range"),
        ({"cancel_seconds": (-1.0, 1.0)}, "cancel seconds range"),
    ],
)
def test_the_audience_refuses_shares_and_times_out_of_bounds(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        AudienceConfig(server="http://127.0.0.1:9", room_id=1, **change)  # type: ignore[arg-type]

"""Sign-in guessing: failures counted in the database, and the wait they impose.

Three counters, each a row of ``sign_in_failures`` that every platform process shares
(so N processes behind a load balancer do not give a guesser N times the tries):

- per account and address (``pair``): someone guessing one account from one place;
- per address across accounts (``address``): a sprayer trying one password on many;
- per account across addresses (``account``): a guesser with many addresses. Its cap is
  short, because this one also holds up the real creator.

Each counter lets a few failures go free, then makes the next attempt wait 1, 2, 4, ...
seconds, up to its cap (:func:`wait_after`); the wait runs from the last failure. While
any of the three waits, sign-in answers ``TOO_MANY_ATTEMPTS`` (429) with
``details.retry_after_seconds`` before the password is looked at, for known and unknown
accounts alike, so the answer says nothing about the account or the password.

Every attempt is counted as a failure *before* its password is checked (:func:`charge`,
one short write transaction that locks the three rows), so many guesses sent at once
queue on those rows and only those the counters allow go through; a success then takes
its charge back (:func:`settle`) and clears the pair.

A success also marks its pair as known for ``sign_in_known_seconds``: from an address it
signed in from lately, the creator meets only the pair's own counter. A guesser with many
addresses can then keep the account's counter waiting for as long as the attack lasts
without locking the creator out of the places the creator works from.
"""

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.config import Settings
from flashbuy_server.db import Database, lock_rows
from flashbuy_server.errors import ApiError
from flashbuy_server.tables import sign_in_failures

BASE_WAIT_SECONDS = 1.0  # the first wait; each further failure doubles it
PURGE_BATCH = 200  # stale rows forgotten per pass
# Every this many attempts a process forgets a batch of stale rows: an attempt adds at most
# three, so the table holds what the forget time covers, whoever sends the guesses.
PURGE_EVERY = 64
_attempts = itertools.count(1)


@dataclass(frozen=True)
class Policy:
    """How one counter answers failures: ``free`` go without a wait, then doubling waits."""

    free: int
    max_wait: float


def wait_after(failures: int, policy: Policy) -> float:
    """Seconds to wait after the ``failures``-th failure in a row (0 while they are free)."""
    if failures < policy.free or failures <= 0:
        return 0.0
    doublings = failures - policy.free
    if doublings >= 64:  # 2**64 seconds is past any cap; skip the huge float
        return policy.max_wait
    return min(BASE_WAIT_SECONDS * 2.0**doublings, policy.max_wait)


@dataclass(frozen=True)
class Count:
    """One row's count and wait: before an attempt was charged to it, or after."""

    failures: int
    blocked_until: datetime | None


@dataclass(frozen=True)
class Counted:
    """One row an attempt was counted in, with its count before and after."""

    key: str
    before: Count
    after: Count


@dataclass(frozen=True)
class Charge:
    """An attempt counted as a failure: the pair's row, and the address's and account's
    unless the pair is known; so that a success can take exactly this attempt back."""

    pair: Counted
    others: tuple[Counted, ...]


def keys_for(username: str, address: str) -> tuple[str, str, str]:
    """The rows an attempt counts in, in the one order every transaction locks them."""
    return (
        "pair:" + _digest(f"{username}\n{address}"),
        "address:" + _digest(address),
        "account:" + _digest(username),
    )


def policies(settings: Settings) -> tuple[Policy, Policy, Policy]:
    """The three counters' policies, in the order of :func:`keys_for`."""
    return (
        Policy(settings.sign_in_free_failures_per_pair, settings.sign_in_max_wait_per_pair),
        Policy(settings.sign_in_free_failures_per_address, settings.sign_in_max_wait_per_address),
        Policy(settings.sign_in_free_failures_per_account, settings.sign_in_max_wait_per_account),
    )


def charge(db: Database, settings: Settings, username: str, address: str) -> Charge:
    """Count an attempt as a failure, or refuse it with 429 while a counter makes it wait.

    A refusal writes nothing: most are decided on a read, so that a flood of refused
    guesses never queues for the write lock that purchases need; the rest in the write
    transaction, which rolls back (rows it created included).
    """
    keys = keys_for(username, address)
    rules = policies(settings)
    forget = timedelta(seconds=settings.sign_in_forget_seconds)
    with db.read() as conn:
        now = settings.clock()
        rows = _read(conn, keys[:1])
        if not _known(rows, now):
            rows += _read(conn, keys[1:])
        _refuse_while_waiting(_counts(rows, now - forget), now)
    with db.write() as conn:
        now = settings.clock()
        rows = _lock(conn, keys[:1], now)
        if not _known(rows, now):
            rows += _lock(conn, keys[1:], now)
        counts = _counts(rows, now - forget)
        _refuse_while_waiting(counts, now)  # again: another attempt may have come first
        counted = []
        for key, was, rule in zip(keys, counts, rules, strict=False):
            wait = wait_after(was.failures + 1, rule)
            now_count = Count(was.failures + 1, now + timedelta(seconds=wait) if wait else None)
            conn.execute(
                sign_in_failures.update()
                .where(sign_in_failures.c.key == key)
                .values(
                    failures=now_count.failures,
                    blocked_until=now_count.blocked_until,
                    last_failure_at=now,
                )
            )
            counted.append(Counted(key, was, now_count))
    if next(_attempts) % PURGE_EVERY == 0:
        purge(db, settings)
    return Charge(counted[0], tuple(counted[1:]))


def settle(conn: Connection, settings: Settings, attempt: Charge) -> None:
    """The attempt's password was right: clear its pair and mark it known, and take the
    attempt back from the address's and account's rows.

    Where no other attempt was counted since, those rows are as they were before it;
    otherwise they go down by one and keep the wait the others set. In ``conn``, the
    transaction that signs the creator in.
    """
    now = settings.clock()
    conn.execute(
        sign_in_failures.update()
        .where(sign_in_failures.c.key == attempt.pair.key)
        .values(
            failures=0,
            blocked_until=None,
            known_until=now + timedelta(seconds=settings.sign_in_known_seconds),
        )
    )
    for counted in attempt.others:
        query = sa.select(sign_in_failures).where(sign_in_failures.c.key == counted.key)
        row = conn.execute(lock_rows(conn, query)).first()
        if row is None:  # forgotten meanwhile
            continue
        if Count(row.failures, row.blocked_until) == counted.after:
            restored = counted.before
        else:
            restored = Count(max(row.failures - 1, 0), row.blocked_until)
        conn.execute(
            sign_in_failures.update()
            .where(sign_in_failures.c.key == counted.key)
            .values(failures=restored.failures, blocked_until=restored.blocked_until)
        )


def too_many_attempts(wait_seconds: float) -> ApiError:
    """The refusal while a counter makes sign-in wait ``wait_seconds``."""
    seconds = max(1, math.ceil(wait_seconds))
    return ApiError(
        ErrorCode.TOO_MANY_ATTEMPTS,
        f"too many sign-in attempts; try again in {seconds} s",
        retry_after_seconds=seconds,
    )


def purge(db: Database, settings: Settings, *, batch: int = PURGE_BATCH) -> int:
    """Forget up to ``batch`` rows quiet for longer than the forget time (and no longer
    known, for a pair); how many went."""
    now = settings.clock()
    cutoff = now - timedelta(seconds=settings.sign_in_forget_seconds)
    with db.write() as conn:
        stale = (
            sa.select(sign_in_failures.c.key)
            .where(
                sign_in_failures.c.last_failure_at < cutoff,
                sa.or_(
                    sign_in_failures.c.known_until.is_(None),
                    sign_in_failures.c.known_until < now,
                ),
            )
            .order_by(sign_in_failures.c.last_failure_at)
            .limit(batch)
        )
        if conn.dialect.name == "postgresql":
            # A row an attempt holds right now is not stale for long: leave it to it.
            stale = stale.with_for_update(skip_locked=True)
        return conn.execute(
            sign_in_failures.delete().where(sign_in_failures.c.key.in_(stale.scalar_subquery()))
        ).rowcount


Rows = list[sa.Row[tuple[object, ...]]]


def _read(conn: Connection, keys: Sequence[str]) -> Rows:
    """The rows of ``keys`` that exist, without locking them."""
    return list(conn.execute(sa.select(sign_in_failures).where(sign_in_failures.c.key.in_(keys))))


def _known(rows: Rows, now: datetime) -> bool:
    """Whether the pair (the first row, if there is one) signed in lately."""
    return bool(rows) and rows[0].known_until is not None and rows[0].known_until > now


def _counts(rows: Rows, forget_before: datetime) -> list[Count]:
    """The rows' counts, with those quiet since ``forget_before`` forgotten."""
    return [
        Count(row.failures, row.blocked_until)
        if row.last_failure_at >= forget_before
        else Count(0, None)
        for row in rows
    ]


def _refuse_while_waiting(counts: Sequence[Count], now: datetime) -> None:
    waits = [(c.blocked_until - now).total_seconds() for c in counts if c.blocked_until]
    if waits and max(waits) > 0:
        raise too_many_attempts(max(waits))


def _lock(conn: Connection, keys: Sequence[str], now: datetime) -> Rows:
    """The rows of ``keys``, created if missing, locked until the transaction ends.

    Creating first matters: two first attempts at once would otherwise both find no row to
    lock and both go through. On PostgreSQL the second insert waits for the first.
    """
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    for key in keys:
        conn.execute(
            insert(sign_in_failures)
            .values(key=key, failures=0, blocked_until=None, last_failure_at=now, known_until=None)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    rows = []
    for key in keys:
        query = sa.select(sign_in_failures).where(sign_in_failures.c.key == key)
        rows.append(conn.execute(lock_rows(conn, query)).one())
    return rows


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()

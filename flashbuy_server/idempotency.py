"""Safe retries: a creating POST with an ``Idempotency-Key`` runs at most once.

The key is claimed in the same transaction as the change it guards, before the
change, so two concurrent requests with one key cannot both run: on PostgreSQL
the second waits on the first's uncommitted key row, then fails and replays;
on SQLite ``BEGIN IMMEDIATE`` already makes them take turns. A refused request
rolls back with its key, so a retry after an error is evaluated afresh.

Keys are kept for :data:`KEEP` (a day: clients retry within seconds or minutes), then
purged in small batches (:func:`purge`, hourly as the timed job :data:`PURGE_JOB`), so the
table does not grow without bound and a purge never holds the write lock long enough to
delay a purchase.
"""

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from fastapi.responses import JSONResponse
from pydantic import BaseModel, JsonValue
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.db import Database
from flashbuy_server.errors import ApiError
from flashbuy_server.jobs import PeriodicJob
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import idempotency_keys

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEEP = timedelta(days=1)
PURGE_BATCH = 500
PURGE_EVERY = timedelta(hours=1)
PURGE_BATCHES_PER_RUN = 20  # then the job is due again at once, so a backlog never waits long
KEY_MAX = 200
KEY_PATTERN = rf"^[\x21-\x7e]{{1,{KEY_MAX}}}$"  # printable ASCII, no spaces
# The header as the OpenAPI document states it (deps.idempotency_key declares it).
KEY_SCHEMA: dict[str, JsonValue] = {"pattern": KEY_PATTERN, "minLength": 1, "maxLength": KEY_MAX}
_KEY = re.compile(KEY_PATTERN)  # with fullmatch: Python's $ would let a final newline by


def check_key(key: str | None) -> str | None:
    """Validate the header's value (None when absent)."""
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ApiError(
            ErrorCode.IDEMPOTENCY_KEY_INVALID,
            f"{HEADER} must be 1 to {KEY_MAX} printable ASCII characters without spaces",
        )
    return key


def fingerprint(method: str, path: str, body: BaseModel | None) -> str:
    """A digest of what a request asks for, to tell a replay from a different request."""
    payload = body.model_dump(mode="json") if body is not None else None
    canonical = json.dumps([method, path, payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """A route's answer with a status of its own choosing (a purchase that queued: 202)."""

    body: BaseModel
    status_code: int


def _answer(result: "BaseModel | Answer", status_code: int) -> tuple[dict[str, object], int]:
    if isinstance(result, Answer):
        return result.body.model_dump(mode="json"), result.status_code
    return result.model_dump(mode="json"), status_code


Action = Callable[[Connection], "BaseModel | Answer"]


@dataclass(frozen=True)
class Once:
    """A creating request, ready to run its change at most once per caller and key.

    A route takes it as a dependency (``deps.OnceDep``), which fills it from the request: the
    route's own path (written once, in its decorator) and status code, and the header's key.
    The route then calls it with who asks, the body, and the change to make.
    """

    db: Database
    key: str | None
    method: str
    path: str  # as the API names it, without the prefix, with the ids it was called with
    status_code: int

    def __call__(self, principal: str, body: BaseModel | None, action: Action) -> JSONResponse:
        """Run ``action`` in a write transaction once; replay the first answer after that.

        ``body`` is what tells a replay from a different request under the same key (with
        the method and path); a route whose request is not a model passes a small one
        standing for it (a report: its digest). ``action`` may answer with a status of its
        own (:class:`Answer`); a replay answers with the same.
        """
        if self.key is None:
            with self.db.write() as conn:
                return JSONResponse(*_answer(action(conn), self.status_code))
        print_ = fingerprint(self.method, self.path, body)
        for _attempt in range(2):
            try:
                with self.db.write() as conn:
                    return self._claimed_or_replayed(conn, principal, print_, action)
            except IntegrityError:
                # Another request with this key committed first: replay its answer.
                continue
        raise RuntimeError("idempotency key neither claimed nor found")  # pragma: no cover

    def _claimed_or_replayed(
        self,
        conn: Connection,
        principal: str,
        print_: str,
        action: Action,
    ) -> JSONResponse:
        """In one transaction: the stored answer for the key, or claim it and run ``action``."""
        this_key = (idempotency_keys.c.principal == principal) & (
            idempotency_keys.c.key == self.key
        )
        stored = conn.execute(sa.select(idempotency_keys).where(this_key)).first()
        if stored is not None:
            if stored.fingerprint != print_:
                raise ApiError(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    f"this {HEADER} was already used for a different request",
                )
            return JSONResponse(dict(stored.response), stored.status_code)
        conn.execute(
            idempotency_keys.insert().values(
                principal=principal,
                key=self.key,
                fingerprint=print_,
                status_code=self.status_code,
                response={},
                created_at=utcnow(),
            )
        )
        body, status = _answer(action(conn), self.status_code)
        conn.execute(
            idempotency_keys.update().where(this_key).values(response=body, status_code=status)
        )
        return JSONResponse(body, status)


def purge(db: Database, *, now: datetime | None = None, max_batches: int | None = None) -> int:
    """Forget keys older than :data:`KEEP`; how many went.

    One short write transaction per :data:`PURGE_BATCH` keys. ``max_batches`` bounds the
    work (the platform's start does a little; the hourly pass does the rest).
    """
    cutoff = (now or utcnow()) - KEEP
    table = idempotency_keys
    oldest = (
        sa.select(table.c.principal, table.c.key)
        .where(table.c.created_at < cutoff)
        .limit(PURGE_BATCH)
    )
    removed = batches = 0
    while max_batches is None or batches < max_batches:
        with db.write() as conn:
            gone = conn.execute(
                table.delete().where(sa.tuple_(table.c.principal, table.c.key).in_(oldest))
            ).rowcount
        removed += gone
        batches += 1
        if gone < PURGE_BATCH:
            break
    return removed


def purge_pass(db: Database) -> bool:
    """One run of :data:`PURGE_JOB`: at most :data:`PURGE_BATCHES_PER_RUN` batches; whether
    keys may be left (then it runs again at once, not an hour later)."""
    removed = purge(db, max_batches=PURGE_BATCHES_PER_RUN)
    if removed:
        log.info("purged %d idempotency keys older than a day", removed)
    return removed >= PURGE_BATCH * PURGE_BATCHES_PER_RUN


# Hourly, by one platform process; the first run comes as the platform starts (before it
# serves), so a platform that was down a while forgets what expired meanwhile. The keys'
# age is counted on the wall clock that stamped them (``utcnow``), not the jobs' clock.
PURGE_JOB = PeriodicJob("idempotency.purge", every=PURGE_EVERY, run=purge_pass)

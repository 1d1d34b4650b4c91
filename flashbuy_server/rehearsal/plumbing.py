"""Small helpers of the audience's asyncio and HTTP work: reading a refusal, logging a task's
failure, and keeping httpcore from searching the disk for a module that is not there."""

import asyncio
import importlib
import logging
import sys
from collections.abc import Coroutine
from typing import Any

import httpx

log = logging.getLogger("flashbuy_server.rehearsal")


def without_sniffio() -> None:
    """Make a missing ``sniffio`` fail to import at once.

    httpcore tries ``import sniffio`` several times per request; where it is not installed
    (anyio no longer needs it) every try searches the whole import path on disk again,
    which cost the audience a fifth of its time. A ``None`` in ``sys.modules`` is Python's
    own way to say "not importable": the import fails as before, without the search.
    """
    if "sniffio" in sys.modules:
        return
    try:
        importlib.import_module("sniffio")
    except ImportError:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def logged_task(work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    """A task whose unexpected failure is logged, not lost."""
    task = asyncio.get_running_loop().create_task(work, name=name)

    def done(finished: asyncio.Task[None]) -> None:
        if not finished.cancelled() and finished.exception() is not None:
            log.error("rehearsal audience: %s failed", name, exc_info=finished.exception())

    task.add_done_callback(done)
    return task


async def newest_event_id(resp: httpx.Response) -> int | None:
    """The room's newest event id from a stream refused as resuming beyond it, else None."""
    if resp.status_code != 409:
        return None
    await resp.aread()
    if error_code(resp) != "EVENT_ID_UNKNOWN":
        return None
    details = resp.json()["error"].get("details")
    newest = details.get("last_event_id") if isinstance(details, dict) else None
    return newest if isinstance(newest, int) and newest >= 0 else None


def retry_after(resp: httpx.Response) -> float | None:
    """How long a 429 asks to wait (its Retry-After, else its details); None for others."""
    if resp.status_code != 429:
        return None
    header = resp.headers.get("Retry-After", "")
    if header.isdigit():
        return float(header)
    try:
        return float(resp.json()["error"]["details"]["retry_after_seconds"])
    except (ValueError, KeyError, TypeError):
        return 1.0


def error_code(resp: httpx.Response) -> str:
    """The refusal's error code, or ``HTTP_<status>`` for a body that has none."""
    try:
        return str(resp.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP_{resp.status_code}"

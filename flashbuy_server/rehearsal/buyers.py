"""The rehearsal audience's buyers after the click: they pay, pay late, never pay, or cancel.

An order held for a viewer (its purchase answered 201, or the queue handed it a piece and
its stream said ``order.placed``) gets a habit and a plan (flashbuy_server.rehearsal.sale);
the plan's steps wait in a bounded agenda, looked at every tick by the audience's clock (the
platform's, in a test that moves it). A step is what the buyer's app does over HTTP:

- pay: ``POST /orders/{id}/checkout`` as the viewer (a :class:`~flashbuy_protocol.models.
  Checkout`), then ``POST`` to its ``pay_url``, the provider's page, without the viewer's
  token (it is another company's page); the provider tells the platform by its callback;
- open the payment only (a late payer, or one that never pays, leaving the page);
- cancel: ``POST /orders/{id}/cancel``.

A step the platform refuses is not tried again (counted in ``sale_refused``); one that met
a busy or absent platform (a network error, 429, 5xx) is tried :data:`SALE_TRIES` times in
all, with growing pauses, and counted as an error only when given up. A viewer whose stream
found the platform restored from an older copy forgets its orders (their ids may be given
out again). Stopping the audience drops every step still to come.
"""

import asyncio
import logging
import random
import uuid
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

import httpx

from flashbuy_protocol.enums import OrderSource, OrderStatus
from flashbuy_server.rehearsal.audience_settings import (
    CALLS_AT_ONCE,
    ORDERS_KEPT,
    SALE_RETRY_SECONDS,
    SALE_STEPS_MOST,
    SALE_TICK_SECONDS,
    SALE_TRIES,
    AudienceConfig,
    AudienceStats,
)
from flashbuy_server.rehearsal.plumbing import error_code
from flashbuy_server.rehearsal.sale import Act, Agenda, Shares, Step, Timing, choose_habit, plan
from flashbuy_server.rehearsal.viewer import Viewer

log = logging.getLogger("flashbuy_server.rehearsal")

# Why a buyer cancels (OrderCancel.reason: the buyer needs none, but people say why).
CANCEL_REASONS = ("不想要了", "拍错了", "地址填错了", "再考虑一下", "")


def _busy(resp: httpx.Response) -> bool:
    """Whether the platform could not take the request now (worth another try later)."""
    return resp.status_code == 429 or resp.status_code >= 500


class Buyers:
    """The audience's held orders and what their buyers do about them, on the audience's
    event loop (every method but :meth:`pending` runs there)."""

    def __init__(
        self,
        config: AudienceConfig,
        stats: AudienceStats,
        rng: random.Random,
        clock: Callable[[], datetime],
        *,
        viewer_of: Callable[[int], Viewer | None],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
        busy: Callable[[], int],
        tell: Callable[[], None],
    ) -> None:
        self.config = config
        self.stats = stats
        self.client: httpx.AsyncClient | None = None  # set by the audience when it runs
        self._rng = rng
        self._clock = clock
        self._viewer_of = viewer_of
        self._spawn = spawn
        self._busy = busy
        self._tell = tell
        self._shares = Shares(config.late_share, config.never_share, config.cancel_share)
        self._timing = Timing(config.pay_seconds, config.cancel_seconds, config.late_seconds)
        self._agenda = Agenda(SALE_STEPS_MOST)
        self._taken: OrderedDict[int, int] = OrderedDict()  # orders planned for: their buyer
        self._pay_urls: OrderedDict[int, str] = OrderedDict()  # payments opened, not yet paid

    # --- orders -------------------------------------------------------------------------

    def took(self, viewer: Viewer, order: dict[str, Any]) -> bool:
        """An order is held for ``viewer`` (its purchase's answer, or its ``order.placed``
        event: whichever comes first); plan what the buyer does. False when it was planned
        for already, or is not held."""
        order_id = int(order["id"])
        if order_id in self._taken or order.get("status") != OrderStatus.HELD.value:
            return False
        self._taken[order_id] = viewer.id
        if len(self._taken) > ORDERS_KEPT:
            self._taken.popitem(last=False)
        if order.get("source", OrderSource.OFFER.value) != OrderSource.OFFER.value:
            self.stats.handed += 1
        habit = choose_habit(self._rng, self._shares)
        self.stats.habits[habit.value] = self.stats.habits.get(habit.value, 0) + 1
        pay_until = datetime.fromisoformat(str(order["pay_until"]))
        for act, due in plan(habit, self._clock(), pay_until, self._rng, self._timing):
            if not self._agenda.add(due, order_id, viewer.id, act):
                self.stats.dropped += 1
        self._tell()
        return True

    def heard(self, order: dict[str, Any]) -> None:
        """The buyer's stream says its order changed (``order.updated``)."""
        status = str(order.get("status"))
        if status == OrderStatus.HELD.value:
            return
        self.stats.closed[status] = self.stats.closed.get(status, 0) + 1
        order_id = int(order["id"])
        if status != OrderStatus.EXPIRED.value:
            # Paid or cancelled: nothing left to do. An expired order's late payer still
            # pays (its app did not look), and is told it came too late.
            self._agenda.forget(order_id)
            self._pay_urls.pop(order_id, None)
        self._tell()

    def forget_viewer(self, viewer_id: int) -> None:
        """The viewer's stream found the platform restored from an older copy: its orders
        may be gone and their ids given out again, so it forgets them and their steps."""
        for order_id in [o for o, v in self._taken.items() if v == viewer_id]:
            del self._taken[order_id]
            self.stats.dropped += self._agenda.forget(order_id)
            self._pay_urls.pop(order_id, None)

    def pending(self) -> list[Step]:
        """The steps to come, soonest first (from any thread)."""
        return self._agenda.steps()

    def next_due(self) -> datetime | None:
        """When the soonest step to come is due."""
        return self._agenda.next_due()

    def clear(self) -> int:
        """Drop every step to come (the audience stops); how many."""
        dropped = self._agenda.clear()
        self._pay_urls.clear()
        self.stats.dropped += dropped
        self._tell()
        return dropped

    # --- the steps ----------------------------------------------------------------------

    async def run(self) -> None:
        """Take each step at its moment, until cancelled."""
        most = CALLS_AT_ONCE * 4
        while True:
            room = most - self._busy()
            if room > 0:
                for step in self._agenda.take_due(self._clock(), room):
                    self._spawn(self._take(step))
            await asyncio.sleep(SALE_TICK_SECONDS)

    async def _take(self, step: Step) -> None:
        viewer = self._viewer_of(step.viewer_id)
        if viewer is None:  # cannot happen: viewers are kept for the audience's life
            self.stats.dropped += 1
            return
        try:
            if step.act is Act.CANCEL:
                await self._cancel(viewer, step)
            else:
                await self._pay(viewer, step)
        finally:
            self._tell()

    async def _cancel(self, viewer: Viewer, step: Step) -> None:
        reason = {"reason": self._rng.choice(CANCEL_REASONS)}
        resp = await self._post(viewer, f"/orders/{step.order_id}/cancel", reason)
        if resp is None or _busy(resp):
            self._again(step, resp)
        elif resp.status_code == 200:
            self.stats.cancels += 1
        else:
            self._refused(resp)

    async def _pay(self, viewer: Viewer, step: Step) -> None:
        url = self._pay_urls.get(step.order_id)
        if url is None:
            path = f"/orders/{step.order_id}/checkout"
            resp = await self._post(viewer, path, {})
            if resp is None or _busy(resp):
                self._again(step, resp)
                return
            if resp.status_code != 201:
                self._refused(resp)  # ORDER_NOT_HELD: too late, or closed by the seller
                self._agenda.forget(step.order_id)
                return
            self.stats.checkouts += 1
            url = str(resp.json()["pay_url"])
            self._pay_urls[step.order_id] = url
            if len(self._pay_urls) > ORDERS_KEPT:
                self._pay_urls.popitem(last=False)
        if step.act is not Act.PAY:
            return
        resp = await self._post(None, url, None)  # the provider's page: no platform token
        if resp is None or _busy(resp):
            self._again(step, resp)
            return
        self._pay_urls.pop(step.order_id, None)
        if resp.status_code == 200:
            self.stats.payments += 1
        else:
            self._refused(resp)

    async def _post(
        self, viewer: Viewer | None, url: str, body: dict[str, Any] | None
    ) -> httpx.Response | None:
        """POST as ``viewer`` (under a key of its own), or as nobody; None when no answer
        came (the platform or the provider is away: tried again later)."""
        assert self.client is not None
        headers = {} if viewer is None else {**viewer.auth, "Idempotency-Key": uuid.uuid4().hex}
        try:
            return await self.client.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            log.info("rehearsal audience: no answer to %s: %r", url, exc)
            return None

    def _again(self, step: Step, resp: httpx.Response | None) -> None:
        """Try ``step`` later, or give it up after :data:`SALE_TRIES` tries."""
        if step.tries + 1 >= SALE_TRIES:
            self.stats.errors += 1
            log.warning(
                "rehearsal audience: gave up %s of order %s (%s)",
                step.act.value,
                step.order_id,
                "no answer" if resp is None else resp.status_code,
            )
            return
        pause = timedelta(seconds=SALE_RETRY_SECONDS * 2**step.tries)
        if not self._agenda.again(step, self._clock() + pause):
            self.stats.dropped += 1

    def _refused(self, resp: httpx.Response) -> None:
        code = error_code(resp)
        self.stats.sale_refused[code] = self.stats.sale_refused.get(code, 0) + 1

"""One viewer's event stream, read as a viewer's app reads it.

It resumes with ``Last-Event-ID`` after a drop (backing off while the platform is away);
told the platform never had that id (``EVENT_ID_UNKNOWN``: restored from an older copy of
its database), it reads its offers afresh and follows from the platform's newest event.
What it finds it hands to the audience: that it listens, each offer, what becomes of the
viewer's orders and of the offers' stock (the sale after the click), the end of the live.
"""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from flashbuy_protocol.events import EventType
from flashbuy_protocol.sse import CONNECTED_LINE, SseDecoder
from flashbuy_server.rehearsal.plumbing import newest_event_id

log = logging.getLogger("flashbuy_server.rehearsal")

BACKOFF_FIRST = 0.2
BACKOFF_MOST = 5.0
# What the sale after the click follows: the viewer's own orders (the platform sends an
# order's events to its buyer only), and the offers' stock (sold out, back on sale).
SALE_EVENTS = frozenset(
    {
        EventType.ORDER_PLACED,
        EventType.ORDER_UPDATED,
        EventType.FLASHBUY_SOLD_OUT,
        EventType.FLASHBUY_UPDATED,
    }
)


async def read_viewer_stream(
    client: httpx.AsyncClient,
    room_id: int,
    viewer_id: int,
    ended: asyncio.Event,
    *,
    on_listening: Callable[[], None],
    on_offer: Callable[[dict[str, Any]], None],
    on_resync: Callable[[], Awaitable[set[int]]],
    on_refused: Callable[[int], None],
    on_sale: Callable[[str, dict[str, Any]], None] = lambda _type, _data: None,
) -> bool:
    """Follow the viewer's stream of ``room_id`` until the live ends (then ``ended`` is set)
    or the platform refuses it for good; whether it ever listened.

    ``on_listening``: the stream is live (once). ``on_offer``: a flash-buy offered to the
    viewer. ``on_resync``: the platform never had the viewer's last event: read the offers
    afresh, return their ids (not taken twice when the stream shows them too).
    ``on_refused``: the stream was refused with that status; the viewer gives up.
    ``on_sale``: one of :data:`SALE_EVENTS`, its type and data.
    """
    last_id: str | None = None
    backoff = BACKOFF_FIRST
    listening = False
    reread: set[int] = set()  # offers read afresh after a resync, not to take twice
    while True:
        headers = {"Last-Event-ID": last_id} if last_id else {}
        try:
            async with client.stream(
                "GET", f"/rooms/{room_id}/viewer-events", headers=headers
            ) as resp:
                if resp.status_code != 200:
                    newest = await newest_event_id(resp)
                    if newest is None:
                        on_refused(resp.status_code)
                        log.warning("viewer %s stream refused: %s", viewer_id, resp.status_code)
                        return listening
                    # The platform never had the events this viewer saw (restored from
                    # an older copy of its database): what it knows may be wrong, so it
                    # reads its offers afresh, then follows from the platform's newest.
                    log.info("viewer %s resynchronizes at event %s", viewer_id, newest)
                    last_id = str(newest)
                    reread = await on_resync()
                    # As after a drop: a platform that keeps refusing is not hammered.
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, BACKOFF_MOST)
                    continue
                decoder = SseDecoder()
                async for line in resp.aiter_lines():
                    if line == CONNECTED_LINE:
                        backoff = BACKOFF_FIRST
                        if not listening:
                            listening = True
                            on_listening()
                    message = decoder.feed_line(line)
                    if message is None:
                        continue
                    last_id = message.id
                    if message.event == EventType.FLASHBUY_CREATED:
                        offer = json.loads(message.data)["data"]
                        if offer["id"] not in reread:
                            on_offer(offer)
                    elif message.event in SALE_EVENTS:
                        on_sale(message.event, json.loads(message.data)["data"])
                    elif message.event == EventType.LIVE_ENDED:
                        ended.set()
                        return listening
        except (httpx.HTTPError, OSError):
            pass
        await asyncio.sleep(backoff)  # reconnect, resuming where we were
        backoff = min(backoff * 2, BACKOFF_MOST)

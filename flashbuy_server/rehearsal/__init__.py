"""Rehearsal: the demo world and the simulated audience that makes a live feel real.

- :mod:`.seed`: the demo shop, creator, catalog, templates and live (``--demo``).
- :mod:`.audience`: simulated viewers that join, comment and buy over the public API;
  :mod:`.stream` reads a viewer's event stream, :mod:`.words` is what viewers say,
  :mod:`.audience_settings` what the audience is asked to do and what it did.
- :mod:`.buyers`: the sale after the click (pay, pay late, never pay, cancel), following the
  rules of :mod:`.sale` (habits, plans, a bounded agenda).
- :mod:`.shortcuts`: the embedded demo's one-transaction comment flood and send-off.
- :mod:`.audience_cli`: ``flashbuy-audience`` (also ``python -m flashbuy_server.rehearsal``).
"""

from flashbuy_server.rehearsal.audience import Audience
from flashbuy_server.rehearsal.audience_settings import AudienceConfig, AudienceStats
from flashbuy_server.rehearsal.seed import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DemoInfo,
    live_room,
    prepare_demo,
)
from flashbuy_server.rehearsal.shortcuts import post_comments, send_audience_home
from flashbuy_server.rehearsal.words import comment_text, nickname

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "Audience",
    "AudienceConfig",
    "AudienceStats",
    "DemoInfo",
    "comment_text",
    "live_room",
    "nickname",
    "post_comments",
    "prepare_demo",
    "send_audience_home",
]

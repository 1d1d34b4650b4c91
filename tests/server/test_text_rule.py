"""The text rule at every endpoint that takes text a person types, on both databases.

Control characters but tab, CR and LF (C0, DEL, C1 with NEL, the Unicode line separators),
the characters that change the direction text is shown in, and text made only of
characters that show nothing are refused with 422 naming the field, and nothing is written.
Chinese, emoji joined with U+200D, and tabs and line breaks in a note are taken as typed.
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from flashbuy_protocol.errors import ErrorCode
from tests.support import Api, Platform, World, expect_error, make_world, png_bytes, snapshot

# Each refused inside visible text: the platform trims white space only around a field.
REFUSED = {
    "NUL": "\x00",
    "escape": "\x1b",
    "vertical tab": "\x0b",
    "DEL": "\x7f",
    "C1 CSI": "\x9b",
    "C1 NEL": "\x85",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "LRE embedding": "\u202a",
    "PDF": "\u202c",
    "RLO override": "\u202e",
    "LRI isolate": "\u2066",
    "PDI": "\u2069",
    "RLM mark": "\u200f",
    "Arabic letter mark": "\u061c",
}
# Refused as the whole text: something that shows nothing is no title, name or comment.
BLANK = {
    "zero-width space": "\u200b",
    "joiners": "\u200c\u200d",
    "ideographic spaces around a zero-width space": "\u3000\u200b\u3000",
    "byte-order mark": "\ufeff",
    "word joiner": "\u2060",
    "variation selector": "\ufe0f",
    "braille blank": "\u2800",
    "Hangul filler": "\u3164",
}
VALUES = {
    **{f"{name} inside": f"翡翠{char}专场" for name, char in REFUSED.items()},
    **{f"only {name}": text for name, text in BLANK.items()},
}
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji: three joined by U+200D
REPORTS = "/support/reports"


@dataclass
class Ctx:
    """A creator live in a room: where every refused request goes."""

    world: World
    anon: Api

    @property
    def platform(self) -> Platform:
        return self.world.platform


@pytest.fixture(scope="module")
def ctx(module_platform: Platform) -> Iterator[Ctx]:
    platform = module_platform
    world = make_world(platform, viewers=0)
    anon = platform.client()
    yield Ctx(world, anon)
    anon.close()
    world.close()


def manifest(**overrides: Any) -> dict[str, Any]:
    """A valid report.json, changed by ``overrides``."""
    body: dict[str, Any] = {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(),
        "creator_id": None,
        "creator_name": "小翠",
        "shops": [{"id": 1, "name": "翠玉轩"}],
        "platform_url": "http://127.0.0.1:8700",
        "os": "Linux-6.1-x86_64",
        "app_version": "0.1.0",
        "qt_version": "6.10.1",
        "pyside_version": "6.10.1",
        "python_version": "3.11.2",
        "description": "点了新建闪购，窗口没反应",
    }
    body.update(overrides)
    return body


def report_zip(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.json", json.dumps(report, ensure_ascii=False))
        archive.writestr("console.png", png_bytes(16, 12))
    return buffer.getvalue()


def send_report(api: Api, report: dict[str, Any]) -> requests.Response:
    return api.post(REPORTS, data=report_zip(report), headers={"Content-Type": "application/zip"})


Send = Callable[[Api, Ctx, str], requests.Response]
# Each endpoint field the rule applies to: who sends, how a value is sent, the field's name.
FIELDS: dict[str, tuple[str, Send, str]] = {
    "live title": ("creator", lambda a, c, v: a.post("/rooms", json={"title": v}), "title"),
    "flash-buy title": (
        "creator",
        lambda a, c, v: a.post(
            f"/rooms/{c.world.room_id}/flash-buys", json=c.world.flashbuy_body(title=v)
        ),
        "title",
    ),
    "flash-buy piece number": (
        "creator",
        lambda a, c, v: a.post(
            f"/rooms/{c.world.room_id}/flash-buys", json=c.world.flashbuy_body(piece_no=v)
        ),
        "piece_no",
    ),
    "flash-buy note": (
        "creator",
        lambda a, c, v: a.post(
            f"/rooms/{c.world.room_id}/flash-buys", json=c.world.flashbuy_body(note=v)
        ),
        "note",
    ),
    "nickname": (
        "anyone",
        lambda a, c, v: a.post(
            f"/rooms/{c.world.room_id}/join", json={"nickname": v, "region": "浙江"}
        ),
        "nickname",
    ),
    "comment": (
        "new viewer",
        lambda a, c, v: a.post(f"/rooms/{c.world.room_id}/comments", json={"text": v}),
        "text",
    ),
    "new shipping template name": (
        "creator",
        lambda a, c, v: a.post("/shipping-templates", json={"name": v, "kind": "free"}),
        "name",
    ),
    "changed shipping template name": (
        "creator",
        lambda a, c, v: a.put(
            f"/shipping-templates/{c.world.template_id}", json={"name": v, "kind": "free"}
        ),
        "name",
    ),
    "flash-buy search": ("creator", lambda a, c, v: a.get("/flash-buys", params={"q": v}), "q"),
}


def sender(ctx: Ctx, who: str) -> Api:
    """The client that sends: a viewer comments once, under the platform's flood limit."""
    if who == "creator":
        return ctx.world.creator
    if who == "new viewer":
        return ctx.world.join()[0]
    return ctx.anon


# The facts of a problem report: refused as a report, the field named in the message.
REPORT_FACTS: dict[str, Callable[[str], dict[str, Any]]] = {
    "creator_name": lambda v: manifest(creator_name=v),
    "shops.0.name": lambda v: manifest(shops=[{"id": 1, "name": v}]),
    "os": lambda v: manifest(os=v),
    "app_version": lambda v: manifest(app_version=v),
    "description": lambda v: manifest(description=v),
}


@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("where", list(FIELDS))
def test_the_text_rule_refuses_at_every_endpoint_and_writes_nothing(
    ctx: Ctx, where: str, value: str
) -> None:
    who, send, field = FIELDS[where]
    api = sender(ctx, who)
    before = snapshot(ctx.platform.db)
    details = expect_error(send(api, ctx, VALUES[value]), ErrorCode.VALIDATION_FAILED)
    assert [e["field"] for e in details["errors"]] == [field], details
    # What the rule means, not its 700-character pattern.
    assert details["errors"][0]["message"] in (
        "holds a control character, a character that changes the text's direction, "
        "or nothing to read",
        "String should have at least 1 character",
    ), details
    assert snapshot(ctx.platform.db) == before


@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("fact", list(REPORT_FACTS))
def test_the_text_rule_refuses_a_problem_reports_facts(ctx: Ctx, fact: str, value: str) -> None:
    before = snapshot(ctx.platform.db)
    resp = send_report(ctx.world.creator, REPORT_FACTS[fact](VALUES[value]))
    details = expect_error(resp, ErrorCode.REPORT_INVALID)
    assert details["reason"] == "manifest_invalid", details
    assert f"{fact}:" in resp.json()["error"]["message"]
    assert snapshot(ctx.platform.db) == before


def test_chinese_emoji_and_line_breaks_are_taken_as_typed(ctx: Ctx) -> None:
    world = ctx.world
    title = f"{FAMILY} 冰种翡翠\u2764\ufe0f"
    note = "第一行\n\t第二行\r\n第三行"
    made = world.create_flashbuy(title=title, note=note, piece_no="A\u200d1")
    assert (made["title"], made["note"], made["piece_no"]) == (title, note, "A\u200d1")
    # An empty note stays fine, and so does one that is only spaces: trimmed, it is empty.
    assert world.create_flashbuy(note="")["note"] == ""
    assert world.create_flashbuy(note=" \u3000\t\n")["note"] == ""
    # White space around a field is trimmed, NEL and the ideographic space with it.
    assert world.create_flashbuy(title="\u3000翡翠 手镯\x85 ")["title"] == "翡翠 手镯"

    viewer, _ = world.join()
    comment = viewer.ok(
        "POST", f"/rooms/{world.room_id}/comments", 201, json={"text": f"要3号{FAMILY}"}
    )
    assert comment["text"] == f"要3号{FAMILY}"
    joined = world.platform.client().ok(
        "POST", f"/rooms/{world.room_id}/join", json={"nickname": f"小翠{FAMILY}", "region": None}
    )
    assert joined["viewer"]["nickname"] == f"小翠{FAMILY}"
    template = world.creator.ok(
        "POST", "/shipping-templates", 201, json={"name": "包邮\u200b🎁", "kind": "free"}
    )
    assert template["name"] == "包邮\u200b🎁"
    found = world.creator.ok("GET", "/flash-buys", params={"q": f"{FAMILY} 冰种"})
    assert [fb["title"] for fb in found["items"]] == [title]


def test_a_live_title_with_emoji_is_taken(platform: Platform) -> None:
    world = make_world(platform, viewers=0)
    try:
        world.creator.ok("POST", f"/rooms/{world.room_id}/end")
        room = world.creator.ok("POST", "/rooms", 201, json={"title": f" {FAMILY} 翡翠专场 "})
        assert room["title"] == f"{FAMILY} 翡翠专场"
    finally:
        world.close()


def test_a_report_with_emoji_and_line_breaks_is_stored(ctx: Ctx) -> None:
    report = manifest(
        creator_name=f"小翠{FAMILY}",
        description="\t点了新建闪购\n窗口没反应 \U0001f62d\r\n",
        os="",
    )
    resp = send_report(ctx.world.creator, report)
    assert resp.status_code == 201, resp.text

"""Problem reports on both databases over real HTTP: stored whole, refused when unsafe.

The endpoint takes the zip as the raw body; every refusal says why with its own code and
stores nothing; a retry with the same Idempotency-Key stores one report; support lists
and exports them with ``flashbuy-server admin reports``.
"""

import hashlib
import http.client
import io
import json
import stat
import subprocess
import sys
import tracemalloc
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from fastapi import Request

from flashbuy_desktop.api.client import PlatformClient, PlatformError
from flashbuy_protocol.errors import ErrorCode, http_status_for
from flashbuy_protocol.limits import (
    PNG_SIGNATURE,
    REPORT_MAX_BYTES,
    REPORT_MAX_MEMBERS,
    REPORT_MAX_UNCOMPRESSED,
    REPORT_RATE_MAX,
    REPORT_RATE_WINDOW_SECONDS,
)
from flashbuy_server.errors import ApiError
from flashbuy_server.support import (
    INSPECTIONS_AT_ONCE,
    CheckedReport,
    endpoint,
    inspect_report,
    report_gate,
    shown,
    store,
    unsafe_name,
)
from flashbuy_server.tables import idempotency_keys, support_reports
from tests.held import Held
from tests.support import Api, Platform, World, expect_error, make_world, png_bytes, snapshot

PATH = "/support/reports"
ZIP = {"Content-Type": "application/zip"}


def manifest(**overrides: Any) -> dict[str, Any]:
    """A valid report.json, changed by ``overrides``."""
    body: dict[str, Any] = {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(),
        "creator_id": 999_999,  # the console's word; the platform takes the token's
        "creator_name": "小翠",
        "shops": [{"id": 888_888, "name": "翠玉轩"}],
        "platform_url": "http://127.0.0.1:8700",
        "os": "Linux-6.1-x86_64-with-glibc2.36",
        "app_version": "0.1.0",
        "qt_version": "6.10.1",
        "pyside_version": "6.10.1",
        "python_version": "3.11.2",
        "description": "点了新建闪购，窗口没反应\n第二行",
    }
    body.update(overrides)
    return body


def make_zip(
    members: Sequence[tuple[str | zipfile.ZipInfo, bytes]] | None = None,
    *,
    report: dict[str, Any] | None = None,
) -> bytes:
    """A zip of ``members`` (default: report.json, a log and a screenshot), deflated.

    A member given as a ZipInfo keeps its attributes (a file type, a method).
    """
    if members is None:
        members = [
            ("report.json", json.dumps(report or manifest(), ensure_ascii=False).encode()),
            ("console.log", b"2026-11-28 10:00:00 INFO started\n"),
            ("console.png", png_bytes(32, 24, "#336699")),
        ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def report_json() -> tuple[str, bytes]:
    return ("report.json", json.dumps(manifest()).encode())


def attributed(name: str, external_attr: int) -> zipfile.ZipInfo:
    """A member's header with ``external_attr`` (a Unix mode above, MS-DOS bits below)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 28, 10, 0, 0))
    info.create_system = 3  # Unix: archivers then read the mode from the high bits
    info.external_attr = external_attr
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def with_junk_between_members() -> bytes:
    """report.json, then an HTML page that no record points at, then the log."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(*report_json())
        buffer.write(b"<html><script>alert(1)</script></html>")
        archive.start_dir = buffer.tell()  # the next member goes after the page
        archive.writestr("console.log", b"log\n")
    return buffer.getvalue()


def stored(platform: Platform, creator_id: int) -> list[Any]:
    with platform.db.read() as conn:
        return list(
            conn.execute(
                sa.select(support_reports)
                .where(support_reports.c.creator_id == creator_id)
                .order_by(support_reports.c.id)
            ).all()
        )


def send(api: Api, data: bytes, **headers: str) -> Any:
    return api.post(PATH, data=data, headers={**ZIP, **headers})


# --- storing ------------------------------------------------------------------------------


def test_a_report_is_stored_whole_under_the_token_not_the_file(world: World) -> None:
    data = make_zip()
    receipt = world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)
    assert set(receipt) == {"id", "received_at", "size_bytes", "sha256"}
    assert receipt["size_bytes"] == len(data)
    assert receipt["sha256"] == hashlib.sha256(data).hexdigest()
    assert datetime.fromisoformat(receipt["received_at"]).tzinfo is not None

    [row] = stored(world.platform, world.creator_id)
    assert row.id == receipt["id"]
    assert bytes(row.data) == data
    assert row.sha256 == receipt["sha256"]
    assert row.size_bytes == len(data)
    assert row.creator_id == world.creator_id  # not the 999999 report.json claims
    assert row.shop_ids == [world.shop_id]  # not 888888
    assert row.description == "点了新建闪购，窗口没反应\n第二行"
    assert (row.app_version, row.qt_version, row.python_version) == ("0.1.0", "6.10.1", "3.11.2")
    assert row.os.startswith("Linux")
    assert row.members == ["report.json", "console.log", "console.png"]


def test_a_report_needs_a_creator_token(world: World) -> None:
    before = snapshot(world.platform.db)
    anonymous = world.platform.client()
    bogus = world.platform.client("not-a-token")
    try:
        expect_error(send(anonymous, make_zip()), ErrorCode.UNAUTHENTICATED)
        expect_error(send(bogus, make_zip()), ErrorCode.UNAUTHENTICATED)
    finally:
        anonymous.close()
        bogus.close()
    expect_error(send(world.viewers[0], make_zip()), ErrorCode.FORBIDDEN)
    assert snapshot(world.platform.db) == before


# --- refusals -----------------------------------------------------------------------------


def _bomb() -> bytes:
    """Two members of zeros that together unpack past the limit, in a zip of a few hundred KB."""
    half = b"\0" * (REPORT_MAX_UNCOMPRESSED // 2 + 1)
    return make_zip([report_json(), ("console.log", half), ("console.png", half)])


def _corrupt() -> bytes:
    """A zip whose log's compressed bytes were damaged: its checksum cannot match."""
    log = ("line of the console log\n" * 200).encode()
    data = bytearray(make_zip([report_json(), ("console.log", log)]))
    header = data.index(b"PK\x03\x04", 1)  # the second member's local header
    name_len = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    data[start + 5] ^= 0xFF
    return bytes(data)


def _encrypted() -> bytes:
    """A member marked encrypted (zipfile will not write one: the flag is set by hand)."""
    data = bytearray(make_zip([report_json(), ("console.log", b"")]))
    central = data.rindex(b"PK\x01\x02")  # the last member's central directory entry
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    data[central + 8] |= 0x1
    data[local + 6] |= 0x1
    return bytes(data)


def _duplicated(*names: str) -> bytes:
    """report.json's content under each of ``names``."""
    members: list[tuple[str | zipfile.ZipInfo, bytes]] = [
        (name, json.dumps(manifest()).encode()) for name in names
    ]
    if len(set(names)) == len(names):
        return make_zip(members)
    with pytest.warns(UserWarning, match="Duplicate name"):
        return make_zip(members)


def _commented() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(*report_json())
        archive.comment = b"see http://example.test/run-me"
    return buffer.getvalue()


def _link(name: str, target: bytes) -> bytes:
    """``name`` as a symbolic link to ``target``, the way Info-ZIP stores one."""
    return make_zip([report_json(), (attributed(name, (stat.S_IFLNK | 0o777) << 16), target)])


LAYOUT = (ErrorCode.REPORT_INVALID, "layout")
UNEXPECTED = (ErrorCode.REPORT_INVALID, "unexpected_member")
NOT_A_FILE = (ErrorCode.REPORT_INVALID, "not_a_file")
DUPLICATE = (ErrorCode.REPORT_INVALID, "duplicate_name")
UNSAFE = (ErrorCode.REPORT_INVALID, "unsafe_name")
MANIFEST_INVALID = (ErrorCode.REPORT_INVALID, "manifest_invalid")


def _bad_manifest(**overrides: Any) -> tuple[Callable[[], bytes], tuple[ErrorCode, str]]:
    """A refusal case: a zip whose report.json is valid but for ``overrides``."""
    return (lambda: make_zip(report=manifest(**overrides)), MANIFEST_INVALID)


REFUSALS: dict[str, tuple[Any, tuple[ErrorCode, str | None]]] = {
    # name: (body maker, (code, details.reason))
    "empty body": (lambda: b"", (ErrorCode.REPORT_NOT_ZIP, None)),
    "not a zip": (lambda: png_bytes(), (ErrorCode.REPORT_NOT_ZIP, None)),
    "truncated zip": (lambda: make_zip()[:-30], (ErrorCode.REPORT_NOT_ZIP, None)),
    "parent traversal": (lambda: make_zip([report_json(), ("../evil", b"x")]), UNSAFE),
    "nested traversal": (lambda: make_zip([report_json(), ("a/../../x", b"")]), UNSAFE),
    "absolute name": (lambda: make_zip([report_json(), ("/etc/cron", b"")]), UNSAFE),
    "windows drive": (lambda: make_zip([report_json(), ("C:/x.bat", b"")]), UNSAFE),
    "backslash traversal": (lambda: make_zip([report_json(), ("..\\x.dll", b"")]), UNSAFE),
    "too many members": (
        lambda: make_zip([report_json()] + [(f"{i}.log", b"x") for i in range(REPORT_MAX_MEMBERS)]),
        (ErrorCode.REPORT_INVALID, "too_many_members"),
    ),
    "zip bomb": (_bomb, (ErrorCode.REPORT_TOO_LARGE, "uncompressed")),
    "corrupt member": (_corrupt, (ErrorCode.REPORT_INVALID, "corrupt")),
    "encrypted member": (_encrypted, (ErrorCode.REPORT_INVALID, "encrypted")),
    "duplicate names": (lambda: _duplicated("report.json", "report.json"), DUPLICATE),
    "names that differ in case only": (
        lambda: _duplicated("report.json", "REPORT.JSON"),
        DUPLICATE,
    ),
    "names that differ in Unicode form only": (
        lambda: _duplicated("report.json", "ｒｅｐｏｒｔ.json"),  # full-width letters (NFKC)
        DUPLICATE,
    ),
    "a capitalised report.json": (lambda: _duplicated("Report.json", "REPORT.JSON"), UNEXPECTED),
    # Only the console's four files: nothing support could run, open in a browser or follow.
    "an executable": (lambda: make_zip([report_json(), ("invoice.exe", b"MZ\x90\0")]), UNEXPECTED),
    "a web page": (lambda: make_zip([report_json(), ("open-me.html", b"<html>")]), UNEXPECTED),
    "a log under another name": (lambda: make_zip([report_json(), ("a.log", b"x")]), UNEXPECTED),
    "a folder entry": (lambda: make_zip([report_json(), ("shots/", b"")]), UNEXPECTED),
    "a symbolic link": (lambda: _link("console.log", b"/etc/passwd"), NOT_A_FILE),
    "a symbolic link to a picture": (
        lambda: _link("console.png", b"../../.ssh/id_rsa"),
        NOT_A_FILE,
    ),
    "a folder by its mode": (
        lambda: make_zip([report_json(), (attributed("console.log", stat.S_IFDIR << 16), b"")]),
        NOT_A_FILE,
    ),
    "a device": (
        lambda: make_zip([report_json(), (attributed("console.log", stat.S_IFCHR << 16), b"")]),
        NOT_A_FILE,
    ),
    "a set-user-id file": (
        lambda: make_zip(
            [report_json(), (attributed("console.log", (stat.S_IFREG | 0o4755) << 16), b"x")]
        ),
        NOT_A_FILE,
    ),
    "a Windows link (reparse point)": (
        lambda: make_zip([report_json(), (attributed("console.log", 0x400), b"x")]),
        NOT_A_FILE,
    ),
    "a picture that is not a PNG": (
        lambda: make_zip([report_json(), ("console.png", b"GIF89a" + b"\0" * 100)]),
        (ErrorCode.REPORT_INVALID, "not_png"),
    ),
    "an empty picture": (
        lambda: make_zip([report_json(), ("capture-frame.png", b"")]),
        (ErrorCode.REPORT_INVALID, "not_png"),
    ),
    # zipfile reads a zip from its end: whatever stands around it would be stored too.
    "an executable before the zip (a polyglot)": (
        lambda: b"MZ\x90\0" + b"\0" * 1020 + make_zip(),
        LAYOUT,
    ),
    "zeros before the zip": (lambda: b"\0" * 4096 + make_zip(), LAYOUT),
    "bytes after the zip": (lambda: make_zip() + b"<html>", LAYOUT),
    "a page between the members": (with_junk_between_members, LAYOUT),
    "an archive comment": (_commented, LAYOUT),
    "no report.json": (
        lambda: make_zip([("console.log", b"hello\n")]),
        (ErrorCode.REPORT_INVALID, "manifest_missing"),
    ),
    "report.json not json": (lambda: make_zip([("report.json", b"{not json")]), MANIFEST_INVALID),
    "report.json missing a field": (
        lambda: make_zip(report={k: v for k, v in manifest().items() if k != "os"}),
        MANIFEST_INVALID,
    ),
    "report.json wrong type": _bad_manifest(creator_id="7"),
    "report.json newer format": _bad_manifest(format=2),
    "report.json naive time": _bad_manifest(created_at="2026-11-28T10:00:00"),
    # At the edges of what a datetime holds, these cannot even be converted to UTC.
    "report.json time at the end of the calendar": _bad_manifest(
        created_at="9999-12-31T23:59:59-14:00"
    ),
    "report.json time at the start of the calendar": _bad_manifest(
        created_at="0001-01-01T00:00:00+14:00"
    ),
    "report.json time before 2000": _bad_manifest(created_at="1999-12-31T23:59:59Z"),
    "report.json control character": _bad_manifest(os="Linux\x00"),
    "report.json a fact too long": _bad_manifest(app_version="1" * 41),
    "report.json in a folder only": (
        lambda: make_zip([("x/report.json", json.dumps(manifest()).encode())]),
        UNEXPECTED,
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_an_unsafe_or_malformed_report_is_refused_and_nothing_is_stored(
    world: World, case: str
) -> None:
    make, (code, reason) = REFUSALS[case]
    data = make()
    before = snapshot(world.platform.db)
    key = "k-" + case.replace(" ", "-")
    details = expect_error(send(world.creator, data, **{"Idempotency-Key": key}), code)
    if reason is not None:
        assert details["reason"] == reason, details
    assert snapshot(world.platform.db) == before


def test_a_time_out_of_range_is_a_422_that_names_the_field(world: World) -> None:
    data = make_zip(report=manifest(created_at="9999-12-31T23:59:59-14:00"))
    resp = send(world.creator, data, **{"Idempotency-Key": "k-time-range"})
    assert resp.status_code == 422
    assert "created_at" in resp.json()["error"]["message"]


def test_unsafe_names_are_told_from_safe_ones() -> None:
    for name in ("report.json", "console.log", "shots/frame.png", "a/", "数据.log"):
        assert unsafe_name(name) is None, name
    for name in ("", "../x", "a/../b", "./a", "a//b", "/abs", "C:x", "a\\b", "a\nb", "x" * 101):
        assert unsafe_name(name) is not None, name


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "application/json"])
def test_a_report_must_be_sent_as_a_zip(world: World, content_type: str | None) -> None:
    before = snapshot(world.platform.db)
    headers = {"Content-Type": content_type} if content_type else {}
    resp = world.creator.post(PATH, data=make_zip(), headers=headers)
    expect_error(resp, ErrorCode.REPORT_NOT_ZIP)
    assert snapshot(world.platform.db) == before


def test_a_declared_size_over_the_limit_is_refused_before_the_body_is_read(world: World) -> None:
    """The platform answers 413 on the headers alone: this client never sends the body."""
    before = snapshot(world.platform.db)
    url = urllib.parse.urlsplit(world.platform.api_url + PATH)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    try:
        conn.putrequest("POST", url.path)
        conn.putheader("Authorization", f"Bearer {world.creator.token}")
        conn.putheader("Content-Type", "application/zip")
        conn.putheader("Content-Length", str(REPORT_MAX_BYTES + 1))
        conn.endheaders()
        resp = conn.getresponse()
        body = json.loads(resp.read())
    finally:
        conn.close()
    assert resp.status == http_status_for(ErrorCode.REPORT_TOO_LARGE)
    assert body["error"]["code"] == ErrorCode.REPORT_TOO_LARGE
    assert body["error"]["details"]["max_bytes"] == REPORT_MAX_BYTES
    assert snapshot(world.platform.db) == before


def test_a_streamed_body_over_the_limit_is_refused(world: World) -> None:
    """Chunked, with no Content-Length: the platform counts as it reads."""

    def chunks() -> Iterator[bytes]:
        block = b"\0" * (1024 * 1024)
        for _ in range(REPORT_MAX_BYTES // len(block)):
            yield block
        yield b"!"

    before = snapshot(world.platform.db)
    resp = world.creator.post(PATH, data=chunks(), headers=ZIP)
    details = expect_error(resp, ErrorCode.REPORT_TOO_LARGE)
    assert details["reason"] == "size"
    assert snapshot(world.platform.db) == before


def zip_of_size(size: int) -> bytes:
    """A valid report of exactly ``size`` bytes: a stored screenshot padded to fit."""

    facts = report_json()

    def build(padding: int) -> bytes:
        shot = zipfile.ZipInfo("console.png", date_time=(2026, 11, 28, 10, 0, 0))
        shot.compress_type = zipfile.ZIP_STORED  # stored: the zip grows byte for byte
        return make_zip([facts, (shot, PNG_SIGNATURE + b"\0" * padding)])

    data = build(size - len(build(0)))
    assert len(data) == size
    return data


def test_a_report_exactly_at_the_limit_is_taken(world: World) -> None:
    data = zip_of_size(REPORT_MAX_BYTES)
    receipt = world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)
    assert receipt["size_bytes"] == REPORT_MAX_BYTES
    # Padding in front would keep it a "valid zip" for zipfile, but no longer a report.
    before = snapshot(world.platform.db)
    padded = b"\0" * 1024 + zip_of_size(REPORT_MAX_BYTES - 1024)
    details = expect_error(send(world.creator, padded), ErrorCode.REPORT_INVALID)
    assert details["reason"] == "layout"
    assert snapshot(world.platform.db) == before


def test_refusals_repeat_no_member_name_at_length(world: World) -> None:
    """A name is the sender's text: an error repeats a few characters of it, escaped."""
    before = snapshot(world.platform.db)
    cases = {
        "x" * 60_000: "unsafe_name",  # over the name limit
        "open-me-" + "y" * 80 + ".html": "unexpected_member",  # within it, not allowed
        "z" * 50 + "\n" + "<script>": "unsafe_name",
    }
    for name, reason in cases.items():
        resp = send(world.creator, make_zip([report_json(), (name, b"x")]))
        details = expect_error(resp, ErrorCode.REPORT_INVALID)
        assert details["reason"] == reason
        assert len(resp.content) < 1_000, len(resp.content)
        message = resp.json()["error"]["message"]
        assert name[:41] not in message
        assert name[:41] not in json.dumps(details)
        assert shown(name) in message
        assert "<script>" not in resp.text
    assert snapshot(world.platform.db) == before


def test_zipfiles_own_words_about_a_member_are_not_repeated() -> None:
    """zipfile's error quotes the header's name, which a sender can make anything."""
    data = bytearray(make_zip([report_json(), ("console.log", b"log\n")]))
    local = data.index(b"PK\x03\x04", 1)
    assert data[local + 30 : local + 41] == b"console.log"
    data[local + 30 : local + 41] = b"evil-name<>"  # the directory still says console.log
    with pytest.raises(ApiError) as refused:
        inspect_report(bytes(data))
    assert refused.value.details["reason"] == "corrupt"
    assert "evil-name" not in refused.value.message
    assert "console.log" in refused.value.message


def test_members_are_read_in_blocks_not_held_whole() -> None:
    """Unpacking 48 MiB of log to check it takes a few blocks of memory, not the 48 MiB."""
    data = make_zip([report_json(), ("console.log", bytes(48 * 1024 * 1024))])
    tracemalloc.start()
    try:
        checked = inspect_report(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert checked.members == ["report.json", "console.log"]
    assert peak < 4 * 1024 * 1024, peak


def test_shown_names_are_short_and_escaped() -> None:
    assert shown("console.log") == "'console.log'"
    assert shown("a\nb") == "'a\\nb'"
    assert shown("é" * 1000) == repr("é" * 40) + "…"
    assert len(shown("x" * 10**6)) < 50


# --- no credential is stored -----------------------------------------------------------


def _extra_field(token: str) -> bytes:
    """The token in a member's extra field: in the zip, in no member's content."""
    info = zipfile.ZipInfo("console.log", date_time=(2026, 11, 28, 10, 0, 0))
    info.extra = (0xCAFE).to_bytes(2, "little") + len(token).to_bytes(2, "little") + token.encode()
    return make_zip([report_json(), (info, b"log\n")])


def _deflated(token: str) -> bytes:
    """The token in the log, deflated: only unpacking the member finds it."""
    log = ("x" * 70_000 + f"Authorization: Bearer {token}\n" + "y" * 70_000).encode()
    data = make_zip([report_json(), ("console.log", log)])
    assert token.encode() not in data
    return data


def _across_blocks(token: str) -> bytes:
    """The token cut in two by the 64 KiB blocks the platform reads a member in."""
    log = b"z" * (64 * 1024 - 10) + token.encode() + b"\n"
    return make_zip([report_json(), ("console.log", log)])


@pytest.mark.parametrize(
    "plant",
    [
        pytest.param(lambda t: make_zip(report=manifest(description=f"我的 token {t}")), id="json"),
        pytest.param(_deflated, id="deflated-log"),
        pytest.param(_across_blocks, id="across-blocks"),
        pytest.param(_extra_field, id="extra-field"),
    ],
)
def test_a_report_holding_the_senders_token_is_refused(world: World, plant: Any) -> None:
    token = world.creator.token
    assert token is not None
    before = snapshot(world.platform.db)
    resp = send(world.creator, plant(token))
    details = expect_error(resp, ErrorCode.REPORT_INVALID)
    assert details["reason"] == "credential"
    assert token not in resp.text
    assert snapshot(world.platform.db) == before


def test_another_text_in_the_report_is_not_taken_for_the_token(world: World) -> None:
    token = world.creator.token
    assert token is not None
    other = token[:-1] + ("A" if token[-1] != "A" else "B")  # the token off by one character
    data = make_zip(report=manifest(description=f"token {other} and half {token[:20]}"))
    world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)


# --- how many, how often ------------------------------------------------------------------


def test_a_creator_stores_at_most_the_rate_and_a_retry_is_still_answered(world: World) -> None:
    sent: list[tuple[bytes, dict[str, Any]]] = []
    for i in range(REPORT_RATE_MAX):
        data = make_zip(report=manifest(description=f"第 {i} 份"))
        headers = {**ZIP, "Idempotency-Key": f"rate-{i}"}
        sent.append((data, world.creator.ok("POST", PATH, 201, data=data, headers=headers)))

    before = snapshot(world.platform.db)
    one_more = make_zip(report=manifest(description="再一份"))
    for headers in ({"Idempotency-Key": "rate-more"}, {}):
        details = expect_error(
            send(world.creator, one_more, **headers), ErrorCode.REPORT_RATE_LIMITED
        )
        assert details["max_reports"] == REPORT_RATE_MAX
        assert details["window_seconds"] == REPORT_RATE_WINDOW_SECONDS
        assert 0 < details["retry_after_seconds"] <= REPORT_RATE_WINDOW_SECONDS
    # A retry of a stored report is answered as before, not refused (nor stored again).
    data, receipt = sent[-1]
    again = world.creator.ok(
        "POST",
        PATH,
        201,
        data=data,
        headers={**ZIP, "Idempotency-Key": f"rate-{REPORT_RATE_MAX - 1}"},
    )
    assert again == receipt
    assert snapshot(world.platform.db) == before

    # Another creator is not held back by this one.
    other = world.platform.client(make_world(world.platform, viewers=0).creator.token)
    try:
        other.ok("POST", PATH, 201, data=one_more, headers=ZIP)
    finally:
        other.close()

    # The window rolls: once the oldest report is an hour old, one more is taken.
    with world.platform.db.write() as conn:
        conn.execute(
            support_reports.update()
            .where(support_reports.c.id == sent[0][1]["id"])
            .values(received_at=datetime.now(UTC) - timedelta(hours=1, seconds=1))
        )
    world.creator.ok("POST", PATH, 201, data=one_more, headers=ZIP)
    expect_error(send(world.creator, one_more), ErrorCode.REPORT_RATE_LIMITED)
    assert len(stored(world.platform, world.creator_id)) == REPORT_RATE_MAX + 1


def use_up_the_rate(world: World) -> tuple[CheckedReport, bytes]:
    """Store as many reports as the rate allows, straight into the database; the last one."""
    data = make_zip()
    checked = inspect_report(data)
    with world.platform.db.write() as conn:
        for _ in range(REPORT_RATE_MAX):
            store(conn, world.creator_id, checked, data)
    return checked, data


def test_the_rate_is_checked_again_where_the_report_is_stored(world: World) -> None:
    """Two reports that both passed the early check cannot both be stored past the rate."""
    checked, data = use_up_the_rate(world)
    with pytest.raises(ApiError) as refused, world.platform.db.write() as conn:
        store(conn, world.creator_id, checked, data)
    assert refused.value.code == ErrorCode.REPORT_RATE_LIMITED
    assert len(stored(world.platform, world.creator_id)) == REPORT_RATE_MAX


def test_a_large_report_over_the_rate_is_answered_not_cut_off(world: World) -> None:
    """Refused before its 10 MiB are read, it still reaches the console as a refusal."""
    use_up_the_rate(world)
    client = PlatformClient(world.platform.url, world.creator.token)
    try:
        with pytest.raises(PlatformError) as refused:
            client.send_report(zip_of_size(REPORT_MAX_BYTES), "large-over-rate")
    finally:
        client.close()
    assert refused.value.code == ErrorCode.REPORT_RATE_LIMITED


def test_only_a_few_reports_are_unpacked_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    senders = INSPECTIONS_AT_ONCE + 2
    held = Held(inspect_report)
    real_read_body = endpoint._read_body

    async def read_body(request: Request) -> bytes:
        body = await real_read_body(request)
        held.arrive()
        return body

    monkeypatch.setattr(endpoint, "inspect_report", held.call)
    monkeypatch.setattr(endpoint, "_read_body", read_body)
    gate = report_gate(world.platform.server.app)
    clients = [world.platform.client(world.creator.token) for _ in range(senders)]
    try:
        with ThreadPoolExecutor(senders) as pool:
            try:
                futures = [
                    pool.submit(send, client, make_zip(report=manifest(description=str(i))))
                    for i, client in enumerate(clients)
                ]
                with held.changed:
                    assert held.changed.wait_for(
                        lambda: held.arrived == senders and held.running >= INSPECTIONS_AT_ONCE,
                        60,
                    ), (held.arrived, held.running)
                    # All are read; the others wait for a slot instead of unpacking too.
                    assert not held.changed.wait_for(
                        lambda: held.running > INSPECTIONS_AT_ONCE, timeout=1
                    ), held.running
                assert (gate.running, gate.waiting) == (
                    INSPECTIONS_AT_ONCE,
                    senders - INSPECTIONS_AT_ONCE,
                )
            finally:
                held.release.set()
            responses: list[requests.Response] = [f.result() for f in futures]
    finally:
        for client in clients:
            client.close()
    assert [r.status_code for r in responses] == [201] * senders
    assert held.peak == INSPECTIONS_AT_ONCE
    assert (gate.running, gate.waiting) == (0, 0)
    assert len(stored(world.platform, world.creator_id)) == senders


# --- retries ------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_stores_one_report(world: World) -> None:
    data = make_zip()
    first = world.creator.ok("POST", PATH, 201, data=data, headers={**ZIP, "Idempotency-Key": "r1"})
    again = world.creator.ok("POST", PATH, 201, data=data, headers={**ZIP, "Idempotency-Key": "r1"})
    assert again == first
    assert [r.id for r in stored(world.platform, world.creator_id)] == [first["id"]]

    before = snapshot(world.platform.db)
    other = make_zip(report=manifest(description="另一个问题"))
    resp = send(world.creator, other, **{"Idempotency-Key": "r1"})
    expect_error(resp, ErrorCode.IDEMPOTENCY_KEY_REUSED)
    assert snapshot(world.platform.db) == before

    # Without a key, or with a new one, the same zip is a new report.
    world.creator.ok("POST", PATH, 201, data=data, headers={**ZIP, "Idempotency-Key": "r2"})
    world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)
    assert len(stored(world.platform, world.creator_id)) == 3


def test_a_key_stored_before_the_route_took_the_shared_helper_still_replays(
    world: World,
) -> None:
    # The fingerprint as the route computed it by hand: the method, the path and the zip's
    # SHA-256, as canonical JSON. A key a platform stored before an upgrade replays after it.
    data = make_zip()
    receipt = world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)
    asks = ["POST", PATH, {"sha256": hashlib.sha256(data).hexdigest()}]
    canonical = json.dumps(asks, sort_keys=True, ensure_ascii=False)
    with world.platform.db.write() as conn:
        conn.execute(
            idempotency_keys.insert().values(
                principal=f"creator:{world.creator_id}",
                key="stored-before",
                fingerprint=hashlib.sha256(canonical.encode()).hexdigest(),
                status_code=201,
                response=receipt,
                created_at=datetime.now(UTC),
            )
        )
    headers = {**ZIP, "Idempotency-Key": "stored-before"}
    assert world.creator.ok("POST", PATH, 201, data=data, headers=headers) == receipt
    assert [r.id for r in stored(world.platform, world.creator_id)] == [receipt["id"]]


# --- support's command line ---------------------------------------------------------------


def admin(platform: Platform, *args: str) -> subprocess.CompletedProcess[str]:
    url = platform.db.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-m", "flashbuy_server", "--database-url", url, "admin", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def admin_ok(platform: Platform, *args: str) -> Any:
    done = admin(platform, *args)
    assert done.returncode == 0, (args, done.stderr)
    return json.loads(done.stdout)


def refused(done: subprocess.CompletedProcess[str], *says: str) -> None:
    assert done.returncode != 0, done.stdout
    assert done.stdout == "", done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    for text in says:
        assert text in done.stderr, (text, done.stderr)


def test_support_lists_and_exports_reports(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    first = make_zip()
    second = make_zip(report=manifest(description="第二份"))
    a = world.creator.ok("POST", PATH, 201, data=first, headers=ZIP)
    b = world.creator.ok("POST", PATH, 201, data=second, headers=ZIP)

    listed = admin_ok(world.platform, "reports", "list", "--creator", str(world.creator_id))
    reports = listed["reports"]
    assert [r["id"] for r in reports] == [b["id"], a["id"]]  # newest first
    assert reports[0]["description"] == "第二份"
    assert reports[0]["creator_id"] == world.creator_id
    assert reports[0]["shop_ids"] == [world.shop_id]
    assert reports[0]["sha256"] == hashlib.sha256(second).hexdigest()
    assert "data" not in reports[0]
    everyone = admin_ok(world.platform, "reports", "list")["reports"]
    assert {a["id"], b["id"]} <= {r["id"] for r in everyone}

    out = folder / "report-a.zip"
    exported = admin_ok(world.platform, "reports", "export", str(a["id"]), "--out", str(out))
    assert out.read_bytes() == first
    assert exported == {
        "report_id": a["id"],
        "path": str(out),
        "size_bytes": len(first),
        "sha256": hashlib.sha256(first).hexdigest(),
    }
    # Exporting again over the file replaces it whole.
    admin_ok(world.platform, "reports", "export", str(b["id"]), "--out", str(out))
    assert out.read_bytes() == second
    assert [p.name for p in folder.iterdir()] == ["report-a.zip"]  # no temp file left


def test_support_commands_refuse_clearly(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    receipt = world.creator.ok("POST", PATH, 201, data=make_zip(), headers=ZIP)
    rid = str(receipt["id"])
    refused(
        admin(world.platform, "reports", "export", "987654321", "--out", str(folder / "x.zip")),
        "report 987654321 does not exist",
    )
    refused(admin(world.platform, "reports", "export", rid, "--out", str(folder)), "is a folder")
    refused(
        admin(world.platform, "reports", "export", rid, "--out", str(folder / "no" / "x.zip")),
        "does not exist",
    )
    refused(admin(world.platform, "reports", "export", "zero", "--out", "x.zip"), "not an id")
    refused(admin(world.platform, "reports", "export", rid), "--out")
    refused(admin(world.platform, "reports"), "required")
    assert list(folder.iterdir()) == []

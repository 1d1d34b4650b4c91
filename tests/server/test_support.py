"""Problem reports on both databases over real HTTP: stored whole, refused when unsafe.

The endpoint takes the zip as the raw body; every refusal says why with its own code and
stores nothing; a retry with the same Idempotency-Key stores one report; support lists
and exports them with ``flashbuy-server admin reports``.
"""

import hashlib
import http.client
import io
import json
import subprocess
import sys
import urllib.parse
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode, http_status_for
from flashbuy_protocol.limits import REPORT_MAX_BYTES, REPORT_MAX_MEMBERS, REPORT_MAX_UNCOMPRESSED
from flashbuy_server.support import unsafe_name
from flashbuy_server.tables import support_reports
from tests.support import Api, Platform, World, expect_error, png_bytes, snapshot

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
    members: list[tuple[str, bytes]] | None = None, *, report: dict[str, Any] | None = None
) -> bytes:
    """A zip of ``members`` (default: report.json, a log and a screenshot)."""
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
    return make_zip(
        [("report.json", json.dumps(manifest()).encode()), ("a.log", half), ("b.log", half)]
    )


def _corrupt() -> bytes:
    """A zip whose log's compressed bytes were damaged: its checksum cannot match."""
    log = ("line of the console log\n" * 200).encode()
    data = bytearray(make_zip([("report.json", json.dumps(manifest()).encode()), ("c.log", log)]))
    header = data.index(b"PK\x03\x04", 1)  # the second member's local header
    name_len = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    data[start + 5] ^= 0xFF
    return bytes(data)


def _encrypted() -> bytes:
    """A member marked encrypted (zipfile will not write one: the flag is set by hand)."""
    data = bytearray(make_zip([("report.json", json.dumps(manifest()).encode()), ("s.log", b"")]))
    central = data.rindex(b"PK\x01\x02")  # the last member's central directory entry
    local = int.from_bytes(data[central + 42 : central + 46], "little")
    data[central + 8] |= 0x1
    data[local + 6] |= 0x1
    return bytes(data)


def _duplicated() -> bytes:
    with pytest.warns(UserWarning, match="Duplicate name"):
        return make_zip([("report.json", json.dumps(manifest()).encode())] * 2)


REFUSALS: dict[str, tuple[Any, ErrorCode, str | None]] = {
    # name: (body maker, code, details.reason)
    "empty body": (lambda: b"", ErrorCode.REPORT_NOT_ZIP, None),
    "not a zip": (lambda: png_bytes(), ErrorCode.REPORT_NOT_ZIP, None),
    "truncated zip": (lambda: make_zip()[:-30], ErrorCode.REPORT_NOT_ZIP, None),
    "parent traversal": (
        lambda: make_zip([("report.json", json.dumps(manifest()).encode()), ("../evil", b"x")]),
        ErrorCode.REPORT_INVALID,
        "unsafe_name",
    ),
    "nested traversal": (
        lambda: make_zip([("report.json", json.dumps(manifest()).encode()), ("a/../../x", b"")]),
        ErrorCode.REPORT_INVALID,
        "unsafe_name",
    ),
    "absolute name": (
        lambda: make_zip([("report.json", json.dumps(manifest()).encode()), ("/etc/cron", b"")]),
        ErrorCode.REPORT_INVALID,
        "unsafe_name",
    ),
    "windows drive": (
        lambda: make_zip([("report.json", json.dumps(manifest()).encode()), ("C:/x.bat", b"")]),
        ErrorCode.REPORT_INVALID,
        "unsafe_name",
    ),
    "backslash traversal": (
        lambda: make_zip([("report.json", json.dumps(manifest()).encode()), ("..\\x.dll", b"")]),
        ErrorCode.REPORT_INVALID,
        "unsafe_name",
    ),
    "too many members": (
        lambda: make_zip(
            [("report.json", json.dumps(manifest()).encode())]
            + [(f"{i}.log", b"x") for i in range(REPORT_MAX_MEMBERS)]
        ),
        ErrorCode.REPORT_INVALID,
        "too_many_members",
    ),
    "zip bomb": (_bomb, ErrorCode.REPORT_TOO_LARGE, "uncompressed"),
    "corrupt member": (_corrupt, ErrorCode.REPORT_INVALID, "corrupt"),
    "encrypted member": (_encrypted, ErrorCode.REPORT_INVALID, "encrypted"),
    "duplicate names": (_duplicated, ErrorCode.REPORT_INVALID, "duplicate_name"),
    "no report.json": (
        lambda: make_zip([("console.log", b"hello\n")]),
        ErrorCode.REPORT_INVALID,
        "manifest_missing",
    ),
    "report.json not json": (
        lambda: make_zip([("report.json", b"{not json")]),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json missing a field": (
        lambda: make_zip(report={k: v for k, v in manifest().items() if k != "os"}),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json wrong type": (
        lambda: make_zip(report=manifest(creator_id="7")),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json newer format": (
        lambda: make_zip(report=manifest(format=2)),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json naive time": (
        lambda: make_zip(report=manifest(created_at="2026-11-28T10:00:00")),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json control character": (
        lambda: make_zip(report=manifest(os="Linux\x00")),
        ErrorCode.REPORT_INVALID,
        "manifest_invalid",
    ),
    "report.json in a folder only": (
        lambda: make_zip([("x/report.json", json.dumps(manifest()).encode())]),
        ErrorCode.REPORT_INVALID,
        "manifest_missing",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_an_unsafe_or_malformed_report_is_refused_and_nothing_is_stored(
    world: World, case: str
) -> None:
    make, code, reason = REFUSALS[case]
    data = make()
    before = snapshot(world.platform.db)
    key = "k-" + case.replace(" ", "-")
    details = expect_error(send(world.creator, data, **{"Idempotency-Key": key}), code)
    if reason is not None:
        assert details["reason"] == reason, details
    assert snapshot(world.platform.db) == before


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


def test_a_report_exactly_at_the_limit_is_taken(world: World) -> None:
    head = make_zip()
    # A zip stays readable with bytes before it: pad in front up to exactly the limit.
    data = b"\0" * (REPORT_MAX_BYTES - len(head)) + head
    assert len(data) == REPORT_MAX_BYTES
    receipt = world.creator.ok("POST", PATH, 201, data=data, headers=ZIP)
    assert receipt["size_bytes"] == REPORT_MAX_BYTES


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

"""The problem report: the bundle builder, the log's tail, and the window against the real platform.

The secrecy test signs in for real and plants the real token and password everywhere it
can (the log, the seller's description, the account's names, the environment), sends the
report, and finds neither in any file, file name, the zip, or what the platform stored;
the same check run on a bundle built without redaction does find them.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

import flashbuy_desktop.diagnostics.report as report_module
from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.diagnostics.logs import line_tail
from flashbuy_desktop.diagnostics.redact import MASK
from flashbuy_desktop.diagnostics.report import (
    CONSOLE_SCREENSHOT,
    FRAME_SCREENSHOT,
    LOG_MEMBER,
    MANIFEST,
    Bundle,
    ReportFacts,
    ReportTooLargeError,
    Screenshot,
    build_bundle,
    build_members,
    build_zip,
    tail_text,
)
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.report_window import ProblemReportDialog
from flashbuy_protocol.limits import (
    FACT_PATTERN,
    PNG_SIGNATURE,
    REFUSED_CHARACTER,
    REPORT_DESCRIPTION_MAX,
    REPORT_MAX_BYTES,
    REPORT_MEMBERS,
    REPORT_NAME_MAX,
    REPORT_OS_MAX,
    REPORT_SHOPS_MAX,
    REPORT_URL_MAX,
    REPORT_VERSION_MAX,
    report_member_problem,
)
from flashbuy_protocol.models import Creator, ProblemReport, Shop
from flashbuy_server import accounts
from flashbuy_server.support import inspect_report
from flashbuy_server.tables import shops, support_reports
from tests.desktop.keyboard import type_text
from tests.support import Platform, World, png_bytes, unique

WHEN = datetime(2026, 11, 28, 10, 30, 0, tzinfo=UTC)
DESK_COLOR = "#2e8b57"


def facts(**overrides: Any) -> ReportFacts:
    values: dict[str, Any] = {
        "creator_id": 7,
        "creator_name": "小翠",
        "shops": ((3, "翠玉轩"),),
        "platform_url": "http://127.0.0.1:8700",
        "os": "Linux-6.1-x86_64",
        "app_version": "0.1.0",
        "qt_version": "6.10.1",
        "pyside_version": "6.10.1",
        "python_version": "3.11.2",
        "description": "新建闪购没反应",
        "created_at": WHEN,
    }
    values.update(overrides)
    return ReportFacts(**values)


# --- the builder --------------------------------------------------------------------------


def test_the_members_are_the_facts_the_log_and_the_screenshots_in_order() -> None:
    shot = png_bytes(40, 30, "red")
    members = build_members(facts(), "a\nb\n", [Screenshot(CONSOLE_SCREENSHOT, shot)])
    assert [m.name for m in members] == [MANIFEST, LOG_MEMBER, CONSOLE_SCREENSHOT]
    manifest = ProblemReport.model_validate_json(members[0].data)
    assert manifest.creator_id == 7
    assert [(s.id, s.name) for s in manifest.shops] == [(3, "翠玉轩")]
    assert manifest.description == "新建闪购没反应"
    assert manifest.created_at == WHEN
    assert members[0].text == members[0].data.decode()
    assert members[1].data == b"a\nb\n"
    assert members[2].data == shot
    assert members[2].is_picture
    assert not members[0].is_picture


def test_the_zip_holds_exactly_the_members_and_is_the_same_every_time() -> None:
    members = build_members(facts(), "log line\n", [Screenshot(FRAME_SCREENSHOT, png_bytes())])
    data = build_zip(members, WHEN)
    assert build_zip(members, WHEN) == data  # rebuilding an unchanged bundle keeps its key
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [m.name for m in members]
        for member in members:
            assert archive.read(member.name) == member.data
        infos = {i.filename: i for i in archive.infolist()}
    assert infos[FRAME_SCREENSHOT].compress_type == zipfile.ZIP_STORED
    assert infos[MANIFEST].compress_type == zipfile.ZIP_DEFLATED
    assert infos[MANIFEST].date_time == (2026, 11, 28, 10, 30, 0)


def test_facts_are_fitted_to_what_the_platform_takes() -> None:
    messy = facts(
        description="第一行\n第二行\t制表\x00\x1b结束" + "长" * REPORT_DESCRIPTION_MAX,
        creator_name="名\n字" * 40,
        shops=tuple((i, "店" * 100) for i in range(1, REPORT_SHOPS_MAX + 5)),
        os="Linux\x07 bell" + "x" * 500,
        platform_url="https://support:s3cret-pw@platform.example.test/" + "p" * 500,
        app_version="1." * 100,
        qt_version="6" * 100,
        pyside_version="6" * 100,
        python_version="3" * 100,
    )
    manifest = messy.manifest()
    assert manifest.description.startswith("第一行\n第二行\t制表  结束")
    assert len(manifest.description) == REPORT_DESCRIPTION_MAX
    assert len(manifest.creator_name) == REPORT_NAME_MAX
    assert "\n" not in manifest.creator_name
    assert len(manifest.shops) == REPORT_SHOPS_MAX
    assert {len(shop.name) for shop in manifest.shops} == {REPORT_NAME_MAX}
    assert manifest.os.startswith("Linux  bell")
    assert len(manifest.os) == REPORT_OS_MAX
    assert len(manifest.platform_url) == REPORT_URL_MAX
    assert "s3cret-pw" not in manifest.platform_url
    versions = (manifest.app_version, manifest.qt_version, manifest.pyside_version)
    assert {len(v) for v in (*versions, manifest.python_version)} == {REPORT_VERSION_MAX}
    ProblemReport.model_validate_json(manifest.model_dump_json())  # what the platform checks


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("creator_name", REPORT_NAME_MAX),
        ("platform_url", REPORT_URL_MAX),
        ("os", REPORT_OS_MAX),
        ("app_version", REPORT_VERSION_MAX),
        ("qt_version", REPORT_VERSION_MAX),
        ("pyside_version", REPORT_VERSION_MAX),
        ("python_version", REPORT_VERSION_MAX),
        ("description", REPORT_DESCRIPTION_MAX),
    ],
)
def test_the_platforms_model_takes_what_the_console_fits_and_no_more(
    field: str, limit: int
) -> None:
    """One number on both sides: the console cuts to the limit the model enforces."""
    fitted = facts(**{field: "a" * (limit + 1)}).manifest()
    assert len(getattr(fitted, field)) == limit
    body = json.loads(fitted.model_dump_json())
    ProblemReport.model_validate(body)
    with pytest.raises(ValidationError):
        ProblemReport.model_validate({**body, field: "a" * (limit + 1)})


def test_the_console_controls_characters_as_the_platform_does() -> None:
    """A fact keeps no control character; the description keeps tab and line breaks only."""
    every = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029])
    fitted = facts(os=f"a{every}b", description=f"a{every}b").manifest()
    assert fitted.os == "a" + " " * len(every) + "b"
    kept = "".join(c if c in "\t\n\r" else " " for c in every)
    assert fitted.description == f"a{kept}b"
    assert re.fullmatch(FACT_PATTERN, fitted.description)
    assert not re.search(REFUSED_CHARACTER, fitted.description)
    # A character that changes the text's direction is dropped: it shows nothing.
    turned = facts(creator_name="小\u202e翠", description="点了\u2066新建\u2069闪购").manifest()
    assert (turned.creator_name, turned.description) == ("小翠", "点了新建闪购")
    # Text that shows nothing is sent as none, which the platform takes.
    blank = facts(creator_name="\u200b\u3000", os="\ufeff", description="\n\u200b\t").manifest()
    assert (blank.creator_name, blank.os, blank.description) == ("", "", "")
    ProblemReport.model_validate(json.loads(blank.model_dump_json()))


def test_gathered_facts_describe_this_machine_and_the_creator() -> None:
    creator = Creator(
        id=5,
        username="cui",
        display_name="小翠",
        invited=True,
        shops=[Shop(id=2, name="店", qualified=True)],
    )
    gathered = ReportFacts.gather(
        creator=creator, platform_url="http://x", qt_version="6.9", pyside_version="6.9.1"
    )
    assert (gathered.creator_id, gathered.creator_name, gathered.shops) == (5, "小翠", ((2, "店"),))
    assert gathered.app_version == report_module.app_version() != ""
    assert gathered.python_version.split()[0].count(".") == 2
    assert gathered.os
    assert gathered.created_at.tzinfo is not None
    nobody = ReportFacts.gather(
        creator=None, platform_url="http://x", qt_version="6.9", pyside_version="6.9.1"
    )
    assert (nobody.creator_id, nobody.shops) == (None, ())


def test_the_builder_refuses_a_screenshot_the_platform_would_not_take() -> None:
    names = (MANIFEST, LOG_MEMBER, "../x.png", "shot.jpg", "other.png", "Console.png", "a.exe")
    for name in names:
        with pytest.raises(ValueError, match="cannot be called"):
            build_members(facts(), "", [Screenshot(name, png_bytes())])
    twice = [Screenshot(CONSOLE_SCREENSHOT, png_bytes())] * 2
    with pytest.raises(ValueError, match="cannot be called"):
        build_members(facts(), "", twice)
    with pytest.raises(ValueError, match="not a PNG"):
        build_members(facts(), "", [Screenshot(FRAME_SCREENSHOT, b"GIF89a" + bytes(64))])


def test_the_console_builds_only_what_the_platform_takes() -> None:
    """One rule on both sides: the console's full bundle passes the platform's own check."""
    shots = [Screenshot(CONSOLE_SCREENSHOT, png_bytes()), Screenshot(FRAME_SCREENSHOT, png_bytes())]
    bundle = build_bundle(facts(), "10:00 INFO 开播\n", shots)
    assert tuple(m.name for m in bundle.members) == REPORT_MEMBERS
    assert all(report_member_problem(m.name) is None for m in bundle.members)
    checked = inspect_report(bundle.zip_bytes, ["a-token-that-is-not-in-it"])
    assert checked.members == list(REPORT_MEMBERS)
    assert checked.sha256 == bundle.sha256


def test_a_bundle_over_the_platforms_limit_is_refused_before_sending() -> None:
    # Stored, not compressed: the zip is larger than the limit.
    huge = Screenshot(FRAME_SCREENSHOT, PNG_SIGNATURE + bytes(REPORT_MAX_BYTES))
    with pytest.raises(ReportTooLargeError, match="MiB"):
        build_bundle(facts(), "", [huge])


# --- the log's tail -----------------------------------------------------------------------
# (Reading it from the log files: tests/desktop/diagnostics/test_logs.py.)


def test_a_long_text_is_cut_to_whole_lines_within_the_limit() -> None:
    lines = [f"{i:05d} 日志 line\n" for i in range(20_000)]
    tail = tail_text("".join(lines), 200_000)
    assert len(tail.encode()) <= 200_000
    assert len(tail.encode()) > 200_000 - len(lines[0].encode())
    first = tail.splitlines(keepends=True)[0]
    assert first in lines  # a whole line, not the end of one
    assert tail == "".join(lines[lines.index(first) :])


def test_a_cut_that_falls_on_a_line_start_keeps_that_line() -> None:
    assert tail_text("aaaa\nbbbb\ncccc\n", 10) == "bbbb\ncccc\n"  # byte 5 starts "bbbb"
    assert tail_text("aaaa\nbbbb\ncccc\n", 9) == "cccc\n"  # "bbb" is only part of a line
    assert tail_text("一\n二\n") == "一\n二\n"


def test_one_line_longer_than_the_tail_keeps_its_end_and_bad_bytes_are_replaced() -> None:
    assert line_tail(b"x" * 50 + b"\xff\xfe tail", 10) == "xxx\ufffd\ufffd tail"
    assert line_tail("头".encode() * 10, 4).endswith("头")  # cut inside a character


# --- the window ---------------------------------------------------------------------------


@pytest.fixture
def desk(qtbot: QtBot) -> Iterator[QRect]:
    """A coloured patch of screen, away from the console's windows, to aim the frame at."""
    patch = QLabel()
    patch.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Tool)
    patch.setAutoFillBackground(True)
    palette = patch.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(DESK_COLOR))
    patch.setPalette(palette)
    patch.setGeometry(QRect(1450, 830, 420, 220))
    patch.show()
    qtbot.waitExposed(patch)
    yield QRect(1500, 860, 300, 150)
    patch.close()


@pytest.fixture
def frame(qtbot: QtBot, desk: QRect) -> Iterator[CaptureFrame]:
    widget = CaptureFrame()
    widget.set_capture_rect(desk)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def signed_in_window(qtbot: QtBot, platform: Platform, token: str) -> MainWindow:
    window = MainWindow(PlatformClient(platform.url, token), Tasks())
    window.show()
    window.load()
    try:
        qtbot.waitUntil(
            lambda: window.header.connection.property("state") == "connected", timeout=30_000
        )
    except BaseException:
        window.close()
        raise
    return window


def open_dialog(
    qtbot: QtBot,
    window: MainWindow,
    frame: CaptureFrame,
    log: str,
    secrets: tuple[str, ...] = (),
) -> ProblemReportDialog:
    dialog = ProblemReportDialog.open_report(
        window.client,
        window.tasks,
        console=window,
        frame_rect_provider=frame.capture_rect,
        log_tail=lambda: log,
        secrets=secrets,
        parent=window,
    )
    qtbot.waitUntil(lambda: dialog.bundle is not None, timeout=30_000)
    return dialog


def tick_frame_box(qtbot: QtBot, dialog: ProblemReportDialog) -> Bundle:
    box = dialog.frame_box  # click its box: the rest of the row's width is not the button
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked(), dialog.status.text()
    qtbot.waitUntil(
        lambda: dialog.bundle is not None and FRAME_SCREENSHOT in dialog.member_names(),
        timeout=30_000,
    )
    assert dialog.bundle is not None
    return dialog.bundle


def describe_problem(qtbot: QtBot, dialog: ProblemReportDialog, text: str) -> Bundle:
    dialog.description.setFocus()
    type_text(qtbot, dialog.description, text)
    qtbot.waitUntil(
        lambda: (
            dialog.bundle is not None
            and dialog.send_button.isEnabled()
            and json.loads(dialog.bundle.member(MANIFEST).data)["description"] != ""
        ),
        timeout=30_000,
    )
    assert dialog.bundle is not None
    return dialog.bundle


def close_all(window: MainWindow) -> None:
    """Close the report window (if a failed assertion left it open), then the console."""
    for dialog in window.findChildren(ProblemReportDialog):
        dialog.close()
    window.close()


def stored_reports(platform: Platform, creator_id: int) -> list[Any]:
    with platform.db.read() as conn:
        return list(
            conn.execute(
                sa.select(support_reports).where(support_reports.c.creator_id == creator_id)
            ).all()
        )


def test_the_window_shows_saves_and_sends_exactly_the_bundle(
    qtbot: QtBot, world: World, frame: CaptureFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.creator.token is not None
    window = signed_in_window(qtbot, world.platform, world.creator.token)
    try:
        dialog = open_dialog(qtbot, window, frame, "10:00 INFO 开播\n10:01 WARNING 慢\n")
        assert dialog.isVisible()
        assert dialog.member_names() == [MANIFEST, LOG_MEMBER, CONSOLE_SCREENSHOT]

        bundle = tick_frame_box(qtbot, dialog)
        bundle = describe_problem(qtbot, dialog, "点F2没反应 then nothing")
        assert dialog.member_names() == [MANIFEST, LOG_MEMBER, CONSOLE_SCREENSHOT, FRAME_SCREENSHOT]

        # Every file is listed with its size; pictures with a thumbnail.
        locale = QLocale()
        for row, member in enumerate(bundle.members):
            item = dialog.members.topLevelItem(row)
            assert item is not None
            assert item.text(0) == member.name
            assert item.text(1) == locale.formattedDataSize(member.size)
            assert item.icon(0).isNull() is (not member.is_picture)
        manifest = json.loads(bundle.member(MANIFEST).data)
        assert manifest["creator_id"] == world.creator_id
        assert [s["id"] for s in manifest["shops"]] == [world.shop_id]
        assert manifest["description"] == "点F2没反应 then nothing"
        assert manifest["platform_url"] == world.platform.url
        assert bundle.member(LOG_MEMBER).text == "10:00 INFO 开播\n10:01 WARNING 慢\n"

        # The texts are shown as text, the screenshots as pictures.
        manifest_item, picture_item = (dialog.members.topLevelItem(i) for i in (0, 3))
        assert manifest_item is not None
        assert picture_item is not None
        dialog.members.setCurrentItem(manifest_item)
        assert dialog.preview.currentWidget() is dialog.text_view
        assert dialog.text_view.toPlainText() == bundle.member(MANIFEST).text
        dialog.members.setCurrentItem(picture_item)
        assert dialog.preview.currentIndex() == 1
        assert not dialog.picture.pixmap().isNull()

        # The frame's screenshot is what the screen showed inside the frame.
        grabbed = QImage.fromData(bundle.member(FRAME_SCREENSHOT).data)
        assert (grabbed.width(), grabbed.height()) == (300, 150)
        assert grabbed.pixelColor(150, 75).name() == DESK_COLOR
        console = QImage.fromData(bundle.member(CONSOLE_SCREENSHOT).data)
        assert console.width() >= window.width()

        saved = tmp_path / "report.zip"
        asked: list[Any] = []

        def choose(*args: Any, **kwargs: Any) -> tuple[str, str]:
            asked.append(args)
            return str(saved), "Zip files (*.zip)"

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(saved.exists, timeout=10_000)
        assert asked
        assert saved.read_bytes() == bundle.zip_bytes
        assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["report.zip"]

        with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
            qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        receipt = sent.args[0]
        assert dialog.receipt == receipt
        assert str(receipt.id) in dialog.status.text()
        assert not dialog.send_button.isEnabled()  # this bundle is sent
        [row] = stored_reports(world.platform, world.creator_id)
        assert bytes(row.data) == saved.read_bytes()  # byte for byte what was saved
        assert row.id == receipt.id

        # A retry of the same bundle carries the same key: the platform keeps one report.
        key = dialog.idempotency_key()
        assert key is not None
        again = window.client.send_report(bundle.zip_bytes, key)
        assert again == receipt
        assert len(stored_reports(world.platform, world.creator_id)) == 1
        dialog.close()
    finally:
        close_all(window)


def test_a_failed_send_keeps_the_window_open_to_save_the_zip(
    qtbot: QtBot, world: World, frame: CaptureFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.creator.token is not None
    window = signed_in_window(qtbot, world.platform, world.creator.token)
    try:
        dialog = open_dialog(qtbot, window, frame, "log\n")
        tick_frame_box(qtbot, dialog)
        box = dialog.frame_box  # and off again: the frame's picture leaves the bundle
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        qtbot.waitUntil(
            lambda: dialog.bundle is not None and FRAME_SCREENSHOT not in dialog.member_names()
        )
        assert dialog.member_names() == [MANIFEST, LOG_MEMBER, CONSOLE_SCREENSHOT]
        world.creator.ok("POST", "/auth/sign-out", 204)  # the token stops working
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.sending, timeout=30_000)
        assert dialog.isVisible()
        assert dialog.receipt is None
        assert dialog.status.text()
        assert dialog.send_button.isEnabled()  # the seller may try again
        assert stored_reports(world.platform, world.creator_id) == []

        saved = tmp_path / "kept"  # no suffix: .zip is added
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(saved), ""))
        )
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(saved.with_suffix(".zip").exists, timeout=10_000)
        assert dialog.bundle is not None
        assert saved.with_suffix(".zip").read_bytes() == dialog.bundle.zip_bytes
        dialog.close()
    finally:
        close_all(window)


def test_without_a_console_or_a_frame_the_report_says_so_and_still_works(
    qtbot: QtBot, world: World
) -> None:
    assert world.creator.token is not None
    client = PlatformClient(world.platform.url, world.creator.token)
    tasks = Tasks()
    dialog = ProblemReportDialog.open_report(
        client, tasks, console=None, frame_rect_provider=lambda: None, log_tail=lambda: ""
    )
    try:
        qtbot.waitUntil(lambda: dialog.bundle is not None, timeout=30_000)
        assert dialog.member_names() == [MANIFEST, LOG_MEMBER]
        box = dialog.frame_box
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert not box.isChecked()  # nothing to take a picture of: the box does not stay ticked
        assert dialog.status.text()
        assert dialog.member_names() == [MANIFEST, LOG_MEMBER]
        assert dialog.send_button.isEnabled()
    finally:
        dialog.close()
        tasks.wait()
        client.close()


# --- secrecy ------------------------------------------------------------------------------


def secret_forms(*secrets: str) -> set[str]:
    """Each secret as written raw, into JSON, a Python repr or a URL."""
    forms = set()
    for secret in secrets:
        forms |= {
            secret,
            json.dumps(secret)[1:-1],
            json.dumps(secret, ensure_ascii=False)[1:-1],
            repr(secret)[1:-1],
            quote(secret, safe=""),
            quote_plus(secret),
        }
    return forms


def leaks(zip_bytes: bytes, secrets: set[str]) -> list[str]:
    """Where any form of a secret appears: a member's name or bytes, or the zip's raw bytes."""
    found = []
    encoded = {form: form.encode() for form in secrets}
    for form, raw in encoded.items():
        if raw in zip_bytes:
            found.append(f"zip bytes hold {form!r}")
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            for form, raw in encoded.items():
                if form in info.filename:
                    found.append(f"the name {info.filename!r} holds {form!r}")
                if raw in data:
                    found.append(f"{info.filename} holds {form!r}")
    return found


def test_no_token_or_password_ever_lands_in_the_report(
    qtbot: QtBot, platform: Platform, frame: CaptureFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = 'Jade翡翠 "pw" 4ever'  # spaces, quotes and Chinese: escaped differently everywhere
    username = unique("cui")
    with platform.db.write() as conn:
        shop_id = accounts.create_shop(conn, unique("shop"), qualified=True)
        creator_id = accounts.create_creator(
            conn, username, password, display_name=f"小翠 {password}", invited=True
        )
        accounts.bind_shop(conn, creator_id, shop_id)
    client = PlatformClient(platform.url)
    token = client.sign_in(username, password).token  # a real sign-in, a real token
    client.go_live("翡翠专场")
    client.close()
    with platform.db.write() as conn:
        conn.execute(shops.update().where(shops.c.id == shop_id).values(name=f"店{token}"))
    monkeypatch.setenv("FLASHBUY_TOKEN", token)
    monkeypatch.setenv("FLASHBUY_PASSWORD", password)
    secrets = secret_forms(token, password)

    # As if some code had logged a request's headers and a sign-in body, every way it could.
    log = "\n".join(
        [
            f"DEBUG sign-in body {json.dumps({'username': username, 'password': password})}",
            f"DEBUG sign-in body {json.dumps({'password': password}, ensure_ascii=False)}",
            f"DEBUG sign-in payload { ({'username': username, 'password': password})!r}",
            f"DEBUG form username={username}&password={quote_plus(password)}",
            f"DEBUG headers { ({'Authorization': f'Bearer {token}'})!r}",
            f"DEBUG Authorization: Bearer {token}",
            f"WARNING retrying GET /api/v1/me?access_token={token}",
            f"INFO saved {token} to the keyring for {username}",
            f"INFO the seller typed {password} into the comment box",
            "INFO 开播了",
            "",
        ]
    )
    window = signed_in_window(qtbot, platform, token)
    try:
        dialog = open_dialog(qtbot, window, frame, log, secrets=(password,))
        tick_frame_box(qtbot, dialog)
        bundle = describe_problem(qtbot, dialog, f"我的密码是 {password} token {token} 点了没反应")
        with qtbot.waitSignal(dialog.sent, timeout=30_000) as sent:
            qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        receipt = sent.args[0]
        assert bundle.sha256 == receipt.sha256

        # What the window showed and sent holds no secret, in any form.
        assert leaks(bundle.zip_bytes, secrets) == []
        for member in bundle.members:
            for form in secrets:
                assert form not in member.name
                assert form.encode() not in member.data, (member.name, form)
                assert member.text is None or form not in member.text
        # What the platform stored neither.
        with platform.db.read() as conn:
            row = conn.execute(
                sa.select(support_reports).where(support_reports.c.id == receipt.id)
            ).one()
        assert leaks(bytes(row.data), secrets) == []
        for value in row._mapping.values():
            if isinstance(value, str):
                assert not any(form in value for form in secrets), value

        # And the report is not empty for it: the rest of each text is there.
        text = bundle.member(LOG_MEMBER).text or ""
        assert username in text
        assert "INFO 开播了" in text
        assert text.count(MASK) >= 9
        manifest = json.loads(bundle.member(MANIFEST).data)
        assert "点了没反应" in manifest["description"]
        assert manifest["creator_id"] == creator_id
        assert manifest["creator_name"].startswith("小翠")
        assert manifest["shops"] == [{"id": shop_id, "name": f"店{MASK}"}]

        # The check above can fail: the same bundle built without redaction is caught.
        def rebuilt() -> bytes:
            facts = ReportFacts.gather(
                creator=dialog.creator,
                platform_url=platform.url,
                qt_version="x",
                pyside_version="x",
                description=dialog.description.toPlainText(),
            )
            return build_bundle(facts, log, [], [token, password]).zip_bytes

        assert leaks(rebuilt(), secrets) == []  # (redacted: the real builder)
        monkeypatch.setattr(report_module, "redact", lambda text, secrets=(): text)
        found = leaks(rebuilt(), secrets)
        assert any(token in f for f in found)
        assert any(password in f for f in found)
        dialog.close()
    finally:
        close_all(window)

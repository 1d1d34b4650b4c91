"""The "new flash-buy" window against the real platform, with a capture engine that never grabs."""

import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.capture.encode import crop_jpeg
from flashbuy_desktop.capture.types import CaptureWarning
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy import (
    CropFraction,
    LiveContext,
    NewFlashBuyDialog,
    TemplateEditorHook,
)
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate, ShippingTemplate, ViewerRecord
from tests.desktop.fakes import FakeEngine, FakeFrame, scene_jpeg, wait_ready
from tests.desktop.keyboard import focused, type_into, type_text
from tests.support import Platform, World, make_world

TIMEOUT = 20_000


@pytest.fixture
def tasks() -> Iterator[Tasks]:
    t = Tasks()
    yield t
    t.wait()


@pytest.fixture
def engine() -> Iterator[FakeEngine]:
    e = FakeEngine()
    yield e
    e.gate.set()


@pytest.fixture
def capture(engine: FakeEngine, tasks: Tasks) -> CaptureService:
    return CaptureService(FakeFrame(), tasks, engine)


def client_for(world: World) -> PlatformClient:
    return PlatformClient(world.platform.url, world.creator.token)


Open = Callable[..., NewFlashBuyDialog]


@pytest.fixture
def open_dialog(qtbot: Any, tasks: Tasks, capture: CaptureService) -> Iterator[Open]:
    dialogs: list[NewFlashBuyDialog] = []
    clients: list[PlatformClient] = []

    def open_(world: World, *, ready: bool = True, **kwargs: Any) -> NewFlashBuyDialog:
        client = kwargs.pop("client", None) or client_for(world)
        clients.append(client)
        dialog = NewFlashBuyDialog(client, tasks, capture, world.room_id, **kwargs)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        dialog.show()
        if ready:
            wait_ready(qtbot, dialog)
        return dialog

    yield open_
    for dialog in dialogs:
        if dialog.isVisible():
            dialog.reject()
    QApplication.processEvents()
    tasks.wait()
    for client in clients:
        client.close()


def listed(world: World) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = world.creator.ok("GET", f"/flash-buys?room_id={world.room_id}")[
        "items"
    ]
    return items


def press_enter(qtbot: Any, dialog: NewFlashBuyDialog) -> None:
    qtbot.keyClick(dialog.price_edit, Qt.Key.Key_Return)


# --- picture --------------------------------------------------------------------------------


def test_opens_with_capture_requested_and_shows_picture_and_warnings(
    qtbot: Any, world: World, open_dialog: Open, engine: FakeEngine
) -> None:
    engine.warnings = (CaptureWarning.CARD_NOT_FOUND, CaptureWarning.BLURRY)
    engine.gate.clear()  # hold the capture: the window shows it is being taken
    dialog = open_dialog(world, ready=False)
    qtbot.waitUntil(lambda: engine.calls == 1, timeout=TIMEOUT)
    assert dialog.preview_stack.currentIndex() == 0
    assert dialog.capture_status.text() == "正在截图…"
    assert dialog.captured_result() is None
    engine.gate.set()
    wait_ready(qtbot, dialog)
    assert dialog.preview_stack.currentIndex() == 1
    pixmap = dialog.preview.pixmap()
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (480, 320)
    assert not dialog.warnings_label.isHidden()
    assert "未在画面中找到开单卡片" in dialog.warnings_label.text()
    assert "画面模糊，建议重拍" in dialog.warnings_label.text()


def test_f5_from_any_field_and_the_button_retake(
    qtbot: Any, world: World, open_dialog: Open, engine: FakeEngine
) -> None:
    dialog = open_dialog(world)
    assert engine.calls == 1
    assert dialog.warnings_label.isHidden()  # a clean capture has no warnings
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    qtbot.keyClicks(QApplication.focusWidget(), "12")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)  # from the price field
    qtbot.waitUntil(lambda: engine.calls == 2, timeout=TIMEOUT)
    assert dialog.price_edit.text() == "12"  # nothing typed into it, no price error
    assert dialog.price_error.isHidden()
    qtbot.mouseClick(dialog.retake_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.calls == 3, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: dialog.preview_stack.currentIndex() == 1, timeout=TIMEOUT)
    # typing an R into a text field types it; it does not retake
    qtbot.keyClicks(dialog.note_edit, "R")
    assert dialog.note_edit.text() == "R"
    assert engine.calls == 3


def test_crop_jpeg_cuts_the_picture_in_its_own_pixels(qapp: Any) -> None:
    jpeg = scene_jpeg(480, 320)
    assert crop_jpeg(jpeg, None) is jpeg
    cropped = crop_jpeg(jpeg, CropFraction(0.25, 0.5, 0.75, 1.0))
    image = QImage.fromData(cropped)
    assert (image.width(), image.height()) == (240, 160)
    assert cropped[:2] == b"\xff\xd8"


# --- fields ---------------------------------------------------------------------------------


def test_price_is_parsed_on_every_edit_with_inline_reasons(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    dialog = open_dialog(world)
    cases = {
        "12.345": "最多两位小数",
        "-1": "不能为负数",
        "abc": "只能包含数字",
        "0": "至少 0.01 元",
    }
    for text, reason in cases.items():
        dialog.price_edit.clear()
        qtbot.keyClicks(dialog.price_edit, text)
        assert not dialog.price_error.isHidden(), text
        assert reason in dialog.price_error.text(), (text, dialog.price_error.text())
        assert dialog.price_fen() is None
        assert theme.tone_of(dialog.price_edit) is Tone.INVALID
        assert theme.tone_of(dialog.price_error) is Tone.ERROR
    dialog.price_edit.clear()
    assert theme.tone_of(dialog.price_edit) is None  # empty is not refused, only unfinished
    qtbot.keyClicks(dialog.price_edit, "1,288.5")
    assert dialog.price_error.isHidden()
    assert theme.tone_of(dialog.price_edit) is None
    assert dialog.price_fen() == 128_850
    # Enter with an invalid price creates nothing and says why
    dialog.price_edit.clear()
    qtbot.keyClicks(dialog.price_edit, "12.345")
    press_enter(qtbot, dialog)
    assert dialog.isVisible()
    assert listed(world) == []


def test_title_follows_piece_and_product_until_edited(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    dialog = open_dialog(world)
    assert dialog.title_edit.text() == "冰种翡翠手镯"
    assert dialog.category_label.text().startswith("翡翠")
    qtbot.keyClicks(dialog.piece_edit, "3")
    assert dialog.title_edit.text() == "3号 冰种翡翠手镯"
    qtbot.keyClicks(dialog.piece_edit, "7")
    assert dialog.title_edit.text() == "37号 冰种翡翠手镯"
    qtbot.keyClicks(dialog.title_edit, " A+")
    qtbot.keyClicks(dialog.piece_edit, "9")
    assert dialog.title_edit.text() == "37号 冰种翡翠手镯 A+"
    assert dialog.piece_edit.maxLength() == 20
    assert dialog.title_edit.maxLength() == 60
    assert (dialog.stock_spin.minimum(), dialog.stock_spin.maximum()) == (1, 9999)
    assert dialog.stock_spin.value() == 1


# --- creating -------------------------------------------------------------------------------


def test_create_full_with_the_keyboard(qtbot: Any, world: World, open_dialog: Open) -> None:
    dialog = open_dialog(world, last_template_id=world.template_id)
    assert dialog.mode_label.text().startswith("全量")
    assert dialog.quota_label.text().startswith("全量 20/20")
    assert dialog.template_id() == world.template_id
    qtbot.keyClicks(dialog.piece_edit, "3")
    qtbot.keyClicks(dialog.price_edit, "1288")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
        assert not dialog.form_box.isEnabled()  # fields are disabled while it is created
        assert dialog.create_spinner.isVisible()
    flashbuy = blocker.args[0]
    assert flashbuy.title == "3号 冰种翡翠手镯"
    assert flashbuy.price_fen == 128_800
    assert flashbuy.mode == "full"
    assert flashbuy.targets == []
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    items = listed(world)
    assert [item["id"] for item in items] == [flashbuy.id]
    assert items[0]["piece_no"] == "3"
    assert items[0]["stock"] == 1
    assert dialog.last_template_id == world.template_id
    # the uploaded picture is the captured JPEG as it was (no crop)
    captured = dialog.captured_result()
    assert captured is not None
    assert flashbuy.picture_id == hashlib.sha256(captured.jpeg).hexdigest()


def test_create_with_a_dragged_crop_uploads_the_cropped_picture(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    dialog = open_dialog(world)
    rect = dialog.preview.picture_rect()
    start = QPoint(int(rect.x() + rect.width() * 0.5), int(rect.y() + rect.height() * 0.2))
    end = QPoint(int(rect.x() + rect.width() * 0.9), int(rect.y() + rect.height() * 0.8))
    qtbot.mousePress(dialog.preview, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(dialog.preview, end)
    qtbot.mouseRelease(dialog.preview, Qt.MouseButton.LeftButton, pos=end)
    crop = dialog.preview.crop()
    assert crop is not None
    assert crop.left == pytest.approx(0.5, abs=0.02)
    assert crop.bottom == pytest.approx(0.8, abs=0.02)
    assert "已裁剪" in dialog.crop_label.text()
    qtbot.keyClicks(dialog.price_edit, "99")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
    captured = dialog.captured_result()
    assert captured is not None
    expected = crop_jpeg(captured.jpeg, crop)  # the capture's encoder, at the default quality
    assert blocker.args[0].picture_id == hashlib.sha256(expected).hexdigest()
    resp = world.creator.get(f"/pictures/{blocker.args[0].picture_id}")
    assert resp.status_code == 200
    box = crop.to_pixels(480, 320)
    assert Image.open(io.BytesIO(resp.content)).size == (box.width, box.height)


def test_refusal_keeps_every_field_and_says_why(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    dialog = open_dialog(world)
    qtbot.keyClicks(dialog.piece_edit, "5")
    qtbot.keyClicks(dialog.price_edit, "66.6")
    dialog.stock_spin.setValue(2)
    qtbot.keyClicks(dialog.note_edit, "cert")
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")  # the live ends meanwhile
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: "直播已结束" in dialog.status_label.text(), timeout=TIMEOUT)
    assert dialog.isVisible()
    assert dialog.form_box.isEnabled()
    assert dialog.piece_edit.text() == "5"
    assert dialog.title_edit.text() == "5号 冰种翡翠手镯"
    assert dialog.price_edit.text() == "66.6"
    assert dialog.stock_spin.value() == 2
    assert dialog.note_edit.text() == "cert"
    assert dialog.pending_key() is None  # refused: the next press is a fresh request
    assert theme.tone_of(dialog.status_label) is Tone.ERROR
    assert listed(world) == []


def test_dropped_connection_during_enter_makes_exactly_one(
    qtbot: Any, world: World, open_dialog: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(world)
    real = client.session.request
    keys: list[str] = []

    def drop_once_after_sending(method: str, url: str, **kwargs: Any) -> requests.Response:
        response = real(method, url, **kwargs)
        if method == "POST" and url.endswith("/flash-buys"):
            keys.append(kwargs["headers"]["Idempotency-Key"])
            if len(keys) == 1:
                raise requests.ConnectionError("the answer was lost on the way back")
        return response

    monkeypatch.setattr(client.session, "request", drop_once_after_sending)
    dialog = open_dialog(world, client=client)
    qtbot.keyClicks(dialog.price_edit, "1288")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
    assert len(keys) == 2
    assert keys[0] == keys[1]  # the retry carried the same key and was replayed
    items = listed(world)
    assert [item["id"] for item in items] == [blocker.args[0].id]


def test_offline_after_retries_keeps_the_key_for_the_next_press(
    qtbot: Any, world: World, open_dialog: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(world)
    real = client.session.request
    keys: list[str] = []
    offline = True

    def maybe_offline(method: str, url: str, **kwargs: Any) -> requests.Response:
        if method == "POST" and url.endswith("/flash-buys"):
            keys.append(kwargs["headers"]["Idempotency-Key"])
            if offline:
                raise requests.ConnectionError("no route to the platform")
        return real(method, url, **kwargs)

    monkeypatch.setattr(client.session, "request", maybe_offline)
    dialog = open_dialog(world, client=client)
    qtbot.keyClicks(dialog.price_edit, "1288")
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: "连不上平台" in dialog.status_label.text(), timeout=TIMEOUT)
    assert dialog.isVisible()
    assert dialog.form_box.isEnabled()
    assert len(keys) >= 3
    assert len(set(keys)) == 1  # every automatic retry carried the one key
    assert dialog.pending_key() == keys[0]
    assert listed(world) == []
    offline = False
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT):
        press_enter(qtbot, dialog)  # the seller's next press: same submission, same key
    assert keys[-1] == keys[0]
    assert len(listed(world)) == 1


def test_targeted_sends_the_targets(qtbot: Any, world: World, open_dialog: Open) -> None:
    client = client_for(world)
    viewers = client.viewers(world.room_id)
    first, second = viewers[0], viewers[1]
    dialog = open_dialog(world, targets=[(first.id, first.nickname)])
    assert dialog.windowTitle() == "新建定向闪购"
    assert dialog.mode_label.text().startswith("定向")
    assert [chip.nickname for chip in dialog.chips()] == [first.nickname]
    assert theme.tone_of(dialog.chips()[0]) is Tone.CHIP
    qtbot.waitUntil(lambda: dialog.viewer_combo.count() >= 1, timeout=TIMEOUT)
    assert dialog.viewer_combo.findData(first.id) < 0  # already a target
    dialog.viewer_combo.setCurrentIndex(dialog.viewer_combo.findData(second.id))
    qtbot.mouseClick(dialog.add_target_button, Qt.MouseButton.LeftButton)
    assert dialog.targets() == [(first.id, first.nickname), (second.id, second.nickname)]
    qtbot.keyClicks(dialog.price_edit, "520")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
    flashbuy = blocker.args[0]
    assert flashbuy.mode == "targeted"
    assert sorted(t.id for t in flashbuy.targets) == sorted([first.id, second.id])
    client.close()


class SendingClient(PlatformClient):
    """The real client, remembering each flash-buy request it sends to the platform."""

    sent: list[FlashBuyCreate]

    def create_flashbuy(
        self, room_id: int, body: FlashBuyCreate, *, key: str | None = None
    ) -> FlashBuy:
        self.sent = [*getattr(self, "sent", []), body]
        return super().create_flashbuy(room_id, body, key=key)


def test_the_pay_window_starts_at_the_settings_and_goes_with_a_full_flashbuy(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    client = SendingClient(world.platform.url, world.creator.token)
    live = LiveContext(pay_minutes=12, hold_back_after=3)
    dialog = open_dialog(world, client=client, last_template_id=world.template_id, live=live)
    assert dialog.pay_spin.value() == 12
    assert dialog.pay_spin.suffix() == " 分钟"
    assert (dialog.pay_spin.minimum(), dialog.pay_spin.maximum()) == (1, 30)
    assert "跑单 3 次及以上" in dialog.hold_back_label.text()
    # The price keeps the keyboard; the new field comes after stock in the tab order.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    dialog.stock_spin.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.pay_spin
    type_into(qtbot, dialog.pay_spin, "7")
    assert dialog.pay_spin.value() == 7
    type_into(qtbot, dialog.price_edit, "1288")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert [(b.pay_minutes, b.hold_back_after) for b in client.sent] == [(7, 3)]


def test_a_targeted_flashbuy_shows_the_record_and_holds_nobody_back(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    target = world.viewer_ids[0]
    known = ViewerRecord(viewer_id=target, nickname="小王", paid_count=5, expired_count=1)
    client = SendingClient(world.platform.url, world.creator.token)
    live = LiveContext(pay_minutes=5, hold_back_after=2, record_of={target: known}.get)
    dialog = open_dialog(world, client=client, targets=[(target, "小王")], live=live)
    chip = dialog.chips()[0]
    assert chip.record_label.text() == "回头客 5 · 跑单 1"
    assert chip.record_label.isVisibleTo(dialog)
    assert dialog.hold_back_label.isHidden()  # the rule is for full flash-buys only
    if shots := os.environ.get("FLASHBUY_SCREENSHOTS"):
        dialog.grab().save(str(Path(shots) / "new-targeted-record.png"))
    # F2 flow unchanged: the price has the keyboard, Enter publishes.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    qtbot.keyClicks(focused(), "520")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert [(b.pay_minutes, b.hold_back_after) for b in client.sent] == [(5, None)]


def test_a_target_without_a_record_says_so(qtbot: Any, world: World, open_dialog: Open) -> None:
    dialog = open_dialog(world, targets=[(world.viewer_ids[1], "新人")], live=LiveContext())
    assert dialog.chips()[0].record_label.text() == "暂无订单"


def test_removing_every_target_refuses_to_create(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    dialog = open_dialog(world, targets=[(world.viewer_ids[0], "某观众")])
    chip = dialog.chips()[0]
    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.targets() == []
    qtbot.keyClicks(dialog.price_edit, "520")
    press_enter(qtbot, dialog)
    assert "至少要选一位观众" in dialog.targets_error.text()
    assert dialog.isVisible()
    assert listed(world) == []


# --- rules said up front --------------------------------------------------------------------


def test_the_21st_full_flashbuy_is_disabled_with_the_reason(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    for n in range(20):
        world.create_flashbuy(piece_no=str(n), title=f"{n}号 冰种翡翠手镯")
    dialog = open_dialog(world)
    # No other product to swap in silently: nothing is selected and the banner says why.
    assert dialog.product_combo.currentIndex() == -1
    item = dialog.product_model.item(0)
    assert "全量 0/20" in item.text()
    assert "定向 100/100" in item.text()
    assert not item.isEnabled()
    assert not dialog.create_button.isEnabled()
    assert "全量闪购次数已用完（0/20）" in dialog.banner.text()
    assert not dialog.banner.isHidden()
    assert theme.tone_of(dialog.banner) is Tone.BANNER
    qtbot.keyClicks(dialog.price_edit, "1288")
    press_enter(qtbot, dialog)
    assert dialog.isVisible()
    assert len(listed(world)) == 20
    # the targeted quota is separate: a targeted window for the same product may create
    targeted = open_dialog(world, targets=[(world.viewer_ids[0], "观众")])
    assert targeted.create_button.isEnabled()


def test_unapproved_category_is_said_up_front_and_refused(
    qtbot: Any, platform: Platform, open_dialog: Open
) -> None:
    world = make_world(platform, approved=False)
    try:
        dialog = open_dialog(world)
        assert not dialog.banner.isHidden()
        assert "该类目不支持闪购" in dialog.banner.text()
        assert "（类目未获批）" in dialog.product_combo.itemText(0)
        assert dialog.selected_product() is None
        assert not dialog.create_button.isEnabled()
        qtbot.keyClicks(dialog.price_edit, "1288")
        press_enter(qtbot, dialog)
        assert dialog.isVisible()
        assert listed(world) == []
    finally:
        world.close()


# --- shipping templates ---------------------------------------------------------------------


def test_new_template_hook_adds_and_selects_it(
    qtbot: Any, world: World, open_dialog: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    flat = world.creator.ok(
        "POST",
        "/shipping-templates",
        201,
        json={"name": "顺丰 12 元", "kind": "flat", "flat_fee_fen": 1200},
    )
    dialog = open_dialog(world, last_template_id=flat["id"])
    assert dialog.template_id() == flat["id"]  # the last one used is preselected
    made = ShippingTemplate.model_validate(
        world.creator.ok(
            "POST", "/shipping-templates", 201, json={"name": "偏远不发", "kind": "free"}
        )
    )
    seen: list[Any] = []

    def fake_create(cls: type, parent: Any, client: Any, tasks: Any) -> ShippingTemplate:
        seen.append(parent)
        return made

    monkeypatch.setattr(TemplateEditorHook, "create", classmethod(fake_create))
    qtbot.mouseClick(dialog.new_template_button, Qt.MouseButton.LeftButton)
    assert seen == [dialog]
    assert dialog.template_id() == made.id
    assert dialog.template_combo.currentText() == "偏远不发"
    assert dialog.last_template_id == made.id
    qtbot.keyClicks(dialog.price_edit, "10")
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
    assert blocker.args[0].template_id == made.id


def test_cancelled_template_editor_changes_nothing(
    qtbot: Any, world: World, open_dialog: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(world)
    before = dialog.template_combo.count()
    monkeypatch.setattr(TemplateEditorHook, "create", classmethod(lambda cls, p, c, t: None))
    qtbot.mouseClick(dialog.new_template_button, Qt.MouseButton.LeftButton)
    assert dialog.template_combo.count() == before
    assert dialog.template_id() == world.template_id


def type_over(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Select all and type: the title, emptied, would follow piece and product again."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, edit, text)


def test_text_the_platform_would_refuse_is_said_under_its_field_and_nothing_is_sent(
    qtbot: Any, world: World, open_dialog: Open
) -> None:
    """Pasted characters the text rule refuses: the reason in Chinese, no request."""
    dialog = open_dialog(world, last_template_id=world.template_id)
    qtbot.keyClicks(dialog.piece_edit, "3")
    qtbot.keyClicks(dialog.price_edit, "1288")
    type_over(qtbot, dialog.title_edit, "冰种\u202e翡翠")
    type_into(qtbot, dialog.note_edit, "\u200b\u200b")
    press_enter(qtbot, dialog)
    assert dialog.title_error.text() == "标题含有改变文字方向的隐藏字符，请重新输入"
    assert dialog.note_error.text() == "备注没有可显示的内容：只含不可见字符"
    assert dialog.title_error.isVisible()
    assert dialog.note_error.isVisible()
    if os.environ.get("FLASHBUY_SCREENSHOTS"):  # a folder to keep the picture in
        assert dialog.grab().save(
            str(Path(os.environ["FLASHBUY_SCREENSHOTS"]) / "new-text-rule.png")
        )
    type_into(qtbot, dialog.piece_edit, "3\x9b")
    press_enter(qtbot, dialog)
    assert dialog.piece_error.text() == "件号含有控制字符（可能是粘贴带入的），请重新输入"
    assert theme.tone_of(dialog.piece_error) is Tone.ERROR  # refused, not only a warning
    assert dialog.isVisible()
    assert dialog.pending_key() is None
    assert listed(world) == []

    # Chinese with an emoji of three joined by U+200D is what sellers type: it goes through.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    type_into(qtbot, dialog.piece_edit, "3")
    type_over(qtbot, dialog.title_edit, f"冰种翡翠 {family}")
    type_into(qtbot, dialog.note_edit, "证书 附后")
    assert not dialog.title_error.isVisible()
    assert not dialog.note_error.isVisible()
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT) as blocker:
        press_enter(qtbot, dialog)
    assert blocker.args[0].title == f"冰种翡翠 {family}"
    assert [item["note"] for item in listed(world)] == ["证书 附后"]


# --- screenshots ----------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["sqlite"], indirect=True)  # one set of pictures is enough
def test_screenshots_of_both_modes(
    qtbot: Any,
    world: World,
    open_dialog: Open,
    engine: FakeEngine,
    tmp_path: Path,
) -> None:
    """Both modes as the seller sees them (FLASHBUY_SCREENSHOTS names a folder to keep them)."""
    folder = Path(os.environ.get("FLASHBUY_SCREENSHOTS") or tmp_path)
    engine.warnings = (CaptureWarning.BLURRY,)
    world.create_flashbuy()
    world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[1]])
    full = open_dialog(world, last_template_id=world.template_id)
    qtbot.keyClicks(full.piece_edit, "3")
    qtbot.keyClicks(full.price_edit, "1288")
    assert full.grab().save(str(folder / "new-full.png"))
    full.reject()
    client = client_for(world)
    viewers = client.viewers(world.room_id)
    client.close()
    targeted = open_dialog(
        world,
        targets=[(viewers[0].id, viewers[0].nickname)],
        last_template_id=world.template_id,
    )
    qtbot.waitUntil(lambda: targeted.viewer_combo.count() >= 1, timeout=TIMEOUT)
    qtbot.keyClicks(targeted.piece_edit, "8")
    qtbot.keyClicks(targeted.price_edit, "12.345")
    assert targeted.grab().save(str(folder / "new-targeted.png"))

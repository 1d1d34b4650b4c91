"""Shipping templates: the editor and the manager, driven like a seller against the platform."""

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.shipping import (
    ShippingTemplateEditor,
    ShippingTemplateManager,
    delete_question,
    excluded_summary,
    fee_summary,
    parse_fee,
)
from flashbuy_protocol.limits import FEE_MAX_FEN
from flashbuy_protocol.models import ShippingTemplate
from flashbuy_protocol.money import MoneyError
from tests.desktop.keyboard import type_into, type_text
from tests.desktop.modal import click_in_message_box, when_shown
from tests.support import World, unique

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def client(world: World) -> Iterator[PlatformClient]:
    c = PlatformClient(world.platform.url, world.creator.token)
    yield c
    c.close()


@pytest.fixture
def tasks() -> Tasks:
    return Tasks()


def on_platform(world: World, name: str) -> dict[str, Any] | None:
    templates = world.creator.ok("GET", "/shipping-templates")
    return next((t for t in templates if t["name"] == name), None)


def make_template(world: World, **body: Any) -> ShippingTemplate:
    body.setdefault("name", unique("模板")[:30])
    return ShippingTemplate.model_validate(
        world.creator.ok("POST", "/shipping-templates", 201, json=body)
    )


def open_editor(
    qtbot: Any, client: PlatformClient, tasks: Tasks, template: ShippingTemplate | None = None
) -> ShippingTemplateEditor:
    editor = ShippingTemplateEditor(None, client, tasks, template)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # the keyboard is the editor's, as for a seller
    return editor


def focused() -> QWidget:
    """Whatever has the keyboard now: where a seller's key presses go."""
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_here(qtbot: Any, text: str) -> None:
    """Type ``text`` into whatever has the keyboard, as a seller does."""
    type_text(qtbot, focused(), text)


def click_save_refused(qtbot: Any, editor: ShippingTemplateEditor) -> None:
    """Click Save on a template with a problem: the editor stays, nothing is sent."""
    with qtbot.assertNotEmitted(editor.saved, wait=50):
        qtbot.mouseClick(editor.ok_button, LEFT)
    assert editor.isVisible()
    assert editor.name_edit.isEnabled()  # not saving


def new_template(
    qtbot: Any, client: PlatformClient, tasks: Tasks, prefix: str, kind: str
) -> tuple[ShippingTemplateEditor, str]:
    """A new template's editor with a fresh name typed and ``kind`` (its radio's name) chosen."""
    editor = open_editor(qtbot, client, tasks)
    name = unique(prefix)[:30]
    type_text(qtbot, editor.name_edit, name)
    qtbot.mouseClick(getattr(editor, f"{kind}_radio"), LEFT)
    return editor, name


def stored_template(world: World, name: str) -> dict[str, Any]:
    """The template named ``name`` as the platform keeps it (it must be there)."""
    stored = on_platform(world, name)
    assert stored is not None
    return stored


def save(qtbot: Any, editor: ShippingTemplateEditor) -> ShippingTemplate:
    assert editor.ok_button.isEnabled(), editor.error_label.text()
    with qtbot.waitSignal(editor.saved, timeout=30_000) as blocker:
        qtbot.mouseClick(editor.ok_button, LEFT)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert editor.result() == ShippingTemplateEditor.DialogCode.Accepted
    template: ShippingTemplate = blocker.args[0]
    assert editor.template == template
    return template


# --- fees and summaries -------------------------------------------------------------------


def test_parse_fee_accepts_zero_and_yuan_and_refuses_the_rest() -> None:
    assert parse_fee("0") == 0
    assert parse_fee("0.00") == 0
    assert parse_fee(" ¥1,288.5 ") == 128_850
    assert parse_fee("23") == 2300
    assert parse_fee("99999.99") == FEE_MAX_FEN
    assert parse_fee("１２元") == 1200  # as a Chinese input method types it in 全角 mode
    for bad, reason in (
        ("", "请输入运费"),
        ("-1", "负数"),
        ("1.234", "两位小数"),
        ("abc", "数字"),
        ("12块", "数字"),
        ("100000", "最多"),
    ):
        with pytest.raises(MoneyError, match=reason):
            parse_fee(bad)


def test_summaries_read_like_a_seller_writes_them() -> None:
    now = datetime(2025, 5, 1, tzinfo=UTC)

    def t(**fields: Any) -> ShippingTemplate:
        base: dict[str, Any] = {
            "id": 1,
            "name": "x",
            "kind": "free",
            "flat_fee_fen": None,
            "default_fee_fen": None,
            "region_fees": {},
            "excluded_regions": [],
            "created_at": now,
            "updated_at": now,
        }
        return ShippingTemplate.model_validate(base | fields)

    assert fee_summary(t()) == "包邮"
    assert fee_summary(t(kind="flat", flat_fee_fen=2300)) == "¥23.00"
    by_region = t(
        kind="by_region",
        default_fee_fen=1000,
        region_fees={"广东": 0, "北京": 500, "上海": 800, "新疆": 3000},
    )
    assert fee_summary(by_region) == "默认 ¥10.00，北京 ¥5.00，上海 ¥8.00，广东 ¥0.00…"
    assert fee_summary(by_region, limit=None).endswith("新疆 ¥30.00")
    assert excluded_summary(t(excluded_regions=["西藏", "新疆"])) == "不发: 西藏, 新疆"
    assert excluded_summary(t()) == ""


# --- the editor ---------------------------------------------------------------------------


def test_create_free_template_with_excluded_regions(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    editor, name = new_template(qtbot, client, tasks, "包邮", "free")
    editor.excluded_item("新疆").setCheckState(Qt.CheckState.Checked)
    editor.excluded_item("西藏").setCheckState(Qt.CheckState.Checked)
    saved = save(qtbot, editor)
    stored = stored_template(world, name)
    assert stored["id"] == saved.id
    assert stored["kind"] == "free"
    assert sorted(stored["excluded_regions"]) == sorted(["新疆", "西藏"])
    assert stored["flat_fee_fen"] is None
    assert stored["region_fees"] == {}


def test_create_flat_template(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    editor, name = new_template(qtbot, client, tasks, "统一", "flat")
    assert editor.kind_pages.currentIndex() == 1
    assert editor.error_label.text() == ""  # not before the seller had a chance to type it
    click_save_refused(qtbot, editor)
    assert editor.error_label.text() == "运费：请输入运费"
    assert focused() is editor.flat_fee_edit  # where the missing fee goes
    type_here(qtbot, "23")
    assert editor.error_label.text() == ""
    save(qtbot, editor)
    stored = stored_template(world, name)
    assert (stored["kind"], stored["flat_fee_fen"]) == ("flat", 2300)


def test_create_flat_template_with_zero_fee(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    editor, name = new_template(qtbot, client, tasks, "零运费", "flat")
    type_text(qtbot, editor.flat_fee_edit, "0.00")
    save(qtbot, editor)
    stored = stored_template(world, name)
    assert stored["flat_fee_fen"] == 0


def test_create_by_region_template(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    editor, name = new_template(qtbot, client, tasks, "按地区", "by_region")
    assert editor.kind_pages.currentIndex() == 2
    type_text(qtbot, editor.region_fees.default_fee_edit, "10")
    editor.region_fees.region_combo.setCurrentText("广东")
    qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    assert editor.region_fees.region_combo.findText("广东") == -1  # offered once only
    guangdong = editor.fee_edit("广东")
    assert guangdong is not None
    assert editor.errors() == ["广东运费：请输入运费"]  # its fee is still empty...
    assert editor.error_label.text() == ""  # ...but the seller is about to type it
    type_here(qtbot, "0")
    editor.region_fees.region_combo.setCurrentText("新疆")
    qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    xinjiang = editor.fee_edit("新疆")
    assert xinjiang is not None
    type_here(qtbot, "30.5")
    assert (guangdong.text(), xinjiang.text()) == ("0", "30.5")
    editor.region_fees.region_combo.setCurrentText("北京")
    qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    remove = editor.region_fees.region_table.findChild(QAbstractButton, "remove_region_北京")
    assert remove is not None
    qtbot.mouseClick(remove, LEFT)
    assert editor.fee_edit("北京") is None
    assert editor.region_fees.region_combo.findText("北京") >= 0
    editor.excluded_item("西藏").setCheckState(Qt.CheckState.Checked)
    save(qtbot, editor)
    stored = stored_template(world, name)
    assert stored["kind"] == "by_region"
    assert stored["default_fee_fen"] == 1000
    assert stored["region_fees"] == {"广东": 0, "新疆": 3050}
    assert stored["excluded_regions"] == ["西藏"]


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (lambda e, q: type_into(q, e.name_edit, ""), "请填写模板名称"),
        (lambda e, q: type_into(q, e.name_edit, "   "), "请填写模板名称"),
        (lambda e, q: type_into(q, e.name_edit, "运" * 31), "模板名称最多 30 个字"),
        # The platform's text rule (flashbuy_protocol.limits.text_problem), pasted characters.
        (lambda e, q: type_into(q, e.name_edit, "江浙\x85沪"), "模板名称不能包含控制字符"),
        (
            lambda e, q: type_into(q, e.name_edit, "江浙\u202e沪"),
            "模板名称含有改变文字方向的隐藏字符，请重新输入",
        ),
        (
            lambda e, q: type_into(q, e.name_edit, "\u200b\u3000\u200d"),
            "模板名称没有可显示的内容：只含不可见字符",
        ),
        (lambda e, q: flat(e, q, "12.345"), "运费：运费最多两位小数"),
        (lambda e, q: flat(e, q, "十二"), "运费：运费只能包含数字和小数点"),
        (lambda e, q: flat(e, q, "-3"), "运费：运费不能为负数"),
        (lambda e, q: flat(e, q, "100000"), "运费：运费最多 99,999.99 元"),
        (lambda e, q: by_region(e, q, "abc", "5"), "默认运费：运费只能包含数字和小数点"),
        (lambda e, q: by_region(e, q, "5", "1.001"), "广东运费：运费最多两位小数"),
        (lambda e, q: by_region(e, q, "5", "5", exclude=True), "广东既设置了运费又设为不发货"),
    ],
)
def test_bad_input_says_why_and_is_not_saved(
    qtbot: Any,
    client: PlatformClient,
    tasks: Tasks,
    arrange: Callable[[ShippingTemplateEditor, Any], None],
    reason: str,
) -> None:
    editor = open_editor(qtbot, client, tasks)
    type_text(qtbot, editor.name_edit, "江浙沪")
    arrange(editor, qtbot)
    assert reason in editor.error_label.text(), editor.error_label.text()
    assert any(reason in e for e in editor.errors())
    click_save_refused(qtbot, editor)
    assert reason in editor.error_label.text(), editor.error_label.text()
    editor.reject()


def flat(editor: ShippingTemplateEditor, qtbot: Any, fee: str) -> None:
    qtbot.mouseClick(editor.flat_radio, LEFT)
    type_text(qtbot, editor.flat_fee_edit, fee)


def by_region(
    editor: ShippingTemplateEditor, qtbot: Any, default: str, guangdong: str, exclude: bool = False
) -> None:
    qtbot.mouseClick(editor.by_region_radio, LEFT)
    type_text(qtbot, editor.region_fees.default_fee_edit, default)
    edit = editor.add_region("广东")
    assert edit is not None
    type_text(qtbot, edit, guangdong)
    if exclude:
        editor.excluded_item("广东").setCheckState(Qt.CheckState.Checked)


def test_fixing_the_input_enables_ok_again(
    qtbot: Any, client: PlatformClient, tasks: Tasks
) -> None:
    editor = open_editor(qtbot, client, tasks)
    type_text(qtbot, editor.name_edit, "江浙沪")
    by_region(editor, qtbot, "5", "5", exclude=True)
    assert editor.error_label.text() == "广东既设置了运费又设为不发货，请二选一"
    editor.excluded_item("广东").setCheckState(Qt.CheckState.Unchecked)
    assert editor.errors() == []
    assert editor.error_label.text() == ""
    # fees of a kind not chosen do not count
    type_into(qtbot, editor.region_fees.default_fee_edit, "bad")
    assert editor.error_label.text() == "默认运费：运费只能包含数字和小数点"
    qtbot.mouseClick(editor.free_radio, LEFT)
    assert editor.errors() == []
    assert editor.error_label.text() == ""
    editor.reject()


SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


def test_the_editor_opens_without_a_reproach_and_says_what_is_missing_on_save(
    qtbot: Any, client: PlatformClient, tasks: Tasks
) -> None:
    editor = open_editor(qtbot, client, tasks)
    assert editor.error_label.text() == ""  # nothing typed, nothing wrong yet
    assert editor.errors() == ["请填写模板名称"]
    assert focused() is editor.name_edit  # the name is typed first
    click_save_refused(qtbot, editor)
    assert editor.error_label.text() == "请填写模板名称"
    assert focused() is editor.name_edit
    type_here(qtbot, "江浙沪包邮")
    assert editor.error_label.text() == ""
    editor.reject()


def test_a_name_typed_then_deleted_is_missed_at_once(
    qtbot: Any, client: PlatformClient, tasks: Tasks
) -> None:
    editor = open_editor(qtbot, client, tasks)
    type_here(qtbot, "江")
    assert editor.error_label.text() == ""
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    assert editor.error_label.text() == "请填写模板名称"
    editor.reject()


def test_a_region_added_takes_the_fee_typed_next(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    editor = open_editor(qtbot, client, tasks)
    name = unique("按地区")[:30]
    type_here(qtbot, name)
    qtbot.mouseClick(editor.by_region_radio, LEFT)
    qtbot.mouseClick(editor.region_fees.default_fee_edit, LEFT)
    type_here(qtbot, "10")
    editor.region_fees.region_combo.setCurrentText("新疆")
    qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    xinjiang = editor.fee_edit("新疆")
    assert xinjiang is not None
    assert focused() is xinjiang  # 添加地区 hands the keyboard to the new fee
    type_here(qtbot, "25")
    editor.region_fees.region_combo.setCurrentText("西藏")
    qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    type_here(qtbot, "30")
    assert [(r, e.text()) for r, e in editor.region_rows()] == [("新疆", "25"), ("西藏", "30")]
    assert editor.region_fees.default_fee_edit.text() == "10"
    assert editor.error_label.text() == ""
    if SHOTS:
        editor.grab().save(os.path.join(SHOTS, "shipping-editor.png"))
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter in a field saves
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=30_000)
    stored = stored_template(world, name)
    assert stored["region_fees"] == {"新疆": 2500, "西藏": 3000}


def test_problems_showing_never_move_the_buttons(
    qtbot: Any, client: PlatformClient, tasks: Tasks
) -> None:
    editor = open_editor(qtbot, client, tasks)

    def where() -> tuple[QPoint, QPoint, QSize]:
        return (
            editor.ok_button.mapToGlobal(QPoint(0, 0)),
            editor.cancel_button.mapToGlobal(QPoint(0, 0)),
            editor.size(),
        )

    before = where()
    click_save_refused(qtbot, editor)  # one problem
    assert editor.error_label.text() == "请填写模板名称"
    QApplication.processEvents()
    assert where() == before

    qtbot.mouseClick(editor.by_region_radio, LEFT)
    for region in ("北京", "上海", "江苏", "浙江", "广东", "新疆", "西藏", "青海", "海南", "云南"):
        editor.region_fees.region_combo.setCurrentText(region)
        qtbot.mouseClick(editor.region_fees.add_region_button, LEFT)
    click_save_refused(qtbot, editor)  # twelve problems: more than the room kept for them
    QApplication.processEvents()
    assert where() == before
    lines = editor.error_label.text().split("\n")
    assert lines == ["请填写模板名称", "默认运费：请输入运费", "…还有 10 处问题（悬停查看）"]
    assert editor.error_label.toolTip().split("\n") == editor.errors()
    assert len(editor.errors()) == 12
    if SHOTS:
        editor.grab().save(os.path.join(SHOTS, "shipping-editor-problems.png"))
    editor.reject()


def test_edit_changes_the_fee_on_the_platform(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    template = make_template(world, kind="flat", flat_fee_fen=1200, excluded_regions=["新疆"])
    editor = open_editor(qtbot, client, tasks, template)
    assert editor.windowTitle() == "编辑运费模板"
    assert editor.name_edit.text() == template.name
    assert editor.flat_radio.isChecked()
    assert editor.flat_fee_edit.text() == "12.00"
    assert editor.excluded_regions() == ["新疆"]
    type_into(qtbot, editor.flat_fee_edit, "8.5")
    saved = save(qtbot, editor)
    assert saved.id == template.id
    assert saved.flat_fee_fen == 850
    stored = world.creator.ok("GET", f"/shipping-templates/{template.id}")
    assert stored["flat_fee_fen"] == 850
    assert stored["excluded_regions"] == ["新疆"]


def test_editor_loads_a_by_region_template(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    template = make_template(
        world, kind="by_region", default_fee_fen=1000, region_fees={"广东": 0, "北京": 500}
    )
    editor = open_editor(qtbot, client, tasks, template)
    assert editor.by_region_radio.isChecked()
    assert editor.region_fees.default_fee_edit.text() == "10.00"
    assert [(r, e.text()) for r, e in editor.region_rows()] == [("北京", "5.00"), ("广东", "0.00")]
    assert editor.ok_button.isEnabled()
    editor.reject()


def test_platform_refusal_is_shown_and_the_editor_stays_open(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    template = make_template(world, kind="free")
    world.creator.ok("DELETE", f"/shipping-templates/{template.id}", 204)
    editor = open_editor(qtbot, client, tasks, template)
    qtbot.mouseClick(editor.ok_button, LEFT)
    qtbot.waitUntil(lambda: "该运费模板已不存在" in editor.error_label.text(), timeout=30_000)
    assert editor.isVisible()
    assert editor.template is None
    assert editor.ok_button.isEnabled()  # the seller may try again
    editor.reject()


def test_create_classmethod_returns_the_created_template(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    name = unique("新建")[:30]

    def fill(editor: ShippingTemplateEditor) -> None:
        type_text(qtbot, editor.name_edit, name)
        qtbot.mouseClick(editor.flat_radio, LEFT)
        type_text(qtbot, editor.flat_fee_edit, "6")
        qtbot.mouseClick(editor.ok_button, LEFT)

    when_shown(ShippingTemplateEditor, fill)
    created = ShippingTemplateEditor.create(None, client, tasks)
    assert created is not None
    assert created.name == name
    assert created.flat_fee_fen == 600
    stored = stored_template(world, name)
    assert stored["id"] == created.id


def test_create_classmethod_cancelled_returns_none(
    qtbot: Any, client: PlatformClient, tasks: Tasks
) -> None:
    when_shown(ShippingTemplateEditor, lambda editor: qtbot.mouseClick(editor.cancel_button, LEFT))
    assert ShippingTemplateEditor.create(None, client, tasks) is None


# --- the manager --------------------------------------------------------------------------


def open_manager(qtbot: Any, client: PlatformClient, tasks: Tasks) -> ShippingTemplateManager:
    manager = ShippingTemplateManager(None, client, tasks)
    qtbot.addWidget(manager)
    manager.show()
    qtbot.waitExposed(manager)
    qtbot.waitUntil(lambda: bool(manager.templates), timeout=30_000)
    return manager


def row_texts(manager: ShippingTemplateManager, template_id: int) -> list[str]:
    row = manager.row_of(template_id)
    assert row >= 0
    items = [manager.table.item(row, c) for c in range(manager.table.columnCount())]
    assert all(item is not None for item in items)
    return [item.text() for item in items if item is not None]


def test_manager_lists_templates_in_words(
    qtbot: Any, world: World, client: PlatformClient, tasks: Tasks
) -> None:
    flat_t = make_template(world, kind="flat", flat_fee_fen=2300)
    region_t = make_template(
        world,
        kind="by_region",
        default_fee_fen=1000,
        region_fees={"广东": 0},
        excluded_regions=["新疆", "西藏"],
    )
    manager = open_manager(qtbot, client, tasks)
    qtbot.waitUntil(lambda: manager.row_of(region_t.id) >= 0, timeout=30_000)
    assert row_texts(manager, world.template_id)[1:] == ["包邮", "包邮", ""]
    assert row_texts(manager, flat_t.id)[1:] == ["统一运费", "¥23.00", ""]
    assert row_texts(manager, region_t.id)[1:] == [
        "按地区计费",
        "默认 ¥10.00，广东 ¥0.00",
        "不发: 西藏, 新疆",  # in the order of REGIONS
    ]
    assert not manager.edit_button.isEnabled()
    assert not manager.delete_button.isEnabled()
    manager.select(flat_t.id)
    assert manager.edit_button.isEnabled()
    assert manager.delete_button.isEnabled()


def test_manager_new_refreshes_and_selects_it(
    qtbot: Any,
    world: World,
    client: PlatformClient,
    tasks: Tasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = open_manager(qtbot, client, tasks)

    def create(_cls: Any, parent: Any, c: PlatformClient, t: Tasks) -> ShippingTemplate:
        assert parent is manager
        assert c is client
        return make_template(world, kind="flat", flat_fee_fen=500)

    monkeypatch.setattr(ShippingTemplateEditor, "create", classmethod(create))
    with qtbot.waitSignal(manager.loaded, timeout=30_000):
        qtbot.mouseClick(manager.new_button, LEFT)
    assert len(manager.templates) == 2
    chosen = manager.selected()
    assert chosen is not None
    assert chosen.flat_fee_fen == 500


def test_manager_edit_refreshes_with_the_new_fee(
    qtbot: Any,
    world: World,
    client: PlatformClient,
    tasks: Tasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = make_template(world, kind="flat", flat_fee_fen=1000)
    manager = open_manager(qtbot, client, tasks)
    qtbot.waitUntil(lambda: manager.row_of(template.id) >= 0, timeout=30_000)

    def edit(
        _cls: Any, _parent: Any, _c: PlatformClient, _t: Tasks, chosen: ShippingTemplate
    ) -> ShippingTemplate:
        assert chosen.id == template.id
        body = {"name": chosen.name, "kind": "flat", "flat_fee_fen": 1500}
        return ShippingTemplate.model_validate(
            world.creator.ok("PUT", f"/shipping-templates/{chosen.id}", json=body)
        )

    monkeypatch.setattr(ShippingTemplateEditor, "edit", classmethod(edit))
    manager.select(template.id)
    with qtbot.waitSignal(manager.loaded, timeout=30_000):
        qtbot.mouseClick(manager.edit_button, LEFT)
    assert row_texts(manager, template.id)[2] == "¥15.00"


def test_manager_delete_removes_it(
    qtbot: Any,
    world: World,
    client: PlatformClient,
    tasks: Tasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = make_template(world, kind="free")
    manager = open_manager(qtbot, client, tasks)
    qtbot.waitUntil(lambda: manager.row_of(template.id) >= 0, timeout=30_000)
    asked: list[str] = []

    def ask(_cls: Any, _parent: Any, question: Question) -> bool:
        asked.append(question.text)
        return True

    monkeypatch.setattr(Confirm, "ask", classmethod(ask))
    manager.select(template.id)
    qtbot.mouseClick(manager.delete_button, LEFT)
    qtbot.waitUntil(lambda: manager.row_of(template.id) < 0, timeout=30_000)
    assert asked == [f"确定删除运费模板「{template.name}」吗？"]  # about this template
    assert "已删除" in manager.status_label.text()
    ids = [t["id"] for t in world.creator.ok("GET", "/shipping-templates")]
    assert template.id not in ids


def test_manager_delete_cancelled_keeps_it(
    qtbot: Any,
    world: World,
    client: PlatformClient,
    tasks: Tasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = open_manager(qtbot, client, tasks)
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda _c, _p, _q: False))
    manager.select(world.template_id)
    qtbot.mouseClick(manager.delete_button, LEFT)
    assert manager.row_of(world.template_id) >= 0
    assert manager.delete_button.isEnabled()
    ids = [t["id"] for t in world.creator.ok("GET", "/shipping-templates")]
    assert world.template_id in ids


def test_manager_delete_of_a_template_in_use_shows_why_and_keeps_it(
    qtbot: Any,
    world: World,
    client: PlatformClient,
    tasks: Tasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = make_template(world, kind="flat", flat_fee_fen=800)
    world.create_flashbuy(template_id=template.id)
    manager = open_manager(qtbot, client, tasks)
    qtbot.waitUntil(lambda: manager.row_of(template.id) >= 0, timeout=30_000)
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda _c, _p, _q: True))
    manager.select(template.id)
    with qtbot.waitSignal(manager.failed, timeout=30_000) as blocker:
        qtbot.mouseClick(manager.delete_button, LEFT)
    assert "有进行中的闪购在使用该运费模板" in blocker.args[0]
    assert "有进行中的闪购在使用该运费模板" in manager.status_label.text()
    qtbot.waitUntil(lambda: manager.delete_button.isEnabled(), timeout=30_000)
    assert manager.row_of(template.id) >= 0
    assert "有进行中的闪购在使用该运费模板" in manager.status_label.text()  # kept after refresh
    ids = [t["id"] for t in world.creator.ok("GET", "/shipping-templates")]
    assert template.id in ids


def test_confirm_delete_asks_with_real_buttons(
    qtbot: Any, world: World, client: PlatformClient
) -> None:
    template = ShippingTemplate.model_validate(
        world.creator.ok("GET", f"/shipping-templates/{world.template_id}")
    )

    question: Question = delete_question(template)
    texts = click_in_message_box(qtbot, Confirm.SAFE_BUTTON)
    assert Confirm.ask(None, question) is False
    assert texts == [f"确定删除运费模板「{template.name}」吗？"]
    click_in_message_box(qtbot, Confirm.ACT_BUTTON)
    assert Confirm.ask(None, question) is True

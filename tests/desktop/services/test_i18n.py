"""Languages: every string a seller sees in the real windows is translated, and the catalogs
match the code.

The walk opens the console's windows against the real platform, in the states a seller
meets (a live room with comments, flash-buys of every status, errors shown), collects every
string on screen, and fails on any left in English. Adding a window to the walk is one
entry in :data:`WINDOWS`.
"""

import importlib.util
import logging
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QAction, QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabBar,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.diagnostics.crash import Crash
from flashbuy_desktop.services import i18n
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.comments import CommentDelegate
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.crash_window import CrashReporter
from flashbuy_desktop.ui.flashbuys import end_question
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog
from flashbuy_desktop.ui.report_window import ProblemReportDialog
from flashbuy_desktop.ui.settings_window import SettingsWindow
from flashbuy_desktop.ui.shipping import (
    ShippingTemplateEditor,
    ShippingTemplateManager,
    delete_question,
)
from flashbuy_desktop.ui.signin import SignInDialog
from flashbuy_protocol.models import FlashBuy, ShippingTemplate
from tests.support import World

REPO = Path(__file__).resolve().parents[3]
CATALOG = REPO / "resources" / "translations" / "flashbuy_zh_CN.ts"
TIMEOUT = 30_000

# Latin words a Chinese screen may show: key names, abbreviations and units everyone reads
# as is, the zip format, and "English" (a language is named in its own language).
ALLOWED_WORDS = frozenset(
    {"F2", "F3", "F5", "Enter", "Esc", "Ctrl", "Shift", "Alt", "ID", "URL", "zip", "KiB", "MiB"}
    | {"English"}
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_URL = re.compile(r"https?://\S+")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

Texts = list[tuple[str, str]]  # (which widget, the text it shows)
Finding = tuple[str, str, str]  # (window, widget, text)


# --- collecting what a window shows ---------------------------------------------------------


def _name(widget: QWidget) -> str:
    kind = type(widget).__name__
    return f"{kind}#{widget.objectName()}" if widget.objectName() else kind


def _model_texts(where: str, model: QAbstractItemModel | None, headers: bool) -> Texts:
    if model is None:
        return []
    texts: Texts = []
    root = QModelIndex()
    # A list model's columnCount is private in PySide6: a list has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    if headers:
        for column in range(columns):
            value = model.headerData(column, Qt.Orientation.Horizontal)
            texts.append((f"{where} header {column}", str(value or "")))
    for row in range(min(model.rowCount(root), 200)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    texts.append((f"{where} cell {row},{column}", value))
    return texts


def texts_of(root: QWidget) -> Texts:
    """Every string ``root`` and its children can show: titles, labels, buttons, actions,
    tooltips, placeholders, combo items, group and tab titles, item models' headers and
    cells (what the delegates paint). Hidden children count too: they show in other states."""
    texts: Texts = [(f"{_name(root)} title", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        name = _name(widget)
        texts.append((f"{name} tooltip", widget.toolTip()))
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append((name, widget.text()))
        elif isinstance(widget, QLineEdit):
            texts.append((f"{name} placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            texts.append((f"{name} placeholder", widget.placeholderText()))
            texts += [(f"{name} item {i}", widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QGroupBox):
            texts.append((f"{name} title", widget.title()))
        elif isinstance(widget, QTabBar):
            texts += [(f"{name} tab {i}", widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            header = getattr(widget, "horizontalHeader", None)
            shows_headers = callable(header) and _visible_header(header())
            texts += _model_texts(name, widget.model(), shows_headers)
        if isinstance(widget, QWidget) and widget.isWindow() and widget is not root:
            texts.append((f"{name} title", widget.windowTitle()))
    for action in root.findChildren(QAction):
        texts.append((f"action {action.objectName()}", action.text()))
        if action.toolTip() != action.text().replace("&", ""):
            texts.append((f"action {action.objectName()} tooltip", action.toolTip()))
    return [(where, text) for where, text in texts if text and text.strip()]


def _visible_header(header: object) -> bool:
    return isinstance(header, QHeaderView) and not header.isHidden()


def catalog_sources() -> set[str]:
    """The English source strings of the catalog."""
    root = ET.parse(CATALOG).getroot()  # noqa: S314 (our own file)
    return {s.text or "" for s in root.iter("source")}


def untranslated(window: str, texts: Texts, data: set[str], sources: set[str]) -> list[Finding]:
    """The texts left in English: a catalog source as is, or Latin words outside the
    allowlist once the test's own data (names, nicknames, titles) and addresses are taken out."""
    found: list[Finding] = []
    for where, text in texts:
        if text.replace("&", "") in sources and _WORD.search(text):
            found.append((window, where, text))
            continue
        rest = _URL.sub(" ", text)
        for datum in sorted(data, key=len, reverse=True):
            rest = rest.replace(datum, " ")
        if any(word not in ALLOWED_WORDS for word in _WORD.findall(rest)):
            found.append((window, where, text))
    return found


# --- the scene: a live room on the real platform, and the windows opened on it --------------


@dataclass
class Scene:
    """The world the windows show, and what the walk opened (closed at the end)."""

    qtbot: Any  # pytest-qt's QtBot, whose methods are untyped
    world: World
    client: PlatformClient
    tasks: Tasks
    frame: CaptureFrame
    capture: CaptureService
    li_id: int
    by_region: ShippingTemplate
    ended: FlashBuy
    data: set[str] = field(default_factory=set)
    opened: list[QWidget] = field(default_factory=list)
    _window: MainWindow | None = None

    def show(self, widget: QWidget) -> QWidget:
        self.qtbot.addWidget(widget)
        self.opened.append(widget)
        widget.show()
        self.qtbot.waitExposed(widget)
        return widget

    def main_window(self) -> MainWindow:
        """The main window on the live room, loaded (shared by the windows it opens)."""
        if self._window is not None:
            return self._window
        window = MainWindow(self.client, self.tasks, frame=self.frame, capture=self.capture)
        self._window = window
        self.show(window)
        window.load()
        model = window.panel.model

        def loaded() -> bool:
            return (
                window.header.connection.property("state") == "connected"
                and model.rowCount() == 6
                and all(len(model.buyers(r)) == model.flashbuy(r).sold for r in range(6))
                and window.comments.model.rowCount() == 2
                and window.panel.category_combo.count() > 1
            )

        self.qtbot.waitUntil(loaded, timeout=TIMEOUT)
        return window

    def close(self) -> None:
        for widget in reversed(self.opened):
            widget.close()
        QApplication.processEvents()
        self.tasks.wait()
        self.client.close()


def _arrange(world: World) -> tuple[int, ShippingTemplate, FlashBuy]:
    """Flash-buys of every status, full and targeted; comments; templates of every kind."""
    wang, _ = world.join("小王")
    li, li_id = world.join("小李")
    api = world.creator
    world.create_flashbuy(piece_no="1", title="1号 冰种翡翠手镯", note="证书齐全")
    sold = world.create_flashbuy(piece_no="2", title="2号 冰种翡翠手镯")
    wang.ok("POST", f"/flash-buys/{sold['id']}/orders", 201, json={"region": "浙江"})
    ended = world.create_flashbuy(piece_no="3", title="3号 冰种翡翠手镯")
    ended = api.ok("POST", f"/flash-buys/{ended['id']}/end")
    targeted = {"mode": "targeted", "target_viewer_ids": [li_id]}
    world.create_flashbuy(piece_no="4", title="4号 冰种翡翠手镯", stock=2, **targeted)
    sold_t = world.create_flashbuy(piece_no="5", title="5号 冰种翡翠手镯", **targeted)
    li.ok("POST", f"/flash-buys/{sold_t['id']}/orders", 201, json={"region": "浙江"})
    ended_t = world.create_flashbuy(piece_no="6", title="6号 冰种翡翠手镯", **targeted)
    api.ok("POST", f"/flash-buys/{ended_t['id']}/end")
    world.viewers[0].ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "主播好"})
    li.ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "3号多少钱"})
    api.ok(
        "POST",
        "/shipping-templates",
        201,
        json={"name": "八元", "kind": "flat", "flat_fee_fen": 800},
    )
    by_region = api.ok(
        "POST",
        "/shipping-templates",
        201,
        json={
            "name": "按地区",
            "kind": "by_region",
            "default_fee_fen": 1000,
            "region_fees": {"北京": 500, "上海": 800, "广东": 0, "新疆": 3000},
            "excluded_regions": ["西藏"],
        },
    )
    return li_id, ShippingTemplate.model_validate(by_region), FlashBuy.model_validate(ended)


def _data(scene: Scene) -> set[str]:
    """The test's own strings, which no catalog translates."""
    client = scene.client
    data = {scene.world.username, "小王", "小李"}
    data |= {v.nickname for v in client.viewers(scene.world.room_id)}
    data |= {c.name for c in client.categories()}
    data |= {p.name for p in client.products()}
    data |= {t.name for t in client.templates()}
    data |= {fb.title for fb in client.flashbuys(scene.world.room_id).items}
    data |= {room.title for room in client.rooms()}
    return data


@pytest.fixture
def scene(qtbot: QtBot, world: World) -> Iterator[Scene]:
    li_id, by_region, ended = _arrange(world)
    tasks = Tasks()
    frame = CaptureFrame()
    scene = Scene(
        qtbot=qtbot,
        world=world,
        client=PlatformClient(world.platform.url, world.creator.token),
        tasks=tasks,
        frame=frame,
        capture=CaptureService(frame, tasks),
        li_id=li_id,
        by_region=by_region,
        ended=ended,
    )
    scene.data = _data(scene)
    yield scene
    scene.close()
    frame.close()
    frame.deleteLater()


# --- the windows ----------------------------------------------------------------------------


def sign_in(s: Scene) -> Texts:
    """The sign-in window, after a refused password (the platform's reason, in words)."""
    client = PlatformClient(s.world.platform.url)
    try:
        dialog = SignInDialog(client, s.tasks)
        s.show(dialog)
        dialog.username.setText(s.world.username)
        dialog.password.setText("not the password")
        dialog.submit()
        s.qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=TIMEOUT)
        return texts_of(dialog)
    finally:
        s.tasks.wait()
        client.close()


def main_window(s: Scene) -> Texts:
    """The live room: header, comments (paused, with the "+" tooltip), every kind of row."""
    window = s.main_window()
    window.comments.feed.set_paused(True)
    texts = texts_of(window) + _plus_tooltip(s, window)
    window.comments.feed.set_paused(False)
    return texts


def _plus_tooltip(s: Scene, window: MainWindow) -> Texts:
    """What the comments' "+" button says on hover (painted by the delegate, not a widget)."""
    view = window.comments.list_view
    index = view.model().index(0, 0)
    button = CommentDelegate.button_rect(view.visualRect(index)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, button, view.viewport().mapToGlobal(button))
    QApplication.sendEvent(view.viewport(), event)
    s.qtbot.waitUntil(QToolTip.isVisible)
    text = QToolTip.text()
    QToolTip.hideText()
    s.qtbot.waitUntil(lambda: not QToolTip.isVisible())
    return [("comment + tooltip", text)]


def _new_dialog(s: Scene, open_it: Callable[[MainWindow], None]) -> NewFlashBuyDialog:
    window = s.main_window()
    open_it(window)
    dialog = window.new_dialog
    assert dialog is not None
    s.qtbot.waitUntil(
        lambda: (
            (dialog.captured_result() is not None or dialog.capture_spinner.isHidden())
            and dialog._products_loaded
            and dialog._templates_loaded
        ),
        timeout=TIMEOUT,
    )
    return dialog


def _refused_texts(s: Scene, dialog: NewFlashBuyDialog, error: QWidget) -> Texts:
    """Submit ``dialog``, which shows ``error``; its texts then, once it is closed again."""
    dialog.submit()
    assert not error.isHidden()
    texts = texts_of(dialog)
    dialog.reject()
    s.qtbot.waitUntil(lambda: s.main_window().new_dialog is None)
    return texts


def new_full(s: Scene) -> Texts:
    """F2: a full flash-buy, with a price that is not an amount."""
    dialog = _new_dialog(s, lambda w: w.new_full_flashbuy())
    s.qtbot.keyClicks(dialog.price_edit, "12.345")
    return _refused_texts(s, dialog, dialog.price_error)


def new_targeted(s: Scene) -> Texts:
    """+ on a comment: a targeted flash-buy; its viewer removed, then Enter."""
    dialog = _new_dialog(s, lambda w: w.new_targeted_flashbuy(s.li_id, "小李"))
    s.qtbot.waitUntil(lambda: dialog.viewer_combo.count() > 0, timeout=TIMEOUT)
    dialog.chips()[0].remove_button.click()
    s.qtbot.keyClicks(dialog.price_edit, "1288")
    return _refused_texts(s, dialog, dialog.targets_error)


def template_manager(s: Scene) -> Texts:
    """The shipping templates: one of each kind, and the question before deleting one."""
    manager = ShippingTemplateManager(None, s.client, s.tasks)
    s.show(manager)
    s.qtbot.waitUntil(lambda: manager.table.rowCount() == 3, timeout=TIMEOUT)
    question = Confirm.build(manager, delete_question(s.by_region))
    try:
        return texts_of(manager) + texts_of(question)
    finally:
        question.deleteLater()


def template_editor(s: Scene) -> Texts:
    """A by-region template being edited, with mistakes in it."""
    editor = ShippingTemplateEditor(None, s.client, s.tasks, s.by_region)
    s.show(editor)
    editor.name_edit.clear()
    fee = editor.fee_edit("北京")
    assert fee is not None
    fee.setText("abc")
    editor.excluded_item("北京").setCheckState(Qt.CheckState.Checked)
    assert len(editor.errors()) == 3
    return texts_of(editor)


def end_flashbuy_question(s: Scene) -> Texts:
    """The question before a flash-buy is ended."""
    question = Confirm.build(s.main_window(), end_question(s.ended))
    try:
        return texts_of(question)
    finally:
        question.deleteLater()


def end_live_question(s: Scene) -> Texts:
    """The question before the live is ended (a standard QMessageBox), answered No."""
    return modal_texts(s, s.main_window().end_live)


def capture_frame(s: Scene) -> Texts:
    """The capture frame (a new one: the scene's was made before the language was chosen)."""
    return texts_of(s.show(CaptureFrame()))


def settings_window(s: Scene) -> Texts:
    """Settings in the demo, with an address that is not one and two hotkeys the same."""
    window = SettingsWindow(ConsoleSettings(), embedded_demo=True)
    s.show(window)
    window.server_url.setText("platform.example")
    window.hotkey_edits["retake"].setKeySequence(QKeySequence("F2"))
    window.save()  # refused: the reasons show where they were typed
    assert window.isVisible()
    texts = texts_of(window)
    window.reject()
    return texts


def problem_report(s: Scene) -> Texts:
    """The problem report over the main window, the frame's screenshot ticked, ready to send."""
    window = s.main_window()
    dialog = ProblemReportDialog(
        s.client,
        s.tasks,
        console=window,
        frame_rect_provider=s.frame.capture_rect,
        log_tail=lambda: "",
    )
    s.show(dialog)
    s.qtbot.waitUntil(lambda: dialog.bundle is not None, timeout=TIMEOUT)
    dialog.frame_box.setChecked(True)
    s.qtbot.waitUntil(
        lambda: dialog.bundle is not None and len(dialog.member_names()) == 4, timeout=TIMEOUT
    )
    # The file names and the manifest are data: support reads them, not the seller.
    s.data |= set(dialog.member_names())
    texts = texts_of(dialog)
    dialog.close()
    return texts


def crash_window(s: Scene) -> Texts:
    """The crash window with two errors, details shown (the traceback itself is data)."""
    reporter = CrashReporter(report=lambda: None)
    try:
        raise ValueError("boom")
    except ValueError as exc:
        crash = Crash.from_exception(type(exc), exc, exc.__traceback__, "MainThread")
    for _ in range(2):
        reporter.notify(crash)
    s.qtbot.waitUntil(lambda: reporter.window is not None and reporter.window.count() == 2)
    window = reporter.window
    assert window is not None
    s.opened.append(window)
    window.toggle.click()  # the details shown
    s.data |= {crash.summary, crash.details, window.details_text()}
    return texts_of(window)


def modal_texts(s: Scene, ask: Callable[[], object]) -> Texts:
    """The texts of the message box ``ask`` shows (and waits on); it is then closed (No)."""
    texts: Texts = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(10, read_and_close)
            return
        texts.extend(texts_of(box))
        box.reject()

    QTimer.singleShot(0, read_and_close)
    ask()
    assert texts, "no message box was shown"
    return texts


# The windows of the walk, in the order a seller meets them. One line adds a window.
WINDOWS: list[tuple[str, Callable[[Scene], Texts]]] = [
    ("sign-in", sign_in),
    ("main window", main_window),
    ("new full flash-buy", new_full),
    ("new targeted flash-buy", new_targeted),
    ("end flash-buy question", end_flashbuy_question),
    ("end live question", end_live_question),
    ("shipping templates", template_manager),
    ("shipping template editor", template_editor),
    ("capture frame", capture_frame),
    ("settings", settings_window),
    ("problem report", problem_report),
    ("crash window", crash_window),
]


def walk(scene: Scene) -> dict[str, list[Finding]]:
    """Open every window of :data:`WINDOWS`; what each shows untranslated."""
    sources = catalog_sources()
    return {
        name: untranslated(name, opener(scene), scene.data, sources) for name, opener in WINDOWS
    }


@contextmanager
def no_catalog(app: QCoreApplication) -> Iterator[None]:
    """No translator at all (the English sources show), zh_CN again afterwards."""
    for translator in i18n.install(app, "zh_CN"):
        app.removeTranslator(translator)
    try:
        yield
    finally:
        i18n.install(app, "zh_CN")


@contextmanager
def language(app: QCoreApplication, name: str) -> Iterator[None]:
    """Show ``name`` inside the block, zh_CN again afterwards."""
    i18n.install(app, name)
    try:
        yield
    finally:
        i18n.install(app, "zh_CN")


def _report(findings: dict[str, list[Finding]]) -> str:
    lines = [f"  {w} | {where} | {text!r}" for f in findings.values() for w, where, text in f]
    return "untranslated (window | widget | text):\n" + "\n".join(lines)


# --- the tests ------------------------------------------------------------------------------

SQLITE_ONLY = pytest.mark.parametrize("platform", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_every_window_shows_only_chinese_in_zh_cn(scene: Scene) -> None:
    findings = walk(scene)
    assert not any(findings.values()), _report(findings)


@SQLITE_ONLY
def test_the_walk_finds_english_when_no_catalog_is_installed(scene: Scene, qapp: Any) -> None:
    with no_catalog(qapp):
        findings = walk(scene)
    silent = [name for name, found in findings.items() if not found]
    assert not silent, f"these windows showed no English without a catalog: {silent}"
    main = {text for _w, _where, text in findings["main window"]}
    assert {"Flash-buy console", "Sign out", "Picture", "Active"} <= main


@SQLITE_ONLY
def test_in_english_the_main_window_chrome_has_no_chinese(scene: Scene, qapp: Any) -> None:
    with language(qapp, "en"):
        window = scene.main_window()
        chrome: Texts = [("title", window.windowTitle())]
        for button in window.findChildren(QAbstractButton):
            chrome.append((_name(button), button.text()))
        for action in window.findChildren(QAction):
            chrome.append(("action", action.text()))
        model = window.panel.view.model()
        for column in range(model.columnCount()):
            chrome.append(("header", str(model.headerData(column, Qt.Orientation.Horizontal))))
        header = window.header
        for label in (header.state, header.viewers, header.orders, header.connection):
            chrome.append((_name(label), label.text()))
        chrome.append(("search", window.panel.search_edit.placeholderText()))
        chrome += [("mode", window.panel.mode_combo.itemText(i)) for i in range(3)]
        chinese = [(where, text) for where, text in chrome if _CJK.search(text)]
        assert not chinese, chinese
        assert window.windowTitle() == "Flash-buy console"
        header.set_viewer_count(1)
        assert header.viewers.text() == "1 viewer"  # plural forms come from the en catalog
        header.set_viewer_count(3)
        assert header.viewers.text() == "3 viewers"
        assert QLocale().name() == "en_US"


def test_the_catalogs_match_the_code() -> None:
    """scripts/translations.py check: a string without a zh_CN translation fails here."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "translations.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_script_knows_every_language() -> None:
    spec = importlib.util.spec_from_file_location("translations", REPO / "scripts/translations.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert tuple(script.LANGUAGES) == i18n.LANGUAGES
    for name in i18n.LANGUAGES:
        assert (Path(i18n.catalog_dir()) / f"flashbuy_{name}.qm").is_file()


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_TW", "zh_CN"),
        ("zh_HK", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("en_US", "en"),
        ("de_DE", "en"),
        ("ja_JP", "en"),
        ("C", "en"),
    ],
)
def test_auto_is_chinese_on_any_chinese_system(system: str, expected: str) -> None:
    assert i18n.resolve("auto", QLocale(system)) == expected


def test_an_explicit_choice_wins_over_the_system() -> None:
    assert i18n.resolve("en", QLocale("zh_CN")) == "en"
    assert i18n.resolve("zh_CN", QLocale("de_DE")) == "zh_CN"
    assert i18n.resolve("auto") in i18n.LANGUAGES  # the machine's own locale
    with pytest.raises(ValueError, match="auto, zh_CN, en"):
        i18n.resolve("fr")


def test_install_loads_ours_and_qts_and_replaces_what_was_installed(qapp: Any) -> None:
    with language(qapp, "en"):
        assert QCoreApplication.translate("MainWindow", "Flash-buy console") == (
            "Flash-buy console"
        )
    # Back in zh_CN: the en translators are gone, not stacked under the new ones.
    assert len(qapp.findChildren(QTranslator, "flashbuy-translator")) == 2
    assert QCoreApplication.translate("MainWindow", "Flash-buy console") == "闪购控制台"
    assert QLocale().name() == "zh_CN"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert button is not None
    assert button.text() == "取消"  # Qt's own catalog
    box.deleteLater()


def test_a_missing_catalog_is_logged_never_fatal(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(i18n, "catalog_dir", lambda: str(tmp_path))
    try:
        with caplog.at_level(logging.WARNING, logger="flashbuy_desktop.services.i18n"):
            installed = i18n.install(qapp, "zh_CN")
        assert len(installed) == 1  # Qt's own still loads
        assert "flashbuy_zh_CN.qm was not found" in caplog.text
        assert QCoreApplication.translate("MainWindow", "Flash-buy console") == (
            "Flash-buy console"
        )
    finally:
        monkeypatch.undo()
        assert len(i18n.install(qapp, "zh_CN")) == 2

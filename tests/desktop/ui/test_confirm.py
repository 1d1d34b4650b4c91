"""The one destructive question: named buttons, and only a deliberate click destroys."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from flashbuy_desktop.ui.confirm import Confirm, Question
from tests.desktop.console_steps import when_modal

QUESTION = Question(
    title="删除运费模板",
    text="删除运费模板“江浙沪包邮”？",
    details="删除后新闪购不能再选它；已下的订单运费不变。",
    act="删除",
    safe="取消",
)


def _button(box: QDialog, name: str) -> QPushButton:
    button = box.findChild(QPushButton, name)
    assert isinstance(button, QPushButton)
    return button


def _answer(act: Callable[[QDialog], None]) -> bool:
    when_modal(act)
    return Confirm.ask(None, QUESTION)  # returns when the question is answered


def test_the_question_says_what_each_button_does(qtbot: QtBot) -> None:
    seen: dict[str, str] = {}

    def read_then_cancel(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        seen.update(
            title=box.windowTitle(),
            text=box.text(),
            details=box.informativeText(),
            act=_button(box, Confirm.ACT_BUTTON).text(),
            safe=_button(box, Confirm.SAFE_BUTTON).text(),
        )
        assert box.defaultButton() is _button(box, Confirm.SAFE_BUTTON)
        qtbot.mouseClick(_button(box, Confirm.SAFE_BUTTON), Qt.MouseButton.LeftButton)

    assert _answer(read_then_cancel) is False
    assert seen == {
        "title": QUESTION.title,
        "text": QUESTION.text,
        "details": QUESTION.details,
        "act": "删除",
        "safe": "取消",
    }


def test_only_a_click_on_the_destructive_button_says_yes(qtbot: QtBot) -> None:
    def click_act(box: QDialog) -> None:
        qtbot.mouseClick(_button(box, Confirm.ACT_BUTTON), Qt.MouseButton.LeftButton)

    assert _answer(click_act) is True


def test_enter_and_escape_both_choose_the_safe_button(qtbot: QtBot) -> None:
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):

        def press(box: QDialog, key: Qt.Key = key) -> None:
            box.activateWindow()
            qtbot.waitUntil(box.isActiveWindow)
            focused = QApplication.focusWidget()
            assert focused is not None
            qtbot.keyClick(focused, key)

        assert _answer(press) is False, key

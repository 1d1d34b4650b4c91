"""The go-live window: the new live's title, prefilled, then one Enter to start it.

The title is checked as it is typed by the platform's own rules (``live_title``), so the
start is refused only for what the console cannot know (another live already on).
Esc or 取消 starts nothing. The window starts the live itself and stays open with the
platform's reason when it is refused, so the seller never retypes the title.
"""

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient, PlatformError
from flashbuy_desktop.room.live_title import TitleProblem, clean_title, title_problem
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import LIVE_TITLE_MAX, TextProblem
from flashbuy_protocol.models import Room


def problem_text(problem: TitleProblem) -> str:
    """The sentence for a title the platform would refuse."""
    if problem is TitleProblem.EMPTY:
        return QCoreApplication.translate("GoLiveDialog", "Give the live a title")
    if problem is TitleProblem.TOO_LONG:
        return QCoreApplication.translate(
            "GoLiveDialog", "A title has at most {n} characters"
        ).format(n=LIVE_TITLE_MAX)
    if problem is TitleProblem.CONTROL:
        return QCoreApplication.translate(
            "GoLiveDialog", "The title holds a character that cannot be shown; type it again"
        )
    field = QCoreApplication.translate("GoLiveDialog", "title")
    rule = TextProblem.DIRECTION if problem is TitleProblem.DIRECTION else TextProblem.BLANK
    return text_rule_reason(rule, field)


class GoLiveDialog(QDialog):
    """Ask for the new live's title and start the live; ``started`` carries the new room."""

    started = Signal(object)  # Room
    alreadyLive = Signal()  # another live of the creator's is on (started elsewhere)

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("go_live_dialog")
        self.client = client
        self.tasks = tasks.scoped(self)
        self.room: Room | None = None
        self.setWindowTitle(self.tr("Go live"))

        prompt = QLabel(self.tr("Title of the new live (viewers see it in the live room):"))
        self.title_edit = QLineEdit(title)
        self.title_edit.setObjectName("live_title_edit")
        self.title_edit.setMaxLength(LIVE_TITLE_MAX + 20)  # room to see that it is too long
        self.title_edit.selectAll()  # typing replaces the suggestion; Enter keeps it
        self.title_edit.setMinimumWidth(360)
        self.error = QLabel()
        self.error.setObjectName("go_live_error")
        theme.set_tone(self.error, Tone.ERROR)
        self.error.setWordWrap(True)
        # The line is there even when empty, so the buttons never move under the pointer.
        self.error.setMinimumHeight(2 * self.error.fontMetrics().lineSpacing())

        self.buttons = QDialogButtonBox()
        self.go_button = QPushButton(self.tr("Go live"))
        self.go_button.setObjectName("go_live_button")
        self.go_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("go_live_cancel_button")
        self.buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.title_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.title_edit.textEdited.connect(self._check)
        self.title_edit.setFocus()

    def _check(self) -> TitleProblem | None:
        problem = title_problem(self.title_edit.text())
        self._say(problem_text(problem) if problem else "")
        self.go_button.setEnabled(problem is None)
        return problem

    def go(self) -> None:
        """Start the live with the typed title (Enter or the 开播 button)."""
        if self._check() is not None or not self.title_edit.isEnabled():
            return
        title = clean_title(self.title_edit.text())
        self._busy(True)
        client = self.client
        self.tasks.run(lambda: client.go_live(title), self._started, self._refused)

    def _busy(self, busy: bool) -> None:
        self.title_edit.setEnabled(not busy)
        self.go_button.setEnabled(not busy)
        if busy:
            self._say(self.tr("Going live…"), error=False)

    def _say(self, text: str, *, error: bool = True) -> None:
        theme.set_tone(self.error, Tone.ERROR if error else Tone.MUTED)
        self.error.setText(text)

    def _started(self, room: Room) -> None:
        self.room = room
        self.started.emit(room)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self._busy(False)
        self._say(describe(error))
        self.title_edit.setFocus()
        if isinstance(error, PlatformError) and error.code == ErrorCode.LIVE_ALREADY_ACTIVE:
            self.alreadyLive.emit()

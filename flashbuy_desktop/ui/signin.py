"""The sign-in window: the platform's address, the creator's account and password."""

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.retry_wait import retry_after_seconds, seconds_left
from flashbuy_desktop.diagnostics import logs
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.models import SignInResult

ERROR_LINES = 2  # lines kept for the reason a sign-in failed
COUNTDOWN_TICK_MS = 200  # how often the wait shown is brought up to date


class SignInDialog(QDialog):
    """Asks for the creator's credentials and signs in off the GUI thread."""

    signedIn = Signal(object)  # SignInResult

    def __init__(self, client: PlatformClient, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks
        self.result_: SignInResult | None = None
        self.setWindowTitle(self.tr("Sign in to the flash-buy console"))
        self.server = QLabel(client.base_url)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("Creator account"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("sign_in_error")
        theme.set_tone(self.error, Tone.ERROR)
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for two lines from the start, whether or not a reason shows: a message
        # appearing never grows the window and moves 登录 from under the pointer.
        self.error.setFixedHeight(self.error.fontMetrics().lineSpacing() * ERROR_LINES)
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.error.setMinimumWidth(320)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # After too many attempts the platform says how long to wait: until then the
        # button stays off and the reason counts down.
        self._wait_until: float | None = None  # time.monotonic()
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_TICK_MS)
        self._countdown.timeout.connect(self._tick)

        form = QFormLayout()
        form.addRow(self.tr("Platform"), self.server)
        form.addRow(self.tr("Account"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        """Check the fields, then sign in on a worker; the window stays until it succeeds."""
        if self._wait_until is not None:  # Enter while the wait runs: the button is off
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._say(self.tr("Enter your account and password"))
            return
        # Masked wherever it might appear later: the log, a crash, a problem report.
        logs.add_secret(password)
        self._say(self.tr("Signing in…"), tone=Tone.MUTED)  # news, not a refusal
        self.ok.setEnabled(False)
        self.tasks.run(
            lambda: self.client.sign_in(username, password),
            self._succeeded,
            self._failed,
            key="sign-in",
        )

    def _succeeded(self, result: SignInResult) -> None:
        self.result_ = result
        self.ok.setEnabled(True)
        self.signedIn.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        wait = retry_after_seconds(error)
        if wait is None:
            self.ok.setEnabled(True)
            self._say(describe(error))
        else:
            self._wait_until = time.monotonic() + wait
            self._tick()
            self._countdown.start()
        self.password.selectAll()
        self.password.setFocus()

    def _tick(self) -> None:
        if self._wait_until is None:
            return
        left = seconds_left(self._wait_until, time.monotonic())
        if left > 0:
            self._say(
                self.tr("Too many attempts; please try again in {seconds} s").format(seconds=left)
            )
            return
        self._wait_until = None
        self._countdown.stop()
        self.ok.setEnabled(True)
        self.error.clear()  # the button speaks for itself; a red line would alarm

    def _say(self, text: str, *, tone: Tone = Tone.ERROR) -> None:
        theme.set_tone(self.error, tone)
        self.error.setText(text)

    def done(self, result: int) -> None:
        """Close, with the countdown stopped (overrides QDialog.done)."""
        self._countdown.stop()
        self._wait_until = None
        super().done(result)

"""The sign-in window: the platform's address, the creator's account and password."""

from PySide6.QtCore import Qt, Signal
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

from flashbuy_desktop import logs
from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.ui.messages import describe
from flashbuy_desktop.ui.tasks import Tasks
from flashbuy_protocol.models import SignInResult

ERROR_LINES = 2  # lines kept for the reason a sign-in failed


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
        self.error.setObjectName("signInError")
        self.error.setStyleSheet("color: #c5221f;")
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
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText(self.tr("Enter your account and password"))
            return
        # Masked wherever it might appear later: the log, a crash, a problem report.
        logs.add_secret(password)
        self.error.setText(self.tr("Signing in…"))
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
        self.ok.setEnabled(True)
        self.error.setText(describe(error))
        self.password.selectAll()
        self.password.setFocus()

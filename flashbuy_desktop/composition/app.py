"""Composition root: settings, credentials, the client, the embedded platform, the windows.

Nothing here blocks the GUI thread: starting the embedded platform, reading, keeping and
forgetting the token in the keyring, checking it and signing in all run as background
tasks, and the windows follow their results. The keyring's calls run one at a time, in the
order they were asked (:attr:`Console.keyring_tasks`), so a token kept at a sign-in can
never be wiped by the sign-out before it, and a keyring that hangs (a locked one asking
for its password) holds up no other work.
"""

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.capture.occlusion import Occluders
from flashbuy_desktop.capture.x11_windows import other_console_windows
from flashbuy_desktop.composition.credentials import TokenStore
from flashbuy_desktop.composition.embedded import EmbeddedPlatform
from flashbuy_desktop.diagnostics import logs
from flashbuy_desktop.services import i18n
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.window_watch import WindowWatch
from flashbuy_desktop.settings import ConsoleSettings, data_dir
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.app_icon import app_icon
from flashbuy_desktop.ui.capture_frame import CaptureFrame
from flashbuy_desktop.ui.main_window import MainWindow, ViewState
from flashbuy_desktop.ui.report_window import ProblemReportDialog
from flashbuy_desktop.ui.settings_window import SettingsWindow
from flashbuy_desktop.ui.signin import SignInDialog
from flashbuy_protocol.limits import PAY_MINUTES_MIN
from flashbuy_protocol.models import SignInResult

log = logging.getLogger(__name__)


class Console(QObject):
    """The running console: which platform, who is signed in, which window shows."""

    # The main window shows (and the token a sign-in brought is kept, or said not to be).
    ready = Signal()
    failed = Signal(str)  # the console could not start; the message says why

    def __init__(
        self,
        settings: ConsoleSettings,
        tokens: TokenStore,
        *,
        server_url: str | None = None,
        audience: bool | None = None,
        data_path: Path | None = None,
        settings_path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.settings_path = settings_path
        self.tokens = tokens
        # Command-line choices (server_url, audience) hold for this run only: they are not
        # written into the settings, which any later save would make permanent.
        self.server_url = server_url or settings.server_url
        self.tasks = Tasks(self)
        keyring_pool = QThreadPool(self)
        keyring_pool.setMaxThreadCount(1)  # one call at a time, in the order asked
        self.keyring_tasks = Tasks(self, keyring_pool)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app)  # the console's one look, before its first window
        self.embedded: EmbeddedPlatform | None = None
        if self.server_url is None:
            with_audience = settings.rehearsal_audience if audience is None else audience
            self.embedded = EmbeddedPlatform(
                data_path or data_dir(), settings.audience_viewers if with_audience else 0
            )
        self.client: PlatformClient | None = None
        self.window: MainWindow | None = None
        self.dialog: SignInDialog | None = None
        self.splash: QLabel | None = None
        self.stopped = False  # after shutdown(), late answers are ignored
        # The main window a sign-out left: closed, and deleted once the next one shows (or
        # at shutdown) rather than at once, so whoever still holds it finds it hidden.
        self.left_window: MainWindow | None = None
        # Every window of the console (title bar, taskbar, Alt+Tab) shows the app's icon.
        QApplication.setWindowIcon(app_icon())
        # The capture frame outlives sign-outs: the seller aimed it, it stays where it is.
        self.frame = CaptureFrame()
        self.frame.restore(settings)
        self.frame.geometryCommitted.connect(lambda _rect: self._save_frame())
        # Where the console's own windows are, so a capture never photographs them.
        self.occluders = Occluders(others=other_console_windows)
        self.window_watch = WindowWatch(self.occluders, self)
        self.capture = CaptureService(
            self.frame,
            self.tasks,
            config=settings.capture_config(),
            occluders=self.occluders,
            reading=settings.read_card,
            parent=self,
        )

    # --- starting -----------------------------------------------------------------------

    def start(self) -> None:
        """Reach the platform and sign in, then show the main window."""
        if self.embedded is not None:
            self.splash = QLabel(self.tr("Starting the local demo platform…"))
            self.splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.splash.resize(360, 120)
            self.splash.setWindowTitle(self.tr("Flash-buy console"))
            self.splash.show()
            self.tasks.run(self.embedded.start, self._embedded_started, self._start_failed)
            return
        assert self.server_url is not None
        url = self.server_url
        # The client is built with the saved token, once the keyring has given it.
        self.keyring_tasks.run(
            lambda: self.tokens.load(url),
            self._token_loaded,
            self._token_not_loaded,
        )

    def _token_not_loaded(self, error: Exception) -> None:
        log.warning("the keyring could not be read: %s", error)
        self._token_loaded(None)  # as if none was saved: the seller signs in

    def _token_loaded(self, token: str | None) -> None:
        if self.stopped:
            return
        assert self.server_url is not None
        self.client = PlatformClient(self.server_url, token)
        logs.add_secret(self.client.token)
        if self.client.token:
            self.tasks.run(self.client.me, lambda _me: self._show_main(), lambda _e: self._ask())
        else:
            self._ask()

    def _embedded_started(self, demo: object) -> None:
        assert self.embedded is not None
        assert self.embedded.demo is not None
        self.server_url = self.embedded.url
        self.client = PlatformClient(self.server_url)
        info = self.embedded.demo
        logs.add_secret(info.password)
        self.tasks.run(
            lambda: self.client.sign_in(info.username, info.password),  # type: ignore[union-attr]
            lambda _result: self._show_main(),
            self._start_failed,
        )

    def _start_failed(self, error: Exception) -> None:
        self._close_splash()
        log.error("the console could not start: %s", error)
        self.failed.emit(describe(error))

    def _ask(self) -> None:
        """Show the sign-in window."""
        assert self.client is not None
        if self.stopped:
            return
        self._close_splash()
        self.dialog = SignInDialog(self.client, self.tasks)
        if self.embedded is not None and self.embedded.demo is not None:
            # The demo's account is published: one Enter signs in again.
            self.dialog.username.setText(self.embedded.demo.username)
            self.dialog.password.setText(self.embedded.demo.password)
        self.dialog.signedIn.connect(self._signed_in)
        self.dialog.rejected.connect(self._dialog_closed)
        self.dialog.show()

    def _dialog_closed(self) -> None:
        if self.window is None:
            QApplication.quit()

    def _signed_in(self, result: SignInResult) -> None:
        assert self.server_url is not None
        logs.add_secret(result.token)
        url, token = self.server_url, result.token
        # The main window shows at once (the sign-in window is closing: the console is never
        # without a window); ready follows once the keyring has answered.
        self._show_main(announce=False)
        self.keyring_tasks.run(
            lambda: self.tokens.save(url, token),
            self._token_saved,
            self._token_not_saved,
        )

    def _token_not_saved(self, error: Exception) -> None:
        log.warning("the keyring refused the token: %s", error)
        self._token_saved(False)  # it lasts for this run, and the seller is told

    def _token_saved(self, kept: bool) -> None:
        if self.stopped:
            return
        if not kept and self.window is not None:
            self.window.show_error(
                self.tr(
                    "This system has no keyring: the sign-in lasts for this run only,"
                    " and you will sign in again at the next start"
                )
            )
        self.ready.emit()

    def _show_main(self, state: ViewState | None = None, *, announce: bool = True) -> None:
        assert self.client is not None
        if self.stopped:
            return
        self._close_splash()
        if self.dialog is not None:
            self.dialog.deleteLater()  # signed in: the sign-in window has closed
            self.dialog = None
        self.window = MainWindow(
            self.client,
            self.tasks,
            frame=self.frame,
            capture=self.capture,
            last_template_id=self.settings.last_template_id,
            hotkeys=self.settings.hotkeys,
            global_keys=self.settings.global_hotkeys,
        )
        # New flash-buys start with the settings' pay window and hold-back rule.
        self.window.pay_minutes = self._pay_minutes(self.settings)
        self.window.hold_back_after = self.settings.hold_back_expired
        logs.add_secret(self.client.token)  # the embedded demo signs in without the dialog
        self.window.lastTemplateChanged.connect(self._remember_template)
        self.window.signOutRequested.connect(self.sign_out)
        self.window.settingsRequested.connect(self.edit_settings)
        self.window.reportRequested.connect(self.report_problem)
        self.window.frameLockChanged.connect(lambda _locked: self._save_frame())
        if state is not None:
            self.window.restore_view_state(state)
        self.window.show()
        self._drop_left_window()
        log.info("main window shown (%s)", self.server_url)
        if self.frame.is_first_start() and not self.frame.isVisible():
            self.frame.place_beside(self.window.frameGeometry())  # never over the console
        self.frame.show()
        self.window.load()
        self.capture.warm_up()
        if announce:
            self.ready.emit()

    # --- settings and problem reports ---------------------------------------------------

    def edit_settings(self) -> None:
        """The settings window; hotkeys and capture apply at once, the rest at the next start."""
        edited = SettingsWindow.edit(
            self.window,
            self.settings,
            embedded_demo=self.embedded is not None,
            path=self.settings_path,
        )
        if edited is None:
            return
        language = i18n.resolve(edited.language)
        changed_language = language != i18n.resolve(self.settings.language)
        self.settings = edited
        self.capture.set_config(edited.capture_config())
        self.capture.set_reading(edited.read_card)
        if changed_language:
            self.switch_language(language)
        elif self.window is not None:
            self.window.apply_hotkeys(edited.hotkeys, global_keys=edited.global_hotkeys)
            self.window.pay_minutes = edited.pay_minutes  # chosen now: taken as it is
            self.window.hold_back_after = edited.hold_back_expired

    def _pay_minutes(self, settings: ConsoleSettings) -> int:
        """The pay window new flash-buys start with. The embedded demo starts at the shortest,
        so its rehearsal audience shows every state of a sale (paid, expired, handed to the
        next buyer) within about a minute; the window's field changes it per flash-buy."""
        if self.embedded is not None:
            return PAY_MINUTES_MIN
        return settings.pay_minutes

    def switch_language(self, language: str) -> None:
        """Show the console in ``language`` now: the catalogs, then a main window built anew.

        The window is built again rather than retranslated in place: every text is set where
        the window is built, so a new window cannot miss one. The room's state is read again
        and its stream resumed, as after a sign-in; the capture frame stays where it is.
        """
        app = QCoreApplication.instance()
        if app is None:
            return
        i18n.install(app, language)
        QApplication.setApplicationDisplayName(self.tr("Flash-buy console"))
        log.info("language switched to %s", language)
        self.frame.retranslate()  # the capture frame's title follows the language too
        if self.window is None or self.client is None or self.stopped:
            return
        old, self.window = self.window, None
        old.sync.stop()
        # The new window shows before the old one closes: the console is never without a
        # window (which would quit it), and it opens where the old one was, as it was.
        self._show_main(old.view_state())
        old.close()
        old.deleteLater()  # later: this may run inside one of its own signals

    def report_problem(self) -> None:
        """The problem report (反馈): what support needs, shown before it is sent."""
        if self.client is None or self.stopped:
            # Before the platform answered there is nobody to send to; the log says the rest.
            QMessageBox.information(
                self.window,
                self.tr("Report a problem"),
                self.tr(
                    "The console has not reached the platform yet, so the report cannot be "
                    "sent. The log file is here:\n{path}"
                ).format(path=logs.log_file()),
            )
            return
        frame = self.frame
        ProblemReportDialog.open_report(
            self.client,
            self.tasks,
            console=self.window,
            frame_rect_provider=lambda: frame.capture_rect() if frame.isVisible() else None,
            log_tail=logs.read_tail,  # the report masks every secret the log knows of
            parent=self.window,
        )

    def _close_splash(self) -> None:
        if self.splash is not None:
            self.splash.close()
            self.splash = None

    def _remember_template(self, template_id: int) -> None:
        self.settings.last_template_id = template_id
        self._save_settings()

    def _save_frame(self) -> None:
        self.frame.save_into(self.settings)
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            self.settings.save(self.settings_path)
        except OSError as exc:
            log.warning("the settings could not be saved: %s", exc)

    # --- signing out and stopping -----------------------------------------------------

    def sign_out(self) -> None:
        """Forget the token here, revoke it on the platform, and show the sign-in window.

        The keyring forgets it first (off the GUI thread); meanwhile the main window stays,
        disabled, and the sign-in window shows once it is done. The console keeps running:
        the sign-in window shows before the main window closes (the last window closing
        would quit it). A live stays on on the platform.
        """
        assert self.client is not None
        assert self.server_url is not None
        url = self.server_url
        if self.window is not None:
            self.window.setEnabled(False)  # being left: nothing more is done in it
        self.keyring_tasks.run(
            lambda: self.tokens.delete(url),
            lambda _none: self._token_forgotten(),
            self._token_not_forgotten,
        )

    def _token_not_forgotten(self, error: Exception) -> None:
        log.warning("the keyring could not forget the token: %s", error)
        self._token_forgotten()  # it is still revoked on the platform: signing out goes on

    def _token_forgotten(self) -> None:
        if self.stopped:
            return
        assert self.client is not None
        assert self.server_url is not None
        url, client = self.server_url, self.client
        # Revoked on a client of its own, so signing in again at once cannot race with it.
        leaving = PlatformClient(url, client.token)
        client.token = None

        def revoke() -> None:
            try:
                leaving.sign_out()
            finally:
                leaving.close()

        self.tasks.run(
            revoke, None, lambda exc: log.warning("the token could not be revoked: %s", exc)
        )
        window, self.window = self.window, None
        self._ask()
        if window is not None:
            window.close()
            self._drop_left_window()
            self.left_window = window

    def _drop_left_window(self) -> None:
        if self.left_window is not None:
            self.left_window.deleteLater()
            self.left_window = None

    def shutdown(self) -> None:
        """Stop everything this console started (blocking; at exit)."""
        self.stopped = True
        self._drop_left_window()
        if self.window is not None:
            self.window.sync.stop()
            self.window.close()
            self.window.deleteLater()  # with it go the answers still on their way to it
            self.window = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._close_splash()
        self.capture.cancel()
        self.window_watch.stop()
        self.frame.close()
        self.frame.deleteLater()
        # Waited for, never left behind silently: a worker still running at exit is named
        # in the log (a hanging keyring, a read that never ended) before the process goes.
        for what, done in (
            ("background tasks", self.tasks.wait),
            ("keyring calls", self.keyring_tasks.wait),
            ("card reads", self.capture.wait_reads),
        ):
            if not done():
                log.warning("shutdown: %s still running after the wait", what)
        if self.embedded is not None:
            self.embedded.stop()
        if self.client is not None:
            self.client.close()
        log.info("console stopped")

"""The crash window: one window for every uncaught exception, from whichever thread.

:class:`CrashReporter` is the Qt end of :mod:`flashbuy_desktop.diagnostics.crash`: its
:meth:`notify` may be called on any thread (it is the hooks' listener) and only queues a
signal; on the GUI thread it shows one :class:`CrashWindow`, and an exception that arrives while
that window is open is added to it quietly instead of opening another. Nothing here may raise: a
failure while showing a crash is logged and goes no further, so it cannot loop back into
the hook.

The window blocks nothing: a seller in the middle of a live keeps using the console (and
the streaming software keeps the keyboard: only the window's first appearance activates
it, not an error that repeats many times a second). It stays on top instead of being
modal, has no parent, and so is not blocked by the console's window-modal dialogs (the new
flash-buy window, the problem report): its buttons work while one of them is open. An
application-modal window (a message box) still blocks it until closed, as it blocks the
rest of the console.
"""

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.diagnostics.crash import Crash
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone

log = logging.getLogger(__name__)

# Tracebacks the window keeps: an error repeating in a paint event must not grow it without
# end. Every one of them, kept or not, is counted here and written to the log.
MAX_DETAILS = 20


class CrashWindow(QDialog):
    """Says that something went wrong, keeps the tracebacks, offers a problem report."""

    reportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._crashes: list[Crash] = []
        self._total = 0
        self.setObjectName("crash_window")
        self.setWindowTitle(self.tr("Unexpected error"))
        # Not modal: an application-modal window would block the console during a live.
        # On top instead, so that it is not lost behind the console or the streaming
        # software; without a parent, so that a dialog modal to the console's window
        # (the new flash-buy window) does not block its buttons.
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)

        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        headline = QLabel(self.tr("Something went wrong in the console."), self)
        theme.set_tone(headline, Tone.STRONG)
        explanation = QLabel(
            self.tr(
                "The console keeps running, but what you were doing may not have finished."
                " The details are saved in the log; a problem report sends them to us."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("crash_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more = QLabel(self)
        self.more.setObjectName("crash_more")
        self.more.hide()

        self.toggle = QToolButton(self)
        self.toggle.setObjectName("crash_details_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumHeight(220)
        self.toggle.toggled.connect(self._show_details)
        self._show_details(False)

        self.report_button = QPushButton(self.tr("Report a problem…"), self)
        self.report_button.setObjectName("crash_report_button")
        self.report_button.clicked.connect(self.reportRequested)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.copy_button.setObjectName("crash_copy_button")
        self.copy_button.clicked.connect(self.copy_details)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("crash_close_button")
        self.close_button.clicked.connect(self.accept)
        self.close_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.addWidget(headline)
        texts.addWidget(explanation)
        texts.addWidget(self.summary)
        texts.addWidget(self.more)
        top.addLayout(texts, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.resize(560, 240)

    def add(self, crash: Crash) -> None:
        """Show ``crash``: the first one's summary stays, later ones are counted."""
        self._total += 1
        if len(self._crashes) < MAX_DETAILS:
            self._crashes.append(crash)
            self.details.setPlainText(self.details_text())
        if self._total == 1:
            self.summary.setText(crash.summary)
        extra = self._total - 1
        if extra == 1:
            self.more.setText(self.tr("And 1 more error"))
        elif extra > 1:
            self.more.setText(self.tr("And {count} more errors").format(count=extra))
        self.more.setVisible(extra > 0)

    def count(self) -> int:
        """How many crashes reached the window (the details keep the first few)."""
        return self._total

    def crashes(self) -> tuple[Crash, ...]:
        """The crashes whose details the window keeps, oldest first."""
        return tuple(self._crashes)

    def details_text(self) -> str:
        """Every kept traceback, each under its time and thread (what Copy details copies)."""
        return "\n".join(
            f"--- {crash.when:%Y-%m-%d %H:%M:%S} [{crash.thread}]\n{crash.details.rstrip()}\n"
            for crash in self._crashes
        )

    def copy_details(self) -> None:
        """Put the details on the clipboard, for a chat message or an e-mail."""
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText(self.tr("Copied"))

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        if not shown:
            self.adjustSize()


class CrashReporter(QObject):
    """Shows uncaught exceptions from any thread in one :class:`CrashWindow`.

    Create it on the GUI thread and give :meth:`notify` to the crash hooks
    (``crash.install(reporter.notify)``). ``report`` is called when the seller asks for a
    problem report from the window.
    """

    crashShown = Signal(object)  # Crash: it is in the window now
    _arrived = Signal(object)  # Crash, from whichever thread, to the GUI thread

    def __init__(
        self, report: Callable[[], None] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.window: CrashWindow | None = None
        # Queued even from the GUI thread: the window opens from the event loop, never
        # inside the hook, which may run in the middle of a half-finished event.
        self._arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def notify(self, crash: Crash) -> None:
        """Show ``crash`` soon; safe on any thread, also once the reporter is gone."""
        try:
            if shiboken6.isValid(self):
                self._arrived.emit(crash)
        except RuntimeError:  # deleted between the check and the emit, at exit
            pass

    @Slot(object)
    def _show(self, crash: Crash) -> None:
        try:
            window = self.window
            if window is None:
                window = CrashWindow()
                window.reportRequested.connect(self._report)
                window.report_button.setVisible(self.report is not None)
                window.finished.connect(self._closed)
                self.window = window
                window.add(crash)
                window.show()
                window.raise_()
                window.activateWindow()
            else:
                # Quietly: an error repeating in a timer or a paint event would otherwise
                # take the keyboard from the streaming software many times a second.
                window.add(crash)
            self.crashShown.emit(crash)
        except Exception:
            log.exception("the crash window could not be shown")

    def _report(self) -> None:
        try:
            if self.report is not None:
                self.report()
        except Exception:
            log.exception("the problem report could not be opened")

    def _closed(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            window.deleteLater()

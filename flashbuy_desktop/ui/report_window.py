"""The problem-report window (反馈): what support needs, shown exactly as it will be sent.

It gathers the facts (who is signed in, from the platform; this machine's versions), the
last part of the log and a screenshot of the console taken as it opens, and, if the seller
ticks the box, of the capture frame's area. The list shows every file of the zip with its
size, the texts as text and the screenshots as pictures: after any change the bundle is
built again off the GUI thread, and Save and Send use exactly the bytes on show. A send
that fails leaves the window open so the seller can save the zip instead; sending the same
bundle again carries the same Idempotency-Key, so the platform keeps it once.
"""

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import PySide6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon, QImage, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.diagnostics import logs
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
    save_zip,
)
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_protocol.limits import REPORT_MAX_BYTES
from flashbuy_protocol.models import Creator, SupportReceipt

log = logging.getLogger(__name__)

THUMBNAIL = QSize(96, 54)
PREVIEW = QSize(720, 480)
REBUILD_DELAY_MS = 300  # typing in the description rebuilds once the seller pauses


class _Shot:
    """A screenshot ready for the bundle: its PNG, and pictures to show it by."""

    def __init__(self, name: str, png: bytes, thumbnail: QImage, preview: QImage) -> None:
        self.shot = Screenshot(name, png)
        self.thumbnail = thumbnail
        self.preview = preview


def _encode(name: str, image: QImage) -> _Shot:
    """PNG bytes and scaled pictures of ``image`` (runs on a worker: QImage is reentrant)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stub says bytes
        raise OSError(f"the screenshot {name} could not be encoded as PNG")
    buffer.close()
    smooth = Qt.TransformationMode.SmoothTransformation
    keep = Qt.AspectRatioMode.KeepAspectRatio
    preview = image.scaled(PREVIEW, keep, smooth) if image.width() > PREVIEW.width() else image
    return _Shot(name, bytes(data.data()), image.scaled(THUMBNAIL, keep, smooth), preview.copy())


class ProblemReportDialog(QDialog):
    """Gathers a problem report, shows every file of it, and saves or sends the zip."""

    sent = Signal(object)  # SupportReceipt, once the platform has the report
    bundleChanged = Signal()  # the list shows a newly built bundle

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        *,
        console: QWidget | None,
        frame_rect_provider: Callable[[], QRect | None] | None,
        log_tail: Callable[[], str],
        secrets: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks.scoped(self)  # answers after the window is gone are dropped
        self._frame_rect = frame_rect_provider
        self._log_tail = log_tail
        self._secrets = tuple(secrets)
        self.created_at = datetime.now(UTC)
        self.creator: Creator | None = None
        self.log_text = ""
        self._shots: dict[str, _Shot] = {}
        self._pending: set[str] = {"me", "log"}  # still being gathered: no bundle before
        self.bundle: Bundle | None = None
        self.receipt: SupportReceipt | None = None
        self._keys: dict[str, str] = {}  # bundle sha256 -> its Idempotency-Key
        self._notes: list[str] = []  # what could not be gathered, shown to the seller
        self.sending = False

        self.setObjectName("problem_report")
        self.setWindowTitle(self.tr("Report a problem"))
        self.resize(980, 700)
        self._build_ui(frame_available=frame_rect_provider is not None)

        # Before this window covers them: the console, and what lies under the capture
        # frame, as the seller saw the problem. The frame's picture is added if ticked.
        if console is not None:
            self._add_screenshot(CONSOLE_SCREENSHOT, console.grab().toImage())
        self._frame_image = self._grab_frame()
        self.tasks.run(self.client.me, self._me_loaded, self._me_failed, key="me")
        self.tasks.run(self._log_tail, self._log_loaded, self._log_failed, key="log")
        self._show_state()

    @classmethod
    def open_report(
        cls,
        client: PlatformClient,
        tasks: Tasks,
        *,
        console: QWidget | None,
        frame_rect_provider: Callable[[], QRect | None] | None,
        log_tail: Callable[[], str],
        secrets: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> "ProblemReportDialog":
        """Open the window (modal to ``parent``); it deletes itself when closed."""
        dialog = cls(
            client,
            tasks,
            console=console,
            frame_rect_provider=frame_rect_provider,
            log_tail=log_tail,
            secrets=secrets,
            parent=parent,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- the window ---------------------------------------------------------------------

    def _build_ui(self, *, frame_available: bool) -> None:
        intro = QLabel(
            self.tr(
                "Tell us what happened. The files below are exactly what will be sent to "
                "support; sign-in tokens and passwords are removed from them."
            )
        )
        intro.setWordWrap(True)
        self.description = QPlainTextEdit()
        self.description.setObjectName("report_description")
        self.description.setPlaceholderText(
            self.tr("What happened? What did you do just before, and what did you expect?")
        )
        self.description.setMaximumHeight(110)
        self.frame_box = QCheckBox(self.tr("Add a screenshot of the capture frame's area"))
        self.frame_box.setObjectName("report_frame_box")
        self.frame_box.setEnabled(frame_available)

        self.members = QTreeWidget()
        self.members.setObjectName("report_members")
        self.members.setHeaderLabels([self.tr("File"), self.tr("Size")])
        self.members.setRootIsDecorated(False)
        self.members.setIconSize(THUMBNAIL)
        self.members.header().setStretchLastSection(False)
        self.members.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.members.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("report_text")
        self.text_view.setReadOnly(True)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.picture = QLabel()
        self.picture.setObjectName("report_picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture_area = QScrollArea()
        picture_area.setWidget(self.picture)
        picture_area.setWidgetResizable(True)
        self.preview = QStackedWidget()
        self.preview.addWidget(self.text_view)
        self.preview.addWidget(picture_area)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.members)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 680])

        self.summary = QLabel()
        self.summary.setObjectName("report_summary")
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("Save as zip…"))
        self.save_button.setObjectName("report_save")
        self.send_button = QPushButton(self.tr("Send to support"))
        self.send_button.setObjectName("report_send")
        self.send_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("report_close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.description)
        layout.addWidget(self.frame_box)
        layout.addWidget(QLabel(self.tr("What will be sent:")))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_DELAY_MS)
        self._rebuild_timer.timeout.connect(self._rebuild)
        self.description.textChanged.connect(self._description_changed)
        self.frame_box.toggled.connect(self._frame_toggled)
        self.members.currentItemChanged.connect(lambda item, _old: self._show_member(item))
        self.save_button.clicked.connect(self.save)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)

    def _show_state(self) -> None:
        """Save and Send only for a bundle on show that nothing newer is replacing."""
        ready = self.bundle is not None and not self._pending and not self._rebuild_timer.isActive()
        self.save_button.setEnabled(ready)
        sent_this = (
            self.receipt is not None
            and self.bundle is not None
            and self.receipt.sha256 == self.bundle.sha256
        )
        self.send_button.setEnabled(ready and not sent_this and not self.sending)
        if not ready:
            self.summary.setText(self.tr("Preparing the report…"))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # --- gathering ----------------------------------------------------------------------

    def _me_loaded(self, creator: Creator) -> None:
        self.creator = creator
        self._gathered("me")

    def _me_failed(self, error: Exception) -> None:
        log.warning("the problem report could not read the account: %s", error)
        self._notes.append(
            self.tr(
                "Your account could not be read ({reason}); the report goes without it."
            ).format(reason=describe(error))
        )
        self._say(" ".join(self._notes))
        self._gathered("me")

    def _log_loaded(self, text: str) -> None:
        self.log_text = text
        self._gathered("log")

    def _log_failed(self, error: Exception) -> None:
        log.warning("the problem report could not read the log: %s", error)
        self.log_text = f"(the log could not be read: {error})\n"
        self._gathered("log")

    def _gathered(self, what: str) -> None:
        self._pending.discard(what)
        self._rebuild()

    def _add_screenshot(self, name: str, image: QImage) -> None:
        """Encode a screenshot off the GUI thread; the bundle is rebuilt when it is ready."""
        self._pending.add(name)
        self.tasks.run(
            lambda: _encode(name, image),
            self._screenshot_ready,
            lambda error: self._screenshot_failed(name, error),
            key=name,
        )

    def _screenshot_ready(self, shot: _Shot) -> None:
        self._shots[shot.shot.name] = shot
        self._gathered(shot.shot.name)

    def _screenshot_failed(self, name: str, error: Exception) -> None:
        log.warning("the screenshot %s failed: %s", name, error)
        self._say(self.tr("A screenshot could not be taken: {reason}").format(reason=error))
        if name == FRAME_SCREENSHOT:
            self._uncheck_frame()
        self._gathered(name)

    def _frame_toggled(self, checked: bool) -> None:
        if not checked:
            self.tasks.cancel(FRAME_SCREENSHOT)
            self._shots.pop(FRAME_SCREENSHOT, None)
            self._pending.discard(FRAME_SCREENSHOT)
            self._rebuild()
            return
        image = self._frame_image
        if image is None:
            self._say(self.tr("There is no capture frame on screen to take a picture of."))
            self._uncheck_frame()
            return
        self._add_screenshot(FRAME_SCREENSHOT, image)
        self._show_state()

    def _grab_frame(self) -> QImage | None:
        """What the screen shows inside the capture frame now (GUI thread: a Qt rule).

        Taken as the window opens, before it covers the frame's area.
        """
        rect = self._frame_rect() if self._frame_rect is not None else None
        if rect is None or rect.isEmpty():
            return None
        screen = QGuiApplication.screenAt(rect.center()) or QGuiApplication.primaryScreen()
        if screen is None:
            return None
        geometry = screen.geometry()
        area = rect.intersected(geometry)
        if area.isEmpty():
            return None
        # Window 0 is the whole screen; the offset is from the screen's own top-left.
        pixmap = screen.grabWindow(
            0, area.x() - geometry.x(), area.y() - geometry.y(), area.width(), area.height()
        )
        return None if pixmap.isNull() else pixmap.toImage()

    def _uncheck_frame(self) -> None:
        self.frame_box.blockSignals(True)
        self.frame_box.setChecked(False)
        self.frame_box.blockSignals(False)

    def _description_changed(self) -> None:
        self._rebuild_timer.start()
        self._show_state()

    # --- the bundle ---------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Build the bundle from what is on show now, off the GUI thread."""
        self._rebuild_timer.stop()
        if self._pending:
            self._show_state()
            return
        creator = self.creator
        description = self.description.toPlainText()
        log_text = self.log_text
        shots = [self._shots[n].shot for n in (CONSOLE_SCREENSHOT, FRAME_SCREENSHOT)
                 if n in self._shots]  # fmt: skip
        # Whatever the console learnt was secret (tokens, the password typed at sign-in).
        secrets = (*self._secrets, *logs.known_secrets(), self.client.token)
        platform_url = self.client.base_url
        created_at = self.created_at
        qt_version = qVersion()
        pyside_version = PySide6.__version__

        def build() -> Bundle:
            facts = ReportFacts.gather(
                creator=creator,
                platform_url=platform_url,
                qt_version=qt_version,
                pyside_version=pyside_version,
                description=description,
                created_at=created_at,
            )
            return build_bundle(facts, log_text, shots, secrets)

        self.bundle = None
        self._show_state()
        self.tasks.run(build, self._bundle_ready, self._bundle_failed, key="bundle")

    def _bundle_ready(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self._keys.setdefault(bundle.sha256, uuid.uuid4().hex)
        selected = self.members.currentItem()
        keep = selected.data(0, Qt.ItemDataRole.UserRole) if selected is not None else MANIFEST
        self.members.blockSignals(True)
        self.members.clear()
        locale = QLocale()
        current: QTreeWidgetItem | None = None
        for member in bundle.members:
            item = QTreeWidgetItem([member.name, locale.formattedDataSize(member.size)])
            item.setData(0, Qt.ItemDataRole.UserRole, member.name)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            shot = self._shots.get(member.name)
            if shot is not None:
                item.setIcon(0, QIcon(QPixmap.fromImage(shot.thumbnail)))
            self.members.addTopLevelItem(item)
            if member.name == keep or current is None:
                current = item
        self.members.blockSignals(False)
        if current is not None:
            self.members.setCurrentItem(current)
        self._show_member(current)
        self.summary.setText(
            self.tr("{count} files, {size} to send").format(
                count=len(bundle.members), size=locale.formattedDataSize(bundle.size)
            )
        )
        self._show_state()
        self.bundleChanged.emit()

    def _bundle_failed(self, error: Exception) -> None:
        log.warning("the problem report could not be built: %s", error)
        if isinstance(error, ReportTooLargeError):
            self._say(
                self.tr(
                    "The report is larger than the platform takes ({limit} MB): untick the "
                    "capture frame's screenshot, or shorten the description"
                ).format(limit=REPORT_MAX_BYTES // (1024 * 1024))
            )
        else:
            self._say(self.tr("The report could not be prepared: {reason}").format(reason=error))
        self._show_state()

    def _show_member(self, item: QTreeWidgetItem | None) -> None:
        if item is None or self.bundle is None:
            return
        member = self.bundle.member(str(item.data(0, Qt.ItemDataRole.UserRole)))
        if member.text is not None:
            self.text_view.setPlainText(member.text)
            if member.name == LOG_MEMBER:  # the newest lines, nearest the problem
                self.text_view.moveCursor(QTextCursor.MoveOperation.End)
            self.preview.setCurrentIndex(0)
        else:
            self.picture.setPixmap(QPixmap.fromImage(self._shots[member.name].preview))
            self.preview.setCurrentIndex(1)

    def member_names(self) -> list[str]:
        """The files the list shows, in order."""
        root = self.members.invisibleRootItem()
        items = (root.child(i) for i in range(root.childCount()))
        return [str(item.data(0, Qt.ItemDataRole.UserRole)) for item in items if item is not None]

    def idempotency_key(self) -> str | None:
        """The Idempotency-Key the bundle on show is sent with (the same on every retry)."""
        return self._keys.get(self.bundle.sha256) if self.bundle is not None else None

    # --- saving and sending -------------------------------------------------------------

    def save(self) -> None:
        """Ask where, then write the zip on show there (atomically, off the GUI thread)."""
        bundle = self.bundle
        if bundle is None:
            return
        suggested = Path.home() / f"flashbuy-report-{self.created_at:%Y%m%d-%H%M%S}.zip"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the problem report"), str(suggested), self.tr("Zip files (*.zip)")
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".zip")
        self._say(self.tr("Saving…"))
        self.tasks.run(
            lambda: save_zip(path, bundle.zip_bytes),
            lambda _none: self._say(self.tr("Saved to {path}").format(path=path)),
            lambda error: self._say(
                self.tr("The report could not be saved: {reason}").format(reason=error)
            ),
            key="save",
        )

    def send(self) -> None:
        """Send the zip on show; a retry of the same bundle uses the same Idempotency-Key."""
        bundle = self.bundle
        if bundle is None:
            return
        key = self._keys[bundle.sha256]
        self.sending = True
        self._show_state()
        self._say(self.tr("Sending…"))
        self.tasks.run(
            lambda: self.client.send_report(bundle.zip_bytes, key),
            self._sent,
            self._send_failed,
            key="send",
        )

    def _sent(self, receipt: SupportReceipt) -> None:
        self.sending = False
        self.receipt = receipt
        log.info("problem report sent: number %s", receipt.id)
        self._say(
            self.tr("Sent. Your report number is {number}: give it to support.").format(
                number=receipt.id
            )
        )
        self._show_state()
        self.sent.emit(receipt)

    def _send_failed(self, error: Exception) -> None:
        self.sending = False
        log.warning("the problem report was not sent: %s", error)
        self._say(
            self.tr("Not sent: {reason} You can save the zip and send it another way.").format(
                reason=describe(error)
            )
        )
        self._show_state()

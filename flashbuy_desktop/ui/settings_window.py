"""The settings window: platform address, language, capture, sales, hotkeys, rehearsal audience.

It edits a copy: nothing changes until Save, and Save goes through
:class:`~flashbuy_desktop.settings.ConsoleSettings` itself, so the window accepts exactly
what the model accepts and says why with the model's own words. Saving writes the file
atomically and then emits :attr:`SettingsWindow.saved` with the new settings; Cancel
changes nothing. :meth:`SettingsWindow.edit` opens it modally (callers' tests replace it).
"""

import contextlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop import settings as model
from flashbuy_desktop.hotkeys import Refusal, parse, system
from flashbuy_desktop.services.global_hotkeys import (
    GLOBAL_HOTKEYS,
    refusal_message,
    unsupported_message,
)
from flashbuy_desktop.settings import ConsoleSettings, conflicts, normalize_hotkey
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.theme import Tone

PORTABLE = QKeySequence.SequenceFormat.PortableText

# The model's messages, marked for the translation catalog (context "ConsoleSettings").
# Each literal equals the model's constant; tests/desktop/test_settings.py checks that.
MODEL_MESSAGES: dict[str, object] = {
    model.ADDRESS_SCHEME: QT_TRANSLATE_NOOP(
        "ConsoleSettings", "the platform address starts with http:// or https://"
    ),
    model.HOTKEY_EMPTY: QT_TRANSLATE_NOOP("ConsoleSettings", "press a key for this hotkey"),
    model.HOTKEY_SEVERAL: QT_TRANSLATE_NOOP(
        "ConsoleSettings", "a hotkey is one key combination, such as F2 or Ctrl+R"
    ),
    model.HOTKEY_UNKNOWN: QT_TRANSLATE_NOOP(
        "ConsoleSettings", "this is not a key the console knows"
    ),
    model.HOTKEY_MODIFIERS_ONLY: QT_TRANSLATE_NOOP(
        "ConsoleSettings", "a hotkey needs a key besides Ctrl, Shift, Alt or Meta"
    ),
    model.HOTKEY_RESERVED: QT_TRANSLATE_NOOP(
        "ConsoleSettings",
        "Enter, Esc, Tab, Space, Backspace, Delete, the arrow keys, Home, End, Page Up and"
        " Page Down work the windows; on their own they cannot be hotkeys",
    ),
    model.HOTKEY_TWICE: QT_TRANSLATE_NOOP(
        "ConsoleSettings", "two actions cannot have the same hotkey"
    ),
}


def describe(message: str) -> str:
    """A model's validation message as the seller reads it (translated, capitalised)."""
    message = message.removeprefix("Value error, ")
    text = QCoreApplication.translate("ConsoleSettings", message)
    return text[:1].upper() + text[1:]


class SettingsWindow(QDialog):
    """Edits the console's settings; Save validates, writes, and emits :attr:`saved`."""

    saved = Signal(object)  # ConsoleSettings, as written to the file

    HOTKEYS = ("new_full", "retake", "pause_comments")  # the order they are shown in

    def __init__(
        self,
        settings: ConsoleSettings,
        *,
        embedded_demo: bool,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._path = path
        self.embedded_demo = embedded_demo
        self.result_settings: ConsoleSettings | None = None
        self.setObjectName("settings_window")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(460)
        self._build()
        self._fill(settings)
        self._connect()
        self._check_hotkeys()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        platform = QGroupBox(self.tr("Platform"), self)
        self.server_url = QLineEdit(platform)
        self.server_url.setObjectName("server_url_edit")
        self.server_url.setPlaceholderText(self.tr("Empty: the demo platform inside the console"))
        self.server_url_error = self._error_label("server_url_error", platform)
        form = QFormLayout(platform)
        form.addRow(self.tr("Address"), self.server_url)
        form.addRow("", self.server_url_error)

        general = QGroupBox(self.tr("General"), self)
        self.language = QComboBox(general)
        self.language.setObjectName("language_combo")
        self.language.addItem(self.tr("Follow the system"), "auto")
        # Each language is named in itself, so it can be found whatever is shown now.
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        form = QFormLayout(general)
        form.addRow(self.tr("Language"), self.language)

        capture = QGroupBox(self.tr("Capture"), self)
        self.burst = QSpinBox(capture)
        self.burst.setObjectName("capture_burst_spin")
        self.burst.setRange(*model.CAPTURE_BURST_RANGE)
        self.burst.setToolTip(
            self.tr("The console grabs this many frames and keeps the sharpest one")
        )
        self.interval = QSpinBox(capture)
        self.interval.setObjectName("capture_interval_spin")
        self.interval.setRange(*model.CAPTURE_INTERVAL_MS_RANGE)
        self.interval.setSingleStep(10)
        self.interval.setSuffix(" ms")
        self.interval.setToolTip(self.tr("From the start of one frame's grab to the next one's"))
        self.read_card = QCheckBox(
            self.tr("Read the piece number and price from the card"), capture
        )
        self.read_card.setObjectName("read_card_check")
        self.read_card.setToolTip(
            self.tr(
                "After each picture the console reads the order card and fills in the piece"
                " number and price it is sure of; check them before you publish"
            )
        )
        form = QFormLayout(capture)
        form.addRow(self.tr("Frames per capture"), self.burst)
        form.addRow(self.tr("Time between frames"), self.interval)
        form.addRow(self.read_card)

        sales = QGroupBox(self.tr("Sales"), self)
        self.pay_minutes = QSpinBox(sales)
        self.pay_minutes.setObjectName("pay_minutes_spin")
        self.pay_minutes.setRange(*model.PAY_MINUTES_RANGE)
        self.pay_minutes.setSuffix(self.tr(" min", "a spin box's unit"))
        self.pay_minutes.setToolTip(
            self.tr(
                "How long a buyer has to pay once a piece is theirs; unpaid, the piece goes to"
                " the next buyer. Each new flash-buy can change it."
            )
        )
        self.hold_back = QCheckBox(
            self.tr("Hold back viewers who left orders unpaid from full flash-buys"), sales
        )
        self.hold_back.setObjectName("hold_back_check")
        self.hold_back_after = QSpinBox(sales)
        self.hold_back_after.setObjectName("hold_back_spin")
        self.hold_back_after.setRange(*model.HOLD_BACK_RANGE)
        self.hold_back_after.setSuffix(self.tr(" expired order(s)", "a spin box's unit"))
        self.hold_back_help = QLabel(
            self.tr(
                "Viewers with this many expired orders with you cannot buy full flash-buys;"
                " you can still offer them a targeted one."
            ),
            sales,
        )
        self.hold_back_help.setWordWrap(True)
        theme.set_tone(self.hold_back_help, Tone.MUTED)
        form = QFormLayout(sales)
        form.addRow(self.tr("Time to pay"), self.pay_minutes)
        form.addRow(self.hold_back)
        form.addRow(self.tr("Hold back after"), self.hold_back_after)
        form.addRow(self.hold_back_help)

        hotkeys = QGroupBox(self.tr("Hotkeys"), self)
        form = QFormLayout(hotkeys)
        self.hotkey_edits: dict[str, QKeySequenceEdit] = {}
        self.hotkey_errors: dict[str, QLabel] = {}
        for name in self.HOTKEYS:
            edit = QKeySequenceEdit(hotkeys)
            edit.setObjectName(f"hotkey_{name}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            error = self._error_label(f"hotkey_{name}_error", hotkeys)
            self.hotkey_edits[name] = edit
            self.hotkey_errors[name] = error
            form.addRow(self.action_name(name), edit)
            form.addRow("", error)
        self.global_hotkeys = QCheckBox(
            self.tr("Global hotkeys: also work while the streaming software has focus"), hotkeys
        )
        self.global_hotkeys.setObjectName("global_hotkeys_check")
        self.global_help = QLabel(
            self.tr(
                "New full flash-buy and Pause or resume comments then work in every program,"
                " without switching back to the console. The console takes these keys from the"
                " whole desktop: other programs no longer receive them."
            ),
            hotkeys,
        )
        self.global_help.setObjectName("global_hotkeys_help")
        self.global_help.setWordWrap(True)
        self.global_note = QLabel(hotkeys)
        self.global_note.setObjectName("global_hotkeys_note")
        theme.set_tone(self.global_note, Tone.WARNING)
        self.global_note.setWordWrap(True)
        self.global_note.hide()
        form.addRow(self.global_hotkeys)
        form.addRow(self.global_help)
        form.addRow(self.global_note)

        audience = QGroupBox(self.tr("Rehearsal audience"), self)
        self.audience = QCheckBox(
            self.tr("Simulated viewers comment and buy in the demo"), audience
        )
        self.audience.setObjectName("rehearsal_audience_check")
        self.viewers = QSpinBox(audience)
        self.viewers.setObjectName("audience_viewers_spin")
        self.viewers.setRange(*model.AUDIENCE_VIEWERS_RANGE)
        self.audience_note = QLabel(
            self.tr("Only with the demo platform inside the console."), audience
        )
        self.audience_note.setObjectName("audience_note")
        self.audience_note.setVisible(not self.embedded_demo)
        form = QFormLayout(audience)
        form.addRow(self.audience)
        form.addRow(self.tr("Viewers"), self.viewers)
        form.addRow(self.audience_note)
        audience.setEnabled(self.embedded_demo)

        self.note = QLabel(
            self.tr(
                "Hotkeys, capture settings and the language apply as soon as you save. The"
                " platform address and the rehearsal audience apply the next time"
                " the console starts."
            ),
            self,
        )
        self.note.setObjectName("settings_note")
        self.note.setWordWrap(True)
        self.error = self._error_label("settings_error", self)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("settings_save_button")
        self.save_button.setText(self.tr("Save"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("settings_cancel_button")
        self.cancel_button.setText(self.tr("Cancel"))

        layout = self._root = QVBoxLayout(self)
        for group in (platform, general, capture, sales, hotkeys, audience):
            layout.addWidget(group)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _error_label(self, name: str, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        theme.set_tone(label, Tone.ERROR)
        label.setWordWrap(True)
        label.hide()
        return label

    def action_name(self, hotkey: str) -> str:
        """What the hotkey named ``hotkey`` does, as the window calls it."""
        names = {
            "new_full": self.tr("New full flash-buy"),
            "retake": self.tr("Retake the picture"),
            "pause_comments": self.tr("Pause or resume comments"),
        }
        return names[hotkey]

    def _fill(self, settings: ConsoleSettings) -> None:
        self.server_url.setText(settings.server_url or "")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.burst.setValue(settings.capture_burst)
        self.interval.setValue(settings.capture_interval_ms)
        self.read_card.setChecked(settings.read_card)
        for name, edit in self.hotkey_edits.items():
            edit.setKeySequence(QKeySequence.fromString(getattr(settings.hotkeys, name), PORTABLE))
        self.global_hotkeys.setChecked(settings.global_hotkeys)
        self.pay_minutes.setValue(settings.pay_minutes)
        self.hold_back.setChecked(settings.hold_back_expired is not None)
        self.hold_back_after.setValue(settings.hold_back_expired or model.HOLD_BACK_SUGGESTED)
        self.hold_back_after.setEnabled(settings.hold_back_expired is not None)
        self.audience.setChecked(settings.rehearsal_audience)
        self.viewers.setValue(settings.audience_viewers)
        self.viewers.setEnabled(settings.rehearsal_audience)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.server_url.textEdited.connect(lambda _text: self._check_address(quiet=True))
        self.server_url.editingFinished.connect(self._check_address)
        self.audience.toggled.connect(self.viewers.setEnabled)
        self.hold_back.toggled.connect(self.hold_back_after.setEnabled)
        for edit in self.hotkey_edits.values():
            edit.keySequenceChanged.connect(lambda _sequence: self._check_hotkeys())
        self.global_hotkeys.toggled.connect(lambda _checked: self._check_global())

    # --- checking -------------------------------------------------------------------------

    def _check_address(self, quiet: bool = False) -> bool:
        """Whether the address is valid; says why not (``quiet``: only clears the message)."""
        try:
            ConsoleSettings(server_url=self.server_url.text())
        except ValidationError as exc:
            if not quiet:
                self._show(self.server_url_error, describe(exc.errors()[0]["msg"]))
            return False
        self._show(self.server_url_error, "")
        return True

    def hotkeys(self) -> dict[str, str]:
        """The hotkeys as typed, in Qt's portable text ("" where cleared)."""
        return {
            name: edit.keySequence().toString(PORTABLE) for name, edit in self.hotkey_edits.items()
        }

    def _check_hotkeys(self) -> bool:
        """Show each hotkey's problem under it; Save only while there is none."""
        problems: dict[str, str] = {}
        values: dict[str, str] = {}
        for name, text in self.hotkeys().items():
            try:
                values[name] = normalize_hotkey(text)
            except ValueError as exc:
                problems[name] = describe(str(exc))
        for first, second in conflicts(values):
            problems.setdefault(
                second,
                self.tr("Already the hotkey of “{action}”").format(action=self.action_name(first)),
            )
        for name, label in self.hotkey_errors.items():
            self._show(label, problems.get(name, ""))
        self.save_button.setEnabled(not problems)
        self._check_global()
        return not problems

    def _check_global(self) -> None:
        """Say before saving what cannot become global here (it still works in the console)."""
        notes: list[str] = []
        if self.global_hotkeys.isChecked():
            why = system.support(QGuiApplication.platformName())
            if why is not None:
                notes.append(unsupported_message(why))
            else:
                for name in GLOBAL_HOTKEYS:
                    text = self.hotkey_edits[name].keySequence().toString(PORTABLE)
                    with contextlib.suppress(ValueError):  # no key: said under the field
                        if parse(text).types_text():
                            action = self.action_name(name)
                            notes.append(refusal_message(Refusal.TYPES_TEXT, text, action))
        self._show(self.global_note, " ".join(notes))

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
        if self.isVisible():
            self._grow()

    def _grow(self) -> None:
        # Grow (never shrink) so that a message appearing does not squeeze the fields.
        self._root.activate()
        needed = self.sizeHint().expandedTo(self.minimumSizeHint())
        if self.height() < needed.height():
            self.resize(self.width(), needed.height())

    def showEvent(self, event: QShowEvent) -> None:
        """Overrides QDialog: once laid out at its real width, make room for every message
        already shown (the first size is guessed before word-wrapped lines are known)."""
        super().showEvent(event)
        self._grow()

    # --- saving ---------------------------------------------------------------------------

    def edited(self) -> dict[str, Any]:
        """The values this window edits, as the model's raw fields."""
        values: dict[str, Any] = {
            "server_url": self.server_url.text(),
            "language": self.language.currentData(),
            "capture_burst": self.burst.value(),
            "capture_interval_ms": self.interval.value(),
            "read_card": self.read_card.isChecked(),
            "hotkeys": self.hotkeys(),
            "global_hotkeys": self.global_hotkeys.isChecked(),
            "pay_minutes": self.pay_minutes.value(),
            "hold_back_expired": (
                self.hold_back_after.value() if self.hold_back.isChecked() else None
            ),
        }
        if self.embedded_demo:
            values["rehearsal_audience"] = self.audience.isChecked()
            values["audience_viewers"] = self.viewers.value()
        return values

    def save(self) -> None:
        """Validate through the model, write the file, emit :attr:`saved`, close.

        Anything invalid is shown where it was typed and nothing is written. When the file
        cannot be written (ConsoleSettings.save raises OSError), the window stays open and
        says where and why; the old file is left as it was.
        """
        self._show(self.error, "")
        if not self._check_hotkeys():
            return
        # On top of the settings as they are now: the console may have saved something
        # (the capture frame's place) since this window opened. changed() also keeps what
        # a newer console wrote and this one does not know.
        try:
            candidate = self._settings.changed(self.edited())
        except ValidationError as exc:
            self._show_errors(exc)
            return
        path = self._path or model.settings_path()
        try:
            candidate.save(path)
        except OSError as exc:
            # The file's own path, not the error's: that may name the temporary file.
            self._show(
                self.error,
                self.tr("The settings could not be saved to {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )
            return
        self.result_settings = candidate
        self.saved.emit(candidate)
        self.accept()

    def _show_errors(self, exc: ValidationError) -> None:
        for error in exc.errors():
            where = error["loc"]
            message = describe(error["msg"])
            if where[:1] == ("server_url",):
                self._show(self.server_url_error, message)
                self.server_url.setFocus()
            elif where[:1] == ("hotkeys",) and len(where) > 1 and where[1] in self.hotkey_errors:
                self._show(self.hotkey_errors[str(where[1])], message)
            else:
                self._show(self.error, message)

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        settings: ConsoleSettings,
        *,
        embedded_demo: bool,
        path: Path | None = None,
    ) -> ConsoleSettings | None:
        """Open the window (modal); the settings as saved, or None if cancelled."""
        window = cls(settings, embedded_demo=embedded_demo, path=path, parent=parent)
        try:
            accepted = window.exec() == QDialog.DialogCode.Accepted
            return window.result_settings if accepted else None
        finally:
            window.deleteLater()

"""The console's settings: typed, versioned, saved as JSON in the user's config folder.

Loading never stops the console from starting:

* a file that is not a JSON object at all, or that a migration step fails on, is kept
  aside (``settings.json.broken``) and defaults are used;
* a file saved by an older console is brought to this schema by :data:`MIGRATIONS`, one
  version at a time, and written back at once in the new schema, after a copy of it as it
  was is kept under its version's name (``settings.json.v1``);
* a file saved by a newer console loads as far as this one understands it. Settings it does
  not know (at the top and among the hotkeys) and the newer schema version are kept and
  written back with every save, so going back to an older console and forward again does
  not lose what only the newer one knows;
* a field whose value is invalid is reset to its default (and logged) while every other
  setting is kept, so one bad value does not throw away the seller's whole setup. Hotkeys
  that clash keep the first one: the later duplicates go back to their defaults (all of
  them only when that still clashes).

Saving is atomic (:func:`~flashbuy_desktop.diagnostics.atomic.write_atomic`): a crash
mid-write leaves the old file, never half a new one, and two consoles saving at once never
mix their files.
"""

import contextlib
import errno
import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from flashbuy_desktop.capture.types import CaptureConfig
from flashbuy_desktop.diagnostics.atomic import write_atomic
from flashbuy_protocol.limits import (
    HOLD_BACK_MAX,
    HOLD_BACK_MIN,
    PAY_MINUTES_DEFAULT,
    PAY_MINUTES_MAX,
    PAY_MINUTES_MIN,
)

log = logging.getLogger(__name__)

APP = "flashbuy"
SCHEMA_VERSION = 3
FILE_NAME = "settings.json"

# Bounds shared by the model and the settings window's spin boxes.
CAPTURE_BURST_RANGE = (1, 10)  # frames per capture, as the capture engine accepts
CAPTURE_INTERVAL_MS_RANGE = (0, 500)  # from one grab's start to the next one's
AUDIENCE_VIEWERS_RANGE = (0, 2_000)
PAY_MINUTES_RANGE = (PAY_MINUTES_MIN, PAY_MINUTES_MAX)  # as the platform accepts
HOLD_BACK_RANGE = (HOLD_BACK_MIN, HOLD_BACK_MAX)
HOLD_BACK_SUGGESTED = 2  # what the settings window offers when the rule is turned on

Language = Literal["auto", "zh_CN", "en"]  # "auto": the system's language

# What the model says of a bad value. The settings window shows these (translated, under
# the context "ConsoleSettings"), so they are fixed sentences with nothing filled in.
ADDRESS_SCHEME = "the platform address starts with http:// or https://"
HOTKEY_EMPTY = "press a key for this hotkey"
HOTKEY_SEVERAL = "a hotkey is one key combination, such as F2 or Ctrl+R"
HOTKEY_UNKNOWN = "this is not a key the console knows"
HOTKEY_MODIFIERS_ONLY = "a hotkey needs a key besides Ctrl, Shift, Alt or Meta"
HOTKEY_RESERVED = (
    "Enter, Esc, Tab, Space, Backspace, Delete, the arrow keys, Home, End, Page Up and"
    " Page Down work the windows; on their own they cannot be hotkeys"
)
HOTKEY_TWICE = "two actions cannot have the same hotkey"


def config_dir() -> Path:
    """Where the console keeps its settings."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """Where the console keeps its data (the embedded platform's database)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def settings_path() -> Path:
    """The settings file used when no other path is given."""
    return config_dir() / FILE_NAME


# --- hotkeys ------------------------------------------------------------------------------

# Keys that work the windows themselves (Enter creates the flash-buy, Esc cancels, Tab moves
# on, Backspace and Delete edit the price, Space presses a button or ticks a box, the arrows,
# Home, End and the page keys move through the lists and tables): pressed on their own they
# cannot be a hotkey too. With a modifier (Ctrl+Up, Shift+Return) they are free.
_RESERVED = ("Key_Return", "Key_Enter", "Key_Escape", "Key_Tab", "Key_Backtab", "Key_Backspace",
             "Key_Delete", "Key_Space", "Key_Up", "Key_Down", "Key_Left", "Key_Right",
             "Key_Home", "Key_End", "Key_PageUp", "Key_PageDown")  # fmt: skip
_MODIFIERS = ("Key_Shift", "Key_Control", "Key_Alt", "Key_AltGr", "Key_Meta", "Key_Super_L",
              "Key_Super_R", "Key_Hyper_L", "Key_Hyper_R", "Key_CapsLock", "Key_NumLock",
              "Key_ScrollLock")  # fmt: skip


def normalize_hotkey(text: str) -> str:
    """``text`` as Qt's portable key-sequence text (``"ctrl+f2"`` → ``"Ctrl+F2"``).

    Raises ValueError, with a message for the seller, unless ``text`` is exactly one key
    combination with a real key (not only modifiers) that the console's windows do not need.
    """
    # Deferred: QtGui parses key names exactly as the shortcuts will, and needs no
    # application object to do so; only code that checks hotkeys pays for the import.
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    portable = QKeySequence.SequenceFormat.PortableText
    text = text.strip()
    if not text:
        raise ValueError(HOTKEY_EMPTY)
    sequence = QKeySequence.fromString(text, portable)
    if sequence.count() != 1:
        raise ValueError(HOTKEY_SEVERAL)
    combination = sequence[0]  # type: ignore[index]  # the stubs lack operator[]
    key = combination.key()
    normalized = sequence.toString(portable)
    # A name Qt does not know parses as an unknown key, which prints as nothing.
    if key == Qt.Key.Key_unknown or not normalized:
        raise ValueError(HOTKEY_UNKNOWN)
    if key in {getattr(Qt.Key, name) for name in _MODIFIERS}:
        raise ValueError(HOTKEY_MODIFIERS_ONLY)
    alone = combination.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if alone == Qt.KeyboardModifier.NoModifier and key in {
        getattr(Qt.Key, name) for name in _RESERVED
    }:
        raise ValueError(HOTKEY_RESERVED)
    return normalized


class Hotkeys(BaseModel):
    """The console's hotkeys, as Qt portable key-sequence text; no two are the same.

    Frozen: a change replaces all three at once, so the rule that no two are the same is
    checked on the whole set and a refused change leaves the old set in place.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    new_full: str = "F2"  # a new full (every viewer) flash-buy, from anywhere in the console
    # Retake the picture, in the new flash-buy window. A function key: the window opens with
    # the price field focused, where a letter would be typed, not pressed (R until schema 3).
    retake: str = "F5"
    pause_comments: str = "F3"  # pause or resume the comment list

    @field_validator("new_full", "retake", "pause_comments")
    @classmethod
    def _key(cls, value: str) -> str:
        return normalize_hotkey(value)

    @model_validator(mode="after")
    def _distinct(self) -> "Hotkeys":
        if conflicts(self):
            raise ValueError(HOTKEY_TWICE)
        return self


def conflicts(hotkeys: Hotkeys | dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of hotkey names (in field order) that share a key combination."""
    values = hotkeys.model_dump() if isinstance(hotkeys, Hotkeys) else hotkeys
    names = [name for name in Hotkeys.model_fields if values.get(name)]
    return [
        (first, second)
        for i, first in enumerate(names)
        for second in names[i + 1 :]
        if values[first] == values[second]
    ]


def without_clashes(values: Mapping[str, str]) -> dict[str, str] | None:
    """``values`` (hotkey names to keys; missing ones take their defaults) with no clash.

    The first of two hotkeys that share a key keeps it and the later one goes back to its
    default; None when even that leaves a clash (the caller then uses every default).
    """
    defaults = Hotkeys().model_dump()
    resolved: dict[str, str] = {}
    for name, default in defaults.items():
        value = _normalized(values.get(name, default))  # an invalid one is the model's
        resolved[name] = default if value in resolved.values() else value
    return None if conflicts(resolved) else resolved


# --- the settings ---------------------------------------------------------------------------


class ConsoleSettings(BaseModel):
    """Everything the console remembers between runs (never a secret).

    Settings a newer console wrote that this one does not know ride along unseen and are
    written back by :meth:`save`; :meth:`changed` makes a changed copy that keeps them.
    """

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    # A newer console's number stays: the file still holds that console's settings.
    schema_version: int = SCHEMA_VERSION
    server_url: str | None = None  # None: the embedded local platform
    language: Language = "auto"
    rehearsal_audience: bool = True  # simulated viewers in the embedded demo
    audience_viewers: int = Field(
        default=40, ge=AUDIENCE_VIEWERS_RANGE[0], le=AUDIENCE_VIEWERS_RANGE[1]
    )
    last_template_id: int | None = None
    capture_frame: tuple[int, int, int, int] | None = None  # logical x, y, width, height
    capture_burst: int = Field(default=3, ge=CAPTURE_BURST_RANGE[0], le=CAPTURE_BURST_RANGE[1])
    capture_interval_ms: int = Field(
        default=33, ge=CAPTURE_INTERVAL_MS_RANGE[0], le=CAPTURE_INTERVAL_MS_RANGE[1]
    )
    hotkeys: Hotkeys = Hotkeys()
    # New full flash-buy and pause comments taken from the whole desktop, so they work while
    # the streaming software has focus (off: only while the console has).
    global_hotkeys: bool = False
    # The pay window a new flash-buy starts with (the new flash-buy window can change it).
    # Added without a schema step: a file without it takes the default, and an older
    # console keeps it as an unknown setting.
    pay_minutes: int = Field(
        default=PAY_MINUTES_DEFAULT, ge=PAY_MINUTES_RANGE[0], le=PAY_MINUTES_RANGE[1]
    )
    # Viewers with this many expired orders are held back from full flash-buys (None: the
    # rule is off, the default). Targeted ones are the seller's own choice of viewer.
    hold_back_expired: int | None = Field(
        default=None, ge=HOLD_BACK_RANGE[0], le=HOLD_BACK_RANGE[1]
    )
    # Read the piece number and price off the order card in each picture and fill them in
    # (the seller checks them). Added without a schema step, as pay_minutes.
    read_card: bool = True

    # What the file held that this console does not know: top-level settings, and hotkeys
    # (kept here, not in Hotkeys, since a change of hotkeys replaces that whole object).
    _unknown: dict[str, Any] = PrivateAttr(default_factory=dict)
    _unknown_hotkeys: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("server_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(ADDRESS_SCHEME)
        return value

    @field_validator("capture_frame")
    @classmethod
    def _frame(cls, value: tuple[int, int, int, int] | None) -> tuple[int, int, int, int] | None:
        if value is None:
            return None
        x, y, width, height = value
        if not (-100_000 <= x <= 100_000 and -100_000 <= y <= 100_000):
            raise ValueError("the capture frame lies within the virtual desktop")
        if not (1 <= width <= 100_000 and 1 <= height <= 100_000):
            raise ValueError("the capture frame has a positive size")
        return value

    def capture_config(self) -> CaptureConfig:
        """The capture engine's configuration these settings ask for.

        ``capture_burst`` is the number of frames grabbed, ``capture_interval_ms`` the time
        from the start of one grab to the start of the next (the engine's ``interval_s``).
        """
        return CaptureConfig(burst=self.capture_burst, interval_s=self.capture_interval_ms / 1000)

    @classmethod
    def load(cls, path: Path | None = None) -> "ConsoleSettings":
        """The saved settings, as much of them as can be used; defaults for the rest."""
        path = path or settings_path()
        try:
            content = path.read_bytes()
            raw = json.loads(content.decode("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            return cls._set_aside(path)
        if not isinstance(raw, dict):
            return cls._set_aside(path)
        version = _version(raw)
        try:
            migrated = migrate(raw)
        except Exception:
            # A release's own bug, met on this seller's file: the console still starts.
            log.exception("settings of schema %d could not be migrated", version)
            return cls._set_aside(path)
        settings = cls._keeping_what_is_valid(migrated)
        if version < SCHEMA_VERSION:
            log.info("settings migrated from schema %d to %d", version, SCHEMA_VERSION)
            # The file as the older console wrote it stays at hand, for going back to it.
            backup = path.with_name(f"{path.name}.v{version}")
            try:
                if not backup.exists():
                    write_atomic(backup, content)
                settings.save(path)
            except OSError as exc:
                log.warning("the migrated settings could not be saved: %s", exc)
        return settings

    def changed(self, values: Mapping[str, Any]) -> "ConsoleSettings":
        """A validated copy with ``values`` set; raises ValidationError, as the model does.

        Unlike ``model_validate(model_dump() | values)``, the copy keeps the settings this
        console does not know, so that its next save writes them back.
        """
        copy = type(self).model_validate({**self.model_dump(), **values})
        copy._unknown = dict(self._unknown)
        copy._unknown_hotkeys = dict(self._unknown_hotkeys)
        return copy

    @classmethod
    def _keeping_what_is_valid(cls, raw: dict[str, Any]) -> "ConsoleSettings":
        _log_unknown(cls, raw, "")
        data = {name: value for name, value in raw.items() if name in cls.model_fields}
        unknown = {name: value for name, value in raw.items() if name not in cls.model_fields}
        hotkeys = data.get("hotkeys")
        unknown_hotkeys: dict[str, Any] = {}
        if isinstance(hotkeys, dict):
            unknown_hotkeys = {k: v for k, v in hotkeys.items() if k not in Hotkeys.model_fields}
            data["hotkeys"] = {k: v for k, v in hotkeys.items() if k in Hotkeys.model_fields}
        settings = cls._validate_dropping(data)
        settings._unknown = unknown
        settings._unknown_hotkeys = unknown_hotkeys
        return settings

    @classmethod
    def _validate_dropping(cls, data: dict[str, Any]) -> "ConsoleSettings":
        # Each round drops or resets at least one value, so this ends; the bound is only a
        # safeguard.
        for _ in range(64):
            try:
                return cls.model_validate(data)
            except ValidationError as exc:
                dropped = False
                for error in exc.errors():
                    if error["loc"] == ("hotkeys",) and _unclash(data):
                        dropped = True
                        continue
                    where = _drop(data, error["loc"])
                    if where:
                        dropped = True
                        log.warning("setting %s reset to its default: %s", where, error["msg"])
                if not dropped:
                    break
        log.warning("settings could not be used; using defaults")
        return cls()

    @classmethod
    def _set_aside(cls, path: Path) -> "ConsoleSettings":
        log.warning("settings in %s could not be read; using defaults", path)
        with contextlib.suppress(OSError):
            path.replace(path.with_name(f"{path.name}.broken"))
        return cls()

    def to_json(self) -> str:
        """The file's content: these settings, and those this console does not know."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["schema_version"] = max(self.schema_version, SCHEMA_VERSION)
        data["hotkeys"] = {
            **data["hotkeys"],
            **{k: v for k, v in self._unknown_hotkeys.items() if k not in data["hotkeys"]},
        }
        data.update({k: v for k, v in self._unknown.items() if k not in data})
        return json.dumps(data, indent=2, ensure_ascii=False)

    def save(self, path: Path | None = None) -> None:
        """Write atomically: a crash mid-write leaves the old file, not half a new one.

        Raises OSError (its ``filename`` may be a temporary file next to ``path``).
        """
        path = path or settings_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            # A file where the folder should be: "File exists" would say the opposite.
            raise NotADirectoryError(
                errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)
            ) from exc
        write_atomic(path, self.to_json().encode("utf-8"))


# --- migrations -----------------------------------------------------------------------------

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _from_v1(raw: dict[str, Any]) -> dict[str, Any]:
    # Version 2 only added settings (language, capture burst and interval, hotkeys): a v1
    # file keeps every value it had and takes the defaults for the new ones.
    return raw


RETAKE_BEFORE_V3 = "R"


def _from_v2(raw: dict[str, Any]) -> dict[str, Any]:
    # Version 3 moved retake's default from R (which the price field types instead) to F5.
    # A seller who never changed it gets F5; one who chose a key keeps it. Where the file
    # gives F5 to another hotkey already, R stays: a clash would reset every hotkey.
    # (global_hotkeys is new and takes its default, off.)
    hotkeys = raw.get("hotkeys", {})
    if not isinstance(hotkeys, dict):
        return raw  # invalid anyway: validation resets it and logs why
    retake = hotkeys.get("retake", RETAKE_BEFORE_V3)  # absent: v2's default
    if not isinstance(retake, str) or _normalized(retake) != RETAKE_BEFORE_V3:
        return raw
    new = Hotkeys.model_fields["retake"].default
    chosen = {**Hotkeys().model_dump(), **hotkeys}  # the others' defaults did not change
    others = {_normalized(v) for k, v in chosen.items() if k != "retake" and isinstance(v, str)}
    return {**raw, "hotkeys": {**hotkeys, "retake": RETAKE_BEFORE_V3 if new in others else new}}


# MIGRATIONS[n] turns a version-n file into a version-(n + 1) one. A release that renames,
# removes or reinterprets a setting bumps SCHEMA_VERSION and adds its step here.
MIGRATIONS: dict[int, Migration] = {1: _from_v1, 2: _from_v2}


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` (a settings file's JSON object) brought to :data:`SCHEMA_VERSION`."""
    version = _version(raw)
    raw = dict(raw)
    if version > SCHEMA_VERSION:
        log.warning(
            "settings come from a newer console (schema %d, this one reads %d); "
            "what this console does not know is kept as it is",
            version,
            SCHEMA_VERSION,
        )
        raw["schema_version"] = version
        return raw
    while version < SCHEMA_VERSION:
        raw["schema_version"] = version  # each step sees the version it migrates from
        raw = dict(MIGRATIONS[version](raw))
        version += 1
    raw["schema_version"] = SCHEMA_VERSION
    return raw


def _version(raw: dict[str, Any]) -> int:
    # The first release always wrote a version; a file written by hand may lack one.
    version = raw.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        log.warning("settings carry an unusable schema version %r; read as version 1", version)
        return 1
    return version


def _unclash(data: dict[str, Any]) -> bool:
    """Reset the later of clashing hotkeys in ``data``; whether that resolved a clash."""
    hotkeys = data.get("hotkeys")
    if not isinstance(hotkeys, dict) or not all(isinstance(v, str) for v in hotkeys.values()):
        return False
    resolved = without_clashes(hotkeys)
    if resolved is None:
        return False
    reset = [name for name, value in hotkeys.items() if resolved[name] != _normalized(value)]
    for name in reset:
        log.warning("setting hotkeys.%s reset to its default: %s", name, HOTKEY_TWICE)
    data["hotkeys"] = resolved
    return bool(reset)


def _normalized(hotkey: str) -> str:
    try:
        return normalize_hotkey(hotkey)
    except ValueError:
        return hotkey


def _drop(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Remove the value an error points at (the innermost object key); its dotted path."""
    node: Any = data
    parent: dict[str, Any] | None = None
    key: str | None = None
    path: list[str] = []
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            break
        parent, key = node, str(part)
        path.append(key)
        node = node[part]
    if parent is None or key is None:
        return ""
    del parent[key]
    return ".".join(path)


def _log_unknown(model: type[BaseModel], raw: dict[str, Any], prefix: str) -> None:
    for name, value in raw.items():
        field = model.model_fields.get(name)
        if field is None:
            log.info("unknown setting %s%s kept as it is", prefix, name)
            continue
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel) and isinstance(value, dict):
            _log_unknown(nested, value, f"{prefix}{name}.")

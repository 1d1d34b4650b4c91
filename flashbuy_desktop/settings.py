"""The console's settings: typed, versioned, saved as JSON in the user's config folder.

A file that cannot be read is kept aside (``settings.json.broken``) and defaults are
used, so a bad file never stops the console from starting. ``schema_version`` lets
a later release migrate what an older one saved.
"""

import contextlib
import json
import logging
import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

log = logging.getLogger(__name__)

APP = "flashbuy"
SCHEMA_VERSION = 1


def config_dir() -> Path:
    """Where the console keeps its settings."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """Where the console keeps its data (the embedded platform's database)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


class ConsoleSettings(BaseModel):
    """Everything the console remembers between runs (never a secret)."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    schema_version: int = SCHEMA_VERSION
    server_url: str | None = None  # None: the embedded local platform
    rehearsal_audience: bool = True  # simulated viewers in the embedded demo
    audience_viewers: int = Field(default=40, ge=0, le=2_000)
    last_template_id: int | None = None
    capture_frame: tuple[int, int, int, int] | None = None  # logical x, y, width, height

    @field_validator("server_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("the platform address starts with http:// or https://")
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

    @classmethod
    def load(cls, path: Path | None = None) -> "ConsoleSettings":
        """The saved settings, or defaults when there are none or they cannot be read."""
        path = path or config_dir() / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            return cls._set_aside(path)
        try:
            return cls.model_validate(_migrate(raw))
        except ValidationError:
            return cls._set_aside(path)

    @classmethod
    def _set_aside(cls, path: Path) -> "ConsoleSettings":
        log.warning("settings in %s could not be read; using defaults", path)
        with contextlib.suppress(OSError):
            path.replace(path.with_suffix(".json.broken"))
        return cls()

    def save(self, path: Path | None = None) -> None:
        """Write atomically: a crash mid-write leaves the old file, not half a new one."""
        path = path or config_dir() / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, path)


def _migrate(raw: object) -> object:
    """Bring settings saved by an older console to this schema (none yet: version 1)."""
    if isinstance(raw, dict) and raw.get("schema_version", SCHEMA_VERSION) > SCHEMA_VERSION:
        log.warning("settings come from a newer console; unknown fields are ignored")
    return raw

"""Deployment settings, from arguments or ``FLASHBUY_*`` environment variables."""

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flashbuy_protocol.limits import QUOTA_FULL_DEFAULT, QUOTA_TARGETED_DEFAULT


class ConfigError(ValueError):
    """A setting that cannot be used; ``str()`` names it and says why."""


def _env_int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """What one platform deployment is configured with."""

    database_url: str
    quota_full: int = QUOTA_FULL_DEFAULT
    quota_targeted: int = QUOTA_TARGETED_DEFAULT
    creator_token_ttl: timedelta = field(default=timedelta(days=30))
    viewer_token_ttl: timedelta = field(default=timedelta(days=1))
    heartbeat_seconds: float = 15.0  # an idle event stream sends a comment this often

    @classmethod
    def from_env(cls, database_url: str | None = None, data_dir: Path | None = None) -> "Settings":
        """Settings from the environment, with explicit arguments taking precedence.

        Without a database URL the platform keeps a SQLite file in ``data_dir``
        (``FLASHBUY_DATA_DIR``, else ``./data``).
        """
        url = database_url or os.environ.get("FLASHBUY_DATABASE_URL")
        if not url:
            directory = data_dir or Path(os.environ.get("FLASHBUY_DATA_DIR") or "data")
            url = sqlite_url(directory / "flashbuy.sqlite3")
        return cls(
            database_url=url,
            quota_full=_env_int("FLASHBUY_QUOTA_FULL", QUOTA_FULL_DEFAULT, 1),
            quota_targeted=_env_int("FLASHBUY_QUOTA_TARGETED", QUOTA_TARGETED_DEFAULT, 1),
            creator_token_ttl=timedelta(
                seconds=_env_int("FLASHBUY_TOKEN_TTL_SECONDS", 30 * 24 * 3600, 60)
            ),
        )


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file, creating its directory."""
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+pysqlite:///{path}"

"""Deployment settings, from arguments or ``FLASHBUY_*`` environment variables."""

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flashbuy_protocol.limits import QUOTA_FULL_DEFAULT, QUOTA_TARGETED_DEFAULT
from flashbuy_server.connections import ConnectionLimits
from flashbuy_server.sqltypes import utcnow

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A setting that cannot be used; ``str()`` names it and says why."""


# The payment provider's callbacks are signed with a secret the provider and the platform
# share (flashbuy_server.payments). Without FLASHBUY_PAYMENT_SECRET each process draws one:
# enough for one process and its sandbox provider, not for several behind one database.
PAYMENT_SECRET_VARIABLE = "FLASHBUY_PAYMENT_SECRET"  # noqa: S105 (its name, not a secret)
PAYMENT_SECRET_MIN = 16
_PROCESS_PAYMENT_SECRET = secrets.token_hex(32)


def _payment_secret() -> str:
    raw = os.environ.get(PAYMENT_SECRET_VARIABLE)
    if not raw:
        log.warning(
            "%s is not set: payment callbacks are signed with a random secret of this "
            "process; set it (the same in every process and at the payment provider) "
            "when several processes serve one database",
            PAYMENT_SECRET_VARIABLE,
        )
        return _PROCESS_PAYMENT_SECRET
    if len(raw) < PAYMENT_SECRET_MIN or not raw.isprintable() or raw.strip() != raw:
        raise ConfigError(
            f"{PAYMENT_SECRET_VARIABLE} must be at least {PAYMENT_SECRET_MIN} printable "
            "characters without white space around them"
        )
    return raw


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


def _env_number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if not minimum <= value < float("inf"):
        raise ConfigError(f"{name} must be at least {minimum:g}, not {raw}")
    return value


# The limits an operator tunes by environment, each FLASHBUY_<NAME IN CAPITALS>
# (FLASHBUY_JOIN_RATE_PER_ADDRESS=20): whole numbers where the default is one.
_TUNABLE_LIMITS = (
    "sign_in_free_failures_per_pair",
    "sign_in_max_wait_per_pair",
    "sign_in_free_failures_per_address",
    "sign_in_max_wait_per_address",
    "sign_in_free_failures_per_account",
    "sign_in_max_wait_per_account",
    "sign_in_forget_seconds",
    "join_burst_per_address",
    "join_rate_per_address",
    "join_burst_per_room",
    "join_rate_per_room",
    "comment_burst_per_viewer",
    "comment_rate_per_viewer",
)


@dataclass(frozen=True)
class Settings:
    """What one platform deployment is configured with."""

    database_url: str
    quota_full: int = QUOTA_FULL_DEFAULT
    quota_targeted: int = QUOTA_TARGETED_DEFAULT
    creator_token_ttl: timedelta = field(default=timedelta(days=30))
    viewer_token_ttl: timedelta = field(default=timedelta(days=1))
    heartbeat_seconds: float = 15.0  # an idle event stream sends a comment this often
    # Sign-in guessing, counted in the database so that every process sees the same counts
    # (flashbuy_server.signin_guard). Per (account, address), per address (a sprayer) and
    # per account (a guesser with many addresses): that many failures go free, then each
    # further one makes the next attempt wait 1, 2, 4, ... seconds, up to the cap. A quiet
    # spell of ``sign_in_forget_seconds`` forgets the failures.
    sign_in_free_failures_per_pair: int = 3
    sign_in_max_wait_per_pair: float = 60.0
    sign_in_free_failures_per_address: int = 50
    sign_in_max_wait_per_address: float = 300.0
    sign_in_free_failures_per_account: int = 10
    sign_in_max_wait_per_account: float = 30.0  # the real creator is locked out this long at most
    sign_in_forget_seconds: float = 900.0
    # After a success, that account and address meet only their own (pair) counter.
    sign_in_known_seconds: float = 30 * 24 * 3600.0
    # Floods: token buckets in each process's memory (flashbuy_server.throttle); a burst of
    # that many, refilled at that rate per second. Behind a load balancer of N processes a
    # client that spreads its requests gets up to N times these.
    join_burst_per_address: int = 50
    join_rate_per_address: float = 5.0
    join_burst_per_room: int = 2_000
    join_rate_per_room: float = 200.0
    comment_burst_per_viewer: int = 10
    comment_rate_per_viewer: float = 1.0
    # What the throttles and the timed jobs read the time from; tests pass a clock they
    # can move forward.
    clock: Callable[[], datetime] = field(default=utcnow)
    # How often an idle job runner looks for due work (flashbuy_server.jobs); a job due
    # sooner than that is run on time.
    jobs_poll_seconds: float = 1.0
    # How long a request may take to arrive, and how many connections may be open.
    connections: ConnectionLimits = field(default_factory=ConnectionLimits)
    # The secret the payment provider signs its callbacks with (FLASHBUY_PAYMENT_SECRET);
    # never in a repr, so never in a log.
    payment_secret: str = field(default=_PROCESS_PAYMENT_SECRET, repr=False)
    # The platform's address as the payment provider reaches it (behind a load balancer: its
    # public address). The provider's callbacks go there; unset, the address a checkout
    # request came in by, which a client's Host header decides.
    public_url: str | None = None

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
        limits: dict[str, float] = {}
        for name in _TUNABLE_LIMITS:
            default = cls.__dataclass_fields__[name].default
            assert isinstance(default, int | float)
            variable = f"FLASHBUY_{name.upper()}"
            if isinstance(default, int):
                limits[name] = _env_int(variable, default, 1)
            else:
                limits[name] = _env_number(variable, default, 0.001)
        return cls(
            database_url=url,
            **limits,  # type: ignore[arg-type]
            quota_full=_env_int("FLASHBUY_QUOTA_FULL", QUOTA_FULL_DEFAULT, 1),
            quota_targeted=_env_int("FLASHBUY_QUOTA_TARGETED", QUOTA_TARGETED_DEFAULT, 1),
            creator_token_ttl=timedelta(
                seconds=_env_int("FLASHBUY_TOKEN_TTL_SECONDS", 30 * 24 * 3600, 60)
            ),
            connections=ConnectionLimits(
                header_seconds=_env_int("FLASHBUY_HEADER_TIMEOUT_SECONDS", 10, 1),
                body_idle_seconds=_env_int("FLASHBUY_BODY_IDLE_SECONDS", 15, 1),
                body_seconds=_env_int("FLASHBUY_BODY_TIMEOUT_SECONDS", 120, 1),
                max_connections=_env_int("FLASHBUY_MAX_CONNECTIONS", 10_000, 1),
            ),
            payment_secret=_payment_secret(),
            public_url=os.environ.get("FLASHBUY_PUBLIC_URL") or None,
        )


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file, creating its directory."""
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+pysqlite:///{path}"

"""The console's log: a rotating file in the user's log folder, and stderr, secrets masked.

:func:`setup_logging` puts two handlers on the root logger (and replaces them when called
again, so they are never doubled). Both pass every record through :class:`RedactFilter`,
which masks credential-shaped values and the secrets registered with :func:`add_secret`
in the message, the traceback and the stack, before any handler formats it: what the log
file never holds, the problem report that attaches it cannot leak.

:func:`read_tail` gives the end of the log for a problem report. No Qt here: the log is set
up before the application object exists and must keep working after it is gone.
"""

import logging
import logging.handlers
import sys
import threading
from pathlib import Path

import platformdirs

from flashbuy_desktop.diagnostics.redact import redact

APP = "flashbuy"
FILE_NAME = "flashbuy.log"
MAX_BYTES = 1024 * 1024  # per file; with the backups the log never passes about 6 MiB
BACKUPS = 5
CHATTY_LOGGERS = ("httpx", "httpcore", "urllib3", "alembic.runtime.plugins", "uvicorn.access")
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger(__name__)

_lock = threading.Lock()
_handlers: list[logging.Handler] = []  # the ones setup_logging installed, to replace
_secrets: set[str] = set()


def log_dir() -> Path:
    """The folder of the console's log files."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def log_file(directory: Path | None = None) -> Path:
    """The current log file (its rotated predecessors end in ``.1`` … ``.5``)."""
    return (directory or log_dir()) / FILE_NAME


def add_secret(value: str | None) -> None:
    """Mask ``value`` (a session token, say) wherever it appears in the log from now on."""
    if value:
        with _lock:
            _secrets.add(value)


def known_secrets() -> tuple[str, ...]:
    """Every secret registered so far (tokens, the password typed at sign-in)."""
    with _lock:
        return tuple(_secrets)


def mask(text: str) -> str:
    """``text`` masked as the log masks it (credential shapes and registered secrets)."""
    return redact(text, known_secrets())


class RedactFilter(logging.Filter):
    """Masks secrets in a record's message, traceback and stack; never drops a record.

    Put on handlers, not on the root logger: a logger's filters see only the records
    logged on that very logger, a handler's see every record that reaches it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = known_secrets()
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as it would
            return True
        masked = redact(message, secrets)
        if masked != message or record.args:
            # Later handlers format the masked text as is: no arguments left to merge.
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Rendered here, once, so that every handler shows the masked traceback.
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


_FORMATTER = logging.Formatter(FORMAT)


def setup_logging(
    directory: Path | None = None, *, level: int = logging.INFO, stderr: bool = True
) -> Path:
    """Log to a rotating file in ``directory`` (the user's log folder) and to stderr.

    Calling it again replaces the handlers it installed before. When the folder cannot
    be created or the file cannot be opened, the log goes to stderr only (whatever
    ``stderr`` says) and a warning says why: a log file is never a reason not to start.
    Returns the log file's path (where it would be, if it could not be opened).
    """
    path = log_file(directory)
    stop_logging()
    handlers: list[logging.Handler] = []
    problem: OSError | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        )
    except OSError as exc:
        problem = exc
    if stderr or problem is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    redacting = RedactFilter()
    for handler in handlers:
        handler.setFormatter(_FORMATTER)
        handler.addFilter(redacting)
        root.addHandler(handler)
    with _lock:
        _handlers.extend(handlers)
    root.setLevel(level)
    # Libraries that log every request or plug-in at INFO would bury the console's own lines
    # (the rehearsal audience alone makes hundreds of requests a minute).
    for chatty in CHATTY_LOGGERS:
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
    if problem is not None:
        log.warning("the log cannot be written to %s (%s); only to the console", path, problem)
    return path


def stop_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed (at exit, in tests)."""
    root = logging.getLogger()
    with _lock:
        handlers, _handlers[:] = list(_handlers), []
    for handler in handlers:
        root.removeHandler(handler)
        handler.close()


def read_tail(max_bytes: int = 200_000, directory: Path | None = None) -> str:
    """The last ``max_bytes`` of the log at most, from the start of a line.

    When the current file is shorter than that, the end of the rotated one comes first.
    Bytes that are not UTF-8 (a line cut by a crash) are replaced, never an error.
    """
    if max_bytes <= 0:
        return ""
    current = log_file(directory)
    files = [current] + [current.with_name(f"{current.name}.{n}") for n in range(1, BACKUPS + 1)]
    # One byte more than asked: it tells whether the cut falls just after a line's end.
    wanted = max_bytes + 1
    chunks: list[bytes] = []
    for file in files:
        try:
            with file.open("rb") as stream:
                size = stream.seek(0, 2)
                take = min(size, wanted)
                stream.seek(size - take)
                chunk = stream.read(take)
        except FileNotFoundError:
            break  # rotation is gapless: no older file after a missing one
        except OSError:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
        if wanted <= 0:
            break
    return line_tail(b"".join(reversed(chunks)), max_bytes)


def line_tail(data: bytes, max_bytes: int) -> str:
    """The last ``max_bytes`` of ``data`` at most, from the start of a line, as text."""
    if len(data) > max_bytes:
        before, data = data[-max_bytes - 1 : -max_bytes], data[-max_bytes:]
        if before != b"\n":
            end = data.find(b"\n")
            if end >= 0:
                data = data[end + 1 :]
            # else: one line longer than max_bytes; its end is better than nothing.
    return data.decode("utf-8", errors="replace")

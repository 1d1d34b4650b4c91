"""The problem report's bundle: what support asks for, as the members of one zip.

The facts (shop and creator ids, operating system, app, Qt and Python versions, the
seller's description), the last part of the log and PNG screenshots become the members
``report.json``, ``console.log`` and ``*.png``; the window shows exactly these members
and sends exactly these zip bytes. Every text passes through :func:`redact` with the
secrets the caller knows (the session token, a password), so a token that the log or
the seller's description happens to hold never leaves the machine.

Qt-free: the window grabs the screenshots and passes Qt's versions in as strings.
"""

import contextlib
import hashlib
import importlib.metadata
import io
import os
import platform
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flashbuy_desktop.logs import line_tail
from flashbuy_desktop.redact import redact
from flashbuy_protocol.limits import REPORT_DESCRIPTION_MAX, REPORT_MAX_BYTES
from flashbuy_protocol.models import REPORT_FORMAT, Creator, ProblemReport, ReportShop

LOG_TAIL_MAX_BYTES = 200_000
MANIFEST = "report.json"
LOG_MEMBER = "console.log"
CONSOLE_SCREENSHOT = "console.png"
FRAME_SCREENSHOT = "capture-frame.png"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps tab and newlines
_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # zip cannot date a file earlier


class ReportTooLargeError(ValueError):
    """The bundle is over the platform's limit; ``str()`` says by how much."""


def app_version() -> str:
    """The console's version, or "unknown" when it runs from a tree that was not installed."""
    try:
        return importlib.metadata.version("flashbuy")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _fact(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters: what report.json's model takes."""
    return _CONTROL.sub(" ", text).strip()[:limit]


@dataclass(frozen=True)
class ReportFacts:
    """What support asks for about the console and the seller (never a secret)."""

    creator_id: int | None
    creator_name: str
    shops: tuple[tuple[int, str], ...]
    platform_url: str
    os: str
    app_version: str
    qt_version: str
    pyside_version: str
    python_version: str
    description: str
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def gather(
        cls,
        *,
        creator: Creator | None,
        platform_url: str,
        qt_version: str,
        pyside_version: str,
        description: str = "",
        created_at: datetime | None = None,
    ) -> "ReportFacts":
        """The facts of this machine and this console, for ``creator`` (None: unknown)."""
        return cls(
            creator_id=creator.id if creator else None,
            creator_name=creator.display_name if creator else "",
            shops=tuple((s.id, s.name) for s in creator.shops) if creator else (),
            platform_url=platform_url,
            os=platform.platform(),
            app_version=app_version(),
            qt_version=qt_version,
            pyside_version=pyside_version,
            python_version=f"{platform.python_version()} ({sys.implementation.name})",
            description=description,
            created_at=created_at or datetime.now(UTC),
        )

    def manifest(self, secrets: Iterable[str | None] = ()) -> ProblemReport:
        """``report.json`` with every text redacted and fitted to the model's limits."""
        known = list(secrets)

        def clean(text: str, limit: int) -> str:
            return _fact(redact(text, known), limit)

        description = _CONTROL_BUT_LINES.sub(" ", redact(self.description, known))
        return ProblemReport(
            format=REPORT_FORMAT,
            created_at=self.created_at,
            creator_id=self.creator_id,
            creator_name=clean(self.creator_name, 60),
            shops=[ReportShop(id=i, name=clean(name, 60)) for i, name in self.shops[:50]],
            platform_url=clean(self.platform_url, 300),
            os=clean(self.os, 200),
            app_version=clean(self.app_version, 40),
            qt_version=clean(self.qt_version, 40),
            pyside_version=clean(self.pyside_version, 40),
            python_version=clean(self.python_version, 40),
            description=description[:REPORT_DESCRIPTION_MAX],
        )


@dataclass(frozen=True)
class Screenshot:
    """A PNG picture for the bundle, under the name it will have in the zip."""

    name: str
    png: bytes


@dataclass(frozen=True)
class Member:
    """One file of the bundle: its name, its exact bytes, and its text if it is text."""

    name: str
    data: bytes
    text: str | None  # None: a picture

    @property
    def size(self) -> int:
        """Bytes, as the file will be when unpacked."""
        return len(self.data)

    @property
    def is_picture(self) -> bool:
        """Whether the member is a screenshot rather than text."""
        return self.text is None


@dataclass(frozen=True)
class Bundle:
    """The members and the exact zip bytes that will be saved or sent."""

    members: tuple[Member, ...]
    zip_bytes: bytes
    sha256: str

    @property
    def size(self) -> int:
        """Bytes of the zip."""
        return len(self.zip_bytes)

    def member(self, name: str) -> Member:
        """The member called ``name``."""
        return next(m for m in self.members if m.name == name)


def tail_text(text: str, max_bytes: int = LOG_TAIL_MAX_BYTES) -> str:
    """The end of ``text``: at most ``max_bytes`` of UTF-8, starting at a line boundary."""
    return line_tail(text.encode("utf-8", errors="replace"), max_bytes)


def build_members(
    facts: ReportFacts,
    log_tail: str,
    screenshots: Sequence[Screenshot] = (),
    secrets: Iterable[str | None] = (),
) -> list[Member]:
    """The bundle's files, in the order the window lists them; every text redacted."""
    known = list(secrets)
    manifest = facts.manifest(known).model_dump_json(indent=2) + "\n"
    log = redact(tail_text(log_tail), known)
    members = [
        Member(MANIFEST, manifest.encode("utf-8"), manifest),
        Member(LOG_MEMBER, log.encode("utf-8"), log),
    ]
    names = {MANIFEST, LOG_MEMBER}
    for shot in screenshots:
        if shot.name in names or not shot.name.endswith(".png") or "/" in shot.name:
            raise ValueError(f"a screenshot cannot be called {shot.name!r}")
        names.add(shot.name)
        members.append(Member(shot.name, shot.png, None))
    return members


def build_zip(members: Sequence[Member], when: datetime) -> bytes:
    """The zip of ``members``: the same members and time always give the same bytes."""
    stamp = max(when.astimezone(UTC), _ZIP_EPOCH)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=stamp.timetuple()[:6])
            info.external_attr = 0o644 << 16  # a plain readable file when unpacked
            # PNG is compressed already; deflating it again only costs time.
            info.compress_type = zipfile.ZIP_STORED if member.is_picture else zipfile.ZIP_DEFLATED
            archive.writestr(info, member.data)
    return buffer.getvalue()


def build_bundle(
    facts: ReportFacts,
    log_tail: str,
    screenshots: Sequence[Screenshot] = (),
    secrets: Iterable[str | None] = (),
) -> Bundle:
    """Members and zip together; raises :class:`ReportTooLargeError` past the platform's limit."""
    members = build_members(facts, log_tail, screenshots, secrets)
    data = build_zip(members, facts.created_at)
    if len(data) > REPORT_MAX_BYTES:
        raise ReportTooLargeError(
            f"the report is {len(data) / 1024 / 1024:.1f} MiB; "
            f"the platform takes at most {REPORT_MAX_BYTES // 1024 // 1024} MiB"
        )
    return Bundle(tuple(members), data, hashlib.sha256(data).hexdigest())


def save_zip(path: Path, data: bytes) -> None:
    """Write the zip atomically: ``path`` ends up whole or unchanged, never half written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

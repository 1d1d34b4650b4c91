"""The problem report's bundle: what support asks for, as the members of one zip.

The facts (shop and creator ids, operating system, app, Qt and Python versions, the
seller's description), the last part of the log and PNG screenshots become the members
``report.json``, ``console.log``, ``console.png`` and ``capture-frame.png`` (the only
files the platform takes: ``flashbuy_protocol.limits.REPORT_MEMBERS``); the window shows
exactly these members and sends exactly these zip bytes. Every text passes through
:func:`redact` with the secrets the caller knows (the session token, a password), so a
token that the log or the seller's description happens to hold never leaves the machine.

Qt-free: the window grabs the screenshots and passes Qt's versions in as strings.
"""

import hashlib
import importlib.metadata
import io
import platform
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flashbuy_desktop.diagnostics.atomic import write_atomic
from flashbuy_desktop.diagnostics.logs import line_tail
from flashbuy_desktop.diagnostics.redact import redact
from flashbuy_protocol.limits import (
    CONTROL,
    DIRECTION_CHARACTER,
    PNG_SIGNATURE,
    REFUSED_CHARACTER,
    REPORT_CONSOLE_SCREENSHOT,
    REPORT_DESCRIPTION_MAX,
    REPORT_FRAME_SCREENSHOT,
    REPORT_LOG,
    REPORT_MANIFEST,
    REPORT_MAX_BYTES,
    REPORT_NAME_MAX,
    REPORT_OS_MAX,
    REPORT_SCREENSHOTS,
    REPORT_SHOPS_MAX,
    REPORT_URL_MAX,
    REPORT_VERSION_MAX,
    report_member_problem,
    text_problem,
)
from flashbuy_protocol.models import REPORT_FORMAT, Creator, ProblemReport, ReportShop

LOG_TAIL_MAX_BYTES = 200_000
# The member names are the protocol's, which the platform checks (the only files it takes).
MANIFEST = REPORT_MANIFEST
LOG_MEMBER = REPORT_LOG
CONSOLE_SCREENSHOT = REPORT_CONSOLE_SCREENSHOT
FRAME_SCREENSHOT = REPORT_FRAME_SCREENSHOT

_CONTROL = re.compile(CONTROL)
_REFUSED = re.compile(REFUSED_CHARACTER)  # the text rule's: keeps tab, CR and LF
_DIRECTION = re.compile(DIRECTION_CHARACTER)
_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # zip cannot date a file earlier


class ReportTooLargeError(ValueError):
    """The bundle is over the platform's limit; ``str()`` says by how much."""


def app_version() -> str:
    """The console's version, or "unknown" when it runs from a tree that was not installed."""
    try:
        return importlib.metadata.version("flashbuy")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _kept(text: str) -> str:
    """``text`` as the text rule takes it: a character that changes the text's direction
    dropped, another the rule refuses a space, and text that shows nothing empty."""
    kept = _REFUSED.sub(" ", _DIRECTION.sub("", text))
    return "" if text_problem(kept) else kept


def _fact(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters: what report.json's model takes."""
    return _kept(_CONTROL.sub(" ", _kept(text)).strip()[:limit])


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

        description = _kept(_kept(redact(self.description, known))[:REPORT_DESCRIPTION_MAX])
        return ProblemReport(
            format=REPORT_FORMAT,
            created_at=self.created_at,
            creator_id=self.creator_id,
            creator_name=clean(self.creator_name, REPORT_NAME_MAX),
            shops=[
                ReportShop(id=i, name=clean(name, REPORT_NAME_MAX))
                for i, name in self.shops[:REPORT_SHOPS_MAX]
            ],
            platform_url=clean(self.platform_url, REPORT_URL_MAX),
            os=clean(self.os, REPORT_OS_MAX),
            app_version=clean(self.app_version, REPORT_VERSION_MAX),
            qt_version=clean(self.qt_version, REPORT_VERSION_MAX),
            pyside_version=clean(self.pyside_version, REPORT_VERSION_MAX),
            python_version=clean(self.python_version, REPORT_VERSION_MAX),
            description=description,
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
        # The platform takes these names only, each once: anything else would be refused.
        if shot.name in names or shot.name not in REPORT_SCREENSHOTS:
            raise ValueError(
                f"a screenshot cannot be called {shot.name[:40]!r}: "
                f"it is one of {', '.join(REPORT_SCREENSHOTS)}, each at most once"
            )
        if not shot.png.startswith(PNG_SIGNATURE):
            raise ValueError(f"the screenshot {shot.name} is not a PNG picture")
        names.add(shot.name)
        members.append(Member(shot.name, shot.png, None))
    for member in members:
        why = report_member_problem(member.name)
        if why is not None:  # the platform's own rule: what it would refuse is never built
            raise ValueError(f"the report cannot hold {member.name[:40]!r}: {why}")
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
    write_atomic(path, data)

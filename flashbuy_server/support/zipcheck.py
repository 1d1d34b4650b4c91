"""A problem report's zip, proven safe to open on a support desk, or the reason it is not.

Pure functions over the zip's bytes (``zipfile``): no database, no HTTP framework, no Qt, so
the console's own tests can check what they build with the very rules the platform applies.
Nothing but the zip (no bytes before, between or after its records), only the files a
console writes (``flashbuy_protocol.limits.REPORT_MEMBERS``, each a plain file, the pictures
real PNGs), no zip bomb, no encrypted or exotic member, every member's checksum right, no
copy of the sender's own token, and a ``report.json`` that is one. Each member is read
block by block and dropped, but ``report.json``. A refusal is an
:class:`~flashbuy_server.errors.ApiError` (the one error shape; it imports no framework).
"""

import hashlib
import io
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    CONTROL,
    PNG_SIGNATURE,
    REPORT_MANIFEST,
    REPORT_MANIFEST_MAX_BYTES,
    REPORT_MAX_BYTES,
    REPORT_MAX_MEMBERS,
    REPORT_MAX_UNCOMPRESSED,
    REPORT_MEMBER_NAME_MAX,
    REPORT_SCREENSHOTS,
    report_member_problem,
)
from flashbuy_protocol.models import ProblemReport
from flashbuy_server.errors import ApiError

MANIFEST = REPORT_MANIFEST
_READ_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(CONTROL)
_SHOWN_MAX = 40  # characters of a member's name that an error repeats: the sender chose it
# The zip's records (APPNOTE.TXT 4.3): each member's local header, its data and an optional
# descriptor, back to back from byte 0; the central directory; its end record, last.
_LOCAL = b"PK\x03\x04"
_LOCAL_SIZE = 30
_DESCRIPTOR = b"PK\x07\x08"
_END = b"PK\x05\x06"
_END_SIZE = 22
_FLAG_ENCRYPTED = 0x1
_FLAG_DESCRIPTOR = 0x8
_DOS_DIRECTORY = 0x10
_DOS_REPARSE_POINT = 0x400  # a Windows symbolic link or junction
_SPECIAL_BITS = stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX


@dataclass(frozen=True)
class CheckedReport:
    """A zip proven safe and well formed, with its ``report.json`` read."""

    manifest: ProblemReport
    members: list[str]
    size_bytes: int
    sha256: str


def _invalid(reason: str, message: str, **details: Any) -> ApiError:
    return ApiError(ErrorCode.REPORT_INVALID, message, reason=reason, **details)


def too_large(size: int) -> ApiError:
    return ApiError(
        ErrorCode.REPORT_TOO_LARGE,
        f"the report is larger than {REPORT_MAX_BYTES // (1024 * 1024)} MiB",
        reason="size",
        max_bytes=REPORT_MAX_BYTES,
        size_bytes=size,
    )


def shown(name: str) -> str:
    """A member's name as an error repeats it: quoted, escaped, and cut to a few characters."""
    if len(name) > _SHOWN_MAX:
        return repr(name[:_SHOWN_MAX]) + "…"
    return repr(name)


def _member_error(reason: str, name: str, says: str) -> ApiError:
    """A refusal about one member, naming it only as far as :func:`shown` does."""
    return _invalid(reason, f"the member {shown(name)} {says}", member=name[:_SHOWN_MAX])


def unsafe_name(name: str) -> str | None:
    """Why a member's name could write outside the folder it is unpacked into, or None."""
    if not name:
        return "an empty name"
    if len(name) > REPORT_MEMBER_NAME_MAX:
        return f"a name longer than {REPORT_MEMBER_NAME_MAX} characters"
    if _CONTROL.search(name):
        return "a control character in the name"
    if "\\" in name:
        return "a backslash (Windows reads it as a folder separator)"
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path"
    parts = name.removesuffix("/").split("/")  # a trailing "/" marks a folder entry
    if any(part in ("", ".", "..") for part in parts):
        return "an empty, '.' or '..' path part"
    return None


def folded(name: str) -> str:
    """``name`` as a case-insensitive, Unicode-normalising file system compares it."""
    return unicodedata.normalize("NFKC", name).casefold()


def not_a_plain_file(info: zipfile.ZipInfo) -> bool:
    """Whether unpacking ``info`` makes something other than a plain file.

    The high 16 bits of ``external_attr`` are a Unix mode: a symbolic link there is
    unpacked as a link by Info-ZIP and many archivers, which could point anywhere on
    the support desk. No file type (0) is what Python's zipfile writes; the low bits
    are MS-DOS attributes, where a folder or a reparse point (a Windows link) is refused.
    """
    mode = info.external_attr >> 16
    return (
        stat.S_IFMT(mode) not in (0, stat.S_IFREG)
        or bool(mode & _SPECIAL_BITS)
        or bool(info.external_attr & (_DOS_DIRECTORY | _DOS_REPARSE_POINT))
    )


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _check_layout(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse bytes that are not part of the zip's own records.

    zipfile reads a zip from its end, so an executable or a web page may stand before it,
    between its members or after it and the file is still a "valid zip" (a polyglot that
    support's desk may open as the other kind). A zip that zipfile or a console writes
    has none of that: members back to back from byte 0, then the central directory,
    then its end record with no comment. (Zip64 is refused too: 10 MiB never needs it.)
    """

    def refuse(where: str) -> ApiError:
        return _invalid("layout", f"the zip has bytes {where} that belong to none of its records")

    end = len(data) - _END_SIZE
    if end < 0 or data[end : end + 4] != _END or _u16(data, end + 20) != 0:
        raise refuse("after its end record, or a comment,")
    directory_size, directory_at = _u32(data, end + 12), _u32(data, end + 16)
    if directory_at + directory_size != end:
        raise refuse("before it or after its central directory")
    at = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != at or data[at : at + 4] != _LOCAL:
            raise refuse("before or between its members")
        at += _LOCAL_SIZE + _u16(data, at + 26) + _u16(data, at + 28) + info.compress_size
        if info.flag_bits & _FLAG_DESCRIPTOR:  # the sizes and checksum follow the data
            at += 16 if data[at : at + 4] == _DESCRIPTOR else 12
    if at != directory_at:
        raise refuse("between its last member and its central directory")


def _check_member(info: zipfile.ZipInfo, seen: set[str]) -> None:
    """Refuse a member whose name, kind or encoding support's desk should not unpack."""
    name = info.filename
    why = unsafe_name(name) or unsafe_name(info.orig_filename)
    if why is not None:
        raise _member_error("unsafe_name", name, f"has {why}")
    key = folded(name)
    if key in seen:  # Report.json and REPORT.JSON are one file on Windows and macOS
        raise _member_error(
            "duplicate_name",
            name,
            "is there twice (names are compared ignoring case and Unicode form)",
        )
    seen.add(key)
    why = report_member_problem(name)
    if why is not None:
        raise _member_error("unexpected_member", name, f"is not allowed: {why}")
    if not_a_plain_file(info):
        raise _member_error(
            "not_a_file", name, "is not a plain file (a link, a folder or a special file)"
        )
    if info.flag_bits & _FLAG_ENCRYPTED:
        raise _member_error("encrypted", name, "is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _member_error("compression", name, "is neither stored nor deflated")


def _scan_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, keep: bool, secrets: Sequence[bytes]
) -> bytes:
    """Read the member to its end, block by block, so zipfile verifies its checksum.

    Only what is kept (``report.json``) is held in memory; every other block is looked
    at and dropped. A block that holds one of ``secrets`` (checked across block edges)
    and a picture that does not start as a PNG are refused.
    """
    name = info.filename
    kept = bytearray()
    head = b""
    overlap = max((len(s) for s in secrets), default=1) - 1
    carried = b""
    try:
        with archive.open(info) as member:
            # zipfile stops at the declared size, so a lying header cannot inflate past it.
            while chunk := member.read(_READ_CHUNK):
                if len(head) < len(PNG_SIGNATURE):
                    head += chunk[: len(PNG_SIGNATURE) - len(head)]
                window = carried + chunk
                if any(secret in window for secret in secrets):
                    raise _credential(name)
                carried = window[-overlap:] if overlap else b""
                if keep:
                    kept.extend(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        # zipfile's own message may quote the header's name, of any length: not repeated.
        raise _member_error(
            "corrupt", name, "cannot be read: its bytes do not match its checksum or header"
        ) from exc
    if name in REPORT_SCREENSHOTS and head != PNG_SIGNATURE:
        raise _member_error("not_png", name, "is not a PNG picture")
    return bytes(kept)


def _credential(name: str) -> ApiError:
    return _member_error(
        "credential",
        name,
        "holds the sender's own sign-in token; a report must never carry one, so it was "
        "not stored (sign out and in again if it was sent anywhere else)",
    )


def inspect_report(data: bytes, secrets: Sequence[str] = ()) -> CheckedReport:
    """Prove ``data`` a safe, complete problem report; raise the reason it is not.

    ``secrets`` are texts no member may contain: the caller's raw bearer token, so a
    console whose redaction failed cannot make the platform keep a live credential.
    """
    if len(data) > REPORT_MAX_BYTES:
        raise too_large(len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ApiError(ErrorCode.REPORT_NOT_ZIP, "the body is not a zip archive") from exc
    forbidden = [secret.encode() for secret in secrets if secret]
    with archive:
        infos = archive.infolist()
        if len(infos) > REPORT_MAX_MEMBERS:
            raise _invalid(
                "too_many_members",
                f"a report holds at most {REPORT_MAX_MEMBERS} files, not {len(infos)}",
                max_members=REPORT_MAX_MEMBERS,
            )
        _check_layout(data, infos)
        seen: set[str] = set()
        for info in infos:
            _check_member(info, seen)
        declared = sum(info.file_size for info in infos)
        if declared > REPORT_MAX_UNCOMPRESSED:
            raise ApiError(
                ErrorCode.REPORT_TOO_LARGE,
                f"the report unpacks to {declared} bytes; at most {REPORT_MAX_UNCOMPRESSED}",
                reason="uncompressed",
                max_uncompressed_bytes=REPORT_MAX_UNCOMPRESSED,
                uncompressed_bytes=declared,
            )
        manifest_info = next((i for i in infos if i.filename == MANIFEST), None)
        if manifest_info is None:
            raise _invalid("manifest_missing", f"the report has no {MANIFEST}")
        if manifest_info.file_size > REPORT_MANIFEST_MAX_BYTES:
            raise _invalid(
                "manifest_invalid",
                f"{MANIFEST} is larger than {REPORT_MANIFEST_MAX_BYTES} bytes",
            )
        # A stored member, a name or a header's extra field carries the token as it is.
        stored_secret = next((s for s in forbidden if s in data), None)
        if stored_secret is not None:
            raise _invalid(
                "credential",
                "the zip holds the sender's own sign-in token; a report must never carry "
                "one, so it was not stored",
            )
        manifest_bytes = b""
        for info in infos:  # every member, so a corrupt one is refused now, not at support
            content = _scan_member(archive, info, keep=info is manifest_info, secrets=forbidden)
            if info is manifest_info:
                manifest_bytes = content
    try:
        manifest = ProblemReport.model_validate_json(manifest_bytes)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'report'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise _invalid("manifest_invalid", f"{MANIFEST} is not a valid report: {problems}") from exc
    return CheckedReport(
        manifest=manifest,
        members=[i.filename for i in infos],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )

"""check_png: every PNG Pillow writes passes; every way to break one is caught, also when
the attacker recomputes the chunk checksums so that only the image data is wrong."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from flashbuy_server.pngcheck import PngError, check_png

MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"]


def _png(mode: str, size: tuple[int, int], *, interlace: bool = False) -> bytes:
    rng = random.Random(f"{mode}{size}")
    image = Image.new("L" if mode == "I;16" else mode, size)
    if mode in ("L", "LA", "P", "RGB", "RGBA"):
        image = Image.frombytes(
            mode, size, rng.randbytes(size[0] * size[1] * len(image.getbands()))
        )
    elif mode == "I;16":
        image = image.convert("I;16")
    buf = io.BytesIO()
    image.save(buf, "PNG", interlace=int(interlace))
    return buf.getvalue()


@pytest.mark.parametrize("interlace", [False, True], ids=["plain", "adam7"])
@pytest.mark.parametrize("size", [(1, 1), (7, 3), (33, 17), (300, 9)], ids=str)
@pytest.mark.parametrize("mode", MODES)
def test_every_png_pillow_writes_passes(mode: str, size: tuple[int, int], interlace: bool) -> None:
    data = _png(mode, size, interlace=interlace)
    assert check_png(data) == size
    with Image.open(io.BytesIO(data)) as image:  # and Pillow agrees it decodes
        image.load()


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        out.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def _build(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """A PNG of these chunks, every checksum right."""
    parts = [b"\x89PNG\r\n\x1a\n"]
    for kind, body in chunks:
        parts.append(struct.pack(">I", len(body)) + kind + body)
        parts.append(struct.pack(">I", zlib.crc32(kind + body)))
    return b"".join(parts)


def _with_data(raw: bytes, header: bytes | None = None) -> bytes:
    """A 4x2 greyscale PNG whose image data inflates to ``raw``."""
    ihdr = header or struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0)
    return _build([(b"IHDR", ihdr), (b"IDAT", zlib.compress(raw)), (b"IEND", b"")])


GOOD_ROWS = b"\x00abcd\x01efgh"


def _flip_crc(data: bytes) -> bytes:
    """One bit of the IDAT chunk's CRC flipped (the 12 bytes after it are the IEND chunk)."""
    return data[:-13] + bytes([data[-13] ^ 1]) + data[-12:]


CASES = {
    "good": (_with_data(GOOD_ROWS), None),
    "unknown-filter": (_with_data(b"\x00abcd\x05efgh"), "unknown filter"),
    "a-row-short": (_with_data(GOOD_ROWS[:-1]), "shorter"),
    "a-row-too-many": (_with_data(GOOD_ROWS + b"\x00ijkl"), "more rows"),
    "a-byte-too-many": (_with_data(GOOD_ROWS + b"\x00"), "more rows"),
    "not-zlib": (
        _build(
            [
                (b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0)),
                (b"IDAT", b"junk"),
                (b"IEND", b""),
            ]
        ),
        "inflate",
    ),
    "zlib-cut-short": (
        _build(
            [
                (b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0)),
                (b"IDAT", zlib.compress(GOOD_ROWS)[:-6]),
                (b"IEND", b""),
            ]
        ),
        "stops before its end",
    ),
    "bad-depth": (_with_data(GOOD_ROWS, struct.pack(">IIBBBBB", 4, 2, 3, 0, 0, 0, 0)), "depth"),
    "zero-width": (_with_data(b"", struct.pack(">IIBBBBB", 0, 2, 8, 0, 0, 0, 0)), "size"),
    "unknown-interlace": (
        _with_data(GOOD_ROWS, struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 2)),
        "interlace",
    ),
    "palette-without-plte": (
        _with_data(GOOD_ROWS, struct.pack(">IIBBBBB", 4, 2, 8, 3, 0, 0, 0)),
        "PLTE",
    ),
    "no-iend": (_with_data(GOOD_ROWS)[:-12], "IEND"),
    "no-idat": (
        _build([(b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0)), (b"IEND", b"")]),
        "no image data",
    ),
    "idat-split-by-another-chunk": (
        _build(
            [
                (b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0)),
                (b"IDAT", zlib.compress(GOOD_ROWS)[:5]),
                (b"tEXt", b"a\0b"),
                (b"IDAT", zlib.compress(GOOD_ROWS)[5:]),
                (b"IEND", b""),
            ]
        ),
        "consecutive",
    ),
    "wrong-checksum": (_flip_crc(_with_data(GOOD_ROWS)), "checksum"),
    "not-a-png": (b"GIF89a" + bytes(50), "signature"),
    "header-not-first": (
        _build([(b"tEXt", b"a\0b"), (b"IHDR", struct.pack(">IIBBBBB", 4, 2, 8, 0, 0, 0, 0))]),
        "IHDR",
    ),
    "chunk-past-the-end": (_with_data(GOOD_ROWS)[:50], "past the end"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_png_is_caught_for_what_it_is(case: str) -> None:
    data, reason = CASES[case]
    if reason is None:
        assert check_png(data) == (4, 2)
    else:
        with pytest.raises(PngError, match=reason):
            check_png(data)


def test_a_large_picture_is_checked_in_blocks() -> None:
    # 4096x4096 RGBA inflates to 64 MB: checked 64 KB at a time, rows counted across blocks.
    rows = b"".join(b"\x00" + bytes(4096 * 4) for _ in range(4096))
    data = _build(
        [
            (b"IHDR", struct.pack(">IIBBBBB", 4096, 4096, 8, 6, 0, 0, 0)),
            (b"IDAT", zlib.compress(rows, 9)),
            (b"IEND", b""),
        ]
    )
    del rows
    assert len(data) < 256 * 1024
    assert check_png(data) == (4096, 4096)

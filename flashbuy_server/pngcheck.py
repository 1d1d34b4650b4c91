"""Proving a PNG whole without holding its pixels.

Decoding a PNG to check it costs its full size in memory: 64 MB for 4096x4096 RGBA,
however small the file. The platform never needs the pixels (it stores the bytes as
sent), only the proof that a viewer's app can decode them. :func:`check_png` gives that
proof in a few hundred KB: it checks every chunk's CRC, the header's combination of
depth and colour type, and inflates the image data in blocks, checking each row's filter
byte and that the data holds exactly the rows the header declares, no more and no less.
"""

import struct
import zlib
from collections.abc import Iterator

from flashbuy_protocol.limits import PNG_SIGNATURE

_BLOCK = 64 * 1024  # inflated bytes looked at per step
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
# Adam7: (x start, y start, x step, y step) of each of the seven passes.
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)


class PngError(ValueError):
    """The bytes are not a whole, decodable PNG; ``str()`` says what is wrong."""


def _rows(width: int, height: int, bits: int, interlaced: bool) -> Iterator[int]:
    """The length of each scanline in the inflated data, its filter byte included."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    for x0, y0, dx, dy in passes:
        columns = (width - x0 + dx - 1) // dx if width > x0 else 0
        lines = (height - y0 + dy - 1) // dy if height > y0 else 0
        if columns and lines:
            row = 1 + (columns * bits + 7) // 8
            for _ in range(lines):
                yield row


def _chunks(data: bytes) -> Iterator[tuple[bytes, memoryview]]:
    """Each chunk's type and data, its CRC checked; stops after IEND."""
    view = memoryview(data)
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 8 > len(data):
            raise PngError("the file ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 8 + length
        if length > 0x7FFFFFFF or end + 4 > len(data):
            raise PngError("a chunk runs past the end of the file")
        (crc,) = struct.unpack_from(">I", data, end)
        if zlib.crc32(view[pos + 4 : end]) != crc:
            raise PngError(f"the {kind!r} chunk's checksum is wrong")
        yield kind, view[pos + 8 : end]
        if kind == b"IEND":
            return
        pos = end + 4


def check_png(data: bytes) -> tuple[int, int]:
    """The width and height of a PNG proven decodable; :class:`PngError` if it is not."""
    if not data.startswith(PNG_SIGNATURE):
        raise PngError("the file does not start with the PNG signature")
    chunks = _chunks(data)
    kind, header = next(chunks)
    if kind != b"IHDR" or len(header) != 13:
        raise PngError("the first chunk is not a 13-byte IHDR")
    width, height, depth, colour, method, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if not width or not height or colour not in _DEPTHS or depth not in _DEPTHS[colour]:
        raise PngError("the header's size, depth or colour type is not valid")
    if method or filtering or interlace not in (0, 1):
        raise PngError("the header names an unknown compression, filter or interlace method")
    rows = _rows(width, height, depth * _CHANNELS[colour], interlace == 1)
    inflater = zlib.decompressobj()
    next_row = 0  # offset in the inflated data of the next scanline's filter byte
    inflated = 0
    palette = False
    state = "before"  # before, in or after the run of IDAT chunks
    for kind, body in chunks:
        if kind == b"PLTE":
            palette = True
        elif kind == b"IDAT":
            if state == "after":
                raise PngError("the IDAT chunks are not consecutive")
            if colour == 3 and not palette:
                raise PngError("a palette image has no PLTE chunk before its data")
            state = "in"
            pending = bytes(body)
            while True:
                try:
                    block = inflater.decompress(pending, _BLOCK)
                except zlib.error as exc:
                    raise PngError(f"the image data does not inflate: {exc}") from exc
                pending = inflater.unconsumed_tail
                if inflater.eof and (pending or inflater.unused_data):
                    raise PngError("bytes follow the end of the image data")
                while next_row < inflated + len(block):
                    if block[next_row - inflated] > 4:
                        raise PngError("a scanline names an unknown filter")
                    row = next(rows, None)
                    if row is None:
                        raise PngError("the image data holds more rows than the header says")
                    next_row += row
                inflated += len(block)
                if not pending and len(block) < _BLOCK:
                    break  # this chunk is used up, and zlib holds no more output of it
        elif state == "in":
            state = "after"
    if state == "before":
        raise PngError("the file has no image data")
    if not inflater.eof:
        raise PngError("the image data stops before its end")
    if inflated != next_row or next(rows, None) is not None:
        raise PngError("the image data is shorter than the header says")
    return width, height

"""Picture upload and download: real JPEG/PNG only, within size, stored once by content hash."""

import hashlib
import io
import random
import struct
import zlib
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from PIL import Image

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import PICTURE_MAX_BYTES, PICTURE_MAX_SIDE
from flashbuy_server.config import Settings
from flashbuy_server.server import ServerThread
from flashbuy_server.tables import pictures
from tests.support import (
    Platform,
    World,
    expect_error,
    jpeg_bytes,
    make_world,
    png_bytes,
    snapshot,
)


def encoded(image: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def noise(width: int, height: int, seed: int = 7) -> Image.Image:
    """An RGB image of random pixels, which no format compresses much."""
    return Image.frombytes(
        "RGB", (width, height), random.Random(seed).randbytes(width * height * 3)
    )


def upload(world: World, data: bytes, content_type: str | None) -> dict[str, object]:
    headers = {"Content-Type": content_type} if content_type else {}
    picture: dict[str, object] = world.creator.ok(
        "POST", "/pictures", 201, data=data, headers=headers
    )
    return picture


def stored_rows(world: World, picture_id: str) -> int:
    with world.platform.db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).select_from(pictures).where(pictures.c.id == picture_id)
            ).scalar_one()
        )


@pytest.mark.parametrize(
    ("make", "content_type", "size"),
    [
        (lambda: jpeg_bytes(120, 80, "#2e8b57"), "image/jpeg", (120, 80)),
        (lambda: png_bytes(33, 257, "#fdf5e6"), "image/png", (33, 257)),
        (lambda: encoded(noise(300, 200), "JPEG"), "image/jpeg", (300, 200)),
        (lambda: encoded(noise(PICTURE_MAX_SIDE, 10), "PNG"), "image/png", (4096, 10)),
        (lambda: png_bytes(10, PICTURE_MAX_SIDE), "image/png", (10, 4096)),
    ],
    ids=["jpeg", "png", "noisy-jpeg", "png-4096-wide", "png-4096-tall"],
)
def test_a_picture_is_stored_by_its_hash_and_served_back(
    world: World, make: Callable[[], bytes], content_type: str, size: tuple[int, int]
) -> None:
    data = make()
    picture = upload(world, data, content_type)
    digest = hashlib.sha256(data).hexdigest()
    assert picture == {
        "id": digest,
        "content_type": content_type,
        "width": size[0],
        "height": size[1],
        "size_bytes": len(data),
    }
    assert stored_rows(world, digest) == 1

    viewer = world.viewers[0]  # viewers' apps show the picture of an offer
    resp = viewer.get(f"/pictures/{digest}")
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == content_type
    assert resp.content == data


def test_the_same_bytes_twice_are_one_picture(world: World) -> None:
    data = png_bytes(71, 29, "#8b0000")
    first = upload(world, data, "image/png")
    before = snapshot(world.platform.db)
    second = upload(world, data, "image/png; charset=binary")
    assert second == first
    assert stored_rows(world, str(first["id"])) == 1
    assert snapshot(world.platform.db) == before


def test_a_picture_of_exactly_the_byte_limit_is_accepted(database_url: str) -> None:
    # A platform of its own (on each database), so the shared one does not carry 5 MB
    # that every later snapshot() would have to read.
    server = ServerThread(Settings(database_url=database_url)).start()
    backend = "sqlite" if database_url.startswith("sqlite") else "postgres"
    world = make_world(Platform(server, backend), viewers=1)
    try:
        # Bytes after a JPEG's end marker are ignored by decoders: pad to the limit exactly.
        data = jpeg_bytes(40, 30, "#ffbf00")
        data += b"\0" * (PICTURE_MAX_BYTES - len(data))
        picture = upload(world, data, "image/jpeg")
        assert (picture["size_bytes"], picture["width"], picture["height"]) == (
            PICTURE_MAX_BYTES,
            40,
            30,
        )
        assert world.viewers[0].get(f"/pictures/{picture['id']}").content == data
    finally:
        world.close()
        server.stop()
        server.app.state.db.dispose()


def test_an_unknown_picture_is_not_found(world: World) -> None:
    expect_error(world.creator.get(f"/pictures/{'0' * 64}"), ErrorCode.NOT_FOUND)


def _gif() -> bytes:
    return encoded(Image.new("P", (20, 20), 3), "GIF")


def _bmp() -> bytes:
    return encoded(Image.new("RGB", (20, 20), "blue"), "BMP")


def _webp() -> bytes:
    return encoded(Image.new("RGB", (20, 20), "blue"), "WEBP")


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


INVALID: dict[str, tuple[Callable[[], bytes], str | None]] = {
    "text-as-jpeg": (lambda: b"3\xe5\x8f\xb7 jade bangle, not a picture\n" * 20, "image/jpeg"),
    "empty-jpeg": (lambda: b"", "image/jpeg"),
    "gif-as-png": (_gif, "image/png"),
    "gif-as-gif": (_gif, "image/gif"),
    "bmp-as-jpeg": (_bmp, "image/jpeg"),
    "webp-as-png": (_webp, "image/png"),
    "truncated-jpeg": (lambda: _half(encoded(noise(200, 200), "JPEG")), "image/jpeg"),
    "truncated-png": (lambda: _half(encoded(noise(200, 200), "PNG")), "image/png"),
    # Pictures of their own: other tests on the shared platform upload jpeg_bytes().
    "jpeg-as-text-plain": (lambda: encoded(noise(64, 48), "JPEG"), "text/plain"),
    "jpeg-without-content-type": (lambda: encoded(noise(64, 48), "JPEG"), None),
    "jpeg-as-octet-stream": (lambda: encoded(noise(64, 48), "JPEG"), "application/octet-stream"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_what_is_not_a_readable_jpeg_or_png_is_refused(world: World, case: str) -> None:
    make, content_type = INVALID[case]
    data = make()
    before = snapshot(world.platform.db)
    headers = {"Content-Type": content_type} if content_type else {}
    resp = world.creator.post("/pictures", data=data, headers=headers)
    expect_error(resp, ErrorCode.PICTURE_INVALID)
    assert snapshot(world.platform.db) == before
    expect_error(
        world.creator.get(f"/pictures/{hashlib.sha256(data).hexdigest()}"), ErrorCode.NOT_FOUND
    )


def test_a_multipart_form_upload_is_refused(world: World) -> None:
    before = snapshot(world.platform.db)
    resp = world.creator.post("/pictures", files={"file": ("a.jpg", jpeg_bytes(), "image/jpeg")})
    expect_error(resp, ErrorCode.PICTURE_INVALID)
    assert snapshot(world.platform.db) == before


def _noise_png_over_limit() -> bytes:
    data = encoded(noise(1_340, 1_340), "PNG")  # about 5.4 MB: random pixels do not compress
    assert len(data) > PICTURE_MAX_BYTES
    return data


def _padded_jpeg_over_limit() -> bytes:
    data = jpeg_bytes(40, 30)
    return data + b"\0" * (PICTURE_MAX_BYTES + 1 - len(data))


TOO_LARGE: dict[str, tuple[Callable[[], bytes], str]] = {
    "noise-png-over-5mb": (_noise_png_over_limit, "image/png"),
    "padded-jpeg-one-byte-over": (_padded_jpeg_over_limit, "image/jpeg"),
    "png-4097-wide": (lambda: png_bytes(PICTURE_MAX_SIDE + 1, 10), "image/png"),
    "jpeg-4097-tall": (lambda: jpeg_bytes(10, PICTURE_MAX_SIDE + 1), "image/jpeg"),
}


def _png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height``: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"\0" * 1024)  # far less than the header promises
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (10_000, 10_000), (4_097, 30_000), (60_000, 4_000)],
)
def test_a_picture_declaring_too_many_pixels_is_too_large_not_a_crash(
    world: World, width: int, height: int
) -> None:
    """Decided from the header, before any decoding: 413, never a 500 or 'not readable'."""
    data = _png_declaring(width, height)
    assert len(data) < 2_000
    before = snapshot(world.platform.db)
    resp = world.creator.post("/pictures", data=data, headers={"Content-Type": "image/png"})
    expect_error(resp, ErrorCode.PICTURE_TOO_LARGE)
    assert snapshot(world.platform.db) == before


@pytest.mark.parametrize("case", list(TOO_LARGE))
def test_a_picture_over_the_limits_is_refused(world: World, case: str) -> None:
    make, content_type = TOO_LARGE[case]
    data = make()
    before = snapshot(world.platform.db)
    resp = world.creator.post("/pictures", data=data, headers={"Content-Type": content_type})
    details = expect_error(resp, ErrorCode.PICTURE_TOO_LARGE)
    if len(data) > PICTURE_MAX_BYTES:
        assert details["max_bytes"] == PICTURE_MAX_BYTES
    else:
        assert max(details["width"], details["height"]) == PICTURE_MAX_SIDE + 1
    assert snapshot(world.platform.db) == before


def test_an_upload_needs_a_creator_token(world: World) -> None:
    before = snapshot(world.platform.db)
    anonymous = world.platform.client()
    try:
        resp = anonymous.post(
            "/pictures", data=jpeg_bytes(color="red"), headers={"Content-Type": "image/jpeg"}
        )
        expect_error(resp, ErrorCode.UNAUTHENTICATED)
        bogus = world.platform.client("not-a-token")
        try:
            resp = bogus.post(
                "/pictures", data=jpeg_bytes(color="red"), headers={"Content-Type": "image/jpeg"}
            )
            expect_error(resp, ErrorCode.UNAUTHENTICATED)
        finally:
            bogus.close()
    finally:
        anonymous.close()
    resp = world.viewers[0].post(
        "/pictures", data=jpeg_bytes(color="red"), headers={"Content-Type": "image/jpeg"}
    )
    expect_error(resp, ErrorCode.FORBIDDEN)
    assert snapshot(world.platform.db) == before

"""Pictures of flash-buys: uploaded once, proven to be images, stored by content hash.

Stored in the database rather than on a disk of one server, so every platform
instance on a shared PostgreSQL can serve every picture. The checks of a picture come first
(the rules), then the module's queries, service and router, as in every domain module.
"""

import hashlib
import io
import warnings
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Path, Request, Response
from PIL import Image, UnidentifiedImageError
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    PICTURE_ID_PATTERN,
    PICTURE_MAX_BYTES,
    PICTURE_MAX_SIDE,
    PICTURE_TYPES,
)
from flashbuy_protocol.models import Picture
from flashbuy_server.db import Database
from flashbuy_server.deps import CreatorDep, DbDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.guard import BodyLimit
from flashbuy_server.pngcheck import PngError, check_png
from flashbuy_server.slots import slots_of
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import pictures

router = APIRouter(tags=["pictures"])

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
# Pictures checked at the same time per process. A check no longer holds the pixels (a
# PNG of 4096x4096 would be 64 MB however small its file), but it is still the costly
# part of an upload: the 40 worker threads are for the requests that wait on the database.
DECODES_AT_ONCE = 2


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """The content type, width and height of a JPEG or PNG, proven decodable."""
    if len(data) > PICTURE_MAX_BYTES:
        raise _too_large(len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                content_type = _FORMATS.get(image.format or "")
                if content_type is None:
                    raise ApiError(
                        ErrorCode.PICTURE_INVALID,
                        f"a picture must be JPEG or PNG, not {image.format}",
                    )
                width, height = image.size
                if max(width, height) > PICTURE_MAX_SIDE:
                    raise ApiError(
                        ErrorCode.PICTURE_TOO_LARGE,
                        f"the picture is {width}x{height}; at most {PICTURE_MAX_SIDE} px a side",
                        width=width,
                        height=height,
                    )
                _prove_decodable(image, data)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow decides from the header, before decoding, that the picture declares more
        # pixels than it will decode; any such picture is far over our side limit too.
        raise ApiError(
            ErrorCode.PICTURE_TOO_LARGE,
            f"the picture declares more pixels than allowed; at most {PICTURE_MAX_SIDE} px a side",
            max_side=PICTURE_MAX_SIDE,
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ApiError(
            ErrorCode.PICTURE_INVALID, "the file is not a readable JPEG or PNG picture"
        ) from exc
    return content_type, width, height


def _prove_decodable(image: Image.Image, data: bytes) -> None:
    """Decode enough of the picture to know a viewer's app can: a truncated or corrupt
    file fails here. Never at full size: the platform keeps the bytes, not the pixels."""
    if image.format == "PNG":
        try:
            check_png(data)
        except PngError as exc:
            raise ApiError(
                ErrorCode.PICTURE_INVALID, f"the file is not a readable PNG picture: {exc}"
            ) from exc
        return
    # libjpeg decodes every block of the file, scaled to an eighth a side: 1/64 the memory.
    width, height = image.size
    image.draft(None, (max(1, width // 8), max(1, height // 8)))
    image.load()


def _too_large(size: int) -> ApiError:
    return ApiError(
        ErrorCode.PICTURE_TOO_LARGE,
        f"the picture is larger than {PICTURE_MAX_BYTES // (1024 * 1024)} MB",
        max_bytes=PICTURE_MAX_BYTES,
        size_bytes=size,
    )


BODY_LIMIT = BodyLimit(PICTURE_MAX_BYTES, _too_large)


# --- queries ------------------------------------------------------------------------------

_BYTES = sa.select(pictures.c.data, pictures.c.content_type).where(
    pictures.c.id == sa.bindparam("picture")
)
_KNOWN = sa.select(pictures.c.id).where(pictures.c.id == sa.bindparam("picture"))


def picture_bytes(conn: Connection, picture_id: str) -> tuple[bytes, str]:
    """A stored picture's bytes and content type; 404 if there is none."""
    row = conn.execute(_BYTES, {"picture": picture_id}).first()
    if row is None:
        raise not_found("picture", picture_id)
    return bytes(row.data), str(row.content_type)


# --- service ------------------------------------------------------------------------------


def store(db: Database, data: bytes) -> Picture:
    """Validate and keep a picture; the same bytes twice are stored once."""
    content_type, width, height = inspect_image(data)
    digest = hashlib.sha256(data).hexdigest()
    picture = Picture(
        id=digest, content_type=content_type, width=width, height=height, size_bytes=len(data)
    )
    try:
        with db.write() as conn:
            exists = conn.execute(_KNOWN, {"picture": digest}).first()
            if exists is None:
                conn.execute(
                    pictures.insert().values(data=data, created_at=utcnow(), **picture.model_dump())
                )
    except IntegrityError:
        pass  # the same picture was stored concurrently: content-addressed, so it is ours too
    return picture


# --- router -------------------------------------------------------------------------------


@router.post(
    "/pictures",
    response_model=Picture,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in PICTURE_TYPES
            },
        }
    },
)
async def upload(
    request: Request,
    _me: CreatorDep,
    db: DbDep,
    content_type: Annotated[str | None, Header()] = None,
) -> Picture:
    """Upload a JPEG or PNG (raw body, at most 5 MB and 4096 px a side)."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in PICTURE_TYPES:
        raise ApiError(
            ErrorCode.PICTURE_INVALID,
            "send the picture as the raw body with Content-Type image/jpeg or image/png",
        )
    body = await request.body()  # at most BODY_LIMIT: the guard refuses more as it arrives
    return await slots_of(request.app, "picture_slots", DECODES_AT_ONCE).run(store, db, body)


@router.get(
    "/pictures/{picture_id}",
    response_class=Response,
    responses={200: {"content": {t: {} for t in PICTURE_TYPES}}},
)
def download(picture_id: Annotated[str, Path(pattern=PICTURE_ID_PATTERN)], db: DbDep) -> Response:
    """The picture's bytes; immutable, since the id is their hash."""
    with db.read() as conn:
        data, content_type = picture_bytes(conn, picture_id)
    return Response(
        content=data,
        media_type=content_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )

"""Publishing one flash-buy: crop, upload, create, under one Idempotency-Key per submission.

A *submission* is one form with one picture. The first press of Enter on it draws a key; every
send of that same submission carries the same key, whether the client sends it again by itself
or the seller presses Enter again after the platform could not be reached, so the platform
makes it at most once. A changed form (or another picture, or another crop) is a new
submission with a new key.

Retries: this module has none of its own. The client's transport retries a call whose answer
was lost, and only calls safe to send twice (``RETRIES`` in ``flashbuy_desktop/api/client.py``,
the console's one retry policy): the create carries the key, the upload is stored by its
content. Looping around them here multiplied the attempts (3 presses x 3 sends = 9 creates
behind one spinner); now one submission sends at most ``RETRIES`` creates.

After a failure the key is dropped only when nothing can have been made (the platform refused
with a 4xx); after an offline, a 5xx or an answer not understood the flash-buy may exist, so
the key is kept and the next submit of the same form replays instead of creating again.

No Qt: the window runs :meth:`Publisher.submit` on a worker (``services.tasks.Tasks``) and shows
:attr:`Publisher.state`. One submission at a time.
"""

import hashlib
import threading
import uuid
from dataclasses import dataclass
from enum import StrEnum

from flashbuy_desktop.api.client import PlatformClient, PlatformError
from flashbuy_desktop.capture.crop import CropFraction
from flashbuy_desktop.capture.types import CaptureConfig
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate

# A form is validated (FlashBuyCreate) before its picture is uploaded: this stands in for the
# picture's id until the upload names it.
PICTURE_PLACEHOLDER = "0" * 64


@dataclass(frozen=True)
class ChosenPicture:
    """The captured JPEG and the seller's crop of it (None: the whole picture)."""

    jpeg: bytes
    crop: CropFraction | None = None


class PublishState(StrEnum):
    """Where the publisher's last submission stands."""

    READY = "ready"  # nothing sent yet
    SENDING = "sending"
    PUBLISHED = "published"
    REFUSED = "refused"  # the platform said no: nothing was made; the next submit is new
    UNCONFIRMED = "unconfirmed"  # it may exist: the key is kept for the next submit


@dataclass(frozen=True)
class _Pending:
    key: str
    fingerprint: tuple[str, str, CropFraction | None]


class Publisher:
    """Publishes flash-buys into one live room, each submission under its own key."""

    def __init__(
        self, client: PlatformClient, room_id: int, *, encoding: CaptureConfig | None = None
    ) -> None:
        self.client = client
        self.room_id = room_id
        # A crop is encoded like a capture: the configured JPEG quality and longest side.
        self.encoding = encoding or CaptureConfig()
        self.state = PublishState.READY
        self._pending: _Pending | None = None
        self._lock = threading.Lock()  # submit runs on a worker; one submission at a time

    @property
    def pending_key(self) -> str | None:
        """The key the next submit of the unconfirmed submission carries (None: none is)."""
        pending = self._pending
        return pending.key if pending is not None else None

    def key_for(self, form: FlashBuyCreate, picture: ChosenPicture) -> str:
        """The submission's key: the kept one for the same form and picture, else a new one."""
        fingerprint = (
            form.model_dump_json(exclude={"picture_id"}),
            hashlib.sha256(picture.jpeg).hexdigest(),
            picture.crop,
        )
        pending = self._pending
        if pending is None or pending.fingerprint != fingerprint:
            pending = _Pending(uuid.uuid4().hex, fingerprint)
            self._pending = pending
        return pending.key

    def submit(self, form: FlashBuyCreate, picture: ChosenPicture) -> FlashBuy:
        """Crop, upload and create (blocking: run it off the GUI thread); the flash-buy made.

        Raises what the client raises: ``OfflineError`` (key kept), ``PlatformError`` (a 4xx
        drops the key, a 5xx keeps it), ``ClientError``; ``ValueError`` for a picture that
        cannot be decoded.
        """
        if not self._lock.acquire(blocking=False):
            raise RuntimeError("a submission is already being sent")
        try:
            key = self.key_for(form, picture)
            self.state = PublishState.SENDING
            try:
                jpeg = self._encoded(picture)
                uploaded = self.client.upload_picture(jpeg)
                made = self.client.create_flashbuy(
                    self.room_id, form.model_copy(update={"picture_id": uploaded.id}), key=key
                )
            except PlatformError as exc:
                if 400 <= exc.status < 500:  # a refusal proves nothing was made
                    self._pending = None
                    self.state = PublishState.REFUSED
                else:
                    self.state = PublishState.UNCONFIRMED
                raise
            except Exception:
                self.state = PublishState.UNCONFIRMED
                raise
            self._pending = None
            self.state = PublishState.PUBLISHED
            return made
        finally:
            self._lock.release()

    def _encoded(self, picture: ChosenPicture) -> bytes:
        if picture.crop is None:
            return picture.jpeg
        # Imported here, on the worker: the encoder loads OpenCV, which the window never needs.
        from flashbuy_desktop.capture.encode import crop_jpeg

        return crop_jpeg(
            picture.jpeg,
            picture.crop,
            quality=self.encoding.jpeg_quality,
            max_side=self.encoding.max_side,
        )

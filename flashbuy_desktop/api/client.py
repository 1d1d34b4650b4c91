"""A typed, blocking client for the platform's HTTP API (requests).

Every call has a timeout. Creating calls carry an Idempotency-Key, so a call that
failed on the network is retried with the same key and can never create twice;
reads are retried too. Refusals raise :class:`PlatformError` with the platform's
error code; a platform that cannot be reached raises :class:`OfflineError`.
"""

import io
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from flashbuy_desktop.api.server_clock import ServerClock
from flashbuy_protocol.errors import ErrorCode, ErrorResponse
from flashbuy_protocol.limits import REPORT_TYPE
from flashbuy_protocol.models import (
    Category,
    Comment,
    Creator,
    FlashBuy,
    FlashBuyCreate,
    FlashBuyList,
    HandOver,
    LiveStart,
    LiveSummary,
    Order,
    OrderCancel,
    Picture,
    Product,
    QueueEntry,
    Room,
    ShippingTemplate,
    ShippingTemplateIn,
    SignIn,
    SignInResult,
    SupportReceipt,
    Viewer,
    ViewerRecord,
    ViewerRecordChange,
)

T = TypeVar("T")

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
# The console's one retry policy: a call whose request may not have reached the platform (no
# connection, no answer in time) is sent again, up to RETRIES attempts in all, and only when
# sending it twice cannot do a thing twice: a read, a PUT or DELETE, a POST with an
# Idempotency-Key, or a ``repeatable`` one (a picture: stored by its content). Callers never
# loop around these calls (operations/publish.py relies on this): a loop around them multiplies
# the attempts behind one press of a key.
RETRIES = 3


class ClientError(Exception):
    """Anything that stops a call; ``str()`` is a sentence for the log."""


class OfflineError(ClientError):
    """The platform could not be reached, or did not answer in time."""


class PlatformError(ClientError):
    """The platform refused the request; ``code`` says why."""

    def __init__(
        self, status: int, code: ErrorCode | str, message: str, details: dict[str, Any]
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class PlatformClient:
    """The platform's API for one signed-in creator (or none yet)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        server_clock: ServerClock | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api = self.base_url + "/api/v1"
        self.session = session or requests.Session()
        self.token = token
        # The platform's time, from every answer's Date header: a held order's countdown is
        # counted on it, not on this machine's clock.
        self.server_clock = server_clock or ServerClock()

    @property
    def token(self) -> str | None:
        """The bearer token the calls carry."""
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self.session.headers["Authorization"] = f"Bearer {value}"
        else:
            self.session.headers.pop("Authorization", None)

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    # --- transport ----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: BaseModel | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        idempotent: bool = False,
        repeatable: bool = False,
    ) -> requests.Response:
        """Send a request; retry on network failure when it is safe; raise on refusal.

        ``repeatable``: sending it twice does what sending it once does, without a key.
        """
        headers = dict(headers or {})
        if method == "POST" and idempotent:
            headers.setdefault("Idempotency-Key", uuid.uuid4().hex)
        body = json.model_dump_json(exclude_unset=False).encode() if json is not None else data
        if json is not None:
            headers["Content-Type"] = "application/json"
        safe = repeatable or method in ("GET", "PUT", "DELETE") or "Idempotency-Key" in headers
        attempts = RETRIES if safe else 1
        last: Exception | None = None
        for _ in range(attempts):
            sent = self.server_clock.local()
            try:
                resp = self.session.request(
                    method,
                    self.api + path,
                    data=_upload(body),
                    headers=headers,
                    params=params,
                    timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc
                continue
            self.server_clock.observe(resp.headers.get("Date"), sent, self.server_clock.local())
            if resp.status_code >= 400:
                raise _refusal(resp)
            return resp
        raise OfflineError(f"the platform at {self.base_url} did not answer: {last}") from last

    def _call(self, method: str, path: str, kind: type[T] | Any, **kwargs: Any) -> T:
        resp = self.request(method, path, **kwargs)
        try:
            return TypeAdapter(kind).validate_python(resp.json())  # type: ignore[no-any-return]
        except (ValueError, ValidationError) as exc:
            raise ClientError(
                f"the platform's answer to {method} {path} was not understood"
            ) from exc

    # --- accounts -----------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> SignInResult:
        """Exchange credentials for a token, which this client then uses."""
        result: SignInResult = self._call(
            "POST", "/auth/sign-in", SignInResult, json=SignIn(username=username, password=password)
        )
        self.token = result.token
        return result

    def sign_out(self) -> None:
        """Revoke this client's token on the platform and forget it."""
        try:
            self.request("POST", "/auth/sign-out")
        finally:
            self.token = None

    def me(self) -> Creator:
        """The signed-in creator."""
        return self._call("GET", "/me", Creator)

    # --- catalog and shipping -----------------------------------------------------------

    def categories(self) -> list[Category]:
        return self._call("GET", "/categories", list[Category])

    def products(self) -> list[Product]:
        return self._call("GET", "/products", list[Product])

    def templates(self) -> list[ShippingTemplate]:
        return self._call("GET", "/shipping-templates", list[ShippingTemplate])

    def update_template(self, template_id: int, body: ShippingTemplateIn) -> ShippingTemplate:
        return self._call("PUT", f"/shipping-templates/{template_id}", ShippingTemplate, json=body)

    def delete_template(self, template_id: int) -> None:
        self.request("DELETE", f"/shipping-templates/{template_id}")

    def create_template(self, body: ShippingTemplateIn) -> ShippingTemplate:
        return self._call(
            "POST", "/shipping-templates", ShippingTemplate, json=body, idempotent=True
        )

    # --- rooms --------------------------------------------------------------------------

    def rooms(self) -> list[Room]:
        return self._call("GET", "/rooms", list[Room])

    def live_summaries(self, limit: int = 500) -> list[LiveSummary]:
        """The creator's lives, newest first, with their flash-buys, orders and sales."""
        return self._call("GET", "/rooms/summaries", list[LiveSummary], params={"limit": limit})

    def room(self, room_id: int) -> Room:
        return self._call("GET", f"/rooms/{room_id}", Room)

    def go_live(self, title: str) -> Room:
        return self._call("POST", "/rooms", Room, json=LiveStart(title=title), idempotent=True)

    def end_live(self, room_id: int) -> Room:
        return self._call("POST", f"/rooms/{room_id}/end", Room)

    def viewers(self, room_id: int) -> list[Viewer]:
        return self._call("GET", f"/rooms/{room_id}/viewers", list[Viewer])

    def comments(
        self, room_id: int, *, after_id: int | None = None, limit: int = 100
    ) -> list[Comment]:
        params: dict[str, Any] = {"limit": limit}
        if after_id is not None:
            params["after_id"] = after_id
        return self._call("GET", f"/rooms/{room_id}/comments", list[Comment], params=params)

    # --- flash-buys ---------------------------------------------------------------------

    def upload_picture(self, jpeg: bytes, content_type: str = "image/jpeg") -> Picture:
        """Upload a picture; pictures are stored by their content, so a retry stores it once."""
        return self._call(
            "POST",
            "/pictures",
            Picture,
            data=jpeg,
            headers={"Content-Type": content_type},
            repeatable=True,
        )

    def picture(self, picture_id: str) -> bytes:
        """An uploaded picture's bytes (JPEG or PNG)."""
        return self.request("GET", f"/pictures/{picture_id}").content

    def create_flashbuy(
        self, room_id: int, body: FlashBuyCreate, *, key: str | None = None
    ) -> FlashBuy:
        """Create a flash-buy; pass the same ``key`` to retry the same press of Enter."""
        headers = {"Idempotency-Key": key} if key else None
        return self._call(
            "POST",
            f"/rooms/{room_id}/flash-buys",
            FlashBuy,
            json=body,
            headers=headers,
            idempotent=True,
        )

    def flashbuys(self, room_id: int, **filters: Any) -> FlashBuyList:
        params = {
            "room_id": room_id,
            "limit": 500,
            **{k: v for k, v in filters.items() if v is not None},
        }
        return self._call("GET", "/flash-buys", FlashBuyList, params=params)

    def flashbuy(self, flashbuy_id: int) -> FlashBuy:
        return self._call("GET", f"/flash-buys/{flashbuy_id}", FlashBuy)

    def end_flashbuy(self, flashbuy_id: int) -> FlashBuy:
        return self._call("POST", f"/flash-buys/{flashbuy_id}/end", FlashBuy)

    def room_orders(self, room_id: int) -> list[Order]:
        """Every order of one of the creator's lives, oldest first, in one request."""
        return self._call("GET", f"/rooms/{room_id}/orders", list[Order])

    # --- the sale after the click ---------------------------------------------------------

    def cancel_order(self, order_id: int, reason: str) -> Order:
        """Cancel a held order as the seller; its piece goes to the queue's next viewer, or
        back on sale."""
        return self._call(
            "POST",
            f"/orders/{order_id}/cancel-by-seller",
            Order,
            json=OrderCancel(reason=reason),
            idempotent=True,
        )

    def hand_over(
        self, flashbuy_id: int, viewer_id: int, replacing_order_id: int | None = None
    ) -> Order:
        """Give a free piece (or the piece of unpaid order ``replacing_order_id``) to a viewer
        the seller chose: a held order for them, with a fresh pay window."""
        return self._call(
            "POST",
            f"/flash-buys/{flashbuy_id}/hand-over",
            Order,
            json=HandOver(viewer_id=viewer_id, replacing_order_id=replacing_order_id),
            idempotent=True,
        )

    def room_queue(self, room_id: int) -> list[QueueEntry]:
        """Every viewer waiting for a piece of one of the live's flash-buys, in order."""
        return self._call("GET", f"/rooms/{room_id}/queue", list[QueueEntry])

    def viewer_record(self, viewer_id: int) -> ViewerRecord:
        """What this creator knows of a viewer: paid, unpaid, the note, blocked."""
        return self._call("GET", f"/viewers/{viewer_id}/record", ViewerRecord)

    def change_viewer_record(self, viewer_id: int, change: ViewerRecordChange) -> ViewerRecord:
        """Set the seller's note on a viewer, or block or unblock them."""
        return self._call(
            "PUT", f"/viewers/{viewer_id}/record", ViewerRecord, json=change, idempotent=True
        )

    def room_viewer_records(self, room_id: int) -> list[ViewerRecord]:
        """The records of the viewers who came to this live and have one worth knowing."""
        return self._call("GET", f"/rooms/{room_id}/viewer-records", list[ViewerRecord])

    # --- support ------------------------------------------------------------------------

    def send_report(self, zip_bytes: bytes, idempotency_key: str) -> SupportReceipt:
        """Send a problem report (a zip); the same key for the same bundle stores it once."""
        return self._call(
            "POST",
            "/support/reports",
            SupportReceipt,
            data=zip_bytes,
            headers={"Content-Type": REPORT_TYPE, "Idempotency-Key": idempotency_key},
            idempotent=True,
        )


def _upload(body: bytes | None) -> io.BytesIO | bytes | None:
    """The body as a fresh file for one attempt (an empty body stays as it is).

    urllib3 sends ``bytes`` in one ``sendall`` under the connect timeout, so a report of
    a few MiB on a slow uplink times out however steadily it flows. A file is sent in
    16 KiB blocks, each under a timeout of its own: a slow but moving upload goes through.
    Each attempt needs its own file, since the previous one was read to its end.
    """
    return io.BytesIO(body) if body else body


def _refusal(resp: requests.Response) -> PlatformError:
    try:
        error = ErrorResponse.model_validate(resp.json()).error
        return PlatformError(resp.status_code, error.code, error.message, error.details)
    except (ValueError, ValidationError):
        return PlatformError(resp.status_code, f"HTTP_{resp.status_code}", resp.text[:200], {})


Call = Callable[[PlatformClient], T]

"""The console's HTTP client on the real platform: typed results and refusals, safe retries."""

import pytest
import requests

from flashbuy_desktop.api.client import OfflineError, PlatformClient, PlatformError
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuyCreate
from tests.support import PASSWORD, World, free_port, snapshot


def test_sign_in_and_out_with_the_real_platform(world: World) -> None:
    client = PlatformClient(world.platform.url)
    result = client.sign_in(world.username, PASSWORD)
    assert client.token == result.token
    assert client.me().id == world.creator_id
    token = client.token
    client.sign_out()
    assert client.token is None
    stale = PlatformClient(world.platform.url, token)
    with pytest.raises(PlatformError) as refused:
        stale.me()
    assert refused.value.code == ErrorCode.TOKEN_REVOKED
    client.close()
    stale.close()


def test_refusals_carry_the_platform_code(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    with pytest.raises(PlatformError) as refused:
        client.sign_in(world.username, "wrong password")
    assert refused.value.code == ErrorCode.INVALID_CREDENTIALS
    assert refused.value.status == 401
    client.close()


def test_a_flashbuy_with_one_key_is_made_once_however_often_sent(world: World) -> None:
    client = PlatformClient(world.platform.url, world.creator.token)
    body = FlashBuyCreate.model_validate(world.flashbuy_body())
    first = client.create_flashbuy(world.room_id, body, key="enter-1")
    before = snapshot(world.platform.db)
    again = client.create_flashbuy(world.room_id, body, key="enter-1")
    assert again == first
    assert snapshot(world.platform.db) == before
    listed = client.flashbuys(world.room_id)
    assert [f.id for f in listed.items] == [first.id]
    client.close()


def test_a_lost_answer_is_retried_with_the_same_key(world: World) -> None:
    """The first attempt reaches the platform but its answer is lost; the retry replays it."""
    client = PlatformClient(world.platform.url, world.creator.token)
    real_send = client.session.request
    calls: list[str] = []

    def flaky(method: str, url: str, **kwargs: object) -> requests.Response:
        resp = real_send(method, url, **kwargs)  # type: ignore[arg-type]
        calls.append(dict(kwargs.get("headers") or {}).get("Idempotency-Key", ""))  # type: ignore[call-overload]
        if len(calls) == 1:
            raise requests.ConnectionError("connection reset while reading the answer")
        return resp

    client.session.request = flaky  # type: ignore[method-assign]
    made = client.create_flashbuy(
        world.room_id, FlashBuyCreate.model_validate(world.flashbuy_body())
    )
    assert len(calls) == 2
    assert calls[0] == calls[1] != ""
    assert [f.id for f in client.flashbuys(world.room_id).items] == [made.id]
    client.close()


def test_an_unreachable_platform_is_offline() -> None:
    client = PlatformClient(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(OfflineError):
        client.me()
    client.close()

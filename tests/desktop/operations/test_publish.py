"""The Publisher against the real platform over HTTP, through a link that loses what it is told to.

Every count is taken at the platform: the flash-buys it lists, and the requests that reached
it (the link relays them and records each one's Idempotency-Key).
"""

import hashlib
import io
from collections.abc import Iterator

import pytest
from PIL import Image

from flashbuy_desktop.api.client import RETRIES, OfflineError, PlatformClient, PlatformError
from flashbuy_desktop.capture.crop import CropFraction
from flashbuy_desktop.capture.encode import crop_jpeg
from flashbuy_desktop.capture.types import CaptureConfig
from flashbuy_desktop.operations.publish import (
    PICTURE_PLACEHOLDER,
    ChosenPicture,
    Publisher,
    PublishState,
)
from flashbuy_protocol.models import FlashBuyCreate
from tests.desktop.lossy_link import Fate, LossyLink
from tests.support import World, jpeg_bytes

CREATE = ("POST", "/flash-buys")
UPLOAD = ("POST", "/pictures")


@pytest.fixture
def link(world: World) -> Iterator[LossyLink]:
    relay = LossyLink(world.platform.url)
    yield relay
    relay.close()


@pytest.fixture
def client(world: World, link: LossyLink) -> Iterator[PlatformClient]:
    c = PlatformClient(link.url, world.creator.token)
    yield c
    c.close()


def form(world: World, **changes: object) -> FlashBuyCreate:
    return FlashBuyCreate.model_validate(
        world.flashbuy_body(picture_id=PICTURE_PLACEHOLDER, **changes)
    )


def made(world: World) -> list[int]:
    """The ids of the flash-buys the platform holds in the room."""
    items = world.creator.ok("GET", f"/flash-buys?room_id={world.room_id}")["items"]
    return [item["id"] for item in items]


PICTURE = ChosenPicture(jpeg_bytes(320, 240, "seagreen"))


def test_lost_answers_make_one_flashbuy_in_at_most_the_policys_attempts(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    link.next(*CREATE, Fate.LOSE_ANSWER, Fate.LOSE_ANSWER)  # made twice over, answered once
    publisher = Publisher(client, world.room_id)
    flashbuy = publisher.submit(form(world), PICTURE)
    assert made(world) == [flashbuy.id]
    creates = link.reached(*CREATE)
    assert len(creates) == 3 <= RETRIES  # one policy: the client's, never multiplied
    assert len({c.key for c in creates}) == 1
    assert creates[0].key
    assert publisher.state is PublishState.PUBLISHED
    assert publisher.pending_key is None
    assert flashbuy.picture_id == hashlib.sha256(PICTURE.jpeg).hexdigest()


def test_every_answer_lost_keeps_the_key_and_the_next_submit_replays(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    link.always(*CREATE, Fate.LOSE_ANSWER)
    publisher = Publisher(client, world.room_id)
    with pytest.raises(OfflineError):
        publisher.submit(form(world), PICTURE)
    creates = link.reached(*CREATE)
    assert len(creates) == RETRIES  # not RETRIES x RETRIES: nothing loops around the client
    assert len(made(world)) == 1  # the first one reached it; the rest were replays
    assert publisher.state is PublishState.UNCONFIRMED
    key = publisher.pending_key
    assert key == creates[0].key
    link.heal()
    again = publisher.submit(form(world), PICTURE)  # the seller's next Enter: same submission
    assert made(world) == [again.id]
    assert link.keys(*CREATE)[-1] == key
    assert publisher.pending_key is None


def test_a_changed_form_is_a_new_submission_with_a_new_key(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    link.always(*CREATE, Fate.UNREACHABLE)
    publisher = Publisher(client, world.room_id)
    with pytest.raises(OfflineError):
        publisher.submit(form(world, price_fen=128_800), PICTURE)
    first = publisher.pending_key
    assert first is not None
    assert link.keys(*CREATE) == [first] * RETRIES
    assert link.reached(*CREATE) == []
    with pytest.raises(OfflineError):
        publisher.submit(form(world, price_fen=128_800), PICTURE)  # the same form again
    assert publisher.pending_key == first
    with pytest.raises(OfflineError):
        publisher.submit(form(world, price_fen=99_900), PICTURE)  # the seller changed the price
    second = publisher.pending_key
    assert second is not None
    assert second != first
    cropped = ChosenPicture(PICTURE.jpeg, CropFraction(0.1, 0.1, 0.9, 0.9))
    with pytest.raises(OfflineError):
        publisher.submit(form(world, price_fen=99_900), cropped)  # or cropped the picture
    assert publisher.pending_key not in (first, second)
    link.heal()
    flashbuy = publisher.submit(form(world, price_fen=99_900), cropped)
    assert made(world) == [flashbuy.id]
    assert flashbuy.price_fen == 99_900


def test_another_pay_window_or_hold_back_rule_is_another_submission(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    # The key covers the whole form: a retry after the seller changed 付款时限 (or the
    # settings' hold-back rule changed) must not replay the flash-buy made with the old one.
    link.always(*CREATE, Fate.UNREACHABLE)
    publisher = Publisher(client, world.room_id)
    with pytest.raises(OfflineError):
        publisher.submit(form(world, pay_minutes=5), PICTURE)
    first = publisher.pending_key
    with pytest.raises(OfflineError):
        publisher.submit(form(world, pay_minutes=10), PICTURE)
    second = publisher.pending_key
    with pytest.raises(OfflineError):
        publisher.submit(form(world, pay_minutes=10, hold_back_after=2), PICTURE)
    third = publisher.pending_key
    assert len({first, second, third}) == 3
    assert None not in (first, second, third)
    link.heal()
    publisher.submit(form(world, pay_minutes=10, hold_back_after=2), PICTURE)
    assert link.keys(*CREATE)[-1] == third
    assert len(made(world)) == 1


def test_a_refusal_drops_the_key(world: World, client: PlatformClient) -> None:
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    publisher = Publisher(client, world.room_id)
    with pytest.raises(PlatformError) as refused:
        publisher.submit(form(world), PICTURE)
    assert 400 <= refused.value.status < 500
    assert publisher.state is PublishState.REFUSED
    assert publisher.pending_key is None  # nothing was made: the next press is a new request
    assert made(world) == []


def test_a_lost_upload_answer_is_sent_again_and_stored_once(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    link.next(*UPLOAD, Fate.LOSE_ANSWER)
    flashbuy = Publisher(client, world.room_id).submit(form(world), PICTURE)
    assert len(link.reached(*UPLOAD)) == 2
    assert made(world) == [flashbuy.id]
    assert world.creator.get(f"/pictures/{flashbuy.picture_id}").content == PICTURE.jpeg


def test_an_upload_that_never_arrives_creates_nothing(
    world: World, link: LossyLink, client: PlatformClient
) -> None:
    link.always(*UPLOAD, Fate.UNREACHABLE)
    publisher = Publisher(client, world.room_id)
    with pytest.raises(OfflineError):
        publisher.submit(form(world), PICTURE)
    assert len(link.keys(*UPLOAD)) == RETRIES
    assert link.keys(*CREATE) == []
    assert made(world) == []


def test_a_crop_is_encoded_with_the_configured_quality(
    world: World, client: PlatformClient
) -> None:
    crop = CropFraction(0.25, 0.5, 0.75, 1.0)
    picture = ChosenPicture(PICTURE.jpeg, crop)
    publisher = Publisher(client, world.room_id, encoding=CaptureConfig(jpeg_quality=60))
    flashbuy = publisher.submit(form(world), picture)
    sent = world.creator.get(f"/pictures/{flashbuy.picture_id}").content
    assert sent == crop_jpeg(PICTURE.jpeg, crop, quality=60)
    assert sent != crop_jpeg(PICTURE.jpeg, crop, quality=90)
    assert Image.open(io.BytesIO(sent)).size == (160, 120)

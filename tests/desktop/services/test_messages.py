"""Every refusal the platform can send reads as a sentence in the seller's language."""

import re

import pytest

from flashbuy_desktop.api.client import PlatformError
from flashbuy_desktop.services.messages import PROVIDER_ONLY, describe
from flashbuy_protocol.errors import ErrorCode, http_status_for

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", [c for c in ErrorCode if c not in PROVIDER_ONLY])
def test_every_error_code_has_a_chinese_sentence(code: ErrorCode) -> None:
    # tests/desktop/conftest.py installs the zh_CN catalog for every console test.
    english = "the platform's own words, in English"
    text = describe(PlatformError(http_status_for(code), code, english, {}))
    assert CJK.search(text), (code, text)
    if code is not ErrorCode.VALIDATION_FAILED:  # that one adds the platform's detail
        assert english not in text


def test_a_code_newer_than_the_console_shows_the_platforms_words() -> None:
    assert describe(PlatformError(409, "SOMETHING_NEW", "新的原因", {})) == "新的原因"


def test_only_the_payment_providers_codes_go_without_a_sentence() -> None:
    # They answer the provider's signed callbacks; no request of the console can meet them.
    assert {c.value for c in PROVIDER_ONLY} == {
        c.value for c in ErrorCode if c.value.startswith("PAYMENT_")
    }


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (ErrorCode.VIEWER_BLOCKED, "拉黑"),
        (ErrorCode.VIEWER_HELD_BACK, "未付款"),
        (ErrorCode.ORDER_NOT_HELD, "待付款"),
        (ErrorCode.NO_PIECE_FREE, "空闲"),
        (ErrorCode.NOT_IN_QUEUE, "候补"),
    ],
)
def test_the_sale_after_the_click_is_worded_in_the_sellers_terms(
    code: ErrorCode, words: str
) -> None:
    text = describe(PlatformError(http_status_for(code), code, "english", {}))
    assert words in text, text

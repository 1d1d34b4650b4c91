"""Every refusal the platform can send reads as a sentence in the seller's language."""

import re

import pytest

from flashbuy_desktop.api.client import PlatformError
from flashbuy_desktop.services.messages import describe
from flashbuy_protocol.errors import ErrorCode, http_status_for

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_a_chinese_sentence(code: ErrorCode) -> None:
    # tests/desktop/conftest.py installs the zh_CN catalog for every console test.
    english = "the platform's own words, in English"
    text = describe(PlatformError(http_status_for(code), code, english, {}))
    assert CJK.search(text), (code, text)
    if code is not ErrorCode.VALIDATION_FAILED:  # that one adds the platform's detail
        assert english not in text


def test_a_code_newer_than_the_console_shows_the_platforms_words() -> None:
    assert describe(PlatformError(409, "SOMETHING_NEW", "新的原因", {})) == "新的原因"

"""The shipping editor's checks: the protocol's model decides, each refusal tied to its field.

Plain tests of :func:`flashbuy_desktop.ui.shipping.template_checks.check`: no window, the
sentences in the Chinese the tests' catalog gives.
"""

from flashbuy_desktop.ui.shipping.template_checks import (
    DEFAULT,
    FLAT,
    NAME,
    TemplateForm,
    check,
    fee_field,
)
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.models import ShippingTemplateIn


def test_a_valid_form_becomes_the_request_the_platform_takes() -> None:
    form = TemplateForm(
        name="  江浙沪  ",
        kind=TemplateKind.BY_REGION,
        default_fee="10",
        region_fees=[("广东", "0"), ("新疆", "¥30.5")],
        excluded=["西藏"],
    )
    body, problems = check(form)
    assert problems == []
    assert body == ShippingTemplateIn(
        name="江浙沪",
        kind=TemplateKind.BY_REGION,
        default_fee_fen=1000,
        region_fees={"广东": 0, "新疆": 3050},
        excluded_regions=["西藏"],
    )


def test_fees_of_a_kind_not_chosen_are_not_sent_nor_checked() -> None:
    body, problems = check(TemplateForm(name="包邮", kind=TemplateKind.FREE, flat_fee="bad"))
    assert problems == []
    assert body is not None
    assert (body.flat_fee_fen, body.default_fee_fen, body.region_fees) == (None, None, {})


def test_the_models_refusal_of_the_name_is_said_for_the_name() -> None:
    for name, words in (
        ("", "请填写模板名称"),
        ("   ", "请填写模板名称"),
        ("运" * 31, "模板名称最多 30 个字"),
        ("江浙\x85沪", "模板名称不能包含控制字符"),
        ("江浙\u202e沪", "改变文字方向"),
        ("\u200b\u3000\u200d", "只含不可见字符"),
    ):
        body, problems = check(TemplateForm(name=name, kind=TemplateKind.FREE))
        assert body is None
        assert [p.field for p in problems] == [NAME], name
        assert words in problems[0].text, (name, problems[0].text)


def test_every_problem_at_once_the_name_first_a_conflict_named_by_region() -> None:
    form = TemplateForm(
        name="",
        kind=TemplateKind.BY_REGION,
        default_fee="",
        region_fees=[("北京", "abc"), ("广东", "5")],
        excluded=["北京"],
    )
    body, problems = check(form)
    assert body is None
    assert [p.field for p in problems] == [NAME, DEFAULT, fee_field("北京"), fee_field("北京")]
    assert problems[-1].at_once  # the seller's own combination shows before they save
    assert "北京" in problems[-1].text
    assert not any(p.at_once for p in problems[:-1])


def test_a_flat_fee_is_parsed_with_the_postage_bounds() -> None:
    body, problems = check(TemplateForm(name="统一", kind=TemplateKind.FLAT, flat_fee="100000"))
    assert body is None
    assert [p.field for p in problems] == [FLAT]
    assert "99,999.99" in problems[0].text
    body, problems = check(TemplateForm(name="统一", kind=TemplateKind.FLAT, flat_fee="0"))
    assert problems == []
    assert body is not None
    assert body.flat_fee_fen == 0

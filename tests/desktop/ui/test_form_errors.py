"""When a form shows its problems, and how many lines they take: plain rules, no Qt."""

from flashbuy_desktop.ui.form_errors import Problem, fit_lines, shown

NAME = Problem("name", "请填写模板名称")
FEE = Problem("fee:广东", "广东运费：请输入运费")
BOTH = Problem("fee:新疆", "新疆既设置了运费又设为不发货，请二选一", at_once=True)


def test_nothing_is_shown_before_the_seller_did_anything() -> None:
    assert shown([NAME, FEE], touched=set(), tried=False) == []


def test_a_field_s_problem_shows_once_it_was_edited() -> None:
    assert shown([NAME, FEE], touched={"name"}, tried=False) == [NAME]
    assert shown([NAME, FEE], touched={"fee:广东", "flat"}, tried=False) == [FEE]


def test_trying_to_save_shows_every_problem() -> None:
    assert shown([NAME, FEE], touched=set(), tried=True) == [NAME, FEE]


def test_a_problem_the_seller_combined_shows_at_once() -> None:
    assert shown([NAME, BOTH], touched=set(), tried=False) == [BOTH]


def test_lines_fit_the_room_kept_for_them() -> None:
    def more(n: int) -> str:
        return f"…还有 {n} 处"

    assert fit_lines([], 3, more) == []
    assert fit_lines(["a", "b", "c"], 3, more) == ["a", "b", "c"]
    assert fit_lines(["a", "b", "c", "d"], 3, more) == ["a", "b", "…还有 2 处"]
    assert fit_lines(["a", "b"], 1, more) == ["…还有 2 处"]
    assert fit_lines(["a"], 0, more) == []

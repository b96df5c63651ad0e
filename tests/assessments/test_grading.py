"""Scoring each kind of question, with each partial-credit rule, to the cent."""

from decimal import Decimal

import pytest

from assessments.grading import passed, percent, response_carried, score


def options(*correct_flags):
    return [
        {"key": str(i), "text": f"选项{i}", "text_en": "", "correct": flag}
        for i, flag in enumerate(correct_flags, start=1)
    ]


def single(points="1"):
    return {"kind": "single", "points": points, "options": options(False, True, False)}


def multiple(partial_credit, points="1"):
    # Three right options (1, 2, 3) and three wrong ones (4, 5, 6).
    return {
        "kind": "multiple",
        "points": points,
        "partial_credit": partial_credit,
        "options": options(True, True, True, False, False, False),
    }


def ordering(partial_credit, points="1"):
    return {
        "kind": "ordering",
        "points": points,
        "partial_credit": partial_credit,
        "options": options(False, False, False, False),
    }


def numeric(answer="3.5", tolerance="0.1", points="1"):
    return {"kind": "numeric", "points": points, "numeric": answer, "tolerance": tolerance}


def true_false(answer=True, points="1"):
    return {"kind": "true_false", "points": points, "answer": answer, "options": []}


# Single choice and true/false


def test_single_choice_earns_its_points_for_the_right_option_only():
    assert score(single("2.5"), "2") == Decimal("2.50")
    assert score(single("2.5"), "1") == Decimal("0.00")


def test_true_false_earns_points_for_the_right_boolean_only():
    assert score(true_false(True, "2"), True) == Decimal("2.00")
    assert score(true_false(True, "2"), False) == Decimal("0.00")
    assert score(true_false(False), False) == Decimal("1.00")


def test_unanswered_question_scores_zero():
    for data in (single(), multiple("proportional"), ordering("proportional"), numeric()):
        assert score(data, None) == Decimal("0.00")
    assert score(true_false(), None) == Decimal("0.00")


@pytest.mark.parametrize(
    ("data", "response"),
    [
        (single(), ["2"]),
        (single(), 2),
        (single(), "9"),
        (true_false(True), "true"),
        (true_false(True), 1),
        (multiple("proportional"), "1"),
        (multiple("all_or_nothing"), {"1": True}),
        (ordering("all_or_nothing"), "1234"),
        (ordering("proportional"), ["1", "2", "3"]),
        (ordering("proportional"), ["1", "1", "3", "4"]),
        (ordering("proportional"), ["1", "2", "3", "4", "5"]),
        (numeric(), "abc"),
        (numeric(), ""),
        (numeric(), "NaN"),
        (numeric(), "Infinity"),
        (numeric(), [3.5]),
    ],
)
def test_responses_of_the_wrong_shape_score_zero(data, response):
    assert score(data, response) == Decimal("0.00")


# Multiple choice


def test_multiple_all_or_nothing_needs_exactly_the_right_options():
    data = multiple("all_or_nothing", points="2")
    assert score(data, ["1", "2", "3"]) == Decimal("2.00")
    assert score(data, ["3", "1", "2"]) == Decimal("2.00")
    assert score(data, ["1", "2"]) == Decimal("0.00")
    assert score(data, ["1", "2", "3", "4"]) == Decimal("0.00")
    assert score(data, []) == Decimal("0.00")


def test_multiple_proportional_two_right_and_one_wrong_earn_a_third():
    assert score(multiple("proportional", points="3"), ["1", "2", "4"]) == Decimal("1.00")
    assert score(multiple("proportional", points="1"), ["1", "2", "4"]) == Decimal("0.33")
    assert score(multiple("proportional", points="2"), ["1", "2", "4"]) == Decimal("0.67")


def test_multiple_proportional_ticking_every_option_earns_nothing():
    data = multiple("proportional", points="3")
    assert score(data, ["1", "2", "3", "4", "5", "6"]) == Decimal("0.00")


def test_multiple_proportional_never_goes_below_zero():
    data = multiple("proportional", points="3")
    assert score(data, ["1", "4", "5", "6"]) == Decimal("0.00")
    assert score(data, ["4"]) == Decimal("0.00")


def test_multiple_proportional_counts_each_right_option():
    data = multiple("proportional", points="3")
    assert score(data, ["1", "2", "3"]) == Decimal("3.00")
    assert score(data, ["1", "2"]) == Decimal("2.00")
    assert score(data, ["1"]) == Decimal("1.00")
    assert score(data, []) == Decimal("0.00")


def test_multiple_proportional_counts_an_unknown_option_as_wrong():
    assert score(multiple("proportional", points="3"), ["1", "2", "99"]) == Decimal("1.00")


# Ordering


def test_ordering_all_or_nothing_needs_the_whole_order():
    data = ordering("all_or_nothing", points="2")
    assert score(data, ["1", "2", "3", "4"]) == Decimal("2.00")
    assert score(data, ["1", "2", "4", "3"]) == Decimal("0.00")


def test_ordering_proportional_counts_the_items_in_place():
    data = ordering("proportional", points="2")
    assert score(data, ["1", "2", "3", "4"]) == Decimal("2.00")
    assert score(data, ["1", "2", "4", "3"]) == Decimal("1.00")
    assert score(data, ["2", "1", "3", "4"]) == Decimal("1.00")
    assert score(data, ["2", "3", "4", "1"]) == Decimal("0.00")
    assert score(ordering("proportional", points="1"), ["1", "3", "2", "4"]) == Decimal("0.50")
    assert score(ordering("proportional", points="1"), ["1", "3", "4", "2"]) == Decimal("0.25")


# Numeric


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("3.5", "1.00"),
        ("3.4", "1.00"),  # the lower boundary is inside
        ("3.6", "1.00"),  # the upper boundary is inside
        ("3.3999", "0.00"),
        ("3.6001", "0.00"),
        (" 3.45 ", "1.00"),
        ("3,5", "1.00"),  # a comma from a Chinese keyboard
        (3.5, "1.00"),
        (4, "0.00"),
    ],
)
def test_numeric_tolerance_includes_its_boundaries(response, expected):
    assert score(numeric("3.5", "0.1"), response) == Decimal(expected)


def test_numeric_without_tolerance_needs_the_exact_value():
    data = numeric("12", "0", points="2")
    assert score(data, "12") == Decimal("2.00")
    assert score(data, "12.000") == Decimal("2.00")
    assert score(data, "12.001") == Decimal("0.00")


def test_unknown_kind_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="essay"):
        score({"kind": "essay", "points": "1"}, "text")


# Percent and pass mark


def test_percent_rounds_half_up_to_the_cent():
    assert percent(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert percent(Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert percent(Decimal("0.5"), Decimal("8")) == Decimal("6.25")
    assert percent(Decimal("0"), Decimal("0")) == Decimal("0.00")


def test_pass_mark_is_reached_at_exactly_the_mark():
    assert passed(Decimal("8"), Decimal("10"), 80) is True
    assert passed(Decimal("7.99"), Decimal("10"), 80) is False
    assert passed(Decimal("2"), Decimal("3"), 67) is False
    assert passed(Decimal("2"), Decimal("3"), 66) is True


# Short answer and matching


def short_answer(*answers, case_sensitive=False, points="2"):
    return {
        "kind": "short_answer",
        "points": points,
        "case_sensitive": case_sensitive,
        "options": [
            {"key": str(i), "text": text, "text_en": "", "correct": False}
            | ({} if fraction is None else {"fraction": fraction})
            for i, (text, fraction) in enumerate(answers, start=1)
        ],
    }


@pytest.mark.parametrize(
    ("response", "points"),
    [
        ("ESD", "2.00"),
        ("  esd ", "2.00"),
        ("ＥＳＤ", "2.00"),  # full-width, as a Chinese keyboard types it
        ("ESD 手环", "1.00"),  # only the wildcard answer, worth half
        ("防静电", "0.00"),
        ("", "0.00"),
        (None, "0.00"),
        (["ESD"], "0.00"),
    ],
)
def test_short_answer_earns_the_best_accepted_answer_it_matches(response, points):
    data = short_answer(("ESD*", "0.5"), ("ESD", None))
    assert score(data, response) == Decimal(points)


def test_short_answer_minds_letter_case_only_when_told():
    assert score(short_answer(("ESD", None), case_sensitive=True), "esd") == Decimal("0.00")
    assert score(short_answer(("ESD", None), case_sensitive=True), "ESD") == Decimal("2.00")


def test_an_escaped_star_in_an_accepted_answer_is_a_star():
    data = short_answer((r"5\*", None))
    assert score(data, "5*") == Decimal("2.00")
    assert score(data, "55") == Decimal("0.00")


def matching(partial_credit="proportional", points="3"):
    return {
        "kind": "matching",
        "points": points,
        "partial_credit": partial_credit,
        "options": [
            {"key": "a", "text": "退货", "match": "7日内"},
            {"key": "b", "text": "换货", "match": "15日内"},
            {"key": "c", "text": "保修", "match": "一年"},
            {"key": "d", "text": "", "match": "三年"},
        ],
    }


@pytest.mark.parametrize(
    ("partial_credit", "response", "points"),
    [
        ("proportional", {"a": "a", "b": "b", "c": "c"}, "3.00"),
        ("proportional", {"a": "a", "b": "c", "c": "b"}, "1.00"),
        ("proportional", {"a": "a"}, "1.00"),  # partly answered
        ("proportional", {"a": "d", "b": "d", "c": "d"}, "0.00"),
        ("all_or_nothing", {"a": "a", "b": "b"}, "0.00"),
        ("all_or_nothing", {"a": "a", "b": "b", "c": "c"}, "3.00"),
        ("proportional", None, "0.00"),
        ("proportional", ["a"], "0.00"),
    ],
)
def test_matching_earns_a_share_for_each_item_rightly_matched(partial_credit, response, points):
    assert score(matching(partial_credit), response) == Decimal(points)


def test_two_items_sharing_an_answer_are_right_with_either_option_of_it():
    data = matching()
    data["options"][2]["match"] = "７日内"  # the same answer as 退货's, typed full-width
    assert score(data, {"a": "c", "c": "a", "b": "b"}) == Decimal("3.00")


def test_a_corrected_pair_keeps_the_answer_the_learner_chose():
    answered = matching()
    corrected = matching()
    # The trainer swaps the answers of 换货 and 保修: a learner who chose "15日内" for 换货
    # chose the text, not the option that held it.
    corrected["options"][1]["match"], corrected["options"][2]["match"] = "一年", "15日内"
    response = {"a": "a", "b": "b", "c": "c"}

    carried = response_carried(answered, corrected, response)

    assert carried == {"a": "a", "b": "c", "c": "b"}
    assert score(corrected, carried) == Decimal("1.00")
    assert response_carried(single(), single(), "2") == "2"


def test_an_answer_removed_by_a_correction_counts_as_wrong():
    corrected = matching()
    corrected["options"][3]["match"] = "两年"
    assert response_carried(matching(), corrected, {"a": "d", "b": "b"}) == {"b": "b"}

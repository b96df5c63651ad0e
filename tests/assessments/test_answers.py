"""The one reader of answers: autosave bodies, the attempt form, option numbers, stored form."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from assessments import answers

ORDER = ["k3", "k1", "k2"]
SHAPES = {
    1: ("single", ORDER),
    2: ("multiple", ORDER),
    3: ("true_false", []),
    4: ("numeric", []),
    5: ("ordering", ORDER),
    6: ("single", ORDER),
}


def test_an_autosave_body_gives_its_position_and_the_page_response():
    body = json.dumps({"position": 3, "response": ["0", "2"]}).encode()
    assert answers.answer_from_json(body) == (3, ["0", "2"])


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"position": 1}',
        b'{"position": "1", "response": "0"}',
        b'{"position": true, "response": "0"}',
        b"[" * 100_000,
        json.dumps({"position": 1, "response": "x" * 20_000}).encode(),
        b'{"position": 123456789012345678901234, "response": "0"}',
        b'{"position": -1, "response": "0"}',
        b'{"position": 1, "response": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
    ids=[
        "text",
        "bad-utf8",
        "list",
        "no-response",
        "str-position",
        "bool",
        "deep",
        "huge",
        "24-digits",
        "negative",
        "deep-within-size",
    ],  # fmt: skip
)
def test_an_unreadable_autosave_body_is_refused_with_one_message(body):
    with pytest.raises(ValidationError) as raised:
        answers.answer_from_json(body)
    assert raised.value.code == "unreadable"
    assert raised.value.messages == ["The answer could not be read."]


def test_the_form_gives_every_answered_question_as_stored_and_skips_blank_ones():
    post = QueryDict(mutable=True)
    post.update({"q-1": "2", "q-3": "false", "q-4": " 3,5 ", "q-6": ""})
    post.setlist("q-2", ["0", "1"])
    post.setlist("q-5", ["2", "0", "1"])
    assert answers.answers_from_form(post, SHAPES) == {
        1: "k2",
        2: ["k3", "k1"],
        3: False,
        4: "3,5",
        5: ["k2", "k3", "k1"],
    }


@pytest.mark.parametrize("value", ["3", "-1", "x", "1.0"])
def test_an_option_number_the_question_lacks_is_refused(value):
    post = QueryDict(f"q-1={value}")
    with pytest.raises(ValidationError) as raised:
        answers.answers_from_form(post, SHAPES)
    assert raised.value.code == "invalid"


def test_page_numbers_and_keys_turn_into_each_other():
    for kind, stored in [("single", "k1"), ("multiple", ["k3", "k2"]), ("ordering", ORDER)]:
        page = answers.to_page(stored, kind=kind, option_order=ORDER)
        assert answers.from_page(page, kind=kind, option_order=ORDER) == stored
    assert answers.to_page("k1", kind="single", option_order=ORDER) == "1"
    assert answers.to_page("4.5", kind="numeric", option_order=[]) == "4.5"


VERSION = {"kind": "multiple", "options": [{"key": "a"}, {"key": "b"}, {"key": "c"}]}


@pytest.mark.parametrize(
    ("data", "response", "stored"),
    [
        (VERSION, ["c", "a"], ["a", "c"]),
        ({**VERSION, "kind": "ordering"}, ["c", "a", "b"], ["c", "a", "b"]),
        ({**VERSION, "kind": "single"}, "b", "b"),
        ({"kind": "true_false"}, True, True),
        ({"kind": "numeric"}, " 3,50 ", "3.50"),
        ({"kind": "numeric"}, 12, "12"),
        (VERSION, None, None),
    ],
)
def test_a_fitting_answer_is_stored_in_its_kinds_form(data, response, stored):
    assert answers.response_clean(data, response) == stored


@pytest.mark.parametrize(
    ("data", "response"),
    [
        (VERSION, ["a", "a"]),
        (VERSION, ["z"]),
        (VERSION, "a"),
        ({**VERSION, "kind": "ordering"}, ["a", "b"]),
        ({**VERSION, "kind": "single"}, "z"),
        ({"kind": "true_false"}, "true"),
        ({"kind": "numeric"}, True),
        ({"kind": "numeric"}, "NaN"),
        ({"kind": "numeric"}, "Infinity"),
        ({"kind": "numeric"}, "1" * 41),
        ({"kind": "numeric"}, "three"),
        ({"kind": "essay"}, "text"),
    ],
)
def test_an_answer_that_does_not_fit_is_refused(data, response):
    with pytest.raises(ValidationError) as raised:
        answers.response_clean(data, response)
    assert raised.value.messages == ["This answer does not fit the question."]


@pytest.mark.parametrize(
    ("value", "text"),
    [("3E+3", "3000"), ("3000.00", "3000"), ("0.050", "0.05"), ("2.5", "2.5"), (12, "12")],
)
def test_numbers_are_shown_in_plain_decimal(value, text):
    assert answers.decimal_text(value) == text


def test_a_number_typed_with_an_exponent_is_stored_in_plain_decimal():
    assert answers.response_clean({"kind": "numeric"}, "3e3") == "3000"


# Short answer and matching

MATCHING = {
    "kind": "matching",
    "options": [
        {"key": "a", "text": "退货", "match": "7日内"},
        {"key": "b", "text": "换货", "match": "15日内"},
        {"key": "c", "text": "保修", "match": "１５日内"},  # full-width: the same answer as b's
        {"key": "d", "text": "", "match": "30日内"},
    ],
}
STORED_ORDER = {"items": ["c", "a", "b"], "answers": ["30日内", "15日内", "7日内"]}
PAGE_ORDER = {
    "items": ["c", "a", "b"],
    "choices": ["d", "b", "a"],
    "choice_of": {"a": "2", "b": "1", "c": "1", "d": "0"},
}


def test_matching_offers_each_answer_once_by_its_normalised_text():
    assert answers.matching_answers(MATCHING) == ["7日内", "15日内", "30日内"]
    assert answers.page_order(MATCHING, STORED_ORDER) == PAGE_ORDER


def test_a_matching_answer_turns_between_page_numbers_and_keys():
    page = {"0": "1", "2": "2"}
    stored = answers.from_page(page, kind="matching", option_order=PAGE_ORDER)
    assert stored == {"c": "b", "b": "a"}
    assert answers.to_page(stored, kind="matching", option_order=PAGE_ORDER) == page
    # An answer held by two options is the same choice whichever option names it.
    assert answers.to_page({"c": "c"}, kind="matching", option_order=PAGE_ORDER) == {"0": "1"}


@pytest.mark.parametrize(
    "page",
    [{"3": "0"}, {"0": "3"}, {"c": "0"}, {"0": "b"}, {"0": 1}, {"-1": "0"}],
)
def test_an_item_or_choice_number_the_question_lacks_is_refused(page):
    with pytest.raises(ValidationError) as raised:
        answers.from_page(page, kind="matching", option_order=PAGE_ORDER)
    assert raised.value.messages == ["This answer does not fit the question."]


def test_the_form_reads_a_partly_answered_matching_and_a_short_answer():
    shapes = {1: ("matching", PAGE_ORDER), 2: ("short_answer", []), 3: ("matching", PAGE_ORDER)}
    post = QueryDict(mutable=True)
    post.update({"q-1-0": "2", "q-1-1": "", "q-1-2": "1", "q-2": "  ESD  ", "q-3-0": ""})
    post.update({"q-1-7": "0"})  # an item the question lacks is not read

    assert answers.answers_from_form(post, shapes) == {1: {"c": "a", "b": "b"}, 2: "ESD"}


def test_the_form_refuses_a_choice_number_the_question_lacks():
    post = QueryDict("q-1-0=9")
    with pytest.raises(ValidationError) as raised:
        answers.answers_from_form(post, {1: ("matching", PAGE_ORDER)})
    assert raised.value.code == "invalid"


@pytest.mark.parametrize(
    ("data", "response", "stored"),
    [
        ({"kind": "short_answer"}, "  ESD 手环 ", "ESD 手环"),
        ({"kind": "short_answer"}, "   ", None),
        ({"kind": "short_answer"}, "字" * 255, "字" * 255),
        (MATCHING, {"a": "a", "b": "d"}, {"a": "a", "b": "d"}),
        (MATCHING, {}, None),
    ],
)
def test_a_short_answer_or_matching_answer_is_stored_in_its_form(data, response, stored):
    assert answers.response_clean(data, response) == stored


@pytest.mark.parametrize(
    ("data", "response"),
    [
        ({"kind": "short_answer"}, "字" * 256),
        ({"kind": "short_answer"}, 12),
        ({"kind": "short_answer"}, ["ESD"]),
        (MATCHING, {"d": "a"}),  # an extra wrong answer is no item
        (MATCHING, {"a": "z"}),
        (MATCHING, {"z": "a"}),
        (MATCHING, {"a": 1}),
        (MATCHING, ["a"]),
    ],
)
def test_a_short_answer_or_matching_answer_that_does_not_fit_is_refused(data, response):
    with pytest.raises(ValidationError) as raised:
        answers.response_clean(data, response)
    assert raised.value.messages == ["This answer does not fit the question."]

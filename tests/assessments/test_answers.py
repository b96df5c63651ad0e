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

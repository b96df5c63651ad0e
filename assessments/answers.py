"""
The one reader of a learner's answers, without database access: the autosave's JSON body, the
attempt form's fields (the fallback when autosave did not reach us), the option numbers the page
uses instead of keys, and the stored form of each kind of answer. The views and the services
of attempts use these functions and nothing else to read an answer.

The page names options by their place in the attempt's shuffled order, never by their keys:
keys are database ids, and the ids of an ordering question's options ascend in the right order
(the author enters them so), which would give the answer away.

A short answer is the typed text, trimmed, at most 255 characters.

A matching question stores two shuffled orders in `AttemptItem.option_order`, a dict
{"items": [item keys], "answers": [normalised answer texts]}: the items as listed, and the
distinct answers offered in each item's select (`grading.text_normal` of the pairs' match texts,
so an answer two items share is offered once). The answers are kept as texts, not keys, so that
the page depends on the items and the set of answers only, never on which item pairs with which:
each key names an item and its answer at once. `page_order` turns the stored orders into keys
({"items": [...], "choices": [key of the first option with each answer], "choice_of": {key of
any option with an answer: its choice number}}), and the page names
items and choices by their place in those lists: `q-<position>-<item number>` in the form,
{item number: choice number} in the autosave body. The stored response is
{item key: key of the option whose answer was chosen}, items left blank absent.
"""

import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import grading
from .models import Question

# The autosave body holds one answer; an ordering of 30 options is well under a kilobyte.
MAX_BODY_BYTES = 16 * 1024
MAX_POSITION = 10_000
OPTION_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.ORDERING)
LIST_KINDS = (Question.Kind.MULTIPLE, Question.Kind.ORDERING)
SHORT_ANSWER_MAX = 255


def _unreadable() -> ValidationError:
    return ValidationError(_("The answer could not be read."), code="unreadable")


def _invalid() -> ValidationError:
    return ValidationError(_("This answer does not fit the question."), code="invalid")


def answer_from_json(body: bytes) -> tuple[int, object]:
    """
    Return (position, response as the page sent it) of an autosave body
    `{"position": 3, "response": ...}`. Raise ValidationError for anything else.
    """
    if len(body) > MAX_BODY_BYTES:
        raise _unreadable()
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _unreadable() from None
    if not isinstance(data, dict) or "response" not in data:
        raise _unreadable()
    position = data.get("position")
    if not isinstance(position, int) or isinstance(position, bool):
        raise _unreadable()
    # A 24-digit position overflows the database's integer; no exam has this many questions.
    if not 0 <= position < MAX_POSITION:
        raise _unreadable()
    return position, data["response"]


def answers_from_form(post, shapes: dict[int, tuple[str, list]]) -> dict:
    """
    Return {position: response with option keys} of the attempt form's fields `q-<position>`,
    for the questions `shapes` describes (position: (kind, option order)). A question left
    blank is absent. Raise ValidationError for an answer that does not fit its question.
    """
    responses = {}
    for position, (kind, option_order) in shapes.items():
        name = f"q-{position}"
        if kind in LIST_KINDS:
            raw = post.getlist(name) or None
        elif kind == Question.Kind.TRUE_FALSE:
            value = post.get(name)
            raw = value == "true" if value in ("true", "false") else None
        elif kind == Question.Kind.MATCHING:
            items = (option_order or {}).get("items", [])
            chosen = {str(i): post.get(f"{name}-{i}", "").strip() for i in range(len(items))}
            raw = {number: choice for number, choice in chosen.items() if choice} or None
        else:
            raw = post.get(name, "").strip() or None
        if raw is not None:
            responses[position] = from_page(raw, kind=kind, option_order=option_order)
    return responses


def from_page(response, *, kind: str, option_order: list):
    """
    Return the page's `response` with option numbers turned back into the version's keys
    (`option_order` as `page_order` gives it). Raise ValidationError for an option, item or
    choice number the question does not have.
    """
    if kind == Question.Kind.MATCHING and response is not None:
        return _matching_from_page(response, option_order)
    if kind not in OPTION_KINDS or response is None:
        return response

    def key(number):
        if isinstance(number, str) and number.isdigit() and int(number) < len(option_order):
            return option_order[int(number)]
        raise _invalid()

    if isinstance(response, list):
        return [key(n) for n in response]
    return key(response)


def _number(text, count: int) -> int:
    if isinstance(text, str) and text.isdigit() and int(text) < count:
        return int(text)
    raise _invalid()


def _matching_from_page(response, order):
    if not isinstance(response, dict):
        # Left for `response_clean` to refuse, after the attempt was found open: an answer to a
        # finished attempt is told so, whatever its shape.
        return response
    items, choices = order.get("items", []), order.get("choices", [])
    chosen = {}
    for item, choice in response.items():
        item_key = items[_number(item, len(items))]
        if choice in (None, ""):
            continue  # an item left blank, as the select's empty choice sends it
        chosen[item_key] = choices[_number(choice, len(choices))]
    return chosen


def page_order(data: dict, option_order) -> list | dict:
    """
    Return the order the page names options by: `option_order` itself, or for a matching
    question its items and the key of the first option of each answer (see the module's note).
    """
    if data["kind"] != Question.Kind.MATCHING:
        return option_order
    stored = option_order if isinstance(option_order, dict) else {}
    item_keys = {o["key"] for o in grading.matching_items(data)}
    first = {}
    for option in data.get("options", []):
        first.setdefault(grading.text_normal(option.get("match") or ""), option["key"])
    offered = [t for t in stored.get("answers", []) if t in first]
    number = {t: str(i) for i, t in enumerate(offered)}
    return {
        "items": [k for k in stored.get("items", []) if k in item_keys],
        "choices": [first[t] for t in offered],
        # Any option holding an answer shows as that answer's choice, not only the first.
        "choice_of": {
            o["key"]: number[t]
            for o in data.get("options", [])
            if (t := grading.text_normal(o.get("match") or "")) in number
        },
    }


def matching_answers(data: dict) -> list[str]:
    """Return the distinct answers of a matching question (normalised), in the version's order."""
    answers = []
    for option in data.get("options", []):
        answer = grading.text_normal(option.get("match") or "")
        if answer and answer not in answers:
            answers.append(answer)
    return answers


def to_page(response, *, kind: str, option_order: list):
    """Return the stored `response` with keys turned into the page's option numbers."""
    if kind == Question.Kind.MATCHING and isinstance(response, dict):
        items = {key: str(i) for i, key in enumerate(option_order.get("items", []))}
        choices = option_order.get("choice_of", {})
        return {
            items[item]: choices[choice]
            for item, choice in response.items()
            if item in items and choice in choices
        }
    if kind not in OPTION_KINDS or response is None:
        return response
    number = {key: str(i) for i, key in enumerate(option_order)}
    if isinstance(response, list):
        return [number[k] for k in response if k in number]
    return number.get(response)


def response_clean(data: dict, response):
    """
    Return `response` in the form stored for the question version `data`, or raise
    ValidationError when it does not fit the question's kind. None means "no answer".
    """
    if response is None:
        return None
    kind = data["kind"]
    keys = [o["key"] for o in data.get("options", [])]
    if kind == Question.Kind.SINGLE:
        if not isinstance(response, str) or response not in keys:
            raise _invalid()
        return response
    if kind in LIST_KINDS:
        if not isinstance(response, list) or not all(isinstance(k, str) for k in response):
            raise _invalid()
        if kind == Question.Kind.MULTIPLE:
            if len(set(response)) != len(response) or not set(response) <= set(keys):
                raise _invalid()
            return [k for k in keys if k in response]
        if len(response) != len(keys) or set(response) != set(keys):
            raise _invalid()
        return response
    if kind == Question.Kind.TRUE_FALSE:
        if not isinstance(response, bool):
            raise _invalid()
        return response
    if kind == Question.Kind.NUMERIC:
        return _numeric_clean(response)
    if kind == Question.Kind.SHORT_ANSWER:
        if not isinstance(response, str) or len(response.strip()) > SHORT_ANSWER_MAX:
            raise _invalid()
        return response.strip() or None
    if kind == Question.Kind.MATCHING:
        return _matching_clean(data, response)
    raise _invalid()


def _matching_clean(data: dict, response) -> dict | None:
    items = {o["key"] for o in grading.matching_items(data)}
    answered = {o["key"] for o in data.get("options", []) if (o.get("match") or "").strip()}
    if not isinstance(response, dict):
        raise _invalid()
    for item, choice in response.items():
        if item not in items or not isinstance(choice, str) or choice not in answered:
            raise _invalid()
    # Partly answered is an answer; nothing chosen at all is none.
    return dict(response) or None


def decimal_text(value) -> str:
    """A number as people write it: plain decimal, no exponent, no trailing zeros (3000, 0.05)."""
    return format(Decimal(str(value)).normalize(), "f")


def _numeric_clean(response) -> str:
    # A number from JSON, or the text of the input field; Chinese keyboards may give "3,5".
    if isinstance(response, bool) or not isinstance(response, int | float | str):
        raise _invalid()
    text = str(response).strip().replace(",", ".")
    if not text or len(text) > 40:
        raise _invalid()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _invalid() from None
    if not value.is_finite():
        raise _invalid()
    # Stored as typed, in plain decimal: "3e3" is kept as "3000", "3.50" as "3.50".
    return format(value, "f")

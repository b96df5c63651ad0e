"""
Scoring one answer against a frozen question version. Pure functions: no database, no clock.

A version's `data` holds: kind, points, partial_credit, options [{key, text, text_en, correct}]
(for ordering, in the right order), answer (true/false), numeric and tolerance (numeric).
A numeric question may hold `numeric_answers` as well: Moodle's further answers
[{value, tolerance, fraction}] (value null matches any number), each earning its fraction.
Options of a question imported from Moodle also hold `fraction`, Moodle's grade of the option
("1", "0.5", "-0.5"); a choice question whose options have fractions is scored as Moodle scores
it, and its partial credit rule is not read.
A short answer question's options are its accepted answers (`*` matching any characters), each
with its fraction (none: full marks), and `case_sensitive`; the response is the typed text.
A matching question's options are pairs {key, text, match}: an option without text is an extra
wrong answer. The response maps item keys to the key of the option whose answer was chosen;
an item is right when the chosen answer's text is its own (two items may share an answer).
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def _points(data) -> Decimal:
    return Decimal(str(data.get("points", "1")))


def _correct_keys(data) -> set[str]:
    return {o["key"] for o in data.get("options", []) if o.get("correct")}


def score(data: dict, response) -> Decimal:
    """Return the points `response` earns on the question version `data` (0 when unanswered)."""
    if response is None:
        return Decimal("0.00")
    points = _points(data)
    kind = data["kind"]
    fractions = _fractions(data)
    if kind in ("single", "multiple") and fractions:
        fraction = _by_fractions(fractions, response, many=kind == "multiple")
    elif kind == "single":
        right = isinstance(response, str) and response in _correct_keys(data)
        fraction = Decimal(1) if right else Decimal(0)
    elif kind == "true_false":
        right = isinstance(response, bool) and response == data.get("answer")
        fraction = Decimal(1) if right else Decimal(0)
    elif kind == "multiple":
        fraction = _multiple(data, response)
    elif kind == "ordering":
        fraction = _ordering(data, response)
    elif kind == "numeric":
        fraction = _numeric(data, response)
    elif kind == "short_answer":
        fraction = _short_answer(data, response)
    elif kind == "matching":
        fraction = _matching(data, response)
    else:
        raise ValueError(f"Unknown question kind {kind!r}")
    return (points * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


def _fractions(data) -> dict[str, Decimal]:
    return {
        o["key"]: Decimal(str(o["fraction"]))
        for o in data.get("options", [])
        if o.get("fraction") is not None
    }


def _by_fractions(fractions: dict[str, Decimal], response, *, many: bool) -> Decimal:
    """
    Moodle's rule: a single choice earns the grade of the chosen option; a multiple choice the
    sum of the grades of every chosen option, negative grades taking away, the sum kept between
    0 and 1 (~%100%yellow ~%-50%red ~%-50%blue: yellow and red earn half).
    """
    if many:
        if not isinstance(response, list):
            return Decimal(0)
        chosen = {str(k) for k in response}
    else:
        if not isinstance(response, str):
            return Decimal(0)
        chosen = {response}
    total = sum((fractions.get(k, Decimal(0)) for k in chosen), Decimal(0))
    return min(Decimal(1), max(Decimal(0), total))


def _multiple(data, response) -> Decimal:
    if not isinstance(response, list):
        return Decimal(0)
    chosen = {str(k) for k in response}
    correct = _correct_keys(data)
    if not correct:
        return Decimal(1) if not chosen else Decimal(0)
    if data.get("partial_credit") == "proportional":
        # Each right choice earns its share and each wrong choice takes one share away, never
        # below zero: ticking every box earns nothing.
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        return max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))
    return Decimal(1) if chosen == correct else Decimal(0)


def _ordering(data, response) -> Decimal:
    expected = [o["key"] for o in data.get("options", [])]
    if not isinstance(response, list) or sorted(map(str, response)) != sorted(expected):
        return Decimal(0)
    response = [str(k) for k in response]
    if data.get("partial_credit") == "proportional":
        in_place = sum(1 for a, b in zip(response, expected, strict=True) if a == b)
        return Decimal(in_place) / Decimal(len(expected))
    return Decimal(1) if response == expected else Decimal(0)


def _numeric_given(data, response):
    """Return (given, answer, tolerance) as decimals, or None when they cannot be read."""
    try:
        given = Decimal(str(response).strip().replace(",", "."))
        answer = Decimal(str(data["numeric"]))
        tolerance = Decimal(str(data.get("tolerance", "0")))
    except (InvalidOperation, KeyError, TypeError):
        return None
    if not given.is_finite():
        return None
    return given, answer, tolerance


def _further_matches(data, given):
    """Yield (fraction, entry) of each further numeric answer `given` matches."""
    for entry in data.get("numeric_answers") or []:
        try:
            fraction = Decimal(str(entry["fraction"]))
            if entry.get("value") is None:
                matches = True
            else:
                value = Decimal(str(entry["value"]))
                matches = abs(given - value) <= Decimal(str(entry.get("tolerance") or "0"))
        except (InvalidOperation, KeyError, TypeError):
            continue
        if matches:
            yield min(Decimal(1), max(Decimal(0), fraction)), entry


def _numeric(data, response) -> Decimal:
    read = _numeric_given(data, response)
    if read is None:
        return Decimal(0)
    given, answer, tolerance = read
    if abs(given - answer) <= tolerance:
        return Decimal(1)
    # Moodle takes the first answer that matches; here the best one counts, so the order in
    # which a trainer listed them never lowers a learner's grade.
    return max((fraction for fraction, _entry in _further_matches(data, given)), default=Decimal(0))


def numeric_match(data: dict, response) -> dict | None:
    """
    Return the further numeric answer whose grade `response` earns (the first of the best), or
    None when the answer itself matches or nothing does.
    """
    read = _numeric_given(data, response)
    if read is None or abs(read[0] - read[1]) <= read[2]:
        return None
    best = None
    for fraction, entry in _further_matches(data, read[0]):
        if best is None or fraction > best[0]:
            best = (fraction, entry)
    return best[1] if best else None


def text_normal(text: str, *, case_sensitive: bool = False) -> str:
    """
    Return `text` as answers are compared: compatibility forms folded (full-width ＡＢＣ１２ as
    typed on Chinese keyboards is ABC12), runs of spaces made one, ends trimmed, and letter case
    folded unless it matters.
    """
    text = " ".join(unicodedata.normalize("NFKC", str(text)).split())
    return text if case_sensitive else text.casefold()


def _pattern(answer: str, *, case_sensitive: bool) -> re.Pattern:
    # Moodle's rule: `*` matches any characters, `\*` is a literal star, nothing else is special.
    parts = re.split(r"(\\\*|\*)", text_normal(answer, case_sensitive=case_sensitive))
    regex = "".join(
        ".*" if part == "*" else re.escape("*") if part == "\\*" else re.escape(part)
        for part in parts
    )
    return re.compile(regex, re.DOTALL)


def short_answer_match(data: dict, response) -> dict | None:
    """Return the accepted answer of the best grade that `response` matches, or None."""
    if not isinstance(response, str) or not response.strip():
        return None
    case_sensitive = bool(data.get("case_sensitive"))
    given = text_normal(response, case_sensitive=case_sensitive)
    best, best_fraction = None, Decimal(-1)
    for option in data.get("options", []):
        fraction = short_answer_fraction(option)
        if fraction <= best_fraction:
            continue
        for answer in (option.get("text"), option.get("text_en")):
            if answer and _pattern(answer, case_sensitive=case_sensitive).fullmatch(given):
                best, best_fraction = option, fraction
                break
    return best


def short_answer_fraction(option) -> Decimal:
    try:
        fraction = Decimal(str(option["fraction"])) if option.get("fraction") is not None else 1
    except InvalidOperation:
        return Decimal(0)
    return min(Decimal(1), max(Decimal(0), Decimal(fraction)))


def _short_answer(data, response) -> Decimal:
    # The best accepted answer counts, as for numeric answers, so their order never lowers a grade.
    option = short_answer_match(data, response)
    return Decimal(0) if option is None else short_answer_fraction(option)


def matching_items(data: dict) -> list[dict]:
    """The pairs of a matching question that are items to match (not extra wrong answers)."""
    return [o for o in data.get("options", []) if (o.get("text") or "").strip()]


def matching_right(data: dict, response) -> dict[str, bool]:
    """Return {item key: whether `response` matched it rightly} for every item."""
    answers = {o["key"]: text_normal(o.get("match") or "") for o in data.get("options", [])}
    chosen = response if isinstance(response, dict) else {}
    return {
        item["key"]: str(chosen.get(item["key"])) in answers
        and answers[str(chosen.get(item["key"]))] == answers[item["key"]]
        for item in matching_items(data)
    }


def _matching(data, response) -> Decimal:
    # Moodle's rule: each item rightly matched earns its share. "All or nothing" asks for all.
    right = matching_right(data, response)
    if not right:
        return Decimal(0)
    count = sum(right.values())
    if data.get("partial_credit") == "all_or_nothing" and count < len(right):
        return Decimal(0)
    return Decimal(count) / Decimal(len(right))


def response_carried(answered: dict, corrected: dict, response):
    """
    Return `response`, given to the version `answered`, as it reads against the version
    `corrected` (a regrade's). Only a matching answer needs this: it names the chosen answer by
    the key of an option holding it, and a correction may give that option another answer. The
    learner chose the text, so the key of an option holding the same text in `corrected` is
    taken; when none holds it any more, the item's choice is kept out and counts as wrong.
    """
    if answered.get("kind") != "matching" or not isinstance(response, dict):
        return response
    texts = {o["key"]: text_normal(o.get("match") or "") for o in answered.get("options", [])}
    holders = {}
    for option in corrected.get("options", []):
        holders.setdefault(text_normal(option.get("match") or ""), option["key"])
    carried = {}
    for item, choice in response.items():
        key = holders.get(texts.get(str(choice), ""))
        if key is not None and texts.get(str(choice)):
            carried[item] = key
    return carried


def percent(total: Decimal, maximum: Decimal) -> Decimal:
    if not maximum:
        return Decimal("0.00")
    return (Decimal(100) * total / maximum).quantize(CENT, rounding=ROUND_HALF_UP)


def passed(total: Decimal, maximum: Decimal, pass_mark_percent: int) -> bool:
    return percent(total, maximum) >= Decimal(pass_mark_percent)

"""
Reading and writing question bank files: the XLSX sheet trainers fill in, Moodle XML and GIFT.

Pure functions, no database. `bank_parse` turns a file into plain items and a list of every error
found, each naming the item (its spreadsheet row, or its place among the questions of the file),
the field and the reason; `assessments.services.banks` writes the items, all or nothing.

An item is a dict: category (tuple of names, root first), kind, text, text_en, options (list of
(text, text_en, correct); for ordering, in the right order; for short answer, the accepted
answers, `*` matching any characters and `\\*` a star; for matching, the items, "" for an extra
wrong answer), matches ([] or, for matching, (answer, answer_en) per option), case_sensitive
(short answer), fractions (None, or for a choice question graded as Moodle grades it, each
option's grade as a Decimal from -1 to 1, in the order of the options; for short answer always
each answer's grade from 0 to 1), true_false_answer, numeric_answer, tolerance, numeric_answers
(Moodle's further answers of a numeric question, see `numeric_answer_entry`), explanation,
explanation_en, option_feedback ([] or, for a choice or short answer question, (text, text_en)
per option), correct_feedback,
partial_feedback, incorrect_feedback and their _en twins (Moodle's combined feedback), active
(None when the file does not say; False for a question Moodle hides),
difficulty, points, partial_credit, tags (sorted), source_ref, and `item`, its place in the file.

The XLSX sheet (see `xlsx_columns` and the README sheet the export writes): category, type,
difficulty, question, question_en, option_N and option_N_en, correct, tolerance, points,
partial_credit, explanation, explanation_en, tags, ref; then what Moodle banks carry:
case_sensitive (short answer), numeric_answers (one a line: VALUE:TOLERANCE=GRADE%, * for any
number, #feedback and |English feedback; or the JSON list when a feedback holds those
characters), correct_feedback, partial_feedback, incorrect_feedback and their _en; and per option
option_N_match and option_N_match_en (matching: the answer of item option_N; a row of answer only
is an extra wrong answer), option_N_grade (percent; single, multiple and short answer; a short
answer's blank grade is 100) and option_N_feedback, option_N_feedback_en. A sheet without these
columns reads as before. Short answer and matching leave correct blank.

Moodle XML and GIFT: multichoice, truefalse, numerical, ordering (XML), shortanswer (letter
case in XML only) and matching (credit per pair) import; essay, description, cloze
(multianswer), calculated*, randomsamatch, random, ddwtos, gapselect, ddimageortext and
ddmarker are skipped with the reason (`_unsupported_reason`). Their HTML is cleaned by nh3 to
`HTML_TAGS` and kept as text line by line (`html_to_text`), the way question texts are shown.
"""

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE and ENTITY are refused before parsing
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext as _

FORMATS = ("xlsx", "moodle", "gift")
EXTENSIONS = {".xlsx": "xlsx", ".xml": "moodle", ".gift": "gift", ".txt": "gift"}
MAX_ITEMS = 5000
SHEET = "questions"
README_SHEET = "README"
MIN_OPTION_COLUMNS = 6

SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, NUMERIC, SHORT_ANSWER, MATCHING = (
    "single",
    "multiple",
    "true_false",
    "ordering",
    "numeric",
    "short_answer",
    "matching",
)
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, NUMERIC, SHORT_ANSWER, MATCHING)
ALL_OR_NOTHING, PROPORTIONAL = "all_or_nothing", "proportional"
# Kinds whose grading reads the partial credit rule (see assessments.grading).
PARTIAL_CREDIT_KINDS = (MULTIPLE, ORDERING, MATCHING)
# Kinds whose options carry a grade of their own (Moodle's fraction) and a feedback each.
GRADED_KINDS = (SINGLE, MULTIPLE, SHORT_ANSWER)

# The limits of the model fields the items are written to.
CATEGORY_NAME_MAX = 120
OPTION_MAX = 500
REF_MAX = 120
TAG_MAX = 100
POINTS_MAX = Decimal("9999.99")
NUMBER_MAX = Decimal("9999999999.9999")
# Moodle's combined feedback: shown by the outcome of the answer.
FEEDBACKS = ("correct", "partial", "incorrect")
# Moodle keeps grades with 7 decimals (33.33333% is 0.3333333).
FRACTION_PLACES = Decimal("0.0000001")
# Moodle's own slack when it checks that grades add up (question/type/multichoice).
FRACTION_SLACK = Decimal("0.000001")


class BankFileError(Exception):
    """The file as a whole cannot be read (wrong type, damaged, refused, missing columns)."""


@dataclass(frozen=True)
class ItemError:
    """A problem with one item: `item` is its spreadsheet row or its place among the questions."""

    item: int
    label: str
    field: str
    message: str


@dataclass
class BankReport:
    total: int = 0
    errors: list[ItemError] = field(default_factory=list)
    # What is read but not kept (per-answer feedback, images); shown, never blocking.
    warnings: list[ItemError] = field(default_factory=list)
    # Questions of a type this platform does not have, left out with the reason; the rest import.
    skipped: list[ItemError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


@dataclass
class ParsedBank:
    format: str
    items: list[dict] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    warnings: list[ItemError] = field(default_factory=list)
    skipped: list[ItemError] = field(default_factory=list)
    # Where questions the file gives no category go (the importer's choice), as a path.
    default_category: tuple[str, ...] = ()


class _Problems:
    """Collects the errors and warnings of one item."""

    def __init__(self, bank: ParsedBank, item: int, label: str = ""):
        self.bank, self.item, self.label = bank, item, label[:60]
        self.count = 0

    def error(self, field_name, message):
        self.count += 1
        self.bank.errors.append(ItemError(self.item, self.label, field_name, str(message)))

    def warning(self, field_name, message):
        self.bank.warnings.append(ItemError(self.item, self.label, field_name, str(message)))

    def skip(self, field_name, message):
        """The question is of a type this platform does not have: left out, with the reason."""
        self.bank.skipped.append(ItemError(self.item, self.label, field_name, str(message)))


def format_of(filename: str, fmt: str | None = None) -> str:
    """Return the format named by `fmt`, or else by the extension of `filename`."""
    if fmt:
        if fmt not in FORMATS:
            raise BankFileError(
                _("Unknown format %(format)s: use xlsx, moodle or gift.") % {"format": fmt}
            )
        return fmt
    name = filename.lower()
    for extension, found in EXTENSIONS.items():
        if name.endswith(extension):
            return found
    raise BankFileError(
        _("Unsupported file type: upload .xlsx, Moodle XML (.xml) or GIFT (.gift or .txt).")
    )


def category_path_parse(text: str) -> tuple[str, ...]:
    """A category path as a person types it: "Phones/Screens", or Moodle's "$course$/top/..."."""
    return _moodle_category(text or "")


def bank_parse(
    content: bytes,
    filename: str,
    fmt: str | None = None,
    *,
    default_category: tuple[str, ...] = (),
    strict: bool = False,
) -> ParsedBank:
    """
    Return the items of a bank file and every error, warning and skipped question found in it.
    Questions the file gives no category go to `default_category`. A question of a type this
    platform does not have is skipped with its reason; with `strict`, each skip is an error.
    """
    found = format_of(filename, fmt)
    reader = {"xlsx": _xlsx_read, "moodle": _moodle_read, "gift": _gift_read}[found]
    bank = ParsedBank(format=found, default_category=tuple(default_category))
    reader(content, bank)
    if strict:
        bank.errors.extend(bank.skipped)
        bank.skipped = []
    if not bank.items and not bank.errors and not bank.skipped:
        raise BankFileError(_("The file holds no questions."))
    if len(bank.items) > MAX_ITEMS:
        raise BankFileError(
            _("The file has %(count)s questions; at most %(max)s can be imported at once.")
            % {"count": len(bank.items), "max": MAX_ITEMS}
        )
    _duplicates_check(bank)
    return bank


# The rules every question keeps, in the admin form as in files ----------------------------------


def question_problems(
    *, kind, option_count, correct_count, true_false_answer, numeric_answer, graded=False
) -> list[tuple[str, str]]:
    """
    Return (field, message) for each rule of its kind that a question breaks. The fields are
    "options", "correct", "true_false_answer" and "numeric_answer". A choice question whose
    options are `graded` (Moodle's fractions) is checked by `fraction_problems` instead of by
    its correct flags.
    """
    problems = []
    if kind == SINGLE:
        if option_count < 2:
            problems.append(("options", _("A single choice question needs at least two options.")))
        if correct_count != 1 and not graded:
            problems.append(
                (
                    "correct",
                    _(
                        "A single choice question needs exactly one correct option "
                        "(%(count)s marked correct)."
                    )
                    % {"count": correct_count},
                )
            )
    elif kind == MULTIPLE:
        if option_count < 2:
            problems.append(
                ("options", _("A multiple choice question needs at least two options."))
            )
        if correct_count < 1:
            problems.append(
                ("correct", _("A multiple choice question needs at least one correct option."))
            )
    elif kind == ORDERING:
        if option_count < 2:
            problems.append(
                ("options", _("An ordering question needs at least two options to put in order."))
            )
    elif kind == TRUE_FALSE:
        if true_false_answer is None:
            problems.append(("true_false_answer", _("Say whether the statement is true or false.")))
        if option_count:
            problems.append(("options", _("A true or false question has no options.")))
    elif kind == NUMERIC:
        if numeric_answer is None:
            problems.append(("numeric_answer", _("A numeric question needs its numeric answer.")))
        if option_count:
            problems.append(("options", _("A numeric question has no options.")))
    elif kind == SHORT_ANSWER:
        if option_count < 1:
            problems.append(
                ("options", _("A short answer question needs at least one accepted answer."))
            )
    # For matching, `option_count` counts the items to match (pairs with a text), as in Moodle.
    elif kind == MATCHING and option_count < 2:
        problems.append(("options", _("A matching question needs at least two items.")))
    return problems


def _percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f")


def fraction_problems(*, kind, fractions) -> tuple[list[str], list[str]]:
    """
    Return (errors, doubts) about the option grades of a choice question: a grade outside -100%
    to 100% is an error; a single choice without a 100% option, or multiple choice grades whose
    positive part does not add up to 100%, are what Moodle saves with a notice (doubts).
    """
    errors, doubts = [], []
    if not fractions or kind not in GRADED_KINDS:
        return errors, doubts
    if kind == SHORT_ANSWER:
        # Moodle grades a short answer from 0 to 100%; it saves one without a 100% answer.
        for fraction in fractions:
            if not Decimal(0) <= fraction <= Decimal(1):
                errors.append(
                    _("Grade %(grade)s%% of an accepted answer is outside 0%% to 100%%.")
                    % {"grade": _percent(fraction)}
                )
        if not errors and max(fractions) != 1:
            doubts.append(
                _("No accepted answer has a grade of 100%%: the best answer earns %(best)s%%.")
                % {"best": _percent(max(fractions))}
            )
        return errors, doubts
    for fraction in fractions:
        if not Decimal(-1) <= fraction <= Decimal(1):
            errors.append(
                _("Grade %(grade)s%% is outside -100%% to 100%%.") % {"grade": _percent(fraction)}
            )
    if errors:
        return errors, doubts
    if kind == SINGLE and max(fractions) != 1:
        doubts.append(
            _("No option has a grade of 100%%: the best answer earns %(best)s%%.")
            % {"best": _percent(max(fractions))}
        )
    if kind == MULTIPLE:
        total = sum((f for f in fractions if f > 0), Decimal(0))
        if abs(total - 1) > FRACTION_SLACK:
            doubts.append(
                _("The positive grades add up to %(total)s%%, not 100%%.")
                % {"total": _percent(total)}
            )
    return errors, doubts


def fractions_of_weights(kind: str, weights: list[Decimal]) -> list[Decimal] | None:
    """
    Return the grades of Moodle's answer weights (percent), or None when the correct flags say
    the same: a single choice whose options are 100% or 0 (the rule of one correct option then
    applies).
    """
    fractions = [(w / 100).quantize(FRACTION_PLACES) for w in weights]
    if kind == SINGLE and all(f in (0, 1) for f in fractions):
        return None
    return fractions


def numeric_answer_entry(value, tolerance, fraction, feedback="", feedback_en="") -> dict:
    """
    Return one further answer of a numeric question as the question row and its versions hold
    it: plain decimal strings; a value of None (Moodle's "*") matches any number; its feedback
    only when it has one.
    """
    entry = {
        "value": None if value is None else _plain_number(Decimal(str(value))),
        "tolerance": _plain_number(abs(Decimal(str(tolerance or 0)))),
        "fraction": _plain_number(Decimal(str(fraction))),
    }
    if feedback or feedback_en:
        entry["feedback"], entry["feedback_en"] = str(feedback or ""), str(feedback_en or "")
    return entry


def numeric_answers_problems(entries) -> list[str]:
    """Return what is wrong with a list of further numeric answers (value, tolerance, grade)."""
    if not isinstance(entries, list):
        return [_("Give the further answers as a list.")]
    problems = []
    for number, entry in enumerate(entries, start=1):
        try:
            value = entry["value"]
            numbers = [Decimal(str(entry.get("tolerance") or 0)), Decimal(str(entry["fraction"]))]
            if value is not None:
                numbers.append(Decimal(str(value)))
        except (InvalidOperation, KeyError, TypeError, AttributeError):
            problems.append(
                _("Further answer %(n)s needs a value (or null), a tolerance and a grade.")
                % {"n": number}
            )
            continue
        if not all(n.is_finite() and abs(n) <= NUMBER_MAX for n in numbers):
            problems.append(_("Further answer %(n)s is not a number.") % {"n": number})
        elif not Decimal(0) <= numbers[1] <= Decimal(1):
            problems.append(
                _("The grade of further answer %(n)s must be from 0 to 1.") % {"n": number}
            )
    return problems


def item_normalize(item: dict) -> dict:
    """
    Return `item` with what its kind does not use set to the default: the correct flags of
    ordering options, the answer of other kinds, tolerance and partial credit where unused. The
    correct flags of graded options follow their grades (100% for a single choice, any positive
    grade for a multiple choice), and the partial credit rule is not used.
    """
    kind = item["kind"]
    result = dict(item)
    fractions = item.get("fractions")
    if kind == SHORT_ANSWER:
        # Every accepted answer has a grade; none given is full marks.
        fractions = (
            list(fractions) if fractions is not None else [Decimal(1)] * len(item["options"])
        )
        result["fractions"] = fractions
        result["options"] = [
            (t, te, f >= 1) for (t, te, _c), f in zip(item["options"], fractions, strict=True)
        ]
    elif kind in (SINGLE, MULTIPLE) and fractions is not None:
        fractions = list(fractions)
        result["fractions"] = fractions
        result["options"] = [
            (t, te, f >= 1 if kind == SINGLE else f > 0)
            for (t, te, _c), f in zip(item["options"], fractions, strict=True)
        ]
        result["partial_credit"] = ALL_OR_NOTHING
    else:
        result["fractions"] = None
    option_feedback = list(item.get("option_feedback") or [])
    if kind not in GRADED_KINDS or not any(a or b for a, b in option_feedback):
        option_feedback = []
    else:
        option_feedback += [("", "")] * (len(item["options"]) - len(option_feedback))
    result["option_feedback"] = option_feedback
    if kind in (ORDERING, MATCHING):
        result["options"] = [(t, te, False) for t, te, _c in item["options"]]
    if kind == MATCHING:
        matches = list(item.get("matches") or [])
        result["matches"] = matches + [("", "")] * (len(item["options"]) - len(matches))
    else:
        result["matches"] = []
    result["case_sensitive"] = bool(item.get("case_sensitive")) and kind == SHORT_ANSWER
    if kind != TRUE_FALSE:
        result["true_false_answer"] = None
    if kind != NUMERIC:
        result["numeric_answer"] = None
        result["tolerance"] = Decimal(0)
        result["numeric_answers"] = []
    else:
        result["numeric_answers"] = list(item.get("numeric_answers") or [])
    if kind not in PARTIAL_CREDIT_KINDS:
        result["partial_credit"] = ALL_OR_NOTHING
    result["tags"] = sorted(set(item["tags"]))
    return result


def _new_item(number: int, category: tuple[str, ...]) -> dict:
    return {
        "item": number,
        "category": category,
        "kind": "",
        "text": "",
        "text_en": "",
        "options": [],
        "matches": [],
        "case_sensitive": False,
        "fractions": None,
        "true_false_answer": None,
        "numeric_answer": None,
        "tolerance": Decimal(0),
        "numeric_answers": [],
        "explanation": "",
        "explanation_en": "",
        "option_feedback": [],
        "active": None,
        **{f"{name}_feedback{suffix}": "" for name in FEEDBACKS for suffix in ("", "_en")},
        "difficulty": 2,
        "points": Decimal(1),
        "partial_credit": ALL_OR_NOTHING,
        "tags": [],
        "source_ref": "",
    }


def _item_check(item: dict, problems: _Problems, fields: dict[str, str]) -> None:
    """
    Check the field lengths and, unless the item already has errors that would make them
    misleading, the rules of its kind; `fields` names the fields as the file calls them.
    """
    rules = not problems.count
    if not item["category"]:
        problems.error(
            fields["category"],
            _("Give the question a category, or name one for questions without a category."),
        )
    for name in item["category"]:
        if len(name) > CATEGORY_NAME_MAX:
            problems.error(
                fields["category"],
                _("Category name %(name)s is longer than %(max)s characters.")
                % {"name": name[:40], "max": CATEGORY_NAME_MAX},
            )
    if not item["text"].strip():
        problems.error(fields["text"], _("The question text is empty."))
    matching = item["kind"] == MATCHING
    matches = item.get("matches") or []
    for number, (text, text_en, _correct) in enumerate(item["options"], start=1):
        where = fields["options"].format(n=number)
        match, match_en = matches[number - 1] if number <= len(matches) else ("", "")
        # A pair of a matching question without an item is an extra wrong answer.
        if not text and rules and not matching:
            problems.error(where, _("Option %(n)s is empty.") % {"n": number})
        if matching and rules and not match:
            problems.error(
                fields.get("matches", where).format(n=number),
                _("Pair %(n)s has no answer to match.") % {"n": number},
            )
        if matching and rules and not text and text_en:
            problems.error(where, _("Pair %(n)s has only an English item.") % {"n": number})
        if max(len(text), len(text_en), len(match), len(match_en)) > OPTION_MAX:
            problems.error(
                where,
                _("Option %(n)s is longer than %(max)s characters.")
                % {"n": number, "max": OPTION_MAX},
            )
    if len(item["source_ref"]) > REF_MAX:
        problems.error(
            fields["source_ref"],
            _("The reference is longer than %(max)s characters.") % {"max": REF_MAX},
        )
    for tag in item["tags"]:
        if len(tag) > TAG_MAX:
            problems.error(
                fields["tags"],
                _("Tag %(tag)s is longer than %(max)s characters.")
                % {"tag": tag[:40], "max": TAG_MAX},
            )
    if not rules or item["kind"] not in KINDS:
        return
    graded = item["kind"] in GRADED_KINDS and item.get("fractions") is not None
    option_count = len(item["options"])
    if matching:
        option_count = sum(1 for o in item["options"] if o[0])
    for field_name, message in question_problems(
        kind=item["kind"],
        option_count=option_count,
        correct_count=sum(1 for o in item["options"] if o[2]),
        true_false_answer=item["true_false_answer"],
        numeric_answer=item["numeric_answer"],
        graded=graded,
    ):
        problems.error(fields[field_name].format(n=1), message)
    if item["kind"] == NUMERIC:
        for message in numeric_answers_problems(item.get("numeric_answers") or []):
            problems.error(fields["numeric_answer"], message)
    if graded:
        errors, doubts = fraction_problems(kind=item["kind"], fractions=item["fractions"])
        for message in errors:
            problems.error(fields["options"].format(n=1), message)
        for message in doubts:
            problems.warning(fields["options"].format(n=1), message)


def _content_ref_give(item: dict) -> None:
    """
    Give a question without an idnumber a reference made of its content: the same question
    imported again is found again, and two questions that differ only in their options (or share
    a Moodle name such as "Question 1") stay two.
    """
    if item["source_ref"]:
        return
    content = [
        item["kind"],
        item["text"],
        item["text_en"],
        [[text, text_en, bool(correct)] for text, text_en, correct in item["options"]],
        item["true_false_answer"],
        str(item["numeric_answer"]),
        str(item["tolerance"]),
        item["partial_credit"],
    ]
    if item.get("numeric_answers"):
        # Only then, so the references of questions imported before stay what they were.
        content.append(item["numeric_answers"])
    if item["kind"] == SHORT_ANSWER:
        fractions = item.get("fractions") or [Decimal(1)] * len(item["options"])
        content += [
            [_plain_number(Decimal(f)) for f in fractions],
            bool(item.get("case_sensitive")),
        ]
    if item["kind"] == MATCHING:
        content.append([list(m) for m in item.get("matches") or []])
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    item["source_ref"] = f"content:{digest[:20]}"


def _duplicates_check(bank: ParsedBank) -> None:
    """Two items of one category with the same reference (or, without one, the same text)."""
    seen: dict[tuple, int] = {}
    for item in bank.items:
        if item["source_ref"]:
            key = (item["category"], "ref", item["source_ref"])
            message = _(
                "Reference %(ref)s is used twice in category %(category)s (first: %(first)s)."
            )
        else:
            key = (item["category"], "text", item["text"])
            message = _(
                "The same question text is in category %(category)s twice (first: %(first)s); "
                "give them references to keep both."
            )
        if key in seen:
            bank.errors.append(
                ItemError(
                    item["item"],
                    item["source_ref"] or item["text"][:60],
                    "ref",
                    message
                    % {
                        "ref": item["source_ref"],
                        "category": "/".join(item["category"]),
                        "first": seen[key],
                    },
                )
            )
        else:
            seen[key] = item["item"]


# Plain values ----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    text = _text(value).replace("，", ",")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _points(value, problems, field_name) -> Decimal:
    if _text(value) == "":
        return Decimal(1)
    number = _decimal(value)
    if number is None or number < 0 or number > POINTS_MAX or _decimal_places(number) > 2:
        problems.error(
            field_name,
            _("Points %(value)s: give a number from 0 to 9999.99 with at most two decimals.")
            % {"value": _text(value)},
        )
        return Decimal(1)
    return number


def _number(value, problems, field_name, what) -> Decimal | None:
    """Return a numeric answer or tolerance as the model holds it (4 decimals)."""
    number = _decimal(value)
    if number is None:
        problems.error(
            field_name, _("%(what)s %(value)r is not a number.") % {"what": what, "value": value}
        )
        return None
    if abs(number) > NUMBER_MAX or _decimal_places(number) > 4:
        problems.error(
            field_name,
            _("%(what)s %(value)s: at most 10 digits before the point and 4 after it.")
            % {"what": what, "value": _text(value)},
        )
        return None
    return number


def _tags(value) -> list[str]:
    return sorted({t.strip() for t in re.split(r"[,，、;；]", _text(value)) if t.strip()})


def _category_path(text: str) -> tuple[str, ...]:
    """Split a "/" separated category path; "//" stands for a "/" inside a name (Moodle)."""
    text = text.replace("//", "\x00")
    return tuple(p.replace("\x00", "/").strip() for p in text.split("/") if p.strip())


_MOODLE_CONTEXTS = ("$course$", "$system$", "$module$", "$cat$", "$coursecategory$")


def _moodle_category(text: str) -> tuple[str, ...]:
    path = list(_category_path(text.strip()))
    if path and path[0].lower() in _MOODLE_CONTEXTS:
        path = path[1:]
    # "top" is Moodle's hidden root of each context, not a category trainers see.
    if path and path[0] == "top":
        path = path[1:]
    return tuple(path)


# HTML and the two languages of Moodle's multilang filter ----------------------------------------


# Question texts are stored and shown as plain text (the attempt page escapes them and keeps
# their line breaks), so HTML from Moodle or Word is first cleaned by nh3 (Ammonia) down to this
# allow-list, then read as lines. Everything else goes: <style>, <script> and the like with what
# is inside them, event handler attributes, javascript: and data: links, Word's <o:p> and its
# mso classes (no class or style attribute is allowed), comments (Word's <!--[if gte mso 9]>).
HTML_TAGS = frozenset(
    {
        "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "sub", "sup", "span",
        "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
        "a",
    }
)  # fmt: skip
# No <img>: texts show no images (an image is noticed, and the import says it is left out).
HTML_ATTRIBUTES = {"a": {"href"}}
HTML_URL_SCHEMES = frozenset({"http", "https"})
# Removed with their content: a browser never shows it as text.
HTML_DROPPED = frozenset(
    {"style", "script", "head", "title", "template", "xml", "noscript", "iframe", "object"}
)


_IMAGE = re.compile(r"<img\b", re.I)


def html_sanitise(markup: str) -> str:
    """Return `markup` cleaned to the allow-list `HTML_TAGS` (see above), entities kept."""

    return nh3.clean(
        markup,
        tags=set(HTML_TAGS),
        clean_content_tags=set(HTML_DROPPED),
        attributes={tag: set(names) for tag, names in HTML_ATTRIBUTES.items()},
        url_schemes=set(HTML_URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


class _TextOf(HTMLParser):
    """The lines of markup that `html_sanitise` cleaned: one per paragraph, list item, row."""

    _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    _CELLS = {"td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._BREAKS:
            self.parts.append("\n")
        elif tag in self._CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def _clean_lines(text: str) -> str:
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, bool]:
    """
    Return the text of an HTML fragment, cleaned by `html_sanitise`, one line per paragraph,
    and whether it had images.
    """
    parser = _TextOf()
    parser.feed(html_sanitise(markup))
    parser.close()
    return _clean_lines("".join(parser.parts)), bool(_IMAGE.search(markup))


_MULTILANG_OPEN = re.compile(
    r"<span\b(?=[^>]*\bclass=\"multilang\")[^>]*\blang=\"([\w-]+)\"[^>]*>", re.I
)
_SPAN_TAG = re.compile(r"<span\b[^>]*>|</span\s*>", re.I)
_MLANG = re.compile(r"\{mlang\s+([\w-]+)\}(.*?)\{mlang\}", re.S | re.I)


def _multilang_keep(raw: str, prefix: str) -> str:
    """
    Return `raw` with each multilang span of a language starting with `prefix` replaced by its
    content and every other multilang span removed. Spans inside a multilang span (Word's and
    the editor's <span style=...>) are counted, so its end is its own </span>.
    """
    out, pos = [], 0
    while (found := _MULTILANG_OPEN.search(raw, pos)) is not None:
        out.append(raw[pos : found.start()])
        depth, inner_end, end = 1, len(raw), len(raw)
        for tag in _SPAN_TAG.finditer(raw, found.end()):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                inner_end, end = tag.start(), tag.end()
                break
        if found.group(1).lower().startswith(prefix):
            out.append(raw[found.end() : inner_end])
        pos = end
    out.append(raw[pos:])
    return "".join(out)


def _languages(raw: str) -> tuple[str, str]:
    """
    Return the Chinese and the English text of a Moodle text written for the multilang filters
    (<span lang="en" class="multilang"> or {mlang en}); a text without them is Chinese only.
    """
    if not (_MULTILANG_OPEN.search(raw) or _MLANG.search(raw)):
        return raw, ""

    def keep(prefix):
        def choose(match):
            return match.group(2) if match.group(1).lower().startswith(prefix) else ""

        return _MLANG.sub(choose, _multilang_keep(raw, prefix))

    return keep("zh"), keep("en")


def _plain_answer(raw: str) -> tuple[str, str]:
    """
    Return the Chinese and English text of an answer Moodle keeps as plain text (a short
    answer, a matching answer); multilang spans in it are HTML, as Moodle's filter reads them.
    """
    chinese, english = _languages(raw)
    if (chinese, english) == (raw, ""):
        return _clean_lines(raw), ""
    return html_to_text(chinese)[0], html_to_text(english)[0]


def _rich_text(raw: str, is_html: bool, problems: _Problems, field_name: str) -> tuple[str, str]:
    chinese, english = _languages(raw)
    if not is_html:
        return _clean_lines(chinese), _clean_lines(english)
    chinese, image = html_to_text(chinese)
    english, image_en = html_to_text(english)
    if image or image_en or "@@PLUGINFILE@@" in raw:
        problems.warning(field_name, _("Images and attached files are not imported."))
    return chinese, english


# XLSX -------------------------------------------------------------------------------------------

_TYPE_ALIASES = {
    "single": SINGLE, "single choice": SINGLE, "单选": SINGLE, "单选题": SINGLE,
    "multiple": MULTIPLE, "multiple choice": MULTIPLE, "多选": MULTIPLE, "多选题": MULTIPLE,
    "true_false": TRUE_FALSE, "truefalse": TRUE_FALSE, "true/false": TRUE_FALSE,
    "判断": TRUE_FALSE, "判断题": TRUE_FALSE,
    "ordering": ORDERING, "排序": ORDERING, "排序题": ORDERING,
    "numeric": NUMERIC, "numerical": NUMERIC, "数值": NUMERIC, "数值题": NUMERIC,
    "short_answer": SHORT_ANSWER, "short answer": SHORT_ANSWER, "shortanswer": SHORT_ANSWER,
    "填空": SHORT_ANSWER, "填空题": SHORT_ANSWER,
    "matching": MATCHING, "match": MATCHING, "配对": MATCHING, "配对题": MATCHING,
    "匹配": MATCHING, "匹配题": MATCHING, "连线题": MATCHING,
}  # fmt: skip
_DIFFICULTY = {
    "1": 1, "easy": 1, "易": 1, "容易": 1, "简单": 1,
    "2": 2, "medium": 2, "中": 2, "中等": 2,
    "3": 3, "hard": 3, "难": 3, "困难": 3,
}  # fmt: skip
_PARTIAL = {
    "all_or_nothing": ALL_OR_NOTHING, "全对得分": ALL_OR_NOTHING, "全对才得分": ALL_OR_NOTHING,
    "proportional": PROPORTIONAL, "按比例": PROPORTIONAL, "按比例得分": PROPORTIONAL,
}  # fmt: skip
_TRUE = {"true", "t", "yes", "y", "1", "对", "正确", "是", "√", "✓"}
_FALSE = {"false", "f", "no", "n", "0", "错", "错误", "否", "×", "✗"}

XLSX_REQUIRED = ("category", "type", "question", "correct")
XLSX_COLUMNS = (
    "category",
    "type",
    "difficulty",
    "question",
    "question_en",
    "correct",
    "tolerance",
    "points",
    "partial_credit",
    "explanation",
    "explanation_en",
    "tags",
    "ref",
    # Added for what Moodle banks carry; a sheet without them reads as before.
    "case_sensitive",
    "numeric_answers",
    "correct_feedback",
    "correct_feedback_en",
    "partial_feedback",
    "partial_feedback_en",
    "incorrect_feedback",
    "incorrect_feedback_en",
)
# Per option: option_N and option_N_en first, then (after the question's columns) these.
OPTION_EXTRAS = ("_match", "_match_en", "_grade", "_feedback", "_feedback_en")
_OPTION_COLUMN = re.compile(r"^option_(\d+)(_en|_match|_match_en|_grade|_feedback|_feedback_en)?$")
_XLSX_FIELDS = {
    "category": "category",
    "text": "question",
    "options": "option_{n}",
    "correct": "correct",
    "true_false_answer": "correct",
    "numeric_answer": "correct",
    "source_ref": "ref",
    "tags": "tags",
    "matches": "option_{n}_match",
}


def xlsx_columns(option_count: int = MIN_OPTION_COLUMNS, *, number: str | None = None) -> list[str]:
    """
    Return the header of the questions sheet, in the order the export writes it: the simple
    columns first (what a trainer fills in for a choice question), then those of Moodle's
    grades and feedback. With `number` ("N"), each option column is named once, as option_N.
    """
    numbers = [number] if number else range(1, max(option_count, MIN_OPTION_COLUMNS) + 1)
    options, extras = [], []
    for n in numbers:
        options += [f"option_{n}", f"option_{n}_en"]
        extras += [f"option_{n}{suffix}" for suffix in OPTION_EXTRAS]
    head, tail = list(XLSX_COLUMNS[:5]), list(XLSX_COLUMNS[5:])
    return [*head, *options, *tail, *extras]


def _xlsx_read(content: bytes, bank: ParsedBank) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise BankFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        if SHEET in names:
            sheet = workbook[names[SHEET]]
        else:
            others = [n for n in workbook.sheetnames if n.lower() != README_SHEET.lower()]
            if not others:
                raise BankFileError(_('The workbook has no sheet named "questions".'))
            sheet = workbook[others[0]]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise BankFileError(_("The questions sheet is empty: its first row names the columns."))
    header = [_text(h).lower().replace(" ", "_") for h in rows[0]]
    columns: dict[str, int] = {}
    options: dict[int, dict[str, int]] = {}
    unknown = []
    for index, name in enumerate(header):
        if not name:
            continue
        option = _OPTION_COLUMN.match(name)
        if option:
            options.setdefault(int(option.group(1)), {})[option.group(2) or ""] = index
        elif name in XLSX_COLUMNS:
            columns[name] = index
        else:
            unknown.append(name)
    missing = [c for c in XLSX_REQUIRED if c not in columns]
    if missing:
        raise BankFileError(
            _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    for name in unknown:
        # A misspelt column would otherwise be dropped without a word.
        bank.errors.append(ItemError(1, "", name, _("Unknown column %(name)s.") % {"name": name}))
    for number, values in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue

        def cell(name, values=values):
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        def option_cell(n, suffix, values=values):
            index = options.get(n, {}).get(suffix)
            return values[index] if index is not None and index < len(values) else None

        _xlsx_row(bank, number, cell, option_cell, sorted(options))


def _xlsx_row(bank, number, cell, option_cell, option_numbers) -> None:
    label = _text(cell("ref")) or _text(cell("question"))
    problems = _Problems(bank, number, label)
    item = _new_item(number, _category_path(_text(cell("category"))) or bank.default_category)
    kind_text = _text(cell("type"))
    item["kind"] = _TYPE_ALIASES.get(kind_text.lower(), "")
    if not kind_text:
        problems.error("type", _("This column is required."))
    elif not item["kind"]:
        problems.error(
            "type",
            _(
                "Unknown question type %(value)s: use single, multiple, true_false, ordering, "
                "numeric, short_answer or matching."
            )
            % {"value": kind_text},
        )
    difficulty = _text(cell("difficulty"))
    if difficulty:
        item["difficulty"] = _DIFFICULTY.get(difficulty.lower(), 0)
        if not item["difficulty"]:
            problems.error(
                "difficulty",
                _("Unknown difficulty %(value)s: use 1 (easy), 2 (medium) or 3 (hard).")
                % {"value": difficulty},
            )
    item["text"] = _text(cell("question"))
    item["text_en"] = _text(cell("question_en"))
    item["explanation"] = _text(cell("explanation"))
    item["explanation_en"] = _text(cell("explanation_en"))
    item["tags"] = _tags(cell("tags"))
    item["source_ref"] = _text(cell("ref"))
    item["points"] = _points(cell("points"), problems, "points")

    texts, extras = [], []
    last_filled = 0
    for n in option_numbers:
        text, text_en = _text(option_cell(n, "")), _text(option_cell(n, "_en"))
        match, match_en = _text(option_cell(n, "_match")), _text(option_cell(n, "_match_en"))
        grade, note = _text(option_cell(n, "_grade")), _text(option_cell(n, "_feedback"))
        note_en = _text(option_cell(n, "_feedback_en"))
        if not (text or text_en or match or match_en) and (grade or note or note_en):
            problems.error(
                f"option_{n}",
                _("Option %(n)s has a grade or feedback but no text.") % {"n": n},
            )
        if text or text_en or match or match_en:
            if n != last_filled + 1:
                problems.error(
                    f"option_{n}",
                    _(
                        "Option %(n)s is filled but option %(gap)s is empty: fill the options "
                        "from option_1 on, without gaps."
                    )
                    % {"n": n, "gap": last_filled + 1},
                )
            last_filled = n
            # A matching question's pair without an item is an extra wrong answer.
            if not text and item["kind"] != MATCHING:
                problems.error(
                    f"option_{n}",
                    _("Option %(n)s has only an English text.") % {"n": n},
                )
            texts.append((text, text_en))
            extras.append((n, match, match_en, grade, note, note_en))
    _xlsx_extras(item, extras, cell, problems)

    partial = _text(cell("partial_credit"))
    if partial:
        item["partial_credit"] = _PARTIAL.get(partial.lower(), "")
        if not item["partial_credit"]:
            problems.error(
                "partial_credit",
                _("Unknown partial credit rule %(value)s: use all_or_nothing or proportional.")
                % {"value": partial},
            )
        elif item["partial_credit"] == PROPORTIONAL and item["kind"] not in PARTIAL_CREDIT_KINDS:
            problems.error(
                "partial_credit",
                _(
                    "Partial credit applies to multiple choice, ordering and matching questions "
                    "only."
                ),
            )
    tolerance = _text(cell("tolerance"))
    if tolerance:
        if item["kind"] != NUMERIC:
            problems.error("tolerance", _("Tolerance applies to numeric questions only."))
        else:
            value = _number(cell("tolerance"), problems, "tolerance", _("Tolerance"))
            if value is not None and value < 0:
                problems.error("tolerance", _("The tolerance cannot be negative."))
            elif value is not None:
                item["tolerance"] = value

    _xlsx_answer(item, cell("correct"), texts, problems)
    _item_check(item, problems, _XLSX_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _xlsx_extras(item, extras, cell, problems) -> None:
    """
    Read the columns of Moodle's grades and feedback: per option its matching answer, grade
    and feedback; per question the letter case rule, the further numeric answers and the
    feedback by outcome. A column filled for a kind that has no use for it is an error, never
    dropped without a word.
    """
    kind = item["kind"]
    for name in FEEDBACKS:
        for suffix in ("", "_en"):
            item[f"{name}_feedback{suffix}"] = _text(cell(f"{name}_feedback{suffix}"))
    case = _text(cell("case_sensitive"))
    if case:
        if case.lower() in _TRUE:
            item["case_sensitive"] = True
        elif case.lower() not in _FALSE:
            problems.error(
                "case_sensitive",
                _("Write TRUE or FALSE (or 对 / 错), not %(value)s.") % {"value": case},
            )
        if item["case_sensitive"] and kind != SHORT_ANSWER:
            problems.error(
                "case_sensitive", _("Letter case applies to short answer questions only.")
            )
    further = _text(cell("numeric_answers"))
    if further:
        if kind != NUMERIC:
            problems.error(
                "numeric_answers", _("Further numeric answers apply to numeric questions only.")
            )
        else:
            item["numeric_answers"] = _numeric_answers_read(further, problems)
    grades = []
    for n, match, match_en, grade, note, note_en in extras:
        if (match or match_en) and kind != MATCHING:
            problems.error(
                f"option_{n}_match", _("Matching answers apply to matching questions only.")
            )
        if (note or note_en) and kind not in GRADED_KINDS:
            problems.error(
                f"option_{n}_feedback",
                _(
                    "Option feedback applies to single choice, multiple choice and short "
                    "answer questions only."
                ),
            )
        if grade and kind not in GRADED_KINDS:
            problems.error(
                f"option_{n}_grade",
                _(
                    "Option grades apply to single choice, multiple choice and short answer "
                    "questions only."
                ),
            )
        grades.append(_grade(grade, problems, f"option_{n}_grade") if grade else None)
        item["matches"].append((match, match_en))
        item["option_feedback"].append((note, note_en))
    if kind in GRADED_KINDS and any(g is not None for g in grades):
        # A short answer's blank grade is full marks; a choice option's is none.
        blank = Decimal(1) if kind == SHORT_ANSWER else Decimal(0)
        item["fractions"] = [blank if g is None else g for g in grades]
        if kind == SINGLE and all(f in (0, 1) for f in item["fractions"]):
            item["fractions"] = None  # the correct column says the same


def _grade(value: str, problems, field_name) -> Decimal | None:
    """Read a grade in percent ("50", "50%", "-33.33333") as Moodle's fraction."""
    number = _decimal(value.rstrip("%").strip())
    if number is None:
        problems.error(
            field_name,
            _("Grade %(value)s is not a number: give a percent, e.g. 50 or -25.")
            % {"value": value},
        )
        return None
    return (number / 100).quantize(FRACTION_PLACES)


def _numeric_answers_read(text: str, problems) -> list[dict]:
    """
    Read further numeric answers: one a line (or separated by ;) as VALUE:TOLERANCE=GRADE%,
    VALUE * for any number, then # and the feedback, and | and its English; or, as the export
    writes feedback with those characters, the JSON list the question editor shows.
    """
    field_name = "numeric_answers"
    if text.startswith("["):
        try:
            entries = json.loads(text)
        except ValueError:
            problems.error(field_name, _("The further answers are not a readable JSON list."))
            return []
        messages = numeric_answers_problems(entries)
        for message in messages:
            problems.error(field_name, message)
        if messages:
            return []
        return [
            numeric_answer_entry(
                e["value"],
                e.get("tolerance"),
                e["fraction"],
                e.get("feedback") or "",
                e.get("feedback_en") or "",
            )
            for e in entries
        ]
    entries = []
    for line in (p.strip() for p in re.split(r"[\n;；]", text)):
        if not line:
            continue
        spec, _sep, note = line.partition("#")
        note, _sep, note_en = note.partition("|")
        answer, equals, grade = spec.partition("=")
        value_text, _sep, tolerance_text = answer.partition(":")
        value_text, tolerance_text = value_text.strip(), tolerance_text.strip() or "0"
        value = None if value_text == "*" else _decimal(value_text)
        tolerance, fraction = _decimal(tolerance_text), _decimal(grade.rstrip().rstrip("%"))
        if not equals or (value is None and value_text != "*") or None in (tolerance, fraction):
            problems.error(
                field_name,
                _("Write each further answer as VALUE:TOLERANCE=GRADE%%, e.g. 9:0.5=50%%, not "
                  "%(value)s.") % {"value": line[:40]},
            )  # fmt: skip
            return []
        entries.append(
            numeric_answer_entry(
                value, tolerance, (fraction / 100).quantize(FRACTION_PLACES), note.strip(),
                note_en.strip(),
            )
        )  # fmt: skip
    for message in numeric_answers_problems(entries):
        problems.error(field_name, message)
    return entries


def _numeric_answers_text(entries: list[dict]) -> str:
    """The further numeric answers as `_numeric_answers_read` reads them back."""
    notes = [e.get(k, "") for e in entries for k in ("feedback", "feedback_en")]
    if any(re.search(r"[#|;；\n=]", note) or note != note.strip() for note in notes):
        return json.dumps(entries, ensure_ascii=False)
    lines = []
    for entry in entries:
        value = "*" if entry["value"] is None else entry["value"]
        grade = _percent_text(Decimal(entry["fraction"]) * 100)
        line = f"{value}:{entry['tolerance']}={grade}%"
        if entry.get("feedback") or entry.get("feedback_en"):
            line += f"#{entry.get('feedback', '')}"
            if entry.get("feedback_en"):
                line += f"|{entry['feedback_en']}"
        lines.append(line)
    return "\n".join(lines)


def _option_numbers(value, count, problems) -> list[int] | None:
    """Read "1,3" or "A,C" as option numbers; None (and an error) when a token is no option."""
    tokens = [t for t in re.split(r"[\s,，、;；]+", _text(value)) if t]
    numbers = []
    for token in tokens:
        if token.isdigit():
            number = int(token)
        elif len(token) == 1 and token.isalpha() and token.isascii():
            number = ord(token.upper()) - ord("A") + 1
        else:
            number = 0
        if not 1 <= number <= count:
            problems.error(
                "correct",
                _("%(value)s is not one of the options (1 to %(count)s, or A, B, …).")
                % {"value": token, "count": count},
            )
            return None
        numbers.append(number)
    return numbers


def _xlsx_answer(item, value, texts, problems) -> None:
    kind, text = item["kind"], _text(value)
    if kind in (SINGLE, MULTIPLE, ORDERING, SHORT_ANSWER, MATCHING) and not texts:
        return  # the rules of the kind say that options are missing
    if kind in (SHORT_ANSWER, MATCHING):
        if text:
            problems.error(
                "correct",
                _("Leave correct blank: a short answer's options are its accepted answers "
                  "(grades in option_N_grade, blank is 100%), a matching question's answers "
                  "go in option_N_match."),
            )  # fmt: skip
        item["options"] = [(t, te, False) for t, te in texts]
    elif kind in (SINGLE, MULTIPLE) and item["fractions"] is not None:
        # Graded options: the grades decide which are right; a correct column must agree.
        item["options"] = [(t, te, False) for t, te in texts]
        flags = item_normalize(item)["options"]
        if text:
            numbers = _option_numbers(value, len(texts), problems)
            right = {n for n, o in enumerate(flags, start=1) if o[2]}
            if numbers is not None and set(numbers) != right:
                problems.error(
                    "correct",
                    _("The correct options (%(given)s) are not those the grades make right "
                      "(%(right)s): leave correct blank or make them agree.")
                    % {"given": text, "right": ",".join(map(str, sorted(right))) or "—"},
                )  # fmt: skip
        item["options"] = flags
    elif kind in (SINGLE, MULTIPLE):
        if not text:
            problems.error("correct", _("Give the correct option number(s), e.g. 2 or 1,3."))
            return
        numbers = _option_numbers(value, len(texts), problems)
        if numbers is not None:
            right = set(numbers)
            item["options"] = [(t, te, n in right) for n, (t, te) in enumerate(texts, start=1)]
    elif kind == ORDERING:
        if not text:
            item["options"] = [(t, te, False) for t, te in texts]
            return
        numbers = _option_numbers(value, len(texts), problems)
        if numbers is None:
            return
        if sorted(numbers) != list(range(1, len(texts) + 1)):
            problems.error(
                "correct",
                _("List every option number once, in the right order, e.g. 2,1,3."),
            )
            return
        item["options"] = [(*texts[n - 1], False) for n in numbers]
    elif kind == TRUE_FALSE:
        item["options"] = [(t, te, False) for t, te in texts]
        if isinstance(value, bool):
            item["true_false_answer"] = value
        elif text.lower() in _TRUE:
            item["true_false_answer"] = True
        elif text.lower() in _FALSE:
            item["true_false_answer"] = False
        else:
            problems.error(
                "correct", _("Write TRUE or FALSE (or 对 / 错), not %(value)s.") % {"value": text}
            )
    elif kind == NUMERIC:
        item["options"] = [(t, te, False) for t, te in texts]
        if not text:
            problems.error("correct", _("A numeric question needs its numeric answer."))
            return
        item["numeric_answer"] = _number(value, problems, "correct", _("Answer"))


def _answer_text(item) -> str:
    kind = item["kind"]
    if kind in (SHORT_ANSWER, MATCHING):
        return ""
    if kind in (SINGLE, MULTIPLE):
        return ",".join(str(n) for n, o in enumerate(item["options"], start=1) if o[2])
    if kind == ORDERING:
        return ",".join(str(n) for n in range(1, len(item["options"]) + 1))
    if kind == TRUE_FALSE:
        return "TRUE" if item["true_false_answer"] else "FALSE"
    return _plain_number(item["numeric_answer"])


def _plain_number(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number.normalize(), "f")


_README = [
    (
        "category",
        "必填。题库分类，多级用“/”分隔，如“三包政策/手机”；不存在的分类会自动创建。",
        'Required. Category path, levels separated by "/", e.g. 三包政策/手机; missing '
        "categories are created.",
        "三包政策/手机",
    ),
    (
        "type",
        "必填。题型：single 单选、multiple 多选、true_false 判断、ordering 排序、numeric 数值、"
        "short_answer 填空、matching 配对；也可写“单选、多选、判断、排序、数值、填空、配对”。",
        "Required. single, multiple, true_false, ordering, numeric, short_answer or matching (or "
        "单选, 多选, 判断, 排序, 数值, 填空, 配对).",
        "single",
    ),
    (
        "type: short_answer, matching",
        "填空题 short_answer：选项即可接受的答案，“*”代表任意字符（写“\\*”表示星号本身），"
        "答对得该答案的分值（option_N_grade，留空为 100%）；配对题 matching：option_N 写题项，"
        "option_N_match 写与之配对的答案，题项留空的一行是多出的干扰答案；也可写“填空、配对”。",
        "short_answer: the options are the accepted answers, * standing for any characters (\\* "
        "for a star itself), each earning its grade (option_N_grade, blank is 100%); matching: "
        "option_N is an item, option_N_match the answer it matches, and a row of answer only "
        "is an extra wrong answer (or 填空, 配对).",
        "short_answer",
    ),
    (
        "difficulty",
        "难度：1 易、2 中、3 难；留空为 2。",
        "Difficulty: 1 easy, 2 medium, 3 hard; blank means 2.",
        "2",
    ),
    (
        "question",
        "必填。题目（中文）。",
        "Required. The question (Chinese).",
        "三包有效期从哪天起算？",
    ),
    (
        "question_en",
        "题目英文，可留空。",
        "The question in English; may be blank.",
        "From which day does the warranty period start?",
    ),
    (
        "option_1 … option_6",
        "选项，从 option_1 起连续填写，每项最多 500 字。单选、多选至少 2 项；排序题至少 2 项，"
        "顺序可打乱，正确顺序写在 correct。判断题、数值题不填选项。需要更多选项时可加 option_7、"
        "option_7_en 等列。",
        "Options, filled from option_1 on without gaps, at most 500 characters each. Single and "
        "multiple choice need at least 2; ordering at least 2, in any order (the right order goes "
        "in correct). True/false and numeric questions have no options. Add option_7, "
        "option_7_en and so on for more.",
        "开具发票之日",
    ),
    (
        "option_1_en … option_6_en",
        "选项英文，可留空。",
        "The options in English; may be blank.",
        "The date of the invoice",
    ),
    (
        "correct",
        "必填。单选：正确选项的序号，如 2（也可写字母 B）；多选：如 1,3；排序：按正确顺序列出全部"
        "选项序号，如 2,1,3（留空表示选项已按正确顺序填写）；判断：TRUE 或 FALSE（也可写 对/错）；"
        "数值：正确数值。填空题、配对题留空；单选、多选填了 option_N_grade 时可留空。",
        "Required. Single: the number of the right option, e.g. 2 (or its letter, B); multiple: "
        "e.g. 1,3; ordering: every option number in the right order, e.g. 2,1,3 (blank: the "
        "options are already in the right order); true/false: TRUE or FALSE (or 对 / 错); "
        "numeric: the number. Blank for short answer and matching, and may be blank for single "
        "and multiple choice graded in option_N_grade.",
        "1,3",
    ),
    (
        "tolerance",
        "仅数值题：允许误差（±），留空为 0。",
        "Numeric questions only: the tolerance (±); blank means 0.",
        "0.5",
    ),
    (
        "points",
        "分值，留空为 1，最多两位小数。",
        "Points; blank means 1; at most two decimals.",
        "2",
    ),
    (
        "partial_credit",
        "仅多选、排序、配对：all_or_nothing 全对才得分（默认）；proportional 按比例："
        "多选每选对一项得相应分、每选错一项扣相应分，最低 0 分；排序按位置正确的项数得分；"
        "配对按配对正确的题项数得分（Moodle 的配对题即如此）。",
        "Multiple choice, ordering and matching only: all_or_nothing (default) or proportional: "
        "each right choice earns its share and each wrong one takes a share away, never below 0; "
        "for ordering, each option in its right place earns its share; for matching, each item "
        "rightly matched (as Moodle scores matching).",
        "proportional",
    ),
    (
        "explanation",
        "解析，交卷后复习时显示。",
        "Explanation, shown when reviewing the answers.",
        "依据《移动电话机商品修理更换退货责任规定》。",
    ),
    ("explanation_en", "解析英文，可留空。", "The explanation in English; may be blank.", ""),
    ("tags", "标签，用逗号分隔。", "Tags, separated by commas.", "三包, 前台接待"),
    (
        "ref",
        "题目编号，同一分类内唯一。再次导入时按编号找到并更新原题；没有编号时按分类和题目文字查找。",
        "The question's reference, unique in its category. Re-importing finds and updates the "
        "question by it; without one, by category and question text.",
        "SB-001",
    ),
    (
        "case_sensitive",
        "仅填空题：TRUE 表示区分大小写（“ABC”与“abc”不同）；留空为不区分。",
        "Short answer only: TRUE when letter case matters (“ABC” and “abc” differ); blank: it "
        "does not.",
        "TRUE",
    ),
    (
        "numeric_answers",
        "仅数值题：另外可接受的答案，每行一个，写作 数值:误差=得分%，* 代表任意数值，"
        "# 后写反馈，| 后写英文反馈；如 9:0.5=50%#那是快充。",
        "Numeric only: further accepted answers, one a line, as VALUE:TOLERANCE=GRADE%, * for any "
        "number, then # and the feedback and | and its English, e.g. 9:0.5=50%#That is fast "
        "charging.",
        "9:0.5=50%#那是快充|That is fast charging",
    ),
    (
        "correct_feedback, partial_feedback, incorrect_feedback (_en)",
        "复习时按结果显示的反馈：答对、部分答对、答错；_en 为英文。",
        "The feedback shown in the review by outcome: right, partly right, wrong; _en for English.",
        "回答正确。",
    ),
    (
        "option_N_match, option_N_match_en",
        "仅配对题：与 option_N 配对的答案（中文、英文）。",
        "Matching only: the answer that option_N matches (Chinese, English).",
        "7日",
    ),
    (
        "option_N_grade",
        "单选、多选、填空：该选项的得分百分比，如 100、50、-50（Moodle 的分值）。"
        "单选、多选填了分值时按分值计分，分值大于 0 的选项为正确选项；填空留空为 100。",
        "Single, multiple choice and short answer: the option's grade in percent, e.g. 100, 50, "
        "-50 (Moodle's grades). Graded choice questions score by the grades, the options above 0 "
        "being the right ones; a short answer's blank grade is 100.",
        "50",
    ),
    (
        "option_N_feedback, option_N_feedback_en",
        "单选、多选、填空：选了（或填了）该选项时复习中显示的反馈。",
        "Single, multiple choice and short answer: the feedback shown in the review for this "
        "answer.",
        "那是换货期限",
    ),
]
_README_NOTES = [
    "每行一道题。先上传做检查（试运行），会列出每个有问题的行和原因；有任何错误时整份文件都不导入。",
    "One question per row. Upload to check first (a dry run): it lists every bad row and why. "
    "A file with any error imports nothing.",
    "再次导入同一文件不会产生重复题目：相同的题目保持不变，修改过的题目更新并生成新版本。",
    "Importing the same file again makes no duplicates: unchanged questions stay as they are, "
    "changed ones are updated and get a new version.",
]


def bank_export_xlsx(items: list[dict]) -> bytes:
    """Return an XLSX workbook of `items` in the format `bank_parse` reads, with its README."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from core.spreadsheets import xlsx_append

    option_count = max([len(i["options"]) for i in items] or [0])
    header = xlsx_columns(option_count)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for item in items:
        item = item_normalize(item)
        row = {
            "category": "/".join(n.replace("/", "//") for n in item["category"]),
            "type": item["kind"],
            "difficulty": item["difficulty"],
            "question": item["text"],
            "question_en": item["text_en"],
            "correct": _answer_text(item),
            "tolerance": _plain_number(item["tolerance"]) if item["tolerance"] else "",
            "points": _plain_number(item["points"]),
            "partial_credit": item["partial_credit"]
            if item["partial_credit"] != ALL_OR_NOTHING
            else "",
            "explanation": item["explanation"],
            "explanation_en": item["explanation_en"],
            "tags": ", ".join(item["tags"]),
            "ref": item["source_ref"],
            "case_sensitive": "TRUE" if item["case_sensitive"] else "",
            "numeric_answers": _numeric_answers_text(item["numeric_answers"]),
            **{
                f"{name}_feedback{suffix}": item[f"{name}_feedback{suffix}"]
                for name in FEEDBACKS
                for suffix in ("", "_en")
            },
        }
        count = len(item["options"])
        fractions = item["fractions"] or [None] * count
        notes = item["option_feedback"] or [("", "")] * count
        matches = item["matches"] or [("", "")] * count
        for n, ((text, text_en, _c), fraction, note, match) in enumerate(
            zip(item["options"], fractions, notes, matches, strict=True), start=1
        ):
            row[f"option_{n}"] = text
            row[f"option_{n}_en"] = text_en
            row[f"option_{n}_match"], row[f"option_{n}_match_en"] = match
            row[f"option_{n}_feedback"], row[f"option_{n}_feedback_en"] = note
            if fraction is not None and not (item["kind"] == SHORT_ANSWER and fraction == 1):
                row[f"option_{n}_grade"] = _percent_text(fraction * 100)
        # Written as text: Excel would turn "1,3" into a number and drop a numeric answer's zeros.
        xlsx_append(sheet, [row.get(name, "") for name in header])
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 40 if name.startswith("question") else 16
    kinds = DataValidation(
        type="list", formula1=f'"{",".join(KINDS)}"', allow_blank=True, showErrorMessage=False
    )
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{max(len(items) + 1, 1000)}")

    readme = workbook.create_sheet(README_SHEET)
    for note in _README_NOTES:
        readme.append([note])
    readme.append([])
    readme.append(["column / 列", "说明", "Description", "example / 示例"])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for row in _README:
        readme.append(list(row))
    for letter, width in (("A", 26), ("B", 60), ("C", 60), ("D", 30)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Moodle XML -------------------------------------------------------------------------------------

_MOODLE_FIELDS = {
    "category": "category",
    "text": "questiontext",
    "options": "answer",
    "correct": "answer",
    "true_false_answer": "answer",
    "numeric_answer": "answer",
    "source_ref": "name",
    "tags": "tags",
    "matches": "subquestion",
}
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.S)


def _decode(content: bytes, what: str, bank: ParsedBank | None = None) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if what != "gift":
            raise BankFileError(
                _("The file is not UTF-8 text: Moodle exports its XML in UTF-8.")
            ) from None
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _looks_garbled(text):
        return text
    # Nearly any bytes decode as GB18030; Western text saved by Windows (é, “ ”, –) comes out as
    # rare characters no Chinese bank uses. Such a file is read as Windows-1252 and said so.
    try:
        western = content.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is None or not _looks_western(western):
        # Chinese with many characters outside everyday use (traditional script, names).
        if text is not None:
            return text
        raise BankFileError(_("The file is not UTF-8 or GB18030 text."))
    if bank is not None:
        bank.warnings.append(
            ItemError(
                0,
                "",
                "file",
                _("The file was read as Windows-1252 (Western European) text; save it as "
                  "UTF-8 if its letters look wrong."),
            )
        )  # fmt: skip
    return western


def _looks_western(text: str) -> bool:
    """
    Whether Windows-1252-decoded text reads as Western European: its accented letters stand
    alone inside words (café, Müller), where Chinese read this way gives runs of symbols (Èý°ü),
    two bytes for every character.
    """
    high = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    if not high:
        return True
    in_runs = sum(
        1
        for i in high
        if (i > 0 and ord(text[i - 1]) > 0x7F) or (i + 1 < len(text) and ord(text[i + 1]) > 0x7F)
    )
    return in_runs * 2 < len(high)


def _looks_garbled(text: str) -> bool:
    """Whether GB18030-decoded text is mostly characters outside everyday Chinese (GB2312)."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return False
    rare = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare * 3 > len(wide)


def _moodle_read(content: bytes, bank: ParsedBank) -> None:
    text = _decode(content, "moodle")
    # Entity declarations are how an XML file expands to gigabytes or reads server files: a
    # question bank never needs them. The check runs on the decoded text, which is also what is
    # parsed (as UTF-8 whatever the file declares), so no other encoding can hide one.
    # Text inside CDATA is question text (a question may quote "<!DOCTYPE html>"), never markup.
    if _DECLARATION.search(_CDATA.sub("", text)) or "\x00" in text:
        raise BankFileError(_("The file declares a DOCTYPE or entities; they are refused."))
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DOCTYPE or ENTITY can reach the parser
    except ET.ParseError as exc:
        message = _("The file is not well-formed XML: %(error)s.") % {"error": exc}
        raise BankFileError(message) from exc
    if root.tag != "quiz":
        raise BankFileError(_("This is not a Moodle XML question file: it must start with <quiz>."))
    category: tuple[str, ...] = bank.default_category
    number = 0
    for element in root:
        if element.tag != "question":
            continue
        kind = element.get("type", "")
        if kind == "category":
            category = _moodle_category(_child_text(element, "category/text")) or (
                bank.default_category
            )
            continue
        number += 1
        _moodle_question(bank, element, kind, number, category)


def _child_text(element, path) -> str:
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _moodle_rich(element, path, problems, field_name) -> tuple[str, str]:
    """Return the Chinese and English text of a Moodle text element (<questiontext> …)."""
    container = element.find(path)
    if container is None:
        return "", ""
    if container.find("file") is not None:
        problems.warning(field_name, _("Images and attached files are not imported."))
    raw = _child_text(container, "text")
    is_html = container.get("format", "html") in ("html", "moodle_auto_format")
    return _rich_text(raw, is_html, problems, field_name)


_MOODLE_KINDS = ("multichoice", "truefalse", "numerical", "ordering", "shortanswer", "matching")
_MOODLE_CALCULATED = ("calculated", "calculatedsimple", "calculatedmulti")


def _unsupported_reason(kind: str) -> str:
    """Why a Moodle question type is left out, in words a trainer understands."""
    if kind == "essay":
        return _(
            "an essay needs a trainer to read and grade it; on this platform trainers assess "
            "such work through practical assessments."
        )
    if kind == "description":
        return _("a description is text without a question: there is nothing to answer or score.")
    if kind in ("cloze", "multianswer"):
        return _(
            "embedded answers (cloze) put several questions inside one text, which the "
            "questions of this platform cannot hold."
        )
    if kind in _MOODLE_CALCULATED:
        return _(
            "a calculated question draws new numbers from a formula for each attempt, which "
            "this platform does not do; a numeric question with a fixed answer can replace it."
        )
    if kind == "randomsamatch":
        return _(
            "a random short-answer matching question is built from other questions at each "
            "attempt; import those short answer questions, or write a matching question."
        )
    if kind == "random":
        return _(
            "a random question is a quiz's placeholder that draws from a category; exams here "
            "draw their questions from their categories themselves."
        )
    if kind in ("ddwtos", "gapselect"):
        return _(
            "its answers are dragged or chosen into gaps in the text, which the questions of "
            "this platform cannot hold."
        )
    if kind in ("ddimageortext", "ddmarker"):
        return _("it is answered on an image, and images are not imported.")
    return _("this platform has no question type like it.")


# Moodle has no difficulty; a tag "difficulty:1" (easy), 2 (medium) or 3 (hard) carries ours.
_DIFFICULTY_TAG = re.compile(r"^difficulty:\s*([123])$", re.I)
# qtype_ordering's <gradingtype>: -1 is all or nothing; every other rule gives partial credit.
_ORDERING_ALL_OR_NOTHING = "-1"


def _moodle_question(bank, element, kind, number, category) -> None:
    name = _child_text(element, "name/text").strip()
    problems = _Problems(bank, number, name)
    if kind not in _MOODLE_KINDS:
        problems.skip(
            "type",
            _("Question type %(type)s is not imported: %(reason)s")
            % {"type": kind or "?", "reason": _unsupported_reason(kind)},
        )
        return
    item = _new_item(number, category)
    item["text"], item["text_en"] = _moodle_rich(element, "questiontext", problems, "questiontext")
    item["explanation"], item["explanation_en"] = _moodle_rich(
        element, "generalfeedback", problems, "generalfeedback"
    )
    # Moodle question names are names, not keys (two "Question 1" are common); the idnumber is
    # the reference, and without one the question is found again by its text.
    item["source_ref"] = _child_text(element, "idnumber").strip()
    hidden = _child_text(element, "hidden").strip().lower()
    if hidden:
        # A question hidden in Moodle's bank is kept out of new quizzes: here it is inactive.
        item["active"] = hidden not in ("1", "true")
    tags = {t.text.strip() for t in element.findall("tags/tag/text") if t.text and t.text.strip()}
    for tag in sorted(tags):
        difficulty = _DIFFICULTY_TAG.match(tag)
        if difficulty:
            item["difficulty"] = int(difficulty.group(1))
            tags.discard(tag)
    item["tags"] = sorted(tags)
    grade = _child_text(element, "defaultgrade").strip()
    if grade:
        item["points"] = _points(grade, problems, "defaultgrade")
    answers = []
    feedbacks = []
    for answer in element.findall("answer"):
        try:
            fraction = Decimal(answer.get("fraction", "0"))
        except InvalidOperation:
            problems.error(
                "answer",
                _("Answer fraction %(value)r is not a number.") % {"value": answer.get("fraction")},
            )
            return
        raw = _child_text(answer, "text")
        is_html = answer.get("format", "plain_text") in ("html", "moodle_auto_format")
        if kind == "shortanswer":
            # Moodle compares the typed text with the answer as it is written: plain text.
            text, text_en = _plain_answer(raw)
            if not text and not text_en:
                continue  # Moodle's form leaves blank answers out
        else:
            text, text_en = _rich_text(raw, is_html, problems, "answer")
        answers.append((fraction, text, text_en, answer))
        feedbacks.append(_moodle_rich(answer, "feedback", problems, "feedback"))
    for name, tag in (
        ("correct", "correctfeedback"),
        ("partial", "partiallycorrectfeedback"),
        ("incorrect", "incorrectfeedback"),
    ):
        item[f"{name}_feedback"], item[f"{name}_feedback_en"] = _moodle_rich(
            element, tag, problems, tag
        )
    if kind == "multichoice":
        single = _child_text(element, "single").strip().lower() in ("true", "1", "")
        item["kind"] = SINGLE if single else MULTIPLE
        item["options"] = [(t, te, f > 0) for f, t, te, _a in answers]
        item["fractions"] = fractions_of_weights(item["kind"], [f for f, *_rest in answers])
        item["option_feedback"] = feedbacks
    elif kind == "ordering":
        # qtype_ordering lists the items in their right order.
        item["kind"] = ORDERING
        item["options"] = [(t, te, True) for _f, t, te, _a in answers]
        grading = _child_text(element, "gradingtype").strip()
        if grading and grading != _ORDERING_ALL_OR_NOTHING:
            item["partial_credit"] = PROPORTIONAL
    elif kind == "shortanswer":
        item["kind"] = SHORT_ANSWER
        item["case_sensitive"] = _child_text(element, "usecase").strip().lower() in ("1", "true")
        item["options"] = [(t, te, f >= 100) for f, t, te, _a in answers]
        item["fractions"] = [(f / 100).quantize(FRACTION_PLACES) for f, *_rest in answers]
        item["option_feedback"] = feedbacks
    elif kind == "matching":
        item["kind"] = MATCHING
        # Moodle gives each rightly matched item its share of the points.
        item["partial_credit"] = PROPORTIONAL
        for sub in element.findall("subquestion"):
            is_html = sub.get("format", "html") in ("html", "moodle_auto_format")
            text, text_en = _rich_text(_child_text(sub, "text"), is_html, problems, "subquestion")
            match, match_en = _plain_answer(_child_text(sub, "answer/text"))
            if text or text_en or match or match_en:
                item["options"].append((text, text_en, False))
                item["matches"].append((match, match_en))
    elif kind == "truefalse":
        item["kind"] = TRUE_FALSE
        truth = [f for f, t, _te, _a in answers if t.strip().lower() == "true"]
        if not truth:
            problems.error("answer", _("The true/false question has no answer for true."))
        else:
            item["true_false_answer"] = truth[0] > 0
            # The feedback of the right answer is shown when right, the other's when wrong.
            for (_f, text, _te, _a), (note, note_en) in zip(answers, feedbacks, strict=True):
                right = (text.strip().lower() == "true") == item["true_false_answer"]
                name = "correct" if right else "incorrect"
                if note or note_en:
                    item[f"{name}_feedback"], item[f"{name}_feedback_en"] = note, note_en
    else:
        item["kind"] = NUMERIC
        _moodle_numerical(item, element, answers, feedbacks, problems)
    _content_ref_give(item)
    _item_check(item, problems, _MOODLE_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _moodle_numerical(item, element, answers, feedbacks, problems) -> None:
    """
    The first answer graded 100% is the answer (its feedback is the feedback when right); every
    other one is kept with its grade and feedback (Moodle gives a close answer part of the
    points, and "*" stands for any number).
    """
    right = [a for a in answers if a[0] >= 100]
    if not right:
        problems.error("answer", _("A numerical question needs an answer graded 100%."))
        return
    for (fraction, text, _text_en, answer), (note, note_en) in zip(answers, feedbacks, strict=True):
        if not Decimal(0) <= fraction <= Decimal(100):
            problems.error(
                "answer",
                _("Grade %(grade)s%% of a numerical answer is outside 0%% to 100%%.")
                % {"grade": _plain_number(fraction)},
            )
            return
        value = None if text.strip() == "*" else _number(text, problems, "answer", _("Answer"))
        tolerance_text = _child_text(answer, "tolerance").strip()
        tolerance = Decimal(0)
        if tolerance_text:
            tolerance = _number(tolerance_text, problems, "tolerance", _("Tolerance"))
        if problems.count:
            return
        if answer is right[0][3]:
            item["numeric_answer"], item["tolerance"] = value, abs(tolerance)
            if note or note_en:
                item["correct_feedback"], item["correct_feedback_en"] = note, note_en
        else:
            grade = (fraction / 100).quantize(FRACTION_PLACES)
            item["numeric_answers"].append(
                numeric_answer_entry(value, tolerance, grade, note, note_en)
            )
    if item["numeric_answer"] is None:
        problems.error("answer", _("The answer graded 100% cannot be *: give a number."))
    units = [u for u in element.findall("units/unit") if _child_text(u, "unit_name").strip()]
    if units:
        problems.warning("units", _("Units are not imported: only the number is checked."))


# GIFT -------------------------------------------------------------------------------------------

_GIFT_FIELDS = {
    "category": "$CATEGORY",
    "text": "question",
    "options": "answer",
    "correct": "answer",
    "true_false_answer": "answer",
    "numeric_answer": "answer",
    "source_ref": "title",
    "tags": "tags",
    "matches": "answer",
}
# Escaped characters become private-use code points while the structure is read.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\ue007",
}
_UNESCAPE = {
    "\ue000": "\\",
    "\ue001": "~",
    "\ue002": "=",
    "\ue003": "#",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": ":",
    "\ue007": "\n",
}
_GIFT_META = re.compile(r"\[(id|tag):([^\]]+)\]")


def _escape(text: str) -> str:
    for raw, code in _ESCAPES.items():
        text = text.replace(raw, code)
    return text


def _unescape(text: str) -> str:
    for code, char in _UNESCAPE.items():
        text = text.replace(code, char)
    return text


def _gift_read(content: bytes, bank: ParsedBank) -> None:
    text = _decode(content, "gift", bank)
    blocks: list[tuple[list[str], list[str]]] = []
    lines: list[str] = []
    comments: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((lines, comments))
            lines, comments = [], []
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            lines.append(line)
    if lines:
        blocks.append((lines, comments))
    category: tuple[str, ...] = bank.default_category
    number = 0
    for lines, comments in blocks:
        if lines[0].strip().startswith("$CATEGORY:"):
            category = _moodle_category(lines[0].strip()[len("$CATEGORY:") :]) or (
                bank.default_category
            )
            lines = lines[1:]
            if not lines:
                continue
        number += 1
        _gift_question(bank, "\n".join(lines), comments, number, category)


def _gift_split(text: str, markers: str) -> list[str]:
    """Split answers at each marker character (= ~) that starts one."""
    return re.split(f"(?=[{re.escape(markers)}])", text)


def _gift_question(bank, raw, comments, number, category) -> None:
    text = _escape(raw).strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            _Problems(bank, number, text[:40]).error("title", _("The ::title:: is not closed."))
            return
        title, text = _unescape(text[2:end]).strip(), text[end + 2 :].strip()
    problems = _Problems(bank, number, title or _unescape(text)[:40])
    text_format = "moodle"
    format_match = re.match(r"^\[(html|moodle|plain|markdown)\]", text)
    if format_match:
        text_format, text = format_match.group(1), text[format_match.end() :]
    start = text.find("{")
    if start == -1:
        problems.skip(
            "type",
            _("Text without an {answer} is a description, not imported: %(reason)s")
            % {"reason": _unsupported_reason("description")},
        )
        return
    end = text.find("}", start)
    if end == -1:
        problems.error("answer", _("The answer has no closing }."))
        return
    if "{" in text[end + 1 :]:
        problems.error("answer", _("Only one {answer} per question is supported."))
        return
    answer = text[start + 1 : end].strip()
    before, after = text[:start].strip(), text[end + 1 :].strip()
    question_text = f"{before} _____ {after}" if after else before
    general = ""
    if "####" in answer:
        answer, general = answer.split("####", 1)
        answer = answer.strip()

    item = _new_item(number, category)
    is_html = text_format == "html"
    item["text"], item["text_en"] = _rich_text(
        _unescape(question_text), is_html, problems, "question"
    )
    item["explanation"], item["explanation_en"] = _rich_text(
        _unescape(general.strip()), is_html, problems, "feedback"
    )
    meta = _GIFT_META.findall(" ".join(comments))
    ids = [value.strip() for key, value in meta if key == "id"]
    item["source_ref"] = ids[0] if ids else ""
    tags = {value.strip() for key, value in meta if key == "tag"}
    for tag in sorted(tags):
        difficulty = _DIFFICULTY_TAG.match(tag)
        if difficulty:
            item["difficulty"] = int(difficulty.group(1))
            tags.discard(tag)
    item["tags"] = sorted(tags)

    def option_text(value):
        # An answer may carry its own format marker, as the question text may.
        value = value.strip()
        marker = re.match(r"^\[(html|moodle|plain|markdown)\]", value)
        option_html = is_html
        if marker:
            option_html, value = marker.group(1) == "html", value[marker.end() :]
        return _rich_text(_unescape(value.strip()), option_html, problems, "answer")

    if not answer:
        problems.skip(
            "type",
            _("Essay questions ({}) are not imported: %(reason)s")
            % {"reason": _unsupported_reason("essay")},
        )
        return
    # Moodle's order of reading: numeric, choice (any ~), matching, true/false, short answer.
    if answer.startswith("#"):
        item["kind"] = NUMERIC
        _gift_numeric(item, answer[1:].strip(), problems, option_text)
    elif "~" in answer:
        _gift_choice(item, answer, problems, option_text)
    elif "=" in answer and "->" in answer:
        _gift_matching(item, answer, problems, option_text)
    elif answer.partition("#")[0].strip().upper() not in ("T", "TRUE", "F", "FALSE"):
        _gift_short_answer(item, answer, option_text)
    else:
        truth, _sep, feedback = answer.partition("#")
        value = truth.strip().upper()
        item["kind"] = TRUE_FALSE
        item["true_false_answer"] = value in ("T", "TRUE")
        # {TRUE#shown when wrong#shown when right}, as Moodle reads it.
        wrong_note, _sep, right_note = feedback.partition("#")
        for name, note in (("incorrect", wrong_note), ("correct", right_note)):
            item[f"{name}_feedback"], item[f"{name}_feedback_en"] = option_text(note)
    _content_ref_give(item)
    _item_check(item, problems, _GIFT_FIELDS)
    if not problems.count:
        bank.items.append(item_normalize(item))


def _gift_short_answer(item, answer, option_text) -> None:
    """
    {=answer =%50%close answer#feedback}: every answer is right, with its grade (100% unless
    given); the answers are plain text, as Moodle compares them.
    """
    item["kind"] = SHORT_ANSWER
    parts = _gift_split(answer, "=")
    fractions = []
    for number, part in enumerate(parts):
        if number == 0 and not part.strip():
            continue
        body = part[1:] if part.startswith("=") else part
        weight = Decimal(100)
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :]
        body, _sep, note = body.partition("#")
        text, text_en = _plain_answer(_unescape(body.strip()))
        item["options"].append((text, text_en, weight >= 100))
        fractions.append((weight / 100).quantize(FRACTION_PLACES))
        item["option_feedback"].append(option_text(note))
    item["fractions"] = fractions


def _gift_matching(item, answer, problems, option_text) -> None:
    """
    {=item -> answer =item 2 -> answer 2 = -> extra answer}: the items in the question's format,
    the answers plain text; each rightly matched item earns its share, as in Moodle.
    """
    item["kind"] = MATCHING
    item["partial_credit"] = PROPORTIONAL
    parts = _gift_split(answer, "=")
    if parts[0].strip():
        problems.error(
            "answer",
            _("Text %(text)s comes before the first pair: start each pair with =.")
            % {"text": _unescape(parts[0].strip())[:40]},
        )
        return
    for part in parts[1:]:
        left, arrow, right = part[1:].partition("->")
        if not arrow:
            problems.error(
                "answer",
                _("Pair %(pair)s has no -> between the item and its answer.")
                % {"pair": _unescape(part[1:].strip())[:40]},
            )
            return
        item["options"].append((*option_text(left), False))
        item["matches"].append(_plain_answer(_unescape(right.strip())))


def _gift_choice(item, answer, problems, option_text) -> None:
    parts = _gift_split(answer, "=~")
    if parts[0].strip():
        problems.error(
            "answer",
            _("Text %(text)s comes before the first answer: start each answer with = or ~.")
            % {"text": _unescape(parts[0].strip())[:40]},
        )
        return
    single = "=" in answer
    item["kind"] = SINGLE if single else MULTIPLE
    weights = []
    for part in parts[1:]:
        marker, body = part[0], part[1:]
        weight = Decimal(100) if marker == "=" else Decimal(0)
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :]
        body, _sep, note = body.partition("#")
        text, text_en = option_text(body)
        weights.append(weight)
        item["options"].append((text, text_en, weight > 0))
        item["option_feedback"].append(option_text(note))
    item["fractions"] = fractions_of_weights(item["kind"], weights)


def _gift_numeric(item, answer, problems, option_text) -> None:
    """
    Moodle's numeric forms: {#x}, {#x:tolerance}, {#min..max}, and several answers with their
    grades ({#=%100%3.14:0.01 =%50%3.1:0.1}); "~" answers are wrong answers with their
    feedback ({#3:2~#Completely wrong}): a wrong answer is whatever matches no answer.
    """
    parts = _gift_split(answer, "=~")
    first = parts[0].strip()
    rights = [(Decimal(100), first)] if first else []
    wrong = []
    for part in parts[1:]:
        marker, body = part[0], part[1:].strip()
        if marker == "~":
            wrong.append(body)
            continue
        weight = Decimal(100)
        weight_match = re.match(r"%(-?\d+(?:\.\d+)?)%", body)
        if weight_match:
            weight, body = Decimal(weight_match.group(1)), body[weight_match.end() :].strip()
        rights.append((weight, body))
    entries = []
    for weight, body in rights:
        spec, _sep, note = body.partition("#")
        if not Decimal(0) <= weight <= Decimal(100):
            problems.error(
                "answer",
                _("Grade %(grade)s%% of a numerical answer is outside 0%% to 100%%.")
                % {"grade": _plain_number(weight)},
            )
            return
        number = _gift_number(_unescape(spec).strip(), problems)
        if number is None:
            return
        entries.append((weight, *number, option_text(note)))
    main = next((n for n, e in enumerate(entries) if e[0] >= 100), None)
    if main is None:
        problems.error("answer", _("A numerical question needs an answer graded 100%."))
        return
    _weight, item["numeric_answer"], item["tolerance"], notes = entries.pop(main)
    item["correct_feedback"], item["correct_feedback_en"] = notes
    item["numeric_answers"] = [
        numeric_answer_entry(value, tolerance, (weight / 100).quantize(FRACTION_PLACES), *notes)
        for weight, value, tolerance, notes in entries
    ]
    for body in wrong:
        # A wrong answer's feedback is shown for any number no answer matches.
        notes = option_text(body.partition("#")[2])
        if any(notes):
            item["numeric_answers"].append(numeric_answer_entry(None, 0, 0, *notes))


def _gift_number(spec: str, problems) -> tuple[Decimal, Decimal] | None:
    """Read "x", "x:tolerance" or "min..max" as (answer, tolerance)."""
    if ".." in spec:
        low_text, _dots, high_text = spec.partition("..")
        low = _number(low_text.strip(), problems, "answer", _("Answer"))
        high = _number(high_text.strip(), problems, "answer", _("Answer"))
        if low is None or high is None:
            return None
        low, high = min(low, high), max(low, high)
        return (low + high) / 2, (high - low) / 2
    number_text, sep, tolerance_text = spec.partition(":")
    value = _number(number_text.strip(), problems, "answer", _("Answer"))
    if value is None:
        return None
    if not sep:
        return value, Decimal(0)
    tolerance = _number(tolerance_text.strip(), problems, "answer", _("Tolerance"))
    if tolerance is None:
        return None
    return value, abs(tolerance)


# Export to Moodle XML and GIFT -----------------------------------------------------------------


def _html_of(text: str) -> str:
    """Return plain text as the HTML Moodle shows: escaped, one <br> per line break."""
    import html

    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def _multilang(text: str, text_en: str) -> str:
    """Return the HTML of a text in one language, or in both for Moodle's multilang filter."""
    if not text_en:
        return _html_of(text)
    return (
        f'<span lang="zh" class="multilang">{_html_of(text)}</span>'
        f'<span lang="en" class="multilang">{_html_of(text_en)}</span>'
    )


def _plain_multilang(text: str, text_en: str) -> str:
    """An answer Moodle keeps as plain text: as it is, or in multilang spans for two languages."""
    return _multilang(text, text_en) if text_en else text


def _moodle_path(category: tuple[str, ...]) -> str:
    return "/".join(["$course$", "top", *(n.replace("/", "//") for n in category)])


def _weights(item) -> list[Decimal]:
    """
    Return the Moodle grade (percent) of each option of a choice item: its own grades, or for a
    question scored by its correct flags the weights Moodle scores the same way (a single
    choice's right option 100%; a multiple choice's right ones 100%/n each and, for the
    proportional rule, each wrong one -100%/n, which is the rule exactly).
    """
    if item["fractions"] is not None:
        return [f * 100 for f in item["fractions"]]
    flags = [o[2] for o in item["options"]]
    if item["kind"] == SINGLE:
        return [Decimal(100) if f else Decimal(0) for f in flags]
    share = (Decimal(100) / max(1, sum(flags))).quantize(Decimal("0.00001"))
    wrong = -share if item["partial_credit"] == PROPORTIONAL else Decimal(-100)
    return [share if f else wrong for f in flags]


def _percent_text(weight: Decimal) -> str:
    return _plain_number(weight.quantize(Decimal("0.00001")))


def bank_export_moodle(items: list[dict]) -> bytes:
    """Return `items` as a Moodle XML question file that Moodle and `bank_parse` read back."""

    def text_element(parent, tag, text, text_en="", fmt="html"):
        container = ET.SubElement(parent, tag, {"format": fmt})
        ET.SubElement(container, "text").text = _multilang(text, text_en)
        return container

    quiz = ET.Element("quiz")
    category = None
    for item in items:
        item = item_normalize(item)
        if item["category"] != category:
            category = item["category"]
            wrapper = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(wrapper, "category"), "text").text = _moodle_path(category)
        kind = item["kind"]
        moodle_type = {
            SINGLE: "multichoice",
            MULTIPLE: "multichoice",
            TRUE_FALSE: "truefalse",
            NUMERIC: "numerical",
            ORDERING: "ordering",
            SHORT_ANSWER: "shortanswer",
            MATCHING: "matching",
        }[kind]
        question = ET.SubElement(quiz, "question", {"type": moodle_type})
        ET.SubElement(ET.SubElement(question, "name"), "text").text = item["text"][:60]
        text_element(question, "questiontext", item["text"], item["text_en"])
        text_element(question, "generalfeedback", item["explanation"], item["explanation_en"])
        ET.SubElement(question, "defaultgrade").text = _plain_number(item["points"])
        ET.SubElement(question, "penalty").text = "0"
        ET.SubElement(question, "hidden").text = "1" if item.get("active") is False else "0"
        ET.SubElement(question, "idnumber").text = item["source_ref"]
        if kind in (SINGLE, MULTIPLE, ORDERING, MATCHING, SHORT_ANSWER):
            # Moodle's short answer has no combined feedback and ignores it; this platform reads it.
            for name, tag in (
                ("correct", "correctfeedback"),
                ("partial", "partiallycorrectfeedback"),
                ("incorrect", "incorrectfeedback"),
            ):
                text_element(question, tag, item[f"{name}_feedback"], item[f"{name}_feedback_en"])
        if kind in (SINGLE, MULTIPLE):
            ET.SubElement(question, "single").text = "true" if kind == SINGLE else "false"
            ET.SubElement(question, "shuffleanswers").text = "true"
            ET.SubElement(question, "answernumbering").text = "abc"
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), weight, (note, note_en) in zip(
                item["options"], _weights(item), notes, strict=True
            ):
                answer = ET.SubElement(
                    question, "answer", {"fraction": _percent_text(weight), "format": "html"}
                )
                ET.SubElement(answer, "text").text = _multilang(text, text_en)
                text_element(answer, "feedback", note, note_en)
        elif kind == SHORT_ANSWER:
            ET.SubElement(question, "usecase").text = "1" if item["case_sensitive"] else "0"
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), fraction, note in zip(
                item["options"], item["fractions"], notes, strict=True
            ):
                # Moodle compares the typed text with each answer as written: an English answer
                # is an answer of its own, with the same grade and feedback.
                for answer_text in dict.fromkeys(t for t in (text, text_en) if t):
                    answer = ET.SubElement(
                        question,
                        "answer",
                        {"fraction": _percent_text(fraction * 100), "format": "moodle_auto_format"},
                    )
                    ET.SubElement(answer, "text").text = answer_text
                    text_element(answer, "feedback", *note)
        elif kind == MATCHING:
            ET.SubElement(question, "shuffleanswers").text = "true"
            for (text, text_en, _c), (match, match_en) in zip(
                item["options"], item["matches"], strict=True
            ):
                sub = ET.SubElement(question, "subquestion", {"format": "html"})
                ET.SubElement(sub, "text").text = _multilang(text, text_en) if text else ""
                ET.SubElement(ET.SubElement(sub, "answer"), "text").text = _plain_multilang(
                    match, match_en
                )
        elif kind == ORDERING:
            ET.SubElement(question, "layouttype").text = "VERTICAL"
            ET.SubElement(question, "selecttype").text = "ALL"
            ET.SubElement(question, "selectcount").text = "0"
            # qtype_ordering: -1 all or nothing; 0 one share per item in its absolute place.
            ET.SubElement(question, "gradingtype").text = (
                "0" if item["partial_credit"] == PROPORTIONAL else _ORDERING_ALL_OR_NOTHING
            )
            for n, (text, text_en, _c) in enumerate(item["options"], start=1):
                answer = ET.SubElement(question, "answer", {"fraction": str(n), "format": "html"})
                ET.SubElement(answer, "text").text = _multilang(text, text_en)
        elif kind == TRUE_FALSE:
            for value in (True, False):
                right = value == item["true_false_answer"]
                name = "correct" if right else "incorrect"
                answer = ET.SubElement(
                    question,
                    "answer",
                    {"fraction": "100" if right else "0", "format": "moodle_auto_format"},
                )
                ET.SubElement(answer, "text").text = "true" if value else "false"
                text_element(
                    answer, "feedback", item[f"{name}_feedback"], item[f"{name}_feedback_en"]
                )
        else:
            answer = ET.SubElement(
                question, "answer", {"fraction": "100", "format": "moodle_auto_format"}
            )
            ET.SubElement(answer, "text").text = _plain_number(item["numeric_answer"])
            text_element(answer, "feedback", item["correct_feedback"], item["correct_feedback_en"])
            ET.SubElement(answer, "tolerance").text = _plain_number(item["tolerance"])
            for entry in item["numeric_answers"]:
                fraction = _percent_text(Decimal(entry["fraction"]) * 100)
                answer = ET.SubElement(
                    question, "answer", {"fraction": fraction, "format": "moodle_auto_format"}
                )
                ET.SubElement(answer, "text").text = (
                    "*" if entry["value"] is None else entry["value"]
                )
                text_element(
                    answer, "feedback", entry.get("feedback", ""), entry.get("feedback_en", "")
                )
                ET.SubElement(answer, "tolerance").text = entry["tolerance"]
        tags = [*item["tags"], f"difficulty:{item['difficulty']}"]
        tag_list = ET.SubElement(question, "tags")
        for tag in tags:
            ET.SubElement(ET.SubElement(tag_list, "tag"), "text").text = tag
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n"


_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift_escape(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", text)


def _gift_html(text: str, text_en: str = "") -> str:
    """Return a text for a GIFT file in [html] format: escaped for HTML, then for GIFT."""
    return _gift_escape(_multilang(text, text_en))


def bank_export_gift(items: list[dict]) -> tuple[bytes, list[ItemError]]:
    """
    Return `items` as a GIFT file, and the items GIFT cannot hold (ordering questions), each
    with the reason. GIFT has no points, no hidden flag, no combined feedback of choice and
    matching questions, no letter case rule of short answers (they read back as "case does not
    matter") and no all-or-nothing matching (it reads back as credit per pair): those stay
    behind; Moodle XML keeps them, except the last.
    """
    lines: list[str] = []
    left_out: list[ItemError] = []
    category = None
    for number, item in enumerate(items, start=1):
        item = item_normalize(item)
        kind = item["kind"]
        if kind == ORDERING:
            left_out.append(
                ItemError(
                    number,
                    item["text"][:60],
                    "type",
                    _("GIFT has no ordering questions: export to Moodle XML to keep them."),
                )
            )
            continue
        if item["category"] != category:
            category = item["category"]
            lines += [f"$CATEGORY: {_moodle_path(category)}", ""]
        meta = [f"[id:{item['source_ref']}]"] if item["source_ref"] else []
        meta += [f"[tag:{t}]" for t in item["tags"]] + [f"[tag:difficulty:{item['difficulty']}]"]
        lines.append("// " + " ".join(meta))
        title = _gift_escape(item["text"][:60].replace("\n", " "))
        general = ""
        if item["explanation"] or item["explanation_en"]:
            general = f"####{_gift_html(item['explanation'], item['explanation_en'])}"
        if kind in (SINGLE, MULTIPLE):
            answers = []
            weights = _weights(item)
            best = weights.index(max(weights)) if kind == SINGLE else -1
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for n, ((text, text_en, _c), weight, (note, note_en)) in enumerate(
                zip(item["options"], weights, notes, strict=True)
            ):
                # A single choice needs its "=" (that is what makes it single in GIFT).
                marker = "=" if n == best else "~"
                grade = "" if marker == "=" and weight == 100 else f"%{_percent_text(weight)}%"
                if marker == "~" and weight == 0:
                    grade = ""
                feedback = f"#{_gift_html(note, note_en)}" if note or note_en else ""
                answers.append(f"\t{marker}{grade}{_gift_html(text, text_en)}{feedback}")
            body = "\n".join(answers)
        elif kind == SHORT_ANSWER:
            answers = []
            notes = item["option_feedback"] or [("", "")] * len(item["options"])
            for (text, text_en, _c), fraction, (note, note_en) in zip(
                item["options"], item["fractions"], notes, strict=True
            ):
                grade = "" if fraction == 1 else f"%{_percent_text(fraction * 100)}%"
                feedback = f"#{_gift_html(note, note_en)}" if note or note_en else ""
                for answer_text in dict.fromkeys(t for t in (text, text_en) if t):
                    answers.append(f"\t={grade}{_gift_escape(answer_text)}{feedback}")
            body = "\n".join(answers)
        elif kind == MATCHING:
            pairs = [
                f"\t={_gift_html(text, text_en) if text else ''} -> "
                f"{_gift_escape(_plain_multilang(match, match_en))}"
                for (text, text_en, _c), (match, match_en) in zip(
                    item["options"], item["matches"], strict=True
                )
            ]
            body = "\n".join(pairs)
        elif kind == TRUE_FALSE:
            value = "TRUE" if item["true_false_answer"] else "FALSE"
            wrong = _gift_html(item["incorrect_feedback"], item["incorrect_feedback_en"])
            right = _gift_html(item["correct_feedback"], item["correct_feedback_en"])
            body = value + (f"#{wrong}#{right}" if wrong or right else "")
        else:
            answers = []
            right = _gift_html(item["correct_feedback"], item["correct_feedback_en"])
            main = f"{_plain_number(item['numeric_answer'])}:{_plain_number(item['tolerance'])}"
            answers.append(f"={main}" + (f"#{right}" if right else ""))
            for entry in item["numeric_answers"]:
                note = _gift_html(entry.get("feedback", ""), entry.get("feedback_en", ""))
                if entry["value"] is None:
                    # GIFT's "~" stands for any other number, with its feedback, graded 0.
                    answers.append("~" + (f"#{note}" if note else ""))
                    continue
                grade = _percent_text(Decimal(entry["fraction"]) * 100)
                spec = f"{entry['value']}:{entry['tolerance']}"
                answers.append(f"=%{grade}%{spec}" + (f"#{note}" if note else ""))
            body = "#" + " ".join(answers)
        text = _gift_html(item["text"], item["text_en"])
        lines.append(
            f"::{title}::[html]{text}{{\n{body}\n{general}}}"
            if kind in (SINGLE, MULTIPLE, SHORT_ANSWER, MATCHING)
            else f"::{title}::[html]{text}{{{body}{general}}}"
        )
        lines.append("")
    return "\n".join(lines).encode("utf-8"), left_out

"""The items of a bank file: their errors, the rules of each kind, plain values, categories."""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

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


# The rules every question keeps, in the admin form as in files ------------------------------------


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


# Plain values -------------------------------------------------------------------------------------


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


def _plain_number(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number.normalize(), "f")


# Shared by Moodle XML and GIFT --------------------------------------------------------------------


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

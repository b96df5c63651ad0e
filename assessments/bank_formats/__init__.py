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

from django.utils.translation import gettext as _

from .gift import _gift_read, bank_export_gift
from .items import (
    ALL_OR_NOTHING,
    CATEGORY_NAME_MAX,
    EXTENSIONS,
    FEEDBACKS,
    FORMATS,
    FRACTION_PLACES,
    FRACTION_SLACK,
    GRADED_KINDS,
    KINDS,
    MATCHING,
    MAX_ITEMS,
    MIN_OPTION_COLUMNS,
    MULTIPLE,
    NUMBER_MAX,
    NUMERIC,
    OPTION_MAX,
    ORDERING,
    PARTIAL_CREDIT_KINDS,
    POINTS_MAX,
    PROPORTIONAL,
    README_SHEET,
    REF_MAX,
    SHEET,
    SHORT_ANSWER,
    SINGLE,
    TAG_MAX,
    TRUE_FALSE,
    BankFileError,
    BankReport,
    ItemError,
    ParsedBank,
    _duplicates_check,
    category_path_parse,
    format_of,
    fraction_problems,
    fractions_of_weights,
    item_normalize,
    numeric_answer_entry,
    numeric_answers_problems,
    question_problems,
)
from .markup import (
    HTML_ATTRIBUTES,
    HTML_DROPPED,
    HTML_TAGS,
    HTML_URL_SCHEMES,
    html_sanitise,
    html_to_text,
)
from .moodle import _moodle_read, bank_export_moodle
from .xlsx import (
    OPTION_EXTRAS,
    XLSX_COLUMNS,
    XLSX_REQUIRED,
    _xlsx_read,
    bank_export_xlsx,
    xlsx_columns,
)

__all__ = [
    "ALL_OR_NOTHING",
    "BankFileError",
    "BankReport",
    "CATEGORY_NAME_MAX",
    "EXTENSIONS",
    "FEEDBACKS",
    "FORMATS",
    "FRACTION_PLACES",
    "FRACTION_SLACK",
    "GRADED_KINDS",
    "HTML_ATTRIBUTES",
    "HTML_DROPPED",
    "HTML_TAGS",
    "HTML_URL_SCHEMES",
    "ItemError",
    "KINDS",
    "MATCHING",
    "MAX_ITEMS",
    "MIN_OPTION_COLUMNS",
    "MULTIPLE",
    "NUMBER_MAX",
    "NUMERIC",
    "OPTION_EXTRAS",
    "OPTION_MAX",
    "ORDERING",
    "PARTIAL_CREDIT_KINDS",
    "POINTS_MAX",
    "PROPORTIONAL",
    "ParsedBank",
    "README_SHEET",
    "REF_MAX",
    "SHEET",
    "SHORT_ANSWER",
    "SINGLE",
    "TAG_MAX",
    "TRUE_FALSE",
    "XLSX_COLUMNS",
    "XLSX_REQUIRED",
    "bank_export_gift",
    "bank_export_moodle",
    "bank_export_xlsx",
    "bank_parse",
    "category_path_parse",
    "format_of",
    "fraction_problems",
    "fractions_of_weights",
    "html_sanitise",
    "html_to_text",
    "item_normalize",
    "numeric_answer_entry",
    "numeric_answers_problems",
    "question_problems",
    "xlsx_columns",
]


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

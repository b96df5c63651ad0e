"""
The XLSX columns of what Moodle banks carry: option grades and feedback, matching answers, the
feedback by outcome, further numeric answers, letter case; and sheets made before them.
"""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assessments.bank_formats import bank_export_xlsx, bank_parse, xlsx_columns
from assessments.models import Question, QuestionCategory, QuestionVersion
from assessments.services.banks import bank_export_as, bank_import
from core.spreadsheets import xlsx_append

BANKS = Path(__file__).parent / "banks"
XML = (BANKS / "moodle_bank.xml").read_bytes()
GIFT = (BANKS / "moodle_bank.gift").read_bytes()
# Written by the export before these columns existed (and what that code read from it).
BEFORE = (BANKS / "bank_before_moodle_columns.xlsx").read_bytes()
BEFORE_ITEMS = json.loads((BANKS / "bank_before_moodle_columns.json").read_text("utf-8"))


def _xlsx(rows, header=None) -> bytes:
    header = header or xlsx_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    sheet.append(header)
    for row in rows:
        xlsx_append(sheet, [row.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _parse(rows):
    return bank_parse(_xlsx(rows), "b.xlsx", default_category=("术语",))


def _versions() -> dict:
    result = {}
    for question in Question.objects.order_by("pk"):
        data = dict(question.versions.order_by("-number").first().data)
        data["options"] = [{k: v for k, v in o.items() if k != "key"} for o in data["options"]]
        result[question.source_ref] = data
    return result


def _plain(value):
    """An item's value as the JSON snapshot holds it."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


# Round trips ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name"), [(XML, "b.xml"), (GIFT, "b.gift")])
def test_xlsx_export_of_a_moodle_bank_reimports_identically(content, name):
    bank_import(content=content, filename=name, apply=True, default_category=("导入",))
    before = _versions()
    exports = [
        bank_export_as(category=c, fmt="xlsx")[0]
        for c in QuestionCategory.objects.filter(parent=None).order_by("pk")
    ]

    again = [bank_import(content=c, filename="back.xlsx", apply=True) for c in exports]

    assert all(r.ok for r in again), [r.errors for r in again]
    assert sum(r.created + r.updated for r in again) == 0
    assert sum(r.unchanged for r in again) == Question.objects.filter(is_active=True).count()
    assert _versions() == before


@pytest.mark.django_db
def test_xlsx_export_into_an_empty_bank_gives_the_same_versions():
    bank_import(content=XML, filename="b.xml", apply=True)
    # XLSX carries active questions only.
    QuestionVersion.objects.filter(question__is_active=False).delete()
    Question.objects.filter(is_active=False).delete()
    before = _versions()
    exports = [
        bank_export_as(category=c, fmt="xlsx")[0]
        for c in QuestionCategory.objects.filter(parent=None)
    ]
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()

    for content in exports:
        assert bank_import(content=content, filename="back.xlsx", apply=True).ok

    assert _versions() == before
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert {"short_answer", "matching", "numeric", "single", "ordering"} <= kinds


def test_xlsx_export_writes_moodle_grades_feedback_and_pairs_in_their_columns():
    items = bank_parse(XML, "b.xml").items
    sheet = load_workbook(io.BytesIO(bank_export_xlsx(items)))["questions"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_ref = {row[header.index("ref")]: dict(zip(header, row, strict=True)) for row in rows[1:]}

    single = by_ref["SB-001"]
    assert (single["option_2_grade"], single["option_2_feedback"]) == ("33.33333", "那是换货期限")
    assert (single["correct_feedback"], single["incorrect_feedback"]) == (
        "回答正确。",
        "回答错误。",
    )
    short = by_ref["SA-001"]
    assert (short["type"], short["correct"]) == ("short_answer", None)
    assert (short["option_1_grade"], short["option_3"], short["option_3_grade"]) == (
        None,
        "保*",
        "50",
    )
    assert (short["option_1_feedback"], short["option_1_feedback_en"]) == ("正是", "Exactly")
    assert by_ref["SA-002"]["case_sensitive"] == "TRUE"
    pairs = by_ref["MT-001"]
    assert (pairs["option_1"], pairs["option_1_match"], pairs["option_1_match_en"]) == (
        "包修",
        "免费修理",
        "Free repair",
    )
    assert (pairs["option_4"], pairs["option_4_match"]) == (None, "包邮到家")
    assert pairs["partial_credit"] == "proportional"
    numeric = next(r for r in by_ref.values() if r["question"] == "充电器输出电压约为几伏？")
    assert numeric["numeric_answers"] == "9:0.5=50%#那是快充\n*:0=0%#不对"


# Sheets made before these columns ---------------------------------------------------------------


def test_a_sheet_made_before_these_columns_reads_as_it_did():
    bank = bank_parse(BEFORE, "bank.xlsx")

    assert (bank.errors, bank.warnings, bank.skipped) == ([], [], [])
    new_keys = ("matches", "case_sensitive")
    assert [
        {k: _plain(v) for k, v in i.items() if k not in new_keys} for i in bank.items
    ] == BEFORE_ITEMS
    assert all(i["matches"] == [] and i["case_sensitive"] is False for i in bank.items)


@pytest.mark.django_db
def test_a_sheet_made_before_these_columns_imports_and_reimports_unchanged():
    first = bank_import(content=BEFORE, filename="bank.xlsx", apply=True)
    again = bank_import(content=BEFORE, filename="bank.xlsx", apply=True)

    assert (first.ok, first.created) == (True, len(BEFORE_ITEMS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(BEFORE_ITEMS))


# Reading the columns ----------------------------------------------------------------------------


def _short(**values):
    row = {"category": "术语", "type": "填空题", "question": "屏幕的简称？", "option_1": "屏幕"}
    row.update(values)
    return row


def test_short_answer_row_reads_grades_feedback_and_letter_case():
    bank = _parse(
        [
            _short(
                option_1_en="screen",
                option_1_feedback="对",
                option_1_feedback_en="Right",
                option_2="显示*",
                option_2_grade="50%",
                option_3="面板",
                option_3_grade="0",
                case_sensitive="TRUE",
            )
        ]
    )

    assert bank.errors == []
    (item,) = bank.items
    assert item["kind"] == "short_answer"
    assert item["options"] == [("屏幕", "screen", True), ("显示*", "", False), ("面板", "", False)]
    assert item["fractions"] == [Decimal(1), Decimal("0.5"), Decimal(0)]
    assert item["option_feedback"][0] == ("对", "Right")
    assert item["case_sensitive"] is True


def test_matching_row_reads_pairs_and_an_extra_answer():
    bank = _parse(
        [
            {
                "category": "术语",
                "type": "配对题",
                "question": "把部件与其作用配对。",
                "option_1": "电池",
                "option_1_match": "供电",
                "option_1_match_en": "Power",
                "option_2": "主板",
                "option_2_match": "处理信号",
                "option_3_match": "散热",
                "partial_credit": "按比例",
                "correct_feedback": "全对",
                "correct_feedback_en": "All right",
            }
        ]
    )

    assert bank.errors == []
    (item,) = bank.items
    assert item["options"] == [("电池", "", False), ("主板", "", False), ("", "", False)]
    assert item["matches"] == [("供电", "Power"), ("处理信号", ""), ("散热", "")]
    assert (item["partial_credit"], item["correct_feedback_en"]) == ("proportional", "All right")


def test_graded_choice_row_scores_by_its_grades_and_correct_may_be_left_blank():
    row = {
        "category": "三包",
        "type": "multiple",
        "question": "三包包括哪些？",
        "option_1": "包修",
        "option_1_grade": "50",
        "option_2": "包换",
        "option_2_grade": "50",
        "option_3": "包邮",
        "option_3_grade": "-100",
        "option_3_feedback": "没有包邮",
    }
    (item,) = _parse([row]).items
    assert item["fractions"] == [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    assert [o[2] for o in item["options"]] == [True, True, False]
    assert item["option_feedback"][2] == ("没有包邮", "")
    assert _parse([{**row, "correct": "1,2"}]).errors == []


@pytest.mark.parametrize(
    ("further", "expected"),
    [
        (
            "9:0.5=50%#那是快充|Fast charging; *=0%#不对",
            [
                {"value": "9", "tolerance": "0.5", "fraction": "0.5", "feedback": "那是快充",
                 "feedback_en": "Fast charging"},
                {"value": None, "tolerance": "0", "fraction": "0", "feedback": "不对",
                 "feedback_en": ""},
            ],
        ),
        (
            '[{"value": "9", "tolerance": "0.5", "fraction": "0.5", "feedback": "a#b"}]',
            [{"value": "9", "tolerance": "0.5", "fraction": "0.5", "feedback": "a#b",
              "feedback_en": ""}],
        ),
    ],
)  # fmt: skip
def test_further_numeric_answers_read_from_their_column(further, expected):
    row = {"category": "电学", "type": "numeric", "question": "电压？", "correct": "5"}
    (item,) = _parse([{**row, "numeric_answers": further}]).items
    assert item["numeric_answers"] == expected


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"option_1_match": "x"}, "option_1_match",
         "Matching answers apply to matching questions only."),
        ({"type": "ordering", "option_1_grade": "50"}, "option_1_grade",
         "Option grades apply to single choice, multiple choice and short answer questions only."),
        ({"type": "true_false", "option_1": None, "option_2": None, "correct": "TRUE",
          "case_sensitive": "TRUE"}, "case_sensitive",
         "Letter case applies to short answer questions only."),
        ({"numeric_answers": "9=50%"}, "numeric_answers",
         "Further numeric answers apply to numeric questions only."),
        ({"option_1_grade": "half"}, "option_1_grade",
         "Grade half is not a number: give a percent, e.g. 50 or -25."),
        ({"option_1_grade": "100", "option_2_grade": "50", "correct": "2"}, "correct",
         "The correct options (2) are not those the grades make right (1): leave correct blank "
         "or make them agree."),
        ({"option_5_feedback": "x"}, "option_5",
         "Option 5 has a grade or feedback but no text."),
    ],
)  # fmt: skip
def test_misused_column_is_an_error_naming_it(values, field, message):
    row = {"category": "三包", "type": "single", "question": "起算日？", "option_1": "发票日",
           "option_2": "取机日", "correct": "1", **values}  # fmt: skip
    bank = _parse([row])
    assert (field, message) in [(e.field, e.message) for e in bank.errors]
    assert bank.items == []


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"correct": "1"}, "correct", "Leave correct blank: a short answer's options are"),
        ({"numeric_answers": "9:x=50%", "type": "numeric", "correct": "5", "option_1": None},
         "numeric_answers", "Write each further answer as VALUE:TOLERANCE=GRADE%"),
        ({"option_1_grade": "150"}, "option_1",
         "Grade 150% of an accepted answer is outside 0% to 100%."),
    ],
)  # fmt: skip
def test_bad_short_answer_or_numeric_columns_are_errors(values, field, message):
    bank = _parse([_short(**values)])
    assert any(e.field == field and e.message.startswith(message) for e in bank.errors), bank.errors


def test_readme_sheet_documents_the_new_columns():
    readme = load_workbook(io.BytesIO(bank_export_xlsx([])))["README"]
    names = {row[0] for row in readme.iter_rows(values_only=True) if row and row[0]}
    for column in (
        "case_sensitive",
        "numeric_answers",
        "option_N_grade",
        "option_N_match, option_N_match_en",
        "option_N_feedback, option_N_feedback_en",
        "correct_feedback, partial_feedback, incorrect_feedback (_en)",
        "type: short_answer, matching",
    ):
        assert column in names, column  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "xml", "gift"])
def test_export_reads_a_bank_in_the_same_queries_whatever_its_size(fmt, django_assert_num_queries):
    bank_import(content=XML, filename="b.xml", apply=True)
    small = QuestionCategory.objects.get(name="手机")  # 2 questions
    large = QuestionCategory.objects.get(name="三包政策", parent=None)  # 5, in two categories
    # Categories, questions, their options, their tagged items, their tags.
    for category in (small, large):
        with django_assert_num_queries(5):
            bank_export_as(category=category, fmt=fmt)

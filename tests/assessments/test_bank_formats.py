"""Reading and writing question bank files: XLSX, Moodle XML and GIFT. No database."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from assessments.bank_formats import (
    BankFileError,
    ItemError,
    bank_export_xlsx,
    bank_parse,
    format_of,
    xlsx_columns,
)
from core.spreadsheets import xlsx_append

HEADER = xlsx_columns()

# What an item without any feedback holds (and, not being short answer or matching, no pairs).
NO_FEEDBACK = {
    "option_feedback": [],
    "matches": [],
    "case_sensitive": False,
    **{f"{name}_feedback{suffix}": "" for name in ("correct", "partial", "incorrect")
       for suffix in ("", "_en")},
}  # fmt: skip


def _xlsx(rows, header=HEADER, sheet="questions") -> bytes:
    workbook = Workbook()
    page = workbook.active
    page.title = sheet
    page.append(list(header))
    for row in rows:
        xlsx_append(page, [row.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(**values):
    row = {"category": "三包政策/手机", "type": "single", "question": "三包有效期从哪天起算？"}
    row.update({"option_1": "开具发票之日", "option_2": "顾客取机之日", "correct": "1"})
    row.update(values)
    return row


def _items(bank):
    return [{k: v for k, v in item.items() if k != "item"} for item in bank.items]


def _errors(bank):
    return [(e.item, e.field, e.message) for e in bank.errors]


# XLSX -------------------------------------------------------------------------------------------


def test_xlsx_rows_of_every_kind_become_items():
    rows = [
        _row(
            question_en="From which day does the warranty period start?",
            option_1_en="The invoice date",
            option_2_en="The pick-up date",
            correct="A",
            difficulty="易",
            points=2,
            explanation="以发票日期为准。",
            explanation_en="The invoice date counts.",
            tags="三包, 前台接待，三包",
            ref="SB-001",
        ),
        _row(
            type="多选题",
            question="三包包括哪些？",
            option_1="包修",
            option_2="包换",
            option_3="包退",
            option_4="包邮",
            correct="1,2、3",
            partial_credit="proportional",
        ),
        _row(
            type="判断",
            question="翻新件可以不经顾客书面同意使用。",
            option_1=None,
            option_2=None,
            correct="错",
        ),  # fmt: skip
        _row(
            type="true_false",
            question="三包凭证应妥善保存。",
            option_1=None,
            option_2=None,
            correct=True,
        ),  # fmt: skip
        _row(
            type="ordering",
            question="按顺序排列防静电拆机步骤。",
            option_1="拆下后盖",
            option_2="佩戴防静电手环",
            option_3="断开电池排线",
            correct="2,1,3",
        ),
        _row(
            type="numeric",
            question="性能故障退货期限是几日？",
            option_1=None,
            option_2=None,
            correct=7,
            tolerance="0.5",
            difficulty=3,
        ),  # fmt: skip
    ]
    bank = bank_parse(_xlsx(rows), "bank.xlsx")

    assert bank.errors == []
    assert bank.format == "xlsx"
    assert [i["item"] for i in bank.items] == [2, 3, 4, 5, 6, 7]
    single, multiple, false, true, ordering, numeric = _items(bank)
    assert single == {
        "category": ("三包政策", "手机"),
        "kind": "single",
        "text": "三包有效期从哪天起算？",
        "text_en": "From which day does the warranty period start?",
        "options": [
            ("开具发票之日", "The invoice date", True),
            ("顾客取机之日", "The pick-up date", False),
        ],
        "fractions": None,
        "true_false_answer": None,
        "numeric_answer": None,
        "tolerance": Decimal(0),
        "numeric_answers": [],
        **NO_FEEDBACK,
        "active": None,
        "explanation": "以发票日期为准。",
        "explanation_en": "The invoice date counts.",
        "difficulty": 1,
        "points": Decimal(2),
        "partial_credit": "all_or_nothing",
        "tags": ["三包", "前台接待"],
        "source_ref": "SB-001",
    }
    assert multiple["kind"] == "multiple"
    assert multiple["partial_credit"] == "proportional"
    assert [o[2] for o in multiple["options"]] == [True, True, True, False]
    assert (false["kind"], false["true_false_answer"], false["options"]) == (
        "true_false",
        False,
        [],
    )
    assert true["true_false_answer"] is True
    assert ordering["options"] == [
        ("佩戴防静电手环", "", False),
        ("拆下后盖", "", False),
        ("断开电池排线", "", False),
    ]
    assert (numeric["numeric_answer"], numeric["tolerance"], numeric["difficulty"]) == (
        Decimal(7),
        Decimal("0.5"),
        3,
    )


def test_xlsx_ordering_without_correct_keeps_the_listed_order():
    row = _row(type="排序", option_1="登记", option_2="检测", option_3="报价", correct=None)
    (item,) = bank_parse(_xlsx([row]), "bank.xlsx").items
    assert [o[0] for o in item["options"]] == ["登记", "检测", "报价"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"type": None}, "type", "This column is required."),
        ({"type": "essay"}, "type", "Unknown question type essay: use single, multiple"),
        ({"difficulty": "很难"}, "difficulty", "Unknown difficulty 很难: use 1 (easy)"),
        ({"points": "-1"}, "points", "Points -1: give a number from 0 to 9999.99"),
        ({"points": "1.255"}, "points", "Points 1.255: give a number from 0 to 9999.99"),
        ({"option_2": None, "option_3": "顾客取机之日"}, "option_3",
         "Option 3 is filled but option 2 is empty"),
        ({"option_2": None, "option_2_en": "Pick-up date"}, "option_2",
         "Option 2 has only an English text."),
        ({"partial_credit": "half"}, "partial_credit", "Unknown partial credit rule half"),
        ({"partial_credit": "按比例"}, "partial_credit",
         "Partial credit applies to multiple choice, ordering and matching questions only."),
        ({"tolerance": "0.1"}, "tolerance", "Tolerance applies to numeric questions only."),
        ({"correct": None}, "correct", "Give the correct option number(s), e.g. 2 or 1,3."),
        ({"correct": "3"}, "correct", "3 is not one of the options (1 to 2, or A, B, …)."),
        ({"correct": "1,2"}, "correct",
         "A single choice question needs exactly one correct option (2 marked correct)."),
        ({"option_2": None}, "option_1", "A single choice question needs at least two options."),
        ({"type": "multiple", "option_2": None}, "option_1",
         "A multiple choice question needs at least two options."),
        ({"type": "ordering", "option_3": "报价", "correct": "1,1,3"}, "correct",
         "List every option number once, in the right order, e.g. 2,1,3."),
        ({"type": "ordering", "option_2": None, "correct": None}, "option_1",
         "An ordering question needs at least two options to put in order."),
        ({"type": "true_false", "option_1": None, "option_2": None, "correct": "maybe"},
         "correct", "Write TRUE or FALSE (or 对 / 错), not maybe."),
        ({"type": "true_false", "correct": "TRUE"}, "option_1",
         "A true or false question has no options."),
        ({"type": "numeric", "option_1": None, "option_2": None, "correct": None}, "correct",
         "A numeric question needs its numeric answer."),
        ({"type": "numeric", "option_1": None, "option_2": None, "correct": "七"}, "correct",
         "Answer '七' is not a number."),
        ({"type": "numeric", "option_1": None, "option_2": None, "correct": "3.14159"},
         "correct", "Answer 3.14159: at most 10 digits before the point and 4 after it."),
        ({"type": "numeric", "option_1": None, "option_2": None, "correct": "3",
          "tolerance": "-1"}, "tolerance", "The tolerance cannot be negative."),
        ({"type": "numeric", "option_1": None, "option_2": None, "correct": "3",
          "tolerance": "a"}, "tolerance", "Tolerance 'a' is not a number."),
        ({"type": "numeric", "correct": "3"}, "option_1", "A numeric question has no options."),
        ({"question": None}, "question", "The question text is empty."),
        ({"category": None}, "category", "Give the question a category, or name one for"),
        ({"category": "三" * 121}, "category", "is longer than 120 characters."),
        ({"option_1": "长" * 501}, "option_1", "Option 1 is longer than 500 characters."),
        ({"ref": "R" * 121}, "ref", "The reference is longer than 120 characters."),
        ({"tags": "标" * 101}, "tags", "is longer than 100 characters."),
    ],
)  # fmt: skip
def test_xlsx_bad_row_is_named_with_field_and_reason(values, field, message):
    bank = bank_parse(_xlsx([_row(ref="SB-000"), _row(**{"ref": "SB-001", **values})]), "bank.xlsx")

    assert [(e.item, e.field) for e in bank.errors] == [(3, field)]
    assert message in bank.errors[0].message
    assert [i["source_ref"] for i in bank.items] == ["SB-000"]


def test_xlsx_duplicate_reference_and_text_in_one_category_are_errors():
    rows = [
        _row(ref="SB-001"),
        _row(ref="SB-001", question="另一道题"),
        _row(question="同一道题"),
        _row(question="同一道题"),
        _row(question="同一道题", category="三包政策/平板"),
    ]
    bank = bank_parse(_xlsx(rows), "bank.xlsx")
    assert _errors(bank) == [
        (3, "ref", "Reference SB-001 is used twice in category 三包政策/手机 (first: 2)."),
        (
            5,
            "ref",
            "The same question text is in category 三包政策/手机 twice (first: 4); give them "
            "references to keep both.",
        ),
    ]


def test_xlsx_unknown_column_is_an_error_not_dropped_silently():
    header = [*HEADER, "remarks"]
    bank = bank_parse(_xlsx([_row(remarks="备注")], header=header), "bank.xlsx")
    assert _errors(bank) == [(1, "remarks", "Unknown column remarks.")]


def test_xlsx_more_options_than_six_are_read_from_extra_columns():
    header = xlsx_columns(7)
    values = {f"option_{n}": f"选项{n}" for n in range(1, 8)}
    (item,) = bank_parse(_xlsx([_row(correct="7", **values)], header=header), "b.xlsx").items
    assert len(item["options"]) == 7
    assert item["options"][6] == ("选项7", "", True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "The file is not a readable XLSX workbook."),
        (_xlsx([], header=["category", "type", "question"]), "Missing required columns: correct."),
        (_xlsx([], header=[]), "The questions sheet is empty"),
    ],
)
def test_unreadable_xlsx_is_refused_as_a_whole(content, message):
    with pytest.raises(BankFileError, match=message):
        bank_parse(content, "bank.xlsx")


def test_xlsx_export_is_read_back_as_the_same_items():
    rows = [
        _row(question_en="When?", option_1_en="Invoice", tags="三包,前台", ref="SB-1", points=2),
        _row(
            type="multiple",
            question="哪些属于三包？",
            option_3="包退",
            correct="1,3",
            partial_credit="proportional",
            difficulty=3,
        ),  # fmt: skip
        _row(
            type="true_false",
            question="可以使用拆机件。",
            option_1=None,
            option_2=None,
            correct="FALSE",
            explanation="须经顾客书面同意。",
        ),  # fmt: skip
        _row(type="ordering", question="排序", option_3="C", correct="3,1,2"),
        _row(
            type="numeric",
            question="退货期限几日？",
            option_1=None,
            option_2=None,
            correct="7.25",
            tolerance="0.125",
            category="三包政策/平板//电脑",
        ),  # fmt: skip
    ]
    first = bank_parse(_xlsx(rows), "bank.xlsx")
    assert first.errors == []

    exported = bank_export_xlsx(first.items)
    again = bank_parse(exported, "export.xlsx")

    assert again.errors == []
    assert _items(again) == _items(first)
    assert _items(first)[4]["category"] == ("三包政策", "平板/电脑")
    workbook = load_workbook(io.BytesIO(exported))
    assert workbook.sheetnames == ["questions", "README"]
    readme = [row[0] for row in workbook["README"].iter_rows(values_only=True)]
    assert {"category", "type", "correct", "partial_credit", "ref"} <= set(readme)


def test_xlsx_export_writes_formula_like_text_as_text_and_reads_it_back():
    formula = '=HYPERLINK("http://evil.example/","点击领取")'
    rows = [_row(question=formula, option_1="+1 开头", option_2="@SUM(A1)", explanation="-5 度")]
    first = bank_parse(_xlsx(rows), "bank.xlsx")

    exported = bank_export_xlsx(first.items)

    sheet = load_workbook(io.BytesIO(exported))["questions"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells)
    assert formula in [cell.value for cell in cells]
    assert _items(bank_parse(exported, "export.xlsx")) == _items(first)


def test_empty_export_is_the_template_with_the_documented_header():
    workbook = load_workbook(io.BytesIO(bank_export_xlsx([])))
    header = next(workbook["questions"].iter_rows(values_only=True))
    assert list(header) == HEADER
    assert HEADER[:5] == ["category", "type", "difficulty", "question", "question_en"]
    options = 2 * 6
    assert HEADER[5 + options : 5 + options + 8] == [
        "correct",
        "tolerance",
        "points",
        "partial_credit",
        "explanation",
        "explanation_en",
        "tags",
        "ref",
    ]
    # Then what Moodle banks carry, the question's and then each option's.
    assert HEADER[5 + options + 8 : 5 + options + 16] == [
        "case_sensitive",
        "numeric_answers",
        "correct_feedback",
        "correct_feedback_en",
        "partial_feedback",
        "partial_feedback_en",
        "incorrect_feedback",
        "incorrect_feedback_en",
    ]
    assert HEADER[5 + options + 16 : 5 + options + 21] == [
        "option_1_match",
        "option_1_match_en",
        "option_1_grade",
        "option_1_feedback",
        "option_1_feedback_en",
    ]
    assert len(HEADER) == 5 + options + 16 + 5 * 6


# Moodle XML -------------------------------------------------------------------------------------

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/三包政策/手机</text></category>
  </question>
  <question type="multichoice">
    <name><text>退货期限</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>
        <span lang="zh_cn" class="multilang">手机出现性能故障，购机后几日内可以退货？</span>
        <span lang="en" class="multilang">
          Within how many days may a phone with a performance fault be returned?
        </span></p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>依据《移动电话机商品修理更换退货责任规定》：7&nbsp;日内可退货。</p>]]></text>
    </generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <idnumber>SB-001</idnumber>
    <single>true</single>
    <answer fraction="100" format="html">
      <text>7日</text><feedback><text>正确</text></feedback>
    </answer>
    <answer fraction="0" format="html"><text>15日</text><feedback><text></text></feedback></answer>
    <answer fraction="0" format="html"><text>30日</text></answer>
    <tags><tag><text>三包</text></tag><tag><text>退货</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>三包内容</text></name>
    <questiontext format="plain_text"><text>三包包括哪些？</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>包修</text></answer>
    <answer fraction="50"><text>包换</text></answer>
    <answer fraction="-100"><text>包邮</text></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/原厂配件</text></category>
  </question>
  <question type="truefalse">
    <name><text>翻新件</text></name>
    <questiontext format="html">
      <text>&lt;p&gt;翻新件可以不经顾客书面同意使用。&lt;/p&gt;</text>
    </questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="numerical">
    <name><text>换货期限</text></name>
    <questiontext format="html"><text>性能故障可换货的期限是购机后几日？</text></questiontext>
    <answer fraction="100"><text>15</text><tolerance>0.5</tolerance></answer>
    <answer fraction="0"><text>*</text><tolerance>0</tolerance></answer>
  </question>
</quiz>
"""


def test_moodle_xml_categories_and_supported_types_become_items():
    bank = bank_parse(MOODLE.encode(), "moodle.xml")

    assert bank.errors == []
    single, multiple, true_false, numeric = _items(bank)
    assert single == {
        "category": ("三包政策", "手机"),
        "kind": "single",
        "text": "手机出现性能故障，购机后几日内可以退货？",
        "text_en": "Within how many days may a phone with a performance fault be returned?",
        "options": [("7日", "", True), ("15日", "", False), ("30日", "", False)],
        "fractions": None,
        "true_false_answer": None,
        "numeric_answer": None,
        "tolerance": Decimal(0),
        "numeric_answers": [],
        **NO_FEEDBACK,
        "active": None,
        "option_feedback": [("正确", ""), ("", ""), ("", "")],
        "explanation": "依据《移动电话机商品修理更换退货责任规定》：7 日内可退货。",
        "explanation_en": "",
        "difficulty": 2,
        "points": Decimal("2.0000000"),
        "partial_credit": "all_or_nothing",
        "tags": ["三包", "退货"],
        "source_ref": "SB-001",
    }
    assert multiple["kind"] == "multiple"
    assert multiple["options"] == [("包修", "", True), ("包换", "", True), ("包邮", "", False)]
    # Graded by Moodle's weights, so no partial credit rule of ours applies.
    assert multiple["fractions"] == [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    assert multiple["partial_credit"] == "all_or_nothing"
    # Moodle's name is a name: without an idnumber the reference is made of the content.
    assert multiple["source_ref"].startswith("content:")
    assert true_false["category"] == ("原厂配件",)
    assert (true_false["kind"], true_false["true_false_answer"]) == ("true_false", False)
    assert true_false["text"] == "翻新件可以不经顾客书面同意使用。"
    assert (numeric["kind"], numeric["numeric_answer"], numeric["tolerance"]) == (
        "numeric",
        Decimal(15),
        Decimal("0.5"),
    )
    # Per-answer feedback is kept, so nothing is noted about it.
    assert bank.warnings == []


def _moodle(questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>'
        '<question type="category"><category><text>$course$/top/三包政策</text></category>'
        f"</question>{questions}</quiz>"
    ).encode()


def _question(kind, body="", name="题目"):
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f"<questiontext><text>题干</text></questiontext>{body}</question>"
    )


@pytest.mark.parametrize(
    ("kind", "described"),
    [
        ("essay", "practical assessments"),
        ("cloze", "several questions inside one text"),
        ("multianswer", "several questions inside one text"),
        ("description", "nothing to answer"),
        ("calculated", "formula"),
        ("calculatedmulti", "formula"),
        ("randomsamatch", "import those short answer questions"),
        ("random", "placeholder"),
        ("ddwtos", "gaps in the text"),
        ("gapselect", "gaps in the text"),
        ("ddmarker", "on an image"),
        ("mystery", "no question type like it"),
    ],
)
def test_moodle_unsupported_type_is_skipped_naming_item_type_and_why(kind, described):
    ok = _question("truefalse", '<answer fraction="100"><text>true</text></answer>', name="好题")
    content = _moodle(ok + _question(kind, name="论述三包"))
    bank = bank_parse(content, "bank.xml")
    assert bank.errors == []
    assert [(e.item, e.label, e.field) for e in bank.skipped] == [(2, "论述三包", "type")]
    assert bank.skipped[0].message.startswith(f"Question type {kind} is not imported: ")
    assert described in bank.skipped[0].message
    assert len(bank.items) == 1
    # All or nothing for those who want it: every skip becomes an error.
    strict = bank_parse(content, "bank.xml", strict=True)
    assert [(e.item, e.field) for e in strict.errors] == [(2, "type")]
    assert strict.skipped == []


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        ('<answer fraction="100"><text>false</text></answer>', "truefalse",
         "The true/false question has no answer for true."),
        ('<answer fraction="50"><text>14</text></answer>', "numerical",
         "A numerical question needs an answer graded 100%."),
        ('<answer fraction="100"><text>15</text></answer>'
         '<answer fraction="150"><text>16</text></answer>', "numerical",
         "Grade 150% of a numerical answer is outside 0% to 100%."),
        ('<answer fraction="100"><text>十五</text></answer>', "numerical",
         "Answer '十五' is not a number."),
        ('<answer fraction="abc"><text>7日</text></answer>', "multichoice",
         "Answer fraction 'abc' is not a number."),
        ('<single>true</single><answer fraction="100"><text>7日</text></answer>'
         '<answer fraction="100"><text>7天</text></answer>', "multichoice",
         "A single choice question needs exactly one correct option (2 marked correct)."),
        ('<single>false</single><answer fraction="0"><text>7日</text></answer>'
         '<answer fraction="0"><text>15日</text></answer>', "multichoice",
         "A multiple choice question needs at least one correct option."),
    ],
)  # fmt: skip
def test_moodle_bad_question_is_named_with_its_reason(body, kind, message):
    bank = bank_parse(_moodle(_question(kind, body, name="坏题")), "bank.xml")
    assert [(e.item, e.label, e.message) for e in bank.errors] == [(1, "坏题", message)]
    assert bank.items == []


def test_moodle_notes_what_it_does_not_import():
    body = (
        '<single>false</single><answer fraction="60"><text>包修</text></answer>'
        '<answer fraction="40"><text>包换</text></answer>'
        '<answer fraction="-100"><text>包邮</text></answer>'
    )
    numerical = (
        '<answer fraction="100"><text>220</text><tolerance>5</tolerance></answer>'
        "<units><unit><multiplier>1</multiplier><unit_name>V</unit_name></unit></units>"
    )
    image = (
        '<question type="truefalse"><name><text>图</text></name><questiontext format="html">'
        '<text><![CDATA[<p>图中接法正确。<img src="@@PLUGINFILE@@/a.png"></p>]]></text>'
        '<file name="a.png" encoding="base64">iVBORw0KGgo=</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    bank = bank_parse(
        _moodle(_question("multichoice", body, "权重") + _question("numerical", numerical, "电压")
                + image),
        "bank.xml",
    )  # fmt: skip
    assert bank.errors == []
    # The different weights of the right answers are kept (60% and 40%), so no note about them.
    assert bank.items[0]["fractions"] == [Decimal("0.6"), Decimal("0.4"), Decimal(-1)]
    assert [(w.item, w.field, w.message) for w in bank.warnings] == [
        (2, "units", "Units are not imported: only the number is checked."),
        (3, "questiontext", "Images and attached files are not imported."),
        (3, "questiontext", "Images and attached files are not imported."),
    ]
    assert bank.items[2]["text"] == "图中接法正确。"


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>',
        b'<?xml version="1.0"?>\n<!ENTITY a SYSTEM "file:///etc/passwd"><quiz/>',
        b'<?xml version="1.0"?><!doctype quiz SYSTEM "http://example.com/q.dtd"><quiz/>',
        # The same declaration in UTF-16, which a byte search for b"<!DOCTYPE" would miss.
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE quiz [<!ENTITY a "a">]><quiz/>'.encode(
            "utf-16"
        ),
        '<?xml version="1.0" encoding="UTF-16LE"?><!DOCTYPE quiz><quiz/>'.encode("utf-16-le"),
    ],
)
def test_moodle_file_declaring_doctype_or_entities_is_refused(content):
    with pytest.raises(BankFileError) as refused:
        bank_parse(content, "bank.xml")
    assert str(refused.value) in (
        "The file declares a DOCTYPE or entities; they are refused.",
        "The file is not UTF-8 text: Moodle exports its XML in UTF-8.",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<quiz><question></quiz>", "The file is not well-formed XML"),
        (b"<questions/>", "This is not a Moodle XML question file"),
        ("<quiz/>".encode("gbk") + "三包".encode("gbk"), "The file is not UTF-8 text"),
    ],
)
def test_unreadable_moodle_file_is_refused_as_a_whole(content, message):
    with pytest.raises(BankFileError, match=message):
        bank_parse(content, "bank.xml")


# GIFT -------------------------------------------------------------------------------------------

GIFT = r"""// 三包政策题库，由培训讲师维护
$CATEGORY: $course$/top/三包政策/手机

// [id:SB-001] [tag:三包] [tag:前台接待]
::退货期限::手机出现性能故障，消费者在购机后几日内可以选择退货？{
  =7日#正确
  ~15日
  ~30日
  ####依据《移动电话机商品修理更换退货责任规定》，7日内可退货。
}

::三包内容::三包包括哪些？{~%50%包修 ~%50%包换 ~%-100%包邮}

::翻新件::翻新件可以不经顾客书面同意使用。{F}

::凭证::三包凭证应交给顾客妥善保存。{TRUE}

$CATEGORY: 原厂配件

::换货期限::性能故障可换货的期限是购机后几日？{#15:0.5}

::电压::充电器输出电压约为几伏？{#5}

::范围::电池循环次数合格范围是多少次？{#450..550}

::转义::电压比 1\:2 的写法是 a\=b，花括号写作 \{ \}。{T}

::填空::顾客在购机后 {=15 ~30} 日内可以换货。

[html]<p>防静电手环应<b>贴紧</b>皮肤。</p>{TRUE#错了#对了}
"""


def test_gift_supported_forms_become_items():
    bank = bank_parse(GIFT.encode(), "bank.gift")

    assert bank.errors == []
    items = _items(bank)
    refund, contents, refurbished, voucher, exchange, volts, cycles, escaped, gap, esd = items
    assert refund == {
        "category": ("三包政策", "手机"),
        "kind": "single",
        "text": "手机出现性能故障，消费者在购机后几日内可以选择退货？",
        "text_en": "",
        "options": [("7日", "", True), ("15日", "", False), ("30日", "", False)],
        "fractions": None,
        "true_false_answer": None,
        "numeric_answer": None,
        "tolerance": Decimal(0),
        "numeric_answers": [],
        **NO_FEEDBACK,
        "active": None,
        "option_feedback": [("正确", ""), ("", ""), ("", "")],
        "explanation": "依据《移动电话机商品修理更换退货责任规定》，7日内可退货。",
        "explanation_en": "",
        "difficulty": 2,
        "points": Decimal(1),
        "partial_credit": "all_or_nothing",
        "tags": ["三包", "前台接待"],
        "source_ref": "SB-001",
    }
    assert (contents["kind"], contents["partial_credit"]) == ("multiple", "all_or_nothing")
    assert contents["fractions"] == [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    assert contents["options"] == [("包修", "", True), ("包换", "", True), ("包邮", "", False)]
    assert contents["source_ref"].startswith("content:")
    assert (refurbished["kind"], refurbished["true_false_answer"]) == ("true_false", False)
    assert voucher["true_false_answer"] is True
    assert exchange["category"] == ("原厂配件",)
    assert (exchange["numeric_answer"], exchange["tolerance"]) == (Decimal(15), Decimal("0.5"))
    assert (volts["numeric_answer"], volts["tolerance"]) == (Decimal(5), Decimal(0))
    assert (cycles["numeric_answer"], cycles["tolerance"]) == (Decimal(500), Decimal(50))
    assert escaped["text"] == "电压比 1:2 的写法是 a=b，花括号写作 { }。"
    assert gap["text"] == "顾客在购机后 _____ 日内可以换货。"
    assert esd["text"] == "防静电手环应贴紧皮肤。"
    assert esd["source_ref"].startswith("content:")  # no title, no id: its content
    assert bank.warnings == []
    # {TRUE#shown when wrong#shown when right}
    assert (esd["incorrect_feedback"], esd["correct_feedback"]) == ("错了", "对了")


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("::论述::论述三包政策。{}", "Essay questions ({}) are not imported: an essay needs"),
        ("::说明::以下题目关于三包。",
         "Text without an {answer} is a description, not imported: a description is text"),
    ],
)  # fmt: skip
def test_gift_unsupported_question_is_skipped_with_its_reason(question, message):
    content = f"$CATEGORY: 三包政策\n\n::好题::可以退货吗？{{T}}\n\n{question}\n".encode()
    bank = bank_parse(content, "bank.txt")
    assert bank.errors == []
    assert [(e.item, e.field) for e in bank.skipped] == [(2, "type")]
    assert message in bank.skipped[0].message
    assert bank.skipped[0].label
    assert [i["text"] for i in bank.items] == ["可以退货吗？"]


@pytest.mark.parametrize(
    ("question", "field", "message"),
    [
        ("::未闭合 题目{=a ~b}", "title", "The ::title:: is not closed."),
        ("::缺括号::题目{=a ~b", "answer", "The answer has no closing }."),
        ("::两处::题目{=a ~b} 和 {=c ~d}", "answer",
         "Only one {answer} per question is supported."),
        ("::数值::几日？{#=%50%15:0 =%50%14:0}", "answer",
         "A numerical question needs an answer graded 100%."),
        ("::数值::几日？{#十五}", "answer", "Answer '十五' is not a number."),
        ("::前缀::题目{abc =a ~b}", "answer", "Text abc comes before the first answer"),
        ("::两个对::题目{=a =b ~c}", "answer",
         "A single choice question needs exactly one correct option (2 marked correct)."),
        ("::没对::题目{~a ~b}", "answer",
         "A multiple choice question needs at least one correct option."),
    ],
)  # fmt: skip
def test_gift_bad_question_is_named_with_its_reason(question, field, message):
    content = f"$CATEGORY: 三包政策\n\n::好题::可以退货吗？{{T}}\n\n{question}\n".encode()
    bank = bank_parse(content, "bank.txt")
    assert [(e.item, e.field) for e in bank.errors] == [(2, field)]
    assert message in bank.errors[0].message
    assert bank.errors[0].label
    assert [i["text"] for i in bank.items] == ["可以退货吗？"]


def test_questions_without_a_category_go_to_the_one_named_at_import():
    gift = "::退货::七日内可以退货吗？{T}\n\n$CATEGORY: 三包政策/换货\n\n::换货::换货？{T}\n"
    bank = bank_parse(gift.encode(), "bank.gift", default_category=("手机维修", "三包"))
    assert bank.errors == []
    assert [item["category"] for item in bank.items] == [("手机维修", "三包"), ("三包政策", "换货")]
    question = _question("truefalse", '<answer fraction="100"><text>true</text></answer>')
    moodle = f'<?xml version="1.0" encoding="UTF-8"?><quiz>{question}</quiz>'.encode()
    (item,) = bank_parse(moodle, "bank.xml", default_category=("导入",)).items
    assert item["category"] == ("导入",)
    without = bank_parse(gift.encode(), "bank.gift")
    assert [e.message for e in without.errors] == [
        "Give the question a category, or name one for questions without a category."
    ]


@pytest.mark.parametrize("content", [b"", b"\n\n// only a comment\n", b"$CATEGORY: A\n"])
def test_an_empty_file_is_an_error_not_an_import_of_nothing(content):
    with pytest.raises(BankFileError, match="The file holds no questions."):
        bank_parse(content, "bank.gift")


def test_gift_in_gb18030_is_read():
    content = "$CATEGORY: 三包政策\n\n::凭证::三包凭证要保存。{T}\n".encode("gb18030")
    (item,) = bank_parse(content, "bank.gift").items
    assert item["text"] == "三包凭证要保存。"


# Formats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("题库.XLSX", None, "xlsx"),
        ("moodle-export.xml", None, "moodle"),
        ("bank.gift", None, "gift"),
        ("bank.txt", None, "gift"),
        ("bank.txt", "moodle", "moodle"),
    ],
)
def test_format_comes_from_the_extension_unless_given(name, fmt, expected):
    assert format_of(name, fmt) == expected


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("bank.docx", None, "Unsupported file type"),
        ("bank.xml", "word", "Unknown format word"),
    ],
)
def test_unknown_format_is_refused(name, fmt, message):
    with pytest.raises(BankFileError, match=message):
        format_of(name, fmt)


def test_item_error_names_item_label_field_and_message():
    bank = bank_parse("$CATEGORY: 三包\n\n::论述::谈谈三包。{}\n".encode(), "b.gift")
    assert bank.skipped == [
        ItemError(
            1,
            "论述",
            "type",
            "Essay questions ({}) are not imported: an essay needs a trainer to read and grade "
            "it; on this platform trainers assess such work through practical assessments.",
        )
    ]


def test_moodle_ordering_question_keeps_the_listed_order_and_its_grading_rule():
    steps = (
        '<answer fraction="1"><text>登记</text></answer>'
        '<answer fraction="2"><text>检测</text></answer>'
        '<answer fraction="3"><text>报价</text></answer>'
    )
    strict = _question("ordering", steps + "<gradingtype>-1</gradingtype>", name="流程")
    partial = _question("ordering", steps + "<gradingtype>0</gradingtype>", name="流程二")

    bank = bank_parse(_moodle(strict + partial), "bank.xml")

    in_order = [("登记", "", False), ("检测", "", False), ("报价", "", False)]
    assert bank.errors == []
    assert [(i["kind"], i["options"], i["partial_credit"]) for i in bank.items] == [
        ("ordering", in_order, "all_or_nothing"),
        ("ordering", in_order, "proportional"),
    ]


@pytest.mark.parametrize(("tag", "difficulty"), [("difficulty:1", 1), ("Difficulty: 3", 3)])
def test_moodle_difficulty_tag_sets_the_difficulty_and_is_not_kept_as_a_tag(tag, difficulty):
    tags = f"<tags><tag><text>{tag}</text></tag><tag><text>三包</text></tag></tags>"
    question = _question("truefalse", '<answer fraction="100"><text>true</text></answer>' + tags)

    (item,) = bank_parse(_moodle(question), "bank.xml").items

    assert (item["difficulty"], item["tags"]) == (difficulty, ["三包"])


def test_moodle_names_are_names_and_the_idnumber_or_the_content_is_the_reference():
    first = _question(
        "truefalse", '<answer fraction="100"><text>true</text></answer>', name="Question 1"
    )
    second = _question(
        "truefalse",
        '<answer fraction="0"><text>true</text></answer>'
        '<answer fraction="100"><text>false</text></answer>',
        name="Question 1",
    )
    keyed = _question(
        "truefalse",
        '<answer fraction="100"><text>true</text></answer><idnumber>SB-007</idnumber>',
        name="长" * 200,
    )
    bank = bank_parse(_moodle(first + second + keyed), "bank.xml")
    assert bank.errors == []
    refs = [item["source_ref"] for item in bank.items]
    assert refs[0].startswith("content:") and refs[1].startswith("content:")
    assert refs[0] != refs[1]
    assert refs[2] == "SB-007"
    again = bank_parse(_moodle(first), "bank.xml")
    assert again.items[0]["source_ref"] == refs[0]  # the same question is found again


def test_word_html_styles_and_comments_are_not_question_text():
    word = (
        "<![CDATA[<html><head><style>p.MsoNormal {margin:0cm; font-family:宋体}</style></head>"
        "<body><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->"
        "<p class=MsoNormal>七日内可以退货吗？</p></body></html>]]>"
    )
    question = (
        f'<question type="truefalse"><name><text>Word</text></name>'
        f'<questiontext format="html"><text>{word}</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    (item,) = bank_parse(_moodle(question), "bank.xml").items
    assert item["text"] == "七日内可以退货吗？"


def test_a_doctype_quoted_inside_cdata_is_text_not_a_declaration():
    text = "<![CDATA[<p>网页以 &lt;!DOCTYPE html&gt; 开头。<!DOCTYPE html> 对吗？</p>]]>"
    question = (
        f'<question type="truefalse"><name><text>网页</text></name>'
        f'<questiontext format="html"><text>{text}</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer></question>'
    )
    bank = bank_parse(_moodle(question), "bank.xml")
    assert bank.errors == [] and len(bank.items) == 1
    with pytest.raises(BankFileError, match="DOCTYPE"):
        bank_parse(b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x "y">]><quiz/>', "b.xml")


def test_gift_numeric_with_wrong_answer_feedback_and_option_format_markers():
    content = (
        "$CATEGORY: 维修\n\n::电压::标准电压几伏？{#3:2~#完全错误}\n\n"
        "::格式::哪项正确？{=[plain]原厂配件 ~[html]<b>拆机件</b>}\n"
    ).encode()
    bank = bank_parse(content, "bank.gift")
    assert bank.errors == []
    numeric, choice = bank.items
    assert (numeric["numeric_answer"], numeric["tolerance"]) == (Decimal(3), Decimal(2))
    assert bank.warnings == []
    assert numeric["numeric_answers"] == [
        {
            "value": None,
            "tolerance": "0",
            "fraction": "0",
            "feedback": "完全错误",
            "feedback_en": "",
        }
    ]
    assert [text for text, _en, _right in choice["options"]] == ["原厂配件", "拆机件"]


def test_a_windows_1252_gift_file_is_read_as_such_and_said_so_not_garbled():
    content = "$CATEGORY: Repair\n\n::Café::Is the “café” screen genuine – yes?{T}\n".encode(
        "cp1252"
    )
    bank = bank_parse(content, "bank.gift")
    (item,) = bank.items
    assert item["text"] == "Is the “café” screen genuine – yes?"
    assert [w.field for w in bank.warnings] == ["file"]
    assert "Windows-1252" in bank.warnings[0].message


def test_chinese_gift_files_in_gb18030_are_not_mistaken_for_western_text():
    content = "$CATEGORY: 三包政策\n\n::凭证::三包凭证、发票和保修卡要保存吗？{T}\n".encode(
        "gb18030"
    )
    bank = bank_parse(content, "bank.gift")
    assert bank.items[0]["text"] == "三包凭证、发票和保修卡要保存吗？"
    assert bank.warnings == []


def test_traditional_chinese_in_gb18030_is_still_read_as_chinese():
    content = "$CATEGORY: 三包\n\n::憑證::三包憑證與發票須妥善保存嗎？{T}\n".encode("gb18030")
    assert bank_parse(content, "bank.gift").items[0]["text"] == "三包憑證與發票須妥善保存嗎？"

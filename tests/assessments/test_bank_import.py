"""Importing question banks all or nothing, re-importing, exporting, and the commands."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessments.bank_formats import bank_parse, xlsx_columns
from assessments.grading import score
from assessments.models import Question, QuestionCategory, QuestionOption, QuestionVersion
from assessments.services.banks import bank_export, bank_import
from assessments.services.questions import question_version_current
from tests.factories import assessments as factories
from tests.factories.network import UserFactory

pytestmark = pytest.mark.django_db

HEADER = xlsx_columns()


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(column) for column in HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ROWS = [
    {
        "category": "三包政策/手机",
        "type": "single",
        "question": "手机出现性能故障，购机后几日内可以选择退货？",
        "question_en": "Within how many days may a phone with a performance fault be returned?",
        "option_1": "7日",
        "option_1_en": "7 days",
        "option_2": "15日",
        "option_2_en": "15 days",
        "option_3": "30日",
        "correct": "1",
        "explanation": "依据《移动电话机商品修理更换退货责任规定》。",
        "tags": "三包, 退货",
        "ref": "SB-001",
    },
    {
        "category": "三包政策/手机",
        "type": "multiple",
        "question": "三包包括哪些？",
        "option_1": "包修",
        "option_2": "包换",
        "option_3": "包退",
        "option_4": "包邮",
        "correct": "1,2,3",
        "partial_credit": "proportional",
        "points": 3,
        "ref": "SB-002",
    },
    {
        "category": "三包政策",
        "type": "true_false",
        "question": "翻新件可以不经顾客书面同意使用。",
        "correct": "FALSE",
    },
    {
        "category": "原厂配件",
        "type": "ordering",
        "question": "按顺序排列防静电拆机步骤。",
        "option_1": "拆下后盖",
        "option_2": "佩戴防静电手环",
        "option_3": "断开电池排线",
        "correct": "2,1,3",
        "ref": "PJ-001",
    },
    {
        "category": "原厂配件",
        "type": "numeric",
        "question": "充电器输出电压约为几伏？",
        "correct": "5",
        "tolerance": "0.25",
        "ref": "PJ-002",
    },
]


def _counts():
    return (
        QuestionCategory.objects.count(),
        Question.objects.count(),
        QuestionOption.objects.count(),
        QuestionVersion.objects.count(),
        Question.tags.through.objects.count(),
    )


def _import(rows=ROWS, *, apply=True, actor=None):
    return bank_import(content=_xlsx(rows), filename="题库.xlsx", apply=apply, actor=actor)


def test_import_creates_categories_by_path_questions_and_their_first_versions():
    trainer = UserFactory()
    report = _import(actor=trainer)

    assert (report.ok, report.applied, report.total) == (True, True, 5)
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert report.categories_created == 3
    phones = QuestionCategory.objects.get(name="手机")
    assert phones.parent == QuestionCategory.objects.get(name="三包政策", parent=None)
    refund = Question.objects.get(source_ref="SB-001")
    assert refund.category == phones
    assert (refund.kind, refund.text_en) == (
        "single",
        "Within how many days may a phone with a performance fault be returned?",
    )
    assert [(o.text, o.text_en, o.is_correct) for o in refund.options.all()] == [
        ("7日", "7 days", True),
        ("15日", "15 days", False),
        ("30日", "", False),
    ]
    assert sorted(refund.tags.names()) == ["三包", "退货"]
    ordering = Question.objects.get(source_ref="PJ-001")
    assert [o.text for o in ordering.options.all()] == [
        "佩戴防静电手环",
        "拆下后盖",
        "断开电池排线",
    ]
    volts = Question.objects.get(source_ref="PJ-002")
    assert (volts.numeric_answer, volts.numeric_tolerance) == (Decimal(5), Decimal("0.25"))
    assert Question.objects.get(kind="true_false").true_false_answer is False
    versions = QuestionVersion.objects.all()
    assert [(v.number, v.created_by) for v in versions] == [(1, trainer)] * 5
    multiple = QuestionVersion.objects.get(question__source_ref="SB-002").data
    keys = [o["key"] for o in multiple["options"]]
    assert score(multiple, keys[:2]) == Decimal("2.00")  # two of three right choices, proportional


def test_dry_run_counts_and_writes_nothing():
    report = _import(apply=False)

    assert (report.ok, report.applied) == (True, False)
    assert (report.created, report.updated, report.unchanged, report.categories_created) == (
        5,
        0,
        0,
        3,
    )
    assert _counts() == (0, 0, 0, 0, 0)


def test_one_bad_item_imports_nothing():
    _import()
    before = _counts()
    changed = [{**ROWS[0], "question": "已修改的题目"}, *ROWS[1:]]
    bad = {**ROWS[1], "ref": "SB-003", "correct": None}
    report = _import([*changed, bad])

    assert (report.ok, report.applied) == (False, False)
    assert [(e.item, e.field) for e in report.errors] == [(7, "correct")]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert _counts() == before
    assert Question.objects.get(source_ref="SB-001").text == ROWS[0]["question"]


def test_reimporting_the_same_file_changes_nothing():
    _import()
    before = _counts()
    stamps = dict(Question.objects.values_list("pk", "updated_at"))
    report = _import()

    assert (report.created, report.updated, report.unchanged, report.categories_created) == (
        0,
        0,
        5,
        0,
    )
    assert _counts() == before
    assert dict(Question.objects.values_list("pk", "updated_at")) == stamps


def test_an_imported_question_is_drawn_at_the_version_the_import_froze():
    _import()
    versions = QuestionVersion.objects.count()

    for question in Question.objects.prefetch_related("options"):
        assert question_version_current(question=question).number == 1

    assert QuestionVersion.objects.count() == versions == Question.objects.count()


def test_new_questions_only_leaves_existing_ones_as_they_are():
    _import()
    refund = Question.objects.get(source_ref="SB-001")
    refund.text = "培训师改过的题干"
    refund.save()
    before = _counts()
    report = bank_import(
        content=_xlsx(ROWS), filename="bank.xlsx", apply=True, update_existing=False
    )

    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert _counts() == before
    refund.refresh_from_db()
    assert refund.text == "培训师改过的题干"


def test_reimport_updates_a_changed_question_with_a_new_version_and_keeps_option_rows():
    _import()
    refund = Question.objects.get(source_ref="SB-001")
    first = refund.versions.get()
    option_ids = list(refund.options.values_list("pk", flat=True))
    rows = [{**ROWS[0], "option_3": "10日", "correct": "1", "tags": "三包"}, *ROWS[1:]]
    report = _import(rows)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    refund.refresh_from_db()
    assert [o.text for o in refund.options.all()] == ["7日", "15日", "10日"]
    assert list(refund.options.values_list("pk", flat=True)) == option_ids
    assert list(refund.tags.names()) == ["三包"]
    assert list(refund.versions.values_list("number", flat=True)) == [1, 2]
    first_again = QuestionVersion.objects.get(pk=first.pk)
    assert first_again.data == first.data
    assert [o["text"] for o in first_again.data["options"]] == ["7日", "15日", "30日"]


def test_question_without_reference_is_found_again_by_its_text():
    _import()
    rows = [*ROWS[:2], {**ROWS[2], "difficulty": 3}, *ROWS[3:]]
    report = _import(rows)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Question.objects.get(kind="true_false").difficulty == 3


def test_question_made_in_the_admin_gets_its_reference_from_the_first_import():
    bank = factories.category("三包政策")
    made = factories.question(
        category=bank,
        kind="true_false",
        text=ROWS[2]["question"],
        true_false_answer=False,
    )
    report = _import([{**ROWS[2], "ref": "SB-010"}])
    assert (report.created, report.updated) == (0, 1)
    made.refresh_from_db()
    assert made.source_ref == "SB-010"


def test_two_matching_questions_in_the_bank_make_the_item_an_error_and_nothing_is_written():
    bank = factories.category("三包政策")
    for _ in range(2):
        factories.question(category=bank, kind="true_false", text=ROWS[2]["question"])
    before = _counts()
    report = _import(ROWS)
    assert [(e.item, e.field) for e in report.errors] == [(4, "ref")]
    assert "2 questions in category 三包政策 match this one" in report.errors[0].message
    assert (report.created, report.categories_created, report.applied) == (0, 0, False)
    assert _counts() == before


def test_export_then_import_round_trips_the_bank():
    _import()
    root = QuestionCategory.objects.get(name="三包政策")
    data = bank_export(category=root)
    exported = bank_parse(data, "export.xlsx")

    assert exported.errors == []
    original = bank_parse(_xlsx(ROWS), "题库.xlsx")
    strip = [{k: v for k, v in i.items() if k != "item"} for i in original.items]
    # The export lists a category before the categories inside it.
    assert [{k: v for k, v in i.items() if k != "item"} for i in exported.items] == sorted(
        (i for i in strip if i["category"][0] == "三包政策"), key=lambda i: i["category"]
    )
    report = bank_import(content=data, filename="export.xlsx", apply=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_export_leaves_out_inactive_questions_and_other_banks():
    _import()
    Question.objects.filter(source_ref="SB-002").update(is_active=False)
    data = bank_export(category=QuestionCategory.objects.get(name="三包政策"))
    refs = [i["source_ref"] for i in bank_parse(data, "export.xlsx").items]
    assert refs == ["", "SB-001"]


def test_moodle_and_gift_files_import_through_the_same_service():
    moodle = (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>'
        '<question type="category"><category><text>$course$/top/三包政策</text></category>'
        '</question><question type="truefalse"><name><text>凭证</text></name>'
        "<questiontext><text>三包凭证应交给顾客。</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    ).encode()
    gift = "$CATEGORY: 三包政策\n\n::退货::几日内可退货？{=7日 ~15日}\n".encode()

    first = bank_import(content=moodle, filename="moodle.xml", apply=True)
    second = bank_import(content=gift, filename="bank.gift", apply=True)

    assert (first.created, second.created) == (1, 1)
    assert QuestionCategory.objects.count() == 1
    refs = list(Question.objects.values_list("source_ref", flat=True))
    assert len(set(refs)) == 2 and all(ref.startswith("content:") for ref in refs)


def test_file_error_is_reported_as_item_zero():
    report = bank_import(content=b"%PDF", filename="bank.pdf", apply=True)
    assert [(e.item, e.message[:21]) for e in report.errors] == [(0, "Unsupported file type")]


def test_import_command_dry_run_then_import(tmp_path, capsys):
    path = tmp_path / "题库.xlsx"
    path.write_bytes(_xlsx(ROWS))

    call_command("import_questions", str(path), "--dry-run")
    assert _counts() == (0, 0, 0, 0, 0)
    call_command("import_questions", str(path), "--format", "xlsx")

    out = capsys.readouterr().out
    assert "5 questions checked (dry run, nothing written): 5 new" in out
    assert "5 questions imported: 5 new, 0 changed, 0 unchanged; 3 new categories." in out
    assert Question.objects.count() == 5


def test_import_command_with_errors_fails_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "bank.gift"
    path.write_text("$CATEGORY: 三包\n\n::坏题::七日内可退货？{=是 ~否\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems: nothing was imported."):
        call_command("import_questions", str(path))
    assert "item 1 坏题 [answer]: The answer has no closing }." in capsys.readouterr().err
    assert _counts() == (0, 0, 0, 0, 0)


def test_import_command_skips_what_it_cannot_import_unless_strict(tmp_path, capsys):
    path = tmp_path / "bank.gift"
    path.write_text("::论述::谈谈三包。{}\n\n::退货::七日内可以退货吗？{T}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems: nothing was imported."):
        call_command("import_questions", str(path), "--category", "三包", "--strict")
    assert _counts() == (0, 0, 0, 0, 0)
    capsys.readouterr()

    out = io.StringIO()
    call_command("import_questions", str(path), "--category", "三包/退换货", stdout=out)

    assert "1 questions imported: 1 new" in out.getvalue()
    assert "1 skipped." in out.getvalue()
    assert "skipped: item 1 论述 [type]: Essay questions ({}) are not imported: " in (
        capsys.readouterr().err
    )
    assert QuestionCategory.objects.get(name="退换货").parent.name == "三包"


def test_import_command_refuses_an_empty_file(tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text("// nothing here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_questions", str(path))


def test_export_command_writes_the_bank(tmp_path):
    _import()
    category = QuestionCategory.objects.get(name="原厂配件")
    path = tmp_path / "out.xlsx"
    call_command("export_questions", str(category.pk), str(path))
    refs = [i["source_ref"] for i in bank_parse(path.read_bytes(), "out.xlsx").items]
    assert refs == ["PJ-001", "PJ-002"]


def test_two_items_matching_one_question_are_an_error():
    bank = factories.category("三包政策")
    factories.question(category=bank, kind="true_false", text=ROWS[2]["question"])
    before = _counts()
    report = _import([{**ROWS[2], "ref": "SB-020"}, {**ROWS[2], "difficulty": 1}])
    assert [(e.item, e.message) for e in report.errors] == [
        (3, "This is the same question as 2: give each a different reference.")
    ]
    assert _counts() == before

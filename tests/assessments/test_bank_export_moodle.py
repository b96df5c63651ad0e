"""Banks back to Moodle: Moodle XML and GIFT exports, and import, export, import round trips."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.bank_formats import bank_parse
from assessments.models import Question, QuestionCategory, QuestionVersion
from assessments.services.banks import bank_export_as, bank_import
from network.services import staff_assignment_sync
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

BANKS = Path(__file__).parent / "banks"
XML = (BANKS / "moodle_bank.xml").read_bytes()
GIFT = (BANKS / "moodle_bank.gift").read_bytes()


def _import(content, filename, **options):
    report = bank_import(
        content=content, filename=filename, apply=True, default_category=("导入",), **options
    )
    assert report.ok, report.errors
    return report


def _versions() -> dict:
    """The latest version's data of each question by reference, without the option row keys."""
    result = {}
    for question in Question.objects.order_by("pk"):
        data = dict(question.versions.order_by("-number").first().data)
        data["options"] = [{k: v for k, v in o.items() if k != "key"} for o in data["options"]]
        result[question.source_ref] = (data, question.is_active, question.category_id)
    return result


def test_moodle_bank_imports_what_it_can_and_skips_the_rest():
    report = _import(XML, "moodle_bank.xml")

    assert (report.created, report.total) == (8, 8)
    assert [(s.item, s.label) for s in report.skipped] == [
        (9, "论述"),
        (10, "说明"),
        (11, "填空"),
        (12, "功率"),
        (13, "Random (三包政策)"),
    ]
    assert Question.objects.get(text="三包包括哪些？").is_active is False


def test_xml_import_export_import_gives_the_same_questions():
    _import(XML, "moodle_bank.xml")
    before = _versions()
    exported, left_out = bank_export_as(
        category=QuestionCategory.objects.get(name="三包政策", parent=None), fmt="xml"
    )
    exported_repair, _ = bank_export_as(
        category=QuestionCategory.objects.get(name="维修", parent=None), fmt="xml"
    )

    again = [
        bank_import(content=c, filename="back.xml", apply=True) for c in (exported, exported_repair)
    ]

    assert left_out == []
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 5), (0, 0, 3)]
    assert _versions() == before
    assert QuestionVersion.objects.count() == 8
    # Moodle reads it: grades in percent, the hidden flag, the wildcard answer, the languages.
    text = exported.decode()
    assert '<answer fraction="33.33333" format="html">' in text
    assert '<answer fraction="-100" format="html">' in text
    assert "<hidden>1</hidden>" in text
    assert '&lt;span lang="en" class="multilang"&gt;Within how many days' in text
    assert "<text>$course$/top/三包政策/手机</text>" in text
    # Short answer and matching as Moodle writes them.
    assert '<question type="shortanswer">' in text
    assert "<usecase>1</usecase>" in text
    assert '<answer fraction="50" format="moodle_auto_format">\n      <text>保*</text>' in text
    assert "<text>USB\\*</text>" in text
    assert '<question type="matching">' in text
    assert (
        '<subquestion format="html">\n      <text />\n      <answer>\n        <text>包邮到家'
        in (text)
    )


def test_xml_export_into_an_empty_bank_gives_the_same_versions():
    _import(XML, "moodle_bank.xml")
    before = _versions()
    exports = [
        bank_export_as(category=QuestionCategory.objects.get(name=n, parent=None), fmt="xml")[0]
        for n in ("三包政策", "维修")
    ]
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()

    for content in exports:
        bank_import(content=content, filename="back.xml", apply=True)

    after = _versions()
    assert {ref: (data, active) for ref, (data, active, _c) in after.items()} == {
        ref: (data, active) for ref, (data, active, _c) in before.items()
    }


def test_gift_import_export_import_gives_the_same_questions():
    report = _import(GIFT, "moodle_bank.gift")
    assert (report.created, len(report.skipped)) == (10, 1)
    before = _versions()
    exports = [
        bank_export_as(category=QuestionCategory.objects.get(name=n, parent=None), fmt="gift")
        for n in ("导入", "维修")
    ]

    again = [bank_import(content=c, filename="back.gift", apply=True) for c, _l in exports]

    assert [left for _c, left in exports] == [[], []]
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 2), (0, 0, 8)]
    assert _versions() == before
    text = exports[1][0].decode()
    assert "$CATEGORY: $course$/top/维修/电学" in text
    assert "=%50%3.1:0.1#接近" in text
    assert "[tag:difficulty:3]" in text
    assert "\t=%50%显示*#接近，常说“屏幕”" in text
    assert "\t=5\\\\*#五星" in text
    assert "\t= -> 散热" in text


def test_gift_export_parses_back_to_the_same_items_as_the_file():
    original = {
        i["source_ref"]: i for i in bank_parse(GIFT, "b.gift", default_category=("导入",)).items
    }
    _import(GIFT, "moodle_bank.gift")
    exported = b"\n".join(
        bank_export_as(category=QuestionCategory.objects.get(name=n, parent=None), fmt="gift")[0]
        for n in ("导入", "维修")
    )

    back = {i["source_ref"]: i for i in bank_parse(exported, "b.gift").items}

    strip = lambda item: {k: v for k, v in item.items() if k != "item"}  # noqa: E731
    assert {r: strip(i) for r, i in back.items()} == {r: strip(i) for r, i in original.items()}


def test_xml_bank_exported_as_gift_keeps_what_gift_can_hold_and_lists_ordering():
    _import(XML, "moodle_bank.xml")

    content, left_out = bank_export_as(
        category=QuestionCategory.objects.get(name="维修", parent=None), fmt="gift"
    )

    assert [(p.label, p.message) for p in left_out] == [
        (
            "按顺序排列接修流程。",
            "GIFT has no ordering questions: export to Moodle XML to keep them.",
        )
    ]
    items = bank_parse(content, "b.gift").items
    numeric = next(i for i in items if i["kind"] == "numeric")
    assert (numeric["numeric_answer"], numeric["tolerance"]) == (Decimal(5), Decimal("0.25"))
    assert numeric["numeric_answers"][0]["fraction"] == "0.5"


def test_gift_bank_exported_as_xml_round_trips():
    _import(GIFT, "moodle_bank.gift")
    before = _versions()

    for name in ("导入", "维修"):
        content, _ = bank_export_as(
            category=QuestionCategory.objects.get(name=name, parent=None), fmt="xml"
        )
        report = bank_import(content=content, filename="b.xml", apply=True)
        assert (report.created, report.updated) == (0, 0)

    assert _versions() == before


def test_a_gb18030_gift_file_round_trips_as_utf8():
    _import(GIFT.decode("utf-8").encode("gb18030"), "moodle_bank.gift")
    before = _versions()
    content, _ = bank_export_as(
        category=QuestionCategory.objects.get(name="维修", parent=None), fmt="gift"
    )

    report = bank_import(content=content, filename="b.gift", apply=True)

    content.decode("utf-8")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)
    assert _versions() == before


def test_export_command_writes_moodle_xml_and_gift(tmp_path, capsys):
    _import(XML, "moodle_bank.xml")
    category = QuestionCategory.objects.get(name="维修", parent=None)

    call_command("export_questions", category.pk, tmp_path / "b.xml", "--format", "xml")
    call_command("export_questions", category.pk, tmp_path / "b.gift", "--format", "gift")

    assert bank_parse((tmp_path / "b.xml").read_bytes(), "b.xml").errors == []
    assert len(bank_parse((tmp_path / "b.gift").read_bytes(), "b.gift").items) == 2
    assert "Left out question 3 (按顺序排列接修流程。)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "suffix", "start"), [("xml", "xml", b"<?xml"), ("gift", "gift", b"$CATEGORY")]
)
def test_the_admin_downloads_a_bank_as_moodle_xml_or_gift(client, fmt, suffix, start):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    _import(XML, "moodle_bank.xml")
    category = QuestionCategory.objects.get(name="维修", parent=None)

    response = client.get(reverse("assessments_bank_export", args=[category.pk]), {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f".{suffix}")
    assert b"".join(response.streaming_content).startswith(start)

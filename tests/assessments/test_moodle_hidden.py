"""Questions Moodle hides are imported inactive; files that do not say change nothing."""

import pytest

from assessments.bank_formats import bank_parse
from assessments.models import Question
from assessments.services.banks import bank_import

pytestmark = pytest.mark.django_db


def _xml(hidden: str) -> bytes:
    tag = f"<hidden>{hidden}</hidden>" if hidden else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>翻新件</text></name>
    <questiontext format="html"><text>翻新件可以不经顾客同意使用。</text></questiontext>
    {tag}
    <idnumber>YP-001</idnumber>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
</quiz>
""".encode()


@pytest.mark.parametrize(("hidden", "active"), [("1", False), ("0", True), ("", None)])
def test_the_hidden_flag_is_read(hidden, active):
    (item,) = bank_parse(_xml(hidden), "b.xml", default_category=("原厂配件",)).items

    assert item["active"] is active


def test_a_hidden_question_is_imported_inactive_and_the_dry_run_agrees():
    dry = bank_import(
        content=_xml("1"), filename="b.xml", apply=False, default_category=("原厂配件",)
    )
    report = bank_import(
        content=_xml("1"), filename="b.xml", apply=True, default_category=("原厂配件",)
    )

    assert (dry.created, report.created) == (1, 1)
    assert Question.objects.get().is_active is False


def test_a_question_hidden_later_in_moodle_is_deactivated_and_shown_again_reactivated():
    bank_import(content=_xml("0"), filename="b.xml", apply=True, default_category=("原厂配件",))

    hidden = bank_import(
        content=_xml("1"), filename="b.xml", apply=True, default_category=("原厂配件",)
    )
    assert hidden.updated == 1
    assert Question.objects.get().is_active is False
    shown = bank_import(
        content=_xml("0"), filename="b.xml", apply=True, default_category=("原厂配件",)
    )
    assert shown.updated == 1
    assert Question.objects.get().is_active is True


def test_a_file_that_does_not_say_leaves_a_deactivated_question_inactive():
    bank_import(content=_xml(""), filename="b.xml", apply=True, default_category=("原厂配件",))
    Question.objects.update(is_active=False)

    again = bank_import(
        content=_xml(""), filename="b.xml", apply=True, default_category=("原厂配件",)
    )

    assert (again.updated, again.unchanged) == (0, 1)
    assert Question.objects.get().is_active is False

"""Moodle's answer grades (fractions): read from GIFT and XML, kept on options, scored as Moodle."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.bank_formats import bank_parse
from assessments.grading import score
from assessments.models import Question, QuestionVersion
from assessments.services.banks import bank_import
from assessments.services.questions import question_version_current
from network.services import staff_assignment_sync
from tests.factories import assessments as factories
from tests.factories.network import StaffFactory

COLOURS = (
    "$CATEGORY: 色彩\n\n::三原色::Which is a primary colour?{~%100%yellow ~%-50%red ~%-50%blue}\n"
)
NAZARETH = (
    "$CATEGORY: 地理\n\n"
    "::Jesus::Where was Jesus brought up?{~%25%Bethlehem ~%50%Jerusalem =Nazareth ~Rome}\n"
)
MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/三包政策</text></category></question>
  <question type="multichoice">
    <name><text>三包内容</text></name>
    <questiontext format="html"><text><![CDATA[<p>三包包括哪些？</p>]]></text></questiontext>
    <defaultgrade>2</defaultgrade>
    <single>false</single>
    <answer fraction="33.33333"><text>包修</text></answer>
    <answer fraction="33.33333"><text>包换</text></answer>
    <answer fraction="33.33333"><text>包退</text></answer>
    <answer fraction="-100"><text>包邮</text></answer>
  </question>
  <question type="multichoice">
    <name><text>退货期限</text></name>
    <questiontext format="html"><text>性能故障几日内可退货？</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>7日</text></answer>
    <answer fraction="50"><text>15日</text></answer>
    <answer fraction="0"><text>30日</text></answer>
  </question>
</quiz>
"""


def _keys(data):
    return {o["text"]: o["key"] for o in data["options"]}


def test_gift_multiple_answer_weights_are_kept_negative_ones_too():
    (item,) = bank_parse(COLOURS.encode(), "colours.gift").items

    assert item["kind"] == "multiple"
    assert item["fractions"] == [Decimal(1), Decimal("-0.5"), Decimal("-0.5")]
    assert item["options"] == [("yellow", "", True), ("red", "", False), ("blue", "", False)]


def test_gift_single_choice_with_partial_grades_on_wrong_options_imports():
    bank = bank_parse(NAZARETH.encode(), "jesus.gift")

    assert bank.errors == []
    (item,) = bank.items
    assert item["kind"] == "single"
    assert item["fractions"] == [Decimal("0.25"), Decimal("0.5"), Decimal(1), Decimal(0)]
    # Only the 100% option is the right answer; the others earn part of the points.
    assert [o[2] for o in item["options"]] == [False, False, True, False]


def test_single_choice_of_full_and_no_grades_only_keeps_its_correct_flag():
    gift = "::退货::几日内可退货？{=7日 ~15日 ~%0%30日}\n"

    (item,) = bank_parse(gift.encode(), "b.gift", default_category=("三包",)).items

    assert item["fractions"] is None


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("::坏::题目{~%50%a ~%20%b ~c}", "The positive grades add up to 70%, not 100%."),
        ("::坏::题目{~%50%a ~%20%b =%80%c}",
         "No option has a grade of 100%: the best answer earns 80%."),
    ],
)  # fmt: skip
def test_grades_moodle_would_save_with_a_notice_import_with_a_warning(gift, message):
    bank = bank_parse(gift.encode(), "b.gift", default_category=("三包",))

    assert bank.errors == []
    assert [(w.item, w.field, w.message) for w in bank.warnings] == [(1, "answer", message)]
    assert len(bank.items) == 1


def test_a_grade_above_100_percent_is_an_error():
    bank = bank_parse("::坏::题目{~%150%a ~b}".encode(), "b.gift", default_category=("三包",))

    assert [(e.item, e.message) for e in bank.errors] == [
        (1, "Grade 150% is outside -100% to 100%.")
    ]
    assert bank.items == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("chosen", "earned"),
    [
        (["yellow"], "1.00"),
        (["yellow", "red"], "0.50"),
        (["yellow", "red", "blue"], "0.00"),
        (["red"], "0.00"),  # kept at 0, never negative
        ([], "0.00"),
    ],
)
def test_imported_multiple_answer_scores_the_sum_of_chosen_grades_between_0_and_1(chosen, earned):
    report = bank_import(content=COLOURS.encode(), filename="colours.gift", apply=True)

    assert report.ok and report.created == 1
    version = QuestionVersion.objects.get()
    keys = _keys(version.data)
    assert score(version.data, [keys[c] for c in chosen]) == Decimal(earned)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("chosen", "earned"),
    [("Nazareth", "1.00"), ("Jerusalem", "0.50"), ("Bethlehem", "0.25"), ("Rome", "0.00")],
)
def test_imported_single_choice_scores_the_grade_of_the_chosen_option(chosen, earned):
    bank_import(content=NAZARETH.encode(), filename="jesus.gift", apply=True)

    version = QuestionVersion.objects.get()
    assert score(version.data, _keys(version.data)[chosen]) == Decimal(earned)


@pytest.mark.django_db
def test_moodle_xml_grades_are_stored_on_options_and_frozen_in_the_version():
    report = bank_import(content=MOODLE_XML.encode(), filename="bank.xml", apply=True)

    assert report.ok and report.created == 2
    contents = Question.objects.get(text="三包包括哪些？")
    assert [(o.text, o.is_correct, o.fraction) for o in contents.options.all()] == [
        ("包修", True, Decimal("0.3333333")),
        ("包换", True, Decimal("0.3333333")),
        ("包退", True, Decimal("0.3333333")),
        ("包邮", False, Decimal(-1)),
    ]
    data = contents.versions.get().data
    assert [o["fraction"] for o in data["options"]] == ["0.3333333"] * 3 + ["-1"]
    keys = _keys(data)
    # Two of three right at 2 points: 0.6666666 of 2 is 1.33.
    assert score(data, [keys["包修"], keys["包换"]]) == Decimal("1.33")
    assert score(data, [keys["包修"], keys["包换"], keys["包退"]]) == Decimal("2.00")
    assert score(data, [keys["包修"], keys["包换"], keys["包退"], keys["包邮"]]) == Decimal("0.00")
    deadline = Question.objects.get(text="性能故障几日内可退货？").versions.get().data
    assert score(deadline, _keys(deadline)["15日"]) == Decimal("0.50")


@pytest.mark.django_db
def test_reimporting_a_graded_bank_changes_nothing_and_changed_grades_update_it():
    bank_import(content=MOODLE_XML.encode(), filename="bank.xml", apply=True)

    again = bank_import(content=MOODLE_XML.encode(), filename="bank.xml", apply=True)
    changed = MOODLE_XML.replace('fraction="50"', 'fraction="40"')
    dry = bank_import(content=changed.encode(), filename="bank.xml", apply=False)
    applied = bank_import(content=changed.encode(), filename="bank.xml", apply=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (dry.updated, dry.unchanged) == (applied.updated, applied.unchanged) == (1, 1)
    deadline = Question.objects.get(text="性能故障几日内可退货？")
    assert [o.fraction for o in deadline.options.all()] == [Decimal(1), Decimal("0.4"), Decimal(0)]
    assert deadline.versions.count() == 2


def test_questions_without_grades_score_by_their_correct_flags_and_rule():
    data = {
        "kind": "multiple",
        "points": "1",
        "partial_credit": "proportional",
        "options": [
            {"key": "1", "text": "a", "text_en": "", "correct": True},
            {"key": "2", "text": "b", "text_en": "", "correct": True},
            {"key": "3", "text": "c", "text_en": "", "correct": False},
        ],
    }
    assert score(data, ["1"]) == Decimal("0.50")
    assert score(data, ["1", "3"]) == Decimal("0.00")


@pytest.mark.django_db
def test_version_of_a_question_without_grades_has_no_fraction_key():
    question = factories.question(
        category=factories.category("三包"), options=[("7日", True), ("15日", False)]
    )

    version = question_version_current(question=question)

    assert all("fraction" not in o for o in version.data["options"])


# The admin -------------------------------------------------------------------------------------

ADD = "wagtailsnippets_assessments_question:add"


@pytest.fixture
def trainer_client(client):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    return client


def _form(bank, kind, options):
    return nested_form_data(
        {
            "category": str(bank.pk),
            "kind": kind,
            "difficulty": "2",
            "text": "三包包括哪些？",
            "text_en": "",
            "options": inline_formset(
                [
                    {"text": t, "text_en": "", "is_correct": "on" if right else "", "fraction": f}
                    for t, right, f in options
                ]
            ),
            "true_false_answer": "unknown",
            "numeric_answer": "",
            "numeric_tolerance": "0",
            "points": "1",
            "partial_credit": "all_or_nothing",
            "explanation": "",
            "explanation_en": "",
            "tags": "",
            "is_active": "on",
        }
    )


@pytest.mark.django_db
def test_admin_question_form_shows_the_grade_of_each_option(trainer_client):
    response = trainer_client.get(reverse(ADD))

    assert response.status_code == 200
    assert 'name="options-__prefix__-fraction"' in response.content.decode()


@pytest.mark.django_db
def test_trainer_saves_grades_and_the_version_is_scored_by_them(trainer_client):
    bank = factories.category("三包政策")
    options = [("包修", True, "0.5"), ("包换", True, "0.5"), ("包邮", False, "-1")]

    response = trainer_client.post(reverse(ADD), _form(bank, "multiple", options))

    assert response.status_code == 302
    question = Question.objects.get()
    assert [o.fraction for o in question.options.all()] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal(-1),
    ]
    data = question_version_current(question=question).data
    keys = _keys(data)
    assert score(data, [keys["包修"]]) == Decimal("0.50")
    assert score(data, [keys["包修"], keys["包邮"]]) == Decimal("0.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("multiple", [("包修", True, "0.5"), ("包换", True, "0.2"), ("包邮", False, "")],
         "The positive grades add up to 70%, not 100%."),
        ("multiple", [("包修", True, "0.5"), ("包换", False, "0.5"), ("包邮", False, "")],
         "With grades, mark as correct exactly the options with the full grade (single choice) "
         "or a grade above 0 (multiple choice)."),
        ("true_false", [("对", False, "1")],
         "Option grades apply to single and multiple choice only."),
    ],
)  # fmt: skip
def test_admin_refuses_grades_that_do_not_add_up(trainer_client, kind, options, message):
    bank = factories.category("三包政策")

    response = trainer_client.post(reverse(ADD), _form(bank, kind, options))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()

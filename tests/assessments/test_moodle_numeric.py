"""Every numeric form Moodle accepts, in GIFT and XML, and the best matching answer's grade."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from assessments.bank_formats import bank_parse
from assessments.grading import score
from assessments.models import Question, QuestionVersion
from assessments.services.banks import bank_import
from assessments.services.questions import question_version_current
from network.services import staff_assignment_sync
from tests.factories import assessments as factories
from tests.factories.network import StaffFactory

GIFT = """$CATEGORY: 维修/电学

::电压::手机充电器输出电压约为几伏？{#5:0.25}

::循环::电池循环次数合格范围？{#450..550}

::圆周率::圆周率取几位？{#=%100%3.14:0.01 =%50%3.1:0.1 ~#错得太远了}

::重叠::电阻约为几欧？{#=%50%3:1 =3.1:0.05}

::反馈::几日内可换货？{#=15#对了 =%25%7:0#那是退货期}
"""
XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="numerical">
    <name><text>圆周率</text></name>
    <questiontext format="html"><text>圆周率约为多少？</text></questiontext>
    <defaultgrade>2</defaultgrade>
    <answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>
    <answer fraction="50"><text>3.1</text><tolerance>0.1</tolerance></answer>
    <answer fraction="0"><text>*</text><feedback><text>不对</text></feedback></answer>
  </question>
</quiz>
"""


def _by_title(bank):
    return {item["text"][:4]: item for item in bank.items}


def test_gift_numeric_forms_become_an_answer_and_further_graded_answers():
    bank = bank_parse(GIFT.encode(), "numbers.gift")

    assert bank.errors == []
    volts, cycles, pi, overlap, feedback = bank.items
    assert (volts["numeric_answer"], volts["tolerance"], volts["numeric_answers"]) == (
        Decimal(5),
        Decimal("0.25"),
        [],
    )
    assert (cycles["numeric_answer"], cycles["tolerance"]) == (Decimal(500), Decimal(50))
    assert (pi["numeric_answer"], pi["tolerance"]) == (Decimal("3.14"), Decimal("0.01"))
    assert pi["numeric_answers"] == [
        {"value": "3.1", "tolerance": "0.1", "fraction": "0.5"},
        # The wrong answer's feedback, for any number no answer matches.
        {
            "value": None,
            "tolerance": "0",
            "fraction": "0",
            "feedback": "错得太远了",
            "feedback_en": "",
        },
    ]
    # The 100% answer is the answer wherever it is listed.
    assert (overlap["numeric_answer"], overlap["tolerance"]) == (Decimal("3.1"), Decimal("0.05"))
    assert overlap["numeric_answers"] == [{"value": "3", "tolerance": "1", "fraction": "0.5"}]
    assert feedback["numeric_answers"] == [
        {
            "value": "7",
            "tolerance": "0",
            "fraction": "0.25",
            "feedback": "那是退货期",
            "feedback_en": "",
        }
    ]
    assert feedback["correct_feedback"] == "对了"


def test_moodle_xml_numerical_with_several_answers_and_a_wildcard():
    bank = bank_parse(XML.encode(), "bank.xml", default_category=("维修",))

    assert bank.errors == []
    (item,) = bank.items
    assert (item["numeric_answer"], item["tolerance"], item["points"]) == (
        Decimal("3.14"),
        Decimal("0.01"),
        Decimal(2),
    )
    assert item["numeric_answers"] == [
        {"value": "3.1", "tolerance": "0.1", "fraction": "0.5"},
        {"value": None, "tolerance": "0", "fraction": "0", "feedback": "不对", "feedback_en": ""},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "earned"),
    [("3.14", "2.00"), ("3.15", "2.00"), ("3.05", "1.00"), ("3.2", "1.00"), ("2.9", "0.00")],
)
def test_xml_numerical_scores_the_best_matching_answer(given, earned):
    bank_import(content=XML.encode(), filename="b.xml", apply=True, default_category=("维修",))

    data = QuestionVersion.objects.get().data
    assert score(data, given) == Decimal(earned)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "given", "earned"),
    [
        ("圆周率取", "3.14", "1.00"),
        ("圆周率取", "3.1", "0.50"),
        ("圆周率取", "2.9", "0.00"),
        # Both answers match 3.1: the better grade counts, though Moodle would take the first.
        ("电阻约为", "3.1", "1.00"),
        ("电阻约为", "2.5", "0.50"),
        ("几日内可", "7", "0.25"),
        ("电池循环", "549", "1.00"),
        ("电池循环", "551", "0.00"),
    ],
)
def test_gift_numeric_scores_the_best_matching_answer(title, given, earned):
    report = bank_import(content=GIFT.encode(), filename="numbers.gift", apply=True)

    assert report.ok and report.created == 5
    question = Question.objects.get(text__startswith=title)
    assert score(question.versions.get().data, given) == Decimal(earned)


@pytest.mark.django_db
def test_reimporting_numeric_answers_changes_nothing():
    bank_import(content=GIFT.encode(), filename="numbers.gift", apply=True)

    again = bank_import(content=GIFT.encode(), filename="numbers.gift", apply=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert QuestionVersion.objects.count() == 5


@pytest.mark.django_db
def test_version_of_a_numeric_question_without_further_answers_has_no_such_key():
    question = factories.question(
        category=factories.category("维修"), kind="numeric", numeric_answer=5
    )

    assert "numeric_answers" not in question_version_current(question=question).data


# The admin -------------------------------------------------------------------------------------

ADD = "wagtailsnippets_assessments_question:add"


@pytest.fixture
def trainer_client(client):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    return client


def _form(bank, kind, further, options=()):
    return nested_form_data(
        {
            "category": str(bank.pk),
            "kind": kind,
            "difficulty": "2",
            "text": "圆周率约为多少？",
            "text_en": "",
            "options": {
                "TOTAL_FORMS": str(len(options)),
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
                **{
                    f"{n}-{k}": v
                    for n, (text, right) in enumerate(options)
                    for k, v in {
                        "text": text,
                        "text_en": "",
                        "is_correct": "on" if right else "",
                        "fraction": "",
                        "ORDER": str(n + 1),
                        "DELETE": "",
                        "id": "",
                    }.items()
                },
            },
            "true_false_answer": "unknown",
            "numeric_answer": "3.14" if kind == "numeric" else "",
            "numeric_tolerance": "0.01",
            "numeric_answers": further,
            "points": "1",
            "partial_credit": "all_or_nothing",
            "explanation": "",
            "explanation_en": "",
            "tags": "",
            "is_active": "on",
        }
    )


@pytest.mark.django_db
def test_trainer_saves_further_numeric_answers_and_they_are_scored(trainer_client):
    bank = factories.category("维修")
    further = '[{"value": 3.1, "tolerance": "0.1", "fraction": 0.5}]'

    response = trainer_client.post(reverse(ADD), _form(bank, "numeric", further))

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.numeric_answers == [{"value": "3.1", "tolerance": "0.1", "fraction": "0.5"}]
    data = question_version_current(question=question).data
    assert (score(data, "3.14"), score(data, "3.05")) == (Decimal("1.00"), Decimal("0.50"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "further", "options", "message"),
    [
        ("numeric", '[{"value": "3.1", "fraction": "2"}]', (),
         "The grade of further answer 1 must be from 0 to 1."),
        ("numeric", '[{"tolerance": "1"}]', (),
         "Further answer 1 needs a value (or null), a tolerance and a grade."),
        ("single", '[{"value": "3.1", "fraction": "0.5"}]', (("a", True), ("b", False)),
         "Further numeric answers apply to numeric questions only."),
    ],
)  # fmt: skip
def test_admin_refuses_bad_further_numeric_answers(trainer_client, kind, further, options, message):
    bank = factories.category("维修")

    response = trainer_client.post(reverse(ADD), _form(bank, kind, further, options))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()

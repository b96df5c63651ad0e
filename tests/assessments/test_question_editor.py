"""The question editor shows the answer fields of the question's type only."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Question, QuestionVersion
from network.services import staff_assignment_sync
from tests.factories import assessments as factories
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

ANSWER_FIELDS = ["options-TOTAL_FORMS", "true_false_answer", "numeric_answer",
                 "numeric_tolerance", "case_sensitive", "partial_credit"]  # fmt: skip


@pytest.fixture
def trainer_client(client):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    return client


def _shown_and_hidden(page):
    """Return the answer fields of the editor shown and those rendered hidden."""
    soup = BeautifulSoup(page, "html.parser")
    shown, hidden = [], []
    for name in ANSWER_FIELDS:
        field = soup.find(attrs={"name": name})
        assert field is not None, name  # still posted, so every kind's form stays valid
        panel = field.find_parent(attrs={"data-question-kinds": True})
        (hidden if panel is not None and panel.has_attr("hidden") else shown).append(name)
    return shown, hidden


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("single", ["options-TOTAL_FORMS"]),
        ("multiple", ["options-TOTAL_FORMS", "partial_credit"]),
        ("ordering", ["options-TOTAL_FORMS"]),
        ("true_false", ["true_false_answer"]),
        ("numeric", ["numeric_answer", "numeric_tolerance"]),
        ("short_answer", ["options-TOTAL_FORMS", "case_sensitive"]),
        ("matching", ["options-TOTAL_FORMS", "partial_credit"]),
    ],
)
def test_question_editor_shows_only_the_fields_of_the_questions_type(trainer_client, kind, shown):
    question = factories.question(category=factories.category("三包政策"), kind=kind)

    response = trainer_client.get(
        reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert _shown_and_hidden(page) == (shown, [f for f in ANSWER_FIELDS if f not in shown])
    assert '<script src="/static/assessments/question-kinds.js"></script>' in page


def test_new_question_hides_every_answer_panel_until_a_type_is_chosen(trainer_client):
    response = trainer_client.get(reverse("wagtailsnippets_assessments_question:add"))

    assert response.status_code == 200
    assert _shown_and_hidden(response.content.decode()) == ([], ANSWER_FIELDS)


def test_question_editor_panels_name_the_types_the_script_shows_them_for(trainer_client):
    response = trainer_client.get(reverse("wagtailsnippets_assessments_question:add"))

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert [
        p["data-question-kinds"] for p in soup.find_all(attrs={"data-question-kinds": True})
    ] == [
        "single multiple ordering short_answer matching",
        # The fields within the form of a new option, which the script shows and hides.
        "matching",
        "single multiple",
        "single multiple short_answer",
        "single multiple short_answer",
        "true_false",
        "numeric",
        "short_answer",
        "multiple matching",
    ]
    assert soup.find_all("script", src=None, string=lambda s: s and "question-kinds" in s) == []


def test_options_panel_is_named_by_the_questions_type(trainer_client):
    short = factories.question(category=factories.category("防静电"), kind="short_answer")

    response = trainer_client.get(
        reverse("wagtailsnippets_assessments_question:edit", args=[short.pk])
    )

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    panel = soup.find(attrs={"data-kind-headings": True})
    assert panel.find(attrs={"data-panel-heading-text": True}).get_text() == "Accepted answers"
    assert json.loads(panel["data-kind-headings"]) == {
        "": "Options (for ordering: in the right order)",
        "short_answer": "Accepted answers",
        "matching": "Pairs to match",
    }
    assert "* stands for any characters" in panel.get_text()


# Saving: each type's rules, through the admin

ADD = "wagtailsnippets_assessments_question:add"


def _form(bank, kind, options, **fields):
    data = {
        "category": str(bank.pk),
        "kind": kind,
        "difficulty": "2",
        "text": "防静电的英文缩写是什么？",
        "text_en": "What is the abbreviation of anti-static?",
        "options": inline_formset(
            [
                {
                    "text": o.get("text", ""),
                    "text_en": o.get("text_en", ""),
                    "match_text": o.get("match", ""),
                    "match_text_en": "",
                    "is_correct": "",
                    "fraction": o.get("fraction", ""),
                    "feedback": o.get("feedback", ""),
                    "feedback_en": "",
                }
                for o in options
            ]
        ),
        "true_false_answer": "unknown",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "points": "2",
        "partial_credit": "proportional",
        "explanation": "",
        "explanation_en": "",
        "tags": "",
        "is_active": "on",
    }
    data.update(fields)
    return nested_form_data(data)


def test_trainer_saves_a_short_answer_question_with_its_accepted_answers(trainer_client):
    bank = factories.category("防静电")
    options = [
        {"text": "ESD", "feedback": "对"},
        {"text": "ESD*", "fraction": "0.5"},
    ]

    response = trainer_client.post(
        reverse(ADD), _form(bank, "short_answer", options, case_sensitive="on")
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.kind, question.case_sensitive) == ("short_answer", True)
    data = question.versions.get().data
    assert [(o["text"], o.get("fraction")) for o in data["options"]] == [
        ("ESD", None),
        ("ESD*", "0.5"),
    ]
    assert data["case_sensitive"] is True


def test_trainer_saves_a_matching_question_with_its_pairs_and_an_extra_wrong_answer(
    trainer_client,
):
    bank = factories.category("三包政策")
    options = [
        {"text": "退货", "match": "7日内"},
        {"text": "换货", "match": "15日内"},
        {"text": "", "match": "30日内"},
    ]

    response = trainer_client.post(reverse(ADD), _form(bank, "matching", options))

    assert response.status_code == 302
    data = Question.objects.get().versions.get().data
    assert [(o["text"], o["match"]) for o in data["options"]] == [
        ("退货", "7日内"),
        ("换货", "15日内"),
        ("", "30日内"),
    ]
    assert data["partial_credit"] == "proportional"


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", [{"text": "7日"}, {"text": "", "text_en": "15 days"}],
         "Every option needs its text."),
        ("short_answer", [], "A short answer question needs at least one accepted answer with "
         "full marks (grade blank or 1)."),
        ("short_answer", [{"text": "ESD*", "fraction": "0.5"}],
         "A short answer question needs at least one accepted answer with full marks"),
        ("short_answer", [{"text": "ESD"}, {"text": "", "fraction": "0.5"}],
         "Every accepted answer needs its text."),
        ("matching", [{"text": "退货", "match": "7日内"}],
         "A matching question needs at least two items, each with its answer."),
        ("matching", [{"text": "退货", "match": "7日内"}, {"text": "", "match": "30日内"}],
         "A matching question needs at least two items, each with its answer."),
        ("matching", [{"text": "退货", "match": "7日内"}, {"text": "换货", "match": "15日内"},
                      {"text": "保修"}],
         "Every pair of a matching question needs its matching answer"),
    ],
)  # fmt: skip
def test_question_breaking_the_rules_of_its_type_is_refused_and_nothing_saved(
    trainer_client, kind, options, message
):
    bank = factories.category("三包政策")

    response = trainer_client.post(reverse(ADD), _form(bank, kind, options))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()
    assert not QuestionVersion.objects.exists()

"""The question editor shows the answer fields of the question's type only."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from network.services import staff_assignment_sync
from tests.factories import assessments as factories
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

ANSWER_FIELDS = ["options-TOTAL_FORMS", "true_false_answer", "numeric_answer",
                 "numeric_tolerance", "partial_credit"]  # fmt: skip


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
        "single multiple ordering",
        "true_false",
        "numeric",
        "multiple",
    ]
    assert soup.find_all("script", src=None, string=lambda s: s and "question-kinds" in s) == []

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from quality.models import SurveyQuestion
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/quality/surveyquestion/"
ADD = "/admin/snippets/quality/surveyquestion/add/"


def _client(role, group=None):
    person = StaffFactory(role=role, outlet=None)
    if group:
        person.user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(person.user)
    return client


def _question_form(**fields):
    return {
        "code": "greeting_used",
        "text": "前台是否使用了规范的问候语？",
        "text_en": "Were you greeted properly at the counter?",
        "sort_order": "4",
        "is_active": "on",
        "service_area": "",
        **fields,
    }


def test_auditors_write_the_survey_questions(warm_site_roots):
    client = _client("auditor", "Auditors")

    assert client.get(LIST).status_code == 200
    response = client.post(ADD, _question_form())

    assert response.status_code == 302
    question = SurveyQuestion.objects.get(code="greeting_used")
    assert (question.text, question.is_active) == ("前台是否使用了规范的问候语？", True)


def test_trainers_read_the_questions_and_may_not_change_them(warm_site_roots):
    client = _client("trainer", "Trainers")

    assert client.get(LIST).status_code == 200
    response = client.post(ADD, _question_form())

    assert response.status_code in (302, 403)
    assert not SurveyQuestion.objects.filter(code="greeting_used").exists()


def test_nobody_but_a_superuser_deletes_a_question():
    auditors = Group.objects.get(name="Auditors")

    assert not auditors.permissions.filter(codename="delete_surveyquestion").exists()
    assert set(
        auditors.permissions.filter(content_type__app_label="quality").values_list(
            "codename", flat=True
        )
    ) >= {"add_surveyquestion", "change_surveyquestion", "view_surveyquestion"}

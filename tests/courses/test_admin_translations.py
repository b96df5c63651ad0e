"""
The admin in Chinese: our catalogue's words for exams and jobs do not replace Wagtail's words for
pages, and the review workflow is named in Chinese.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.users.models import UserProfile

from network.services import staff_assignment_sync
from tests.factories.courses import course_page, home, lesson_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_trainer_client(client):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    profile = UserProfile.get_for_user(staff.user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(staff.user)
    return client


def test_page_explorer_type_column_is_the_page_type_in_chinese(chinese_trainer_client):
    course_page(title="三包政策与接待流程", lessons=1)

    response = chinese_trainer_client.get(f"/admin/pages/{home().pk}/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    headers = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    assert "类型" in headers
    assert "题型" not in response.content.decode()


def test_lesson_editor_offers_to_submit_to_the_chinese_named_review(chinese_trainer_client):
    lesson = lesson_page(course=course_page(lessons=0))

    response = chinese_trainer_client.get(f"/admin/pages/{lesson.pk}/edit/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "提交给培训内容审核" in page
    assert "Training content review" not in page


def test_review_workflow_and_its_task_are_named_in_chinese():
    workflow = home().get_workflow()
    assert workflow.name == "培训内容审核"
    assert [task.name for task in workflow.tasks] == ["高级讲师审核"]


@pytest.mark.parametrize(
    ("context", "msgid", "ours", "wagtails"),
    [
        ("question", "Type", "题型", "类型"),
        ("exam attempt", "Submitted", "已交卷", "已提交"),
        ("job", "Roles", "岗位", "角色"),
        ("status change", "From", "起始", "从"),
        ("status change", "To", "变为", "到"),
    ],
)
def test_our_words_in_context_leave_wagtails_words_to_wagtail(context, msgid, ours, wagtails):
    with translation.override("zh-hans"):
        assert translation.pgettext(context, msgid) == ours
        assert translation.gettext(msgid).strip() == wagtails


def test_a_snippets_add_page_is_headed_in_chinese(chinese_trainer_client):
    response = chinese_trainer_client.get("/admin/snippets/assessments/question/add/")

    assert response.status_code == 200
    assert "新建：试题" in response.content.decode()
    assert "New:" not in response.content.decode()

"""
Writing training content in the Wagtail admin: trainers write and submit, a senior trainer or an
auditor approves, and nobody else edits the catalog.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from wagtail.models import PageSubscription, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CoursePage, LessonPage
from network.services import staff_assignment_sync
from tests.factories.courses import course_page, lesson_page
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

WARNING = "拆机前佩戴防静电手环。"
SOURCE = "移动电话机商品修理更换退货责任规定 第八条"


def _html(rich_text_value):
    """Return the HTML of a rich text value without the editor's random block keys."""
    return re.sub(r' data-block-key="\w+"', "", rich_text_value.source)


def _user_in_role_group(staff):
    """Return the user of `staff` after syncing them into the admin group of their role, if any."""
    staff_assignment_sync(staff=staff)
    return staff.user


@pytest.fixture
def trainer():
    return _user_in_role_group(StaffFactory(role="trainer", outlet=None))


@pytest.fixture
def senior_trainer():
    user = _user_in_role_group(StaffFactory(role="trainer", outlet=None))
    user.groups.add(Group.objects.get(name="Senior trainers"))
    return user


@pytest.fixture
def reviewing_auditor(auditor):
    return _user_in_role_group(auditor)


@pytest.fixture
def course():
    return course_page(title="三包政策与接待流程", lessons=0)


def _add_url(course):
    return f"/admin/pages/add/courses/lessonpage/{course.pk}/"


def _edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def _lesson_form(*, action, title="三包期内的接待", slug="three-guarantees-intake"):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "title_en": "Taking in a device under the three guarantees",
            "estimated_minutes": "15",
            "body": streamfield(
                [
                    (
                        "text",
                        {
                            "text": rich_text("<p>先核对购机凭证和三包有效期。</p>"),
                            "text_en": rich_text(""),
                        },
                    ),
                    (
                        "procedure",
                        {
                            "title": "防静电拆机",
                            "steps": {
                                "count": "1",
                                "0": {
                                    "value": {
                                        "instruction": rich_text("<p>拆下后盖螺丝。</p>"),
                                        "warning": WARNING,
                                        "image": {"image": "", "alt_text": ""},
                                    },
                                    "deleted": "",
                                    "order": "0",
                                },
                            },
                        },
                    ),
                    (
                        "policy_clause",
                        {
                            "clause": rich_text(
                                "<p>七日内出现性能故障，可选择退货、换货或修理。</p>"
                            ),
                            "source": SOURCE,
                            "effective_date": "2001-11-15",
                            "note": "",
                        },
                    ),
                ]
            ),
            "body_en": streamfield([]),
            "comments": inline_formset([]),
            action: "Go",
        }
    )


def _submit_lesson(client, *, trainer, course):
    client.force_login(trainer)
    response = client.post(_add_url(course), _lesson_form(action="action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    return LessonPage.objects.get(slug="three-guarantees-intake")


def _approve_url(lesson):
    task_state = lesson.current_workflow_task_state
    return f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state.pk}/"


def test_trainer_submits_a_new_lesson_for_review(client, trainer, course):
    client.force_login(trainer)

    response = client.post(_add_url(course), _lesson_form(action="action-submit"))

    assert response.status_code == 302
    assert response.url == f"/admin/pages/{course.pk}/"
    lesson = LessonPage.objects.get(slug="three-guarantees-intake")
    assert lesson.get_parent().pk == course.pk
    assert lesson.live is False
    assert lesson.owner == trainer
    state = WorkflowState.objects.get()
    assert state.content_object.pk == lesson.pk
    assert state.workflow.name == "培训内容审核"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == trainer
    assert state.current_task_state.task.name == "高级讲师审核"
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_senior_trainer_approves_a_submitted_lesson_into_the_catalog(
    client, trainer, senior_trainer, course
):
    lesson = _submit_lesson(client, trainer=trainer, course=course)
    client.force_login(senior_trainer)

    response = client.post(_approve_url(lesson))

    assert response.status_code == 302
    assert response.url == _edit_url(lesson)
    lesson.refresh_from_db()
    assert lesson.live is True
    assert [block.block_type for block in lesson.body] == ["text", "procedure", "policy_clause"]
    assert _html(lesson.body[0].value["text"]) == "<p>先核对购机凭证和三包有效期。</p>"
    assert lesson.body[1].value["title"] == "防静电拆机"
    (step,) = lesson.body[1].value["steps"]
    assert step["warning"] == WARNING
    assert _html(step["instruction"]) == "<p>拆下后盖螺丝。</p>"
    assert step["image"] is None
    clause = lesson.body[2].value
    assert clause["source"] == SOURCE
    assert clause["effective_date"] == datetime.date(2001, 11, 15)
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.task_states.get().finished_by == senior_trainer


def test_auditor_approves_a_submitted_lesson_into_the_catalog(
    client, trainer, reviewing_auditor, course
):
    lesson = _submit_lesson(client, trainer=trainer, course=course)
    client.force_login(reviewing_auditor)

    response = client.post(_approve_url(lesson))

    assert response.status_code == 302
    assert response.url == _edit_url(lesson)
    lesson.refresh_from_db()
    assert lesson.live is True
    assert [block.block_type for block in lesson.body] == ["text", "procedure", "policy_clause"]
    assert WorkflowState.objects.get().task_states.get().finished_by == reviewing_auditor


def test_approval_publishes_the_submitted_revision(client, trainer, senior_trainer, course):
    lesson = _submit_lesson(client, trainer=trainer, course=course)
    submitted = lesson.current_workflow_task_state.revision
    client.force_login(senior_trainer)

    client.post(_approve_url(lesson))

    lesson.refresh_from_db()
    assert list(lesson.revisions.all()) == [submitted]
    assert lesson.live_revision == submitted
    assert lesson.latest_revision == submitted
    assert lesson.has_unpublished_changes is False
    assert submitted.user == trainer


def test_trainer_cannot_approve_their_own_lesson(client, trainer, course):
    lesson = _submit_lesson(client, trainer=trainer, course=course)

    response = client.post(_approve_url(lesson))

    assert response.status_code == 302
    assert response.url == "/admin/"
    lesson.refresh_from_db()
    assert lesson.live is False
    assert WorkflowState.objects.get().current_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_trainer_pressing_publish_on_a_new_lesson_only_saves_a_draft(client, trainer, course):
    client.force_login(trainer)

    response = client.post(_add_url(course), _lesson_form(action="action-publish"))

    lesson = LessonPage.objects.get(slug="three-guarantees-intake")
    assert response.status_code == 302
    assert response.url == _edit_url(lesson)
    assert lesson.live is False
    assert lesson.live_revision is None
    assert lesson.revisions.count() == 1
    assert WorkflowState.objects.exists() is False


def test_trainer_pressing_publish_on_a_live_lesson_only_saves_a_draft(client, trainer, course):
    lesson = lesson_page(course=course, title="旧标题")
    live_revision = lesson.live_revision
    client.force_login(trainer)

    response = client.post(
        _edit_url(lesson), _lesson_form(action="action-publish", title="新标题", slug=lesson.slug)
    )

    assert response.status_code == 302
    assert response.url == _edit_url(lesson)
    lesson.refresh_from_db()
    assert lesson.live is True
    assert lesson.title == "旧标题"
    assert lesson.live_revision == live_revision
    assert lesson.has_unpublished_changes is True
    assert lesson.latest_revision.as_object().title == "新标题"
    assert WorkflowState.objects.exists() is False


def test_trainer_reads_the_draft_of_a_live_lesson_as_learners_will(client, trainer, course):
    lesson = lesson_page(course=course, title="旧标题")
    client.force_login(trainer)
    client.post(
        _edit_url(lesson), _lesson_form(action="action-publish", title="新标题", slug=lesson.slug)
    )

    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Taking in a device under the three guarantees</h1>" in page
    assert "先核对购机凭证和三包有效期。" in page
    # Nobody's progress in a preview: no "Mark complete".
    assert "/complete/" not in page


def test_trainer_previews_a_new_lesson_before_saving_it(client, trainer, course):
    client.force_login(trainer)
    preview = f"{_add_url(course)}preview/"

    sent = client.post(preview, _lesson_form(action="action-submit"))
    response = client.get(preview)

    assert sent.status_code == 200
    assert sent.json()["is_valid"] is True
    assert response.status_code == 200
    assert "<h1>Taking in a device under the three guarantees</h1>" in response.content.decode()
    assert not LessonPage.objects.filter(slug="three-guarantees-intake").exists()


def _content_state(entity: dict) -> str:
    """The editor's content state of one paragraph whose word "图" carries `entity`."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "b1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "见图",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 1, "length": 1, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": entity},
        }
    )


@pytest.mark.parametrize(
    "entity",
    [
        {"type": "LINK", "mutability": "MUTABLE", "data": {"id": "abc", "parentId": None}},
        {"type": "LINK", "mutability": "MUTABLE", "data": {"id": "9" * 30}},
        {"type": "DOCUMENT", "mutability": "MUTABLE", "data": {"id": "1 or 1=1"}},
        {"type": "IMAGE", "mutability": "IMMUTABLE", "data": {"id": 1, "format": "poster"}},
    ],
)
def test_a_reference_that_cannot_exist_is_dropped_from_a_lesson(client, trainer, course, entity):
    # The editor posts content state; stored as it came, such a reference fails every page
    # showing the text, and the editor itself.
    client.force_login(trainer)
    form = _lesson_form(action="action-submit")
    form["body-0-value-text"] = _content_state(entity)

    response = client.post(_add_url(course), form)

    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="three-guarantees-intake")
    assert _html(lesson.latest_revision.as_object().body[0].value["text"]) in (
        "<p>见图</p>",
        "<p>见</p>",
    )
    assert client.get(_edit_url(lesson)).status_code == 200
    assert client.get(f"/admin/pages/{lesson.pk}/view_draft/").status_code == 200


def test_a_reference_that_can_exist_is_kept(client, trainer, course):
    client.force_login(trainer)
    form = _lesson_form(action="action-submit")
    form["body-0-value-text"] = _content_state(
        {"type": "LINK", "mutability": "MUTABLE", "data": {"id": course.pk}}
    )

    client.post(_add_url(course), form)

    lesson = LessonPage.objects.get(slug="three-guarantees-intake")
    assert _html(lesson.latest_revision.as_object().body[0].value["text"]) == (
        f'<p>见<a linktype="page" id="{course.pk}">图</a></p>'
    )


@pytest.mark.parametrize("role", ["outlet_manager", "front_desk", "partner_admin"])
def test_network_staff_are_sent_to_the_admin_login_from_the_lesson_editor(
    client, course, partner_outlet, role
):
    if role == "partner_admin":
        staff = StaffFactory(role=role, outlet=None, partner_company=partner_outlet.partner_company)
    else:
        staff = StaffFactory(role=role, outlet=partner_outlet)
    user = _user_in_role_group(staff)
    lesson = lesson_page(course=course)
    client.force_login(user)

    response = client.get(_edit_url(lesson))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/admin/pages/{lesson.pk}/edit/"
    assert PageSubscription.objects.filter(user=user).exists() is False


def test_auditor_is_turned_away_from_the_course_editor(client, reviewing_auditor, course):
    # Auditors hold publish_page on the catalog (to approve), never add_page or change_page.
    client.force_login(reviewing_auditor)

    response = client.get(_edit_url(course))

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [
        "Sorry, you do not have permission to access this area."
    ]
    assert PageSubscription.objects.filter(user=reviewing_auditor).exists() is False


def test_auditor_cannot_change_a_course(client, reviewing_auditor, course):
    client.force_login(reviewing_auditor)

    response = client.post(
        _edit_url(course),
        nested_form_data(
            {
                "title": "改过的课程",
                "slug": course.slug,
                "summary": "改过的简介",
                "estimated_minutes": "30",
                "comments": inline_formset([]),
            }
        ),
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
    course = CoursePage.objects.get(pk=course.pk)
    assert course.title == "三包政策与接待流程"
    assert course.revisions.count() == 1


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_wagtail_default_groups_cannot_open_the_lesson_editor(client, course, group):
    # The default groups keep their admin access but have no rights on the training tree.
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    lesson = lesson_page(course=course)
    client.force_login(user)

    response = client.get(_edit_url(lesson))

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert PageSubscription.objects.filter(user=user).exists() is False


def test_submitted_lesson_is_announced_to_senior_trainers_and_auditors(
    client, trainer, senior_trainer, reviewing_auditor, course
):
    _submit_lesson(client, trainer=trainer, course=course)

    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        [senior_trainer.email, reviewing_auditor.email]
    )
    assert {message.subject for message in mail.outbox} == {
        'The page "三包期内的接待" has been submitted for approval in moderation stage '
        '"高级讲师审核"'
    }


def test_senior_trainer_publishes_a_new_lesson_without_review(client, senior_trainer, course):
    client.force_login(senior_trainer)

    response = client.post(_add_url(course), _lesson_form(action="action-publish"))

    assert response.status_code == 302
    assert response.url == f"/admin/pages/{course.pk}/"
    lesson = LessonPage.objects.get(slug="three-guarantees-intake")
    assert lesson.live is True
    assert lesson.live_revision == lesson.latest_revision
    assert WorkflowState.objects.exists() is False


def test_auditor_may_open_the_editor_of_a_lesson_awaiting_their_review(
    client, trainer, reviewing_auditor, course
):
    # Wagtail lets the reviewers of the current task into the editor, page rights or not.
    lesson = _submit_lesson(client, trainer=trainer, course=course)
    client.force_login(reviewing_auditor)

    response = client.get(_edit_url(lesson))

    assert response.status_code == 200

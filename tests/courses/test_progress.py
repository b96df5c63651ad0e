import pytest

from courses.models import CourseProgress, Enrollment, LessonCompletion, LessonPage
from courses.services import enrollment_sync, lesson_complete
from tests.factories.courses import course_page, lesson_body, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def republish(page, **changes):
    """Edit a live page as an editor does in the admin: a new revision, published."""
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(outlet=partner_outlet)


def test_completing_a_lesson_records_its_live_revision(learner):
    course = course_page(lessons=2)
    first, _second = lessons_of(course)

    completion = lesson_complete(staff=learner, lesson=first, course=course)

    assert completion.revision_id == first.live_revision_id
    assert list(LessonCompletion.objects.values_list("staff_id", "lesson_id", "revision_id")) == [
        (learner.pk, first.pk, first.live_revision_id)
    ]
    progress = CourseProgress.objects.get()
    assert (progress.staff_id, progress.course_id, progress.last_lesson_id) == (
        learner.pk,
        course.pk,
        first.pk,
    )
    assert (progress.completed_at, progress.completed_revision_id) == (None, None)


def test_completing_every_lesson_completes_the_course_and_the_track(learner):
    first_course = course_page(lessons=2)
    second_course = course_page(lessons=1)
    track_page(roles=["technician"], courses=[first_course, second_course])
    enrollment_sync(staff_ids=[learner.pk])
    enrollment = Enrollment.objects.get()
    a, b = lessons_of(first_course)
    (c,) = lessons_of(second_course)

    lesson_complete(staff=learner, lesson=a, course=first_course)
    lesson_complete(staff=learner, lesson=b, course=first_course)

    progress = CourseProgress.objects.get(course=first_course)
    assert progress.completed_at is not None
    assert progress.completed_revision_id == first_course.live_revision_id
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None  # the second course is still to do

    lesson_complete(staff=learner, lesson=c, course=second_course)

    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.status == "active"
    assert CourseProgress.objects.get(course=second_course).completed_revision_id == (
        second_course.live_revision_id
    )


def test_republished_lesson_keeps_earlier_completions_with_their_old_revision(partner_outlet):
    early, late = StaffFactory.create_batch(2, outlet=partner_outlet)
    course = course_page(lessons=1)
    (lesson,) = lessons_of(course)
    old_revision = lesson.live_revision_id
    lesson_complete(staff=early, lesson=lesson, course=course)

    lesson = republish(lesson, body=lesson_body("<p>新版维修流程。</p>"))
    assert lesson.live_revision_id != old_revision
    lesson_complete(staff=late, lesson=lesson, course=course)

    assert dict(LessonCompletion.objects.values_list("staff_id", "revision_id")) == {
        early.pk: old_revision,
        late.pk: lesson.live_revision_id,
    }
    assert dict(CourseProgress.objects.values_list("staff_id", "completed_revision_id")) == {
        early.pk: course.live_revision_id,
        late.pk: course.live_revision_id,
    }


def test_republished_course_keeps_the_progress_made(learner):
    course = course_page(lessons=1)
    (lesson,) = lessons_of(course)
    lesson_complete(staff=learner, lesson=lesson, course=course)
    before = CourseProgress.objects.get()
    old_revision = course.live_revision_id

    course = republish(course, summary="新的课程简介")

    assert course.live_revision_id != old_revision
    after = CourseProgress.objects.get()
    assert (after.pk, after.completed_at, after.completed_revision_id) == (
        before.pk,
        before.completed_at,
        old_revision,
    )
    assert LessonCompletion.objects.count() == 1


def test_completing_a_lesson_twice_writes_one_row(learner):
    course = course_page(lessons=2)
    first, _second = lessons_of(course)
    once = lesson_complete(staff=learner, lesson=first, course=course)

    twice = lesson_complete(staff=learner, lesson=first, course=course)

    assert twice.pk == once.pk
    assert list(LessonCompletion.objects.values_list("pk", "completed_at")) == [
        (once.pk, once.completed_at)
    ]
    assert CourseProgress.objects.count() == 1

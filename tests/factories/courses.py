"""Catalog pages built the way the Wagtail admin builds them: added under a parent, published."""

import itertools

from courses.models import (
    CoursePage,
    HomePage,
    LessonPage,
    TrackCourse,
    TrackPage,
    TrackRefresherCourse,
    TrackTarget,
)

_numbers = itertools.count(1)


def home() -> HomePage:
    return HomePage.objects.get()


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def lesson_body(text="<p>按照服务规范接待每一位客户。</p>"):
    return [("text", text)]


def course_page(*, title=None, lessons=2, parent=None, **fields) -> CoursePage:
    """Return a published course with `lessons` published lessons under it."""
    n = next(_numbers)
    course = CoursePage(
        title=title or f"课程{n}",
        slug=f"course-{n}",
        summary=fields.pop("summary", "课程简介"),
        estimated_minutes=fields.pop("estimated_minutes", 30),
        **fields,
    )
    course = _publish(parent or home(), course)
    for i in range(lessons):
        lesson_page(course=course, title=f"{course.title} 第{i + 1}课")
    return course


def lesson_page(*, course, title=None, body=None, **fields) -> LessonPage:
    n = next(_numbers)
    lesson = LessonPage(
        title=title or f"课时{n}", slug=f"lesson-{n}", body=body or lesson_body(), **fields
    )
    return _publish(course, lesson)


def track_page(
    *, roles=("technician",), courses=(), ownership="", title=None, refreshers=(), **fields
):
    """
    Return a published track for `roles` requiring `courses` in that order, with `refreshers`
    as the refresher courses of its recertification path.
    """
    n = next(_numbers)
    track = TrackPage(
        title=title or f"学习路径{n}",
        slug=f"track-{n}",
        onboarding_days=fields.pop("onboarding_days", 30),
        **fields,
    )
    for role in roles:
        track.targets.add(TrackTarget(role=role, ownership=ownership))
    for i, course in enumerate(courses):
        track.track_courses.add(TrackCourse(course=course, sort_order=i))
    for i, course in enumerate(refreshers):
        track.refresher_courses.add(TrackRefresherCourse(course=course, sort_order=i))
    return _publish(home(), track)

"""Reads of the catalog and of people's training, in a bounded number of queries."""

import dataclasses
import datetime
import re
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core import hooks as core_hooks
from core.i18n import reads_english
from network.models import NETWORK_WIDE_ROLES, Role, Staff
from network.selectors import viewer_staff

from .models import (
    CoursePage,
    CourseProgress,
    Enrollment,
    LessonCompletion,
    LessonPage,
    PolicyChange,
    TrackCourse,
    TrackPage,
    TrackRefresherCourse,
    TrackTarget,
)

__all__ = ["viewer_staff"]


def sees_all_training(*, user, staff: Staff | None) -> bool:
    """Trainers, auditors and administrators may open every course and lesson."""
    return user.is_superuser or bool(staff and staff.is_active and staff.role in NETWORK_WIDE_ROLES)


def tracks_for_staff_q(staff: Staff) -> Q:
    """A filter on TrackTarget for the targets that match `staff`'s role and outlet."""
    ownership = staff.outlet.ownership if staff.outlet_id else None
    q = Q(role=staff.role) & Q(ownership="")
    if ownership:
        q |= Q(role=staff.role) & Q(ownership=ownership)
    return q


def eligible_tracks(*, user):
    """Return the live tracks `user` may take (all of them for trainers and auditors)."""
    staff = viewer_staff(user=user)
    tracks = TrackPage.objects.live().order_by("path")
    if sees_all_training(user=user, staff=staff):
        return tracks
    if staff is None or not staff.is_active:
        return tracks.none()
    track_ids = TrackTarget.objects.filter(tracks_for_staff_q(staff)).values("track_id")
    return tracks.filter(pk__in=track_ids)


@dataclasses.dataclass
class Catalog:
    tracks: list
    courses: list
    enrolled_track_ids: set


def catalog_for(*, user, query: str = "") -> Catalog:
    """Return what `user` may take, searched by `query` with Wagtail search when given."""
    tracks = list(eligible_tracks(user=user).defer_streamfields())
    track_ids = [t.pk for t in tracks]
    links = TrackCourse.objects.filter(track_id__in=track_ids).order_by("track_id", "sort_order")
    course_ids = {link.course_id for link in links}
    courses = CoursePage.objects.live().filter(pk__in=course_ids).order_by("title")
    if query:
        tracks = _search(TrackPage, query, allowed=set(track_ids))
        courses = _search(CoursePage, query, allowed=course_ids)
    staff = viewer_staff(user=user)
    enrolled = set(
        Enrollment.objects.active().filter(staff=staff).values_list("track_id", flat=True)
        if staff
        else []
    )
    return Catalog(tracks=list(tracks), courses=list(courses), enrolled_track_ids=enrolled)


_NOT_WORD = re.compile(r"[^\w\s]+")


def _search(model, query: str, *, allowed: set) -> list:
    """
    Return the live pages of `model` among `allowed` that match `query`: Wagtail search first,
    then substring matches, since Chinese text has no spaces for the search index to split on.
    """
    # Only words are searched: a quote or an operator is query syntax to the search backend
    # (SQLite FTS5 fails on an unbalanced '"'), and nobody means it in a course title.
    words = " ".join(_NOT_WORD.sub(" ", query).split())
    if not words:
        return []
    found = [p for p in model.objects.live().search(words) if p.pk in allowed]
    seen = {p.pk for p in found}
    text = Q(title__icontains=words) | Q(title_en__icontains=words)
    text |= Q(summary__icontains=words) | Q(summary_en__icontains=words)
    found += [
        p
        for p in model.objects.live().filter(text, pk__in=allowed).order_by("title")
        if p.pk not in seen
    ]
    return found


def track_courses(*, track: TrackPage) -> list[CoursePage]:
    links = TrackCourse.objects.filter(track=track).select_related("course").order_by("sort_order")
    return [link.course for link in links if link.course.live]


def _lessons_by_course(courses) -> dict[int, list]:
    """Return the live lessons under each course, in page order, in one query."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = {c.path: c.pk for c in courses}
    steplen = LessonPage.steplen
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=c.path) for c in courses)))
        .filter(depth__in={c.depth + 1 for c in courses})
        .defer_streamfields()
        .order_by("path")
    )
    grouped = defaultdict(list)
    for lesson in lessons:
        course_id = by_path.get(lesson.path[: len(lesson.path) - steplen])
        if course_id is not None:
            grouped[course_id].append(lesson)
    return grouped


@dataclasses.dataclass
class TrackProgress:
    enrollment: Enrollment
    courses: list
    lessons_total: int
    lessons_done: int
    courses_done: int
    overdue: bool
    due_soon: bool

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_done / self.lessons_total)


def my_training(*, staff: Staff, today: datetime.date | None = None) -> list[TrackProgress]:
    """
    Return `staff`'s active enrolments with their progress, overdue flags and courses, in a
    fixed number of queries whatever the number of tracks and completed lessons.
    """
    today = today or timezone.localdate()
    enrollments = list(
        Enrollment.objects.active()
        .filter(staff=staff)
        .select_related("track")
        .order_by("due_on", "pk")
    )
    return _progress(enrollments=enrollments, staff_ids=[staff.pk], today=today)


def _progress(*, enrollments, staff_ids, today) -> list[TrackProgress]:
    track_ids = {e.track_id for e in enrollments}
    links = list(
        TrackCourse.objects.filter(track_id__in=track_ids)
        .select_related("course")
        .order_by("track_id", "sort_order")
    )
    courses_by_track = defaultdict(list)
    for link in links:
        if link.course.live:
            courses_by_track[link.track_id].append(link.course)
    lessons = _lessons_by_course({c.pk: c for cs in courses_by_track.values() for c in cs}.values())
    lesson_ids = {lesson.pk for ls in lessons.values() for lesson in ls}
    done = defaultdict(set)
    for staff_id, lesson_id in LessonCompletion.objects.filter(
        staff_id__in=staff_ids, lesson_id__in=lesson_ids
    ).values_list("staff_id", "lesson_id"):
        done[staff_id].add(lesson_id)
    completed_courses = defaultdict(set)
    for staff_id, course_id in CourseProgress.objects.filter(
        staff_id__in=staff_ids, completed_at__isnull=False
    ).values_list("staff_id", "course_id"):
        completed_courses[staff_id].add(course_id)
    result = []
    for enrollment in enrollments:
        courses = courses_by_track[enrollment.track_id]
        ids = [lesson.pk for c in courses for lesson in lessons.get(c.pk, [])]
        finished = enrollment.completed_at is not None
        result.append(
            TrackProgress(
                enrollment=enrollment,
                courses=[
                    (c, len(lessons.get(c.pk, [])), c.pk in completed_courses[enrollment.staff_id])
                    for c in courses
                ],
                lessons_total=len(ids),
                lessons_done=len(done[enrollment.staff_id] & set(ids)),
                courses_done=sum(
                    1 for c in courses if c.pk in completed_courses[enrollment.staff_id]
                ),
                overdue=not finished and enrollment.due_on < today,
                due_soon=not finished
                and today <= enrollment.due_on <= today + datetime.timedelta(7),
            )
        )
    return result


@dataclasses.dataclass
class RecertificationProgress:
    track: TrackPage
    opens_on: datetime.date
    due_on: datetime.date
    courses: list  # (course, completed since the window opened)
    exam: object
    exam_passed: bool
    overdue: bool
    due_soon: bool


def my_recertifications(
    *, staff: Staff, today: datetime.date | None = None
) -> list[RecertificationProgress]:
    """
    Return `staff`'s open recertifications, soonest due first: the refresher courses with
    whether each was completed since the renewal window opened, the recertification exam, and
    the due date (the certificate's last valid day); in a fixed number of queries.
    """
    today = today or timezone.localdate()
    due = [
        row
        for rows in core_hooks.collect(core_hooks.RECERTIFICATION_SOURCES, staff_id=staff.pk)
        for row in rows
    ]
    if not due:
        return []
    track_ids = {row["track_id"] for row in due}
    tracks = {t.pk: t for t in TrackPage.objects.filter(pk__in=track_ids).defer_streamfields()}
    courses_by_track = defaultdict(list)
    for link in (
        TrackRefresherCourse.objects.filter(track_id__in=track_ids, course__live=True)
        .select_related("course")
        .order_by("track_id", "sort_order", "pk")
    ):
        courses_by_track[link.track_id].append(link.course)
    completed = dict(
        CourseProgress.objects.filter(
            staff=staff,
            course_id__in={c.pk for cs in courses_by_track.values() for c in cs},
            completed_at__isnull=False,
        ).values_list("course_id", "completed_at")
    )
    result = []
    for row in due:
        track = tracks.get(row["track_id"])
        if track is None:
            continue
        courses = [
            (c, c.pk in completed and timezone.localdate(completed[c.pk]) >= row["opens_on"])
            for c in courses_by_track[track.pk]
        ]
        result.append(
            RecertificationProgress(
                track=track,
                opens_on=row["opens_on"],
                due_on=row["due_on"],
                courses=courses,
                exam=row["exam"],
                exam_passed=row["exam_passed"],
                overdue=row["due_on"] < today,
                due_soon=today <= row["due_on"] <= today + datetime.timedelta(7),
            )
        )
    return result


@dataclasses.dataclass
class PolicyUpdateDue:
    lesson: LessonPage
    course: CoursePage | None
    due_on: datetime.date
    summary: str
    missed: bool
    overdue: bool


def my_policy_updates(*, staff: Staff, today: datetime.date | None = None) -> list[PolicyUpdateDue]:
    """
    Return the changed lessons `staff` must read again because a policy changed after they were
    certified (the `policy_updates_due` hook), soonest due first, with each lesson's course; in
    a fixed number of queries (none for the lessons when nothing is due).
    """
    today = today or timezone.localdate()
    due = [
        row
        for rows in core_hooks.collect(core_hooks.POLICY_UPDATES_DUE, staff_id=staff.pk)
        for row in rows
    ]
    if not due:
        return []
    lessons = {
        lesson.pk: lesson
        for lesson in LessonPage.objects.live()
        .filter(pk__in={row["lesson_id"] for row in due})
        .defer_streamfields()
    }
    steplen = LessonPage.steplen
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(
            path__in={lesson.path[:-steplen] for lesson in lessons.values()}
        ).defer_streamfields()
    }
    english = reads_english()
    result = []
    for row in due:
        lesson = lessons.get(row["lesson_id"])
        if lesson is None:
            continue
        result.append(
            PolicyUpdateDue(
                lesson=lesson,
                course=courses.get(lesson.path[:-steplen]),
                due_on=row["due_on"],
                summary=row["summary_en"] if english and row["summary_en"] else row["summary"],
                missed=row["missed"],
                overdue=row["due_on"] < today,
            )
        )
    return result


def team_training(*, people, today: datetime.date | None = None) -> list[tuple[Staff, list]]:
    """Return each of `people` with the progress of their active enrolments."""
    today = today or timezone.localdate()
    people = list(people)
    enrollments = list(
        Enrollment.objects.active()
        .filter(staff__in=people)
        .select_related("track")
        .order_by("due_on", "pk")
    )
    progress = _progress(enrollments=enrollments, staff_ids=[p.pk for p in people], today=today)
    by_staff = defaultdict(list)
    for item in progress:
        by_staff[item.enrollment.staff_id].append(item)
    return [(person, by_staff[person.pk]) for person in people]


@dataclasses.dataclass
class LessonAccess:
    staff: Staff | None
    enrolled: bool


def lesson_access(*, user, course: CoursePage) -> LessonAccess | None:
    """
    Return how `user` may read `course`'s lessons: enrolled in a live track that requires it, or
    a trainer, auditor or administrator; None when they may not.
    """
    staff = viewer_staff(user=user)
    # A refresher course is open to the people enrolled in its track, who will need it to
    # renew their certificate.
    enrolled = bool(
        staff
        and staff.is_active
        and Enrollment.objects.active()
        .filter(
            Q(track__track_courses__course=course) | Q(track__refresher_courses__course=course),
            staff=staff,
            track__live=True,
        )
        .exists()
    )
    if enrolled:
        return LessonAccess(staff=staff, enrolled=True)
    if sees_all_training(user=user, staff=staff):
        return LessonAccess(staff=None, enrolled=False)
    return None


def track_outline(*, track: TrackPage, user) -> dict:
    staff = viewer_staff(user=user)
    enrolled = bool(staff and Enrollment.objects.active().filter(staff=staff, track=track).exists())
    context = {"courses": track_courses(track=track), "enrolled": enrolled}
    for extra in core_hooks.collect(
        core_hooks.TRACK_PAGE_CONTEXT, track=track, user=user, staff=staff if enrolled else None
    ):
        context.update(extra)
    return context


def course_outline(*, course: CoursePage, user) -> dict:
    """Return the lessons of `course` with what `user` completed and where to go on."""
    lessons = _lessons_by_course([course]).get(course.pk, [])
    access = lesson_access(user=user, course=course)
    staff = access.staff if access else None
    done, progress = set(), None
    if staff is not None:
        done = set(
            LessonCompletion.objects.filter(
                staff=staff, lesson_id__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
        progress = CourseProgress.objects.filter(staff=staff, course=course).first()
    # "Continue" leads to the first lesson not yet done, in the course's order, wherever the
    # learner last looked; a course with every lesson done has nothing to continue.
    resume = next((lesson for lesson in lessons if lesson.pk not in done), None)
    context = {
        "lessons": lessons,
        "done": done,
        "access": access,
        "progress": progress,
        "resume": resume,
        "prerequisites": list(course.prerequisites.live()) if course.pk else [],
    }
    for extra in core_hooks.collect(
        core_hooks.COURSE_PAGE_CONTEXT, course=course, user=user, staff=staff
    ):
        context.update(extra)
    return context


def lesson_context(*, lesson: LessonPage, course: CoursePage, access: LessonAccess) -> dict:
    lessons = _lessons_by_course([course]).get(course.pk, [])
    index = next((i for i, x in enumerate(lessons) if x.pk == lesson.pk), None)
    previous_lesson = lessons[index - 1] if index else None
    next_lesson = lessons[index + 1] if index is not None and index + 1 < len(lessons) else None
    # A lesson whose policy changed since the person read it (a revision recorded as a policy
    # change after the one they read) is offered to be marked read again; a revision that only
    # fixed a typo asks nobody to read it again. One query, as the completion alone would be.
    changes = PolicyChange.objects.filter(lesson_id=lesson.pk)
    read = (
        LessonCompletion.objects.filter(staff=access.staff, lesson=lesson)
        .annotate(
            changed_after=Exists(changes.filter(revision_id__gt=OuterRef("revision_id"))),
            any_change=Exists(changes),
        )
        .values_list("revision_id", "changed_after", "any_change")
        .first()
        if access.staff
        else None
    )
    completed = read is not None
    # A completion of unknown revision (recorded before revisions were) predates any change.
    changed_since = bool(completed and (read[1] or (read[0] is None and read[2])))
    return {
        "course": course,
        # Each block shows itself in the reader's language; a lesson whose English body could
        # not be moved into its blocks still shows that body to English readers.
        "body": lesson.localized("body"),
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "completed": completed and not changed_since,
        "changed_since_read": changed_since,
        "position": (index + 1) if index is not None else None,
        "lesson_count": len(lessons),
    }


def may_assign(user) -> bool:
    """Outlet managers, partner administrators, trainers and auditors assign training."""
    if user.is_superuser:
        return True
    staff = viewer_staff(user=user)
    return bool(
        staff
        and staff.is_active
        and staff.role in (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.TRAINER, Role.AUDITOR)
    )

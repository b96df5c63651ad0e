"""A track a person has earned, piece by piece, written directly as the database allows it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    PracticalAssessment,
    PracticalChecklist,
)
from courses.models import CourseProgress
from tests.factories.assessments import assessment, checklist
from tests.factories.courses import course_page, track_page


def certified_track(
    *, courses=2, exam=True, practical=True, refreshers=0, recert_exam=False, **fields
):
    """
    Return a published track requiring `courses` published courses, with an active
    certification exam and practical checklist unless told otherwise, and a recertification
    path of `refreshers` refresher courses and, if `recert_exam`, a recertification exam.
    """
    required = [course_page(lessons=1) for _ in range(courses)]
    refresher = [course_page(lessons=1, title=f"复训课程{i + 1}") for i in range(refreshers)]
    track = track_page(courses=required, refreshers=refresher, **fields)
    if exam:
        assessment(track=track, title=f"{track.title} 认证考试")
    if practical:
        checklist(track=track)
    if recert_exam:
        recertification_exam(track=track)
    return track


def recertification_exam(*, track, **fields) -> Assessment:
    exam = Assessment(
        title=fields.pop("title", f"{track.title} 复训考试"),
        kind=Assessment.Kind.RECERTIFICATION_EXAM,
        track=track,
        **fields,
    )
    exam.save()
    return exam


def refreshers_done(*, staff, track) -> None:
    for link in track.refresher_courses.select_related("course"):
        course_done(staff=staff, course=link.course)


def course_done(*, staff, course) -> CourseProgress:
    progress, _ = CourseProgress.objects.update_or_create(
        staff=staff,
        course=course,
        defaults={"completed_at": timezone.now(), "completed_revision_id": course.live_revision_id},
    )
    return progress


def courses_done(*, staff, track) -> None:
    for track_course in track.track_courses.select_related("course"):
        course_done(staff=staff, course=track_course.course)


def exam_result(*, staff, track, percent="92.50", passed=True, exam=None) -> AssessmentResult:
    exam = exam or track_exam(track)
    now = timezone.now()
    number = Attempt.objects.filter(staff=staff, assessment=exam).count() + 1
    attempt = Attempt.objects.create(
        staff=staff,
        assessment=exam,
        number=number,
        status=Attempt.Status.SUBMITTED,
        started_at=now - datetime.timedelta(minutes=20),
        deadline=now + datetime.timedelta(minutes=10),
        finished_at=now,
        score=Decimal(percent),
        max_score=Decimal(100),
        percent=Decimal(percent),
        passed=passed,
    )
    result, _ = AssessmentResult.objects.update_or_create(
        staff=staff,
        assessment=exam,
        defaults={"attempt": attempt, "percent": Decimal(percent), "passed": passed},
    )
    return result


def practical_done(*, learner, assessor, track, passed=True) -> PracticalAssessment:
    return PracticalAssessment.objects.create(
        checklist=track_checklist(track),
        learner=learner,
        assessor=assessor,
        status=PracticalAssessment.Status.COMPLETED,
        passed=passed,
        completed_at=timezone.now(),
    )


def track_exam(track):
    return Assessment.objects.get(
        track=track, kind=Assessment.Kind.CERTIFICATION_EXAM, is_active=True
    )


def track_recertification_exam(track):
    return Assessment.objects.get(
        track=track, kind=Assessment.Kind.RECERTIFICATION_EXAM, is_active=True
    )


def recertification_exam_passed(*, staff, track, percent="88.00", passed=True):
    return exam_result(
        staff=staff,
        track=track,
        percent=percent,
        passed=passed,
        exam=track_recertification_exam(track),
    )


def track_checklist(track):
    return PracticalChecklist.objects.get(track=track, is_active=True)


def earned(*, staff, assessor, track) -> None:
    """Make `staff` meet every requirement of `track`."""
    courses_done(staff=staff, track=track)
    exam_result(staff=staff, track=track)
    practical_done(learner=staff, assessor=assessor, track=track)

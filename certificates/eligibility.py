"""
The certification rule: a person earns a track's certificate when every required live course of
the track is complete, the track's active certification exam (if it has one) is passed, and the
track's active practical checklist (if it has one) has a completed, passed practical assessment.

Reads only; the evidence found is returned with the answer so that issuing can freeze it on the
certificate without reading it again.
"""

import dataclasses
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
from courses.models import CourseProgress, TrackCourse, TrackRefresherCourse

from .models import Recertification


@dataclasses.dataclass(frozen=True)
class Eligibility:
    """Whether a person has earned a track's certificate, and what is missing if not."""

    courses_missing: tuple[int, ...] = ()
    no_courses: bool = False
    exam_missing: bool = False
    practical_missing: bool = False
    # Evidence, for the certificate: one dict per required course, the exam and the practical.
    course_revisions: tuple[dict, ...] = ()
    exam_percent: Decimal | None = None
    practical: dict | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def reasons(self) -> list[str]:
        """Return the codes of what is missing, in the order a learner meets them."""
        reasons = []
        if self.no_courses:
            reasons.append("no_courses")
        if self.courses_missing:
            reasons.append("courses")
        if self.exam_missing:
            reasons.append("exam")
        if self.practical_missing:
            reasons.append("practical")
        return reasons


def track_eligibility(*, staff_id: int, track_id: int) -> Eligibility:
    """Return whether the person `staff_id` has earned the certificate of track `track_id`."""
    required = list(
        TrackCourse.objects.filter(track_id=track_id, course__live=True)
        .order_by("sort_order", "pk")
        .values_list("course_id", "course__title")
    )
    progress = {
        p["course_id"]: p
        for p in CourseProgress.objects.filter(
            staff_id=staff_id,
            course_id__in=[course_id for course_id, _title in required],
            completed_at__isnull=False,
        ).values("course_id", "completed_revision_id", "completed_at")
    }
    missing = tuple(course_id for course_id, _title in required if course_id not in progress)
    revisions = tuple(
        {
            "course": course_id,
            "title": title,
            "revision": progress[course_id]["completed_revision_id"],
            "completed_on": progress[course_id]["completed_at"].date().isoformat(),
        }
        for course_id, title in required
        if course_id in progress
    )

    exam_id = (
        Assessment.objects.filter(
            kind=Assessment.Kind.CERTIFICATION_EXAM, track_id=track_id, is_active=True
        )
        .values_list("pk", flat=True)
        .first()
    )
    exam_percent = None
    exam_missing = False
    if exam_id is not None:
        exam_percent = (
            AssessmentResult.objects.filter(staff_id=staff_id, assessment_id=exam_id, passed=True)
            .values_list("percent", flat=True)
            .first()
        )
        exam_missing = exam_percent is None

    checklist_id = (
        PracticalChecklist.objects.filter(track_id=track_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    practical = None
    practical_missing = False
    if checklist_id is not None:
        signed_off = (
            PracticalAssessment.objects.filter(
                learner_id=staff_id,
                checklist_id=checklist_id,
                status=PracticalAssessment.Status.COMPLETED,
                passed=True,
            )
            .order_by("-completed_at", "-pk")
            .values("pk", "checklist_id", "completed_at")
            .first()
        )
        practical_missing = signed_off is None
        if signed_off is not None:
            practical = {
                "assessment": signed_off["pk"],
                "checklist": signed_off["checklist_id"],
                "passed": True,
                "completed_on": signed_off["completed_at"].date().isoformat(),
            }

    return Eligibility(
        courses_missing=missing,
        # Like a track's enrolment, a track without a live course cannot be finished; otherwise
        # an empty draft track would certify everybody.
        no_courses=not required,
        exam_missing=exam_missing,
        practical_missing=practical_missing,
        course_revisions=revisions,
        exam_percent=exam_percent,
        practical=practical,
    )


@dataclasses.dataclass(frozen=True)
class RecertificationPath:
    """A track's recertification path: its live refresher courses and its recertification exam."""

    courses: tuple[tuple[int, str], ...] = ()
    exam_id: int | None = None

    @property
    def exists(self) -> bool:
        return bool(self.courses) or self.exam_id is not None


def recertification_path(*, track_id: int) -> RecertificationPath:
    """Return the recertification path of track `track_id`; a track may have none."""
    courses = tuple(
        TrackRefresherCourse.objects.filter(track_id=track_id, course__live=True)
        .order_by("sort_order", "pk")
        .values_list("course_id", "course__title")
    )
    exam_id = (
        Assessment.objects.filter(
            kind=Assessment.Kind.RECERTIFICATION_EXAM, track_id=track_id, is_active=True
        )
        .values_list("pk", flat=True)
        .first()
    )
    return RecertificationPath(courses=courses, exam_id=exam_id)


def window_start(day: datetime.date) -> datetime.datetime:
    """Return the first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def recertification_eligibility(
    *, staff_id: int, track_id: int, since: datetime.date
) -> Eligibility:
    """
    Return whether the person `staff_id` has recertified on track `track_id`: every live
    refresher course completed and the recertification exam passed, each on or after `since`
    (the day the renewal window opened), so what earned the previous certificate does not count
    again. A track without a recertification path cannot be recertified this way.
    """
    path = recertification_path(track_id=track_id)
    start = window_start(since)
    progress = {
        p["course_id"]: p
        for p in CourseProgress.objects.filter(
            staff_id=staff_id,
            course_id__in=[course_id for course_id, _title in path.courses],
            completed_at__gte=start,
        ).values("course_id", "completed_revision_id", "completed_at")
    }
    missing = tuple(course_id for course_id, _title in path.courses if course_id not in progress)
    revisions = tuple(
        {
            "course": course_id,
            "title": title,
            "revision": progress[course_id]["completed_revision_id"],
            "completed_on": timezone.localdate(progress[course_id]["completed_at"]).isoformat(),
        }
        for course_id, title in path.courses
        if course_id in progress
    )
    exam_percent = None
    if path.exam_id is not None:
        # Attempts, not the standing result: a pass from the previous cycle must not count.
        exam_percent = (
            Attempt.objects.filter(
                staff_id=staff_id, assessment_id=path.exam_id, passed=True, finished_at__gte=start
            )
            .order_by("-percent")
            .values_list("percent", flat=True)
            .first()
        )
    return Eligibility(
        courses_missing=missing,
        no_courses=not path.exists,
        exam_missing=path.exam_id is not None and exam_percent is None,
        course_revisions=revisions,
        exam_percent=exam_percent,
    )


def recertifications_due(*, staff_id: int) -> list[dict]:
    """
    Return the open recertifications of the person `staff_id`, soonest due first, each with
    the track, the day the window opened, the due day (the certificate's last valid day) and
    the recertification exam with whether it was passed since the window opened; in three
    queries however many there are.
    """
    rows = list(
        Recertification.objects.filter(holder_id=staff_id, status=Recertification.Status.OPEN)
        .order_by("due_on", "pk")
        .values("track_id", "opens_on", "due_on")
    )
    if not rows:
        return []
    exams = {
        exam.track_id: exam
        for exam in Assessment.objects.filter(
            kind=Assessment.Kind.RECERTIFICATION_EXAM,
            track_id__in=[row["track_id"] for row in rows],
            is_active=True,
        ).only("pk", "track_id", "title", "title_en")
    }
    passes = {}
    for assessment_id, finished_at in Attempt.objects.filter(
        staff_id=staff_id, assessment__in=list(exams.values()), passed=True
    ).values_list("assessment_id", "finished_at"):
        passes[assessment_id] = max(finished_at, passes.get(assessment_id, finished_at))
    due = []
    for row in rows:
        exam = exams.get(row["track_id"])
        last_pass = passes.get(exam.pk) if exam else None
        due.append(
            {
                **row,
                "exam": exam,
                "exam_passed": last_pass is not None and last_pass >= window_start(row["opens_on"]),
            }
        )
    return due

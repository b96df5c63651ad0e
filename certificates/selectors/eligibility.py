"""
Reads of the evidence the certification rule decides on (`certificates.eligibility`), and the
two answers composed of a read and the rule: `track_eligibility`, `recertification_eligibility`.
"""

import datetime

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    PracticalAssessment,
    PracticalChecklist,
)
from courses.models import CourseProgress, TrackCourse, TrackRefresherCourse

from ..eligibility import (
    CertificationEvidence,
    Eligibility,
    RecertificationEvidence,
    RecertificationPath,
    certification_decide,
    exam_passed_in_window,
    recertification_decide,
    window_start,
)
from ..models import Recertification


def _completed(*, staff_id: int, course_ids, since: datetime.datetime | None = None) -> dict:
    progress = CourseProgress.objects.filter(
        staff_id=staff_id, course_id__in=list(course_ids), completed_at__isnull=False
    )
    if since is not None:
        progress = progress.filter(completed_at__gte=since)
    return {
        row["course_id"]: {
            "revision": row["completed_revision_id"],
            "completed_on": timezone.localdate(row["completed_at"]),
        }
        for row in progress.values("course_id", "completed_revision_id", "completed_at")
    }


def _active_exam_id(*, kind: str, track_id: int) -> int | None:
    return (
        Assessment.objects.filter(kind=kind, track_id=track_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def certification_evidence(*, staff_id: int, track_id: int) -> CertificationEvidence:
    """Read what the person `staff_id` has done towards the certificate of track `track_id`."""
    required = tuple(
        TrackCourse.objects.filter(track_id=track_id, course__live=True)
        .order_by("sort_order", "pk")
        .values_list("course_id", "course__title")
    )
    exam_id = _active_exam_id(kind=Assessment.Kind.CERTIFICATION_EXAM, track_id=track_id)
    exam_percent = None
    if exam_id is not None:
        exam_percent = (
            AssessmentResult.objects.filter(staff_id=staff_id, assessment_id=exam_id, passed=True)
            .values_list("percent", flat=True)
            .first()
        )
    checklist_id = (
        PracticalChecklist.objects.filter(track_id=track_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    signed_off = None
    if checklist_id is not None:
        row = (
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
        if row is not None:
            signed_off = {
                "assessment": row["pk"],
                "checklist": row["checklist_id"],
                "completed_on": timezone.localdate(row["completed_at"]),
            }
    return CertificationEvidence(
        required=required,
        completed=_completed(staff_id=staff_id, course_ids=[c for c, _title in required]),
        has_exam=exam_id is not None,
        exam_percent=exam_percent,
        has_checklist=checklist_id is not None,
        signed_off=signed_off,
    )


def track_eligibility(*, staff_id: int, track_id: int) -> Eligibility:
    """Return whether the person `staff_id` has earned the certificate of track `track_id`."""
    return certification_decide(certification_evidence(staff_id=staff_id, track_id=track_id))


def recertification_path(*, track_id: int) -> RecertificationPath:
    """Return the recertification path of track `track_id`; a track may have none."""
    courses = tuple(
        TrackRefresherCourse.objects.filter(track_id=track_id, course__live=True)
        .order_by("sort_order", "pk")
        .values_list("course_id", "course__title")
    )
    exam_id = _active_exam_id(kind=Assessment.Kind.RECERTIFICATION_EXAM, track_id=track_id)
    return RecertificationPath(courses=courses, exam_id=exam_id)


def recertification_evidence(
    *, staff_id: int, track_id: int, since: datetime.date
) -> RecertificationEvidence:
    """
    Read what the person `staff_id` has done on the recertification path of track `track_id`
    on or after `since` (the day the renewal window opened), so that what earned the previous
    certificate does not count again.
    """
    path = recertification_path(track_id=track_id)
    start = window_start(since)
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
    return RecertificationEvidence(
        path=path,
        completed=_completed(
            staff_id=staff_id, course_ids=[c for c, _title in path.courses], since=start
        ),
        exam_percent=exam_percent,
    )


def recertification_eligibility(
    *, staff_id: int, track_id: int, since: datetime.date
) -> Eligibility:
    """Return whether the person `staff_id` has recertified on track `track_id` since `since`."""
    return recertification_decide(
        recertification_evidence(staff_id=staff_id, track_id=track_id, since=since)
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
            {**row, "exam": exam, "exam_passed": exam_passed_in_window(last_pass, row["opens_on"])}
        )
    return due

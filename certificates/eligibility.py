"""
The certification rule: a person earns a track's certificate when every required live course of
the track is complete, the track's active certification exam (if it has one) is passed, and the
track's active practical checklist (if it has one) has a completed, passed practical assessment.

Reads only; the evidence found is returned with the answer so that issuing can freeze it on the
certificate without reading it again.
"""

import dataclasses
from decimal import Decimal

from assessments.models import Assessment, AssessmentResult, PracticalAssessment, PracticalChecklist
from courses.models import CourseProgress, TrackCourse


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

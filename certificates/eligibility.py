"""
The certification rule, without database access: a person earns a track's certificate when every
required live course of the track is complete, the track's active certification exam (if it has
one) is passed, and the track's active practical checklist (if it has one) has a completed,
passed practical assessment. A person recertifies when every live refresher course is complete
and the recertification exam passed, each since the renewal window opened.

`certificates.selectors.eligibility` reads the evidence; the functions here decide. The evidence
found is returned with the answer so that issuing can freeze it on the certificate without
reading it again.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.utils import timezone


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


@dataclasses.dataclass(frozen=True)
class CertificationEvidence:
    """What one person has done towards one track's certificate, as the database holds it."""

    # (course id, title) of each required live course, in the track's order.
    required: tuple[tuple[int, str], ...] = ()
    # course id: {"revision": id, "completed_on": date} of each required course completed.
    completed: dict = dataclasses.field(default_factory=dict)
    has_exam: bool = False
    exam_percent: Decimal | None = None  # of the person's passing result, if any
    has_checklist: bool = False
    # {"assessment", "checklist", "completed_on"} of the latest passed practical, if any.
    signed_off: dict | None = None


@dataclasses.dataclass(frozen=True)
class RecertificationPath:
    """A track's recertification path: its live refresher courses and its recertification exam."""

    courses: tuple[tuple[int, str], ...] = ()
    exam_id: int | None = None

    @property
    def exists(self) -> bool:
        return bool(self.courses) or self.exam_id is not None


@dataclasses.dataclass(frozen=True)
class RecertificationEvidence:
    """What one person has done on a track's recertification path since its window opened."""

    path: RecertificationPath = RecertificationPath()
    # course id: {"revision": id, "completed_on": date} of each refresher completed in the window.
    completed: dict = dataclasses.field(default_factory=dict)
    exam_percent: Decimal | None = None  # the best pass in the window, if any


def _course_revisions(required, completed) -> tuple[dict, ...]:
    return tuple(
        {
            "course": course_id,
            "title": title,
            "revision": completed[course_id]["revision"],
            "completed_on": completed[course_id]["completed_on"].isoformat(),
        }
        for course_id, title in required
        if course_id in completed
    )


def certification_decide(evidence: CertificationEvidence) -> Eligibility:
    """Decide whether `evidence` earns the track's certificate."""
    signed_off = evidence.signed_off
    return Eligibility(
        courses_missing=tuple(c for c, _title in evidence.required if c not in evidence.completed),
        # Like a track's enrolment, a track without a live course cannot be finished; otherwise
        # an empty draft track would certify everybody.
        no_courses=not evidence.required,
        exam_missing=evidence.has_exam and evidence.exam_percent is None,
        practical_missing=evidence.has_checklist and signed_off is None,
        course_revisions=_course_revisions(evidence.required, evidence.completed),
        exam_percent=evidence.exam_percent if evidence.has_exam else None,
        practical=(
            {
                "assessment": signed_off["assessment"],
                "checklist": signed_off["checklist"],
                "passed": True,
                "completed_on": signed_off["completed_on"].isoformat(),
            }
            if evidence.has_checklist and signed_off is not None
            else None
        ),
    )


def recertification_decide(evidence: RecertificationEvidence) -> Eligibility:
    """
    Decide whether `evidence` recertifies the person. A track without a recertification path
    cannot be recertified this way.
    """
    path = evidence.path
    return Eligibility(
        courses_missing=tuple(c for c, _title in path.courses if c not in evidence.completed),
        no_courses=not path.exists,
        exam_missing=path.exam_id is not None and evidence.exam_percent is None,
        course_revisions=_course_revisions(path.courses, evidence.completed),
        exam_percent=evidence.exam_percent,
    )


def window_start(day: datetime.date) -> datetime.datetime:
    """Return the first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def exam_passed_in_window(last_pass: datetime.datetime | None, opens_on: datetime.date) -> bool:
    """Whether the latest pass of a recertification exam counts for the window opened then."""
    return last_pass is not None and last_pass >= window_start(opens_on)

"""The course exam's part in "a course is complete", registered with the courses app."""

from .models import Assessment, AssessmentResult


def course_exam_passed(*, staff, course) -> bool:
    """
    Return whether `staff` passed the active exam of `course` by its counting rule; True for a
    course without an active exam.
    """
    exam_id = (
        Assessment.objects.filter(
            kind=Assessment.Kind.COURSE_EXAM, course_id=course.pk, is_active=True
        )
        .values_list("pk", flat=True)
        .first()
    )
    if exam_id is None:
        return True
    return AssessmentResult.objects.filter(
        staff_id=staff.pk, assessment_id=exam_id, passed=True
    ).exists()


def _exam_context(*, staff, **exam_filter) -> dict:
    exam = (
        Assessment.objects.filter(is_active=True, **exam_filter)
        .only("pk", "title", "title_en", "pass_mark_percent")
        .first()
    )
    result = None
    if exam is not None and staff is not None:
        result = AssessmentResult.objects.filter(staff_id=staff.pk, assessment=exam).first()
    return {"exam": exam, "exam_result": result}


def course_page_exam(*, course, user, staff) -> dict:
    """Context for a course page: its active exam and the person's result, if any."""
    return _exam_context(staff=staff, kind=Assessment.Kind.COURSE_EXAM, course_id=course.pk)


def track_page_exam(*, track, user, staff) -> dict:
    """Context for a track page: its certification exam and the person's result, if any."""
    return _exam_context(staff=staff, kind=Assessment.Kind.CERTIFICATION_EXAM, track_id=track.pk)

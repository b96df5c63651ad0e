from celery import shared_task

from assessments.models import Assessment

from . import services
from .lifecycle_tasks import certificates_daily_task  # noqa: F401
from .rendering_tasks import certificate_pdf_render_task  # noqa: F401


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=2 * 60, soft_time_limit=90)
def certificate_issue_task(staff_id: int, track_id: int) -> int | None:
    """
    Issue the track's certificate if the person earned it, or its renewal if they completed the
    recertification they are enrolled in; see `services.certificate_issue`. Delivered twice,
    run twice at once or run again after a worker died: one certificate.
    """
    certificate = services.certificate_issue(staff_id=staff_id, track_id=track_id)
    return certificate.pk if certificate is not None else None


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=5 * 60, soft_time_limit=270)
def certificate_course_completed_task(staff_id: int, course_id: int) -> list[int]:
    """Issue the certificates of the tracks the completed course may have finished."""
    return [
        certificate.pk
        for certificate in services.certificates_issue_after_course(
            staff_id=staff_id, course_id=course_id
        )
    ]


# What may complete a person's certification, as the lower apps report it through their hook
# lists (registered in apps.py). Each queues the issuing task for after the commit; the task
# decides, so a hook that fires too early costs one read.


def course_completed(*, staff, course) -> None:
    # Which tracks need the course is looked up in the task: the learner's request that
    # completed it runs no extra query.
    certificate_course_completed_task.delay_on_commit(staff.pk, course.pk)


# A passed recertification exam may complete a recertification, as a passed certification exam
# may complete a certification: the same task decides which.
_TRACK_EXAMS = (Assessment.Kind.CERTIFICATION_EXAM, Assessment.Kind.RECERTIFICATION_EXAM)


def result_updated(*, result, assessment) -> None:
    if result.passed and assessment.kind in _TRACK_EXAMS:
        certificate_issue_task.delay_on_commit(result.staff_id, assessment.track_id)


def practical_completed(*, assessment) -> None:
    if assessment.passed:
        track_id = assessment.checklist.track_id
        certificate_issue_task.delay_on_commit(assessment.learner_id, track_id)

"""Starts and submits racing each other (two tabs, double clicks, replays) on PostgreSQL."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assessments.models import AssessmentResult, Attempt, AttemptItem
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question, right_response
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def learner_and_exam():
    course = course_page(lessons=1)
    track_page(roles=["technician"], courses=[course])
    learner = StaffFactory(role="technician")
    enrollment_sync(staff_ids=[learner.pk])
    cat = category()
    for _ in range(8):
        question(category=cat)
    exam = assessment(course=course, rules=[(cat, 5)])
    return learner, exam


def run_at_once(count, work):
    """Run `work(i)` in `count` threads released together; return (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.parametrize("tabs", [2, 4])
def test_starts_at_once_open_exactly_one_attempt(learner_and_exam, tabs):
    learner, exam = learner_and_exam

    results, errors = run_at_once(tabs, lambda i: attempt_start(staff=learner, assessment=exam))

    assert errors == []
    assert len({attempt.pk for attempt in results}) == 1
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().status == Attempt.Status.OPEN
    assert AttemptItem.objects.count() == 5


def test_with_one_attempt_allowed_racing_starts_and_submits_never_make_a_second(
    learner_and_exam,
):
    learner, exam = learner_and_exam
    exam.max_attempts = 1
    exam.save()

    def start_and_submit(i):
        attempt = attempt_start(staff=learner, assessment=exam)
        return attempt_submit(attempt=attempt)

    for _round in range(3):
        results, errors = run_at_once(4, start_and_submit)
        assert Attempt.objects.count() == 1
        assert all(
            isinstance(e, ValidationError) and e.code == "no_attempts_left" for e in errors
        ), errors
    attempt = Attempt.objects.get()
    assert attempt.number == 1
    assert attempt.status == Attempt.Status.SUBMITTED
    assert AssessmentResult.objects.get().attempt_id == attempt.pk


def test_submits_at_once_grade_the_attempt_once(learner_and_exam):
    learner, exam = learner_and_exam
    attempt = attempt_start(staff=learner, assessment=exam)
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt, position=item.position, response=right_response(item.version.data)
        )
    base = attempt.started_at + datetime.timedelta(minutes=5)

    # Each request submits at its own moment: grading twice would leave two finishing times.
    results, errors = run_at_once(
        4,
        lambda i: attempt_submit(attempt=attempt, now=base + datetime.timedelta(seconds=i)),
    )

    assert errors == []
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert {r.finished_at for r in results} == {attempt.finished_at}
    assert AssessmentResult.objects.count() == 1
    assert AssessmentResult.objects.get().percent == attempt.percent == 100

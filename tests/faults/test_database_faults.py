"""
The database connection dies in the middle of a request (PostgreSQL restarted, a failover, an
administrator's pg_terminate_backend): the person gets an error page, nothing is half-written,
and the next request works on a new connection.
"""

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import AssessmentResult, Attempt
from assessments.services import attempts as attempt_services
from assessments.services.attempts import attempt_start
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question
from tests.factories.certificates import certified_track, courses_done
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _terminate(pid: int) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
        dbname=settings["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_terminated_while_an_exam_is_graded_answers_500_and_writes_nothing(
    monkeypatch,
):
    track = certified_track(courses=1, exam=False, practical=False)
    bank = category("三包政策")
    for _ in range(3):
        question(category=bank, kind="true_false", true_false_answer=True)
    exam = assessment(track=track, rules=[(bank, 3)])
    person = StaffFactory(role="technician", outlet=OutletFactory())
    enrollment_sync(staff_ids=[person.pk])
    courses_done(staff=person, track=track)
    attempt = attempt_start(staff=person, assessment=exam)
    positions = list(attempt.items.values_list("position", flat=True))

    finish = attempt_services._finish

    def finish_after_the_connection_died(**kwargs):
        # The answers of the form are written by now, in the same transaction; then the
        # server ends this connection and grading goes on as if nothing happened.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _terminate(cursor.fetchone()[0])
        return finish(**kwargs)

    monkeypatch.setattr(attempt_services, "_finish", finish_after_the_connection_died)
    client = Client(raise_request_exception=False)
    client.force_login(person.user)
    url = reverse("assessments:attempt_submit", args=[attempt.pk])
    form = {f"q-{position}": "true" for position in positions}

    response = client.post(url, form)

    assert response.status_code == 500
    assert b"Traceback" not in response.content
    connection.close()  # the test client keeps the dead connection; a server would not
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert list(attempt.items.values_list("response", flat=True)) == [None, None, None]
    assert not AssessmentResult.objects.exists()

    monkeypatch.setattr(attempt_services, "_finish", finish)
    response = client.post(url, form)

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed) == (Attempt.Status.SUBMITTED, True)

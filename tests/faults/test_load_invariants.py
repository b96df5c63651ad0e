"""
Load with real servers, bounded in time, then the invariants checked in SQL: 200 learners
browse while 100 of them take the same timed exam and submit it within the same minute (each
submit clicked twice at once), and a partner administrator exports the compliance overview.
Afterwards every attempt is graded once, none exceeds its limits, no certificate is duplicated,
and no request failed.
"""

import contextlib
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Attempt
from assessments.selectors.attempts import grace_period
from certificates.models import Certificate
from core.models import OutboxMessage
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question, right_response
from tests.factories.certificates import certified_track, courses_done
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory
from tests.faults.conftest import wait_until
from tests.faults.loadrun import Gunicorn, Person, Record, session_cookie

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNERS, EXAMINEES, OUTLETS = 200, 100, 20
RUN_SECONDS = 150


@pytest.fixture
def network():
    company = PartnerCompanyFactory()
    outlets = [OutletFactory(partner_company=company, ownership="partner") for _ in range(OUTLETS)]
    track = certified_track(courses=1, exam=False, practical=False, title="维修技术员上岗认证")
    bank = category("三包政策")
    for i in range(8):
        question(category=bank, kind="true_false" if i % 2 else "single")
    exam = assessment(
        track=track, rules=[(bank, 5)], time_limit_minutes=10, max_attempts=2, title="上岗考试"
    )
    learners = [
        StaffFactory(role="technician", outlet=outlets[i % OUTLETS]) for i in range(LEARNERS)
    ]
    enrollment_sync(staff_ids=[p.pk for p in learners])
    for person in learners[:EXAMINEES]:
        courses_done(staff=person, track=track)
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=company)
    return {"track": track, "exam": exam, "learners": learners, "admin": admin}


def _browse(person: Person, course_url: str, until: float):
    while time.monotonic() < until:
        for page, path in (
            ("home", "/"),
            ("my training", reverse("courses:my_training")),
            ("course", course_url),
            ("my certificates", reverse("certificates:my_certificates")),
        ):
            person.get(page, path)
        time.sleep(1.0)


def _answers_of(attempt_id: int) -> dict:
    """What a learner who knows the answers sends: the page's numbers of the right options."""
    form = {}
    attempt = Attempt.objects.get(pk=attempt_id)
    for item in attempt.items.select_related("version"):
        right = right_response(item.version.data)
        if item.version.data["kind"] == "true_false":
            form[f"q-{item.position}"] = "true" if right else "false"
        else:
            form[f"q-{item.position}"] = str(item.option_order.index(right))
    connection.close()  # this thread's own connection
    return form


def _take_exam(person: Person, exam_id: int, ready: threading.Barrier, results: list):
    person.get("exam overview", reverse("assessments:exam", args=[exam_id]))
    start = reverse("assessments:attempt_start", args=[exam_id])
    with ThreadPoolExecutor(2) as double_click:
        started = list(double_click.map(lambda _: person.post("exam start", start), range(2)))
    location = next((r.headers.get("Location") for r in started if r is not None), None)
    if not location:
        return
    attempt_id = int(location.rstrip("/").split("/")[-1])
    person.get("attempt page", location)
    form = _answers_of(attempt_id)
    answer = reverse("assessments:attempt_answer", args=[attempt_id])
    for name, value in form.items():
        position = int(name[2:])
        response = value == "true" if value in ("true", "false") else value
        person.post("answer (autosave)", answer, json={"position": position, "response": response})
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=90)  # everyone submits within the same minute
    submit = reverse("assessments:attempt_submit", args=[attempt_id])
    with ThreadPoolExecutor(2) as double_click:
        list(double_click.map(lambda _: person.post("exam submit", submit, data=form), range(2)))
    person.get("result", reverse("assessments:attempt_result", args=[attempt_id]))
    results.append(attempt_id)


def _export(person: Person, record: dict):
    person.get("compliance", reverse("compliance:overview"))
    response = person.post(
        "export start",
        reverse("compliance:export_start"),
        data={"kind": "overview", "format": "xlsx"},
    )
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    status = reverse("compliance:export_status", args=[job_id])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = person.get("export status", status).json()
        if state["finished"]:
            break
        time.sleep(0.5)
    download = person.get("export download", state["download_url"])
    record["workbook"] = openpyxl.load_workbook(io.BytesIO(download.content), read_only=True)


def test_two_hundred_learners_and_a_hundred_exams_in_a_minute_keep_every_invariant(
    network, workers, private_redis
):
    exam, track, learners = network["exam"], network["track"], network["learners"]
    course_url = track.track_courses.first().course.url
    cookies = [session_cookie(p.user) for p in learners]
    admin_cookie = session_cookie(network["admin"].user)
    worker = workers.start()
    record, attempts, export = Record(), [], {}
    ready = threading.Barrier(EXAMINEES)

    with Gunicorn(broker_url=private_redis.url, queue=workers.queue) as server:
        started = time.monotonic()
        until = started + 60
        with ThreadPoolExecutor(LEARNERS + 1) as pool:
            jobs = [pool.submit(_export, Person(server.url, admin_cookie, record), export)]
            for i, cookie in enumerate(cookies):
                person = Person(server.url, cookie, record)
                if i < EXAMINEES:
                    jobs.append(pool.submit(_take_exam, person, exam.pk, ready, attempts))
                else:
                    jobs.append(pool.submit(_browse, person, course_url, until))
            for job in jobs:
                job.result(timeout=RUN_SECONDS)
        elapsed = time.monotonic() - started
        print(f"\n{sum(len(t) for t in record.times.values())} requests in {elapsed:.1f} s")
        print(record.table())

    assert record.failures == []
    assert len(attempts) == EXAMINEES
    assert elapsed < RUN_SECONDS
    assert export["workbook"] is not None

    # Every passed learner's certificate, issued by the worker after the commit.
    wait_until(
        lambda: (
            Certificate.objects.filter(track_id=track.pk).count() == EXAMINEES
            and not OutboxMessage.objects.exists()
        ),
        timeout=120,
        what="the certificates of the hundred passed exams",
        processes=[worker],
        workers=workers,
    )
    log = workers.stop_all()
    grace = grace_period()
    with connection.cursor() as cursor:
        # One attempt each although each start was clicked twice; none beyond the exam's limit.
        cursor.execute(
            "SELECT staff_id, COUNT(*) FROM assessments_attempt WHERE assessment_id = %s "
            "GROUP BY staff_id HAVING COUNT(*) <> 1 OR MAX(number) > %s",
            [exam.pk, exam.max_attempts],
        )
        assert cursor.fetchall() == []
        # Each graded once, in time, its score the sum of its items' scores.
        cursor.execute(
            "SELECT a.id FROM assessments_attempt a JOIN assessments_attemptitem i "
            "ON i.attempt_id = a.id WHERE a.assessment_id = %s GROUP BY a.id, a.score, a.status, "
            "a.finished_at, a.deadline HAVING a.status <> 'submitted' OR a.score IS NULL "
            "OR a.score <> SUM(i.score) OR a.finished_at > a.deadline + %s",
            [exam.pk, grace + timedelta(0)],
        )
        assert cursor.fetchall() == []
        # One result per person, one certificate per person and track.
        cursor.execute(
            "SELECT staff_id FROM assessments_assessmentresult WHERE assessment_id = %s "
            "GROUP BY staff_id HAVING COUNT(*) > 1",
            [exam.pk],
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT holder_id FROM certificates_certificate WHERE track_id = %s "
            "GROUP BY holder_id HAVING COUNT(*) > 1",
            [track.pk],
        )
        assert cursor.fetchall() == []
    # A grading fires its certificate task once: a second grading would have queued another.
    assert log.count("certificate_issue_task[") == 2 * EXAMINEES  # received + succeeded

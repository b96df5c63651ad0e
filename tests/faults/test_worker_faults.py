"""
Background work against real servers when they fail: a worker SIGKILLed mid-task, Redis gone
while learners submit exams, a message delivered twice or again while it still runs, and a task
queued in a transaction that rolls back. Each case ends with the work done exactly once.

These tests start processes and wait for them: they run alone, after the parallel tests.
"""

import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt
from assessments.services.attempts import answer_save, attempt_start
from certificates.models import Certificate, RenderJob
from certificates.services import rendering
from certificates.services.issuance import certificate_issue
from certificates.tasks import certificate_issue_task
from compliance.models import ExportJob
from compliance.services.export_jobs import compliance_export_start
from core import outbox
from core.models import OutboxMessage
from courses.services import enrollment_sync
from tests.factories.assessments import assessment, category, question, right_response
from tests.factories.certificates import certified_track, courses_done, earned
from tests.factories.network import OutletFactory, StaffFactory
from tests.faults.conftest import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.serial,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _certificates(count: int) -> list[Certificate]:
    track = certified_track(courses=1, title="维修技术员上岗认证")
    outlet = OutletFactory()
    assessor = StaffFactory(role="senior_technician", outlet=outlet)
    issued = []
    for _ in range(count):
        staff = StaffFactory(role="technician", outlet=outlet)
        earned(staff=staff, assessor=assessor, track=track)
        issued.append(certificate_issue(staff_id=staff.pk, track_id=track.pk))
    return issued


def _pdfs_on_disk(certificates) -> int:
    storage = certificates[0].pdf.storage
    return sum(storage.exists(rendering.pdf_name(c)) for c in certificates)


def _queue_is_empty(redis, queue: str) -> bool:
    return redis.llen(queue) == 0 and redis.hlen("unacked") == 0


@pytest.fixture
def sixty_certificates(db):
    """Issued before the workers start, their own PDFs drawn in this process."""
    return _certificates(12)  # three chunks of five (FAULT_RENDER_CHUNK_SIZE) for the job


def test_worker_killed_while_re_rendering_certificates_draws_and_counts_each_once(
    sixty_certificates, workers, private_redis
):
    certificates = sixty_certificates
    for certificate in certificates:
        certificate.pdf.storage.delete(rendering.pdf_name(certificate))
    first = workers.start(
        FAULT_STORAGE_DELAY="0.3", CELERY_VISIBILITY_TIMEOUT="3", FAULT_RENDER_CHUNK_SIZE="5"
    )

    job = rendering.render_job_start()
    wait_until(
        lambda: _pdfs_on_disk(certificates) >= 7,
        timeout=60,
        what="the first worker to draw part of the first chunk",
        processes=[first],
        workers=workers,
    )
    workers.kill(first)
    drawn_before_the_kill = _pdfs_on_disk(certificates)
    job.refresh_from_db()
    assert job.done == 5  # the second chunk's progress died with the worker's transaction

    second = workers.start(CELERY_VISIBILITY_TIMEOUT="3", FAULT_RENDER_CHUNK_SIZE="5")
    wait_until(
        lambda: RenderJob.objects.get(pk=job.pk).status == RenderJob.Status.DONE,
        timeout=90,
        what="the job to end after the redelivery",
        processes=[second],
        workers=workers,
    )
    job.refresh_from_db()
    assert 7 <= drawn_before_the_kill < 12
    assert (job.done, job.failed, job.total) == (12, 0, 12)
    assert _pdfs_on_disk(certificates) == 12
    files = certificates[0].pdf.storage.listdir("certificates")[1]
    for certificate in certificates:  # one file each, no copies under other names
        assert [f for f in files if f.startswith(certificate.serial)] == [
            f"{certificate.serial}.pdf"
        ]
    # No redelivery loop: after a visibility timeout and more, nothing is queued or unacked.
    time.sleep(4)
    assert _queue_is_empty(private_redis.client(), workers.queue)


def test_worker_killed_while_issuing_certificates_issues_and_draws_each_once(
    workers, private_redis
):
    track = certified_track(courses=1, title="维修技术员上岗认证")
    outlet = OutletFactory()
    assessor = StaffFactory(role="senior_technician", outlet=outlet)
    people = StaffFactory.create_batch(10, role="technician", outlet=outlet)
    for person in people:
        earned(staff=person, assessor=assessor, track=track)
    first = workers.start(FAULT_STORAGE_DELAY="0.5", CELERY_VISIBILITY_TIMEOUT="3")

    for person in people:  # as the graded exams queue them
        outbox.enqueue(certificate_issue_task, person.pk, track.pk)
    issued = Certificate.objects.filter(track_id=track.pk)
    wait_until(
        lambda: issued.count() >= 3,
        timeout=60,
        what="the first worker to issue some certificates",
        processes=[first],
        workers=workers,
    )
    workers.kill(first)

    second = workers.start(CELERY_VISIBILITY_TIMEOUT="3")
    for what, condition in (
        ("ten certificates", lambda: issued.count() == 10),
        # .all(): a fresh read each time, not the queryset's first answer again
        ("every PDF drawn", lambda: all(rendering.pdf_present(c) for c in issued.all())),
        ("the queue emptied", lambda: _queue_is_empty(private_redis.client(), workers.queue)),
    ):
        wait_until(condition, timeout=60, what=what, processes=[second], workers=workers)
    assert sorted(issued.values_list("holder_id", flat=True)) == sorted(p.pk for p in people)
    files = issued.first().pdf.storage.listdir("certificates")[1]
    for certificate in issued.all():
        assert [f for f in files if f.startswith(certificate.serial)] == [
            f"{certificate.serial}.pdf"
        ]


def test_worker_killed_while_writing_an_export_writes_one_file(workers, private_redis):
    auditor = StaffFactory(role="auditor", outlet=None)
    OutletFactory.create_batch(3)
    first = workers.start(FAULT_STORAGE_DELAY="4", CELERY_VISIBILITY_TIMEOUT="3")
    job = compliance_export_start(user=auditor.user, kind="overview", format="xlsx")
    wait_until(
        lambda: ExportJob.objects.get(pk=job.pk).stage == ExportJob.Stage.STORING,
        timeout=60,
        what="the export to reach its storing stage",
        processes=[first],
        workers=workers,
    )
    workers.kill(first)

    second = workers.start(CELERY_VISIBILITY_TIMEOUT="3")
    wait_until(
        lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE,
        timeout=60,
        what="the export to be built again",
        processes=[second],
        workers=workers,
    )
    job.refresh_from_db()
    folder, name = job.file.name.rsplit("/", 1)
    assert job.file.storage.listdir(folder)[1] == [name]  # nothing left by the dead run
    with job.file.open("rb") as handle:
        assert handle.read(2) == b"PK"  # a whole XLSX, not the dead run's half
    time.sleep(4)
    assert _queue_is_empty(private_redis.client(), workers.queue)


def _exam_ready_learners(count: int):
    """`count` technicians whose only missing piece of their certificate is the track exam."""
    track = certified_track(courses=1, exam=False, practical=False, title="前台接待认证")
    bank = category("三包政策")
    for _ in range(3):
        question(category=bank, kind="true_false")
    exam = assessment(track=track, rules=[(bank, 3)], title="前台接待认证考试")
    outlet = OutletFactory()
    learners = [StaffFactory(role="technician", outlet=outlet) for _ in range(count)]
    enrollment_sync(staff_ids=[p.pk for p in learners])
    for person in learners:
        courses_done(staff=person, track=track)
    return track, exam, learners


def _submit_right_answers(person, exam) -> int:
    attempt = attempt_start(staff=person, assessment=exam)
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt, position=item.position, response=right_response(item.version.data)
        )
    client = Client()
    client.force_login(person.user)
    response = client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))
    assert response.status_code == 302, response.content[:500]
    return attempt.pk


def test_exams_submitted_while_redis_is_down_are_graded_and_certified_when_it_returns(
    workers, private_redis
):
    track, exam, learners = _exam_ready_learners(5)
    private_redis.stop()

    attempt_ids = [_submit_right_answers(person, exam) for person in learners]

    graded = Attempt.objects.filter(pk__in=attempt_ids, status=Attempt.Status.SUBMITTED)
    assert graded.count() == 5
    assert all(a.percent == Decimal("100.00") and a.passed for a in graded)
    waiting = OutboxMessage.objects.filter(task_name=certificate_issue_task.name)
    assert waiting.count() == 5
    assert all(m.attempts == 1 and m.last_error for m in waiting)
    assert not Certificate.objects.exists()

    private_redis.start()
    worker = workers.start()  # a worker that starts hands over what waited
    wait_until(
        lambda: Certificate.objects.filter(track_id=track.pk).count() == 5,
        timeout=60,
        what="the five certificates after Redis returned",
        processes=[worker],
        workers=workers,
    )
    wait_until(
        lambda: not OutboxMessage.objects.exists(),
        timeout=30,
        what="the outbox to empty",
        processes=[worker],
        workers=workers,
    )
    assert sorted(Certificate.objects.values_list("holder_id", flat=True)) == sorted(
        p.pk for p in learners
    )


def test_the_same_issuance_delivered_twice_to_two_workers_issues_one_certificate(
    workers, private_redis
):
    track = certified_track(courses=1, title="维修技术员上岗认证")
    outlet = OutletFactory()
    assessor = StaffFactory(role="senior_technician", outlet=outlet)
    person = StaffFactory(role="technician", outlet=outlet)
    earned(staff=person, assessor=assessor, track=track)
    processes = [workers.start(), workers.start()]
    time.sleep(2)  # both listening

    for _ in range(4):
        certificate_issue_task.delay(person.pk, track.pk)

    wait_until(
        lambda: (
            _queue_is_empty(private_redis.client(), workers.queue)
            and Certificate.objects.filter(holder=person).exists()
        ),
        timeout=60,
        what="the four deliveries to be worked off",
        processes=processes,
        workers=workers,
    )
    time.sleep(1)
    assert Certificate.objects.filter(holder=person, track_id=track.pk).count() == 1


SLOW_CHUNKS = {
    "FAULT_STORAGE_DELAY": "0.5",
    "FAULT_RENDER_CHUNK_SIZE": "5",
    "CELERY_VISIBILITY_TIMEOUT": "1",
}


def test_a_chunk_delivered_again_while_it_still_runs_is_counted_once(
    sixty_certificates, workers, private_redis
):
    """The visibility timeout (1 s) is shorter than a chunk (5 × 0.5 s): Redis hands the
    running message to the second worker, which must draw and count nothing twice."""
    certificates = sixty_certificates
    processes = [
        workers.start(**SLOW_CHUNKS),
        workers.start(**SLOW_CHUNKS),
    ]
    time.sleep(2)
    job = rendering.render_job_start()
    wait_until(
        lambda: RenderJob.objects.get(pk=job.pk).status == RenderJob.Status.DONE,
        timeout=120,
        what="the job to end",
        processes=processes,
        workers=workers,
    )
    job.refresh_from_db()
    assert (job.done, job.failed, job.total) == (12, 0, 12)
    assert _pdfs_on_disk(certificates) == 12
    log = workers.stop_all()
    assert "already drawn" in log  # a chunk was delivered again while it ran


def test_a_task_queued_in_a_transaction_that_rolls_back_does_nothing(workers, private_redis):
    track = certified_track(courses=1, title="维修技术员上岗认证")
    outlet = OutletFactory()
    assessor = StaffFactory(role="senior_technician", outlet=outlet)
    person, control = StaffFactory.create_batch(2, role="technician", outlet=outlet)
    earned(staff=person, assessor=assessor, track=track)
    earned(staff=control, assessor=assessor, track=track)
    worker = workers.start()

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(certificate_issue_task, person.pk, track.pk)
        raise RuntimeError("the request failed after queueing")
    outbox.enqueue(certificate_issue_task, control.pk, track.pk)  # proves the worker works

    wait_until(
        lambda: Certificate.objects.filter(holder=control).exists(),
        timeout=60,
        what="the control task",
        processes=[worker],
        workers=workers,
    )
    wait_until(  # the control's PDF, queued by its issuance
        lambda: _queue_is_empty(private_redis.client(), workers.queue),
        timeout=60,
        what="the queue to empty",
        processes=[worker],
        workers=workers,
    )
    assert not OutboxMessage.objects.exists()
    assert not Certificate.objects.filter(holder=person).exists()

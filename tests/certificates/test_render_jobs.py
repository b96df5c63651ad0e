import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from certificates.models import Certificate, RenderJob
from certificates.services import rendering
from certificates.services.issuance import certificate_issue
from certificates.tasks import render_job_chunk_task
from network.services import staff_assignment_sync
from tests.factories.certificates import certified_track, earned
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chunk_of_two(monkeypatch):
    monkeypatch.setattr(rendering, "RENDER_CHUNK_SIZE", 2)


@pytest.fixture
def track():
    return certified_track(
        courses=1, title="维修技术员上岗认证", title_en="Technician certification"
    )


def _certificates(count, *, track, outlet) -> list[Certificate]:
    assessor = StaffFactory(role="senior_technician", outlet=outlet)
    issued = []
    for _ in range(count):
        staff = StaffFactory(role="technician", outlet=outlet)
        earned(staff=staff, assessor=assessor, track=track)
        issued.append(certificate_issue(staff_id=staff.pk, track_id=track.pk))
    return issued


def _without_pdfs(certificates) -> None:
    """Delete the stored PDFs, so that which ones a job drew again can be seen."""
    for certificate in certificates:
        certificate.refresh_from_db()
        if certificate.pdf.name:
            certificate.pdf.storage.delete(certificate.pdf.name)


def _stored(certificates) -> list[bool]:
    result = []
    for certificate in certificates:
        certificate.refresh_from_db()
        result.append(rendering.pdf_present(certificate))
    return result


def test_job_renders_every_certificate_in_chunks_and_ends_done(
    track, partner_outlet, chunk_of_two, django_capture_on_commit_callbacks
):
    certificates = _certificates(5, track=track, outlet=partner_outlet)
    _without_pdfs(certificates)
    root = UserFactory(is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = rendering.render_job_start(actor=root)

    job.refresh_from_db()
    # One chunk queued by the start, then one by each chunk that left work behind: 2 + 2 + 1.
    assert len(callbacks) == 3
    assert (job.status, job.total, job.done, job.failed) == ("done", 5, 5, 0)
    assert job.last_certificate_id == certificates[-1].pk
    assert job.active is None
    assert job.requested_by == root
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert _stored(certificates) == [True] * 5


def test_progress_moves_after_each_chunk(track, partner_outlet, chunk_of_two):
    certificates = _certificates(5, track=track, outlet=partner_outlet)
    _without_pdfs(certificates)
    job = rendering.render_job_start()  # its first chunk waits for a commit that never comes
    assert (job.status, job.done, job.total) == ("queued", 0, 5)

    job = rendering.render_job_chunk(job_id=job.pk, after_id=0)

    assert (job.status, job.done, job.failed, job.percent) == ("running", 2, 0, 40)
    assert job.last_certificate_id == certificates[1].pk
    assert _stored(certificates) == [True, True, False, False, False]


def test_chunk_delivered_twice_draws_and_counts_once(track, partner_outlet, chunk_of_two):
    certificates = _certificates(3, track=track, outlet=partner_outlet)
    job = rendering.render_job_start()

    render_job_chunk_task.apply(args=(job.pk, 0))
    _without_pdfs(certificates[:2])
    render_job_chunk_task.apply(args=(job.pk, 0))  # the duplicate delivery

    job.refresh_from_db()
    assert (job.done, job.last_certificate_id) == (2, certificates[1].pk)
    assert _stored(certificates[:2]) == [False, False]

    render_job_chunk_task.apply(args=(job.pk, certificates[1].pk))
    render_job_chunk_task.apply(args=(job.pk, certificates[1].pk))
    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.total) == ("done", 3, 0, 3)


def test_job_resumes_where_a_dead_worker_left_it(
    track, partner_outlet, chunk_of_two, django_capture_on_commit_callbacks
):
    certificates = _certificates(5, track=track, outlet=partner_outlet)
    job = rendering.render_job_start()
    rendering.render_job_chunk(job_id=job.pk, after_id=0)
    # The worker died with the next chunk's message lost: the first two stay as drawn.
    _without_pdfs(certificates)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_certificates", "--resume", stdout=_Sink())

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert _stored(certificates) == [False, False, True, True, True]


def test_certificates_issued_during_a_job_are_left_to_their_own_rendering(
    track, partner_outlet, chunk_of_two
):
    _certificates(2, track=track, outlet=partner_outlet)
    job = rendering.render_job_start()
    _certificates(1, track=track, outlet=partner_outlet)

    job = rendering.render_job_chunk(job_id=job.pk, after_id=0)

    assert (job.status, job.done, job.total) == ("done", 2, 2)


def test_second_job_is_refused_while_one_runs_and_nothing_is_written(track, partner_outlet):
    _certificates(1, track=track, outlet=partner_outlet)
    first = rendering.render_job_start()

    with pytest.raises(rendering.RenderJobRunning):
        rendering.render_job_start()

    assert list(RenderJob.objects.values_list("pk", flat=True)) == [first.pk]


def test_database_refuses_two_active_jobs(db):
    RenderJob.objects.create(status=RenderJob.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderJob.objects.create(status=RenderJob.Status.QUEUED)
    assert RenderJob.objects.count() == 1


def test_a_new_job_may_start_once_the_last_has_ended(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = rendering.render_job_start()
    with django_capture_on_commit_callbacks(execute=True):
        second = rendering.render_job_start()
    first.refresh_from_db()
    second.refresh_from_db()
    assert [(first.status, first.total), (second.status, second.total)] == [
        ("done", 0),
        ("done", 0),
    ]
    assert first.percent == 100


class _Sink:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass


# serialized_rollback like every transactional test here: a flush without it recreates the
# content types that the next serialized test restores, and that test fails on duplicates.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_runs_the_job_and_waits_for_the_end(track, partner_outlet):
    # Without a test transaction around it, the job's first chunk is queued, and run by the
    # eager worker, the moment the job is saved, as in production.
    _certificates(2, track=track, outlet=partner_outlet)
    out = _Sink()

    call_command("render_certificates", "--all", "--wait", stdout=out)

    job = RenderJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert "".join(out.lines) == (
        f"Job {job.pk} queued: 2 certificates.\nDone: 2 / 2 rendered, 0 failed\n"
    )


def test_command_refuses_a_second_job(track, partner_outlet):
    rendering.render_job_start()
    with pytest.raises(CommandError, match="already being re-rendered"):
        call_command("render_certificates", "--all", stdout=_Sink())
    assert RenderJob.objects.count() == 1


# The admin page ---------------------------------------------------------------------------------


@pytest.fixture
def auditor_client(client, auditor):
    staff_assignment_sync(staff=auditor)  # puts them in the Auditors group
    client.force_login(auditor.user)
    return client


def test_auditor_starts_a_job_from_the_admin_and_follows_its_progress(
    auditor_client, auditor, track, partner_outlet, django_capture_on_commit_callbacks
):
    _certificates(3, track=track, outlet=partner_outlet)
    url = reverse("certificates_render_jobs")

    with django_capture_on_commit_callbacks(execute=True):
        response = auditor_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == url
    job = RenderJob.objects.get()
    assert (job.requested_by, job.status, job.done, job.total) == (auditor.user, "done", 3, 3)
    progress = auditor_client.get(reverse("certificates_render_jobs_progress")).json()
    assert progress == {
        "jobs": [
            {
                "id": job.pk,
                "status": "done",
                "status_label": "Done",
                "total": 3,
                "done": 3,
                "failed": 0,
                "percent": 100,
                "count_label": "3 of 3 certificates drawn",
                "active": False,
                "finished": True,
                "stage_label": "",
                "error": "",
                "download_url": None,
            }
        ]
    }
    page = auditor_client.get(url)
    assert page.status_code == 200
    assert 'value="3"' in page.content.decode()
    assert "Re-render all PDFs" in page.content.decode()


def test_admin_page_of_a_running_job_polls_and_offers_no_second_start(
    auditor_client, track, partner_outlet
):
    _certificates(1, track=track, outlet=partner_outlet)
    rendering.render_job_start()
    body = auditor_client.get(reverse("certificates_render_jobs")).content.decode()
    assert "Re-render all PDFs" not in body
    job = RenderJob.objects.get()
    assert f'data-job-progress="{reverse("certificates_render_jobs_progress")}"' in body
    assert f'data-job-id="{job.pk}"' in body
    assert "data-reload-when-finished" in body
    assert "core/job-progress.js" in body


def test_second_start_from_the_admin_is_refused(auditor_client, db):
    rendering.render_job_start()
    response = auditor_client.post(reverse("certificates_render_jobs"), follow=True)
    assert "already being re-rendered" in response.content.decode()
    assert RenderJob.objects.count() == 1


def test_senior_trainers_may_re_render(client, db):
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Senior trainers"))
    client.force_login(user)
    assert client.get(reverse("certificates_render_jobs")).status_code == 200


@pytest.mark.parametrize("role", ["technician", "outlet_manager"])
def test_learners_and_managers_cannot_re_render(client, partner_outlet, role):
    person = StaffFactory(role=role, outlet=partner_outlet)
    staff_assignment_sync(staff=person)
    client.force_login(person.user)

    page = client.get(reverse("certificates_render_jobs"))
    started = client.post(reverse("certificates_render_jobs"))
    progress = client.get(reverse("certificates_render_jobs_progress"))

    assert [page.status_code, started.status_code, progress.status_code] == [302, 302, 302]
    assert page["Location"].startswith(reverse("account_login"))
    assert RenderJob.objects.count() == 0


def test_trainer_in_the_admin_without_the_permission_is_sent_back(client):
    trainer = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=trainer)
    client.force_login(trainer.user)

    started = client.post(reverse("certificates_render_jobs"))
    progress = client.get(reverse("certificates_render_jobs_progress"))

    # Wagtail turns a refusal inside its admin into a redirect to the dashboard with a message.
    assert [started.status_code, progress.status_code] == [302, 302]
    assert started["Location"] == progress["Location"] == reverse("wagtailadmin_home")
    assert RenderJob.objects.count() == 0


@pytest.mark.parametrize("jobs", [1, 15])
def test_admin_page_queries_do_not_grow_with_jobs(
    auditor_client, auditor, jobs, django_assert_num_queries
):
    for _ in range(jobs):
        RenderJob.objects.create(
            requested_by=UserFactory(), status=RenderJob.Status.DONE, active=None, total=4, done=4
        )
    with django_assert_num_queries(10):
        response = auditor_client.get(reverse("certificates_render_jobs"))
    assert response.status_code == 200
    with django_assert_num_queries(6):
        response = auditor_client.get(reverse("certificates_render_jobs_progress"))
    assert len(response.json()["jobs"]) == jobs


def test_settings_menu_links_the_page_for_auditors_only(client, auditor_client):
    url = reverse("certificates_render_jobs")
    assert url in auditor_client.get(reverse("wagtailadmin_home")).content.decode()

    trainer = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=trainer)
    client.force_login(trainer.user)
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()

"""The progress every background job shows: one state, one template, one script."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from certificates.models import RenderJob
from compliance.models import ExportJob
from core.jobs import JobStatus, job_progress_state
from tests.factories.network import UserFactory


@pytest.mark.parametrize(
    ("status", "total", "done", "failed", "percent"),
    [
        (JobStatus.QUEUED, 0, 0, 0, 0),
        (JobStatus.RUNNING, 8, 2, 0, 25),
        (JobStatus.RUNNING, 8, 2, 2, 50),
        (JobStatus.FAILED, 8, 3, 1, 50),
        (JobStatus.DONE, 0, 0, 0, 100),
        (JobStatus.DONE, 8, 6, 2, 100),
    ],
)
def test_percent_counts_items_done_or_failed_and_is_full_once_done(
    status, total, done, failed, percent
):
    job = RenderJob(status=status, total=total, done=done, failed=failed)
    assert job.percent == percent
    assert job.finished is (status in (JobStatus.DONE, JobStatus.FAILED))


def test_a_job_without_failures_counts_none():
    job = ExportJob(status=JobStatus.RUNNING, total=4, done=1)
    assert (job.failed_count, job.percent) == (0, 25)


def test_state_carries_translated_labels_and_the_extras_of_one_kind_of_job():
    job = ExportJob(pk=7, status=JobStatus.RUNNING, total=4, done=1, stage="rendering")
    state = job_progress_state(
        job, count_label="1 of 4 outlets", stage_label="Writing the file", error=""
    )
    assert state == {
        "id": 7,
        "status": "running",
        "status_label": "Running",
        "total": 4,
        "done": 1,
        "failed": 0,
        "percent": 25,
        "count_label": "1 of 4 outlets",
        "active": True,
        "finished": False,
        "stage_label": "Writing the file",
        "error": "",
        "download_url": None,
    }


def test_template_of_a_running_job_loads_the_poller_and_names_its_status_url():
    job = ExportJob(pk=3, status=JobStatus.RUNNING, total=4, done=1)
    html = render_to_string(
        "core/job_progress.html",
        {"state": job_progress_state(job, count_label="1 of 4"), "status_url": "/status/3/"},
    )
    assert 'data-job-progress="/status/3/"' in html
    assert 'data-job-id="3"' in html
    assert 'value="25"' in html
    assert "core/job-progress.js" in html
    assert "data-reload-when-finished" not in html


def test_template_of_a_finished_job_offers_the_download_and_no_poller():
    job = ExportJob(pk=3, status=JobStatus.DONE, total=4, done=4)
    state = job_progress_state(job, count_label="4 of 4", download_url="/download/3/")
    html = render_to_string("core/job_progress.html", {"state": state, "status_url": "/s/"})
    assert 'href="/download/3/"' in html
    assert "core/job-progress.js" not in html


@pytest.mark.django_db
def test_the_poller_script_is_served_as_a_static_file(client):
    from django.contrib.staticfiles import finders

    path = finders.find("core/job-progress.js")
    assert path is not None
    with open(path, encoding="utf-8") as script:
        source = script.read()
    # Several jobs answered at once are told apart by id; a finished one stops the polling.
    assert "data.jobs" in source and "dataset.jobId" in source
    assert "state.finished" in source


@pytest.mark.django_db
def test_export_page_of_a_queued_job_follows_it_through_the_shared_box(client):
    user = UserFactory(is_superuser=True)
    job = ExportJob.objects.create(requested_by=user, kind="overview", format="csv")
    client.force_login(user)
    body = client.get(reverse("compliance:export_job", args=[job.pk])).content.decode()
    assert f'data-job-progress="{reverse("compliance:export_status", args=[job.pk])}"' in body
    assert "0 of 0 outlets" in body
    assert "core/job-progress.js" in body

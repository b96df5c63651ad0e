import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from compliance import exports
from compliance.models import ExportJob
from compliance.selectors import compliance_overview
from compliance.services import export_jobs
from compliance.tasks import compliance_export_task
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

START = "/compliance/exports/"


@pytest.fixture
def auditor(known_network):
    return StaffFactory(role="auditor", outlet=None)


@pytest.fixture
def today(monkeypatch):
    # The job builds today's figures; the known network's answers hold on TODAY.
    monkeypatch.setattr(export_jobs.timezone, "localdate", lambda: TODAY)


def start(client, user, django_capture_on_commit_callbacks, **data):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(START, {"kind": "overview", "format": "csv", **data})


def downloaded(client, job: ExportJob):
    response = client.get(reverse("compliance:export_download", args=[job.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def csv_codes(content: bytes) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]


def test_export_is_built_with_progress_and_downloaded_by_its_requester(
    client, auditor, today, django_capture_on_commit_callbacks
):
    response = start(client, auditor.user, django_capture_on_commit_callbacks, format="xlsx")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/compliance/exports/{job.pk}/"
    assert (job.status, job.done, job.total, job.stage, job.error) == ("done", 3, 3, "", "")
    assert job.requested_by == auditor.user
    assert job.filters["language"] == "en"
    assert job.file.name.endswith(f"/{job.pk}/compliance-overview-2026-06-15.xlsx")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("compliance:export_download", args=[job.pk]).encode() in page.content
    status = client.get(reverse("compliance:export_status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == (
        "done",
        3,
        3,
        100,
    )

    download, content = downloaded(client, job)
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"] == (
        'attachment; filename="compliance-overview-2026-06-15.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Outlets"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["A", "B", "C"]


def test_progress_is_reported_per_outlet_written(auditor, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    overview = compliance_overview(user=auditor.user, today=TODAY)
    seen = []

    exports.overview_csv(overview, progress=seen.append)

    assert seen == [1, 2, 3]


def test_a_second_run_of_the_task_changes_nothing(
    client, auditor, today, django_capture_on_commit_callbacks
):
    start(client, auditor.user, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    before = (job.file.name, job.finished_at, job.started_at, job.status, job.done)

    assert compliance_export_task.apply(args=[job.pk]).get() == "done"

    job.refresh_from_db()
    assert (job.file.name, job.finished_at, job.started_at, job.status, job.done) == before


def test_another_users_job_answers_404(client, auditor, today, django_capture_on_commit_callbacks):
    start(client, auditor.user, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    other = StaffFactory(role="auditor", outlet=None)

    client.force_login(other.user)
    for name in ("job", "status", "download"):
        assert client.get(reverse(f"compliance:export_{name}", args=[job.pk])).status_code == 404


def test_managers_export_holds_only_their_outlet(
    client, known_network, today, django_capture_on_commit_callbacks
):
    manager = known_network["staff"]["a3"]

    start(client, manager.user, django_capture_on_commit_callbacks, format="csv")

    job = ExportJob.objects.get()
    assert (job.status, job.total) == ("done", 1)
    assert csv_codes(downloaded(client, job)[1]) == ["A"]


def test_scope_is_read_again_when_the_job_is_built(client, known_network, today):
    manager = known_network["staff"]["a3"]
    client.force_login(manager.user)
    client.post(START, {"kind": "overview", "format": "csv"})  # queued, not yet run
    manager.outlet = known_network["outlets"]["C"]
    manager.save()

    job = ExportJob.objects.get()
    compliance_export_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert csv_codes(downloaded(client, job)[1]) == ["C"]


def test_outlet_export_outside_the_scope_is_404_and_writes_nothing(
    client, known_network, django_capture_on_commit_callbacks
):
    manager = known_network["staff"]["a3"]

    response = start(
        client, manager.user, django_capture_on_commit_callbacks, kind="outlet", outlet="B"
    )

    assert response.status_code == 404
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [{"format": "docx"}, {"kind": "everything"}, {"period": "June"}, {"city_tier": "x"}],
)
def test_a_request_not_understood_is_refused_and_writes_nothing(
    client, auditor, data, django_capture_on_commit_callbacks
):
    response = start(client, auditor.user, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 400
    assert ExportJob.objects.count() == 0


def test_a_learner_may_not_export(client, known_network, django_capture_on_commit_callbacks):
    learner = known_network["staff"]["a1"]

    response = start(client, learner.user, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert ExportJob.objects.count() == 0


def test_starting_needs_a_post_with_the_csrf_token(auditor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor.user)

    assert client.get(START).status_code == 405
    assert client.post(START, {"kind": "overview", "format": "csv"}).status_code == 403
    assert ExportJob.objects.count() == 0


def test_outlet_report_of_a_recorded_month_is_exported(
    client, known_network, auditor, today, django_capture_on_commit_callbacks
):
    from compliance.services.snapshots import compliance_snapshots_take

    compliance_snapshots_take(period=TODAY.replace(day=1), as_of=TODAY)

    start(
        client,
        auditor.user,
        django_capture_on_commit_callbacks,
        kind="outlet",
        outlet="B",
        period="2026-06",
        format="xlsx",
    )

    job = ExportJob.objects.get()
    assert (job.status, job.total, job.done) == ("done", 1, 1)
    download, content = downloaded(client, job)
    assert download["Content-Disposition"] == 'attachment; filename="compliance-B-2026-06.xlsx"'
    people = openpyxl.load_workbook(io.BytesIO(content))["People"]
    assert people.max_row == 1 + 6


def test_a_month_without_a_snapshot_fails_with_a_reason(
    client, auditor, today, django_capture_on_commit_callbacks
):
    start(client, auditor.user, django_capture_on_commit_callbacks, period="2025-01")

    job = ExportJob.objects.get()
    assert job.status == "failed"
    assert job.error == "No snapshot of that month holds the outlets you chose."
    assert not job.file
    assert client.get(reverse("compliance:export_download", args=[job.pk])).status_code == 404


@pytest.mark.pdftools
def test_pdf_export_is_served_as_a_pdf(client, auditor, today, django_capture_on_commit_callbacks):
    start(client, auditor.user, django_capture_on_commit_callbacks, format="pdf")

    job = ExportJob.objects.get()
    download, content = downloaded(client, job)
    assert download["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF")


@pytest.mark.parametrize("earlier", [1, 20])
def test_job_page_queries_do_not_grow_with_earlier_exports(
    client, auditor, earlier, django_assert_num_queries
):
    jobs = [
        ExportJob.objects.create(requested_by=auditor.user, kind="overview", format="csv")
        for _ in range(earlier + 1)
    ]
    client.force_login(auditor.user)

    with django_assert_num_queries(6):
        response = client.get(reverse("compliance:export_job", args=[jobs[-1].pk]))

    assert response.status_code == 200


def test_report_pages_carry_their_filters_into_the_export(
    client, auditor, today, django_capture_on_commit_callbacks
):
    client.force_login(auditor.user)

    page = client.get("/compliance/", {"province": "湖南省", "sort": "-share"})
    outlet_page = client.get("/compliance/outlets/B/")

    html = page.content.decode()
    assert 'action="/compliance/exports/"' in html
    assert '<input type="hidden" name="province" value="湖南省">' in html
    assert '<input type="hidden" name="sort" value="-share">' in html
    assert '<input type="hidden" name="outlet" value="B">' in outlet_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"kind": "overview", "format": "csv", "province": "湖南省"})
    job = ExportJob.objects.get()
    assert job.filters["province"] == "湖南省"
    assert csv_codes(downloaded(client, job)[1]) == ["B"]


def test_a_requester_who_lost_the_role_meanwhile_gets_no_file(client, known_network, today):
    manager = known_network["staff"]["a3"]
    client.force_login(manager.user)
    client.post(START, {"kind": "overview", "format": "csv"})  # queued, not yet run
    manager.role = "front_desk"
    manager.save()

    job = ExportJob.objects.get()
    compliance_export_task.apply(args=[job.pk])

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "You may no longer read the compliance reports.")
    assert not job.file


def test_a_file_is_not_handed_out_once_its_requester_moved(
    client, known_network, today, django_capture_on_commit_callbacks
):
    manager = known_network["staff"]["a3"]
    start(client, manager.user, django_capture_on_commit_callbacks, format="csv")
    job = ExportJob.objects.get()
    assert client.get(reverse("compliance:export_download", args=[job.pk])).status_code == 200
    manager.outlet = known_network["outlets"]["C"]
    manager.save()

    response = client.get(reverse("compliance:export_download", args=[job.pk]))

    assert response.status_code == 404


def test_a_deactivated_requester_gets_no_file(
    client, auditor, today, django_capture_on_commit_callbacks
):
    start(client, auditor.user, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    auditor.is_active = False
    auditor.save()

    response = client.get(reverse("compliance:export_download", args=[job.pk]))

    assert response.status_code in (302, 404)

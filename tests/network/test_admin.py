import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.models import ImportBatch, Staff
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_CSV = (
    "工号,姓名,岗位,网点编码,入职日期\n"
    "HN1001,刘晓燕,前台接待,{code},2024-05-06\n"
    "HN1002,陈志强,维修技术员,{code},2023-11-20\n"
)


@pytest.mark.parametrize(
    "role", ["front_desk", "technician", "senior_technician", "outlet_manager"]
)
def test_outlet_people_are_kept_out_of_the_wagtail_admin(client, partner_outlet, role):
    person = StaffFactory(role=role, outlet=partner_outlet)
    client.force_login(person.user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_partner_administrator_is_kept_out_of_the_wagtail_admin(client, partner_company):
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=partner_company)
    client.force_login(admin.user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.mark.parametrize("role", ["trainer", "auditor"])
def test_trainers_and_auditors_work_in_the_wagtail_admin(client, role):
    from network.services import staff_assignment_sync

    person = StaffFactory(role=role, outlet=None)
    staff_assignment_sync(staff=person)  # puts them in their role's admin group
    client.force_login(person.user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.fixture
def auditor_client(client, auditor):
    from network.services import staff_assignment_sync

    staff_assignment_sync(staff=auditor)
    client.force_login(auditor.user)
    return client


def test_auditor_uploads_checks_then_imports_a_staff_file(
    auditor_client, partner_outlet, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "hr.csv", ("\ufeff" + STAFF_CSV.format(code=partner_outlet.code)).encode("utf-8")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = auditor_client.post(reverse("network_import"), {"kind": "staff", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.VALID
    assert batch.report["created"] == 2
    assert not Staff.objects.filter(employee_number__startswith="HN").exists()

    detail = auditor_client.get(reverse("network_import_detail", args=[batch.pk]))
    assert "Import now" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(reverse("network_import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    names = dict(
        Staff.objects.filter(employee_number__startswith="HN").values_list(
            "employee_number", "user__first_name"
        )
    )
    assert names == {"HN1001": "刘晓燕", "HN1002": "陈志强"}


def test_a_file_with_a_bad_row_cannot_be_confirmed(
    auditor_client, partner_outlet, django_capture_on_commit_callbacks
):
    code = partner_outlet.code
    bad = STAFF_CSV.format(code=code) + f"HN1003,王磊,店长,{code},2024-01-01\n"
    upload = SimpleUploadedFile("hr.csv", bad.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(reverse("network_import"), {"kind": "staff", "file": upload})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.report["errors"]] == [(4, "role")]
    page = auditor_client.get(reverse("network_import_detail", args=[batch.pk])).content.decode()
    assert "Unknown role" in page
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(reverse("network_import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert not Staff.objects.filter(employee_number__startswith="HN").exists()


def test_upload_of_another_file_type_is_refused_with_a_message(auditor_client):
    upload = SimpleUploadedFile("hr.pdf", b"%PDF-1.4")
    response = auditor_client.post(reverse("network_import"), {"kind": "staff", "file": upload})
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_trainer_may_not_import(client):
    from network.services import staff_assignment_sync

    trainer = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=trainer)
    client.force_login(trainer.user)
    response = client.get(reverse("network_import"))
    # Wagtail turns a refused admin view into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_running_the_import_task_twice_imports_once(
    auditor_client, partner_outlet, django_capture_on_commit_callbacks
):
    from network.tasks import import_batch_run_task

    upload = SimpleUploadedFile("hr.csv", STAFF_CSV.format(code=partner_outlet.code).encode())
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(reverse("network_import"), {"kind": "staff", "file": upload})
    with django_capture_on_commit_callbacks(execute=True):
        auditor_client.post(reverse("network_import_detail", args=[ImportBatch.objects.get().pk]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert import_batch_run_task.apply(args=[batch.pk], kwargs={"apply": True}).get() == "imported"
    assert Staff.objects.filter(employee_number__startswith="HN").count() == 2


@pytest.mark.parametrize("people", [1, 30])
def test_admin_listing_of_staff_runs_a_fixed_number_of_queries(
    auditor_client, partner_outlet, people, django_assert_num_queries
):
    StaffFactory.create_batch(people, outlet=partner_outlet)
    with django_assert_num_queries(11):
        response = auditor_client.get(reverse("wagtailsnippets_network_staff:list"))
    assert response.status_code == 200


def test_superuser_without_staff_record_opens_the_admin(client):
    root = UserFactory(is_superuser=True)
    client.force_login(root)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

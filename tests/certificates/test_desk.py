"""The certificate desk: auditors find and change certificates; managers read their own."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from certificates.models import BulkSuspension, Certificate, CertificateEvent
from certificates.selectors.desk import DeskQuery, desk_search
from certificates.services.issuance import CORRECTABLE_FIELDS, certificate_issue
from certificates.tasks import bulk_suspension_chunk_task
from network.services import staff_assignment_sync
from tests.factories.certificates import certified_track, earned
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

DESK = "/certificates/desk/"


@pytest.fixture
def track():
    return certified_track(title="维修技术员上岗认证", title_en="Technician certification")


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


def _issue(staff, assessor, track) -> Certificate:
    earned(staff=staff, assessor=assessor, track=track)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_issue(staff_id=staff.pk, track_id=track.pk)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def certificates(partner_outlet, other_outlet, senior, track):
    here = StaffFactory(role="technician", outlet=partner_outlet)
    elsewhere = StaffFactory(role="technician", outlet=other_outlet)
    other_senior = StaffFactory(role="senior_technician", outlet=other_outlet)
    return {
        "here": _issue(here, senior, track),
        "elsewhere": _issue(elsewhere, other_senior, track),
    }


def _serials(response) -> list[str]:
    return [c.serial for c in response.context["page"].object_list]


def _signed_in(client, person):
    staff_assignment_sync(staff=person)
    client.force_login(person.user)
    return client


# Search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["serial", "serial_lower", "code", "employee_number", "name", "outlet", "company"]
)
def test_the_desk_finds_a_certificate_by_each_key(client, auditor, certificates, key):
    wanted = certificates["here"]
    value = {
        "serial": wanted.serial,
        "serial_lower": wanted.serial.lower(),
        "code": wanted.code,
        "employee_number": wanted.employee_number,
        "name": wanted.holder_name,
        "outlet": wanted.outlet_code,
        "company": wanted.holder.outlet.partner_company.code,
    }[key]
    field = {"outlet": "outlet", "company": "partner_company"}.get(key, "q")
    response = _signed_in(client, auditor).get(DESK, {field: value})
    assert response.status_code == 200
    assert _serials(response) == [wanted.serial]


def test_the_desk_narrows_by_track_status_and_expiry_window(auditor, certificates, track):
    here, elsewhere = certificates["here"], certificates["elsewhere"]
    Certificate.objects.filter(pk=elsewhere.pk).update(
        status="suspended", expires_on=here.expires_on + datetime.timedelta(days=40)
    )
    user = auditor.user
    other_track = certified_track(title="前台", title_en="Front desk")

    def serials(**query):
        return [c.serial for c in desk_search(user=user, query=DeskQuery(**query))]

    assert serials(track=track.pk) == [elsewhere.serial, here.serial]
    assert serials(track=other_track.pk) == []
    assert serials(status="suspended") == [elsewhere.serial]
    assert serials(expires_before=here.expires_on) == [here.serial]
    assert serials(expires_after=here.expires_on + datetime.timedelta(days=1)) == [elsewhere.serial]


def test_a_manager_reads_only_their_outlets_certificates(client, manager, certificates):
    response = _signed_in(client, manager).get(DESK)
    assert _serials(response) == [certificates["here"].serial]
    detail = client.get(reverse("certificates:desk_detail", args=[certificates["here"].serial]))
    assert detail.status_code == 200
    assert "Suspend" not in detail.content.decode()  # read-only
    other = client.get(reverse("certificates:desk_detail", args=[certificates["elsewhere"].serial]))
    assert other.status_code == 404


def test_a_partner_administrator_reads_their_companys_certificates_only(
    client, partner_company, certificates
):
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=partner_company)
    response = _signed_in(client, admin).get(DESK)
    assert _serials(response) == [certificates["here"].serial]
    url = reverse("certificates:desk_detail", args=[certificates["elsewhere"].serial])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["technician", "front_desk"])
def test_learners_are_refused_the_desk(client, partner_outlet, role, certificates):
    person = StaffFactory(role=role, outlet=partner_outlet)
    assert _signed_in(client, person).get(DESK).status_code == 403


def test_a_manager_cannot_change_a_certificate(client, manager, certificates):
    serial = certificates["here"].serial
    _signed_in(client, manager)
    url = reverse("certificates:desk_action", args=[serial, "suspend"])
    response = client.post(url, {"suspend-reason": "test"})
    assert response.status_code == 403
    assert Certificate.objects.get(serial=serial).status == "valid"


# Actions ---------------------------------------------------------------------------------------


def _act(client, serial, action, **data):
    url = reverse("certificates:desk_action", args=[serial, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


def _printed(certificate) -> dict:
    return {name: getattr(certificate, name) for name in CORRECTABLE_FIELDS}


def _public_status(client, certificate) -> str:
    return client.get(f"/api/v1/certificates/{certificate.code}").json()["status"]


def test_suspend_and_reinstate_write_their_events_and_show_on_verification(
    client, auditor, certificates
):
    certificate = certificates["here"]
    _signed_in(client, auditor)

    response = _act(client, certificate.serial, "suspend", reason="投诉待查")
    assert response.status_code == 302
    assert _public_status(client, certificate) == "suspended"
    response = _act(client, certificate.serial, "reinstate", reason="稽核无问题")
    assert _public_status(client, certificate) == "valid"

    events = list(
        CertificateEvent.objects.filter(certificate=certificate).values_list(
            "action", "from_status", "to_status", "reason", "actor"
        )
    )
    assert events[1:] == [
        ("suspended", "valid", "suspended", "投诉待查", auditor.user.pk),
        ("reinstated", "suspended", "valid", "稽核无问题", auditor.user.pk),
    ]
    page = client.get(reverse("certificates:desk_detail", args=[certificate.serial]))
    html = page.content.decode()
    assert "投诉待查" in html and "稽核无问题" in html


def test_revoke_needs_the_confirmation_and_cannot_be_undone(client, auditor, certificates):
    certificate = certificates["here"]
    _signed_in(client, auditor)

    refused = _act(client, certificate.serial, "revoke", reason="使用翻新件")
    assert refused.status_code == 400
    assert Certificate.objects.get(pk=certificate.pk).status == "valid"

    _act(client, certificate.serial, "revoke", reason="使用翻新件", confirm="on")
    assert _public_status(client, certificate) == "revoked"
    revocations = client.get("/api/v1/certificates/revocations").json()
    assert certificate.serial in [entry["serial"] for entry in revocations["revoked"]]

    again = _act(client, certificate.serial, "reinstate", reason="再议")
    assert again.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == "revoked"
    page = client.get(reverse("certificates:desk_detail", args=[certificate.serial]))
    assert 'data-action="reinstate"' not in page.content.decode()


def test_a_reason_is_required(client, auditor, certificates):
    certificate = certificates["here"]
    response = _act(_signed_in(client, auditor), certificate.serial, "suspend", reason=" ")
    assert response.status_code == 400
    assert Certificate.objects.get(pk=certificate.pk).status == "valid"


def test_correct_issues_a_superseding_certificate_with_the_corrected_name(
    client, auditor, certificates
):
    old = certificates["here"]
    _signed_in(client, auditor)
    fields = _printed(old)
    response = _act(
        client, old.serial, "correct", **{**fields, "holder_name": "王晓明"}, reason="姓名有误"
    )

    new = Certificate.objects.get(supersedes=old)
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:desk_detail", args=[new.serial])
    assert new.holder_name == "王晓明"
    assert (new.issued_on, new.expires_on) == (old.issued_on, old.expires_on)
    assert Certificate.objects.get(pk=old.pk).status == "superseded"
    assert _public_status(client, old) == "superseded"
    page = client.get(response["Location"]).content.decode()
    assert old.serial in page and new.serial in page  # the chain


def test_a_correction_that_changes_nothing_is_refused(client, auditor, certificates):
    old = certificates["here"]
    _signed_in(client, auditor)
    response = _act(client, old.serial, "correct", **_printed(old), reason="核对")
    assert response.status_code == 400
    assert not Certificate.objects.filter(supersedes=old).exists()


def test_an_unknown_action_is_refused(client, auditor, certificates):
    response = _act(_signed_in(client, auditor), certificates["here"].serial, "delete", reason="x")
    assert response.status_code == 403


# Reaching the desk -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("auditor", True), ("outlet_manager", True), ("technician", False)],
)
def test_the_navigation_offers_the_desk_to_those_who_may_use_it(
    client, partner_outlet, role, shown
):
    person = StaffFactory(role=role, outlet=None if role == "auditor" else partner_outlet)
    client.force_login(person.user)
    page = client.get(reverse("courses:my_training")).content.decode()
    assert (f'href="{DESK}"' in page) is shown
    assert 'href="/my/certificates/"' in page


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [1, 12])
def test_search_and_record_run_a_fixed_number_of_queries(
    client, auditor, partner_outlet, senior, track, people, django_assert_num_queries
):
    issued = [
        _issue(StaffFactory(role="technician", outlet=partner_outlet), senior, track)
        for _ in range(people)
    ]
    _signed_in(client, auditor)
    client.get(DESK)  # the session learns the navigation's role
    with django_assert_num_queries(10):
        response = client.get(DESK, {"q": "员工"})
    assert len(response.context["page"].object_list) == people
    # One more than the search: the policy updates asked of the certificate (its lineage).
    with django_assert_num_queries(11):
        client.get(reverse("certificates:desk_detail", args=[issued[0].serial]))


# Bulk suspension -------------------------------------------------------------------------------

BULK = "/certificates/desk/bulk-suspend/"


@pytest.fixture
def outlet_certificates(partner_outlet, senior, track, certificates):
    second = _issue(StaffFactory(role="technician", outlet=partner_outlet), senior, track)
    return [certificates["here"], second]


def _preview(client, outlet_code, reason="网点涉嫌欺诈，停业整顿"):
    return client.post(BULK, {"outlet": outlet_code, "reason": reason, "preview": "1"})


def test_bulk_suspension_previews_then_suspends_exactly_the_previewed_certificates_once(
    client,
    auditor,
    partner_outlet,
    outlet_certificates,
    certificates,
    django_capture_on_commit_callbacks,
):
    _signed_in(client, auditor)
    preview = _preview(client, partner_outlet.code)
    html = preview.content.decode()
    assert preview.status_code == 200
    for certificate in outlet_certificates:
        assert f'data-serial="{certificate.serial}"' in html
    assert certificates["elsewhere"].serial not in html
    assert Certificate.objects.filter(status="suspended").count() == 0  # a preview changes nothing
    digest = preview.context["preview"]["digest"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BULK,
            {
                "outlet": partner_outlet.code,
                "reason": "网点涉嫌欺诈，停业整顿",
                "digest": digest,
                "confirm": "1",
            },
        )

    job = BulkSuspension.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:bulk_suspension", args=[job.pk])
    assert (job.status, job.done, job.failed, job.total) == ("done", 2, 0, 2)
    suspended = Certificate.objects.filter(status="suspended")
    assert sorted(c.serial for c in suspended) == sorted(c.serial for c in outlet_certificates)
    assert Certificate.objects.get(pk=certificates["elsewhere"].pk).status == "valid"
    assert CertificateEvent.objects.filter(action="suspended").count() == 2
    for certificate in outlet_certificates:
        assert _public_status(client, certificate) == "suspended"

    # A duplicate delivery of the first chunk suspends nothing twice.
    bulk_suspension_chunk_task.apply(args=[job.pk, 0])
    assert CertificateEvent.objects.filter(action="suspended").count() == 2

    status = client.get(reverse("certificates:bulk_suspension_status", args=[job.pk])).json()
    assert (status["finished"], status["percent"]) == (True, 100)
    page = client.get(response["Location"]).content.decode()
    assert "2 of 2 certificates suspended, 0 skipped" in page


def test_a_preview_that_changed_meanwhile_is_refused(
    client, auditor, partner_outlet, outlet_certificates, senior, track
):
    _signed_in(client, auditor)
    digest = _preview(client, partner_outlet.code).context["preview"]["digest"]
    _issue(StaffFactory(role="technician", outlet=partner_outlet), senior, track)

    response = client.post(
        BULK,
        {"outlet": partner_outlet.code, "reason": "停业", "digest": digest, "confirm": "1"},
    )

    assert response.status_code == 400
    assert "changed since the preview" in response.content.decode()
    assert not BulkSuspension.objects.exists()


def test_a_certificate_revoked_before_its_turn_is_skipped(
    client, auditor, partner_outlet, outlet_certificates, django_capture_on_commit_callbacks
):
    _signed_in(client, auditor)
    digest = _preview(client, partner_outlet.code).context["preview"]["digest"]
    client.post(
        BULK,
        {"outlet": partner_outlet.code, "reason": "停业", "digest": digest, "confirm": "1"},
    )  # queued, not yet run
    Certificate.objects.filter(pk=outlet_certificates[0].pk).update(status="revoked")
    job = BulkSuspension.objects.get()

    bulk_suspension_chunk_task.apply(args=[job.pk, 0])

    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 1, 1)


def test_managers_cannot_bulk_suspend_and_an_unknown_outlet_is_said_plainly(
    client, auditor, manager, partner_outlet, outlet_certificates
):
    _signed_in(client, manager)
    assert client.get(BULK).status_code == 403
    assert _preview(client, partner_outlet.code).status_code == 403

    _signed_in(client, auditor)
    response = _preview(client, "NO-SUCH")
    assert response.status_code == 400
    assert "No valid certificate belongs to this outlet." in response.content.decode()
    assert _preview(client, partner_outlet.code, reason="").status_code == 400


def test_a_learner_cannot_download_the_outlets_certificates(client, partner_outlet, certificates):
    colleague = StaffFactory(role="front_desk", outlet=partner_outlet)
    _signed_in(client, colleague)
    response = client.get(f"/training/outlets/{partner_outlet.code}/certificates.zip")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outlet_manager", ["training", "desk", "zip", "compliance", "poster"]),
        ("partner_admin", ["training", "desk", "zip", "compliance", "poster"]),
        ("technician", []),
    ],
)
def test_an_outlets_page_leads_each_role_to_its_training_certificates_and_reports(
    client, partner_outlet, partner_company, role, expected
):
    person = StaffFactory(
        role=role,
        outlet=None if role == "partner_admin" else partner_outlet,
        partner_company=partner_company if role == "partner_admin" else None,
    )
    _signed_in(client, person)
    html = client.get(reverse("network:outlet_detail", args=[partner_outlet.code])).content.decode()
    code = partner_outlet.code
    urls = {
        "training": f"/training/outlets/{code}/",
        "desk": f"/certificates/desk/?outlet={code}",
        "zip": f"/training/outlets/{code}/certificates.zip",
        "compliance": f"/compliance/outlets/{code}/",
        "poster": f"/compliance/outlets/{code}/poster.pdf",
    }
    assert [name for name, url in urls.items() if f'href="{url}"' in html] == expected

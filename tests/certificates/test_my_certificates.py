import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services.practicals import criterion_record, practical_complete, practical_start
from certificates.models import Certificate
from certificates.services.issuance import certificate_issue
from certificates.services.rendering import certificate_pdf_render
from tests.factories.certificates import (
    certified_track,
    courses_done,
    earned,
    exam_result,
    track_checklist,
)
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


@pytest.fixture
def track():
    return certified_track(title="维修技术员上岗认证", title_en="Technician certification")


def _issue(*, staff, assessor, track) -> Certificate:
    earned(staff=staff, assessor=assessor, track=track)
    return certificate_issue(staff_id=staff.pk, track_id=track.pk)


def _stored(certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        return handle.read()


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_issuing_renders_and_stores_the_pdf_after_the_commit(
    learner, senior, track, django_capture_on_commit_callbacks
):
    courses_done(staff=learner, track=track)
    exam_result(staff=learner, track=track)
    assessment = practical_start(
        assessor_user=senior.user, learner=learner, checklist=track_checklist(track)
    )
    for criterion in assessment.checklist.criteria.all():
        criterion_record(
            assessment=assessment, criterion=criterion, met=True, note="", actor=senior.user
        )

    with django_capture_on_commit_callbacks(execute=True):
        practical_complete(assessment=assessment, actor=senior.user)

    certificate = Certificate.objects.get()
    assert certificate.pdf.name == f"certificates/{certificate.serial}.pdf"
    assert _stored(certificate).startswith(b"%PDF")


def test_rendering_twice_keeps_one_file(learner, senior, track):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    certificate_pdf_render(certificate_id=certificate.pk)
    certificate_pdf_render(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    storage = certificate.pdf.storage
    assert certificate.pdf.name == f"certificates/{certificate.serial}.pdf"
    _dirs, files = storage.listdir("certificates")
    assert [f for f in files if f.startswith(certificate.serial)] == [f"{certificate.serial}.pdf"]


def test_the_holder_sees_their_certificates_and_downloads_the_pdf(client, learner, senior, track):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(learner.user)

    page = client.get("/my/certificates/")

    assert page.status_code == 200
    html = page.content.decode()
    assert certificate.serial in html
    assert f"/verify/{certificate.code}/" in html
    assert f"/my/certificates/{certificate.serial}.pdf" in html

    response = client.get(f"/my/certificates/{certificate.serial}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert _body(response).startswith(b"%PDF")


def test_a_missing_pdf_is_rendered_on_demand(client, learner, senior, track):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    certificate.refresh_from_db()
    if certificate.pdf.name:
        certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(learner.user)

    response = client.get(f"/my/certificates/{certificate.serial}.pdf")

    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")
    assert _stored(certificate).startswith(b"%PDF")


def test_another_learner_and_another_outlets_manager_get_404(
    client, learner, senior, track, other_outlet
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    url = f"/my/certificates/{certificate.serial}.pdf"

    client.force_login(senior.user)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory(role="outlet_manager", outlet=other_outlet).user)
    assert client.get(url).status_code == 404


def test_the_holders_manager_downloads_the_pdf(client, learner, senior, track, manager):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(manager.user)

    response = client.get(f"/my/certificates/{certificate.serial}.pdf")

    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")


def test_an_auditor_may_ask_for_a_new_rendering(client, learner, senior, track, auditor):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(auditor.user)

    response = client.get(f"/my/certificates/{certificate.serial}.pdf?regenerate=1")

    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")


def test_the_outlet_zip_holds_exactly_its_valid_certificates(
    client, learner, senior, track, manager, partner_outlet, other_outlet, auditor
):
    first = _issue(staff=learner, assessor=senior, track=track)
    second = _issue(staff=senior, assessor=learner, track=track)
    Certificate.objects.filter(pk=second.pk).update(status=Certificate.Status.SUSPENDED)
    elsewhere = StaffFactory(role="technician", outlet=other_outlet)
    other = _issue(
        staff=elsewhere,
        assessor=StaffFactory(role="senior_technician", outlet=other_outlet),
        track=track,
    )
    third = _issue(staff=manager, assessor=senior, track=track)
    client.force_login(manager.user)

    response = client.get(f"/training/outlets/{partner_outlet.code}/certificates.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    names = sorted(archive.namelist())
    assert names == sorted([f"{first.serial}.pdf", f"{third.serial}.pdf"])
    assert other.serial not in "".join(names)
    for name in names:
        assert archive.read(name).startswith(b"%PDF")

    client.force_login(StaffFactory(role="outlet_manager", outlet=other_outlet).user)
    assert (
        client.get(f"/training/outlets/{partner_outlet.code}/certificates.zip").status_code == 404
    )


def test_an_unlinked_account_sees_an_empty_page(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x")
    client.force_login(user)

    assert client.get("/my/certificates/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/my/certificates/").status_code == 302


@pytest.mark.parametrize("count", [1, 10])
def test_the_page_runs_a_bounded_number_of_queries(client, learner, senior, count):
    for index in range(count):
        track = certified_track(courses=1, title=f"认证 {index}", title_en=f"Track {index}")
        _issue(staff=learner, assessor=senior, track=track)
    client.force_login(learner.user)
    client.get("/my/certificates/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/my/certificates/")

    assert response.status_code == 200
    assert response.content.decode().count("/my/certificates/SC-") == count
    assert len(queries) <= 6

import io
import zipfile

import pytest
from django.test import TestCase

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
    """Issue the certificate and run what waits for the commit: the drawing of its PDF."""
    earned(staff=staff, assessor=assessor, track=track)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_issue(staff_id=staff.pk, track_id=track.pk)
    certificate.refresh_from_db()
    return certificate


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


def test_a_missing_pdf_is_queued_and_the_reader_asked_to_wait(
    client, learner, senior, track, django_capture_on_commit_callbacks
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(learner.user)
    url = f"/my/certificates/{certificate.serial}.pdf"

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(url)

    # Nothing is drawn in the request: the worker draws it once the request has committed.
    assert response.status_code == 202
    assert response["Retry-After"] == "3"
    assert 'http-equiv="refresh"' in response.content.decode()
    assert "being drawn" in response.content.decode()
    assert not certificate.pdf.storage.exists(certificate.pdf.name)
    assert len(callbacks) == 1

    callbacks[0]()
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")
    assert _stored(certificate).startswith(b"%PDF")


def test_the_holders_manager_downloads_the_pdf(client, learner, senior, track, manager):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(manager.user)

    response = client.get(f"/my/certificates/{certificate.serial}.pdf")

    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")


def test_an_auditor_asks_for_a_new_rendering_by_post_and_is_sent_back(
    client, learner, senior, track, auditor, django_capture_on_commit_callbacks
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    first = _stored(certificate)
    client.force_login(auditor.user)
    url = f"/my/certificates/{certificate.serial}.pdf"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"next": "/my/certificates/"})

    assert response.status_code == 302
    assert response["Location"] == "/my/certificates/"
    assert len(callbacks) == 1
    assert _stored(certificate).startswith(b"%PDF")
    assert _stored(certificate) != first  # drawn again: a new signature timestamp or id


def test_a_get_with_regenerate_only_downloads(
    client, learner, senior, track, auditor, django_capture_on_commit_callbacks
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(auditor.user)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(f"/my/certificates/{certificate.serial}.pdf?regenerate=1")

    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")
    assert callbacks == []


def test_a_learner_or_manager_cannot_ask_for_a_new_rendering(
    client, learner, senior, track, manager, django_capture_on_commit_callbacks
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    for person in (learner, manager):
        client.force_login(person.user)
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(f"/my/certificates/{certificate.serial}.pdf")
        assert response.status_code == 403
        assert callbacks == []


def test_an_offsite_next_sends_the_auditor_to_my_certificates(
    client, learner, senior, track, auditor
):
    certificate = _issue(staff=learner, assessor=senior, track=track)
    client.force_login(auditor.user)
    response = client.post(
        f"/my/certificates/{certificate.serial}.pdf", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/my/certificates/"


def test_the_outlet_zip_holds_exactly_its_valid_certificates(
    client,
    learner,
    senior,
    track,
    manager,
    partner_outlet,
    other_outlet,
    auditor,
    django_capture_on_commit_callbacks,
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

    # A PDF not drawn yet holds the archive back until the worker has drawn it.
    first.pdf.storage.delete(first.pdf.name)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(f"/training/outlets/{partner_outlet.code}/certificates.zip")
    assert response.status_code == 202
    assert "still being drawn: 1 of 2" in response.content.decode()
    assert len(callbacks) == 1
    callbacks[0]()
    response = client.get(f"/training/outlets/{partner_outlet.code}/certificates.zip")
    assert response.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(_body(response))).namelist()) == 2

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
def test_the_page_runs_a_fixed_number_of_queries(
    client, learner, senior, count, django_assert_num_queries
):
    for index in range(count):
        track = certified_track(courses=1, title=f"认证 {index}", title_en=f"Track {index}")
        _issue(staff=learner, assessor=senior, track=track)
    client.force_login(learner.user)
    client.get("/my/certificates/")

    with django_assert_num_queries(6):
        response = client.get("/my/certificates/")

    assert response.status_code == 200
    assert response.content.decode().count("/my/certificates/SC-") == count

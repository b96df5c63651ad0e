import datetime
import subprocess
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent
from certificates.verification import token_verify, verification_url
from demo.demo_certificates import REVOKE_REASON, SUSPEND_REASON, seed_certificates
from network.models import Staff

# One seed for the whole folder (see `seeded`); tests that change data are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def _technician_certificate() -> Certificate:
    return Certificate.objects.get(holder__user__username="technician", status="valid")


def _state():
    return sorted(
        Certificate.objects.values_list(
            "serial", "status", "issued_on", "expires_on", "supersedes_id", "pdf"
        )
    )


def test_seed_leaves_a_certificate_in_every_state():
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses == {"valid", "expired", "suspended", "revoked", "superseded"}


def test_seed_leaves_valid_certificates_expiring_within_60_and_within_7_days():
    today = timezone.localdate()
    valid = Certificate.objects.filter(status="valid")
    days_left = sorted((c.expires_on - today).days for c in valid)
    assert any(7 < days <= 60 for days in days_left)
    assert any(0 <= days <= 7 for days in days_left)
    assert any(days > 60 for days in days_left)


def test_expired_certificate_lapsed_and_was_marked_by_the_lifecycle_job():
    expired = Certificate.objects.get(status="expired")
    assert expired.expires_on < timezone.localdate()
    assert list(expired.events.values_list("action", flat=True)) == ["issued", "expired"]


def test_revoked_and_suspended_certificates_name_the_demo_auditor_and_the_reason():
    auditor = Staff.objects.get(user__username="auditor").user
    for status, reason in (("revoked", REVOKE_REASON), ("suspended", SUSPEND_REASON)):
        # The holder who missed the demo's policy update is suspended too, by the daily job.
        certificate = Certificate.objects.exclude(policy_updates__suspended=True).get(status=status)
        event = certificate.events.get(action=status)
        assert (event.actor, event.reason, event.from_status) == (auditor, reason, "valid")
        assert certificate.status_reason == reason


def test_renewal_supersedes_the_first_certificate_and_keeps_the_chain():
    old = Certificate.objects.get(status="superseded")
    renewal = Certificate.objects.get(supersedes=old)
    assert (old.cycle, renewal.cycle, renewal.status) == (1, 2, "valid")
    assert renewal.holder_id == old.holder_id
    assert renewal.expires_on > old.expires_on
    assert renewal.events.filter(action=CertificateEvent.Action.RENEWED).count() == 1


def test_backdated_certificates_are_signed_with_their_own_dates():
    for certificate in Certificate.objects.all():
        verification = token_verify(certificate.token)
        assert verification.status == "valid"
        assert verification.payload["issued_on"] == certificate.issued_on.isoformat()
        assert verification.payload["expires_on"] == certificate.expires_on.isoformat()


def test_second_seed_of_certificates_writes_nothing():
    before = _state()

    with CaptureQueriesContext(connection) as queries:
        result = seed_certificates()

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert (result.issued, result.changed, result.rendered, result.skipped) == (0, 0, 0, [])
    assert _state() == before


def test_seed_output_lists_the_certificates_and_the_technician_code(seeded):
    certificate = _technician_certificate()
    assert f"Verify the technician's certificate at /verify/{certificate.code}/" in seeded
    assert certificate.serial in seeded


def test_technician_downloads_the_stored_pdf_of_their_valid_certificate(client):
    certificate = _technician_certificate()
    assert certificate.pdf.name == f"certificates/{certificate.serial}.pdf"
    client.force_login(certificate.holder.user)

    page = client.get(reverse("certificates:my_certificates"))
    response = client.get(
        reverse("certificates:certificate_pdf", kwargs={"serial": certificate.serial})
    )

    assert page.status_code == 200
    assert certificate.serial in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_typed_code_of_the_technician_certificate_verifies_as_valid(client):
    certificate = _technician_certificate()

    response = client.get(f"/verify/{certificate.code}/")

    assert response.status_code == 200
    assert 'data-status="valid"' in response.content.decode()
    assert certificate.serial in response.content.decode()


@pytest.mark.pdftools
def test_qr_code_of_the_technician_pdf_opens_the_verification_page(client, tmp_path):
    import zxingcpp
    from PIL import Image

    certificate = _technician_certificate()
    path = tmp_path / "certificate.pdf"
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")

    (code,) = zxingcpp.read_barcodes(Image.open(png))

    assert code.text == verification_url(certificate.code, certificate.token)
    parts = urlsplit(code.text)
    response = client.get(f"{parts.path}?{parts.query}")
    assert 'data-status="valid"' in response.content.decode()


def test_demo_certificates_are_issued_in_the_past_where_the_story_needs_it():
    today = timezone.localdate()
    assert Certificate.objects.filter(issued_on__lt=today - datetime.timedelta(days=365)).exists()


def test_network_certificates_are_held_at_partner_outlets():
    # The brand's own centres are left to the compliance demo's fully certified showcase.
    lapsed = Certificate.objects.exclude(status="valid")
    assert set(lapsed.values_list("holder__outlet__ownership", flat=True)) == {"partner"}
    stories = Certificate.objects.filter(
        track__slug="front-desk-onboarding", holder__outlet__ownership="partner"
    ).exclude(status="valid")
    assert sorted(stories.values_list("status", flat=True)) == [
        "expired",
        "revoked",
        "superseded",
        "suspended",
    ]

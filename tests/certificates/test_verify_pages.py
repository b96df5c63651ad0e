import base64
import datetime
import hashlib
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from certificates.models import Certificate
from certificates.selectors.verification import holder_name_mask, revocation_list_check
from certificates.services.issuance import (
    certificate_issue,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
)
from certificates.verification import token_verify
from core.ratelimit import rate_parse
from tests.factories.certificates import certified_track, earned
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

HOLDER = "欧阳娜娜"
EMPLOYEE_NUMBER = "HNLX0030"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The limiter counts in the process's cache: each test starts with no requests counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(
        user=UserFactory(first_name=HOLDER), employee_number=EMPLOYEE_NUMBER, outlet=partner_outlet
    )


@pytest.fixture
def certificate(learner, partner_outlet):
    track = certified_track(validity_months=24, title="维修技术员认证", title_en="Technician")
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    earned(staff=learner, assessor=senior, track=track)
    return certificate_issue(staff_id=learner.pk, track_id=track.pk)


def _page(client, certificate, **query):
    return client.get(f"/verify/{certificate.code}/", query)


def _json(client, certificate, **query):
    return client.get(f"/api/v1/certificates/{certificate.code}", query)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("罗杰", "罗*"),
        ("罗小明", "罗**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳", "欧*"),
        ("Lena Schmidt", "L***"),
        ("", ""),
    ],
)
def test_holder_name_is_masked(name, masked):
    assert holder_name_mask(name) == masked


def test_valid_certificate_page_shows_status_and_masked_name(client, certificate):
    response = _page(client, certificate)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html
    assert "欧阳**" in html
    assert HOLDER not in html
    assert EMPLOYEE_NUMBER not in html
    assert certificate.serial in html
    assert "维修技术员认证" in html and "Technician" in html
    assert certificate.outlet_name in html
    assert certificate.issued_on.isoformat() in html
    assert certificate.expires_on.isoformat() in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_json_has_the_same_fields(client, certificate):
    response = _json(client, certificate)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "serial": certificate.serial,
        "status": "valid",
        "status_label": "Valid",
        "status_date": timezone.localdate().isoformat(),
        "reason": None,
        "holder": "欧阳**",
        "track": {"zh": "维修技术员认证", "en": "Technician"},
        "outlet": {"zh": certificate.outlet_name, "en": certificate.outlet_name_en},
        "partner_company": certificate.partner_company_name,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "superseded_by": None,
        "token": None,
    }
    assert HOLDER not in response.content.decode()
    assert EMPLOYEE_NUMBER not in response.content.decode()


def test_revoked_certificate_shows_revoked_and_its_date_not_not_found(client, certificate, auditor):
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="伪造实操记录 张三举报")
    today = timezone.localdate().isoformat()

    page = _page(client, certificate)
    data = _json(client, certificate).json()

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-status="revoked"' in html
    assert today in html
    assert "The issuer has revoked this certificate." in html
    # The auditor's note stays internal.
    assert "伪造实操记录" not in html
    assert data["status"] == "revoked"
    assert data["status_date"] == today
    assert data["reason"] == "The issuer has revoked this certificate."


def test_superseded_certificate_names_its_successor(client, certificate):
    new = certificate_renew(certificate=certificate)

    data = _json(client, certificate).json()

    assert data["status"] == "superseded"
    assert data["superseded_by"] == new.serial
    assert new.serial in _page(client, certificate).content.decode()


def test_unknown_code_is_a_plain_404(client, certificate):
    page = client.get("/verify/AAAAAAAAAAAAAAAAAAAAAA/")
    api = client.get("/api/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA")
    malformed = client.get("/api/v1/certificates/not%20a%20code")

    assert page.status_code == 404
    assert "No certificate has this code" in page.content.decode()
    assert api.status_code == 404
    assert api.json() == {"error": "not_found"}
    assert malformed.status_code == 404
    assert malformed.json() == {"error": "not_found"}


def test_typed_code_redirects_to_its_page(client, certificate):
    response = client.get("/verify/", {"code": f" {certificate.code} "})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/"


def test_a_scanned_address_typed_in_keeps_its_token(client, certificate):
    address = f"https://cert.example.com/verify/{certificate.code}/?t={certificate.token}"

    response = client.get("/verify/", {"code": address})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/?t={certificate.token}"


def test_the_form_page_works_without_a_code(client):
    response = client.get("/verify/")

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_genuine_token_shows_signature_valid(client, certificate):
    page = _page(client, certificate, t=certificate.token)
    data = _json(client, certificate, t=certificate.token).json()

    assert 'data-token="valid"' in page.content.decode()
    assert data["token"] == {"status": "valid"}


def test_tampered_token_is_shown_tampered(client, certificate):
    body, signature = certificate.token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["expires_on"] = "2099-12-31"
    forged_body = (
        base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode("ascii")
    )
    forged = f"{forged_body}.{signature}"

    page = _page(client, certificate, t=forged)
    data = _json(client, certificate, t=forged).json()

    assert 'data-token="tampered"' in page.content.decode()
    assert data["token"] == {"status": "tampered"}


def test_another_certificates_token_is_tampered(client, certificate, partner_outlet):
    other = Certificate.objects.filter(pk=certificate.pk).get()
    other_token = certificate_renew(certificate=other).token

    assert _json(client, certificate, t=other_token).json()["token"] == {"status": "tampered"}


def test_token_of_an_unknown_key_is_shown(client, certificate):
    body = base64.urlsafe_b64encode(
        json.dumps({"code": certificate.code, "kid": "nobody"}).encode()
    ).rstrip(b"=")
    token = f"{body.decode()}.{base64.urlsafe_b64encode(bytes(64)).rstrip(b'=').decode()}"

    assert _json(client, certificate, t=token).json()["token"] == {"status": "unknown_key"}


def test_rate_limit_answers_429_with_retry_after(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"

    statuses = [_json(client, certificate).status_code for _ in range(3)]
    limited_json = _json(client, certificate)
    limited_page = _page(client, certificate)
    other_client = client.get(f"/api/v1/certificates/{certificate.code}", REMOTE_ADDR="10.0.0.2")

    assert statuses == [200, 200, 200]
    assert limited_json.status_code == 429
    assert 1 <= int(limited_json["Retry-After"]) <= 60
    assert limited_page.status_code == 429
    assert "Retry-After" in limited_page
    assert other_client.status_code == 200


def test_unknown_codes_count_against_the_limit(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "2/m"

    statuses = [client.get(f"/api/v1/certificates/guess{n:017d}").status_code for n in range(3)]

    assert statuses == [404, 404, 429]


def test_default_rate_is_thirty_a_minute(client, certificate, settings):
    assert rate_parse(settings.CERTIFICATE_VERIFY_RATE) == (30, 60)

    statuses = [_json(client, certificate).status_code for _ in range(31)]

    assert statuses == [200] * 30 + [429]


def test_revocation_list_is_signed_and_lists_only_revoked_and_suspended(
    client, certificate, auditor, partner_outlet
):
    revoked = certificate
    certificate_revoke(certificate=revoked, actor=auditor.user, reason="伪造")
    suspended_holder = StaffFactory(outlet=partner_outlet)
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    track = certified_track()
    earned(staff=suspended_holder, assessor=senior, track=track)
    suspended = certificate_issue(staff_id=suspended_holder.pk, track_id=track.pk)
    certificate_suspend(certificate=suspended, actor=auditor.user, reason="待查")
    valid_holder = StaffFactory(outlet=partner_outlet)
    earned(staff=valid_holder, assessor=senior, track=track)
    valid = certificate_issue(staff_id=valid_holder.pk, track_id=track.pk)

    response = client.get("/api/v1/certificates/revocations")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    document = response.json()
    entries = {entry["serial"]: entry for entry in document["revoked"]}
    assert set(entries) == {revoked.serial, suspended.serial}
    assert entries[revoked.serial]["code_hash"] == hashlib.sha256(revoked.code.encode()).hexdigest()
    assert entries[revoked.serial]["reason"] == "revoked"
    assert entries[suspended.serial]["reason"] == "suspended"
    body = response.content.decode()
    assert valid.serial not in body
    for cert in (revoked, suspended, valid):
        assert cert.code not in body
    signed = token_verify(document["signature"])
    assert signed.is_valid
    assert signed.kid == document["kid"]
    assert revocation_list_check(document).is_valid


def test_an_edited_revocation_list_fails_its_check(client, certificate, auditor):
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="伪造")
    document = client.get("/api/v1/certificates/revocations").json()

    document["revoked"] = []

    assert revocation_list_check(document).status == "tampered"


def _revoked_copies(certificate, count):
    for cycle in range(2, count + 2):
        Certificate.objects.create(
            serial=f"{certificate.serial}-{cycle}",
            code=f"copy{cycle:018d}",
            holder_id=certificate.holder_id,
            holder_name=certificate.holder_name,
            employee_number=certificate.employee_number,
            track_id=certificate.track_id,
            track_title=certificate.track_title,
            cycle=cycle,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            status=Certificate.Status.REVOKED,
            status_changed_at=timezone.now(),
        )


@pytest.mark.parametrize("count", [1, 20])
def test_revocation_list_is_one_query(client, certificate, count, django_assert_num_queries):
    _revoked_copies(certificate, count)

    with django_assert_num_queries(1):
        response = client.get("/api/v1/certificates/revocations")

    assert len(response.json()["revoked"]) == count


@pytest.mark.parametrize("path", ["/verify/{code}/", "/api/v1/certificates/{code}"])
def test_verification_is_one_query(client, certificate, path, django_assert_num_queries):
    certificate_renew(certificate=certificate)

    with django_assert_num_queries(1):
        response = client.get(path.format(code=certificate.code), {"t": certificate.token})

    assert response.status_code == 200


# Dates of every state, and the printed serial with the printed name --------------------------


def test_an_expired_certificate_shows_its_last_valid_day_not_the_day_the_job_ran(
    client, certificate
):
    from certificates.services.lifecycle import certificates_expire

    last_day = timezone.localdate() - datetime.timedelta(days=20)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=last_day - datetime.timedelta(days=700), expires_on=last_day
    )
    certificates_expire(today=timezone.localdate())

    html = _page(client, certificate).content.decode()
    data = _json(client, certificate).json()

    assert 'data-status="expired"' in html
    assert f"Its last valid day was {last_day:%Y-%m-%d}." in html
    assert timezone.localdate().isoformat() not in html.split("status-date")[1][:80]
    assert data["status_date"] == last_day.isoformat()


def test_suspended_and_revoked_certificates_say_since_when_and_on_which_day(
    client, certificate, auditor
):
    today = timezone.localdate().isoformat()
    certificate_suspend(certificate=certificate, actor=auditor.user, reason="待查")
    assert f"Suspended since {today}." in _page(client, certificate).content.decode()
    certificate_revoke(certificate=certificate, actor=auditor.user, reason="查实")
    assert f"Revoked on {today}." in _page(client, certificate).content.decode()


@pytest.mark.parametrize("typed_serial", ["SC-2026-000001", " sc-2026-000001 "])
def test_the_printed_serial_with_the_printed_name_finds_the_certificate(
    client, certificate, typed_serial
):
    response = client.get("/verify/", {"serial": typed_serial, "name": "欧阳 娜娜"})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/"


def test_the_serial_alone_or_with_another_name_finds_nothing(client, certificate):
    alone = client.get("/verify/", {"serial": certificate.serial, "name": ""})
    assert alone.status_code == 400
    assert "Type the holder's name as printed" in alone.content.decode()
    assert certificate.code not in alone.content.decode()

    wrong = client.get("/verify/", {"serial": certificate.serial, "name": "欧阳娜"})
    assert wrong.status_code == 404
    assert certificate.code not in wrong.content.decode()


def test_serial_lookups_count_against_the_rate_limit(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = "2/m"
    for _ in range(2):
        client.get("/verify/", {"serial": "SC-2026-999999", "name": "某人"})
    response = client.get("/verify/", {"serial": certificate.serial, "name": HOLDER})
    assert response.status_code == 429

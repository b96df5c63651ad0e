import base64
import datetime
import io
import json
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from reportlab.pdfgen import canvas

from certificates.checks import certificate_signing_key_check
from certificates.keys import KeyStore, key_store
from certificates.verification import (
    canonical_bytes,
    payload_sign,
    public_keys_document,
    token_from_pdf,
    token_from_url,
    token_verify,
    verification_url,
)

PAYLOAD = {
    "v": "1",
    "serial": "SC-2026-000123",
    "code": "k3J9xQ2mZp7T",
    "holder": "罗娜",
    "employee_number": "HNLX0030",
    "outlet": "衡阳解放大道授权服务中心 (HY-001)",
    "partner_company": "湖南联信通讯服务有限公司",
    "track": "维修技术员入职培训",
    "track_en": "Technician onboarding",
    "issued_on": "2026-11-27",
    "expires_on": "2028-11-27",
}


@pytest.fixture
def key_dir(settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    settings.CERTIFICATE_KEY_AUTOGENERATE = True
    return settings.CERTIFICATE_KEY_DIR


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_body(token: str) -> bytes:
    body = token.split(".")[0]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _pdf_with_keywords(keywords: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setKeywords(keywords)
    pdf.drawString(72, 72, "certificate")
    pdf.save()
    return buffer.getvalue()


def test_canonical_bytes_do_not_depend_on_key_order():
    reordered = dict(reversed(list(PAYLOAD.items())))
    assert canonical_bytes(reordered) == canonical_bytes(PAYLOAD)
    assert canonical_bytes({"b": "二", "a": "1"}) == '{"a":"1","b":"二"}'.encode()


def test_signed_chinese_payload_verifies_with_its_key_id(key_dir):
    token = payload_sign(PAYLOAD)

    result = token_verify(token)

    kid = key_store().current().kid
    assert result.status == "valid"
    assert result.kid == kid
    assert result.payload == {**PAYLOAD, "kid": kid}
    assert json.loads(_decode_body(token)) == {**PAYLOAD, "kid": kid}


def test_first_signature_creates_one_private_key_readable_by_its_owner_only(key_dir):
    payload_sign(PAYLOAD)
    payload_sign(PAYLOAD)

    records = key_store().records()
    assert len(records) == 1
    mode = stat.S_IMODE(os.stat(key_dir / f"{records[0].kid}.pem").st_mode)
    assert mode == 0o600


def test_without_autogeneration_signing_without_a_key_is_refused(key_dir, settings):
    settings.CERTIFICATE_KEY_AUTOGENERATE = False

    with pytest.raises(ImproperlyConfigured, match="No certificate signing key"):
        payload_sign(PAYLOAD)

    assert not (key_dir / "index.json").exists()


def test_one_changed_character_in_the_payload_is_tampered(key_dir):
    token = payload_sign(PAYLOAD)
    signature = token.split(".")[1]
    payload = json.loads(_decode_body(token))
    payload["holder"] = "罗纳"
    forged = f"{_encode(canonical_bytes(payload))}.{signature}"

    result = token_verify(forged)

    assert result.status == "tampered"
    assert result.payload is None
    assert result.kid == payload["kid"]


def test_one_changed_character_in_the_token_is_tampered(key_dir):
    token = payload_sign(PAYLOAD)
    changed = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]

    assert token_verify(changed).status == "tampered"


def test_a_signature_by_an_unknown_key_is_reported(settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "elsewhere"
    token = payload_sign(PAYLOAD)
    foreign_kid = key_store().current().kid
    settings.CERTIFICATE_KEY_DIR = tmp_path / "issuer"
    payload_sign(PAYLOAD)

    result = token_verify(token)

    assert result.status == "unknown_key"
    assert result.kid == foreign_kid
    assert result.payload is None


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b.c",
        "not base64!.AAAA",
        "e30.AAAA",
        f"{_encode(b'[1]')}.{_encode(bytes(64))}",
        f"{_encode(b'{}')}.{_encode(bytes(64))}",
    ],
)
def test_what_is_not_a_token_is_malformed(key_dir, token):
    assert token_verify(token).status == "malformed"


def test_after_rotation_old_tokens_verify_and_new_tokens_use_the_new_key(key_dir, monkeypatch):
    monkeypatch.setattr(KeyStore, "_now", lambda self: datetime.date(2026, 11, 27))
    old_token = payload_sign(PAYLOAD)
    old_kid = key_store().current().kid
    monkeypatch.setattr(KeyStore, "_now", lambda self: datetime.date(2027, 3, 1))

    call_command("certificate_keys", "rotate", stdout=io.StringIO())
    new_token = payload_sign(PAYLOAD)

    new_kid = key_store().current().kid
    assert new_kid != old_kid
    assert token_verify(old_token).status == "valid"
    assert token_verify(old_token).kid == old_kid
    assert token_verify(new_token).kid == new_kid
    document = public_keys_document()
    assert [(k["kid"], k["created"], k["retired"]) for k in document["keys"]] == [
        (old_kid, "2026-11-27", "2027-03-01"),
        (new_kid, "2027-03-01", None),
    ]
    assert (key_dir / f"{old_kid}.pem").exists()


def test_generate_creates_a_key_only_when_none_signs(key_dir):
    out = io.StringIO()
    call_command("certificate_keys", "generate", stdout=out)
    call_command("certificate_keys", "generate", stdout=out)
    call_command("certificate_keys", "list", stdout=out)

    kid = key_store().current().kid
    assert len(key_store().records()) == 1
    assert f"Generated signing key {kid}" in out.getvalue()
    assert f"Signing key {kid} already exists" in out.getvalue()


def test_public_keys_document_publishes_raw_ed25519_keys(key_dir):
    token = payload_sign(PAYLOAD)

    (entry,) = public_keys_document()["keys"]

    assert entry["alg"] == "Ed25519"
    assert entry["kid"] == token_verify(token).kid
    assert entry["retired"] is None
    assert len(base64.urlsafe_b64decode(entry["public_key"] + "=")) == 32


def test_verification_url_carries_the_token(key_dir, settings):
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://academy.example.cn"
    token = payload_sign(PAYLOAD)

    url = verification_url("k3J9xQ2mZp7T", token)

    assert url == f"https://academy.example.cn/verify/k3J9xQ2mZp7T/?t={token}"
    assert token_from_url(url) == token
    assert token_from_url("https://academy.example.cn/verify/k3J9xQ2mZp7T/") is None


def test_token_is_found_in_the_pdf_keywords(key_dir):
    token = payload_sign(PAYLOAD)

    pdf = _pdf_with_keywords(f"证书 (certificate) \\ lms-cert:{token} other")

    assert token_from_pdf(pdf) == token
    assert token_verify(token_from_pdf(pdf)).status == "valid"
    assert token_from_pdf(_pdf_with_keywords("no token here")) is None


def test_token_is_found_in_a_hex_string_of_another_pdf_writer():
    token = "eyJraWQiOiJrMSJ9.c2lnbmF0dXJl"
    keywords = ("\ufeff" + f"证书 lms-cert:{token}").encode("utf-16-be").hex().upper()

    assert token_from_pdf(f"<< /Keywords <{keywords}> >>".encode("ascii")) == token


def test_verify_certificate_accepts_a_token_a_url_and_a_pdf(key_dir, tmp_path):
    token = payload_sign(PAYLOAD)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(_pdf_with_keywords(f"lms-cert:{token}"))

    for args in ([token], ["--url", verification_url("k3J9xQ2mZp7T", token)], ["--pdf", pdf]):
        out = io.StringIO()
        call_command("verify_certificate", *args, stdout=out)
        assert out.getvalue().startswith(f"valid (key {token_verify(token).kid})\n")
        assert '"holder": "罗娜"' in out.getvalue()


def test_verify_certificate_fails_on_a_tampered_token(key_dir):
    token = payload_sign(PAYLOAD)
    payload = json.loads(_decode_body(token))
    payload["expires_on"] = "2038-11-27"
    forged = f"{_encode(canonical_bytes(payload))}.{token.split('.')[1]}"

    with pytest.raises(CommandError, match="^tampered") as raised:
        call_command("verify_certificate", forged, stdout=io.StringIO())

    assert raised.value.returncode == 1


def test_verify_certificate_checks_against_a_saved_keys_document(key_dir, settings, tmp_path):
    token = payload_sign(PAYLOAD)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(public_keys_document()))
    settings.CERTIFICATE_KEY_DIR = tmp_path / "empty"
    settings.CERTIFICATE_KEY_AUTOGENERATE = False

    out = io.StringIO()
    call_command("verify_certificate", token, "--keys", keys_file, stdout=out)

    assert out.getvalue().startswith("valid")
    with pytest.raises(CommandError, match="^unknown key") as raised:
        call_command("verify_certificate", token, stdout=io.StringIO())
    assert raised.value.returncode == 1
    assert not (tmp_path / "empty").exists()


def test_well_known_view_returns_the_public_keys_document(key_dir, client):
    payload_sign(PAYLOAD)

    response = client.get("/.well-known/certificate-keys.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.json() == public_keys_document()


def test_check_reports_a_missing_key_only_without_autogeneration(key_dir, settings):
    assert certificate_signing_key_check() == []
    settings.CERTIFICATE_KEY_AUTOGENERATE = False

    (error,) = certificate_signing_key_check()

    assert error.id == "certificates.E001"
    call_command("certificate_keys", "generate", stdout=io.StringIO())
    assert certificate_signing_key_check() == []

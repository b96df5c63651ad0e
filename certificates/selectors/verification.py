"""
Reads of the public verification: a certificate looked up by its code as anyone may see it (the
holder's name masked, no employee number, no auditor's note), and the signed revocation list
offline checkers download.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Certificate, CertificateEvent
from ..verification import Verification, payload_sign, token_verify

# Codes are secrets.token_urlsafe(16); anything else cannot be a code and is not looked up.
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")

# Two-character family names (复姓): the whole family name is kept, the given name masked.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 "  # noqa: SIM905
    "端木 西门 南宫 独孤 澹台 公冶 宗政 濮阳 太史 申屠 闻人 呼延 万俟 赫连 百里 东郭 南门 "
    "羊舌 微生 梁丘 左丘 第五 拓跋 完颜".split()
)

TONES = {
    Certificate.Status.VALID: "ok",
    Certificate.Status.EXPIRED: "warn",
    Certificate.Status.SUSPENDED: "warn",
    Certificate.Status.REVOKED: "bad",
    Certificate.Status.SUPERSEDED: "bad",
}


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def holder_name_mask(name: str) -> str:
    """
    Return `name` as the public may see it: a Chinese name keeps its family name (罗*, 欧阳**),
    any other name its first letter followed by "***".
    """
    name = (name or "").strip()
    if not name:
        return ""
    if _is_cjk(name[0]):
        keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
        return name[:keep] + "*" * (len(name) - keep)
    return name[0] + "***"


@dataclass(frozen=True)
class PublicCertificate:
    """A certificate as the verification page and the JSON endpoint show it."""

    serial: str
    status: str
    status_label: str
    status_date: datetime.date | None
    reason: str
    holder: str
    track_title: str
    track_title_en: str
    outlet_name: str
    outlet_name_en: str
    partner_company: str
    issued_on: datetime.date
    expires_on: datetime.date
    superseded_by: str | None
    # None without a token; else "valid", "tampered" or "unknown_key".
    token_status: str | None

    @property
    def tone(self) -> str:
        return TONES.get(self.status, "bad")

    def as_json(self) -> dict:
        return {
            "serial": self.serial,
            "status": self.status,
            "status_label": self.status_label,
            "status_date": self.status_date.isoformat() if self.status_date else None,
            "reason": self.reason or None,
            "holder": self.holder,
            "track": {"zh": self.track_title, "en": self.track_title_en},
            "outlet": {"zh": self.outlet_name, "en": self.outlet_name_en},
            "partner_company": self.partner_company,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "superseded_by": self.superseded_by,
            "token": None if self.token_status is None else {"status": self.token_status},
        }


def _public_reason(status: str) -> str:
    # The auditor's own words stay internal: they may name people or an ongoing investigation.
    if status == Certificate.Status.REVOKED:
        return _("The issuer has revoked this certificate.")
    if status == Certificate.Status.SUSPENDED:
        return _("This certificate is suspended pending an audit.")
    return ""


def _latest_event_at():
    return Subquery(
        CertificateEvent.objects.filter(certificate=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )


def _token_status(*, token: str, certificate: Certificate) -> str:
    result = token_verify(token)
    if result.status == "unknown_key":
        return "unknown_key"
    if not result.is_valid:
        return "tampered"
    # A genuine token of another certificate on this certificate's address is a tampered QR.
    payload = result.payload
    if payload.get("code") != certificate.code or payload.get("serial") != certificate.serial:
        return "tampered"
    return "valid"


def certificate_public_get(*, code: str, token: str | None = None) -> PublicCertificate | None:
    """
    Return the certificate whose verification code is `code` as the public may see it, or None
    when there is none; with `token`, also whether that token is this certificate's, genuinely
    signed. One query.
    """
    if not CODE_RE.match(code or ""):
        return None
    certificate = (
        Certificate.objects.filter(code=code)
        .annotate(
            status_event_at=_latest_event_at(),
            superseded_by_serial=Subquery(
                Certificate.objects.filter(supersedes=OuterRef("pk")).values("serial")[:1]
            ),
        )
        .first()
    )
    if certificate is None:
        return None
    changed_at = certificate.status_event_at or certificate.status_changed_at
    if certificate.status == Certificate.Status.EXPIRED:
        # An expired certificate's date is its last valid day, not the day the job noticed.
        status_date = certificate.expires_on
    else:
        status_date = timezone.localtime(changed_at).date() if changed_at else None
    return PublicCertificate(
        serial=certificate.serial,
        status=certificate.status,
        status_label=str(certificate.get_status_display()),
        status_date=status_date,
        reason=_public_reason(certificate.status),
        holder=holder_name_mask(certificate.holder_name),
        track_title=certificate.track_title,
        track_title_en=certificate.track_title_en,
        outlet_name=certificate.outlet_name,
        outlet_name_en=certificate.outlet_name_en,
        partner_company=certificate.partner_company_name,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        superseded_by=certificate.superseded_by_serial,
        token_status=_token_status(token=token, certificate=certificate) if token else None,
    )


SERIAL_RE = re.compile(r"^[A-Za-z]{1,4}-\d{4}-\d{1,10}$")


def _name_key(name: str) -> str:
    return "".join((name or "").split()).casefold()


def certificate_code_by_serial(*, serial: str, holder_name: str) -> str | None:
    """
    Return the verification code of the certificate printed with `serial` and `holder_name`,
    or None. Both are on the paper; the serial alone is not enough, since serials count up and
    would let anyone walk the register. One query.
    """
    serial = "".join((serial or "").split())
    if not SERIAL_RE.match(serial) or not _name_key(holder_name):
        return None
    row = (
        Certificate.objects.filter(serial__iexact=serial).values_list("code", "holder_name").first()
    )
    if row is None or _name_key(row[1]) != _name_key(holder_name):
        return None
    return row[0]


def code_hash(code: str) -> str:
    """Return the hex SHA-256 of a verification code, as the revocation list publishes it."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _canonical_list(entries: list) -> str:
    return json.dumps(entries, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def revocation_list() -> dict:
    """
    Return the signed revocation list: every revoked or suspended certificate by serial and by
    the SHA-256 of its code (codes themselves are never published). One query.

    The signature is a certificate token (verification.payload_sign) over
    {"list": <canonical JSON of "revoked">, "generated_at": ..., "issuer": ...}: an offline
    checker verifies it with token_verify() and compares those three values with the document,
    as revocation_list_check() does.
    """
    rows = (
        Certificate.objects.filter(
            status__in=[Certificate.Status.REVOKED, Certificate.Status.SUSPENDED]
        )
        .annotate(status_event_at=_latest_event_at())
        .order_by("serial")
        .values_list("serial", "code", "status", "status_event_at", "status_changed_at")
    )
    revoked = [
        {
            "serial": serial,
            "code_hash": code_hash(code),
            "revoked_at": (event_at or changed_at).isoformat() if event_at or changed_at else None,
            "reason": status,
        }
        for serial, code, status, event_at, changed_at in rows
    ]
    issuer = settings.CERTIFICATE_VERIFY_BASE_URL
    generated_at = timezone.now().isoformat(timespec="seconds")
    signature = payload_sign(
        {"list": _canonical_list(revoked), "generated_at": generated_at, "issuer": issuer}
    )
    return {
        "issuer": issuer,
        "generated_at": generated_at,
        "revoked": revoked,
        "kid": token_verify(signature).kid,
        "signature": signature,
    }


def revocation_list_check(document: dict, *, public_keys=None) -> Verification:
    """
    Return whether a revocation list is the issuer's, unchanged: its signature verifies and
    signs exactly its entries, date and issuer. `public_keys` as for token_verify().
    """
    result = token_verify(document.get("signature") or "", public_keys=public_keys)
    if not result.is_valid:
        return result
    signed = result.payload
    if (
        signed.get("list") != _canonical_list(document.get("revoked"))
        or signed.get("generated_at") != document.get("generated_at")
        or signed.get("issuer") != document.get("issuer")
    ):
        return Verification(status="tampered", kid=result.kid)
    return result

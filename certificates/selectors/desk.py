"""
Reads of the certificate desk: the quality department's search over every certificate, and the
same search, read-only, for outlet managers and partner administrators over their own people.
"""

import dataclasses
import datetime

from django.db.models import Q

from core.errors import NotFound
from courses.models import TrackPage
from network.models import Role, Staff

from ..models import Certificate, CertificateEvent
from .policy_updates import certificate_policy_updates

# Who may open the desk: the quality department acts on certificates, managers and partner
# administrators read those of their own people. Learners have My certificates.
DESK_ROLES = (Role.AUDITOR, Role.OUTLET_MANAGER, Role.PARTNER_ADMIN)


class CertificateNotFound(NotFound):
    """No such certificate among those the reader may see."""


def may_use_desk(*, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Staff.objects.filter(user=user, is_active=True, role__in=DESK_ROLES).exists()


@dataclasses.dataclass(frozen=True)
class DeskQuery:
    """What the desk is asked for; empty fields narrow nothing."""

    text: str = ""  # a name, an employee number, a serial or a verification code
    outlet: str = ""  # an outlet code: where it was earned, or where the holder works now
    partner_company: str = ""  # a company code
    track: int | None = None
    status: str = ""
    expires_after: datetime.date | None = None
    expires_before: datetime.date | None = None


def desk_search(*, user, query: DeskQuery = DeskQuery()):
    """Return the certificates `user` may see that match `query`, newest first."""
    certificates = Certificate.objects.filter(holder__in=Staff.objects.visible_to(user))
    text = query.text.strip()
    if text:
        certificates = certificates.filter(
            Q(serial__iexact=text)
            | Q(code=text)
            | Q(employee_number__iexact=text)
            | Q(holder__employee_number__iexact=text)
            | Q(holder_name__icontains=text)
        )
    if query.outlet:
        certificates = certificates.filter(
            Q(outlet_code__iexact=query.outlet) | Q(holder__outlet__code__iexact=query.outlet)
        )
    if query.partner_company:
        certificates = certificates.filter(
            holder__outlet__partner_company__code__iexact=query.partner_company
        )
    if query.track is not None:
        certificates = certificates.filter(track_id=query.track)
    if query.status:
        certificates = certificates.filter(status=query.status)
    if query.expires_after:
        certificates = certificates.filter(expires_on__gte=query.expires_after)
    if query.expires_before:
        certificates = certificates.filter(expires_on__lte=query.expires_before)
    return certificates.order_by("-issued_on", "-pk")


def desk_tracks() -> list[tuple[int, str]]:
    """The tracks certificates were issued for, for the desk's track filter."""
    return list(
        TrackPage.objects.filter(pk__in=Certificate.objects.values("track_id"))
        .order_by("title")
        .values_list("pk", "title")
    )


@dataclasses.dataclass
class CertificateRecord:
    certificate: Certificate
    events: list[CertificateEvent]
    # The holder's certificates of the same track, first cycle first: renewals and corrections.
    chain: list[Certificate]
    # What policy changes asked of it since, and whether the holder read the new revision.
    policy_updates: list = dataclasses.field(default_factory=list)


def certificate_record(*, user, serial: str) -> CertificateRecord:
    """Return the certificate `serial` with its history; raise CertificateNotFound out of scope."""
    certificate = (
        Certificate.objects.filter(
            serial__iexact=serial.strip(), holder__in=Staff.objects.visible_to(user)
        )
        .select_related("holder__outlet", "holder__user")
        .first()
    )
    if certificate is None:
        raise CertificateNotFound(f"No certificate {serial!r} in scope")
    events = list(
        CertificateEvent.objects.filter(certificate=certificate)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    chain = list(
        Certificate.objects.filter(
            holder_id=certificate.holder_id, track_id=certificate.track_id
        ).order_by("cycle")
    )
    return CertificateRecord(
        certificate=certificate,
        events=events,
        chain=chain,
        policy_updates=certificate_policy_updates(certificate=certificate),
    )

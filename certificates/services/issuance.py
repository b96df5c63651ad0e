"""
Every write of certificates: issuing exactly once, renewal and correction (a new certificate
that supersedes the old one), and the auditors' suspend, reinstate and revoke.

Cycles: a person's first certificate of a track is cycle 1; each certificate that supersedes
another, whether a renewal or a correction, takes the next cycle number. So (holder, track,
cycle) names one certificate, and the chain runs through `supersedes`.
"""

import calendar
import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import TrackCourse, TrackPage, TrackRefresherCourse
from network.models import Role, Staff

from ..eligibility import Eligibility
from ..events import certificate_event_write
from ..models import Certificate, CertificateEvent, CertificateSerial, Recertification
from ..selectors.eligibility import recertification_eligibility, track_eligibility
from .rendering import queue_render

logger = logging.getLogger(__name__)

DEFAULT_SERIAL_PREFIX = "SC"
REASON_MAX_LENGTH = 300
# Snapshot fields an auditor's correction may change; everything else is carried over as earned.
CORRECTABLE_FIELDS = (
    "holder_name",
    "employee_number",
    "outlet_code",
    "outlet_name",
    "outlet_name_en",
    "partner_company_name",
    "track_title",
    "track_title_en",
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return `day` plus `months` calendar months, on the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _serial_next(*, year: int) -> str:
    """
    Return the next serial of `year`. The counter row stays locked until the issuing transaction
    ends: numbers are handed out in order, once, and a rollback gives its number back.
    """
    CertificateSerial.objects.get_or_create(year=year)
    CertificateSerial.objects.filter(year=year).update(last=F("last") + 1)
    number = CertificateSerial.objects.filter(year=year).values_list("last", flat=True).get()
    prefix = getattr(settings, "CERTIFICATE_SERIAL_PREFIX", DEFAULT_SERIAL_PREFIX)
    return f"{prefix}-{year}-{number:06d}"


def _sign(payload: dict) -> str:
    from ..verification import payload_sign

    return payload_sign(payload)


def _payload(certificate: Certificate) -> dict:
    """
    The canonical facts a certificate vouches for, all strings; its status changes, so it is
    looked up by the code rather than signed.
    """
    return {
        "v": "1",
        "serial": certificate.serial,
        "code": certificate.code,
        "holder": certificate.holder_name,
        "employee_number": certificate.employee_number,
        "outlet": certificate.outlet_code,
        "outlet_name": certificate.outlet_name,
        "partner_company": certificate.partner_company_name,
        "track": certificate.track_title,
        "track_en": certificate.track_title_en,
        "cycle": str(certificate.cycle),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "supersedes": certificate.supersedes.serial if certificate.supersedes_id else "",
    }


def _snapshot(staff: Staff) -> dict:
    outlet = staff.outlet
    company = outlet.partner_company if outlet is not None else staff.partner_company
    return {
        "holder_name": staff.name,
        "employee_number": staff.employee_number,
        "outlet_code": outlet.code if outlet else "",
        "outlet_name": outlet.name if outlet else "",
        "outlet_name_en": outlet.name_en if outlet else "",
        "partner_company_name": company.name if company else "",
    }


def _certificate_create(*, fields: dict, supersedes: Certificate | None = None) -> Certificate:
    """Save a new valid certificate with the next serial, a fresh code and its signed payload."""
    today = fields.pop("issued_on", None) or timezone.localdate()
    certificate = Certificate(
        serial=_serial_next(year=today.year),
        code=secrets.token_urlsafe(16),
        issued_on=today,
        status=Certificate.Status.VALID,
        supersedes=supersedes,
        **fields,
    )
    if "expires_on" not in fields:
        certificate.expires_on = add_months(today, certificate.track.validity_months)
    certificate.payload = _payload(certificate)
    certificate.token = _sign(certificate.payload)
    certificate.save()
    return certificate


def _scores(eligibility) -> dict:
    percent = eligibility.exam_percent
    return {
        "exam_percent": str(percent) if percent is not None else None,
        "practical": eligibility.practical,
    }


def _live(*, staff_id: int, track_id: int) -> Certificate | None:
    return Certificate.objects.filter(
        holder_id=staff_id, track_id=track_id, status__in=Certificate.LIVE_STATUSES
    ).first()


def _next_cycle(*, staff_id: int, track_id: int) -> int:
    last = Certificate.objects.filter(holder_id=staff_id, track_id=track_id).aggregate(
        last=Max("cycle")
    )["last"]
    return (last or 0) + 1


def certificate_issue(
    *, staff_id: int, track_id: int, issued_on: datetime.date | None = None
) -> Certificate | None:
    """
    Issue the certificate of track `track_id` to the person `staff_id` if they earned it and
    have never held one; return the person's live certificate of the track, new or existing, or
    None. Safe to call twice, or twice at once: the person's row is the lock, and the database
    refuses a second live certificate. `issued_on` (today by default) dates a first cycle issued
    late, such as one migrated from the paper register, or the demo's certificates.

    Only the first cycle is issued here. Once a person has held the track's certificate, the
    course and exam results that earned it stay in the database: a later certificate comes from
    the person's open recertification once its path is complete (renewed here, through
    `certificate_renew`), or from `certificate_correct`, and a revoked one is never silently
    issued again.
    """
    try:
        with transaction.atomic():
            staff = (
                Staff.objects.select_for_update(of=("self",))
                .select_related("user", "outlet__partner_company", "partner_company")
                .filter(pk=staff_id)
                .first()
            )
            if staff is None:
                return None
            if Certificate.objects.filter(holder_id=staff_id, track_id=track_id).exists():
                certificate = _recertify(staff_id=staff_id, track_id=track_id)
                if certificate is None:
                    return _live(staff_id=staff_id, track_id=track_id)
            else:
                certificate = _first_cycle(staff=staff, track_id=track_id, issued_on=issued_on)
                if certificate is None:
                    return None
            # In the issuing transaction: a worker killed right after the commit still leaves
            # the drawing recorded (core.outbox), and the task run again finds the certificate.
            queue_render(certificate)
    except IntegrityError:
        # Only a writer that skipped the person's lock gets here; what it wrote stands.
        logger.warning("Certificate of track %s for %s issued elsewhere", track_id, staff_id)
        return _live(staff_id=staff_id, track_id=track_id)
    logger.info("Certificate %s issued to %s for track %s", certificate.serial, staff_id, track_id)
    return certificate


def _first_cycle(
    *, staff: Staff, track_id: int, issued_on: datetime.date | None = None
) -> Certificate | None:
    """Issue cycle 1 of the track to the locked `staff` if they earned it."""
    track = TrackPage.objects.filter(pk=track_id, live=True).first()
    if track is None:
        return None
    eligibility = track_eligibility(staff_id=staff.pk, track_id=track_id)
    if not eligibility.eligible:
        return None
    certificate = _certificate_create(
        fields={
            "holder": staff,
            "track": track,
            "track_title": track.title,
            "track_title_en": track.title_en,
            "cycle": 1,
            "course_revisions": list(eligibility.course_revisions),
            "scores": _scores(eligibility),
            **_snapshot(staff),
            **({"issued_on": issued_on} if issued_on else {}),
        }
    )
    certificate_event_write(certificate=certificate, action=CertificateEvent.Action.ISSUED)
    return certificate


def _recertify(*, staff_id: int, track_id: int) -> Certificate | None:
    """
    Renew the holder's certificate of the track if their open recertification's path is
    complete; return the renewal, or None. The caller holds the holder's lock, and the
    recertification row leaves "open" in the same transaction: one renewal per recertification.
    """
    recertification = (
        Recertification.objects.select_for_update()
        .filter(holder_id=staff_id, track_id=track_id, status=Recertification.Status.OPEN)
        .first()
    )
    if recertification is None:
        return None
    eligibility = recertification_eligibility(
        staff_id=staff_id, track_id=track_id, since=recertification.opens_on
    )
    if not eligibility.eligible:
        return None
    # The head of the chain: a correction since enrolment replaced the enrolled certificate.
    current = (
        Certificate.objects.filter(holder_id=staff_id, track_id=track_id).order_by("-cycle").first()
    )
    if current.status not in (Certificate.Status.VALID, Certificate.Status.EXPIRED):
        return None  # suspended, revoked: quality supervision decides, not the refresher
    renewal = certificate_renew(
        certificate=current, reason=_("Recertification"), evidence=eligibility
    )
    recertification.status = Recertification.Status.RENEWED
    recertification.renewal = renewal
    recertification.renewed_at = timezone.now()
    recertification.save(update_fields=["status", "renewal", "renewed_at"])
    return renewal


def certificates_issue_after_course(*, staff_id: int, course_id: int) -> list[Certificate]:
    """
    Issue the certificates the person `staff_id` earned by completing course `course_id`, one
    track at a time; return the live certificates of the live tracks that require the course or
    refresh it.
    """
    track_ids = set(
        TrackCourse.objects.filter(course_id=course_id, track__live=True).values_list(
            "track_id", flat=True
        )
    )
    # A refresher course may complete a recertification.
    track_ids.update(
        TrackRefresherCourse.objects.filter(course_id=course_id, track__live=True).values_list(
            "track_id", flat=True
        )
    )
    issued = [certificate_issue(staff_id=staff_id, track_id=t) for t in sorted(track_ids)]
    return [certificate for certificate in issued if certificate is not None]


def _supersede(*, old: Certificate, fields: dict, action: str, actor, reason: str) -> Certificate:
    """
    Issue the next cycle after `old` with `fields`, linked to it; a live `old` becomes
    superseded. The caller holds the holder's lock.
    """
    if Certificate.objects.filter(supersedes=old).exists():
        raise ValidationError(_("This certificate has already been replaced."))
    from_status = old.status
    if old.status in Certificate.LIVE_STATUSES:
        old.status = Certificate.Status.SUPERSEDED
        old.status_reason = reason
        old.status_changed_at = timezone.now()
        old.save(update_fields=["status", "status_reason", "status_changed_at"])
        certificate_event_write(
            certificate=old,
            action=CertificateEvent.Action.SUPERSEDED,
            from_status=from_status,
            reason=reason,
            actor=actor,
        )
    new = _certificate_create(
        fields={
            "holder_id": old.holder_id,
            "track": old.track,
            "cycle": _next_cycle(staff_id=old.holder_id, track_id=old.track_id),
            **fields,
        },
        supersedes=old,
    )
    certificate_event_write(certificate=new, action=action, reason=reason, actor=actor)
    return new


def _lock_holder(certificate: Certificate) -> Certificate:
    """Lock the holder's row, then return `certificate` read again under the lock."""
    list(Staff.objects.select_for_update().filter(pk=certificate.holder_id).values_list("pk"))
    return Certificate.objects.select_for_update().select_related("track").get(pk=certificate.pk)


@transaction.atomic
def certificate_renew(
    *,
    certificate: Certificate,
    actor=None,
    reason: str = "",
    evidence: Eligibility | None = None,
) -> Certificate:
    """
    Issue the next cycle of `certificate` to its holder, who has recertified: new dates, the
    holder and outlet as they are today, and the courses and scores of `evidence` (by default
    the track's as they stand). A valid `certificate` becomes superseded; an expired one stays
    expired but is linked all the same. Whether the holder recertified is the caller's decision
    (the track's recertification path).
    """
    old = _lock_holder(certificate)
    if old.status not in (Certificate.Status.VALID, Certificate.Status.EXPIRED):
        raise ValidationError(_("Only a valid or expired certificate can be renewed."))
    staff = Staff.objects.select_related("user", "outlet__partner_company", "partner_company").get(
        pk=old.holder_id
    )
    eligibility = evidence or track_eligibility(staff_id=old.holder_id, track_id=old.track_id)
    return _supersede(
        old=old,
        fields={
            "track_title": old.track.title,
            "track_title_en": old.track.title_en,
            "course_revisions": list(eligibility.course_revisions) or old.course_revisions,
            "scores": _scores(eligibility),
            **_snapshot(staff),
        },
        action=CertificateEvent.Action.RENEWED,
        actor=actor,
        reason=(reason or "").strip()[:REASON_MAX_LENGTH] or _("Renewal"),
    )


@transaction.atomic
def certificate_correct(
    *, certificate: Certificate, actor, reason: str, changes: dict | None = None
) -> Certificate:
    """
    Replace a valid `certificate` with a corrected one: the next cycle, superseding it, with the
    same dates, courses and scores, and the snapshot fields in `changes` (by default the holder's
    name and employee number as the staff record has them now). Auditors only.
    """
    reason = audit_reason_clean(actor=actor, reason=reason)
    changes = dict(changes or {})
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected: %s") % ", ".join(sorted(unknown))
        )
    old = _lock_holder(certificate)
    if old.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be corrected."))
    if not changes:
        staff = Staff.objects.select_related("user").get(pk=old.holder_id)
        changes = {"holder_name": staff.name, "employee_number": staff.employee_number}
    fields = {name: getattr(old, name) for name in CORRECTABLE_FIELDS}
    fields.update(changes)
    return _supersede(
        old=old,
        fields={
            **fields,
            "course_revisions": old.course_revisions,
            "scores": old.scores,
            "issued_on": old.issued_on,
            "expires_on": old.expires_on,
        },
        action=CertificateEvent.Action.ISSUED,
        actor=actor,
        reason=reason,
    )


def may_audit(*, user) -> bool:
    """Return whether `user` may suspend, reinstate, revoke and correct certificates."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Staff.objects.filter(user=user, is_active=True, role=Role.AUDITOR).exists()


def audit_reason_clean(*, actor, reason: str) -> str:
    if not may_audit(user=actor):
        raise PermissionDenied(_("Only quality supervision may change a certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason may be at most %(limit)s characters long.") % {"limit": REASON_MAX_LENGTH}
        )
    return reason


def _transition(
    *, certificate, actor, reason, allowed_from, to_status, action, by_system=False
) -> Certificate:
    # The system (a missed policy update) acts without a person: no permission to check, and
    # the reason is its own.
    if by_system:
        reason = reason.strip()[:REASON_MAX_LENGTH]
    else:
        reason = audit_reason_clean(actor=actor, reason=reason)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("This certificate is %(status)s; that change is not possible.")
            % {"status": locked.get_status_display().lower()}
        )
    from_status = locked.status
    locked.status = to_status(locked) if callable(to_status) else to_status
    locked.status_reason = reason
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_at"])
    certificate_event_write(
        certificate=locked, action=action, from_status=from_status, reason=reason, actor=actor
    )
    logger.info(
        "Certificate %s %s by %s", locked.serial, action, actor.pk if actor else "the system"
    )
    return locked


@transaction.atomic
def certificate_suspend(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Suspend a valid certificate pending an audit."""
    return _transition(
        certificate=certificate,
        actor=actor,
        reason=reason,
        allowed_from=(Certificate.Status.VALID,),
        to_status=Certificate.Status.SUSPENDED,
        action=CertificateEvent.Action.SUSPENDED,
    )


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Lift a suspension; a certificate whose last valid day passed meanwhile comes back expired."""
    return _transition(
        certificate=certificate,
        actor=actor,
        reason=reason,
        allowed_from=(Certificate.Status.SUSPENDED,),
        to_status=lambda locked: (
            Certificate.Status.EXPIRED
            if locked.expires_on < timezone.localdate()
            else Certificate.Status.VALID
        ),
        action=CertificateEvent.Action.REINSTATED,
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate for good: it stays on record, verifiably revoked."""
    return _transition(
        certificate=certificate,
        actor=actor,
        reason=reason,
        allowed_from=(
            Certificate.Status.VALID,
            Certificate.Status.SUSPENDED,
            Certificate.Status.EXPIRED,
        ),
        to_status=Certificate.Status.REVOKED,
        action=CertificateEvent.Action.REVOKED,
    )

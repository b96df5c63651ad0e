"""
The daily lifecycle of certificates: a valid certificate whose last valid day has passed becomes
expired, its holder and their outlet managers are reminded 60, 30 and 7 days before that, once
each, and the holder is enrolled in the track's recertification path when the renewal window
opens, so they can renew before the certificate expires.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import outbox
from network.models import Role, Staff

from ..events import certificate_event_write
from ..models import Certificate, CertificateEvent, ExpiryReminder, Recertification
from ..selectors.eligibility import recertification_path

logger = logging.getLogger(__name__)

EXPIRY_REASON = "expiry date passed"
EXPIRY_BATCH_SIZE = 500
# Days before the last valid day, from the earliest reminder to the latest.
MILESTONE_DAYS = (
    (60, ExpiryReminder.Milestone.DAYS_60),
    (30, ExpiryReminder.Milestone.DAYS_30),
    (7, ExpiryReminder.Milestone.DAYS_7),
)
# The renewal window opens this many days before the last valid day, with the first reminder.
RENEWAL_WINDOW_DAYS = 60


def certificates_expire(*, today: datetime.date | None = None) -> int:
    """
    Mark every valid certificate whose last valid day is before `today` expired, with an
    "expired" event each; return how many. Running it again changes nothing.
    """
    today = today or timezone.localdate()
    expired = 0
    while True:
        with transaction.atomic():
            # Locked rows are read again after a concurrent run commits, so a certificate it
            # expired (or an auditor suspended) meanwhile drops out here.
            batch = list(
                Certificate.objects.select_for_update()
                .filter(status=Certificate.Status.VALID, expires_on__lt=today)
                .order_by("pk")[:EXPIRY_BATCH_SIZE]
            )
            if not batch:
                return expired
            now = timezone.now()
            Certificate.objects.filter(pk__in=[c.pk for c in batch]).update(
                status=Certificate.Status.EXPIRED,
                status_reason=EXPIRY_REASON,
                status_changed_at=now,
            )
            for certificate in batch:
                certificate.status = Certificate.Status.EXPIRED
                certificate_event_write(
                    certificate=certificate,
                    action=CertificateEvent.Action.EXPIRED,
                    from_status=Certificate.Status.VALID,
                    reason=EXPIRY_REASON,
                    actor=None,
                )
            expired += len(batch)
            logger.info("Expired %d certificates", len(batch))


def _milestone_due(certificate: Certificate, today: datetime.date) -> str | None:
    """The latest milestone whose threshold is reached: 60, 30 or 7 days before expiry."""
    days_left = (certificate.expires_on - today).days
    if days_left < 0:
        return None
    due = None
    for days, milestone in MILESTONE_DAYS:
        if days_left <= days:
            due = milestone
    return due


def expiry_reminders_send(*, today: datetime.date | None = None) -> int:
    """
    Remind the holder of each valid certificate, and the active managers of their outlet, once
    at each milestone before it expires; only the latest milestone reached is sent, never a
    backlog of earlier ones. Return how many e-mails went out. Safe to run twice, or twice at
    once: the unique reminder row is written in the same transaction as the e-mail is sent.
    """
    today = today or timezone.localdate()
    M = ExpiryReminder.Milestone
    candidates = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=60),
        )
        .exclude(
            Q(expiry_reminders__milestone=M.DAYS_7)
            | Q(
                expires_on__gt=today + datetime.timedelta(days=7),
                expiry_reminders__milestone=M.DAYS_30,
            )
            | Q(
                expires_on__gt=today + datetime.timedelta(days=30),
                expiry_reminders__milestone=M.DAYS_60,
            )
        )
        .select_related("holder__user")
        .order_by("pk")
    )
    sent = 0
    for certificate in candidates.iterator(chunk_size=500):
        milestone = _milestone_due(certificate, today)
        if milestone is None:
            continue
        message = _expiry_email(certificate=certificate, milestone=milestone, today=today)
        if message is None:
            continue  # nobody to tell; a manager or an address added later still gets it
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(certificate=certificate, milestone=milestone)
                _email_send(message)
        except IntegrityError:
            continue  # another run sent this one
        except OSError:
            # The row went with the rollback, so the next run tries again; one refused address
            # must not hold back everybody else's reminder.
            logger.exception(
                "Expiry reminder %s for certificate %s not sent", milestone, certificate.pk
            )
            continue
        sent += 1
    return sent


def _managers(holder: Staff) -> list[str]:
    """The e-mail addresses of the active managers of the holder's outlet, but the holder's."""
    if holder.outlet_id is None:
        return []
    return list(
        Staff.objects.filter(
            outlet_id=holder.outlet_id,
            role=Role.OUTLET_MANAGER,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=holder.pk)
        .exclude(user__email="")
        .order_by("employee_number")
        .values_list("user__email", flat=True)
    )


def _expiry_email(
    *, certificate: Certificate, milestone: str, today: datetime.date
) -> EmailMessage | None:
    """One e-mail to the holder, copied to their outlet managers; None if nobody has an address."""
    holder = certificate.holder
    to = [holder.user.email] if holder.is_active and holder.user.email else []
    cc = _managers(holder)
    if not to:
        to, cc = cc, []
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        english = (translation.get_language() or "").startswith("en")
        context = {
            "certificate": certificate,
            "holder_name": certificate.holder_name,
            "track_title": (
                certificate.track_title_en
                if english and certificate.track_title_en
                else certificate.track_title
            ),
            "days_left": (certificate.expires_on - today).days,
            "milestone": int(milestone),
            "url": f"{settings.WAGTAILADMIN_BASE_URL}/my/",
        }
        subject = render_to_string("certificates/email/expiry_subject.txt", context).strip()
        body = render_to_string("certificates/email/expiry_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=to, cc=cc)


def _email_send(message: EmailMessage) -> None:
    message.send()


def recertifications_open(*, today: datetime.date | None = None) -> int:
    """
    Enrol the holder of each valid certificate whose renewal window has opened (its last valid
    day at most 60 days away, the last valid day itself included) in the track's
    recertification path, once per certificate; return how many were enrolled. A track without
    a recertification path enrols nobody. Safe to run twice, or twice at once: the unique rows
    settle it, and the run that comes second skips them.
    """
    today = today or timezone.localdate()
    candidates = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS),
            recertification__isnull=True,
        )
        .exclude(
            # Already on one, enrolled under a certificate a correction has since replaced.
            Exists(
                Recertification.objects.filter(
                    holder_id=OuterRef("holder_id"),
                    track_id=OuterRef("track_id"),
                    status=Recertification.Status.OPEN,
                )
            )
        )
        .only("pk", "holder_id", "track_id", "issued_on", "expires_on")
        .order_by("pk")
    )
    paths = {}
    opened = 0
    for certificate in candidates.iterator(chunk_size=500):
        if certificate.track_id not in paths:
            paths[certificate.track_id] = recertification_path(track_id=certificate.track_id).exists
        if not paths[certificate.track_id]:
            continue
        window_opens = certificate.expires_on - datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
        try:
            with transaction.atomic():
                Recertification.objects.create(
                    certificate=certificate,
                    holder_id=certificate.holder_id,
                    track_id=certificate.track_id,
                    opens_on=max(window_opens, certificate.issued_on),
                    due_on=certificate.expires_on,
                )
                # What the holder already did since the window opened may complete it at once;
                # the issuing task decides, after the commit.
                _renewal_check(staff_id=certificate.holder_id, track_id=certificate.track_id)
        except IntegrityError:
            continue  # another run enrolled this one
        opened += 1
    if opened:
        logger.info("Enrolled %d certificate holders in recertification", opened)
    return opened


def _renewal_check(*, staff_id: int, track_id: int) -> None:
    from ..tasks import certificate_issue_task

    outbox.enqueue(certificate_issue_task, staff_id, track_id)

"""
The monthly compliance report by e-mail: on the 2nd of each month, after the 1st recorded the
month that ended, every active outlet manager, partner administrator and auditor with an
address gets that month's report of their own scope, as a PDF with a short summary, once.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from network.models import Role, Staff

from .. import pdf
from ..models import ReportDelivery
from ..selectors import Overview, compliance_overview_as_of, compliance_trend
from .export_jobs import scope_label
from .snapshots import previous_month

logger = logging.getLogger(__name__)

RECIPIENT_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.AUDITOR)
# The outlets named in the e-mail's text; the attached PDF lists them all.
LISTED_OUTLETS = 10


@dataclasses.dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # nobody to report on: no outlet of theirs in that month's snapshot


def report_recipients():
    """The people who receive the monthly report: their role answers for outlets' people."""
    return (
        Staff.objects.filter(
            role__in=RECIPIENT_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def compliance_reports_deliver(
    *, period: datetime.date | None = None, today: datetime.date | None = None
) -> DeliveryResult:
    """
    E-mail the report of month `period` (by default the month before `today`) to each
    recipient who has not had it. Each overview is built with the recipient's own user, so it
    holds only their scope. Safe to run twice, or twice at once: the delivery row is written in
    the same transaction as the e-mail is sent, and a refused e-mail leaves no row, so the next
    run sends it.
    """
    today = today or timezone.localdate()
    period = (period or previous_month(today)).replace(day=1)
    delivered = ReportDelivery.objects.filter(period=period).values("recipient_id")
    result = DeliveryResult()
    # Auditors, and the administrators of one company, share a scope: their PDF is drawn once.
    pdfs: dict[tuple, bytes] = {}
    for staff in report_recipients().exclude(pk__in=delivered).iterator(chunk_size=200):
        user = staff.user
        overview = compliance_overview_as_of(user=user, period=period)
        if overview is None or not overview.outlets:
            result.skipped += 1
            continue
        message = _report_email(staff=staff, overview=overview, period=period, pdfs=pdfs)
        try:
            with transaction.atomic():
                ReportDelivery.objects.create(
                    recipient=staff,
                    period=period,
                    email=user.email,
                    outlets=len(overview.outlets),
                )
                message.send()
        except IntegrityError:
            continue  # another run sent this one
        except OSError:
            # The row went with the rollback; one refused address must not hold back the rest.
            logger.exception("Monthly report %s for staff %s not sent", period, staff.pk)
            result.failed += 1
            continue
        result.sent += 1
    logger.info(
        "Monthly compliance report %s: %d sent, %d failed, %d with nothing to report",
        period,
        result.sent,
        result.failed,
        result.skipped,
    )
    return result


def _month_label(period: datetime.date, english: bool) -> str:
    return period.strftime("%B %Y") if english else f"{period.year}年{period.month}月"


def _report_email(
    *, staff: Staff, overview: Overview, period: datetime.date, pdfs: dict[tuple, bytes]
) -> EmailMessage:
    """The e-mail of one recipient's report, in the site's language, with the PDF attached."""
    user = staff.user
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        english = language.startswith("en")
        month = _month_label(period, english)
        scope = scope_label(user=user, language=language)
        title = pdf.title("monthly_title", language, month=month)
        # The key holds every outlet of the report, so only a report of the very same outlets
        # is shared; the trend is read with the same scope.
        key = (scope, tuple(o.outlet_id for o in overview.outlets))
        content = pdfs.get(key)
        if content is None:
            content = pdf.overview_pdf(
                overview,
                compliance_trend(user=user),
                title=title,
                scope_label=scope,
                language=language,
            )
            if len(overview.outlets) > 1:  # a manager's one outlet is theirs alone
                pdfs[key] = content
        gaps = [o for o in overview.outlets if not o.compliant]
        gaps.sort(key=lambda o: (o.share if o.share is not None else 2.0, o.code))
        context = {
            "name": user.get_full_name() or user.get_username(),
            "month": month,
            "scope": scope,
            "overview": overview,
            "total": overview.total,
            "share": _percent(overview.total.share),
            "compliant_share": _percent(overview.total.compliant_share),
            "not_compliant": gaps[:LISTED_OUTLETS],
            "more_not_compliant": max(len(gaps) - LISTED_OUTLETS, 0),
            "url": f"{settings.WAGTAILADMIN_BASE_URL}/compliance/?period={period:%Y-%m}",
        }
        subject = render_to_string("compliance/email/monthly_subject.txt", context).strip()
        body = render_to_string("compliance/email/monthly_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[user.email])
    message.attach(f"compliance-{period:%Y-%m}.pdf", content, "application/pdf")
    return message


def _percent(share: float | None) -> str:
    return f"{share * 100:.1f}%" if share is not None else "–"

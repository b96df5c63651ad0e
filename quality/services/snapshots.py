"""The monthly quality snapshot: each outlet's four figures of the supervision loop, frozen."""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from compliance.computation import outlets_compute
from compliance.models import ComplianceSnapshot
from compliance.services.snapshots import month_start, previous_month
from network.models import Outlet

from ..models.audits import Finding
from ..models.rules import CorrectiveAssignment
from ..models.snapshots import QualitySnapshot
from ..selectors.overview import key_question
from ..selectors.surveys import Period, figures_by_outlet, survey_questions

_FIELDS = [
    "requirements",
    "met",
    "compliant",
    "open_findings",
    "overdue_findings",
    "survey_answers",
    "satisfaction_sum",
    "key_yes",
    "key_answered",
    "corrective_active",
    "corrective_people",
]


@dataclasses.dataclass(frozen=True)
class SnapshotsTaken:
    period: datetime.date
    outlets: int


def _midnight_after(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def quality_snapshots_take(*, period: datetime.date) -> SnapshotsTaken:
    """
    Record each active outlet's four figures for the month `period` as they stood when it
    ended, whenever this runs: compliance from that month's compliance snapshot where one was
    taken (computed for the month's last day otherwise), the findings and corrective training
    open at the month's end, and the customers' answers given during the month. Running it again
    replaces the month's rows with the same figures. A bounded number of queries.
    """
    period = month_start(period)
    month_end = (period + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    outlets = Outlet.objects.filter(is_active=True)
    compliance = {
        row["outlet_id"]: (row["requirements"], row["met"], row["compliant"])
        for row in ComplianceSnapshot.objects.filter(period=period).values(
            "outlet_id", "requirements", "met", "compliant"
        )
    }
    if not compliance:
        compliance = {
            c.outlet_id: (c.requirements, c.met, c.compliant)
            for c in outlets_compute(outlets=outlets, today=month_end)
        }
    end = _midnight_after(month_end)
    # As things stood when the month ended, whenever the snapshot is taken: what was open then.
    unanswered = Q(answered_at__isnull=True) | Q(answered_at__gte=end)
    findings = {
        row["outlet_id"]: row
        for row in Finding.objects.filter(created_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .values("outlet_id")
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=(unanswered & Q(respond_by__lte=month_end))
                | (Q(answered_at__lt=end) & Q(action_due_on__lte=month_end)),
            ),
        )
        .order_by()
    }
    corrective = {
        row["outlet_id"]: row
        for row in CorrectiveAssignment.objects.filter(created_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
        .values("outlet_id")
        .annotate(active=Count("pk", distinct=True), people=Count("enrollments", distinct=True))
        .order_by()
    }
    satisfaction = figures_by_outlet(outlets=outlets, period=Period(since=period, until=month_end))
    key_q = key_question(survey_questions())
    key = key_q.pk if key_q else None
    rows = []
    for outlet_id in sorted(outlets.values_list("pk", flat=True)):
        requirements, met, compliant = compliance.get(outlet_id, (0, 0, True))
        answers = satisfaction.get(outlet_id)
        rows.append(
            QualitySnapshot(
                outlet_id=outlet_id,
                period=period,
                requirements=requirements,
                met=met,
                compliant=compliant,
                open_findings=findings.get(outlet_id, {}).get("open", 0),
                overdue_findings=findings.get(outlet_id, {}).get("overdue", 0),
                survey_answers=answers.answers if answers else 0,
                satisfaction_sum=answers.satisfaction_sum if answers else 0,
                key_yes=answers.yes(key) if answers and key else 0,
                key_answered=answers.answered(key) if answers and key else 0,
                corrective_active=corrective.get(outlet_id, {}).get("active", 0),
                corrective_people=corrective.get(outlet_id, {}).get("people", 0),
            )
        )
    with transaction.atomic():
        QualitySnapshot.objects.filter(period=period).exclude(
            outlet_id__in=[r.outlet_id for r in rows]
        ).delete()
        QualitySnapshot.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["outlet", "period"],
            update_fields=[*_FIELDS, "taken_at"],
        )
    return SnapshotsTaken(period=period, outlets=len(rows))


def quality_monthly_snapshot(*, today: datetime.date | None = None) -> SnapshotsTaken:
    """Record the month that ended before `today` (the beat runs on the first of the month)."""
    today = today or timezone.localdate()
    return quality_snapshots_take(period=previous_month(today))

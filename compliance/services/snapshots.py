"""Writes of compliance: monthly snapshots that keep each outlet's figures true to their date."""

import dataclasses
import datetime
import logging

from django.db import transaction
from django.utils import timezone

from network.models import Outlet

from ..computation import OutletCompliance, PersonCompliance, outlets_compute, people_compute
from ..models import ComplianceSnapshot

logger = logging.getLogger(__name__)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def _figures(outlet: OutletCompliance, people: list[PersonCompliance]) -> dict:
    return {
        "outlet": {
            "code": outlet.code,
            "name": outlet.name,
            "name_en": outlet.name_en,
            "city": outlet.city,
            "partner_company_name": outlet.partner_company_name,
        },
        **outlet.as_dict(),
        "persons": [
            {
                "staff_id": p.staff_id,
                "name": p.name,
                "employee_number": p.employee_number,
                "roles": p.roles,
                "requirements": [
                    {
                        **dataclasses.asdict(r),
                        "expires_on": r.expires_on.isoformat() if r.expires_on else None,
                        "due_on": r.due_on.isoformat() if r.due_on else None,
                    }
                    for r in p.requirements
                ],
            }
            for p in people
        ],
    }


def compliance_snapshots_take(
    *,
    period: datetime.date,
    as_of: datetime.date,
    replace: bool = False,
    actor=None,
) -> int:
    """
    Record every active outlet's compliance on `as_of` as the snapshot of month `period`; return
    how many snapshots were written. A month already recorded is kept unless `replace` (the
    current month taken again on demand): a retried monthly job never rewrites history.
    """
    period = month_start(period)
    outlets = Outlet.objects.filter(is_active=True)
    computed = outlets_compute(outlets=outlets, today=as_of)
    people_by_outlet: dict[int, list[PersonCompliance]] = {}
    for person in people_compute(outlets=outlets, today=as_of):
        people_by_outlet.setdefault(person.outlet_id, []).append(person)
    rows = [
        ComplianceSnapshot(
            outlet_id=o.outlet_id,
            period=period,
            as_of=as_of,
            partner_company_id=o.partner_company_id,
            province=o.province,
            city_tier=o.city_tier,
            ownership=o.ownership,
            people=o.people,
            requirements=o.requirements,
            met=o.met,
            headcount_rules=len(o.headcounts),
            headcount_rules_met=o.headcount_rules_met,
            compliant=o.compliant,
            figures=_figures(o, people_by_outlet.get(o.outlet_id, [])),
            taken_by=actor,
        )
        for o in computed
    ]
    with transaction.atomic():
        if replace:
            ComplianceSnapshot.objects.filter(period=period).delete()
            ComplianceSnapshot.objects.bulk_create(rows, batch_size=500)
            written = len(rows)
        else:
            existing = set(
                ComplianceSnapshot.objects.filter(period=period).values_list("outlet_id", flat=True)
            )
            fresh = [r for r in rows if r.outlet_id not in existing]
            # A concurrent run may write the same month between the read and the insert.
            ComplianceSnapshot.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
            written = len(fresh)
    logger.info("Compliance snapshot %s as of %s: %d outlets", period, as_of, written)
    return written


def compliance_monthly_snapshot(*, today: datetime.date | None = None) -> int:
    """The beat job on the first of a month: record the month that just ended, once."""
    today = today or timezone.localdate()
    return compliance_snapshots_take(
        period=previous_month(today), as_of=today - datetime.timedelta(days=1)
    )

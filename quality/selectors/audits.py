"""
Reads of field audits (现场稽核). Who sees what: the quality department (auditors, superusers)
every audit and finding; an outlet manager and a partner administrator the submitted audits and
the findings of the outlets in their scope today (`Outlet.objects.visible_to`); nobody else any.
"""

import dataclasses
import datetime

from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from compliance.computation import outlets_compute
from network.models import Outlet, Staff

from ..models.audits import (  # noqa: F401 - the viewer is re-exported for the views
    ANSWERING_ROLES,
    AUDIT_ROLES,
    Audit,
    AuditEvidence,
    AuditItemResult,
    AuditTemplate,
    AuditTemplateItem,
    AuditViewer,
    Finding,
    FindingEvent,
    Severity,
    audit_viewer,
)

UNCLOSED = (Finding.Status.OPEN, Finding.Status.ANSWERED)


# --- Risk sampling -----------------------------------------------------------------------------

# The risk score of an outlet is a weighted sum of four terms, each between 0 and 1, so the score
# is between 0 and the sum of the weights (100). The weights are here and nowhere else.
RISK_WEIGHTS = {
    # The share of the outlet's required certificates that are missing (compliance's own figure).
    "compliance_gaps": 40,
    # Its unclosed findings, by severity points, full at OPEN_FINDINGS_FULL points.
    "open_findings": 25,
    # Days since its last submitted audit, full at SINCE_AUDIT_FULL_DAYS; never audited is full.
    "since_last_audit": 25,
    # 1 - its customer satisfaction rate (0 to 1); 0 while no rate is known.
    "low_satisfaction": 10,
}
SEVERITY_POINTS = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}
OPEN_FINDINGS_FULL = 10
SINCE_AUDIT_FULL_DAYS = 365


@dataclasses.dataclass(frozen=True)
class OutletRisk:
    outlet_id: int
    code: str
    name: str
    missing_share: float
    open_points: int
    days_since_audit: int | None  # None: never audited
    satisfaction_rate: float | None
    score: float


def risk_score(
    *,
    missing_share: float,
    open_points: int,
    days_since_audit: int | None,
    satisfaction_rate: float | None = None,
) -> float:
    """Return the risk score (0-100) of an outlet with these figures. Pure: no database."""
    since = (
        1.0
        if days_since_audit is None
        else min(max(days_since_audit, 0) / SINCE_AUDIT_FULL_DAYS, 1)
    )
    terms = {
        "compliance_gaps": min(max(missing_share, 0.0), 1.0),
        "open_findings": min(open_points / OPEN_FINDINGS_FULL, 1.0),
        "since_last_audit": since,
        "low_satisfaction": 0.0
        if satisfaction_rate is None
        else 1.0 - min(max(satisfaction_rate, 0.0), 1.0),
    }
    return round(sum(RISK_WEIGHTS[name] * value for name, value in terms.items()), 4)


def outlet_risk_scores(
    *, outlets=None, today: datetime.date | None = None, satisfaction: dict | None = None
) -> list[OutletRisk]:
    """
    Return the risk of every outlet of `outlets` (every active outlet by default), the riskiest
    first and, at equal scores, by outlet code. `satisfaction` is an optional {outlet id: rate
    from 0 to 1}, so the customer satisfaction survey can feed the score. A fixed number of
    queries whatever the number of outlets.
    """
    today = today or timezone.localdate()
    outlets = Outlet.objects.filter(is_active=True) if outlets is None else outlets
    satisfaction = satisfaction or {}
    compliance = {c.outlet_id: c for c in outlets_compute(outlets=outlets, today=today)}
    points: dict[int, int] = {}
    for outlet_id, severity, count in (
        Finding.objects.filter(outlet__in=outlets, status__in=UNCLOSED)
        .values_list("outlet_id", "severity")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        points[outlet_id] = points.get(outlet_id, 0) + SEVERITY_POINTS.get(severity, 1) * count
    last_audit = dict(
        Audit.objects.filter(outlet__in=outlets, status=Audit.Status.SUBMITTED)
        .values_list("outlet_id")
        .annotate(last=Max("submitted_at"))
        .order_by()
    )
    risks = []
    for outlet_id, code, name in outlets.values_list("pk", "code", "name"):
        figures = compliance.get(outlet_id)
        share = figures.share if figures is not None else None
        missing = 0.0 if share is None else 1.0 - share
        last = last_audit.get(outlet_id)
        days = None if last is None else (today - timezone.localdate(last)).days
        rate = satisfaction.get(outlet_id)
        risks.append(
            OutletRisk(
                outlet_id=outlet_id,
                code=code,
                name=name,
                missing_share=missing,
                open_points=points.get(outlet_id, 0),
                days_since_audit=days,
                satisfaction_rate=rate,
                score=risk_score(
                    missing_share=missing,
                    open_points=points.get(outlet_id, 0),
                    days_since_audit=days,
                    satisfaction_rate=rate,
                ),
            )
        )
    return sorted(risks, key=lambda r: (-r.score, r.code))


def outlets_by_risk(
    *,
    count: int,
    outlets=None,
    exclude_ids=(),
    today: datetime.date | None = None,
    satisfaction: dict | None = None,
) -> list[OutletRisk]:
    """Return the `count` riskiest outlets, leaving out `exclude_ids` (already picked)."""
    excluded = set(exclude_ids)
    ranked = outlet_risk_scores(outlets=outlets, today=today, satisfaction=satisfaction)
    return [r for r in ranked if r.outlet_id not in excluded][: max(count, 0)]


# --- Audits --------------------------------------------------------------------------------------


def audit_templates():
    """Return the templates an auditor may start an audit with."""
    return AuditTemplate.objects.filter(is_active=True).order_by("name", "pk")


def audit_list(*, user, mine: bool = False):
    """
    Return the audits `user` may see, planned first and then the newest, ready for a listing;
    `mine` keeps only the audits the viewer conducts.
    """
    audits = Audit.objects.visible_to(user)
    if mine:
        viewer = audit_viewer(user)
        audits = audits.filter(auditor=viewer.auditor) if viewer.auditor else audits.none()
    return (
        audits.select_related("outlet", "template", "auditor__user", "plan")
        .annotate(finding_count=Count("findings", distinct=True))
        .order_by("status", "-submitted_at", "-created_at", "-pk")
    )


def audit_get(*, user, pk: int) -> Audit:
    """Return one audit `user` may see; raise Audit.DoesNotExist otherwise."""
    return (
        Audit.objects.visible_to(user)
        .select_related("outlet", "template", "auditor__user", "plan")
        .get(pk=pk)
    )


def evidence_get(*, user, pk: int) -> AuditEvidence:
    """Return one audit photo `user` may see; raise AuditEvidence.DoesNotExist otherwise."""
    return AuditEvidence.objects.filter(audit__in=Audit.objects.visible_to(user)).get(pk=pk)


@dataclasses.dataclass
class ItemRow:
    item: AuditTemplateItem
    result: AuditItemResult | None
    evidence: list
    finding: Finding | None


@dataclasses.dataclass
class AuditSheet:
    rows: list[ItemRow]
    general_evidence: list
    evidence_count: int
    observed: list
    # Findings of earlier audits of the outlet not yet closed: what a re-audit checks again.
    earlier_findings: list
    closed_here: list

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.rows if row.result is not None)

    @property
    def failed(self) -> int:
        return sum(
            1 for row in self.rows if row.result is not None and row.result.outcome == "fail"
        )

    @property
    def complete(self) -> bool:
        return self.recorded == len(self.rows)


def audit_sheet(*, audit: Audit) -> AuditSheet:
    """
    Return the items of `audit`'s template with what was recorded, the photos, its findings and
    the outlet's earlier unclosed findings, in seven queries whatever their numbers.
    """
    items = list(
        AuditTemplateItem.objects.filter(template_id=audit.template_id)
        .select_related("service_area")
        .order_by("sort_order", "pk")
    )
    results = {r.item_id: r for r in AuditItemResult.objects.filter(audit=audit)}
    evidence = list(AuditEvidence.objects.filter(audit=audit).order_by("uploaded_at", "pk"))
    findings = {f.item_id: f for f in Finding.objects.filter(audit=audit)}
    observed = list(audit.observed.select_related("user").order_by("employee_number"))
    earlier = list(
        Finding.objects.filter(outlet_id=audit.outlet_id, status__in=UNCLOSED)
        .exclude(audit=audit)
        .filter(audit__submitted_at__lt=audit.submitted_at or timezone.now())
        .select_related("audit", "item")
        .order_by("respond_by", "pk")
    )
    closed_here = list(
        Finding.objects.filter(closed_by_audit=audit).select_related("audit", "item").order_by("pk")
    )
    rows = [
        ItemRow(
            item=item,
            result=results.get(item.pk),
            evidence=[e for e in evidence if e.item_id == item.pk],
            finding=findings.get(item.pk),
        )
        for item in items
    ]
    known = {item.pk for item in items}
    return AuditSheet(
        rows=rows,
        general_evidence=[e for e in evidence if e.item_id not in known],
        evidence_count=len(evidence),
        observed=observed,
        earlier_findings=earlier,
        closed_here=closed_here,
    )


def audit_people(*, audit: Audit):
    """Return the outlet's active people an auditor may name as observed."""
    return (
        Staff.objects.active()
        .filter(outlet_id=audit.outlet_id)
        .select_related("user")
        .order_by("employee_number")
    )


# --- Findings ----------------------------------------------------------------------------------

FINDING_FILTERS = ("unclosed", "open", "answered", "closed", "all")


def finding_list(*, user, status: str = "unclosed"):
    """Return the findings `user` may see, the most urgent first, ready for a listing."""
    findings = Finding.objects.visible_to(user)
    if status == "unclosed":
        findings = findings.filter(status__in=UNCLOSED)
    elif status in Finding.Status.values:
        findings = findings.filter(status=status)
    return findings.select_related(
        "outlet", "item", "audit__auditor__user", "closed_by_audit"
    ).order_by("status", "respond_by", "pk")


def finding_get(*, user, pk: int) -> Finding:
    """Return one finding `user` may see, with its history; raise Finding.DoesNotExist."""
    return (
        Finding.objects.visible_to(user)
        .select_related("outlet", "item", "audit__auditor__user", "closed_by_audit", "answered_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=FindingEvent.objects.select_related("actor").order_by("created_at", "pk"),
            )
        )
        .get(pk=pk)
    )


def may_answer(*, user, finding: Finding) -> bool:
    """Whether `user` answers for `finding`'s outlet today (its manager, its company's admin)."""
    viewer = audit_viewer(user)
    return viewer.answers_for_outlets and finding.status != Finding.Status.CLOSED


# --- The outlet's compliance report ------------------------------------------------------------

OUTLET_HISTORY = 10


def outlet_audit_record(*, outlet: Outlet, user) -> dict | None:
    """
    Return the outlet's last audits and its unclosed findings for its compliance report, or None
    for a viewer who may see neither. Two queries whatever the outlet's history.
    """
    viewer = audit_viewer(user)
    if not (viewer.network_wide or viewer.answers_for_outlets):
        return None
    audits = list(
        Audit.objects.visible_to(user)
        .filter(outlet=outlet)
        .select_related("template", "auditor__user")
        .annotate(finding_count=Count("findings", distinct=True))
        .order_by("status", "-submitted_at", "-created_at", "-pk")[:OUTLET_HISTORY]
    )
    findings = list(
        Finding.objects.visible_to(user)
        .filter(outlet=outlet, status__in=UNCLOSED)
        .select_related("item")
        .order_by("respond_by", "pk")
    )
    return {"outlet": outlet, "audits": audits, "findings": findings}

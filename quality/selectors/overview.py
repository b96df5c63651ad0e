"""
The quality view: per outlet and per partner company, the four figures of the supervision loop
in one place (certification compliance, audit findings, customer satisfaction, corrective
training), with their monthly trend from the quality snapshots.
"""

import dataclasses
import datetime

from django.db.models import Count, Q, Sum

from compliance.computation import OutletCompliance, outlets_compute
from network.models import Outlet

from ..models.audits import Finding
from ..models.rules import CorrectiveAssignment
from ..models.snapshots import QualitySnapshot
from ..models.surveys import SurveyQuestion
from .audits import UNCLOSED, audit_viewer
from .surveys import Figures, Period, figures_by_outlet, survey_questions

# The survey question the quality department watches most: warranty terms explained (三包).
KEY_QUESTION = "warranty_explained"
# Satisfaction on the view is read over the last quarter: a month is too few answers at most
# outlets to mean anything.
SATISFACTION_DAYS = 90
TREND_MONTHS = 6
SORTS = ("attention", "compliance", "findings", "satisfaction", "key", "corrective", "code")


def key_question(questions: list[SurveyQuestion]) -> SurveyQuestion | None:
    """The key question among `questions`: warranty terms explained, else the first."""
    for question in questions:
        if question.code == KEY_QUESTION:
            return question
    return questions[0] if questions else None


def may_see_quality(user) -> bool:
    """The quality department sees the network; outlet managers and partner administrators
    their own outlets."""
    viewer = audit_viewer(user)
    return viewer.network_wide or viewer.answers_for_outlets


@dataclasses.dataclass
class OutletQuality:
    compliance: OutletCompliance
    open_findings: int = 0
    overdue_findings: int = 0
    satisfaction: Figures = dataclasses.field(default_factory=Figures)
    key_rate: float | None = None
    corrective_active: int = 0

    @property
    def attention(self) -> tuple:
        """Worst first: overdue findings, open ones, compliance gaps, low key answers."""
        share = self.compliance.share
        return (
            -self.overdue_findings,
            -self.open_findings,
            -self.compliance.gaps,
            share if share is not None else 1.0,
            self.key_rate if self.key_rate is not None else 100.0,
            self.compliance.code,
        )


@dataclasses.dataclass
class PartnerQuality:
    """A partner company's outlets (or the brand's own), summed."""

    label: str
    outlets: int = 0
    requirements: int = 0
    met: int = 0
    open_findings: int = 0
    overdue_findings: int = 0
    satisfaction: Figures = dataclasses.field(default_factory=Figures)
    corrective_active: int = 0

    @property
    def share(self) -> float | None:
        return self.met / self.requirements if self.requirements else None


@dataclasses.dataclass(frozen=True)
class TrendMonth:
    period: datetime.date
    requirements: int
    met: int
    open_findings: int
    survey_answers: int
    satisfaction_sum: int
    key_yes: int
    key_answered: int
    corrective_active: int

    @property
    def share(self) -> float | None:
        return self.met / self.requirements if self.requirements else None

    @property
    def satisfaction_mean(self) -> float | None:
        return self.satisfaction_sum / self.survey_answers if self.survey_answers else None

    @property
    def key_rate(self) -> float | None:
        return 100 * self.key_yes / self.key_answered if self.key_answered else None


@dataclasses.dataclass(frozen=True)
class QualityOverview:
    as_of: datetime.date
    key_question: SurveyQuestion | None
    rows: list[OutletQuality]
    partners: list[PartnerQuality]
    trend: list[TrendMonth]


def _sorted(rows: list[OutletQuality], sort: str) -> list[OutletQuality]:
    keys = {
        "attention": lambda r: r.attention,
        "compliance": lambda r: (
            r.compliance.share if r.compliance.share is not None else 2.0,
            r.compliance.code,
        ),
        "findings": lambda r: (-r.open_findings, -r.overdue_findings, r.compliance.code),
        "satisfaction": lambda r: (
            r.satisfaction.mean if r.satisfaction.mean is not None else 6.0,
            r.compliance.code,
        ),
        "key": lambda r: (r.key_rate if r.key_rate is not None else 101.0, r.compliance.code),
        "corrective": lambda r: (-r.corrective_active, r.compliance.code),
        "code": lambda r: r.compliance.code,
    }
    return sorted(rows, key=keys.get(sort, keys["attention"]))


def quality_overview(*, user, today: datetime.date, sort: str = "attention") -> QualityOverview:
    """
    Return the four figures of every active outlet in `user`'s scope, their partner companies'
    sums and the monthly trend, in a fixed number of queries whatever the network's size.
    """
    outlets = Outlet.objects.visible_to(user).filter(is_active=True)
    compliance = outlets_compute(outlets=outlets, today=today)
    findings = {
        row["outlet_id"]: row
        for row in Finding.objects.filter(outlet__in=outlets, status__in=UNCLOSED)
        .values("outlet_id")
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=Q(status=Finding.Status.OPEN, respond_by__lt=today)
                | Q(status=Finding.Status.ANSWERED, action_due_on__lt=today),
            ),
        )
        .order_by()
    }
    corrective = dict(
        CorrectiveAssignment.objects.filter(
            outlet__in=outlets, status=CorrectiveAssignment.Status.ACTIVE
        )
        .values("outlet_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("outlet_id", "n")
    )
    satisfaction = figures_by_outlet(
        outlets=outlets, period=Period.last_days(SATISFACTION_DAYS, today=today)
    )
    key = key_question(survey_questions())
    rows, partners = [], {}
    for c in compliance:
        figures = satisfaction.get(c.outlet_id, Figures())
        row = OutletQuality(
            compliance=c,
            open_findings=findings.get(c.outlet_id, {}).get("open", 0),
            overdue_findings=findings.get(c.outlet_id, {}).get("overdue", 0),
            satisfaction=figures,
            key_rate=figures.yes_rate(key.pk) if key else None,
            corrective_active=corrective.get(c.outlet_id, 0),
        )
        rows.append(row)
        partner = partners.setdefault(
            c.partner_company_id, PartnerQuality(label=c.partner_company_name)
        )
        partner.outlets += 1
        partner.requirements += c.requirements
        partner.met += c.met
        partner.open_findings += row.open_findings
        partner.overdue_findings += row.overdue_findings
        partner.satisfaction.add(figures)
        partner.corrective_active += row.corrective_active
    trend = [
        TrendMonth(**row)
        for row in QualitySnapshot.objects.filter(outlet__in=outlets)
        .values("period")
        .annotate(
            requirements=Sum("requirements"),
            met=Sum("met"),
            open_findings=Sum("open_findings"),
            survey_answers=Sum("survey_answers"),
            satisfaction_sum=Sum("satisfaction_sum"),
            key_yes=Sum("key_yes"),
            key_answered=Sum("key_answered"),
            corrective_active=Sum("corrective_active"),
        )
        .order_by("-period")[:TREND_MONTHS]
    ]
    return QualityOverview(
        as_of=today,
        key_question=key,
        rows=_sorted(rows, sort),
        partners=sorted(partners.values(), key=lambda p: (p.label == "", p.label)),
        trend=list(reversed(trend)),
    )

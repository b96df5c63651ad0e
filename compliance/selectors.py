"""
Reads of compliance for reports, exports and the public outlet page. Scope comes from
`Outlet.objects.visible_to(user)`; live figures come from `computation`, "as of" figures from
the stored monthly snapshots, so a past month reads as it was.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import NotFound
from courses.models import TrackPage
from network.models import CityTier, Outlet, Ownership, PartnerCompany

from .computation import (
    MET_STATES,
    HeadcountResult,
    OutletCompliance,
    PersonCompliance,
    Requirement,
    outlets_compute,
    people_compute,
)
from .models import ComplianceSnapshot, ServiceArea, TrackRequirement


class ReportNotFound(NotFound):
    """No such outlet in the reader's scope, or no snapshot of the month asked for."""


SORTS = {
    "code": lambda o: o.code,
    "name": lambda o: o.name,
    "share": lambda o: (o.share if o.share is not None else 2.0, o.code),
    "gaps": lambda o: (o.gaps, o.code),
    "people": lambda o: (o.people, o.code),
    "verdict": lambda o: (o.compliant, o.code),
    "expiring": lambda o: (o.expiring, o.code),
}
GROUPINGS = {
    "partner_company": _("Partner company"),
    "province": _("Province"),
    "city_tier": _("City tier"),
    "ownership": _("Ownership"),
}


@dataclasses.dataclass(frozen=True)
class Filters:
    """What a report is narrowed to; empty fields narrow nothing."""

    partner_company: str = ""  # a company code
    province: str = ""
    city_tier: int | None = None
    ownership: str = ""
    verdict: str = ""  # "compliant" or "non_compliant"
    search: str = ""
    sort: str = "code"  # a key of SORTS, "-" before it for descending

    def as_json(self) -> dict:
        """The filters as an export job stores them."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, stored: dict) -> "Filters":
        """The filters an export job stored; keys it does not know are left out."""
        fields = {field.name for field in dataclasses.fields(cls)}
        values = {name: value for name, value in stored.items() if name in fields}
        return cls(**{**values, "sort": values.get("sort") or "code"})


def period_parse(value) -> datetime.date | None:
    """
    Return the first day of the month `value` names (YYYY-MM, or a date YYYY-MM-DD as an
    export stores it); None when it is empty. Raise ValueError when it names no month.
    """
    if not value:
        return None
    text = str(value)
    if len(text) not in (7, 10):
        raise ValueError(f"not a month: {text!r}")
    return datetime.date.fromisoformat(f"{text[:7]}-01")


@dataclasses.dataclass
class Rollup:
    """Several outlets added up; a person works at one outlet, so people add up without repeats."""

    key: object
    label: str
    outlets: int = 0
    compliant_outlets: int = 0
    people: int = 0
    requirements: int = 0
    met: int = 0
    gaps: int = 0
    expiring: int = 0

    @property
    def share(self) -> float | None:
        return self.met / self.requirements if self.requirements else None

    @property
    def compliant_share(self) -> float | None:
        return self.compliant_outlets / self.outlets if self.outlets else None

    def add(self, outlet: OutletCompliance) -> None:
        self._add(_figures(outlet))

    def _add(self, figures: tuple[int, int, int, int, int, int]) -> None:
        compliant, people, requirements, met, gaps, expiring = figures
        self.outlets += 1
        self.compliant_outlets += compliant
        self.people += people
        self.requirements += requirements
        self.met += met
        self.gaps += gaps
        self.expiring += expiring


def _figures(outlet: OutletCompliance) -> tuple[int, int, int, int, int, int]:
    return (
        outlet.compliant,
        outlet.people,
        outlet.requirements,
        outlet.met,
        outlet.gaps,
        outlet.expiring,
    )


@dataclasses.dataclass
class Overview:
    as_of: datetime.date
    period: datetime.date | None  # the snapshot month read, None for live figures
    outlets: list[OutletCompliance]
    total: Rollup
    rollups: dict[str, list[Rollup]]


def _scoped_outlets(*, user, filters: Filters):
    outlets = Outlet.objects.visible_to(user).filter(is_active=True)
    if filters.partner_company:
        outlets = outlets.filter(partner_company__code=filters.partner_company)
    if filters.province:
        outlets = outlets.filter(province=filters.province)
    if filters.city_tier:
        outlets = outlets.filter(city_tier=filters.city_tier)
    if filters.ownership:
        outlets = outlets.filter(ownership=filters.ownership)
    if filters.search:
        outlets = outlets.filter(
            Q(code__icontains=filters.search)
            | Q(name__icontains=filters.search)
            | Q(name_en__icontains=filters.search)
            | Q(city__icontains=filters.search)
        )
    return outlets


def _rollups(outlets: list[OutletCompliance]) -> tuple[Rollup, dict[str, list[Rollup]]]:
    total = Rollup(key=None, label=str(_("All outlets in scope")))
    groups: dict[str, dict] = {name: {} for name in GROUPINGS}
    # Labels translated once, not once per outlet: with thousands of outlets the lazy
    # translations and the figures summed per grouping cost more than the SQL (bench.compliance).
    tiers = {value: str(label) for value, label in CityTier.choices}
    ownerships = {value: str(label) for value, label in Ownership.choices}
    brand_owned = str(_("Brand-owned"))
    for outlet in outlets:
        figures = _figures(outlet)
        total._add(figures)
        keys = {
            "partner_company": (
                outlet.partner_company_id,
                outlet.partner_company_name or brand_owned,
            ),
            "province": (outlet.province, outlet.province),
            "city_tier": (outlet.city_tier, tiers.get(outlet.city_tier, str(outlet.city_tier))),
            "ownership": (outlet.ownership, ownerships.get(outlet.ownership, "")),
        }
        for name, (key, label) in keys.items():
            rollup = groups[name].get(key)
            if rollup is None:
                rollup = groups[name][key] = Rollup(key=key, label=label)
            rollup._add(figures)
    return total, {
        name: sorted(by_key.values(), key=lambda r: (r.share is None, r.share or 0, r.label))
        for name, by_key in groups.items()
    }


def _narrow_and_sort(outlets: list[OutletCompliance], filters: Filters) -> list:
    if filters.verdict == "compliant":
        outlets = [o for o in outlets if o.compliant]
    elif filters.verdict == "non_compliant":
        outlets = [o for o in outlets if not o.compliant]
    key = filters.sort.lstrip("-")
    if key in SORTS:
        outlets = sorted(outlets, key=SORTS[key], reverse=filters.sort.startswith("-"))
    return outlets


def compliance_overview(
    *, user, filters: Filters = Filters(), today: datetime.date | None = None
) -> Overview:
    """
    Return today's compliance of every outlet in the user's scope that the filters keep, with
    totals and roll-ups by partner company, province, city tier and ownership.
    """
    today = today or timezone.localdate()
    outlets = outlets_compute(outlets=_scoped_outlets(user=user, filters=filters), today=today)
    outlets = _narrow_and_sort(outlets, filters)
    total, rollups = _rollups(outlets)
    return Overview(as_of=today, period=None, outlets=outlets, total=total, rollups=rollups)


def compliance_overview_as_of(*, user, period: datetime.date, filters: Filters = Filters()):
    """
    Return the overview as the snapshot of month `period` recorded it, for the outlets in the
    user's scope today; None when no snapshot of that month exists.
    """
    snapshots = list(
        ComplianceSnapshot.objects.filter(
            period=period, outlet__in=_scoped_outlets(user=user, filters=filters)
        ).order_by("outlet__code")
    )
    if not snapshots:
        return None
    outlets = _narrow_and_sort([outlet_from_snapshot(s) for s in snapshots], filters)
    total, rollups = _rollups(outlets)
    as_of = max(s.as_of for s in snapshots)
    return Overview(as_of=as_of, period=period, outlets=outlets, total=total, rollups=rollups)


def outlet_from_snapshot(snapshot: ComplianceSnapshot) -> OutletCompliance:
    figures = snapshot.figures
    outlet = figures["outlet"]
    return OutletCompliance(
        outlet_id=snapshot.outlet_id,
        code=outlet["code"],
        name=outlet["name"],
        name_en=outlet["name_en"],
        province=snapshot.province,
        city=outlet["city"],
        city_tier=snapshot.city_tier,
        ownership=snapshot.ownership,
        partner_company_id=snapshot.partner_company_id,
        partner_company_name=outlet["partner_company_name"],
        people=snapshot.people,
        counts={k: v for k, v in figures["counts"].items() if v},
        headcounts=[HeadcountResult(**h) for h in figures["headcounts"]],
    )


def people_from_snapshot(snapshot: ComplianceSnapshot) -> list[PersonCompliance]:
    return [
        PersonCompliance(
            staff_id=p["staff_id"],
            outlet_id=snapshot.outlet_id,
            name=p["name"],
            employee_number=p["employee_number"],
            roles=p["roles"],
            requirements=[
                Requirement(
                    track_id=r["track_id"],
                    state=r["state"],
                    certificate_id=r["certificate_id"],
                    expires_on=_date_or_none(r["expires_on"]),
                    due_on=_date_or_none(r["due_on"]),
                )
                for r in p["requirements"]
            ],
        )
        for p in snapshot.figures.get("persons", [])
    ]


def _date_or_none(value):
    return datetime.date.fromisoformat(value) if value else None


@dataclasses.dataclass
class OutletReport:
    outlet: Outlet
    compliance: OutletCompliance
    people: list[PersonCompliance]
    tracks: dict[int, TrackPage]
    areas: dict[int, ServiceArea]
    as_of: datetime.date
    period: datetime.date | None


def outlet_report(
    *,
    user,
    code: str,
    today: datetime.date | None = None,
    period: datetime.date | None = None,
) -> OutletReport:
    """
    Return one outlet's report (each person and each requirement), today's or as the snapshot
    of month `period` recorded it. Raise ReportNotFound outside the user's scope or without a
    snapshot.
    """
    outlet = (
        Outlet.objects.visible_to(user).select_related("partner_company").filter(code=code).first()
    )
    if outlet is None:
        raise ReportNotFound(f"No outlet {code!r} in scope")
    if period is not None:
        snapshot = ComplianceSnapshot.objects.filter(outlet=outlet, period=period).first()
        if snapshot is None:
            raise ReportNotFound(f"No snapshot of {code!r} for {period:%Y-%m}")
        compliance = outlet_from_snapshot(snapshot)
        people = people_from_snapshot(snapshot)
        as_of = snapshot.as_of
    else:
        as_of = today or timezone.localdate()
        scope = Outlet.objects.filter(pk=outlet.pk)
        computed = outlets_compute(outlets=scope, today=as_of)
        if not computed:  # an inactive outlet: nothing is required of it any more
            computed = [_empty(outlet)]
        compliance = computed[0]
        people = people_compute(outlets=scope, today=as_of)
    track_ids = {r.track_id for p in people for r in p.requirements} | {
        h.track_id for h in compliance.headcounts
    }
    tracks = TrackPage.objects.filter(pk__in=track_ids).only("pk", "title", "title_en", "slug")
    areas = ServiceArea.objects.filter(pk__in={h.service_area_id for h in compliance.headcounts})
    return OutletReport(
        outlet=outlet,
        compliance=compliance,
        people=people,
        tracks={t.pk: t for t in tracks},
        areas={a.pk: a for a in areas},
        as_of=as_of,
        period=period,
    )


def _empty(outlet: Outlet) -> OutletCompliance:
    return OutletCompliance(
        outlet_id=outlet.pk,
        code=outlet.code,
        name=outlet.name,
        name_en=outlet.name_en,
        province=outlet.province,
        city=outlet.city,
        city_tier=outlet.city_tier,
        ownership=outlet.ownership,
        partner_company_id=outlet.partner_company_id,
        partner_company_name=outlet.partner_company.name if outlet.partner_company else "",
    )


@dataclasses.dataclass(frozen=True)
class TrendPoint:
    period: datetime.date
    outlets: int
    compliant_outlets: int
    requirements: int
    met: int

    @property
    def compliant_share(self) -> float | None:
        return self.compliant_outlets / self.outlets if self.outlets else None

    @property
    def share(self) -> float | None:
        return self.met / self.requirements if self.requirements else None


def compliance_trend(*, user, filters: Filters = Filters(), months: int = 12) -> list[TrendPoint]:
    """
    Return the last `months` monthly snapshots of the outlets in scope, added up per month in
    one query, oldest first.
    """
    rows = (
        ComplianceSnapshot.objects.filter(outlet__in=_scoped_outlets(user=user, filters=filters))
        .values("period")
        .annotate(
            outlets=Count("pk"),
            compliant_outlets=Count("pk", filter=Q(compliant=True)),
            requirements=Sum("requirements"),
            met=Sum("met"),
        )
        .order_by("-period")[:months]
    )
    return [TrendPoint(**row) for row in reversed(rows)]


def snapshot_periods(*, user) -> list[datetime.date]:
    """Return the months with a snapshot of some outlet in the user's scope, newest first."""
    return list(
        ComplianceSnapshot.objects.filter(outlet__in=Outlet.objects.visible_to(user))
        .values_list("period", flat=True)
        .distinct()
        .order_by("-period")
    )


def filter_choices(*, user) -> dict:
    """Return the partner companies and provinces the user may filter by."""
    outlets = Outlet.objects.visible_to(user).filter(is_active=True)
    return {
        "partner_companies": list(
            PartnerCompany.objects.filter(outlets__in=outlets)
            .distinct()
            .order_by("code")
            .values_list("code", "name")
        ),
        "provinces": list(
            outlets.order_by("province").values_list("province", flat=True).distinct()
        ),
        "city_tiers": CityTier.choices,
        "ownerships": Ownership.choices,
    }


@dataclasses.dataclass(frozen=True)
class AreaStatus:
    area: ServiceArea
    certified: bool


@dataclasses.dataclass
class PublicStatus:
    """What anybody may know of an outlet: no names, only whether and how many."""

    outlet: Outlet
    as_of: datetime.date
    areas: list[AreaStatus]
    certified_by_role: dict[str, int]


def outlet_public_status(*, code: str, today: datetime.date | None = None) -> PublicStatus:
    """
    Return whether the active outlet `code` is certified today for each service area it has
    rules for, and how many people of each role hold every certificate their role requires
    there. Raise ReportNotFound for an unknown or inactive outlet.
    """
    today = today or timezone.localdate()
    outlet = Outlet.objects.filter(code=code, is_active=True).first()
    if outlet is None:
        raise ReportNotFound(f"No active outlet {code!r}")
    scope = Outlet.objects.filter(pk=outlet.pk)
    computed = outlets_compute(outlets=scope, today=today)[0]
    people = people_compute(outlets=scope, today=today)
    areas = {a.pk: a for a in ServiceArea.objects.filter(is_active=True)}
    area_status = [
        AreaStatus(area=areas[area_id], certified=certified)
        for area_id, certified in computed.service_areas().items()
        if area_id in areas
    ]
    area_status.sort(key=lambda s: (s.area.sort_order, s.area.code))
    return PublicStatus(
        outlet=outlet,
        as_of=today,
        areas=area_status,
        certified_by_role=_certified_by_role(outlet, people),
    )


def _certified_by_role(outlet: Outlet, people: list[PersonCompliance]) -> dict[str, int]:
    """
    A person counts as certified in a role when they hold, valid, every track that role requires
    at this outlet; a role nothing is required of has nobody certified in it.
    """
    required: dict[str, set[int]] = defaultdict(set)
    for requirement in TrackRequirement.objects.filter(is_active=True):
        if requirement.applies_to(outlet):
            required[requirement.role].add(requirement.track_id)
    counts: dict[str, int] = dict.fromkeys(required, 0)
    for person in people:
        held = {r.track_id for r in person.requirements if r.state in MET_STATES}
        for role in person.roles:
            if role in required and required[role] <= held:
                counts[role] += 1
    return counts


def snapshot_months(*, limit: int = 24) -> list[dict]:
    """
    Return the recorded months, newest first, each with its outlets, compliant outlets, the day
    it stands for and when it was taken: what the admin shows beside "Take snapshot now".
    """
    return list(
        ComplianceSnapshot.objects.values("period")
        .annotate(
            outlets=Count("pk"),
            compliant_outlets=Count("pk", filter=Q(compliant=True)),
            as_of=Max("as_of"),
            taken_at=Max("taken_at"),
        )
        .order_by("-period")[:limit]
    )

"""
The demo quality department's rules and what they found: three service areas, the certificate
each outlet role must hold (with the partner-only and tier-3-only rules the brand really has),
how many certified people each area needs, technicians at small tier-3 outlets who also serve
at the front desk, and six monthly snapshots so that the trend chart has a history.

`seed_compliance()` creates only what is missing, so a second run writes nothing. Run it after
the catalog (the rules name its tracks) and after the demo certificates.
"""

import dataclasses
import datetime
import zlib

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from certificates.models import Certificate
from compliance.computation import people_compute
from compliance.models import ComplianceSnapshot, HeadcountRule, ServiceArea, TrackRequirement
from compliance.services.snapshots import compliance_snapshots_take, month_start, previous_month
from courses.models import TrackPage
from courses.services import enrollment_sync
from network.models import AdditionalRole, CityTier, Outlet, Ownership, Role, Staff
from network.services import staff_additional_role_add

from .demo_network import SIGN_INS, DemoDataRefused
from .demo_rollout import rollout_certify

# code, name, English name, order
SERVICE_AREAS = (
    ("counter", "前台受理与三包", "Counter & warranty intake", 1),
    ("phone-repair", "手机维修", "Phone repair", 2),
    ("laptop-repair", "笔记本维修", "Laptop repair", 3),
)

# role, track slug, ownership ("" for every outlet), city tier (None for every tier)
REQUIREMENTS = (
    (Role.FRONT_DESK, "front-desk-onboarding", "", None),
    (Role.TECHNICIAN, "technician-onboarding", "", None),
    # Partner technicians take devices in and order parts under the partner contract.
    (Role.TECHNICIAN, "partner-technician-certification", Ownership.PARTNER, None),
    (Role.SENIOR_TECHNICIAN, "senior-technician-certification", "", None),
    (Role.OUTLET_MANAGER, "outlet-manager-training", "", None),
    # A small-town outlet's manager covers the counter at lunch and on busy Saturdays.
    (Role.OUTLET_MANAGER, "front-desk-onboarding", "", CityTier.TIER_3),
)

# area, role, track slug, at least, ownership, city tier
HEADCOUNT_RULES = (
    ("counter", Role.FRONT_DESK, "front-desk-onboarding", 2, "", None),
    ("phone-repair", Role.SENIOR_TECHNICIAN, "senior-technician-certification", 1, "", None),
    ("phone-repair", Role.TECHNICIAN, "technician-onboarding", 2, "", None),
    # Laptop boards are repaired only at the brand's own centres.
    ("laptop-repair", Role.SENIOR_TECHNICIAN, "senior-technician-certification", 1,
     Ownership.BRAND, None),
    ("laptop-repair", Role.TECHNICIAN, "technician-onboarding", 1, Ownership.BRAND, None),
)  # fmt: skip

# Tier-3 partner outlets whose first technician also serves at the front desk.
DOUBLE_ROLE_OUTLETS = ("HY-001", "YY-001", "GNZ-001", "MY-001")
SNAPSHOT_MONTHS = 6


@dataclasses.dataclass
class ComplianceSeedResult:
    areas_created: int = 0
    requirements_created: int = 0
    headcount_rules_created: int = 0
    additional_roles_created: int = 0
    showcase_outlet: str = ""
    certificates_issued: int = 0
    snapshots_written: int = 0
    months: list[datetime.date] = dataclasses.field(default_factory=list)


def seed_compliance(*, today: datetime.date | None = None) -> ComplianceSeedResult:
    """Write the demo compliance rules, second roles and monthly snapshots that are missing."""
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoDataRefused(
            "Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is False); "
            "nothing was written."
        )
    today = today or timezone.localdate()
    result = ComplianceSeedResult()
    with transaction.atomic():
        tracks = {t.slug: t for t in TrackPage.objects.filter(slug__in=_track_slugs())}
        missing = sorted(_track_slugs() - set(tracks))
        if missing:
            raise DemoDataRefused(
                f"The demo tracks {', '.join(missing)} are missing; run the catalog seed first."
            )
        areas = {}
        for code, name, name_en, order in SERVICE_AREAS:
            areas[code], created = ServiceArea.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
            )
            result.areas_created += created
        for role, slug, ownership, tier in REQUIREMENTS:
            _rule, created = TrackRequirement.objects.get_or_create(
                role=role, track=tracks[slug], ownership=ownership, city_tier=tier
            )
            result.requirements_created += created
        for area, role, slug, minimum, ownership, tier in HEADCOUNT_RULES:
            _rule, created = HeadcountRule.objects.get_or_create(
                service_area=areas[area],
                role=role,
                track=tracks[slug],
                ownership=ownership,
                city_tier=tier,
                defaults={"minimum": minimum},
            )
            result.headcount_rules_created += created
        result.additional_roles_created = _double_roles()
        # What the requirements ask of people is training: whoever must hold a certificate is
        # enrolled in its track, as a requirement created in the admin enrols them.
        enrollment_sync(track_ids=sorted({tracks[slug].pk for _r, slug, _o, _t in REQUIREMENTS}))
        _showcase(today, result)
        result.snapshots_written, result.months = _snapshots(today)
    return result


def _track_slugs() -> set[str]:
    return {r[1] for r in REQUIREMENTS} | {r[2] for r in HEADCOUNT_RULES}


def _double_roles() -> int:
    created = 0
    outlets = Outlet.objects.filter(code__in=DOUBLE_ROLE_OUTLETS, city_tier=CityTier.TIER_3)
    for outlet in outlets:
        technician = (
            Staff.objects.filter(outlet=outlet, role=Role.TECHNICIAN, is_active=True)
            # The demo sign-ins stay what the README says they are.
            .exclude(user__username__in=SIGN_INS)
            .order_by("employee_number")
            .first()
        )
        if technician is None:
            continue
        if AdditionalRole.objects.filter(staff=technician, role=Role.FRONT_DESK).exists():
            continue
        # Through the service: the second role enrols them in the front desk track.
        staff_additional_role_add(staff=technician, role=Role.FRONT_DESK)
        created += 1
    return created


def _showcase(today: datetime.date, result: ComplianceSeedResult) -> None:
    """
    Certify the network the way a roll-out goes: the showcase centre and about one in four of
    the other outlets fully (everybody holds what their roles require), the others partly (about
    three in five requirements), each certificate dated somewhere in the last seven months, so
    the monthly history climbs as it would have. The demo sign-ins keep their own stories, and an
    outlet holding one of the certificate demo's expired, suspended or revoked certificates
    cannot be fully compliant. The history is written in bulk (demo_rollout); each certificate is
    issued through the one issuing path.
    """
    blocked = set(
        Certificate.objects.exclude(
            status__in=[Certificate.Status.VALID, Certificate.Status.SUPERSEDED]
        ).values_list("holder__outlet_id", flat=True)
    )
    candidates = (
        Outlet.objects.filter(ownership=Ownership.BRAND, is_active=True)
        .annotate(
            people=Count("staff", filter=Q(staff__is_active=True)),
            front_desk=Count("staff", filter=Q(staff__is_active=True, staff__role="front_desk")),
            technicians=Count("staff", filter=Q(staff__is_active=True, staff__role="technician")),
            seniors=Count(
                "staff", filter=Q(staff__is_active=True, staff__role="senior_technician")
            ),
        )
        .filter(front_desk__gte=2, technicians__gte=2, seniors__gte=1)
        .exclude(pk__in=blocked)
        .order_by("people", "code")
    )
    showcase = candidates.first()
    if showcase is None:
        return
    result.showcase_outlet = showcase.code
    outlets = list(Outlet.objects.filter(is_active=True).order_by("code"))
    others = [o for o in outlets if o.pk != showcase.pk and o.pk not in blocked]
    fully = {showcase.pk, *(o.pk for o in others[::4])}
    people = people_compute(outlets=Outlet.objects.filter(is_active=True), today=today)
    staff = Staff.objects.select_related("user", "outlet").in_bulk([p.staff_id for p in people])
    tracks = TrackPage.objects.in_bulk({r.track_id for p in people for r in p.requirements})
    plan = []
    for index, person in enumerate(people):
        member = staff[person.staff_id]
        if member.user.username in SIGN_INS:
            continue
        for number, requirement in enumerate(person.requirements):
            if requirement.state not in ("missing", "in_progress", "overdue"):
                continue  # held already, or one of the certificate demo's stories
            if person.outlet_id not in fully and (index + number) % 5 >= 3:
                continue
            track = tracks[requirement.track_id]
            plan.append((member, track, today - datetime.timedelta(days=_days_ago(member, track))))
    result.certificates_issued = rollout_certify(plan)


def _days_ago(person: Staff, track: TrackPage) -> int:
    """A day in the last seven months for one certificate, the same on every run."""
    return 10 + zlib.crc32(f"{person.employee_number}/{track.slug}".encode()) % 200


def _snapshots(today: datetime.date) -> tuple[int, list[datetime.date]]:
    """
    The last six months' snapshots, each as of that month's last day. A live system records
    each month as it ends; the demo has no past, so its history is computed from today's
    records (certificates, people and rules as they are now), differing month to month only by
    what had expired by then. A month already recorded is kept, so a second run writes nothing.
    """
    written = 0
    months = []
    period = month_start(today)
    for _ in range(SNAPSHOT_MONTHS):
        period = previous_month(period)
        months.append(period)
    months.reverse()
    recorded = set(
        ComplianceSnapshot.objects.filter(period__in=months)
        .values_list("period", flat=True)
        .distinct()
    )
    for period in months:
        if period in recorded:
            continue
        next_month = (period + datetime.timedelta(days=32)).replace(day=1)
        written += compliance_snapshots_take(
            period=period, as_of=next_month - datetime.timedelta(days=1)
        )
    return written, months

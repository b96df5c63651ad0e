"""
The one place where compliance is computed, as a few set-based SQL statements over the whole scope
at once, never a query per person or per outlet.

Who counts: every active person at an active outlet whose main role is an outlet role (front
desk, technician, senior technician, outlet manager); trainers, auditors and partner
administrators never count, even with an outlet on their record. A person with an additional role
must hold what both roles require, but a track two roles require is one requirement, and the
person is one person in every headcount. A person counts where they work today: a person who moved
keeps the certificates earned at the old outlet, and only the new outlet counts them.

The state of one requirement (a person and a required track) comes from the person's newest
certificate of the track issued by the day asked about (the highest cycle, so a renewal or
correction replaces what it superseded), judged by its own status and by the date, so a
certificate whose last day has passed is expired even before the daily job marks it. Asked about
a past day (a monthly snapshot), a certificate issued later does not count yet, and one suspended
or revoked later, or superseded later, counts as it stood that day. A valid certificate whose
holder must read a changed policy (a pending policy update) is "policy update due", which
counts as met until the update's due date and as suspended after it, as the daily job makes
it. Without any certificate, an active enrolment in the track is "in progress", and
"overdue" once its onboarding deadline has passed.

The statement joins people to requirements on role, ownership and city tier, which are not
foreign keys; the ORM cannot express that join, so the SQL is written here, once, with table
names taken from the models.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, PolicyUpdate
from courses.models import Enrollment
from network.models import OUTLET_ROLES, AdditionalRole, Outlet, PartnerCompany, Staff

from .models import HeadcountRule, ServiceArea, TrackRequirement


class State(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING_30 = "expiring_30", _("Expires within 30 days")
    EXPIRING_60 = "expiring_60", _("Expires within 60 days")
    EXPIRING_90 = "expiring_90", _("Expires within 90 days")
    POLICY_UPDATE_DUE = "policy_update_due", _("Policy update due")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    MISSING = "missing", _("Missing")
    IN_PROGRESS = "in_progress", _("In progress")
    OVERDUE = "overdue", _("Onboarding overdue")


# A requirement is met while the certificate is valid, however soon it expires, and while its
# holder still has time to read a changed policy (after that the certificate is suspended).
MET_STATES = (
    State.VALID,
    State.EXPIRING_30,
    State.EXPIRING_60,
    State.EXPIRING_90,
    State.POLICY_UPDATE_DUE,
)
# Gaps make an outlet non-compliant; a person still within their onboarding deadline does not.
GAP_STATES = (State.EXPIRED, State.REVOKED, State.SUSPENDED, State.MISSING, State.OVERDUE)
STATE_ORDER = [s.value for s in State]


@dataclasses.dataclass(frozen=True)
class HeadcountResult:
    rule_id: int
    service_area_id: int
    role: str
    track_id: int
    minimum: int
    certified: int

    @property
    def met(self) -> bool:
        return self.certified >= self.minimum


@dataclasses.dataclass
class OutletCompliance:
    """One outlet's figures: its people, its requirements by state, its headcount rules."""

    outlet_id: int
    code: str
    name: str
    name_en: str
    province: str
    city: str
    city_tier: int
    ownership: str
    partner_company_id: int | None
    partner_company_name: str
    people: int = 0
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    headcounts: list[HeadcountResult] = dataclasses.field(default_factory=list)

    @property
    def requirements(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return sum(self.counts.get(s, 0) for s in MET_STATES)

    @property
    def gaps(self) -> int:
        return sum(self.counts.get(s, 0) for s in GAP_STATES)

    @property
    def expiring(self) -> int:
        return sum(
            self.counts.get(s, 0) for s in (State.EXPIRING_30, State.EXPIRING_60, State.EXPIRING_90)
        )

    @property
    def policy_updates_due(self) -> int:
        """Requirements met by a certificate whose holder must still read a changed policy."""
        return self.counts.get(State.POLICY_UPDATE_DUE, 0)

    @property
    def share(self) -> float | None:
        """The share of requirements met, 0 to 1; None for an outlet with nothing required."""
        return self.met / self.requirements if self.requirements else None

    @property
    def headcount_rules_met(self) -> int:
        return sum(1 for h in self.headcounts if h.met)

    @property
    def compliant(self) -> bool:
        return self.gaps == 0 and all(h.met for h in self.headcounts)

    def service_areas(self) -> dict[int, bool]:
        """Return each service area with a rule for this outlet, and whether its rules are met."""
        areas: dict[int, bool] = {}
        for h in self.headcounts:
            areas[h.service_area_id] = areas.get(h.service_area_id, True) and h.met
        return areas

    def as_dict(self) -> dict:
        return {
            "people": self.people,
            "counts": {s: self.counts.get(s, 0) for s in STATE_ORDER},
            "headcounts": [dataclasses.asdict(h) for h in self.headcounts],
        }


@dataclasses.dataclass(frozen=True)
class Requirement:
    """One person's one required track, and how it stands."""

    track_id: int
    state: str
    certificate_id: int | None
    expires_on: datetime.date | None
    due_on: datetime.date | None


@dataclasses.dataclass
class PersonCompliance:
    staff_id: int
    outlet_id: int
    name: str
    employee_number: str
    roles: list[str]
    requirements: list[Requirement]

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.requirements if r.state in GAP_STATES)

    @property
    def met(self) -> int:
        return sum(1 for r in self.requirements if r.state in MET_STATES)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


def _end_of(day: datetime.date):
    """The first moment after `day` in the site's time zone, as a query parameter."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return connection.ops.adapt_datetimefield_value(moment + datetime.timedelta(days=1))


def _scope_sql(outlets: models.QuerySet) -> tuple[str, list]:
    sql, params = outlets.values("pk").query.sql_with_params()
    return sql, list(params)


def _common_sql(outlets: models.QuerySet, today: datetime.date) -> tuple[str, list]:
    """
    The WITH clause every statement starts from: `scope` (the active outlets asked about),
    `roles` (each counted person once per role they serve in) and `states` (each person's
    required tracks with their state).
    """
    scope_sql, scope_params = _scope_sql(outlets)
    outlet_roles = ", ".join(["%s"] * len(OUTLET_ROLES))
    role_values = [r.value for r in OUTLET_ROLES]
    staff, outlet = _table(Staff), _table(Outlet)
    # Only table names and constant column names are interpolated; values are parameters.
    sql = f"""
WITH scope AS (
    SELECT o.id, o.ownership, o.city_tier FROM {outlet} o
    WHERE o.is_active AND o.id IN ({scope_sql})
),
roles AS (
    SELECT s.id AS staff_id, s.outlet_id, s.role FROM {staff} s
    JOIN scope ON scope.id = s.outlet_id
    WHERE s.is_active AND s.role IN ({outlet_roles})
    UNION
    SELECT s.id AS staff_id, s.outlet_id, a.role FROM {_table(AdditionalRole)} a
    JOIN {staff} s ON s.id = a.staff_id
    JOIN scope ON scope.id = s.outlet_id
    WHERE s.is_active AND s.role IN ({outlet_roles})
),
pairs AS (
    SELECT DISTINCT r.staff_id, r.outlet_id, q.track_id FROM roles r
    JOIN scope o ON o.id = r.outlet_id
    JOIN {_table(TrackRequirement)} q ON q.is_active AND q.role = r.role
        AND (q.ownership = '' OR q.ownership = o.ownership)
        AND (q.city_tier IS NULL OR q.city_tier = o.city_tier)
),
newest AS (
    SELECT c.holder_id, c.track_id, MAX(c.cycle) AS cycle FROM {_table(Certificate)} c
    WHERE c.holder_id IN (SELECT staff_id FROM roles) AND c.issued_on <= %s
    GROUP BY c.holder_id, c.track_id
),
states AS (
    SELECT p.staff_id, p.outlet_id, p.track_id, c.id AS certificate_id, c.expires_on,
        e.due_on,
        CASE
            WHEN c.id IS NULL THEN
                CASE WHEN e.id IS NULL THEN 'missing'
                     WHEN e.due_on < %s THEN 'overdue'
                     ELSE 'in_progress' END
            WHEN c.status IN ('suspended', 'revoked')
                AND (c.status_changed_at IS NULL OR c.status_changed_at < %s) THEN c.status
            WHEN c.status = 'expired' OR c.expires_on < %s THEN 'expired'
            WHEN EXISTS (
                SELECT 1 FROM {_table(PolicyUpdate)} pu WHERE pu.certificate_id = c.id
                AND pu.created_at < %s AND (pu.completed_at IS NULL OR pu.completed_at >= %s)
            ) THEN
                CASE WHEN EXISTS (
                    SELECT 1 FROM {_table(PolicyUpdate)} pu WHERE pu.certificate_id = c.id
                    AND pu.created_at < %s AND pu.due_on < %s
                    AND (pu.completed_at IS NULL OR pu.completed_at >= %s)
                ) THEN 'suspended' ELSE 'policy_update_due' END
            WHEN c.expires_on <= %s THEN 'expiring_30'
            WHEN c.expires_on <= %s THEN 'expiring_60'
            WHEN c.expires_on <= %s THEN 'expiring_90'
            ELSE 'valid'
        END AS state
    FROM pairs p
    LEFT JOIN newest w ON w.holder_id = p.staff_id AND w.track_id = p.track_id
    LEFT JOIN {_table(Certificate)} c ON c.holder_id = w.holder_id AND c.track_id = w.track_id
        AND c.cycle = w.cycle
    LEFT JOIN {_table(Enrollment)} e ON e.staff_id = p.staff_id AND e.track_id = p.track_id
        AND e.status = 'active'
)
"""
    params = [
        *scope_params,
        *role_values,
        *role_values,
        _date(today),
        _date(today),
        _end_of(today),
        _date(today),
        _end_of(today),
        _end_of(today),
        _end_of(today),
        _date(today),
        _end_of(today),
        _date(today + datetime.timedelta(days=30)),
        _date(today + datetime.timedelta(days=60)),
        _date(today + datetime.timedelta(days=90)),
    ]
    return sql, params


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def outlets_compute(*, outlets: models.QuerySet, today: datetime.date) -> list[OutletCompliance]:
    """
    Return the compliance of every active outlet in `outlets` on `today`, ordered by code, in
    three queries whatever the number of outlets and people.
    """
    common, params = _common_sql(outlets, today)
    state_sums = ",\n".join(
        f"SUM(CASE WHEN state = '{state}' THEN 1 ELSE 0 END) AS {state}" for state in STATE_ORDER
    )
    state_columns = ", ".join(f"COALESCE(st.{state}, 0)" for state in STATE_ORDER)
    rows = _fetch(
        common
        + f"""
SELECT o.id, o.code, o.name, o.name_en, o.province, o.city, o.city_tier, o.ownership,
    o.partner_company_id, COALESCE(pc.name, ''), COALESCE(pp.people, 0), {state_columns}
FROM scope
JOIN {_table(Outlet)} o ON o.id = scope.id
LEFT JOIN {_table(PartnerCompany)} pc ON pc.id = o.partner_company_id
LEFT JOIN (
    SELECT outlet_id, COUNT(DISTINCT staff_id) AS people FROM roles GROUP BY outlet_id
) pp ON pp.outlet_id = o.id
LEFT JOIN (SELECT outlet_id, {state_sums} FROM states GROUP BY outlet_id) st ON st.outlet_id = o.id
ORDER BY o.code
""",
        params,
    )
    result = {}
    for row in rows:
        counts = {state: int(n) for state, n in zip(STATE_ORDER, row[11:], strict=True) if n}
        result[row[0]] = OutletCompliance(*row[:10], people=int(row[10]), counts=counts)
    if result:
        for headcount_outlet_id, headcount in _headcounts(outlets, today):
            result[headcount_outlet_id].headcounts.append(headcount)
    return list(result.values())


def _headcounts(
    outlets: models.QuerySet, today: datetime.date
) -> Iterable[tuple[int, HeadcountResult]]:
    """Each outlet's applicable headcount rules with the number of certified people for each."""
    common, params = _common_sql(outlets, today)
    rows = _fetch(
        common
        + f""",
certified AS (
    SELECT r.staff_id, r.outlet_id, r.role, c.track_id FROM roles r
    JOIN newest w ON w.holder_id = r.staff_id
    JOIN {_table(Certificate)} c ON c.holder_id = w.holder_id AND c.track_id = w.track_id
        AND c.cycle = w.cycle
    WHERE c.expires_on >= %s AND (
        c.status IN ('valid', 'superseded', 'expired')
        OR (c.status IN ('suspended', 'revoked') AND c.status_changed_at >= %s)
    )
)
SELECT o.id, h.id, h.service_area_id, h.role, h.track_id, h.minimum, COUNT(DISTINCT r.staff_id)
FROM scope o
JOIN {_table(HeadcountRule)} h ON h.is_active
    AND (h.ownership = '' OR h.ownership = o.ownership)
    AND (h.city_tier IS NULL OR h.city_tier = o.city_tier)
JOIN {_table(ServiceArea)} a ON a.id = h.service_area_id AND a.is_active
LEFT JOIN certified r ON r.outlet_id = o.id AND r.role = h.role AND r.track_id = h.track_id
GROUP BY o.id, h.id, h.service_area_id, h.role, h.track_id, h.minimum, a.sort_order
ORDER BY o.id, a.sort_order, h.service_area_id, h.id
""",
        [*params, _date(today), _end_of(today)],
    )
    for outlet_id, rule_id, area_id, role, track_id, minimum, certified in rows:
        yield (
            outlet_id,
            HeadcountResult(
                rule_id=rule_id,
                service_area_id=area_id,
                role=role,
                track_id=track_id,
                minimum=int(minimum),
                certified=int(certified),
            ),
        )


def people_compute(*, outlets: models.QuerySet, today: datetime.date) -> list[PersonCompliance]:
    """
    Return each counted person at the outlets in `outlets` with their roles and the state of each
    requirement, ordered by employee number, in one query.
    """
    common, params = _common_sql(outlets, today)
    user_table = _table(Staff._meta.get_field("user").related_model)
    rows = _fetch(
        common
        + f"""
SELECT s.id, r.outlet_id, s.employee_number, u.first_name, u.last_name, u.username, s.role, r.role,
    st.track_id, st.state, st.certificate_id, st.expires_on, st.due_on
FROM roles r
JOIN {_table(Staff)} s ON s.id = r.staff_id
JOIN {user_table} u ON u.id = s.user_id
LEFT JOIN states st ON st.staff_id = r.staff_id AND r.role = s.role
ORDER BY s.employee_number, r.role, st.track_id
""",
        params,
    )
    people: dict[int, PersonCompliance] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    for (
        staff_id,
        outlet_id,
        employee_number,
        first_name,
        last_name,
        username,
        main_role,
        role,
        track_id,
        state,
        certificate_id,
        expires_on,
        due_on,
    ) in rows:
        person = people.get(staff_id)
        if person is None:
            name = f"{first_name} {last_name}".strip() or username
            person = people[staff_id] = PersonCompliance(
                staff_id=staff_id,
                outlet_id=outlet_id,
                name=name,
                employee_number=employee_number,
                roles=[main_role],
                requirements=[],
            )
        roles[staff_id].add(role)
        if track_id is not None:
            person.requirements.append(
                Requirement(
                    track_id=track_id,
                    state=state,
                    certificate_id=certificate_id,
                    expires_on=_as_date(expires_on),
                    due_on=_as_date(due_on),
                )
            )
    role_order = [r.value for r in OUTLET_ROLES]
    for staff_id, person in people.items():
        main = person.roles[0]
        person.roles = sorted(
            roles[staff_id], key=lambda r, main=main: (r != main, role_order.index(r))
        )
    return list(people.values())


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])

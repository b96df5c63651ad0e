"""
The compliance benchmark: the whole network's compliance overview and its exports, beside one
raw SQL GROUP BY that gives the same per-outlet numbers (the floor) and, for contrast, the
per-outlet, per-person loop an ORM-first implementation would write.

    .venv/bin/python -m bench.compliance                # a throwaway SQLite database
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench \
        .venv/bin/python -m bench.compliance

The PostgreSQL database is emptied and reused; never point it at real data. Sizes:
BENCH_COMPLIANCE_OUTLETS (3,000), BENCH_COMPLIANCE_STAFF (24,000), BENCH_NAIVE_SAMPLE (100).
"""

import datetime
import logging
import os
import random
import time

from bench.__main__ import ROUNDS, _setup, _time

OUTLETS = int(os.environ.get("BENCH_COMPLIANCE_OUTLETS", "3000"))
STAFF = int(os.environ.get("BENCH_COMPLIANCE_STAFF", "24000"))
NAIVE_SAMPLE = int(os.environ.get("BENCH_NAIVE_SAMPLE", "100"))
# Without planner statistics SQLite may probe certificates through the wrong index and take
# minutes at full size; measure that only on request.
BEFORE_ANALYZE = os.environ.get("BENCH_BEFORE_ANALYZE") == "1"
# Aims from the compliance issue.
AIM_FLOOR_RATIO = 1.5
AIM_QUERIES = 3

ROLES = ["front_desk"] * 3 + ["technician"] * 4 + ["senior_technician", "outlet_manager"]
# (role, track key, ownership, city tier) of every requirement.
REQUIREMENTS = [
    ("front_desk", "norms", "", None),
    ("front_desk", "front", "", None),
    ("technician", "norms", "", None),
    ("technician", "tech", "", None),
    ("technician", "partner", "partner", None),
    ("senior_technician", "norms", "", None),
    ("senior_technician", "tech", "", None),
    ("senior_technician", "senior", "", None),
    ("outlet_manager", "norms", "", None),
    ("outlet_manager", "manager", "", None),
    # Small-town partner front desks often take devices in: they need the technician basics.
    ("front_desk", "tech", "partner", 3),
]
# (area, role, track key, minimum, ownership, city tier) of every headcount rule.
HEADCOUNTS = [
    ("counter", "front_desk", "front", 2, "", None),
    ("phone", "technician", "tech", 2, "", None),
    ("phone", "senior_technician", "senior", 1, "", None),
    ("laptop", "senior_technician", "senior", 1, "", 1),
]


def _build(today: datetime.date):
    """Write the network, catalog, rules, certificates and enrolments with bulk inserts."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from certificates.models import Certificate
    from compliance.models import HeadcountRule, ServiceArea, TrackRequirement
    from courses.models import Enrollment, TrackPage
    from network.models import AdditionalRole, Outlet, PartnerCompany, Staff

    rng = random.Random(2026)
    home = _home()
    tracks = {}
    for key in ("norms", "front", "tech", "partner", "senior", "manager"):
        # No targets: nobody is enrolled by rule, so the enrolments are the bench's own.
        track = TrackPage(title=f"认证 {key}", title_en=key, slug=f"bench-{key}")
        home.add_child(instance=track)
        tracks[key] = track

    User = get_user_model()
    UNUSABLE_PASSWORD = "!"  # noqa: S105 - nobody signs in as a bench person
    with transaction.atomic():
        companies = PartnerCompany.objects.bulk_create(
            [PartnerCompany(code=f"P{i:03d}", name=f"服务商{i}") for i in range(40)]
        )
        outlets = []
        for i in range(OUTLETS):
            tier = rng.choice([1, 2, 2, 3, 3, 3])
            partner = tier > 1 and rng.random() < 0.85
            outlets.append(
                Outlet(
                    code=f"B{i:05d}",
                    name=f"网点{i}",
                    name_en=f"Outlet {i}",
                    province=f"省{i % 31}",
                    city=f"市{i % 300}",
                    city_tier=tier,
                    ownership="partner" if partner else "brand",
                    partner_company=rng.choice(companies) if partner else None,
                    is_active=i % 200 != 7,
                )
            )
        outlets = Outlet.objects.bulk_create(outlets, batch_size=1000)
        users = User.objects.bulk_create(
            [User(username=f"bench{i}", password=UNUSABLE_PASSWORD) for i in range(STAFF + 1)],
            batch_size=2000,
        )
        staff = Staff.objects.bulk_create(
            [
                Staff(
                    user=users[i],
                    employee_number=f"E{i:07d}",
                    role=rng.choice(ROLES),
                    outlet=outlets[i % OUTLETS],
                    hire_date=datetime.date(2024, 3, 1),
                    is_active=rng.random() > 0.03,
                )
                for i in range(STAFF)
            ],
            batch_size=2000,
        )
        auditor = Staff.objects.create(
            user=users[STAFF],
            employee_number="AUDIT1",
            role="auditor",
            hire_date=datetime.date(2020, 1, 1),
        )
        AdditionalRole.objects.bulk_create(
            [
                AdditionalRole(staff=s, role="front_desk")
                for s in staff
                if s.role == "technician" and s.outlet.city_tier == 3 and rng.random() < 0.2
            ],
            batch_size=2000,
        )
        for role, key, ownership, tier in REQUIREMENTS:
            TrackRequirement.objects.create(
                role=role, track=tracks[key], ownership=ownership, city_tier=tier
            )
        areas = {
            code: ServiceArea.objects.create(code=code, name=name, sort_order=n)
            for n, (code, name) in enumerate(
                [("counter", "前台受理"), ("phone", "手机维修"), ("laptop", "笔记本维修")]
            )
        }
        for area, role, key, minimum, ownership, tier in HEADCOUNTS:
            HeadcountRule.objects.create(
                service_area=areas[area],
                role=role,
                track=tracks[key],
                minimum=minimum,
                ownership=ownership,
                city_tier=tier,
            )
        certificates, enrollments = _certificates(rng, staff, tracks, today)
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    return auditor.user, len(certificates), len(enrollments)


def _home():
    """
    Return the training home page. A reused PostgreSQL database was flushed, which removes the
    page tree that migrations wrote once, so it is planted again.
    """
    from django.conf import settings
    from wagtail.models import Locale, Page

    from courses.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        home = root.add_child(instance=HomePage(title="培训首页", slug="home"))
    return home


def _certificates(rng, staff, tracks, today):
    """Each person's required tracks in every state compliance tells apart."""
    from certificates.models import Certificate
    from courses.models import Enrollment

    roles_tracks = {}
    for role, key, ownership, tier in REQUIREMENTS:
        roles_tracks.setdefault(role, []).append((key, ownership, tier))
    certificates, enrollments = [], []
    day = datetime.timedelta(days=1)

    def certificate(person, track, *, cycle=1, status="valid", expires_on):
        n = len(certificates)
        certificates.append(
            Certificate(
                serial=f"SC-B-{n:07d}",
                code=f"bench{n:012d}",
                holder=person,
                holder_name=f"员工{person.pk}",
                employee_number=person.employee_number,
                outlet_code=person.outlet.code,
                track=track,
                track_title=track.title,
                cycle=cycle,
                issued_on=min(expires_on, today) - 700 * day,
                expires_on=expires_on,
                status=status,
            )
        )

    for person in staff:
        outlet = person.outlet
        keys = {
            key
            for key, ownership, tier in roles_tracks[person.role]
            if (not ownership or ownership == outlet.ownership)
            and (tier is None or tier == outlet.city_tier)
        }
        for key in sorted(keys):
            track = tracks[key]
            roll = rng.random()
            if roll < 0.62:
                certificate(person, track, expires_on=today + rng.randrange(91, 700) * day)
            elif roll < 0.72:
                certificate(person, track, expires_on=today + rng.randrange(0, 91) * day)
            elif roll < 0.76:
                # A renewal: the superseded first cycle must not count.
                certificate(person, track, status="superseded", expires_on=today - 30 * day)
                certificate(person, track, cycle=2, expires_on=today + 600 * day)
            elif roll < 0.81:
                certificate(person, track, status="expired", expires_on=today - 20 * day)
            elif roll < 0.83:
                # Past its last day, the daily job not yet run.
                certificate(person, track, expires_on=today - day)
            elif roll < 0.85:
                certificate(person, track, status="suspended", expires_on=today + 300 * day)
            elif roll < 0.86:
                certificate(person, track, status="revoked", expires_on=today + 300 * day)
            elif roll < 0.95:
                due = today + rng.randrange(-20, 30) * day
                enrollments.append(
                    Enrollment(
                        staff=person,
                        track=track,
                        source=Enrollment.Source.RULE,
                        starts_on=due - 30 * day,
                        due_on=due,
                    )
                )
            # else: nothing at all, a missing certificate
    return certificates, enrollments


def _floor_sql(today: datetime.date) -> tuple[str, list]:
    """
    One GROUP BY for every active outlet's people, requirements and requirements met, written
    here apart from compliance/computation.py so that each checks the other.
    """
    from django.db import connection

    from certificates.models import Certificate
    from compliance.models import TrackRequirement
    from network.models import OUTLET_ROLES, AdditionalRole, Outlet, Staff

    def t(model):
        return connection.ops.quote_name(model._meta.db_table)

    roles = ", ".join(f"'{r.value}'" for r in OUTLET_ROLES)
    sql = f"""
WITH serving AS (
    SELECT s.id AS sid, s.outlet_id AS oid, s.role FROM {t(Staff)} s
    WHERE s.is_active AND s.role IN ({roles})
    UNION
    SELECT s.id, s.outlet_id, a.role FROM {t(AdditionalRole)} a
    JOIN {t(Staff)} s ON s.id = a.staff_id
    WHERE s.is_active AND s.role IN ({roles})
),
needed AS (
    SELECT DISTINCT v.sid, v.oid, q.track_id FROM serving v
    JOIN {t(Outlet)} o ON o.id = v.oid
    JOIN {t(TrackRequirement)} q ON q.is_active AND q.role = v.role
        AND q.ownership IN ('', o.ownership) AND COALESCE(q.city_tier, o.city_tier) = o.city_tier
),
newest AS (
    SELECT holder_id, track_id, MAX(cycle) AS cycle FROM {t(Certificate)}
    GROUP BY holder_id, track_id
)
SELECT o.id, COALESCE(pp.people, 0), COALESCE(rq.required, 0), COALESCE(rq.met, 0)
FROM {t(Outlet)} o
LEFT JOIN (SELECT oid, COUNT(DISTINCT sid) AS people FROM serving GROUP BY oid) pp
    ON pp.oid = o.id
LEFT JOIN (
    SELECT n.oid, COUNT(*) AS required,
        SUM(CASE WHEN c.status = 'valid' AND c.expires_on >= %s THEN 1 ELSE 0 END) AS met
    FROM needed n
    LEFT JOIN newest w ON w.holder_id = n.sid AND w.track_id = n.track_id
    LEFT JOIN {t(Certificate)} c ON c.holder_id = n.sid AND c.track_id = n.track_id
        AND c.cycle = w.cycle
    GROUP BY n.oid
) rq ON rq.oid = o.id
WHERE o.is_active
ORDER BY o.code
"""
    return sql, [connection.ops.adapt_datefield_value(today)]


def _floor(today):
    from django.db import connection

    sql, params = _floor_sql(today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(int(v) for v in row) for row in cursor.fetchall()]


def _naive(outlet_ids, today):
    """
    The loop an ORM-first report writes: per outlet its people, per person their roles and
    requirements, per requirement the newest certificate. Returns the same tuples as the floor.
    """
    from certificates.models import Certificate
    from compliance.models import TrackRequirement
    from network.models import OUTLET_ROLES, Outlet

    outlet_roles = [r.value for r in OUTLET_ROLES]
    rows = []
    for outlet in Outlet.objects.filter(pk__in=outlet_ids).order_by("code"):
        people = required = met = 0
        for person in outlet.staff.filter(is_active=True, role__in=outlet_roles):
            people += 1
            roles = {person.role, *person.additional_roles.values_list("role", flat=True)}
            tracks = {
                q.track_id
                for q in TrackRequirement.objects.filter(is_active=True, role__in=roles)
                if q.applies_to(outlet)
            }
            for track_id in tracks:
                required += 1
                newest = (
                    Certificate.objects.filter(holder=person, track_id=track_id)
                    .order_by("-cycle")
                    .first()
                )
                met += bool(newest and newest.status == "valid" and newest.expires_on >= today)
        rows.append((outlet.pk, people, required, met))
    return rows


def main():
    vendor = _setup()
    for name in ("wagtail", "django_tasks"):
        # One INFO line per page and index task; the summary says what was built.
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from compliance.selectors import compliance_overview

    today = timezone.localdate()
    started = time.perf_counter()
    auditor, certificates, enrollments = _build(today)
    built = time.perf_counter() - started
    results = []

    # Each round a fresh user object: the scope rules cache the viewer on it.
    def overview():
        user = get_user_model().objects.get(pk=auditor.pk)
        return compliance_overview(user=user, today=today)

    unanalysed = None
    if BEFORE_ANALYZE:
        start = time.perf_counter()
        compliance_overview(user=auditor, today=today)
        unanalysed = time.perf_counter() - start
    # A bulk load leaves the planner without statistics until autovacuum (PostgreSQL) or an
    # explicit ANALYZE (SQLite, which never gathers them itself); the timings below are of a
    # database with statistics, as a live one has. BENCH_BEFORE_ANALYZE=1 shows the difference.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fresh = get_user_model().objects.get(pk=auditor.pk)
    with CaptureQueriesContext(connection) as captured:
        compliance_overview(user=fresh, today=today)
    overview_seconds, result = _time(overview)
    floor_seconds, floor_rows = _time(lambda: _floor(today))
    mine = [(o.outlet_id, o.people, o.requirements, o.met) for o in result.outlets]
    assert mine == floor_rows, next(
        (a, b) for a, b in zip(mine, floor_rows, strict=False) if a != b
    )
    if unanalysed is not None:
        results.append(
            (f"overview of {len(mine):,} outlets before ANALYZE, 1 run", unanalysed, None)
        )
    results.append(
        (f"overview of {len(mine):,} outlets (auditor)", overview_seconds, floor_seconds)
    )

    try:
        from compliance.exports import overview_csv, overview_xlsx
    except ImportError:
        exports = []
    else:
        exports = [("CSV", overview_csv), ("XLSX", overview_xlsx)]
    for name, export in exports:
        seconds, content = _time(lambda export=export: export(result))
        results.append((f"{name} export of the overview ({len(content):,} bytes)", seconds, None))
        both, _ = _time(lambda export=export: export(overview()))
        results.append((f"overview + {name} export", both, None))

    sample = [o.outlet_id for o in result.outlets[:: max(1, len(result.outlets) // NAIVE_SAMPLE)]]
    sample = sample[:NAIVE_SAMPLE]
    with CaptureQueriesContext(connection) as naive_captured:
        start = time.perf_counter()
        naive_rows = _naive(sample, today)
        naive_seconds = time.perf_counter() - start
    assert naive_rows == [r for r in floor_rows if r[0] in set(sample)]
    scale = len(mine) / len(sample)
    results.append(
        (
            f"N+1 loop on {len(sample)} outlets ({len(naive_captured)} queries), x{scale:.0f}",
            naive_seconds * scale,
            None,
        )
    )

    print(
        f"\ncompliance bench on {vendor}: {OUTLETS:,} outlets, {STAFF:,} staff, "
        f"{certificates:,} certificates, {enrollments:,} enrolments (built in {built:.1f} s); "
        f"median of {ROUNDS}\n"
    )
    print(f"{'operation':<62} {'seconds':>8}   floor")
    for name, seconds, floor_value in results:
        extra = f"   raw SQL GROUP BY: {floor_value:.3f} s" if floor_value is not None else ""
        print(f"{name:<62} {seconds:>8.3f}{extra}")
    ratio = overview_seconds / floor_seconds
    print(
        f"\noverview / raw SQL: {ratio:.2f}x (aim at most {AIM_FLOOR_RATIO}x); "
        f"overview queries: {len(captured)} (aim at most {AIM_QUERIES}); "
        f"same per-outlet people, requirements and met as the raw SQL: yes"
    )
    if not exports:
        print("compliance.exports.overview_csv / overview_xlsx not found: exports not timed")


if __name__ == "__main__":
    main()

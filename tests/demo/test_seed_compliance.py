import pytest
from django.db.models import Max

from certificates.models import Certificate
from compliance.models import ComplianceSnapshot, HeadcountRule, ServiceArea, TrackRequirement
from compliance.selectors import compliance_overview, compliance_trend
from demo.demo_compliance import DOUBLE_ROLE_OUTLETS, HEADCOUNT_RULES, REQUIREMENTS, SERVICE_AREAS
from network.models import AdditionalRole, Outlet, Staff
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db


def _auditor():
    return Staff.objects.filter(role="auditor").first().user


def _state():
    return {
        "areas": list(ServiceArea.objects.values_list("code", "name", "name_en", "sort_order")),
        "requirements": list(
            TrackRequirement.objects.values_list("role", "track__slug", "ownership", "city_tier")
        ),
        "rules": list(HeadcountRule.objects.values_list("pk", "minimum", "updated_at")),
        "additional_roles": list(AdditionalRole.objects.values_list("staff_id", "role")),
        "snapshots": ComplianceSnapshot.objects.count(),
        "snapshots_taken": ComplianceSnapshot.objects.aggregate(m=Max("taken_at"))["m"],
        "certificates": Certificate.objects.count(),
    }


def test_seed_writes_every_area_requirement_and_rule(seeded):
    assert [(c, n, e, o) for c, n, e, o in SERVICE_AREAS] == _state()["areas"]
    assert {
        (str(role), slug, str(ownership), tier) for role, slug, ownership, tier in REQUIREMENTS
    } == set(_state()["requirements"])
    assert set(
        HeadcountRule.objects.values_list(
            "service_area__code", "role", "track__slug", "minimum", "ownership", "city_tier"
        )
    ) == {(a, str(r), s, m, str(o), t) for a, r, s, m, o, t in HEADCOUNT_RULES}
    assert "Compliance: 3 service areas, 6 required certificates, 5 headcount rules" in seeded


def test_technicians_at_small_outlets_also_serve_at_the_front_desk(seeded):
    doubles = Staff.objects.filter(additional_roles__role="front_desk")

    assert sorted(doubles.values_list("outlet__code", flat=True)) == sorted(DOUBLE_ROLE_OUTLETS)
    assert set(doubles.values_list("role", flat=True)) == {"technician"}
    assert set(doubles.values_list("outlet__city_tier", flat=True)) == {3}


def test_seeded_network_has_compliant_and_non_compliant_outlets(seeded):
    auditor = Staff.objects.filter(role="auditor").first().user

    overview = compliance_overview(user=auditor)
    compliant = [o.code for o in overview.outlets if o.compliant]

    # A roll-out under way: about a third of the outlets compliant, most requirements met.
    assert len(overview.outlets) == 28
    assert len(compliant) == 11
    showcase = seeded.split("compliant showcase centre ")[1].split()[0]
    assert showcase in compliant
    assert Outlet.objects.get(code=showcase).ownership == "brand"
    met = sum(o.met for o in overview.outlets)
    requirements = sum(o.requirements for o in overview.outlets)
    # 253 certified, less the one the policy demo's missed update suspended (demo_policy_changes).
    assert (met, requirements) == (252, 369)


def test_showcase_centre_is_certified_for_every_area_on_its_public_page(seeded, client):
    code = next(o.code for o in compliance_overview(user=_auditor()).outlets if o.compliant)

    body = client.get(f"/api/v1/outlets/{code}/status").json()

    assert [(a["code"], a["certified"]) for a in body["service_areas"]] == [
        ("counter", True),
        ("phone-repair", True),
        ("laptop-repair", True),
    ]


def test_trend_has_six_months_of_history(seeded):
    trend = compliance_trend(user=_auditor(), months=12)

    assert len(trend) == 6
    assert {p.outlets for p in trend} == {28}
    # People were certified month after month: the history climbs.
    compliant = [p.compliant_outlets for p in trend]
    assert compliant == sorted(compliant) and compliant[0] < compliant[-1]
    met = [p.met for p in trend]
    assert met == sorted(met) and met[0] * 2 < met[-1]


def test_second_seed_changes_nothing(seeded):
    before = _state()

    output = seed()

    assert _state() == before
    assert (
        "Compliance: 0 service areas, 0 required certificates, 0 headcount rules and "
        "0 second roles created; 0 snapshots of 6 months written" in output
    )
    assert "(0 certificates issued now)" in output

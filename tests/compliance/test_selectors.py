import pytest

from compliance.selectors import (
    Filters,
    ReportNotFound,
    compliance_overview,
    outlet_public_status,
    outlet_report,
)
from network.models import AdditionalRole
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory


@pytest.fixture
def auditor_user(known_network):
    return StaffFactory(role="auditor", outlet=None).user


def test_auditor_sees_every_outlet_with_totals_counting_each_person_once(auditor_user):
    overview = compliance_overview(user=auditor_user, today=TODAY)

    assert [o.code for o in overview.outlets] == ["A", "B", "C"]
    total = overview.total
    assert (total.outlets, total.compliant_outlets, total.people) == (3, 1, 10)
    assert (total.requirements, total.met, total.gaps) == (20, 14, 5)


def test_rollups_by_partner_company_and_tier(auditor_user, known_network):
    overview = compliance_overview(user=auditor_user, today=TODAY)

    by_company = {
        r.label: (r.outlets, r.people, r.met, r.requirements)
        for r in overview.rollups["partner_company"]
    }
    assert by_company == {"湘江服务有限公司": (1, 3, 2, 6), "Brand-owned": (2, 7, 12, 14)}
    by_tier = {r.key: (r.outlets, r.compliant_outlets) for r in overview.rollups["city_tier"]}
    assert by_tier == {1: (2, 1), 3: (1, 0)}


def test_manager_sees_only_their_outlet(known_network):
    manager = known_network["staff"]["a3"]

    overview = compliance_overview(user=manager.user, today=TODAY)

    assert [o.code for o in overview.outlets] == ["A"]
    with pytest.raises(ReportNotFound):
        outlet_report(user=manager.user, code="B", today=TODAY)


def test_partner_administrator_sees_only_their_company(known_network):
    admin = StaffFactory(
        role="partner_admin", outlet=None, partner_company=known_network["company"]
    )

    overview = compliance_overview(user=admin.user, today=TODAY)

    assert [o.code for o in overview.outlets] == ["B"]
    with pytest.raises(ReportNotFound):
        outlet_report(user=admin.user, code="A", today=TODAY)


def test_filters_and_sorting(auditor_user):
    non_compliant = compliance_overview(
        user=auditor_user, filters=Filters(verdict="non_compliant", sort="-gaps"), today=TODAY
    )
    tier_one = compliance_overview(user=auditor_user, filters=Filters(city_tier=1), today=TODAY)

    assert [o.code for o in non_compliant.outlets] == ["B", "A"]
    assert [o.code for o in tier_one.outlets] == ["A", "C"]


def test_outlet_report_lists_each_person_and_requirement(auditor_user, known_network):
    report = outlet_report(user=auditor_user, code="A", today=TODAY)

    assert [p.employee_number for p in report.people] == ["A1", "A2", "A3"]
    assert sum(len(p.requirements) for p in report.people) == 6
    assert set(report.tracks) == {t.pk for t in known_network["tracks"].values()}


def test_public_status_gives_areas_and_certified_counts_without_names(known_network):
    status_c = outlet_public_status(code="C", today=TODAY)
    status_a = outlet_public_status(code="A", today=TODAY)

    assert [(s.area.code, s.certified) for s in status_c.areas] == [
        ("counter", True),
        ("repair", True),
    ]
    assert status_c.certified_by_role == {
        "front_desk": 2,
        "technician": 1,
        "senior_technician": 1,
        "outlet_manager": 0,
    }
    # a2 is a certified technician but, without the front desk certificate, no front desk.
    assert status_a.certified_by_role["front_desk"] == 1
    assert status_a.certified_by_role["technician"] == 1
    assert [s.certified for s in status_a.areas] == [False, False]


def test_public_status_of_an_unknown_outlet_is_404(known_network):
    with pytest.raises(ReportNotFound):
        outlet_public_status(code="NOPE", today=TODAY)


@pytest.mark.parametrize("extra", [0, 10])
def test_overview_queries_do_not_grow_with_outlets(
    auditor_user, known_network, extra, django_assert_num_queries
):
    for _n in range(extra):
        person = StaffFactory(role="front_desk")  # at an outlet of their own
        AdditionalRole.objects.create(staff=person, role="technician")
    # The viewer's person, the outlets in scope, and the network's computation.
    with django_assert_num_queries(3):
        overview = compliance_overview(user=auditor_user, today=TODAY)
    assert len(overview.outlets) == 3 + extra
    # The viewer's person is read once per request user.
    with django_assert_num_queries(2):
        compliance_overview(user=auditor_user, today=TODAY)

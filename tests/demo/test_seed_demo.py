import random
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import HomePage
from demo.demo_network import DEMO_PASSWORD, DEMO_SEED, network_rows
from network.imports import outlet_rows_check, staff_rows_check
from network.models import (
    CityTier,
    Outlet,
    Ownership,
    PartnerCompany,
    Role,
    Staff,
    StaffAssignment,
)

# One seed for the whole folder (see `seeded`): these tests read what it wrote; each runs in a
# transaction of its own inside the module's, rolled back after it.
from tests.demo.conftest import network_state, seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

User = get_user_model()


def _as_table(rows):
    """Return `rows` as `read_table` would return the file an HR system exports."""
    return [{"_row": r["row"], **{k: v for k, v in r.items() if k != "row"}} for r in rows]


def test_seed_creates_companies_outlets_in_every_tier_and_ownership_and_staff_in_every_role():
    assert PartnerCompany.objects.count() == 4
    assert PartnerCompany.objects.get(code="HNLX").name == "湖南联信通讯服务有限公司"
    assert PartnerCompany.objects.get(code="HNLX").name_en == (
        "Hunan Lianxin Telecom Services Co., Ltd."
    )
    assert Outlet.objects.count() == 28
    assert set(Outlet.objects.values_list("city_tier", flat=True)) == set(CityTier.values)
    assert set(Outlet.objects.values_list("ownership", flat=True)) == set(Ownership.values)
    assert set(
        Outlet.objects.filter(city_tier=CityTier.TIER_1).values_list("ownership", flat=True)
    ) == {Ownership.BRAND}
    assert Staff.objects.count() >= 150
    assert set(Staff.objects.values_list("role", flat=True)) == set(Role.values)
    assert Staff.objects.filter(is_active=False).exists()
    assert StaffAssignment.objects.count() == Staff.objects.count()


def test_every_outlet_has_one_manager_and_its_front_desk_and_technicians():
    for outlet in Outlet.objects.all():
        roles = Counter(outlet.staff.active().values_list("role", flat=True))
        assert roles[Role.OUTLET_MANAGER] == 1, outlet.code
        assert 2 <= roles[Role.FRONT_DESK] <= 4, outlet.code
        assert 3 <= roles[Role.TECHNICIAN] <= 6, outlet.code
        assert 0 <= roles[Role.SENIOR_TECHNICIAN] <= 2, outlet.code
    for company in PartnerCompany.objects.all():
        assert company.administrators.filter(role=Role.PARTNER_ADMIN).count() == 2
    brand_wide = Staff.objects.filter(role__in=[Role.TRAINER, Role.AUDITOR])
    assert brand_wide.filter(outlet__isnull=False).count() == 0


def test_second_seed_writes_nothing():
    before = network_state()

    with CaptureQueriesContext(connection) as queries:
        output = seed()

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert network_state() == before
    assert "0 new, 0 changed, 28 unchanged" in output
    assert "(0 passwords set)" in output


def test_network_rows_are_the_same_for_the_same_seed():
    assert network_rows(random.Random(DEMO_SEED)) == network_rows(random.Random(DEMO_SEED))


def test_demo_rows_pass_the_import_file_checks_unchanged():
    outlet_rows, staff_rows = network_rows(random.Random(DEMO_SEED))
    assert outlet_rows_check(_as_table(outlet_rows)) == (outlet_rows, [])
    assert staff_rows_check(_as_table(staff_rows)) == (staff_rows, [])


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("trainer", Role.TRAINER),
        ("auditor", Role.AUDITOR),
        ("partner", Role.PARTNER_ADMIN),
        ("manager", Role.OUTLET_MANAGER),
        ("frontdesk", Role.FRONT_DESK),
        ("technician", Role.TECHNICIAN),
    ],
)
def test_demo_sign_in_authenticates_with_the_demo_password_in_its_role(username, role):
    user = authenticate(username=username, password=DEMO_PASSWORD)

    assert user is not None
    assert user.staff.role == role
    assert user.staff.is_active is True


def test_admin_signs_in_as_a_superuser():
    admin = authenticate(username="admin", password=DEMO_PASSWORD)

    assert admin is not None
    assert admin.is_superuser is True
    assert admin.is_staff is True


def test_partner_sign_in_administers_the_company_that_runs_the_outlet_sign_ins_outlet():
    people = {
        s.user.username: s
        for s in Staff.objects.select_related("outlet").filter(
            user__username__in=["partner", "manager", "frontdesk", "technician"]
        )
    }

    outlet = people["manager"].outlet
    assert outlet.code == "HY-001"
    assert outlet.ownership == Ownership.PARTNER
    assert people["frontdesk"].outlet == outlet
    assert people["technician"].outlet == outlet
    assert people["partner"].outlet is None
    assert people["partner"].partner_company_id == outlet.partner_company_id


def test_trainer_and_auditor_may_use_the_wagtail_admin_and_manager_may_not():
    def can(username):
        return User.objects.get(username=username).has_perm("wagtailadmin.access_admin")

    assert can("trainer") is True
    assert can("auditor") is True
    assert can("manager") is False
    assert set(User.objects.get(username="trainer").groups.values_list("name", flat=True)) == {
        "Trainers"
    }
    assert set(User.objects.get(username="auditor").groups.values_list("name", flat=True)) == {
        "Auditors"
    }


def test_seed_writes_the_home_page_introduction_in_both_languages_and_publishes_it():
    page = HomePage.objects.get()
    assert page.intro.startswith("<p>售后服务学院是品牌售后服务体系的培训与认证平台。")
    assert page.intro_en.startswith("<p>The Service Network Academy trains and certifies")
    assert page.live is True
    assert page.has_unpublished_changes is False
    assert page.live_revision_id == page.latest_revision_id

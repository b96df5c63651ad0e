import pytest

from network.models import Outlet, PartnerCompany, Staff
from tests.factories.network import OutletFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Two partner companies with two outlets each, one brand centre, people everywhere."""
    a1 = OutletFactory(partner=True)
    a2 = OutletFactory(partner=True, partner_company=a1.partner_company)
    b1 = OutletFactory(partner=True)
    brand = OutletFactory()
    people = {o.code: StaffFactory.create_batch(2, outlet=o) for o in (a1, a2, b1, brand)}
    return {"a1": a1, "a2": a2, "b1": b1, "brand": brand, "people": people}


def test_outlet_manager_sees_only_their_outlet_and_its_people(network):
    manager = StaffFactory(role="outlet_manager", outlet=network["a1"])
    assert list(Outlet.objects.visible_to(manager.user)) == [network["a1"]]
    visible = set(Staff.objects.visible_to(manager.user))
    assert visible == {manager, *network["people"][network["a1"].code]}


def test_partner_administrator_sees_only_their_company_outlets(network):
    company = network["a1"].partner_company
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=company)
    assert set(Outlet.objects.visible_to(admin.user)) == {network["a1"], network["a2"]}
    assert set(PartnerCompany.objects.visible_to(admin.user)) == {company}
    visible = set(Staff.objects.visible_to(admin.user))
    people = network["people"]
    assert visible == {admin, *people[network["a1"].code], *people[network["a2"].code]}


@pytest.mark.parametrize("role", ["auditor", "trainer"])
def test_auditor_and_trainer_see_the_whole_network(network, role):
    person = StaffFactory(role=role, outlet=None)
    assert Outlet.objects.visible_to(person.user).count() == 4
    assert Staff.objects.visible_to(person.user).count() == Staff.objects.count()


@pytest.mark.parametrize("role", ["front_desk", "technician", "senior_technician"])
def test_learner_sees_only_themselves(network, role):
    learner = StaffFactory(role=role, outlet=network["b1"])
    assert list(Staff.objects.visible_to(learner.user)) == [learner]
    assert list(Outlet.objects.visible_to(learner.user)) == [network["b1"]]


def test_user_without_staff_record_and_inactive_staff_see_nothing(network):
    stranger = UserFactory()
    assert not Staff.objects.visible_to(stranger).exists()
    assert not Outlet.objects.visible_to(stranger).exists()
    former = StaffFactory(role="outlet_manager", outlet=network["a1"], is_active=False)
    assert not Staff.objects.visible_to(former.user).exists()


def test_superuser_sees_everything(network):
    root = UserFactory(is_superuser=True)
    assert Outlet.objects.visible_to(root).count() == 4

"""
A hand-built network whose compliance is known, worked out by hand on TODAY:

Outlet A (brand-owned, tier 1, 北京):
  a1 front desk          N valid, F expires in 20 days            -> 2 requirements, 2 met
  a2 technician, also front desk: N valid, T valid, F missing      -> 3 requirements (N once), 1 gap
  a3 outlet manager      N revoked                                -> 1 requirement, 1 gap
  a trainer with A on their record, and a person who left: never counted
  people 3, requirements 6: valid 3, expiring_30 1, missing 1, revoked 1; met 4, gaps 2
  repair: senior technicians with T 0 of 1 (not met), technicians with T 1 of 1 (met)
  counter: front desk with F 1 of 2 (a2's front desk role has no F): not met -> non-compliant

Outlet B (partner outlet of company P, tier 3, 湖南):
  b1 technician, moved here from A; T valid (earned at A), N past its last day -> expired
  b2 senior technician   N expires in 45 days, T suspended
  b3 front desk, new     N enrolled, due in 10 days (in progress); F enrolled, due 5 days ago
  people 3, requirements 6: valid 1, expiring_60 1, expired 1, suspended 1, in_progress 1,
  overdue 1; met 2, gaps 3; repair: senior 0 of 1, technician 1 of 1; counter 0 of 2

Outlet C (brand-owned, tier 1): two front desk with N and F, a senior technician and a technician
  with N and T, all valid for a year: 4 people, 8 requirements all met, every rule met: compliant.

Requirements: front desk N, F; technician N, T; senior technician N, T; outlet manager N.
Service areas: repair (1 senior technician with T, 1 technician with T), counter (2 front desk
with F).
"""

import datetime

import pytest

from network.models import AdditionalRole
from tests.factories.compliance import (
    certificate,
    enrollment,
    headcount_rule,
    plain_track,
    requirement,
    service_area,
)
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory

TODAY = datetime.date(2026, 6, 15)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def known_network(db):
    norms, front, tech = plain_track("服务规范"), plain_track("前台接待"), plain_track("维修技术")
    for role, tracks in {
        "front_desk": (norms, front),
        "technician": (norms, tech),
        "senior_technician": (norms, tech),
        "outlet_manager": (norms,),
    }.items():
        for track in tracks:
            requirement(role=role, track=track)
    repair = service_area("repair", "维修服务", sort_order=2)
    counter = service_area("counter", "前台受理", sort_order=1)
    headcount_rule(area=repair, role="senior_technician", track=tech)
    headcount_rule(area=repair, role="technician", track=tech)
    headcount_rule(area=counter, role="front_desk", track=front, minimum=2)

    company = PartnerCompanyFactory(code="P1", name="湘江服务有限公司")
    a = OutletFactory(code="A", ownership="brand", city_tier=1, province="北京市", city="北京市")
    b = OutletFactory(
        code="B", ownership="partner", partner_company=company, city_tier=3, province="湖南省"
    )
    c = OutletFactory(code="C", ownership="brand", city_tier=1, province="北京市", city="北京市")
    year = days(365)

    a1 = StaffFactory(outlet=a, role="front_desk", employee_number="A1")
    certificate(holder=a1, track=norms, expires_on=year)
    certificate(holder=a1, track=front, expires_on=days(20))
    a2 = StaffFactory(outlet=a, role="technician", employee_number="A2")
    AdditionalRole.objects.create(staff=a2, role="front_desk")
    certificate(holder=a2, track=norms, expires_on=year)
    certificate(holder=a2, track=tech, expires_on=year)
    a3 = StaffFactory(outlet=a, role="outlet_manager", employee_number="A3")
    certificate(holder=a3, track=norms, expires_on=year, status="revoked")
    trainer = StaffFactory(outlet=a, role="trainer", employee_number="T1")
    certificate(holder=trainer, track=norms, expires_on=days(-100), status="expired")
    StaffFactory(outlet=a, role="front_desk", employee_number="A9", is_active=False)

    b1 = StaffFactory(outlet=a, role="technician", employee_number="B1")
    certificate(holder=b1, track=tech, expires_on=year)
    b1.outlet = b
    b1.save()
    certificate(holder=b1, track=norms, expires_on=days(-1))  # still "valid": job not yet run
    b2 = StaffFactory(outlet=b, role="senior_technician", employee_number="B2")
    certificate(holder=b2, track=norms, expires_on=days(45))
    certificate(holder=b2, track=tech, expires_on=year, status="suspended")
    b3 = StaffFactory(outlet=b, role="front_desk", employee_number="B3")
    enrollment(staff=b3, track=norms, due_on=days(10))
    enrollment(staff=b3, track=front, due_on=days(-5))

    for n, role in enumerate(["front_desk", "front_desk", "senior_technician", "technician"]):
        person = StaffFactory(outlet=c, role=role, employee_number=f"C{n + 1}")
        # An old superseded certificate must not hide the renewal that replaced it.
        certificate(holder=person, track=norms, expires_on=days(-400), cycle=1, status="superseded")
        certificate(holder=person, track=norms, expires_on=year, cycle=2)
        certificate(holder=person, track=front if role == "front_desk" else tech, expires_on=year)

    return {
        "tracks": {"norms": norms, "front": front, "tech": tech},
        "areas": {"repair": repair, "counter": counter},
        "company": company,
        "outlets": {"A": a, "B": b, "C": c},
        "staff": {"a1": a1, "a2": a2, "a3": a3, "b1": b1, "b2": b2, "b3": b3, "trainer": trainer},
    }

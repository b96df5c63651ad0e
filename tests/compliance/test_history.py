"""A past day's compliance counts each certificate as it stood that day, so history moves."""

import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate
from compliance.computation import outlets_compute, people_compute
from network.models import Outlet
from tests.factories.compliance import (
    certificate,
    headcount_rule,
    plain_track,
    requirement,
    service_area,
)
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
MARCH = datetime.date(2026, 3, 31)


@pytest.fixture
def outlet():
    return OutletFactory(code="H", ownership="brand", city_tier=1)


@pytest.fixture
def track():
    track = plain_track("维修技术")
    requirement(role="technician", track=track)
    headcount_rule(area=service_area("repair", "维修服务"), role="technician", track=track)
    return track


def _state(outlet, day) -> str:
    (person,) = people_compute(outlets=Outlet.objects.filter(pk=outlet.pk), today=day)
    return person.requirements[0].state


def _certified(outlet, day) -> int:
    (computed,) = outlets_compute(outlets=Outlet.objects.filter(pk=outlet.pk), today=day)
    return computed.headcounts[0].certified


def test_a_certificate_issued_later_does_not_count_on_an_earlier_day(outlet, track):
    person = StaffFactory(outlet=outlet, role="technician")
    certificate(
        holder=person,
        track=track,
        issued_on=TODAY.replace(day=1),
        expires_on=TODAY.replace(year=2028),
    )

    assert (_state(outlet, MARCH), _certified(outlet, MARCH)) == ("missing", 0)
    assert (_state(outlet, TODAY), _certified(outlet, TODAY)) == ("valid", 1)


def test_a_certificate_revoked_later_counts_as_valid_before_its_revocation(outlet, track):
    person = StaffFactory(outlet=outlet, role="technician")
    revoked = certificate(
        holder=person,
        track=track,
        issued_on=datetime.date(2025, 12, 1),
        expires_on=datetime.date(2027, 12, 1),
        status=Certificate.Status.REVOKED,
    )
    changed = timezone.make_aware(datetime.datetime(2026, 5, 10, 9, 0))
    Certificate.objects.filter(pk=revoked.pk).update(status_changed_at=changed)

    assert (_state(outlet, MARCH), _certified(outlet, MARCH)) == ("valid", 1)
    assert (_state(outlet, TODAY), _certified(outlet, TODAY)) == ("revoked", 0)


def test_a_renewed_certificate_counts_before_its_renewal_and_the_renewal_after(outlet, track):
    person = StaffFactory(outlet=outlet, role="technician")
    certificate(
        holder=person,
        track=track,
        issued_on=datetime.date(2024, 5, 1),
        expires_on=datetime.date(2026, 5, 1),
        status=Certificate.Status.SUPERSEDED,
    )
    certificate(
        holder=person,
        track=track,
        cycle=2,
        issued_on=datetime.date(2026, 4, 20),
        expires_on=datetime.date(2028, 4, 20),
    )

    assert _state(outlet, MARCH) == "expiring_60"  # the first cycle, its last day near
    assert _state(outlet, TODAY) == "valid"  # the renewal
    assert _certified(outlet, MARCH) == _certified(outlet, TODAY) == 1

"""Certificates and enrolments written directly, in the states compliance must tell apart."""

import datetime
import itertools

from certificates.models import Certificate
from compliance.models import HeadcountRule, ServiceArea, TrackRequirement
from courses.models import Enrollment
from tests.factories.courses import track_page

_serials = itertools.count(1)


def plain_track(title: str):
    """A published track nobody is enrolled in by rule, so enrolments are only the test's own."""
    return track_page(roles=(), title=title)


def certificate(
    *,
    holder,
    track,
    status: str = Certificate.Status.VALID,
    expires_on: datetime.date,
    cycle: int = 1,
    issued_on: datetime.date | None = None,
) -> Certificate:
    n = next(_serials)
    outlet = holder.outlet
    return Certificate.objects.create(
        serial=f"SC-T-{n:06d}",
        code=f"code{n:08d}",
        holder=holder,
        holder_name=holder.name,
        employee_number=holder.employee_number,
        outlet_code=outlet.code if outlet else "",
        outlet_name=outlet.name if outlet else "",
        track=track,
        track_title=track.title,
        cycle=cycle,
        issued_on=issued_on or min(expires_on, datetime.date(2025, 1, 1)),
        expires_on=expires_on,
        status=status,
    )


def enrollment(*, staff, track, due_on: datetime.date) -> Enrollment:
    return Enrollment.objects.create(
        staff=staff,
        track=track,
        source=Enrollment.Source.MANUAL,
        starts_on=due_on - datetime.timedelta(days=30),
        due_on=due_on,
    )


def requirement(*, role: str, track, **fields) -> TrackRequirement:
    return TrackRequirement.objects.create(role=role, track=track, **fields)


def service_area(code: str, name: str | None = None, **fields) -> ServiceArea:
    return ServiceArea.objects.create(code=code, name=name or code, **fields)


def headcount_rule(*, area, role: str, track, minimum: int = 1, **fields) -> HeadcountRule:
    return HeadcountRule.objects.create(
        service_area=area, role=role, track=track, minimum=minimum, **fields
    )

import datetime

from compliance.models import ComplianceSnapshot
from compliance.selectors import compliance_overview_as_of, compliance_trend, outlet_report
from compliance.services.snapshots import compliance_monthly_snapshot, compliance_snapshots_take
from tests.compliance.conftest import TODAY
from tests.factories.network import StaffFactory

JUNE = datetime.date(2026, 6, 1)


def test_snapshot_does_not_change_when_todays_data_changes(known_network):
    auditor = StaffFactory(role="auditor", outlet=None).user
    compliance_snapshots_take(period=JUNE, as_of=TODAY)

    a2 = known_network["staff"]["a2"]
    a2.certificates.update(status="revoked")
    StaffFactory(outlet=known_network["outlets"]["C"], role="front_desk")

    as_of = compliance_overview_as_of(user=auditor, period=JUNE)
    outlets = {o.code: o for o in as_of.outlets}
    assert (outlets["A"].met, outlets["A"].requirements) == (4, 6)
    assert outlets["C"].compliant is True
    report = outlet_report(user=auditor, code="A", period=JUNE)
    assert [p.employee_number for p in report.people] == ["A1", "A2", "A3"]
    assert report.as_of == TODAY


def test_retried_monthly_job_keeps_the_first_record(known_network):
    first = compliance_monthly_snapshot(today=datetime.date(2026, 7, 1))
    known_network["staff"]["a1"].certificates.update(status="revoked")
    second = compliance_monthly_snapshot(today=datetime.date(2026, 7, 1))

    assert (first, second) == (3, 0)
    snapshot = ComplianceSnapshot.objects.get(outlet__code="A", period=JUNE)
    assert snapshot.as_of == datetime.date(2026, 6, 30)
    assert snapshot.met == 4


def test_on_demand_snapshot_replaces_the_current_month(known_network):
    compliance_snapshots_take(period=JUNE, as_of=TODAY)
    known_network["staff"]["a1"].certificates.update(status="revoked")

    written = compliance_snapshots_take(period=JUNE, as_of=TODAY, replace=True)

    assert written == 3
    assert ComplianceSnapshot.objects.get(outlet__code="A", period=JUNE).met == 2


def test_trend_adds_up_each_month_in_scope(known_network):
    compliance_snapshots_take(period=datetime.date(2026, 5, 1), as_of=datetime.date(2026, 5, 31))
    compliance_snapshots_take(period=JUNE, as_of=TODAY)
    manager = known_network["staff"]["a3"].user

    trend = compliance_trend(user=manager)

    assert [(p.period, p.outlets, p.compliant_outlets) for p in trend] == [
        (datetime.date(2026, 5, 1), 1, 0),
        (JUNE, 1, 0),
    ]

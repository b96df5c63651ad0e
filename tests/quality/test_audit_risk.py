"""Risk sampling of outlets for an audit plan: compliance gaps, open findings, time since audit."""

import datetime

import pytest
from django.utils import timezone

from quality.models.audits import Audit, AuditEvent, AuditPlan
from quality.selectors.audits import RISK_WEIGHTS, outlet_risk_scores, outlets_by_risk, risk_score
from quality.services.audits import audit_plan_schedule
from tests.factories.compliance import plain_track, requirement
from tests.factories.network import OutletFactory, StaffFactory
from tests.factories.quality_audits import submitted, template


@pytest.fixture
def network(auditor):
    """
    Five outlets whose risk is known:
      E never audited, its technician lacks the required certificate: 40 + 25 = 65
      D audited today, its technician lacks the certificate:           40
      A never audited, nobody required to hold anything:               25
      C audited today, a critical and a major finding open: 25 * 5/10 = 12.5
      B audited today, nothing wrong:                                  0
    """
    requirement(role="technician", track=plain_track("维修技术员认证"))
    outlets = {code: OutletFactory(code=code) for code in "ABCDE"}
    for code in "DE":
        StaffFactory(role="technician", outlet=outlets[code])
    checklist = template(
        items=(("问候", "minor"), ("三包", "critical"), ("报价", "major")), name="稽核表"
    )
    submitted(outlet=outlets["B"], auditor=auditor, audit_template=checklist)
    submitted(outlet=outlets["C"], auditor=auditor, audit_template=checklist, failed=(1, 2))
    submitted(outlet=outlets["D"], auditor=auditor, audit_template=checklist)
    return outlets, checklist


def test_weights_add_up_to_a_hundred():
    assert sum(RISK_WEIGHTS.values()) == 100
    assert (
        risk_score(missing_share=1, open_points=99, days_since_audit=None, satisfaction_rate=0)
        == 100
    )


def test_risk_orders_outlets_by_gaps_findings_and_time_since_audit(network):
    ranked = outlet_risk_scores()

    assert [(r.code, r.score) for r in ranked] == [
        ("E", 65.0),
        ("D", 40.0),
        ("A", 25.0),
        ("C", 12.5),
        ("B", 0.0),
    ]
    assert [r.days_since_audit for r in ranked] == [None, 0, None, 0, 0]


def test_sampling_picks_the_riskiest_outlets(network):
    assert [r.code for r in outlets_by_risk(count=3)] == ["E", "D", "A"]


def test_an_old_audit_counts_towards_the_risk(network):
    outlets, _checklist = network
    half_a_year = timezone.now() - datetime.timedelta(days=365 // 2 + 1)
    Audit.objects.filter(outlet=outlets["B"]).update(submitted_at=half_a_year)

    b = next(r for r in outlet_risk_scores() if r.code == "B")

    assert b.days_since_audit == 183
    assert b.score == round(25 * 183 / 365, 4)


def test_low_satisfaction_raises_the_risk_when_given(network):
    outlets, _checklist = network

    ranked = outlet_risk_scores(satisfaction={outlets["B"].pk: 0.0, outlets["C"].pk: 1.0})

    assert [(r.code, r.score) for r in ranked][-2:] == [("C", 12.5), ("B", 10.0)]


def test_equal_scores_are_ordered_by_outlet_code(auditor):
    for code in ("Z9", "A1", "M5"):
        OutletFactory(code=code)

    assert [r.code for r in outlets_by_risk(count=3)] == ["A1", "M5", "Z9"]


def test_a_plan_schedules_the_picked_and_the_sampled_outlets_once(network, auditor):
    outlets, checklist = network
    second = StaffFactory(role="auditor", outlet=None, employee_number="Z-AUD")
    plan = AuditPlan.objects.create(
        name="2026年第四季度稽核",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        template=checklist,
        sample_size=2,
    )
    plan.auditors.set([auditor, second])
    plan.outlets.set([outlets["B"]])
    plan.save()  # a cluster's many-to-many is written when the plan is saved

    created = audit_plan_schedule(plan=plan, actor=auditor.user)
    again = audit_plan_schedule(plan=plan, actor=auditor.user)

    assert [(a.outlet.code, a.auditor_id) for a in created] == [
        ("B", auditor.pk),
        ("E", second.pk),
        ("D", auditor.pk),
    ]
    assert again == []
    assert plan.audits.count() == 3
    assert AuditEvent.objects.filter(audit__plan=plan, to_status="planned").count() == 3

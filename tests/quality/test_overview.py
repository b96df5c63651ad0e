"""The quality view and its monthly snapshot: the four figures of the loop, per outlet."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quality.models import Finding, QualitySnapshot, SurveyQuestion
from quality.models.rules import CorrectiveAssignment, CorrectiveRule
from quality.services.snapshots import quality_monthly_snapshot, quality_snapshots_take
from tests.factories.compliance import certificate, plain_track, requirement
from tests.factories.network import OutletFactory, PartnerCompanyFactory, StaffFactory
from tests.factories.quality_audits import submitted, template
from tests.factories.quality_surveys import at, survey_response

NOVEMBER = datetime.date(2026, 11, 1)
DECEMBER_FIRST = datetime.date(2026, 12, 1)


@pytest.fixture
def warranty(db):
    return SurveyQuestion.objects.get(code="warranty_explained")


@pytest.fixture
def track(db):
    return plain_track("服务规范")


def _corrective(outlet, track, warranty, *, status="active"):
    rule, _ = CorrectiveRule.objects.get_or_create(
        name="三包解释率低",
        defaults={
            "trigger": "survey_rate",
            "survey_question": warranty,
            "threshold_percent": 70,
            "track": track,
            "roles": ["front_desk"],
        },
    )
    return CorrectiveAssignment.objects.create(
        rule=rule,
        outlet=outlet,
        evidence={"rate": "40.0", "answers": 30, "days": 30, "threshold": 70},
        due_on=DECEMBER_FIRST,
        status=status,
        ended_at=None if status == "active" else timezone.now(),
    )


def test_the_monthly_snapshot_keeps_the_four_figures(warranty, track, auditor):
    outlet = OutletFactory()
    requirement(role="front_desk", track=track)
    holder = StaffFactory(outlet=outlet, role="front_desk")
    StaffFactory(outlet=outlet, role="front_desk")
    certificate(holder=holder, track=track, expires_on=datetime.date(2028, 1, 1))
    submitted(outlet=outlet, auditor=auditor, audit_template=template(), failed=(0, 2))
    for n, (satisfaction, yes) in enumerate([(5, True), (4, True), (2, False)]):
        survey_response(
            outlet=outlet,
            satisfaction=satisfaction,
            answers={warranty: yes},
            submitted_at=at(NOVEMBER + datetime.timedelta(days=n)),
        )
    # An answer of December belongs to the next month's snapshot.
    survey_response(outlet=outlet, answers={warranty: False}, submitted_at=at(DECEMBER_FIRST))
    in_effect = _corrective(outlet, track, warranty)
    ended = _corrective(outlet, track, warranty, status="ended")
    _corrective(OutletFactory(), track, warranty)
    # What happened in November; the snapshot reads the month as it stood when it ended.
    Finding.objects.update(created_at=at(NOVEMBER + datetime.timedelta(days=9)))
    CorrectiveAssignment.objects.filter(pk__in=[in_effect.pk, ended.pk]).update(
        created_at=at(NOVEMBER + datetime.timedelta(days=10))
    )
    CorrectiveAssignment.objects.filter(pk=ended.pk).update(
        ended_at=at(NOVEMBER + datetime.timedelta(days=20))
    )

    taken = quality_snapshots_take(period=NOVEMBER)
    again = quality_monthly_snapshot(today=DECEMBER_FIRST)

    assert (taken.outlets, again.outlets) == (2, 2)
    snapshot = QualitySnapshot.objects.get(outlet=outlet)
    assert snapshot.period == NOVEMBER
    assert (snapshot.requirements, snapshot.met, snapshot.compliant) == (2, 1, False)
    assert (snapshot.open_findings, snapshot.overdue_findings) == (2, 0)
    assert (snapshot.survey_answers, snapshot.satisfaction_sum) == (3, 11)
    assert (snapshot.key_yes, snapshot.key_answered) == (2, 3)
    assert snapshot.corrective_active == 1
    # An assignment made in December was not in effect when November ended.
    assert QualitySnapshot.objects.exclude(outlet=outlet).get().corrective_active == 0


def test_a_finding_closed_after_the_month_still_counts_as_open_then(track, auditor):
    outlet = OutletFactory()
    audit = submitted(outlet=outlet, auditor=auditor, audit_template=template(), failed=(0,))
    Finding.objects.update(
        created_at=at(NOVEMBER),
        respond_by=NOVEMBER + datetime.timedelta(days=7),
        status="closed",
        closed_by_audit=audit,
        closed_at=at(DECEMBER_FIRST + datetime.timedelta(days=3)),
    )

    quality_snapshots_take(period=NOVEMBER)

    snapshot = QualitySnapshot.objects.get()
    assert (snapshot.open_findings, snapshot.overdue_findings) == (1, 1)


@pytest.fixture
def network(db, track, warranty):
    ours, rivals = PartnerCompanyFactory(name="好修服务"), PartnerCompanyFactory(name="快修服务")
    worse = OutletFactory(partner=True, partner_company=ours, code="A-2")
    better = OutletFactory(partner=True, partner_company=ours, code="A-1")
    rival = OutletFactory(partner=True, partner_company=rivals, code="B-1")
    today = timezone.localdate()
    for outlet, yes in ((worse, 3), (better, 9), (rival, 1)):
        for n in range(10):
            survey_response(outlet=outlet, answers={warranty: n < yes}, submitted_at=at(today))
    _corrective(worse, track, warranty)
    return {"ours": ours, "worse": worse, "better": better, "rival": rival}


def test_a_partner_administrator_sees_only_its_outlets_worst_first(client, network):
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=network["ours"])
    client.force_login(admin.user)

    response = client.get(reverse("quality:overview"), {"sort": "key"})

    assert response.status_code == 200
    codes = [row.compliance.code for row in response.context["page"]]
    assert codes == ["A-2", "A-1"]
    rows = {row.compliance.code: row for row in response.context["page"]}
    assert (rows["A-2"].key_rate, rows["A-2"].corrective_active) == (30.0, 1)
    assert "B-1" not in response.content.decode()


def test_the_quality_department_sees_every_partner_summed(client, network, auditor):
    client.force_login(auditor.user)

    response = client.get(reverse("quality:overview"))

    partners = {p.label: p for p in response.context["overview"].partners}
    assert partners["好修服务"].outlets == 2
    assert partners["好修服务"].satisfaction.yes_rate(
        SurveyQuestion.objects.get(code="warranty_explained").pk
    ) == pytest.approx(60.0)
    assert partners["快修服务"].corrective_active == 0


def test_a_learner_may_not_see_the_quality_view(client, network):
    learner = StaffFactory(role="technician", outlet=network["worse"])
    client.force_login(learner.user)

    assert client.get(reverse("quality:overview")).status_code == 403


@pytest.mark.parametrize("outlets", [2, 12])
def test_the_quality_view_runs_the_same_queries_at_any_size(
    client, auditor, track, warranty, django_assert_num_queries, outlets
):
    months = [datetime.date(2026, m, 1) for m in (9, 10, 11)]
    for n in range(outlets):
        outlet = OutletFactory(partner=True, partner_company=PartnerCompanyFactory())
        StaffFactory(outlet=outlet, role="front_desk")
        survey_response(outlet=outlet, answers={warranty: n % 2 == 0})
        _corrective(outlet, track, warranty)
        for month in months:
            QualitySnapshot.objects.create(outlet=outlet, period=month, survey_answers=n)
    submitted(outlet=OutletFactory(), auditor=auditor, audit_template=template(), failed=(0,))
    client.force_login(auditor.user)
    url = reverse("quality:overview")
    client.get(url)

    with django_assert_num_queries(QUERIES_QUALITY_VIEW):
        response = client.get(url)

    assert len(response.context["overview"].trend) == 3


QUERIES_QUALITY_VIEW = 14

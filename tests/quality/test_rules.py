"""Corrective training: rules assign once per trigger, name their evidence, withdraw on closing."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from courses.services import enrollment_sync
from network.models import Staff
from quality.models import SurveyQuestion
from quality.models.rules import CorrectiveAssignment, CorrectiveRule
from quality.services.audits import finding_recheck
from quality.services.rules import assignment_reason, corrective_rules_apply
from quality.tasks import corrective_rules_apply_task
from tests.factories.compliance import service_area
from tests.factories.courses import track_page
from tests.factories.network import OutletFactory, StaffFactory, UserFactory
from tests.factories.quality_audits import items_of, planned, record_all, submitted, template
from tests.factories.quality_surveys import at, survey_response

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def warranty(db):
    # The question the survey asks from the start (seeded by its migration).
    return SurveyQuestion.objects.get(code="warranty_explained")


@pytest.fixture
def track(db):
    return track_page(roles=(), title="三包政策复训")


def _answers(outlet, question, *, yes: int, no: int, day=TODAY):
    for n in range(yes + no):
        survey_response(outlet=outlet, answers={question: n < yes}, submitted_at=at(day))


def _survey_rule(question, track, **fields):
    return CorrectiveRule.objects.create(
        name="三包解释率低于70%",
        trigger=CorrectiveRule.Trigger.SURVEY_RATE,
        survey_question=question,
        threshold_percent=fields.pop("threshold_percent", 70),
        window_days=fields.pop("window_days", 30),
        min_answers=fields.pop("min_answers", 20),
        track=track,
        roles=fields.pop("roles", ["front_desk", "technician"]),
        due_days=14,
        **fields,
    )


def test_low_answers_assign_the_track_once_to_the_outlets_people_in_the_roles(warranty, track):
    low, good, few = OutletFactory(), OutletFactory(), OutletFactory()
    front = StaffFactory(outlet=low, role="front_desk")
    tech = StaffFactory(outlet=low, role="technician")
    StaffFactory(outlet=low, role="outlet_manager")
    StaffFactory(outlet=good, role="front_desk")
    StaffFactory(outlet=few, role="front_desk")
    _answers(low, warranty, yes=9, no=21)  # 30%
    _answers(good, warranty, yes=27, no=3)  # 90%
    _answers(few, warranty, yes=0, no=5)  # too few answers to mean anything
    rule = _survey_rule(warranty, track)

    first = corrective_rules_apply(today=TODAY)
    second = corrective_rules_apply(today=TODAY)

    assert (first.assigned, second.assigned) == (1, 0)
    assignment = CorrectiveAssignment.objects.get()
    assert (assignment.rule, assignment.outlet, assignment.status) == (rule, low, "active")
    assert assignment.due_on == TODAY + datetime.timedelta(days=14)
    assert assignment.evidence == {
        "rate": "30.0",
        "answers": 30,
        "days": 30,
        "threshold": 70,
        "since": "2026-11-01",
        "until": "2026-11-30",
    }
    enrolled = Enrollment.objects.filter(track=track)
    assert sorted(enrolled.values_list("staff_id", flat=True)) == sorted([front.pk, tech.pk])
    assert set(enrolled.values_list("source", "due_on")) == {
        ("corrective", TODAY + datetime.timedelta(days=14))
    }
    assert set(assignment.enrollments.all()) == set(enrolled)


def test_answers_outside_the_window_do_not_count(warranty, track):
    outlet = OutletFactory()
    StaffFactory(outlet=outlet, role="front_desk")
    _answers(outlet, warranty, yes=0, no=30, day=TODAY - datetime.timedelta(days=30))
    _survey_rule(warranty, track)

    assert corrective_rules_apply(today=TODAY).assigned == 0
    assert not Enrollment.objects.exists()


def test_a_recovered_rate_ends_the_spell_and_a_new_drop_is_a_new_trigger(warranty, track):
    outlet = OutletFactory()
    StaffFactory(outlet=outlet, role="front_desk")
    _survey_rule(warranty, track, window_days=7)
    _answers(outlet, warranty, yes=5, no=20, day=TODAY)
    corrective_rules_apply(today=TODAY)

    later = TODAY + datetime.timedelta(days=10)
    _answers(outlet, warranty, yes=24, no=1, day=later)
    recovered = corrective_rules_apply(today=later)
    again = TODAY + datetime.timedelta(days=20)
    _answers(outlet, warranty, yes=1, no=24, day=again)
    dropped = corrective_rules_apply(today=again)

    assert (recovered.ended, dropped.assigned) == (1, 1)
    assert list(CorrectiveAssignment.objects.order_by("pk").values_list("status", flat=True)) == [
        "ended",
        "active",
    ]
    # The training given in the first spell stays: a recovery is not a reason to withdraw it.
    assert Enrollment.objects.get().status == "active"


@pytest.fixture
def warranty_area(db):
    return service_area("warranty", "三包受理")


@pytest.fixture
def checklist(db, warranty_area):
    audit_template = template()
    warranty_item = items_of(audit_template)[2]
    warranty_item.service_area = warranty_area
    warranty_item.save()
    return audit_template


def _finding_rule(track, area, **fields):
    return CorrectiveRule.objects.create(
        name="三包稽核问题",
        trigger=CorrectiveRule.Trigger.FINDING,
        service_area=area,
        min_severity=fields.pop("min_severity", "major"),
        track=track,
        roles=["front_desk"],
        due_days=30,
        **fields,
    )


def test_a_finding_of_the_area_assigns_once_and_its_closing_withdraws(
    checklist, warranty_area, track, auditor
):
    outlet = OutletFactory()
    unfinished = StaffFactory(outlet=outlet, role="front_desk")
    finished = StaffFactory(outlet=outlet, role="front_desk")
    already = StaffFactory(outlet=outlet, role="front_desk")
    own = Enrollment.objects.create(
        staff=already, track=track, source="manual", starts_on=TODAY, due_on=TODAY
    )
    rule = _finding_rule(track, warranty_area)
    # Items 0 and 1 (greeting, dress) are of no area; item 2 is the warranty one.
    audit = submitted(outlet=outlet, auditor=auditor, audit_template=checklist, failed=(0, 2))
    warranty_finding = audit.findings.get(item__service_area=warranty_area)

    assert corrective_rules_apply().assigned == 1
    assert corrective_rules_apply().assigned == 0
    assignment = CorrectiveAssignment.objects.get()
    assert (assignment.rule, assignment.finding) == (rule, warranty_finding)
    assert set(assignment.enrollments.all()) == set(Enrollment.objects.all())
    Enrollment.objects.filter(staff=finished).update(completed_at=timezone.now())

    reaudit = planned(outlet=outlet, auditor=auditor, audit_template=checklist, is_reaudit=True)
    finding_recheck(finding=warranty_finding, audit=reaudit, actor=auditor.user)
    record_all(reaudit, auditor)
    applied = corrective_rules_apply()

    assert applied.withdrawn == 1
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn" and assignment.ended_at is not None
    states = dict(Enrollment.objects.values_list("staff_id", "status"))
    # Only what the rule made and nobody finished is withdrawn; a person's own enrolment stays.
    assert states == {unfinished.pk: "withdrawn", finished.pk: "active", already.pk: "active"}
    own.refresh_from_db()
    assert own.status == "active"
    assert corrective_rules_apply().withdrawn == 0


def test_findings_below_the_severity_or_of_another_area_assign_nothing(
    checklist, warranty_area, track, auditor
):
    outlet = OutletFactory()
    StaffFactory(outlet=outlet, role="front_desk")
    _finding_rule(track, warranty_area, min_severity="critical")
    other_area_rule = _finding_rule(track, service_area("repair", "维修"))
    submitted(outlet=outlet, auditor=auditor, audit_template=checklist, failed=(0, 1, 2))

    applied = corrective_rules_apply()

    # The warranty item fails as critical: only the rule of its area and severity assigns.
    assert applied.assigned == 1
    assert not CorrectiveAssignment.objects.filter(rule=other_area_rule).exists()


def test_the_reason_names_the_evidence_in_the_readers_language(warranty, track, settings):
    outlet = OutletFactory()
    StaffFactory(outlet=outlet, role="front_desk")
    _answers(outlet, warranty, yes=9, no=21)
    _survey_rule(warranty, track)
    corrective_rules_apply(today=TODAY)
    assignment = CorrectiveAssignment.objects.select_related("rule__survey_question").get()

    from django.utils import translation

    with translation.override("en"):
        english = assignment_reason(assignment)
    with translation.override("zh-hans"):
        chinese = assignment_reason(assignment)

    assert english == (
        "“Were the warranty terms (three guarantees) explained to you?”: "
        "30.0% yes in 30 answers over 30 days (below 70%)"
    )
    assert "是否向您解释了三包条款？" in chinese and "30.0%" in chinese


def test_the_outlet_manager_is_told_by_email(warranty, track, django_capture_on_commit_callbacks):
    outlet = OutletFactory(code="SZ-101")
    StaffFactory(outlet=outlet, role="front_desk")
    StaffFactory(outlet=outlet, role="outlet_manager", user=UserFactory(email="wang@example.cn"))
    StaffFactory(outlet=OutletFactory(), role="outlet_manager")
    _answers(outlet, warranty, yes=9, no=21)
    _survey_rule(warranty, track)

    with django_capture_on_commit_callbacks(execute=True):
        corrective_rules_apply(today=TODAY)

    assert [m.to for m in mail.outbox] == [["wang@example.cn"]]
    assert "三包政策复训" in mail.outbox[0].subject
    assert "/compliance/outlets/SZ-101/" in mail.outbox[0].body


def test_the_task_applies_the_rules_and_is_safe_to_run_twice(warranty, track):
    outlet = OutletFactory()
    StaffFactory(outlet=outlet, role="front_desk")
    _answers(outlet, warranty, yes=0, no=25, day=timezone.localdate())
    _survey_rule(warranty, track)

    assert corrective_rules_apply_task.apply().get() == 1
    assert corrective_rules_apply_task.apply().get() == 0
    assert CorrectiveAssignment.objects.count() == 1


def test_a_leaver_corrective_enrolment_ends_with_them(warranty, track):
    outlet = OutletFactory()
    person = StaffFactory(outlet=outlet, role="front_desk")
    _answers(outlet, warranty, yes=0, no=25)
    _survey_rule(warranty, track)
    corrective_rules_apply(today=TODAY)

    Staff.objects.filter(pk=person.pk).update(is_active=False)
    enrollment_sync(staff_ids=[person.pk])

    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.withdrawal_reason) == ("withdrawn", "left")


@pytest.mark.parametrize("assignments", [1, 6])
def test_the_outlet_report_shows_each_assignment_with_its_reason_in_fixed_queries(
    warranty, track, auditor, client, django_assert_num_queries, assignments
):
    outlet = OutletFactory(code="GZ-7")
    StaffFactory(outlet=outlet, role="front_desk")
    rule = _survey_rule(warranty, track)
    for n in range(assignments):
        CorrectiveAssignment.objects.create(
            rule=rule,
            outlet=outlet,
            evidence={"rate": f"{40 + n}.0", "answers": 30, "days": 30, "threshold": 70},
            due_on=TODAY,
            status="ended" if n else "active",
            ended_at=timezone.now() if n else None,
        )
    client.force_login(auditor.user)
    url = reverse("compliance:outlet", args=[outlet.code])
    client.get(url)  # warm the caches the page keeps across requests

    with django_assert_num_queries(QUERIES_OUTLET_REPORT):
        response = client.get(url)

    body = response.content.decode()
    assert body.count('class="badge warn">') >= 1
    assert "三包解释率低于70%" in body
    assert "40.0%" in body


# The compliance report of an outlet with every section (audits, satisfaction, training).
QUERIES_OUTLET_REPORT = 22

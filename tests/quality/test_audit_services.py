"""Conducting and submitting an audit, answering its findings and closing them by a re-audit."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quality.models.audits import (
    Audit,
    AuditEvent,
    AuditEvidence,
    AuditItemResult,
    Finding,
    FindingEvent,
)
from quality.services.audits import (
    audit_evidence_add,
    audit_item_record,
    audit_submit,
    finding_answer,
    finding_recheck,
)
from tests.factories.assessments import image_bytes, photo_upload
from tests.factories.network import StaffFactory
from tests.factories.quality_audits import items_of, planned, record_all, submitted, template


def _stored_files() -> set:
    root = django_settings.PRIVATE_MEDIA_ROOT
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def checklist(db):
    return template()


@pytest.fixture
def audit(partner_outlet, auditor, checklist):
    return planned(outlet=partner_outlet, auditor=auditor, audit_template=checklist)


def test_submitting_turns_each_failed_item_into_a_finding(audit, auditor, manager):
    record_all(audit, auditor, failed=(0, 2))
    technician = StaffFactory(role="technician", outlet=audit.outlet)

    audit_submit(
        audit=audit,
        actor=auditor.user,
        observed=[manager, technician],
        manager_name="王经理",
        manager_confirmed=True,
    )

    audit.refresh_from_db()
    today = timezone.localdate()
    assert audit.status == "submitted"
    assert set(audit.observed.all()) == {manager, technician}
    findings = list(
        Finding.objects.order_by("pk").values_list(
            "severity", "description", "respond_by", "status"
        )
    )
    assert findings == [
        ("minor", "问题0", today + datetime.timedelta(days=30), "open"),
        ("critical", "问题2", today + datetime.timedelta(days=7), "open"),
    ]
    assert list(FindingEvent.objects.values_list("from_status", "to_status", "actor")) == [
        ("", "open", auditor.user_id),
        ("", "open", auditor.user_id),
    ]
    assert list(AuditEvent.objects.filter(audit=audit).values_list("from_status", "to_status")) == [
        ("", "planned"),
        ("planned", "submitted"),
    ]


def test_a_refusal_to_sign_is_recorded_instead_of_the_confirmation(audit, auditor):
    record_all(audit, auditor)

    audit_submit(audit=audit, actor=auditor.user, refusal_note="经理不在，店长拒绝签字")

    audit.refresh_from_db()
    assert (audit.status, audit.manager_confirmed, audit.refusal_note) == (
        "submitted",
        False,
        "经理不在，店长拒绝签字",
    )


def _nothing_submitted(audit):
    audit.refresh_from_db()
    assert audit.status == "planned"
    assert Finding.objects.count() == 0
    assert FindingEvent.objects.count() == 0
    assert list(AuditEvent.objects.values_list("to_status", flat=True)) == ["planned"]


def test_an_incomplete_audit_is_not_submitted(audit, auditor):
    first = items_of(audit.template)[0]
    audit_item_record(audit=audit, item=first, outcome="fail", note="未问候", actor=auditor.user)

    with pytest.raises(ValidationError) as refused:
        audit_submit(audit=audit, actor=auditor.user, manager_name="王经理", manager_confirmed=True)

    assert refused.value.messages == ["2 items have no result yet."]
    _nothing_submitted(audit)


def test_an_audit_without_the_managers_confirmation_or_refusal_is_not_submitted(audit, auditor):
    record_all(audit, auditor, failed=(1,))

    with pytest.raises(ValidationError) as refused:
        audit_submit(audit=audit, actor=auditor.user, manager_name="王经理")

    assert "or note their refusal to sign" in refused.value.messages[0]
    _nothing_submitted(audit)


def test_people_of_another_outlet_are_not_observed(audit, auditor, other_outlet):
    record_all(audit, auditor)
    stranger = StaffFactory(role="technician", outlet=other_outlet)

    with pytest.raises(ValidationError):
        audit_submit(
            audit=audit,
            actor=auditor.user,
            observed=[stranger],
            manager_name="王经理",
            manager_confirmed=True,
        )

    _nothing_submitted(audit)
    assert audit.observed.count() == 0


def test_a_failed_item_needs_a_note(audit, auditor):
    with pytest.raises(ValidationError):
        audit_item_record(
            audit=audit, item=items_of(audit.template)[0], outcome="fail", actor=auditor.user
        )

    assert AuditItemResult.objects.count() == 0


def test_another_auditor_may_not_change_the_audit(audit):
    someone = StaffFactory(role="auditor", outlet=None)

    with pytest.raises(PermissionDenied):
        audit_item_record(
            audit=audit, item=items_of(audit.template)[0], outcome="pass", actor=someone.user
        )

    assert AuditItemResult.objects.count() == 0


def test_a_submitted_audit_is_read_only(partner_outlet, auditor, checklist):
    done = submitted(outlet=partner_outlet, auditor=auditor, audit_template=checklist, failed=(1,))
    before = list(AuditItemResult.objects.values_list("item_id", "outcome", "note"))
    files = _stored_files()

    with pytest.raises(ValidationError, match="submitted"):
        audit_item_record(
            audit=done, item=items_of(checklist)[1], outcome="pass", actor=auditor.user
        )
    with pytest.raises(ValidationError, match="submitted"):
        audit_evidence_add(audit=done, uploaded_file=photo_upload(), actor=auditor.user)
    with pytest.raises(ValidationError, match="submitted"):
        audit_submit(audit=done, actor=auditor.user, refusal_note="再次提交")

    assert list(AuditItemResult.objects.values_list("item_id", "outcome", "note")) == before
    assert AuditEvidence.objects.count() == 0
    assert _stored_files() == files
    assert Finding.objects.count() == 1


def test_a_photo_is_stored_privately_under_a_random_name(audit, auditor):
    item = items_of(audit.template)[0]

    evidence = audit_evidence_add(
        audit=audit, uploaded_file=photo_upload("王经理门店.png"), item=item, actor=auditor.user
    )

    assert evidence.content_type == "image/png"
    assert evidence.item == item
    assert "王经理" not in evidence.file.name
    assert evidence.file.storage.exists(evidence.file.name)


def test_an_oversize_photo_is_refused_and_nothing_is_stored(audit, auditor, settings):
    content = image_bytes(size=(64, 64))
    settings.AUDIT_EVIDENCE_MAX_BYTES = len(content) - 1
    before = _stored_files()

    with pytest.raises(ValidationError) as refused:
        audit_evidence_add(
            audit=audit, uploaded_file=photo_upload(content=content), actor=auditor.user
        )

    assert refused.value.messages == [f"The photo is larger than {len(content) - 1}\xa0bytes."]
    assert AuditEvidence.objects.count() == 0
    assert _stored_files() == before


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_stored(audit, auditor):
    before = _stored_files()

    with pytest.raises(ValidationError) as refused:
        audit_evidence_add(
            audit=audit,
            uploaded_file=photo_upload("photo.png", content=b"<html>not a photo</html>"),
            actor=auditor.user,
        )

    assert refused.value.messages == ["Upload a photo: a JPEG, PNG or WebP image."]
    assert AuditEvidence.objects.count() == 0
    assert _stored_files() == before


@pytest.fixture
def finding(partner_outlet, auditor, checklist):
    submitted(outlet=partner_outlet, auditor=auditor, audit_template=checklist, failed=(2,))
    return Finding.objects.get()


def test_the_outlet_manager_answers_a_finding_with_a_corrective_action(finding, manager):
    due = timezone.localdate() + datetime.timedelta(days=10)

    finding_answer(
        finding=finding, actor=manager.user, corrective_action="全员重学三包条款", action_due_on=due
    )

    finding.refresh_from_db()
    assert (finding.status, finding.corrective_action, finding.action_due_on) == (
        "answered",
        "全员重学三包条款",
        due,
    )
    assert list(
        FindingEvent.objects.filter(finding=finding).values_list(
            "from_status", "to_status", "actor"
        )
    )[-1] == ("open", "answered", manager.user_id)


def test_a_corrective_action_due_in_the_past_is_refused(finding, manager):
    with pytest.raises(ValidationError) as refused:
        finding_answer(
            finding=finding,
            actor=manager.user,
            corrective_action="全员重学三包条款",
            action_due_on=timezone.localdate() - datetime.timedelta(days=1),
        )

    assert refused.value.messages == ["The date may not be in the past."]
    finding.refresh_from_db()
    assert (finding.status, finding.corrective_action) == ("open", "")
    assert FindingEvent.objects.filter(finding=finding).count() == 1


def test_a_rival_manager_and_a_technician_may_not_answer(finding, other_outlet):
    rival = StaffFactory(role="outlet_manager", outlet=other_outlet)
    technician = StaffFactory(role="technician", outlet=finding.outlet)
    due = timezone.localdate() + datetime.timedelta(days=10)

    for person in (rival, technician):
        with pytest.raises(PermissionDenied):
            finding_answer(
                finding=finding, actor=person.user, corrective_action="整改", action_due_on=due
            )

    finding.refresh_from_db()
    assert finding.status == "open"
    assert FindingEvent.objects.filter(finding=finding).count() == 1


def test_a_reaudit_closes_the_findings_whose_items_now_pass(finding, manager, auditor, checklist):
    finding_answer(
        finding=finding,
        actor=manager.user,
        corrective_action="全员重学三包条款",
        action_due_on=timezone.localdate() + datetime.timedelta(days=10),
    )

    reaudit = submitted(
        outlet=finding.outlet, auditor=auditor, audit_template=checklist, is_reaudit=True
    )

    finding.refresh_from_db()
    assert (finding.status, finding.closed_by_audit) == ("closed", reaudit)
    assert list(
        FindingEvent.objects.filter(finding=finding).values_list("from_status", "to_status")
    ) == [("", "open"), ("open", "answered"), ("answered", "closed")]


def test_an_item_failed_again_at_the_reaudit_keeps_the_finding_open(finding, auditor, checklist):
    submitted(
        outlet=finding.outlet,
        auditor=auditor,
        audit_template=checklist,
        failed=(2,),
        is_reaudit=True,
    )

    finding.refresh_from_db()
    assert finding.status == "open"
    assert Finding.objects.filter(status="open").count() == 2


def test_an_audit_that_is_no_reaudit_closes_nothing(finding, auditor, checklist):
    submitted(outlet=finding.outlet, auditor=auditor, audit_template=checklist)

    finding.refresh_from_db()
    assert finding.status == "open"


def test_the_auditor_rechecks_a_finding_during_a_later_audit(finding, auditor, checklist):
    later = planned(outlet=finding.outlet, auditor=auditor, audit_template=checklist)

    finding_recheck(finding=finding, audit=later, actor=auditor.user, reason="价目表已张贴")

    finding.refresh_from_db()
    assert (finding.status, finding.closed_by_audit) == ("closed", later)
    assert FindingEvent.objects.filter(finding=finding).last().reason == "价目表已张贴"


def test_an_audit_of_another_outlet_does_not_close_a_finding(
    finding, auditor, checklist, other_outlet
):
    elsewhere = planned(outlet=other_outlet, auditor=auditor, audit_template=checklist)

    with pytest.raises(ValidationError):
        finding_recheck(finding=finding, audit=elsewhere, actor=auditor.user)

    finding.refresh_from_db()
    assert finding.status == "open"
    assert FindingEvent.objects.filter(finding=finding).count() == 1


def test_an_unanswered_finding_past_its_date_is_overdue(finding):
    today = timezone.localdate()

    assert not finding.is_overdue(today)
    assert finding.is_overdue(finding.respond_by + datetime.timedelta(days=1))
    assert Audit.objects.filter(status="submitted").count() == 1

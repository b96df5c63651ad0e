"""
Field audits (现场稽核): plans scheduled, audits conducted and submitted, findings answered with
a corrective action and closed by a re-audit (复查).

Who may do what: an active auditor conducts the audits assigned to them, and only while they are
planned; a submitted audit is never changed again. The outlet's manager and its partner
company's administrators answer its findings. Only an audit closes a finding: a re-audit of the
outlet whose item now passes, or the auditor's re-check of the finding during a later audit of
the same outlet. Every status change is an event row (quality.events).
"""

import datetime
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The same rules as the photos of a practical assessment: the real content decides the type.
from core import outbox
from core.photos import photo_kind
from network.models import Outlet, Role, Staff

from ..events import audit_event_write, finding_event_write
from ..models.audits import (
    RESPONSE_DAYS,
    Audit,
    AuditEvidence,
    AuditItemResult,
    AuditPlan,
    AuditTemplate,
    AuditTemplateItem,
    Finding,
    Severity,
)
from ..selectors.audits import UNCLOSED, audit_viewer, outlets_by_risk

logger = logging.getLogger(__name__)

DEFAULT_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_EVIDENCE_MAX_FILES = 30
CORRECTIVE_ACTION_MAX_LENGTH = 2000


def _auditor_of(actor) -> Staff:
    auditor = audit_viewer(actor).auditor
    if auditor is None:
        raise PermissionDenied(_("Only an active auditor may do this."))
    return auditor


# --- Plans and audits --------------------------------------------------------------------------


@transaction.atomic
def audit_plan_schedule(
    *, plan: AuditPlan, actor=None, today: datetime.date | None = None, satisfaction=None
) -> list[Audit]:
    """
    Schedule a planned audit of each outlet of `plan`: those picked by hand, then the
    `sample_size` riskiest of the other active outlets. The auditors take the outlets in turn.
    Safe to run again: an outlet the plan already visits gets no second audit, and the sample is
    drawn only once (it is the outlets then written).
    """
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    auditors = list(
        plan.auditors.filter(is_active=True, role=Role.AUDITOR).order_by("employee_number")
    )
    if not auditors:
        raise ValidationError(_("Name at least one active auditor for the plan."))
    scheduled = set(plan.audits.values_list("outlet_id", flat=True))
    picked = list(plan.outlets.filter(is_active=True).order_by("code").values_list("pk", flat=True))
    wanted = [pk for pk in picked if pk not in scheduled]
    sampled_before = plan.audits.exclude(outlet_id__in=picked).count()
    missing_sample = max(plan.sample_size - sampled_before, 0)
    if missing_sample:
        wanted += [
            risk.outlet_id
            for risk in outlets_by_risk(
                count=missing_sample,
                exclude_ids=scheduled | set(picked),
                today=today,
                satisfaction=satisfaction,
            )
        ]
    created = []
    for n, outlet_id in enumerate(wanted, start=len(scheduled)):
        audit = Audit.objects.create(
            plan=plan,
            template_id=plan.template_id,
            outlet_id=outlet_id,
            auditor=auditors[n % len(auditors)],
        )
        audit_event_write(audit=audit, from_status="", reason=plan.name, actor=actor)
        created.append(audit)
    logger.info("Audit plan %s: %s audits scheduled", plan.pk, len(created))
    return created


@transaction.atomic
def audit_create(
    *, outlet: Outlet, template: AuditTemplate, actor, is_reaudit: bool = False
) -> Audit:
    """Start a planned audit of `outlet` outside any plan, conducted by the auditor `actor`."""
    auditor = _auditor_of(actor)
    if not outlet.is_active:
        raise ValidationError(_("This outlet is no longer active."))
    if not AuditTemplate.objects.filter(pk=template.pk, is_active=True).exists():
        raise ValidationError(_("This template is no longer in use."))
    audit = Audit.objects.create(
        template=template, outlet=outlet, auditor=auditor, is_reaudit=is_reaudit
    )
    audit_event_write(audit=audit, from_status="", actor=actor)
    return audit


def _locked_for_change(*, audit: Audit, actor) -> Audit:
    """Return `audit` locked for a change by its auditor `actor`, or refuse the change."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    auditor = audit_viewer(actor).auditor
    if auditor is None or auditor.pk != locked.auditor_id:
        raise PermissionDenied(_("Only the audit's auditor may change it."))
    if locked.status != Audit.Status.PLANNED:
        raise ValidationError(_("This audit is submitted and can no longer be changed."))
    return locked


def _check_item(*, audit: Audit, item) -> None:
    if item is not None and item.template_id != audit.template_id:
        raise ValidationError(_("This item is not on the audit's template."))


def _clean_text(value: str, *, limit: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            _("%(what)s may be at most %(limit)s characters long.") % {"what": what, "limit": limit}
        )
    return value


@transaction.atomic
def audit_item_record(
    *,
    audit: Audit,
    item: AuditTemplateItem,
    outcome: str,
    actor,
    severity: str = "",
    note: str = "",
) -> AuditItemResult:
    """
    Record `item` as passed, failed or not applicable, replacing what was recorded before. A
    failed item takes a severity (the item's default when none is given) and a note saying what
    was seen: it becomes the finding's description.
    """
    locked = _locked_for_change(audit=audit, actor=actor)
    _check_item(audit=locked, item=item)
    if outcome not in AuditItemResult.Outcome.values:
        raise ValidationError(_("Choose pass, fail or not applicable."))
    note = _clean_text(
        note, limit=AuditItemResult._meta.get_field("note").max_length, what=_("A note")
    )
    if outcome == AuditItemResult.Outcome.FAIL:
        severity = severity or item.default_severity
        if severity not in Severity.values:
            raise ValidationError(_("Choose minor, major or critical."))
        if not note:
            raise ValidationError(_("Say what you saw: the note of a failed item is the finding."))
    else:
        severity = ""
    result, _created = AuditItemResult.objects.update_or_create(
        audit=locked,
        item_id=item.pk,
        defaults={"outcome": outcome, "severity": severity, "note": note},
    )
    return result


@transaction.atomic
def audit_evidence_add(
    *, audit: Audit, uploaded_file, actor, item: AuditTemplateItem | None = None
) -> AuditEvidence:
    """
    Store a photo taken during `audit`, optionally of one item, in the private storage under a
    random name. Refused unless it is an image within the size and count limits; its size is
    checked before a byte of it is read.
    """
    locked = _locked_for_change(audit=audit, actor=actor)
    _check_item(audit=locked, item=item)
    max_bytes = getattr(settings, "AUDIT_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES)
    size = uploaded_file.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("The photo is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}
        )
    max_files = getattr(settings, "AUDIT_EVIDENCE_MAX_FILES", DEFAULT_EVIDENCE_MAX_FILES)
    if AuditEvidence.objects.filter(audit=locked).count() >= max_files:
        raise ValidationError(
            ngettext(
                "An audit holds at most %(count)s photo.",
                "An audit holds at most %(count)s photos.",
                max_files,
            )
            % {"count": max_files}
        )
    content_type, extension = photo_kind(uploaded_file)
    evidence = AuditEvidence(
        audit=locked, item=item, content_type=content_type, size=size, uploaded_by=actor
    )
    # The person's file name never reaches the disk: it may say who or where, or be hostile.
    evidence.file.save(f"{secrets.token_hex(16)}{extension}", uploaded_file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def _respond_by(severity: str, today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=RESPONSE_DAYS[Severity(severity)])


def _close(*, finding: Finding, audit: Audit, actor, reason: str, now) -> None:
    previous = finding.status
    finding.status = Finding.Status.CLOSED
    finding.closed_by_audit = audit
    finding.closed_at = now
    finding.save(update_fields=["status", "closed_by_audit", "closed_at"])
    finding_event_write(finding=finding, from_status=previous, reason=reason, actor=actor)


def _corrective_rules_queue() -> None:
    # A new finding may call for corrective training, a closed one withdraws it: the rules are
    # applied once the audit's transaction has committed (and daily by the beat).
    from ..tasks import corrective_rules_apply_task

    outbox.enqueue(corrective_rules_apply_task)


@transaction.atomic
def audit_submit(
    *,
    audit: Audit,
    actor,
    observed: Iterable[Staff] = (),
    manager_name: str = "",
    manager_confirmed: bool = False,
    refusal_note: str = "",
    notes: str = "",
) -> Audit:
    """
    Submit `audit` once every item is recorded, with the outlet manager's typed name and their
    confirmation, or a note of their refusal to sign. In one transaction: each failed item
    becomes a finding with its severity and a date to answer by, and a re-audit closes the
    outlet's earlier findings whose items now pass. Nothing in the audit changes after this.
    """
    locked = _locked_for_change(audit=audit, actor=actor)
    manager_name = _clean_text(manager_name, limit=100, what=_("The manager's name"))
    refusal_note = _clean_text(refusal_note, limit=500, what=_("The note of refusal"))
    notes = _clean_text(notes, limit=4000, what=_("The notes"))
    if refusal_note:
        manager_confirmed = False
    elif not (manager_name and manager_confirmed):
        raise ValidationError(
            _(
                "Type the name of the outlet manager present and tick their confirmation, "
                "or note their refusal to sign."
            )
        )
    observed = list(observed)
    allowed = set(
        Staff.objects.active().filter(outlet_id=locked.outlet_id).values_list("pk", flat=True)
    )
    if any(person.pk not in allowed for person in observed):
        raise ValidationError(_("The people observed must work at the outlet."))
    items = list(
        AuditTemplateItem.objects.filter(template_id=locked.template_id).values_list(
            "pk", flat=True
        )
    )
    results = {r.item_id: r for r in AuditItemResult.objects.filter(audit=locked)}
    missing = sum(1 for pk in items if pk not in results)
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)s item has no result yet.",
                "%(count)s items have no result yet.",
                missing,
            )
            % {"count": missing}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    locked.status = Audit.Status.SUBMITTED
    locked.submitted_at = now
    locked.manager_name = manager_name
    locked.manager_confirmed = manager_confirmed
    locked.refusal_note = refusal_note
    locked.notes = notes
    locked.save(
        update_fields=[
            "status",
            "submitted_at",
            "manager_name",
            "manager_confirmed",
            "refusal_note",
            "notes",
        ]
    )
    locked.observed.set(observed)
    audit_event_write(audit=locked, from_status=Audit.Status.PLANNED, actor=actor)
    for pk in items:
        result = results[pk]
        if result.outcome != AuditItemResult.Outcome.FAIL:
            continue
        finding = Finding.objects.create(
            audit=locked,
            item_id=pk,
            outlet_id=locked.outlet_id,
            severity=result.severity,
            description=result.note,
            respond_by=_respond_by(result.severity, today),
        )
        finding_event_write(finding=finding, from_status="", actor=actor)
    if locked.is_reaudit:
        passed = [pk for pk in items if results[pk].outcome == AuditItemResult.Outcome.PASS]
        earlier = (
            Finding.objects.select_for_update()
            .filter(outlet_id=locked.outlet_id, status__in=UNCLOSED, item_id__in=passed)
            .exclude(audit=locked)
            .order_by("pk")
        )
        for finding in earlier:
            _close(
                finding=finding,
                audit=locked,
                actor=actor,
                reason=_("Passed at the re-audit."),
                now=now,
            )
    logger.info("Audit %s submitted: outlet %s", locked.pk, locked.outlet_id)
    _corrective_rules_queue()
    return locked


@transaction.atomic
def finding_recheck(*, finding: Finding, audit: Audit, actor, reason: str = "") -> Finding:
    """
    Close `finding` as checked again by the auditor `actor` during `audit`, a later audit of the
    same outlet that they conduct and have not submitted yet.
    """
    locked_audit = _locked_for_change(audit=audit, actor=actor)
    locked = Finding.objects.select_for_update().select_related("audit").get(pk=finding.pk)
    if locked.outlet_id != locked_audit.outlet_id or locked.audit_id == locked_audit.pk:
        raise ValidationError(_("Only a later audit of the same outlet closes this finding."))
    if locked.status == Finding.Status.CLOSED:
        raise ValidationError(_("This finding is already closed."))
    reason = _clean_text(reason, limit=500, what=_("The reason")) or _("Checked again: resolved.")
    _close(finding=locked, audit=locked_audit, actor=actor, reason=reason, now=timezone.now())
    _corrective_rules_queue()
    return locked


@transaction.atomic
def finding_answer(
    *,
    finding: Finding,
    actor,
    corrective_action: str,
    action_due_on: datetime.date,
    today: datetime.date | None = None,
) -> Finding:
    """
    Record the outlet's corrective action (整改措施) for `finding` and the date it will be done
    by, which is not in the past. The outlet's manager and its company's administrators answer;
    a later answer replaces an earlier one until the finding is closed.
    """
    today = today or timezone.localdate()
    viewer = audit_viewer(actor)
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if not viewer.answers_for_outlets or not (
        Finding.objects.visible_to(actor).filter(pk=locked.pk).exists()
    ):
        raise PermissionDenied(_("Only the outlet's manager or its partner administrator answers."))
    if locked.status == Finding.Status.CLOSED:
        raise ValidationError(_("This finding is closed."))
    corrective_action = _clean_text(
        corrective_action, limit=CORRECTIVE_ACTION_MAX_LENGTH, what=_("The corrective action")
    )
    if not corrective_action:
        raise ValidationError(_("Say what the outlet will do."))
    if not isinstance(action_due_on, datetime.date) or action_due_on < today:
        raise ValidationError(_("The date may not be in the past."))
    previous = locked.status
    locked.status = Finding.Status.ANSWERED
    locked.corrective_action = corrective_action
    locked.action_due_on = action_due_on
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save(
        update_fields=["status", "corrective_action", "action_due_on", "answered_by", "answered_at"]
    )
    finding_event_write(
        finding=locked,
        from_status=previous,
        reason=_("Corrective action, done by %(date)s.") % {"date": action_due_on.isoformat()},
        actor=actor,
    )
    return locked

"""
Practical assessments (实操考核): an assessor observes a learner against a checklist, records
each criterion as met or not, adds photo evidence and completes the assessment.

Who may assess: an active senior technician (高级技术员) the people of their own outlet, an
active trainer anyone they may see. An assessor is always a person with a staff record, and never
assesses themselves. A completed assessment is never changed again.
"""

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

from core import hooks as core_hooks
from core.photos import photo_kind
from network.models import Staff

from ..models import (
    CriterionResult,
    Evidence,
    PracticalAssessment,
    PracticalChecklist,
    PracticalCriterion,
)
from ..selectors.practicals import practical_assessor, practical_learners

logger = logging.getLogger(__name__)

# Share of all criteria that must be met, on top of every critical one.
PASS_PERCENT = 80
DEFAULT_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_EVIDENCE_MAX_FILES = 20
NOTES_MAX_LENGTH = 4000


def practical_passed(*, outcomes: Iterable[tuple[bool, bool]]) -> bool:
    """
    Return whether an assessment with these (critical, met) outcomes passes: every critical
    criterion met, and at least PASS_PERCENT of all criteria met. Pure: no database.
    """
    outcomes = list(outcomes)
    if any(critical and not met for critical, met in outcomes):
        return False
    met_count = sum(1 for _critical, met in outcomes if met)
    # Whole numbers, so that 4 of 5 is exactly 80% and not a float just below it.
    return met_count * 100 >= PASS_PERCENT * len(outcomes)


@transaction.atomic
def practical_start(
    *, assessor_user, learner: Staff, checklist: PracticalChecklist
) -> PracticalAssessment:
    """
    Return the in-progress assessment of `learner` on `checklist` by `assessor_user`, starting
    one when there is none.
    """
    assessor = practical_assessor(user=assessor_user)
    if assessor is None:
        raise PermissionDenied(_("Only an active senior technician or trainer may assess."))
    if learner.pk == assessor.pk:
        raise ValidationError(_("You cannot assess yourself."))
    # The learner's row is the lock: two assessors starting at once make one assessment.
    locked = Staff.objects.select_for_update().filter(pk=learner.pk).values_list("pk", flat=True)
    if not list(locked) or not practical_learners(assessor=assessor).filter(pk=learner.pk).exists():
        raise PermissionDenied(_("You may not assess this person."))
    if not PracticalChecklist.objects.filter(pk=checklist.pk, is_active=True).exists():
        raise ValidationError(_("This checklist is no longer in use."))
    existing = (
        PracticalAssessment.objects.filter(
            learner_id=learner.pk,
            checklist_id=checklist.pk,
            status=PracticalAssessment.Status.IN_PROGRESS,
        )
        .select_related("assessor__user")
        .first()
    )
    if existing is not None:
        if existing.assessor_id == assessor.pk:
            return existing
        raise ValidationError(
            _("%(name)s is already assessing this person on this checklist.")
            % {"name": existing.assessor.name}
        )
    assessment = PracticalAssessment.objects.create(
        checklist_id=checklist.pk, learner_id=learner.pk, assessor=assessor
    )
    logger.info(
        "Practical assessment %s started: learner %s, assessor %s, checklist %s",
        assessment.pk,
        learner.pk,
        assessor.pk,
        checklist.pk,
    )
    return assessment


def _locked_for_change(*, assessment: PracticalAssessment, actor) -> PracticalAssessment:
    """Return `assessment` locked for a change by `actor`, or refuse the change."""
    locked = PracticalAssessment.objects.select_for_update().get(pk=assessment.pk)
    assessor = practical_assessor(user=actor)
    if assessor is None or assessor.pk != locked.assessor_id:
        raise PermissionDenied(_("Only the assessor may change this assessment."))
    if locked.status != PracticalAssessment.Status.IN_PROGRESS:
        raise ValidationError(_("This assessment is completed and can no longer be changed."))
    if not practical_learners(assessor=assessor).filter(pk=locked.learner_id).exists():
        raise PermissionDenied(_("You may no longer assess this person."))
    return locked


def _check_criterion(*, assessment: PracticalAssessment, criterion) -> None:
    if criterion is not None and criterion.checklist_id != assessment.checklist_id:
        raise ValidationError(_("This criterion is not on the assessment's checklist."))


@transaction.atomic
def criterion_record(
    *, assessment: PracticalAssessment, criterion: PracticalCriterion, met: bool, note: str, actor
) -> CriterionResult:
    """Record whether `criterion` was met, replacing what was recorded before."""
    locked = _locked_for_change(assessment=assessment, actor=actor)
    _check_criterion(assessment=locked, criterion=criterion)
    if not isinstance(met, bool):
        raise ValidationError(_("Say whether the criterion was met."))
    note = (note or "").strip()
    limit = CriterionResult._meta.get_field("note").max_length
    if len(note) > limit:
        raise ValidationError(
            _("A note may be at most %(limit)s characters long.") % {"limit": limit}
        )
    result, _created = CriterionResult.objects.update_or_create(
        assessment=locked, criterion_id=criterion.pk, defaults={"met": met, "note": note}
    )
    return result


@transaction.atomic
def evidence_add(
    *,
    assessment: PracticalAssessment,
    uploaded_file,
    criterion: PracticalCriterion | None = None,
    actor,
) -> Evidence:
    """
    Store a photo taken during `assessment`, optionally of one criterion, in the private storage
    under a random name. Refused unless it is an image within the size and count limits.
    """
    locked = _locked_for_change(assessment=assessment, actor=actor)
    _check_criterion(assessment=locked, criterion=criterion)
    max_files = getattr(settings, "PRACTICAL_EVIDENCE_MAX_FILES", DEFAULT_EVIDENCE_MAX_FILES)
    if Evidence.objects.filter(assessment=locked).count() >= max_files:
        raise ValidationError(
            ngettext(
                "An assessment holds at most %(count)s photo.",
                "An assessment holds at most %(count)s photos.",
                max_files,
            )
            % {"count": max_files}
        )
    max_bytes = getattr(settings, "PRACTICAL_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES)
    size = uploaded_file.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("The photo is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}
        )
    content_type, extension = photo_kind(uploaded_file)
    evidence = Evidence(
        assessment=locked,
        criterion=criterion,
        content_type=content_type,
        size=size,
        uploaded_by=actor,
    )
    # The person's file name never reaches the disk: it may say who or where, or be hostile.
    evidence.file.save(f"{secrets.token_hex(16)}{extension}", uploaded_file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def practical_complete(
    *, assessment: PracticalAssessment, actor, notes: str = ""
) -> PracticalAssessment:
    """
    Complete `assessment` once every criterion has a result. It passes when every critical
    criterion is met and at least PASS_PERCENT of all criteria are met; after this nothing in it
    changes.
    """
    locked = _locked_for_change(assessment=assessment, actor=actor)
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            _("The notes may be at most %(limit)s characters long.") % {"limit": NOTES_MAX_LENGTH}
        )
    criteria = list(
        PracticalCriterion.objects.filter(checklist_id=locked.checklist_id).values_list(
            "pk", "critical"
        )
    )
    if not criteria:
        raise ValidationError(_("This checklist has no criteria."))
    met = dict(CriterionResult.objects.filter(assessment=locked).values_list("criterion_id", "met"))
    missing = sum(1 for pk, _critical in criteria if pk not in met)
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)s criterion has no result yet.",
                "%(count)s criteria have no result yet.",
                missing,
            )
            % {"count": missing}
        )
    locked.passed = practical_passed(outcomes=[(critical, met[pk]) for pk, critical in criteria])
    locked.status = PracticalAssessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.notes = notes
    locked.save(update_fields=["passed", "status", "completed_at", "notes"])
    logger.info("Practical assessment %s completed: passed=%s", locked.pk, locked.passed)
    core_hooks.fire(core_hooks.PRACTICAL_COMPLETED, assessment=locked)
    return locked

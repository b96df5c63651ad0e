"""
Reads of practical assessments (实操考核). Who may see one comes from `Staff.objects.visible_to`:
a person sees the assessments of the people they may see, and an assessor those they gave.
"""

import dataclasses

from django.db.models import Q

from network.models import Role, Staff, viewer_outlet_id

from ..models import CriterionResult, Evidence, PracticalAssessment, PracticalChecklist

# Senior technicians (高级技术员) observe colleagues at their own outlet; trainers anyone.
ASSESSOR_ROLES = (Role.SENIOR_TECHNICIAN, Role.TRAINER)


def practical_assessor(*, user) -> Staff | None:
    """
    Return the active staff record through which `user` may assess others, or None. An assessor
    is always a person: a superuser without an assessor role may not assess.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return None
    return (
        Staff.objects.select_related("user", "outlet")
        .filter(user=user, is_active=True, role__in=ASSESSOR_ROLES)
        .first()
    )


def practical_learners(*, assessor: Staff):
    """Return the active people `assessor` may assess, never themselves."""
    if not assessor.is_active or assessor.role not in ASSESSOR_ROLES:
        return Staff.objects.none()
    if assessor.role == Role.TRAINER:
        people = Staff.objects.visible_to(assessor.user)
    elif assessor.outlet_id:
        people = Staff.objects.filter(outlet_id=assessor.outlet_id)
    else:
        return Staff.objects.none()
    return (
        people.active()
        .exclude(pk=assessor.pk)
        .select_related("user", "outlet")
        .order_by("outlet__code", "employee_number")
    )


def practical_checklists():
    """Return the checklists assessors may start an assessment against."""
    return PracticalChecklist.objects.filter(is_active=True).order_by("title", "pk")


def practical_visible(*, user):
    """
    Return the practical assessments `user` may see: those of the people in their scope today,
    and those they assessed of people still at their outlet. An assessor who moves to another
    outlet, perhaps another partner company's, no longer sees the checklists and photos of the
    people they left behind.
    """
    if not user or not user.is_authenticated:
        return PracticalAssessment.objects.none()
    in_scope = Q(learner__in=Staff.objects.visible_to(user))
    outlet_id = viewer_outlet_id(user)
    if outlet_id is None:
        return PracticalAssessment.objects.filter(in_scope)
    return PracticalAssessment.objects.filter(
        in_scope | Q(assessor__user=user, learner__outlet_id=outlet_id)
    )


def practical_list(*, user):
    """Return the practical assessments `user` may see, newest first, ready for a listing."""
    return (
        practical_visible(user=user)
        .select_related(
            "checklist", "learner__user", "learner__outlet", "assessor__user", "assessor__outlet"
        )
        .order_by("-started_at", "-pk")
    )


def practical_get(*, user, pk: int) -> PracticalAssessment:
    """Return one assessment `user` may see; raise PracticalAssessment.DoesNotExist otherwise."""
    return (
        practical_visible(user=user)
        .select_related(
            "checklist", "learner__user", "learner__outlet", "assessor__user", "assessor__outlet"
        )
        .get(pk=pk)
    )


def evidence_get(*, user, pk: int) -> Evidence:
    """Return one evidence photo `user` may see; raise Evidence.DoesNotExist otherwise."""
    return Evidence.objects.filter(assessment__in=practical_visible(user=user)).get(pk=pk)


@dataclasses.dataclass
class CriterionRow:
    criterion: object
    result: CriterionResult | None
    evidence: list


@dataclasses.dataclass
class PracticalSheet:
    rows: list[CriterionRow]
    general_evidence: list
    evidence_count: int

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.rows if row.result is not None)

    @property
    def met(self) -> int:
        return sum(1 for row in self.rows if row.result is not None and row.result.met)

    @property
    def complete(self) -> bool:
        return self.recorded == len(self.rows)


def practical_sheet(*, assessment: PracticalAssessment) -> PracticalSheet:
    """
    Return the criteria of `assessment`'s checklist with what was recorded and the photos of
    each, in three queries whatever the number of criteria and photos.
    """
    criteria = list(assessment.checklist.criteria.order_by("sort_order", "pk"))
    results = {r.criterion_id: r for r in CriterionResult.objects.filter(assessment=assessment)}
    evidence = list(
        Evidence.objects.filter(assessment=assessment)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    rows = [
        CriterionRow(
            criterion=c,
            result=results.get(c.pk),
            evidence=[e for e in evidence if e.criterion_id == c.pk],
        )
        for c in criteria
    ]
    known = {c.pk for c in criteria}
    general = [e for e in evidence if e.criterion_id not in known]
    return PracticalSheet(rows=rows, general_evidence=general, evidence_count=len(evidence))


def staff_practicals(*, staff: Staff) -> list[PracticalAssessment]:
    """Return the practical assessments of the learner `staff`, latest first, in one query."""
    return list(
        PracticalAssessment.objects.filter(learner=staff)
        .select_related("checklist", "assessor__user")
        .order_by("-started_at", "-pk")
    )

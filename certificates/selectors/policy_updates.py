"""Reads of policy updates: a holder's due ones, and each policy change's figures."""

from django.db.models import Count, Q

from courses.models import PolicyChange

from ..models import Certificate, PolicyUpdate

OPEN_STATUSES = (PolicyUpdate.Status.PENDING, PolicyUpdate.Status.MISSED)


def policy_updates_due(*, staff_id: int) -> list[dict]:
    """
    Return the open policy updates of person `staff_id` on their live certificates, soonest due
    first, one per changed lesson (two certificates asking for the same lesson are one reading),
    as the `policy_updates_due` hook asks; in one query.
    """
    rows = (
        PolicyUpdate.objects.filter(
            holder_id=staff_id,
            status__in=OPEN_STATUSES,
            certificate__status__in=Certificate.LIVE_STATUSES,
        )
        .order_by("due_on", "pk")
        .values_list(
            "policy_change__lesson_id",
            "due_on",
            "status",
            "policy_change__summary",
            "policy_change__summary_en",
        )
    )
    due = {}
    for lesson_id, due_on, status, summary, summary_en in rows:
        if lesson_id in due:
            continue
        due[lesson_id] = {
            "lesson_id": lesson_id,
            "due_on": due_on,
            "summary": summary,
            "summary_en": summary_en,
            "missed": status == PolicyUpdate.Status.MISSED,
        }
    return list(due.values())


def policy_change_list(*, limit: int = 100) -> list[PolicyChange]:
    """
    Return the latest policy changes, their lessons and who recorded them, each with the count
    of its holders due, completed and missed (`due`, `completed`, `missed`); in one query.
    """
    S = PolicyUpdate.Status
    return list(
        PolicyChange.objects.select_related("lesson", "created_by")
        .defer("lesson__body", "lesson__body_en")
        .annotate(
            due=Count("updates", filter=Q(updates__status=S.PENDING)),
            completed=Count("updates", filter=Q(updates__status=S.COMPLETED)),
            missed=Count("updates", filter=Q(updates__status=S.MISSED)),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def certificate_policy_updates(*, certificate: Certificate) -> list[PolicyUpdate]:
    """Return the policy updates asked of `certificate`, oldest first, with their changes."""
    return list(
        PolicyUpdate.objects.filter(certificate=certificate)
        .select_related("policy_change__lesson")
        .defer("policy_change__lesson__body", "policy_change__lesson__body_en")
        .order_by("created_at", "pk")
    )

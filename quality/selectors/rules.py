"""Reads of corrective training: what the rules assigned at an outlet, and why."""

from django.db.models import Count, Q

from network.models import Outlet

from ..models.rules import CorrectiveAssignment
from .audits import audit_viewer

# The outlet's report shows the latest assignments; older ones stay in the admin's list.
OUTLET_ASSIGNMENTS = 10


def outlet_corrective_record(*, outlet: Outlet, user) -> dict | None:
    """
    Return the outlet's corrective training (the latest, those in effect first) with each one's
    people and how many have finished, for its compliance report; None for a viewer who sees
    neither audits nor findings. One query whatever the outlet's history.
    """
    viewer = audit_viewer(user)
    if not (viewer.network_wide or viewer.answers_for_outlets):
        return None
    assignments = list(
        CorrectiveAssignment.objects.filter(outlet=outlet)
        .select_related("rule__track", "rule__survey_question", "finding__item")
        .annotate(
            people=Count("enrollments", distinct=True),
            finished=Count(
                "enrollments", filter=Q(enrollments__completed_at__isnull=False), distinct=True
            ),
        )
        .order_by("status", "-created_at", "-pk")[:OUTLET_ASSIGNMENTS]
    )
    return {"outlet": outlet, "assignments": assignments}

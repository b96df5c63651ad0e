"""
What a certificate requirement means for training: everyone it applies to is enrolled in its
track, by the same rule engine as the tracks' own role targets (courses.services), and its
removal withdraws the unfinished enrolments it caused.
"""

from collections import defaultdict

from core import outbox
from courses.services import EnrolmentTarget
from courses.tasks import enrollment_sync_task

from ..models import TrackRequirement


def enrolment_targets(*, track_ids) -> dict[int, list[EnrolmentTarget]]:
    """The people the active requirements of `track_ids` ask to be certified, by track."""
    targets = defaultdict(list)
    for track_id, role, ownership, city_tier in TrackRequirement.objects.filter(
        track_id__in=list(track_ids), is_active=True
    ).values_list("track_id", "role", "ownership", "city_tier"):
        targets[track_id].append(EnrolmentTarget(role, ownership, city_tier))
    return dict(targets)


def requirements_changed(*, track_ids) -> None:
    """Enrol and withdraw for the tracks whose requirements changed, after the commit."""
    ids = sorted({track_id for track_id in track_ids if track_id})
    if ids:
        outbox.enqueue(enrollment_sync_task, track_ids=ids)

"""How training follows changes elsewhere: people in the network, tracks being published."""

from . import services
from .models import TrackPage


def enrol_changed_staff(sender, staff_ids, **kwargs):
    # Runs inside the import's transaction, so an import and its enrolments land together.
    services.enrollment_sync(staff_ids=staff_ids)


def enrol_for_published_track(sender, instance, **kwargs):
    if isinstance(instance, TrackPage):
        from .tasks import enrollment_sync_task

        enrollment_sync_task.delay_on_commit(track_ids=[instance.pk])

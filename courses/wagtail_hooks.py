"""How training follows changes elsewhere: people in the network, tracks being published."""

from wagtail import hooks

from core import hooks as core_hooks

from . import services
from .models import TrackPage


@hooks.register(core_hooks.STAFF_CHANGED)
def enrol_changed_staff(*, staff_ids):
    # Runs inside the import's transaction, so an import and its enrolments land together.
    services.enrollment_sync(staff_ids=staff_ids)


def enrol_for_published_track(sender, instance, **kwargs):
    """Receive Wagtail's page_published signal (connected in apps.py): enrol for a new track."""
    if isinstance(instance, TrackPage):
        from .tasks import enrollment_sync_task

        enrollment_sync_task.delay_on_commit(track_ids=[instance.pk])


@hooks.register(core_hooks.STAFF_RECORD_SECTIONS)
def training_record(*, staff, user):
    """The person's tracks on their record: progress and due dates."""
    from .selectors import my_training

    return core_hooks.RecordSection(
        order=10,
        template="courses/record/training.html",
        context={"training": my_training(staff=staff)},
    )

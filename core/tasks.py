from celery import shared_task
from celery.signals import worker_ready

from . import outbox


@shared_task(name="core.outbox_flush_task", acks_late=True, time_limit=5 * 60, soft_time_limit=270)
def outbox_flush_task() -> int:
    """Hand the broker the tasks that could not be handed over when they were recorded."""
    return outbox.flush()


@worker_ready.connect
def _flush_when_a_worker_starts(**kwargs):
    # After an outage the first worker back hands over what waited, without waiting for beat.
    outbox_flush_task.delay()

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def import_batch_run_task(batch_id: int, apply: bool = False) -> str:
    """Check or import one uploaded HR file; see `services.import_batch_run`."""
    return services.import_batch_run(batch_id=batch_id, apply=apply).status

from celery import shared_task

from . import export_jobs
from .models import ExportJob


@shared_task(
    name="compliance.compliance_export_task",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    # Sent after the commit, the row is there; a replica that lags behind may not show it yet.
    autoretry_for=(ExportJob.DoesNotExist,),
    retry_backoff=2,
    max_retries=5,
)
def compliance_export_task(job_id: int) -> str:
    """Build the export's file; a job already finished is left as it is."""
    return export_jobs.compliance_export_build(job_id=job_id).status

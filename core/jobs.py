"""
The pieces every background job with progress shares: its status, its counters, its timestamps,
and the one state its page shows and its status URL answers (`job_progress_state`). The page
includes `core/job_progress.html`; `core/static/core/job-progress.js` polls the status URL and
updates that box until the job finishes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ProgressJob(models.Model):
    """
    A job a person started and follows on a page. A concrete job declares `total` and `done`,
    with verbose names saying what it counts (certificates, outlets), and may declare `failed`.
    """

    Status = JobStatus
    ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def failed_count(self) -> int:
        return getattr(self, "failed", 0)

    @property
    def percent(self) -> int:
        """How much of the job is behind it: items done or failed, 100 once it is done."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, (self.done + self.failed_count) * 100 // self.total)


def job_progress_state(job: ProgressJob, *, count_label: str, **extra) -> dict:
    """
    The state of `job` as its page shows it and its status URL answers it, the labels already
    in the reader's language. `extra` adds what one kind of job has (stage, error, download).
    """
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "total": job.total,
        "done": job.done,
        "failed": job.failed_count,
        "percent": job.percent,
        "count_label": str(count_label),
        "active": not job.finished,
        "finished": job.finished,
        "stage_label": "",
        "error": "",
        "download_url": None,
        **extra,
    }

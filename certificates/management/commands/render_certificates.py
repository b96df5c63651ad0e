import time

from django.core.management.base import BaseCommand, CommandError

from certificates.models import RenderJob
from certificates.services import rendering


class Command(BaseCommand):
    help = (
        "Draw the PDF of every certificate again, after the certificate template changed, as one "
        "re-rendering job run by the Celery worker in chunks (the same job as the admin's "
        '"Re-render all PDFs" button). Refused while another job runs.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Re-render every certificate (required)."
        )
        parser.add_argument(
            "--wait", action="store_true", help="Print the progress until the job has ended."
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Queue the unfinished job's next chunk again, after its worker died.",
        )

    def handle(self, *args, all=False, wait=False, resume=False, **options):
        if resume:
            job = RenderJob.objects.filter(status__in=RenderJob.ACTIVE_STATUSES).first()
            if job is None:
                raise CommandError("No re-rendering job is queued or running.")
            rendering.render_job_resume(job=job)
            self.stdout.write(f"Job {job.pk} resumed after certificate {job.last_certificate_id}.")
        elif all:
            try:
                job = rendering.render_job_start()
            except rendering.RenderJobRunning as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Job {job.pk} queued: {job.total} certificates.")
        else:
            raise CommandError("Say --all to re-render every certificate's PDF.")
        if wait:
            self._wait(job)

    def _wait(self, job: RenderJob) -> None:
        shown = None
        while True:
            job.refresh_from_db()
            progress = (job.status, job.done, job.failed)
            if progress != shown:
                self.stdout.write(
                    f"{job.get_status_display()}: {job.done} / {job.total} rendered, "
                    f"{job.failed} failed"
                )
                shown = progress
            if job.status not in RenderJob.ACTIVE_STATUSES:
                break
            time.sleep(1)
        if job.status == RenderJob.Status.FAILED:
            raise CommandError(f"Job {job.pk} failed: no certificate could be drawn.")

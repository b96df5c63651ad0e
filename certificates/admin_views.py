"""The Wagtail admin page that re-renders every certificate's PDF and shows the jobs' progress."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.jobs import job_progress_state

from .models import RenderJob
from .services import rendering

RECENT_JOBS = 20


def _job_state(job: RenderJob) -> dict:
    return job_progress_state(
        job,
        count_label=_("%(done)s of %(total)s certificates drawn")
        % {"done": job.done, "total": job.total},
    )


@require_http_methods(["GET", "POST"])
@permission_required("certificates.add_renderjob", raise_exception=True)
def render_jobs(request):
    if request.method == "POST":
        try:
            rendering.render_job_start(actor=request.user)
        except rendering.RenderJobRunning as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Re-rendering started: every certificate's PDF is drawn again.")
            )
        return redirect("certificates_render_jobs")
    jobs = list(RenderJob.objects.select_related("requested_by")[:RECENT_JOBS])
    active = next((job for job in jobs if job.status in RenderJob.ACTIVE_STATUSES), None)
    return render(
        request,
        "certificates/admin/render_jobs.html",
        {
            "jobs": jobs,
            "active": active,
            "active_state": _job_state(active) if active else None,
            "page_title": _("Certificate PDFs"),
            "header_icon": "doc-full",
        },
    )


@require_GET
@permission_required("certificates.view_renderjob", raise_exception=True)
def render_jobs_progress(request):
    """Return the progress of the recent jobs, polled by the admin page while one runs."""
    jobs = RenderJob.objects.all()[:RECENT_JOBS]
    response = JsonResponse({"jobs": [_job_state(job) for job in jobs]})
    response["Cache-Control"] = "no-store"
    return response

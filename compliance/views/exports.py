"""Compliance exports under /compliance/exports/: start one, watch its progress, download it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.jobs import job_progress_state

from .. import selectors
from ..forms import ExportForm
from ..models import ExportJob
from ..services.export_jobs import (
    CONTENT_TYPES,
    compliance_export_start,
    download_name,
    export_file_for,
    export_job_for,
)

RECENT_JOBS = 10


@require_POST
@login_required
def export_start(request):
    form = ExportForm(
        request.POST, choices=selectors.filter_choices(user=request.user), periods=None
    )
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text())
    data = form.cleaned_data
    try:
        job = compliance_export_start(
            user=request.user,
            kind=data["kind"],
            format=data["format"],
            filters=form.filters(),
            period=data["period"],
            outlet=data["outlet"].strip(),
            language=get_language(),
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    return redirect("compliance:export_job", job_id=job.pk)


def _status(job: ExportJob) -> dict:
    done = job.status == ExportJob.Status.DONE
    return job_progress_state(
        job,
        count_label=_("%(done)s of %(total)s outlets") % {"done": job.done, "total": job.total},
        stage=job.stage,
        stage_label=str(job.get_stage_display()) if job.stage else "",
        error=job.error,
        download_url=reverse("compliance:export_download", args=[job.pk]) if done else None,
    )


@require_GET
@login_required
def export_job(request, job_id):
    job = export_job_for(user=request.user, job_id=job_id)
    recent = ExportJob.objects.filter(requested_by=request.user).exclude(pk=job.pk)[:RECENT_JOBS]
    return render(
        request,
        "compliance/exports/job.html",
        {
            "job": job,
            "state": _status(job),
            "filename": download_name(job),
            "recent": list(recent),
        },
    )


@require_GET
@login_required
def export_status(request, job_id):
    job = export_job_for(user=request.user, job_id=job_id)
    response = JsonResponse(_status(job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def export_download(request, job_id):
    job = export_file_for(user=request.user, job_id=job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("Not ready.")
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=download_name(job),
        content_type=CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

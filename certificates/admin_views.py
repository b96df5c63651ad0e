"""
The Wagtail admin pages of certificates: the re-rendering of every certificate's PDF with the
jobs' progress, and the policy changes (a lesson revision marked as one, and each change's
holders due, completed and missed).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.jobs import job_progress_state
from courses import services as course_services
from courses.models import LessonPage

from .forms import PolicyChangeForm
from .models import RenderJob
from .selectors.policy_updates import policy_change_list
from .services import rendering

# The time a holder gets to read a changed lesson, offered when a trainer marks one.
POLICY_UPDATE_DUE_DAYS = course_services.POLICY_UPDATE_DUE_DAYS

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


@require_GET
@permission_required("courses.view_policychange", raise_exception=True)
def policy_changes(request):
    """The policy changes, latest first, with the holders each asked to read it again."""
    return render(
        request,
        "certificates/admin/policy_changes.html",
        {
            "changes": policy_change_list(),
            "page_title": _("Policy changes"),
            "header_icon": "openquote",
        },
    )


def _lesson(request) -> LessonPage:
    value = request.GET.get("lesson", "")
    if not value.isdigit() or len(value) > 18:
        raise Http404("No such lesson.")
    lesson = LessonPage.objects.live().defer_streamfields().filter(pk=int(value)).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


@require_http_methods(["GET", "POST"])
@permission_required("courses.add_policychange", raise_exception=True)
def policy_change_mark(request):
    """Mark the live revision of the lesson `?lesson=` as a policy change."""
    lesson = _lesson(request)
    today = timezone.localdate()
    form = PolicyChangeForm(
        request.POST or None,
        initial={
            "effective_on": today,
            "due_on": today + datetime.timedelta(days=POLICY_UPDATE_DUE_DAYS),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            course_services.policy_change_record(
                actor=request.user, lesson=lesson, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Recorded. Holders of certificates earned on an earlier revision are "
                    "asked to read it."
                ),
            )
            return redirect("certificates_policy_changes")
    return render(
        request,
        "certificates/admin/policy_change_mark.html",
        {
            "lesson": lesson,
            "form": form,
            "page_title": _("Mark as policy change"),
            "header_icon": "openquote",
        },
    )

"""
Practical assessment pages (实操考核). The assessor works from a phone at the bench: one short
form per criterion, photos straight from the camera. Out-of-scope assessments answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from core.errors import refusal_message
from core.storage import private_file_response

from ..forms.practicals import (
    CriterionRecordForm,
    EvidenceForm,
    PracticalCompleteForm,
    PracticalStartForm,
)
from ..models import Evidence, PracticalAssessment, PracticalCriterion
from ..selectors import practicals as selectors
from ..services import practicals as services

PAGE_SIZE = 50
# The start page offers this many names to pick from; anyone else is found by their number.
LEARNER_SUGGESTIONS = 200
EVIDENCE_MAX_AGE = 600


def _practical_or_404(user, pk) -> PracticalAssessment:
    try:
        return selectors.practical_get(user=user, pk=pk)
    except PracticalAssessment.DoesNotExist:
        raise Http404("No such practical assessment") from None


def _for_its_assessor(request, pk) -> PracticalAssessment:
    """Return assessment `pk` for its assessor to work on: 404 out of scope, 403 for others."""
    assessment = _practical_or_404(request.user, pk)
    assessor = selectors.practical_assessor(user=request.user)
    if assessor is None or assessor.pk != assessment.assessor_id:
        raise PermissionDenied
    return assessment


def _checklist_url(assessment, anchor="") -> str:
    url = reverse("assessments:practical_checklist", args=[assessment.pk])
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def practical_list(request):
    assessments = selectors.practical_list(user=request.user)
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    may_start = selectors.practical_assessor(user=request.user) is not None
    return render(
        request,
        "assessments/practical/list.html",
        {"page": page, "may_start": may_start, "pass_percent": services.PASS_PERCENT},
    )


@require_http_methods(["GET", "POST"])
@login_required
def practical_start(request):
    assessor = selectors.practical_assessor(user=request.user)
    if assessor is None:
        raise PermissionDenied
    learners = selectors.practical_learners(assessor=assessor)
    form = PracticalStartForm(
        request.POST or None,
        initial={"learner": request.GET.get("learner", "")},
        learners=learners,
        checklists=selectors.practical_checklists(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.practical_start(
                assessor_user=request.user,
                learner=form.cleaned_data["learner"],
                checklist=form.cleaned_data["checklist"],
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, refusal_message(exc))
        else:
            return redirect(_checklist_url(assessment))
    return render(
        request,
        "assessments/practical/start.html",
        {"form": form, "suggestions": learners[:LEARNER_SUGGESTIONS]},
    )


@require_GET
@login_required
def practical_checklist(request, pk):
    assessment = _for_its_assessor(request, pk)
    if assessment.status != PracticalAssessment.Status.IN_PROGRESS:
        return redirect("assessments:practical_detail", pk=assessment.pk)
    return render(
        request,
        "assessments/practical/checklist.html",
        {
            "assessment": assessment,
            "sheet": selectors.practical_sheet(assessment=assessment),
            "evidence_form": EvidenceForm(checklist=assessment.checklist),
            "complete_form": PracticalCompleteForm(initial={"notes": assessment.notes}),
            "pass_percent": services.PASS_PERCENT,
        },
    )


@require_POST
@login_required
def practical_criterion_record(request, pk, criterion_id):
    assessment = _for_its_assessor(request, pk)
    criterion = get_object_or_404(
        PracticalCriterion, pk=criterion_id, checklist_id=assessment.checklist_id
    )
    form = CriterionRecordForm(request.POST)
    if not form.is_valid():
        # A note refused for what it holds says why (a control character, its length).
        refused = "met" not in form.errors and form.errors.get("note")
        messages.error(
            request,
            " ".join(refused) if refused else _("Choose met or not met; keep the note short."),
        )
    else:
        try:
            services.criterion_record(
                assessment=assessment,
                criterion=criterion,
                met=form.cleaned_data["met"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, refusal_message(exc))
    return redirect(_checklist_url(assessment, f"c{criterion.pk}"))


@require_POST
@login_required
def practical_evidence_add(request, pk):
    assessment = _for_its_assessor(request, pk)
    form = EvidenceForm(request.POST, request.FILES, checklist=assessment.checklist)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_checklist_url(assessment, "evidence"))
    criterion = form.cleaned_data["criterion"]
    try:
        services.evidence_add(
            assessment=assessment,
            uploaded_file=form.cleaned_data["photo"],
            criterion=criterion,
            actor=request.user,
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("Photo added."))
    return redirect(_checklist_url(assessment, f"c{criterion.pk}" if criterion else "evidence"))


@require_POST
@login_required
def practical_complete(request, pk):
    assessment = _for_its_assessor(request, pk)
    form = PracticalCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_checklist_url(assessment, "complete"))
    try:
        assessment = services.practical_complete(
            assessment=assessment, actor=request.user, notes=form.cleaned_data["notes"]
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_message(exc))
        return redirect(_checklist_url(assessment, "complete"))
    if assessment.passed:
        messages.success(request, _("Completed: passed."))
    else:
        messages.warning(request, _("Completed: not passed."))
    return redirect("assessments:practical_detail", pk=assessment.pk)


@require_GET
@login_required
def practical_detail(request, pk):
    assessment = _practical_or_404(request.user, pk)
    assessor = selectors.practical_assessor(user=request.user)
    return render(
        request,
        "assessments/practical/detail.html",
        {
            "assessment": assessment,
            "sheet": selectors.practical_sheet(assessment=assessment),
            "is_assessor": assessor is not None and assessor.pk == assessment.assessor_id,
            "pass_percent": services.PASS_PERCENT,
        },
    )


@require_safe
@login_required
def evidence_file(request, pk):
    """Stream an evidence photo to someone who may see the assessment; 404 to anyone else."""
    try:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
    except Evidence.DoesNotExist:
        raise Http404("No such evidence") from None
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=f"evidence-{evidence.pk}.{extension}",
        max_age=EVIDENCE_MAX_AGE,
    )


urlpatterns = [
    path("practicals/", practical_list, name="practical_list"),
    path("practicals/start/", practical_start, name="practical_start"),
    path("practicals/<int:pk>/", practical_detail, name="practical_detail"),
    path("practicals/<int:pk>/checklist/", practical_checklist, name="practical_checklist"),
    path(
        "practicals/<int:pk>/criteria/<int:criterion_id>/",
        practical_criterion_record,
        name="practical_criterion_record",
    ),
    path("practicals/<int:pk>/evidence/", practical_evidence_add, name="practical_evidence_add"),
    path("practicals/<int:pk>/complete/", practical_complete, name="practical_complete"),
    path("evidence/<int:pk>/", evidence_file, name="evidence_file"),
]

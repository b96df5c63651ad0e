"""
Field audit pages (现场稽核). The auditor works from a phone at the outlet: one short form per
item, photos straight from the camera, the manager's confirmation at the end. The outlet's
managers and partner administrators read their findings and answer them. Out of scope: 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from core.errors import refusal_message
from core.storage import private_file_response

from ..forms.audits import (
    AuditEvidenceForm,
    AuditStartForm,
    AuditSubmitForm,
    FindingAnswerForm,
    FindingFilterForm,
    ItemRecordForm,
    RecheckForm,
)
from ..models.audits import Audit, AuditEvidence, AuditTemplateItem, Finding, Severity
from ..selectors import audits as selectors
from ..services import audits as services

PAGE_SIZE = 50
EVIDENCE_MAX_AGE = 600


def _form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


def _audit_or_404(user, pk) -> Audit:
    try:
        return selectors.audit_get(user=user, pk=pk)
    except Audit.DoesNotExist:
        raise Http404("No such audit") from None


def _for_its_auditor(request, pk) -> Audit:
    """Return audit `pk` for its auditor to work on: 404 out of scope, 403 for others."""
    audit = _audit_or_404(request.user, pk)
    auditor = selectors.audit_viewer(request.user).auditor
    if auditor is None or auditor.pk != audit.auditor_id:
        raise PermissionDenied
    return audit


def _audit_url(audit, anchor="") -> str:
    url = reverse("quality:audit_detail", args=[audit.pk])
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def audit_list(request):
    viewer = selectors.audit_viewer(request.user)
    mine = request.GET.get("mine") == "1" and viewer.auditor is not None
    audits = selectors.audit_list(user=request.user, mine=mine)
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/audits/list.html",
        {"page": page, "mine": mine, "is_auditor": viewer.auditor is not None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def audit_start(request):
    """An audit outside any plan, such as a re-audit (复查) of an outlet's findings."""
    if selectors.audit_viewer(request.user).auditor is None:
        raise PermissionDenied
    form = AuditStartForm(
        request.POST or None,
        initial={"outlet": request.GET.get("outlet", "")},
        templates=selectors.audit_templates(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(
                outlet=form.cleaned_data["outlet"],
                template=form.cleaned_data["template"],
                actor=request.user,
                is_reaudit=form.cleaned_data["is_reaudit"],
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, refusal_message(exc))
        else:
            return redirect(_audit_url(audit))
    return render(request, "quality/audits/start.html", {"form": form})


def _render_audit(request, audit, *, submit_form=None, status=200):
    sheet = selectors.audit_sheet(audit=audit)
    auditor = selectors.audit_viewer(request.user).auditor
    conducting = (
        audit.status == Audit.Status.PLANNED
        and auditor is not None
        and auditor.pk == audit.auditor_id
    )
    context = {"audit": audit, "sheet": sheet, "conducting": conducting}
    if conducting:
        context.update(
            {
                "severities": Severity.choices,
                "evidence_form": AuditEvidenceForm(template_id=audit.template_id),
                "submit_form": submit_form
                or AuditSubmitForm(
                    people=selectors.audit_people(audit=audit),
                    initial={"observed": [p.pk for p in sheet.observed]},
                ),
            }
        )
    return render(request, "quality/audits/detail.html", context, status=status)


@require_GET
@login_required
def audit_detail(request, pk):
    return _render_audit(request, _audit_or_404(request.user, pk))


@require_POST
@login_required
def audit_item_record(request, pk, item_id):
    audit = _for_its_auditor(request, pk)
    item = get_object_or_404(AuditTemplateItem, pk=item_id, template_id=audit.template_id)
    form = ItemRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.audit_item_record(
                audit=audit,
                item=item,
                outcome=form.cleaned_data["outcome"],
                severity=form.cleaned_data["severity"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, refusal_message(exc))
    return redirect(_audit_url(audit, f"i{item.pk}"))


@require_POST
@login_required
def audit_evidence_add(request, pk):
    audit = _for_its_auditor(request, pk)
    form = AuditEvidenceForm(request.POST, request.FILES, template_id=audit.template_id)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_audit_url(audit, "evidence"))
    item = form.cleaned_data["item"]
    try:
        services.audit_evidence_add(
            audit=audit, uploaded_file=form.cleaned_data["photo"], item=item, actor=request.user
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("Photo added."))
    return redirect(_audit_url(audit, f"i{item.pk}" if item else "evidence"))


@require_POST
@login_required
def audit_submit(request, pk):
    audit = _for_its_auditor(request, pk)
    form = AuditSubmitForm(request.POST, people=selectors.audit_people(audit=audit))
    if form.is_valid():
        try:
            services.audit_submit(
                audit=audit,
                actor=request.user,
                observed=form.cleaned_data["observed"],
                manager_name=form.cleaned_data["manager_name"],
                manager_confirmed=form.cleaned_data["manager_confirmed"],
                refusal_note=form.cleaned_data["refusal_note"],
                notes=form.cleaned_data["notes"],
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("Audit submitted."))
            return redirect(_audit_url(audit))
    return _render_audit(request, audit, submit_form=form, status=400)


@require_POST
@login_required
def finding_recheck(request, pk, finding_id):
    audit = _for_its_auditor(request, pk)
    finding = get_object_or_404(Finding, pk=finding_id, outlet_id=audit.outlet_id)
    form = RecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.finding_recheck(
                finding=finding, audit=audit, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("Finding closed."))
    return redirect(_audit_url(audit, "earlier"))


@require_safe
@login_required
def evidence_file(request, pk):
    """Stream an audit photo to someone who may see the audit; 404 to anyone else."""
    try:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
    except AuditEvidence.DoesNotExist:
        raise Http404("No such evidence") from None
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=f"audit-evidence-{evidence.pk}.{extension}",
        max_age=EVIDENCE_MAX_AGE,
    )


@require_GET
@login_required
def finding_list(request):
    form = FindingFilterForm(request.GET or None)
    status = (form.cleaned_data["status"] or "unclosed") if form.is_valid() else "unclosed"
    findings = selectors.finding_list(user=request.user, status=status)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "quality/audits/findings.html", {"page": page, "form": form, "status": status}
    )


@require_http_methods(["GET", "POST"])
@login_required
def finding_detail(request, pk):
    try:
        finding = selectors.finding_get(user=request.user, pk=pk)
    except Finding.DoesNotExist:
        raise Http404("No such finding") from None
    may_answer = selectors.may_answer(user=request.user, finding=finding)
    form = None
    if may_answer:
        form = FindingAnswerForm(
            request.POST or None,
            initial={
                "corrective_action": finding.corrective_action,
                "action_due_on": finding.action_due_on,
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.finding_answer(
                    finding=finding,
                    actor=request.user,
                    corrective_action=form.cleaned_data["corrective_action"],
                    action_due_on=form.cleaned_data["action_due_on"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, refusal_message(exc))
            else:
                messages.success(request, _("Corrective action recorded."))
                return redirect("quality:finding_detail", pk=finding.pk)
    return render(
        request,
        "quality/audits/finding.html",
        {"finding": finding, "form": form},
        status=400 if form is not None and form.errors else 200,
    )

"""
The certificate desk under /certificates/desk/: the quality department finds a certificate and
suspends, reinstates, revokes or corrects it; managers and partner administrators find their
people's certificates and read them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.jobs import job_progress_state

from ..forms import BulkSuspendForm, CorrectionForm, DeskSearchForm, ReasonForm, RevokeForm
from ..models import Certificate
from ..selectors import desk as selectors
from ..services import bulk, issuance

PAGE_SIZE = 50

# What an auditor may do to a certificate in each status, in the order the page offers it.
ACTIONS_BY_STATUS = {
    Certificate.Status.VALID: ("suspend", "correct", "revoke"),
    Certificate.Status.SUSPENDED: ("reinstate", "revoke"),
    Certificate.Status.EXPIRED: ("revoke",),
}
ACTIONS = {
    "suspend": (ReasonForm, issuance.certificate_suspend),
    "reinstate": (ReasonForm, issuance.certificate_reinstate),
    "revoke": (RevokeForm, issuance.certificate_revoke),
}
DONE_MESSAGES = {
    "suspend": gettext_lazy("Certificate %(serial)s is suspended."),
    "reinstate": gettext_lazy("Certificate %(serial)s is reinstated."),
    "revoke": gettext_lazy("Certificate %(serial)s is revoked."),
}


def _require_desk(user) -> None:
    if not selectors.may_use_desk(user=user):
        raise PermissionDenied


@require_GET
@login_required
def desk(request):
    _require_desk(request.user)
    form = DeskSearchForm(request.GET or None, tracks=selectors.desk_tracks())
    certificates = selectors.desk_search(user=request.user, query=form.query())
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/desk/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_act": issuance.may_audit(user=request.user),
        },
    )


def _detail(request, record, *, forms=None, status=200):
    certificate = record.certificate
    may_act = issuance.may_audit(user=request.user)
    actions = ACTIONS_BY_STATUS.get(certificate.status, ()) if may_act else ()
    forms = forms or {}
    action_forms = []
    for action in actions:
        if action in forms:
            form = forms[action]
        elif action == "correct":
            form = CorrectionForm(
                initial={name: getattr(certificate, name) for name in issuance.CORRECTABLE_FIELDS},
                prefix="correct",
            )
        else:
            form = ACTIONS[action][0](prefix=action)
        action_forms.append((action, form))
    return render(
        request,
        "certificates/desk/detail.html",
        {
            "certificate": certificate,
            "events": record.events,
            "chain": record.chain,
            "policy_updates": record.policy_updates,
            "may_act": may_act,
            "action_forms": action_forms,
        },
        status=status,
    )


@require_GET
@login_required
def certificate_detail(request, serial):
    _require_desk(request.user)
    record = selectors.certificate_record(user=request.user, serial=serial)
    return _detail(request, record)


@require_POST
@login_required
def certificate_action(request, serial, action):
    _require_desk(request.user)
    if not issuance.may_audit(user=request.user):
        raise PermissionDenied
    record = selectors.certificate_record(user=request.user, serial=serial)
    certificate = record.certificate
    if action == "correct":
        form = CorrectionForm(request.POST, prefix="correct")
    elif action in ACTIONS:
        form = ACTIONS[action][0](request.POST, prefix=action)
    else:
        raise PermissionDenied
    if not form.is_valid():
        return _detail(request, record, forms={action: form}, status=400)
    reason = form.cleaned_data["reason"]
    try:
        if action == "correct":
            changes = form.changes(certificate)
            if not changes:
                form.add_error(None, _("Nothing was changed; the certificate stays as it is."))
                return _detail(request, record, forms={action: form}, status=400)
            corrected = issuance.certificate_correct(
                certificate=certificate, actor=request.user, reason=reason, changes=changes
            )
            messages.success(
                request,
                _("Certificate %(old)s is replaced by the corrected %(new)s.")
                % {"old": certificate.serial, "new": corrected.serial},
            )
            return redirect("certificates:desk_detail", serial=corrected.serial)
        ACTIONS[action][1](certificate=certificate, actor=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE_MESSAGES[action] % {"serial": certificate.serial})
    return redirect("certificates:desk_detail", serial=certificate.serial)


# Suspending an outlet's certificates at once ---------------------------------------------------


def _require_audit(user) -> None:
    if not issuance.may_audit(user=user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def bulk_suspend(request):
    """Preview the valid certificates of an outlet, then suspend them all with one reason."""
    _require_audit(request.user)
    form = BulkSuspendForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        outlet_code, reason = form.cleaned_data["outlet"], form.cleaned_data["reason"]
        if "confirm" in request.POST:
            try:
                job = bulk.bulk_suspension_start(
                    actor=request.user,
                    outlet_code=outlet_code,
                    reason=reason,
                    digest=request.POST.get("digest", ""),
                )
            except bulk.OutletHasNoCertificates:
                form.add_error("outlet", _("No valid certificate belongs to this outlet."))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("certificates:bulk_suspension", job_id=job.pk)
        candidates = bulk.bulk_suspension_candidates(outlet_code=outlet_code)
        if not candidates and not form.errors:
            form.add_error("outlet", _("No valid certificate belongs to this outlet."))
        preview = {
            "certificates": candidates[: bulk.MAX_CERTIFICATES],
            "digest": bulk.preview_digest(candidates),
        }
    return render(
        request,
        "certificates/desk/bulk_suspend.html",
        {"form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


def _bulk_state(job) -> dict:
    return job_progress_state(
        job,
        count_label=_("%(done)s of %(total)s certificates suspended, %(skipped)s skipped")
        % {"done": job.done, "total": job.total, "skipped": job.failed},
        error=job.error,
    )


@require_GET
@login_required
def bulk_suspension(request, job_id):
    job = bulk.bulk_suspension_for(user=request.user, job_id=job_id)
    return render(
        request, "certificates/desk/bulk_job.html", {"job": job, "state": _bulk_state(job)}
    )


@require_GET
@login_required
def bulk_suspension_status(request, job_id):
    job = bulk.bulk_suspension_for(user=request.user, job_id=job_id)
    response = JsonResponse(_bulk_state(job))
    response["Cache-Control"] = "no-store"
    return response

"""The Wagtail admin page that lists the recorded months and takes this month's snapshot."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import outbox

from . import selectors
from .tasks import compliance_snapshot_now_task


@require_http_methods(["GET", "POST"])
@permission_required("compliance.view_compliancesnapshot", raise_exception=True)
def snapshots(request):
    may_take = request.user.has_perm("compliance.add_compliancesnapshot")
    if request.method == "POST":
        if not may_take:
            raise PermissionDenied
        today = timezone.localdate()
        outbox.enqueue(compliance_snapshot_now_task, request.user.pk, today.isoformat())
        messages.success(
            request,
            _(
                "This month's snapshot is being taken as of %(date)s; it replaces what was "
                "recorded for the month so far. Reload this page in a minute."
            )
            % {"date": today.isoformat()},
        )
        return redirect("compliance_snapshots")
    return render(
        request,
        "compliance/admin/snapshots.html",
        {
            "months": selectors.snapshot_months(),
            "may_take": may_take,
            "this_month": timezone.localdate().replace(day=1),
            "page_title": _("Compliance snapshots"),
            "header_icon": "history",
        },
    )

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import ImportUploadForm
from .imports import OUTLET_COLUMNS, STAFF_COLUMNS
from .models import ImportBatch


@permission_required("network.add_importbatch", raise_exception=True)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_batch_create(
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            actor=request.user,
        )
        return redirect("network_import_detail", pk=batch.pk)
    recent = ImportBatch.objects.select_related("uploaded_by")[:20]
    return render(
        request,
        "network/admin/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "outlet_columns": OUTLET_COLUMNS,
            "staff_columns": STAFF_COLUMNS,
            "page_title": _("Import outlets and staff"),
            "header_icon": "upload",
        },
    )


@permission_required("network.add_importbatch", raise_exception=True)
def import_detail(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.method == "POST":
        try:
            services.import_batch_confirm(batch=batch, actor=request.user)
        except ValueError:
            messages.error(request, _("This file cannot be imported: check it first."))
        else:
            messages.success(request, _("The import has started."))
        return redirect("network_import_detail", pk=batch.pk)
    report = batch.report or {}
    return render(
        request,
        "network/admin/import_detail.html",
        {
            "batch": batch,
            "report": report,
            "errors": report.get("errors", [])[:1000],
            "busy": batch.status in (ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING),
            "page_title": _("Import: %(name)s") % {"name": batch.original_name},
            "header_icon": "upload",
        },
    )

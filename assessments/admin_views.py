"""Importing and exporting question banks in the Wagtail admin."""

import base64
import hashlib
import io
import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .bank_formats import README_SHEET, SHEET, xlsx_columns
from .forms.banks import BankConfirmForm, BankUploadForm
from .models import QuestionCategory
from .services import banks

# The checked file waits in the session for "Import now": the confirmation imports exactly the
# bytes that were checked, and checks them again inside the importing transaction.
SESSION_KEY = "assessments_bank_upload"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render(request, form, report=None, confirm=None, name=""):
    return render(
        request,
        "assessments/admin/bank_import.html",
        {
            "form": form,
            "report": report,
            "errors": report.errors[:1000] if report else [],
            "warnings": report.warnings[:1000] if report else [],
            "skipped": report.skipped[:1000] if report else [],
            "confirm": confirm,
            "file_name": name,
            "columns": xlsx_columns(number="N"),
            "sheet": SHEET,
            "readme_sheet": README_SHEET,
            "format_notes": [
                (
                    "Moodle XML",
                    _(
                        "Categories, multichoice (one or several right answers), truefalse, "
                        "numerical, ordering, shortanswer (with its letter case rule and the * "
                        "wildcard) and matching questions (an answer without an item is an "
                        "extra wrong answer; each item rightly matched earns its share), scored "
                        "with Moodle's grades (a multiple choice earns the sum of the chosen "
                        "grades, between 0 and 1; a single choice the chosen option's grade; a "
                        "numerical or short answer question the best matching answer's), with "
                        "their feedback (general, per answer, right, partly right and wrong), "
                        "shown in the review only with the right answers; hidden questions "
                        "import inactive. A tag difficulty:1, 2 or 3 (easy to hard) sets the "
                        "difficulty, and text in multilang spans or {mlang} gives the Chinese "
                        "and English versions. Formatting is cleaned away (scripts, styles and "
                        "Word's markup with it) and the text kept line by line. Essay, "
                        "description, cloze, calculated, drag and drop, select missing words, "
                        "random and random short-answer matching questions are skipped and "
                        "listed with the reason while the rest import; images and units are "
                        "listed as not imported."
                    ),
                ),
                (
                    "GIFT",
                    _(
                        "$CATEGORY:, ::titles::, single choice {=right ~%50%half right ~wrong}, "
                        "weighted multiple choice {~%50%a ~%50%b ~%-100%c}, {T} and {F}, numeric "
                        "{#3.5:0.1}, {#1..5} or {#=3.14:0.01 =%50%3.1:0.1}, short answer "
                        "{=answer =%50%close answer} (all answers with =, none with ~), matching "
                        "{=item -> answer =item 2 -> answer 2 = -> extra answer}, feedback after "
                        "#, general feedback after ####. Essay questions {} and descriptions "
                        "are skipped and listed with the reason."
                    ),
                ),
            ],
            "categories": QuestionCategory.objects.filter(parent__isnull=True),
            "page_title": _("Import questions"),
            "header_icon": "upload",
        },
    )


@permission_required("assessments.add_question", raise_exception=True)
def bank_import(request):
    if request.method == "POST" and "digest" in request.POST:
        return _bank_import_confirm(request)
    form = BankUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    fmt = form.cleaned_data["format"] or None
    category, strict = form.cleaned_data["category"], form.cleaned_data["strict"]
    report = banks.bank_import(
        content=content,
        filename=upload.name,
        fmt=fmt,
        apply=False,
        actor=request.user,
        default_category=category,
        strict=strict,
    )
    confirm = None
    if report.ok:
        digest = hashlib.sha256(content).hexdigest()
        request.session[SESSION_KEY] = {
            "name": upload.name,
            "format": fmt or "",
            "content": base64.b64encode(content).decode("ascii"),
            "digest": digest,
            "category": list(category),
            "strict": strict,
        }
        confirm = BankConfirmForm(initial={"digest": digest})
    else:
        request.session.pop(SESSION_KEY, None)
    return _render(request, BankUploadForm(), report=report, confirm=confirm, name=upload.name)


def _bank_import_confirm(request):
    form = BankConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not form.is_valid() or not pending or pending["digest"] != form.cleaned_data["digest"]:
        messages.error(request, _("This check is no longer current: upload the file again."))
        return redirect("assessments_bank_import")
    content = base64.b64decode(pending["content"])
    report = banks.bank_import(
        content=content,
        filename=pending["name"],
        fmt=pending["format"] or None,
        apply=True,
        actor=request.user,
        default_category=tuple(pending.get("category") or ()),
        strict=bool(pending.get("strict")),
    )
    del request.session[SESSION_KEY]
    if not report.applied:
        # The bank changed since the check (someone edited a matching question).
        return _render(request, BankUploadForm(), report=report, name=pending["name"])
    messages.success(
        request,
        _(
            "Imported %(name)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
            "%(skipped)s skipped."
        )
        % {
            "name": pending["name"],
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": len(report.skipped),
        },
    )
    return redirect("wagtailsnippets_assessments_question:list")


def _xlsx_response(data: bytes, name: str) -> FileResponse:
    name = re.sub(r'[\\/:*?"<>|]+', "-", name).strip() or "questions"
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE
    )


_MOODLE_TYPES = {"xml": "application/xml", "gift": "text/plain; charset=utf-8"}


@permission_required("assessments.view_question", raise_exception=True)
def bank_export(request, pk):
    category = get_object_or_404(QuestionCategory, pk=pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in _MOODLE_TYPES:
        return _xlsx_response(banks.bank_export(category=category), category.name)
    # What GIFT cannot hold (ordering questions) is left out; the import page says so.
    content, _left_out = banks.bank_export_as(category=category, fmt=fmt)
    name = re.sub(r'[\\/:*?"<>|]+', "-", category.name).strip() or "questions"
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{name}.{'xml' if fmt == 'xml' else 'gift'}",
        content_type=_MOODLE_TYPES[fmt],
    )


@permission_required("assessments.add_question", raise_exception=True)
def bank_template(request):
    return _xlsx_response(banks.bank_export(category=None), "question-bank-template")

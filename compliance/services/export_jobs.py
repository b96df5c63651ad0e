"""
Compliance reports exported to a file in the background: started by a person, built by Celery
with its progress on the job row, downloaded by that person only.

The job stores what was asked (report, format, filters, month, outlet, language), never what
the person could see when asking: the build reads their scope again, so a manager who moved
outlet, or lost the role, meanwhile exports nothing of the old one.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.errors import NotFound
from network.models import NETWORK_WIDE_ROLES, Outlet, Role, viewer_scope_key
from network.selectors import viewer_staff

from .. import exports, pdf
from ..access import may_see_reports
from ..models import ComplianceSnapshot, ExportJob
from ..selectors import (
    Filters,
    ReportNotFound,
    TrendPoint,
    compliance_overview,
    compliance_overview_as_of,
    compliance_trend,
    outlet_report,
    period_parse,
)

logger = logging.getLogger(__name__)


class ExportNotFound(NotFound):
    """No such export of the person asking."""


CONTENT_TYPES = {
    ExportJob.Format.CSV: exports.CSV_CONTENT_TYPE,
    ExportJob.Format.XLSX: exports.XLSX_CONTENT_TYPE,
    ExportJob.Format.PDF: "application/pdf",
}
TREND_MONTHS = 12


def compliance_export_start(
    *,
    user,
    kind: str,
    format: str,
    filters: Filters | None = None,
    period: datetime.date | None = None,
    outlet: str = "",
    language: str = "",
) -> ExportJob:
    """
    Record an export of the overview (narrowed by `filters`) or of the report of `outlet`, as
    of today or of the snapshot of month `period`, in `format`, and queue its build; the file
    is written in `language` (the current one by default). Raise PermissionDenied for a person
    who may not read the reports, NotFound for an outlet outside their scope and
    ValidationError for a kind or format not known; each writes nothing.
    """
    if not may_see_reports(user):
        raise PermissionDenied
    if kind not in ExportJob.Kind.values:
        raise ValidationError(_("Unknown report."), code="kind")
    if format not in ExportJob.Format.values:
        raise ValidationError(_("Choose CSV, XLSX or PDF."), code="format")
    if kind == ExportJob.Kind.OUTLET:
        if not outlet or not Outlet.objects.visible_to(user).filter(code=outlet).exists():
            raise ReportNotFound(f"No outlet {outlet!r} in scope")
    else:
        outlet = ""
    stored = {
        **(filters or Filters()).as_json(),
        "period": period.isoformat() if period else "",
        "outlet": outlet,
        "language": language or translation.get_language() or "",
    }
    job = ExportJob.objects.create(requested_by=user, kind=kind, format=format, filters=stored)
    # The task module imports this one.
    from ..tasks import compliance_export_task

    outbox.enqueue(compliance_export_task, job.pk)
    logger.info("Compliance export %s queued: %s.%s by user %s", job.pk, kind, format, user.pk)
    return job


def compliance_export_build(*, job_id: int, today: datetime.date | None = None) -> ExportJob:
    """
    Build the job's file from the requester's scope as it is now, recording its progress
    (computing, then writing, `done` of `total` outlets). A finished job is returned as it is,
    so a task delivered twice writes one file; one interrupted while running is built again.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.finished:
            return job
        job.status = ExportJob.Status.RUNNING
        job.stage = ExportJob.Stage.COMPUTING
        job.started_at = timezone.now()
        job.done = 0
        job.save(update_fields=["status", "stage", "started_at", "done"])
    try:
        language = job.filters.get("language") or translation.get_language()
        with translation.override(language):
            content, filename = _build(job, today=today or timezone.localdate())
        job.stage = ExportJob.Stage.STORING
        job.save(update_fields=["stage"])
        if job.file:  # written by a run that died before it could finish
            job.file.delete(save=False)
        # A folder per job keeps the name the person downloads free of the storage's suffixes.
        job.file.save(f"{job.pk}/{filename}", ContentFile(content), save=False)
        job.status = ExportJob.Status.DONE
        job.done = job.total
        job.stage = ""
        job.finished_at = timezone.now()
        # The scope the file was written from: it is handed out under that scope only.
        job.filters = {**job.filters, "scope": viewer_scope_key(job.requested_by)}
        job.save(update_fields=["file", "status", "done", "stage", "finished_at", "filters"])
        logger.info("Compliance export %s done: %s bytes", job.pk, len(content))
    except _Refused as exc:
        _fail(job, str(exc))
    except Exception:
        # The requester sees that it failed; what failed is for the log, not for the page.
        logger.exception("Compliance export %s failed", job.pk)
        _fail(job, _("The export could not be written. Please try again."))
    return job


class _Refused(Exception):
    """What the requester may be told: the report cannot be built for them any more."""


def _fail(job: ExportJob, error: str) -> None:
    job.status = ExportJob.Status.FAILED
    job.error = error
    job.stage = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "stage", "finished_at"])


def _progress(job: ExportJob):
    def report(done: int) -> None:
        job.done = min(done, job.total)
        ExportJob.objects.filter(pk=job.pk).update(done=job.done)

    return report


def _stage(job: ExportJob, stage: str, total: int) -> None:
    job.stage, job.total = stage, total
    job.save(update_fields=["stage", "total"])


def _build(job: ExportJob, *, today: datetime.date) -> tuple[bytes, str]:
    user = job.requested_by
    if not user.is_active or not may_see_reports(user):
        raise _Refused(_("You may no longer read the compliance reports."))
    period = period_parse(job.filters.get("period"))
    language = translation.get_language() or ""
    suffix = f"{period:%Y-%m}" if period else today.isoformat()
    if job.kind == ExportJob.Kind.OUTLET:
        code = job.filters.get("outlet", "")
        try:
            report = outlet_report(user=user, code=code, today=today, period=period)
        except ReportNotFound:
            raise _Refused(
                _("The outlet is not in your scope, or has no snapshot of that month.")
            ) from None
        _stage(job, ExportJob.Stage.RENDERING, 1)
        progress = _progress(job)
        if job.format == ExportJob.Format.CSV:
            content = exports.outlet_report_csv(report, progress=progress)
        elif job.format == ExportJob.Format.XLSX:
            content = exports.outlet_report_xlsx(report, progress=progress)
        else:
            content = pdf.outlet_report_pdf(
                report,
                outlet_trend(outlet=report.outlet),
                title=pdf.title("outlet_title", language),
                scope_label=f"{report.compliance.code} {report.compliance.name}",
                language=language,
                progress=progress,
            )
        return content, f"compliance-{_safe(code)}-{suffix}.{job.format}"

    filters = Filters.from_json(job.filters)
    if period is not None:
        overview = compliance_overview_as_of(user=user, period=period, filters=filters)
        if overview is None:
            raise _Refused(_("No snapshot of that month holds the outlets you chose."))
    else:
        overview = compliance_overview(user=user, filters=filters, today=today)
    _stage(job, ExportJob.Stage.RENDERING, len(overview.outlets))
    progress = _progress(job)
    if job.format == ExportJob.Format.CSV:
        content = exports.overview_csv(overview, progress=progress)
    elif job.format == ExportJob.Format.XLSX:
        content = exports.overview_xlsx(overview, progress=progress)
    else:
        content = pdf.overview_pdf(
            overview,
            compliance_trend(user=user, filters=filters, months=TREND_MONTHS),
            title=pdf.title("overview_title", language),
            scope_label=scope_label(user=user, language=language),
            language=language,
            progress=progress,
        )
    return content, f"compliance-overview-{suffix}.{job.format}"


def _safe(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in code)[:40] or "outlet"


def scope_label(*, user, language: str) -> str:
    """Name whose outlets a report covers: the network, a partner company or one outlet."""
    english = (language or "").startswith("en")
    staff = viewer_staff(user=user)
    if user.is_superuser or staff is None or staff.role in NETWORK_WIDE_ROLES:
        return "Whole service network" if english else "全部服务网点"
    if staff.role == Role.PARTNER_ADMIN and staff.partner_company is not None:
        company = staff.partner_company
        return (company.name_en or company.name) if english else company.name
    if staff.outlet is not None:
        return f"{staff.outlet.code} {staff.outlet.name}"
    return ""


def outlet_trend(*, outlet: Outlet, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Return the outlet's last `months` monthly snapshots as trend points, oldest first."""
    rows = (
        ComplianceSnapshot.objects.filter(outlet=outlet)
        .order_by("-period")
        .values_list("period", "compliant", "requirements", "met")[:months]
    )
    return [
        TrendPoint(
            period=period,
            outlets=1,
            compliant_outlets=int(compliant),
            requirements=requirements,
            met=met,
        )
        for period, compliant, requirements, met in reversed(rows)
    ]


def export_job_for(*, user, job_id: int) -> ExportJob:
    """Return the requester's own job; raise ExportNotFound for anybody else's."""
    job = (
        ExportJob.objects.filter(pk=job_id, requested_by=user).first()
        if user.is_authenticated and user.is_active
        else None
    )
    if job is None:
        raise ExportNotFound(f"No export {job_id} of this user")
    return job


def export_file_for(*, user, job_id: int) -> ExportJob:
    """
    Return the requester's finished job while they keep the scope its file was written from;
    raise ExportNotFound otherwise: a manager who moved to a rival's outlet, or lost the
    reports, does not take the old outlet's file along.
    """
    job = export_job_for(user=user, job_id=job_id)
    if job.filters.get("scope") != viewer_scope_key(user) or not may_see_reports(user):
        raise ExportNotFound(f"Export {job_id} was written for a scope this user no longer has")
    return job


def download_name(job: ExportJob) -> str:
    return job.file.name.rsplit("/", 1)[-1] if job.file else ""

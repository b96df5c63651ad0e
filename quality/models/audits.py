"""
Field audits (现场稽核): templates, plans, audits at the outlets, findings and corrective actions.

An auditor of the quality department visits an outlet with a template (a checklist of observable
service norms), records each item as passed, failed or not applicable, and submits the audit with
the outlet manager's signature or a note of their refusal. Each failed item becomes a finding
(稽核问题项) the outlet answers with a corrective action (整改措施) and a date; a later re-audit
(复查) of the outlet closes it. A submitted audit is never changed again.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from core.storage import private_storage
from network.models import Outlet, Role, Staff

__all__ = [
    "AUDIT_ROLES",
    "ANSWERING_ROLES",
    "AuditViewer",
    "audit_viewer",
    "Severity",
    "AuditTemplate",
    "AuditTemplateItem",
    "AuditPlan",
    "Audit",
    "AuditItemResult",
    "AuditEvidence",
    "Finding",
    "FindingEvent",
    "AuditEvent",
]


class Severity(models.TextChoices):
    MINOR = "minor", pgettext_lazy("severity", "Minor")
    MAJOR = "major", pgettext_lazy("severity", "Major")
    CRITICAL = "critical", pgettext_lazy("severity", "Critical")


# Days an outlet has to answer a finding with a corrective action, by severity: a critical
# finding (a warranty refused, salvaged parts undisclosed) cannot wait a month.
RESPONSE_DAYS = {Severity.MINOR: 30, Severity.MAJOR: 14, Severity.CRITICAL: 7}


# The quality department: they audit, see every audit and finding, and close findings.
AUDIT_ROLES = (Role.AUDITOR,)
# Those who answer for outlets: they see their outlets' findings and answer them.
ANSWERING_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN)


@dataclasses.dataclass(frozen=True)
class AuditViewer:
    network_wide: bool = False
    answers_for_outlets: bool = False
    # The auditor's staff record: only a person conducts an audit, never a bare superuser.
    auditor: Staff | None = None


def audit_viewer(user) -> AuditViewer:
    """Return what `user` may do with audits, read once per user object."""
    cached = getattr(user, "_audit_viewer", None)
    if cached is not None:
        return cached
    viewer = AuditViewer()
    if user is not None and user.is_authenticated and user.is_active:
        staff = (
            Staff.objects.select_related("user").filter(user=user, is_active=True).first()
            if not user.is_superuser
            else Staff.objects.select_related("user")
            .filter(user=user, is_active=True, role__in=AUDIT_ROLES)
            .first()
        )
        is_auditor = staff is not None and staff.role in AUDIT_ROLES
        viewer = AuditViewer(
            network_wide=user.is_superuser or is_auditor,
            answers_for_outlets=staff is not None and staff.role in ANSWERING_ROLES,
            auditor=staff if is_auditor else None,
        )
    if user is not None:
        user._audit_viewer = viewer
    return viewer


class AuditTemplate(ClusterableModel):
    """A checklist of observable service norms (服务规范) an auditor checks at an outlet."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        InlinePanel("items", heading=_("Items"), label=_("Item"), min_num=1),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("audit template")
        verbose_name_plural = _("audit templates")

    def __str__(self):
        return self.name


class AuditTemplateItem(Orderable):
    template = ParentalKey(AuditTemplate, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("what the auditor checks"), max_length=300)
    text_en = models.CharField(_("what the auditor checks (English)"), max_length=300, blank=True)
    service_area = models.ForeignKey(
        "compliance.ServiceArea",
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    track = models.ForeignKey(
        "courses.TrackPage",
        verbose_name=_("track"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    default_severity = models.CharField(
        _("severity if failed"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("service_area"), FieldPanel("default_severity")]),
        FieldRowPanel([FieldPanel("track"), FieldPanel("course")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("audit item")
        verbose_name_plural = _("audit items")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_severity__in=[s.value for s in Severity]),
                name="audit_item_severity_valid",
            )
        ]

    def __str__(self):
        return self.text[:60]


class AuditPlan(ClusterableModel):
    """
    A round of audits over a period: outlets picked by hand, and as many more as `sample_size`
    sampled by risk (quality.selectors.audits.outlet_risk_scores). Saving the plan schedules one
    planned audit per outlet (quality.services.audits.audit_plan_schedule).
    """

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    template = models.ForeignKey(
        AuditTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="plans"
    )
    auditors = ParentalManyToManyField(
        Staff,
        verbose_name=_("auditors"),
        related_name="audit_plans",
        limit_choices_to={"role": Role.AUDITOR, "is_active": True},
    )
    outlets = ParentalManyToManyField(
        Outlet,
        verbose_name=_("outlets picked by hand"),
        related_name="+",
        blank=True,
    )
    sample_size = models.PositiveSmallIntegerField(
        _("outlets sampled by risk"),
        default=0,
        help_text=_(
            "How many more outlets to add, the riskiest first: compliance gaps, open findings, "
            "time since the last audit."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("template"),
        FieldPanel("auditors"),
        MultiFieldPanel(
            [FieldPanel("outlets"), FieldPanel("sample_size")], heading=_("Outlets to audit")
        ),
    ]

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("audit plan")
        verbose_name_plural = _("audit plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="audit_plan_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """
        Return the audits `user` may see: the quality department every audit; an outlet manager
        and a partner administrator the submitted audits of the outlets in their scope today;
        anyone else none.
        """
        viewer = audit_viewer(user)
        if viewer.network_wide:
            return self
        if viewer.answers_for_outlets:
            return self.filter(
                status=Audit.Status.SUBMITTED, outlet__in=Outlet.objects.visible_to(user)
            )
        return self.none()


class Audit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SUBMITTED = "submitted", _("Submitted")

    plan = models.ForeignKey(
        AuditPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="audits",
        null=True,
        blank=True,
    )
    template = models.ForeignKey(
        AuditTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="audits"
    )
    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="audits"
    )
    auditor = models.ForeignKey(
        Staff, verbose_name=_("auditor"), on_delete=models.PROTECT, related_name="audits_made"
    )
    is_reaudit = models.BooleanField(
        _("re-audit"),
        default=False,
        help_text=_("A re-audit closes the outlet's earlier findings whose items now pass."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    observed = models.ManyToManyField(
        Staff, verbose_name=_("people observed"), related_name="audits_observed", blank=True
    )
    manager_name = models.CharField(_("outlet manager present"), max_length=100, blank=True)
    manager_confirmed = models.BooleanField(_("confirmed by the outlet manager"), default=False)
    refusal_note = models.CharField(_("refusal to sign"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("field audit")
        verbose_name_plural = _("field audits")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "submitted"]), name="audit_status_valid"
            ),
            # A submitted audit carries the manager's confirmation or the note of their refusal.
            models.CheckConstraint(
                condition=Q(status="planned")
                | (Q(manager_confirmed=True) & ~Q(manager_name=""))
                | ~Q(refusal_note=""),
                name="audit_submitted_signed_or_refused",
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(submitted_at__isnull=False),
                name="audit_submitted_has_time",
            ),
            # One plan visits an outlet once.
            models.UniqueConstraint(
                fields=["plan", "outlet"],
                condition=Q(plan__isnull=False),
                name="audit_once_per_plan_and_outlet",
            ),
        ]
        indexes = [models.Index(fields=["outlet", "status"], name="audit_outlet_status_idx")]

    def __str__(self):
        return f"{self.outlet_id} · {self.created_at:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AuditItemResult(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "na", _("Not applicable")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(AuditTemplateItem, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("audit item result")
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="audit_result_once_per_item"),
            models.CheckConstraint(
                condition=Q(outcome__in=["pass", "fail", "na"]), name="audit_result_outcome_valid"
            ),
            # A failed item says how bad it is; a passed one has no severity.
            models.CheckConstraint(
                condition=(Q(outcome="fail") & Q(severity__in=[s.value for s in Severity]))
                | (~Q(outcome="fail") & Q(severity="")),
                name="audit_result_severity_iff_failed",
            ),
        ]

    def __str__(self):
        return f"{self.audit_id} · {self.item_id}: {self.outcome}"


class AuditEvidence(models.Model):
    """A photo taken during an audit, kept in the private storage and served only in scope."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="evidence")
    item = models.ForeignKey(
        AuditTemplateItem, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    file = models.FileField(upload_to="audits/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit evidence")
        verbose_name_plural = _("audit evidence")

    def __str__(self):
        return f"{self.audit_id} · {self.pk}"


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """
        Return the findings `user` may see: the quality department all; an outlet manager and a
        partner administrator those of the outlets in their scope today; anyone else none.
        """
        viewer = audit_viewer(user)
        if viewer.network_wide:
            return self
        if viewer.answers_for_outlets:
            return self.filter(outlet__in=Outlet.objects.visible_to(user))
        return self.none()


class Finding(models.Model):
    """Something an audit found wrong (稽核问题项), and what the outlet does about it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("finding", "Open")
        ANSWERED = "answered", _("Corrective action given")
        CLOSED = "closed", _("Closed")

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(AuditTemplateItem, on_delete=models.PROTECT, related_name="+")
    # The audit's outlet, kept on the finding: scope and the outlet's report filter by it.
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.CharField(_("description"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    respond_by = models.DateField(_("answer by"))
    corrective_action = models.TextField(_("corrective action"), blank=True)
    action_due_on = models.DateField(_("done by"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_by_audit = models.ForeignKey(
        Audit,
        verbose_name=_("closed by the audit"),
        on_delete=models.PROTECT,
        related_name="findings_closed",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["respond_by", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "closed"]),
                name="finding_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]),
                name="finding_severity_valid",
            ),
            # Only a re-audit closes a finding, and the finding names it.
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_by_audit__isnull=False) & Q(closed_at__isnull=False)),
                name="finding_closed_by_an_audit",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered")
                | (~Q(corrective_action="") & Q(action_due_on__isnull=False)),
                name="finding_answered_has_action",
            ),
            models.UniqueConstraint(fields=["audit", "item"], name="finding_once_per_item"),
        ]
        indexes = [models.Index(fields=["outlet", "status"], name="finding_outlet_status_idx")]

    def __str__(self):
        return f"{self.outlet_id}: {self.description[:40]}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Whether the outlet is late: not answered by `respond_by`, or not done by its date."""
        today = today or timezone.localdate()
        if self.status == self.Status.OPEN:
            return self.respond_by < today
        if self.status == self.Status.ANSWERED:
            return self.action_due_on is not None and self.action_due_on < today
        return False

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class FindingEvent(models.Model):
    """Every change of a finding's status: who, when, from, to and why."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.finding_id}: {self.from_status} → {self.to_status}"


class AuditEvent(models.Model):
    """Every change of an audit's status: who, when, from, to and why."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.audit_id}: {self.from_status} → {self.to_status}"

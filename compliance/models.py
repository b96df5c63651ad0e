"""
What the quality department requires of the service network, and what it found: the tracks each
role must hold (with the ownership and city tier they apply to), the minimum number of certified
people per outlet for each service area, and monthly snapshots of each outlet's compliance that
stay true to their date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.jobs import ProgressJob
from core.storage import private_storage
from network.models import OUTLET_ROLES, CityTier, Ownership

OUTLET_ROLE_CHOICES = [(r.value, r.label) for r in OUTLET_ROLES]


class ServiceArea(models.Model):
    """
    A kind of service an outlet offers customers, such as warranty intake at the counter or phone
    repair (服务类别). An outlet is certified for an area while it has enough certified people
    for it; a warranty-claim system asks exactly this.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self):
        return self.name


class _AppliesTo(models.Model):
    """Which outlets a rule applies to: every outlet, or only one ownership and/or city tier."""

    ownership = models.CharField(
        _("ownership"),
        max_length=10,
        choices=Ownership.choices,
        blank=True,
        help_text=_("Leave empty for every outlet."),
    )
    city_tier = models.PositiveSmallIntegerField(
        _("city tier"),
        choices=CityTier.choices,
        null=True,
        blank=True,
        help_text=_("Leave empty for every city tier."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def applies_to(self, outlet) -> bool:
        return (not self.ownership or self.ownership == outlet.ownership) and (
            self.city_tier is None or self.city_tier == outlet.city_tier
        )


DUPLICATE_REQUIREMENT = _(
    "This role already requires this track at the same outlets (ownership and city tier). "
    "Change or reactivate the existing requirement instead."
)
DUPLICATE_HEADCOUNT_RULE = _(
    "This service area already has a rule for this role and track at the same outlets "
    "(ownership and city tier). Change its minimum instead."
)


class TrackRequirement(_AppliesTo):
    """Everybody serving in `role` at the outlets it applies to must hold `track`'s certificate."""

    role = models.CharField(_("role"), max_length=20, choices=OUTLET_ROLE_CHOICES)
    track = models.ForeignKey(
        "courses.TrackPage",
        verbose_name=_("track"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["role", "track_id", "pk"]
        verbose_name = _("required certificate")
        verbose_name_plural = _("required certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "track", "ownership"],
                condition=Q(city_tier__isnull=True),
                name="track_requirement_unique_any_tier",
                violation_error_message=DUPLICATE_REQUIREMENT,
            ),
            models.UniqueConstraint(
                fields=["role", "track", "ownership", "city_tier"],
                condition=Q(city_tier__isnull=False),
                name="track_requirement_unique",
                violation_error_message=DUPLICATE_REQUIREMENT,
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in OUTLET_ROLES]),
                name="track_requirement_outlet_role",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.track}"


class HeadcountRule(_AppliesTo):
    """
    An outlet may offer `service_area` only with at least `minimum` people in `role` holding a
    valid certificate of `track`.
    """

    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="headcount_rules",
    )
    role = models.CharField(_("role"), max_length=20, choices=OUTLET_ROLE_CHOICES)
    track = models.ForeignKey(
        "courses.TrackPage",
        verbose_name=_("certificate of track"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)

    class Meta:
        ordering = ["service_area", "role", "pk"]
        verbose_name = _("headcount rule")
        verbose_name_plural = _("headcount rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service_area", "role", "track", "ownership"],
                condition=Q(city_tier__isnull=True),
                name="headcount_rule_unique_any_tier",
                violation_error_message=DUPLICATE_HEADCOUNT_RULE,
            ),
            models.UniqueConstraint(
                fields=["service_area", "role", "track", "ownership", "city_tier"],
                condition=Q(city_tier__isnull=False),
                name="headcount_rule_unique",
                violation_error_message=DUPLICATE_HEADCOUNT_RULE,
            ),
            models.CheckConstraint(condition=Q(minimum__gte=1), name="headcount_rule_minimum"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in OUTLET_ROLES]),
                name="headcount_rule_outlet_role",
            ),
        ]

    def __str__(self):
        return _("%(area)s: at least %(minimum)s certified %(role)s") % {
            "area": self.service_area,
            "minimum": self.minimum,
            "role": self.get_role_display(),
        }

    def clean(self):
        if self.minimum is not None and self.minimum < 1:
            raise ValidationError({"minimum": _("A headcount rule needs at least one person.")})


class ComplianceSnapshot(models.Model):
    """
    An outlet's compliance as computed on `as_of`, frozen: the monthly trend and "as of" reports
    read these rows, never today's data.
    """

    outlet = models.ForeignKey(
        "network.Outlet",
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="compliance_snapshots",
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month it stands for."))
    as_of = models.DateField(_("as of"))
    # The outlet's attributes on that date, for roll-ups by company, province, tier and ownership.
    partner_company = models.ForeignKey(
        "network.PartnerCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.CharField(_("province"), max_length=50)
    city_tier = models.PositiveSmallIntegerField(_("city tier"), choices=CityTier.choices)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices)
    people = models.PositiveIntegerField(_("people"))
    requirements = models.PositiveIntegerField(_("requirements"))
    met = models.PositiveIntegerField(_("requirements met"))
    headcount_rules = models.PositiveIntegerField(_("headcount rules"))
    headcount_rules_met = models.PositiveIntegerField(_("headcount rules met"))
    compliant = models.BooleanField(_("compliant"))
    # Every figure of the outlet's report, including each person and requirement, as computed.
    figures = models.JSONField(_("figures"), default=dict)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period", "outlet"]
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "period"], name="snapshot_one_per_month"),
            models.CheckConstraint(
                condition=Q(met__lte=models.F("requirements")), name="snapshot_met_not_above_total"
            ),
        ]
        indexes = [models.Index(fields=["period", "compliant"], name="snapshot_period_idx")]

    def __str__(self):
        return f"{self.outlet_id} {self.period:%Y-%m}"


class ExportJob(ProgressJob):
    """
    One compliance report written to a file in the background (CSV, XLSX or PDF), for the person
    who asked and nobody else. Its scope is read again from the requester when it is built.
    """

    class Kind(models.TextChoices):
        OVERVIEW = "overview", _("Overview of outlets")
        OUTLET = "outlet", _("Outlet report")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        PDF = "pdf", "PDF"

    class Stage(models.TextChoices):
        WAITING = "", _("Waiting for a worker")
        COMPUTING = "computing", _("Computing")
        RENDERING = "rendering", _("Writing the file")
        STORING = "storing", _("Storing")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The report's filters, period ("YYYY-MM-01" or empty for today) and outlet code, as asked.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    total = models.PositiveIntegerField(_("outlets"), default=0)
    done = models.PositiveIntegerField(_("outlets written"), default=0)
    file = models.FileField(
        _("file"), upload_to="compliance/exports/%Y/", storage=private_storage, blank=True
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("compliance export")
        verbose_name_plural = _("compliance exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="export_job_done_within_total"
            ),
            models.CheckConstraint(
                condition=Q(format__in=["csv", "xlsx", "pdf"]), name="export_job_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["overview", "outlet"]), name="export_job_kind"
            ),
        ]

    def __str__(self):
        return f"{self.kind}.{self.format} {self.pk}: {self.status}"


class ReportDelivery(models.Model):
    """
    The monthly report of month `period` e-mailed to one person. The row is written in the same
    transaction as the e-mail is sent, so each person gets each month's report exactly once.
    """

    recipient = models.ForeignKey(
        "network.Staff",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.DateField(_("month"))
    email = models.EmailField(_("sent to"))
    outlets = models.PositiveIntegerField(_("outlets"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "recipient"]
        verbose_name = _("monthly report sent")
        verbose_name_plural = _("monthly reports sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period"], name="report_delivery_once_per_month"
            )
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.period:%Y-%m}"

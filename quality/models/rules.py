"""
Corrective training: the quality department's rules that turn a signal (customers saying the
warranty terms were not explained, an audit finding) into training for the outlet's people.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from compliance.models import ServiceArea
from core.i18n import reads_english
from courses.models import Enrollment, TrackPage
from network.models import Outlet

from .audits import Finding, Severity
from .surveys import SurveyQuestion

SEVERITY_RANK = {Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class CorrectiveRule(models.Model):
    """
    When an outlet's signal crosses the line, assign a track to its people in the given roles:
    either a survey question's yes-rate over the last days falls below a threshold (with enough
    answers to mean something), or an audit finding of a service area is recorded.
    """

    class Trigger(models.TextChoices):
        SURVEY_RATE = "survey_rate", _("Customers' answers fall below a rate")
        FINDING = "finding", _("An audit finding is recorded")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    trigger = models.CharField(_("when"), max_length=12, choices=Trigger.choices)
    survey_question = models.ForeignKey(
        SurveyQuestion,
        verbose_name=_("survey question"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("lowest acceptable yes-rate (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    window_days = models.PositiveSmallIntegerField(
        _("over the last days"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    min_answers = models.PositiveSmallIntegerField(
        _("with at least this many answers"),
        default=20,
        validators=[MinValueValidator(1)],
    )
    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area of the finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave blank for findings of any area."),
    )
    min_severity = models.CharField(
        _("findings from severity"),
        max_length=10,
        choices=Severity.choices,
        default=Severity.MINOR,
    )
    track = models.ForeignKey(
        TrackPage,
        verbose_name=_("corrective training"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    roles = models.JSONField(_("for the roles"), default=list)
    due_days = models.PositiveSmallIntegerField(
        _("days to complete"), default=30, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldPanel("trigger"),
        MultiFieldPanel(
            [
                FieldPanel("survey_question"),
                FieldRowPanel(
                    [
                        FieldPanel("threshold_percent"),
                        FieldPanel("window_days"),
                        FieldPanel("min_answers"),
                    ]
                ),
            ],
            heading=_("Customers' answers"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("service_area"), FieldPanel("min_severity")])],
            heading=_("Audit findings"),
        ),
        FieldPanel("track"),
        FieldPanel("roles"),
        FieldPanel("due_days"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("corrective training rule")
        verbose_name_plural = _("corrective training rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(trigger="survey_rate")
                | (Q(survey_question__isnull=False) & Q(threshold_percent__isnull=False)),
                name="corrective_rule_survey_has_question",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return (self.name_en or self.name) if reads_english() else self.name


class CorrectiveAssignment(models.Model):
    """
    One trigger of a rule at an outlet, and the training it assigned: made once per trigger
    (a finding; or a spell of low answers, until they recover), naming the rule and the evidence.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("In effect")
        ENDED = "ended", _("Ended: the answers recovered")
        WITHDRAWN = "withdrawn", _("Withdrawn: the finding was closed")

    rule = models.ForeignKey(
        CorrectiveRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="assignments"
    )
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="corrective_assignments",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_assignments",
    )
    # What the rule saw, as plain data read back in the viewer's language:
    # {"rate": "45.0", "answers": 38, "days": 30, "threshold": 70} or {"finding": <id>}.
    evidence = models.JSONField(_("evidence"), default=dict)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrollments = models.ManyToManyField(
        Enrollment, verbose_name=_("enrolments"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("corrective training")
        verbose_name_plural = _("corrective training")
        constraints = [
            # Once per trigger: per finding ever, and per outlet while a spell of low answers lasts.
            models.UniqueConstraint(
                fields=["rule", "finding"],
                condition=Q(finding__isnull=False),
                name="corrective_once_per_finding",
            ),
            models.UniqueConstraint(
                fields=["rule", "outlet"],
                condition=Q(finding__isnull=True, status="active"),
                name="corrective_once_per_low_spell",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True)
                | (~Q(status="active") & Q(ended_at__isnull=False)),
                name="corrective_ended_has_time",
            ),
        ]
        indexes = [models.Index(fields=["outlet", "status"], name="corrective_outlet_idx")]

    def __str__(self):
        return f"{self.rule_id} @ {self.outlet_id} ({self.status})"

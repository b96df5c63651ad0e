"""The quality department's monthly record: the four figures of the supervision loop, frozen."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Outlet


class QualitySnapshot(models.Model):
    """
    An outlet's four figures at the end of a month: certification compliance, audit findings,
    customer satisfaction and corrective training. Kept side by side, so the trend shows whether
    the loop works: findings and low answers lead to training, training to better answers.
    """

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month it stands for."))
    # Certification compliance (as the compliance snapshot of the month, or computed then).
    requirements = models.PositiveIntegerField(_("requirements"), default=0)
    met = models.PositiveIntegerField(_("requirements met"), default=0)
    compliant = models.BooleanField(_("compliant"), default=False)
    # Audit findings not closed when the month ended, and of those the overdue.
    open_findings = models.PositiveIntegerField(_("open findings"), default=0)
    overdue_findings = models.PositiveIntegerField(_("overdue findings"), default=0)
    # Customer satisfaction answered during the month; `key_*` is the survey's key question
    # (the warranty terms explained: quality.selectors.overview.key_question).
    survey_answers = models.PositiveIntegerField(_("survey answers"), default=0)
    satisfaction_sum = models.PositiveIntegerField(default=0)
    key_yes = models.PositiveIntegerField(default=0)
    key_answered = models.PositiveIntegerField(default=0)
    # Corrective training in effect when the month ended, and the people it was assigned to.
    corrective_active = models.PositiveIntegerField(_("corrective training in effect"), default=0)
    corrective_people = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        ordering = ["-period", "outlet"]
        verbose_name = _("quality snapshot")
        verbose_name_plural = _("quality snapshots")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "period"], name="quality_snapshot_per_month"),
            models.CheckConstraint(
                condition=models.Q(met__lte=models.F("requirements")),
                name="quality_snapshot_met_not_above_total",
            ),
        ]

    def __str__(self):
        return f"{self.outlet_id} {self.period:%Y-%m}"

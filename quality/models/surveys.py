"""
Customer satisfaction: the survey a customer answers from the counter poster (满意度调查).

A response holds no personal data: no address, no browser, no name. The repair order number a
customer may give is kept only as a keyed hash, salted per outlet, so that one order answers once
at its outlet and the number itself cannot be read back.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.models import ServiceArea
from network.models import Outlet

__all__ = ["SatisfactionMonth", "SurveyAnswer", "SurveyQuestion", "SurveyResponse"]

SATISFACTION_MIN, SATISFACTION_MAX = 1, 5
RECOMMEND_MIN, RECOMMEND_MAX = 0, 10
COMMENT_MAX_LENGTH = 500


class SurveyQuestion(models.Model):
    """
    A yes/no question on a service norm the quality department asks customers ("were the
    warranty terms explained?"). Retired with `is_active`, never deleted: answers point at it.
    """

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A stable name for rules and reports, e.g. warranty_explained."),
    )
    text = models.CharField(_("question"), max_length=200)
    text_en = models.CharField(_("English question"), max_length=200, blank=True)
    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self):
        return self.text

    def text_for(self, *, english: bool) -> str:
        return (self.text_en or self.text) if english else self.text


class SurveyResponse(models.Model):
    """One customer's answer to the survey of one outlet."""

    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("service outlet"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"))
    recommend = models.PositiveSmallIntegerField(_("would recommend"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # HMAC-SHA256 of the repair order number, keyed with SECRET_KEY and salted per outlet; ""
    # when none was given.
    order_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The random part of the form's signed token: a form is sent once.
    form_nonce = models.CharField(max_length=32, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            # One repair order answers once per outlet; the last guard against two at once.
            models.UniqueConstraint(
                fields=["outlet", "order_hash"],
                condition=~Q(order_hash=""),
                name="survey_response_one_per_order",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=SATISFACTION_MIN)
                & Q(satisfaction__lte=SATISFACTION_MAX),
                name="survey_response_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(recommend__gte=RECOMMEND_MIN) & Q(recommend__lte=RECOMMEND_MAX),
                name="survey_response_recommend_range",
            ),
        ]
        indexes = [
            models.Index(fields=["outlet", "submitted_at"], name="survey_response_outlet_idx"),
            models.Index(fields=["submitted_at"], name="survey_response_time_idx"),
        ]

    def __str__(self):
        return f"{self.outlet_id} {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    """A yes or a no to one question; a question the customer skipped has no answer."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    yes = models.BooleanField()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_one_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_id}: {'yes' if self.yes else 'no'}"


class SatisfactionMonth(models.Model):
    """
    An outlet's satisfaction in one month, kept beside the compliance snapshots so that the
    trend reads the same later, whatever questions are retired meanwhile.
    """

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="satisfaction_months")
    month = models.DateField(_("month"))  # its first day
    answers = models.PositiveIntegerField(_("answers"))
    satisfaction_mean = models.FloatField(_("mean satisfaction"), null=True)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    nps = models.FloatField(_("net promoter score"), null=True)
    # {question code: {"yes": n, "answered": n}}
    questions = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "outlet_id"]
        verbose_name = _("monthly satisfaction")
        verbose_name_plural = _("monthly satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "month"], name="satisfaction_month_one_per_outlet"
            )
        ]

    def __str__(self):
        return f"{self.outlet_id} {self.month:%Y-%m}"

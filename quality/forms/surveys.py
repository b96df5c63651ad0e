"""The customer's survey form, and the period and sorting of the satisfaction roll-ups."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models.surveys import (
    COMMENT_MAX_LENGTH,
    RECOMMEND_MAX,
    RECOMMEND_MIN,
    SATISFACTION_MAX,
    SATISFACTION_MIN,
)
from ..selectors.surveys import SORTS

YES, NO, SKIP = "yes", "no", "skip"
HONEYPOT = "website"


class SurveyForm(forms.Form):
    """
    One answer to an outlet's survey: the scales, a yes / no / not sure for each active
    question (field `q_<code>`), a comment, the repair order number, the signed token and the
    honeypot a person never sees.
    """

    satisfaction = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with this service?"),
        choices=[(n, str(n)) for n in range(SATISFACTION_MIN, SATISFACTION_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how satisfied you are, from 1 to 5."),
            "invalid_choice": _("Please choose how satisfied you are, from 1 to 5."),
        },
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend this outlet to a friend?"),
        choices=[(n, str(n)) for n in range(RECOMMEND_MIN, RECOMMEND_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose from 0 (not at all likely) to 10 (extremely likely)."),
            "invalid_choice": _(
                "Please choose from 0 (not at all likely) to 10 (extremely likely)."
            ),
        },
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("Please do not write your name or phone number."),
    )
    order_number = forms.CharField(
        label=_("Repair order number (optional)"),
        required=False,
        max_length=32,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]{4,32}$",
                message=_(
                    "Enter the repair order number as printed on your receipt: 4 to 32 "
                    "letters, digits or hyphens."
                ),
            )
        ],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters"}
        ),
        help_text=_("Printed on your receipt. Each repair order can be rated once."),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    # A field hidden from people by the page's CSS; a bot filling in every field fills it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, questions, english: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        choices = [(YES, _("Yes")), (NO, _("No")), (SKIP, _("Not sure"))]
        for question in questions:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text_for(english=english),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
        # The order on the page: scales, questions, comment, order number; hidden ones last.
        order = ["satisfaction", "recommend", *(f"q_{q.code}" for q in questions)]
        self.order_fields([*order, "comment", "order_number", "token", HONEYPOT])

    @property
    def question_fields(self):
        return [self[f"q_{q.code}"] for q in self.questions]

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(
                _("This form could not be sent. Please open the survey again."), code="honeypot"
            )
        return ""

    def clean_order_number(self):
        return self.cleaned_data["order_number"].strip()

    def answers(self) -> dict[int, bool]:
        """Return {question id: yes} of the questions answered yes or no."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.code}")
            if value in (YES, NO):
                result[question.pk] = value == YES
        return result


class SatisfactionFilterForm(forms.Form):
    """The period, question and order of the roll-ups; a bad value falls back to its default."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[
            (30, _("Last 30 days")),
            (90, _("Last 90 days")),
            (180, _("Last 180 days")),
            (365, _("Last 365 days")),
        ],
        coerce=int,
        required=False,
        empty_value=90,
    )
    question = forms.ChoiceField(label=_("Question"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("worst", _("Lowest yes-rate first")),
            ("best", _("Highest yes-rate first")),
            ("mean", _("Lowest satisfaction first")),
            ("nps", _("Lowest NPS first")),
            ("answers", _("Most answers first")),
            ("code", _("Outlet code")),
        ],
    )

    def __init__(self, *args, questions, english: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            ("", _("Mean satisfaction")),
            *((q.code, q.text_for(english=english)) for q in questions),
        ]

    def values(self) -> dict:
        """Return days, question_code and sort; the defaults for what is missing or bad."""
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "worst"
        return {
            "days": data.get("days") or 90,
            "question_code": data.get("question") or "",
            "sort": sort if sort in SORTS else "worst",
        }

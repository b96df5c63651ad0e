import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportJob
from .selectors import SORTS, Filters, period_parse

VERDICTS = [
    ("", _("Any verdict")),
    ("compliant", _("Compliant")),
    ("non_compliant", _("Not compliant")),
]
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


def period_value(period: datetime.date) -> str:
    return period.strftime("%Y-%m")


class MonthField(forms.Field):
    """A month as YYYY-MM; cleaned to its first day, or None when empty."""

    default_error_messages = {"invalid": _("Choose a month as YYYY-MM.")}

    def to_python(self, value):
        text = str(value or "").strip()
        try:
            return period_parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PeriodForm(forms.Form):
    """The month a report shows, as its snapshot recorded it; empty for today."""

    period = MonthField(label=_("As of"), required=False)


class ComplianceFilterForm(PeriodForm):
    """
    The filters of every compliance report: the overview page reads them from its query, the
    export from its form, and both turn them into `Filters` here. The choices are what the
    viewer's scope holds. `periods` are the months a page may show (those with snapshots);
    None accepts any month, for an export that then says when a month has none.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    partner_company = forms.ChoiceField(label=_("Partner company"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    city_tier = forms.TypedChoiceField(
        label=_("City tier"), coerce=int, empty_value=None, required=False
    )
    ownership = forms.ChoiceField(label=_("Ownership"), required=False)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=VERDICTS, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, choices: dict, periods: list[datetime.date] | None):
        super().__init__(data)
        self.periods = periods
        fields = self.fields
        fields["partner_company"].choices = [
            ("", _("All partner companies")),
            *choices["partner_companies"],
        ]
        fields["province"].choices = [
            ("", _("All provinces")),
            *[(p, p) for p in choices["provinces"]],
        ]
        fields["city_tier"].choices = [("", _("All tiers")), *choices["city_tiers"]]
        fields["ownership"].choices = [("", _("All")), *choices["ownerships"]]
        fields["period"].widget = forms.Select(
            choices=[("", _("Today")), *[(period_value(p), period_value(p)) for p in periods or []]]
        )

    def clean_period(self):
        period = self.cleaned_data["period"]
        if period is not None and self.periods is not None and period not in self.periods:
            raise forms.ValidationError(_("No snapshot of that month."), code="period")
        return period

    def _value(self, name):
        # A field that failed validation narrows nothing; the others still apply.
        if self.is_bound:
            self.is_valid()
            return self.cleaned_data.get(name)
        return None

    def filters(self) -> Filters:
        return Filters(
            partner_company=self._value("partner_company") or "",
            province=self._value("province") or "",
            city_tier=self._value("city_tier"),
            ownership=self._value("ownership") or "",
            verdict=self._value("verdict") or "",
            search=(self._value("q") or "").strip(),
            sort=self._value("sort") or "code",
        )

    def as_of_period(self) -> datetime.date | None:
        return self._value("period")


class ExportForm(ComplianceFilterForm):
    """A report to export: which one, in which format, of which outlet, with the filters."""

    kind = forms.ChoiceField(choices=ExportJob.Kind.choices)
    format = forms.ChoiceField(choices=ExportJob.Format.choices)
    outlet = forms.CharField(required=False, max_length=32)

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SORTS, Filters

VERDICTS = [
    ("", _("Any verdict")),
    ("compliant", _("Compliant")),
    ("non_compliant", _("Not compliant")),
]
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


def period_value(period: datetime.date) -> str:
    return period.strftime("%Y-%m")


def period_parse(value: str) -> datetime.date | None:
    """Return the first day of the month `value` (YYYY-MM) names, None if it names none."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


class ComplianceFilterForm(forms.Form):
    """Narrows the overview; the choices are what the viewer's scope holds."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    partner_company = forms.ChoiceField(label=_("Partner company"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    city_tier = forms.TypedChoiceField(
        label=_("City tier"), coerce=int, empty_value=None, required=False
    )
    ownership = forms.ChoiceField(label=_("Ownership"), required=False)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=VERDICTS, required=False)
    period = forms.ChoiceField(label=_("As of"), required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, choices: dict, periods: list[datetime.date]):
        super().__init__(data)
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
        fields["period"].choices = [
            ("", _("Today")),
            *[(period_value(p), period_value(p)) for p in periods],
        ]

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
        return period_parse(self._value("period") or "")

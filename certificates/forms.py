"""The forms of the certificate desk: its search, and the reason every change needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate
from .selectors.desk import DeskQuery
from .services.issuance import CORRECTABLE_FIELDS, REASON_MAX_LENGTH


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, employee number, serial or code"), required=False, max_length=100
    )
    outlet = forms.CharField(label=_("Outlet code"), required=False, max_length=32)
    partner_company = forms.CharField(
        label=_("Partner company code"), required=False, max_length=32
    )
    track = forms.TypedChoiceField(label=_("Track"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Certificate.Status.choices],
    )
    expires_after = forms.DateField(
        label=_("Valid until, from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_before = forms.DateField(
        label=_("Valid until, to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data=None, *, tracks):
        super().__init__(data)
        self.fields["track"].choices = [("", _("Any track")), *tracks]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("expires_after"), cleaned.get("expires_before")
        if after and before and after > before:
            raise forms.ValidationError(_("The expiry window ends before it starts."))
        return cleaned

    def query(self) -> DeskQuery:
        if not self.is_bound or not self.is_valid():
            return DeskQuery()
        data = self.cleaned_data
        return DeskQuery(
            text=data["q"].strip(),
            outlet=data["outlet"].strip(),
            partner_company=data["partner_company"].strip(),
            track=data["track"],
            status=data["status"],
            expires_after=data["expires_after"],
            expires_before=data["expires_before"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the certificate's history; the public page shows the status only."),
    )


class RevokeForm(ReasonForm):
    confirm = forms.BooleanField(
        label=_("I understand that a revoked certificate cannot be reinstated."), required=True
    )


class CorrectionForm(ReasonForm):
    """The details printed on a certificate that an auditor may correct."""

    holder_name = forms.CharField(label=_("Holder name"), max_length=150)
    employee_number = forms.CharField(label=_("Employee number"), max_length=32)
    outlet_code = forms.CharField(label=_("Outlet code"), max_length=32, required=False)
    outlet_name = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    outlet_name_en = forms.CharField(label=_("Outlet (English)"), max_length=200, required=False)
    partner_company_name = forms.CharField(
        label=_("Partner company"), max_length=200, required=False
    )
    track_title = forms.CharField(label=_("Track"), max_length=255)
    track_title_en = forms.CharField(label=_("Track (English)"), max_length=255, required=False)

    field_order = [*CORRECTABLE_FIELDS, "reason"]

    def changes(self, certificate: Certificate) -> dict:
        """The corrected fields that differ from what `certificate` says."""
        return {
            name: self.cleaned_data[name]
            for name in CORRECTABLE_FIELDS
            if self.cleaned_data[name] != getattr(certificate, name)
        }


class BulkSuspendForm(ReasonForm):
    outlet = forms.CharField(label=_("Outlet code"), max_length=32)

    field_order = ["outlet", "reason"]


class PolicyChangeForm(forms.Form):
    """A trainer's marking of a lesson's live revision as a policy change."""

    summary = forms.CharField(label=_("What changed"), max_length=200)
    summary_en = forms.CharField(label=_("What changed (English)"), max_length=200, required=False)
    effective_on = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("Read by"),
        help_text=_("Holders of certificates earned on an earlier revision must read it by then."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

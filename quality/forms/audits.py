from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Outlet

from ..models.audits import AuditItemResult, AuditTemplateItem, Finding, Severity
from ..services.audits import CORRECTIVE_ACTION_MAX_LENGTH


class ItemRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AuditItemResult.Outcome.choices, widget=forms.RadioSelect
    )
    severity = forms.ChoiceField(
        label=_("Severity if failed"),
        choices=[("", _("The item's default")), *Severity.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=AuditItemResult._meta.get_field("note").max_length,
    )


class AuditEvidenceForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    item = forms.ModelChoiceField(
        label=_("Of item"),
        queryset=AuditTemplateItem.objects.none(),
        required=False,
        empty_label=_("The audit as a whole"),
    )

    def __init__(self, *args, template_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AuditTemplateItem.objects.filter(
            template_id=template_id
        ).order_by("sort_order", "pk")


class AuditSubmitForm(forms.Form):
    observed = forms.ModelMultipleChoiceField(
        label=_("People observed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    manager_name = forms.CharField(
        label=_("Outlet manager present"), required=False, max_length=100
    )
    manager_confirmed = forms.BooleanField(
        label=_("The outlet manager has read the results and confirms them"), required=False
    )
    refusal_note = forms.CharField(
        label=_("Or: the manager refused to sign, because"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observed"].queryset = people
        self.fields["observed"].label_from_instance = lambda s: f"{s.name} ({s.employee_number})"


class RecheckForm(forms.Form):
    reason = forms.CharField(label=_("What you saw"), required=False, max_length=500)


class FindingAnswerForm(forms.Form):
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        max_length=CORRECTIVE_ACTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    action_due_on = forms.DateField(
        label=_("Done by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_action_due_on(self):
        value = self.cleaned_data["action_due_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The date may not be in the past."))
        return value


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("unclosed", _("Not closed")), *Finding.Status.choices, ("all", _("All"))],
    )


class AuditStartForm(forms.Form):
    outlet = forms.CharField(label=_("Outlet code"), max_length=32)
    template = forms.ModelChoiceField(label=_("Template"), queryset=None)
    is_reaudit = forms.BooleanField(
        label=_("Re-audit: items that now pass close the outlet's earlier findings"),
        required=False,
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates

    def clean_outlet(self):
        outlet = Outlet.objects.filter(code=self.cleaned_data["outlet"].strip(), is_active=True)
        found = outlet.first()
        if found is None:
            raise forms.ValidationError(_("No active outlet has this code."))
        return found

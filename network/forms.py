from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CityTier, ImportBatch, Ownership, Role

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class OutletFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.CharField(label=_("Province"), required=False, max_length=50)
    tier = forms.TypedChoiceField(
        label=_("City tier"),
        choices=[("", _("All tiers")), *CityTier.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    ownership = forms.ChoiceField(
        label=_("Ownership"), choices=[("", _("All")), *Ownership.choices], required=False
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file lists"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The first row names the columns. Import outlets before their staff."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

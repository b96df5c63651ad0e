from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CriterionResult, PracticalChecklist, PracticalCriterion
from ..services.practicals import NOTES_MAX_LENGTH


class PracticalStartForm(forms.Form):
    learner = forms.ModelChoiceField(
        label=_("Employee number of the person assessed"),
        queryset=None,
        to_field_name="employee_number",
        # Typed or picked from a list: an outlet's people fit in a select, a network does not.
        widget=forms.TextInput(attrs={"list": "practical-learners", "autocomplete": "off"}),
        error_messages={"invalid_choice": _("You may not assess anyone with this number.")},
    )
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=None)

    def __init__(self, *args, learners, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
        self.fields["checklist"].queryset = checklists


class CriterionRecordForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Observed"),
        choices=[("1", _("Met")), ("0", _("Not met"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=CriterionResult._meta.get_field("note").max_length,
    )


class EvidenceForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    criterion = forms.ModelChoiceField(
        label=_("Of criterion"),
        queryset=PracticalCriterion.objects.none(),
        required=False,
        empty_label=_("The assessment as a whole"),
    )

    def __init__(self, *args, checklist: PracticalChecklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = checklist.criteria.order_by("sort_order", "pk")


class PracticalCompleteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

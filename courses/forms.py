from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TrackPage


class AssignForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Track"), queryset=TrackPage.objects.none())
    employee_number = forms.CharField(
        label=_("Employee number"),
        required=False,
        max_length=32,
        help_text=_("Leave empty to assign the track to everyone at the outlet."),
    )

    def __init__(self, *args, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = tracks
        self.fields["track"].label_from_instance = lambda t: t.display_title


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

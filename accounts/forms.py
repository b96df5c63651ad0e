from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class SignInForm(LoginForm):
    """allauth's sign-in, its one field named for everything a person may type into it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username, employee number or phone")
        login.widget.attrs.update(
            {
                "placeholder": _("Username, employee number or phone"),
                "autocomplete": "username",
                "autocapitalize": "none",
            }
        )
        if "password" in self.fields:
            # allauth's help links to its e-mail reset; the page links to all the ways instead.
            self.fields["password"].help_text = ""


class ActivationCodeForm(forms.Form):
    """For the person with a printed slip and no way to scan its QR code."""

    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label=_("Code from your slip or message"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class NewPasswordForm(forms.Form):
    """A new password, checked by Django's validators against the person it is for."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Employee number or phone"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class ResetCodeForm(NewPasswordForm):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    field_order = ["code", "password1", "password2"]

"""
Sign-in by what a person knows of themselves: the username the admin gave them, the employee
number on their HR record, or the phone number HR has for them.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.phones import phone_normalise
from network.models import Staff


def user_for_identifier(identifier: str):
    """
    Return the user a sign-in identifier names, or None. A username wins over an employee
    number, which wins over a phone number; a phone number shared by two active people names
    neither.
    """
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    user = User._default_manager.filter(username__iexact=identifier).first()
    if user is not None:
        return user
    staff = (
        Staff.objects.select_related("user")
        .filter(employee_number__iexact=identifier, user__isnull=False)
        .first()
    )
    if staff is not None:
        return staff.user
    phone = phone_normalise(identifier)
    if len(phone) >= 7 and phone.lstrip("+").isdigit():
        matches = list(
            Staff.objects.select_related("user")
            .filter(phone=phone, is_active=True, user__isnull=False)
            .order_by("pk")[:2]
        )
        if len(matches) == 1:
            return matches[0].user
    return None


def axes_username(request, credentials) -> str:
    """
    The name django-axes counts failures under: the account an identifier resolves to, so that
    switching between username, employee number and phone does not buy more guesses.
    """
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("login")
    if typed is None and request is not None:
        typed = request.POST.get("login") or request.POST.get("username")
    user = user_for_identifier(typed or "")
    return user.get_username() if user is not None else (typed or "").strip().lower()


class StaffIdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            # Spend the time a password check takes, so a wrong identifier and a wrong
            # password cannot be told apart by timing (as ModelBackend does).
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """
    django-axes' check, for sign-ins that come with a request (every page does). A call without
    one (a script, the shell) has no client to count against and is let through to the next
    backend, which still checks the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from network import access as network_access
from network.models import NETWORK_WIDE_ROLES

SEEN_KEY = "accounts_seen"
MFA_OK_KEY = "accounts_mfa_ok"
# How stale the last-seen time may get before it is written again: a session is saved at most
# this often, not on every request.
_SEEN_RESOLUTION = 5 * 60
# Paths a person who must add a second factor may still open.
_MFA_OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/login/",
    "/i18n/",
)


def seen_now(session) -> None:
    """Note a request in `session`; set at sign-in, so a fresh session is not saved again."""
    session[SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.SESSION_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if seen is not None and now - seen > timeout:
                logout(request)
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
            if seen is None or now - seen > _SEEN_RESOLUTION:
                seen_now(request.session)
        return self.get_response(request)


def is_privileged(user, request=None) -> bool:
    """Trainers, senior trainers, auditors, administrators and anyone who may open the admin."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if request is not None and network_access.session_role(request) in NETWORK_WIDE_ROLES:
        return True
    return user.has_perm("wagtailadmin.access_admin")


def _signed_in_with_second_factor(request) -> bool:
    methods = request.session.get("account_authentication_methods") or []
    return any(m.get("method") == "mfa" for m in methods)


class SecondFactorRequiredMiddleware:
    """
    With MFA_REQUIRED_FOR_PRIVILEGED on, a privileged person uses nothing, on the site or in the
    admin, until they have a second factor and signed in with it. Decided once per session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.session.get(MFA_OK_KEY)
        ):
            response = self._enforce(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _enforce(self, request):
        user = request.user
        if not is_privileged(user, request):
            request.session[MFA_OK_KEY] = True
            return None
        has_factor = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if has_factor and _signed_in_with_second_factor(request):
            request.session[MFA_OK_KEY] = True
            return None
        if request.path.startswith(_MFA_OPEN_PREFIXES):
            return None
        if has_factor:
            # Signed in some way that skipped the second factor: sign in again, with it.
            logout(request)
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")

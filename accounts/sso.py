"""
Single sign-on: an identity from the brand's provider signs in a person who already exists.

Nobody is created here. An identity is linked, once, to the person its link claim names (see
docs/identity-sso.md), and afterwards signs in by that link alone. An identity that names nobody,
names an inactive person, or names someone other than the person linking it, is refused with a
page that says so and a SSO_REFUSED event.
"""

import logging
from dataclasses import dataclass

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_noop

from core.phones import phone_normalise
from network.models import Staff

from .events import event_record
from .models import SignInEvent

logger = logging.getLogger(__name__)

LINK_CLAIMS = ("employee_number", "email", "phone")

# DingTalk's personal API (contact/users/me) returns no job number; what names the person is the
# mobile number DingTalk verified when the account was registered, matched to Staff.phone.
_PROVIDER_LINK_CLAIMS = {"dingtalk": "phone"}

# Provider names the sign-in buttons translate ({% translate provider.name %}).
_PROVIDER_NAMES = (
    gettext_noop("DingTalk"),
    gettext_noop("WeCom"),
    gettext_noop("Company account"),  # accounts.providers.environment.OIDC_DEFAULT_NAME
)


class Refusal:
    """Why an identity signs nobody in; the value is what the SSO_REFUSED event records."""

    NO_CLAIM = "no_claim"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    INACTIVE = "inactive"
    SOMEONE_ELSE = "someone_else"


@dataclass(frozen=True)
class PersonMatch:
    user: object | None = None
    refusal: str | None = None


def sso_link_claim(provider) -> str:
    """Return the claim that names the person for identities of `provider`."""
    claim = (
        (provider.app.settings or {}).get("link_claim")
        or _PROVIDER_LINK_CLAIMS.get(provider.id)
        or settings.SSO_LINK_CLAIM
    )
    if claim not in LINK_CLAIMS:
        raise ImproperlyConfigured(
            f"SSO link claim {claim!r} for {provider.sub_id}: use one of {', '.join(LINK_CLAIMS)}"
        )
    return claim


def _identity_data(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == "openid_connect":
        # The ID token's claims, overridden by the userinfo endpoint's where both have one.
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return data


def sso_claim_value(sociallogin, claim: str) -> str:
    """Return the value of `claim` in the identity of `sociallogin`, or ""."""
    provider = sociallogin.provider
    data = _identity_data(sociallogin)
    if claim == "employee_number":
        key = (
            (provider.app.settings or {}).get("employee_number_claim")
            or getattr(provider, "employee_number_claim", None)
            or settings.SSO_EMPLOYEE_NUMBER_CLAIM
        )
        return str(data.get(key) or "").strip()
    if claim == "email":
        # Only an address the provider vouches for: an address anyone may type into their
        # profile at the provider must not open someone else's account here.
        for address in sociallogin.email_addresses:
            if address.verified and address.email:
                return address.email.strip()
        return ""
    if provider.id == "dingtalk":
        mobile = str(data.get("mobile") or "").strip()
        country = str(data.get("stateCode") or "86").strip()
        if mobile and country != "86":
            mobile = f"+{country}{mobile}"
        return phone_normalise(mobile)
    if data.get("phone_number") and data.get("phone_number_verified"):
        return phone_normalise(str(data["phone_number"]))
    return ""


def _is_usable(user) -> bool:
    """An active account, and, for a person of the network, one HR keeps active."""
    try:
        staff = user.staff
    except Staff.DoesNotExist:
        staff = None
    return user.is_active and (staff is None or staff.is_active)


def sso_person_for_claim(claim: str, value: str) -> PersonMatch:
    """
    Return the one active person `value` names by `claim`, or why there is none. Only people HR
    keeps active, with an active account, can be named.
    """
    if not value:
        return PersonMatch(refusal=Refusal.NO_CLAIM)
    if claim == "employee_number":
        staff = list(Staff.objects.select_related("user").filter(employee_number__iexact=value)[:2])
        if not staff:
            return PersonMatch(refusal=Refusal.UNKNOWN)
        if len(staff) > 1:
            return PersonMatch(refusal=Refusal.AMBIGUOUS)
        user = staff[0].user
        if not (staff[0].is_active and user.is_active):
            return PersonMatch(user=user, refusal=Refusal.INACTIVE)
        return PersonMatch(user=user)
    if claim == "email":
        users = list(
            get_user_model()
            ._default_manager.filter(email__iexact=value)
            .select_related("staff")
            .order_by("pk")
        )
        active = [u for u in users if _is_usable(u)]
    else:
        staff = list(Staff.objects.select_related("user").filter(phone=value).order_by("pk"))
        users = [s.user for s in staff]
        active = [s.user for s in staff if s.is_active and s.user.is_active]
    if len(active) > 1:
        return PersonMatch(refusal=Refusal.AMBIGUOUS)
    if active:
        return PersonMatch(user=active[0])
    if users:
        return PersonMatch(user=users[0], refusal=Refusal.INACTIVE)
    return PersonMatch(refusal=Refusal.UNKNOWN)


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """
    A sign-in provider this site has no app for. Its sign-in and callback pages are not there:
    404, where allauth's OAuth 2 views would let SocialApp.DoesNotExist out as a server error.
    It is still a SocialApp.DoesNotExist for allauth's own code that expects one.
    """


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise ProviderNotConfigured(f"No sign-in app for {provider!r}") from exc

    def pre_social_login(self, request, sociallogin):
        """
        Link a new identity to the person its claim names, or refuse it. Runs after allauth
        looked the identity up: `sociallogin.is_existing` means it is linked already.
        """
        connecting = sociallogin.state.get("process") == AuthProcess.CONNECT
        provider = sociallogin.provider
        claim = sso_link_claim(provider)
        value = sso_claim_value(sociallogin, claim)

        if sociallogin.is_existing:
            if connecting and sociallogin.user != request.user:
                self._refuse(request, sociallogin, Refusal.SOMEONE_ELSE, value, claim)
            if not connecting and not _is_usable(sociallogin.user):
                self._refuse(
                    request, sociallogin, Refusal.INACTIVE, value, claim, user=sociallogin.user
                )
            return

        match = sso_person_for_claim(claim, value)
        if connecting:
            # Linking while signed in links only the identity that names the person signed in:
            # on an outlet's shared computer, someone else's identity must not be linked to the
            # account left signed in there.
            if match.user is not None and match.user != request.user:
                self._refuse(request, sociallogin, Refusal.SOMEONE_ELSE, value, claim)
            if match.refusal:
                self._refuse(request, sociallogin, match.refusal, value, claim)
            return  # allauth connects it to request.user
        if match.refusal:
            self._refuse(request, sociallogin, match.refusal, value, claim, user=match.user)
        # Linked now, so allauth goes on to sign the person in as an existing account.
        sociallogin.connect(request, match.user)

    def _refuse(self, request, sociallogin, refusal, value, claim, *, user=None):
        provider = sociallogin.provider
        event_record(
            SignInEvent.Kind.SSO_REFUSED,
            user=user if user is not None else _signed_in(request),
            request=request,
            identifier=value,
            provider=provider.sub_id,
            claim=claim,
            reason=refusal,
        )
        connecting = sociallogin.state.get("process") == AuthProcess.CONNECT
        context = {
            "provider_name": provider.name,
            "refusal": refusal,
            "claim": claim,
            "connecting": connecting,
            "back_url": reverse("socialaccount_connections" if connecting else "account_login"),
        }
        raise ImmediateHttpResponse(
            render(request, "accounts/sso_refused.html", context, status=403)
        )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # What went wrong between us and the provider is for the logs; the person sees
        # allauth's "could not sign you in" page.
        logger.warning("Single sign-on with %s failed: %s %r", provider.sub_id, error, exception)
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None

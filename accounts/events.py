"""
The audit trail's receivers: Django's, allauth's and django-axes' signals, each turned into one
accounts.SignInEvent row. Actions of this app (activation, resets, locks lifted, sessions ended)
record their own events in accounts.services.
"""

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from allauth.socialaccount.signals import social_account_added, social_account_removed
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import SignInEvent


def _client(request) -> dict:
    if request is None or not hasattr(request, "META"):
        return {}
    address = request.META.get("REMOTE_ADDR") or None
    return {
        "ip_address": address,
        "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:300],
    }


def event_record(kind, *, user=None, request=None, actor=None, identifier="", **detail):
    """Write one audit row; `detail` must hold no secret."""
    return SignInEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        identifier=(identifier or "")[:150],
        detail=detail,
        **_client(request),
    )


@receiver(user_logged_in, dispatch_uid="accounts_signed_in")
def _signed_in(sender, request, user, **kwargs):
    from .middleware import seen_now

    if request is not None and hasattr(request, "session"):
        seen_now(request.session)
        if request.META.get("REMOTE_ADDR"):
            # allauth records the sessions of its own sign-in; activation and reset sign in
            # through Django's login(), and their sessions must be endable too. Idempotent.
            from allauth.usersessions.models import UserSession

            UserSession.objects.create_from_request(request)
    event_record(SignInEvent.Kind.SIGNED_IN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        event_record(SignInEvent.Kind.SIGNED_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    from .backends import user_for_identifier

    typed = credentials.get("username") or credentials.get("login") or ""
    event_record(
        SignInEvent.Kind.SIGN_IN_FAILED,
        user=user_for_identifier(typed),
        request=request,
        identifier=typed,
    )


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    import datetime

    from django.utils import timezone

    user = get_user_model()._default_manager.filter(username=username).first()
    # axes signals again on every try while locked; one lock is one event.
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    if SignInEvent.objects.filter(
        kind=SignInEvent.Kind.LOCKED_OUT, identifier=(username or "")[:150], created_at__gte=since
    ).exists():
        return
    event_record(SignInEvent.Kind.LOCKED_OUT, user=user, request=request, identifier=username or "")


@receiver(password_changed, dispatch_uid="accounts_password_changed")
def _password_changed(sender, request, user, **kwargs):
    event_record(SignInEvent.Kind.PASSWORD_CHANGED, user=user, request=request, actor=user)


@receiver(password_reset, dispatch_uid="accounts_password_reset")
def _password_reset(sender, request, user, **kwargs):
    event_record(SignInEvent.Kind.PASSWORD_RESET, user=user, request=request, via="email")


@receiver(authenticator_added, dispatch_uid="accounts_mfa_added")
def _mfa_added(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Adding the factor proved it: no second sign-in for the session it was added in.
        request.session["accounts_mfa_ok"] = True
    event_record(
        SignInEvent.Kind.MFA_ADDED, user=user, request=request, actor=user, type=authenticator.type
    )


@receiver(authenticator_removed, dispatch_uid="accounts_mfa_removed")
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    event_record(
        SignInEvent.Kind.MFA_REMOVED,
        user=user,
        request=request,
        actor=user,
        type=authenticator.type,
    )


@receiver(social_account_added, dispatch_uid="accounts_sso_linked")
def _sso_linked(sender, request, sociallogin, **kwargs):
    user = sociallogin.user
    event_record(
        SignInEvent.Kind.SSO_LINKED,
        user=user,
        request=request,
        provider=sociallogin.account.provider,
    )


@receiver(social_account_removed, dispatch_uid="accounts_sso_unlinked")
def _sso_unlinked(sender, request, socialaccount, **kwargs):
    event_record(
        SignInEvent.Kind.SSO_UNLINKED,
        user=socialaccount.user,
        request=request,
        provider=socialaccount.provider,
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_deactivated")
def _deactivated(sender, instance, **kwargs):
    """An account switched off, in the admin or anywhere, is signed out on every device."""
    if not instance.is_active:
        from .services import sessions_end

        sessions_end(user=instance, reason="deactivated")

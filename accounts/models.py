"""
How people get into their accounts, and the record of every time they did or tried.

Secrets are never stored: an activation link and its typed code are kept as keyed hashes, and an
SMS is recorded without its text.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordSetupQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Setups that may still set a password: not used, not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class PasswordSetup(models.Model):
    """
    One way for one person to set their password, once: the activation of an account an HR import
    created, or a password reset. It is a link (a random token of 256 bits) and a short code typed
    with the employee number, for the person who has a printed slip and no camera to scan it.
    """

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Activation")
        RESET = "reset", _("Password reset")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_setups",
        verbose_name=_("account"),
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    sent_by_email = models.BooleanField(_("sent by e-mail"), default=False)
    sent_by_sms = models.BooleanField(_("sent by SMS"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PasswordSetupQuerySet.as_manager()

    class Meta:
        verbose_name = _("password setup")
        verbose_name_plural = _("password setups")
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]
        constraints = [
            # One way in at a time: issuing anew revokes the pending setup first, and two issues
            # at once cannot leave two links and codes that both work.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="password_setup_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.user}"

    def is_usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class SignInEvent(models.Model):
    """The audit trail of identity: sign-ins, failures, locks, activations, resets, factors."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        UNLOCKED = "unlocked", _("Lock lifted")
        SIGNED_OUT = "signed_out", _("Signed out")
        ACTIVATION_ISSUED = "activation_issued", _("Activation issued")
        ACTIVATED = "activated", _("Account activated")
        CODE_FAILED = "code_failed", _("Wrong activation or reset code")
        RESET_ISSUED = "reset_issued", _("Password reset issued")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        MFA_ADDED = "mfa_added", _("Second factor added")
        MFA_REMOVED = "mfa_removed", _("Second factor removed")
        SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
        SSO_LINKED = "sso_linked", _("Single sign-on linked")
        SSO_UNLINKED = "sso_unlinked", _("Single sign-on unlinked")
        SSO_REFUSED = "sso_refused", _("Single sign-on refused")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("account"),
    )
    # What was typed, for failures that name no account; never a password or a code.
    identifier = models.CharField(_("identifier"), max_length=150, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.user or self.identifier}"


class SmsMessage(models.Model):
    """One SMS the platform sent or tried to send: to whom, why, when, and what came of it."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Activation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    phone = models.CharField(_("phone"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    backend = models.CharField(_("backend"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    gateway_reference = models.CharField(_("gateway reference"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.phone} ({self.get_status_display()})"

"""
What changes an account: issuing and redeeming activations and resets, ending sessions,
lifting locks. Each write is one transaction and records its audit event in it.
"""

import dataclasses
import datetime
import hmac
import secrets

from allauth.usersessions.models import UserSession
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import outbox
from core.phones import phone_is_mobile
from core.ratelimit import rate_limit_hit
from network.models import Staff

from .backends import user_for_identifier
from .events import event_record
from .models import PasswordSetup, SignInEvent

# Typed codes avoid letters and digits that read alike on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
SMS_CODE_DIGITS = 6


class SetupError(Exception):
    """A link or code that cannot set a password; the message says why, for the person."""


# What a person is told about a typed code: the activation (or slip) code typed with an employee
# number, or the reset code an SMS brought.
ACTIVATION_CODE_MESSAGES = {
    "wrong": _lazy("The employee number or the code is not right."),
    "wrong_left": _lazy("The employee number or the code is not right (%(left)s tries left)."),
    "locked": _lazy(
        "Too many wrong codes: this code no longer works. Ask your manager for a new one."
    ),
}
RESET_CODE_MESSAGES = {
    "wrong": _lazy("The code is not right."),
    "wrong_left": _lazy("The code is not right (%(left)s tries left)."),
    "locked": _lazy("Too many wrong codes: this code no longer works. Ask for a new one."),
}


@dataclasses.dataclass(frozen=True)
class IssuedSetup:
    """A new setup with its secrets, which exist only here: to print, to send, then forgotten."""

    setup: PasswordSetup
    staff: Staff
    token: str
    code: str

    @property
    def link(self) -> str:
        return f"{settings.PUBLIC_BASE_URL}{reverse('accounts:activate', args=[self.token])}"


def _digest(secret: str) -> str:
    return salted_hmac("accounts.PasswordSetup", secret, algorithm="sha256").hexdigest()


def code_normalise(code: str) -> str:
    """What a person typed, as it was printed: 'k7px 3mq9' -> 'K7PX3MQ9'."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_display(code: str) -> str:
    """'K7PX3MQ9' -> 'K7PX-3MQ9', as slips and messages print it."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _setup_create(*, user, purpose, actor, valid_for: datetime.timedelta, numeric=False):
    for tries_left in (1, 0):
        now = timezone.now()
        token = secrets.token_urlsafe(32)  # 256 bits
        if numeric:
            code = "".join(secrets.choice("0123456789") for _ in range(SMS_CODE_DIGITS))
        else:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                # One usable way in at a time: issuing anew invalidates every earlier link and
                # code (an expired one too: the constraint counts it pending until revoked).
                PasswordSetup.objects.filter(
                    user=user, used_at__isnull=True, revoked_at__isnull=True
                ).update(revoked_at=now)
                setup = PasswordSetup.objects.create(
                    user=user,
                    purpose=purpose,
                    token_hash=_digest(token),
                    code_hash=_digest(code),
                    issued_by=actor if actor is not None and actor.is_authenticated else None,
                    created_at=now,
                    expires_at=now + valid_for,
                )
            return setup, token, code
        except IntegrityError:
            # Two issues for one person at once: the one-pending constraint refused this one.
            # Issued again, it revokes the other's setup, as one issue after the other would.
            if not tries_left:
                raise


def setup_issue(*, staff: Staff, actor, purpose=PasswordSetup.Purpose.ACTIVATION, deliver=True):
    """
    Issue an activation (or a manager's reset slip) for `staff` and, after the commit, send it
    by e-mail and SMS where the person has an address or a mobile number. Returns the secrets
    for the slip the caller prints.
    """
    from .tasks import setup_deliver_task

    user = staff.user
    if user is None:
        raise SetupError(_("This person has no account yet."))
    with transaction.atomic():
        setup, token, code = _setup_create(
            user=user,
            purpose=purpose,
            actor=actor,
            valid_for=datetime.timedelta(days=settings.ACTIVATION_VALID_DAYS),
        )
        kind = (
            SignInEvent.Kind.ACTIVATION_ISSUED
            if purpose == PasswordSetup.Purpose.ACTIVATION
            else SignInEvent.Kind.RESET_ISSUED
        )
        event_record(kind, user=user, actor=actor, setup=setup.pk)
        if deliver and (user.email or phone_is_mobile(staff.phone)):
            outbox.enqueue(setup_deliver_task, setup.pk, token, code)
    return IssuedSetup(setup=setup, staff=staff, token=token, code=code)


def setups_issue_pending(*, people, actor) -> list[IssuedSetup]:
    """Issue an activation to each of `people` who has not activated their account yet."""
    with transaction.atomic():
        return [setup_issue(staff=person, actor=actor) for person in people]


def setup_deliver(*, setup_id: int, token: str, code: str) -> None:
    """
    Send an issued setup by e-mail and SMS. Idempotent: a channel already used, or a setup no
    longer usable, is skipped, so a task that runs twice sends nothing twice.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from .models import SmsMessage
    from .sms import sms_send

    with transaction.atomic():
        # Lock the setup row alone: PostgreSQL refuses FOR UPDATE across the outer join to staff.
        setup = (
            PasswordSetup.objects.select_for_update(of=("self",))
            .select_related("user", "user__staff")
            .filter(pk=setup_id)
            .first()
        )
        if (
            setup is None
            or not setup.is_usable()
            or not hmac.compare_digest(setup.token_hash, _digest(token))
        ):
            return
        user = setup.user
        staff = getattr(user, "staff", None)
        issued = IssuedSetup(setup=setup, staff=staff, token=token, code=code)
        context = {
            "name": staff.name if staff else user.get_username(),
            "employee_number": staff.employee_number if staff else "",
            "link": issued.link,
            "code": code_display(code),
            "sign_in_url": f"{settings.PUBLIC_BASE_URL}{reverse('accounts:activate_by_code')}",
            "expires_at": timezone.localtime(setup.expires_at),
            "reset": setup.purpose == PasswordSetup.Purpose.RESET,
        }
        with translation.override(settings.LANGUAGE_CODE):
            if user.email and not setup.sent_by_email:
                send_mail(
                    render_to_string("accounts/email/setup_subject.txt", context).strip(),
                    render_to_string("accounts/email/setup_body.txt", context),
                    None,
                    [user.email],
                )
                setup.sent_by_email = True
            if staff and phone_is_mobile(staff.phone) and not setup.sent_by_sms:
                message = sms_send(
                    phone=staff.phone,
                    text=render_to_string("accounts/sms/setup.txt", context).strip(),
                    purpose=SmsMessage.Purpose.ACTIVATION
                    if setup.purpose == PasswordSetup.Purpose.ACTIVATION
                    else SmsMessage.Purpose.PASSWORD_RESET,
                    user=user,
                    template_params={"name": context["name"], "code": context["code"]},
                )
                setup.sent_by_sms = message.status == SmsMessage.Status.SENT
        setup.save(update_fields=["sent_by_email", "sent_by_sms"])


def setup_for_token(token: str) -> PasswordSetup:
    """The setup a link names; SetupError saying why it cannot be used."""
    setup = (
        PasswordSetup.objects.select_related("user").filter(token_hash=_digest(token or "")).first()
    )
    _check_usable(setup)
    return setup


def _check_usable(setup):
    if setup is None:
        raise SetupError(_("This link is not valid. Ask your manager for a new activation slip."))
    if setup.used_at is not None:
        raise SetupError(
            _("This link has been used already. Sign in with your password, or reset it.")
        )
    if setup.revoked_at is not None:
        raise SetupError(_("This link was replaced by a newer one, or locked after wrong codes."))
    if setup.expires_at <= timezone.now():
        raise SetupError(_("This link has expired. Ask your manager for a new one."))
    if not setup.user.is_active:
        raise SetupError(_("This account is not active."))


def setup_for_code(
    *, identifier: str, code: str, request=None, messages=ACTIVATION_CODE_MESSAGES
) -> PasswordSetup:
    """
    The usable setup of the person `identifier` names (employee number, username or phone),
    when `code` is its code. A wrong code counts against the setup, which is revoked at the
    ACTIVATION_CODE_MAX_ATTEMPTS-th. Raises SetupError; the message never tells whether the
    person exists.
    """
    wrong = SetupError(str(messages["wrong"]))
    user = user_for_identifier(identifier)
    if user is None:
        raise wrong
    typed = code_normalise(code)
    with transaction.atomic():
        setup = (
            PasswordSetup.objects.select_for_update()
            .select_related("user")
            .filter(user=user)
            .usable()
            .order_by("-created_at")
            .first()
        )
        if setup is None:
            latest = PasswordSetup.objects.filter(user=user).order_by("-created_at").first()
            if (
                latest is not None
                and latest.revoked_at is not None
                and latest.failed_attempts >= settings.ACTIVATION_CODE_MAX_ATTEMPTS
            ):
                # Say why the right code fails now: it was spent by wrong tries, not mistyped.
                raise SetupError(str(messages["locked"]))
            raise wrong
        if hmac.compare_digest(setup.code_hash, _digest(typed)):
            _check_usable(setup)
            return setup
        setup.failed_attempts += 1
        left = settings.ACTIVATION_CODE_MAX_ATTEMPTS - setup.failed_attempts
        if left <= 0:
            setup.revoked_at = timezone.now()
        setup.save(update_fields=["failed_attempts", "revoked_at"])
        event_record(
            SignInEvent.Kind.CODE_FAILED,
            user=user,
            request=request,
            identifier=identifier,
            setup=setup.pk,
            locked=left <= 0,
        )
    if left <= 0:
        raise SetupError(str(messages["locked"]))
    raise SetupError(str(messages["wrong_left"]) % {"left": left})


def password_set(*, setup: PasswordSetup, password: str, request=None):
    """
    Use `setup` to set the person's password. Validated by Django's validators (ValidationError);
    the setup is spent, every other usable one revoked, and any lock on the account lifted.
    """
    with transaction.atomic():
        setup = PasswordSetup.objects.select_for_update().select_related("user").get(pk=setup.pk)
        _check_usable(setup)
        user = setup.user
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        now = timezone.now()
        setup.used_at = now
        setup.save(update_fields=["used_at"])
        PasswordSetup.objects.filter(user=user).usable(now=now).update(revoked_at=now)
        kind = (
            SignInEvent.Kind.ACTIVATED
            if setup.purpose == PasswordSetup.Purpose.ACTIVATION
            else SignInEvent.Kind.PASSWORD_RESET
        )
        event_record(kind, user=user, request=request, setup=setup.pk)
        transaction.on_commit(lambda: axes_reset(username=user.get_username()))
    return user


def reset_code_send(*, identifier: str, request=None) -> bool:
    """
    Send a six-digit reset code by SMS to the mobile number HR has for the person `identifier`
    names. Returns whether one was sent; callers tell the person the same either way.
    """
    from .models import SmsMessage
    from .sms import sms_send

    user = user_for_identifier(identifier)
    staff = Staff.objects.filter(user=user).first() if user is not None else None
    if user is None or not user.is_active or staff is None or not phone_is_mobile(staff.phone):
        return False
    # Each SMS costs money and wakes a phone: a few per person per hour, whoever asks.
    if rate_limit_hit(scope="reset-sms", key=str(user.pk), rate=settings.RESET_SMS_RATE):
        return False
    with transaction.atomic():
        setup, _token, code = _setup_create(
            user=user,
            purpose=PasswordSetup.Purpose.RESET,
            actor=None,
            valid_for=datetime.timedelta(minutes=settings.PASSWORD_RESET_CODE_VALID_MINUTES),
            numeric=True,
        )
        event_record(
            SignInEvent.Kind.RESET_ISSUED, user=user, request=request, setup=setup.pk, via="sms"
        )
    from django.template.loader import render_to_string

    text = render_to_string(
        "accounts/sms/reset_code.txt",
        {"code": code, "minutes": settings.PASSWORD_RESET_CODE_VALID_MINUTES},
    ).strip()
    message = sms_send(
        phone=staff.phone,
        text=text,
        purpose=SmsMessage.Purpose.PASSWORD_RESET,
        user=user,
        template_params={"code": code},
    )
    PasswordSetup.objects.filter(pk=setup.pk).update(
        sent_by_sms=message.status == SmsMessage.Status.SENT
    )
    return message.status == SmsMessage.Status.SENT


def sessions_end(*, user, actor=None, reason: str = "") -> int:
    """End every session `user` has, on every device. Returns how many were ended."""
    ended = 0
    for session in UserSession.objects.filter(user=user):
        session.end()
        ended += 1
    if ended:
        event_record(
            SignInEvent.Kind.SESSIONS_ENDED, user=user, actor=actor, count=ended, reason=reason
        )
    return ended


def lock_lift(*, user, actor, request=None) -> int:
    """Lift django-axes' lock on `user`'s account. Returns how many failure records went."""
    lifted = axes_reset(username=user.get_username())
    event_record(SignInEvent.Kind.UNLOCKED, user=user, actor=actor, request=request)
    return lifted

"""Reads of accounts: who may issue what to whom, and where each person's sign-in stands."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from network.models import Role, Staff

from .models import PasswordSetup, SignInEvent

# Who issues activations and reset slips: a manager for their outlet, a partner administrator
# for their company, an auditor for anyone (Staff.objects.visible_to draws those scopes).
ISSUING_ROLES = (Role.OUTLET_MANAGER, Role.PARTNER_ADMIN, Role.AUDITOR)

PENDING = "pending"
INVITED = "invited"
ACTIVE = "active"
STATE_LABELS = {
    PENDING: pgettext_lazy("account state", "Not activated"),
    INVITED: pgettext_lazy("account state", "Invited"),
    ACTIVE: pgettext_lazy("account state", "Activated"),
}


def _issuer_role(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return "superuser"
    role = Staff.objects.filter(user=user, is_active=True).values_list("role", flat=True).first()
    return role if role in ISSUING_ROLES else None


def issuable_staff(user):
    """The people `user` may issue activations and reset slips to (none for most roles)."""
    if _issuer_role(user) is None:
        return Staff.objects.none()
    return Staff.objects.visible_to(user).filter(is_active=True, user__isnull=False)


def issuable_get(*, user, employee_number: str) -> Staff:
    """One person `user` may issue to; Staff.DoesNotExist otherwise (a 404, not a 403)."""
    return (
        issuable_staff(user).select_related("user", "outlet").get(employee_number=employee_number)
    )


def is_activated(user) -> bool:
    """A person has activated once they set a password or signed in at all (single sign-on)."""
    return user.has_usable_password() or user.last_login is not None


def sign_in_states(people) -> dict[int, str]:
    """
    Each active person's state (PENDING, INVITED, ACTIVE) by staff id, for a page of people
    loaded with their users. One query, for the invitations of those not yet active.
    """
    states = {}
    waiting = {}
    for person in people:
        if not person.is_active:
            continue  # a leaver has no account to activate
        if person.user is None:
            states[person.pk] = PENDING
        elif is_activated(person.user):
            states[person.pk] = ACTIVE
        else:
            waiting[person.user_id] = person.pk
            states[person.pk] = PENDING
    if waiting:
        invited = (
            PasswordSetup.objects.usable()
            .filter(user_id__in=waiting, purpose=PasswordSetup.Purpose.ACTIVATION)
            .values_list("user_id", flat=True)
        )
        for user_id in invited:
            states[waiting[user_id]] = INVITED
    return states


def pending_people(*, user, outlet):
    """The active people of `outlet` whose accounts `user` may activate and who have not yet."""
    people = (
        issuable_staff(user)
        .filter(outlet=outlet)
        .select_related("user", "outlet")
        .order_by("employee_number")
    )
    return [person for person in people if not is_activated(person.user)]


def lock_state(user) -> datetime.datetime | None:
    """When the lock on `user`'s account ends, or None when it is not locked."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempt = (
        AccessAttempt.objects.filter(
            username=user.get_username(),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        )
        .order_by("-attempt_time")
        .first()
    )
    if attempt is None:
        return None
    return attempt.attempt_time + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def account_summary(*, staff: Staff) -> dict:
    """What a person's record shows of their account: state, invitation, lock, recent events."""
    user = staff.user
    if user is None:
        return {"state": PENDING, "setup": None, "locked_until": None, "events": []}
    setup = PasswordSetup.objects.filter(user=user).usable().order_by("-created_at").first()
    activated = is_activated(user)
    if activated:
        state = ACTIVE
    elif setup is not None and setup.purpose == PasswordSetup.Purpose.ACTIVATION:
        state = INVITED
    else:
        state = PENDING
    events = list(
        SignInEvent.objects.filter(Q(user=user))
        .select_related("actor")
        .order_by("-created_at")[:10]
    )
    return {
        "state": state,
        "state_label": STATE_LABELS[state],
        "setup": setup,
        "locked_until": lock_state(user),
        "events": events,
    }

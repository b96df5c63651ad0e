"""
Activation and password reset for people without a password yet, and the issuer's actions
(activation slips, reset slips, lifting a lock, ending sessions). Sign-in itself, the password
change, the second factor and linked sign-ins are django-allauth's pages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.phones import phone_is_mobile, phone_masked
from core.ratelimit import rate_limit_hit
from network.models import Staff
from network.selectors import outlet_in_scope

from . import selectors, services
from .forms import ActivationCodeForm, NewPasswordForm, ResetCodeForm, ResetRequestForm
from .models import PasswordSetup
from .slips import Slip, slips_pdf

BACKEND = "accounts.backends.StaffIdentifierBackend"
SETUP_SESSION_KEY = "accounts_setup_id"
RESET_SESSION_KEY = "accounts_reset_identifier"


def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes answers once an account is locked: a page that says so, with status 429."""
    from .backends import user_for_identifier

    typed = (credentials or {}).get("username") or request.POST.get("login") or ""
    user = user_for_identifier(typed)
    until = selectors.lock_state(user) if user is not None else None
    return render(
        request,
        "accounts/locked_out.html",
        {"title": _("Too many wrong passwords"), "until": until},
        status=429,
    )


def admin_login(request):
    """
    The admin's sign-in page: the site's sign-in, which knows locks and second factors. Someone
    already signed in who may use the admin goes straight on.
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    if request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(target)
    query = request.META.get("QUERY_STRING")
    return redirect(f"{settings.LOGIN_URL}?{query}" if query else settings.LOGIN_URL)


def _throttled(request, scope: str):
    """A 429 page when this address typed too many codes; None when it may go on."""
    wait = rate_limit_hit(
        scope=scope, key=request.META.get("REMOTE_ADDR", ""), rate=settings.SETUP_CODE_RATE
    )
    if wait is None:
        return None
    response = render(
        request,
        "accounts/message.html",
        {
            "title": _("Please wait"),
            "text": _("Too many tries from this address. Try again in a minute."),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _refused(request, error, status=400):
    return render(
        request,
        "accounts/message.html",
        {"title": _("This link cannot be used"), "text": str(error), "show_code_form": True},
        status=status,
    )


def _set_password_page(request, setup: PasswordSetup, *, on_done_clear=None):
    form = NewPasswordForm(request.POST or None, user=setup.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_set(
                setup=setup, password=form.cleaned_data["password1"], request=request
            )
        except services.SetupError as error:
            return _refused(request, error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            if on_done_clear:
                request.session.pop(on_done_clear, None)
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your password is set. Welcome!"))
            return redirect("courses:my_training")
    staff = Staff.objects.filter(user=setup.user).first()
    return render(
        request,
        "accounts/set_password.html",
        {
            "form": form,
            "person": staff,
            "reset": setup.purpose == PasswordSetup.Purpose.RESET,
        },
    )


def activate(request, token):
    """The link of an activation slip, e-mail or SMS: choose a password, then My training."""
    try:
        setup = services.setup_for_token(token)
    except services.SetupError as error:
        return _refused(request, error, status=410)
    return _set_password_page(request, setup)


def activate_by_code(request):
    """Employee number and the slip's code, for a person who cannot scan the QR code."""
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST":
        if response := _throttled(request, "activation-code"):
            return response
        if form.is_valid():
            try:
                setup = services.setup_for_code(
                    identifier=form.cleaned_data["employee_number"],
                    code=form.cleaned_data["code"],
                    request=request,
                )
            except services.SetupError as error:
                form.add_error(None, str(error))
            else:
                request.session[SETUP_SESSION_KEY] = setup.pk
                return redirect("accounts:activate_password")
    return render(request, "accounts/activate_by_code.html", {"form": form})


def activate_password(request):
    """The second step after a right code: the code is not asked again."""
    setup = (
        PasswordSetup.objects.select_related("user")
        .filter(pk=request.session.get(SETUP_SESSION_KEY) or 0)
        .first()
    )
    if setup is None or not setup.is_usable():
        request.session.pop(SETUP_SESSION_KEY, None)
        return redirect("accounts:activate_by_code")
    return _set_password_page(request, setup, on_done_clear=SETUP_SESSION_KEY)


def reset(request):
    """Forgot the password: by e-mail link, by SMS code, or a slip from the manager."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST":
        if response := _throttled(request, "reset-code"):
            return response
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            services.reset_code_send(identifier=identifier, request=request)
            request.session[RESET_SESSION_KEY] = identifier
            return redirect("accounts:reset_code")
    return render(request, "accounts/reset.html", {"form": form})


def reset_code(request):
    """The SMS code and the new password, together."""
    identifier = request.session.get(RESET_SESSION_KEY)
    if not identifier:
        return redirect("accounts:reset")
    form = ResetCodeForm(request.POST or None, user=None)
    if request.method == "POST":
        if response := _throttled(request, "reset-code"):
            return response
        if form.is_valid():
            try:
                setup = services.setup_for_code(
                    identifier=identifier,
                    code=form.cleaned_data["code"],
                    request=request,
                    messages=services.RESET_CODE_MESSAGES,
                )
                if setup.purpose != PasswordSetup.Purpose.RESET:
                    raise services.SetupError(services.RESET_CODE_MESSAGES["wrong"])
                user = services.password_set(
                    setup=setup, password=form.cleaned_data["password1"], request=request
                )
            except services.SetupError as error:
                form.add_error("code", str(error))
            except ValidationError as error:
                form.add_error("password1", error)
            else:
                request.session.pop(RESET_SESSION_KEY, None)
                login(request, user, backend=BACKEND)
                messages.success(request, _("Your new password is set."))
                return redirect("courses:my_training")
    return render(request, "accounts/reset_code.html", {"form": form})


@login_required
def account(request):
    """My account: password, second factor, linked sign-ins, sessions."""
    return render(request, "accounts/account.html", {})


def _slip(issued: services.IssuedSetup) -> Slip:
    from django.urls import reverse

    staff = issued.staff
    return Slip(
        name=staff.name,
        employee_number=staff.employee_number,
        outlet=staff.outlet.name if staff.outlet_id else "",
        link=issued.link,
        code=services.code_display(issued.code),
        expires_at=issued.setup.expires_at,
        purpose=issued.setup.purpose,
        sign_in_url=f"{settings.PUBLIC_BASE_URL}{reverse('accounts:activate_by_code')}",
    )


def _pdf_response(slips, filename: str) -> HttpResponse:
    response = HttpResponse(slips_pdf(slips), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _issuable(request, employee_number) -> Staff:
    try:
        return selectors.issuable_get(user=request.user, employee_number=employee_number)
    except Staff.DoesNotExist:
        raise Http404("No such person in your scope") from None


@login_required
@require_POST
def issue(request, employee_number):
    """
    Issue an activation (or, once activated, a reset slip) to one person: sent by e-mail and
    SMS where possible; with "print", also answered as the slip to print.
    """
    person = _issuable(request, employee_number)
    purpose = (
        PasswordSetup.Purpose.RESET
        if selectors.is_activated(person.user)
        else PasswordSetup.Purpose.ACTIVATION
    )
    issued = services.setup_issue(staff=person, actor=request.user, purpose=purpose)
    if request.POST.get("print"):
        return _pdf_response([_slip(issued)], f"{purpose}-{person.employee_number}.pdf")
    channels = []
    if person.user.email:
        channels.append(_("e-mail to %(address)s") % {"address": person.user.email})
    if phone_is_mobile(person.phone):
        channels.append(_("SMS to %(phone)s") % {"phone": phone_masked(person.phone)})
    if channels:
        messages.success(
            request,
            _("Sent to %(name)s by %(channels)s.")
            % {"name": person.name, "channels": _(" and ").join(channels)},
        )
    else:
        messages.warning(
            request,
            _("%(name)s has no e-mail address or mobile number: print the slip instead.")
            % {"name": person.name},
        )
    return redirect("network:staff_detail", person.employee_number)


@login_required
def outlet_activation(request, code):
    """Who at the outlet is not activated, invited or active; slips for all who are not active."""
    outlet = outlet_in_scope(user=request.user, code=code)
    people = list(
        selectors.issuable_staff(request.user)
        .filter(outlet=outlet)
        .select_related("user")
        .order_by("employee_number")
    )
    if not people and not selectors.issuable_staff(request.user).exists():
        raise Http404("Not an issuer")
    states = selectors.sign_in_states(people)
    rows = [
        (person, states[person.pk], selectors.STATE_LABELS[states[person.pk]]) for person in people
    ]
    waiting = sum(1 for _person, state, _label in rows if state != selectors.ACTIVE)
    return render(
        request,
        "accounts/outlet_activation.html",
        {"outlet": outlet, "rows": rows, "waiting": waiting},
    )


@login_required
@require_POST
def outlet_slips(request, code):
    """One PDF of activation slips for everyone at the outlet who has not activated yet."""
    outlet = outlet_in_scope(user=request.user, code=code)
    people = selectors.pending_people(user=request.user, outlet=outlet)
    if not people:
        messages.info(request, _("Everyone at this outlet has activated their account."))
        return redirect("network:outlet_detail", outlet.code)
    issued = services.setups_issue_pending(people=people, actor=request.user)
    stamp = timezone.localdate().isoformat()
    return _pdf_response([_slip(i) for i in issued], f"activation-{outlet.code}-{stamp}.pdf")


@login_required
@require_POST
def unlock(request, employee_number):
    person = _issuable(request, employee_number)
    services.lock_lift(user=person.user, actor=request.user, request=request)
    messages.success(
        request, _("The lock on %(name)s's account is lifted.") % {"name": person.name}
    )
    return redirect("network:staff_detail", person.employee_number)


@login_required
@require_POST
def end_sessions(request, employee_number):
    person = _issuable(request, employee_number)
    ended = services.sessions_end(user=person.user, actor=request.user, reason="issuer")
    messages.success(
        request,
        _("%(name)s is signed out on %(count)s device(s).") % {"name": person.name, "count": ended},
    )
    return redirect("network:staff_detail", person.employee_number)

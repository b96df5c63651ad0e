from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import selectors as network_selectors
from network.models import Staff

from . import selectors, services
from .forms import AssignForm, WithdrawForm
from .models import Enrollment, LessonPage, TrackPage


@require_GET
@login_required
def my_training(request):
    staff = selectors.viewer_staff(user=request.user)
    progress = selectors.my_training(staff=staff) if staff else []
    recertifications = selectors.my_recertifications(staff=staff) if staff else []
    policy_updates = selectors.my_policy_updates(staff=staff) if staff else []
    return render(
        request,
        "courses/my_training.html",
        {
            "staff": staff,
            "progress": progress,
            "recertifications": recertifications,
            "policy_updates": policy_updates,
        },
    )


@require_POST
@login_required
def lesson_complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live().defer_streamfields(), pk=lesson_id)
    course = lesson.get_parent().specific
    access = selectors.lesson_access(user=request.user, course=course)
    if access is None or access.staff is None:
        raise Http404("Not enrolled")
    services.lesson_complete(staff=access.staff, lesson=lesson, course=course)
    following = lesson.get_next_siblings().live().first()
    return redirect(following.url if following else course.url)


@require_GET
@login_required
def my_team(request):
    """Send a manager to their outlet's training page; others choose an outlet."""
    staff = selectors.viewer_staff(user=request.user)
    if staff and staff.outlet_id and staff.role == "outlet_manager":
        return redirect("courses:outlet_training", code=staff.outlet.code)
    return redirect("network:outlet_list")


@require_GET
@login_required
def outlet_training(request, code):
    outlet = network_selectors.outlet_in_scope(user=request.user, code=code)
    people = network_selectors.staff_list(user=request.user, outlet=outlet).filter(is_active=True)
    team = selectors.team_training(people=people)
    return render(request, "courses/outlet_training.html", {"outlet": outlet, "team": team})


@require_http_methods(["GET", "POST"])
@login_required
def assign(request, code):
    outlet = network_selectors.outlet_in_scope(user=request.user, code=code)
    if not selectors.may_assign(user=request.user):
        raise PermissionDenied
    form = AssignForm(
        request.POST or None, tracks=TrackPage.objects.live().defer_streamfields().order_by("path")
    )
    if request.method == "POST" and form.is_valid():
        people = network_selectors.staff_list(user=request.user, outlet=outlet).filter(
            is_active=True
        )
        number = form.cleaned_data["employee_number"].strip()
        if number:
            people = people.filter(employee_number=number)
        people = list(people)
        if number and not people:
            form.add_error("employee_number", _("Nobody with this employee number works here."))
        else:
            try:
                created = services.enrollment_assign(
                    actor=request.user, track=form.cleaned_data["track"], people=people
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Assigned to %(count)s people; the others already had it.")
                    % {"count": len(created)},
                )
                return redirect("courses:outlet_training", code=outlet.code)
    return render(request, "courses/assign.html", {"outlet": outlet, "form": form})


@require_POST
@login_required
def withdraw(request, pk):
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("staff__outlet"), pk=pk
    )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        # A reason refused for what it holds says why; a missing one is asked for.
        refused = form.data.get("reason", "").strip() and form.errors.get("reason")
        messages.error(
            request, " ".join(refused) if refused else _("Give a reason to withdraw a track.")
        )
    else:
        try:
            services.enrollment_withdraw(
                actor=request.user, enrollment=enrollment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The track was withdrawn; its history is kept."))
    staff: Staff = enrollment.staff
    if staff.outlet_id:
        return redirect("courses:outlet_training", code=staff.outlet.code)
    return redirect("courses:my_training")

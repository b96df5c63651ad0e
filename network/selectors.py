"""Reads of the service network for the site's pages; scope comes from `visible_to`."""

from django.db.models import Count, Q

from core.errors import NotFound

from .models import Outlet, Staff, StaffAssignment


def outlet_list(*, user, search: str = "", province: str = "", tier: str = "", ownership: str = ""):
    """Return the outlets `user` may see, filtered, with their active headcount."""
    outlets = (
        Outlet.objects.visible_to(user)
        .select_related("partner_company")
        .annotate(headcount=Count("staff", filter=Q(staff__is_active=True)))
    )
    if search:
        outlets = outlets.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(city__icontains=search)
        )
    if province:
        outlets = outlets.filter(province=province)
    if tier:
        outlets = outlets.filter(city_tier=tier)
    if ownership:
        outlets = outlets.filter(ownership=ownership)
    return outlets.order_by("code")


def outlet_get(*, user, code: str) -> Outlet:
    """Return the outlet `code` if `user` may see it; raise Outlet.DoesNotExist otherwise."""
    return Outlet.objects.visible_to(user).select_related("partner_company").get(code=code)


class OutletNotFound(NotFound):
    """No such outlet, or not in the asker's scope."""


def outlet_in_scope(*, user, code: str) -> Outlet:
    """Return the outlet `code` if `user` may see it; raise OutletNotFound otherwise."""
    try:
        return outlet_get(user=user, code=code)
    except Outlet.DoesNotExist:
        raise OutletNotFound(f"No outlet {code!r} in scope") from None


def staff_list(*, user, outlet: Outlet | None = None, role: str = "", search: str = ""):
    """Return the people `user` may see, optionally of one outlet or role."""
    people = Staff.objects.visible_to(user).select_related(
        "user", "outlet", "partner_company", "outlet__partner_company"
    )
    if outlet is not None:
        people = people.filter(outlet=outlet)
    if role:
        people = people.filter(role=role)
    if search:
        people = people.filter(
            Q(employee_number__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return people.order_by("outlet__code", "role", "employee_number")


def staff_get(*, user, employee_number: str) -> Staff:
    """Return one person `user` may see; raise Staff.DoesNotExist otherwise."""
    return (
        Staff.objects.visible_to(user)
        .select_related("user", "outlet", "partner_company")
        .prefetch_related("additional_roles")
        .get(employee_number=employee_number)
    )


def staff_assignment_history(*, staff: Staff):
    return (
        StaffAssignment.objects.filter(staff=staff)
        .select_related("outlet", "changed_by")
        .order_by("-started_on", "-pk")
    )


def viewer_staff(*, user) -> Staff | None:
    """Return the staff record of the signed-in user, if any."""
    if not user.is_authenticated:
        return None
    return Staff.objects.select_related("outlet", "partner_company").filter(user=user).first()

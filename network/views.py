from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import hooks as core_hooks

from . import selectors
from .exports import staff_csv_response
from .forms import OutletFilterForm, StaffFilterForm
from .models import Staff

PAGE_SIZE = 50


def _table(page, request) -> dict:
    """The context of network/_staff_table.html: the page, and the columns other apps add."""
    people = list(page)
    columns = [
        column
        for column in core_hooks.collect(
            core_hooks.STAFF_TABLE_COLUMNS, people=people, request=request
        )
        if column is not None
    ]
    rows = [
        (person, [(column.heading, column.cells.get(person.pk)) for column in columns])
        for person in people
    ]
    return {"page": page, "columns": columns, "rows": rows}


@require_GET
@login_required
def outlet_list(request):
    form = OutletFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    outlets = selectors.outlet_list(
        user=request.user,
        search=filters.get("q") or "",
        province=filters.get("province") or "",
        tier=filters.get("tier") or "",
        ownership=filters.get("ownership") or "",
    )
    page = Paginator(outlets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/outlet_list.html", {"form": form, "page": page})


@require_GET
@login_required
def outlet_detail(request, code):
    outlet = selectors.outlet_in_scope(user=request.user, code=code)
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.staff_list(
        user=request.user,
        outlet=outlet,
        role=filters.get("role") or "",
        search=filters.get("q") or "",
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    links = [
        link
        for answer in core_hooks.collect(core_hooks.OUTLET_LINKS, outlet=outlet, request=request)
        for link in answer
    ]
    return render(
        request,
        "network/outlet_detail.html",
        {"outlet": outlet, "form": form, "links": links, **_table(page, request)},
    )


@require_GET
@login_required
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.staff_list(
        user=request.user, role=filters.get("role") or "", search=filters.get("q") or ""
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/staff_list.html", {"form": form, **_table(page, request)})


@require_GET
@login_required
def staff_detail(request, employee_number):
    try:
        person = selectors.staff_get(user=request.user, employee_number=employee_number)
    except Staff.DoesNotExist:
        raise Http404("No such person") from None
    history = selectors.staff_assignment_history(staff=person)
    sections = sorted(
        core_hooks.collect(core_hooks.STAFF_RECORD_SECTIONS, staff=person, user=request.user),
        key=lambda section: section.order,
    )
    return render(
        request,
        "network/staff_detail.html",
        {"person": person, "history": history, "sections": sections},
    )


@require_GET
@login_required
def staff_export(request, code=None):
    outlet = selectors.outlet_in_scope(user=request.user, code=code) if code else None
    people = selectors.staff_list(user=request.user, outlet=outlet)
    filename = f"staff-{outlet.code}.csv" if outlet else "staff.csv"
    return staff_csv_response(people=people, filename=filename)

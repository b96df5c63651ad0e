"""The compliance reports under /compliance/: the network overview and one outlet's report."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import hooks as core_hooks
from network.models import Role

from .. import charts, selectors
from ..access import may_see_reports
from ..computation import GAP_STATES, MET_STATES, State
from ..forms import ComplianceFilterForm, PeriodForm, period_value

COLUMNS = [
    ("code", _("Code")),
    ("name", _("Name")),
    ("share", _("Requirements met")),
    ("gaps", _("Gaps")),
    ("people", _("People")),
    ("verdict", _("Verdict")),
    ("expiring", _("Expiring within 90 days")),
]
ROLE_LABELS = dict(Role.choices)
STATE_LABELS = dict(State.choices)


def _require_reporter(user) -> None:
    # A learner has an outlet in scope but may not read colleagues' certification.
    if not may_see_reports(user):
        raise PermissionDenied


def _sort_columns(current: str) -> list[dict]:
    columns = []
    for key, label in COLUMNS:
        direction = None
        if current == key:
            direction = "ascending"
        elif current == f"-{key}":
            direction = "descending"
        columns.append(
            {
                "key": key,
                "label": label,
                "direction": direction,
                "next": f"-{key}" if direction == "ascending" else key,
            }
        )
    return columns


@require_GET
@login_required
def overview(request):
    _require_reporter(request.user)
    user = request.user
    form = ComplianceFilterForm(
        request.GET or None,
        choices=selectors.filter_choices(user=user),
        periods=selectors.snapshot_periods(user=user),
    )
    filters = form.filters()
    period = form.as_of_period()
    if period is not None:
        report = selectors.compliance_overview_as_of(user=user, period=period, filters=filters)
    else:
        report = selectors.compliance_overview(
            user=user, filters=filters, today=timezone.localdate()
        )
    trend = selectors.compliance_trend(user=user, filters=filters)
    return render(
        request,
        "compliance/overview.html",
        {
            "form": form,
            "filters": filters,
            "period": period,
            "period_value": period_value(period) if period else "",
            "overview": report,
            "columns": _sort_columns(filters.sort),
            "rollups": [
                (name, label, report.rollups[name] if report else [])
                for name, label in selectors.GROUPINGS.items()
            ],
            "trend": trend,
            "chart": charts.trend_chart(trend),
        },
    )


def _state_cell(requirement) -> dict:
    state = requirement.state
    if state in GAP_STATES:
        tone = "bad"
    elif state in MET_STATES and state != State.VALID:
        tone = "warn"
    elif state == State.VALID:
        tone = "ok"
    else:
        tone = ""
    return {
        "state": state,
        "label": STATE_LABELS.get(state, state),
        "tone": tone,
        # A revoked or suspended certificate's end date says nothing about the person today.
        "expires_on": requirement.expires_on
        if state in MET_STATES or state == State.EXPIRED
        else None,
        "due_on": requirement.due_on if requirement.certificate_id is None else None,
    }


def _people_rows(report) -> tuple[list, list[dict]]:
    """A person per row, a required track per column; a track a person's roles do not need is
    an empty cell, so what is missing stands apart from what is not asked."""
    track_ids = {r.track_id for p in report.people for r in p.requirements}
    columns = sorted(
        (report.tracks[t] for t in track_ids if t in report.tracks), key=lambda t: t.title
    )
    rows = []
    for person in report.people:
        by_track = {r.track_id: r for r in person.requirements}
        rows.append(
            {
                "person": person,
                "roles": [ROLE_LABELS.get(r, r) for r in person.roles],
                "cells": [
                    {"track": t, "state": _state_cell(by_track[t.pk]) if t.pk in by_track else None}
                    for t in columns
                ],
            }
        )
    return columns, rows


def _service_areas(report) -> list[dict]:
    areas: dict[int, dict] = {}
    for rule in report.compliance.headcounts:
        area = report.areas.get(rule.service_area_id)
        if area is None:
            continue
        entry = areas.setdefault(area.pk, {"area": area, "met": True, "rules": []})
        entry["met"] = entry["met"] and rule.met
        track = report.tracks.get(rule.track_id)
        entry["rules"].append(
            {
                "role": ROLE_LABELS.get(rule.role, rule.role),
                "track": track.title if track else "",
                "certified": rule.certified,
                "minimum": rule.minimum,
                "met": rule.met,
            }
        )
    return sorted(areas.values(), key=lambda a: (a["area"].sort_order, a["area"].code))


@require_GET
@login_required
def outlet(request, code):
    _require_reporter(request.user)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise Http404("No such month.")
    period = form.cleaned_data["period"]
    report = selectors.outlet_report(
        user=request.user, code=code, today=timezone.localdate(), period=period
    )
    columns, rows = _people_rows(report)
    return render(
        request,
        "compliance/outlet.html",
        {
            "report": report,
            "outlet": report.outlet,
            "compliance": report.compliance,
            "period": period,
            "period_value": period_value(period) if period else "",
            "periods": [period_value(p) for p in selectors.snapshot_periods(user=request.user)],
            "service_areas": _service_areas(report),
            "tracks": columns,
            "rows": rows,
            "sections": sorted(
                (
                    section
                    for section in core_hooks.collect(
                        core_hooks.OUTLET_REPORT_SECTIONS, outlet=report.outlet, user=request.user
                    )
                    if section is not None
                ),
                key=lambda section: section.order,
            ),
        },
    )

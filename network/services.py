"""
Every write to the service network: bulk import, moving people, role groups, import batches.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core import hooks as core_hooks
from core import outbox

from .imports import (
    ImportFileError,
    ImportReport,
    RowError,
    outlet_rows_check,
    read_table,
    staff_rows_check,
)
from .models import (
    AdditionalRole,
    ImportBatch,
    Outlet,
    PartnerCompany,
    Role,
    Staff,
    StaffAssignment,
)

logger = logging.getLogger(__name__)

# Roles whose people work in the Wagtail admin, and the group that grants it.
ROLE_GROUPS = {Role.TRAINER: "Trainers", Role.AUDITOR: "Auditors"}
# Groups an administrator gives by hand to some people of a role; lost with the role.
ROLE_EXTRA_GROUPS = {"Senior trainers": Role.TRAINER}

_OUTLET_FIELDS = (
    "name",
    "name_en",
    "province",
    "city",
    "city_tier",
    "ownership",
    "address",
    "is_active",
)


def network_file_import(
    *, kind: str, content: bytes, filename: str, apply: bool, actor=None
) -> ImportReport:
    """
    Check an outlet or staff file and, when `apply` is true and the whole file is clean, import
    it in one transaction. A file with any bad row imports nothing.

    A dry run (`apply` false) of a clean file counts what the import would create, update and
    leave unchanged, and writes nothing.
    """
    report = ImportReport(kind=kind)
    # The file is parsed before the transaction: on SQLite a transaction here holds the write
    # lock, and parsing a large workbook under it would stop every sign-in meanwhile.
    try:
        table = read_table(content, filename)
    except ImportFileError as exc:
        report.errors.append(RowError(row=0, column="", message=str(exc)))
        return report
    report.total_rows = len(table)
    # The rows are checked in the transaction that writes them: on SQLite, whose transactions
    # begin IMMEDIATE here, no other write can come in between.
    with transaction.atomic():
        try:
            check = outlet_rows_check if kind == ImportBatch.Kind.OUTLETS else staff_rows_check
            rows, errors = check(table)
        except ImportFileError as exc:
            report.errors.append(RowError(row=0, column="", message=str(exc)))
            return report
        report.errors.extend(errors)
        if not report.ok:
            # The clean rows of a refused file are not counted: none of them will be imported.
            if apply:
                logger.info("Import of %s refused: %s bad rows", filename, len(report.errors))
            return report
        if kind == ImportBatch.Kind.OUTLETS:
            outlets_import(rows=rows, report=report)
        else:
            staff_import(rows=rows, report=report, actor=actor)
        if apply:
            report.applied = True
        else:
            # A dry run counts by importing for real and then undoing every write.
            transaction.set_rollback(True)
    return report


def outlets_import(*, rows: list[dict], report: ImportReport) -> None:
    """Create or update outlets (and the partner companies they name) from checked rows."""
    companies = {c.code: c for c in PartnerCompany.objects.all()}
    for row in rows:
        code = row["partner_company_code"]
        if code and code not in companies:
            companies[code] = PartnerCompany.objects.create(
                code=code, name=row["partner_company_name"] or code
            )
    existing = {o.code: o for o in Outlet.objects.filter(code__in=[r["code"] for r in rows])}
    to_create, to_update = [], []
    now = timezone.now()
    for row in rows:
        company = (
            companies.get(row["partner_company_code"]) if row["partner_company_code"] else None
        )
        values = {f: row[f] for f in _OUTLET_FIELDS}
        outlet = existing.get(row["code"])
        if outlet is None:
            to_create.append(Outlet(code=row["code"], partner_company=company, **values))
            continue
        changed = [f for f, v in values.items() if getattr(outlet, f) != v]
        if outlet.partner_company_id != (company.pk if company else None):
            changed.append("partner_company")
            outlet.partner_company = company
        if changed:
            for f in changed:
                if f != "partner_company":
                    setattr(outlet, f, values[f])
            outlet.updated_at = now
            to_update.append(outlet)
        else:
            report.unchanged += 1
    Outlet.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Outlet.objects.bulk_update(
            to_update, [*_OUTLET_FIELDS, "partner_company", "updated_at"], batch_size=1000
        )
    report.created += len(to_create)
    report.updated += len(to_update)


@transaction.atomic
def staff_import(*, rows: list[dict], report: ImportReport, actor=None) -> list[int]:
    """
    Create or update people from checked rows; moving a person, changing their role or marking
    them as gone closes their open assignment (and opens a new one while they are active).
    Return the ids of staff created or given a new role, outlet or active flag.
    """
    User = get_user_model()
    today = timezone.localdate()
    outlets = dict(Outlet.objects.values_list("code", "pk"))
    companies = dict(PartnerCompany.objects.values_list("code", "pk"))
    existing = {
        s.employee_number: s
        for s in Staff.objects.select_related("user").filter(
            employee_number__in=[r["employee_number"] for r in rows]
        )
    }
    new_rows = [r for r in rows if r["employee_number"] not in existing]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=r["username"],
                first_name=r["name"][:150],
                email=r["email"],
                is_active=r["is_active"],
                password=unusable,
            )
            for r in new_rows
        ],
        batch_size=1000,
    )
    if users and users[0].pk is None:  # a backend that cannot return ids from bulk inserts
        ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", "pk"
            )
        )
        for user in users:
            user.pk = ids[user.username]
    created = Staff.objects.bulk_create(
        [
            Staff(
                user=user,
                employee_number=r["employee_number"],
                role=r["role"],
                outlet_id=outlets.get(r["outlet_code"]),
                partner_company_id=companies.get(r["partner_company_code"]),
                hire_date=r["hire_date"],
                phone=r["phone"],
                is_active=r["is_active"],
            )
            for r, user in zip(new_rows, users, strict=True)
        ],
        batch_size=1000,
    )
    if created and created[0].pk is None:
        ids = dict(
            Staff.objects.filter(
                employee_number__in=[s.employee_number for s in created]
            ).values_list("employee_number", "pk")
        )
        for staff in created:
            staff.pk = ids[staff.employee_number]
    # Someone listed as gone when first imported left at an unknown date: today is the latest
    # day they can have worked here.
    new_assignments = [
        StaffAssignment(
            staff=s,
            outlet_id=s.outlet_id,
            role=s.role,
            started_on=s.hire_date,
            ended_on=None if s.is_active else max(today, s.hire_date),
            changed_by=actor,
            reason="import",
        )
        for s in created
    ]
    changed_staff, changed_users, moved = [], [], []
    now = timezone.now()
    for r in rows:
        staff = existing.get(r["employee_number"])
        if staff is None:
            continue
        user = staff.user
        # The file holds the whole name; a surname kept apart would be shown twice.
        user_values = {
            "first_name": r["name"][:150],
            "last_name": "",
            "email": r["email"],
            "is_active": r["is_active"],
        }
        staff_values = {
            "role": r["role"],
            "outlet_id": outlets.get(r["outlet_code"]),
            "partner_company_id": companies.get(r["partner_company_code"]),
            "hire_date": r["hire_date"],
            "phone": r["phone"],
            "is_active": r["is_active"],
        }
        user_changed = [f for f, v in user_values.items() if getattr(user, f) != v]
        staff_fields_changed = [f for f, v in staff_values.items() if getattr(staff, f) != v]
        if not user_changed and not staff_fields_changed:
            report.unchanged += 1
            continue
        for f in user_changed:
            setattr(user, f, user_values[f])
        if user_changed:
            changed_users.append(user)
        if {"role", "outlet_id", "is_active"} & set(staff_fields_changed):
            moved.append(staff)
        for f in staff_fields_changed:
            setattr(staff, f, staff_values[f])
        staff.updated_at = now
        changed_staff.append(staff)
    if changed_users:
        User.objects.bulk_update(
            changed_users, ["first_name", "last_name", "email", "is_active"], 1000
        )
    if changed_staff:
        Staff.objects.bulk_update(
            changed_staff,
            ["role", "outlet", "partner_company", "hire_date", "phone", "is_active", "updated_at"],
            1000,
        )
    new_assignments.extend(_assignments_close(staff_list=moved, on=today, actor=actor))
    StaffAssignment.objects.bulk_create(new_assignments, batch_size=1000)
    _groups_sync(
        staff_list=[*created, *moved, *(s for s in existing.values() if s.role in ROLE_GROUPS)]
    )
    report.created += len(created)
    report.updated += len(changed_staff)
    changed_ids = [s.pk for s in created] + [s.pk for s in moved]
    if changed_ids:
        core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=changed_ids)
    return changed_ids


def _assignments_close(*, staff_list, on: datetime.date, actor, reason="import"):
    """
    Close the open assignments of `staff_list`; return the new ones to insert for those still
    active.
    """
    if not staff_list:
        return []
    open_ones = StaffAssignment.objects.filter(
        staff__in=staff_list, ended_on__isnull=True
    ).select_for_update()
    closed = []
    for assignment in open_ones:
        assignment.ended_on = max(on, assignment.started_on)
        closed.append(assignment)
    StaffAssignment.objects.bulk_update(closed, ["ended_on"], batch_size=1000)
    ends = {a.staff_id: a.ended_on for a in closed}
    return [
        StaffAssignment(
            staff=s,
            outlet_id=s.outlet_id,
            role=s.role,
            started_on=ends.get(s.pk, on),
            changed_by=actor,
            reason=reason,
        )
        for s in staff_list
        if s.is_active
    ]


def _groups_sync(*, staff_list) -> None:
    """Put active people in the admin group of their role, and out of the others."""
    if not staff_list:
        return
    names = [*ROLE_GROUPS.values(), *ROLE_EXTRA_GROUPS]
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=names)}
    people = {s.user_id: s for s in staff_list}
    wanted = {
        (user_id, groups[ROLE_GROUPS[s.role]])
        for user_id, s in people.items()
        if s.is_active and s.role in ROLE_GROUPS and ROLE_GROUPS[s.role] in groups
    }
    Membership = get_user_model().groups.through
    current = set(
        Membership.objects.filter(user_id__in=people, group_id__in=groups.values()).values_list(
            "user_id", "group_id"
        )
    )
    extra = {groups[name]: role for name, role in ROLE_EXTRA_GROUPS.items() if name in groups}
    wanted |= {
        (user_id, group_id)
        for user_id, group_id in current
        if group_id in extra
        and people[user_id].is_active
        and people[user_id].role == extra[group_id]
    }
    for user_id, group_id in current - wanted:
        Membership.objects.filter(user_id=user_id, group_id=group_id).delete()
    Membership.objects.bulk_create([Membership(user_id=u, group_id=g) for u, g in wanted - current])


@transaction.atomic
def staff_assignment_sync(*, staff: Staff, actor=None, reason: str = "") -> StaffAssignment | None:
    """
    Make the open assignment of `staff` match their current outlet, role and active flag,
    closing the old one if they moved or left. Called after any single edit (admin or site).
    """
    current = (
        StaffAssignment.objects.select_for_update()
        .filter(staff=staff, ended_on__isnull=True)
        .first()
    )
    unchanged = current and current.outlet_id == staff.outlet_id and current.role == staff.role
    if (unchanged and staff.is_active) or (current is None and not staff.is_active):
        _groups_sync(staff_list=[staff])
        return current
    today = timezone.localdate()
    if not staff.is_active:
        _assignments_close(staff_list=[staff], on=today, actor=actor, reason=reason)
        _groups_sync(staff_list=[staff])
        core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=[staff.pk])
        return None
    if current is None:
        assignment = StaffAssignment.objects.create(
            staff=staff,
            outlet_id=staff.outlet_id,
            role=staff.role,
            started_on=min(staff.hire_date, today),
            changed_by=actor,
            reason=reason,
        )
    else:
        (assignment,) = _assignments_close(staff_list=[staff], on=today, actor=actor, reason=reason)
        assignment.save()
    _groups_sync(staff_list=[staff])
    core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=[staff.pk])
    return assignment


@transaction.atomic
def staff_move(*, staff: Staff, outlet: Outlet | None, role: str, actor, reason: str = "") -> Staff:
    """Move `staff` to `outlet` in `role`, keeping the record of where they were before."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    staff.outlet = outlet
    staff.role = role
    staff.full_clean(exclude=["user"])
    staff.save(update_fields=["outlet", "role", "updated_at"])
    staff_assignment_sync(staff=staff, actor=actor, reason=reason)
    return staff


def import_batch_create(*, kind: str, uploaded_file, actor) -> ImportBatch:
    """Store an uploaded HR file and queue its dry run."""
    from .tasks import import_batch_run_task

    batch = ImportBatch.objects.create(
        kind=kind,
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        uploaded_by=actor,
    )
    outbox.enqueue(import_batch_run_task, batch.pk, apply=False)
    return batch


def import_batch_confirm(*, batch: ImportBatch, actor) -> ImportBatch:
    """Queue the real import of a batch whose dry run found no errors."""
    from .tasks import import_batch_run_task

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.VALID:
            raise ValueError("Only a checked batch without errors can be imported.")
        batch.status = ImportBatch.Status.IMPORTING
        batch.save(update_fields=["status"])
        outbox.enqueue(import_batch_run_task, batch.pk, apply=True)
    return batch


def import_batch_run(*, batch_id: int, apply: bool) -> ImportBatch:
    """
    Check (or import) a stored batch. Safe to run twice: a batch already imported is left as it
    is, and a second check only rewrites the same report.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == ImportBatch.Status.IMPORTED:
            return batch
        if apply and batch.status != ImportBatch.Status.IMPORTING:
            return batch
        # A check delivered again after the import was confirmed must not undo the confirmation.
        if not apply and batch.status == ImportBatch.Status.IMPORTING:
            return batch
        with batch.file.open("rb") as handle:
            content = handle.read()
        report = network_file_import(
            kind=batch.kind,
            content=content,
            filename=batch.original_name,
            apply=apply,
            actor=batch.uploaded_by,
        )
        if report.applied:
            batch.status = ImportBatch.Status.IMPORTED
        elif report.ok:
            batch.status = ImportBatch.Status.VALID
        else:
            batch.status = ImportBatch.Status.INVALID
        batch.report = report.as_dict()
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "report", "finished_at"])
    return batch


@transaction.atomic
def staff_additional_role_add(*, staff: Staff, role: str, actor=None) -> AdditionalRole:
    """
    Let `staff` also serve as `role` at their outlet; they are then enrolled in that role's
    tracks and must hold its certificates. Raise ValidationError for a role they cannot take.
    """
    additional = AdditionalRole(staff=staff, role=role)
    additional.full_clean(validate_unique=False)
    additional, _created = AdditionalRole.objects.get_or_create(staff=staff, role=role)
    core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=[staff.pk])
    return additional


@transaction.atomic
def staff_additional_role_remove(*, staff: Staff, role: str, actor=None) -> int:
    """Stop `staff` serving as `role` besides their main role; return how many rows went."""
    removed, _by_model = AdditionalRole.objects.filter(staff=staff, role=role).delete()
    if removed:
        core_hooks.fire(core_hooks.STAFF_CHANGED, staff_ids=[staff.pk])
    return removed

"""
Every exactly-once rule the services rely on is a database constraint, in the models and in the
database the migrations built: a lock or a get_or_create can be raced, a unique index cannot.

Rules kept another way, and so not in the table:
- an import batch is applied once, a regrade applied once, a bulk suspension chunk run once, an
  attempt graded once: each is a status change of one row under `select_for_update`, and a second
  run finds the new status (the regrade's grade changes are also unique, below);
- a certificate's PDF is one file field of its row: drawn twice, it is stored once;
- the outbox (core.outbox) hands a message over at least once, never exactly once: its row is
  deleted after the hand-over, and every task it carries is one of the rules above run again.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import Q

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rule:
    model: str
    fields: tuple[str, ...]
    condition: Q | None
    why: str


RULES = [
    # network
    Rule("network.PartnerCompany", ("code",), None, "re-importing a company updates it by code"),
    Rule("network.Outlet", ("code",), None, "re-importing an outlet updates it by code"),
    Rule("network.Staff", ("employee_number",), None, "an HR row updates the person by number"),
    Rule("network.Staff", ("user",), None, "one person per account"),
    Rule(
        "network.StaffAssignment",
        ("staff",),
        Q(ended_on__isnull=True),
        "a move closes the open assignment and opens one; never two open at once",
    ),
    Rule("network.AdditionalRole", ("staff", "role"), None, "a second role is added once"),
    # accounts
    Rule("accounts.PasswordSetup", ("token_hash",), None, "a link names one setup"),
    Rule(
        "accounts.PasswordSetup",
        ("user",),
        Q(used_at__isnull=True, revoked_at__isnull=True),
        "one pending way in per person: issuing anew revokes the earlier link and code",
    ),
    # courses
    Rule(
        "courses.Enrollment",
        ("staff", "track"),
        Q(status="active"),
        "an import and a track's publication enrolling at once enrol once",
    ),
    Rule(
        "courses.CourseProgress",
        ("staff", "course"),
        None,
        "a course is completed, and course_completed fired, once per person",
    ),
    Rule("courses.LessonCompletion", ("staff", "lesson"), None, "a lesson is completed once"),
    Rule(
        "courses.ReminderSent",
        ("enrollment", "milestone"),
        None,
        "each onboarding reminder is e-mailed once, the row written with the sending",
    ),
    # assessments
    Rule(
        "assessments.QuestionVersion",
        ("question", "number"),
        None,
        "two starts at once freeze a changed question as one version",
    ),
    Rule(
        "assessments.Assessment",
        ("course",),
        Q(is_active=True),
        "one live exam per course, so 'the exam' of a course is one",
    ),
    Rule(
        "assessments.Assessment",
        ("track", "kind"),
        Q(is_active=True),
        "one live certification and one recertification exam per track",
    ),
    Rule(
        "assessments.Attempt",
        ("staff", "assessment", "number"),
        None,
        "one attempt per person, exam and number: the attempt limit holds under racing starts",
    ),
    Rule(
        "assessments.Attempt",
        ("staff", "assessment"),
        Q(status="open"),
        "one open attempt per person and exam: a double click or a second tab resumes it",
    ),
    Rule(
        "assessments.AttemptItem",
        ("attempt", "position"),
        None,
        "one answer per attempt and question: autosave replaces it",
    ),
    Rule(
        "assessments.AssessmentResult",
        ("staff", "assessment"),
        None,
        "one result per person and exam: what counts is updated, never added",
    ),
    Rule(
        "assessments.GradeChange",
        ("attempt", "regrade"),
        Q(regrade__isnull=False),
        "a regrade changes an attempt's grade once, even applied twice",
    ),
    Rule(
        "assessments.PracticalChecklist",
        ("track",),
        Q(is_active=True),
        "one live practical checklist per track",
    ),
    Rule(
        "assessments.PracticalAssessment",
        ("learner", "checklist"),
        Q(status="in_progress"),
        "two assessors starting at once make one assessment",
    ),
    Rule(
        "assessments.CriterionResult",
        ("assessment", "criterion"),
        None,
        "a criterion is recorded once; recording again replaces it",
    ),
    # certificates
    Rule("certificates.CertificateSerial", ("year",), None, "one serial counter per year"),
    Rule("certificates.Certificate", ("serial",), None, "a serial number is given out once"),
    Rule("certificates.Certificate", ("code",), None, "a verification code names one certificate"),
    Rule(
        "certificates.Certificate",
        ("holder", "track", "cycle"),
        None,
        "issued once per cycle: the issue task delivered twice makes one certificate",
    ),
    Rule(
        "certificates.Certificate",
        ("holder", "track"),
        Q(status__in=["valid", "suspended"]),
        "one live certificate per person and track",
    ),
    Rule(
        "certificates.Certificate",
        ("supersedes",),
        None,
        "a certificate is superseded once, by one renewal or correction",
    ),
    Rule(
        "certificates.Recertification",
        ("certificate",),
        None,
        "a certificate's holder is enrolled in its recertification once",
    ),
    Rule(
        "certificates.Recertification",
        ("holder", "track"),
        Q(status="open"),
        "one open recertification per person and track, though corrections supersede",
    ),
    Rule("certificates.Recertification", ("renewal",), None, "a recertification renews once"),
    Rule(
        "certificates.ExpiryReminder",
        ("certificate", "milestone"),
        None,
        "each expiry reminder is e-mailed once, the row written with the sending",
    ),
    Rule("certificates.RenderJob", ("active",), None, "one PDF re-rendering job at a time"),
    # compliance
    Rule("compliance.ServiceArea", ("code",), None, "a service area is named by one code"),
    Rule(
        "compliance.TrackRequirement",
        ("role", "track", "ownership"),
        Q(city_tier__isnull=True),
        "a requirement for every tier is stated once",
    ),
    Rule(
        "compliance.TrackRequirement",
        ("role", "track", "ownership", "city_tier"),
        Q(city_tier__isnull=False),
        "a requirement for one tier is stated once",
    ),
    Rule(
        "compliance.HeadcountRule",
        ("service_area", "role", "track", "ownership"),
        Q(city_tier__isnull=True),
        "a headcount rule for every tier is stated once",
    ),
    Rule(
        "compliance.HeadcountRule",
        ("service_area", "role", "track", "ownership", "city_tier"),
        Q(city_tier__isnull=False),
        "a headcount rule for one tier is stated once",
    ),
    Rule(
        "compliance.ComplianceSnapshot",
        ("outlet", "period"),
        None,
        "the monthly snapshot job run twice records each outlet's month once",
    ),
    Rule(
        "compliance.ReportDelivery",
        ("recipient", "period"),
        None,
        "each person gets each month's report once, the row written with the sending",
    ),
]


def _condition_text(condition: Q) -> str:
    parts = [
        f"({_condition_text(c)})" if isinstance(c, Q) else f"{c[0]}={c[1]!r}"
        for c in condition.children
    ]
    text = f" {condition.connector.lower()} ".join(parts)
    return f"not ({text})" if condition.negated else text


def _label(rule: Rule) -> str:
    where = f" where {_condition_text(rule.condition)}" if rule.condition is not None else ""
    return f"{rule.model}({', '.join(rule.fields)}){where}"


def _model_constraint(model, rule: Rule):
    """
    Return the UniqueConstraint of `model` that states `rule`, True when a unique field or
    unique_together states it, or None.
    """
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and not constraint.expressions
            and set(constraint.fields) == set(rule.fields)
            and constraint.condition == rule.condition
        ):
            return constraint
    if rule.condition is None:
        if len(rule.fields) == 1 and model._meta.get_field(rule.fields[0]).unique:
            return True
        if any(set(together) == set(rule.fields) for together in model._meta.unique_together):
            return True
    return None


def _unique_indexes(table: str) -> list[dict]:
    """
    Return the unique indexes of `table` (its primary key included) as the database has them:
    name, columns, whether partial, and their SQL. Read here rather than through Django's
    introspection, whose SQLite column parser trips over some of our CHECK constraints.
    """
    quote = connection.ops.quote_name
    indexes = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA index_list({quote(table)})")
            for _seq, name, unique, _origin, partial in cursor.fetchall():
                if not unique:
                    continue
                cursor.execute(f"PRAGMA index_info({quote(name)})")
                columns = {row[2] for row in cursor.fetchall()}
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
                )
                sql = (cursor.fetchone() or ("",))[0] or ""
                indexes.append(
                    {"name": name, "columns": columns, "partial": bool(partial), "sql": sql}
                )
            cursor.execute(f"PRAGMA table_info({quote(table)})")
            primary = {row[1] for row in cursor.fetchall() if row[5]}
            if primary:
                indexes.append(
                    {"name": "__primary__", "columns": primary, "partial": False, "sql": ""}
                )
        elif connection.vendor == "postgresql":
            found = connection.introspection.get_constraints(cursor, table)
            for name, entry in found.items():
                if not (entry["unique"] or entry["primary_key"]):
                    continue
                cursor.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                    [table, name],
                )
                sql = (cursor.fetchone() or ("",))[0]
                indexes.append(
                    {
                        "name": name,
                        "columns": set(entry["columns"]),
                        "partial": " WHERE " in sql.upper(),
                        "sql": sql,
                    }
                )
        else:
            pytest.skip(f"no index introspection for {connection.vendor}")
    return indexes


def _condition_columns(model, condition: Q) -> set[str]:
    columns = set()
    for child in condition.children:
        if isinstance(child, Q):
            columns |= _condition_columns(model, child)
        else:
            columns.add(model._meta.get_field(child[0].split("__")[0]).column)
    return columns


def _database_guard(model, rule: Rule, constraint) -> str | None:
    """Return why the database does not hold `rule`, or None when it does."""
    table = model._meta.db_table
    columns = {model._meta.get_field(name).column for name in rule.fields}
    candidates = [i for i in _unique_indexes(table) if i["columns"] == columns]
    if rule.condition is None:
        if not any(not i["partial"] for i in candidates):
            return f"no unique index on {table}{sorted(columns)} for every row: {candidates}"
        return None
    # A partial index is created under the constraint's own name.
    named = [i for i in candidates if i["name"] == constraint.name and i["partial"]]
    if not named:
        return f"no partial unique index {constraint.name} on {table}: {candidates}"
    where = named[0]["sql"].upper().split(" WHERE ", 1)[1]
    missing = {c for c in _condition_columns(model, rule.condition) if c.upper() not in where}
    if missing:
        return f"{constraint.name} on {table} no longer conditions on {sorted(missing)}: {where}"
    return None


@pytest.mark.parametrize("rule", RULES, ids=_label)
def test_exactly_once_rule_is_a_database_constraint(rule):
    model = apps.get_model(rule.model)
    constraint = _model_constraint(model, rule)
    assert constraint is not None, f"{_label(rule)} has no unique constraint ({rule.why})"
    assert _database_guard(model, rule, constraint) is None, rule.why


def test_the_rules_table_names_real_models_and_fields():
    for rule in RULES:
        model = apps.get_model(rule.model)
        for name in rule.fields:
            model._meta.get_field(name)
    assert len({_label(rule) for rule in RULES}) == len(RULES)


def test_a_constraint_lost_or_widened_by_a_migration_is_caught():
    rule = next(r for r in RULES if r.model == "assessments.Attempt" and r.condition is not None)
    model = apps.get_model(rule.model)
    constraint = _model_constraint(model, rule)
    table, name = connection.ops.quote_name(model._meta.db_table), constraint.name
    assert _database_guard(model, rule, constraint) is None

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        lost = _database_guard(model, rule, constraint)
        # Unique for every row, not only open attempts: a person could not take a second one.
        cursor.execute(
            f"CREATE UNIQUE INDEX {connection.ops.quote_name(name)} "
            f'ON {table} ("staff_id", "assessment_id")'
        )
        widened = _database_guard(model, rule, constraint)

    assert lost.startswith("no partial unique index attempt_one_open")
    assert widened.startswith("no partial unique index attempt_one_open")

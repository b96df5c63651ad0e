"""
Regrading: after a trainer corrects a question's key, apply the corrected key to every finished
attempt that answered an older version of the question.

A regrade is previewed first (a dry run that writes only the `Regrade` row) and then applied by a
Celery task. Preview and apply run the same computation, `_regrade_plan`; apply writes what it
finds, one `GradeChange` per attempt whose score changed, all in one transaction.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks as core_hooks
from core import outbox
from courses.services import course_completion_check

from .. import grading
from ..models import (
    Assessment,
    AssessmentResult,
    Attempt,
    AttemptItem,
    GradeChange,
    Question,
    QuestionVersion,
    Regrade,
)
from .questions import question_version_current

logger = logging.getLogger(__name__)

PERMISSION = "assessments.change_question"
FINISHED = (Attempt.Status.SUBMITTED, Attempt.Status.CLOSED)
# How a regrade changes what counts for a person on an exam.
NOW_FAILING = "pass_to_fail"
NOW_PASSING = "fail_to_pass"


class RegradeRefused(ValueError):
    """The regrade cannot be made; the message says why and may be shown to the trainer."""


def _permission_check(actor) -> None:
    if actor is None or not actor.has_perm(PERMISSION):
        raise PermissionDenied("Only trainers may regrade questions.")


@dataclass
class _Plan:
    """What a regrade changes, worked out from the data as it is now."""

    items_examined: int = 0
    item_scores: dict[int, Decimal] = field(default_factory=dict)  # changed items: pk -> new
    attempts: list[dict] = field(default_factory=list)  # changed attempts, as stored in JSON
    people: list[dict] = field(default_factory=list)  # their (person, exam) results
    attempt_rows: dict[int, Attempt] = field(default_factory=dict)
    # One attempt (with its person and exam loaded) of each (person, exam) concerned.
    person_attempts: dict[tuple[int, int], Attempt] = field(default_factory=dict)
    results: dict[tuple[int, int], AssessmentResult] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "items_examined": self.items_examined,
            "items_changed": len(self.item_scores),
            "attempts": self.attempts,
            "people": self.people,
            "counts": {
                "attempts": len(self.attempts),
                "people": len(self.people),
                NOW_FAILING: sum(1 for p in self.people if p["change"] == NOW_FAILING),
                NOW_PASSING: sum(1 for p in self.people if p["change"] == NOW_PASSING),
            },
        }


def _key_of(data: dict, points: Decimal) -> dict:
    # The corrected key is applied with the points the item was worth when it was answered: a
    # regrade corrects what is right, it does not change what an exam was out of.
    return {**data, "points": str(points)}


def _counted(attempts: list[dict], counting: str) -> dict:
    """Return the attempt that counts of a person's finished attempts on one exam."""
    if counting == Assessment.Counting.LATEST:
        return max(attempts, key=lambda a: a["number"])
    # As attempt_submit keeps it: a pass beats a fail even at a lower percentage (the pass mark
    # may have changed), and the first attempt to reach the best counts, not a later equal one.
    return max(attempts, key=lambda a: (a["passed"], a["percent"], -a["number"]))


def _regrade_plan(*, question: Question, to_version: QuestionVersion, lock: bool) -> _Plan:
    """
    Return what applying the key of `to_version` to the finished attempts that answered an older
    version of `question` changes. With `lock`, the attempts and results concerned are locked
    until the end of the transaction, so that what is computed is what gets written.
    """
    plan = _Plan()
    items = AttemptItem.objects.filter(
        version__question=question,
        version__number__lt=to_version.number,
        attempt__status__in=FINISHED,
    )
    if lock:
        # Locked in pk order, so that two regrades touching the same attempts cannot deadlock.
        list(
            Attempt.objects.select_for_update()
            .filter(pk__in=items.values("attempt_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    rows = list(items.values("pk", "attempt_id", "version_id", "response", "score", "max_score"))
    plan.items_examined = len(rows)
    answered = {}
    if to_version.data.get("kind") == Question.Kind.MATCHING:
        # A matching answer names the chosen answer by an option key; read against the version
        # it was given to, so a pair given another answer does not change what was chosen.
        answered = dict(
            QuestionVersion.objects.filter(pk__in={r["version_id"] for r in rows}).values_list(
                "pk", "data"
            )
        )
    delta: dict[int, Decimal] = {}
    keys: dict[Decimal, dict] = {}
    for row in rows:
        points = row["max_score"]
        key = keys.setdefault(points, _key_of(to_version.data, points))
        response = row["response"]
        if row["version_id"] in answered:
            response = grading.response_carried(answered[row["version_id"]], key, response)
        new = grading.score(key, response)
        old = row["score"] if row["score"] is not None else Decimal("0.00")
        if new != old or row["score"] is None:
            plan.item_scores[row["pk"]] = new
            delta[row["attempt_id"]] = delta.get(row["attempt_id"], Decimal(0)) + (new - old)
    changed_ids = {pk for pk, d in delta.items() if d}
    if not changed_ids:
        return plan

    pairs = set(Attempt.objects.filter(pk__in=changed_ids).values_list("staff_id", "assessment_id"))
    staff_ids = {s for s, _ in pairs}
    assessment_ids = {a for _, a in pairs}
    attempts = [
        a
        for a in Attempt.objects.filter(
            staff_id__in=staff_ids, assessment_id__in=assessment_ids, status__in=FINISHED
        )
        .select_related("staff__user", "assessment")
        .order_by("staff__employee_number", "assessment_id", "number")
        if (a.staff_id, a.assessment_id) in pairs
    ]
    results = AssessmentResult.objects.filter(
        staff_id__in=staff_ids, assessment_id__in=assessment_ids
    )
    if lock:
        results = results.select_for_update()
    plan.results = {
        (r.staff_id, r.assessment_id): r for r in results if (r.staff_id, r.assessment_id) in pairs
    }

    by_person: dict[tuple[int, int], dict] = {}
    for attempt in attempts:
        old_score = attempt.score or Decimal("0.00")
        old = {
            "number": attempt.number,
            "pk": attempt.pk,
            "percent": attempt.percent or Decimal("0.00"),
            "passed": bool(attempt.passed),
        }
        new = dict(old)
        if attempt.pk in changed_ids:
            new_score = old_score + delta[attempt.pk]
            maximum = attempt.max_score or Decimal("0.00")
            pass_mark = attempt.assessment.pass_mark_percent
            new["percent"] = grading.percent(new_score, maximum)
            new["passed"] = grading.passed(new_score, maximum, pass_mark)
            plan.attempt_rows[attempt.pk] = attempt
            plan.attempts.append(
                {
                    "attempt": attempt.pk,
                    "number": attempt.number,
                    "staff": attempt.staff_id,
                    "name": attempt.staff.name,
                    "employee_number": attempt.staff.employee_number,
                    "assessment": attempt.assessment_id,
                    "assessment_title": attempt.assessment.title,
                    "max_score": str(maximum),
                    "old_score": str(old_score),
                    "new_score": str(new_score),
                    "old_percent": str(old["percent"]),
                    "new_percent": str(new["percent"]),
                    "old_passed": old["passed"],
                    "new_passed": new["passed"],
                }
            )
        person = by_person.setdefault(
            (attempt.staff_id, attempt.assessment_id),
            {"attempt": attempt, "old": [], "new": []},
        )
        person["old"].append(old)
        person["new"].append(new)

    for (staff_id, assessment_id), person in by_person.items():
        attempt = person["attempt"]
        plan.person_attempts[(staff_id, assessment_id)] = attempt
        counting = attempt.assessment.counting
        stored = plan.results.get((staff_id, assessment_id))
        if stored is not None:
            old = {"pk": stored.attempt_id, "percent": stored.percent, "passed": stored.passed}
        else:
            old = _counted(person["old"], counting)
        new = _counted(person["new"], counting)
        change = ""
        if old["passed"] and not new["passed"]:
            change = NOW_FAILING
        elif new["passed"] and not old["passed"]:
            change = NOW_PASSING
        plan.people.append(
            {
                "staff": staff_id,
                "name": attempt.staff.name,
                "employee_number": attempt.staff.employee_number,
                "assessment": assessment_id,
                "assessment_title": attempt.assessment.title,
                "old_attempt": old["pk"],
                "new_attempt": new["pk"],
                "old_percent": str(old["percent"]),
                "new_percent": str(new["percent"]),
                "old_passed": old["passed"],
                "new_passed": new["passed"],
                "change": change,
            }
        )
    return plan


def _comparable(plan: dict) -> tuple:
    """Return what must be the same in a preview and its application (not names or titles)."""
    attempts = sorted(
        (a["attempt"], a["old_score"], a["new_score"], a["old_passed"], a["new_passed"])
        for a in plan.get("attempts", [])
    )
    people = sorted(
        (p["staff"], p["assessment"], p["new_attempt"], p["new_percent"], p["change"])
        for p in plan.get("people", [])
    )
    return (plan.get("items_changed"), tuple(attempts), tuple(people))


def regrade_preview(*, question: Question, actor, reason: str) -> Regrade:
    """
    Work out, without changing any grade, what applying the question's present key to the
    attempts that answered its older versions would change, and return it as a previewed
    `Regrade`. The question must already hold the corrected key.
    """
    _permission_check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise RegradeRefused(_("Say why the question is regraded."))
    with transaction.atomic():
        to_version = question_version_current(question=question, actor=actor)
        older = list(question.versions.filter(number__lt=to_version.number).order_by("number"))
        if not older:
            raise RegradeRefused(_("The question has no earlier version to regrade."))
        if any(v.data.get("kind") != to_version.data.get("kind") for v in older):
            # A response to one type of question cannot be scored against another type's key.
            raise RegradeRefused(_("The question's type changed; a regrade only corrects its key."))
        plan = _regrade_plan(question=question, to_version=to_version, lock=False)
        preview = plan.as_dict()
        preview["to_version"] = to_version.number
        preview["from_versions"] = [v.number for v in older]
        regrade = Regrade.objects.create(
            question=question,
            from_version=older[-1],
            to_version=to_version,
            reason=reason,
            preview=preview,
            created_by=actor,
        )
    logger.info(
        "Regrade %s of question %s previewed: %s attempts change",
        regrade.pk,
        question.pk,
        len(plan.attempts),
    )
    return regrade


def regrade_confirm(*, regrade: Regrade, actor) -> Regrade:
    """Queue the application of a previewed regrade. Confirming it again does nothing."""
    from ..tasks import regrade_apply_task

    _permission_check(actor)
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        if regrade.status != Regrade.Status.PREVIEWED:
            return regrade
        if QuestionVersion.objects.filter(
            question_id=regrade.question_id, number__gt=regrade.to_version.number
        ).exists():
            # Applying it would put back a key that has since been corrected again.
            raise RegradeRefused(_("The question changed after this preview: preview it again."))
        regrade.status = Regrade.Status.APPLYING
        regrade.save(update_fields=["status"])
        outbox.enqueue(regrade_apply_task, regrade.pk)
    return regrade


def _results_write(plan: _Plan) -> None:
    """Update each concerned person's result by the exam's counting rule."""
    now = timezone.now()
    to_update, to_create = [], []
    for person in plan.people:
        key = (person["staff"], person["assessment"])
        values = {
            "attempt_id": person["new_attempt"],
            "percent": Decimal(person["new_percent"]),
            "passed": person["new_passed"],
        }
        result = plan.results.get(key)
        if result is None:
            to_create.append(AssessmentResult(staff_id=key[0], assessment_id=key[1], **values))
            continue
        if any(getattr(result, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(result, f, v)
            result.updated_at = now
            to_update.append(result)
    AssessmentResult.objects.bulk_update(to_update, ["attempt", "percent", "passed", "updated_at"])
    AssessmentResult.objects.bulk_create(to_create)
    # A regrade that turns a fail into a pass counts like a passing submit (for example for a
    # certificate); nothing earned is taken away when it turns a pass into a fail.
    risen = {(p["staff"], p["assessment"]) for p in plan.people if p["change"] == NOW_PASSING}
    if risen and core_hooks.receivers(core_hooks.RESULT_UPDATED):
        results = [r for r in [*to_update, *to_create] if (r.staff_id, r.assessment_id) in risen]
        exams = {
            a.pk: a for a in Assessment.objects.filter(pk__in={r.assessment_id for r in results})
        }
        for result in results:
            core_hooks.fire(
                core_hooks.RESULT_UPDATED, result=result, assessment=exams[result.assessment_id]
            )


def _courses_complete(plan: _Plan) -> None:
    """
    Complete the courses whose exam a person now passes, as submitting a passing attempt does.
    A course already completed stays completed when its exam is failed by a regrade: what a
    person earned is never taken away here; the grade change is on record for trainers.
    """
    for person in plan.people:
        if person["change"] != NOW_PASSING:
            continue
        attempt = plan.person_attempts[(person["staff"], person["assessment"])]
        exam = attempt.assessment
        if exam.kind == Assessment.Kind.COURSE_EXAM:
            course_completion_check(staff=attempt.staff, course=exam.course)


def regrade_apply(*, regrade_id: int) -> Regrade:
    """
    Apply a regrade: rescore the items, attempts and results as the preview did, and record one
    `GradeChange` per attempt whose score changed. Safe to run twice: an applied regrade is left
    as it is. When attempts finished or changed since the preview, what is applied is worked out
    again and recorded beside the preview.
    """
    with transaction.atomic():
        regrade = (
            Regrade.objects.select_for_update(of=("self",))
            .select_related("question", "to_version")
            .get(pk=regrade_id)
        )
        if regrade.status == Regrade.Status.APPLIED:
            return regrade
        plan = _regrade_plan(question=regrade.question, to_version=regrade.to_version, lock=True)
        applied = plan.as_dict()

        items = [AttemptItem(pk=pk, score=s) for pk, s in plan.item_scores.items()]
        AttemptItem.objects.bulk_update(items, ["score"], batch_size=1000)
        changes, attempts = [], []
        for row in plan.attempts:
            attempt = plan.attempt_rows[row["attempt"]]
            attempt.score = Decimal(row["new_score"])
            attempt.percent = Decimal(row["new_percent"])
            attempt.passed = row["new_passed"]
            attempts.append(attempt)
            changes.append(
                GradeChange(
                    attempt=attempt,
                    regrade=regrade,
                    old_score=Decimal(row["old_score"]),
                    new_score=attempt.score,
                    old_passed=row["old_passed"],
                    new_passed=row["new_passed"],
                    actor_id=regrade.created_by_id,
                    reason=regrade.reason,
                )
            )
        Attempt.objects.bulk_update(attempts, ["score", "percent", "passed"], batch_size=1000)
        _results_write(plan)
        GradeChange.objects.bulk_create(changes, batch_size=1000)
        _courses_complete(plan)

        matches = _comparable(applied) == _comparable(regrade.preview)
        record = {"matches_preview": matches, "counts": applied["counts"]}
        if not matches:
            record.update(applied)
        regrade.preview = {**regrade.preview, "applied": record}
        regrade.status = Regrade.Status.APPLIED
        regrade.applied_at = timezone.now()
        regrade.save(update_fields=["preview", "status", "applied_at"])
    logger.info(
        "Regrade %s applied: %s attempts changed%s",
        regrade.pk,
        len(changes),
        "" if matches else ", differing from its preview",
    )
    return regrade

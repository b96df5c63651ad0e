"""
Attempts at an exam: start (draw and freeze the questions), save answers, submit, close at the
time limit, grade, and keep each person's counting result.

The server owns the clock. An attempt takes answers until its deadline plus a short grace period
(settings.ASSESSMENT_GRACE_SECONDS, for the last answer in flight); after that it is closed and
graded as it stood, whoever notices first: the learner's next request or the periodic task.
"""

import datetime
import logging
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks as core_hooks
from courses.services import course_completion_check
from network.models import Staff

from .. import answers, grading
from ..models import Assessment, AssessmentResult, Attempt, AttemptItem, Question, Regrade
from ..selectors.attempts import grace_period, staff_may_take
from .questions import question_version_current

logger = logging.getLogger(__name__)

# Kinds whose options are shown as a list the learner chooses from or puts in order.
_KINDS_WITH_OPTIONS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.ORDERING}
# Attempts to insert a new attempt when a concurrent start took the number first.
_START_TRIES = 3


def _locked(queryset):
    # Lock only the attempt row: joined rows (the exam, the person) are read, not written, and
    # locking the exam would make every learner's submit wait for everybody else's.
    return queryset.select_for_update(of=("self",)).select_related("assessment", "staff")


def _expired(attempt: Attempt, now: datetime.datetime) -> bool:
    return now > attempt.deadline + grace_period()


# Start ----------------------------------------------------------------------------------------


def attempt_start(*, staff: Staff, assessment: Assessment, now=None) -> Attempt:
    """
    Return the open attempt of `staff` at `assessment`, starting one when there is none: the
    questions are drawn, their versions and option order fixed and stored. Raise PermissionDenied
    when the person may not take the exam, ValidationError when no attempt is left, the wait
    between attempts is not over, or a category has too few questions.

    Safe to call twice at once (double clicks, two tabs, replayed requests): both calls return
    the same attempt, and never more attempts are made than the exam allows.
    """
    now = now or timezone.now()
    if not assessment.is_active or not staff_may_take(staff=staff, assessment=assessment):
        raise PermissionDenied(_("You may not take this exam."))
    # An attempt left open past its time is closed and graded before anything else, in its own
    # transaction, so a refusal below does not undo it.
    attempt_close_if_expired(staff=staff, assessment=assessment, now=now)
    for _try in range(_START_TRIES):
        with transaction.atomic():
            attempt = _open_attempt(staff=staff, assessment=assessment, now=now)
            if attempt is not None:
                return attempt
            # The number comes from the same read as the limit check: an attempt another
            # request makes after this read takes this number first, and the insert below fails.
            number = _next_number(staff=staff, assessment=assessment, now=now)
            drawn = _draw(assessment)
            try:
                # The constraints (one open attempt, unique numbers) are the last guard: a start
                # racing this one may have taken the number or opened an attempt first.
                with transaction.atomic():
                    return _attempt_create(
                        staff=staff, assessment=assessment, number=number, drawn=drawn, now=now
                    )
            except IntegrityError:
                logger.info(
                    "Concurrent start of exam %s by staff %s; using the other one",
                    assessment.pk,
                    staff.pk,
                )
    # Three starts in a row lost to others: the last one's attempt, or the refusal, is now final.
    with transaction.atomic():
        attempt = _open_attempt(staff=staff, assessment=assessment, now=now)
        if attempt is not None:
            return attempt
        _next_number(staff=staff, assessment=assessment, now=now)
    raise ValidationError(_("The exam could not be started. Please try again."), code="busy")


def _open_attempt(*, staff, assessment, now) -> Attempt | None:
    attempt = _locked(
        Attempt.objects.filter(staff=staff, assessment=assessment, status=Attempt.Status.OPEN)
    ).first()
    if attempt is None:
        return None
    if _expired(attempt, now):
        _finish(attempt=attempt, status=Attempt.Status.CLOSED, now=now)
        return None
    return attempt


def _next_number(*, staff, assessment, now) -> int:
    """
    Return the number of the next attempt of `staff` at `assessment`; raise ValidationError
    when no attempt is left or the wait after the last one is not over.
    """
    previous = list(
        Attempt.objects.filter(staff=staff, assessment=assessment).values_list(
            "number", "finished_at"
        )
    )
    if len(previous) >= assessment.max_attempts:
        raise ValidationError(
            _("You have used all %(count)s attempts at this exam."),
            code="no_attempts_left",
            params={"count": assessment.max_attempts},
        )
    last = max((f for _n, f in previous if f is not None), default=None)
    if last is not None and assessment.cooldown_minutes:
        until = last + datetime.timedelta(minutes=assessment.cooldown_minutes)
        if now < until:
            raise ValidationError(
                _("You may start the next attempt at %(time)s."),
                code="cooldown",
                params={"time": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
            )
    return max((n for n, _f in previous), default=0) + 1


def _draw(assessment: Assessment) -> list:
    """Return the drawn (question, version) pairs of a new attempt, in the order shown."""
    rng = random.SystemRandom()
    chosen: list[int] = []
    for rule in assessment.draw_rules.select_related("category").order_by("sort_order", "pk"):
        candidates = Question.objects.filter(category=rule.category, is_active=True).exclude(
            pk__in=chosen
        )
        if rule.difficulty:
            candidates = candidates.filter(difficulty=rule.difficulty)
        candidates = list(candidates.order_by("pk").values_list("pk", flat=True))
        if len(candidates) < rule.count:
            raise ValidationError(
                _(
                    "The exam draws %(count)s questions from “%(category)s” but the bank has "
                    "only %(available)s active ones. Tell the trainer."
                ),
                code="not_enough_questions",
                params={
                    "count": rule.count,
                    "category": rule.category.name,
                    "available": len(candidates),
                },
            )
        picked = rng.sample(candidates, rule.count)
        chosen.extend(picked if assessment.shuffle_questions else sorted(picked))
    questions = Question.objects.filter(pk__in=chosen).prefetch_related("options").in_bulk()
    # Versions are made in question order: two starts at once then lock the questions in the
    # same order and cannot deadlock.
    versions = {pk: question_version_current(question=questions[pk]) for pk in sorted(chosen)}
    if assessment.shuffle_questions:
        rng.shuffle(chosen)
    return [
        (questions[pk], versions[pk], _option_order(versions[pk], assessment, rng)) for pk in chosen
    ]


def _option_order(version, assessment, rng) -> list[str] | dict:
    kind = version.data["kind"]
    keys = [o["key"] for o in version.data.get("options", [])]
    if kind == Question.Kind.MATCHING:
        # Always shuffled, whatever the exam says: authors enter each item beside its answer,
        # and both lists in that order would pair them (the stored form: see answers.py).
        items = [o["key"] for o in grading.matching_items(version.data)]
        offered = answers.matching_answers(version.data)
        rng.shuffle(items)
        rng.shuffle(offered)
        return {"items": items, "answers": offered}
    if kind not in _KINDS_WITH_OPTIONS:
        return keys
    if kind == Question.Kind.ORDERING:
        # The key of an ordering question is its stored order: showing that order would give
        # the answer away, so these are always shuffled, and never left in the right order.
        if len(keys) > 1:
            shown = keys[:]
            while shown == keys:
                rng.shuffle(shown)
            return shown
        return keys
    if assessment.shuffle_options:
        rng.shuffle(keys)
    return keys


def _attempt_create(*, staff, assessment, number, drawn, now) -> Attempt:
    attempt = Attempt.objects.create(
        staff=staff,
        assessment=assessment,
        number=number,
        status=Attempt.Status.OPEN,
        started_at=now,
        deadline=now + datetime.timedelta(minutes=assessment.time_limit_minutes),
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            position=position,
            version=version,
            option_order=order,
            max_score=Decimal(str(version.data.get("points", "1"))),
        )
        for position, (_question, version, order) in enumerate(drawn, start=1)
    )
    return attempt


# Answers --------------------------------------------------------------------------------------


def answer_save(*, attempt: Attempt, position: int, response, now=None) -> AttemptItem:
    """
    Save `response` as the answer to the question at `position` of `attempt`, replacing the
    previous one; None clears it. Raise ValidationError when the response does not fit the
    question, the attempt is finished, or its time is up (the attempt is then closed and graded
    as it stood).
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(Attempt.objects.filter(pk=attempt.pk)).get()
        _check_open(attempt)
        late = _expired(attempt, now)
        if late:
            _finish(attempt=attempt, status=Attempt.Status.CLOSED, now=now)
        else:
            item = (
                AttemptItem.objects.select_related("version")
                .filter(attempt=attempt, position=position)
                .first()
            )
            if item is None:
                raise ValidationError(_("This attempt has no such question."), code="invalid")
            item.response = answers.response_clean(item.version.data, response)
            item.answered_at = now
            item.save(update_fields=["response", "answered_at"])
    if late:
        raise _late_error()
    return item


def _check_open(attempt: Attempt) -> None:
    if attempt.status != Attempt.Status.OPEN:
        raise ValidationError(_("This attempt is already finished."), code="finished")


def _late_error() -> ValidationError:
    return ValidationError(
        _("The time for this attempt is up; it was closed and graded as it stood."), code="late"
    )


# Submit and close -----------------------------------------------------------------------------


def attempt_submit(*, attempt: Attempt, responses=None, now=None) -> Attempt:
    """
    Submit `attempt` and grade it, first saving `responses` ({position: response}) when given.
    Submitting a finished attempt returns it unchanged. After the time limit (and the grace
    period) the submission is refused with ValidationError, and the attempt is closed and graded
    as it stood.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(Attempt.objects.filter(pk=attempt.pk)).get()
        if attempt.status != Attempt.Status.OPEN:
            return attempt  # a second click, another tab, a replay: already graded
        late = _expired(attempt, now)
        if late:
            _finish(attempt=attempt, status=Attempt.Status.CLOSED, now=now)
        else:
            if responses:
                _responses_save(attempt=attempt, responses=responses, now=now)
            _finish(attempt=attempt, status=Attempt.Status.SUBMITTED, now=now)
    if late:
        raise _late_error()
    return attempt


def _responses_save(*, attempt, responses: dict, now) -> None:
    items = {
        item.position: item
        for item in AttemptItem.objects.select_related("version").filter(
            attempt=attempt, position__in=list(responses)
        )
    }
    changed = []
    for position, response in responses.items():
        item = items.get(position)
        if item is None:
            raise ValidationError(_("This attempt has no such question."), code="invalid")
        cleaned = answers.response_clean(item.version.data, response)
        if cleaned != item.response:
            item.response = cleaned
            item.answered_at = now
            changed.append(item)
    AttemptItem.objects.bulk_update(changed, ["response", "answered_at"])


def attempt_close_if_expired(*, staff=None, assessment=None, attempt=None, now=None):
    """
    Close and grade the open attempt (`attempt`, or that of `staff` at `assessment`) when its
    time is up. Return the attempt when it was closed, else None.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempts = Attempt.objects.filter(status=Attempt.Status.OPEN)
        if attempt is not None:
            attempts = attempts.filter(pk=attempt.pk)
        else:
            attempts = attempts.filter(staff=staff, assessment=assessment)
        locked = _locked(attempts).first()
        if locked is None or not _expired(locked, now):
            return None
        _finish(attempt=locked, status=Attempt.Status.CLOSED, now=now)
        return locked


def attempts_close_expired(*, now=None) -> int:
    """Close and grade every open attempt whose time is up. Return how many were closed."""
    now = now or timezone.now()
    cutoff = now - grace_period()
    ids = list(
        Attempt.objects.filter(status=Attempt.Status.OPEN, deadline__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        # One transaction per attempt: a learner's request closing the same attempt waits for
        # the row lock and then finds it closed, and one failure does not hold back the others.
        try:
            if attempt_close_if_expired(attempt=Attempt(pk=pk), now=now) is not None:
                closed += 1
        except Exception:
            logger.exception("Attempt %s could not be closed", pk)
    return closed


def _finish(*, attempt: Attempt, status: str, now) -> None:
    """Grade the locked open `attempt` as it stands and record it as finished with `status`."""
    items = list(AttemptItem.objects.select_related("version").filter(attempt=attempt))
    corrected = _corrected_keys({item.version.question_id for item in items})
    for item in items:
        key = item.version.data
        fix = corrected.get(item.version.question_id)
        if fix is not None and fix[0] > item.version.number:
            # A regrade applied while this attempt was open corrects its key too, with the
            # points the item is worth here, as the regrade did for finished attempts.
            key = {**fix[1], "points": str(item.max_score)}
            item.score = grading.score(
                key, grading.response_carried(item.version.data, key, item.response)
            )
        else:
            item.score = grading.score(key, item.response)
    AttemptItem.objects.bulk_update(items, ["score"])
    total = sum((item.score for item in items), Decimal("0.00"))
    maximum = sum((item.max_score for item in items), Decimal("0.00"))
    exam = attempt.assessment
    attempt.status = status
    # An attempt closed at the time limit ended at its deadline, however late it was noticed.
    attempt.finished_at = now if status == Attempt.Status.SUBMITTED else attempt.deadline
    attempt.score = total
    attempt.max_score = maximum
    attempt.percent = grading.percent(total, maximum)
    attempt.passed = grading.passed(total, maximum, exam.pass_mark_percent)
    attempt.save(update_fields=["status", "finished_at", "score", "max_score", "percent", "passed"])
    result = _result_update(attempt=attempt)
    core_hooks.fire(core_hooks.RESULT_UPDATED, result=result, assessment=exam)
    if exam.kind == Assessment.Kind.COURSE_EXAM and attempt.passed:
        course_completion_check(staff=attempt.staff, course=exam.course)


def _corrected_keys(question_ids) -> dict:
    """Return, per question, the (version number, data) of its latest applied regrade."""
    corrected = {}
    for question_id, number, data in (
        Regrade.objects.filter(status=Regrade.Status.APPLIED, question_id__in=question_ids)
        .order_by("to_version__number")
        .values_list("question_id", "to_version__number", "to_version__data")
    ):
        corrected[question_id] = (number, data)
    return corrected


def _result_update(*, attempt: Attempt) -> AssessmentResult:
    """Make `attempt` the person's counting result if the exam's counting rule says so."""
    result = (
        AssessmentResult.objects.select_for_update()
        .filter(staff_id=attempt.staff_id, assessment_id=attempt.assessment_id)
        .first()
    )
    if result is None:
        return AssessmentResult.objects.create(
            staff_id=attempt.staff_id,
            assessment_id=attempt.assessment_id,
            attempt=attempt,
            percent=attempt.percent,
            passed=attempt.passed,
        )
    if attempt.assessment.counting == Assessment.Counting.BEST:
        # A pass beats a fail even at a lower percentage (the pass mark may have changed).
        better = (attempt.passed, attempt.percent) > (result.passed, result.percent)
        if not better:
            return result
    result.attempt = attempt
    result.percent = attempt.percent
    result.passed = attempt.passed
    result.save(update_fields=["attempt", "percent", "passed", "updated_at"])
    return result

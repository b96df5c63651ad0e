"""
Reads of exams and attempts for learners' pages.

What a learner sees of a question is built here from a whitelist of the frozen version's fields
(text and option texts, in the stored option order; a matching question's items and its distinct
answers, each in its stored order). The answer key (`correct` flags, the true/false answer, the
numeric answers and tolerances, a short answer's accepted answers, which answer is each matching
item's) and the explanation only leave this module through `attempt_review`, for a finished
attempt and as far as the exam's review policy allows.
"""

import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import reads_english
from courses.models import Enrollment
from courses.selectors import lesson_access
from network.models import Staff

from .. import answers, grading
from ..models import Assessment, AssessmentResult, Attempt, AttemptItem, Question


def grace_period() -> datetime.timedelta:
    """Return how long after its deadline an attempt still takes answers in flight."""
    return datetime.timedelta(seconds=settings.ASSESSMENT_GRACE_SECONDS)


def _localized(data: dict, field: str) -> str:
    """Return `field` of `data`, or its `_en` twin when the reader reads English and it is set."""
    english = data.get(f"{field}_en")
    if reads_english() and english:
        return english
    return data.get(field) or ""


def exam_title(assessment: Assessment) -> str:
    return assessment.title_en if reads_english() and assessment.title_en else assessment.title


# Who may take what ----------------------------------------------------------------------------


def staff_may_take(*, staff: Staff | None, assessment: Assessment) -> bool:
    """
    Return whether `staff` may take `assessment`: a course exam when their enrolment gives them
    the course's lessons, a certification exam when they are enrolled in the track.
    """
    if staff is None or not staff.is_active or not assessment.is_active:
        return False
    if assessment.kind == Assessment.Kind.COURSE_EXAM:
        course = assessment.course
        if not course.live:
            return False
        access = lesson_access(user=staff.user, course=course)
        return bool(access and access.enrolled and access.staff.pk == staff.pk)
    return (
        Enrollment.objects.active()
        .filter(staff=staff, track_id=assessment.track_id, track__live=True)
        .exists()
    )


def exam_for_learner(*, staff: Staff | None, assessment_id: int) -> Assessment:
    """Return active exam `assessment_id` if `staff` may take it; else Assessment.DoesNotExist."""
    assessment = Assessment.objects.select_related("course", "track").get(
        pk=assessment_id, is_active=True
    )
    if not staff_may_take(staff=staff, assessment=assessment):
        raise Assessment.DoesNotExist
    return assessment


def active_exam_id(*, course_id=None, track_id=None) -> int | None:
    """Return the id of the active exam of a course (or a track), if it has one."""
    exams = Assessment.objects.filter(is_active=True)
    exams = (
        exams.filter(course_id=course_id)
        if course_id
        else exams.filter(track_id=track_id, kind=Assessment.Kind.CERTIFICATION_EXAM)
    )
    return exams.values_list("pk", flat=True).first()


def attempts_of(*, staff: Staff | None):
    """Return the attempts `staff` may open: only their own."""
    if staff is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(staff=staff)


def attempt_for_learner(*, staff: Staff | None, attempt_id: int) -> Attempt:
    """Return `staff`'s attempt `attempt_id`; Attempt.DoesNotExist for anybody else's."""
    return attempts_of(staff=staff).select_related("assessment").get(pk=attempt_id)


def seconds_left(attempt: Attempt, now=None) -> int:
    """Return the whole seconds until `attempt`'s deadline (0 when it has passed)."""
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


def attempt_expired(attempt: Attempt, now=None) -> bool:
    now = now or timezone.now()
    return attempt.status == Attempt.Status.OPEN and now > attempt.deadline + grace_period()


# The exam overview ----------------------------------------------------------------------------


@dataclasses.dataclass
class ExamOverview:
    assessment: Assessment
    title: str
    attempts: list
    attempts_used: int
    attempts_left: int
    open_attempt: Attempt | None
    cooldown_until: datetime.datetime | None
    result: AssessmentResult | None
    question_count: int

    @property
    def may_start(self) -> bool:
        return self.open_attempt is None and self.attempts_left > 0 and not self.cooldown_until


def exam_overview(*, staff: Staff, assessment: Assessment, now=None) -> ExamOverview:
    """Return `staff`'s attempts at `assessment`, what is left of them, and their result."""
    now = now or timezone.now()
    attempts = list(Attempt.objects.filter(staff=staff, assessment=assessment).order_by("number"))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.OPEN), None)
    ends = [a.finished_at for a in attempts if a.finished_at is not None]
    if open_attempt is not None and attempt_expired(open_attempt, now):
        # Closed at its deadline by the next request or the periodic task.
        ends.append(open_attempt.deadline)
        open_attempt = None
    cooldown_until = None
    if ends and assessment.cooldown_minutes:
        until = max(ends) + datetime.timedelta(minutes=assessment.cooldown_minutes)
        cooldown_until = until if until > now else None
    result = AssessmentResult.objects.filter(staff=staff, assessment=assessment).first()
    question_count = sum(rule.count for rule in assessment.draw_rules.all())
    return ExamOverview(
        assessment=assessment,
        title=exam_title(assessment),
        attempts=[a for a in attempts if a.status != Attempt.Status.OPEN],
        attempts_used=len(attempts),
        attempts_left=max(0, assessment.max_attempts - len(attempts)),
        open_attempt=open_attempt,
        cooldown_until=cooldown_until,
        result=result,
        question_count=question_count,
    )


# The attempt page -----------------------------------------------------------------------------


@dataclasses.dataclass
class QuestionView:
    """One question as the learner sees it while answering: no key, no explanation."""

    position: int
    kind: str
    text: str
    points: Decimal
    options: list  # [(option number, text)] in the order shown; matching: the answers offered
    response: object  # the learner's answer, options by number
    items: list = dataclasses.field(default_factory=list)  # matching: [(number, text, chosen)]

    @property
    def chosen(self) -> set:
        if isinstance(self.response, list):
            return set(self.response)
        if isinstance(self.response, str):
            return {self.response}
        return set()

    @property
    def ordered_options(self) -> list:
        """The options of an ordering question in the learner's order, or as first shown."""
        if self.kind == Question.Kind.ORDERING and isinstance(self.response, list):
            texts = dict(self.options)
            return [(key, texts[key]) for key in self.response if key in texts]
        return self.options

    @property
    def answered(self) -> bool:
        return self.response is not None


def _options_shown(data: dict, option_order: list) -> list:
    by_key = {o["key"]: o for o in data.get("options", [])}
    return [
        (str(i), _localized(by_key[key], "text"))
        for i, key in enumerate(option_order)
        if key in by_key
    ]


def _question_view(item: AttemptItem) -> QuestionView:
    data = item.version.data
    order = answers.page_order(data, item.option_order)
    response = answers.to_page(item.response, kind=data["kind"], option_order=order)
    if data["kind"] != Question.Kind.MATCHING:
        return QuestionView(
            position=item.position,
            kind=data["kind"],
            text=_localized(data, "text"),
            points=item.max_score,
            options=_options_shown(data, order),
            response=response,
        )
    by_key = {o["key"]: o for o in data.get("options", [])}
    chosen = response or {}
    return QuestionView(
        position=item.position,
        kind=data["kind"],
        text=_localized(data, "text"),
        points=item.max_score,
        options=[(str(i), _localized(by_key[k], "match")) for i, k in enumerate(order["choices"])],
        response=response,
        items=[
            (str(i), _localized(by_key[k], "text"), chosen.get(str(i)))
            for i, k in enumerate(order["items"])
        ],
    )


def attempt_questions(*, attempt: Attempt) -> list[QuestionView]:
    """Return the questions of `attempt` as the learner answers them, in the order drawn."""
    items = (
        AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position")
    )
    return [_question_view(item) for item in items]


# The review -----------------------------------------------------------------------------------


@dataclasses.dataclass
class ReviewItem:
    position: int
    text: str
    outcome: str  # "right", "partly", "wrong" or "unanswered"
    score: Decimal
    max_score: Decimal
    given: list  # the learner's answer, as texts
    key: list | None = None  # the right answer, as texts (full review only)
    # A matching question's items with the key: [(item, chosen answer, right answer, is right)].
    pairs: list = dataclasses.field(default_factory=list)
    explanation: str = ""
    feedback: list = dataclasses.field(default_factory=list)  # full review only


@dataclasses.dataclass
class Review:
    attempt: Attempt
    title: str
    policy: str
    items: list

    @property
    def shows_items(self) -> bool:
        return self.policy != Assessment.ReviewPolicy.SCORE_ONLY

    @property
    def shows_key(self) -> bool:
        return self.policy == Assessment.ReviewPolicy.FULL


def _texts(data: dict, keys) -> list[str]:
    by_key = {o["key"]: o for o in data.get("options", [])}
    return [_localized(by_key[k], "text") for k in keys if k in by_key]


def _given(data: dict, response) -> list[str]:
    if response is None:
        return []
    kind = data["kind"]
    if kind == Question.Kind.TRUE_FALSE:
        return [_("True") if response else _("False")]
    if kind == Question.Kind.NUMERIC:
        return [answers.decimal_text(response)]
    if kind == Question.Kind.SINGLE:
        return _texts(data, [response])
    if kind == Question.Kind.MULTIPLE:
        order = [o["key"] for o in data.get("options", [])]
        return _texts(data, [k for k in order if k in response])
    if kind == Question.Kind.SHORT_ANSWER:
        return [str(response)]
    if kind == Question.Kind.MATCHING:
        return [f"{item} → {chosen}" for item, chosen in _matching_rows(data, response)]
    return _texts(data, response)


def _matching_rows(data: dict, response) -> list[tuple[str, str]]:
    """Return (item, chosen answer) of each item answered, as texts."""
    by_key = {o["key"]: o for o in data.get("options", [])}
    chosen = response if isinstance(response, dict) else {}
    return [
        (_localized(item, "text"), _localized(by_key[chosen[item["key"]]], "match"))
        for item in grading.matching_items(data)
        if chosen.get(item["key"]) in by_key
    ]


def _pairs(data: dict, response) -> list[tuple[str, str, str, bool]]:
    """Every item of a matching question: (item, chosen answer or "", right answer, is right)."""
    by_key = {o["key"]: o for o in data.get("options", [])}
    chosen = response if isinstance(response, dict) else {}
    right = grading.matching_right(data, response)
    rows = []
    for item in grading.matching_items(data):
        option = by_key.get(chosen.get(item["key"]))
        given = _localized(option, "match") if option else ""
        rows.append(
            (_localized(item, "text"), given, _localized(item, "match"), right[item["key"]])
        )
    return rows


def _percent_text(fraction) -> str:
    return answers.decimal_text(Decimal(str(fraction)) * 100)


def _numeric_key(data: dict) -> list[str]:
    tolerance = Decimal(str(data.get("tolerance") or "0"))
    value = answers.decimal_text(data["numeric"])
    key = [f"{value} ± {answers.decimal_text(tolerance)}" if tolerance else value]
    # Moodle's further answers earn part of the points (or all): each is shown with its grade.
    for entry in data.get("numeric_answers") or []:
        try:
            fraction = Decimal(str(entry["fraction"]))
        except (InvalidOperation, KeyError, TypeError):
            continue
        if fraction <= 0:
            continue
        if entry.get("value") is None:
            shown = _("any other number")
        else:
            shown = answers.decimal_text(entry["value"])
            spread = Decimal(str(entry.get("tolerance") or "0"))
            if spread:
                shown = f"{shown} ± {answers.decimal_text(spread)}"
        key.append(
            _("%(answer)s (%(percent)s%% of the points)")
            % {"answer": shown, "percent": _percent_text(min(fraction, Decimal(1)))}
        )
    return key


def _key(data: dict) -> list[str]:
    kind = data["kind"]
    if kind == Question.Kind.TRUE_FALSE:
        return [_("True") if data.get("answer") else _("False")]
    if kind == Question.Kind.NUMERIC:
        return _numeric_key(data)
    if kind == Question.Kind.SHORT_ANSWER:
        # The answers of full marks; a wildcard shows as the author wrote it ("ESD*").
        return [
            text
            for o in data.get("options", [])
            if grading.short_answer_fraction(o) >= 1
            for text in [_localized(o, "text")]
            if text
        ]
    if kind == Question.Kind.MATCHING:
        return [
            f"{_localized(item, 'text')} → {_localized(item, 'match')}"
            for item in grading.matching_items(data)
        ]
    if kind == Question.Kind.ORDERING:
        return _texts(data, [o["key"] for o in data.get("options", [])])
    return _texts(data, [o["key"] for o in data.get("options", []) if o.get("correct")])


def _feedback(data: dict, response, outcome: str) -> list[str]:
    """
    Return the feedback Moodle would show for `response`: that of each chosen option, or of the
    best matching further numeric answer, then that of the outcome (right, partly, wrong).
    """
    notes = []
    kind = data["kind"]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and response is not None:
        chosen = {response} if isinstance(response, str) else set(response or [])
        notes += [_localized(o, "feedback") for o in data.get("options", []) if o["key"] in chosen]
    elif kind == Question.Kind.NUMERIC and response is not None:
        entry = grading.numeric_match(data, response)
        if entry is not None:
            notes.append(_localized(entry, "feedback"))
    elif kind == Question.Kind.SHORT_ANSWER and response is not None:
        entry = grading.short_answer_match(data, response)
        if entry is not None:
            notes.append(_localized(entry, "feedback"))
    by_outcome = {"right": "correct", "partly": "partial", "wrong": "incorrect"}
    if outcome in by_outcome:
        notes.append(_localized(data.get("feedback") or {}, by_outcome[outcome]))
    return [note for note in notes if note]


def _outcome(item: AttemptItem) -> str:
    if item.response is None:
        return "unanswered"
    if item.score is not None and item.score >= item.max_score:
        return "right"
    if item.score:
        return "partly"
    return "wrong"


def _policy_now(attempt: Attempt, now=None) -> str:
    """
    The exam's review policy as it may apply now: the right answers and explanations only once
    the person passed or has no attempt left, and never while another attempt at the exam still
    takes answers. Before that a retake may draw the same questions, so the review shows which
    answers were wrong, never what was right.
    """
    policy = attempt.assessment.review_policy
    if policy != Assessment.ReviewPolicy.FULL:
        return policy
    now = now or timezone.now()
    staff_id, assessment = attempt.staff_id, attempt.assessment
    attempts = list(
        Attempt.objects.filter(staff_id=staff_id, assessment=assessment).only("status", "deadline")
    )
    # An open attempt counts among those used: during the last one "no attempt left" is already
    # true, and its questions, perhaps the same, are being answered in the next tab.
    if any(a.status == Attempt.Status.OPEN and not attempt_expired(a, now) for a in attempts):
        return Assessment.ReviewPolicy.SCORE_AND_WRONG
    if len(attempts) >= assessment.max_attempts:
        return policy
    passed = AssessmentResult.objects.filter(
        staff_id=staff_id, assessment=assessment, passed=True
    ).exists()
    return policy if passed else Assessment.ReviewPolicy.SCORE_AND_WRONG


def attempt_review(*, attempt: Attempt) -> Review | None:
    """
    Return the review of finished `attempt` as its exam's review policy allows: the score only;
    the score and which answers were wrong; or everything with the right answers and
    explanations. None while the attempt is open.
    """
    if attempt.status == Attempt.Status.OPEN:
        return None
    assessment = attempt.assessment
    policy = _policy_now(attempt)
    items = []
    if policy != Assessment.ReviewPolicy.SCORE_ONLY:
        full = policy == Assessment.ReviewPolicy.FULL
        for item in (
            AttemptItem.objects.filter(attempt=attempt)
            .select_related("version")
            .order_by("position")
        ):
            data = item.version.data
            outcome = _outcome(item)
            items.append(
                ReviewItem(
                    position=item.position,
                    text=_localized(data, "text"),
                    outcome=outcome,
                    score=item.score or Decimal("0.00"),
                    max_score=item.max_score,
                    given=_given(data, item.response),
                    key=_key(data) if full else None,
                    explanation=_localized(data, "explanation") if full else "",
                    # Feedback tells what was right, so it shows only where the key does.
                    feedback=_feedback(data, item.response, outcome) if full else [],
                    pairs=(
                        _pairs(data, item.response)
                        if full and data["kind"] == Question.Kind.MATCHING
                        else []
                    ),
                )
            )
    return Review(attempt=attempt, title=exam_title(assessment), policy=policy, items=items)


def attempt_shapes(*, attempt: Attempt, positions=None) -> dict[int, tuple[str, list]]:
    """Return (kind, option order) of the questions of `attempt`, by position."""
    items = AttemptItem.objects.filter(attempt=attempt).select_related("version")
    if positions is not None:
        items = items.filter(position__in=list(positions))
    items = items.only("position", "option_order", "version__data")
    return {
        item.position: (
            item.version.data["kind"],
            answers.page_order(item.version.data, item.option_order),
        )
        for item in items
    }


# A person's record ----------------------------------------------------------------------------

RECORD_ATTEMPTS = 20


def staff_exam_record(*, staff: Staff) -> dict:
    """
    Return the counting result of each exam `staff` took, and their latest finished attempts,
    in two queries whatever their history.
    """
    results = list(
        AssessmentResult.objects.filter(staff=staff)
        .select_related("assessment")
        .order_by("-updated_at", "-pk")
    )
    attempts = list(
        Attempt.objects.filter(staff=staff, finished_at__isnull=False)
        .select_related("assessment")
        .order_by("-finished_at", "-pk")[:RECORD_ATTEMPTS]
    )
    return {
        "results": [(result, exam_title(result.assessment)) for result in results],
        "attempts": [(attempt, exam_title(attempt.assessment)) for attempt in attempts],
    }

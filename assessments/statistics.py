"""
Item statistics: how each question behaves over the finished attempts that answered it, in every
one of its versions. Reads only; the sums are taken in one SQL query per page of questions.

- attempts: finished attempts that answered the question (items worth no points are left out).
- facility: the mean share of the question's points earned, 0 (nobody) to 1 (everybody).
- discrimination: the point-biserial correlation between the share of the question's points an
  attempt earned and the attempt's total percent; for partial-credit questions it is the same
  product-moment correlation. It runs from -1 to 1: a good question is answered better by the
  learners who do better on the whole exam. The total includes the question itself, as the
  classic point-biserial does. It is chosen over the upper-lower 27% index because it uses every
  attempt, has no ties to break at the 27% boundary, and needs only sums that SQL aggregates.
- wrong answers (short answer questions only): the answers typed most often that did not earn
  full points, as `grading.text_normal` compares them, so a trainer sees which answer to accept
  or which misunderstanding to teach against. One more query for all of them.
"""

import dataclasses
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _

from .grading import text_normal
from .models import Attempt, AttemptItem, Question

FINISHED = (Attempt.Status.SUBMITTED, Attempt.Status.CLOSED)

# Thresholds of a likely bad question.
FACILITY_LOW = Decimal("0.2")
FACILITY_HIGH = Decimal("0.95")
DISCRIMINATION_LOW = Decimal("0.1")
# Below this many attempts a correlation says too little to call a question bad.
DISCRIMINATION_MIN_ATTEMPTS = 10
# The wrong answers shown of a short answer question.
WRONG_ANSWERS_SHOWN = 3

FLAG_LABELS = {
    "too_hard": _("Too hard"),
    "too_easy": _("Too easy"),
    "not_discriminating": _("Does not discriminate"),
}

_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ItemStatistics:
    question: Question
    attempts: int
    facility: Decimal | None
    discrimination: Decimal | None
    flags: tuple[str, ...]
    wrong_answers: tuple[tuple[str, int], ...] = ()  # short answer: (answer, how often)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]


def questions_with_item_sums(questions: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """
    Return `questions` (all by default) annotated with the sums the statistics are made of, over
    the items of finished attempts: `item_n`, `sum_x`, `sum_y`, `sum_xx`, `sum_yy`, `sum_xy`,
    where x is the share of the question's points an item earned and y its attempt's percent / 100.
    """
    if questions is None:
        questions = Question.objects.all()
    answered = Q(
        versions__items__attempt__status__in=FINISHED,
        versions__items__score__isnull=False,
        versions__items__max_score__gt=0,
        versions__items__attempt__percent__isnull=False,
    )
    x = Cast("versions__items__score", FloatField()) / NullIf(
        Cast("versions__items__max_score", FloatField()), Value(0.0)
    )
    y = Cast("versions__items__attempt__percent", FloatField()) / Value(100.0)
    return questions.annotate(
        item_n=Count("versions__items", filter=answered),
        sum_x=Sum(x, filter=answered, output_field=FloatField()),
        sum_y=Sum(y, filter=answered, output_field=FloatField()),
        sum_xx=Sum(x * x, filter=answered, output_field=FloatField()),
        sum_yy=Sum(y * y, filter=answered, output_field=FloatField()),
        sum_xy=Sum(x * y, filter=answered, output_field=FloatField()),
    )


def _rounded(value: float) -> Decimal:
    return Decimal(value).quantize(_PLACES, rounding=ROUND_HALF_UP)


def item_statistics_of(question: Question) -> ItemStatistics:
    """Return the statistics of a question annotated by `questions_with_item_sums`."""
    n = question.item_n or 0
    if not n:
        return ItemStatistics(question, 0, None, None, ())
    facility = _rounded(question.sum_x / n)
    discrimination = None
    var_x = n * question.sum_xx - question.sum_x**2
    var_y = n * question.sum_yy - question.sum_y**2
    # Sums of floats leave a little noise where the true variance is zero (everyone right).
    if n >= 2 and var_x > 1e-9 * n * n and var_y > 1e-9 * n * n:
        covariance = n * question.sum_xy - question.sum_x * question.sum_y
        r = covariance / math.sqrt(var_x * var_y)
        discrimination = _rounded(max(-1.0, min(1.0, r)))
    flags = []
    if facility < FACILITY_LOW:
        flags.append("too_hard")
    if facility > FACILITY_HIGH:
        flags.append("too_easy")
    if (
        n >= DISCRIMINATION_MIN_ATTEMPTS
        and discrimination is not None
        and discrimination < DISCRIMINATION_LOW
    ):
        flags.append("not_discriminating")
    return ItemStatistics(question, n, facility, discrimination, tuple(flags))


def item_statistics(questions: QuerySet[Question] | None = None) -> list[ItemStatistics]:
    """Return the statistics of `questions` (all by default), by category, in one query."""
    if questions is None:
        questions = Question.objects.all()
    rows = questions_with_item_sums(questions.select_related("category")).order_by(
        F("category__name"), "category_id", "pk"
    )
    stats = [item_statistics_of(q) for q in rows]
    short = [s.question.pk for s in stats if s.question.kind == Question.Kind.SHORT_ANSWER]
    if not short:
        return stats
    wrong = short_answer_wrong_answers(short)
    return [
        dataclasses.replace(s, wrong_answers=wrong.get(s.question.pk, ())) if s.attempts else s
        for s in stats
    ]


def short_answer_wrong_answers(question_ids) -> dict[int, tuple[tuple[str, int], ...]]:
    """
    Return, per short answer question, its most frequent answers that earned less than full
    points in finished attempts, with how often each was given: one query, grouped in SQL by the
    answer as stored, then merged by the normalised text.
    """
    rows = (
        AttemptItem.objects.filter(
            version__question_id__in=list(question_ids),
            attempt__status__in=FINISHED,
            response__isnull=False,
            score__lt=F("max_score"),
        )
        .values_list("version__question_id", "response")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, list]] = {}
    for question_id, response, n in rows:
        if not isinstance(response, str):
            continue
        entry = counts.setdefault(question_id, {}).setdefault(text_normal(response), [response, 0])
        # Of the forms of one answer ("ESD手环", "ＥＳＤ手环"), the same one whatever the row order.
        entry[0] = min(entry[0], response)
        entry[1] += n
    return {
        question_id: tuple(
            (shown, n)
            for shown, n in sorted(answers.values(), key=lambda e: (-e[1], e[0]))[
                :WRONG_ANSWERS_SHOWN
            ]
        )
        for question_id, answers in counts.items()
    }

"""
Writes of the satisfaction survey: a customer's answer from the counter, and the monthly figures.

The form carries a signed token issued with the page (django.core.signing, keyed with SECRET_KEY
and its fallbacks): it names the outlet, the moment it was issued and a random nonce. A form sent
faster than a person reads it, hours later, for another outlet, forged, or a second time is
refused. It is no captcha, but it costs a bot a page load per answer and a wait, and together
with the honeypot field and the per-address and per-outlet limits keeps the counts honest.
"""

import dataclasses
import datetime
import re
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Outlet

from ..models.surveys import (
    RECOMMEND_MAX,
    RECOMMEND_MIN,
    SATISFACTION_MAX,
    SATISFACTION_MIN,
    SatisfactionMonth,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

TOKEN_SALT = "quality.survey.form"  # noqa: S105 - a signing salt, not a secret
ORDER_SALT = "quality.survey.order"
# A person reads the questions and taps at least two answers: faster is a script.
TOKEN_MIN_AGE_SECONDS = 3
# Long enough to wait for the device at the counter and answer afterwards.
TOKEN_MAX_AGE_SECONDS = 2 * 60 * 60
ORDER_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,32}$")
DUPLICATE_ORDER_MESSAGE = gettext_lazy(
    "This repair order has already been rated at this outlet. Thank you!"
)


def _now() -> float:
    return time.time()


def survey_token_issue(*, outlet: Outlet, issued_at: float | None = None) -> str:
    """Return a signed form token for `outlet`'s survey, issued now (or at `issued_at`)."""
    issued = int(_now() if issued_at is None else issued_at)
    return signing.dumps(
        {"o": outlet.pk, "t": issued, "n": secrets.token_hex(16)}, salt=TOKEN_SALT, compress=False
    )


def survey_token_check(*, outlet: Outlet, token: str) -> str:
    """
    Return the nonce of a form token valid for `outlet` now; raise ValidationError for a token
    forged, of another outlet, sent too soon after the page or too late.
    """
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        data = None
    if (
        not isinstance(data, dict)
        or data.get("o") != outlet.pk
        or not isinstance(data.get("t"), int)
        or not isinstance(data.get("n"), str)
        or not re.fullmatch(r"[0-9a-f]{32}", data["n"])
    ):
        raise ValidationError(
            _("This form could not be checked. Please open the survey again."), code="token_bad"
        )
    age = _now() - data["t"]
    if age < TOKEN_MIN_AGE_SECONDS:
        raise ValidationError(
            _("That was quick! Please take a moment to read the questions, then send again."),
            code="token_young",
        )
    if age > TOKEN_MAX_AGE_SECONDS:
        raise ValidationError(
            _("This form has expired. Please open the survey again."), code="token_old"
        )
    return data["n"]


def order_number_hash(*, outlet: Outlet, order_number: str) -> str:
    """
    Return the keyed hash that stands for a repair order number at `outlet`. Salted per outlet,
    so the same number at two outlets gives two hashes and no table links them. (A rotated
    SECRET_KEY starts new hashes: an order rated before could then be rated once more.)
    """
    normalised = order_number.strip().upper()
    return salted_hmac(
        f"{ORDER_SALT}:{outlet.pk}", normalised, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def survey_response_submit(
    *,
    outlet: Outlet,
    token: str,
    satisfaction: int,
    recommend: int,
    answers: dict[int, bool],
    comment: str = "",
    order_number: str = "",
) -> SurveyResponse:
    """
    Store one customer's answer to `outlet`'s survey; `answers` maps active question ids to yes
    (True) or no (False), a skipped question left out. Raise ValidationError, writing nothing,
    for a bad token, a form sent twice, a repair order already rated at this outlet, or values
    out of range.

    Two answers with the same order number at once: both may pass the check below; the unique
    constraint on (outlet, order_hash) lets one commit and turns the other into the same refusal.
    """
    nonce = survey_token_check(outlet=outlet, token=token)
    if not (SATISFACTION_MIN <= satisfaction <= SATISFACTION_MAX) or not (
        RECOMMEND_MIN <= recommend <= RECOMMEND_MAX
    ):
        raise ValidationError(_("Please choose an answer from the scale."), code="range")
    if order_number and not ORDER_NUMBER.match(order_number.strip()):
        raise ValidationError(_("Enter the repair order number as printed on your receipt."))
    active = set(SurveyQuestion.objects.filter(is_active=True).values_list("pk", flat=True))
    if set(answers) - active:
        raise ValidationError(
            _("The questions have changed. Please open the survey again."), code="questions"
        )
    order_hash = order_number_hash(outlet=outlet, order_number=order_number) if order_number else ""
    if order_hash and SurveyResponse.objects.filter(outlet=outlet, order_hash=order_hash).exists():
        raise ValidationError(DUPLICATE_ORDER_MESSAGE, code="order_answered")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                outlet=outlet,
                satisfaction=satisfaction,
                recommend=recommend,
                comment=comment.strip(),
                order_hash=order_hash,
                form_nonce=nonce,
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question_id=question_id, yes=yes)
                for question_id, yes in sorted(answers.items())
            )
    except IntegrityError as exc:
        if (
            order_hash
            and SurveyResponse.objects.filter(outlet=outlet, order_hash=order_hash).exists()
        ):
            raise ValidationError(DUPLICATE_ORDER_MESSAGE, code="order_answered") from exc
        raise ValidationError(
            _("This form was already sent. Thank you!"), code="token_used"
        ) from exc
    return response


# --- Monthly figures ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MonthRecorded:
    month: datetime.date
    outlets: int


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


def satisfaction_month_record(*, month: datetime.date) -> MonthRecorded:
    """
    Record every outlet's satisfaction in `month` (any day of it) as SatisfactionMonth rows,
    computed in two aggregate queries. Running it again gives the same rows: each outlet's row
    is replaced in place, and an outlet whose answers are gone loses its row.
    """
    month = month.replace(day=1)
    start, end = _month_bounds(month)
    in_month = Q(submitted_at__gte=start, submitted_at__lt=end)
    figures = {
        row["outlet_id"]: row
        for row in SurveyResponse.objects.filter(in_month)
        .values("outlet_id")
        .annotate(
            answers=Count("pk"),
            mean=Avg("satisfaction"),
            promoters=Count("pk", filter=Q(recommend__gte=9)),
            detractors=Count("pk", filter=Q(recommend__lte=6)),
        )
        .order_by()
    }
    questions: dict[int, dict] = {}
    for row in (
        SurveyAnswer.objects.filter(
            response__submitted_at__gte=start, response__submitted_at__lt=end
        )
        .values("response__outlet_id", "question__code")
        .annotate(yes=Count("pk", filter=Q(yes=True)), answered=Count("pk"))
        .order_by()
    ):
        questions.setdefault(row["response__outlet_id"], {})[row["question__code"]] = {
            "yes": row["yes"],
            "answered": row["answered"],
        }
    rows = [
        SatisfactionMonth(
            outlet_id=outlet_id,
            month=month,
            answers=f["answers"],
            satisfaction_mean=round(f["mean"], 4),
            promoters=f["promoters"],
            detractors=f["detractors"],
            nps=round(100 * (f["promoters"] - f["detractors"]) / f["answers"], 2),
            questions=dict(sorted(questions.get(outlet_id, {}).items())),
        )
        for outlet_id, f in sorted(figures.items())
    ]
    with transaction.atomic():
        SatisfactionMonth.objects.filter(month=month).exclude(outlet_id__in=figures).delete()
        SatisfactionMonth.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["outlet", "month"],
            update_fields=[
                "answers",
                "satisfaction_mean",
                "promoters",
                "detractors",
                "nps",
                "questions",
                "recorded_at",
            ],
        )
    return MonthRecorded(month=month, outlets=len(rows))


def satisfaction_monthly_record(*, today: datetime.date | None = None) -> MonthRecorded:
    """Record the month that ended before `today` (beat runs it on the first of each month)."""
    today = today or timezone.localdate()
    return satisfaction_month_record(month=today.replace(day=1) - datetime.timedelta(days=1))

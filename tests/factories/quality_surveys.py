"""Survey answers of the counter poster, written directly with the moment they were sent."""

import datetime
import itertools
import secrets

from django.utils import timezone

from quality.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from quality.services.surveys import order_number_hash

_codes = itertools.count(1)


def survey_question(*, code: str | None = None, **fields) -> SurveyQuestion:
    n = next(_codes)
    return SurveyQuestion.objects.create(
        code=code or f"question_{n}",
        text=fields.pop("text", f"问题{n}？"),
        text_en=fields.pop("text_en", f"Question {n}?"),
        sort_order=fields.pop("sort_order", 100 + n),
        **fields,
    )


def survey_response(
    *,
    outlet,
    satisfaction: int = 5,
    recommend: int = 10,
    answers: dict | None = None,
    comment: str = "",
    order_number: str = "",
    submitted_at: datetime.datetime | None = None,
) -> SurveyResponse:
    """One answer; `answers` maps SurveyQuestion to True (yes) or False (no)."""
    response = SurveyResponse.objects.create(
        outlet=outlet,
        satisfaction=satisfaction,
        recommend=recommend,
        comment=comment,
        order_hash=order_number_hash(outlet=outlet, order_number=order_number)
        if order_number
        else "",
        form_nonce=secrets.token_hex(16),
        submitted_at=submitted_at or timezone.now(),
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=q, yes=yes) for q, yes in (answers or {}).items()
    )
    return response


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """An aware moment on `day` in the site's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )

"""
The demo's customer satisfaction: six months of answers to the counter survey at every active
outlet (15 to 60 a month each), with the demo partner outlet HY-001 visibly worse at explaining
the warranty terms (about 45% against about 90% elsewhere), a few comments in Chinese, and the
monthly figures of the months already ended.

`seed_quality_surveys()` writes answers only when the demo outlets have none, so a second run
writes nothing. Written with bulk_create: thousands of rows in a few statements keep the seed
quick. Run it after the compliance seed (the warranty question names its "counter" area).
"""

import dataclasses
import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compliance.models import ServiceArea
from network.models import Outlet
from quality.models import SatisfactionMonth, SurveyAnswer, SurveyQuestion, SurveyResponse
from quality.services.surveys import order_number_hash, satisfaction_month_record

from .demo_network import DEMO_OUTLET_CODE, DEMO_SEED, DemoDataRefused

MONTHS = 6
# The share of customers told, per question, at most outlets and at the one that explains badly.
YES_RATES = {"warranty_explained": 0.9, "parts_disclosed": 0.85, "price_list_shown": 0.92}
WORSE_YES_RATES = {"warranty_explained": 0.45, "parts_disclosed": 0.7, "price_list_shown": 0.85}
GOOD_COMMENTS = (
    "师傅很专业，半小时就修好了。",
    "前台解释得很清楚，服务态度好。",
    "环境干净，等候时间不长。",
    "换的是原厂屏幕，还给了保修单，放心。",
)
BAD_COMMENTS = (
    "没有说明三包政策，问了才告诉我。",
    "收费前没有看到价目表。",
    "等了一个多小时，没人告诉进度。",
    "不清楚换的配件是不是原厂的。",
)


@dataclasses.dataclass
class SurveySeedResult:
    responses_created: int = 0
    answers_created: int = 0
    months_recorded: int = 0
    worse_outlet: str = DEMO_OUTLET_CODE


def _months(today: datetime.date) -> list[datetime.date]:
    month = today.replace(day=1)
    months = [month]
    for _ in range(MONTHS - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def _days_in(month: datetime.date, today: datetime.date) -> int:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    last = min(following - datetime.timedelta(days=1), today)
    return last.day


def _responses(outlets, questions, *, today, rng):
    tz = timezone.get_current_timezone()
    for outlet in outlets:
        worse = outlet.code == DEMO_OUTLET_CODE
        rates = WORSE_YES_RATES if worse else YES_RATES
        for month in _months(today):
            days = _days_in(month, today)
            # The current month is under way: its count grows with the days gone.
            count = max(1, rng.randint(15, 60) * days // 31)
            for n in range(count):
                submitted = datetime.datetime.combine(
                    month.replace(day=rng.randint(1, days)),
                    datetime.time(rng.randint(9, 19), rng.randint(0, 59)),
                    tzinfo=tz,
                )
                told = {
                    q: rng.random() < rates.get(q.code, 0.9)
                    for q in questions
                    if rng.random() < 0.85  # the others answered "not sure"
                }
                untold = sum(not yes for yes in told.values())
                satisfaction = max(1, min(5, rng.choice((4, 5, 5, 4, 3)) - untold))
                recommend = max(0, min(10, satisfaction * 2 + rng.randint(-1, 1)))
                comment = ""
                if rng.random() < 0.12:
                    comment = rng.choice(BAD_COMMENTS if untold else GOOD_COMMENTS)
                order = f"{outlet.code}-{month:%Y%m}-{n + 1:04d}" if rng.random() < 0.4 else ""
                yield (
                    SurveyResponse(
                        outlet=outlet,
                        submitted_at=submitted,
                        satisfaction=satisfaction,
                        recommend=recommend,
                        comment=comment,
                        order_hash=order_number_hash(outlet=outlet, order_number=order)
                        if order
                        else "",
                        form_nonce=f"{rng.getrandbits(128):032x}",
                    ),
                    told,
                )


def seed_quality_surveys(*, today: datetime.date | None = None) -> SurveySeedResult:
    """Write six months of demo survey answers and their monthly figures, if none are there."""
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoDataRefused(
            "Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is False); "
            "nothing was written."
        )
    today = today or timezone.localdate()
    result = SurveySeedResult()
    outlets = list(Outlet.objects.filter(is_active=True).order_by("code"))
    if not outlets or SurveyResponse.objects.filter(outlet__in=outlets).exists():
        return result
    questions = list(SurveyQuestion.objects.filter(is_active=True).order_by("sort_order", "code"))
    rng = random.Random(DEMO_SEED + 15)
    with transaction.atomic():
        counter = ServiceArea.objects.filter(code="counter").first()
        if counter is not None:
            SurveyQuestion.objects.filter(
                code__in=list(YES_RATES), service_area__isnull=True
            ).update(service_area=counter)
        pairs = list(_responses(outlets, questions, today=today, rng=rng))
        responses = SurveyResponse.objects.bulk_create([r for r, _ in pairs], batch_size=1000)
        answers = SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(response=response, question=question, yes=yes)
                for response, (_, told) in zip(responses, pairs, strict=True)
                for question, yes in told.items()
            ],
            batch_size=2000,
        )
        result.responses_created = len(responses)
        result.answers_created = len(answers)
        recorded = set(SatisfactionMonth.objects.values_list("month", flat=True).distinct())
        for month in _months(today)[:-1]:  # the months already ended
            if month not in recorded:
                satisfaction_month_record(month=month)
                result.months_recorded += 1
    return result

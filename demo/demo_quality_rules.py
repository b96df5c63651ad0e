"""
The demo's corrective training: the quality department's two rules (customers at an outlet say
the warranty terms were not explained; an audit finds the same at the counter), applied to the
demo's answers and findings, so the outlet that explains badly has its refresher assigned with
the reason; and the monthly quality snapshots of the months already ended.

`seed_quality_rules()` runs after the survey and audit seeds. Rules are found by name and the
rules' own application is idempotent, so a second run writes nothing.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from compliance.models import ServiceArea
from compliance.services.snapshots import month_start, previous_month
from courses.models import TrackPage
from network.models import Role
from quality.models import QualitySnapshot, SurveyQuestion
from quality.models.audits import Severity
from quality.models.rules import CorrectiveRule
from quality.services.rules import corrective_rules_apply
from quality.services.snapshots import quality_snapshots_take

from .demo_network import DemoDataRefused

REFRESHER_TRACK = "warranty-refresher"
SNAPSHOT_MONTHS = 6


@dataclasses.dataclass
class RulesSeedResult:
    rules_created: int = 0
    assigned: int = 0
    snapshots_written: int = 0


def seed_quality_rules(*, today: datetime.date | None = None) -> RulesSeedResult:
    today = today or timezone.localdate()
    result = RulesSeedResult()
    track = TrackPage.objects.live().filter(slug=REFRESHER_TRACK).first()
    question = SurveyQuestion.objects.filter(code="warranty_explained").first()
    if track is None or question is None:
        raise DemoDataRefused(
            "The refresher track or the warranty survey question is missing; "
            "run the catalog seed and the migrations first."
        )
    counter = ServiceArea.objects.filter(code="counter").first()
    with transaction.atomic():
        for name, name_en, values in (
            (
                "三包条款解释率低于70%",
                "Warranty terms explained to fewer than 70% of customers",
                {
                    "trigger": CorrectiveRule.Trigger.SURVEY_RATE,
                    "survey_question": question,
                    "threshold_percent": 70,
                    "window_days": 30,
                    "min_answers": 20,
                    "roles": [Role.FRONT_DESK.value, Role.TECHNICIAN.value],
                    "due_days": 14,
                },
            ),
            (
                "柜台服务严重稽核问题项",
                "Major findings at the counter",
                {
                    "trigger": CorrectiveRule.Trigger.FINDING,
                    "service_area": counter,
                    "min_severity": Severity.MAJOR,
                    "roles": [Role.FRONT_DESK.value],
                    "due_days": 21,
                },
            ),
        ):
            _rule, created = CorrectiveRule.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "track": track, **values}
            )
            result.rules_created += created
    result.assigned = corrective_rules_apply(today=today).assigned
    result.snapshots_written = _snapshots(today)
    return result


def _snapshots(today: datetime.date) -> int:
    """
    The quality snapshots of the last six months already ended. Each reads its month as it stood
    when it ended (answers of that month, findings and training open then), so the history is
    what the demo's records say it was; a month already recorded is kept.
    """
    months, period = [], month_start(today)
    for _ in range(SNAPSHOT_MONTHS):
        period = previous_month(period)
        months.append(period)
    recorded = set(
        QualitySnapshot.objects.filter(period__in=months).values_list("period", flat=True)
    )
    written = 0
    for period in sorted(months):
        if period not in recorded:
            written += quality_snapshots_take(period=period).outlets
    return written

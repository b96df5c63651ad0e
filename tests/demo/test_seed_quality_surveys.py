import pytest
from django.db.models import Count
from django.utils import timezone

from demo.demo_network import DEMO_OUTLET_CODE
from network.models import Staff
from quality.models import SatisfactionMonth, SurveyAnswer, SurveyQuestion, SurveyResponse
from quality.selectors.surveys import satisfaction_overview
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db


def test_seed_writes_six_months_of_answers_at_every_outlet(seeded):
    per_month = (
        SurveyResponse.objects.values("outlet__code", "submitted_at__year", "submitted_at__month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [row["n"] for row in per_month]
    assert len({row["outlet__code"] for row in per_month}) >= 20
    # The current month is under way; every month before it has 15 to 60 answers.
    today = timezone.localdate()
    ended = [
        row["n"]
        for row in per_month
        if (row["submitted_at__year"], row["submitted_at__month"]) != (today.year, today.month)
    ]
    assert min(ended) >= 15 and max(counts) <= 60
    assert SurveyResponse.objects.exclude(comment="").exists()
    assert SatisfactionMonth.objects.values("month").distinct().count() == 5


def test_the_demo_outlet_is_visibly_worse_at_explaining_the_warranty(seeded):
    auditor = Staff.objects.filter(role="auditor").first().user
    warranty = SurveyQuestion.objects.get(code="warranty_explained")

    overview = satisfaction_overview(
        user=auditor, today=timezone.localdate(), days=180, question_code="warranty_explained"
    )

    worst = overview.rows[0]
    assert worst.outlet.code == DEMO_OUTLET_CODE
    assert worst.figures.yes_rate(warranty.pk) < 60
    assert overview.rows[1].figures.yes_rate(warranty.pk) > 75


def test_a_second_seed_writes_no_more_answers(seeded):
    before = (SurveyResponse.objects.count(), SurveyAnswer.objects.count())

    output = seed()

    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == before
    assert "Customer satisfaction: 0 survey answers" in output

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from network.models import CityTier
from quality.models import SurveyQuestion
from quality.selectors import surveys as selectors
from quality.wagtail_hooks.surveys import satisfaction_section
from tests.factories.network import PASSWORD, OutletFactory, PartnerCompanyFactory, StaffFactory
from tests.factories.quality_surveys import at, survey_response

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def questions():
    return {q.code: q for q in SurveyQuestion.objects.all()}


@pytest.fixture
def network(questions):
    """
    Company P runs P1 (湖南, tier 3) and P2 (湖南, tier 2); company R runs R1 (广东, tier 3).
    P1 explains the warranty to 1 customer of 4, P2 to 3 of 3, R1 to 2 of 2.
    """
    warranty, parts = questions["warranty_explained"], questions["parts_disclosed"]
    p, r = PartnerCompanyFactory(name="湘南服务"), PartnerCompanyFactory(name="粤西服务")
    p1 = OutletFactory(code="P1", partner=True, partner_company=p, city_tier=CityTier.TIER_3)
    p2 = OutletFactory(code="P2", partner=True, partner_company=p, city_tier=CityTier.TIER_2)
    r1 = OutletFactory(code="R1", partner=True, partner_company=r, province="广东省", city="湛江市")
    day = TODAY - datetime.timedelta(days=3)
    # P1: satisfaction 5, 4, 2, 1 (mean 3); recommend 10, 9, 6, 0: 2 promoters, 2 detractors.
    for satisfaction, recommend, warranty_yes, comment in (
        (5, 10, True, "师傅很专业"),
        (4, 9, False, ""),
        (2, 6, False, "没有说明三包政策"),
        (1, 0, False, "收费不透明"),
    ):
        survey_response(
            outlet=p1,
            satisfaction=satisfaction,
            recommend=recommend,
            answers={warranty: warranty_yes, parts: True},
            comment=comment,
            submitted_at=at(day),
        )
    # P1 a year ago: outside every period.
    survey_response(outlet=p1, satisfaction=5, submitted_at=at(TODAY - datetime.timedelta(400)))
    for _ in range(3):
        survey_response(
            outlet=p2, satisfaction=5, recommend=8, answers={warranty: True}, submitted_at=at(day)
        )
    for _ in range(2):
        survey_response(
            outlet=r1,
            satisfaction=4,
            recommend=10,
            answers={warranty: True},
            comment="竞争对手的评论",
            submitted_at=at(day),
        )
    return {"P": p, "R": r, "P1": p1, "P2": p2, "R1": r1}


def _signed_in(staff=None, *, superuser=False):
    client = Client()
    if superuser:
        user = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
        client.force_login(user)
    else:
        client.force_login(staff.user)
    return client


def test_figures_are_exact_per_outlet(network, questions):
    warranty, parts = questions["warranty_explained"], questions["parts_disclosed"]
    figures = selectors.figures_by_outlet(
        outlets=network["P1"].__class__.objects.all(),
        period=selectors.Period.last_days(90, today=TODAY),
    )

    p1 = figures[network["P1"].pk]
    assert (p1.answers, p1.mean, p1.promoters, p1.detractors, p1.nps) == (4, 3.0, 2, 2, 0.0)
    assert (p1.yes(warranty.pk), p1.answered(warranty.pk), p1.yes_rate(warranty.pk)) == (1, 4, 25.0)
    assert p1.yes_rate(parts.pk) == 100.0
    assert p1.yes_rate(questions["price_list_shown"].pk) is None
    p2 = figures[network["P2"].pk]
    # Recommend 8 is passive: neither promoter nor detractor.
    assert (p2.answers, p2.mean, p2.nps, p2.yes_rate(warranty.pk)) == (3, 5.0, 0.0, 100.0)
    r1 = figures[network["R1"].pk]
    assert (r1.answers, r1.mean, r1.nps) == (2, 4.0, 100.0)


def test_the_trend_counts_each_of_the_last_six_months_in_sql(network, questions):
    warranty = questions["warranty_explained"]
    survey_response(
        outlet=network["P1"],
        satisfaction=3,
        recommend=7,
        answers={warranty: True},
        submitted_at=at(datetime.date(2026, 8, 31), hour=23),
    )

    trend = selectors.monthly_trend(
        outlets=network["P1"].__class__.objects.filter(pk=network["P1"].pk), today=TODAY
    )

    assert [m for m, _ in trend] == [datetime.date(2026, m, 1) for m in (7, 8, 9, 10, 11, 12)]
    counts = {m.month: (f.answers, f.mean, f.yes_rate(warranty.pk)) for m, f in trend}
    assert counts == {
        7: (0, None, None),
        8: (1, 3.0, 100.0),
        9: (0, None, None),
        10: (0, None, None),
        11: (0, None, None),
        12: (4, 3.0, 25.0),
    }


def test_the_worst_outlet_on_a_question_comes_first_and_roll_ups_add_up(network, questions):
    auditor = StaffFactory(role="auditor", outlet=None)

    overview = selectors.satisfaction_overview(
        user=auditor.user, today=TODAY, question_code="warranty_explained", sort="worst"
    )

    warranty = questions["warranty_explained"]
    assert [r.outlet.code for r in overview.rows] == ["P1", "P2", "R1"]
    assert (overview.total.answers, overview.total.yes_rate(warranty.pk)) == (9, 600 / 9)
    by_partner = {r.label: (r.outlets, r.figures.answers) for r in overview.by_partner}
    assert by_partner == {"湘南服务": (2, 7), "粤西服务": (1, 2)}
    p = next(r for r in overview.by_partner if r.label == "湘南服务")
    assert p.figures.yes_rate(warranty.pk) == 100 * 4 / 7
    assert {r.label: r.figures.answers for r in overview.by_province} == {"湖南省": 7, "广东省": 2}
    assert {r.key: r.figures.answers for r in overview.by_tier} == {2: 3, 3: 6}
    best = selectors.satisfaction_overview(
        user=auditor.user, today=TODAY, question_code="warranty_explained", sort="best"
    )
    assert [r.outlet.code for r in best.rows] == ["P2", "R1", "P1"]
    assert [(m.month, f.answers) for m, f in overview.trend][-2:] == [(11, 0), (12, 9)]


def test_a_partner_administrator_sees_only_its_outlets_results(network):
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=network["P"])

    response = _signed_in(admin).get("/quality/satisfaction/", {"question": "warranty_explained"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-outlet="P1"' in page and 'data-outlet="P2"' in page
    assert 'data-outlet="R1"' not in page
    assert "粤西服务" not in page
    assert page.index('data-outlet="P1"') < page.index('data-outlet="P2"')


def test_an_outlet_manager_and_a_learner_may_not_open_the_roll_ups(network):
    manager = StaffFactory(role="outlet_manager", outlet=network["P1"])
    learner = StaffFactory(role="technician", outlet=network["P1"])

    assert _signed_in(manager).get("/quality/satisfaction/").status_code == 403
    assert _signed_in(learner).get("/quality/satisfaction/").status_code == 403
    assert Client().get("/quality/satisfaction/").status_code == 302


def test_the_outlet_report_shows_its_satisfaction_and_comments_to_its_manager(network):
    manager = StaffFactory(role="outlet_manager", outlet=network["P1"])

    response = _signed_in(manager).get("/compliance/outlets/P1/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-section="satisfaction"' in page
    assert '<strong data-figure="answers">4</strong>' in page
    assert '<strong data-figure="mean">3.0</strong>' in page
    assert '<strong data-figure="nps">0</strong>' in page
    assert "25%" in page
    assert "没有说明三包政策" in page and "收费不透明" in page
    assert "竞争对手的评论" not in page


def test_a_rival_outlets_report_and_comments_answer_404_across_scope(network):
    rival_admin = StaffFactory(role="partner_admin", outlet=None, partner_company=network["R"])
    rival_manager = StaffFactory(role="outlet_manager", outlet=network["R1"])

    for staff in (rival_admin, rival_manager):
        response = _signed_in(staff).get("/compliance/outlets/P1/")
        assert response.status_code == 404
        assert "没有说明三包政策" not in response.content.decode()


def test_trainers_read_the_figures_but_not_the_comments(network):
    trainer = StaffFactory(role="trainer", outlet=None)

    page = _signed_in(trainer).get("/compliance/outlets/P1/").content.decode()

    assert '<strong data-figure="answers">4</strong>' in page
    assert "没有说明三包政策" not in page


def test_the_report_section_runs_the_same_queries_for_little_or_much_history(
    network, questions, django_assert_num_queries
):
    auditor = StaffFactory(role="auditor", outlet=None)
    outlet = network["P2"]
    user = get_user_model().objects.get(pk=auditor.user_id)
    # The viewer's role, the comments, the questions, two for the figures and two for the trend.
    with django_assert_num_queries(7):
        satisfaction_section(outlet=outlet, user=user)
    warranty = questions["warranty_explained"]
    for n in range(30):
        survey_response(
            outlet=outlet,
            answers={warranty: n % 2 == 0},
            comment=f"评论{n}",
            submitted_at=at(TODAY - datetime.timedelta(days=3 * n)),
        )
    SurveyQuestion.objects.create(code="extra", text="额外问题？", sort_order=9)
    user = get_user_model().objects.get(pk=auditor.user_id)
    with django_assert_num_queries(7):
        section = satisfaction_section(outlet=outlet, user=user)
    comments = section.context["satisfaction"].comments
    assert [c[2] for c in comments] == [f"评论{n}" for n in range(20)]


def test_the_roll_ups_page_runs_the_same_queries_for_few_or_many_outlets(
    network, questions, django_assert_num_queries
):
    client = _signed_in(superuser=True)
    url = "/quality/satisfaction/?question=warranty_explained&sort=worst&days=90"
    client.get(url)
    # Session and user, the questions, the outlets, two for the figures, two for the trend.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    warranty = questions["warranty_explained"]
    company = PartnerCompanyFactory()
    for n in range(15):
        outlet = OutletFactory(partner=True, partner_company=company, province=f"省{n % 4}")
        survey_response(outlet=outlet, answers={warranty: bool(n % 3)}, submitted_at=at(TODAY))
    with django_assert_num_queries(8):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("data-outlet=") == 18
    assert f'data-month="{TODAY:%Y-%m}"' in page

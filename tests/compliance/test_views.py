import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.services.snapshots import compliance_snapshots_take
from tests.compliance.conftest import TODAY
from tests.factories.compliance import certificate
from tests.factories.network import OutletFactory, StaffFactory

JUNE = datetime.date(2026, 6, 1)
OVERVIEW = reverse("compliance:overview")


def outlet_url(code: str) -> str:
    return reverse("compliance:outlet", args=[code])


@pytest.fixture(autouse=True)
def _today_is_known(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def auditor_user(known_network):
    return StaffFactory(role="auditor", outlet=None).user


@pytest.fixture
def partner_admin_user(known_network):
    return StaffFactory(
        role="partner_admin", outlet=None, partner_company=known_network["company"]
    ).user


def codes(response) -> list[str]:
    return [o.code for o in response.context["overview"].outlets]


def test_auditor_sees_every_outlet_with_totals_and_rollups(client, auditor_user):
    client.force_login(auditor_user)

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    assert codes(response) == ["A", "B", "C"]
    total = response.context["overview"].total
    assert (total.outlets, total.compliant_outlets, total.people) == (3, 1, 10)
    assert (total.requirements, total.met, total.gaps) == (20, 14, 5)
    body = response.content.decode()
    for code in "ABC":
        assert f'href="{outlet_url(code)}"' in body
    rollups = {name: [r.label for r in rows] for name, _, rows in response.context["rollups"]}
    assert rollups["partner_company"] == ["湘江服务有限公司", "Brand-owned"]
    assert f'href="{OVERVIEW}"' in body  # the navigation leads here


def test_manager_sees_only_their_outlet_and_no_other_report(client, known_network):
    client.force_login(known_network["staff"]["a3"].user)

    response = client.get(OVERVIEW)

    assert codes(response) == ["A"]
    assert client.get(outlet_url("A")).status_code == 200
    assert client.get(outlet_url("B")).status_code == 404
    assert client.get(outlet_url("NOPE")).status_code == 404


def test_partner_administrator_sees_only_their_company(client, partner_admin_user):
    client.force_login(partner_admin_user)

    response = client.get(OVERVIEW)

    assert codes(response) == ["B"]
    assert client.get(outlet_url("B")).status_code == 200
    assert client.get(outlet_url("A")).status_code == 404
    assert client.get(outlet_url("A") + "?period=2026-06").status_code == 404


def test_trainer_sees_every_outlet(client, known_network):
    client.force_login(StaffFactory(role="trainer", outlet=None).user)

    assert codes(client.get(OVERVIEW)) == ["A", "B", "C"]


def test_learner_may_not_read_the_reports_even_of_their_own_outlet(client, known_network):
    client.force_login(known_network["staff"]["a1"].user)

    assert client.get(OVERVIEW).status_code == 403
    assert client.get(outlet_url("A")).status_code == 403
    assert client.get(outlet_url("B")).status_code == 403
    page = client.get(reverse("network:outlet_list")).content.decode()
    assert f'href="{OVERVIEW}"' not in page


def test_anonymous_visitor_is_sent_to_sign_in(client, known_network):
    for url in (OVERVIEW, outlet_url("A")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_filters_and_sorting_narrow_and_order_the_outlets(client, auditor_user):
    client.force_login(auditor_user)

    non_compliant = client.get(OVERVIEW, {"verdict": "non_compliant", "sort": "-gaps"})
    tier_one = client.get(OVERVIEW, {"city_tier": "1"})
    company = client.get(OVERVIEW, {"partner_company": "P1"})
    search = client.get(OVERVIEW, {"q": "c"})

    assert codes(non_compliant) == ["B", "A"]
    assert codes(tier_one) == ["A", "C"]
    assert codes(company) == ["B"]
    assert "C" in codes(search)
    # The column sorted by says so, and its link turns the order around.
    gaps = next(c for c in non_compliant.context["columns"] if c["key"] == "gaps")
    assert (gaps["direction"], gaps["next"]) == ("descending", "gaps")


def test_an_unknown_filter_value_is_shown_as_an_error_and_narrows_nothing(client, auditor_user):
    client.force_login(auditor_user)

    response = client.get(OVERVIEW, {"city_tier": "9", "ownership": "brand"})

    assert response.status_code == 200
    assert codes(response) == ["A", "C"]
    assert "city_tier" in response.context["form"].errors


def test_as_of_a_month_shows_what_was_recorded(client, auditor_user, known_network):
    compliance_snapshots_take(period=JUNE, as_of=datetime.date(2026, 6, 10))
    known_network["staff"]["a1"].certificates.update(status="revoked")
    client.force_login(auditor_user)

    live = client.get(OVERVIEW)
    recorded = client.get(OVERVIEW, {"period": "2026-06"})

    assert live.context["overview"].total.met == 12
    assert recorded.context["overview"].total.met == 15  # B1's certificate still ran then
    assert recorded.context["overview"].as_of == datetime.date(2026, 6, 10)
    assert "as recorded on" in recorded.content.decode()
    assert f'href="{outlet_url("A")}?period=2026-06"' in recorded.content.decode()
    report = client.get(outlet_url("A"), {"period": "2026-06"})
    assert report.status_code == 200
    assert report.context["compliance"].met == 4
    assert "as recorded on" in report.content.decode()


def test_a_month_without_a_snapshot_is_refused(client, auditor_user):
    client.force_login(auditor_user)

    overview = client.get(OVERVIEW, {"period": "2026-05"})

    assert "period" in overview.context["form"].errors
    assert overview.context["period"] is None
    assert client.get(outlet_url("A"), {"period": "2026-05"}).status_code == 404
    assert client.get(outlet_url("A"), {"period": "June"}).status_code == 404


def test_outlet_report_shows_headcounts_and_each_persons_requirements(
    client, auditor_user, known_network
):
    client.force_login(auditor_user)

    response = client.get(outlet_url("B"))

    assert response.status_code == 200
    areas = {
        a["area"].code: [(r["certified"], r["minimum"]) for r in a["rules"]]
        for a in response.context["service_areas"]
    }
    assert areas == {"counter": [(0, 2)], "repair": [(0, 1), (1, 1)]}
    assert [t.title for t in response.context["tracks"]] == ["前台接待", "服务规范", "维修技术"]
    states = {
        row["person"].employee_number: [
            c["state"]["state"] if c["state"] else None for c in row["cells"]
        ]
        for row in response.context["rows"]
    }
    assert states == {
        "B1": [None, "expired", "valid"],
        "B2": [None, "expiring_60", "suspended"],
        "B3": ["overdue", "in_progress", None],
    }
    body = response.content.decode()
    assert 'href="/outlets/B/"' in body
    assert 'href="/compliance/outlets/B/poster.pdf"' in body
    # State is said in words as well as colour, with the date it turns on.
    assert "Onboarding overdue" in body
    assert "due by 06/10/2026" in body
    assert "valid until 07/30/2026" in body


def test_trend_chart_draws_each_recorded_month(client, auditor_user):
    compliance_snapshots_take(period=datetime.date(2026, 5, 1), as_of=datetime.date(2026, 5, 31))
    compliance_snapshots_take(period=JUNE, as_of=TODAY)
    client.force_login(auditor_user)

    response = client.get(OVERVIEW)

    chart = response.context["chart"]
    assert [m.period for m in chart.months] == [datetime.date(2026, 5, 1), JUNE]
    assert [d.percent for d in chart.compliant.dots] == [33, 33]
    assert [d.percent for d in chart.met.dots] == [75, 70]  # B1's certificate ran out in June
    body = response.content.decode()
    assert '<svg viewBox="0 0 640 260" role="img"' in body
    assert "2026-06: 33% of outlets compliant, 70% of requirements met" in body


def test_without_snapshots_the_trend_says_so(client, auditor_user):
    client.force_login(auditor_user)

    response = client.get(OVERVIEW)

    assert response.context["chart"] is None
    assert "No monthly snapshot has been recorded yet" in response.content.decode()


def _more_outlets(known_network, count: int) -> None:
    tracks = known_network["tracks"]
    for _ in range(count):
        outlet = OutletFactory(partner=True, partner_company=known_network["company"])
        for role in ("front_desk", "technician"):
            person = StaffFactory(outlet=outlet, role=role)
            certificate(holder=person, track=tracks["norms"], expires_on=datetime.date(2027, 1, 1))


@pytest.mark.parametrize("extra", [0, 20])
def test_overview_queries_do_not_grow_with_outlets(
    client, django_assert_num_queries, auditor_user, known_network, extra
):
    _more_outlets(known_network, extra)
    compliance_snapshots_take(period=JUNE, as_of=TODAY)
    client.force_login(auditor_user)

    with django_assert_num_queries(12):
        response = client.get(OVERVIEW, {"sort": "-share"})
    assert len(response.context["overview"].outlets) == 3 + extra
    with django_assert_num_queries(11):
        recorded = client.get(OVERVIEW, {"period": "2026-06"})
    assert len(recorded.context["overview"].outlets) == 3 + extra


@pytest.mark.parametrize("extra", [0, 20])
def test_outlet_report_queries_do_not_grow_with_people(
    client, django_assert_num_queries, auditor_user, known_network, extra
):
    outlet = known_network["outlets"]["A"]
    for _ in range(extra):
        person = StaffFactory(outlet=outlet, role="front_desk")
        certificate(holder=person, track=known_network["tracks"]["front"], expires_on=TODAY)
    client.force_login(auditor_user)

    # Session, user, viewer (2), outlet, computation (3), people, tracks, areas, months, perms;
    # quality's sections: satisfaction (7: tests/quality/test_survey_results.py), audits (3 as
    # this viewer: its viewer and its two lists), corrective training (1).
    with django_assert_num_queries(24):
        response = client.get(outlet_url("A"))
    assert len(response.context["rows"]) == 3 + extra


def test_pages_render_in_chinese(client, known_network):
    client.force_login(known_network["staff"]["a3"].user)

    for url in (OVERVIEW, outlet_url("A")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
        assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.parametrize(("person", "shown"), [("a3", True), ("a1", False), ("b2", False)])
def test_navigation_offers_the_reports_to_managers_only_among_outlet_people(
    client, known_network, person, shown
):
    client.force_login(known_network["staff"][person].user)

    page = client.get(reverse("network:outlet_list")).content.decode()

    assert (f'href="{OVERVIEW}"' in page) is shown


def test_a_session_from_before_the_reports_learns_whether_to_offer_them(client, partner_admin_user):
    client.force_login(partner_admin_user)
    session = client.session
    del session["network_role"]
    session.save()

    page = client.get(reverse("network:outlet_list")).content.decode()

    assert f'href="{OVERVIEW}"' in page
    assert client.session["network_role"] == "partner_admin"

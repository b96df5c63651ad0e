import pytest
from django.core.cache import cache

from compliance.models import ServiceArea
from compliance.views import public as views_public
from core.ratelimit import rate_parse
from network.models import Outlet
from tests.compliance.conftest import TODAY
from tests.factories.compliance import certificate
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit_and_clock(monkeypatch):
    # The limiter counts in the process's cache; the known network's answers hold on TODAY.
    cache.clear()
    monkeypatch.setattr(views_public, "_today", lambda: TODAY)
    yield
    cache.clear()


@pytest.fixture
def network(known_network):
    outlet = known_network["outlets"]["C"]
    outlet.name, outlet.name_en, outlet.city = "北京朝阳直营服务中心", "Beijing Chaoyang", "北京市"
    outlet.save()
    return known_network


def _api(client, code, **query):
    return client.get(f"/api/v1/outlets/{code}/status", query)


def test_api_answers_areas_and_certified_people_with_stable_keys(client, network):
    response = _api(client, "C")

    assert response.status_code == 200
    assert response.json() == {
        "outlet": {
            "code": "C",
            "name": "北京朝阳直营服务中心",
            "name_en": "Beijing Chaoyang",
            "city": "北京市",
            "ownership": "brand",
        },
        "as_of": "2026-06-15",
        "service_areas": [
            {"code": "counter", "name": "前台受理", "name_en": "", "certified": True},
            {"code": "repair", "name": "维修服务", "name_en": "", "certified": True},
        ],
        "certified_people": {
            "front_desk": 2,
            "technician": 1,
            "senior_technician": 1,
            "outlet_manager": 0,
        },
    }
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_of_a_non_compliant_outlet_says_not_certified(client, network):
    body = _api(client, "A").json()

    assert [(a["code"], a["certified"]) for a in body["service_areas"]] == [
        ("counter", False),
        ("repair", False),
    ]
    assert body["certified_people"] == {
        "front_desk": 1,
        "technician": 1,
        "senior_technician": 0,
        "outlet_manager": 0,
    }


def test_api_answers_one_area_for_the_warranty_claim_system(client, network):
    certified = _api(client, "C", area="repair")
    not_certified = _api(client, "A", area="repair")

    assert certified.json() == {
        "outlet": "C",
        "area": "repair",
        "certified": True,
        "as_of": "2026-06-15",
    }
    assert not_certified.json()["certified"] is False


def test_an_area_with_no_rule_for_the_outlet_is_not_certified(client, network):
    ServiceArea.objects.create(code="laptop", name="笔记本维修")

    assert _api(client, "C", area="laptop").json()["certified"] is False


@pytest.mark.parametrize("area", ["nope", "retired"])
def test_unknown_or_inactive_area_is_a_json_404(client, network, area):
    ServiceArea.objects.create(code="retired", name="停用", is_active=False)

    response = _api(client, "C", area=area)

    assert response.status_code == 404
    assert response.json() == {"error": "unknown_area"}
    assert "no-store" in response["Cache-Control"]


def test_unknown_or_inactive_outlet_is_404(client, network):
    Outlet.objects.filter(code="B").update(is_active=False)

    for code in ("NOPE", "B"):
        api = _api(client, code)
        page = client.get(f"/outlets/{code}/")
        assert (api.status_code, api.json()) == (404, {"error": "not_found"})
        assert page.status_code == 404
        assert "No active service outlet has this code." in page.content.decode()


def test_page_shows_areas_and_counts_without_names(client, network):
    response = client.get("/outlets/C/")
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in response["Vary"]
    assert "Beijing Chaoyang" in html
    assert 'data-area="counter" data-certified="true"' in html
    assert 'data-area="repair" data-certified="true"' in html
    assert "Status on 2026-06-15." in html
    assert "csrftoken" not in response.cookies
    for person in StaffFactory._meta.model.objects.filter(outlet__code="C"):
        assert person.user.first_name not in html
        assert person.employee_number not in html


def test_page_is_chinese_for_a_chinese_browser(client, network):
    html = client.get("/outlets/C/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "<h1>北京朝阳直营服务中心</h1>" in html


def test_rate_limit_answers_429_with_retry_after(client, network, settings):
    settings.OUTLET_STATUS_RATE = "3/m"

    statuses = [_api(client, "C").status_code for _ in range(3)]
    limited_api = _api(client, "C")
    limited_page = client.get("/outlets/C/")
    other_client = client.get("/api/v1/outlets/C/status", REMOTE_ADDR="10.0.0.2")

    assert statuses == [200, 200, 200]
    assert limited_api.status_code == 429
    assert 1 <= int(limited_api["Retry-After"]) <= 60
    assert limited_page.status_code == 429
    assert "no-store" in limited_page["Cache-Control"]
    assert other_client.status_code == 200


def test_unknown_codes_count_against_the_limit(client, db, settings):
    settings.OUTLET_STATUS_RATE = "2/m"

    statuses = [_api(client, f"GUESS{n}").status_code for n in range(3)]

    assert statuses == [404, 404, 429]


def test_default_rate_is_sixty_a_minute(settings):
    assert rate_parse(settings.OUTLET_STATUS_RATE) == (60, 60)


def _grow(network, outlets: int) -> None:
    """More outlets and people elsewhere in the network, each with a certificate."""
    track = network["tracks"]["norms"]
    for _ in range(outlets):
        outlet = OutletFactory()
        for _ in range(3):
            certificate(holder=StaffFactory(outlet=outlet), track=track, expires_on=TODAY)


@pytest.mark.parametrize("outlets", [0, 10])
def test_page_and_api_queries_do_not_grow_with_the_network(
    client, network, outlets, django_assert_num_queries
):
    _grow(network, outlets)

    with django_assert_num_queries(6):
        assert client.get("/outlets/C/").status_code == 200
    with django_assert_num_queries(6):
        assert _api(client, "C").status_code == 200

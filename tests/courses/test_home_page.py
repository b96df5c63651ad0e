import pytest

from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_served_to_anonymous_visitors_with_a_sign_in_link(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Service Network Academy" in body
    assert 'href="/accounts/login/"' in body


def test_home_page_greets_a_signed_in_manager_with_their_outlet(client, partner_outlet):
    manager = StaffFactory(role="outlet_manager", outlet=partner_outlet, user__first_name="周丽")
    client.force_login(manager.user)
    body = client.get("/").content.decode()
    assert "Welcome, 周丽" in body
    assert partner_outlet.name in body


def test_sign_in_page_signs_a_person_in(client, partner_outlet):
    person = StaffFactory(outlet=partner_outlet, user__username="tech1")
    response = client.post("/accounts/login/", {"login": "tech1", "password": "test-pass-2026"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.user.pk)

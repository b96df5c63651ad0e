import pytest

from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

# The providers installed for single sign-on, none of them configured (no SSO_* variables).
PROVIDER_PAGES = [
    "/accounts/dingtalk/login/",
    "/accounts/dingtalk/login/callback/",
    "/accounts/wecom/login/",
    "/accounts/wecom/login/callback/",
    "/accounts/oidc/company/login/",
]


@pytest.mark.parametrize("path", PROVIDER_PAGES)
def test_a_provider_without_an_app_is_not_found_not_a_server_error(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("path", PROVIDER_PAGES[:2])
def test_a_signed_in_person_is_answered_the_same(client, path):
    client.force_login(StaffFactory(role="technician").user)
    assert client.get(path).status_code == 404

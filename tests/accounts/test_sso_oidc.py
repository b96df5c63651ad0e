"""
OpenID Connect sign-in against a real provider: allauth's identity provider (allauth.idp.oidc),
run by tests/oidc_provider/serve.py in its own process on loopback. The person's side (the
provider's sign-in form and consent page) is driven with requests; the site is driven with
Django's test client, and exchanges the code with the provider over HTTP, as in production.
"""

import html.parser
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import environ
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from accounts.models import SignInEvent
from accounts.providers.environment import sso_apps_from_env
from tests.factories.network import StaffFactory, UserFactory

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "service-network-academy"
CLIENT_SECRET = "client-secret-of-the-tests"
CALLBACK = "http://testserver/accounts/oidc/brand/login/callback/"
PEOPLE = [
    {
        "username": "li.na",
        "password": "provider-pass-1",
        "claims": {"employee_number": "e-20931", "email": "li.na@brand.example"},
    },
    {
        "username": "stranger",
        "password": "provider-pass-2",
        "claims": {"employee_number": "X-00001", "email": "stranger@elsewhere.example"},
    },
    {
        "username": "leaver",
        "password": "provider-pass-3",
        "claims": {"employee_number": "E-10001"},
    },
]
PASSWORDS = {p["username"]: p["password"] for p in PEOPLE}
STARTUP_SECONDS = 30


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    """The provider's base URL, e.g. http://127.0.0.1:40123, for the tests of this module."""
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"),
        "OIDC_PROVIDER_PEOPLE": json.dumps(PEOPLE),
        "OIDC_PROVIDER_CLIENT": json.dumps(
            {"id": CLIENT_ID, "secret": CLIENT_SECRET, "redirect_uri": CALLBACK}
        ),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        base_url = _wait_until_answering(process, lines)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process, lines) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS

    def failed(why):
        process.kill()
        _, stderr = process.communicate(timeout=10)
        pytest.fail(
            f"The OpenID Connect provider of the tests did not start ({why}):\n{stderr}",
            pytrace=False,
        )

    try:
        line = lines.get(timeout=STARTUP_SECONDS)
    except queue.Empty:
        failed(f"no port announced in {STARTUP_SECONDS} s")
    if not line.startswith("listening on "):
        failed(f"unexpected output {line!r}")
    base_url = f"http://127.0.0.1:{int(line.split()[-1])}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            failed(f"exited with {process.returncode}")
        try:
            answer = _browser().get(f"{base_url}/.well-known/openid-configuration", timeout=2)
            if answer.status_code == 200 and answer.json()["issuer"] == base_url:
                return base_url
        except requests.RequestException:
            pass
        time.sleep(0.05)
    failed(f"its discovery document did not answer in {STARTUP_SECONDS} s")


@pytest.fixture
def brand_sso(oidc_provider, settings, monkeypatch):
    """The site configured, as in production, from SSO_OIDC_* variables, for that provider."""
    # Loopback traffic must never go through a proxy a CI runner may have configured.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("SSO_OIDC_SERVER_URL", oidc_provider)
    monkeypatch.setenv("SSO_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SSO_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("SSO_OIDC_NAME", "Brand ID")
    settings.SOCIALACCOUNT_PROVIDERS = sso_apps_from_env(
        environ.Env(), {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
    )
    return oidc_provider


def _browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy between the test and loopback
    return session


class _FormFields(html.parser.HTMLParser):
    """The values a browser would submit from a page's form: hidden fields, checked boxes."""

    def __init__(self):
        super().__init__()
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or not attrs.get("name"):
            return
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if kind in ("hidden", "checkbox", "radio"):
            self.fields.append((attrs["name"], attrs.get("value", "")))


def _form_fields(page: str) -> list:
    parser = _FormFields()
    parser.feed(page)
    return parser.fields


def _sign_in_at_provider(client, provider_url, username, *, process="login") -> str:
    """
    Start single sign-on at the site, sign in and consent at the provider as `username`, and
    return the site's callback URL the provider sends the browser back to.
    """
    started = client.post(f"/accounts/oidc/brand/login/?process={process}")
    assert started.status_code == 302
    authorize_url = started["Location"]
    assert authorize_url.startswith(f"{provider_url}/identity/o/authorize?")

    browser = _browser()
    to_login = browser.get(authorize_url, allow_redirects=False)
    assert to_login.status_code == 302, to_login.text
    login_url = urljoin(provider_url, to_login.headers["Location"])
    login_page = browser.get(login_url)
    assert login_page.status_code == 200
    signed_in = browser.post(
        login_url,
        data=[
            *_form_fields(login_page.text),
            ("login", username),
            ("password", PASSWORDS[username]),
        ],
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text

    consent_page = browser.get(urljoin(provider_url, signed_in.headers["Location"]))
    assert consent_page.status_code == 200
    assert "Authorize" in consent_page.text
    granted = browser.post(
        f"{provider_url}/identity/o/authorize",
        data=[*_form_fields(consent_page.text), ("action", "grant")],
        allow_redirects=False,
    )
    assert granted.status_code == 302, granted.text
    callback = granted.headers["Location"]
    assert callback.startswith(f"{CALLBACK}?code=")
    return callback


def _site_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_person_is_linked_by_employee_number_and_signed_in_through_the_real_provider(
    client, brand_sso
):
    # The provider sends "e-20931"; HR wrote "E-20931": the employee number matches either way.
    person = StaffFactory(employee_number="E-20931")

    callback = _sign_in_at_provider(client, brand_sso, "li.na")
    response = client.get(_site_path(callback))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_user_id(client) == str(person.user.pk)
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (person.user, "brand")
    assert account.extra_data["userinfo"]["employee_number"] == "e-20931"
    assert list(
        SignInEvent.objects.filter(user=person.user).order_by("pk").values_list("kind", "detail")
    ) == [
        (SignInEvent.Kind.SSO_LINKED, {"provider": "brand"}),
        (SignInEvent.Kind.SIGNED_IN, {}),
    ]


@pytest.mark.django_db
def test_linked_person_signs_in_again_by_the_link(client, brand_sso):
    person = StaffFactory(employee_number="E-20931")
    client.get(_site_path(_sign_in_at_provider(client, brand_sso, "li.na")))
    client.post("/accounts/logout/")
    assert _signed_in_user_id(client) is None

    response = client.get(_site_path(_sign_in_at_provider(client, brand_sso, "li.na")))

    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(person.user.pk)
    assert SocialAccount.objects.filter(user=person.user).count() == 1
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.SSO_LINKED).count() == 1


@pytest.mark.django_db
def test_signed_in_person_links_their_identity_from_the_connections_page(client, brand_sso):
    person = StaffFactory(employee_number="E-20931")
    client.force_login(person.user)
    page = client.get("/accounts/3rdparty/").content.decode()
    assert 'action="/accounts/oidc/brand/login/?process=connect"' in page

    callback = _sign_in_at_provider(client, brand_sso, "li.na", process="connect")
    response = client.get(_site_path(callback))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get().user == person.user
    assert _signed_in_user_id(client) == str(person.user.pk)


@pytest.mark.django_db
def test_email_link_claim_links_the_account_with_that_address(client, brand_sso, settings):
    settings.SSO_LINK_CLAIM = "email"
    person = StaffFactory(user=UserFactory(email="Li.Na@Brand.Example"))

    response = client.get(_site_path(_sign_in_at_provider(client, brand_sso, "li.na")))

    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(person.user.pk)
    assert SocialAccount.objects.get().user == person.user


@pytest.mark.django_db
def test_unknown_identity_is_refused_with_a_clear_page_and_nothing_is_created(client, brand_sso):
    StaffFactory(employee_number="E-20931")
    users_before = get_user_model().objects.count()

    response = client.get(_site_path(_sign_in_at_provider(client, brand_sso, "stranger")))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Single sign-on refused" in page
    assert "does not belong to anyone in the service network" in page
    assert 'href="/accounts/login/"' in page
    assert _signed_in_user_id(client) is None
    assert get_user_model().objects.count() == users_before
    assert not SocialAccount.objects.exists()
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.identifier) == (
        SignInEvent.Kind.SSO_REFUSED,
        None,
        "X-00001",
    )
    assert event.detail == {"provider": "brand", "claim": "employee_number", "reason": "unknown"}


@pytest.mark.django_db
def test_inactive_person_is_refused_and_not_linked(client, brand_sso):
    leaver = StaffFactory(employee_number="E-10001", is_active=False)

    response = client.get(_site_path(_sign_in_at_provider(client, brand_sso, "leaver")))

    assert response.status_code == 403
    assert "your account here is not active" in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    event = SignInEvent.objects.get()
    assert (event.kind, event.user, event.detail["reason"]) == (
        SignInEvent.Kind.SSO_REFUSED,
        leaver.user,
        "inactive",
    )

"""
Single sign-on (accounts.sso and accounts.providers): which person an identity is linked to, what
is refused, the linked sign-ins page, the sign-in page's buttons, and WeCom's QR sign-in against
a WeCom API served on loopback by the test.

Identities are handed to allauth's own flow (complete_social_login) as a provider's callback
would hand them; tests/accounts/test_sso_oidc.py runs the whole round trip with a real provider.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import environ
import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from accounts.models import SignInEvent
from accounts.providers.environment import sso_apps_from_env
from tests.factories.network import StaffFactory, UserFactory

OIDC_APP = {
    "provider_id": "brand",
    "name": "Brand ID",
    "client_id": "lms",
    "secret": "oidc-secret",
    # Never contacted: these tests hand allauth the identity the provider would have returned.
    "settings": {"server_url": "http://127.0.0.1:9"},
}


@pytest.fixture
def sso_apps(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [OIDC_APP]},
        "dingtalk": {"APPS": [{"client_id": "ding-app", "secret": "ding-secret"}]},
    }


def _identity_arrives(rf, provider_id, data, *, user=None, process="login"):
    """
    Hand allauth the identity `data` of `provider_id`, as its callback view does after talking
    to the provider; return the request (its session tells who is signed in) and the response.
    """
    request = rf.get("/accounts/sso/callback/", HTTP_USER_AGENT="pytest")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.session.save()
    request.user = user if user is not None else AnonymousUser()
    request._messages = FallbackStorage(request)
    with context.request_context(request):
        provider = get_adapter(request).get_provider(request, provider_id)
        sociallogin = provider.sociallogin_from_response(request, data)
        sociallogin.state = {"process": process}
        response = complete_social_login(request, sociallogin)
    return request, response


def _oidc(sub="sub-1", **claims):
    return {"userinfo": {"sub": sub, **claims}, "id_token": {"sub": sub}}


def _signed_in(request):
    return request.session.get(SESSION_KEY)


def _refusals():
    return list(
        SignInEvent.objects.filter(kind=SignInEvent.Kind.SSO_REFUSED).values_list(
            "user", "identifier", "detail"
        )
    )


# Linking by claim


@pytest.mark.django_db
def test_identity_is_linked_to_the_person_its_employee_number_names(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")
    StaffFactory(employee_number="E-20932")

    request, response = _identity_arrives(rf, "brand", _oidc(employee_number="e-20931"))

    assert response.status_code == 302
    assert _signed_in(request) == str(person.user.pk)
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (person.user, "brand", "sub-1")
    assert SignInEvent.objects.filter(
        kind=SignInEvent.Kind.SSO_LINKED, user=person.user, detail={"provider": "brand"}
    ).exists()


@pytest.mark.django_db
def test_employee_number_is_read_from_the_claim_the_settings_name(rf, sso_apps, settings):
    settings.SSO_EMPLOYEE_NUMBER_CLAIM = "staff_no"
    person = StaffFactory(employee_number="E-20931")

    request, _ = _identity_arrives(
        rf, "brand", _oidc(employee_number="E-99999", staff_no="E-20931")
    )

    assert _signed_in(request) == str(person.user.pk)


@pytest.mark.django_db
def test_employee_number_only_in_the_id_token_is_enough(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")
    data = {
        "userinfo": {"sub": "sub-1"},
        "id_token": {"sub": "sub-1", "employee_number": "E-20931"},
    }

    request, _ = _identity_arrives(rf, "brand", data)

    assert _signed_in(request) == str(person.user.pk)


@pytest.mark.django_db
def test_email_claim_links_the_one_active_account_with_that_address(rf, sso_apps, settings):
    settings.SSO_LINK_CLAIM = "email"
    person = StaffFactory(user=UserFactory(email="li.na@brand.example"))
    # The same address on a former colleague's deactivated account does not make it ambiguous.
    StaffFactory(user=UserFactory(email="LI.NA@brand.example", is_active=False))

    request, _ = _identity_arrives(
        rf, "brand", _oidc(email="Li.Na@Brand.Example", email_verified=True)
    )

    assert _signed_in(request) == str(person.user.pk)
    assert SocialAccount.objects.get().user == person.user


@pytest.mark.django_db
def test_email_the_provider_did_not_verify_names_nobody(rf, sso_apps, settings):
    settings.SSO_LINK_CLAIM = "email"
    StaffFactory(user=UserFactory(email="li.na@brand.example"))

    request, response = _identity_arrives(
        rf, "brand", _oidc(email="li.na@brand.example", email_verified=False)
    )

    assert response.status_code == 403
    assert _signed_in(request) is None
    assert not SocialAccount.objects.exists()
    assert _refusals() == [
        (None, "", {"provider": "brand", "claim": "email", "reason": "no_claim"})
    ]


@pytest.mark.django_db
def test_email_two_active_accounts_share_names_neither(rf, sso_apps, settings):
    settings.SSO_LINK_CLAIM = "email"
    StaffFactory(user=UserFactory(email="desk@outlet.example"))
    StaffFactory(user=UserFactory(email="desk@outlet.example"))

    request, response = _identity_arrives(
        rf, "brand", _oidc(email="desk@outlet.example", email_verified=True)
    )

    assert response.status_code == 403
    assert _signed_in(request) is None
    assert not SocialAccount.objects.exists()
    assert [r[2]["reason"] for r in _refusals()] == ["ambiguous"]


@pytest.mark.django_db
def test_dingtalk_identity_is_linked_by_its_mobile_number(rf, sso_apps):
    person = StaffFactory(phone="13800138000")
    dingtalk_me = {
        "nick": "李娜",
        "openId": "ding-open-1",
        "unionId": "ding-union-1",
        "mobile": "13800138000",
        "stateCode": "86",
    }

    request, _ = _identity_arrives(rf, "dingtalk", dingtalk_me)

    assert _signed_in(request) == str(person.user.pk)
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (person.user, "dingtalk", "ding-open-1")


# Refusals


@pytest.mark.django_db
def test_unknown_identity_is_refused_with_a_page_and_creates_nobody(rf, sso_apps):
    StaffFactory(employee_number="E-20931")
    users_before = get_user_model().objects.count()

    request, response = _identity_arrives(rf, "brand", _oidc(employee_number="X-00001"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Single sign-on refused" in page
    assert "You signed in at Brand ID, but that identity does not belong to anyone" in page
    assert "your employee number at the provider" in page
    assert 'href="/accounts/login/"' in page
    assert _signed_in(request) is None
    assert get_user_model().objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert _refusals() == [
        (None, "X-00001", {"provider": "brand", "claim": "employee_number", "reason": "unknown"})
    ]


@pytest.mark.django_db
def test_identity_without_an_employee_number_is_refused(rf, sso_apps):
    request, response = _identity_arrives(rf, "brand", _oidc(name="Li Na"))

    assert response.status_code == 403
    assert _signed_in(request) is None
    assert not SocialAccount.objects.exists()
    assert [r[2]["reason"] for r in _refusals()] == ["no_claim"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("staff_active", "account_active"), [(False, True), (True, False)], ids=["left", "blocked"]
)
def test_identity_of_an_inactive_person_is_refused(rf, sso_apps, staff_active, account_active):
    person = StaffFactory(
        employee_number="E-20931",
        is_active=staff_active,
        user=UserFactory(is_active=account_active),
    )

    request, response = _identity_arrives(rf, "brand", _oidc(employee_number="E-20931"))

    assert response.status_code == 403
    assert "your account here is not active" in response.content.decode()
    assert _signed_in(request) is None
    assert not SocialAccount.objects.exists()
    assert _refusals() == [
        (
            person.user.pk,
            "E-20931",
            {"provider": "brand", "claim": "employee_number", "reason": "inactive"},
        )
    ]


@pytest.mark.django_db
def test_linked_identity_of_a_person_who_left_is_refused(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")
    SocialAccount.objects.create(user=person.user, provider="brand", uid="sub-1")
    person.is_active = False
    person.save()

    request, response = _identity_arrives(rf, "brand", _oidc(employee_number="E-20931"))

    assert response.status_code == 403
    assert _signed_in(request) is None
    assert [(r[0], r[2]["reason"]) for r in _refusals()] == [(person.user.pk, "inactive")]


# Linking while signed in


@pytest.mark.django_db
def test_signed_in_person_links_an_identity_that_names_them(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")

    _, response = _identity_arrives(
        rf, "brand", _oidc(employee_number="E-20931"), user=person.user, process="connect"
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get().user == person.user


@pytest.mark.django_db
def test_signed_in_person_cannot_link_an_identity_that_names_someone_else(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")
    StaffFactory(employee_number="E-20932")

    _, response = _identity_arrives(
        rf, "brand", _oidc(employee_number="E-20932"), user=person.user, process="connect"
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "This Brand ID identity belongs to someone else" in page
    assert 'href="/accounts/3rdparty/"' in page
    assert not SocialAccount.objects.exists()
    assert _refusals() == [
        (
            person.user.pk,
            "E-20932",
            {"provider": "brand", "claim": "employee_number", "reason": "someone_else"},
        )
    ]


@pytest.mark.django_db
def test_signed_in_person_cannot_link_an_identity_that_names_nobody(rf, sso_apps):
    # On an outlet's shared computer, a colleague's identity must not join the account left open.
    person = StaffFactory(employee_number="E-20931")

    _, response = _identity_arrives(
        rf, "brand", _oidc(employee_number="X-00001"), user=person.user, process="connect"
    )

    assert response.status_code == 403
    assert "This Brand ID identity does not name you" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert [r[2]["reason"] for r in _refusals()] == ["unknown"]


@pytest.mark.django_db
def test_signed_in_person_cannot_link_an_identity_linked_to_someone_else(rf, sso_apps):
    person = StaffFactory(employee_number="E-20931")
    owner = StaffFactory(employee_number="E-20932")
    SocialAccount.objects.create(user=owner.user, provider="brand", uid="sub-1")

    _, response = _identity_arrives(
        rf, "brand", _oidc(employee_number="E-20931"), user=person.user, process="connect"
    )

    assert response.status_code == 403
    assert SocialAccount.objects.get().user == owner.user
    assert [r[2]["reason"] for r in _refusals()] == ["someone_else"]


# The linked sign-ins page and the sign-in page


@pytest.mark.django_db
def test_connections_page_lists_linked_sign_ins_in_the_site_frame(client, sso_apps):
    person = StaffFactory()
    SocialAccount.objects.create(user=person.user, provider="brand", uid="sub-1")
    client.force_login(person.user)

    response = client.get("/accounts/3rdparty/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<header class="topbar">' in page
    assert f'value="{SocialAccount.objects.get().pk}"' in page
    assert 'action="/accounts/oidc/brand/login/?process=connect"' in page
    assert "Link Brand ID" in page
    assert "Link DingTalk" in page


@pytest.mark.django_db
def test_person_with_a_password_unlinks_a_sign_in(client, sso_apps):
    person = StaffFactory()
    account = SocialAccount.objects.create(user=person.user, provider="brand", uid="sub-1")
    client.force_login(person.user)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
    assert SignInEvent.objects.filter(
        kind=SignInEvent.Kind.SSO_UNLINKED, user=person.user, detail={"provider": "brand"}
    ).exists()


@pytest.mark.django_db
def test_last_sign_in_of_a_person_without_a_password_stays_linked(client, sso_apps):
    person = StaffFactory()
    person.user.set_unusable_password()
    person.user.save()
    account = SocialAccount.objects.create(user=person.user, provider="brand", uid="sub-1")
    client.force_login(person.user)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 200
    assert "Your account has no password set up." in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert not SignInEvent.objects.filter(kind=SignInEvent.Kind.SSO_UNLINKED).exists()


@pytest.mark.django_db
def test_sign_in_page_shows_a_button_for_each_configured_provider_only(client):
    SocialApp.objects.create(provider="dingtalk", name="DingTalk", client_id="ding", secret="s")

    page = client.get("/accounts/login/").content.decode()

    assert 'action="/accounts/dingtalk/login/?process=login"' in page
    assert "Sign in with DingTalk" in page
    assert "WeCom" not in page
    assert "/accounts/oidc/" not in page


@pytest.mark.django_db
def test_sign_in_page_without_configured_providers_offers_no_single_sign_on(client):
    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in page
    assert 'data-sso="providers"' not in page


# Configuration from the environment


def _env(monkeypatch, **variables):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_no_sso_variables_offer_no_provider(monkeypatch):
    for name in ("SSO_OIDC_CLIENT_ID", "SSO_DINGTALK_CLIENT_ID", "SSO_WECOM_CORP_ID"):
        monkeypatch.delenv(name, raising=False)

    providers = sso_apps_from_env(environ.Env(), {"openid_connect": {"OAUTH_PKCE_ENABLED": True}})

    assert providers == {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}


def test_sso_variables_configure_each_provider(monkeypatch):
    env = _env(
        monkeypatch,
        SSO_OIDC_SERVER_URL="https://id.brand.example",
        SSO_OIDC_CLIENT_ID="lms",
        SSO_OIDC_CLIENT_SECRET="oidc-secret",
        SSO_OIDC_NAME="Brand ID",
        SSO_DINGTALK_CLIENT_ID="ding",
        SSO_DINGTALK_CLIENT_SECRET="ding-secret",
        SSO_WECOM_CORP_ID="ww1234",
        SSO_WECOM_SECRET="wecom-secret",
        SSO_WECOM_AGENT_ID="1000002",
        SSO_WECOM_LINK_CLAIM="employee_number",
    )

    providers = sso_apps_from_env(env, {"openid_connect": {"OAUTH_PKCE_ENABLED": True}})

    assert providers == {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "brand",
                    "name": "Brand ID",
                    "client_id": "lms",
                    "secret": "oidc-secret",
                    "settings": {
                        "server_url": "https://id.brand.example",
                        "oauth_pkce_enabled": True,
                    },
                }
            ],
        },
        "dingtalk": {"APPS": [{"client_id": "ding", "secret": "ding-secret", "settings": {}}]},
        "wecom": {
            "APPS": [
                {
                    "client_id": "ww1234",
                    "secret": "wecom-secret",
                    "settings": {"agent_id": "1000002", "link_claim": "employee_number"},
                }
            ]
        },
    }


def test_client_id_without_its_secret_stops_the_site(monkeypatch):
    env = _env(monkeypatch, SSO_OIDC_CLIENT_ID="lms", SSO_OIDC_SERVER_URL="https://id.example")
    monkeypatch.delenv("SSO_OIDC_CLIENT_SECRET", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SSO_OIDC_CLIENT_SECRET is required"):
        sso_apps_from_env(env)


# WeCom's QR sign-in, against a WeCom API served on loopback


class FakeWeCom:
    """What the test needs of WeCom: the QR login page, gettoken and auth/getuserinfo."""

    corp_id = "ww-test-corp"
    secret = "wecom-app-secret"
    agent_id = "1000002"

    def __init__(self):
        self.calls = []
        self.tokens_issued = 0
        self.scanner = {}
        self.codes = {}
        self.expired_tokens = set()

    def reset(self):
        base_url = self.base_url
        self.__dict__.clear()
        self.__init__()
        self.base_url = base_url

    def handle(self, path, query):
        self.calls.append((path, query))
        if path == "/wwlogin/sso/login":
            # The person scans the QR code: WeCom sends the browser back with a one-time code.
            code = f"code-{len(self.codes) + 1}"
            self.codes[code] = self.scanner
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            return 302, {"Location": target}, b""
        if path == "/cgi-bin/gettoken":
            if (query.get("corpid"), query.get("corpsecret")) != (self.corp_id, self.secret):
                return self._json({"errcode": 40001, "errmsg": "invalid credential"})
            self.tokens_issued += 1
            token = f"corp-token-{self.tokens_issued}"
            return self._json(
                {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
            )
        if path == "/cgi-bin/auth/getuserinfo":
            token = query.get("access_token", "")
            if not token.startswith("corp-token-") or token in self.expired_tokens:
                return self._json({"errcode": 42001, "errmsg": "access_token expired"})
            identity = self.codes.pop(query.get("code"), None)
            if identity is None:
                return self._json({"errcode": 40029, "errmsg": "invalid code"})
            return self._json(
                {"errcode": 0, "errmsg": "ok", "user_ticket": "ticket-secret", **identity}
            )
        return 404, {}, b""

    @staticmethod
    def _json(data):
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


@pytest.fixture(scope="module")
def wecom_server():
    fake = FakeWeCom()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            status, headers, body = fake.handle(parts.path, query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def wecom(wecom_server, settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    wecom_server.reset()
    cache.clear()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "wecom": {
            "APPS": [
                {
                    "client_id": FakeWeCom.corp_id,
                    "secret": FakeWeCom.secret,
                    "settings": {
                        "agent_id": FakeWeCom.agent_id,
                        "api_url": wecom_server.base_url,
                        "authorize_url": f"{wecom_server.base_url}/wwlogin/sso/login",
                    },
                }
            ]
        }
    }
    return wecom_server


def _scan_wecom_qr(client, wecom, identity):
    """Start WeCom sign-in at the site, scan as `identity`, and return the site's answer."""
    import requests

    started = client.post("/accounts/wecom/login/")
    assert started.status_code == 302
    wecom.scanner = identity
    browser = requests.Session()
    browser.trust_env = False
    scanned = browser.get(started["Location"], allow_redirects=False)
    assert scanned.status_code == 302
    back = urlsplit(scanned.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == (
        "http",
        "testserver",
        "/accounts/wecom/login/callback/",
    )
    return client.get(f"{back.path}?{back.query}")


@pytest.mark.django_db
def test_wecom_qr_sign_in_links_the_person_whose_userid_is_their_employee_number(client, wecom):
    person = StaffFactory(employee_number="E-20931")

    response = _scan_wecom_qr(client, wecom, {"userid": "E-20931"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.user.pk)
    assert wecom.calls[0][0] == "/wwlogin/sso/login"
    assert {k: v for k, v in wecom.calls[0][1].items() if k != "state"} == {
        "login_type": "CorpApp",
        "appid": FakeWeCom.corp_id,
        "agentid": FakeWeCom.agent_id,
        "redirect_uri": "http://testserver/accounts/wecom/login/callback/",
    }
    assert [path for path, _ in wecom.calls[1:]] == [
        "/cgi-bin/gettoken",
        "/cgi-bin/auth/getuserinfo",
    ]
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (person.user, "wecom", "E-20931")
    # Neither the organisation's token nor the person's ticket is kept with the account.
    assert account.extra_data == {"errcode": 0, "errmsg": "ok", "userid": "E-20931"}
    assert not SocialToken.objects.exists()


@pytest.mark.django_db
def test_wecom_organisation_token_is_reused_and_renewed_once_expired(client, wecom):
    person = StaffFactory(employee_number="E-20931")
    _scan_wecom_qr(client, wecom, {"userid": "E-20931"})
    client.post("/accounts/logout/")

    _scan_wecom_qr(client, wecom, {"userid": "E-20931"})
    assert wecom.tokens_issued == 1
    client.post("/accounts/logout/")
    wecom.expired_tokens.add("corp-token-1")

    response = _scan_wecom_qr(client, wecom, {"userid": "E-20931"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(person.user.pk)
    assert wecom.tokens_issued == 2


@pytest.mark.django_db
def test_wecom_scan_by_someone_outside_the_organisation_is_refused(client, wecom):
    users_before = get_user_model().objects.count()

    response = _scan_wecom_qr(client, wecom, {"openid": "wx-open-1", "external_userid": "x"})

    assert response.status_code == 403
    assert "does not belong to anyone in the service network" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert get_user_model().objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert _refusals() == [
        (None, "", {"provider": "wecom", "claim": "employee_number", "reason": "no_claim"})
    ]


@pytest.mark.django_db
def test_wecom_refusing_our_credentials_shows_the_sign_in_error_page(client, wecom):
    wecom.secret = "rotated-at-wecom"
    StaffFactory(employee_number="E-20931")

    response = _scan_wecom_qr(client, wecom, {"userid": "E-20931"})

    assert response.status_code == 401
    page = response.content.decode()
    assert '<header class="topbar">' in page
    assert "Third-Party Login Failure" in page
    assert SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()

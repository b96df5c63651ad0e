"""
WeCom's web sign-in is not quite OAuth 2: the code from the QR scan is not exchanged for a token
of the person. The organisation's own access token (from its corp id and the app's secret) reads
whose scan the code was (cgi-bin/auth/getuserinfo). That token is the organisation's, so it is
cached for the time WeCom gives it (WeCom throttles cgi-bin/gettoken) and never stored with a
person's account.
"""

import hashlib

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from allauth.utils import get_request_param
from django.core.cache import cache
from django.utils.http import urlencode

API_URL = "https://qyapi.weixin.qq.com"
AUTHORIZE_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"
# WeCom's errcodes for an access token that is invalid or expired: fetch a new one, once.
_TOKEN_EXPIRED = {40014, 42001}


class WeComOAuth2Client(OAuth2Client):
    def __init__(self, *args, agent_id="", api_url=API_URL, **kwargs):
        super().__init__(*args, **kwargs)
        self.agent_id = str(agent_id or "")
        self.api_url = api_url.rstrip("/")

    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        params = {
            "login_type": "CorpApp",
            "appid": self.consumer_key,
            "agentid": self.agent_id,
            "redirect_uri": self.callback_url,
        }
        if self.state:
            params["state"] = self.state
        params.update(extra_params)
        return f"{authorization_url}?{urlencode(params)}"

    def _get(self, path: str, params: dict) -> dict:
        with get_adapter().get_requests_session() as session:
            response = session.get(f"{self.api_url}{path}", params=params)
            response.raise_for_status()
            data = response.json()
        return data

    def _cache_key(self) -> str:
        digest = hashlib.sha256(
            f"{self.api_url}|{self.consumer_key}|{self.consumer_secret}".encode()
        ).hexdigest()
        return f"wecom-access-token:{digest[:32]}"

    def organisation_token(self, *, fresh: bool = False) -> str:
        """Return the organisation's access token, from the cache unless `fresh`."""
        key = self._cache_key()
        token = None if fresh else cache.get(key)
        if token:
            return token
        data = self._get(
            "/cgi-bin/gettoken",
            {"corpid": self.consumer_key, "corpsecret": self.consumer_secret},
        )
        if data.get("errcode") or not data.get("access_token"):
            raise OAuth2Error(f"WeCom gettoken: {data.get('errcode')} {data.get('errmsg')}")
        token = data["access_token"]
        # Five minutes early, so that a token is never used in its last moments.
        cache.set(key, token, max(int(data.get("expires_in") or 7200) - 300, 60))
        return token

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        return {"access_token": self.organisation_token()}

    def user_info(self, code: str) -> dict:
        """Return who scanned: {"userid": ...} for a member of the organisation."""
        for fresh in (False, True):
            data = self._get(
                "/cgi-bin/auth/getuserinfo",
                {"access_token": self.organisation_token(fresh=fresh), "code": code},
            )
            if data.get("errcode") not in _TOKEN_EXPIRED:
                break
        if data.get("errcode"):
            raise OAuth2Error(f"WeCom getuserinfo: {data.get('errcode')} {data.get('errmsg')}")
        if not (data.get("userid") or data.get("openid")):
            raise OAuth2Error("WeCom getuserinfo named nobody")
        # user_ticket opens the person's private details; it is not kept.
        data.pop("user_ticket", None)
        return data


class WeComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wecom"
    access_token_method = "GET"  # noqa: S105 (a method, not a password: gettoken is a GET)
    client_class = WeComOAuth2Client

    def _setting(self, app_key: str, provider_key: str, default: str) -> str:
        provider = self.get_provider()
        value = (provider.app.settings or {}).get(app_key)
        return value or provider.get_settings().get(provider_key) or default

    @property
    def authorize_url(self) -> str:
        return self._setting("authorize_url", "AUTHORIZE_URL", AUTHORIZE_URL)

    @property
    def api_url(self) -> str:
        return self._setting("api_url", "API_URL", API_URL)

    @property
    def access_token_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/cgi-bin/gettoken"

    def get_client(self, request, app):
        return WeComOAuth2Client(
            self.request,
            app.client_id,
            app.secret,
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            agent_id=(app.settings or {}).get("agent_id", ""),
            api_url=self.api_url,
        )

    def parse_token(self, data):
        # The organisation's token, not the person's: nothing of it goes into their account.
        return SocialToken(token="")

    def complete_login(self, request, app, token, **kwargs):
        client = self.get_client(request, app)
        data = client.user_info(get_request_param(request, "code"))
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WeComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WeComOAuth2Adapter)

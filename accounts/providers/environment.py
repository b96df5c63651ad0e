"""
Which single sign-on providers the site offers, read from the environment by lms/settings/base.py.

Settings are read before Django's apps are loaded, so this module imports nothing of Django's
models nor of allauth's; the variables are described in docs/identity-sso.md.
"""

from django.core.exceptions import ImproperlyConfigured

# The name a provider's button shows when SSO_OIDC_NAME is empty (translated by the template).
OIDC_DEFAULT_NAME = "Company account"


def _required(env, name: str, because: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} is required when {because} is set")
    return value


def _with_link_claim(app_settings: dict, env, prefix: str) -> dict:
    link_claim = env.str(f"{prefix}_LINK_CLAIM", default="")
    if link_claim:
        app_settings["link_claim"] = link_claim
    return app_settings


def sso_apps_from_env(env, providers: dict | None = None) -> dict:
    """
    Return SOCIALACCOUNT_PROVIDERS: `providers` (allauth's per-provider settings) with an "APPS"
    entry for each provider whose client id is set in the environment. A provider whose client
    id is set without its secret stops the site from starting.
    """
    providers = {key: dict(value) for key, value in (providers or {}).items()}

    client_id = env.str("SSO_OIDC_CLIENT_ID", default="")
    if client_id:
        app_settings = {
            "server_url": _required(env, "SSO_OIDC_SERVER_URL", "SSO_OIDC_CLIENT_ID"),
            "oauth_pkce_enabled": True,
        }
        providers.setdefault("openid_connect", {})["APPS"] = [
            {
                # Part of the sign-in URL (/accounts/oidc/<id>/) and of every stored link:
                # changing it later unlinks everyone.
                "provider_id": env.str("SSO_OIDC_PROVIDER_ID", default="brand"),
                "name": env.str("SSO_OIDC_NAME", default="") or OIDC_DEFAULT_NAME,
                "client_id": client_id,
                "secret": _required(env, "SSO_OIDC_CLIENT_SECRET", "SSO_OIDC_CLIENT_ID"),
                "settings": _with_link_claim(app_settings, env, "SSO_OIDC"),
            }
        ]

    client_id = env.str("SSO_DINGTALK_CLIENT_ID", default="")
    if client_id:
        providers.setdefault("dingtalk", {})["APPS"] = [
            {
                "client_id": client_id,
                "secret": _required(env, "SSO_DINGTALK_CLIENT_SECRET", "SSO_DINGTALK_CLIENT_ID"),
                "settings": _with_link_claim({}, env, "SSO_DINGTALK"),
            }
        ]

    corp_id = env.str("SSO_WECOM_CORP_ID", default="")
    if corp_id:
        providers.setdefault("wecom", {})["APPS"] = [
            {
                "client_id": corp_id,
                "secret": _required(env, "SSO_WECOM_SECRET", "SSO_WECOM_CORP_ID"),
                "settings": _with_link_claim(
                    {"agent_id": _required(env, "SSO_WECOM_AGENT_ID", "SSO_WECOM_CORP_ID")},
                    env,
                    "SSO_WECOM",
                ),
            }
        ]
    return providers

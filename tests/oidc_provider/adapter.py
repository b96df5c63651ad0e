from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.conf import settings


class ProviderAdapter(DefaultOIDCAdapter):
    """allauth's provider, issuing each person's extra claims (their employee number) too."""

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if "profile" in scopes:
            for person in settings.OIDC_PROVIDER_PEOPLE:
                if person["username"] == user.get_username():
                    claims.update(person.get("claims", {}))
        return claims

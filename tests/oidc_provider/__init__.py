"""
A real OpenID Connect provider for the single sign-on tests: allauth's own identity provider
(allauth.idp.oidc) in a Django project of its own, run in its own process on loopback by
tests/accounts/test_sso_oidc.py. Nothing here is part of the site.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = [
    "accounts",
    "assessments",
    "certificates",
    "compliance",
    "core",
    "courses",
    "lms",
    "network",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/activate/"])
def test_site_pages_allow_scripts_from_the_site_only(client, path):
    policy = _policy(client.get(path))

    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_a_signed_in_page_has_the_policy_too(client, partner_outlet):
    client.force_login(StaffFactory(outlet=partner_outlet).user)

    assert _policy(client.get("/my/"))["script-src"] == ["'self'"]


def test_the_admin_has_its_own_policy_with_its_inline_scripts(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    policy = _policy(client.get("/admin/"))

    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


def test_no_template_of_ours_has_an_inline_script_or_event_handler():
    offenders = []
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("templates/**/*.html"):
            text = path.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []

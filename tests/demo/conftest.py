import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    One seeded database shared by a module's tests that only read it: the seed takes about two
    seconds. Each test still runs in its own transaction inside this one, and everything is
    rolled back after the module.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    # The seed stores diagrams and PDFs; keep each test's files apart and temporary.
    if "seeded" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.test import override_settings

from courses.models import HomePage
from network.models import Outlet, PartnerCompany, Staff, StaffAssignment

User = get_user_model()


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def network_state():
    """Return what the demo network seed writes, to compare before and after."""
    return {
        "companies": PartnerCompany.objects.count(),
        "outlets": Outlet.objects.count(),
        "staff": Staff.objects.count(),
        "assignments": StaffAssignment.objects.count(),
        "users": User.objects.count(),
        "outlets_updated": Outlet.objects.aggregate(m=Max("updated_at"))["m"],
        "staff_updated": Staff.objects.aggregate(m=Max("updated_at"))["m"],
        "passwords": dict(User.objects.values_list("username", "password")),
        "home": list(HomePage.objects.values_list("intro", "intro_en", "latest_revision_id")),
    }


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    One seeded database shared by the tests of this folder that read it: the seed takes ten to
    thirty seconds. Each test still runs in its own transaction inside this one, and everything
    is rolled back after the folder's last test. Tests that need a database the demo was never
    seeded into live in test_fresh_*.py, which are collected first, so on every test process
    they run before the seed.
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

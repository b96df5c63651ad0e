import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Max

from courses.models import HomePage
from network.models import Outlet, PartnerCompany, Staff, StaffAssignment

# These tests need a database the demo was never seeded into.
pytestmark = pytest.mark.django_db

User = get_user_model()


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _state():
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


def test_seed_keeps_a_home_page_introduction_someone_wrote():
    page = HomePage.objects.get()
    page.intro = "<p>我们自己的介绍</p>"
    page.save()

    seed()

    page.refresh_from_db()
    assert page.intro == "<p>我们自己的介绍</p>"
    assert page.intro_en.startswith("<p>The Service Network Academy")


def test_seed_is_refused_when_a_demo_username_belongs_to_another_account():
    User.objects.create_user("manager", "someone@example.com", "their-own-pass")
    before = _state()

    with pytest.raises(CommandError, match="already belong to other accounts: manager"):
        seed()

    assert _state() == before


def test_seed_is_refused_when_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    before = _state()

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED is False"):
        seed()

    assert _state() == before
    assert before["outlets"] == 0
    assert before["users"] == 0
    assert HomePage.objects.get().intro == ""

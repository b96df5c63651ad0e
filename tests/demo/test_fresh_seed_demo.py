import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from courses.models import HomePage

# These tests need a database the demo was never seeded into.
from tests.demo.conftest import network_state, seed

pytestmark = pytest.mark.django_db

User = get_user_model()


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
    before = network_state()

    with pytest.raises(CommandError, match="already belong to other accounts: manager"):
        seed()

    assert network_state() == before


def test_seed_is_refused_when_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    before = network_state()

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED is False"):
        seed()

    assert network_state() == before
    assert before["outlets"] == 0
    assert before["users"] == 0
    assert HomePage.objects.get().intro == ""

import pytest
from django.core.cache import cache

from accounts.sms.backends import locmem
from tests.factories.network import StaffFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth's per-address sign-in limit and the code limits count in the cache, which
    # outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox


def newcomer_make(outlet, **kwargs):
    """A person as an HR import creates them: an account with no usable password."""
    person = StaffFactory(outlet=outlet, **kwargs)
    person.user.set_unusable_password()
    person.user.save(update_fields=["password"])
    return person


@pytest.fixture
def newcomer(partner_outlet):
    return newcomer_make(
        partner_outlet,
        employee_number="HN0001",
        phone="13800138000",
        user__first_name="王小明",
        user__username="hn0001",
    )

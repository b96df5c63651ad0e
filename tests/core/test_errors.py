"""Domain errors reach the web as the site's own answers."""

import pytest
from django.urls import reverse

from core.errors import NotFound
from network.selectors import OutletNotFound, outlet_in_scope
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_an_outlet_outside_the_scope_is_the_same_error_as_no_outlet(partner_outlet):
    other = OutletFactory()
    manager = StaffFactory(role="outlet_manager", outlet=partner_outlet)
    assert outlet_in_scope(user=manager.user, code=partner_outlet.code) == partner_outlet
    for code in (other.code, "NO-SUCH-OUTLET"):
        with pytest.raises(OutletNotFound) as raised:
            outlet_in_scope(user=manager.user, code=code)
        assert isinstance(raised.value, NotFound)


def test_a_not_found_from_a_selector_is_answered_with_the_404_page(client, partner_outlet):
    other = OutletFactory()
    manager = StaffFactory(role="outlet_manager", outlet=partner_outlet)
    client.force_login(manager.user)
    response = client.get(reverse("compliance:outlet", args=[other.code]))
    assert response.status_code == 404
    response = client.get(f"/training/outlets/{other.code}/certificates.zip")
    assert response.status_code == 404

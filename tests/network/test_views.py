import pytest
from django.urls import reverse

from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_outlets(partner_outlet, other_outlet):
    mine = StaffFactory.create_batch(3, outlet=partner_outlet)
    theirs = StaffFactory.create_batch(3, outlet=other_outlet)
    return mine, theirs


def test_manager_lists_only_their_outlet_staff(client, manager, two_outlets):
    mine, theirs = two_outlets
    client.force_login(manager.user)
    response = client.get(reverse("network:staff_list"))
    assert response.status_code == 200
    shown = {p.employee_number for p in response.context["page"]}
    assert shown == {manager.employee_number, *(p.employee_number for p in mine)}
    body = response.content.decode()
    assert all(p.employee_number not in body for p in theirs)


def test_manager_cannot_open_another_outlet_or_its_staff(
    client, manager, other_outlet, two_outlets
):
    _, theirs = two_outlets
    client.force_login(manager.user)
    assert client.get(reverse("network:outlet_detail", args=[other_outlet.code])).status_code == 404
    url = reverse("network:staff_detail", args=[theirs[0].employee_number])
    assert client.get(url).status_code == 404


def test_manager_cannot_export_another_outlet_staff(client, manager, other_outlet, two_outlets):
    client.force_login(manager.user)
    url = reverse("network:outlet_staff_export", args=[other_outlet.code])
    assert client.get(url).status_code == 404


def test_out_of_scope_and_missing_outlets_answer_the_same(client, manager, other_outlet):
    client.force_login(manager.user)
    hidden = client.get(reverse("network:outlet_detail", args=[other_outlet.code]))
    missing = client.get(reverse("network:outlet_detail", args=["NO-SUCH"]))
    assert hidden.status_code == missing.status_code == 404


def test_manager_export_contains_exactly_their_outlet(client, manager, partner_outlet, two_outlets):
    mine, theirs = two_outlets
    client.force_login(manager.user)
    response = client.get(reverse("network:outlet_staff_export", args=[partner_outlet.code]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = text.strip().splitlines()[1:]
    numbers = {row.split(",")[0] for row in rows}
    assert numbers == {manager.employee_number, *(p.employee_number for p in mine)}


def test_whole_network_export_of_a_manager_holds_only_their_outlet(client, manager, two_outlets):
    mine, theirs = two_outlets
    client.force_login(manager.user)
    text = b"".join(client.get(reverse("network:staff_export")).streaming_content).decode()
    assert all(p.employee_number in text for p in mine)
    assert all(p.employee_number not in text for p in theirs)


def test_partner_administrator_cannot_reach_another_company_outlet(
    client, partner_company, partner_outlet, other_outlet, two_outlets
):
    sister = OutletFactory(partner=True, partner_company=partner_company)
    admin = StaffFactory(role="partner_admin", outlet=None, partner_company=partner_company)
    client.force_login(admin.user)
    outlets = client.get(reverse("network:outlet_list")).context["page"]
    assert {o.code for o in outlets} == {partner_outlet.code, sister.code}
    assert client.get(reverse("network:outlet_detail", args=[sister.code])).status_code == 200
    assert client.get(reverse("network:outlet_detail", args=[other_outlet.code])).status_code == 404
    export = reverse("network:outlet_staff_export", args=[other_outlet.code])
    assert client.get(export).status_code == 404


def test_learner_sees_only_themselves(client, partner_outlet, two_outlets):
    mine, _ = two_outlets
    learner = mine[0]
    client.force_login(learner.user)
    page = client.get(reverse("network:staff_list")).context["page"]
    assert [p.employee_number for p in page] == [learner.employee_number]
    colleague = reverse("network:staff_detail", args=[mine[1].employee_number])
    assert client.get(colleague).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, partner_outlet):
    response = client.get(reverse("network:outlet_detail", args=[partner_outlet.code]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_detail_shows_the_history_of_a_moved_person(client, auditor, partner_outlet):
    from network.services import staff_move

    person = StaffFactory(outlet=partner_outlet)
    target = OutletFactory(name="岳阳巴陵路网点")
    staff_move(staff=person, outlet=target, role="senior_technician", actor=auditor.user)
    client.force_login(auditor.user)
    response = client.get(reverse("network:staff_detail", args=[person.employee_number]))
    history = list(response.context["history"])
    assert [(a.outlet_id, a.role, a.ended_on is None) for a in history] == [
        (target.pk, "senior_technician", True),
        (partner_outlet.pk, "technician", False),
    ]
    assert "岳阳巴陵路网点" in response.content.decode()


def _staff_list_queries(client, django_assert_num_queries, user, count, outlet):
    StaffFactory.create_batch(count, outlet=outlet)
    client.force_login(user)
    with django_assert_num_queries(7):
        response = client.get(reverse("network:staff_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_staff_list_queries_do_not_grow_with_rows(
    client, django_assert_num_queries, auditor, partner_outlet, count
):
    _staff_list_queries(client, django_assert_num_queries, auditor.user, count, partner_outlet)


@pytest.mark.parametrize("count", [1, 40])
def test_outlet_list_and_detail_queries_do_not_grow_with_rows(
    client, django_assert_num_queries, auditor, count
):
    outlets = [OutletFactory(partner=True) for _ in range(count)]
    for outlet in outlets[:5]:
        StaffFactory.create_batch(3, outlet=outlet)
    client.force_login(auditor.user)
    with django_assert_num_queries(7):
        assert client.get(reverse("network:outlet_list")).status_code == 200
    with django_assert_num_queries(8):
        detail = client.get(reverse("network:outlet_detail", args=[outlets[0].code]))
    assert detail.status_code == 200


def test_pages_render_in_chinese(client, manager):
    client.force_login(manager.user)
    response = client.get(reverse("network:staff_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"

import pytest
from django.urls import reverse

from courses.models import Enrollment
from courses.services import enrollment_sync
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracks():
    course = course_page(lessons=2)
    return {
        "tech": track_page(roles=["technician"], courses=[course], title="维修技术员入职培训"),
        "extra": track_page(roles=["senior_technician"], courses=[course], title="高级技术员认证"),
    }


@pytest.fixture
def team(partner_outlet, tracks):
    people = StaffFactory.create_batch(3, role="technician", outlet=partner_outlet)
    enrollment_sync(staff_ids=[p.pk for p in people])
    return people


def test_manager_sees_each_of_their_people_with_tracks_and_progress(client, manager, team):
    client.force_login(manager.user)
    response = client.get(reverse("courses:outlet_training", args=[manager.outlet.code]))
    assert response.status_code == 200
    rows = {person.employee_number: items for person, items in response.context["team"]}
    assert set(rows) == {manager.employee_number, *(p.employee_number for p in team)}
    assert [i.enrollment.track.title for i in rows[team[0].employee_number]] == [
        "维修技术员入职培训"
    ]


def test_manager_gets_404_for_another_outlets_training(client, manager, other_outlet):
    client.force_login(manager.user)
    url = reverse("courses:outlet_training", args=[other_outlet.code])
    assert client.get(url).status_code == 404


def test_my_team_sends_a_manager_to_their_outlet(client, manager):
    client.force_login(manager.user)
    response = client.get(reverse("courses:my_team"))
    assert response["Location"] == reverse("courses:outlet_training", args=[manager.outlet.code])


def test_manager_assigns_a_track_to_one_person(client, manager, team, tracks):
    client.force_login(manager.user)
    url = reverse("courses:assign", args=[manager.outlet.code])
    response = client.post(
        url, {"track": tracks["extra"].pk, "employee_number": team[0].employee_number}
    )
    assert response.status_code == 302
    manual = Enrollment.objects.get(source=Enrollment.Source.MANUAL)
    assert (manual.staff_id, manual.track_id, manual.assigned_by_id) == (
        team[0].pk,
        tracks["extra"].pk,
        manager.user.pk,
    )


def test_manager_assigns_a_track_to_the_whole_outlet(client, manager, team, tracks):
    client.force_login(manager.user)
    url = reverse("courses:assign", args=[manager.outlet.code])
    client.post(url, {"track": tracks["extra"].pk, "employee_number": ""})
    assigned = set(
        Enrollment.objects.filter(track=tracks["extra"]).values_list("staff_id", flat=True)
    )
    assert assigned == {manager.pk, *(p.pk for p in team)}


def test_assigning_someone_from_another_outlet_is_refused(client, manager, other_outlet, tracks):
    stranger = StaffFactory(outlet=other_outlet)
    client.force_login(manager.user)
    url = reverse("courses:assign", args=[manager.outlet.code])
    response = client.post(
        url, {"track": tracks["extra"].pk, "employee_number": stranger.employee_number}
    )
    assert response.status_code == 200
    assert "Nobody with this employee number works here." in response.content.decode()
    assert not Enrollment.objects.filter(track=tracks["extra"]).exists()


def test_learner_may_not_assign(client, team, tracks):
    client.force_login(team[0].user)
    url = reverse("courses:assign", args=[team[0].outlet.code])
    assert client.post(url, {"track": tracks["extra"].pk}).status_code == 403
    assert not Enrollment.objects.filter(track=tracks["extra"]).exists()


def test_manager_withdraws_a_track_with_a_reason_and_history_stays(client, manager, team):
    enrollment = Enrollment.objects.filter(staff=team[0]).get()
    client.force_login(manager.user)
    client.post(reverse("courses:withdraw", args=[enrollment.pk]), {"reason": "调岗到前台"})
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.withdrawal_reason, enrollment.withdrawn_by_id) == (
        Enrollment.Status.WITHDRAWN,
        "调岗到前台",
        manager.user.pk,
    )


def test_withdraw_without_a_reason_changes_nothing(client, manager, team):
    enrollment = Enrollment.objects.filter(staff=team[0]).get()
    client.force_login(manager.user)
    client.post(reverse("courses:withdraw", args=[enrollment.pk]), {"reason": ""})
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_manager_cannot_withdraw_another_outlets_enrolment(client, manager, other_outlet, tracks):
    stranger = StaffFactory(role="technician", outlet=other_outlet)
    enrollment_sync(staff_ids=[stranger.pk])
    enrollment = Enrollment.objects.get(staff=stranger)
    client.force_login(manager.user)
    response = client.post(reverse("courses:withdraw", args=[enrollment.pk]), {"reason": "x"})
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


@pytest.mark.parametrize("size", [2, 20])
def test_outlet_training_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, manager, tracks, size
):
    people = StaffFactory.create_batch(size, role="technician", outlet=manager.outlet)
    enrollment_sync(staff_ids=[p.pk for p in people])
    client.force_login(manager.user)
    with django_assert_num_queries(12):
        response = client.get(reverse("courses:outlet_training", args=[manager.outlet.code]))
    assert len(response.context["team"]) == size + 1

"""A person's record: training, exams, practicals, certificates and sign-in, for those in scope."""

import pytest
from django.test import TestCase
from django.urls import reverse

from certificates.services.issuance import certificate_issue
from courses.services import enrollment_sync
from network.services import staff_assignment_sync
from tests.factories.certificates import certified_track, earned, exam_result
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


def _record(client, viewer, person):
    staff_assignment_sync(staff=viewer)
    client.force_login(viewer.user)
    return client.get(reverse("network:staff_detail", args=[person.employee_number]))


def _certified(learner, senior, **track_fields):
    track = certified_track(roles=["technician"], **track_fields)
    enrollment_sync(staff_ids=[learner.pk])
    earned(staff=learner, assessor=senior, track=track)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_issue(staff_id=learner.pk, track_id=track.pk)
    return track, certificate


def test_the_record_shows_training_exams_practicals_and_certificates(
    client, learner, senior, manager
):
    track, certificate = _certified(learner, senior, title="维修技术员上岗认证")

    html = _record(client, manager, learner).content.decode()

    for section in ('id="training"', 'id="exams"', 'id="practicals"', 'id="certificates"'):
        assert section in html
    assert "维修技术员上岗认证" in html
    assert "92.50%" in html  # the exam result, in plain decimal
    assert senior.name in html  # the practical's assessor
    assert certificate.serial in html
    assert f"/verify/{certificate.code}/" in html
    assert f"/certificates/desk/{certificate.serial}/" in html  # the manager uses the desk
    assert "Has not signed in yet" in html


def test_the_person_sees_their_own_record_without_desk_links(client, learner, senior):
    _track, certificate = _certified(learner, senior)
    response = _record(client, learner, learner)
    html = response.content.decode()
    assert response.status_code == 200
    assert certificate.serial in html
    assert "/certificates/desk/" not in html


def test_a_colleague_and_another_outlets_manager_get_404(client, learner, senior, other_outlet):
    assert _record(client, senior, learner).status_code == 404
    other_manager = StaffFactory(role="outlet_manager", outlet=other_outlet)
    assert _record(client, other_manager, learner).status_code == 404


def test_every_list_of_people_links_to_the_record(client, learner, manager):
    staff_assignment_sync(staff=manager)
    client.force_login(manager.user)
    url = reverse("network:staff_detail", args=[learner.employee_number])
    assert url in client.get(reverse("network:staff_list")).content.decode()
    outlet = reverse("courses:outlet_training", args=[learner.outlet.code])
    assert url in client.get(outlet).content.decode()
    report = reverse("compliance:outlet", args=[learner.outlet.code])
    assert url in client.get(report).content.decode()


@pytest.mark.parametrize("tracks", [1, 4])
def test_the_record_runs_a_fixed_number_of_queries(
    client, learner, senior, auditor, tracks, django_assert_num_queries
):
    for index in range(tracks):
        track, _certificate = _certified(learner, senior, title=f"认证{index}")
        exam_result(staff=learner, track=track, percent="40.00", passed=False)
    _record(client, auditor, learner)
    with django_assert_num_queries(23):
        response = client.get(reverse("network:staff_detail", args=[learner.employee_number]))
    assert response.content.decode().count("/verify/") == tracks

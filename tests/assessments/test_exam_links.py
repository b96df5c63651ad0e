import pytest
from django.urls import reverse

from courses.services import enrollment_sync
from tests.factories import assessments as af
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_and_exams(partner_outlet):
    course = course_page(lessons=1)
    track = track_page(roles=["technician"], courses=[course])
    bank = af.category()
    for _ in range(3):
        af.question(category=bank)
    course_exam = af.assessment(course=course, rules=[(bank, 2)])
    track_exam = af.assessment(track=track, rules=[(bank, 3)])
    person = StaffFactory(role="technician", outlet=partner_outlet)
    enrollment_sync(staff_ids=[person.pk])
    return person, course, track, course_exam, track_exam


def test_course_page_links_its_exam_for_an_enrolled_learner(client, learner_and_exams):
    person, course, _, course_exam, _ = learner_and_exams
    client.force_login(person.user)
    body = client.get(course.url).content.decode()
    assert reverse("assessments:exam", args=[course_exam.pk]) in body


def test_track_page_links_the_certification_exam_for_an_enrolled_learner(client, learner_and_exams):
    person, _, track, _, track_exam = learner_and_exams
    client.force_login(person.user)
    body = client.get(track.url).content.decode()
    assert reverse("assessments:exam", args=[track_exam.pk]) in body


def test_pages_offer_no_exam_to_someone_not_enrolled(client, learner_and_exams, other_outlet):
    _, course, track, course_exam, track_exam = learner_and_exams
    stranger = StaffFactory(role="front_desk", outlet=other_outlet)
    client.force_login(stranger.user)
    assert (
        reverse("assessments:exam", args=[course_exam.pk])
        not in client.get(course.url).content.decode()
    )
    assert (
        reverse("assessments:exam", args=[track_exam.pk])
        not in client.get(track.url).content.decode()
    )

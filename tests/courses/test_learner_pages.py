import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseProgress, Enrollment, LessonCompletion
from courses.services import enrollment_sync
from tests.factories.courses import course_page, lesson_page, track_page
from tests.factories.network import OutletFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    etiquette = course_page(title="服务礼仪与规范用语", title_en="Service etiquette", lessons=0)
    greet = lesson_page(
        course=etiquette,
        title="迎宾用语",
        title_en="Greeting customers",
        body=[("text", {"text": "<p>您好，欢迎光临。</p>", "text_en": "<p>Hello, welcome.</p>"})],
    )
    farewell = lesson_page(course=etiquette, title="送别用语", body=[("text", "<p>慢走。</p>")])
    esd = course_page(title="防静电拆机规范", title_en="ESD-safe disassembly", lessons=1)
    front = track_page(roles=["front_desk"], courses=[etiquette], title="前台接待入职培训")
    tech = track_page(roles=["technician"], courses=[esd], title="维修技术员入职培训")
    return {
        "etiquette": etiquette,
        "greet": greet,
        "farewell": farewell,
        "esd": esd,
        "front": front,
        "tech": tech,
    }


@pytest.fixture
def front_desk(partner_outlet, catalog):
    person = StaffFactory(role="front_desk", outlet=partner_outlet)
    enrollment_sync(staff_ids=[person.pk])
    return person


def test_enrolled_learner_reads_a_lesson_in_chinese_and_in_english(client, front_desk, catalog):
    client.force_login(front_desk.user)
    chinese = client.get(catalog["greet"].url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200
    assert "您好，欢迎光临。" in chinese.content.decode()
    english = client.get(catalog["greet"].url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Hello, welcome." in english.content.decode()
    assert "Greeting customers" in english.content.decode()


def test_learner_gets_404_for_a_lesson_of_a_track_that_is_not_theirs(client, front_desk, catalog):
    client.force_login(front_desk.user)
    lesson = catalog["esd"].get_children().first()
    response = client.get(lesson.url)
    assert response.status_code == 404
    assert (
        not CourseProgress.objects.filter(staff=front_desk)
        .exclude(course=catalog["etiquette"])
        .exists()
    )


def test_anonymous_visitor_is_sent_to_sign_in_and_never_sees_the_body(client, catalog):
    response = client.get(catalog["greet"].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "您好" not in response.content.decode()


def test_withdrawn_learner_can_no_longer_read_lessons(client, front_desk, catalog):
    Enrollment.objects.filter(staff=front_desk).update(
        status=Enrollment.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    client.force_login(front_desk.user)
    assert client.get(catalog["greet"].url).status_code == 404


@pytest.mark.parametrize("role", ["trainer", "auditor"])
def test_trainers_and_auditors_read_every_lesson_without_progress(client, catalog, role):
    person = StaffFactory(role=role, outlet=None)
    client.force_login(person.user)
    response = client.get(catalog["greet"].url)
    assert response.status_code == 200
    assert "Mark complete" not in response.content.decode()
    assert not CourseProgress.objects.exists()


def test_continue_leads_to_the_first_unfinished_lesson_and_disappears_when_done(
    client, front_desk, catalog
):
    client.force_login(front_desk.user)
    client.get(catalog["farewell"].url)
    assert CourseProgress.objects.get(staff=front_desk).last_lesson_id == catalog["farewell"].pk
    page = client.get(catalog["etiquette"].url)
    # The second lesson was opened, but the first is not done: it is where to go on.
    assert page.context["resume"].pk == catalog["greet"].pk
    assert "Start: " in page.content.decode()

    client.post(reverse("courses:lesson_complete", args=[catalog["greet"].pk]))
    page = client.get(catalog["etiquette"].url)
    assert page.context["resume"].pk == catalog["farewell"].pk
    assert f'href="{catalog["farewell"].url}"' in page.content.decode()
    assert "Continue: " in page.content.decode()

    client.post(reverse("courses:lesson_complete", args=[catalog["farewell"].pk]))
    page = client.get(catalog["etiquette"].url)
    assert page.context["resume"] is None
    assert "Continue" not in page.content.decode()


def test_marking_a_lesson_complete_records_it_and_moves_to_the_next(client, front_desk, catalog):
    client.force_login(front_desk.user)
    url = reverse("courses:lesson_complete", args=[catalog["greet"].pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == catalog["farewell"].url
    completion = LessonCompletion.objects.get(staff=front_desk)
    assert completion.lesson_id == catalog["greet"].pk
    assert completion.revision_id == catalog["greet"].live_revision_id


def test_completing_the_last_lesson_completes_course_and_track(client, front_desk, catalog):
    client.force_login(front_desk.user)
    for lesson in (catalog["greet"], catalog["farewell"]):
        client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    progress = CourseProgress.objects.get(staff=front_desk, course=catalog["etiquette"])
    assert progress.completed_at is not None
    assert Enrollment.objects.get(staff=front_desk).completed_at is not None
    page = client.get(reverse("courses:my_training")).content.decode()
    assert "2 of 2 lessons" in page


def test_completing_a_lesson_outside_ones_tracks_is_refused(client, front_desk, catalog):
    client.force_login(front_desk.user)
    lesson = catalog["esd"].get_children().first()
    response = client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_completing_needs_a_post(client, front_desk, catalog):
    client.force_login(front_desk.user)
    url = reverse("courses:lesson_complete", args=[catalog["greet"].pk])
    assert client.get(url).status_code == 405
    assert not LessonCompletion.objects.exists()


def test_my_training_shows_due_dates_overdue_flags_and_progress(client, front_desk, catalog):
    Enrollment.objects.filter(staff=front_desk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() - datetime.timedelta(days=31),
    )
    client.force_login(front_desk.user)
    client.post(reverse("courses:lesson_complete", args=[catalog["greet"].pk]))
    response = client.get(reverse("courses:my_training"))
    (item,) = response.context["progress"]
    assert (item.lessons_done, item.lessons_total, item.percent, item.overdue) == (1, 2, 50, True)
    body = response.content.decode()
    assert "Overdue" in body
    assert "前台接待入职培训" in body


def test_catalog_shows_only_what_the_role_may_take(client, front_desk, catalog):
    client.force_login(front_desk.user)
    response = client.get("/")
    titles = {t.title for t in response.context["catalog"].tracks}
    assert titles == {"前台接待入职培训"}
    assert {c.title for c in response.context["catalog"].courses} == {"服务礼仪与规范用语"}


def test_catalog_search_finds_courses_the_role_may_take_and_no_others(client, front_desk, catalog):
    client.force_login(front_desk.user)
    found = client.get("/", {"q": "礼仪"}).context["catalog"]
    assert [c.title for c in found.courses] == ["服务礼仪与规范用语"]
    hidden = client.get("/", {"q": "防静电"}).context["catalog"]
    assert hidden.courses == []


@pytest.mark.parametrize("query", ['"', '"礼仪', "礼仪 OR", "NEAR(", "*", "礼仪)"])
def test_search_syntax_in_the_catalog_query_is_plain_text(client, front_desk, catalog, query):
    client.force_login(front_desk.user)

    response = client.get("/", {"q": query})

    assert response.status_code == 200
    if "礼仪" in query and query.startswith('"'):
        assert [c.title for c in response.context["catalog"].courses] == ["服务礼仪与规范用语"]


def test_partner_only_track_is_in_the_catalog_of_partner_technicians_only(client, catalog):
    course = course_page(title="合作网点技术员认证课程", lessons=1)
    track_page(
        roles=["technician"], ownership="partner", courses=[course], title="合作网点技术员认证"
    )
    partner_tech = StaffFactory(role="technician", outlet=OutletFactory(partner=True))
    brand_tech = StaffFactory(role="technician", outlet=OutletFactory())
    client.force_login(partner_tech.user)
    partner_titles = {t.title for t in client.get("/").context["catalog"].tracks}
    client.force_login(brand_tech.user)
    brand_titles = {t.title for t in client.get("/").context["catalog"].tracks}
    assert partner_titles == {"维修技术员入职培训", "合作网点技术员认证"}
    assert brand_titles == {"维修技术员入职培训"}


def _learner_with(tracks: int, lessons_done: int, outlet):
    person = StaffFactory(role="technician", outlet=outlet)
    per_course = max(1, lessons_done // tracks)
    for _ in range(tracks):
        course = course_page(lessons=per_course)
        track_page(roles=["technician"], courses=[course])
        for lesson in course.get_children().live().specific():
            LessonCompletion.objects.create(staff=person, lesson=lesson)
    enrollment_sync(staff_ids=[person.pk])
    return person


@pytest.mark.parametrize(("tracks", "lessons"), [(1, 1), (10, 200)])
def test_my_training_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, partner_outlet, tracks, lessons, warm_site_roots
):
    person = _learner_with(tracks, lessons, partner_outlet)
    client.force_login(person.user)
    warm_site_roots()
    # One of these asks for the person's policy updates (none here), which only certificates
    # knows of.
    with django_assert_num_queries(13):
        response = client.get(reverse("courses:my_training"))
    assert len(response.context["progress"]) == tracks
    assert sum(p.lessons_done for p in response.context["progress"]) == lessons


@pytest.mark.parametrize("lessons", [1, 20])
def test_course_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, partner_outlet, lessons, warm_site_roots
):
    person = StaffFactory(role="technician", outlet=partner_outlet)
    course = course_page(lessons=lessons)
    track_page(roles=["technician"], courses=[course])
    enrollment_sync(staff_ids=[person.pk])
    for lesson in course.get_children().live().specific():
        LessonCompletion.objects.create(staff=person, lesson=lesson)
    client.force_login(person.user)
    url = course.url
    warm_site_roots()
    # Wagtail routing and auth take 12 of these; the course exam and its result 2.
    with django_assert_num_queries(17):
        response = client.get(url)
    assert len(response.context["done"]) == lessons

import datetime
import json
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.models import (
    CoursePage,
    CourseProgress,
    Enrollment,
    HomePage,
    LessonCompletion,
    LessonPage,
    TrackCourse,
    TrackPage,
    TrackTarget,
)
from demo.demo_content import LESSONS_DIR
from demo.demo_courses import SENIOR_TRAINER_ROW
from demo.demo_network import DEMO_PASSWORD
from network.imports import staff_rows_check
from network.models import Role, Staff

# One seed for the whole folder (see `seeded`): these tests only read what it wrote.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

User = get_user_model()

TRACK_COURSES = {
    "front-desk-onboarding": [
        "service-etiquette",
        "counter-warranty-policy",
        "intake-and-diagnosis",
    ],
    "technician-onboarding": [
        "intake-and-diagnosis",
        "esd-safe-disassembly",
        "battery-safety",
        "genuine-parts-policy",
    ],
    "partner-technician-certification": [
        "genuine-parts-policy",
        "partner-outlet-compliance",
        "counter-warranty-policy",
    ],
    "senior-technician-certification": [
        "esd-safe-disassembly",
        "battery-safety",
        "board-level-repair",
        "practical-assessment",
    ],
    "outlet-manager-training": [
        "counter-warranty-policy",
        "genuine-parts-policy",
        "outlet-quality-management",
        "team-certification",
    ],
    # No role targets it: the quality department's corrective training rules assign it.
    "warranty-refresher": ["counter-warranty-policy", "genuine-parts-policy"],
}


def _staff(username):
    return Staff.objects.select_related("user").get(user__username=username)


def test_seed_publishes_a_track_for_every_role_and_for_partner_technicians():
    home = HomePage.objects.get()
    tracks = TrackPage.objects.child_of(home)
    assert all(track.live and not track.has_unpublished_changes for track in tracks)
    assert set(TrackTarget.objects.values_list("track__slug", "role", "ownership")) == {
        ("front-desk-onboarding", Role.FRONT_DESK, ""),
        ("technician-onboarding", Role.TECHNICIAN, ""),
        ("partner-technician-certification", Role.TECHNICIAN, "partner"),
        ("senior-technician-certification", Role.SENIOR_TECHNICIAN, ""),
        ("outlet-manager-training", Role.OUTLET_MANAGER, ""),
    }
    courses = {
        track.slug: list(
            TrackCourse.objects.filter(track=track)
            .order_by("sort_order")
            .values_list("course__slug", flat=True)
        )
        for track in tracks
    }
    assert courses == TRACK_COURSES
    for track in tracks:
        assert 14 <= track.onboarding_days <= 45
        assert 12 <= track.validity_months <= 24
        assert track.certificate_name and track.certificate_name_en


def test_partner_technician_certification_is_renewed_yearly_and_onboarding_in_two_weeks():
    assert TrackPage.objects.get(slug="partner-technician-certification").validity_months == 12
    assert TrackPage.objects.get(slug="front-desk-onboarding").onboarding_days == 14


def test_every_page_has_an_english_title_and_every_lesson_a_body_in_both_languages():
    assert TrackPage.objects.count() == 6
    assert CoursePage.objects.count() == 11
    assert LessonPage.objects.count() == 29
    pages = [
        HomePage.objects.get(),
        *TrackPage.objects.all(),
        *CoursePage.objects.all(),
        *LessonPage.objects.all(),
    ]
    for page in pages:
        assert page.title_en, page.slug
        assert page.live, page.slug
    for page in [*TrackPage.objects.all(), *CoursePage.objects.all()]:
        assert page.summary and page.summary_en, page.slug
    for course in CoursePage.objects.all():
        assert 2 <= LessonPage.objects.child_of(course).count() <= 4, course.slug
    for lesson in LessonPage.objects.all():
        assert len(lesson.body) > 0, lesson.slug
        # Each block carries its English beside the Chinese.
        assert len(lesson.body_en) == 0, lesson.slug
        for block in lesson.body:
            english = {k: v for k, v in block.value.items() if k.endswith("_en")}
            assert any(english.values()), (lesson.slug, block.block_type)


def test_lesson_bodies_are_the_blocks_of_the_course_data_files():
    _blocks = {"text": "text", "picture": "image", "procedure": "procedure"}
    _blocks |= {"clause": "policy_clause", "download": "download"}
    files = sorted(LESSONS_DIR.glob("*.json"))
    lessons = {page.slug: page for page in LessonPage.objects.all()}

    assert [f.stem for f in files] == sorted(CoursePage.objects.values_list("slug", flat=True))
    for path in files:
        for slug, data in json.loads(path.read_text(encoding="utf-8")).items():
            page = lessons[slug]
            for field, text in (("body", "text"), ("body_en", "text_en")):
                assert [b.block_type for b in page.body] == [
                    _blocks[block["type"]] for block in data[field]
                ], (slug, field)
                assert [str(b.value[text]) for b in page.body if b.block_type == "text"] == [
                    block["html"] for block in data[field] if block["type"] == "text"
                ], (slug, field)


def test_prerequisites_are_in_the_same_tracks_and_come_first():
    assert {
        c.slug: sorted(c.prerequisites.values_list("slug", flat=True))
        for c in CoursePage.objects.all()
        if c.prerequisites.exists()
    } == {
        "battery-safety": ["esd-safe-disassembly"],
        "partner-outlet-compliance": ["genuine-parts-policy"],
        "board-level-repair": ["battery-safety"],
        "practical-assessment": ["esd-safe-disassembly"],
        "outlet-quality-management": ["counter-warranty-policy"],
    }
    for slug, courses in TRACK_COURSES.items():
        for position, course_slug in enumerate(courses):
            course = CoursePage.objects.get(slug=course_slug)
            for prerequisite in course.prerequisites.values_list("slug", flat=True):
                assert prerequisite in courses[:position], (slug, course_slug)


def test_lessons_use_every_block_type_but_video():
    blocks = [b for lesson in LessonPage.objects.all() for b in lesson.body]
    kinds = Counter(b.block_type for b in blocks)
    assert set(kinds) == {"text", "image", "download", "procedure", "policy_clause"}
    steps = [step for b in blocks if b.block_type == "procedure" for step in b.value["steps"]]
    assert any(step["warning"] for step in steps)
    assert any(step["image"] for step in steps)
    assert any("佩戴防静电手环并确认接地" in step["warning"] for step in steps)
    assert any("鼓包电池不得加热" in step["warning"] for step in steps)
    clauses = [b.value for b in blocks if b.block_type == "policy_clause"]
    assert all(c["source"] and c["effective_date"] and c["note"] for c in clauses)
    mobile = [c for c in clauses if "移动电话机商品修理更换退货责任规定" in c["source"]]
    # The exchange clause the policy change demo revised took effect a week ago.
    revised = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert {c["effective_date"].isoformat() for c in mobile} == {"2001-11-15", revised}


def test_downloads_are_pdf_documents_and_images_are_png_diagrams():
    documents = get_document_model().objects.all()
    assert documents.count() == 4
    for document in documents:
        with document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert document.file_extension == "pdf"
    images = get_image_model().objects.all()
    assert images.count() == 10
    for image in images:
        assert (image.width, image.height) == (800, 450)
        with image.file.open("rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
        assert image.file_hash


def test_pages_are_written_by_the_trainer_and_published_by_the_senior_trainer():
    lesson = LessonPage.objects.get(slug="phone-disassembly")
    assert lesson.owner.username == "trainer"
    assert lesson.live_revision.user.username == "trainer"
    assert lesson.live_revision_id == lesson.latest_revision_id
    assert lesson.has_unpublished_changes is False


def test_demo_technician_is_enrolled_by_role_and_part_way_through_onboarding():
    technician = _staff("technician")
    assert set(
        Enrollment.objects.active().filter(staff=technician).values_list("track__slug", flat=True)
    ) == {"technician-onboarding", "partner-technician-certification", "warranty-refresher"}
    # The refresher is corrective training: the quality rules assigned it to the counter staff
    # of the outlet whose customers say the warranty terms were not explained (demo_quality_rules).
    assert Enrollment.objects.get(staff=technician, track__slug="warranty-refresher").source == (
        "corrective"
    )
    # Besides onboarding, the technician finished the partner certification's courses and holds
    # its certificate (the certificates seed).
    assert set(
        LessonCompletion.objects.filter(staff=technician).values_list("lesson__slug", flat=True)
    ) == {
        "intake-inspection",
        "fault-diagnosis",
        "final-check-and-handover",
        "why-esd-matters",
        "kinds-of-parts",
        "consent-and-traceability",
        "authorisation-duties",
        "audits-and-corrective-action",
        "refund-exchange-repair",
        "laptops-and-accessories",
        "exclusions-and-fees",
    }
    assert set(
        CourseProgress.objects.filter(staff=technician, completed_at__isnull=False).values_list(
            "course__slug", flat=True
        )
    ) == {
        "intake-and-diagnosis",
        "genuine-parts-policy",
        "partner-outlet-compliance",
        "counter-warranty-policy",
    }
    assert not Enrollment.objects.filter(
        staff=technician, track__slug="technician-onboarding", completed_at__isnull=False
    ).exists()


def test_demo_front_desk_has_completed_a_course_and_the_manager_is_enrolled():
    frontdesk = _staff("frontdesk")
    assert set(
        Enrollment.objects.active().filter(staff=frontdesk).values_list("track__slug", flat=True)
    ) == {"front-desk-onboarding", "warranty-refresher"}
    progress = CourseProgress.objects.get(staff=frontdesk, course__slug="service-etiquette")
    assert progress.completed_at is not None
    assert LessonCompletion.objects.filter(staff=frontdesk).count() == 3
    # The manager's own track, and the front desk track compliance requires him to hold.
    assert set(
        Enrollment.objects.active()
        .filter(staff=_staff("manager"))
        .values_list("track__slug", flat=True)
    ) == {"outlet-manager-training", "front-desk-onboarding"}


def test_every_active_person_in_a_targeted_role_is_enrolled():
    targeted = Staff.objects.filter(
        is_active=True,
        role__in=[
            Role.FRONT_DESK,
            Role.TECHNICIAN,
            Role.SENIOR_TECHNICIAN,
            Role.OUTLET_MANAGER,
        ],
    )
    enrolled = Enrollment.objects.active().values_list("staff_id", flat=True).distinct()
    assert set(targeted.values_list("pk", flat=True)) == set(enrolled)


def test_senior_trainer_signs_in_as_a_trainer_in_the_senior_trainers_group():
    user = authenticate(username="seniortrainer", password=DEMO_PASSWORD)

    assert user is not None
    assert user.staff.role == Role.TRAINER
    assert user.staff.outlet is None
    assert user.staff.employee_number == "BR10199"
    assert set(user.groups.values_list("name", flat=True)) == {"Trainers", "Senior trainers"}
    assert user.has_perm("wagtailadmin.access_admin") is True


def test_senior_trainer_row_passes_the_import_file_checks_unchanged():
    table = [{"_row": 2, **{k: v for k, v in SENIOR_TRAINER_ROW.items() if k != "row"}}]

    assert staff_rows_check(table) == ([SENIOR_TRAINER_ROW], [])


def test_catalog_pages_render_for_the_demo_technician(client):
    client.force_login(User.objects.get(username="technician"))
    track = TrackPage.objects.get(slug="technician-onboarding")
    course = CoursePage.objects.get(slug="intake-and-diagnosis")
    lesson = LessonPage.objects.get(slug="intake-inspection")

    for page in (HomePage.objects.get(), track, course):
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
        assert response.status_code == 200, page.url
    assert "接机与故障诊断" in client.get(track.url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    chinese = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese.status_code == 200
    html = chinese.content.decode()
    assert "接机是三包纠纷最常见的源头" in html
    assert "疑似进水的设备不要开机、不要充电" in html
    assert "《中华人民共和国个人信息保护法》第十条" in html
    assert "<img" in html

    english = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    html = english.content.decode()
    assert "Intake is where most three-guarantees disputes begin" in html
    assert "Intake inspection and the repair order" in html
    assert "接机是三包纠纷最常见的源头" not in html


def test_lesson_with_a_download_links_the_pdf(client):
    client.force_login(User.objects.get(username="technician"))
    lesson = LessonPage.objects.get(slug="workstation-daily-check")

    response = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert response.status_code == 200
    document = get_document_model().objects.get(title__startswith="防静电工位日检记录表")
    assert document.url in response.content.decode()

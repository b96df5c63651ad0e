"""
Readable slugs for Chinese titles, and a draft left behind that never blocks the next page
with its title.
"""

import pytest
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from core.i18n import readable_slug
from courses.models import CoursePage, LessonPage
from network.services import staff_assignment_sync
from tests.factories.courses import course_page, home, lesson_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

TITLE = "三包期内的接待"
PINYIN = "san-bao-qi-nei-de-jie-dai"


@pytest.fixture
def trainer():
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    return staff.user


@pytest.fixture
def chinese_trainer(trainer):
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "zh-hans"
    profile.save()
    return trainer


@pytest.fixture
def course():
    return course_page(title="三包政策与接待流程", lessons=0)


def _lesson_form(*, title=TITLE, slug="", action="action-submit"):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "title_en": "",
            "estimated_minutes": "15",
            "body": streamfield(
                [
                    (
                        "text",
                        {
                            "text": rich_text("<p>先核对购机凭证和三包有效期。</p>"),
                            "text_en": rich_text(""),
                        },
                    )
                ]
            ),
            "body_en": streamfield([]),
            "comments": inline_formset([]),
            action: "Go",
        }
    )


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, PINYIN),
        ("iPhone 15 屏幕更换：重新校准", "iphone-15-ping-mu-geng-huan-chong-xin-jiao-zhun"),
        ("Battery safety", "battery-safety"),
        ("長沙網點", "zhang-sha-wang-dian"),
    ],
)
def test_readable_slug_spells_chinese_in_pinyin(title, slug):
    assert readable_slug(title) == slug


def test_readable_slug_of_a_title_without_letters_is_a_short_stable_id():
    assert readable_slug("★★★") == readable_slug("★★★")
    assert readable_slug("★★★").startswith("page-")
    assert len(readable_slug("★★★")) == len("page-") + 8
    assert readable_slug("★★★") != readable_slug("☆☆☆")


def test_readable_slug_is_cut_at_a_word_under_80_characters():
    slug = readable_slug("防静电拆机" * 20)
    assert len(slug) <= 80
    assert slug.endswith(("fang", "jing", "dian", "chai", "ji"))


def test_trainer_leaving_the_slug_empty_gets_the_pinyin_of_the_title(client, trainer, course):
    client.force_login(trainer)

    response = client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", _lesson_form())

    assert response.status_code == 302
    lesson = LessonPage.objects.get(title=TITLE)
    assert lesson.slug == PINYIN
    assert lesson.url == f"/{course.slug}/{PINYIN}/"


def test_page_saved_in_code_with_a_chinese_slug_gets_pinyin():
    course = CoursePage(title="电池安全", slug="电池安全", summary="简介", estimated_minutes=20)
    home().add_child(instance=course)

    assert Page.objects.get(pk=course.pk).slug == "dian-chi-an-quan"


def test_page_saved_in_code_without_a_slug_gets_the_next_free_pinyin(course):
    course.add_child(instance=LessonPage(title=TITLE, slug=PINYIN, body=[("text", "<p>一</p>")]))
    lesson = LessonPage(title=TITLE, body=[("text", "<p>二</p>")])
    course.add_child(instance=lesson)

    assert lesson.slug == f"{PINYIN}-2"


def test_page_editor_loads_the_slug_script_and_keeps_slugs_ascii(client, trainer, course):
    client.force_login(trainer)

    page = client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").content.decode()

    assert (
        '<script src="/static/courses/readable-slug.js" data-slug-url="/admin/courses/slug/">'
        "</script>"
    ) in page
    assert 'name="slug"' in page
    assert "data-w-slug-allow-unicode-value" not in page  # off: the slug is ASCII


def test_slug_preview_answers_the_pinyin_to_the_editor(client, trainer):
    client.force_login(trainer)

    response = client.get("/admin/courses/slug/", {"title": TITLE})

    assert response.status_code == 200
    assert response.json() == {"slug": PINYIN}


def test_slug_preview_is_for_the_admin_only(client, manager):
    client.force_login(manager.user)

    response = client.get("/admin/courses/slug/", {"title": TITLE})

    assert response.status_code == 302


def test_draft_left_behind_does_not_block_a_new_lesson_with_its_title(
    client, chinese_trainer, course
):
    client.force_login(chinese_trainer)
    url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    assert client.post(url, _lesson_form(action="action-save")).status_code == 302  # the draft

    # The editor fills the same slug from the same title.
    response = client.post(url, _lesson_form(slug=PINYIN))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(LessonPage.objects.values_list("slug", "live")) == [
        (PINYIN, False),
        (f"{PINYIN}-2", False),
    ]


def test_editing_a_page_onto_a_drafts_slug_is_refused_in_the_trainers_language(
    client, chinese_trainer, course
):
    draft = LessonPage(title=TITLE, slug=PINYIN, body=[("text", "<p>草稿</p>")], live=False)
    course.add_child(instance=draft)
    lesson = lesson_page(course=course, title="旧标题")
    client.force_login(chinese_trainer)

    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/", _lesson_form(slug=PINYIN, action="action-save")
    )

    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("zh-hans"):
        message = translation.gettext(
            "Another page here, perhaps an unpublished draft, already uses the slug "
            "“%(slug)s”. Choose another slug, for example “%(free)s”, or delete the other page."
        ) % {"slug": PINYIN, "free": f"{PINYIN}-2"}
    assert message in page
    assert "is already in use" not in page
    assert LessonPage.objects.get(pk=lesson.pk).slug.startswith("lesson-")
    assert lesson.revisions.count() == 1

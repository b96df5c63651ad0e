"""
A lesson is written once and translated block by block: each block shows itself in the
reader's language, in Chinese where its English is empty; lessons stored before keep working.
"""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.blocks import stream_merge
from courses.models import LessonPage
from courses.services import enrollment_sync
from network.services import staff_assignment_sync
from tests.factories.courses import course_page, lesson_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("courses.migrations.0007_lesson_blocks_bilingual")

CLAUSE = {
    "clause": "<p>七日内出现性能故障，可选择退货。</p>",
    "clause_en": "<p>A performance fault within 7 days: the customer may return it.</p>",
    "source": "移动电话机商品修理更换退货责任规定 第八条",
    "source_en": "",
    "effective_date": datetime.date(2001, 11, 15),
    "note": "先核对购机日期。",
    "note_en": "Check the purchase date first.",
}
PROCEDURE = {
    "title": "防静电拆机",
    "title_en": "ESD-safe disassembly",
    "steps": [
        {"instruction": "<p>佩戴防静电手环。</p>", "instruction_en": "", "warning": "先接地。",
         "warning_en": "Ground yourself first.", "image": None},
    ],
}  # fmt: skip


@pytest.fixture
def lesson():
    course = course_page(title="三包政策", title_en="Warranty policy", lessons=0)
    lesson = lesson_page(
        course=course,
        title="七日退货",
        body=[
            ("text", {"text": "<p>先核对凭证。</p>", "text_en": "<p>Check the receipt.</p>"}),
            # An empty editor stores an empty paragraph.
            ("text", {"text": "<p>只有中文。</p>", "text_en": '<p data-block-key="k"></p>'}),
            ("procedure", PROCEDURE),
            ("policy_clause", CLAUSE),
        ],
    )
    track_page(roles=["front_desk"], courses=[course])
    return lesson


@pytest.fixture
def learner_client(client, partner_outlet, lesson):
    person = StaffFactory(role="front_desk", outlet=partner_outlet)
    enrollment_sync(staff_ids=[person.pk])
    client.force_login(person.user)
    return client


def test_english_reader_sees_each_block_in_english_and_chinese_where_untranslated(
    learner_client, lesson
):
    page = learner_client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<p>Check the receipt.</p>" in page
    assert "先核对凭证" not in page
    assert "<p>只有中文。</p>" in page  # no English yet: the Chinese
    assert "ESD-safe disassembly" in page
    assert "<p>佩戴防静电手环。</p>" in page
    assert "Ground yourself first." in page
    assert "A performance fault within 7 days" in page
    assert "移动电话机商品修理更换退货责任规定 第八条" in page
    assert "Check the purchase date first." in page


def test_chinese_reader_sees_the_chinese_of_every_block(learner_client, lesson):
    page = learner_client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "<p>先核对凭证。</p>" in page
    assert "防静电拆机" in page
    assert "先接地。" in page
    assert "先核对购机日期。" in page
    assert "Check the receipt" not in page
    assert "ESD-safe" not in page


def test_lesson_stored_before_blocks_held_english_still_reads(learner_client, lesson):
    # A text block stored as its rich text alone, as every lesson was before.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_lessonpage SET body = %s WHERE page_ptr_id = %s",
            ['[{"type": "text", "value": "<p>旧格式的课时。</p>", "id": "a1"}]', lesson.pk],
        )

    page = learner_client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<p>旧格式的课时。</p>" in page
    assert LessonPage.objects.get(pk=lesson.pk).body[0].value["text_en"].source == ""


def test_trainer_writes_a_block_and_its_english_beside_it(client, lesson):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    client.force_login(staff.user)
    course = lesson.get_parent()

    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        nested_form_data(
            {
                "title": "接待用语",
                "slug": "",
                "title_en": "Words at the counter",
                "estimated_minutes": "10",
                "body": streamfield(
                    [
                        (
                            "text",
                            {
                                "text": rich_text("<p>您好。</p>"),
                                "text_en": rich_text("<p>Hello.</p>"),
                            },
                        )
                    ]
                ),  # fmt: skip
                "comments": inline_formset([]),
                "action-submit": "Go",
            }
        ),
    )

    assert response.status_code == 302
    (block,) = LessonPage.objects.get(title="接待用语").body
    html = [
        re.sub(r' data-block-key="\w+"', "", block.value[f].source) for f in ("text", "text_en")
    ]
    assert html == ["<p>您好。</p>", "<p>Hello.</p>"]
    editor = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Text (English)" in editor
    assert 'name="body_en' not in editor


def _old_lesson(course, body, body_en):
    lesson = lesson_page(course=course, title="旧课时")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_lessonpage SET body = %s, body_en = %s WHERE page_ptr_id = %s",
            [body, body_en, lesson.pk],
        )
    revision = lesson.latest_revision
    revision.content = {**revision.content, "body": body, "body_en": body_en}
    revision.save(update_fields=["content"])
    return lesson


OLD_BODY = (
    '[{"type": "text", "value": "<p>核对凭证。</p>", "id": "t1"},'
    ' {"type": "download", "value": {"document": 7, "description": "表格"}, "id": "d1"}]'
)
OLD_BODY_EN = (
    '[{"type": "text", "value": "<p>Check the receipt.</p>", "id": "t2"},'
    ' {"type": "download", "value": {"document": 7, "description": "The form"}, "id": "d2"}]'
)
MERGED = [
    {"type": "text", "value": {"text": "<p>核对凭证。</p>", "text_en": "<p>Check the receipt.</p>"},
     "id": "t1"},
    {"type": "download", "value": {"document": 7, "description": "表格",
                                   "description_en": "The form"}, "id": "d1"},
]  # fmt: skip


def test_migration_moves_the_english_body_into_the_blocks_of_lesson_and_revisions(lesson):
    old = _old_lesson(lesson.get_parent(), OLD_BODY, OLD_BODY_EN)

    migration.move_english_into_blocks(apps, None)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body, body_en FROM courses_lessonpage WHERE page_ptr_id = %s", [old.pk]
        )
        body, body_en = cursor.fetchone()
    assert migration._raw(body) == MERGED
    assert migration._raw(body_en) == []
    content = Revision.objects.get(pk=old.latest_revision.pk).content
    assert migration._raw(content["body"]) == MERGED
    assert migration._raw(content["body_en"]) == []


def test_migration_leaves_an_english_body_that_does_not_pair_and_english_readers_see_it(
    client, partner_outlet, lesson
):
    other_order = OLD_BODY_EN.replace('"type": "text"', '"type": "x"')
    old = _old_lesson(lesson.get_parent(), OLD_BODY, other_order)

    migration.move_english_into_blocks(apps, None)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body, body_en FROM courses_lessonpage WHERE page_ptr_id = %s", [old.pk]
        )
        body, body_en = cursor.fetchone()
    assert migration._raw(body) == migration._raw(OLD_BODY)
    assert migration._raw(body_en) == migration._raw(other_order)


@pytest.mark.parametrize(
    ("body", "body_en"),
    [
        ([{"type": "text", "value": "a"}], [{"type": "text", "value": "b"}, {"type": "text"}]),
        ([{"type": "text", "value": "a"}], [{"type": "image", "value": {}}]),
        (
            [{"type": "procedure", "value": {"title": "t", "steps": [{"value": {}}]}}],
            [{"type": "procedure", "value": {"title": "t", "steps": []}}],
        ),
    ],
    ids=["other length", "other type", "other steps"],
)
def test_stream_merge_guesses_nothing(body, body_en):
    assert stream_merge(body, body_en) is None


def test_reversing_the_migration_makes_the_two_bodies_again(lesson):
    old = _old_lesson(lesson.get_parent(), OLD_BODY, OLD_BODY_EN)
    untranslated = _old_lesson(lesson.get_parent(), OLD_BODY, "[]")
    migration.move_english_into_blocks(apps, None)

    migration.move_english_out_of_blocks(apps, None)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_ptr_id, body, body_en FROM courses_lessonpage WHERE page_ptr_id IN"
            " (%s, %s) ORDER BY page_ptr_id",
            [old.pk, untranslated.pk],
        )
        rows = [(migration._raw(b), migration._raw(e)) for _pk, b, e in cursor.fetchall()]
    english = [{**block, "id": b["id"]} for block, b in zip(
        migration._raw(OLD_BODY_EN), migration._raw(OLD_BODY), strict=True)]  # fmt: skip
    assert rows == [
        (migration._raw(OLD_BODY), english),
        (migration._raw(OLD_BODY), []),
    ]

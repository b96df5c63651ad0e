"""Moodle's feedback kept on import and shown in the review only where the key is shown."""

import pytest
from django.urls import reverse

from assessments.bank_formats import bank_parse
from assessments.models import Question, QuestionCategory
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from assessments.services.banks import bank_import
from courses.services import enrollment_sync
from tests.factories.assessments import assessment
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

GIFT = """$CATEGORY: 三包反馈

::退货::性能故障几日内可退货？{
  =7日#对，七日内可退货
  ~%50%15日#十五日是换货期限
  ~30日#太长了
  ####依据三包规定第八条。
}

::电压::充电器输出几伏？{#=5:0.25#正是五伏 =%50%9:0.5#那是快充电压 ~#差得远}

::手环::防静电手环应贴紧皮肤。{TRUE#手环必须贴紧#没错}
"""
XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>三包内容</text></name>
    <questiontext format="html"><text>三包包括哪些？</text></questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>包修、包换、包退。</p>]]></text>
    </generalfeedback>
    <single>false</single>
    <correctfeedback format="html"><text><![CDATA[<p>全对！</p>]]></text></correctfeedback>
    <partiallycorrectfeedback format="html"><text>部分正确。</text></partiallycorrectfeedback>
    <incorrectfeedback format="html"><text><![CDATA[<span lang="zh" class="multilang">错了。</span>
      <span lang="en" class="multilang">Wrong.</span>]]></text></incorrectfeedback>
    <answer fraction="50"><text>包修</text><feedback><text>包修是其一</text></feedback></answer>
    <answer fraction="50"><text>包换</text></answer>
    <answer fraction="-100"><text>包邮</text><feedback><text>没有包邮</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>翻新件</text></name>
    <questiontext format="html"><text>翻新件可以不经顾客同意使用。</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>须经书面同意</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>正确</text></feedback></answer>
  </question>
</quiz>
"""


def test_gift_feedback_of_options_numeric_answers_and_true_false_is_read():
    bank = bank_parse(GIFT.encode(), "b.gift")

    assert (bank.errors, bank.warnings) == ([], [])
    refund, volts, wrist = bank.items
    assert refund["option_feedback"] == [
        ("对，七日内可退货", ""),
        ("十五日是换货期限", ""),
        ("太长了", ""),
    ]
    assert refund["explanation"] == "依据三包规定第八条。"
    assert volts["correct_feedback"] == "正是五伏"
    assert [e.get("feedback") for e in volts["numeric_answers"]] == ["那是快充电压", "差得远"]
    assert (wrist["incorrect_feedback"], wrist["correct_feedback"]) == ("手环必须贴紧", "没错")


def test_moodle_xml_feedback_of_answers_and_outcomes_is_read_in_both_languages():
    bank = bank_parse(XML.encode(), "b.xml", default_category=("三包",))

    assert (bank.errors, bank.warnings) == ([], [])
    contents, refurbished = bank.items
    assert contents["option_feedback"] == [("包修是其一", ""), ("", ""), ("没有包邮", "")]
    assert contents["explanation"] == "包修、包换、包退。"
    assert (contents["correct_feedback"], contents["partial_feedback"]) == ("全对！", "部分正确。")
    assert (contents["incorrect_feedback"], contents["incorrect_feedback_en"]) == (
        "错了。",
        "Wrong.",
    )
    # The right answer is false: its feedback shows when right, true's when wrong.
    assert (refurbished["correct_feedback"], refurbished["incorrect_feedback"]) == (
        "正确",
        "须经书面同意",
    )


@pytest.mark.django_db
def test_feedback_is_stored_and_a_reimport_changes_nothing():
    bank_import(content=XML.encode(), filename="b.xml", apply=True, default_category=("三包",))

    again = bank_import(
        content=XML.encode(), filename="b.xml", apply=True, default_category=("三包",)
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    contents = Question.objects.get(text="三包包括哪些？")
    assert [o.feedback for o in contents.options.all()] == ["包修是其一", "", "没有包邮"]
    data = contents.versions.get().data
    assert data["feedback"]["incorrect_en"] == "Wrong."
    assert "feedback" not in data["options"][1]


# The review --------------------------------------------------------------------------------------


@pytest.fixture
def exam(db):
    course = course_page(title="三包政策", lessons=1)
    bank_import(content=GIFT.encode(), filename="b.gift", apply=True)
    return assessment(
        course=course,
        rules=[(QuestionCategory.objects.get(name="三包反馈"), 3)],
        review_policy="full",
        max_attempts=1,
    ), course


@pytest.fixture
def learner(exam):
    track_page(roles=["front_desk"], courses=[exam[1]])
    person = StaffFactory(role="front_desk")
    enrollment_sync(staff_ids=[person.pk])
    return person


def _answer_and_review(client, learner, exam, *, submit=True):
    attempt = attempt_start(staff=learner, assessment=exam)
    for item in attempt.items.select_related("version"):
        data = item.version.data
        if data["kind"] == "single":
            response = next(o["key"] for o in data["options"] if o["text"] == "15日")
        elif data["kind"] == "numeric":
            response = "9.2"
        else:
            response = False
        answer_save(attempt=attempt, position=item.position, response=response)
    client.force_login(learner.user)
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    if submit:
        attempt_submit(attempt=attempt)
        page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    return page


NOTES = ("十五日是换货期限", "那是快充电压", "手环必须贴紧", "差得远", "没错", "正是五伏")


@pytest.mark.django_db
def test_full_review_shows_the_feedback_of_the_answers_given(client, learner, exam):
    page = _answer_and_review(client, learner, exam[0])

    assert "十五日是换货期限" in page  # the chosen option's
    assert "那是快充电压" in page  # the matching further numeric answer's
    assert "手环必须贴紧" in page  # true/false answered wrong
    for other in ("对，七日内可退货", "太长了", "差得远", "没错", "正是五伏"):
        assert other not in page


@pytest.mark.django_db
@pytest.mark.parametrize("policy", ["score", "wrong"])
def test_review_without_the_key_shows_no_feedback(client, learner, exam, policy):
    exam[0].review_policy = policy
    exam[0].save()

    page = _answer_and_review(client, learner, exam[0])

    for note in NOTES:
        assert note not in page


@pytest.mark.django_db
def test_full_review_shows_no_feedback_while_a_retake_may_draw_the_same_questions(
    client, learner, exam
):
    exam[0].max_attempts = 2
    exam[0].save()

    page = _answer_and_review(client, learner, exam[0])

    assert "Right answer" not in page
    for note in NOTES:
        assert note not in page


@pytest.mark.django_db
def test_the_attempt_page_shows_no_feedback(client, learner, exam):
    page = _answer_and_review(client, learner, exam[0], submit=False)

    assert "性能故障几日内可退货？" in page
    for note in NOTES:
        assert note not in page

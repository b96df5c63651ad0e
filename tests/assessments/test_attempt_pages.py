"""Learners' exam pages: nothing of the answer key reaches the page, only one's own attempts."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import answers
from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    AttemptItem,
    Question,
    QuestionOption,
)
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from courses.services import enrollment_sync, lesson_complete
from tests.factories.assessments import (
    assessment,
    category,
    question,
    right_response,
    wrong_response,
)
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

EXPLANATION = "依据三包规定第八条，七日内性能故障可以退货"
NUMERIC_ANSWER = Decimal("8642.1357")


@pytest.fixture
def course():
    return course_page(title="三包政策与收费规范", title_en="Warranty rules and fees", lessons=1)


@pytest.fixture
def learner(course):
    track_page(roles=["front_desk"], courses=[course])
    person = StaffFactory(role="front_desk")
    enrollment_sync(staff_ids=[person.pk])
    return person


@pytest.fixture
def mixed_bank():
    """One question of every kind, each with an explanation."""
    cat = category("三包政策")
    # Option keys are database ids; move them past the page's option numbers (0, 1, 2, ...) so
    # that a key on the page could not pass for a number.
    spare = question(category=category(), kind="single", options=[])
    QuestionOption.objects.bulk_create(
        QuestionOption(question=spare, text=str(i), sort_order=i) for i in range(100)
    )
    QuestionOption.objects.filter(question=spare).delete()
    questions = [
        question(category=cat, kind="single", explanation=EXPLANATION),
        question(
            category=cat,
            kind="multiple",
            partial_credit=Question.PartialCredit.PROPORTIONAL,
            options=[("免费维修", True), ("更换", True), ("收取检测费", False)],
            explanation=EXPLANATION,
        ),
        question(category=cat, kind="true_false", explanation=EXPLANATION),
        question(
            category=cat,
            kind="numeric",
            numeric_answer=NUMERIC_ANSWER,
            numeric_tolerance=Decimal("0.0005"),
            explanation=EXPLANATION,
        ),
        question(
            category=cat,
            kind="ordering",
            options=[("登记", False), ("检测", False), ("报价", False), ("维修", False)],
            explanation=EXPLANATION,
        ),
    ]
    return cat, questions


@pytest.fixture
def exam(course, mixed_bank):
    cat, questions = mixed_bank
    # Five of the kinds are drawn from the bank; one more question is never drawn.
    question(category=cat, kind="multiple", is_active=False, text="不会被抽到的题目")
    return assessment(course=course, rules=[(cat, 5)], review_policy="full")


def assert_no_key(text: str, exam: Assessment):
    """Assert that nothing of the answer key or the explanations is in `text`."""
    lowered = text.lower()
    assert "correct" not in lowered
    assert "explanation" not in lowered
    assert "tolerance" not in lowered
    assert EXPLANATION not in text
    assert str(NUMERIC_ANSWER) not in text
    assert "8642.1" not in text
    assert "不会被抽到的题目" not in text


def start(client, exam) -> Attempt:
    response = client.post(reverse("assessments:attempt_start", args=[exam.pk]))
    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    return attempt


def post_answer(client, attempt, body):
    return client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def page_number(item: AttemptItem, key: str) -> str:
    """The number the page gives the option `key` of `item`."""
    return str(item.option_order.index(key))


def page_response(item: AttemptItem, response):
    data = item.version.data
    if data["kind"] in ("single", "multiple", "ordering"):
        if isinstance(response, list):
            return [page_number(item, k) for k in response]
        return page_number(item, response)
    return response


# The overview and the start


def test_overview_shows_the_rules_and_a_start_button(client, learner, exam):
    client.force_login(learner.user)

    response = client.get(reverse("assessments:exam", args=[exam.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert exam.title in page
    assert "5 questions" in page
    assert "Attempts used: 0 of 3" in page
    assert reverse("assessments:attempt_start", args=[exam.pk]) in page


def test_course_exam_link_leads_to_the_overview(client, learner, course, exam):
    client.force_login(learner.user)

    response = client.get(reverse("assessments:course_exam", args=[course.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:exam", args=[exam.pk])


def test_exam_of_a_course_one_is_not_enrolled_in_is_404(client, exam):
    outsider = StaffFactory(role="technician")
    client.force_login(outsider.user)

    assert client.get(reverse("assessments:exam", args=[exam.pk])).status_code == 404
    assert client.post(reverse("assessments:attempt_start", args=[exam.pk])).status_code == 404
    assert not Attempt.objects.exists()


def test_double_clicked_start_opens_one_attempt(client, learner, exam):
    client.force_login(learner.user)

    first = start(client, exam)
    again = client.post(reverse("assessments:attempt_start", args=[exam.pk]))

    assert again["Location"] == reverse("assessments:attempt", args=[first.pk])
    assert Attempt.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(client, exam):
    response = client.get(reverse("assessments:exam", args=[exam.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The attempt page and the JSON endpoint


def test_attempt_page_shows_the_drawn_questions_without_the_key(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)

    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert_no_key(page, exam)
    for item in attempt.items.select_related("version"):
        assert item.version.data["text"] in page
        for option in item.version.data["options"]:
            assert option["text"] in page
            # Options are named by their place on the page, never by their database keys.
            assert f'value="{option["key"]}"' not in page
    assert 'data-seconds-left="1800"' in page or 'data-seconds-left="1799"' in page


def test_attempt_page_shows_saved_answers_after_a_reload(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)
    item = attempt.items.select_related("version").get(version__data__kind="single")
    key = right_response(item.version.data)
    post_answer(client, attempt, {"position": item.position, "response": page_number(item, key)})

    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()

    assert f'name="q-{item.position}" value="{page_number(item, key)}" checked' in page
    assert_no_key(page, exam)


def test_attempt_page_in_chinese_and_in_english(client, learner, course):
    cat = category()
    question(category=cat, text="三包期内可以退货吗？", text_en="May the customer return it?")
    exam = assessment(course=course, rules=[(cat, 1)], title="三包考试", title_en="Warranty exam")
    client.force_login(learner.user)
    attempt = start(client, exam)
    url = reverse("assessments:attempt", args=[attempt.pk])

    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "三包期内可以退货吗？" in chinese
    assert "三包考试" in chinese
    assert "May the customer return it?" in english
    assert "Warranty exam" in english
    assert "三包期内可以退货吗？" not in english


def test_answer_endpoint_saves_and_returns_the_time_left(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)

    for item in attempt.items.select_related("version"):
        response = post_answer(
            client,
            attempt,
            {
                "position": item.position,
                "response": page_response(item, right_response(item.version.data)),
            },
        )
        assert response.status_code == 200
        body = response.json()
        assert body["saved"] is True
        assert 1790 <= body["seconds_left"] <= 1800
        assert datetime.datetime.fromisoformat(body["saved_at"])
        assert_no_key(response.content.decode(), exam)

    saved = {i.position: i.response for i in attempt.items.select_related("version")}
    assert saved == {
        i.position: right_response(i.version.data) for i in attempt.items.select_related("version")
    }


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"position": "1", "response": "0"}),
        json.dumps({"position": True, "response": "0"}),
        json.dumps({"position": 1}),
        json.dumps({"position": 99, "response": "0"}),
        '{"position": 123456789012345678901234, "response": "0"}',
        "[" * 100_000,
    ],
)
def test_answer_endpoint_refuses_what_it_cannot_read(client, learner, exam, body):
    client.force_login(learner.user)
    attempt = start(client, exam)

    response = client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        data=body,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["saved"] is False
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_answer_endpoint_refuses_an_option_the_question_does_not_have(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)
    item = attempt.items.select_related("version").get(version__data__kind="single")
    # A database key instead of the page's option number is not an option of this page.
    key = right_response(item.version.data)

    response = post_answer(client, attempt, {"position": item.position, "response": key})

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.response is None


def test_answer_endpoint_needs_the_csrf_token(learner, exam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    attempt = attempt_start(staff=learner, assessment=exam)
    item = attempt.items.get(position=1)

    response = client.post(
        reverse("assessments:attempt_answer", args=[attempt.pk]),
        data=json.dumps({"position": 1, "response": None}),
        content_type="application/json",
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.answered_at is None


def test_late_answer_through_the_endpoint_is_refused_and_the_attempt_closed(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)
    past = timezone.now() - datetime.timedelta(hours=2)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=past, deadline=past + datetime.timedelta(minutes=30)
    )

    response = post_answer(client, attempt, {"position": 1, "response": None})

    assert response.status_code == 409
    body = response.json()
    assert body["saved"] is False
    assert body["finished"] is True
    assert body["seconds_left"] == 0
    assert body["result_url"] == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.CLOSED
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_other_peoples_attempts_are_404(client, learner, exam):
    attempt = attempt_start(staff=learner, assessment=exam)
    colleague = StaffFactory(role="front_desk", outlet=learner.outlet)
    enrollment_sync(staff_ids=[colleague.pk])
    client.force_login(colleague.user)

    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 404
    assert post_answer(client, attempt, {"position": 1, "response": None}).status_code == 404
    assert client.post(reverse("assessments:attempt_submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("assessments:attempt_result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_a_manager_cannot_open_the_attempts_of_their_people(client, learner, exam):
    attempt = attempt_start(staff=learner, assessment=exam)
    manager = StaffFactory(role="outlet_manager", outlet=learner.outlet)
    client.force_login(manager.user)

    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 404


# Submitting and the review


def test_submit_grades_and_shows_the_result(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt, position=item.position, response=right_response(item.version.data)
        )

    response = client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.status, attempt.percent, attempt.passed) == (
        Attempt.Status.SUBMITTED,
        Decimal("100.00"),
        True,
    )
    page = client.get(response["Location"]).content.decode()
    assert "100.00%" in page
    assert "Passed" in page


def test_submit_form_carries_answers_autosave_did_not_save(client, learner, course):
    cat = category()
    question(category=cat, kind="true_false", true_false_answer=False)
    question(category=cat, kind="numeric", numeric_answer=Decimal("12.5"))
    exam = assessment(course=course, rules=[(cat, 2)])
    client.force_login(learner.user)
    attempt = start(client, exam)
    positions = {
        i.version.data["kind"]: i.position for i in attempt.items.select_related("version")
    }

    client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        {f"q-{positions['true_false']}": "false", f"q-{positions['numeric']}": "12,5"},
    )

    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")


def test_the_attempt_page_of_a_finished_attempt_leads_to_its_result(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)
    attempt_submit(attempt=attempt)

    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])


def test_result_of_an_open_attempt_is_not_shown(client, learner, exam):
    client.force_login(learner.user)
    attempt = start(client, exam)

    response = client.get(reverse("assessments:attempt_result", args=[attempt.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])


def _finished_review(client, learner, exam, policy):
    exam.review_policy = policy
    exam.save()
    client.force_login(learner.user)
    attempt = start(client, exam)
    items = list(attempt.items.select_related("version").order_by("position"))
    single = next(i for i in items if i.version.data["kind"] == "single")
    numeric = next(i for i in items if i.version.data["kind"] == "numeric")
    answer_save(
        attempt=attempt, position=single.position, response=right_response(single.version.data)
    )
    answer_save(
        attempt=attempt, position=numeric.position, response=wrong_response(numeric.version.data)
    )
    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]))
    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    return page, items, single, numeric


def test_review_score_only_shows_the_score_and_nothing_of_the_questions(client, learner, exam):
    page, items, _single, _numeric = _finished_review(client, learner, exam, "score")

    assert "20.00%" in page
    assert "Not passed" in page
    for item in items:
        assert item.version.data["text"] not in page
    assert "Wrong" not in page
    assert_no_key(page, exam)


def test_review_which_wrong_shows_right_and_wrong_but_not_the_key(client, learner, exam):
    page, items, single, numeric = _finished_review(client, learner, exam, "wrong")

    assert "20.00%" in page
    for item in items:
        assert item.version.data["text"] in page
    assert page.count('class="badge ok">Right<') == 1
    assert page.count('class="badge bad">Wrong<') == 4
    assert "Right answer" not in page
    assert_no_key(page, exam)


def test_review_full_shows_the_right_answers_and_explanations(client, learner, exam):
    exam.max_attempts = 1  # the last attempt: nothing left to draw the same questions again
    exam.save()
    page, items, single, numeric = _finished_review(client, learner, exam, "full")

    assert page.count("Right answer") == 5
    assert page.count(EXPLANATION) == 5
    assert "8642.1357 ± 0.0005" in page
    ordering = next(i for i in items if i.version.data["kind"] == "ordering")
    assert "登记; 检测; 报价; 维修" in page
    assert ordering.version.data["text"] in page


def test_a_full_review_keeps_the_key_while_a_retake_may_draw_the_same_questions(
    client, learner, exam
):
    exam.max_attempts = 3
    exam.save()

    page, _items, _single, _numeric = _finished_review(client, learner, exam, "full")

    assert "Right answer" not in page
    assert EXPLANATION not in page


def test_a_full_review_shows_the_key_once_the_exam_is_passed(client, learner, exam):
    exam.max_attempts = 3
    exam.review_policy = "full"
    exam.save()
    client.force_login(learner.user)
    attempt = start(client, exam)
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt, position=item.position, response=right_response(item.version.data)
        )
    attempt_submit(attempt=attempt)

    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()

    assert page.count("Right answer") == 5


def test_a_full_review_keeps_the_key_during_the_last_attempt(client, learner, exam):
    # The open last attempt counts among those used; its questions may be the reviewed ones.
    exam.max_attempts = 2
    exam.save()
    page, _items, _single, _numeric = _finished_review(client, learner, exam, "full")
    first = Attempt.objects.get()
    second = attempt_start(staff=learner, assessment=exam)
    url = reverse("assessments:attempt_result", args=[first.pk])

    during = client.get(url).content.decode()
    attempt_submit(attempt=second)
    after = client.get(url).content.decode()

    assert "Right answer" not in page
    assert "Right answer" not in during
    assert EXPLANATION not in during
    assert after.count("Right answer") == 5


def test_a_full_review_keeps_the_key_during_a_retake_after_a_pass(client, learner, exam):
    exam.max_attempts = 3
    exam.review_policy = "full"
    exam.save()
    first = attempt_start(staff=learner, assessment=exam)
    for item in first.items.select_related("version"):
        answer_save(
            attempt=first, position=item.position, response=right_response(item.version.data)
        )
    attempt_submit(attempt=first)
    attempt_start(staff=learner, assessment=exam)
    client.force_login(learner.user)

    page = client.get(reverse("assessments:attempt_result", args=[first.pk])).content.decode()

    assert "Right answer" not in page
    assert EXPLANATION not in page
    assert "Right" in page


def test_review_is_in_the_readers_language(client, learner, course):
    cat = category()
    question(
        category=cat,
        text="三包期多长？",
        text_en="How long is the warranty?",
        explanation="见第八条",
        explanation_en="See clause 8",
    )
    exam = assessment(course=course, rules=[(cat, 1)], review_policy="full", max_attempts=1)
    client.force_login(learner.user)
    attempt = start(client, exam)
    attempt_submit(attempt=attempt)
    url = reverse("assessments:attempt_result", args=[attempt.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "How long is the warranty?" in english and "See clause 8" in english
    assert "三包期多长？" in chinese and "见第八条" in chinese


# Query counts


# One of them records the certificate task of the completed course in the outbox (core.outbox).
SUBMIT_QUERIES = 31
PAGE_QUERIES = 7
REVIEW_QUERIES = 8
KINDS = ["single", "multiple", "true_false", "numeric", "ordering", "short_answer", "matching"]


def _measured_exam(course, count):
    """An exam of `count` questions of every kind, the short answer and matching ones too."""
    cat = category()
    for i in range(count):
        question(category=cat, kind=KINDS[i % len(KINDS)])
    return assessment(course=course, rules=[(cat, count)], review_policy="full", max_attempts=1)


def _right_form(attempt) -> dict:
    form = {}
    for item in attempt.items.select_related("version"):
        data = item.version.data
        if data["kind"] == "matching":
            order = answers.page_order(data, item.option_order)
            page = answers.to_page(right_response(data), kind="matching", option_order=order)
            form.update({f"q-{item.position}-{n}": choice for n, choice in page.items()})
            continue
        response = page_response(item, right_response(data))
        if data["kind"] == "true_false":
            response = "true" if response else "false"
        form[f"q-{item.position}"] = response
    return form


@pytest.mark.parametrize("count", [10, 50])
def test_submitting_an_exam_runs_a_fixed_number_of_queries(
    client, learner, course, count, django_assert_num_queries
):
    exam = _measured_exam(course, count)
    for lesson in course.get_children().specific():
        lesson_complete(staff=learner, lesson=lesson, course=course)
    client.force_login(learner.user)
    attempt = start(client, exam)
    form = _right_form(attempt)

    with django_assert_num_queries(SUBMIT_QUERIES):
        response = client.post(reverse("assessments:attempt_submit", args=[attempt.pk]), form)

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")
    assert AssessmentResult.objects.get().passed is True
    assert AttemptItem.objects.filter(attempt=attempt, score__isnull=True).count() == 0


@pytest.mark.parametrize("count", [10, 50])
def test_the_attempt_page_runs_a_fixed_number_of_queries(
    client, learner, course, count, django_assert_num_queries
):
    exam = _measured_exam(course, count)
    client.force_login(learner.user)
    attempt = start(client, exam)
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt, position=item.position, response=right_response(item.version.data)
        )

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("assessments:attempt", args=[attempt.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="card question"') == count


@pytest.mark.parametrize("count", [10, 50])
def test_the_full_review_runs_a_fixed_number_of_queries(
    client, learner, course, count, django_assert_num_queries
):
    exam = _measured_exam(course, count)
    client.force_login(learner.user)
    attempt = start(client, exam)
    client.post(reverse("assessments:attempt_submit", args=[attempt.pk]), _right_form(attempt))

    with django_assert_num_queries(REVIEW_QUERIES):
        response = client.get(reverse("assessments:attempt_result", args=[attempt.pk]))

    page = response.content.decode()
    assert page.count('class="card review-item right"') == count
    assert page.count("Right answer") >= count


def test_full_review_of_a_numeric_question_lists_the_further_answers_with_their_grades(
    client, learner, course
):
    cat = category()
    question(
        category=cat,
        kind="numeric",
        numeric_answer=Decimal("220"),
        numeric_tolerance=Decimal("5"),
        numeric_answers=[
            {
                "value": "110",
                "tolerance": "0",
                "fraction": "0.5",
                "feedback": "",
                "feedback_en": "",
            },
            {"value": None, "tolerance": None, "fraction": "0", "feedback": "", "feedback_en": ""},
        ],
    )
    exam = assessment(course=course, rules=[(cat, 1)], review_policy="full", max_attempts=1)
    client.force_login(learner.user)
    attempt = start(client, exam)
    client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        {f"q-{attempt.items.get().position}": "110"},
    )

    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()

    assert "Right answer: 220 ± 5; 110 (50% of the points)" in page
    assert "any other number" not in page  # it earns nothing

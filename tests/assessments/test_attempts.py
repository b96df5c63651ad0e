"""Attempts: drawing, resuming, the limits and the clock, grading, results and course completion."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    AttemptItem,
    Question,
    QuestionOption,
)
from assessments.selectors.attempts import attempt_questions, exam_overview
from assessments.services.attempts import (
    answer_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
)
from assessments.tasks import attempts_close_expired_task
from courses.models import CourseProgress, Enrollment
from courses.services import enrollment_sync, lesson_complete
from tests.factories.assessments import (
    assessment,
    category,
    draw_rule,
    question,
    right_response,
    wrong_response,
)
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def minutes(n):
    return datetime.timedelta(minutes=n)


@pytest.fixture
def course():
    return course_page(title="三包政策与收费规范", lessons=2)


@pytest.fixture
def track(course):
    return track_page(roles=["technician"], courses=[course])


@pytest.fixture
def learner(track):
    person = StaffFactory(role="technician")
    enrollment_sync(staff_ids=[person.pk])
    return person


@pytest.fixture
def bank():
    cat = category("三包政策")
    return cat, [question(category=cat) for _ in range(6)]


@pytest.fixture
def exam(course, bank):
    return assessment(course=course, rules=[(bank[0], 4)], time_limit_minutes=30)


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def answer_all(attempt, respond=right_response, now=None):
    for item in attempt.items.select_related("version"):
        answer_save(
            attempt=attempt,
            position=item.position,
            response=respond(item.version.data),
            now=now or attempt.started_at + minutes(1),
        )


def take(exam, learner, *, respond, now):
    attempt = attempt_start(staff=learner, assessment=exam, now=now)
    answer_all(attempt, respond, now=now + minutes(1))
    return attempt_submit(attempt=attempt, now=now + minutes(2))


# Drawing


def test_start_draws_the_count_of_each_rule(course, learner):
    safety, fees = category("安全规范"), category("收费标准")
    safety_questions = {question(category=safety).pk for _ in range(5)}
    fee_questions = {question(category=fees).pk for _ in range(4)}
    exam = assessment(course=course, rules=[(safety, 3), (fees, 2)])

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    items = list(attempt.items.select_related("version").order_by("position"))
    assert [i.position for i in items] == [1, 2, 3, 4, 5]
    drawn = [i.version.question_id for i in items]
    assert len(set(drawn)) == 5
    assert len(set(drawn) & safety_questions) == 3
    assert len(set(drawn) & fee_questions) == 2
    assert attempt.number == 1
    assert attempt.status == Attempt.Status.OPEN
    assert attempt.started_at == T0
    assert attempt.deadline == T0 + minutes(exam.time_limit_minutes)
    assert [i.max_score for i in items] == [Decimal("1.00")] * 5


def test_draw_rule_with_a_difficulty_draws_only_that_difficulty(course, learner):
    cat = category()
    hard = {question(category=cat, difficulty=Question.Difficulty.HARD).pk for _ in range(3)}
    for _ in range(5):
        question(category=cat, difficulty=Question.Difficulty.EASY)
    exam = assessment(course=course)
    draw_rule(assessment=exam, category=cat, count=3, difficulty=Question.Difficulty.HARD)

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    assert {i.version.question_id for i in attempt.items.select_related("version")} == hard


def test_inactive_questions_are_never_drawn(course, learner):
    cat = category()
    active = {question(category=cat).pk for _ in range(2)}
    question(category=cat, is_active=False)
    exam = assessment(course=course, rules=[(cat, 2)])

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    assert {i.version.question_id for i in attempt.items.select_related("version")} == active


def test_too_few_questions_in_a_category_is_refused_and_writes_nothing(course, learner):
    cat = category("防静电拆机")
    question(category=cat)
    question(category=cat, difficulty=Question.Difficulty.HARD)
    exam = assessment(course=course)
    draw_rule(assessment=exam, category=cat, count=2, difficulty=Question.Difficulty.MEDIUM)

    with pytest.raises(ValidationError) as refused:
        attempt_start(staff=learner, assessment=exam, now=T0)

    assert refused.value.code == "not_enough_questions"
    assert "防静电拆机" in refused.value.messages[0]
    assert "only 1 active" in refused.value.messages[0]
    assert not Attempt.objects.exists()
    assert not AttemptItem.objects.exists()


def test_shuffled_question_and_option_order_is_stored_and_stable_on_reload(course, learner):
    cat = category()
    for _ in range(8):
        question(
            category=cat,
            kind="multiple",
            options=[(f"选项{i}", i % 2 == 0) for i in range(6)],
        )
    exam = assessment(course=course, rules=[(cat, 8)], shuffle_questions=True)

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    first = attempt_questions(attempt=attempt)
    stored = list(attempt.items.select_related("version").values_list("position", "option_order"))
    again = attempt_start(staff=learner, assessment=exam, now=T0 + minutes(3))

    assert again.pk == attempt.pk
    assert attempt_questions(attempt=again) == first
    assert list(again.items.values_list("position", "option_order")) == stored
    for item in attempt.items.select_related("version"):
        keys = [o["key"] for o in item.version.data["options"]]
        assert sorted(item.option_order) == sorted(keys)
    # Eight questions of six options each: the chance that nothing was shuffled is negligible.
    assert any(
        item.option_order != [o["key"] for o in item.version.data["options"]]
        for item in attempt.items.select_related("version")
    )


def test_without_shuffling_questions_and_options_keep_the_bank_order(course, learner):
    cat = category()
    questions = [question(category=cat) for _ in range(4)]
    exam = assessment(
        course=course, rules=[(cat, 4)], shuffle_questions=False, shuffle_options=False
    )

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    items = list(attempt.items.select_related("version").order_by("position"))
    assert [i.version.question_id for i in items] == [q.pk for q in questions]
    for item in items:
        assert item.option_order == [o["key"] for o in item.version.data["options"]]


def test_ordering_questions_are_never_shown_in_the_right_order(course, learner):
    cat = category()
    for _ in range(10):
        question(category=cat, kind="ordering", options=[("登记", False), ("检测", False)])
    exam = assessment(
        course=course, rules=[(cat, 10)], shuffle_questions=False, shuffle_options=False
    )

    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    for item in attempt.items.select_related("version"):
        assert item.option_order == list(reversed(right_response(item.version.data)))


# Resume, limits and cool-down


def test_second_start_resumes_the_open_attempt(exam, learner):
    first = attempt_start(staff=learner, assessment=exam, now=T0)
    answer_save(attempt=first, position=1, response=None, now=T0 + minutes(1))

    second = attempt_start(staff=learner, assessment=exam, now=T0 + minutes(5))

    assert second.pk == first.pk
    assert Attempt.objects.count() == 1
    assert AttemptItem.objects.count() == 4


def test_attempt_limit_refuses_a_start_and_writes_nothing(exam, learner):
    exam.max_attempts = 2
    exam.save()
    take(exam, learner, respond=wrong_response, now=T0)
    take(exam, learner, respond=wrong_response, now=T0 + minutes(10))
    before = set(AttemptItem.objects.values_list("pk", flat=True))

    with pytest.raises(ValidationError) as refused:
        attempt_start(staff=learner, assessment=exam, now=T0 + minutes(20))

    assert refused.value.code == "no_attempts_left"
    assert list(Attempt.objects.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert set(AttemptItem.objects.values_list("pk", flat=True)) == before


def test_cool_down_refuses_a_start_until_it_is_over(exam, learner):
    exam.cooldown_minutes = 60
    exam.save()
    first = take(exam, learner, respond=wrong_response, now=T0)
    assert first.finished_at == T0 + minutes(2)

    with pytest.raises(ValidationError) as refused:
        attempt_start(staff=learner, assessment=exam, now=T0 + minutes(61))
    assert refused.value.code == "cooldown"
    assert Attempt.objects.count() == 1
    overview = exam_overview(staff=learner, assessment=exam, now=T0 + minutes(61))
    assert overview.cooldown_until == T0 + minutes(62)
    assert overview.may_start is False

    second = attempt_start(staff=learner, assessment=exam, now=T0 + minutes(62))
    assert second.number == 2


def test_person_not_enrolled_may_not_start_a_course_exam(exam):
    outsider = StaffFactory(role="front_desk")

    with pytest.raises(PermissionDenied):
        attempt_start(staff=outsider, assessment=exam, now=T0)
    assert not Attempt.objects.exists()


def test_certification_exam_needs_an_active_enrolment_in_the_track(track, learner, bank):
    exam = assessment(track=track, rules=[(bank[0], 2)])
    assert attempt_start(staff=learner, assessment=exam, now=T0).number == 1

    other = StaffFactory(role="technician")
    enrollment_sync(staff_ids=[other.pk])
    Enrollment.objects.filter(staff=other).update(
        status=Enrollment.Status.WITHDRAWN, withdrawn_at=T0
    )
    with pytest.raises(PermissionDenied):
        attempt_start(staff=other, assessment=exam, now=T0)
    assert not Attempt.objects.filter(staff=other).exists()


def test_an_open_attempt_past_its_time_is_closed_before_the_next_starts(exam, learner):
    first = attempt_start(staff=learner, assessment=exam, now=T0)
    item = first.items.select_related("version").get(position=1)
    answer_save(attempt=first, position=1, response=right_response(item.version.data), now=T0)

    second = attempt_start(staff=learner, assessment=exam, now=T0 + minutes(45))

    first.refresh_from_db()
    assert first.status == Attempt.Status.CLOSED
    assert first.finished_at == first.deadline
    assert first.score == Decimal("1.00")
    assert second.number == 2
    assert second.status == Attempt.Status.OPEN


# Answers and the clock


def test_answer_is_saved_with_its_time(exam, learner):
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    item = attempt.items.select_related("version").get(position=2)
    key = right_response(item.version.data)

    answer_save(attempt=attempt, position=2, response=key, now=T0 + minutes(3))

    item.refresh_from_db()
    assert item.response == key
    assert item.answered_at == T0 + minutes(3)
    assert item.score is None


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("single", "999999"),
        ("single", ["1"]),
        ("multiple", "1"),
        ("multiple", ["999999"]),
        ("ordering", ["x", "y", "z"]),
        ("true_false", "true"),
        ("numeric", "三点五"),
        ("numeric", True),
        ("numeric", "NaN"),
        ("numeric", [3.5]),
    ],
)
def test_answer_of_the_wrong_shape_is_refused_and_writes_nothing(course, learner, kind, response):
    cat = category()
    question(category=cat, kind=kind)
    exam = assessment(course=course, rules=[(cat, 1)])
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    with pytest.raises(ValidationError) as refused:
        answer_save(attempt=attempt, position=1, response=response, now=T0 + minutes(1))

    assert refused.value.code == "invalid"
    item = attempt.items.get()
    assert item.response is None
    assert item.answered_at is None


def test_ordering_answer_must_be_a_permutation_of_the_options(course, learner):
    cat = category()
    question(category=cat, kind="ordering")
    exam = assessment(course=course, rules=[(cat, 1)])
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    keys = right_response(attempt.items.select_related("version").get().version.data)

    for bad in (keys[:2], [keys[0], keys[0], keys[1]], [*keys, keys[0]]):
        with pytest.raises(ValidationError):
            answer_save(attempt=attempt, position=1, response=bad, now=T0 + minutes(1))
    answer_save(attempt=attempt, position=1, response=keys[::-1], now=T0 + minutes(1))

    assert attempt.items.get().response == keys[::-1]


def test_numeric_answer_is_kept_as_an_exact_decimal(course, learner):
    cat = category()
    question(category=cat, kind="numeric")
    exam = assessment(course=course, rules=[(cat, 1)])
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    answer_save(attempt=attempt, position=1, response=" 3,50 ", now=T0)
    assert attempt.items.get().response == "3.50"
    answer_save(attempt=attempt, position=1, response=0.1, now=T0)
    assert attempt.items.get().response == "0.1"


def test_answer_in_the_grace_period_is_accepted(exam, learner, settings):
    settings.ASSESSMENT_GRACE_SECONDS = 30
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)

    answer_save(attempt=attempt, position=1, response=None, now=attempt.deadline)
    late = attempt.deadline + datetime.timedelta(seconds=30)
    answer_save(attempt=attempt, position=1, response=None, now=late)

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN
    assert attempt.items.get(position=1).answered_at == late


def test_late_answer_is_refused_and_the_attempt_closed_as_it_stood(exam, learner, settings):
    settings.ASSESSMENT_GRACE_SECONDS = 30
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    one = attempt.items.select_related("version").get(position=1)
    two = attempt.items.select_related("version").get(position=2)
    answer_save(attempt=attempt, position=1, response=right_response(one.version.data), now=T0)

    with pytest.raises(ValidationError) as refused:
        answer_save(
            attempt=attempt,
            position=2,
            response=right_response(two.version.data),
            now=attempt.deadline + datetime.timedelta(seconds=31),
        )

    assert refused.value.code == "late"
    two.refresh_from_db()
    assert two.response is None
    assert two.answered_at is None
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.CLOSED
    assert attempt.finished_at == attempt.deadline
    assert (attempt.score, attempt.max_score, attempt.percent) == (
        Decimal("1.00"),
        Decimal("4.00"),
        Decimal("25.00"),
    )
    assert attempt.passed is False


def test_answer_to_a_finished_attempt_is_refused(exam, learner):
    attempt = take(exam, learner, respond=wrong_response, now=T0)
    item = attempt.items.select_related("version").get(position=1)

    with pytest.raises(ValidationError) as refused:
        answer_save(
            attempt=attempt,
            position=1,
            response=right_response(item.version.data),
            now=T0 + minutes(3),
        )

    assert refused.value.code == "finished"
    item.refresh_from_db()
    assert item.response == wrong_response(item.version.data)


# Submitting and grading


def test_submit_grades_every_item_and_records_the_result(exam, learner):
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    items = list(attempt.items.select_related("version").order_by("position"))
    for item, respond in zip(
        items, [right_response, right_response, right_response, wrong_response], strict=True
    ):
        answer_save(
            attempt=attempt,
            position=item.position,
            response=respond(item.version.data),
            now=T0 + minutes(1),
        )

    submitted = attempt_submit(attempt=attempt, now=T0 + minutes(5))

    assert submitted.status == Attempt.Status.SUBMITTED
    assert submitted.finished_at == T0 + minutes(5)
    assert (submitted.score, submitted.max_score, submitted.percent) == (
        Decimal("3.00"),
        Decimal("4.00"),
        Decimal("75.00"),
    )
    assert submitted.passed is False  # the pass mark is 80%
    assert list(attempt.items.order_by("position").values_list("score", flat=True)) == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("0.00"),
    ]
    result = AssessmentResult.objects.get(staff=learner, assessment=exam)
    assert (result.attempt_id, result.percent, result.passed) == (
        attempt.pk,
        Decimal("75.00"),
        False,
    )


def test_submit_with_the_form_answers_saves_them_first(exam, learner):
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    responses = {
        item.position: right_response(item.version.data)
        for item in attempt.items.select_related("version")
    }

    submitted = attempt_submit(attempt=attempt, responses=responses, now=T0 + minutes(5))

    assert submitted.percent == Decimal("100.00")
    assert submitted.passed is True


def test_submit_twice_returns_the_graded_attempt_and_writes_nothing(exam, learner):
    attempt = take(exam, learner, respond=right_response, now=T0)
    result = AssessmentResult.objects.get()

    with CaptureQueriesContext(connection) as queries:
        again = attempt_submit(attempt=attempt, now=T0 + minutes(9))

    assert writes(queries.captured_queries) == []
    assert again.pk == attempt.pk
    assert again.finished_at == T0 + minutes(2)
    assert again.percent == Decimal("100.00")
    assert AssessmentResult.objects.get().updated_at == result.updated_at


def test_late_submit_is_refused_and_the_attempt_closed_and_graded_as_it_stood(
    exam, learner, settings
):
    settings.ASSESSMENT_GRACE_SECONDS = 30
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    items = list(attempt.items.select_related("version").order_by("position"))
    for item in items[:2]:
        answer_save(
            attempt=attempt,
            position=item.position,
            response=right_response(item.version.data),
            now=T0 + minutes(1),
        )
    # The form carries answers to the other two: too late to count.
    late_answers = {i.position: right_response(i.version.data) for i in items[2:]}

    with pytest.raises(ValidationError) as refused:
        attempt_submit(
            attempt=attempt,
            responses=late_answers,
            now=attempt.deadline + datetime.timedelta(seconds=31),
        )

    assert refused.value.code == "late"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.CLOSED
    assert attempt.finished_at == attempt.deadline
    assert (attempt.score, attempt.percent, attempt.passed) == (
        Decimal("2.00"),
        Decimal("50.00"),
        False,
    )
    assert [i.response for i in attempt.items.order_by("position")][2:] == [None, None]
    result = AssessmentResult.objects.get()
    assert (result.attempt_id, result.percent) == (attempt.pk, Decimal("50.00"))


def test_periodic_task_closes_only_attempts_past_their_time(exam, learner, bank, settings):
    settings.ASSESSMENT_GRACE_SECONDS = 30
    expired = attempt_start(staff=learner, assessment=exam, now=T0 - minutes(40))
    other = StaffFactory(role="technician")
    enrollment_sync(staff_ids=[other.pk])
    running = attempt_start(staff=other, assessment=exam, now=T0 - minutes(10))

    assert attempts_close_expired(now=T0) == 1
    assert attempts_close_expired(now=T0) == 0

    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.status == Attempt.Status.CLOSED
    assert expired.percent == Decimal("0.00")
    assert running.status == Attempt.Status.OPEN
    assert AssessmentResult.objects.filter(attempt=expired).exists()


def test_close_expired_task_runs_the_service(exam, learner):
    attempt = attempt_start(
        staff=learner, assessment=exam, now=timezone.now() - datetime.timedelta(hours=2)
    )

    assert attempts_close_expired_task.delay().get() == 1

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.CLOSED


# Results by the counting rule


@pytest.mark.parametrize(
    ("counting", "expected_number", "expected_percent"),
    [
        (Assessment.Counting.BEST, 1, Decimal("100.00")),
        (Assessment.Counting.LATEST, 2, Decimal("0.00")),
    ],
)
def test_result_follows_the_counting_rule(
    exam, learner, counting, expected_number, expected_percent
):
    exam.counting = counting
    exam.save()
    take(exam, learner, respond=right_response, now=T0)
    take(exam, learner, respond=wrong_response, now=T0 + minutes(10))

    result = AssessmentResult.objects.select_related("attempt").get()

    assert result.attempt.number == expected_number
    assert result.percent == expected_percent
    assert result.passed is (expected_percent >= exam.pass_mark_percent)


def test_best_counting_takes_a_better_later_attempt(exam, learner):
    take(exam, learner, respond=wrong_response, now=T0)
    take(exam, learner, respond=right_response, now=T0 + minutes(10))

    result = AssessmentResult.objects.select_related("attempt").get()

    assert (result.attempt.number, result.percent, result.passed) == (2, Decimal("100.00"), True)


# Course completion


def test_course_completes_only_once_its_exam_is_passed(course, exam, learner):
    for lesson in course.get_children().specific():
        lesson_complete(staff=learner, lesson=lesson, course=course)
    progress = CourseProgress.objects.get(staff=learner, course=course)
    assert progress.completed_at is None

    take(exam, learner, respond=wrong_response, now=T0)
    progress.refresh_from_db()
    assert progress.completed_at is None

    take(exam, learner, respond=right_response, now=T0 + minutes(10))
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert Enrollment.objects.get(staff=learner).completed_at is not None


def test_passing_the_exam_before_the_lessons_completes_the_course_with_the_last_lesson(
    course, exam, learner
):
    take(exam, learner, respond=right_response, now=T0)
    lessons = list(course.get_children().specific())
    assert not CourseProgress.objects.filter(completed_at__isnull=False).exists()

    for lesson in lessons:
        lesson_complete(staff=learner, lesson=lesson, course=course)

    assert CourseProgress.objects.get(staff=learner, course=course).completed_at is not None


def test_course_without_an_active_exam_completes_with_its_lessons(course, exam, learner):
    exam.is_active = False
    exam.save()

    for lesson in course.get_children().specific():
        lesson_complete(staff=learner, lesson=lesson, course=course)

    assert CourseProgress.objects.get(staff=learner, course=course).completed_at is not None


# Question versions


def test_question_edited_after_the_start_keeps_the_old_version_in_that_attempt(course, learner):
    cat = category()
    original = question(
        category=cat, text="原题：三包期内可以退货吗？", options=[("可以", True), ("不可以", False)]
    )
    exam = assessment(course=course, rules=[(cat, 1)], max_attempts=2)
    attempt = attempt_start(staff=learner, assessment=exam, now=T0)
    old = attempt.items.select_related("version").get().version
    old_key = right_response(old.data)

    # The trainer corrects the key and rewords the question while the attempt is open.
    original.text = "新题：三包期内可以退货吗？"
    original.save()
    for option in QuestionOption.objects.filter(question=original):
        option.is_correct = not option.is_correct
        option.save()

    answer_save(attempt=attempt, position=1, response=old_key, now=T0 + minutes(1))
    submitted = attempt_submit(attempt=attempt, now=T0 + minutes(2))

    item = submitted.items.select_related("version").get()
    assert item.version_id == old.pk
    assert item.version.data["text"] == "原题：三包期内可以退货吗？"
    assert submitted.percent == Decimal("100.00")
    assert attempt_questions(attempt=submitted)[0].text == "原题：三包期内可以退货吗？"

    second = attempt_start(staff=learner, assessment=exam, now=T0 + minutes(10))
    new = second.items.select_related("version").get().version
    assert new.pk != old.pk
    assert new.number == old.number + 1
    assert new.data["text"] == "新题：三包期内可以退货吗？"
    assert right_response(new.data) != old_key

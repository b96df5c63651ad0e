"""
Regrading a corrected question: the dry run shows whose grades change, applying it changes exactly
that, and every changed grade leaves an audit record.

Attempts are built here as a graded attempt leaves them (items scored against their version,
totals, percent, passed, the person's result), without the attempt services.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import grading
from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    AttemptItem,
    GradeChange,
    Question,
    QuestionOption,
    QuestionVersion,
    Regrade,
)
from assessments.services.questions import question_version_current
from assessments.services.regrades import (
    RegradeRefused,
    regrade_apply,
    regrade_confirm,
    regrade_preview,
)
from assessments.tasks import regrade_apply_task
from courses.models import CourseProgress, LessonCompletion, LessonPage
from network.services import staff_assignment_sync
from tests.factories import assessments as f
from tests.factories.courses import course_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
REASON = "选项B才是正确答案 (option B is the right answer)"


def _trainer_user(*, senior=False):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    # Granted here as well as by the bank permissions migration: the services and views check
    # the permission, and these tests are about them, not about the migration.
    group = Group.objects.get(name="Trainers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="assessments",
            codename__in=["change_question", "view_question"],
        )
    )
    if senior:
        staff.user.groups.add(Group.objects.get(name="Senior trainers"))
    return get_user_model().objects.get(pk=staff.user_id)


@pytest.fixture
def trainer():
    return _trainer_user()


@pytest.fixture
def category():
    return f.category()


@pytest.fixture
def keyed(category):
    """A 2-point single choice question whose key says A, plus two true/false fillers (2 + 1)."""
    question = f.question(
        category=category,
        options=[("A", True), ("B", False), ("C", False)],
        points=Decimal("2"),
    )
    filler_2 = f.question(category=category, kind="true_false", points=Decimal("2"))
    filler_1 = f.question(category=category, kind="true_false", points=Decimal("1"))
    return {
        "question": question,
        "v1": question_version_current(question=question),
        "f2": question_version_current(question=filler_2),
        "f1": question_version_current(question=filler_1),
        "key": _keys(question),
    }


def _keys(question):
    return {o.text: str(o.pk) for o in QuestionOption.objects.filter(question=question)}


def _exam(category, **fields):
    fields.setdefault("pass_mark_percent", 60)
    return f.assessment(course=course_page(lessons=0), rules=[(category, 3)], **fields)


def _correct_key(question, *right):
    """Make exactly the options named `right` correct, as a trainer does in the admin."""
    QuestionOption.objects.filter(question=question).update(is_correct=False)
    QuestionOption.objects.filter(question=question, text__in=right).update(is_correct=True)
    return Question.objects.get(pk=question.pk)


def graded_attempt(staff, exam, answers, *, status=Attempt.Status.SUBMITTED, result=True):
    """
    Return a finished attempt of `staff` on `exam` with `answers`, (version, response) pairs,
    scored as the exam scored it; with `result`, make it the person's counted result.
    """
    number = Attempt.objects.filter(staff=staff, assessment=exam).count() + 1
    started = START + datetime.timedelta(days=number)
    scored = [
        (version, response, grading.score(version.data, response), Decimal(version.data["points"]))
        for version, response in answers
    ]
    total = sum((s for _, _, s, _ in scored), Decimal("0.00"))
    maximum = sum((m for _, _, _, m in scored), Decimal("0.00"))
    finished = status != Attempt.Status.OPEN
    attempt = Attempt.objects.create(
        staff=staff,
        assessment=exam,
        number=number,
        status=status,
        started_at=started,
        deadline=started + datetime.timedelta(minutes=30),
        finished_at=started + datetime.timedelta(minutes=20) if finished else None,
        score=total if finished else None,
        max_score=maximum,
        percent=grading.percent(total, maximum) if finished else None,
        passed=grading.passed(total, maximum, exam.pass_mark_percent) if finished else None,
    )
    for position, (version, response, score, points) in enumerate(scored, start=1):
        AttemptItem.objects.create(
            attempt=attempt,
            position=position,
            version=version,
            option_order=[o["key"] for o in version.data["options"]],
            response=response,
            answered_at=started + datetime.timedelta(minutes=position),
            score=score if finished else None,
            max_score=points,
        )
    if result and finished:
        AssessmentResult.objects.update_or_create(
            staff=staff,
            assessment=exam,
            defaults={"attempt": attempt, "percent": attempt.percent, "passed": attempt.passed},
        )
    return attempt


def _grades():
    """Return every grade in the database, to compare before and after."""
    return (
        sorted(AttemptItem.objects.values_list("pk", "score")),
        sorted(Attempt.objects.values_list("pk", "score", "percent", "passed")),
        sorted(AssessmentResult.objects.values_list("pk", "attempt_id", "percent", "passed")),
    )


@pytest.fixture
def scenario(keyed, category):
    """
    The key said A; the trainer corrects it to B. Pass mark 60% of 5 points.
    - falls:  A (2) + wrong (0) + right (1) = 60% passed -> 20% failed
    - rises:  B (0) + wrong (0) + right (1) = 20% failed -> 60% passed
    - stays:  A (2) + right (2) + right (1) = 100% -> 60%, still passed
    - other:  C, nothing changes; and an open attempt that answered A is not graded yet.
    """
    exam = _exam(category)
    a, b, c = keyed["key"]["A"], keyed["key"]["B"], keyed["key"]["C"]
    v1, f2, f1 = keyed["v1"], keyed["f2"], keyed["f1"]
    people = {
        name: StaffFactory(user__first_name=name)
        for name in ("falls", "rises", "stays", "other", "busy")
    }
    attempts = {
        "falls": graded_attempt(people["falls"], exam, [(v1, a), (f2, False), (f1, True)]),
        "rises": graded_attempt(people["rises"], exam, [(v1, b), (f2, False), (f1, True)]),
        "stays": graded_attempt(people["stays"], exam, [(v1, a), (f2, True), (f1, True)]),
        "other": graded_attempt(people["other"], exam, [(v1, c), (f2, True), (f1, True)]),
        "busy": graded_attempt(
            people["busy"], exam, [(v1, a), (f2, True), (f1, True)], status=Attempt.Status.OPEN
        ),
    }
    question = _correct_key(keyed["question"], "B")
    return {"exam": exam, "people": people, "attempts": attempts, "question": question}


def test_preview_shows_whose_grade_changes_and_writes_no_grade(scenario, trainer):
    before = _grades()

    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)

    assert _grades() == before
    assert not GradeChange.objects.exists()
    assert regrade.status == Regrade.Status.PREVIEWED
    assert regrade.created_by == trainer
    assert regrade.reason == REASON
    assert (regrade.from_version.number, regrade.to_version.number) == (1, 2)
    attempts = scenario["attempts"]
    people = scenario["people"]
    preview = regrade.preview
    assert preview["items_examined"] == 4  # the open attempt is not graded yet
    assert preview["counts"] == {
        "attempts": 3,
        "people": 3,
        "pass_to_fail": 1,
        "fail_to_pass": 1,
    }
    assert sorted(
        (a["attempt"], a["old_score"], a["new_score"], a["new_percent"], a["new_passed"])
        for a in preview["attempts"]
    ) == sorted(
        [
            (attempts["falls"].pk, "3.00", "1.00", "20.00", False),
            (attempts["rises"].pk, "1.00", "3.00", "60.00", True),
            (attempts["stays"].pk, "5.00", "3.00", "60.00", True),
        ]
    )
    flips = {
        p["name"]: (p["old_percent"], p["new_percent"], p["change"]) for p in preview["people"]
    }
    assert flips == {
        "falls": ("60.00", "20.00", "pass_to_fail"),
        "rises": ("20.00", "60.00", "fail_to_pass"),
        "stays": ("100.00", "60.00", ""),
    }
    assert {p["employee_number"] for p in preview["people"]} == {
        people[n].employee_number for n in ("falls", "rises", "stays")
    }


def test_applied_result_equals_the_preview_and_leaves_an_audit_trail(scenario, trainer):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    preview = regrade.preview
    before_apply = timezone.now()

    regrade = regrade_apply(regrade_id=regrade.pk)

    assert regrade.status == Regrade.Status.APPLIED
    assert regrade.applied_at >= before_apply
    assert regrade.preview["applied"] == {"matches_preview": True, "counts": preview["counts"]}
    for row in preview["attempts"]:
        attempt = Attempt.objects.get(pk=row["attempt"])
        assert (str(attempt.score), str(attempt.percent), attempt.passed) == (
            row["new_score"],
            row["new_percent"],
            row["new_passed"],
        )
    for row in preview["people"]:
        result = AssessmentResult.objects.get(
            staff_id=row["staff"], assessment_id=row["assessment"]
        )
        assert (result.attempt_id, str(result.percent), result.passed) == (
            row["new_attempt"],
            row["new_percent"],
            row["new_passed"],
        )
    regraded_item_scores = dict(
        AttemptItem.objects.filter(version__question=scenario["question"]).values_list(
            "attempt_id", "score"
        )
    )
    attempts = scenario["attempts"]
    assert regraded_item_scores == {
        attempts["falls"].pk: Decimal("0.00"),
        attempts["rises"].pk: Decimal("2.00"),
        attempts["stays"].pk: Decimal("0.00"),
        attempts["other"].pk: Decimal("0.00"),
        attempts["busy"].pk: None,
    }
    changes = GradeChange.objects.order_by("attempt_id")
    assert [
        (c.attempt_id, c.old_score, c.new_score, c.old_passed, c.new_passed) for c in changes
    ] == sorted(
        [
            (attempts["falls"].pk, Decimal("3.00"), Decimal("1.00"), True, False),
            (attempts["rises"].pk, Decimal("1.00"), Decimal("3.00"), False, True),
            (attempts["stays"].pk, Decimal("5.00"), Decimal("3.00"), True, True),
        ]
    )
    assert {(c.actor_id, c.reason, c.regrade_id) for c in changes} == {
        (trainer.pk, REASON, regrade.pk)
    }
    assert all(before_apply <= c.created_at <= timezone.now() for c in changes)


def test_applying_twice_changes_nothing_the_second_time(scenario, trainer):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    regrade_apply(regrade_id=regrade.pk)
    after_first = _grades()
    first = Regrade.objects.get(pk=regrade.pk)

    again = regrade_apply(regrade_id=regrade.pk)

    assert _grades() == after_first
    assert GradeChange.objects.count() == 3
    assert (again.status, again.applied_at, again.preview) == (
        Regrade.Status.APPLIED,
        first.applied_at,
        first.preview,
    )


def test_the_database_refuses_a_second_grade_change_of_one_attempt_by_one_regrade(
    scenario, trainer
):
    regrade = regrade_apply(
        regrade_id=regrade_preview(question=scenario["question"], actor=trainer, reason=REASON).pk
    )
    change = GradeChange.objects.filter(regrade=regrade).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        GradeChange.objects.create(
            attempt=change.attempt,
            regrade=regrade,
            old_score=change.old_score,
            new_score=change.new_score,
            old_passed=change.old_passed,
            new_passed=change.new_passed,
            actor=trainer,
            reason=REASON,
        )

    assert GradeChange.objects.filter(attempt=change.attempt, regrade=regrade).count() == 1


def test_a_second_regrade_to_the_same_key_changes_no_grade(scenario, trainer):
    regrade_apply(
        regrade_id=regrade_preview(question=scenario["question"], actor=trainer, reason=REASON).pk
    )
    after = _grades()

    second = regrade_preview(question=scenario["question"], actor=trainer, reason="再次核对")
    regrade_apply(regrade_id=second.pk)

    assert second.preview["counts"]["attempts"] == 0
    assert _grades() == after
    assert GradeChange.objects.filter(regrade=second).count() == 0


def test_an_attempt_finished_after_the_preview_is_regraded_and_the_difference_recorded(
    scenario, keyed, trainer
):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    late = StaffFactory()
    # It drew version 1 before the correction and was submitted after the preview.
    attempt = graded_attempt(
        late, scenario["exam"], [(keyed["v1"], keyed["key"]["A"]), (keyed["f2"], True)]
    )

    regrade = regrade_apply(regrade_id=regrade.pk)

    applied = regrade.preview["applied"]
    assert applied["matches_preview"] is False
    assert applied["counts"] == {"attempts": 4, "people": 4, "pass_to_fail": 2, "fail_to_pass": 1}
    assert regrade.preview["counts"]["attempts"] == 3  # what the trainer saw is kept
    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent, attempt.passed) == (
        Decimal("2.00"),
        Decimal("50.00"),
        False,
    )
    change = GradeChange.objects.get(attempt=attempt)
    assert (change.old_score, change.new_score, change.old_passed, change.new_passed) == (
        Decimal("4.00"),
        Decimal("2.00"),
        True,
        False,
    )


def test_proportional_multiple_choice_is_rescored_choice_by_choice(category, trainer):
    question = f.question(
        category=category,
        kind="multiple",
        options=[("A", True), ("B", True), ("C", False), ("D", False)],
        points=Decimal("3"),
        partial_credit=Question.PartialCredit.PROPORTIONAL,
    )
    v1 = question_version_current(question=question)
    key = _keys(question)
    exam = _exam(category, pass_mark_percent=60)
    responses = {
        "AC": [key["A"], key["C"]],  # 1 right, 1 wrong: 0      -> 2 right: 2.00
        "AB": [key["A"], key["B"]],  # 2 right: 3.00            -> 2 of 3 right: 2.00
        "ABC": [key["A"], key["B"], key["C"]],  # 2 right 1 wrong: 1.50 -> 3 right: 3.00
        "D": [key["D"]],  # 0 -> 0
    }
    attempts = {
        name: graded_attempt(StaffFactory(), exam, [(v1, response)])
        for name, response in responses.items()
    }
    assert [attempts[n].score for n in responses] == [
        Decimal("0.00"),
        Decimal("3.00"),
        Decimal("1.50"),
        Decimal("0.00"),
    ]
    question = _correct_key(question, "A", "B", "C")

    regrade = regrade_preview(question=question, actor=trainer, reason="C 也正确")
    regrade_apply(regrade_id=regrade.pk)

    scores = {n: Attempt.objects.get(pk=a.pk).score for n, a in attempts.items()}
    assert scores == {
        "AC": Decimal("2.00"),
        "AB": Decimal("2.00"),
        "ABC": Decimal("3.00"),
        "D": Decimal("0.00"),
    }
    assert {p["name"]: p["change"] for p in regrade.preview["people"]} == {
        attempts["AC"].staff.name: "fail_to_pass",
        attempts["AB"].staff.name: "",
        attempts["ABC"].staff.name: "fail_to_pass",
    }


def test_an_option_removed_from_the_question_scores_as_wrong(category, trainer):
    question = f.question(
        category=category, options=[("A", False), ("B", False), ("C", True)], points=Decimal("1")
    )
    v1 = question_version_current(question=question)
    key = _keys(question)
    exam = _exam(category, pass_mark_percent=100)
    chose_c = graded_attempt(StaffFactory(), exam, [(v1, key["C"])])
    chose_b = graded_attempt(StaffFactory(), exam, [(v1, key["B"])])
    QuestionOption.objects.filter(pk=key["C"]).delete()
    question = _correct_key(question, "B")

    regrade = regrade_preview(question=question, actor=trainer, reason="C 选项有误，已删除")
    regrade_apply(regrade_id=regrade.pk)

    chose_c.refresh_from_db()
    chose_b.refresh_from_db()
    assert (chose_c.score, chose_c.passed) == (Decimal("0.00"), False)
    assert (chose_b.score, chose_b.passed) == (Decimal("1.00"), True)


@pytest.mark.parametrize(
    ("counting", "counted_after", "change"),
    [
        # Best counts: the first attempt (75%) still passes, though the second falls to 50%.
        (Assessment.Counting.BEST, 1, ""),
        # Latest counts: the second attempt is what counts, and it now fails.
        (Assessment.Counting.LATEST, 2, "pass_to_fail"),
    ],
)
def test_which_attempt_counts_decides_whether_the_result_flips(
    keyed, category, trainer, counting, counted_after, change
):
    exam = _exam(category, pass_mark_percent=70, counting=counting)
    person = StaffFactory()
    v1, f2, f1, key = keyed["v1"], keyed["f2"], keyed["f1"], keyed["key"]
    f3 = question_version_current(question=f.question(category=category, kind="true_false"))
    # 1: without the question, 2 + 1 + 0 of 4 = 75%.
    first = graded_attempt(person, exam, [(f2, True), (f1, True), (f3, False)])
    # 2: A (2) + 2 + 0 of 5 = 80%; with the corrected key 2 of 5 = 40%.
    second = graded_attempt(person, exam, [(v1, key["A"]), (f2, True), (f1, False)])
    assert (first.percent, second.percent) == (Decimal("75.00"), Decimal("80.00"))
    question = _correct_key(keyed["question"], "B")

    regrade = regrade_preview(question=question, actor=trainer, reason=REASON)
    regrade_apply(regrade_id=regrade.pk)

    [row] = regrade.preview["people"]
    assert (row["old_attempt"], row["new_attempt"], row["change"]) == (
        second.pk,
        {1: first.pk, 2: second.pk}[counted_after],
        change,
    )
    result = AssessmentResult.objects.get(staff=person, assessment=exam)
    expected = {1: (first.pk, Decimal("75.00"), True), 2: (second.pk, Decimal("40.00"), False)}
    assert (result.attempt_id, result.percent, result.passed) == expected[counted_after]


def test_a_learner_who_now_passes_the_course_exam_completes_the_course(keyed, category, trainer):
    course = course_page(lessons=1)
    exam = f.assessment(course=course, rules=[(category, 3)], pass_mark_percent=60)
    person = StaffFactory()
    LessonCompletion.objects.create(
        staff=person, lesson=LessonPage.objects.descendant_of(course).get()
    )
    v1, f2, f1, key = keyed["v1"], keyed["f2"], keyed["f1"], keyed["key"]
    graded_attempt(person, exam, [(v1, key["B"]), (f2, False), (f1, True)])  # 20%: failed
    assert not CourseProgress.objects.filter(staff=person, completed_at__isnull=False).exists()
    question = _correct_key(keyed["question"], "B")

    regrade_apply(regrade_id=regrade_preview(question=question, actor=trainer, reason=REASON).pk)

    progress = CourseProgress.objects.get(staff=person, course=course)
    assert progress.completed_at is not None


def test_confirming_applies_the_regrade_in_a_celery_task_after_commit(
    scenario, trainer, django_capture_on_commit_callbacks
):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    preview = regrade.preview

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        regrade = regrade_confirm(regrade=regrade, actor=trainer)
        assert regrade.status == Regrade.Status.APPLYING
        assert not GradeChange.objects.exists()  # nothing before the commit

    assert len(callbacks) == 1
    regrade.refresh_from_db()
    assert regrade.status == Regrade.Status.APPLIED
    assert regrade.preview["applied"]["matches_preview"] is True
    assert sorted(GradeChange.objects.values_list("attempt_id", "new_score")) == sorted(
        (row["attempt"], Decimal(row["new_score"])) for row in preview["attempts"]
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        regrade_confirm(regrade=regrade, actor=trainer)
    assert callbacks == []
    assert GradeChange.objects.count() == 3


def test_the_task_run_again_changes_nothing(scenario, trainer):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    assert regrade_apply_task.delay(regrade.pk).get() == Regrade.Status.APPLIED
    after = _grades()

    assert regrade_apply_task.delay(regrade.pk).get() == Regrade.Status.APPLIED

    assert _grades() == after
    assert GradeChange.objects.count() == 3


def test_a_preview_made_stale_by_another_correction_is_refused(scenario, trainer):
    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    question = _correct_key(scenario["question"], "C")
    regrade_preview(question=question, actor=trainer, reason="其实是C")
    before = _grades()

    with pytest.raises(RegradeRefused):
        regrade_confirm(regrade=regrade, actor=trainer)

    regrade.refresh_from_db()
    assert regrade.status == Regrade.Status.PREVIEWED
    assert _grades() == before
    assert not GradeChange.objects.exists()


def test_a_question_never_changed_has_nothing_to_regrade(category, trainer):
    question = f.question(category=category)

    with pytest.raises(RegradeRefused):
        regrade_preview(question=question, actor=trainer, reason=REASON)

    assert not Regrade.objects.exists()
    assert not QuestionVersion.objects.filter(question=question).exists()


@pytest.mark.parametrize("role", ["outlet_manager", "technician", "auditor"])
def test_only_trainers_may_regrade(scenario, role):
    person = StaffFactory(role=role) if role != "auditor" else StaffFactory(role=role, outlet=None)
    staff_assignment_sync(staff=person)
    before = _grades()
    versions = QuestionVersion.objects.count()

    with pytest.raises(PermissionDenied):
        regrade_preview(question=scenario["question"], actor=person.user, reason=REASON)

    assert not Regrade.objects.exists()
    assert QuestionVersion.objects.count() == versions
    assert _grades() == before


def test_senior_trainer_and_superuser_may_regrade(scenario):
    from tests.factories.network import UserFactory

    senior = _trainer_user(senior=True)
    superuser = UserFactory(is_superuser=True, is_staff=True)

    first = regrade_preview(question=scenario["question"], actor=senior, reason=REASON)
    second = regrade_preview(question=scenario["question"], actor=superuser, reason=REASON)

    assert first.preview["counts"] == second.preview["counts"]


# The admin pages.


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def _admin_urls(scenario):
    attempt = scenario["attempts"]["falls"]
    regrade = Regrade.objects.first()
    urls = [
        reverse("assessments_item_statistics"),
        reverse("assessments_regrade_start", args=[scenario["question"].pk]),
        reverse("assessments_question_grade_changes", args=[scenario["question"].pk]),
        reverse("assessments_attempt_grade_changes", args=[attempt.pk]),
    ]
    if regrade:
        urls.append(reverse("assessments_regrade_detail", args=[regrade.pk]))
    return urls


def test_outlet_manager_cannot_reach_the_regrade_pages(client, scenario, trainer, manager):
    regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    staff_assignment_sync(staff=manager)
    client.force_login(manager.user)

    for url in _admin_urls(scenario):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    regrade = Regrade.objects.get()
    response = client.post(reverse("assessments_regrade_detail", args=[regrade.pk]))
    assert response.status_code == 302
    regrade.refresh_from_db()
    assert regrade.status == Regrade.Status.PREVIEWED


def test_auditor_in_the_admin_may_not_regrade(client, scenario, auditor):
    staff_assignment_sync(staff=auditor)
    client.force_login(auditor.user)

    response = client.post(
        reverse("assessments_regrade_start", args=[scenario["question"].pk]), {"reason": REASON}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not Regrade.objects.exists()


def test_trainer_previews_then_applies_a_regrade_in_the_admin(
    trainer_client, scenario, django_capture_on_commit_callbacks
):
    question = scenario["question"]
    start = reverse("assessments_regrade_start", args=[question.pk])
    assert trainer_client.get(start).status_code == 200

    response = trainer_client.post(start, {"reason": REASON})

    regrade = Regrade.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments_regrade_detail", args=[regrade.pk])
    page = trainer_client.get(response["Location"]).content.decode()
    falls = scenario["people"]["falls"]
    assert falls.employee_number in page
    assert 'data-change="pass_to_fail"' in page
    assert 'data-change="fail_to_pass"' in page
    assert 'data-counts="3 3 1 1"' in page
    assert "60.00% → 20.00%" in page
    assert not GradeChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(response["Location"])

    assert response.status_code == 302
    regrade.refresh_from_db()
    assert regrade.status == Regrade.Status.APPLIED
    page = trainer_client.get(response["Location"]).content.decode()
    assert 'data-status="applied"' in page
    assert "Applied exactly as previewed." in page
    history = trainer_client.get(
        reverse("assessments_question_grade_changes", args=[question.pk])
    ).content.decode()
    assert history.count("data-change=") == 3
    assert REASON in history
    attempt_history = trainer_client.get(
        reverse("assessments_attempt_grade_changes", args=[scenario["attempts"]["falls"].pk])
    ).content.decode()
    assert attempt_history.count("data-change=") == 1
    assert "3.00 → 1.00" in attempt_history


def test_the_question_listing_offers_regrade_and_history_to_trainers_only(
    scenario, trainer, manager
):
    from wagtail import hooks

    question = scenario["question"]
    [hook] = [
        h
        for h in hooks.get_hooks("register_snippet_listing_buttons")
        if h.__module__ == "assessments.wagtail_hooks.regrades"
    ]

    assert [b.url for b in hook(question, trainer)] == [
        reverse("assessments_regrade_start", args=[question.pk]),
        reverse("assessments_question_grade_changes", args=[question.pk]),
    ]
    assert list(hook(question, manager.user)) == []
    assert list(hook(scenario["exam"], trainer)) == []


def test_an_empty_reason_is_refused_and_nothing_is_written(trainer_client, scenario):
    response = trainer_client.post(
        reverse("assessments_regrade_start", args=[scenario["question"].pk]), {"reason": " "}
    )

    assert response.status_code == 200
    assert not Regrade.objects.exists()


# Query counts at two sizes.


def _regradable_question(size):
    """Return a question answered wrongly-keyed by `size` finished attempts, its key corrected."""
    category = f.category()
    question = f.question(category=category, options=[("A", True), ("B", False)])
    filler = f.question(category=category, kind="true_false")
    v1 = question_version_current(question=question)
    f1 = question_version_current(question=filler)
    exam = _exam(category)
    key = _keys(question)
    for _ in range(size):
        graded_attempt(StaffFactory(), exam, [(v1, key["A"]), (f1, True)])
    return _correct_key(question, "B")


def _queries(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return len(captured), result


def test_preview_and_apply_run_as_many_queries_for_twenty_attempts_as_for_one(trainer):
    small, large = _regradable_question(1), _regradable_question(20)
    assert trainer.has_perm("assessments.change_question")  # permissions cached on the user
    counts = {}
    for name, question in (("small", small), ("large", large)):
        preview_queries, regrade = _queries(
            lambda q=question: regrade_preview(question=q, actor=trainer, reason=REASON)
        )
        apply_queries, regrade = _queries(lambda r=regrade: regrade_apply(regrade_id=r.pk))
        counts[name] = (preview_queries, apply_queries)
        assert GradeChange.objects.filter(regrade=regrade).count() == (1 if name == "small" else 20)

    assert counts["small"] == counts["large"]
    assert counts["small"] == (14, 13)


def test_regrade_and_history_pages_run_as_many_queries_for_twenty_attempts_as_for_one(
    trainer_client, trainer
):
    counts = {}
    for size in (1, 20):
        question = _regradable_question(size)
        regrade = regrade_apply(
            regrade_id=regrade_preview(question=question, actor=trainer, reason=REASON).pk
        )
        attempt = GradeChange.objects.filter(regrade=regrade).first().attempt_id
        urls = [
            reverse("assessments_regrade_detail", args=[regrade.pk]),
            reverse("assessments_regrade_start", args=[question.pk]),
            reverse("assessments_question_grade_changes", args=[question.pk]),
            reverse("assessments_attempt_grade_changes", args=[attempt]),
        ]
        trainer_client.get(urls[0])  # warms the session and the admin menu
        pages = [_queries(lambda u=url: trainer_client.get(u)) for url in urls]
        assert [response.status_code for _, response in pages] == [200] * 4
        assert pages[2][1].content.decode().count("data-change=") == size
        counts[size] = [n for n, _ in pages]

    assert counts[1] == counts[20]
    assert counts[1] == [10, 11, 12, 12]


def test_a_regrade_turning_a_fail_into_a_pass_tells_the_result_hooks(scenario, trainer):
    from wagtail import hooks

    from core import hooks as core_hooks

    told = []

    def tell(*, result, assessment):
        told.append((result.staff_id, result.passed))

    regrade = regrade_preview(question=scenario["question"], actor=trainer, reason=REASON)
    with hooks.register_temporarily(core_hooks.RESULT_UPDATED, tell):
        regrade_apply(regrade_id=regrade.pk)
    assert told == [(scenario["people"]["rises"].pk, True)]

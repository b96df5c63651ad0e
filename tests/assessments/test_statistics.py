"""Item statistics per question: attempts, facility, discrimination and the bad-question flags."""

import datetime
import statistics as stats
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Attempt, AttemptItem, Question
from assessments.services.questions import question_version_current
from assessments.statistics import item_statistics
from network.services import staff_assignment_sync
from tests.factories import assessments as f
from tests.factories.courses import course_page
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def category():
    return f.category("三包政策")


@pytest.fixture
def exam(category):
    return f.assessment(course=course_page(lessons=0), rules=[(category, 1)])


def answered(exam, version, earned, percent, *, status=Attempt.Status.SUBMITTED):
    """
    Record one attempt that earned `earned` of `version`'s points and `percent` on the whole exam
    (the rest of the exam is not needed for the statistics).
    """
    staff = StaffFactory()
    points = Decimal(version.data["points"])
    finished = status != Attempt.Status.OPEN
    attempt = Attempt.objects.create(
        staff=staff,
        assessment=exam,
        number=1,
        status=status,
        started_at=START,
        deadline=START + datetime.timedelta(minutes=30),
        finished_at=START + datetime.timedelta(minutes=20) if finished else None,
        score=Decimal(percent) if finished else None,
        max_score=Decimal(100),
        percent=Decimal(percent) if finished else None,
        passed=Decimal(percent) >= exam.pass_mark_percent if finished else None,
    )
    AttemptItem.objects.create(
        attempt=attempt,
        position=1,
        version=version,
        response=None,
        score=Decimal(earned) * points if finished else None,
        max_score=points,
    )
    return attempt


def _new_version(question):
    """Edit the question's wording, as a trainer does, and return its new version."""
    Question.objects.filter(pk=question.pk).update(text=question.text + "（修订）")
    return question_version_current(question=Question.objects.get(pk=question.pk))


def _row(question):
    [row] = [r for r in item_statistics() if r.question.pk == question.pk]
    return row


def test_statistics_of_ten_attempts_are_exact(category, exam):
    question = f.question(category=category)
    v1 = question_version_current(question=question)
    # Six attempts got it right (totals 90, 90, 90, 50, 50, 50), four wrong (50, 50, 10, 10);
    # the last four answered the second version: all versions count.
    for earned, percent in [(1, 90)] * 3 + [(1, 50)] * 3:
        answered(exam, v1, earned, percent)
    v2 = _new_version(question)
    for earned, percent in [(0, 50)] * 2 + [(0, 10)] * 2:
        answered(exam, v2, earned, percent)
    # Not finished: does not count.
    answered(exam, v2, 1, 10, status=Attempt.Status.OPEN)

    row = _row(question)

    assert row.attempts == 10
    assert row.facility == Decimal("0.6000")
    # Point-biserial: (M1 - M0) / s * sqrt(p q) = (0.70 - 0.30) / 0.28 * sqrt(0.6 * 0.4).
    assert row.discrimination == Decimal("0.6999")
    assert round(stats.correlation([1] * 6 + [0] * 4, [90] * 3 + [50] * 5 + [10] * 2), 4) == float(
        row.discrimination
    )
    assert row.flags == ()


def test_partial_credit_counts_as_a_share_of_the_points(category, exam):
    question = f.question(category=category, kind="multiple", points=Decimal("4"))
    version = question_version_current(question=question)
    answered(exam, version, Decimal("0.5"), 60)
    answered(exam, version, Decimal("0.25"), 40)

    row = _row(question)

    assert (row.attempts, row.facility, row.discrimination) == (2, Decimal("0.3750"), Decimal(1))


def test_too_easy_and_too_hard_questions_are_flagged(category, exam):
    easy, hard, fine = (f.question(category=category) for _ in range(3))
    versions = {q.pk: question_version_current(question=q) for q in (easy, hard, fine)}
    for i in range(20):
        percent = 40 + 3 * i
        answered(exam, versions[easy.pk], 1, percent)
        answered(exam, versions[hard.pk], 1 if i == 19 else 0, percent)
        answered(exam, versions[fine.pk], 1 if i >= 10 else 0, percent)

    rows = {r.question.pk: r for r in item_statistics()}

    assert (rows[easy.pk].facility, rows[easy.pk].flags) == (Decimal("1.0000"), ("too_easy",))
    # Nobody-but-one right: too hard, and still discriminating (the one is the best learner).
    assert (rows[hard.pk].facility, rows[hard.pk].flags) == (Decimal("0.0500"), ("too_hard",))
    assert rows[easy.pk].discrimination is None  # everyone right: nothing to correlate
    assert rows[fine.pk].flags == ()
    assert rows[fine.pk].discrimination > Decimal("0.8")


def test_a_question_the_weaker_learners_answer_better_is_flagged_from_ten_attempts(category, exam):
    question = f.question(category=category)
    version = question_version_current(question=question)
    # Right in the five weakest attempts, wrong in the four strongest: negative discrimination.
    for i in range(9):
        answered(exam, version, 1 if i < 5 else 0, 30 + 5 * i)

    assert _row(question).attempts == 9
    assert _row(question).flags == ()  # nine attempts say too little

    answered(exam, version, 0, 90)

    row = _row(question)
    assert row.attempts == 10
    assert row.facility == Decimal("0.5000")
    assert row.discrimination < Decimal("-0.8")
    assert row.flags == ("not_discriminating",)


def test_a_question_never_answered_has_no_statistics(category):
    question = f.question(category=category)

    row = _row(question)

    assert (row.attempts, row.facility, row.discrimination, row.flags) == (0, None, None, ())


def test_statistics_take_one_query_for_any_number_of_questions(category, exam):
    for _ in range(20):
        version = question_version_current(question=f.question(category=category))
        answered(exam, version, 1, 80)
        answered(exam, version, 0, 40)

    with CaptureQueriesContext(connection) as captured:
        rows = item_statistics()

    assert len(rows) == 20
    assert len(captured) == 1


# The admin page.


@pytest.fixture
def trainer_client(client):
    staff = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=staff)
    Group.objects.get(name="Trainers").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="assessments",
            codename__in=["change_question", "view_question"],
        )
    )
    client.force_login(get_user_model().objects.get(pk=staff.user_id))
    return client


def test_trainer_sees_the_statistics_by_category_with_the_bad_questions_marked(
    trainer_client, category, exam
):
    other = f.category("维修规范")
    good = f.question(category=category, text="三包期从哪天算起？")
    easy = f.question(category=other, text="开机键在哪里？")
    unused = f.question(category=other, text="没人答过的题")
    for question, results in ((good, [(1, 90), (0, 30)]), (easy, [(1, 90), (1, 30)])):
        version = question_version_current(question=question)
        for earned, percent in results:
            answered(exam, version, earned, percent)

    page = trainer_client.get(reverse("assessments_item_statistics")).content.decode()

    assert page.index("三包政策") < page.index("三包期从哪天算起？")
    assert page.index("维修规范") < page.index("开机键在哪里？")
    assert 'data-flagged-count="1"' in page
    assert "Too easy" in page
    assert f'data-question="{unused.pk}"' in page

    flagged = trainer_client.get(
        reverse("assessments_item_statistics"), {"flagged": "on", "category": other.pk}
    ).content.decode()
    assert f'data-question="{easy.pk}"' in flagged
    assert f'data-question="{good.pk}"' not in flagged
    assert f'data-question="{unused.pk}"' not in flagged
    assert reverse("assessments_regrade_start", args=[easy.pk]) in flagged


def test_statistics_page_runs_as_many_queries_for_twenty_questions_as_for_one(trainer_client, exam):
    counts = []
    for size in (1, 20):
        category = f.category()
        for _ in range(size):
            question = f.question(category=category, options=[("甲", True), ("乙", False)])
            version = question_version_current(question=question)
            answered(exam, version, 1, 80)
        url = reverse("assessments_item_statistics")
        trainer_client.get(url)  # warms the session and the admin menu
        with CaptureQueriesContext(connection) as captured:
            response = trainer_client.get(url, {"category": category.pk})
        assert response.content.decode().count("data-question=") == size
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert counts[0] == 12


def test_outlet_manager_cannot_reach_the_statistics(client, manager):
    staff_assignment_sync(staff=manager)
    client.force_login(manager.user)

    response = client.get(reverse("assessments_item_statistics"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_user_without_the_question_permission_is_refused(client):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(reverse("assessments_item_statistics"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")

"""A key corrected while someone is mid-exam applies to their attempt when they submit."""

import pytest

from assessments.models import AttemptItem, QuestionOption
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from assessments.services.questions import question_version_current
from assessments.services.regrades import regrade_apply, regrade_preview
from courses.services import enrollment_sync
from network.services import staff_assignment_sync
from tests.factories import assessments as f
from tests.factories.courses import course_page, track_page
from tests.factories.network import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_attempt(partner_outlet):
    track = track_page(roles=["technician"], courses=[course_page(lessons=1)])
    bank = f.category()
    # The key is wrong: option B is the right answer, but A is marked right.
    question = f.question(category=bank, options=[("A", True), ("B", False), ("C", False)])
    exam = f.assessment(track=track, rules=[(bank, 1)], shuffle_options=False)
    learner = StaffFactory(role="technician", outlet=partner_outlet)
    enrollment_sync(staff_ids=[learner.pk])
    attempt = attempt_start(staff=learner, assessment=exam)
    item = attempt.items.get()
    option_b = question.options.get(text="B")
    answer_save(attempt=attempt, position=item.position, response=str(option_b.pk))
    return attempt, question, option_b


def test_attempt_submitted_after_a_regrade_is_graded_with_the_corrected_key(open_attempt):
    attempt, question, option_b = open_attempt
    trainer = StaffFactory(role="trainer", outlet=None)
    staff_assignment_sync(staff=trainer)  # the Trainers group may change questions
    QuestionOption.objects.filter(question=question).update(is_correct=False)
    QuestionOption.objects.filter(pk=option_b.pk).update(is_correct=True)
    question.refresh_from_db()
    question_version_current(question=question, actor=trainer.user)
    user = type(trainer.user).objects.get(pk=trainer.user_id)  # fresh permission cache
    regrade = regrade_preview(question=question, actor=user, reason="答案标错")
    regrade_apply(regrade_id=regrade.pk)

    graded = attempt_submit(attempt=attempt)

    assert (graded.percent, graded.passed) == (100, True)
    assert AttemptItem.objects.get(attempt=attempt).score == 1


def test_attempt_submitted_without_a_regrade_keeps_the_key_it_was_drawn_with(open_attempt):
    attempt, _, _ = open_attempt
    graded = attempt_submit(attempt=attempt)
    assert (graded.percent, graded.passed) == (0, False)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.bank_formats import bank_parse
from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    CriterionResult,
    PracticalAssessment,
    PracticalChecklist,
    Question,
    QuestionVersion,
)
from assessments.services.banks import bank_import, question_item
from assessments.services.questions import question_version_current
from courses.models import CoursePage, CourseProgress, TrackCourse, TrackPage
from demo.demo_assessments import BANK_FILE, BANK_ROOT, EXTRA_QUESTION_REFS, demo_assessor
from network.models import Role, Staff

# One seed for the whole folder (see `seeded`); tests that change data are rolled back.
from tests.demo.conftest import seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def _staff(username):
    return Staff.objects.select_related("user", "outlet").get(user__username=username)


def _counts():
    return {
        "questions": Question.objects.count(),
        "versions": QuestionVersion.objects.count(),
        "exams": Assessment.objects.count(),
        "checklists": PracticalChecklist.objects.count(),
        "attempts": Attempt.objects.count(),
        "practicals": PracticalAssessment.objects.count(),
    }


def test_bank_has_sixty_active_questions_of_every_kind_in_both_languages():
    questions = list(Question.objects.filter(is_active=True).prefetch_related("options"))

    assert len(questions) >= 60
    assert {q.kind for q in questions} == set(Question.Kind.values)
    assert {q.difficulty for q in questions} == {1, 2, 3}
    for question in questions:
        assert question.text_en.strip(), question.source_ref
        assert question.explanation.strip(), question.source_ref
        assert question.explanation_en.strip(), question.source_ref
        for option in question.options.all():
            # A matching question's extra wrong answer has no item, only an answer.
            assert option.text_en.strip() or not option.text, question.source_ref
            if question.kind == Question.Kind.MATCHING:
                assert option.match_text_en.strip(), question.source_ref
    assert any(
        # Moodle's grades: each wrong choice takes a right one's share away, as proportional does.
        q.kind == Question.Kind.MULTIPLE and any((o.fraction or 0) < 0 for o in q.options.all())
        for q in questions
    )
    assert any(q.kind == Question.Kind.NUMERIC and q.numeric_tolerance > 0 for q in questions)


def test_the_demo_bank_is_the_moodle_file_in_the_repository_as_the_importer_reads_it():
    bank = bank_parse(BANK_FILE.read_bytes(), BANK_FILE.name)
    assert (BANK_FILE.suffix, bank.errors, bank.warnings) == (".xml", [], [])
    questions = {
        q.source_ref: q
        for q in Question.objects.select_related("category__parent").prefetch_related(
            "options", "tagged_items__tag"
        )
    }

    # The short answer and matching questions are not in the file (see EXTRA_QUESTIONS).
    assert sorted(questions) == sorted(
        [item["source_ref"] for item in bank.items] + list(EXTRA_QUESTION_REFS)
    )
    for item in bank.items:
        question = questions[item["source_ref"]]
        path = (question.category.parent.name, question.category.name)
        assert question_item(question, path) == {k: v for k, v in item.items() if k != "item"}


def test_importing_the_demo_bank_file_again_finds_every_question_unchanged():
    report = bank_import(content=BANK_FILE.read_bytes(), filename=BANK_FILE.name, apply=False)

    assert (report.errors, report.created, report.updated) == ([], 0, 0)
    in_file = Question.objects.exclude(source_ref__in=EXTRA_QUESTION_REFS)
    assert report.unchanged == report.total == in_file.count()


def test_every_question_has_a_key_that_fits_its_kind():
    for question in Question.objects.prefetch_related("options"):
        options = list(question.options.all())
        right = sum(o.is_correct for o in options)
        ref = question.source_ref
        if question.kind == Question.Kind.SINGLE:
            assert right == 1 and len(options) >= 3, ref
        elif question.kind == Question.Kind.MULTIPLE:
            assert right >= 2 and len(options) > right, ref
        elif question.kind == Question.Kind.ORDERING:
            assert len(options) >= 4, ref
        elif question.kind == Question.Kind.TRUE_FALSE:
            assert question.true_false_answer is not None and not options, ref
        elif question.kind == Question.Kind.SHORT_ANSWER:
            assert any(o.fraction in (None, 1) and o.text for o in options), ref
        elif question.kind == Question.Kind.MATCHING:
            assert sum(bool(o.text and o.match_text) for o in options) >= 2, ref
            assert all(o.match_text for o in options), ref
        else:
            assert question.numeric_answer is not None and not options, ref


def test_every_question_has_one_version_that_a_draw_finds_current():
    versions = _counts()["versions"]

    for question in Question.objects.prefetch_related("options"):
        assert question_version_current(question=question).number == 1

    assert versions == Question.objects.count()
    assert QuestionVersion.objects.count() == versions


def test_bank_has_a_category_per_demo_course_under_one_root():
    courses = CoursePage.objects.all()
    categories = {
        q.category.name: q.category for q in Question.objects.select_related("category__parent")
    }

    assert set(categories) == {c.title for c in courses}
    assert {c.parent.name for c in categories.values()} == {BANK_ROOT}
    assert all(c.name_en for c in categories.values())


def test_each_demo_course_has_one_active_course_exam_drawing_from_its_category():
    for course in CoursePage.objects.all():
        exams = Assessment.objects.filter(course=course, is_active=True)

        assert exams.count() == 1, course.slug
        exam = exams.get()
        assert exam.kind == Assessment.Kind.COURSE_EXAM
        assert exam.title_en
        assert (exam.pass_mark_percent, exam.time_limit_minutes, exam.max_attempts) == (80, 20, 3)
        assert exam.review_policy in {
            Assessment.ReviewPolicy.SCORE_AND_WRONG,
            Assessment.ReviewPolicy.FULL,
        }
        (rule,) = exam.draw_rules.select_related("category")
        assert rule.category.name == course.title
        assert rule.count == 5
        active = Question.objects.filter(category=rule.category, is_active=True).count()
        assert active > rule.count, course.slug


def test_each_track_has_a_certification_exam_across_its_courses_and_an_active_checklist():
    for track in TrackPage.objects.all():
        exam = Assessment.objects.get(track=track, is_active=True)
        courses = set(
            TrackCourse.objects.filter(track=track).values_list("course__title", flat=True)
        )
        rules = list(exam.draw_rules.select_related("category"))
        checklist = PracticalChecklist.objects.get(track=track, is_active=True)
        criteria = list(checklist.criteria.all())

        assert exam.kind == Assessment.Kind.CERTIFICATION_EXAM
        assert 10 <= sum(rule.count for rule in rules) <= 15, track.slug
        assert {rule.category.name for rule in rules} == courses
        for rule in rules:
            assert rule.category.questions.filter(is_active=True).count() >= rule.count
        assert (exam.time_limit_minutes, exam.max_attempts, exam.cooldown_minutes) == (30, 2, 60)
        assert exam.review_policy == Assessment.ReviewPolicy.SCORE_ONLY
        assert 4 <= len(criteria) <= 6, track.slug
        assert any(c.critical for c in criteria), track.slug
        assert all(c.text_en for c in criteria)


def test_demo_technician_failed_then_passed_the_exam_of_the_course_they_finished():
    technician = _staff("technician")
    exam = Assessment.objects.get(course__slug="intake-and-diagnosis", is_active=True)

    attempts = list(Attempt.objects.filter(staff=technician, assessment=exam).order_by("number"))

    assert [(a.number, a.status, a.passed) for a in attempts] == [
        (1, Attempt.Status.SUBMITTED, False),
        (2, Attempt.Status.SUBMITTED, True),
    ]
    assert [str(a.percent) for a in attempts] == ["40.00", "80.00"]
    assert attempts[0].finished_at < attempts[1].started_at
    assert all(a.items.filter(response__isnull=True).count() == 0 for a in attempts)
    result = AssessmentResult.objects.get(staff=technician, assessment=exam)
    assert (result.attempt_id, result.passed) == (attempts[1].pk, True)
    assert CourseProgress.objects.get(staff=technician, course=exam.course).completed_at is not None


def test_demo_front_desk_passed_the_exam_of_their_first_course():
    frontdesk = _staff("frontdesk")

    (attempt,) = Attempt.objects.filter(staff=frontdesk)

    assert attempt.assessment.course.slug == "service-etiquette"
    assert (attempt.status, attempt.passed, str(attempt.percent)) == (
        Attempt.Status.SUBMITTED,
        True,
        "100.00",
    )


def test_demo_technician_was_assessed_by_the_senior_technician_of_their_outlet():
    technician = _staff("technician")

    (practical,) = PracticalAssessment.objects.filter(
        learner=technician, checklist__track__slug="technician-onboarding"
    )

    assert practical.status == PracticalAssessment.Status.COMPLETED
    assert practical.passed is True
    assert practical.checklist.track.slug == "technician-onboarding"
    assert practical.assessor.role == Role.SENIOR_TECHNICIAN
    assert practical.assessor.outlet_id == technician.outlet_id
    results = CriterionResult.objects.filter(assessment=practical).select_related("criterion")
    assert results.count() == practical.checklist.criteria.count()
    assert all(r.met for r in results if r.criterion.critical)
    missed = [r for r in results if not r.met]
    assert len(missed) == 1
    assert not missed[0].criterion.critical
    assert missed[0].note


def test_seed_output_lists_the_bank_and_the_demo_attempts(seeded):
    assert "Question bank: 85 questions in 11 categories, 17 exams, 6 practical checklists" in (
        seeded
    )
    assert "(85 questions, 17 exams and 6 checklists created)" in seeded
    assert "(3 exam attempts, 1 practical assessments made now)" in seeded
    assert "接机与故障诊断：课程考试 #1: 40% (failed)" in seeded
    assert "接机与故障诊断：课程考试 #2: 80% (passed)" in seeded
    assert "服务礼仪与规范用语：课程考试 #1: 100% (passed)" in seeded
    assert "Not made" not in seeded


def test_second_seed_changes_nothing():
    before = _counts()

    with CaptureQueriesContext(connection) as queries:
        output = seed()

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert _counts() == before
    assert "(0 questions, 0 exams and 0 checklists created)" in output
    assert "(0 exam attempts, 0 practical assessments made now)" in output


def test_second_seed_leaves_what_trainers_changed():
    question = Question.objects.get(source_ref="demo-cw-01")
    question.text = "手机售出后几日内出现性能故障可以退货？"
    question.is_active = False
    question.save()
    exam = Assessment.objects.get(course__slug="battery-safety", is_active=True)
    exam.is_active = False
    exam.save()
    own_exam = Assessment.objects.create(
        title="电池安全抽查",
        kind=Assessment.Kind.COURSE_EXAM,
        course=exam.course,
    )
    before = _counts()

    seed()

    assert _counts() == before
    question.refresh_from_db()
    assert question.text == "手机售出后几日内出现性能故障可以退货？"
    assert question.is_active is False
    assert list(Assessment.objects.filter(course=exam.course, is_active=True)) == [own_exam]


def test_demo_trainer_observes_when_the_outlet_has_no_senior_technician():
    technician = _staff("technician")
    seniors = Staff.objects.filter(role=Role.SENIOR_TECHNICIAN, outlet=technician.outlet)
    assert seniors.filter(is_active=True).exists()
    seniors.update(is_active=False)

    assessor = demo_assessor(technician)

    assert assessor.user.username == "trainer"
    assert assessor.role == Role.TRAINER

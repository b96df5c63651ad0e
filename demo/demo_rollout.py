"""
The demo network's training history: how the certification roll-out went at every outlet. A
real brand's network has years of this history; the demo writes it as rows, like the network
generator writes its people (bulk inserts, not a learner's clicks), and then issues each
certificate through `certificate_issue`, the one issuing path, which checks that the evidence
earns it. The sign-ins' own stories (demo_courses, demo_certificates) are walked through the
services a learner uses; this is only the background.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    PracticalAssessment,
    PracticalChecklist,
)
from certificates.services.issuance import certificate_issue
from courses.models import CourseProgress, Enrollment, LessonCompletion, TrackPage
from network.models import Staff

from .demo_assessments import demo_assessor
from .demo_courses import _track_lessons


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def rollout_certify(plan: list[tuple[Staff, TrackPage, datetime.date]]) -> int:
    """
    Write the evidence of each (person, track, day) of `plan` (lessons and courses completed,
    the exams passed a week before, the practical signed off) where it is missing, then issue
    the certificate on that day. Return how many certificates were issued; a second run finds
    every certificate and issues none.
    """
    tracks = {track.pk: track for _person, track, _day in plan}
    lessons = {pk: _track_lessons(track) for pk, track in tracks.items()}
    exams = defaultdict(list)  # track id: the course exams and the certification exam
    for track_id, track_lessons in lessons.items():
        courses = {course.pk for _lesson, course in track_lessons}
        exams[track_id] = list(
            Assessment.objects.filter(is_active=True, course_id__in=courses).filter(
                kind=Assessment.Kind.COURSE_EXAM
            )
        ) + list(
            Assessment.objects.filter(
                is_active=True, track_id=track_id, kind=Assessment.Kind.CERTIFICATION_EXAM
            )
        )
    checklists = {
        c.track_id: c
        for c in PracticalChecklist.objects.filter(track_id__in=tracks, is_active=True)
    }
    people = {person.pk for person, _track, _day in plan}
    done_lessons = set(
        LessonCompletion.objects.filter(staff_id__in=people).values_list("staff_id", "lesson_id")
    )
    progress = {
        (p.staff_id, p.course_id): p for p in CourseProgress.objects.filter(staff_id__in=people)
    }
    passed = set(
        AssessmentResult.objects.filter(staff_id__in=people, passed=True).values_list(
            "staff_id", "assessment_id"
        )
    )
    tries = defaultdict(int)
    for staff_id, assessment_id in Attempt.objects.filter(staff_id__in=people).values_list(
        "staff_id", "assessment_id"
    ):
        tries[(staff_id, assessment_id)] += 1
    signed_off = set(
        PracticalAssessment.objects.filter(
            learner_id__in=people, status=PracticalAssessment.Status.COMPLETED, passed=True
        ).values_list("learner_id", "checklist_id")
    )
    completions, new_progress, attempts, practicals = [], [], [], []
    for person, track, day in plan:
        learned = _moment(day - datetime.timedelta(days=21), 9)
        for lesson, course in lessons[track.pk]:
            if (person.pk, lesson.pk) not in done_lessons:
                done_lessons.add((person.pk, lesson.pk))
                completions.append(
                    LessonCompletion(
                        staff=person, lesson=lesson, revision_id=lesson.live_revision_id
                    )
                )
            key = (person.pk, course.pk)
            current = progress.get(key)
            if current is None:
                current = progress[key] = CourseProgress(staff=person, course=course)
                new_progress.append(current)
            if current.completed_at is None:
                current.completed_at = learned
                current.completed_revision_id = course.live_revision_id
        for exam in exams[track.pk]:
            if (person.pk, exam.pk) in passed:
                continue
            passed.add((person.pk, exam.pk))
            tries[(person.pk, exam.pk)] += 1
            start = _moment(day - datetime.timedelta(days=7), 10)
            attempts.append(
                Attempt(
                    staff=person,
                    assessment=exam,
                    number=tries[(person.pk, exam.pk)],
                    status=Attempt.Status.SUBMITTED,
                    started_at=start,
                    deadline=start + datetime.timedelta(minutes=exam.time_limit_minutes or 30),
                    finished_at=start + datetime.timedelta(minutes=18),
                    score=Decimal("90"),
                    max_score=Decimal("100"),
                    percent=Decimal("90.00"),
                    passed=True,
                )
            )
        checklist = checklists.get(track.pk)
        if checklist is not None and (person.pk, checklist.pk) not in signed_off:
            assessor = demo_assessor(person)
            if assessor is not None:
                signed_off.add((person.pk, checklist.pk))
                practicals.append(
                    PracticalAssessment(
                        checklist=checklist,
                        learner=person,
                        assessor=assessor,
                        status=PracticalAssessment.Status.COMPLETED,
                        passed=True,
                        completed_at=_moment(day - datetime.timedelta(days=2), 15),
                    )
                )
    LessonCompletion.objects.bulk_create(completions, batch_size=500, ignore_conflicts=True)
    CourseProgress.objects.bulk_create(new_progress, batch_size=500)
    CourseProgress.objects.bulk_update(
        [p for p in progress.values() if p.completed_at is not None and p.pk],
        ["completed_at", "completed_revision"],
        batch_size=500,
    )
    Attempt.objects.bulk_create(attempts, batch_size=500)
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                staff=a.staff, assessment=a.assessment, attempt=a, percent=a.percent, passed=True
            )
            for a in attempts
        ],
        batch_size=500,
    )
    PracticalAssessment.objects.bulk_create(practicals, batch_size=500)
    _enrolments_finish(people)
    issued = 0
    for person, track, day in plan:
        before = person.certificates.filter(track=track).exists()
        certificate = certificate_issue(staff_id=person.pk, track_id=track.pk, issued_on=day)
        issued += certificate is not None and not before
    return issued


def _enrolments_finish(people) -> None:
    """Mark finished the active enrolments whose courses the roll-out completed."""
    completed = defaultdict(set)
    for staff_id, course_id in CourseProgress.objects.filter(
        staff_id__in=people, completed_at__isnull=False
    ).values_list("staff_id", "course_id"):
        completed[staff_id].add(course_id)
    open_ones = list(
        Enrollment.objects.active()
        .filter(staff_id__in=people, completed_at__isnull=True)
        .prefetch_related("track__track_courses__course")
    )
    finished = []
    for enrollment in open_ones:
        required = {
            link.course_id for link in enrollment.track.track_courses.all() if link.course.live
        }
        if required and required <= completed[enrollment.staff_id]:
            enrollment.completed_at = timezone.now()
            finished.append(enrollment)
    Enrollment.objects.bulk_update(finished, ["completed_at"], batch_size=500)

"""
The demo certificates: one in every state a certificate can be in, issued the way a learner
earns one.

The demo technician holds a valid partner technician certificate, its PDF drawn and stored, so
the technician can download it from "My certificates" and check it at /verify/<code>/. Front desk
staff of partner outlets across the network hold front desk certificates that are valid, expire
within 60 or within 7 days, have expired, were revoked or suspended by the demo auditor, or were
renewed (the first superseded by the second).

Each holder completes the track's lessons, passes its certification exam and its practical
assessment through the same services as a learner, and is then issued the certificate through
`certificate_issue`, dated back where the story needs it. A second run finds each holder's
first certificate and writes nothing.
"""

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentResult,
    AttemptItem,
    PracticalAssessment,
    PracticalChecklist,
)
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from assessments.services.practicals import criterion_record, practical_complete, practical_start
from certificates.models import Certificate
from certificates.services import rendering
from certificates.services.issuance import (
    add_months,
    certificate_issue,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
)
from certificates.services.lifecycle import certificates_expire
from courses.models import LessonCompletion, TrackPage
from courses.services import course_completion_check, lesson_complete
from network.models import Ownership, Role, Staff

from .demo_assessments import _right_response, demo_assessor
from .demo_courses import _track_lessons
from .demo_network import SIGN_INS

HOLDER_USERNAME = "technician"
HOLDER_TRACK = "partner-technician-certification"
NETWORK_TRACK = "front-desk-onboarding"
AUDITOR_USERNAME = "auditor"

# Certificates whose PDFs the seed draws at once: the demo sign-ins open theirs first.
RENDERED_USERNAMES = (HOLDER_USERNAME,)

SUSPEND_REASON = "客户投诉涉嫌违规收取检测费，暂停上岗资格待稽核结论。"
REVOKE_REASON = "稽核发现使用拆机件维修且未取得客户书面同意，违反原厂配件规定，撤销证书。"
RENEW_REASON = "按期完成复训并通过认证考试，换发新证。"


@dataclasses.dataclass(frozen=True)
class Story:
    """What happens to one demo certificate: when it was issued, and what came after."""

    key: str
    label: str
    # Days before today on which it was issued; None: the issue date that makes it expire
    # `expires_in` days from today.
    issued_days_ago: int | None = None
    expires_in: int | None = None
    then: str = ""  # "", "suspend", "revoke", "renew", "expire"


NETWORK_STORIES = (
    Story("valid", "valid", issued_days_ago=210),
    Story("expiring-60", "valid, expires within 60 days", expires_in=45),
    Story("expiring-7", "valid, expires within 7 days", expires_in=5),
    Story("expired", "expired", expires_in=-20, then="expire"),
    Story("revoked", "revoked by the auditor", issued_days_ago=400, then="revoke"),
    Story("suspended", "suspended by the auditor", issued_days_ago=150, then="suspend"),
    Story("renewed", "superseded by its renewal", expires_in=30, then="renew"),
)


@dataclasses.dataclass
class CertificatesSeedResult:
    issued: int = 0
    changed: int = 0
    rendered: int = 0
    # (username or employee number, what they hold)
    holders: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)


def seed_certificates(*, today: datetime.date | None = None) -> CertificatesSeedResult:
    result = CertificatesSeedResult()
    today = today or timezone.localdate()
    tracks = {t.slug: t for t in TrackPage.objects.filter(slug__in=[HOLDER_TRACK, NETWORK_TRACK])}
    auditor = (
        Staff.objects.select_related("user")
        .filter(user__username=AUDITOR_USERNAME, role=Role.AUDITOR, is_active=True)
        .first()
    )

    holder = (
        Staff.objects.select_related("user", "outlet")
        .filter(user__username=HOLDER_USERNAME, is_active=True)
        .first()
    )
    if holder is not None and HOLDER_TRACK in tracks:
        story = Story("holder", "valid", issued_days_ago=75)
        certificate = _certificate(holder, tracks[HOLDER_TRACK], story, today=today, result=result)
        if certificate is not None:
            result.holders.append((HOLDER_USERNAME, _describe(certificate)))

    track = tracks.get(NETWORK_TRACK)
    if track is not None:
        people = _network_holders(len(NETWORK_STORIES))
        if len(people) < len(NETWORK_STORIES):
            result.skipped.append(f"only {len(people)} front desk staff for the certificate demo")
        for story, person in zip(NETWORK_STORIES, people, strict=False):
            certificate = _certificate(person, track, story, today=today, result=result)
            if certificate is None:
                continue
            certificate = _story_apply(
                certificate, story, auditor=auditor, today=today, result=result
            )
            result.holders.append((person.employee_number, _describe(certificate)))

    _pdfs_render(result)
    return result


def _describe(certificate: Certificate) -> str:
    certificate.refresh_from_db()
    text = (
        f"{certificate.serial} {certificate.holder_name}, {certificate.track_title_en}: "
        f"{certificate.get_status_display().lower()}, valid until {certificate.expires_on}"
    )
    renewal = Certificate.objects.filter(supersedes=certificate).first()
    if renewal is not None:
        text += f"; renewed as {renewal.serial}, valid until {renewal.expires_on}"
    return text


def _network_holders(count: int) -> list[Staff]:
    """
    Return `count` active front desk staff of partner outlets, one per outlet, none of them a
    demo sign-in: the first by employee number, which the seeded network keeps the same from run
    to run. Partner outlets are where quality supervision suspends and revokes; the brand's own
    centres are left to the compliance demo's fully certified showcase.
    """
    people, outlets = [], set()
    candidates = (
        Staff.objects.select_related("user", "outlet")
        .filter(
            role=Role.FRONT_DESK,
            is_active=True,
            user__is_active=True,
            outlet__ownership=Ownership.PARTNER,
        )
        .exclude(user__username__in=SIGN_INS)
        .order_by("employee_number")
    )
    for person in candidates.iterator():
        if person.outlet_id in outlets:
            continue
        outlets.add(person.outlet_id)
        people.append(person)
        if len(people) == count:
            break
    return people


def _issued_on(story: Story, *, track: TrackPage, today: datetime.date) -> datetime.date:
    if story.issued_days_ago is not None:
        return today - datetime.timedelta(days=story.issued_days_ago)
    last_day = today + datetime.timedelta(days=story.expires_in)
    return add_months(last_day, -track.validity_months)


def _certificate(
    person: Staff, track: TrackPage, story: Story, *, today, result
) -> Certificate | None:
    """Return the person's first certificate of `track`, earning and issuing it if missing."""
    existing = Certificate.objects.filter(holder=person, track=track, cycle=1).first()
    if existing is not None:
        return existing
    issued_on = _issued_on(story, track=track, today=today)
    try:
        _earn(person, track, issued_on=issued_on)
    except (PermissionDenied, ValidationError) as exc:
        result.skipped.append(f"{person.employee_number}: did not earn {track.title} ({exc})")
        return None
    certificate = certificate_issue(staff_id=person.pk, track_id=track.pk, issued_on=issued_on)
    if certificate is None:
        result.skipped.append(f"{person.employee_number}: not issued {track.title}")
        return None
    result.issued += 1
    return certificate


def _earn(person: Staff, track: TrackPage, *, issued_on: datetime.date) -> None:
    """
    Pass the exams of the track's courses, finish their lessons, then pass the track's
    certification exam and its practical assessment.
    """
    exam_start = timezone.make_aware(
        datetime.datetime.combine(issued_on - datetime.timedelta(days=7), datetime.time(10))
    )
    lessons = _track_lessons(track)
    courses = list(dict.fromkeys(course for _lesson, course in lessons))
    for course in courses:
        exam = Assessment.objects.filter(
            kind=Assessment.Kind.COURSE_EXAM, course=course, is_active=True
        ).first()
        if exam is not None and not _passed(person, exam):
            with transaction.atomic():
                _exam_pass(person, exam, start=exam_start - datetime.timedelta(days=14))
    done = set(
        LessonCompletion.objects.filter(
            staff=person, lesson__in=[lesson for lesson, _course in lessons]
        ).values_list("lesson_id", flat=True)
    )
    for lesson, course in lessons:
        if lesson.pk not in done:
            lesson_complete(staff=person, lesson=lesson, course=course)
    for course in courses:
        with transaction.atomic():
            course_completion_check(staff=person, course=course)

    exam = Assessment.objects.filter(
        kind=Assessment.Kind.CERTIFICATION_EXAM, track=track, is_active=True
    ).first()
    if exam is not None and not _passed(person, exam):
        # Taken the week before the certificate's date, every question answered right.
        with transaction.atomic():
            _exam_pass(person, exam, start=exam_start)

    checklist = PracticalChecklist.objects.filter(track=track, is_active=True).first()
    if checklist is None:
        return
    if PracticalAssessment.objects.filter(
        learner=person,
        checklist=checklist,
        status=PracticalAssessment.Status.COMPLETED,
        passed=True,
    ).exists():
        return
    assessor = demo_assessor(person)
    if assessor is None:
        raise ValidationError(f"no assessor for {checklist.title}")
    with transaction.atomic():
        assessment = practical_start(
            assessor_user=assessor.user, learner=person, checklist=checklist
        )
        for criterion in checklist.criteria.order_by("sort_order"):
            criterion_record(
                assessment=assessment, criterion=criterion, met=True, note="", actor=assessor.user
            )
        practical_complete(assessment=assessment, actor=assessor.user)


def _passed(person: Staff, exam: Assessment) -> bool:
    return AssessmentResult.objects.filter(staff=person, assessment=exam, passed=True).exists()


def _exam_pass(person: Staff, exam: Assessment, *, start: datetime.datetime) -> None:
    """Take `exam` as `person`, a minute a question, every answer right."""
    attempt = attempt_start(staff=person, assessment=exam, now=start)
    items = (
        AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position")
    )
    now = start
    for item in items:
        now += datetime.timedelta(minutes=1)
        answer_save(
            attempt=attempt,
            position=item.position,
            response=_right_response(item.version.data),
            now=now,
        )
    attempt_submit(attempt=attempt, now=now + datetime.timedelta(minutes=1))


def _story_apply(
    certificate: Certificate, story: Story, *, auditor: Staff | None, today, result
) -> Certificate:
    """Do what follows the issue in `story`, unless it was done on an earlier run."""
    if story.then in ("suspend", "revoke"):
        target = (
            Certificate.Status.SUSPENDED if story.then == "suspend" else Certificate.Status.REVOKED
        )
        if certificate.status == target:
            return certificate
        if auditor is None:
            result.skipped.append(f"{certificate.serial}: no demo auditor to {story.then} it")
            return certificate
        change, reason = (
            (certificate_suspend, SUSPEND_REASON)
            if story.then == "suspend"
            else (certificate_revoke, REVOKE_REASON)
        )
        certificate = change(certificate=certificate, actor=auditor.user, reason=reason)
        result.changed += 1
    elif story.then == "renew":
        if not Certificate.objects.filter(supersedes=certificate).exists():
            certificate_renew(certificate=certificate, reason=RENEW_REASON)
            result.changed += 1
    elif story.then == "expire":
        # The daily lifecycle job's own step; a second run finds nothing to expire.
        result.changed += certificates_expire(today=today)
    return certificate


def _pdfs_render(result: CertificatesSeedResult) -> None:
    """Draw and store the PDFs of the demo sign-ins' certificates; the others are drawn lazily."""
    certificates = Certificate.objects.filter(
        holder__user__username__in=RENDERED_USERNAMES, status=Certificate.Status.VALID
    )
    for certificate in certificates:
        if not rendering.pdf_present(certificate):
            rendering.certificate_pdf_render(certificate_id=certificate.pk)
            result.rendered += 1


def demo_certificate_code(username: str = HOLDER_USERNAME) -> str | None:
    """Return the verification code of the demo sign-in's valid certificate."""
    return (
        Certificate.objects.filter(holder__user__username=username, status="valid")
        .values_list("code", flat=True)
        .first()
    )

"""Every write of people's training: enrolment by rule and by hand, progress, reminders."""

import dataclasses
import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import hooks as core_hooks
from network.models import AdditionalRole, Staff, StaffAssignment

from .models import (
    CoursePage,
    CourseProgress,
    Enrollment,
    LessonCompletion,
    LessonPage,
    PolicyChange,
    ReminderSent,
    TrackCourse,
    TrackPage,
    TrackTarget,
)
from .selectors import _lessons_by_course, may_assign

logger = logging.getLogger(__name__)


def _starts_on(*, hire_date, role_since, track_published) -> datetime.date:
    # The onboarding clock starts at hire, at taking up the role, or when the track first went
    # live, whichever is latest: nobody is overdue on a track that did not exist yet.
    candidates = [hire_date, role_since or hire_date]
    if track_published:
        candidates.append(timezone.localdate(track_published))
    return max(candidates)


@dataclasses.dataclass(frozen=True)
class EnrolmentTarget:
    """People a track is for: a role, optionally only at one ownership and one city tier."""

    role: str
    ownership: str = ""
    city_tier: int | None = None


def _matching(targets, staff) -> bool:
    ownership = staff.outlet.ownership if staff.outlet_id else ""
    city_tier = staff.outlet.city_tier if staff.outlet_id else None
    # A person serving in a second role at their outlet trains for both.
    roles = (
        {staff.role, *(a.role for a in staff.additional_roles.all())}
        if staff.outlet_id
        else {staff.role}
    )
    return any(
        t.role in roles
        and (t.ownership == "" or t.ownership == ownership)
        and (t.city_tier is None or t.city_tier == city_tier)
        for t in targets
    )


@transaction.atomic
def enrollment_sync(*, staff_ids=None, track_ids=None) -> tuple[int, int]:
    """
    Apply the role rules: enrol each person in every live track that targets their role (and
    outlet ownership), or that a compliance requirement of their role and outlet asks them to be
    certified in (the `enrolment_targets` hook), and withdraw unfinished rule enrolments that no
    longer match. Limit the work to
    `staff_ids` or `track_ids` when given. Return (enrolled, withdrawn); an enrolment another
    run wrote at the same moment is counted but not written twice.
    """
    tracks = TrackPage.objects.live()
    if track_ids is not None:
        tracks = tracks.filter(pk__in=track_ids)
    tracks = {t.pk: t for t in tracks.defer_streamfields()}
    targets = defaultdict(list)
    for target in TrackTarget.objects.filter(track_id__in=tracks):
        targets[target.track_id].append(EnrolmentTarget(target.role, target.ownership))
    for answer in core_hooks.collect(core_hooks.ENROLMENT_TARGETS, track_ids=list(tracks)):
        for track_id, extra in answer.items():
            if track_id in tracks:
                targets[track_id].extend(extra)
    people = (
        Staff.objects.filter(is_active=True)
        .select_related("outlet")
        .prefetch_related("additional_roles")
    )
    if staff_ids is not None:
        people = people.filter(pk__in=staff_ids)
    elif track_ids is not None:
        # A track republished for other roles must also reach the people it no longer targets.
        roles = {t.role for ts in targets.values() for t in ts}
        enrolled = Enrollment.objects.active().filter(
            track_id__in=track_ids, source=Enrollment.Source.RULE
        )
        people = people.filter(
            Q(role__in=roles)
            | Q(pk__in=AdditionalRole.objects.filter(role__in=roles).values("staff_id"))
            | Q(pk__in=enrolled.values("staff_id"))
        )
    people = list(people)
    role_since = dict(
        StaffAssignment.objects.filter(staff__in=people, ended_on__isnull=True).values_list(
            "staff_id", "started_on"
        )
    )
    existing = defaultdict(dict)
    scope = Enrollment.objects.active().filter(staff__in=people)
    if track_ids is not None:
        scope = scope.filter(track_id__in=track_ids)
    for enrollment in scope:
        existing[enrollment.staff_id][enrollment.track_id] = enrollment
    # A track someone withdrew by hand stays withdrawn while the person keeps their role.
    withdrawn_by_hand = {
        (staff_id, track_id)
        for staff_id, track_id, withdrawn_at in Enrollment.objects.filter(
            staff__in=people, status=Enrollment.Status.WITHDRAWN, withdrawn_by__isnull=False
        ).values_list("staff_id", "track_id", "withdrawn_at")
        if timezone.localdate(withdrawn_at) >= role_since.get(staff_id, datetime.date.min)
    }
    to_create, to_withdraw = [], []
    now = timezone.now()
    for person in people:
        for track_id, track in tracks.items():
            wanted = _matching(targets[track_id], person)
            current = existing[person.pk].get(track_id)
            if wanted and current is None and (person.pk, track_id) not in withdrawn_by_hand:
                starts = _starts_on(
                    hire_date=person.hire_date,
                    role_since=role_since.get(person.pk),
                    track_published=track.first_published_at,
                )
                to_create.append(
                    Enrollment(
                        staff=person,
                        track=track,
                        source=Enrollment.Source.RULE,
                        starts_on=starts,
                        due_on=starts + datetime.timedelta(days=track.onboarding_days),
                    )
                )
            elif (
                not wanted
                and current is not None
                and current.source == Enrollment.Source.RULE
                and current.completed_at is None
            ):
                current.status = Enrollment.Status.WITHDRAWN
                current.withdrawn_at = now
                current.withdrawal_reason = "no longer targeted"
                to_withdraw.append(current)
    # People who left: their unfinished rule enrolments end with them.
    if staff_ids is not None:
        for enrollment in Enrollment.objects.active().filter(
            staff_id__in=staff_ids,
            staff__is_active=False,
            source__in=(Enrollment.Source.RULE, Enrollment.Source.CORRECTIVE),
            completed_at__isnull=True,
        ):
            enrollment.status = Enrollment.Status.WITHDRAWN
            enrollment.withdrawn_at = now
            enrollment.withdrawal_reason = "left"
            to_withdraw.append(enrollment)
    Enrollment.objects.bulk_update(
        to_withdraw, ["status", "withdrawn_at", "withdrawal_reason"], batch_size=1000
    )
    # An import and a track's publication may enrol the same person at once: the unique active
    # enrolment settles it, and the run that comes second skips the row instead of failing.
    Enrollment.objects.bulk_create(to_create, batch_size=1000, ignore_conflicts=True)
    return len(to_create), len(to_withdraw)


@transaction.atomic
def enrollment_assign(*, actor, track: TrackPage, people) -> list[Enrollment]:
    """
    Assign `track` by hand to `people`, all of whom must be in `actor`'s scope. People already
    enrolled keep their enrolment. Return the new enrolments.
    """
    if not may_assign(user=actor):
        raise PermissionDenied(_("You may not assign training."))
    if not track.live:
        raise ValidationError(_("This track is not published."))
    people = list({p.pk: p for p in people}.values())
    visible = set(
        Staff.objects.visible_to(actor)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in visible for p in people):
        raise PermissionDenied(_("You may only assign training to your own people."))
    today = timezone.localdate()
    # A double click waits here for the first request, then finds everyone already enrolled.
    list(Staff.objects.select_for_update().filter(pk__in=visible).values_list("pk", flat=True))
    already = set(
        Enrollment.objects.active()
        .filter(track=track, staff__in=people)
        .values_list("staff_id", flat=True)
    )
    new = [
        Enrollment(
            staff=p,
            track=track,
            source=Enrollment.Source.MANUAL,
            starts_on=today,
            due_on=today + datetime.timedelta(days=track.onboarding_days),
            assigned_by=actor,
        )
        for p in people
        if p.pk not in already and p.is_active
    ]
    return Enrollment.objects.bulk_create(new)


@transaction.atomic
def enrollment_withdraw(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    """Withdraw an enrolment; the record and the progress made stay."""
    if not may_assign(user=actor):
        raise PermissionDenied(_("You may not withdraw training."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    enrollment = Enrollment.objects.select_for_update().visible_to(actor).get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("This enrolment is already withdrawn."))
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawn_at = timezone.now()
    enrollment.withdrawn_by = actor
    enrollment.withdrawal_reason = reason.strip()[:200]
    enrollment.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return enrollment


def lesson_visit(*, staff: Staff, lesson: LessonPage, course: CoursePage) -> None:
    """Remember the lesson `staff` opened last in `course`."""
    updated = (
        CourseProgress.objects.filter(staff=staff, course=course)
        .exclude(last_lesson=lesson)
        .update(last_lesson=lesson)
    )
    if not updated:
        try:
            with transaction.atomic():
                CourseProgress.objects.get_or_create(
                    staff=staff, course=course, defaults={"last_lesson": lesson}
                )
        except IntegrityError:  # a second tab got there first
            pass


@transaction.atomic
def lesson_complete(*, staff: Staff, lesson: LessonPage, course: CoursePage) -> LessonCompletion:
    """
    Mark `lesson` done for `staff`, recording the lesson revision they read; complete the course
    and the tracks that need it once everything in them is done.
    """
    completion, created = LessonCompletion.objects.get_or_create(
        staff=staff, lesson=lesson, defaults={"revision_id": lesson.live_revision_id}
    )
    read_again = (
        not created
        and lesson.live_revision_id is not None
        and (completion.revision_id or 0) < lesson.live_revision_id
    )
    if read_again:
        # A lesson read again after it changed (a policy update) records the revision read now:
        # the completion answers which revision the person knows.
        completion.revision_id = lesson.live_revision_id
        completion.save(update_fields=["revision"])
    if created or read_again:
        core_hooks.fire(
            core_hooks.LESSON_COMPLETED,
            staff=staff,
            lesson=lesson,
            revision_id=completion.revision_id,
        )
    CourseProgress.objects.get_or_create(
        staff=staff, course=course, defaults={"last_lesson": lesson}
    )
    course_completion_check(staff=staff, course=course)
    return completion


@transaction.atomic
def course_completion_check(*, staff: Staff, course: CoursePage) -> bool:
    """
    Complete `course` for `staff` when every live lesson is done and every registered condition
    holds, recording the course revision; then complete the tracks that need it. Return whether
    the course is complete.
    """
    progress, _ = CourseProgress.objects.select_for_update().get_or_create(
        staff=staff, course=course
    )
    if progress.completed_at is not None:
        return True
    lesson_ids = {x.pk for x in _lessons_by_course([course]).get(course.pk, [])}
    done = set(
        LessonCompletion.objects.filter(staff=staff, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    if not lesson_ids or not lesson_ids <= done:
        return False
    conditions = core_hooks.receivers(core_hooks.COURSE_COMPLETION_CONDITIONS)
    if not all(condition(staff=staff, course=course) for condition in conditions):
        return False
    progress.completed_at = timezone.now()
    progress.completed_revision_id = (
        CoursePage.objects.filter(pk=course.pk).values_list("live_revision_id", flat=True).get()
    )
    progress.save(update_fields=["completed_at", "completed_revision"])
    _enrollments_complete(staff=staff)
    core_hooks.fire(core_hooks.COURSE_COMPLETED, staff=staff, course=course)
    return True


def _enrollments_complete(*, staff: Staff) -> None:
    """Mark finished every active enrolment of `staff` whose courses are all complete."""
    open_ones = list(Enrollment.objects.active().filter(staff=staff, completed_at__isnull=True))
    if not open_ones:
        return
    required = defaultdict(set)
    for track_id, course_id in TrackCourse.objects.filter(
        track_id__in=[e.track_id for e in open_ones], course__live=True
    ).values_list("track_id", "course_id"):
        required[track_id].add(course_id)
    completed = set(
        CourseProgress.objects.filter(staff=staff, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    now = timezone.now()
    for enrollment in open_ones:
        if required[enrollment.track_id] and required[enrollment.track_id] <= completed:
            enrollment.completed_at = now
            enrollment.save(update_fields=["completed_at"])


def _reminder_due(enrollment: Enrollment, today: datetime.date) -> str | None:
    if enrollment.due_on < today:
        return ReminderSent.Milestone.OVERDUE
    if enrollment.due_on <= today + datetime.timedelta(days=7):
        return ReminderSent.Milestone.DUE_SOON
    return None


def onboarding_reminders_send(*, today: datetime.date | None = None) -> int:
    """
    Send each person one e-mail per milestone (due within 7 days, overdue) of each unfinished
    enrolment. Safe to run twice, or twice at once: the unique reminder row is written in the
    same transaction as the e-mail is sent, so only one run can send it.
    """
    today = today or timezone.localdate()
    candidates = (
        Enrollment.objects.active()
        .filter(
            completed_at__isnull=True,
            staff__is_active=True,
            due_on__lte=today + datetime.timedelta(days=7),
        )
        .exclude(
            Q(reminders__milestone=ReminderSent.Milestone.OVERDUE)
            | Q(due_on__gte=today, reminders__milestone=ReminderSent.Milestone.DUE_SOON)
        )
        .select_related("staff__user", "track")
        .order_by("pk")
    )
    sent = 0
    for enrollment in candidates.iterator(chunk_size=500):
        milestone = _reminder_due(enrollment, today)
        if milestone is None or not enrollment.staff.user.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(enrollment=enrollment, milestone=milestone)
                _reminder_email(enrollment=enrollment, milestone=milestone, today=today)
        except IntegrityError:
            continue  # another run sent this one
        except OSError:
            # The row went with the rollback, so the next run tries again; one refused address
            # must not hold back everybody else's reminder.
            logger.exception("Reminder %s for enrolment %s not sent", milestone, enrollment.pk)
            continue
        sent += 1
    return sent


def _reminder_email(*, enrollment: Enrollment, milestone: str, today: datetime.date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "enrollment": enrollment,
            "track_title": enrollment.track.display_title,
            "person": enrollment.staff,
            "overdue": milestone == ReminderSent.Milestone.OVERDUE,
            "days_left": (enrollment.due_on - today).days,
            "url": f"{settings.WAGTAILADMIN_BASE_URL}/my/",
        }
        subject = render_to_string("courses/email/reminder_subject.txt", context).strip()
        body = render_to_string("courses/email/reminder_body.txt", context)
    send_mail(subject, body, None, [enrollment.staff.user.email])


# Days a holder has to read a changed lesson whose policy clause was detected as changed,
# counted from its effective date or from today, whichever is later.
POLICY_UPDATE_DUE_DAYS = 30


def may_mark_policy_change(*, user) -> bool:
    """Trainers and senior trainers (and administrators) mark a lesson revision a policy change."""
    return bool(user and user.is_authenticated and user.has_perm("courses.add_policychange"))


@transaction.atomic
def policy_change_record(
    *,
    actor,
    lesson: LessonPage,
    effective_on: datetime.date,
    due_on: datetime.date,
    summary: str,
    summary_en: str = "",
    source: str = PolicyChange.Source.MARKED,
    revision_id: int | None = None,
) -> PolicyChange:
    """
    Record that `lesson`'s revision `revision_id` (its live one by default) changed a policy in
    force from `effective_on`, to be read again by `due_on` by whoever was certified on an
    earlier revision; fire `policy_change_recorded` so that they are enrolled. A trainer's
    marking needs the permission; a detection (`source` DETECTED) is the publisher's.
    Once per revision: a second recording of the same one is refused.
    """
    if source == PolicyChange.Source.MARKED and not may_mark_policy_change(user=actor):
        raise PermissionDenied(_("You may not mark policy changes."))
    summary, summary_en = (summary or "").strip(), (summary_en or "").strip()
    if not summary:
        raise ValidationError(_("Say what changed."))
    if len(summary) > 200 or len(summary_en) > 200:
        raise ValidationError(_("Say what changed in at most 200 characters."))
    if due_on < effective_on:
        raise ValidationError(_("The date to read it by cannot be before the change takes effect."))
    if source == PolicyChange.Source.MARKED and due_on < timezone.localdate():
        raise ValidationError(_("The date to read it by has passed."))
    revision_id = revision_id or (
        LessonPage.objects.filter(pk=lesson.pk).values_list("live_revision_id", flat=True).first()
    )
    if revision_id is None or not lesson.live:
        raise ValidationError(_("Only a published lesson's revision can be a policy change."))
    # Two trainers, or a trainer and the detection, marking the same revision at once: the
    # unique revision lets one in, and the other is told.
    try:
        with transaction.atomic():
            change = PolicyChange.objects.create(
                lesson=lesson,
                revision_id=revision_id,
                effective_on=effective_on,
                due_on=due_on,
                summary=summary,
                summary_en=summary_en,
                source=source,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:
        raise ValidationError(
            _("This revision of the lesson is already recorded as a policy change.")
        ) from None
    core_hooks.fire(core_hooks.POLICY_CHANGE_RECORDED, policy_change=change)
    return change


def _policy_clauses(body) -> dict:
    """A lesson body's policy clauses by block id: (text, English, date, source) each."""
    clauses = {}
    for block in body or []:
        if not isinstance(block, dict) or block.get("type") != "policy_clause":
            continue
        value = block.get("value") or {}
        key = block.get("id") or value.get("source") or len(clauses)
        clauses[key] = (
            str(value.get("clause") or "").strip(),
            str(value.get("clause_en") or "").strip(),
            str(value.get("effective_date") or ""),
            str(value.get("source") or ""),
        )
    return clauses


def policy_clauses_changed(*, before, after) -> list[tuple]:
    """
    Return the policy clauses of lesson body `after` (raw stream data) that are new or whose
    text or effective date differs from `before`'s: (text, English, date, source) each.
    """
    old = _policy_clauses(before)
    old_by_source = {clause[3]: clause for clause in old.values() if clause[3]}
    changed = []
    for key, clause in _policy_clauses(after).items():
        # A block copied or re-created in the editor gets a new id; its source still names it.
        previous = old.get(key) or old_by_source.get(clause[3])
        if previous is None or previous[:3] != clause[:3]:
            changed.append(clause)
    return changed


def _previous_live_body(*, lesson: LessonPage, revision) -> list | None:
    from wagtail.models import PageLogEntry, Revision

    previous_id = (
        PageLogEntry.objects.filter(
            page_id=lesson.pk, action="wagtail.publish", revision_id__lt=revision.pk
        )
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    if previous_id is None:
        return None
    previous = Revision.objects.filter(pk=previous_id).first()
    if previous is None:
        return None
    return previous.as_object().body.raw_data


def policy_change_detect(*, lesson: LessonPage, revision, user=None) -> PolicyChange | None:
    """
    Record a policy change when published `revision` of `lesson` changed a policy clause's text
    or effective date (or added a clause) compared with the revision live before; the first
    publication changes nothing. Effective from the latest changed clause's date, due
    POLICY_UPDATE_DUE_DAYS after that or after today. Return the change, or None. A revision
    already recorded (a trainer marked it first) is left as it is.
    """
    before = _previous_live_body(lesson=lesson, revision=revision)
    if before is None:
        return None
    changed = policy_clauses_changed(before=before, after=lesson.body.raw_data)
    if not changed:
        return None
    today = timezone.localdate()
    dates = []
    for clause in changed:
        try:
            dates.append(datetime.date.fromisoformat(clause[2][:10]))
        except ValueError:
            continue
    effective_on = max(dates) if dates else today
    sources = "、".join(dict.fromkeys(c[3] for c in changed if c[3]))
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Policy clause changed: %(sources)s") % {"sources": sources or lesson.title}
    with translation.override("en"):
        summary_en = _("Policy clause changed: %(sources)s") % {
            "sources": sources or lesson.title_en or lesson.title
        }
    if PolicyChange.objects.filter(revision_id=revision.pk).exists():
        return None
    try:
        return policy_change_record(
            actor=user,
            lesson=lesson,
            effective_on=effective_on,
            due_on=max(effective_on, today) + datetime.timedelta(days=POLICY_UPDATE_DUE_DAYS),
            summary=summary[:200],
            summary_en=summary_en[:200],
            source=PolicyChange.Source.DETECTED,
            revision_id=revision.pk,
        )
    except ValidationError:
        return None  # recorded by another request meanwhile

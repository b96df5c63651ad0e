"""
Recertification when a policy changes. A lesson revision recorded as a policy change
(`courses.PolicyChange`) makes every live certificate of a track that requires the lesson's
course out of date when its holder read an earlier revision of the lesson: they are asked to
read the changed lesson only (the delta, a `PolicyUpdate`) by the change's due date. Meanwhile
the certificate stays valid and compliance shows "policy update due". Read in time, the new
revision is written on the certificate's record (`course_revisions`, and an "updated" event:
its lineage). Missed, the daily job suspends the certificate with the change named in the
reason, and completing the update later reinstates it; a certificate suspended for anything
else stays suspended.

Which revision a holder knows is their lesson completion's (`LessonCompletion.revision`: the
revision they read, brought up to date when they read a newer one): a certificate's course
revision names the course page's revision, which does not change when a lesson does.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from courses.models import LessonCompletion, PolicyChange, TrackCourse

from ..events import certificate_event_write
from ..models import Certificate, CertificateEvent, PolicyUpdate
from .issuance import _transition

logger = logging.getLogger(__name__)

ENROL_BATCH_SIZE = 1000
MISS_BATCH_SIZE = 200
MISSED_REASON = "policy update missed"
COMPLETED_REASON = "policy update completed"


def _reason(prefix: str, change: PolicyChange) -> str:
    return f"{prefix}: {change.summary} (#{change.pk}, r{change.revision_id})"


def _course_id(change: PolicyChange) -> int | None:
    lesson = change.lesson
    return lesson.get_parent().pk if lesson.depth > 1 else None


def policy_updates_enrol(*, policy_change_id: int, today: datetime.date | None = None) -> int:
    """
    Ask the holder of every live certificate of a track requiring the changed lesson's course,
    who has not read the change's revision (or a later one) of the lesson, to read it by the
    change's due date; return how many were asked. Valid certificates, and certificates
    suspended by a missed policy update (their holder has one more to read), are asked; expired,
    revoked and superseded ones are not. Once per certificate and change: run twice, or twice
    at once, it asks nobody twice (the unique row settles it). In bounded queries whatever the
    number of holders: one read, streamed, and one insert per thousand.
    """
    today = today or timezone.localdate()
    change = PolicyChange.objects.select_related("lesson").get(pk=policy_change_id)
    course_id = _course_id(change)
    if course_id is None:
        return 0
    read_it = LessonCompletion.objects.filter(
        staff_id=OuterRef("holder_id"),
        lesson_id=change.lesson_id,
        revision_id__gte=change.revision_id,
    )
    suspended_by_update = PolicyUpdate.objects.filter(
        certificate_id=OuterRef("pk"), suspended=True, status=PolicyUpdate.Status.MISSED
    )
    candidates = (
        Certificate.objects.filter(
            track_id__in=TrackCourse.objects.filter(course_id=course_id).values("track_id"),
            expires_on__gte=today,
        )
        .filter(
            Q(status=Certificate.Status.VALID)
            | Q(Exists(suspended_by_update), status=Certificate.Status.SUSPENDED)
        )
        .exclude(Exists(read_it))
        .exclude(
            Exists(PolicyUpdate.objects.filter(certificate_id=OuterRef("pk"), policy_change=change))
        )
        .order_by("pk")
        .values_list("pk", "holder_id")
    )
    asked = 0
    batch = []
    for certificate_id, holder_id in candidates.iterator(chunk_size=ENROL_BATCH_SIZE):
        batch.append(
            PolicyUpdate(
                certificate_id=certificate_id,
                policy_change=change,
                holder_id=holder_id,
                due_on=change.due_on,
            )
        )
        if len(batch) >= ENROL_BATCH_SIZE:
            asked += _insert(batch)
            batch = []
    if batch:
        asked += _insert(batch)
    logger.info("Policy change %s: %d certificate holders asked to read it", change.pk, asked)
    return asked


def _insert(batch: list[PolicyUpdate]) -> int:
    # A second run at the same moment inserts the same rows: the unique pair skips them.
    created = PolicyUpdate.objects.bulk_create(batch, ignore_conflicts=True)
    return len(created)


def _record_revision(certificate: Certificate, update: PolicyUpdate, revision_id: int) -> None:
    """Write the revision read on the certificate's record of the courses it was earned on."""
    change = update.policy_change
    course_id = _course_id(change)
    entry = {
        "lesson": change.lesson_id,
        "title": change.lesson.title,
        "revision": revision_id,
        "policy_change": change.pk,
        "completed_on": timezone.localdate().isoformat(),
    }
    revisions = [dict(e) if isinstance(e, dict) else e for e in certificate.course_revisions or []]
    for course in revisions:
        if isinstance(course, dict) and course.get("course") == course_id:
            course["lessons"] = [
                e for e in course.get("lessons", []) if e.get("lesson") != change.lesson_id
            ] + [entry]
            break
    else:
        revisions.append({"course": course_id, "title": "", "revision": None, "lessons": [entry]})
    certificate.course_revisions = revisions
    certificate.save(update_fields=["course_revisions"])


def policy_updates_complete(*, staff_id: int, lesson_id: int) -> int:
    """
    Complete the policy updates of person `staff_id` for lesson `lesson_id` that the revision
    they read now covers: record the revision on each certificate (its course revisions and an
    "updated" event), and reinstate a certificate that a missed update suspended once none of
    its missed updates is left. Return how many were completed; run again, it completes none.
    """
    revision_id = (
        LessonCompletion.objects.filter(staff_id=staff_id, lesson_id=lesson_id)
        .values_list("revision_id", flat=True)
        .first()
    )
    if revision_id is None:
        return 0
    open_ids = list(
        PolicyUpdate.objects.filter(
            holder_id=staff_id,
            policy_change__lesson_id=lesson_id,
            policy_change__revision_id__lte=revision_id,
            status__in=[PolicyUpdate.Status.PENDING, PolicyUpdate.Status.MISSED],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    completed = 0
    for update_id in open_ids:
        if _complete_one(update_id=update_id, revision_id=revision_id):
            completed += 1
    return completed


@transaction.atomic
def _complete_one(*, update_id: int, revision_id: int) -> bool:
    # The certificate first, then the update, as the daily job locks them: the two never wait
    # for each other in opposite orders.
    certificate_id = PolicyUpdate.objects.values_list("certificate_id", flat=True).get(pk=update_id)
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    update = (
        PolicyUpdate.objects.select_for_update()
        .select_related("policy_change__lesson")
        .get(pk=update_id)
    )
    if update.status == PolicyUpdate.Status.COMPLETED:
        return False
    change = update.policy_change
    update.status = PolicyUpdate.Status.COMPLETED
    update.completed_at = timezone.now()
    update.completed_revision_id = revision_id
    update.save(update_fields=["status", "completed_at", "completed_revision"])
    _record_revision(certificate, update, revision_id)
    certificate_event_write(
        certificate=certificate,
        action=CertificateEvent.Action.UPDATED,
        from_status=certificate.status,
        reason=_reason(COMPLETED_REASON, change),
    )
    still_missed = (
        PolicyUpdate.objects.filter(
            certificate=certificate, status=PolicyUpdate.Status.MISSED, suspended=True
        )
        .exclude(pk=update.pk)
        .exists()
    )
    # Only a suspension this update made is lifted: its reason is still the one it wrote, so a
    # certificate an auditor suspended for something else (or again) stays suspended.
    if (
        update.suspended
        and not still_missed
        and certificate.status == Certificate.Status.SUSPENDED
        and certificate.status_reason.startswith(MISSED_REASON)
    ):
        _transition(
            certificate=certificate,
            actor=None,
            reason=_reason(COMPLETED_REASON, change),
            allowed_from=(Certificate.Status.SUSPENDED,),
            to_status=lambda locked: (
                Certificate.Status.EXPIRED
                if locked.expires_on < timezone.localdate()
                else Certificate.Status.VALID
            ),
            action=CertificateEvent.Action.REINSTATED,
            by_system=True,
        )
    return True


def policy_updates_miss(*, today: datetime.date | None = None) -> int:
    """
    Mark missed every pending policy update whose due date is before `today`, and suspend its
    certificate while valid, with the change named in the reason; return how many certificates
    were suspended. A certificate no longer valid (suspended by an auditor, revoked, expired,
    superseded) is left as it is, and its update is not one that suspended it. Run again, it
    changes nothing.
    """
    today = today or timezone.localdate()
    suspended = 0
    while True:
        ids = list(
            PolicyUpdate.objects.filter(status=PolicyUpdate.Status.PENDING, due_on__lt=today)
            .order_by("pk")
            .values_list("pk", "certificate_id")[:MISS_BATCH_SIZE]
        )
        if not ids:
            return suspended
        for update_id, certificate_id in ids:
            suspended += _miss_one(update_id=update_id, certificate_id=certificate_id)


@transaction.atomic
def _miss_one(*, update_id: int, certificate_id: int) -> int:
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    update = (
        PolicyUpdate.objects.select_for_update().select_related("policy_change").get(pk=update_id)
    )
    if update.status != PolicyUpdate.Status.PENDING:
        return 0  # completed or missed by another run meanwhile
    update.status = PolicyUpdate.Status.MISSED
    update.suspended = certificate.status == Certificate.Status.VALID
    update.save(update_fields=["status", "suspended"])
    if not update.suspended:
        return 0
    _transition(
        certificate=certificate,
        actor=None,
        reason=_reason(MISSED_REASON, update.policy_change),
        allowed_from=(Certificate.Status.VALID,),
        to_status=Certificate.Status.SUSPENDED,
        action=CertificateEvent.Action.SUSPENDED,
        by_system=True,
    )
    return 1

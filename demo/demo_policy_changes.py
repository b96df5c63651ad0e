"""
The demo policy change: the 三包 exchange-period clause of the lesson "7日退、15日换、一年保修"
(course 柜台三包政策) is revised, effective a week ago, and published by the demo trainer. The
publication is detected as a policy change (the clause's text and effective date changed); the
demo gives it its summary and a due date 14 days from today. Every holder of a live certificate
of a track requiring the course, certified on the old revision, is asked to read the changed
lesson: the demo technician among them (My training shows it; the manager's compliance report
shows "policy update due"). Two front desk holders have read it already (their certificate
records name the new revision), and one was given an earlier date, missed it and is suspended
by the daily job, with the change named in the reason.

Everything goes through the services a trainer's publication, a learner's reading and the daily
job use; the one shortcut is the back-dated due date of the holder who missed it, so the
suspension shows without waiting two weeks. A second run finds the change and writes nothing.
"""

import dataclasses
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from certificates.models import Certificate, PolicyUpdate
from certificates.services.policy_updates import (
    policy_updates_complete,
    policy_updates_enrol,
    policy_updates_miss,
)
from courses.models import CoursePage, LessonPage, PolicyChange
from courses.services import lesson_complete
from network.models import Role

from .demo_certificates import NETWORK_STORIES, NETWORK_TRACK, _network_holders
from .demo_network import SIGN_INS

COURSE_SLUG = "counter-warranty-policy"
LESSON_SLUG = "refund-exchange-repair"
TRAINER_USERNAME = "trainer"
# The exchange clause: the second policy clause of the lesson.
CLAUSE_INDEX = 1
REVISED_CLAUSE = (
    "<p>自售出之日起<b>第8日至第15日内</b>，主机出现性能故障的，消费者可以选择<b>换货或者修理</b>。"
    "换货时，销售者应当免费为消费者调换同型号同规格的移动电话机主机，并在换货凭证上"
    "<b>注明原机串号（IMEI）和换货日期</b>，交客户一联。</p>"
)
REVISED_CLAUSE_EN = (
    "<p>From the 8th to the 15th day after the sale, the customer may choose an "
    "<b>exchange or a repair</b> for a performance fault of the handset. An exchange is free, "
    "for a handset of the same model and specification, and the exchange slip "
    "<b>names the original handset's serial number (IMEI) and the exchange date</b>; the "
    "customer keeps a copy.</p>"
)
REVISED_NOTE = "换货凭证须写明原机串号和换货日期，一联交客户；没有凭证的换货不予结算。"
SUMMARY = "三包换货条款修订：换货凭证须注明原机串号（IMEI）和换货日期"
SUMMARY_EN = "Exchange clause revised: the exchange slip names the original IMEI and the date"
EFFECTIVE_DAYS_AGO = 7
DUE_IN_DAYS = 14
COMPLETED = 2  # front desk holders who have read it already
MISSED_DAYS_AGO = 3  # the due date given to the holder who missed it


@dataclasses.dataclass
class PolicyChangesSeedResult:
    change: PolicyChange | None = None
    created: bool = False
    due: int = 0
    completed: int = 0
    missed: int = 0
    skipped: list[str] = dataclasses.field(default_factory=list)


def seed_policy_changes(*, today: datetime.date | None = None) -> PolicyChangesSeedResult:
    today = today or timezone.localdate()
    result = PolicyChangesSeedResult()
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    lesson = (
        LessonPage.objects.child_of(course).filter(slug=LESSON_SLUG).first() if course else None
    )
    if lesson is None:
        result.skipped.append(f"no lesson {COURSE_SLUG}/{LESSON_SLUG} for the policy change demo")
        return result
    change = PolicyChange.objects.filter(lesson=lesson, summary=SUMMARY).first()
    if change is None:
        change = _revise(lesson, today=today, result=result)
        if change is None:
            return result
        result.created = True
        _stories(change, course=course, today=today)
    result.change = change
    counts = dict(
        PolicyUpdate.objects.filter(policy_change=change)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    result.due = counts.get(PolicyUpdate.Status.PENDING, 0)
    result.completed = counts.get(PolicyUpdate.Status.COMPLETED, 0)
    result.missed = counts.get(PolicyUpdate.Status.MISSED, 0)
    return result


def _revise(lesson: LessonPage, *, today, result) -> PolicyChange | None:
    """Publish the revised exchange clause as the demo trainer; return the detected change."""
    trainer = get_user_model().objects.filter(username=TRAINER_USERNAME).first()
    lesson = lesson.specific
    body = [dict(block) for block in lesson.body.raw_data]
    clauses = [i for i, block in enumerate(body) if block.get("type") == "policy_clause"]
    if len(clauses) <= CLAUSE_INDEX:
        result.skipped.append("the demo lesson has no exchange clause to revise")
        return None
    block = body[clauses[CLAUSE_INDEX]]
    block["value"] = {
        **block["value"],
        "clause": REVISED_CLAUSE,
        "clause_en": REVISED_CLAUSE_EN,
        "effective_date": (today - datetime.timedelta(days=EFFECTIVE_DAYS_AGO)).isoformat(),
        "note": REVISED_NOTE,
    }
    with transaction.atomic():
        lesson.body = body
        revision = lesson.save_revision(user=trainer)
        # Detected as a policy change (courses.wagtail_hooks). In the admin the revision passes
        # the review workflow first; the demo stands for its approval.
        revision.publish(user=trainer, skip_permission_checks=True)
        change = PolicyChange.objects.filter(revision=revision).first()
        if change is None:
            result.skipped.append("the revised clause was not detected as a policy change")
            return None
        # The trainer's own words and date for the detected change, before anybody is asked.
        PolicyChange.objects.filter(pk=change.pk).update(
            summary=SUMMARY,
            summary_en=SUMMARY_EN,
            due_on=today + datetime.timedelta(days=DUE_IN_DAYS),
        )
    change.refresh_from_db()
    return change


def _stories(change: PolicyChange, *, course: CoursePage, today) -> None:
    # The worker asks the holders after the commit; asked here too, so that the stories below
    # have their updates. Nobody is asked twice.
    policy_updates_enrol(policy_change_id=change.pk, today=today)
    # The certificate demo's own stories and the sign-ins keep theirs (the technician's update
    # stays due, for My training).
    keep = {p.pk for p in _network_holders(len(NETWORK_STORIES))}
    candidates = list(
        PolicyUpdate.objects.filter(
            policy_change=change, certificate__status=Certificate.Status.VALID
        )
        .exclude(holder_id__in=keep)
        .exclude(holder__user__username__in=SIGN_INS)
        .select_related("holder", "certificate__track")
        .order_by("holder__employee_number")
    )
    lesson = change.lesson.specific
    completed = [u for u in candidates if u.holder.role == Role.FRONT_DESK][:COMPLETED]
    for update in completed:
        lesson_complete(staff=update.holder, lesson=lesson, course=course)
        policy_updates_complete(staff_id=update.holder_id, lesson_id=lesson.pk)
    # The one who missed it works where the certificate demo already left a lapsed
    # certificate, so no outlet's verdict and no roll-out choice of the compliance demo moves;
    # another track than the front desk's, whose stories the certificate demo tells.
    lapsed_at = set(
        Certificate.objects.exclude(
            status__in=[Certificate.Status.VALID, Certificate.Status.SUPERSEDED]
        ).values_list("holder__outlet_id", flat=True)
    )
    missed = next(
        (
            u
            for u in candidates
            if u not in completed
            and u.holder.outlet_id in lapsed_at
            and u.certificate.track.slug != NETWORK_TRACK
        ),
        None,
    )
    if missed is not None:
        PolicyUpdate.objects.filter(pk=missed.pk).update(
            due_on=today - datetime.timedelta(days=MISSED_DAYS_AGO)
        )
        policy_updates_miss(today=today)

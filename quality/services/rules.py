"""
Corrective training from the quality signals: each active rule is applied to the network, an
outlet whose signal crossed the line gets its training once per trigger, and the training is
withdrawn when the finding that caused it is closed.

Applying is idempotent (the daily beat and every audit submit run it; running it twice assigns
nothing more): the assignment's constraints are the last guard when two runs meet.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.i18n import reads_english
from courses.models import Enrollment
from network.models import Outlet, Role, Staff

from ..models.audits import Finding
from ..models.rules import SEVERITY_RANK, CorrectiveAssignment, CorrectiveRule
from ..selectors.surveys import Period, figures_by_outlet

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class RulesApplied:
    assigned: int = 0
    ended: int = 0
    withdrawn: int = 0


def corrective_rules_apply(*, today: datetime.date | None = None) -> RulesApplied:
    """
    Apply every active rule: assign training where a trigger is new, end the assignments of
    low-answer spells that recovered, withdraw those whose finding was closed. Return the counts.
    """
    today = today or timezone.localdate()
    applied = RulesApplied()
    rules = list(CorrectiveRule.objects.filter(is_active=True).select_related("track"))
    for rule in rules:
        if rule.trigger == CorrectiveRule.Trigger.SURVEY_RATE:
            _survey_rule_apply(rule=rule, today=today, applied=applied)
        else:
            _finding_rule_apply(rule=rule, today=today, applied=applied)
    applied.withdrawn += _closed_findings_withdraw()
    return applied


def _survey_rule_apply(*, rule: CorrectiveRule, today, applied: RulesApplied) -> None:
    figures = figures_by_outlet(
        outlets=Outlet.objects.filter(is_active=True),
        period=Period.last_days(rule.window_days, today=today),
    )
    question_id = rule.survey_question_id
    active = {
        a.outlet_id: a
        for a in CorrectiveAssignment.objects.filter(
            rule=rule, finding__isnull=True, status=CorrectiveAssignment.Status.ACTIVE
        )
    }
    for outlet_id, outlet_figures in sorted(figures.items()):
        answered = outlet_figures.answered(question_id)
        rate = outlet_figures.yes_rate(question_id)
        # Too few answers say nothing either way: an open spell neither starts nor ends.
        if answered < rule.min_answers or rate is None:
            continue
        if rate < rule.threshold_percent and outlet_id not in active:
            evidence = {
                "rate": f"{rate:.1f}",
                "answers": answered,
                "days": rule.window_days,
                "threshold": rule.threshold_percent,
                "since": (today - datetime.timedelta(days=rule.window_days - 1)).isoformat(),
                "until": today.isoformat(),
            }
            if _assign(
                rule=rule, outlet_id=outlet_id, finding=None, evidence=evidence, today=today
            ):
                applied.assigned += 1
        elif rate >= rule.threshold_percent and outlet_id in active:
            # The spell is over: the training already given stays, a new drop is a new trigger.
            updated = CorrectiveAssignment.objects.filter(
                pk=active[outlet_id].pk, status=CorrectiveAssignment.Status.ACTIVE
            ).update(status=CorrectiveAssignment.Status.ENDED, ended_at=timezone.now())
            applied.ended += updated


def _finding_rule_apply(*, rule: CorrectiveRule, today, applied: RulesApplied) -> None:
    findings = Finding.objects.exclude(status=Finding.Status.CLOSED).exclude(
        corrective_assignments__rule=rule
    )
    if rule.service_area_id:
        findings = findings.filter(item__service_area_id=rule.service_area_id)
    severities = [
        s for s, rank in SEVERITY_RANK.items() if rank >= SEVERITY_RANK[rule.min_severity]
    ]
    for finding in findings.filter(severity__in=severities).order_by("pk"):
        evidence = {"finding": finding.pk}
        if _assign(
            rule=rule, outlet_id=finding.outlet_id, finding=finding, evidence=evidence, today=today
        ):
            applied.assigned += 1


def _people(*, rule: CorrectiveRule, outlet_id: int) -> list[Staff]:
    roles = [r for r in rule.roles if r in Role.values]
    return list(
        Staff.objects.filter(outlet_id=outlet_id, is_active=True)
        .filter(Q(role__in=roles) | Q(additional_roles__role__in=roles))
        .distinct()
        .order_by("pk")
    )


def _assign(*, rule, outlet_id: int, finding, evidence: dict, today) -> bool:
    """Make one assignment and its enrolments; False when another run made it first."""
    due_on = today + datetime.timedelta(days=rule.due_days)
    try:
        with transaction.atomic():
            assignment = CorrectiveAssignment.objects.create(
                rule=rule, outlet_id=outlet_id, finding=finding, evidence=evidence, due_on=due_on
            )
            people = _people(rule=rule, outlet_id=outlet_id)
            # Lock the people so that a role import or a hand assignment at this moment waits,
            # and the one-active-enrolment rule cannot fail halfway through.
            list(Staff.objects.select_for_update().filter(pk__in=[p.pk for p in people]))
            existing = {
                e.staff_id: e
                for e in Enrollment.objects.active().filter(track=rule.track, staff__in=people)
            }
            created = Enrollment.objects.bulk_create(
                [
                    Enrollment(
                        staff=person,
                        track=rule.track,
                        source=Enrollment.Source.CORRECTIVE,
                        starts_on=today,
                        due_on=due_on,
                    )
                    for person in people
                    if person.pk not in existing
                ]
            )
            # People already in the track keep their enrolment and its date; the assignment
            # lists them so the outlet's report counts them, but never withdraws them.
            assignment.enrollments.add(*created, *existing.values())
            outbox.enqueue(_notify_task(), assignment.pk)
    except IntegrityError:
        return False
    logger.info("Corrective training %s assigned at outlet %s", rule.pk, outlet_id)
    return True


def _notify_task():
    from ..tasks import corrective_assignment_notify_task

    return corrective_assignment_notify_task


def _closed_findings_withdraw() -> int:
    """Withdraw the training of closed findings; only unfinished enrolments the rule made."""
    now = timezone.now()
    withdrawn = 0
    for assignment in CorrectiveAssignment.objects.filter(
        status=CorrectiveAssignment.Status.ACTIVE, finding__status=Finding.Status.CLOSED
    ).order_by("pk"):
        with transaction.atomic():
            changed = CorrectiveAssignment.objects.filter(
                pk=assignment.pk, status=CorrectiveAssignment.Status.ACTIVE
            ).update(status=CorrectiveAssignment.Status.WITHDRAWN, ended_at=now)
            if not changed:
                continue
            Enrollment.objects.filter(
                pk__in=assignment.enrollments.values("pk"),
                source=Enrollment.Source.CORRECTIVE,
                status=Enrollment.Status.ACTIVE,
                completed_at__isnull=True,
            ).update(
                status=Enrollment.Status.WITHDRAWN,
                withdrawn_at=now,
                withdrawal_reason="finding closed",
            )
            withdrawn += 1
    return withdrawn


def corrective_assignment_notify(*, assignment_id: int) -> int:
    """
    Tell the outlet's managers what was assigned and why, by e-mail to those who have one.
    Return the number of messages sent; safe to run twice (a second mail is only a repeat).
    """
    assignment = (
        CorrectiveAssignment.objects.select_related("rule__track", "outlet", "finding__item")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or assignment.status != CorrectiveAssignment.Status.ACTIVE:
        return 0
    managers = Staff.objects.filter(
        outlet_id=assignment.outlet_id, role=Role.OUTLET_MANAGER, is_active=True
    ).select_related("user")
    sent = 0
    for manager in managers:
        email = manager.user.email if manager.user_id else ""
        if not email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "assignment": assignment,
                "reason": assignment_reason(assignment),
                "people": assignment.enrollments.count(),
                "url": f"{settings.WAGTAILADMIN_BASE_URL}/compliance/outlets/"
                f"{assignment.outlet.code}/",
            }
            subject = render_to_string("quality/email/corrective_subject.txt", context).strip()
            body = render_to_string("quality/email/corrective_body.txt", context)
        send_mail(subject, body, None, [email])
        sent += 1
    return sent


def assignment_reason(assignment: CorrectiveAssignment) -> str:
    """The rule's evidence in the reader's language: what was seen, over which days."""
    evidence = assignment.evidence or {}
    if assignment.finding_id:
        finding = assignment.finding
        return _("Audit finding (%(severity)s): %(description)s") % {
            "severity": finding.get_severity_display(),
            "description": finding.description,
        }
    question = assignment.rule.survey_question
    return _(
        "“%(question)s”: %(rate)s%% yes in %(answers)s answers over %(days)s days "
        "(below %(threshold)s%%)"
    ) % {
        "question": question.text_for(english=reads_english()),
        "rate": evidence.get("rate", "?"),
        "answers": evidence.get("answers", "?"),
        "days": evidence.get("days", "?"),
        "threshold": evidence.get("threshold", "?"),
    }

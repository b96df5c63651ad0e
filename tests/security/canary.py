"""
Outlet worlds for the cross-scope sweep: a partner company with one outlet, its people in every
outlet role, and one of everything the platform keeps about them (enrolments, exam attempts,
practical assessments with photos, certificates with their PDFs, a compliance export, an HR
import, an activation, sign-in events, an SMS). The canary is one such world; the outsiders work
in another, built the same way, so that their own pages have something to show.

Every name and number of a world carries its tag, so the sweep can look for the canary's in any
response: `World.markers()`.
"""

import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone
from wagtail.admin.models import EditingSession

from accounts.events import event_record
from accounts.models import SignInEvent, SmsMessage
from accounts.services import setup_issue
from assessments.models import Attempt, Evidence, PracticalAssessment, PracticalCriterion, Regrade
from assessments.services.attempts import attempt_start
from assessments.services.practicals import criterion_record, evidence_add, practical_start
from certificates.models import BulkSuspension, Certificate
from certificates.services.issuance import certificate_issue, certificate_suspend
from compliance.models import ExportJob
from compliance.services.export_jobs import compliance_export_build, compliance_export_start
from compliance.services.snapshots import compliance_snapshots_take, month_start
from core.models import OutboxMessage
from courses.models import CoursePage, Enrollment, LessonPage, TrackPage
from network.models import AdditionalRole, ImportBatch, Outlet, PartnerCompany, Staff
from network.services import import_batch_run
from quality.models.audits import Audit, AuditEvidence, AuditPlan, AuditTemplateItem, Finding
from quality.services.audits import (
    audit_create,
    audit_evidence_add,
    audit_item_record,
    audit_plan_schedule,
    audit_submit,
)
from tests.factories import assessments as assessment_factories
from tests.factories import compliance as compliance_factories
from tests.factories.certificates import certified_track, earned, track_checklist, track_exam
from tests.factories.compliance import enrollment
from tests.factories.network import (
    OutletFactory,
    PartnerCompanyFactory,
    StaffFactory,
    UserFactory,
)
from tests.factories.quality_audits import template as audit_template_build

ROLES = {
    # attribute: (role, English word in the person's name)
    "manager": ("outlet_manager", "Manager"),
    "front_desk": ("front_desk", "Front"),
    "technician": ("technician", "Tech"),
    "senior": ("senior_technician", "Senior"),
    "invited": ("technician", "Invited"),
}


@dataclasses.dataclass
class Shared:
    """The people who see the whole network, and the question bank every exam draws from."""

    superuser: object
    auditor: Staff
    trainer: Staff
    category: object
    # The brand's compliance rules (a requirement, a service area, a headcount rule).
    rules: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class World:
    tag: str
    number_prefix: str
    company: PartnerCompany
    outlet: Outlet
    manager: Staff
    front_desk: Staff
    technician: Staff
    senior: Staff
    invited: Staff  # imported by HR, not activated yet
    partner_admin: Staff
    additional_role: AdditionalRole
    track: TrackPage
    course: CoursePage
    lesson: LessonPage
    course_exam: object
    certification_exam: object
    enrollment: Enrollment
    open_attempt: Attempt
    submitted_attempt: Attempt
    practical: PracticalAssessment
    criterion: PracticalCriterion
    evidence: Evidence
    certificate: Certificate
    manager_certificate: Certificate
    export: ExportJob
    bulk_suspension: BulkSuspension
    import_batch: ImportBatch
    activation_token: str
    sign_in_event: SignInEvent
    sms: SmsMessage
    outbox: OutboxMessage
    regrade: Regrade
    editing_session: EditingSession
    # A field audit planned for the network's auditor, and a submitted one with its finding.
    audit_plan: AuditPlan
    planned_audit: Audit
    audit_item: AuditTemplateItem
    audit: Audit
    audit_evidence: AuditEvidence
    finding: Finding

    @property
    def people(self) -> dict[str, Staff]:
        return {attribute: getattr(self, attribute) for attribute in (*ROLES, "partner_admin")}

    def markers(self) -> dict[str, str]:
        """What of this world no other scope may read: label -> text, searched ignoring case."""
        found = {
            "the world's tag (in every name, e-mail and code)": self.tag,
            "outlet code": self.outlet.code,
            "outlet name": self.outlet.name,
            "partner company code": self.company.code,
        }
        for attribute, person in self.people.items():
            found[f"name of the {attribute}"] = person.name
            found[f"employee number of the {attribute}"] = person.employee_number
            found[f"phone of the {attribute}"] = person.phone
        for certificate in (self.certificate, self.manager_certificate):
            found[f"serial of the certificate of {certificate.employee_number}"] = (
                certificate.serial
            )
            found[f"verification code of {certificate.serial}"] = certificate.code
        return found


def shared_build() -> Shared:
    category = assessment_factories.category("维修常识题库")
    for _ in range(3):
        assessment_factories.question(category=category)
    return Shared(
        superuser=UserFactory(username="sweep-root", is_superuser=True, is_staff=True),
        auditor=StaffFactory(
            role="auditor",
            outlet=None,
            employee_number="AUD-0001",
            user__first_name="稽核员",
        ),
        trainer=StaffFactory(
            role="trainer", outlet=None, employee_number="TRN-0001", user__first_name="讲师"
        ),
        category=category,
    )


def _person(tag, prefix, n, attribute, outlet, **fields) -> Staff:
    role, word = ROLES[attribute]
    return StaffFactory(
        role=role,
        outlet=outlet,
        employee_number=f"{prefix}-{n:04d}",
        phone=f"139{n:08d}",
        user__username=f"{tag.lower()}-{attribute.replace('_', '-')}",
        user__first_name=f"{tag}{word}",
        user__last_name="网点员工",
        **fields,
    )


def _issue(staff, *, assessor, track) -> Certificate:
    earned(staff=staff, assessor=assessor, track=track)
    # The issuance queues the PDF's drawing after the commit; run it now.
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_issue(staff_id=staff.pk, track_id=track.pk)
    certificate.refresh_from_db()
    return certificate


def world_build(*, tag: str, prefix: str, number: int, shared: Shared) -> World:
    """
    Build one outlet world. `tag` is in every name and code, `prefix` starts its employee
    numbers, and `number` keeps its phone numbers apart from another world's.
    """
    company = PartnerCompanyFactory(code=f"{tag.upper()}-CO", name=f"{tag} 服务有限公司")
    outlet = OutletFactory(
        partner=True,
        partner_company=company,
        code=f"{tag.upper()}01",
        name=f"{tag} 网点",
        name_en=f"{tag} service outlet",
        address=f"{tag} 路 1 号",
    )
    people = {
        attribute: _person(tag, prefix, number * 100 + i, attribute, outlet)
        for i, attribute in enumerate(ROLES, start=1)
    }
    invited = people["invited"]
    invited.user.set_unusable_password()
    invited.user.save(update_fields=["password"])
    partner_admin = StaffFactory(
        role="partner_admin",
        outlet=None,
        partner_company=company,
        employee_number=f"{prefix}-{number * 100 + 9:04d}",
        phone=f"139{number * 100 + 9:08d}",
        user__username=f"{tag.lower()}-partner",
        user__first_name=f"{tag}Partner",
        user__last_name="服务商管理员",
    )
    technician, senior, manager = people["technician"], people["senior"], people["manager"]
    additional_role = AdditionalRole.objects.create(staff=people["front_desk"], role="technician")

    # The world's own track, which only its people are enrolled in: another scope has no lesson
    # or exam of it to open.
    track = certified_track(courses=1, roles=(), title=f"维修技术员认证 {prefix}")
    course = track.track_courses.get().course
    lesson = LessonPage.objects.child_of(course).get()
    course_exam = assessment_factories.assessment(course=course, rules=[(shared.category, 2)])
    certification_exam = track_exam(track)
    due = timezone.localdate() + datetime.timedelta(days=30)
    for person in (technician, manager, people["front_desk"]):
        enrollment(staff=person, track=track, due_on=due)
    front_desk_enrollment = Enrollment.objects.get(staff=people["front_desk"], track=track)

    certificate = _issue(technician, assessor=senior, track=track)
    manager_certificate = _issue(manager, assessor=senior, track=track)
    submitted_attempt = Attempt.objects.get(staff=technician, assessment=certification_exam)
    open_attempt = attempt_start(staff=technician, assessment=course_exam)

    checklist = track_checklist(track)
    criterion = checklist.criteria.first()
    practical = practical_start(
        assessor_user=senior.user, learner=people["front_desk"], checklist=checklist
    )
    criterion_record(
        assessment=practical, criterion=criterion, met=True, note=f"{tag} 备注", actor=senior.user
    )
    evidence = evidence_add(
        assessment=practical,
        uploaded_file=assessment_factories.photo_upload(),
        criterion=criterion,
        actor=senior.user,
    )

    export = compliance_export_start(
        user=manager.user, kind="outlet", format="xlsx", outlet=outlet.code, language="en"
    )
    export = compliance_export_build(job_id=export.pk)
    bulk_suspension = BulkSuspension.objects.create(
        requested_by=shared.auditor.user,
        outlet_code=outlet.code,
        reason=f"{tag} 稽核暂停",
        certificate_ids=[certificate.pk, manager_certificate.pk],
        total=2,
    )
    rows = [
        "employee_number,name,role,outlet_code,hire_date",
        f"{prefix}-{number * 100 + 20:04d},{tag}NewHire,technician,{outlet.code},2025-03-01",
    ]
    import_batch = ImportBatch.objects.create(
        kind="staff",
        file=ContentFile(("\r\n".join(rows) + "\r\n").encode(), name="staff.csv"),
        original_name=f"{tag}-staff.csv",
        uploaded_by=shared.auditor.user,
    )
    import_batch = import_batch_run(batch_id=import_batch.pk, apply=False)
    issued = setup_issue(staff=invited, actor=manager.user, deliver=False)
    sign_in_event = event_record(
        SignInEvent.Kind.SIGNED_IN, user=technician.user, identifier=technician.employee_number
    )
    sms = SmsMessage.objects.create(
        user=invited.user,
        phone=invited.phone,
        purpose=SmsMessage.Purpose.ACTIVATION,
        backend="core.sms.ConsoleBackend",
        status=SmsMessage.Status.SENT,
    )
    # An activation SMS waiting for the broker: its arguments carry the person's number.
    outbox = OutboxMessage.objects.create(
        task_name="accounts.tasks.setup_deliver_task",
        args=[issued.setup.pk, invited.employee_number, invited.phone],
        attempts=1,
        last_error="OperationalError: Connection refused",
    )
    version = open_attempt.items.select_related("version").first().version
    regrade = Regrade.objects.create(
        question_id=version.question_id,
        from_version=version,
        to_version=version,
        reason=f"{tag} 重新评分",
        created_by=shared.trainer.user,
        preview={"people": [technician.name]},
    )
    editing_session = EditingSession.objects.create(
        user=shared.auditor.user,
        content_type=ContentType.objects.get_for_model(Staff),
        object_id=str(technician.pk),
        last_seen_at=timezone.now(),
    )
    audits = _audits_build(tag=tag, outlet=outlet, manager=manager, shared=shared)
    return World(
        **audits,
        tag=tag,
        number_prefix=prefix,
        company=company,
        outlet=outlet,
        manager=manager,
        front_desk=people["front_desk"],
        technician=technician,
        senior=senior,
        invited=invited,
        partner_admin=partner_admin,
        additional_role=additional_role,
        track=track,
        course=course,
        lesson=lesson,
        course_exam=course_exam,
        certification_exam=certification_exam,
        enrollment=front_desk_enrollment,
        open_attempt=open_attempt,
        submitted_attempt=submitted_attempt,
        practical=practical,
        criterion=criterion,
        evidence=evidence,
        certificate=certificate,
        manager_certificate=manager_certificate,
        export=export,
        bulk_suspension=bulk_suspension,
        import_batch=import_batch,
        activation_token=issued.token,
        sign_in_event=sign_in_event,
        sms=sms,
        outbox=outbox,
        regrade=regrade,
        editing_session=editing_session,
    )


def _audits_build(*, tag, outlet, manager, shared) -> dict:
    """A plan that schedules the outlet's next audit, and a submitted audit with a finding."""
    checklist = audit_template_build()
    item = checklist.items.order_by("sort_order", "pk").first()
    plan = AuditPlan.objects.create(
        name=f"{tag} 季度稽核",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
        template=checklist,
    )
    plan.auditors.set([shared.auditor])
    plan.outlets.set([outlet])
    plan.save()
    (planned_audit,) = audit_plan_schedule(plan=plan)
    audit = audit_create(outlet=outlet, template=checklist, actor=shared.auditor.user)
    evidence = audit_evidence_add(
        audit=audit,
        uploaded_file=assessment_factories.photo_upload(),
        item=item,
        actor=shared.auditor.user,
    )
    for n, each in enumerate(checklist.items.order_by("sort_order", "pk")):
        audit_item_record(
            audit=audit,
            item=each,
            outcome="fail" if n == 0 else "pass",
            note=f"{tag} 未主动问候" if n == 0 else "",
            actor=shared.auditor.user,
        )
    audit = audit_submit(
        audit=audit,
        actor=shared.auditor.user,
        observed=[manager],
        manager_name=manager.name,
        manager_confirmed=True,
    )
    return {
        "audit_plan": plan,
        "planned_audit": planned_audit,
        "audit_item": item,
        "audit": audit,
        "audit_evidence": evidence,
        "finding": Finding.objects.get(audit=audit),
    }


def world_grow(world: World, *, shared: Shared, period: datetime.date) -> None:
    """
    Change everything of `world` that another scope's figures could count: a second outlet of
    its company, newcomers (one certified, one overdue), a suspended certificate, a finished
    practical, and the month of the reports' history recorded again.
    """
    today = timezone.localdate()
    second = OutletFactory(
        partner=True,
        partner_company=world.company,
        code=f"{world.tag.upper()}02",
        name=f"{world.tag} 二号网点",
    )
    for n, (attribute, outlet) in enumerate(
        [("technician", world.outlet), ("front_desk", second), ("manager", second)], start=50
    ):
        role, word = ROLES[attribute]
        newcomer = StaffFactory(
            role=role,
            outlet=outlet,
            employee_number=f"{world.number_prefix}-{n:04d}",
            user__first_name=f"{world.tag}New{word}",
        )
        enrollment(staff=newcomer, track=world.track, due_on=today - datetime.timedelta(days=3))
        if n == 50:
            compliance_factories.certificate(
                holder=newcomer, track=world.track, expires_on=today.replace(year=today.year + 1)
            )
    certificate_suspend(
        certificate=world.certificate, actor=shared.auditor.user, reason=f"{world.tag} 稽核"
    )
    # Another audit of the outlet, with another finding: no other scope's findings may count it.
    later = audit_create(
        outlet=world.outlet, template=world.audit.template, actor=shared.auditor.user
    )
    for n, each in enumerate(world.audit.template.items.order_by("sort_order", "pk")):
        audit_item_record(
            audit=later,
            item=each,
            outcome="fail" if n == 1 else "pass",
            note=f"{world.tag} 未佩戴工牌" if n == 1 else "",
            actor=shared.auditor.user,
        )
    audit_submit(audit=later, actor=shared.auditor.user, refusal_note=f"{world.tag} 拒绝签字")
    PracticalAssessment.objects.filter(pk=world.practical.pk).update(
        status=PracticalAssessment.Status.COMPLETED, passed=False, completed_at=timezone.now()
    )
    compliance_snapshots_take(period=period, as_of=today, replace=True)


def snapshots_take() -> datetime.date:
    """Record last month's compliance of every outlet, for the reports' history; return it."""
    today = timezone.localdate()
    period = month_start(month_start(today) - datetime.timedelta(days=1))
    compliance_snapshots_take(period=period, as_of=today)
    return period

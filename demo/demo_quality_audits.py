"""
The demo quality department's field audits (现场稽核): the service norms checklist, a quarter's
plan, and what its audits found at the demo manager's outlet: a warranty finding still open and
overdue, a price list finding the manager has answered with a corrective action, a dress finding
closed by a re-audit (复查); a clean audit elsewhere; and one planned audit waiting for the demo
auditor to conduct on their phone.

`seed_quality_audits()` writes nothing when the template is already there, so a second run
writes nothing. Run it after the network, the catalog and the compliance rules.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from compliance.models import ServiceArea
from network.models import Outlet, Role, Staff
from quality.models.audits import Audit, AuditPlan, AuditTemplate, AuditTemplateItem, Finding
from quality.services.audits import (
    audit_create,
    audit_item_record,
    audit_plan_schedule,
    audit_submit,
    finding_answer,
)

TEMPLATE_NAME = "服务规范现场稽核表"
# text, English text, service area code, default severity if failed
ITEMS = (
    ("主动问候客户，使用普通话和礼貌用语", "Greets the customer, in Mandarin and polite language",
     "counter", "minor"),
    ("按规定着工装、佩戴工牌", "Wears the uniform and name badge", "counter", "minor"),
    ("向客户说明并正确执行三包条款（包修、包换、包退）",
     "Explains and applies the three guarantees (repair, replacement, refund)", "counter",
     "critical"),
    ("在接待区明示维修价目表", "Shows the repair price list at the counter", "counter", "major"),
    ("使用原厂配件；使用翻新件或拆机件须经客户书面同意",
     "Uses genuine parts; refurbished or salvaged parts only with the customer's written consent",
     "phone-repair", "critical"),
    ("拆机时佩戴防静电手环并使用防静电垫", "Wears an ESD wrist strap and uses an ESD mat",
     "phone-repair", "major"),
    ("维修工单填写完整并由客户签字确认", "Repair orders complete and signed by the customer",
     "counter", "minor"),
)  # fmt: skip
GREETING, DRESS, WARRANTY, PRICES, PARTS, ESD, RECORDS = range(len(ITEMS))


@dataclasses.dataclass
class AuditSeedResult:
    created: bool = False
    audits_submitted: int = 0
    findings: int = 0
    planned: int = 0
    outlet: str = ""


def _record(audit, auditor, outcomes: dict, items, *, default="pass"):
    for n, item in enumerate(items):
        outcome, note = outcomes.get(n, (default, ""))
        audit_item_record(audit=audit, item=item, outcome=outcome, note=note, actor=auditor.user)


def _backdate(audit, days: int) -> None:
    """Move a submitted audit and its findings `days` back, as if visited then."""
    shift = datetime.timedelta(days=days)
    Audit.objects.filter(pk=audit.pk).update(submitted_at=audit.submitted_at - shift)
    for finding in Finding.objects.filter(audit=audit):
        Finding.objects.filter(pk=finding.pk).update(respond_by=finding.respond_by - shift)


def seed_quality_audits() -> AuditSeedResult:
    """Write the demo field audits, unless the demo template is already there."""
    result = AuditSeedResult()
    if AuditTemplate.objects.filter(name=TEMPLATE_NAME).exists():
        return result
    auditor = Staff.objects.filter(user__username="auditor", role=Role.AUDITOR).first()
    manager = (
        Staff.objects.filter(user__username="manager", role=Role.OUTLET_MANAGER)
        .select_related("outlet", "user")
        .first()
    )
    if auditor is None or manager is None:
        return result
    with transaction.atomic():
        _seed(result, auditor=auditor, manager=manager)
    return result


def _seed(result, *, auditor, manager) -> None:
    today = timezone.localdate()
    areas = {a.code: a for a in ServiceArea.objects.all()}
    template = AuditTemplate.objects.create(name=TEMPLATE_NAME, name_en="Service norms field audit")
    for n, (text, text_en, area, severity) in enumerate(ITEMS):
        AuditTemplateItem.objects.create(
            template=template,
            text=text,
            text_en=text_en,
            service_area=areas.get(area),
            default_severity=severity,
            sort_order=n,
        )
    items = list(template.items.order_by("sort_order", "pk"))
    outlet = manager.outlet
    plan = AuditPlan.objects.create(
        name=f"{today.year}年第{(today.month - 1) // 3 + 1}季度服务规范稽核",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=30),
        template=template,
        sample_size=1,
    )
    plan.auditors.set([auditor])
    plan.outlets.set([outlet])
    plan.save()
    scheduled = audit_plan_schedule(plan=plan, actor=auditor.user)
    first = next(a for a in scheduled if a.outlet_id == outlet.pk)

    # Forty days ago: three norms broken at the manager's outlet.
    _record(
        first,
        auditor,
        {
            DRESS: ("fail", "一名前台未佩戴工牌"),
            WARRANTY: ("fail", "客户手机购买5天内性能故障，前台只提供维修，未告知可换货"),
            PRICES: ("fail", "维修价目表未张贴，口头报价"),
        },
        items,
    )
    first = audit_submit(
        audit=first,
        actor=auditor.user,
        observed=list(Staff.objects.active().filter(outlet=outlet)[:3]),
        manager_name=manager.name,
        manager_confirmed=True,
    )
    _backdate(first, 40)
    findings = {f.item_id: f for f in Finding.objects.filter(audit=first)}
    # The manager has answered the price list finding; the warranty one waits, overdue.
    finding_answer(
        finding=findings[items[PRICES].pk],
        actor=manager.user,
        corrective_action="已打印并张贴最新维修价目表；前台报价须指向价目表，店长每周抽查。",
        action_due_on=today + datetime.timedelta(days=14),
    )
    # Ten days ago: a re-audit found everyone badged, closing the dress finding. No customer
    # with a warranty claim came in, so the warranty finding stays open.
    reaudit = audit_create(outlet=outlet, template=template, actor=auditor.user, is_reaudit=True)
    _record(
        reaudit,
        auditor,
        {
            WARRANTY: ("na", "复查期间无三包客户，未能观察"),
            PRICES: ("na", "整改期限未到"),
            PARTS: ("na", ""),
            ESD: ("na", ""),
        },
        items,
    )
    reaudit = audit_submit(
        audit=reaudit,
        actor=auditor.user,
        refusal_note="店长外出，值班主管拒绝代签",
    )
    _backdate(reaudit, 10)
    # A clean audit at another outlet of the network.
    other = (
        Outlet.objects.filter(is_active=True)
        .exclude(pk__in=[a.outlet_id for a in scheduled])
        .order_by("code")
        .first()
    )
    if other is not None:
        clean = audit_create(outlet=other, template=template, actor=auditor.user)
        _record(clean, auditor, {}, items)
        clean = audit_submit(
            audit=clean, actor=auditor.user, manager_name="值班经理", manager_confirmed=True
        )
        _backdate(clean, 20)
        result.audits_submitted += 1
    result.created = True
    result.audits_submitted += 2
    result.findings = Finding.objects.count()
    result.planned = Audit.objects.filter(status=Audit.Status.PLANNED, auditor=auditor).count()
    result.outlet = outlet.code

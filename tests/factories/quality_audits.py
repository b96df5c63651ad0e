"""Field audits written through the services, in the states the tests tell apart."""

from quality.models.audits import AuditTemplate, AuditTemplateItem
from quality.services.audits import audit_create, audit_item_record, audit_submit

ITEMS = (
    ("主动问候，使用普通话和礼貌用语", "minor"),
    ("按规定着工装、佩戴工牌", "minor"),
    ("向客户说明并正确执行三包条款", "critical"),
)


def template(*, items=ITEMS, name="服务规范现场稽核表", **fields) -> AuditTemplate:
    audit_template = AuditTemplate.objects.create(name=name, **fields)
    for n, (text, severity) in enumerate(items):
        AuditTemplateItem.objects.create(
            template=audit_template, text=text, default_severity=severity, sort_order=n
        )
    return audit_template


def items_of(audit_template) -> list[AuditTemplateItem]:
    return list(audit_template.items.order_by("sort_order", "pk"))


def planned(*, outlet, auditor, audit_template, is_reaudit=False):
    return audit_create(
        outlet=outlet, template=audit_template, actor=auditor.user, is_reaudit=is_reaudit
    )


def record_all(audit, auditor, *, failed=(), outcome="pass"):
    """Record every item of `audit`: those at the indexes in `failed` failed, the others pass."""
    for n, item in enumerate(items_of(audit.template)):
        if n in failed:
            audit_item_record(
                audit=audit, item=item, outcome="fail", note=f"问题{n}", actor=auditor.user
            )
        else:
            audit_item_record(audit=audit, item=item, outcome=outcome, actor=auditor.user)


def submitted(*, outlet, auditor, audit_template, failed=(), is_reaudit=False):
    """A submitted audit of `outlet` whose items at the indexes in `failed` failed."""
    audit = planned(
        outlet=outlet, auditor=auditor, audit_template=audit_template, is_reaudit=is_reaudit
    )
    record_all(audit, auditor, failed=failed)
    return audit_submit(
        audit=audit, actor=auditor.user, manager_name="王经理", manager_confirmed=True
    )

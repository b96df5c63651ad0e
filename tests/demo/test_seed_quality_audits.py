import pytest
from django.utils import timezone

from demo.demo_quality_audits import DRESS, ITEMS, PRICES, WARRANTY, seed_quality_audits
from network.models import Staff
from quality.models.audits import Audit, AuditTemplate, Finding
from quality.selectors.audits import audit_list, finding_list

pytestmark = pytest.mark.django_db


def test_the_demo_has_audits_with_findings_in_each_state(seeded):
    template = AuditTemplate.objects.get()
    items = list(template.items.order_by("sort_order"))
    manager = Staff.objects.get(user__username="manager")
    today = timezone.localdate()
    findings = {
        f.item_id: f for f in Finding.objects.filter(outlet=manager.outlet, audit__is_reaudit=False)
    }

    assert len(items) == len(ITEMS)
    assert findings[items[WARRANTY].pk].status == "open"
    assert findings[items[WARRANTY].pk].is_overdue(today)
    assert findings[items[PRICES].pk].status == "answered"
    assert not findings[items[PRICES].pk].is_overdue(today)
    closed = findings[items[DRESS].pk]
    assert closed.status == "closed" and closed.closed_by_audit.is_reaudit
    assert "Field audits: 3 submitted with 3 findings" in seeded


def test_the_demo_auditor_has_an_audit_to_conduct_and_the_manager_findings(seeded):
    auditor = Staff.objects.get(user__username="auditor")
    manager = Staff.objects.get(user__username="manager")

    mine = list(audit_list(user=auditor.user, mine=True).filter(status="planned"))

    assert len(mine) == 1
    assert mine[0].outlet_id != manager.outlet_id
    assert {f.status for f in finding_list(user=manager.user)} == {"open", "answered"}


def test_a_second_run_writes_no_audits(seeded):
    before = (Audit.objects.count(), Finding.objects.count())

    assert seed_quality_audits().created is False
    assert (Audit.objects.count(), Finding.objects.count()) == before

"""The quality department's admin of audit templates and plans, and the navigation to audits."""

import pytest
from django.urls import reverse

from network.services import staff_assignment_sync
from quality.models.audits import Audit, AuditPlan
from tests.factories.network import OutletFactory, StaffFactory
from tests.factories.quality_audits import template

pytestmark = pytest.mark.django_db


def snippet_url(model: str, action: str) -> str:
    return reverse(f"wagtailsnippets_quality_{model}:{action}")


def signed_in(client, role: str, **fields):
    person = StaffFactory(role=role, **fields)
    staff_assignment_sync(staff=person)  # puts them in their role's admin group
    client.force_login(person.user)
    return person


def test_an_auditors_plan_schedules_its_audits_when_saved(client):
    auditor = signed_in(client, "auditor", outlet=None)
    checklist = template()
    picked, risky = OutletFactory(code="A01"), OutletFactory(code="B01")

    response = client.post(
        snippet_url("auditplan", "add"),
        {
            "name": "第四季度稽核",
            "starts_on": "2026-10-01",
            "ends_on": "2026-12-31",
            "template": checklist.pk,
            "auditors": [auditor.pk],
            "outlets": [picked.pk],
            "sample_size": "1",
        },
    )

    assert response.status_code == 302
    plan = AuditPlan.objects.get()
    assert sorted(plan.audits.values_list("outlet__code", "auditor_id")) == [
        ("A01", auditor.pk),
        ("B01", auditor.pk),
    ]
    assert risky.audits.get().status == Audit.Status.PLANNED


@pytest.mark.parametrize("role", ["trainer", "outlet_manager"])
def test_others_may_not_edit_audit_templates_or_plans(client, role):
    signed_in(client, role, outlet=None if role == "trainer" else OutletFactory())

    for model in ("audittemplate", "auditplan"):
        response = client.get(snippet_url(model, "add"))
        assert response.status_code in (302, 403), model
    assert AuditPlan.objects.count() == 0


def test_auditors_and_managers_find_their_audit_pages_in_the_navigation(client, partner_outlet):
    signed_in(client, "auditor", outlet=None)
    auditor_page = client.get(reverse("courses:my_training")).content.decode()
    client.logout()
    signed_in(client, "outlet_manager", outlet=partner_outlet)
    manager_page = client.get(reverse("courses:my_training")).content.decode()
    client.logout()
    signed_in(client, "technician", outlet=partner_outlet)
    technician_page = client.get(reverse("courses:my_training")).content.decode()

    findings = reverse("quality:finding_list")
    assert f"{reverse('quality:audit_list')}?mine=1" in auditor_page
    assert findings in auditor_page
    assert findings in manager_page and "Audit findings" in manager_page
    assert findings not in technician_page

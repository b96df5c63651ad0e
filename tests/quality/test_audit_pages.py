"""The audit pages: conducting on a phone, scope (404 across), findings, and their query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quality.models.audits import AuditEvidence, AuditItemResult, Finding
from quality.services.audits import audit_evidence_add, audit_submit
from tests.factories.assessments import photo_upload
from tests.factories.network import OutletFactory, StaffFactory
from tests.factories.quality_audits import items_of, planned, record_all, submitted, template


@pytest.fixture
def checklist(db):
    return template()


@pytest.fixture
def done(partner_outlet, auditor, checklist):
    """A submitted audit of the manager's outlet with a finding and a photo."""
    audit = planned(outlet=partner_outlet, auditor=auditor, audit_template=checklist)
    audit_evidence_add(
        audit=audit, uploaded_file=photo_upload(), item=items_of(checklist)[2], actor=auditor.user
    )
    record_all(audit, auditor, failed=(2,))
    return audit_submit(
        audit=audit, actor=auditor.user, manager_name="王经理", manager_confirmed=True
    )


def _urls(audit):
    finding = audit.findings.get()
    evidence = audit.evidence.get()
    return [
        reverse("quality:audit_detail", args=[audit.pk]),
        reverse("quality:audit_evidence_file", args=[evidence.pk]),
        reverse("quality:finding_detail", args=[finding.pk]),
    ]


def _no_inline_code(html: str) -> None:
    assert ' style="' not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_outlets_manager_and_partner_admin_see_its_audit_findings_and_photos(
    client, done, manager, partner_company
):
    partner_admin = StaffFactory(role="partner_admin", outlet=None, partner_company=partner_company)
    for person in (manager, partner_admin):
        client.force_login(person.user)
        for url in _urls(done):
            assert client.get(url).status_code == 200, url
        listing = client.get(reverse("quality:finding_list"))
        assert [f.pk for f in listing.context["page"]] == [done.findings.get().pk]


@pytest.mark.parametrize(
    "who", ["rival_manager", "rival_partner_admin", "own_technician", "trainer"]
)
def test_others_are_answered_404_on_the_audit_its_photos_and_findings(client, done, who):
    rival = OutletFactory(partner=True)
    person = {
        "rival_manager": lambda: StaffFactory(role="outlet_manager", outlet=rival),
        "rival_partner_admin": lambda: StaffFactory(
            role="partner_admin", outlet=None, partner_company=rival.partner_company
        ),
        "own_technician": lambda: StaffFactory(role="technician", outlet=done.outlet),
        "trainer": lambda: StaffFactory(role="trainer", outlet=None),
    }[who]()
    client.force_login(person.user)

    for url in _urls(done):
        assert client.get(url).status_code == 404, url
    assert list(client.get(reverse("quality:finding_list")).context["page"]) == []
    assert list(client.get(reverse("quality:audit_list")).context["page"]) == []


def test_a_manager_does_not_see_another_outlets_findings(client, done, manager, auditor, checklist):
    elsewhere = submitted(
        outlet=OutletFactory(), auditor=auditor, audit_template=checklist, failed=(0,)
    )
    client.force_login(manager.user)

    listing = client.get(reverse("quality:finding_list"))

    assert [f.outlet_id for f in listing.context["page"]] == [done.outlet_id]
    finding = elsewhere.findings.get()
    assert client.get(reverse("quality:finding_detail", args=[finding.pk])).status_code == 404
    assert client.get(reverse("quality:audit_detail", args=[elsewhere.pk])).status_code == 404


def test_the_auditor_conducts_and_submits_an_audit_from_the_phone(
    client, partner_outlet, auditor, checklist, manager
):
    audit = planned(outlet=partner_outlet, auditor=auditor, audit_template=checklist)
    client.force_login(auditor.user)
    page = client.get(reverse("quality:audit_detail", args=[audit.pk]))
    assert page.status_code == 200
    _no_inline_code(page.content.decode())
    first, second, third = items_of(checklist)

    for item, data in (
        (first, {"outcome": "pass"}),
        (second, {"outcome": "na"}),
        (third, {"outcome": "fail", "severity": "major", "note": "未告知三包期限"}),
    ):
        response = client.post(reverse("quality:audit_item_record", args=[audit.pk, item.pk]), data)
        assert response.status_code == 302
    photo = client.post(
        reverse("quality:audit_evidence_add", args=[audit.pk]),
        {"photo": photo_upload(), "item": third.pk},
    )
    submit = client.post(
        reverse("quality:audit_submit", args=[audit.pk]),
        {"observed": [manager.pk], "manager_name": "王经理", "manager_confirmed": "on"},
    )

    assert photo.status_code == 302
    assert submit.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "submitted"
    assert list(audit.observed.all()) == [manager]
    assert list(Finding.objects.values_list("severity", "description")) == [
        ("major", "未告知三包期限")
    ]
    # Read-only from now on: the page offers no form to change it.
    after = client.get(reverse("quality:audit_detail", args=[audit.pk])).content.decode()
    assert reverse("quality:audit_submit", args=[audit.pk]) not in after


def test_submitting_an_incomplete_audit_says_what_is_missing(
    client, partner_outlet, auditor, checklist
):
    audit = planned(outlet=partner_outlet, auditor=auditor, audit_template=checklist)
    client.force_login(auditor.user)

    response = client.post(
        reverse("quality:audit_submit", args=[audit.pk]),
        {"manager_name": "王经理", "manager_confirmed": "on"},
    )

    assert response.status_code == 400
    assert "3 items have no result yet." in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == "planned"


def test_a_manager_answers_a_finding_on_its_page(client, done, manager):
    finding = done.findings.get()
    client.force_login(manager.user)
    url = reverse("quality:finding_detail", args=[finding.pk])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

    refused = client.post(url, {"corrective_action": "重新培训", "action_due_on": past})
    answered = client.post(url, {"corrective_action": "重新培训", "action_due_on": due})

    assert refused.status_code == 400
    assert "The date may not be in the past." in refused.content.decode()
    assert answered.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.action_due_on.isoformat()) == ("answered", due)


def test_the_audit_pages_work_in_chinese(client, done, manager):
    client.force_login(manager.user)
    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("quality:finding_list"))

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    _no_inline_code(response.content.decode())


# --- Query counts -------------------------------------------------------------------------------


def _audits(size, *, outlet, auditor, checklist):
    for _ in range(size):
        submitted(outlet=outlet, auditor=auditor, audit_template=checklist, failed=(0,))


@pytest.mark.parametrize("size", [1, 20])
def test_audit_list_queries_do_not_grow(
    client, django_assert_num_queries, auditor, checklist, size
):
    for _ in range(size):
        _audits(1, outlet=OutletFactory(), auditor=auditor, checklist=checklist)
    client.force_login(auditor.user)

    with django_assert_num_queries(AUDIT_LIST):
        response = client.get(reverse("quality:audit_list"))

    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_audit_page_queries_do_not_grow_with_items_and_photos(
    client, django_assert_num_queries, partner_outlet, auditor, size
):
    sheet = template(items=[(f"规范{i}", "minor") for i in range(size)])
    audit = planned(outlet=partner_outlet, auditor=auditor, audit_template=sheet)
    for item in items_of(sheet):
        audit_evidence_add(audit=audit, uploaded_file=photo_upload(), item=item, actor=auditor.user)
    record_all(audit, auditor, failed=(0, 1))
    for _ in range(size):
        StaffFactory(role="technician", outlet=partner_outlet)
    client.force_login(auditor.user)

    with django_assert_num_queries(AUDIT_PAGE):
        response = client.get(reverse("quality:audit_detail", args=[audit.pk]))

    assert len(response.context["sheet"].rows) == size
    assert AuditEvidence.objects.count() == size
    assert AuditItemResult.objects.count() == size


@pytest.mark.parametrize("size", [1, 20])
def test_findings_list_queries_do_not_grow(
    client, django_assert_num_queries, partner_outlet, manager, auditor, checklist, size
):
    _audits(size, outlet=partner_outlet, auditor=auditor, checklist=checklist)
    client.force_login(manager.user)

    with django_assert_num_queries(FINDING_LIST):
        response = client.get(reverse("quality:finding_list"))

    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [1, 20])
def test_outlet_report_section_queries_do_not_grow(
    client, django_assert_num_queries, partner_outlet, manager, auditor, checklist, size
):
    _audits(size, outlet=partner_outlet, auditor=auditor, checklist=checklist)
    client.force_login(manager.user)
    url = reverse("compliance:outlet", args=[partner_outlet.code])

    with django_assert_num_queries(OUTLET_REPORT):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("/quality/findings/") >= size
    (section,) = [s for s in response.context["sections"] if "quality/audits" in s.template]
    assert len(section.context["audits"]) == min(size, 10)
    assert len(section.context["findings"]) == size


AUDIT_LIST = 7
AUDIT_PAGE = 14
FINDING_LIST = 8
OUTLET_REPORT = 22


def test_an_auditor_starts_a_reaudit_of_an_outlet(client, partner_outlet, auditor, checklist):
    client.force_login(auditor.user)
    url = reverse("quality:audit_start")

    unknown = client.post(url, {"outlet": "NO-SUCH", "template": checklist.pk})
    started = client.post(
        url, {"outlet": partner_outlet.code, "template": checklist.pk, "is_reaudit": "on"}
    )

    assert unknown.status_code == 200
    assert "No active outlet has this code." in unknown.content.decode()
    assert started.status_code == 302
    (audit,) = partner_outlet.audits.all()
    assert (audit.is_reaudit, audit.status, audit.auditor) == (True, "planned", auditor)


def test_only_auditors_start_audits(client, manager):
    client.force_login(manager.user)

    assert client.get(reverse("quality:audit_start")).status_code == 403

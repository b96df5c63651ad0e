from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from assessments.models import CriterionResult, Evidence, PracticalAssessment
from assessments.services.practicals import criterion_record, evidence_add, practical_start
from tests.factories.assessments import checklist, image_bytes, photo_upload
from tests.factories.courses import track_page
from tests.factories.network import PartnerCompanyFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def esd():
    track = track_page(roles=["technician"], title="维修技术员实操认证")
    return checklist(track=track, criteria=[("佩戴防静电手环", True), ("拆机顺序正确", False)])


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def colleague(partner_outlet):
    """Another learner at the same outlet."""
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def other_manager(other_outlet):
    return StaffFactory(role="outlet_manager", outlet=other_outlet)


@pytest.fixture
def partner_admin(partner_outlet):
    return StaffFactory(
        role="partner_admin", outlet=None, partner_company=partner_outlet.partner_company
    )


@pytest.fixture
def other_partner_admin(db):
    return StaffFactory(role="partner_admin", outlet=None, partner_company=PartnerCompanyFactory())


@pytest.fixture
def trainer(db):
    return StaffFactory(role="trainer", outlet=None)


@pytest.fixture
def assessment(senior, learner, esd):
    return practical_start(assessor_user=senior.user, learner=learner, checklist=esd)


@pytest.fixture
def photo(assessment, senior):
    return evidence_add(assessment=assessment, uploaded_file=photo_upload(), actor=senior.user)


def _stored_files() -> set[str]:
    root = Path(storages["private"].location) / "evidence"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _checklist_url(assessment):
    return reverse("assessments:practical_checklist", args=[assessment.pk])


# Evidence files are served only in scope


@pytest.mark.parametrize(
    "who", ["senior", "learner", "manager", "partner_admin", "auditor", "trainer"]
)
def test_evidence_is_served_to_people_in_scope(client, request, photo, who):
    client.force_login(request.getfixturevalue(who).user)

    response = client.get(reverse("assessments:evidence_file", args=[photo.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="evidence-{photo.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=600"}
    assert "Cookie" in response["Vary"]
    response.close()


@pytest.mark.parametrize("who", ["other_manager", "colleague", "other_partner_admin"])
def test_evidence_is_404_to_people_out_of_scope(client, request, photo, who):
    client.force_login(request.getfixturevalue(who).user)

    response = client.get(reverse("assessments:evidence_file", args=[photo.pk]))

    assert response.status_code == 404


def test_evidence_needs_a_signed_in_user(client, photo):
    response = client.get(reverse("assessments:evidence_file", args=[photo.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_assessor_who_moved_to_another_company_no_longer_sees_what_he_assessed(
    client, photo, senior, other_outlet
):
    # Partner companies compete: a senior technician who moved to a rival loses the learner's
    # checklist and photos with the learner's scope.
    assessment = photo.assessment
    senior.outlet = other_outlet
    senior.save()
    client.force_login(senior.user)

    assert client.get(reverse("assessments:evidence_file", args=[photo.pk])).status_code == 404
    assert (
        client.get(reverse("assessments:practical_detail", args=[assessment.pk])).status_code == 404
    )
    listing = client.get(reverse("assessments:practical_list")).content.decode()
    assert assessment.learner.name not in listing


def test_an_assessor_still_at_the_outlet_sees_what_he_assessed(client, photo, senior):
    client.force_login(senior.user)

    response = client.get(reverse("assessments:evidence_file", args=[photo.pk]))

    assert response.status_code == 200
    response.close()


# Listing and detail


@pytest.fixture
def elsewhere(trainer, other_outlet, esd):
    person = StaffFactory(role="technician", outlet=other_outlet)
    return practical_start(assessor_user=trainer.user, learner=person, checklist=esd)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("senior", {"assessment"}),
        ("learner", {"assessment"}),
        ("colleague", set()),
        ("manager", {"assessment"}),
        ("other_manager", {"elsewhere"}),
        ("partner_admin", {"assessment"}),
        ("auditor", {"assessment", "elsewhere"}),
        ("trainer", {"assessment", "elsewhere"}),
    ],
)
def test_list_shows_the_assessments_in_scope(client, request, assessment, elsewhere, who, sees):
    client.force_login(request.getfixturevalue(who).user)

    response = client.get(reverse("assessments:practical_list"))

    assert response.status_code == 200
    listed = {a.pk for a in response.context["page"]}
    assert listed == {request.getfixturevalue(name).pk for name in sees}


def test_detail_is_404_out_of_scope(client, assessment, other_manager):
    client.force_login(other_manager.user)

    response = client.get(reverse("assessments:practical_detail", args=[assessment.pk]))

    assert response.status_code == 404


def test_detail_shows_the_result_and_the_passing_rule(client, assessment, senior, manager, esd):
    for criterion in esd.criteria.all():
        criterion_record(
            assessment=assessment, criterion=criterion, met=True, note="规范", actor=senior.user
        )
    client.force_login(manager.user)

    response = client.get(reverse("assessments:practical_detail", args=[assessment.pk]))

    page = response.content.decode()
    assert "Passed when every critical criterion is met and at least 80% of all criteria" in page
    assert senior.name in page
    assert response.context["sheet"].recorded == 2
    assert response.context["is_assessor"] is False


# The assessor's checklist page


def test_checklist_page_is_mobile_ready(client, assessment, senior):
    client.force_login(senior.user)

    response = client.get(_checklist_url(assessment))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'accept="image/*" capture="environment"' in page
    assert page.count('name="met" value="0"') == 2


def test_checklist_page_is_forbidden_to_others_in_scope(client, assessment, manager):
    client.force_login(manager.user)

    assert client.get(_checklist_url(assessment)).status_code == 403


def test_checklist_page_is_404_out_of_scope(client, assessment, other_manager):
    client.force_login(other_manager.user)

    assert client.get(_checklist_url(assessment)).status_code == 404


def test_assessor_records_a_criterion(client, assessment, senior, esd):
    critical = esd.criteria.get(critical=True)
    client.force_login(senior.user)
    url = reverse("assessments:practical_criterion_record", args=[assessment.pk, critical.pk])

    response = client.post(url, {"met": "0", "note": "未佩戴防静电手环"})

    assert response.status_code == 302
    assert response["Location"] == f"{_checklist_url(assessment)}#c{critical.pk}"
    assert list(CriterionResult.objects.values_list("criterion_id", "met", "note")) == [
        (critical.pk, False, "未佩戴防静电手环")
    ]


def test_manager_cannot_record_a_criterion(client, assessment, manager, esd):
    criterion = esd.criteria.first()
    client.force_login(manager.user)
    url = reverse("assessments:practical_criterion_record", args=[assessment.pk, criterion.pk])

    response = client.post(url, {"met": "1", "note": ""})

    assert response.status_code == 403
    assert CriterionResult.objects.count() == 0


def test_assessor_uploads_a_photo_from_the_phone(client, assessment, senior, esd):
    criterion = esd.criteria.first()
    client.force_login(senior.user)

    response = client.post(
        reverse("assessments:practical_evidence_add", args=[assessment.pk]),
        {"photo": photo_upload("IMG_0001.png"), "criterion": criterion.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_checklist_url(assessment)}#c{criterion.pk}"
    evidence = Evidence.objects.get()
    assert (evidence.assessment_id, evidence.criterion_id, evidence.content_type) == (
        assessment.pk,
        criterion.pk,
        "image/png",
    )
    assert "IMG_0001" not in evidence.file.name


def test_html_renamed_jpg_upload_is_refused_and_nothing_is_stored(client, assessment, senior):
    before = _stored_files()
    client.force_login(senior.user)
    upload = photo_upload(
        "photo.jpg", content=b"<html><body>hello</body></html>", content_type="image/jpeg"
    )

    response = client.post(
        reverse("assessments:practical_evidence_add", args=[assessment.pk]),
        {"photo": upload},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Upload a photo: a JPEG, PNG or WebP image."
    ]
    assert Evidence.objects.count() == 0
    assert _stored_files() == before


def test_assessor_completes_from_the_checklist_page(client, assessment, senior, esd):
    for criterion in esd.criteria.all():
        criterion_record(
            assessment=assessment, criterion=criterion, met=True, note="", actor=senior.user
        )
    client.force_login(senior.user)

    response = client.post(
        reverse("assessments:practical_complete", args=[assessment.pk]), {"notes": "操作规范"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:practical_detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert (assessment.status, assessment.passed, assessment.notes) == (
        "completed",
        True,
        "操作规范",
    )
    assert client.get(_checklist_url(assessment)).status_code == 302


def test_incomplete_checklist_is_not_completed_from_the_page(client, assessment, senior):
    client.force_login(senior.user)

    response = client.post(
        reverse("assessments:practical_complete", args=[assessment.pk]), {"notes": ""}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["2 criteria have no result yet."]
    assessment.refresh_from_db()
    assert (assessment.status, assessment.passed, assessment.completed_at) == (
        "in_progress",
        None,
        None,
    )


# Starting


def test_front_desk_cannot_open_the_start_page(client, partner_outlet):
    desk = StaffFactory(role="front_desk", outlet=partner_outlet)
    client.force_login(desk.user)

    assert client.get(reverse("assessments:practical_start")).status_code == 403
    assert PracticalAssessment.objects.count() == 0


def test_senior_technician_starts_an_assessment(client, senior, learner, esd):
    client.force_login(senior.user)

    response = client.post(
        reverse("assessments:practical_start"),
        {"learner": learner.employee_number, "checklist": esd.pk},
    )

    assessment = PracticalAssessment.objects.get()
    assert response["Location"] == _checklist_url(assessment)
    assert (assessment.learner_id, assessment.assessor_id, assessment.checklist_id) == (
        learner.pk,
        senior.pk,
        esd.pk,
    )


@pytest.mark.parametrize("whom", ["stranger", "self"])
def test_start_form_refuses_people_the_senior_may_not_assess(
    client, senior, esd, other_outlet, whom
):
    person = senior if whom == "self" else StaffFactory(outlet=other_outlet)
    client.force_login(senior.user)

    response = client.post(
        reverse("assessments:practical_start"),
        {"learner": person.employee_number, "checklist": esd.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "learner": ["You may not assess anyone with this number."]
    }
    assert PracticalAssessment.objects.count() == 0


def test_start_page_suggests_only_people_of_the_seniors_outlet(
    client, senior, learner, other_outlet, esd
):
    StaffFactory(outlet=other_outlet)
    client.force_login(senior.user)

    response = client.get(reverse("assessments:practical_start"))

    assert [p.pk for p in response.context["suggestions"]] == [learner.pk]


# Query counts


def _fill(assessment, senior, criteria):
    for criterion in criteria:
        criterion_record(
            assessment=assessment, criterion=criterion, met=True, note="好", actor=senior.user
        )
        evidence_add(
            assessment=assessment,
            uploaded_file=photo_upload(),
            criterion=criterion,
            actor=senior.user,
        )


@pytest.mark.parametrize("size", [2, 20])
def test_checklist_page_queries_do_not_grow_with_criteria_and_photos(
    client, django_assert_num_queries, senior, learner, size, settings
):
    settings.PRACTICAL_EVIDENCE_MAX_FILES = size
    sheet = checklist(
        track=track_page(roles=["technician"]),
        criteria=[(f"标准{i}", i == 0) for i in range(size)],
    )
    assessment = practical_start(assessor_user=senior.user, learner=learner, checklist=sheet)
    _fill(assessment, senior, sheet.criteria.all())
    client.force_login(senior.user)

    with django_assert_num_queries(11):
        response = client.get(_checklist_url(assessment))
    with django_assert_num_queries(10):
        detail = client.get(reverse("assessments:practical_detail", args=[assessment.pk]))

    assert response.status_code == detail.status_code == 200
    assert len(response.context["sheet"].rows) == size
    assert response.context["sheet"].evidence_count == size


@pytest.mark.parametrize("size", [1, 20])
def test_list_queries_do_not_grow_with_assessments(
    client, django_assert_num_queries, manager, senior, partner_outlet, esd, size
):
    for person in StaffFactory.create_batch(size, outlet=partner_outlet):
        practical_start(assessor_user=senior.user, learner=person, checklist=esd)
    client.force_login(manager.user)

    with django_assert_num_queries(8):
        response = client.get(reverse("assessments:practical_list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == size

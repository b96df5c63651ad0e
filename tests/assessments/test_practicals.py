import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.models import CriterionResult, Evidence, PracticalAssessment, PracticalCriterion
from assessments.selectors.practicals import practical_learners
from assessments.services.practicals import (
    criterion_record,
    evidence_add,
    practical_complete,
    practical_passed,
    practical_start,
)
from tests.factories.assessments import checklist, image_bytes, photo_upload, practical
from tests.factories.courses import track_page
from tests.factories.network import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def track():
    return track_page(roles=["technician"], title="维修技术员实操认证")


@pytest.fixture
def esd(track):
    return checklist(
        track=track,
        criteria=[
            ("佩戴防静电手环", True),
            ("使用防静电垫", False),
            ("拆机顺序正确", False),
            ("螺丝分类摆放", False),
            ("排线断开前先断电", False),
        ],
    )


@pytest.fixture
def senior(partner_outlet):
    return StaffFactory(role="senior_technician", outlet=partner_outlet)


@pytest.fixture
def learner(partner_outlet):
    return StaffFactory(role="technician", outlet=partner_outlet)


@pytest.fixture
def started(senior, learner, esd):
    return practical_start(assessor_user=senior.user, learner=learner, checklist=esd)


def _criteria(assessment):
    return list(assessment.checklist.criteria.order_by("sort_order"))


def _record_all(assessment, actor, met):
    """Record the criteria in checklist order with the given met flags."""
    for criterion, flag in zip(_criteria(assessment), met, strict=True):
        criterion_record(assessment=assessment, criterion=criterion, met=flag, note="", actor=actor)


def _stored_files() -> set[str]:
    root = Path(storages["private"].location) / "evidence"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# The passing rule


def test_critical_criterion_not_met_fails_even_when_all_others_are_met(started, senior):
    _record_all(started, senior.user, [False, True, True, True, True])

    done = practical_complete(assessment=started, actor=senior.user, notes="未佩戴手环")

    started.refresh_from_db()
    assert (done.passed, started.passed, started.status) == (False, False, "completed")
    assert started.notes == "未佩戴手环"
    assert started.completed_at is not None


def test_every_critical_met_and_four_of_five_met_passes(started, senior):
    _record_all(started, senior.user, [True, True, True, True, False])

    practical_complete(assessment=started, actor=senior.user)

    started.refresh_from_db()
    assert (started.passed, started.status) == (True, "completed")


def test_every_critical_met_but_three_of_five_met_fails(started, senior):
    _record_all(started, senior.user, [True, True, True, False, False])

    practical_complete(assessment=started, actor=senior.user)

    started.refresh_from_db()
    assert started.passed is False


@pytest.mark.parametrize(
    ("outcomes", "passed"),
    [
        ([(True, True)], True),
        ([(True, False)], False),
        ([(False, False)], False),
        ([(True, True)] + [(False, True)] * 3 + [(False, False)], True),  # exactly 80%
        ([(True, True)] + [(False, True)] * 2 + [(False, False)] * 2, False),  # 60%
        ([(False, True)] * 9 + [(True, False)], False),  # 90%, but the critical one failed
        ([(False, True)] * 7 + [(False, False)] * 2, False),  # 77.8%
    ],
)
def test_practical_passed_rule(outcomes, passed):
    assert practical_passed(outcomes=outcomes) is passed


def test_incomplete_checklist_cannot_be_completed(started, senior):
    first = _criteria(started)[0]
    criterion_record(assessment=started, criterion=first, met=True, note="", actor=senior.user)

    with pytest.raises(ValidationError) as refused:
        practical_complete(assessment=started, actor=senior.user, notes="x")

    assert refused.value.messages == ["4 criteria have no result yet."]
    started.refresh_from_db()
    assert (started.status, started.passed, started.completed_at, started.notes) == (
        "in_progress",
        None,
        None,
        "",
    )


# Who may assess whom


def test_assessor_cannot_assess_themselves(senior, esd):
    with pytest.raises(ValidationError) as refused:
        practical_start(assessor_user=senior.user, learner=senior, checklist=esd)

    assert refused.value.messages == ["You cannot assess yourself."]
    assert PracticalAssessment.objects.count() == 0


def test_database_refuses_a_self_assessment(senior, esd):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticalAssessment.objects.create(checklist=esd, learner=senior, assessor=senior)

    assert PracticalAssessment.objects.count() == 0


def test_senior_technician_cannot_assess_someone_at_another_outlet(senior, esd, other_outlet):
    stranger = StaffFactory(role="technician", outlet=other_outlet)

    with pytest.raises(PermissionDenied):
        practical_start(assessor_user=senior.user, learner=stranger, checklist=esd)

    assert PracticalAssessment.objects.count() == 0


def test_trainer_may_assess_anyone_in_the_network(esd, learner, other_outlet):
    trainer = StaffFactory(role="trainer", outlet=None)
    stranger = StaffFactory(role="technician", outlet=other_outlet)

    first = practical_start(assessor_user=trainer.user, learner=learner, checklist=esd)
    second = practical_start(assessor_user=trainer.user, learner=stranger, checklist=esd)

    assert {(a.learner_id, a.assessor_id) for a in (first, second)} == {
        (learner.pk, trainer.pk),
        (stranger.pk, trainer.pk),
    }
    assert (first.status, first.passed, first.completed_at) == ("in_progress", None, None)


@pytest.mark.parametrize(
    "role", ["technician", "front_desk", "outlet_manager", "partner_admin", "auditor"]
)
def test_only_senior_technicians_and_trainers_may_start(role, partner_outlet, learner, esd):
    fields = {"outlet": partner_outlet}
    if role == "partner_admin":
        fields = {"outlet": None, "partner_company": partner_outlet.partner_company}
    elif role == "auditor":
        fields = {"outlet": None}
    person = StaffFactory(role=role, **fields)

    with pytest.raises(PermissionDenied):
        practical_start(assessor_user=person.user, learner=learner, checklist=esd)

    assert PracticalAssessment.objects.count() == 0


def test_superuser_without_a_staff_record_cannot_assess(learner, esd):
    admin = UserFactory(is_superuser=True, is_staff=True)

    with pytest.raises(PermissionDenied):
        practical_start(assessor_user=admin, learner=learner, checklist=esd)

    assert PracticalAssessment.objects.count() == 0


def test_senior_technician_who_left_cannot_assess(senior, learner, esd):
    senior.is_active = False
    senior.save()

    with pytest.raises(PermissionDenied):
        practical_start(assessor_user=senior.user, learner=learner, checklist=esd)

    assert PracticalAssessment.objects.count() == 0


def test_senior_technician_learners_are_the_active_people_of_their_outlet(
    senior, learner, partner_outlet, other_outlet
):
    StaffFactory(role="technician", outlet=other_outlet)
    left = StaffFactory(role="technician", outlet=partner_outlet, is_active=False)
    desk = StaffFactory(role="front_desk", outlet=partner_outlet)

    found = set(practical_learners(assessor=senior).values_list("pk", flat=True))

    assert found == {learner.pk, desk.pk}
    assert left.pk not in found


def test_second_start_returns_the_assessment_in_progress(started, senior, learner, esd):
    again = practical_start(assessor_user=senior.user, learner=learner, checklist=esd)

    assert again.pk == started.pk
    assert PracticalAssessment.objects.count() == 1


def test_start_while_another_assessor_has_one_in_progress_is_refused(started, learner, esd):
    trainer = StaffFactory(role="trainer", outlet=None)

    with pytest.raises(ValidationError) as refused:
        practical_start(assessor_user=trainer.user, learner=learner, checklist=esd)

    assert refused.value.messages == [
        f"{started.assessor.name} is already assessing this person on this checklist."
    ]
    assert PracticalAssessment.objects.count() == 1


def test_start_after_a_completed_one_makes_a_new_assessment(started, senior, learner, esd):
    _record_all(started, senior.user, [True] * 5)
    practical_complete(assessment=started, actor=senior.user)

    again = practical_start(assessor_user=senior.user, learner=learner, checklist=esd)

    assert again.pk != started.pk
    assert again.status == "in_progress"


def test_inactive_checklist_cannot_be_started(senior, learner, esd):
    esd.is_active = False
    esd.save()

    with pytest.raises(ValidationError):
        practical_start(assessor_user=senior.user, learner=learner, checklist=esd)

    assert PracticalAssessment.objects.count() == 0


# Recording criteria


def test_recording_a_criterion_again_replaces_the_result(started, senior):
    first = _criteria(started)[0]
    criterion_record(
        assessment=started, criterion=first, met=False, note="手环未接地", actor=senior.user
    )

    criterion_record(
        assessment=started, criterion=first, met=True, note=" 已纠正 ", actor=senior.user
    )

    assert list(CriterionResult.objects.values_list("criterion_id", "met", "note")) == [
        (first.pk, True, "已纠正")
    ]


def test_only_the_assessor_records(started, partner_outlet):
    colleague = StaffFactory(role="senior_technician", outlet=partner_outlet)
    first = _criteria(started)[0]

    with pytest.raises(PermissionDenied):
        criterion_record(
            assessment=started, criterion=first, met=True, note="", actor=colleague.user
        )

    assert CriterionResult.objects.count() == 0


def test_criterion_of_another_checklist_is_refused(started, senior):
    other = checklist(track=track_page(roles=["front_desk"]), criteria=[("微笑服务", False)])
    foreign = PracticalCriterion.objects.get(checklist=other)

    with pytest.raises(ValidationError):
        criterion_record(
            assessment=started, criterion=foreign, met=True, note="", actor=senior.user
        )

    assert CriterionResult.objects.count() == 0


def test_overlong_note_is_refused(started, senior):
    first = _criteria(started)[0]

    with pytest.raises(ValidationError):
        criterion_record(
            assessment=started, criterion=first, met=True, note="长" * 301, actor=senior.user
        )

    assert CriterionResult.objects.count() == 0


# Evidence


@pytest.mark.parametrize(
    ("image_format", "content_type", "extension"),
    [("PNG", "image/png", ".png"), ("JPEG", "image/jpeg", ".jpg"), ("WEBP", "image/webp", ".webp")],
)
def test_photo_is_stored_privately_under_a_random_name(
    started, senior, image_format, content_type, extension
):
    content = image_bytes(image_format=image_format)
    upload = photo_upload("张三-工牌.bin", content=content, content_type="application/octet-stream")
    criterion = _criteria(started)[0]

    evidence = evidence_add(
        assessment=started, uploaded_file=upload, criterion=criterion, actor=senior.user
    )

    evidence.refresh_from_db()
    assert re.fullmatch(rf"evidence/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\{extension}", evidence.file.name)
    assert (evidence.content_type, evidence.size) == (content_type, len(content))
    assert (evidence.criterion_id, evidence.uploaded_by_id) == (criterion.pk, senior.user.pk)
    assert Path(evidence.file.path).is_relative_to(django_settings.PRIVATE_MEDIA_ROOT)
    assert not Path(evidence.file.path).is_relative_to(django_settings.MEDIA_ROOT)
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "report.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
            "application/pdf",
        ),
        ("photo.jpg", b"<html><script>alert(document.cookie)</script></html>", "image/jpeg"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        ("photo.gif", image_bytes(image_format="GIF"), "image/gif"),
        ("empty.png", b"", "image/png"),
    ],
    ids=["pdf", "html-renamed-jpg", "damaged-png", "gif", "empty"],
)
def test_anything_but_a_photo_is_refused_and_nothing_is_stored(
    started, senior, name, content, content_type
):
    before = _stored_files()

    with pytest.raises(ValidationError) as refused:
        evidence_add(
            assessment=started,
            uploaded_file=photo_upload(name, content=content, content_type=content_type),
            actor=senior.user,
        )

    assert refused.value.messages == ["Upload a photo: a JPEG, PNG or WebP image."]
    assert Evidence.objects.count() == 0
    assert _stored_files() == before


def test_oversize_photo_is_refused_and_nothing_is_stored(started, senior, settings):
    content = image_bytes(size=(64, 64))
    settings.PRACTICAL_EVIDENCE_MAX_BYTES = len(content) - 1
    before = _stored_files()

    with pytest.raises(ValidationError) as refused:
        evidence_add(
            assessment=started, uploaded_file=photo_upload(content=content), actor=senior.user
        )

    # filesizeformat joins the number and its unit with a no-break space.
    assert refused.value.messages == [f"The photo is larger than {len(content) - 1}\xa0bytes."]
    assert Evidence.objects.count() == 0
    assert _stored_files() == before


def test_a_photo_of_too_many_pixels_is_refused_however_small_its_file(started, senior, settings):
    settings.PRACTICAL_EVIDENCE_MAX_PIXELS = 2_000_000
    content = image_bytes(size=(2000, 1001))  # a plain picture compresses to a few kilobytes

    with pytest.raises(ValidationError) as refused:
        evidence_add(
            assessment=started, uploaded_file=photo_upload(content=content), actor=senior.user
        )

    assert refused.value.messages == ["The photo has 2 megapixels; at most 2 are accepted."]
    assert Evidence.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(
    client, started, senior, settings
):
    client.force_login(senior.user)
    url = reverse("assessments:practical_evidence_add", args=[started.pk])

    response = client.post(
        url, data=b"x" * 10, content_type="image/jpeg", CONTENT_LENGTH=50 * 1024 * 1024
    )

    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_photo_at_the_size_limit_is_accepted(started, senior, settings):
    content = image_bytes(size=(64, 64))
    settings.PRACTICAL_EVIDENCE_MAX_BYTES = len(content)

    evidence_add(assessment=started, uploaded_file=photo_upload(content=content), actor=senior.user)

    assert Evidence.objects.count() == 1


def test_photos_beyond_the_limit_are_refused(started, senior, settings):
    settings.PRACTICAL_EVIDENCE_MAX_FILES = 2
    for _ in range(2):
        evidence_add(assessment=started, uploaded_file=photo_upload(), actor=senior.user)
    before = _stored_files()

    with pytest.raises(ValidationError) as refused:
        evidence_add(assessment=started, uploaded_file=photo_upload(), actor=senior.user)

    assert refused.value.messages == ["An assessment holds at most 2 photos."]
    assert Evidence.objects.count() == 2
    assert _stored_files() == before


def test_only_the_assessor_adds_photos(started, learner):
    before = _stored_files()

    with pytest.raises(PermissionDenied):
        evidence_add(assessment=started, uploaded_file=photo_upload(), actor=learner.user)

    assert Evidence.objects.count() == 0
    assert _stored_files() == before


# A completed assessment never changes


def test_completed_assessment_refuses_further_changes(started, senior):
    _record_all(started, senior.user, [True, True, True, True, False])
    practical_complete(assessment=started, actor=senior.user, notes="合格")
    started.refresh_from_db()
    completed_at = started.completed_at
    results = list(
        CriterionResult.objects.values_list("criterion_id", "met", "note", "recorded_at")
    )
    before = _stored_files()
    last = _criteria(started)[-1]

    with pytest.raises(ValidationError) as refused:
        criterion_record(assessment=started, criterion=last, met=True, note="", actor=senior.user)
    assert refused.value.messages == ["This assessment is completed and can no longer be changed."]
    with pytest.raises(ValidationError):
        evidence_add(assessment=started, uploaded_file=photo_upload(), actor=senior.user)
    with pytest.raises(ValidationError):
        practical_complete(assessment=started, actor=senior.user, notes="改成别的")

    started.refresh_from_db()
    assert (started.status, started.passed, started.completed_at, started.notes) == (
        "completed",
        True,
        completed_at,
        "合格",
    )
    assert (
        list(CriterionResult.objects.values_list("criterion_id", "met", "note", "recorded_at"))
        == results
    )
    assert Evidence.objects.count() == 0
    assert _stored_files() == before


def test_superuser_trainer_cannot_assess_themselves_either(esd):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    trainer = StaffFactory(role="trainer", outlet=None, user=user)

    with pytest.raises(ValidationError):
        practical_start(assessor_user=user, learner=trainer, checklist=esd)
    with pytest.raises(IntegrityError), transaction.atomic():
        practical(checklist=esd, learner=trainer, assessor=trainer)

    assert PracticalAssessment.objects.count() == 0

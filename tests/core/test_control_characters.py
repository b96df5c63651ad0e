"""
Text typed into any form refuses NUL and the other control characters, with a field error, and
nothing is written: the site's forms, the Wagtail admin's snippets and page editors, StreamField
text blocks. `core.text.form_text_check_install` does it for every CharField; the walk at the end
proves no form escaped it.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import get_resolver, reverse
from wagtail import blocks
from wagtail.admin.viewsets import viewsets
from wagtail.documents.forms import get_document_form
from wagtail.fields import StreamField
from wagtail.images.forms import get_image_form
from wagtail.models import Revision, get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from assessments.models import CriterionResult
from assessments.services.practicals import practical_start
from certificates.models import BulkSuspension, Certificate, CertificateEvent
from certificates.services.issuance import certificate_issue
from compliance.models import ServiceArea
from core.text import FORM_TEXT_VALIDATOR, ControlCharacterValidator
from courses.models import Enrollment, LessonPage
from courses.services import enrollment_sync
from network.services import staff_assignment_sync
from tests.factories.assessments import checklist
from tests.factories.certificates import certified_track, earned
from tests.factories.courses import course_page, lesson_page, track_page
from tests.factories.network import StaffFactory

PROJECT_APPS = ("core", "network", "accounts", "courses", "assessments", "certificates")
PROJECT_APPS += ("compliance", "demo")


def refusal(character: str) -> str:
    return str(ControlCharacterValidator.message) % {"character": f"U+{ord(character):04X}"}


# The rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "张\x00三",  # NUL
        "张\x07三",  # bell
        "张三\x1b[31m",  # escape, as a terminal colour code
        "Li\x7fLei",  # DEL
        "Li\x85Lei",  # C1: next line
        "Li\x9bLei",  # C1: control sequence introducer
        "\u202e三张",  # right-to-left override
        "张\u2066三",  # left-to-right isolate
    ],
)
def test_a_control_character_is_refused_with_one_clear_error(text):
    bad = next(ch for ch in text if not ch.isprintable())
    with pytest.raises(forms.ValidationError) as refused:
        forms.CharField().clean(text)
    assert refused.value.messages == [refusal(bad)]
    assert refused.value.error_list[0].code == "control_characters"


@pytest.mark.parametrize(
    "text",
    ["张三", "第一行\r\n第二行", "列\t列", "Zoë O'Brien", "👩‍🔧 技术员", "电话 138 0000 0000"],
)
def test_ordinary_text_tabs_and_line_breaks_pass(text):
    assert forms.CharField(strip=False).clean(text) == text


@pytest.mark.parametrize(
    "field",
    [
        forms.EmailField(),
        forms.SlugField(),
        forms.URLField(assume_scheme="https"),
        forms.CharField(widget=forms.PasswordInput, strip=False),
        forms.CharField(widget=forms.Textarea),
    ],
    ids=["email", "slug", "url", "password", "textarea"],
)
def test_every_kind_of_text_field_carries_the_check_once(field):
    # Passwords too: nobody types a control character into one, and none of ours holds one.
    assert field.validators.count(FORM_TEXT_VALIDATOR) == 1
    assert not any(type(v).__name__ == "ProhibitNullCharactersValidator" for v in field.validators)


def test_the_strings_of_a_json_or_tag_value_are_checked():
    with pytest.raises(forms.ValidationError):
        forms.JSONField().clean('{"name": "张\\u0007三"}')
    assert forms.JSONField().clean('{"name": "张三"}') == {"name": "张三"}


def test_a_stream_fields_text_block_refuses_a_control_character():
    with pytest.raises(forms.ValidationError) as refused:
        blocks.CharBlock().clean("拆机前\x1b佩戴手环")
    assert refused.value.messages == [refusal("\x1b")]


# The site's forms -------------------------------------------------------------------------------


@pytest.fixture
def tracks():
    course = course_page(lessons=1)
    return {
        "tech": track_page(roles=["technician"], courses=[course], title="维修技术员入职培训"),
        "extra": track_page(roles=["senior_technician"], courses=[course], title="高级技术员认证"),
    }


@pytest.fixture
def team(partner_outlet, tracks):
    people = StaffFactory.create_batch(2, role="technician", outlet=partner_outlet)
    enrollment_sync(staff_ids=[p.pk for p in people])
    return people


@pytest.mark.django_db
def test_a_managers_assignment_refuses_a_control_character_and_assigns_nothing(
    client, manager, team, tracks
):
    client.force_login(manager.user)
    number = f"{team[0].employee_number}\x00"
    before = set(Enrollment.objects.values_list("pk", "status"))

    response = client.post(
        reverse("courses:assign", args=[manager.outlet.code]),
        {"track": tracks["extra"].pk, "employee_number": number},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"employee_number": [refusal("\x00")]}
    assert set(Enrollment.objects.values_list("pk", "status")) == before


@pytest.mark.django_db
def test_a_managers_withdrawal_reason_with_a_control_character_says_why_and_withdraws_nothing(
    client, manager, team
):
    enrollment = Enrollment.objects.filter(staff=team[0]).get()
    client.force_login(manager.user)

    response = client.post(
        reverse("courses:withdraw", args=[enrollment.pk]), {"reason": "调岗\x1b到前台"}
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [refusal("\x1b")]
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.withdrawal_reason) == (Enrollment.Status.ACTIVE, "")


@pytest.mark.django_db
def test_an_assessors_note_with_a_control_character_says_why_and_records_nothing(
    client, partner_outlet
):
    esd = checklist(track=track_page(roles=["technician"]), criteria=[("佩戴防静电手环", True)])
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    learner = StaffFactory(role="technician", outlet=partner_outlet)
    assessment = practical_start(assessor_user=senior.user, learner=learner, checklist=esd)
    client.force_login(senior.user)

    response = client.post(
        reverse(
            "assessments:practical_criterion_record",
            args=[assessment.pk, esd.criteria.get().pk],
        ),
        {"met": "0", "note": "未佩戴\x00手环"},
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [refusal("\x00")]
    assert not CriterionResult.objects.exists()


@pytest.fixture
def certificate(partner_outlet):
    track = certified_track(title="维修技术员上岗认证")
    holder = StaffFactory(role="technician", outlet=partner_outlet)
    senior = StaffFactory(role="senior_technician", outlet=partner_outlet)
    earned(staff=holder, assessor=senior, track=track)
    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = certificate_issue(staff_id=holder.pk, track_id=track.pk)
    issued.refresh_from_db()
    return issued


@pytest.fixture
def desk_auditor(client, auditor):
    staff_assignment_sync(staff=auditor)
    client.force_login(auditor.user)
    return client


def _act(client, serial, action, **data):
    url = reverse("certificates:desk_action", args=[serial, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("suspend", {"reason": "投诉\x00待查"}, "reason"),
        ("revoke", {"reason": "使用\x07翻新件", "confirm": "on"}, "reason"),
        ("correct", {"holder_name": "张\u202e三", "reason": "更正姓名"}, "holder_name"),
    ],
)
def test_a_desk_action_with_a_control_character_is_refused_and_changes_nothing(
    desk_auditor, certificate, action, data, field
):
    events = CertificateEvent.objects.count()
    certificates = set(Certificate.objects.values_list("pk", "status", "holder_name"))
    if action == "correct":
        data = {
            **{
                name: getattr(certificate, name) or ""
                for name in ("employee_number", "outlet_code", "outlet_name", "track_title")
            },
            **data,
        }

    response = _act(desk_auditor, certificate.serial, action, **data)

    assert response.status_code == 400
    bad = next(ch for ch in data[field] if not ch.isprintable())
    form = dict(response.context["action_forms"])[action]
    assert form.errors == {field: [refusal(bad)]}
    assert refusal(bad) in response.content.decode()
    assert set(Certificate.objects.values_list("pk", "status", "holder_name")) == certificates
    assert CertificateEvent.objects.count() == events


@pytest.mark.django_db
def test_a_bulk_suspension_with_a_control_character_in_its_reason_is_refused(
    desk_auditor, certificate
):
    response = desk_auditor.post(
        reverse("certificates:bulk_suspend"),
        {"outlet": certificate.outlet_code, "reason": "停业\x1b整顿", "confirm": "1"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [refusal("\x1b")]}
    assert not BulkSuspension.objects.exists()
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.VALID


# The Wagtail admin ------------------------------------------------------------------------------


def _admin_user(role: str):
    person = StaffFactory(role=role, outlet=None)
    staff_assignment_sync(staff=person)  # puts them in their role's admin group
    return person.user


@pytest.mark.django_db
def test_a_snippet_added_with_a_control_character_is_refused_and_not_saved(client):
    client.force_login(_admin_user("auditor"))

    response = client.post(
        reverse("wagtailsnippets_compliance_servicearea:add"),
        {"code": "repair", "name": "维修\x00服务", "name_en": "Repair", "sort_order": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": [refusal("\x00")]}
    assert not ServiceArea.objects.exists()


@pytest.mark.django_db
def test_a_snippet_edited_with_a_control_character_is_refused_and_stays_as_it_was(client):
    area = ServiceArea.objects.create(code="repair", name="维修服务", name_en="Repair")
    client.force_login(_admin_user("auditor"))

    response = client.post(
        reverse("wagtailsnippets_compliance_servicearea:edit", args=[area.pk]),
        {"code": "repair", "name": "维修服务", "name_en": "Re\x08pair", "sort_order": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"name_en": [refusal("\x08")]}
    area.refresh_from_db()
    assert (area.name, area.name_en) == ("维修服务", "Repair")


def _lesson_form(
    *, title="三包期内的接待", warning="拆机前佩戴防静电手环。", text="先核对购机凭证。"
):
    return nested_form_data(
        {
            "title": title,
            "slug": "three-guarantees-intake",
            "title_en": "",
            "estimated_minutes": "15",
            "body": streamfield(
                [
                    ("text", {"text": rich_text(f"<p>{text}</p>"), "text_en": rich_text("")}),
                    (
                        "procedure",
                        {
                            "title": "防静电拆机",
                            "steps": {
                                "count": "1",
                                "0": {
                                    "value": {
                                        "instruction": rich_text("<p>拆下后盖螺丝。</p>"),
                                        "warning": warning,
                                        "image": {"image": "", "alt_text": ""},
                                    },
                                    "deleted": "",
                                    "order": "0",
                                },
                            },
                        },
                    ),
                ]
            ),
            "body_en": streamfield([]),
            "comments": inline_formset([]),
            "action-submit": "Go",
        }
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [{"title": "三包\x00接待"}, {"warning": "拆机前\x1b佩戴手环"}, {"text": "核对\x07凭证"}],
    ids=["page title", "text block", "rich text"],
)
def test_a_lesson_written_with_a_control_character_is_refused_and_not_created(client, fields):
    course = course_page(title="三包政策与接待流程", lessons=0)
    client.force_login(_admin_user("trainer"))
    revisions = Revision.objects.count()

    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", _lesson_form(**fields)
    )

    assert response.status_code == 200
    bad = next(ch for value in fields.values() for ch in value if not ch.isprintable())
    assert refusal(bad) in response.content.decode()
    assert not response.context["form"].is_valid()
    assert not LessonPage.objects.exists()
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_a_lesson_edited_with_a_control_character_keeps_its_title_and_revisions(client):
    course = course_page(title="三包政策与接待流程", lessons=0)
    lesson = lesson_page(course=course, title="三包期内的接待")
    client.force_login(_admin_user("trainer"))
    revisions = Revision.objects.count()

    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/", _lesson_form(title="三包\x1b期内的接待")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [refusal("\x1b")]
    lesson.refresh_from_db()
    assert lesson.title == "三包期内的接待"
    assert Revision.objects.count() == revisions


# No form escapes the check -----------------------------------------------------------------------


def _import_project_modules() -> None:
    """Import every module of the project's apps, so each Form class they define exists."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _char_fields(form_class, where: str):
    """Yield (where, field) for the CharFields of `form_class` and of its inline formsets."""
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.CharField):
            yield f"{where}.{name}", field
    for name, formset in getattr(form_class, "formsets", {}).items():
        yield from _char_fields(formset.form, f"{where}.{name}")


def _admin_form_classes():
    get_resolver().check()  # loading the URLs registers the admin's viewsets
    for viewset in viewsets.viewsets:
        if hasattr(viewset, "get_form_class") and getattr(viewset, "model", None):
            label = f"admin:{viewset.model._meta.label}"
            yield label, viewset.get_form_class()
            yield f"{label}(edit)", viewset.get_form_class(for_update=True)
    for model in get_page_models():
        yield f"page:{model._meta.label}", model.get_edit_handler().get_form_class()
    yield "admin:image", get_image_form(apps.get_model("wagtailimages", "Image"))
    yield "admin:document", get_document_form(apps.get_model("wagtaildocs", "Document"))


def _text_blocks(block, where: str):
    """Yield (where, field) for each FieldBlock with a CharField under `block`."""
    field = getattr(block, "field", None) if isinstance(block, blocks.FieldBlock) else None
    if isinstance(field, forms.CharField):
        yield where, field
    children = getattr(block, "child_blocks", None) or {}
    if isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    for name, child in children.items():
        yield from _text_blocks(child, f"{where}.{name}")


def test_every_text_field_of_every_form_and_block_refuses_control_characters():
    _import_project_modules()
    found = {}
    for form_class in _subclasses(forms.BaseForm):
        if form_class.__module__.split(".")[0] in PROJECT_APPS:
            found.update(_char_fields(form_class, form_class.__qualname__))
    site_forms = {where.split(".")[0] for where in found}
    for label, form_class in _admin_form_classes():
        found.update(_char_fields(form_class, label))
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, StreamField):
                where = f"block:{model._meta.label}.{model_field.name}"
                found.update(_text_blocks(model_field.stream_block, where))

    # The walk reaches what it must: the site's forms, snippets, page editors and blocks.
    assert {"ReasonForm", "WithdrawForm", "AssignForm", "ActivationCodeForm"} <= site_forms
    assert {
        "admin:compliance.ServiceArea.name",
        "admin:assessments.Question.text",
        "admin:assessments.Question.options.text",
        "page:courses.LessonPage.title",
        "block:courses.LessonPage.body.procedure.steps.item.warning",
        "block:courses.LessonPage.body.text.text",
    } <= set(found)
    assert [
        where for where, field in found.items() if FORM_TEXT_VALIDATOR not in field.validators
    ] == []

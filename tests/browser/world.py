"""
A service network whose every text field a person can fill holds a stored-XSS payload, written
the way each person writes it: HR files through the real import, lessons as the admin's rich
text editor stores them, question banks through the bank import, reasons and notes through the
services behind the site's forms.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Comment, CommentReply, WorkflowState
from wagtail.rich_text import RichText, features

from accounts import services as account_services
from accounts.models import SignInEvent
from assessments.bank_formats import xlsx_columns
from assessments.models import (
    Assessment,
    PracticalChecklist,
    PracticalCriterion,
    Question,
    QuestionCategory,
)
from assessments.services import attempts, banks, practicals, regrades
from certificates.models import Certificate
from certificates.services import bulk
from certificates.services.issuance import (
    certificate_correct,
    certificate_issue,
    certificate_revoke,
    certificate_suspend,
)
from compliance.models import ExportJob
from compliance.selectors import Filters
from compliance.services.export_jobs import compliance_export_start
from compliance.services.snapshots import compliance_snapshots_take, month_start
from courses import services as course_services
from courses.models import LessonPage
from network import services as network_services
from network.models import ImportBatch, Outlet, PartnerCompany, Role, Staff
from tests.factories.assessments import assessment, checklist, image_bytes, photo_upload
from tests.factories.certificates import courses_done, exam_result, practical_done
from tests.factories.compliance import headcount_rule, requirement, service_area
from tests.factories.courses import course_page, home, lesson_page, track_page
from tests.factories.network import PASSWORD, StaffFactory, UserFactory

from .payloads import Payloads

User = get_user_model()

# The people who sign in, by the role they sign in as; every one of them types PASSWORD.
ROLES = (
    "technician",
    "front_desk",
    "outlet_manager",
    "partner_admin",
    "trainer",
    "auditor",
    "superuser",
)


@dataclass
class World:
    payloads: Payloads
    usernames: dict[str, str]
    # Where each role's crawl of the site starts, beside the links it finds.
    site_starts: dict[str, list[str]] = field(default_factory=dict)
    # The admin pages that hold the payloads, and who of the admin's people opens each.
    admin_pages: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # Forms each role sends with payloads typed in, to see the answer show them again.
    forms: dict[str, list[dict]] = field(default_factory=dict)


def _rich_text(p: Payloads, name: str, *, features_list=None) -> str:
    """
    Return rich text as the admin's editor stores it when a trainer types markup and pastes a
    hostile link: the editor posts Draft.js content state, and the server's converter writes it.
    """
    converter = ContentstateConverter(features_list or features.get_default_features())
    typed = p.text(f"{name} (typed text)")
    label = "link"
    # "page" carries a link to the page "abc": the converter must not store what cannot exist.
    text = f"{typed} page {label}"
    state = {
        "blocks": [
            {
                "key": "b1",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [{"offset": 0, "length": 3, "style": "BOLD"}],
                "entityRanges": [
                    {"offset": len(text) - len(label), "length": len(label), "key": 0},
                    {"offset": len(typed) + 1, "length": 4, "key": 1},
                ],
                "data": {},
            },
            {
                "key": "b2",
                "type": "unordered-list-item",
                "depth": 0,
                "text": p.text(f"{name} (list item)"),
                "inlineStyleRanges": [],
                "entityRanges": [],
                "data": {},
            },
        ],
        "entityMap": {
            "0": {
                "type": "LINK",
                "mutability": "MUTABLE",
                "data": {"url": p.url(f"{name} (link)", expect_seen=False)},
            },
            "1": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": "abc"}},
        },
    }
    return converter.to_database_format(json.dumps(state))


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    # UTF-8 with a BOM, as Excel writes it.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _import(*, kind: str, content: bytes, filename: str, actor, apply: bool = True):
    """Upload an HR file as the admin's import page does, check it and import it."""
    batch = network_services.import_batch_create(
        kind=kind, uploaded_file=SimpleUploadedFile(filename, content), actor=actor
    )
    network_services.import_batch_run(batch_id=batch.pk, apply=False)
    batch.refresh_from_db()
    if apply:
        assert batch.status == ImportBatch.Status.VALID, batch.report
        network_services.import_batch_confirm(batch=batch, actor=actor)
        network_services.import_batch_run(batch_id=batch.pk, apply=True)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.IMPORTED, batch.report
    return batch


def _bank_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    columns = xlsx_columns()
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def build(*, p: Payloads | None = None) -> World:
    p = p or Payloads()
    today = timezone.localdate()

    # --- The brand's own people, who exist before any HR file.
    root = UserFactory(username="xss-root", is_superuser=True, is_staff=True)
    auditor = StaffFactory(role=Role.AUDITOR, outlet=None, user__username="xss-auditor")
    trainer = StaffFactory(role=Role.TRAINER, outlet=None, user__username="xss-trainer")
    for person in (auditor, trainer):
        network_services.staff_assignment_sync(staff=person)
    auditor.user.first_name = p.text("auditor's name", max_length=150)
    trainer.user.first_name = p.text("trainer's name", max_length=150)
    auditor.user.save()
    trainer.user.save()

    # --- Training content, as trainers write it in the admin.
    homepage = home()
    homepage.intro = _rich_text(p, "home page introduction")
    homepage.intro_en = _rich_text(p, "home page introduction (English)")
    homepage.save_revision().publish()

    image = get_image_model().objects.create(
        title=p.text("image title", max_length=255),
        file=ContentFile(image_bytes(size=(32, 24)), name="step.png"),
        width=32,
        height=24,
    )
    video_file = get_document_model().objects.create(
        title=p.text("video document title", max_length=255),
        file=ContentFile(b"not really a video", name="video.mp4"),
    )
    handout = get_document_model().objects.create(
        title=p.text("handout document title", max_length=255),
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="handout.pdf"),
    )

    def picture():
        # ImageBlock writes the alt text onto the image instance it is given: one each.
        return get_image_model().objects.get(pk=image.pk)

    def lesson_body():
        # Each block with its English beside it, as the editor stores them (courses/blocks.py).
        step_features = ["bold", "italic", "link", "ul", "ol"]
        clause_features = ["bold", "italic", "ul", "ol"]

        def rich(name, **kwargs):
            return RichText(_rich_text(p, name, **kwargs))

        return [
            (
                "text",
                {
                    "text": rich("lesson text block"),
                    "text_en": rich("lesson text block (English)"),
                },
            ),
            (
                "image",
                {
                    "image": {
                        "image": picture(),
                        "alt_text": p.text("lesson image alt text", max_length=255),
                        "decorative": False,
                    },
                    "alt_text_en": p.text("lesson image alt text (English)", max_length=255),
                },
            ),
            (
                "video",
                {
                    "embed": None,
                    "file": video_file,
                    "caption": p.text("video caption"),
                    "caption_en": p.text("video caption (English)"),
                },
            ),
            (
                "download",
                {
                    "document": handout,
                    "description": p.text("download description"),
                    "description_en": p.text("download description (English)"),
                },
            ),
            (
                "procedure",
                {
                    "title": p.text("procedure title"),
                    "title_en": p.text("procedure title (English)"),
                    "steps": [
                        {
                            "instruction": rich(
                                "procedure step instruction", features_list=step_features
                            ),
                            "instruction_en": rich(
                                "procedure step instruction (English)",
                                features_list=step_features,
                            ),
                            "warning": p.text("procedure step safety warning"),
                            "warning_en": p.text("procedure step safety warning (English)"),
                            "image": {"image": picture(), "alt_text": "", "decorative": True},
                        }
                    ],
                },
            ),
            (
                "policy_clause",
                {
                    "clause": rich("policy clause text", features_list=clause_features),
                    "clause_en": rich(
                        "policy clause text (English)", features_list=clause_features
                    ),
                    "source": p.text("policy clause source"),
                    "source_en": p.text("policy clause source (English)"),
                    "effective_date": datetime.date(2025, 1, 1),
                    "note": p.text("policy clause note"),
                    "note_en": p.text("policy clause note (English)"),
                },
            ),
        ]

    course = course_page(
        title=p.text("course title", max_length=255),
        title_en=p.text("course English title", max_length=255),
        summary=p.text("course summary"),
        summary_en=p.text("course summary (English)"),
        objectives=_rich_text(p, "course objectives", features_list=["bold", "ul", "ol"]),
        objectives_en=_rich_text(
            p, "course objectives (English)", features_list=["bold", "ul", "ol"]
        ),
        seo_title=p.text("course SEO title", max_length=255),
        search_description=p.text("course search description"),
        lessons=0,
    )
    lesson = lesson_page(
        course=course,
        title=p.text("lesson title", max_length=255),
        title_en=p.text("lesson English title", max_length=255),
        body=lesson_body(),
    )
    second_lesson = lesson_page(course=course, title="第二课 xss-plain")
    track = track_page(
        roles=(Role.TECHNICIAN, Role.FRONT_DESK, Role.SENIOR_TECHNICIAN),
        courses=[course],
        title=p.text("track title", max_length=255),
        title_en=p.text("track English title", max_length=255),
        summary=p.text("track summary"),
        summary_en=p.text("track summary (English)"),
        certificate_name=p.text("track certificate name", max_length=200),
        certificate_name_en=p.text("track certificate name (English)", max_length=200),
    )
    extra_track = track_page(roles=(), title=p.text("manually assigned track title"))
    # A trainer's comment on the lesson in the editor, and a reply to it.
    comment = Comment.objects.create(
        page=lesson,
        user=trainer.user,
        text=p.text("page comment"),
        contentpath="title",
        revision_created=lesson.latest_revision,
    )
    CommentReply.objects.create(comment=comment, user=root, text=p.text("page comment reply"))
    # Review before publishing: a draft of the lesson sent back by an auditor with a comment, and
    # a change to the second lesson waiting for review.
    lesson.title = p.text("lesson draft title", max_length=255)
    lesson.save_revision(user=trainer.user, log_action=True)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.get_workflow().start(lesson, trainer.user)
    reviewer = Client()
    reviewer.force_login(auditor.user)
    task_state = LessonPage.objects.get(pk=lesson.pk).current_workflow_task_state
    response = reviewer.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "reject", task_state.pk]),
        {"comment": p.text("reviewer's comment asking for changes")},
    )
    assert response.status_code == 302, response.content[:500]
    second_lesson.title = p.text("title of a change waiting for review", max_length=255)
    second_lesson.save_revision(user=trainer.user, log_action=True)
    second_lesson.get_workflow().start(second_lesson, trainer.user)
    lesson = LessonPage.objects.get(pk=lesson.pk)

    # --- Question banks, imported from the sheet trainers fill in.
    bank_rows = [
        {
            "category": p.text(
                "question category (from the bank file)", max_length=120, no_slash=True
            ),
            "type": "single",
            "question": p.text("question text"),
            "question_en": p.text("question text (English)"),
            "option_1": p.text("option 1", max_length=500),
            "option_1_en": p.text("option 1 (English)", max_length=500),
            "option_2": p.text("option 2", max_length=500),
            "option_2_en": p.text("option 2 (English)", max_length=500),
            "correct": "1",
            "explanation": p.text("question explanation"),
            "explanation_en": p.text("question explanation (English)"),
            "tags": p.text("question tag", max_length=100, no_slash=True, no_comma=True),
            "ref": p.text("question source reference", max_length=120),
            "points": "1",
        },
        {
            "category": "xss-bank-plain",
            "type": "multiple",
            "question": p.text("second question text"),
            "option_1": p.text("second question option 1", max_length=500),
            "option_2": p.text("second question option 2", max_length=500),
            "option_3": "xss-plain-option",
            "correct": "1,2",
            "explanation": p.text("second question explanation"),
        },
    ]
    report = banks.bank_import(
        content=_bank_xlsx(bank_rows), filename="bank.xlsx", apply=True, actor=trainer.user
    )
    assert report.applied, report.as_dict()
    bank = QuestionCategory.objects.exclude(name="xss-bank-plain").get()
    plain_bank = QuestionCategory.objects.get(name="xss-bank-plain")
    bank.name_en = p.text("question category English name", max_length=120)
    bank.description = p.text("question category description")
    bank.save()
    first_question = Question.objects.get(category=bank)

    course_exam = assessment(
        course=course,
        rules=[(bank, 1), (plain_bank, 1)],
        title=p.text("course exam title", max_length=200),
        title_en=p.text("course exam English title", max_length=200),
        review_policy=Assessment.ReviewPolicy.FULL,
        max_attempts=1,
    )
    track_exam = assessment(
        track=track,
        rules=[(bank, 1), (plain_bank, 1)],
        title=p.text("certification exam title", max_length=200),
        title_en=p.text("certification exam English title", max_length=200),
        time_limit_minutes=600,
    )
    practical_list = checklist(
        track=track,
        criteria=(
            (p.text("practical criterion", max_length=300), True),
            (p.text("second practical criterion", max_length=300), False),
        ),
    )
    PracticalChecklist.objects.filter(pk=practical_list.pk).update(
        title=p.text("practical checklist title", max_length=200),
        title_en=p.text("practical checklist English title", max_length=200),
    )
    criterion = practical_list.criteria.first()
    PracticalCriterion.objects.filter(pk=criterion.pk).update(
        text_en=p.text("practical criterion (English)", max_length=300)
    )

    # --- Compliance rules, as auditors set them.
    area = service_area(
        "xss-area",
        name=p.text("service area name", max_length=100),
        name_en=p.text("service area English name", max_length=100),
    )
    for role in (Role.TECHNICIAN, Role.FRONT_DESK, Role.SENIOR_TECHNICIAN):
        requirement(role=role, track=track)
    headcount_rule(area=area, role=Role.TECHNICIAN, track=track)

    # --- The network, from HR files an auditor imports.
    outlet_code = p.text("outlet code", max_length=32, short=True)
    outlets_file = _csv(
        [
            {
                "网点编码": "XSS-O1",
                "网点名称": p.text("outlet name (HR file)", max_length=200),
                "英文名称": p.text("outlet English name (HR file)", max_length=200),
                "省份": p.text("outlet province (HR file)", max_length=50),
                "城市": p.text("outlet city (HR file)", max_length=50),
                "城市级别": "3",
                "网点类型": "合作网点",
                "服务商编码": "XSS-P1",
                "服务商名称": p.text("partner company name (HR file)", max_length=200),
                "地址": p.text("outlet address (HR file)", max_length=300),
            },
            {
                "网点编码": "XSS-O2",
                "网点名称": p.text("brand outlet name (HR file)", max_length=200),
                "英文名称": "",
                "省份": "湖南省",
                "城市": "长沙市",
                "城市级别": "2",
                "网点类型": "直营",
                "服务商编码": "",
                "服务商名称": "",
                "地址": "",
            },
            {
                "网点编码": outlet_code,
                "网点名称": "xss-plain outlet three",
                "英文名称": "",
                "省份": "湖南省",
                "城市": "衡阳市",
                "城市级别": "3",
                "网点类型": "合作网点",
                "服务商编码": "XSS-P1",
                "服务商名称": "",
                "地址": "",
            },
        ]
    )
    _import(
        kind=ImportBatch.Kind.OUTLETS,
        content=outlets_file,
        filename=p.text("HR file name", max_length=60, no_slash=True, suffix=".csv"),
        actor=auditor.user,
    )
    company = PartnerCompany.objects.get(code="XSS-P1")
    company.name_en = p.text("partner company English name", max_length=200)
    company.contact_email = p.email("partner company contact email")
    company.save()

    def person(number, name_field, role, outlet, username="", **extra):
        return {
            "工号": number,
            "姓名": p.text(name_field, max_length=150),
            "岗位": role,
            "网点编码": outlet,
            "服务商编码": extra.get("company", ""),
            "入职日期": "2025-03-01",
            "邮箱": extra.get("email", ""),
            "手机": extra.get("phone", ""),
            "登录名": username,
        }

    staff_file = _csv(
        [
            person("XSS-T1", "technician's name (HR file)", "technician", "XSS-O1", "xss-tech"),
            person("XSS-F1", "front desk's name (HR file)", "front_desk", "XSS-O1", "xss-desk"),
            person("XSS-M1", "manager's name (HR file)", "outlet_manager", "XSS-O1", "xss-manager"),
            person(
                "XSS-PA1",
                "partner administrator's name (HR file)",
                "partner_admin",
                "",
                "xss-partner",
                company="XSS-P1",
            ),
            person("XSS-S1", "senior technician's name (HR file)", "senior_technician", "XSS-O1"),
            person("XSS-T2", "second technician's name (HR file)", "technician", "XSS-O1"),
            person("XSS-T3", "brand technician's name (HR file)", "technician", "XSS-O2"),
            person("XSS-T4", "moved technician's name (HR file)", "technician", "XSS-O2"),
            person("XSS-T5", "outlet three technician's name (HR file)", "technician", outlet_code),
            person(
                p.text("employee number (HR file)", max_length=32, short=True),
                "newcomer's name (HR file)",
                "front_desk",
                "XSS-O1",
                p.text("username (HR file)", max_length=150),
                email=p.email("newcomer's email (HR file)"),
                phone="13900139000",
            ),
            person(
                "XSS-N2",
                "second newcomer's name (HR file)",
                "technician",
                "XSS-O1",
                phone=p.text("phone (HR file)", max_length=32, compact=True),
            ),
        ]
    )
    _import(
        kind=ImportBatch.Kind.STAFF, content=staff_file, filename="staff.csv", actor=auditor.user
    )
    # A file with mistakes: the check reports each one, with what the row said.
    _import(
        kind=ImportBatch.Kind.STAFF,
        content=_csv(
            [
                {
                    "工号": "XSS-BAD1",
                    "姓名": "xss-plain refused",
                    "岗位": p.text("unknown role in a refused HR file", max_length=60),
                    "网点编码": p.text(
                        "unknown outlet in a refused HR file", max_length=32, short=True
                    ),
                    "入职日期": p.text("bad hire date in a refused HR file", max_length=60),
                    "邮箱": "not-an-address",
                }
            ]
        ),
        filename="refused.csv",
        actor=auditor.user,
        apply=False,
    )

    people = {s.employee_number: s for s in Staff.objects.select_related("user", "outlet")}
    tech, desk, manager = people["XSS-T1"], people["XSS-F1"], people["XSS-M1"]
    partner_admin, senior = people["XSS-PA1"], people["XSS-S1"]
    tech2, brand_tech, moved = people["XSS-T2"], people["XSS-T3"], people["XSS-T4"]
    newcomer = people[p.value_of("employee number (HR file)")]
    for signing_in in (tech, desk, manager, partner_admin):
        signing_in.user.set_password(PASSWORD)
        signing_in.user.save(update_fields=["password"])
    outlet1 = Outlet.objects.get(code="XSS-O1")

    network_services.staff_move(
        staff=moved, outlet=outlet1, role=Role.TECHNICIAN, actor=auditor.user
    )

    # --- Learning: a course exam submitted and reviewed, an exam left open, a practical.
    course_services.lesson_complete(staff=tech, lesson=lesson.specific, course=course)
    attempt = attempts.attempt_start(staff=tech, assessment=course_exam)
    for item in attempt.items.select_related("version"):
        data = item.version.data
        options = data.get("options", [])
        wrong = [o["key"] for o in options if not o["correct"]]
        response = wrong[0] if data["kind"] == "single" else wrong or [options[0]["key"]]
        attempts.answer_save(attempt=attempt, position=item.position, response=response)
    attempts.attempt_submit(attempt=attempt)
    open_attempt = attempts.attempt_start(staff=desk, assessment=track_exam)

    assessment_ = practicals.practical_start(
        assessor_user=senior.user, learner=tech, checklist=practical_list
    )
    for c in practical_list.criteria.all():
        practicals.criterion_record(
            assessment=assessment_,
            criterion=c,
            met=True,
            note=p.text(f"assessor's note on criterion {c.sort_order + 1}", max_length=300),
            actor=senior.user,
        )
    practicals.evidence_add(
        assessment=assessment_, uploaded_file=photo_upload(), criterion=criterion, actor=senior.user
    )
    practicals.practical_complete(
        assessment=assessment_, actor=senior.user, notes=p.text("assessor's notes")
    )
    # One still in progress, by a trainer, who opens its checklist form on the site.
    in_progress = practicals.practical_start(
        assessor_user=trainer.user, learner=tech2, checklist=practical_list
    )
    practicals.criterion_record(
        assessment=in_progress,
        criterion=criterion,
        met=False,
        note=p.text("assessor's note on an assessment in progress", max_length=300),
        actor=trainer.user,
    )

    # A trainer corrects the key of the question answered above and regrades.
    first_question.options.update(is_correct=False)
    first_question.options.filter(sort_order=1).update(is_correct=True)
    regrade = regrades.regrade_preview(
        question=first_question, actor=trainer.user, reason=p.text("regrade reason", max_length=300)
    )
    regrades.regrade_confirm(regrade=regrade, actor=trainer.user)

    # --- Certificates: earned, corrected, suspended, revoked, suspended in bulk.
    def certify(staff):
        courses_done(staff=staff, track=track)
        exam_result(staff=staff, track=track, exam=track_exam)
        if not staff.practical_assessments.filter(passed=True).exists():
            practical_done(learner=staff, assessor=trainer, track=track)
        certificate = certificate_issue(staff_id=staff.pk, track_id=track.pk)
        assert certificate is not None, staff
        return certificate

    tech_certificate = certify(tech)
    corrected = certificate_correct(
        certificate=tech_certificate,
        actor=auditor.user,
        reason=p.text("certificate correction reason", max_length=300),
        changes={
            "holder_name": p.text("corrected holder name", max_length=150),
            "outlet_name": p.text("corrected outlet name", max_length=200),
            "outlet_name_en": p.text("corrected outlet English name", max_length=200),
            "partner_company_name": p.text("corrected partner company name", max_length=200),
            "track_title": p.text("corrected track title", max_length=255),
            "track_title_en": p.text("corrected track English title", max_length=255),
        },
    )
    suspended = certify(senior)
    certificate_suspend(
        certificate=suspended,
        actor=auditor.user,
        reason=p.text("suspension reason", max_length=300),
    )
    revoked = certify(tech2)
    certificate_revoke(
        certificate=revoked,
        actor=auditor.user,
        reason=p.text("revocation reason", max_length=300),
    )
    certify(brand_tech)
    candidates = bulk.bulk_suspension_candidates(outlet_code="XSS-O2")
    bulk_job = bulk.bulk_suspension_start(
        actor=auditor.user,
        outlet_code="XSS-O2",
        reason=p.text("bulk suspension reason", max_length=300),
        digest=bulk.preview_digest(candidates),
    )

    # --- Training assigned by hand and withdrawn with a reason.
    (enrolment,) = course_services.enrollment_assign(
        actor=manager.user, track=extra_track, people=[desk]
    )
    course_services.enrollment_withdraw(
        actor=manager.user,
        enrollment=enrolment,
        # Kept on the record, shown on no page today.
        reason=p.text("withdrawal reason", max_length=200, expect_seen=False),
    )

    # --- Compliance history and an export with a search term.
    compliance_snapshots_take(period=month_start(today), as_of=today)
    export = compliance_export_start(
        user=manager.user,
        kind=ExportJob.Kind.OVERVIEW,
        format=ExportJob.Format.CSV,
        # Written into the file; the export's page does not repeat it.
        filters=Filters(
            search=p.text("compliance export search term", max_length=100, expect_seen=False)
        ),
    )

    # --- Accounts: an activation for the newcomer, a failed sign-in, sessions ended.
    issued = account_services.setup_issue(staff=newcomer, actor=manager.user)
    account_services.setup_issue(staff=people["XSS-N2"], actor=manager.user)
    Client(HTTP_USER_AGENT=p.text("browser of a failed sign-in", max_length=300)).post(
        reverse("account_login"),
        {"login": p.text("identifier typed at a failed sign-in", max_length=150), "password": "x"},
    )
    Client(HTTP_USER_AGENT=p.text("browser of a sign-in", max_length=300)).post(
        reverse("account_login"), {"login": "xss-tech", "password": PASSWORD}
    )
    account_services.sessions_end(
        user=tech.user, actor=manager.user, reason=p.text("reason sessions were ended")
    )

    world = World(
        payloads=p,
        usernames={
            "technician": "xss-tech",
            "front_desk": "xss-desk",
            "outlet_manager": "xss-manager",
            "partner_admin": "xss-partner",
            "trainer": "xss-trainer",
            "auditor": "xss-auditor",
            "superuser": "xss-root",
        },
    )
    for name in ("trainer", "auditor"):
        user = User.objects.get(username=world.usernames[name])
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    root.set_password(PASSWORD)
    root.save(update_fields=["password"])

    # --- Where the crawls start: each role's home, and searches that echo a typed term.
    search = p.text("search term (?q=)", max_length=100)
    searches = [
        f"/?q={search}",
        f"/network/outlets/?q={search}",
        f"/network/staff/?q={search}",
        f"/compliance/?q={search}",
        f"/certificates/desk/?q={search}",
    ]
    attempt_url = reverse("assessments:attempt", args=[open_attempt.pk])
    common = ["/", "/my/", "/my/certificates/", "/accounts/", "/accounts/sessions/"]
    outlet_pages = [
        reverse("network:outlet_detail", args=[outlet1.code]),
        reverse("courses:outlet_training", args=[outlet1.code]),
        reverse("compliance:outlet", args=[outlet1.code]),
        reverse("accounts:outlet_activation", args=[outlet1.code]),
    ]
    world.site_starts = {
        "anonymous": [
            "/",
            reverse("account_login"),
            reverse("certificates:verify_form"),
            reverse("accounts:activate", args=[issued.token]),
            reverse("compliance:public_outlet", args=[outlet1.code]),
            reverse("compliance:public_outlet", args=[outlet_code]),
            reverse(
                "certificates:verify",
                args=[Certificate.objects.filter(holder=tech).latest("cycle").code],
            ),
            reverse("certificates:verify", args=[Certificate.objects.get(holder=tech2).code]),
            *searches[:1],
        ],
        "technician": [*common, *searches[:3]],
        "front_desk": [*common, attempt_url, *searches[:3]],
        "outlet_manager": [
            *common,
            *outlet_pages,
            reverse("courses:my_team"),
            reverse("compliance:export_job", args=[export.pk]),
            *searches,
        ],
        "partner_admin": [*common, *outlet_pages, *searches],
        "trainer": [
            *common,
            reverse("assessments:practical_checklist", args=[in_progress.pk]),
            *searches,
        ],
        "auditor": [
            *common,
            *outlet_pages,
            "/certificates/desk/",
            reverse("certificates:desk_detail", args=[corrected.serial]),
            # The records whose reasons are payloads: the auditor's navigation has grown beyond
            # what a breadth-first crawl of SITE_PAGES reaches before them.
            reverse("certificates:desk_detail", args=[suspended.serial]),
            reverse("certificates:desk_detail", args=[revoked.serial]),
            reverse("certificates:bulk_suspension", args=[bulk_job.pk]),
            *searches,
        ],
        "superuser": [*common, *outlet_pages, "/certificates/desk/", *searches],
    }
    world.forms = {
        "auditor": [
            {
                "url": reverse("certificates:bulk_suspend"),
                "form": "main textarea[name=reason]",
                "fields": {
                    "outlet": p.text(
                        "outlet code typed for a bulk suspension", max_length=32, short=True
                    ),
                    "reason": p.text("reason typed for a bulk suspension", max_length=300),
                },
            }
        ],
        "trainer": [
            {
                "url": reverse("assessments_bank_import"),
                "form": "input[name=file]",
                "files": {
                    "file": (
                        p.text(
                            "name of a refused bank file",
                            max_length=80,
                            no_slash=True,
                            suffix=".xlsx",
                        ),
                        _bank_xlsx(
                            [
                                {
                                    "category": "xss-bank-refused",
                                    "type": p.text(
                                        "question type in a refused bank file", max_length=60
                                    ),
                                    "difficulty": p.text(
                                        "difficulty in a refused bank file", max_length=60
                                    ),
                                    "question": p.text("question in a refused bank file"),
                                    "correct": "1",
                                }
                            ]
                        ),
                    )
                },
            }
        ],
    }
    world.admin_pages = _admin_pages(
        search=search,
        pages=[homepage, course, track, extra_track, second_lesson],
        lesson=lesson,
        people=[tech, newcomer, people["XSS-N2"]],
        questions=list(Question.objects.all()),
        attempt=attempt,
        regrade=regrade,
    )
    return world


# Who opens which admin page. Every page is opened once, by the person whose work it is; the
# superuser takes what only an administrator may open, and the pages that differ for them.
TRAINER = ("trainer",)
AUDITOR = ("auditor",)
ROOT = ("superuser",)
EVERYONE = ("trainer", "auditor", "superuser")


def _admin_pages(*, search, pages, lesson, people, questions, attempt, regrade):
    """The admin's pages holding payloads: lists, edit forms, inspect views, page histories."""
    from wagtail.snippets.models import get_snippet_models

    found: list[tuple[str, tuple[str, ...]]] = [
        ("/admin/", EVERYONE),
        (f"/admin/pages/search/?q={search}", TRAINER),
        ("/admin/reports/site-history/", ROOT),
        ("/admin/images/", TRAINER),
        ("/admin/documents/", TRAINER),
        ("/admin/users/", ROOT),
        (reverse("network_import"), AUDITOR),
        (reverse("assessments_bank_import"), TRAINER),
        (reverse("assessments_item_statistics"), TRAINER),
        (reverse("compliance_snapshots"), AUDITOR),
        (reverse("certificates_render_jobs"), ROOT),
        (reverse("wagtailadmin_explore", args=[pages[0].pk]), TRAINER),
        (reverse("wagtailadmin_explore", args=[lesson.get_parent().pk]), TRAINER),
        (reverse("wagtailadmin_pages:history", args=[lesson.pk]), TRAINER),
        (reverse("wagtailadmin_pages:workflow_history", args=[lesson.pk]), TRAINER),
        (reverse("wagtailadmin_reports:workflow"), AUDITOR),
        (reverse("wagtailadmin_reports:workflow_tasks"), ROOT),
        # The site's own templates, drawn by the admin (under the admin's policy).
        *((reverse("wagtailadmin_pages:view_draft", args=[pg.pk]), TRAINER) for pg in pages),
        (reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]), TRAINER),
        (
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[lesson.pk, "live", lesson.latest_revision_id],
            ),
            TRAINER,
        ),
        (reverse("wagtailadmin_pages:edit", args=[lesson.pk]), ROOT),
        (reverse("assessments_regrade_detail", args=[regrade.pk]), TRAINER),
        (reverse("assessments_attempt_grade_changes", args=[attempt.pk]), TRAINER),
        (reverse("assessments_question_grade_changes", args=[questions[0].pk]), ROOT),
    ]
    found += [(reverse("wagtailadmin_pages:edit", args=[page.pk]), TRAINER) for page in pages]
    found += [
        (
            reverse(
                "wagtailadmin_pages:workflow_history_detail", args=[int(state.object_id), state.pk]
            ),
            TRAINER,
        )
        for state in WorkflowState.objects.all()
    ]
    found += [
        (reverse("wagtailimages:edit", args=[i.pk]), TRAINER)
        for i in get_image_model().objects.all()
    ]
    found += [
        (reverse("wagtaildocs:edit", args=[d.pk]), TRAINER)
        for d in get_document_model().objects.all()
    ]
    found += [(reverse("wagtailusers_users:edit", args=[s.user_id]), ROOT) for s in people]
    found += [
        (reverse("network_import_detail", args=[b.pk]), AUDITOR) for b in ImportBatch.objects.all()
    ]
    searched = (Outlet, Staff, Question)
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        roles = TRAINER if model._meta.app_label in ("assessments", "courses") else AUDITOR
        listing = reverse(viewset.get_url_name("list"))
        found.append((f"{listing}?q={search}" if model in searched else listing, roles))
        # The first row holds payloads; of people, those whose records hold the most.
        objects = people if model is Staff else list(model._default_manager.all()[:1])
        if model is SignInEvent:
            # The events of the seed: a failed and a good sign-in, the sessions ended.
            objects = list(SignInEvent.objects.filter(user_agent__contains="xss"))
            objects += SignInEvent.objects.filter(kind=SignInEvent.Kind.SESSIONS_ENDED)
        for obj in objects:
            # Their histories stay empty: rows written by code leave no admin log entry.
            actions = ["edit"] + (["inspect"] if viewset.inspect_view_enabled else [])
            for action in actions:
                url = _url(viewset.get_url_name(action), obj.pk)
                if url:
                    found.append((url, roles))
    return found

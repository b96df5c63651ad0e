# Question texts are kept one string to a line, as a trainer would write them; wrapping Chinese
# sentences to the line length would split them mid-phrase.
# ruff: noqa: E501
"""
The demo question bank, exams and practical checklists, and the demo people's first attempts.

One question category per demo course under a common root; the questions, in Chinese and English
with their explanations, are the Moodle XML file demo/data/question_bank.xml, imported through
the bank importer, and a short answer and a matching question written here (EXTRA_QUESTIONS); a course exam per course, a certification exam and a practical
checklist per track. The demo technician failed and then passed the exam of the course whose
lessons they finished and was assessed on the ESD-safe disassembly checklist; the demo front desk
passed the exam of their first course. The attempts go through the same services as a learner's.

`seed_assessments()` creates only what is missing, looking categories up by name and parent,
questions by their source reference (the importer leaves the existing ones as they are), exams
by title and checklists by title and track, so a second run writes nothing. What someone has
since edited is left as it is.
"""

import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    Attempt,
    AttemptItem,
    DrawRule,
    PracticalAssessment,
    PracticalChecklist,
    PracticalCriterion,
    Question,
    QuestionCategory,
    QuestionOption,
)
from assessments.services.attempts import answer_save, attempt_start, attempt_submit
from assessments.services.banks import bank_import
from assessments.services.practicals import criterion_record, practical_complete, practical_start
from assessments.services.questions import question_version_current
from courses.models import CoursePage, HomePage, TrackPage
from network.models import Role, Staff

from . import demo_content as content
from .demo_courses import AUTHOR_USERNAME
from .demo_network import DemoDataRefused

# The bank ---------------------------------------------------------------------------------------

# The demo bank is a Moodle XML file in the repository, imported by the importer trainers use
# (`manage.py import_questions demo/data/question_bank.xml` would import the same questions).
BANK_FILE = Path(__file__).resolve().parent / "data" / "question_bank.xml"
BANK_ROOT = "售后服务培训题库"
BANK_ROOT_EN = "After-sales service training bank"
BANK_ROOT_DESCRIPTION = "演示题库：每门课程一个分类，课程考试和认证考试从中抽题。"

# Short answer and matching questions, written here rather than in the Moodle file: the importer
# does not read these two types yet. Looked up by source reference, as the importer does.
EXTRA_QUESTIONS = [
    {
        "source_ref": "demo-esd-sa-01",
        "course": content.ESD_DISASSEMBLY.slug,
        "kind": Question.Kind.SHORT_ANSWER,
        "difficulty": 1,
        "text": "防静电工位、防静电手环和屏蔽袋上都印有同一个英文缩写标志（静电放电）。请填写这个缩写。",
        "text_en": "ESD-safe workstations, wrist straps and shielding bags all carry the same abbreviation for electrostatic discharge. Type it.",
        "explanation": "ESD 是 Electrostatic Discharge（静电放电）的缩写。拆机前确认工位、手环和包装上的 ESD 标志，并测试手环接地。",
        "explanation_en": "ESD stands for electrostatic discharge. Before opening a device, check the ESD marks on the workstation, strap and packaging, and test the strap's ground.",
        "options": [
            {
                "text": "ESD",
                "text_en": "ESD",
                "feedback": "正确：Electrostatic Discharge，静电放电。",
                "feedback_en": "Right: electrostatic discharge.",
            },
            {
                "text": "*ESD*",
                "text_en": "*ESD*",
                "fraction": Decimal("0.5"),
                "feedback": "包含了 ESD，但题目只要求填写缩写本身。",
                "feedback_en": "It contains ESD, but only the abbreviation itself was asked for.",
            },
        ],
    },
    {
        "source_ref": "demo-gp-ma-01",
        "course": content.GENUINE_PARTS.slug,
        "kind": Question.Kind.MATCHING,
        "difficulty": 2,
        "partial_credit": Question.PartialCredit.PROPORTIONAL,
        "points": Decimal("3"),
        "text": "将每种配件与它的定义配对。",
        "text_en": "Match each kind of part with its definition.",
        "explanation": "只有原厂配件是经品牌授权渠道供应的全新件；翻新件和拆机件都是用过的配件，使用前须告知客户并取得书面同意。",
        "explanation_en": "Only a genuine part is new and supplied through the brand's authorised channel; refurbished and pulled parts are used parts, and the customer must be told and agree in writing before they are fitted.",
        "options": [
            {
                "text": "原厂配件",
                "text_en": "Genuine part",
                "match_text": "品牌授权渠道供应的全新配件",
                "match_text_en": "A new part supplied through the brand's authorised channel",
            },
            {
                "text": "翻新件",
                "text_en": "Refurbished part",
                "match_text": "修复并重新检测后再次使用的旧配件",
                "match_text_en": "A used part repaired and retested for reuse",
            },
            {
                "text": "拆机件",
                "text_en": "Pulled part",
                "match_text": "从其他设备上拆下、未经翻新的配件",
                "match_text_en": "A part taken out of another device, not refurbished",
            },
            {
                # An extra wrong answer: it matches none of the three.
                "text": "",
                "text_en": "",
                "match_text": "第三方生产、未经品牌认证的全新配件",
                "match_text_en": "A new part made by a third party without the brand's certification",
            },
        ],
    },
]
EXTRA_QUESTION_REFS = {q["source_ref"] for q in EXTRA_QUESTIONS}


# Exams and checklists ---------------------------------------------------------------------------

# Course exams: 5 questions of the course's category; learners see which answers were wrong, and
# for the onboarding courses also the right answers and explanations, since they learn from them.
COURSE_EXAM_QUESTIONS = 5
COURSE_EXAM_RULES = {
    "pass_mark_percent": 80,
    "time_limit_minutes": 20,
    "max_attempts": 3,
    "cooldown_minutes": 0,
}
FULL_REVIEW_COURSES = {
    content.SERVICE_ETIQUETTE.slug,
    content.COUNTER_WARRANTY.slug,
    content.INTAKE_DIAGNOSIS.slug,
    content.ESD_DISASSEMBLY.slug,
    content.BATTERY_SAFETY.slug,
    content.GENUINE_PARTS.slug,
}
# Certification exams: 12 questions spread evenly over the track's courses, fewer attempts and a
# wait between them, and only the score afterwards, so that the questions stay unknown.
CERTIFICATION_QUESTIONS = 12
CERTIFICATION_RULES = {
    "pass_mark_percent": 80,
    "time_limit_minutes": 30,
    "max_attempts": 2,
    "cooldown_minutes": 60,
    "review_policy": Assessment.ReviewPolicy.SCORE_ONLY,
}


def course_exam_title(course: content.Course) -> tuple[str, str]:
    return f"{course.title}：课程考试", f"{course.title_en}: course exam"


# Track slug -> the certification exam's title and English title.
CERTIFICATION_EXAM_TITLES = {
    "front-desk-onboarding": ("前台接待上岗考试", "Front desk certification exam"),
    "technician-onboarding": ("维修技术员上岗考试", "Repair technician certification exam"),
    "partner-technician-certification": (
        "授权服务商维修技术员认证考试",
        "Authorised partner technician certification exam",
    ),
    "senior-technician-certification": (
        "高级技术员认证考试",
        "Senior technician certification exam",
    ),
    "outlet-manager-training": ("网点经理任职资格考试", "Outlet manager certification exam"),
    "warranty-refresher": ("三包与配件政策复训考试", "Three guarantees and parts refresher exam"),
}


@dataclasses.dataclass(frozen=True)
class Checklist:
    track: str
    title: str
    title_en: str
    # (text, English text, critical)
    criteria: tuple[tuple[str, str, bool], ...]


CHECKLISTS = (
    Checklist(
        "warranty-refresher",
        "三包与配件政策复训实操：柜台判定与告知",
        "Refresher practical: judging the three guarantees and disclosing parts at the counter",
        (
            (
                "主动向客户说明适用的三包条款和有效期",
                "Explains the applicable three-guarantees terms and their periods unprompted",
                True,
            ),
            (
                "根据购买日期和故障判定退货、换货或维修",
                "Decides refund, exchange or repair from the purchase date and the fault",
                True,
            ),
            (
                "告知所用配件为原厂新件、翻新件或拆机件，并取得书面同意",
                "Tells whether parts are new genuine, refurbished or salvaged, with written consent",
                False,
            ),
            (
                "收费前出示价目表，费用逐项说明",
                "Shows the price list before charging and explains each charge",
                False,
            ),
        ),
    ),
    Checklist(
        "front-desk-onboarding",
        "前台接待实操考核：接待、接机与三包判定",
        "Front desk practical assessment: reception, intake and the three guarantees",
        (
            (
                "按接待七步完成接待，使用规范用语、无服务禁语",
                "Follows the seven-step reception with the standard phrases and no forbidden ones",
                False,
            ),
            (
                "当面检查五个部位和进水标签，拍照存入维修单",
                "Inspects the five places and the liquid indicator in front of the customer, with photos in the order",
                False,
            ),
            (
                "三包判定正确，向客户说明可选择的处理方式",
                "Judges the three guarantees correctly and explains the customer's options",
                True,
            ),
            (
                "保外维修先报价、后维修，费用逐项说明",
                "Quotes before a paid repair and explains each charge",
                False,
            ),
            (
                "不索要、不记录客户的锁屏密码",
                "Never asks for or writes down the customer's screen-lock code",
                True,
            ),
        ),
    ),
    Checklist(
        "technician-onboarding",
        "防静电拆机实操考核",
        "ESD-safe disassembly practical assessment",
        (
            (
                "佩戴防静电手环并确认接地（腕带测试 PASS）",
                "Wears the ESD wrist strap and confirms it is grounded (strap test PASS)",
                True,
            ),
            (
                "拆机前确认电池无鼓包、电量低于 25%",
                "Confirms before opening that the battery is not swollen and below 25%",
                True,
            ),
            (
                "拆机顺序符合规范：先断开电池排线，复装时最后连接",
                "Follows the disassembly order: battery disconnected first and connected last",
                False,
            ),
            (
                "只用塑料撬片，螺丝按位置放入磁性螺丝垫",
                "Uses plastic picks only and puts each screw in its cell of the screw mat",
                False,
            ),
            (
                "使用原厂配件并登记序列号（扫码绑定追溯码）",
                "Fits a genuine part and records its serial number (traceability code scanned)",
                False,
            ),
            ("复装后功能测试全部通过", "Passes every function test after reassembly", True),
        ),
    ),
    Checklist(
        "partner-technician-certification",
        "合作网点技术员实操考核：开单、配件与三包",
        "Partner technician practical assessment: orders, parts and the three guarantees",
        (
            (
                "维修全程在系统内开单，只收公示价目表上的费用",
                "Puts the repair through the system and charges only published prices",
                True,
            ),
            ("三包判定正确", "Judges the three guarantees correctly", True),
            (
                "使用原厂配件并扫码绑定追溯码",
                "Fits genuine parts and scans their traceability codes",
                False,
            ),
            (
                "使用非原厂新件前取得客户书面同意",
                "Gets the customer's written consent before fitting a part that is not genuine new",
                True,
            ),
            (
                "旧件按规定处理：保内返还品牌，保外询问客户",
                "Handles old parts by the rules: returned for warranty repairs, offered to the customer for paid ones",
                False,
            ),
        ),
    ),
    Checklist(
        "senior-technician-certification",
        "高级技术员实操考核：电流法诊断与鼓包电池拆卸",
        "Senior technician practical assessment: current-draw diagnosis and swollen battery removal",
        (
            ("先设定限流再通电", "Sets the current limit before powering the board", True),
            (
                "根据电流读数正确判断故障所在的供电或芯片",
                "Finds the failing rail or chip from the current readings",
                False,
            ),
            (
                "鼓包电池不加热、不挤压、不用金属工具",
                "Never heats, presses or uses metal tools on the swollen battery",
                True,
            ),
            (
                "取出的电池立即放入防火沙箱并贴标签",
                "Puts the removed battery straight into the sand box, labelled",
                True,
            ),
            (
                "电流读数和判断依据写入工单检测记录",
                "Writes the readings and reasoning into the order's test record",
                False,
            ),
        ),
    ),
    Checklist(
        "outlet-manager-training",
        "网点经理实操考核：工单抽检与整改闭环",
        "Outlet manager practical assessment: order sampling and closing the loop",
        (
            (
                "按清单抽检工单：接机照片、报价确认、追溯码和质检记录",
                "Samples orders against the list: intake photos, quote confirmation, codes and final check",
                False,
            ),
            (
                "如实记录发现的问题，不补做记录",
                "Records findings as they are and never fills in records afterwards",
                True,
            ),
            (
                "对返修做根因分析，区分培训、管理和条件问题",
                "Analyses repeat repairs to the root cause: training, management or means",
                False,
            ),
            (
                "为相关人员指派复训或安排实操考核",
                "Assigns refreshers or books practical assessments for the people concerned",
                False,
            ),
            (
                "核对在岗人员上岗证均在有效期内",
                "Checks that everyone on duty holds a valid certificate",
                True,
            ),
        ),
    ),
)


# The demo people's attempts ---------------------------------------------------------------------

# (username, course slug, how many of the drawn questions each attempt answers right, in order):
# the technician failed the exam of the course they finished and passed on the second attempt;
# the front desk passed the exam of theirs at the first.
DEMO_ATTEMPTS = (
    ("technician", content.INTAKE_DIAGNOSIS.slug, (2, 4)),
    ("frontdesk", content.SERVICE_ETIQUETTE.slug, (5,)),
)
DEMO_PRACTICAL_LEARNER = "technician"
DEMO_PRACTICAL_TRACK = "technician-onboarding"
# The criterion the demo technician missed (not a critical one), and what the assessor noted.
DEMO_PRACTICAL_MISSED = "只用塑料撬片，螺丝按位置放入磁性螺丝垫"
DEMO_PRACTICAL_MISSED_NOTE = "两颗屏幕支架螺丝放错格，复装前自行发现并更正。"
DEMO_PRACTICAL_NOTES = "关键项全部合格。螺丝管理需加强，下次拆机前先按维修手册核对螺丝位置。"


@dataclasses.dataclass
class AssessmentsSeedResult:
    """What one run of `seed_assessments()` found and wrote."""

    categories: int = 0
    categories_created: int = 0
    questions: int = 0
    questions_created: int = 0
    exams: int = 0
    exams_created: int = 0
    checklists: int = 0
    checklists_created: int = 0
    attempts_created: int = 0
    practicals_created: int = 0
    # Why a demo attempt or assessment could not be made, one line each
    skipped: list[str] = dataclasses.field(default_factory=list)


def seed_assessments() -> AssessmentsSeedResult:
    """
    Write the demo question bank, exams and checklists and the demo people's attempts, in one
    transaction. Run after `seed_courses()`: the exams belong to its courses and tracks.
    """
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoDataRefused(
            "Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is False); "
            "nothing was written."
        )
    result = AssessmentsSeedResult()
    with transaction.atomic():
        home = HomePage.objects.first()
        if home is None:
            raise DemoDataRefused(
                "There is no training home page; the question bank was not written."
            )
        courses = {page.slug: page for page in CoursePage.objects.child_of(home)}
        tracks = {page.slug: page for page in TrackPage.objects.child_of(home)}
        author = get_user_model().objects.filter(username=AUTHOR_USERNAME).first()
        categories = _categories_write(result)
        _questions_write(author=author, result=result)
        _extra_questions_write(categories, author=author, result=result)
        exams = _exams_write(categories, courses=courses, tracks=tracks, result=result)
        checklists = _checklists_write(tracks=tracks, result=result)
        _attempts_write(exams, result=result)
        _practical_write(checklists, result=result)
    return result


def _categories_write(result: AssessmentsSeedResult) -> dict[str, QuestionCategory]:
    """Return the bank's category of each course slug, creating what is missing."""
    # Root names are not unique in the database (NULL parents): the oldest one is the one used,
    # as the bank import does.
    root = QuestionCategory.objects.filter(parent=None, name=BANK_ROOT).order_by("pk").first()
    if root is None:
        root = QuestionCategory.objects.create(
            name=BANK_ROOT, name_en=BANK_ROOT_EN, description=BANK_ROOT_DESCRIPTION
        )
        result.categories_created += 1
    existing = {c.name: c for c in QuestionCategory.objects.filter(parent=root)}
    categories = {}
    for course in content.COURSES:
        category = existing.get(course.title)
        if category is None:
            category = QuestionCategory.objects.create(
                name=course.title,
                name_en=course.title_en,
                parent=root,
                description=f"「{course.title}」课程考试及相关认证考试的题目。",
            )
            result.categories_created += 1
        categories[course.slug] = category
    result.categories = len(categories)
    return categories


def _questions_write(*, author, result: AssessmentsSeedResult) -> None:
    # Questions already there are left as they are: a trainer may have edited or retired them.
    report = bank_import(
        content=BANK_FILE.read_bytes(),
        filename=BANK_FILE.name,
        apply=True,
        actor=author,
        update_existing=False,
    )
    if not report.ok:
        problems = "; ".join(f"{e.item} {e.label} {e.field}: {e.message}" for e in report.errors)
        raise DemoDataRefused(f"The demo question bank {BANK_FILE} does not import: {problems}")
    result.questions = report.total
    result.questions_created = report.created


def _extra_questions_write(categories, *, author, result: AssessmentsSeedResult) -> None:
    existing = set(
        Question.objects.filter(source_ref__in=EXTRA_QUESTION_REFS).values_list(
            "source_ref", flat=True
        )
    )
    for spec in EXTRA_QUESTIONS:
        result.questions += 1
        if spec["source_ref"] in existing:
            continue
        fields = {k: v for k, v in spec.items() if k not in ("course", "options")}
        question = Question(category=categories[spec["course"]], **fields)
        for n, option in enumerate(spec["options"]):
            question.options.add(QuestionOption(sort_order=n, **option))
        question.save()
        # The version is taken of the question as stored (points "3.00", not the "3" given).
        question = Question.objects.prefetch_related("options").get(pk=question.pk)
        question_version_current(question=question, actor=author)
        result.questions_created += 1


def _exams_write(categories, *, courses, tracks, result: AssessmentsSeedResult) -> dict:
    """Return the demo exam of each course slug, creating the missing exams."""
    wanted = []
    for course in content.COURSES:
        title, title_en = course_exam_title(course)
        review = (
            Assessment.ReviewPolicy.FULL
            if course.slug in FULL_REVIEW_COURSES
            else Assessment.ReviewPolicy.SCORE_AND_WRONG
        )
        rules = [(categories[course.slug], COURSE_EXAM_QUESTIONS)]
        values = {**COURSE_EXAM_RULES, "review_policy": review}
        wanted.append(
            (title, title_en, Assessment.Kind.COURSE_EXAM, courses.get(course.slug), rules, values)
        )
    for track in content.TRACKS:
        title, title_en = CERTIFICATION_EXAM_TITLES[track.slug]
        per_course, extra = divmod(CERTIFICATION_QUESTIONS, len(track.courses))
        rules = [
            (categories[slug], per_course + (1 if n < extra else 0))
            for n, slug in enumerate(track.courses)
        ]
        wanted.append(
            (
                title,
                title_en,
                Assessment.Kind.CERTIFICATION_EXAM,
                tracks.get(track.slug),
                rules,
                CERTIFICATION_RULES,
            )
        )
    # The oldest exam of a title is the demo's, should someone have copied it.
    existing = {
        a.title: a
        for a in Assessment.objects.filter(title__in=[w[0] for w in wanted]).order_by("-pk")
    }
    # A course or track whose exam someone else made keeps it: one active exam each.
    taken_courses = set(
        Assessment.objects.filter(is_active=True, course__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    taken_tracks = set(
        Assessment.objects.filter(is_active=True, track__isnull=False).values_list(
            "track_id", flat=True
        )
    )
    exams = {}
    for title, title_en, kind, page, rules, values in wanted:
        exam = existing.get(title)
        if exam is None and page is not None:
            course_exam = kind == Assessment.Kind.COURSE_EXAM
            if page.pk not in (taken_courses if course_exam else taken_tracks):
                exam = Assessment(
                    title=title,
                    title_en=title_en,
                    kind=kind,
                    course=page if course_exam else None,
                    track=None if course_exam else page,
                    **values,
                )
                exam.draw_rules = [
                    DrawRule(category=category, count=count, sort_order=n)
                    for n, (category, count) in enumerate(rules)
                ]
                exam.save()
                result.exams_created += 1
        if exam is not None:
            result.exams += 1
            if kind == Assessment.Kind.COURSE_EXAM and page is not None:
                exams[page.slug] = exam
    return exams


def _checklists_write(*, tracks, result: AssessmentsSeedResult) -> dict:
    """Return the demo checklist of each track slug, creating the missing checklists."""
    existing = {
        (c.title, c.track_id): c
        for c in PracticalChecklist.objects.filter(
            title__in=[c.title for c in CHECKLISTS]
        ).order_by("-pk")
    }
    taken = set(
        PracticalChecklist.objects.filter(is_active=True).values_list("track_id", flat=True)
    )
    checklists = {}
    for spec in CHECKLISTS:
        track = tracks.get(spec.track)
        if track is None:
            continue
        checklist = existing.get((spec.title, track.pk))
        if checklist is None and track.pk not in taken:
            checklist = PracticalChecklist(title=spec.title, title_en=spec.title_en, track=track)
            checklist.criteria = [
                PracticalCriterion(text=text, text_en=text_en, critical=critical, sort_order=n)
                for n, (text, text_en, critical) in enumerate(spec.criteria)
            ]
            checklist.save()
            result.checklists_created += 1
        if checklist is not None:
            result.checklists += 1
            checklists[spec.track] = checklist
    return checklists


def _demo_people(usernames) -> dict[str, Staff]:
    return {
        s.user.username: s
        for s in Staff.objects.select_related("user", "outlet").filter(
            user__username__in=usernames, is_active=True
        )
    }


def _attempts_write(exams: dict, *, result: AssessmentsSeedResult) -> None:
    people = _demo_people([username for username, _slug, _plan in DEMO_ATTEMPTS])
    for username, slug, plan in DEMO_ATTEMPTS:
        staff, exam = people.get(username), exams.get(slug)
        if staff is None or exam is None:
            continue
        if Attempt.objects.filter(staff=staff, assessment=exam).exists():
            continue
        # The attempts end a few minutes before now and took as long as a learner takes.
        start = timezone.now() - datetime.timedelta(minutes=40 * len(plan))
        try:
            # A person's attempts are made together or not at all.
            with transaction.atomic():
                for number, right in enumerate(plan):
                    _attempt_take(
                        staff=staff,
                        exam=exam,
                        right=right,
                        start=start + datetime.timedelta(minutes=40 * number),
                    )
        except (PermissionDenied, ValidationError) as exc:
            result.skipped.append(f"{username}: no attempts at {exam.title} ({exc})")
            continue
        result.attempts_created += len(plan)


def _attempt_take(*, staff: Staff, exam: Assessment, right: int, start) -> Attempt:
    """Take `exam` as `staff`, answering the first `right` questions right and the rest wrong."""
    attempt = attempt_start(staff=staff, assessment=exam, now=start)
    items = (
        AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position")
    )
    now = start
    for index, item in enumerate(items):
        now += datetime.timedelta(minutes=2, seconds=17 * index)
        data = item.version.data
        response = _right_response(data) if index < right else _wrong_response(data)
        answer_save(attempt=attempt, position=item.position, response=response, now=now)
    return attempt_submit(attempt=attempt, now=now + datetime.timedelta(minutes=1))


def _right_response(data: dict):
    """Return the response that earns full points on the question version `data`."""
    kind, options = data["kind"], data.get("options", [])
    if kind == Question.Kind.SINGLE:
        return next(o["key"] for o in options if o["correct"])
    if kind == Question.Kind.MULTIPLE:
        return [o["key"] for o in options if o["correct"]]
    if kind == Question.Kind.ORDERING:
        return [o["key"] for o in options]
    if kind == Question.Kind.TRUE_FALSE:
        return data["answer"]
    if kind == Question.Kind.SHORT_ANSWER:
        return next(o["text"] for o in options if o.get("fraction") is None)
    if kind == Question.Kind.MATCHING:
        return {o["key"]: o["key"] for o in options if o["text"]}
    return data["numeric"]


def _wrong_response(data: dict):
    """
    Return a response that earns nothing on the question version `data`, even with partial
    credit: one wrong choice, every step out of place, the opposite, a number off by its size.
    """
    kind, options = data["kind"], data.get("options", [])
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        wrong = next(o["key"] for o in options if not o["correct"])
        return wrong if kind == Question.Kind.SINGLE else [wrong]
    if kind == Question.Kind.ORDERING:
        keys = [o["key"] for o in options]
        return keys[1:] + keys[:1]
    if kind == Question.Kind.TRUE_FALSE:
        return not data["answer"]
    if kind == Question.Kind.SHORT_ANSWER:
        return "不知道"
    if kind == Question.Kind.MATCHING:
        # Every item given the extra wrong answer, or else the next item's answer.
        items = [o["key"] for o in options if o["text"]]
        extra = [o["key"] for o in options if not o["text"]]
        return {
            key: extra[0] if extra else items[(n + 1) % len(items)] for n, key in enumerate(items)
        }
    answer, tolerance = Decimal(data["numeric"]), Decimal(data["tolerance"])
    return str(answer * 2 if answer > tolerance else answer + tolerance + 1)


def _practical_write(checklists: dict, *, result: AssessmentsSeedResult) -> None:
    checklist = checklists.get(DEMO_PRACTICAL_TRACK)
    learner = _demo_people([DEMO_PRACTICAL_LEARNER]).get(DEMO_PRACTICAL_LEARNER)
    if checklist is None or learner is None:
        return
    if PracticalAssessment.objects.filter(learner=learner, checklist=checklist).exists():
        return
    assessor = demo_assessor(learner)
    if assessor is None:
        result.skipped.append(f"{learner.user.username}: no assessor for {checklist.title}")
        return
    user = assessor.user
    try:
        # Completed or not made at all: never an assessment left in progress.
        with transaction.atomic():
            assessment = practical_start(assessor_user=user, learner=learner, checklist=checklist)
            for criterion in checklist.criteria.order_by("sort_order"):
                missed = criterion.text == DEMO_PRACTICAL_MISSED
                criterion_record(
                    assessment=assessment,
                    criterion=criterion,
                    met=not missed,
                    note=DEMO_PRACTICAL_MISSED_NOTE if missed else "",
                    actor=user,
                )
            practical_complete(assessment=assessment, actor=user, notes=DEMO_PRACTICAL_NOTES)
    except (PermissionDenied, ValidationError) as exc:
        result.skipped.append(
            f"{learner.user.username}: no assessment on {checklist.title} ({exc})"
        )
        return
    result.practicals_created += 1


def demo_assessor(learner: Staff) -> Staff | None:
    """
    Return who observes `learner`: a senior technician of their outlet, as the assessment rules
    prefer, or the demo trainer when the outlet has none.
    """
    senior = None
    if learner.outlet_id is not None:
        senior = (
            Staff.objects.select_related("user")
            .filter(
                role=Role.SENIOR_TECHNICIAN,
                outlet_id=learner.outlet_id,
                is_active=True,
                user__is_active=True,
            )
            .exclude(pk=learner.pk)
            .order_by("employee_number")
            .first()
        )
    if senior is not None:
        return senior
    return (
        Staff.objects.select_related("user")
        .filter(user__username=AUTHOR_USERNAME, role=Role.TRAINER, is_active=True)
        .first()
    )


def demo_attempts_describe() -> list[tuple[str, str]]:
    """
    Return (username, what they did) for the demo people's finished exam attempts and completed
    practical assessments, as they stand.
    """
    usernames = sorted(
        {username for username, _slug, _plan in DEMO_ATTEMPTS} | {DEMO_PRACTICAL_LEARNER}
    )
    lines = []
    attempts = (
        Attempt.objects.filter(staff__user__username__in=usernames, finished_at__isnull=False)
        .select_related("staff__user", "assessment")
        .order_by("staff__user__username", "assessment__title", "number")
    )
    for attempt in attempts:
        outcome = "passed" if attempt.passed else "failed"
        lines.append(
            (
                attempt.staff.user.username,
                f"{attempt.assessment.title} #{attempt.number}: {attempt.percent:.0f}% ({outcome})",
            )
        )
    practicals = (
        PracticalAssessment.objects.filter(
            learner__user__username__in=usernames,
            status=PracticalAssessment.Status.COMPLETED,
        )
        .select_related("learner__user", "assessor", "checklist")
        .order_by("learner__user__username", "completed_at")
    )
    for practical in practicals:
        outcome = "passed" if practical.passed else "failed"
        lines.append(
            (
                practical.learner.user.username,
                f"{practical.checklist.title}, observed by {practical.assessor.name} "
                f"{practical.assessor.employee_number} ({outcome})",
            )
        )
    return lines

# Summaries and objectives are kept one paragraph to a string, as a trainer would write them;
# wrapping Chinese sentences to the line length would split them mid-phrase.
# ruff: noqa: E501
"""
The demo catalog's words: five tracks, eleven courses and their lessons, in Chinese and English.
The lessons' bodies are data, demo/data/lessons/<course>.json (StreamField blocks as the lesson
editor has them: text, picture, procedure, clause, download), read by `lesson_bodies()`.

Policy clauses quote the state rules the counter applies (the three-guarantees regulations for
mobile phones and for microcomputers, the Consumer Rights Protection Law, the Price Law, the
Personal Information Protection Law) with the date each took effect. Clauses citing the brand's
own standards (品牌售后服务规范, 授权服务商管理办法, ...) stand for the brand's internal rules.
"""

import dataclasses
import datetime
import functools
import json
from pathlib import Path

from network.models import Ownership, Role


@dataclasses.dataclass(frozen=True)
class Text:
    html: str


@dataclasses.dataclass(frozen=True)
class Picture:
    """An image block; the key names a drawing in `demo_media.PICTURES`."""

    image: str


@dataclasses.dataclass(frozen=True)
class Step:
    instruction: str
    warning: str = ""
    image: str = ""


@dataclasses.dataclass(frozen=True)
class Procedure:
    title: str
    steps: tuple[Step, ...]


@dataclasses.dataclass(frozen=True)
class Clause:
    clause: str
    source: str
    effective: datetime.date
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Download:
    """A download block; the key names a document in `demo_media.PRINTABLES`."""

    document: str
    description: str = ""


_BLOCKS = {
    "text": Text,
    "picture": Picture,
    "procedure": Procedure,
    "clause": Clause,
    "download": Download,
}


@dataclasses.dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    title_en: str
    minutes: int
    body: tuple
    body_en: tuple


@dataclasses.dataclass(frozen=True)
class Course:
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    objectives: str
    objectives_en: str
    minutes: int
    lessons: tuple[Lesson, ...]
    prerequisites: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Track:
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    # (role, ownership): ownership "" for every outlet
    targets: tuple[tuple[str, str], ...]
    courses: tuple[str, ...]
    onboarding_days: int
    certificate_name: str
    certificate_name_en: str
    validity_months: int


# Lesson bodies are data: one JSON file per course, each lesson's blocks in Chinese and English.
LESSONS_DIR = Path(__file__).resolve().parent / "data" / "lessons"


def _block(data: dict):
    """Return the block a lesson body's JSON entry describes (see `demo_courses` for its use)."""
    values = {k: v for k, v in data.items() if k != "type"}
    kind = data["type"]
    if kind == "procedure":
        values["steps"] = tuple(Step(**step) for step in values["steps"])
    if kind == "clause":
        values["effective"] = datetime.date.fromisoformat(values["effective"])
    return _BLOCKS[kind](**values)


@functools.cache
def _course_bodies(course_slug: str) -> dict:
    return json.loads((LESSONS_DIR / f"{course_slug}.json").read_text(encoding="utf-8"))


def lesson_bodies(course_slug: str, lesson_slug: str) -> dict:
    """Return the `body` and `body_en` of a lesson, read from its course's JSON file."""
    data = _course_bodies(course_slug)[lesson_slug]
    return {
        "body": tuple(_block(block) for block in data["body"]),
        "body_en": tuple(_block(block) for block in data["body_en"]),
    }


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# The sources quoted, with the dates they took effect.
MOBILE_RULES = (
    "《移动电话机商品修理更换退货责任规定》（国家质检总局、国家工商总局、信息产业部令第4号）"
)
MOBILE_RULES_EN = "Provisions on the Liability for Repair, Replacement and Return of Mobile Telephone Products (移动电话机商品修理更换退货责任规定), Order No. 4 of AQSIQ, SAIC and MII"
MOBILE_RULES_DATE = datetime.date(2001, 11, 15)
PC_RULES = "《微型计算机商品修理更换退货责任规定》"
PC_RULES_EN = "Provisions on the Liability for Repair, Replacement and Return of Microcomputer Products (微型计算机商品修理更换退货责任规定)"
PC_RULES_DATE = datetime.date(2002, 9, 1)
CONSUMER_LAW = "《中华人民共和国消费者权益保护法》"
CONSUMER_LAW_EN = "Law of the PRC on the Protection of Consumer Rights and Interests"
CONSUMER_LAW_DATE = datetime.date(2014, 3, 15)  # the 2013 amendment
PRICE_LAW_DATE = datetime.date(1998, 5, 1)
PIPL_DATE = datetime.date(2021, 11, 1)
SERVICE_STANDARD = "《品牌售后服务规范（2025版）》"
SERVICE_STANDARD_EN = "Brand After-sales Service Standard (2025 edition)"
SERVICE_STANDARD_DATE = datetime.date(2025, 1, 1)
PARTS_RULES = "《授权服务商配件管理办法（2024版）》"
PARTS_RULES_EN = "Parts Management Rules for Authorised Service Providers (2024 edition)"
PARTS_RULES_DATE = datetime.date(2024, 7, 1)
PARTNER_RULES = "《授权服务商管理办法（2025版）》"
PARTNER_RULES_EN = "Rules for Authorised Service Providers (2025 edition)"
PARTNER_RULES_DATE = datetime.date(2025, 1, 1)
TRAINING_RULES = "《培训与认证管理办法（2025版）》"
TRAINING_RULES_EN = "Training and Certification Rules (2025 edition)"
TRAINING_RULES_DATE = datetime.date(2025, 3, 1)

ESD_WARNING = "佩戴防静电手环并确认接地。"
ESD_WARNING_EN = "Wear the ESD wrist strap and confirm it is grounded."
SWOLLEN_WARNING = "鼓包电池不得加热。"
SWOLLEN_WARNING_EN = "Never heat a swollen battery."


SERVICE_ETIQUETTE = Course(
    slug="service-etiquette",
    title="服务礼仪与规范用语",
    title_en="Service etiquette and standard language",
    summary="统一的仪容仪表、接待流程和服务用语：从客户进门到离店，每一家网点都说同样的话、做同样的事。",
    summary_en="One standard of appearance, reception and language: from the moment a customer walks in until they leave, every outlet says and does the same things.",
    objectives=_ul("按标准完成接待七步", "使用规范用语，不说服务禁语", "按五步法处理客户投诉"),
    objectives_en=_ul(
        "Follow the seven-step reception routine",
        "Use the standard phrases and never the forbidden ones",
        "Handle a complaint in five steps",
    ),
    minutes=60,
    lessons=(
        Lesson(
            slug="reception-routine",
            title="仪容仪表与接待七步",
            title_en="Appearance and the seven-step reception",
            minutes=20,
            **lesson_bodies("service-etiquette", "reception-routine"),
        ),
        Lesson(
            slug="standard-phrases",
            title="规范用语与服务禁语",
            title_en="Standard phrases and phrases we never use",
            minutes=20,
            **lesson_bodies("service-etiquette", "standard-phrases"),
        ),
        Lesson(
            slug="complaint-handling",
            title="投诉处理五步法",
            title_en="Handling a complaint in five steps",
            minutes=20,
            **lesson_bodies("service-etiquette", "complaint-handling"),
        ),
    ),
)


COUNTER_WARRANTY = Course(
    slug="counter-warranty-policy",
    title="柜台三包政策",
    title_en="The three guarantees at the counter",
    summary="国家三包规定中的退货、换货和修理期限，手机附件与笔记本电脑主要部件的三包期，不属于三包的情形，以及如何向客户说明费用。",
    summary_en="The refund, exchange and repair periods of China's three-guarantees rules, the periods for phone accessories and laptop main parts, when the rules do not apply, and how to explain fees to the customer.",
    objectives=_ul(
        "准确说明手机 7 日、15 日和一年内出现性能故障时客户的选择",
        "区分主机、附件和笔记本电脑主要部件的三包期",
        "识别不属于三包的情形，先报价、后维修",
    ),
    objectives_en=_ul(
        "State exactly what the customer may choose for a phone fault within 7 days, 15 days and a year",
        "Tell apart the periods for the device, its accessories and laptop main parts",
        "Recognise what the three guarantees do not cover; quote before repairing",
    ),
    minutes=90,
    lessons=(
        Lesson(
            slug="refund-exchange-repair",
            title="7日退、15日换、一年保修",
            title_en="Refund in 7 days, exchange in 15, repair for a year",
            minutes=30,
            **lesson_bodies("counter-warranty-policy", "refund-exchange-repair"),
        ),
        Lesson(
            slug="laptops-and-accessories",
            title="笔记本电脑与附件的三包",
            title_en="Laptops and accessories",
            minutes=25,
            **lesson_bodies("counter-warranty-policy", "laptops-and-accessories"),
        ),
        Lesson(
            slug="exclusions-and-fees",
            title="不属于三包的情形与收费说明",
            title_en="When the three guarantees do not apply, and explaining fees",
            minutes=35,
            **lesson_bodies("counter-warranty-policy", "exclusions-and-fees"),
        ),
    ),
)


INTAKE_DIAGNOSIS = Course(
    slug="intake-and-diagnosis",
    title="接机与故障诊断",
    title_en="Device intake and fault diagnosis",
    summary="从接机检查和登记，到故障复现与初步诊断，再到完工质检和交机：一台设备在网点的完整流程，以及每一步要保护的客户数据与权益。",
    summary_en="From intake inspection and the repair order, through reproducing and diagnosing the fault, to the final check and handing the device back: a device's whole way through the outlet, and the customer's data and rights to protect at each step.",
    objectives=_ul(
        "当着客户完成外观和进水标签检查并留存照片",
        "复现故障，区分性能故障、软件问题和人为损坏",
        "完工质检后规范交机并回访",
    ),
    objectives_en=_ul(
        "Inspect the device and its liquid indicators in front of the customer, with photos",
        "Reproduce the fault and tell performance faults, software problems and damage apart",
        "Check the repair, hand the device back properly and follow up",
    ),
    minutes=90,
    lessons=(
        Lesson(
            slug="intake-inspection",
            title="接机检查与登记",
            title_en="Intake inspection and the repair order",
            minutes=30,
            **lesson_bodies("intake-and-diagnosis", "intake-inspection"),
        ),
        Lesson(
            slug="fault-diagnosis",
            title="故障复现与初步诊断",
            title_en="Reproducing and diagnosing the fault",
            minutes=30,
            **lesson_bodies("intake-and-diagnosis", "fault-diagnosis"),
        ),
        Lesson(
            slug="final-check-and-handover",
            title="完工质检与交机",
            title_en="Final check and handing the device back",
            minutes=30,
            **lesson_bodies("intake-and-diagnosis", "final-check-and-handover"),
        ),
    ),
)


ESD_DISASSEMBLY = Course(
    slug="esd-safe-disassembly",
    title="防静电拆机规范",
    title_en="ESD-safe disassembly",
    summary="静电如何在看不见的情况下损坏器件，防静电工位的组成与每日检查，以及手机和笔记本电脑的标准拆机流程。实操考核按本课程的步骤逐项评分。",
    summary_en="How static electricity damages components without anyone noticing, what an ESD workstation is made of and how it is checked every day, and the standard disassembly of phones and laptops. The practical assessment scores these steps one by one.",
    objectives=_ul(
        "说明静电潜在损伤与返修率的关系",
        "每班开工前完成防静电工位日检并记录",
        "按标准流程拆装手机和笔记本电脑",
    ),
    objectives_en=_ul(
        "Explain how latent ESD damage drives repeat repairs",
        "Check the ESD workstation and log it before every shift",
        "Take phones and laptops apart and back together by the standard procedure",
    ),
    minutes=120,
    lessons=(
        Lesson(
            slug="why-esd-matters",
            title="静电为什么会损坏器件",
            title_en="Why static electricity damages components",
            minutes=20,
            **lesson_bodies("esd-safe-disassembly", "why-esd-matters"),
        ),
        Lesson(
            slug="workstation-daily-check",
            title="防静电工位日检",
            title_en="The daily check of the ESD workstation",
            minutes=25,
            **lesson_bodies("esd-safe-disassembly", "workstation-daily-check"),
        ),
        Lesson(
            slug="phone-disassembly",
            title="手机标准拆机流程",
            title_en="Standard phone disassembly",
            minutes=40,
            **lesson_bodies("esd-safe-disassembly", "phone-disassembly"),
        ),
        Lesson(
            slug="laptop-disassembly",
            title="笔记本电脑拆机要点",
            title_en="Laptop disassembly essentials",
            minutes=35,
            **lesson_bodies("esd-safe-disassembly", "laptop-disassembly"),
        ),
    ),
)


BATTERY_SAFETY = Course(
    slug="battery-safety",
    title="锂电池安全与更换",
    title_en="Lithium battery safety and replacement",
    summary="识别鼓包和高风险电池，按规程安全拆卸，隔离和回收废旧电池；以及电池的三包期。",
    summary_en="Recognising swollen and high-risk batteries, removing them safely by the procedure, isolating and recycling used batteries; and the battery's warranty period.",
    objectives=_ul(
        "识别鼓包、漏液、发热等高风险电池",
        "按鼓包电池拆卸规程作业：不加热、不刺穿、不挤压",
        "正确隔离、标记和回收废旧电池",
    ),
    objectives_en=_ul(
        "Recognise swollen, leaking and hot batteries",
        "Remove a swollen battery by the procedure: no heat, no puncture, no pressure",
        "Isolate, label and recycle used batteries correctly",
    ),
    minutes=60,
    prerequisites=("esd-safe-disassembly",),
    lessons=(
        Lesson(
            slug="recognising-risky-batteries",
            title="识别鼓包与高风险电池",
            title_en="Recognising swollen and high-risk batteries",
            minutes=25,
            **lesson_bodies("battery-safety", "recognising-risky-batteries"),
        ),
        Lesson(
            slug="swollen-battery-removal",
            title="鼓包电池拆卸规程",
            title_en="Removing a swollen battery",
            minutes=35,
            **lesson_bodies("battery-safety", "swollen-battery-removal"),
        ),
    ),
)


GENUINE_PARTS = Course(
    slug="genuine-parts-policy",
    title="原厂配件政策",
    title_en="Genuine parts policy",
    summary="原厂配件、翻新件和拆机件的区别；只使用品牌渠道的原厂配件；非原厂新件须取得客户书面同意；配件追溯码与旧件返还。",
    summary_en="Genuine, refurbished and salvaged parts; only genuine parts from the brand's channel; written consent before any part that is not genuine new; traceability codes and returning old parts.",
    objectives=_ul(
        "区分原厂新件、翻新件和拆机件",
        "使用非原厂新件前取得客户书面同意",
        "扫码绑定配件追溯码，按规定处理旧件",
    ),
    objectives_en=_ul(
        "Tell genuine new, refurbished and salvaged parts apart",
        "Get the customer's written consent before fitting a part that is not genuine new",
        "Scan every part's traceability code and handle old parts by the rules",
    ),
    minutes=45,
    lessons=(
        Lesson(
            slug="kinds-of-parts",
            title="原厂配件、翻新件与拆机件",
            title_en="Genuine, refurbished and salvaged parts",
            minutes=20,
            **lesson_bodies("genuine-parts-policy", "kinds-of-parts"),
        ),
        Lesson(
            slug="consent-and-traceability",
            title="客户书面同意与配件追溯",
            title_en="Written consent and parts traceability",
            minutes=25,
            **lesson_bodies("genuine-parts-policy", "consent-and-traceability"),
        ),
    ),
)


PARTNER_COMPLIANCE = Course(
    slug="partner-outlet-compliance",
    title="授权服务商合规经营",
    title_en="Running an authorised partner outlet by the rules",
    summary="授权协议对合作网点的服务义务：授权维修范围、工单全程在系统内、按公示价格收费；以及品牌稽核、整改和暂停授权的流程。",
    summary_en="What the authorisation agreement asks of a partner outlet: the authorised repair scope, every order in the system, only published prices; and the brand's audits, corrective action and suspension.",
    objectives=_ul(
        "说明本网点的授权维修范围",
        "所有维修在系统内开单，只收公示价格",
        "配合稽核，按期完成整改",
    ),
    objectives_en=_ul(
        "Know the outlet's authorised repair scope",
        "Put every repair through the system and charge only published prices",
        "Work with audits and finish corrective actions on time",
    ),
    minutes=60,
    prerequisites=("genuine-parts-policy",),
    lessons=(
        Lesson(
            slug="authorisation-duties",
            title="授权协议中的服务义务",
            title_en="What the authorisation agreement requires",
            minutes=30,
            **lesson_bodies("partner-outlet-compliance", "authorisation-duties"),
        ),
        Lesson(
            slug="audits-and-corrective-action",
            title="稽核、整改与暂停授权",
            title_en="Audits, corrective action and suspension",
            minutes=30,
            **lesson_bodies("partner-outlet-compliance", "audits-and-corrective-action"),
        ),
    ),
)


BOARD_REPAIR = Course(
    slug="board-level-repair",
    title="主板级维修与疑难故障",
    title_en="Board-level repair and hard faults",
    summary="高级技术员的主板级维修：用可调电源电流法定位不开机故障，精密焊接与 BGA 作业的安全要求，以及返修件的根因分析。",
    summary_en="Board-level repair for senior technicians: finding no-power faults by current draw on a bench supply, the safety rules of precision soldering and BGA rework, and root-cause analysis of repeat repairs.",
    objectives=_ul(
        "用电流法定位短路和不开机故障",
        "安全完成精密焊接，保护相邻元件",
        "对返修件做根因分析，反馈培训需求",
    ),
    objectives_en=_ul(
        "Locate shorts and no-power faults by current draw",
        "Solder safely and protect neighbouring components",
        "Analyse repeat repairs to their root cause and report training needs",
    ),
    minutes=150,
    prerequisites=("battery-safety",),
    lessons=(
        Lesson(
            slug="current-draw-diagnosis",
            title="不开机故障的电流法诊断",
            title_en="Diagnosing dead devices by current draw",
            minutes=50,
            **lesson_bodies("board-level-repair", "current-draw-diagnosis"),
        ),
        Lesson(
            slug="precision-soldering",
            title="精密焊接与 BGA 作业",
            title_en="Precision soldering and BGA rework",
            minutes=50,
            **lesson_bodies("board-level-repair", "precision-soldering"),
        ),
        Lesson(
            slug="repeat-repair-analysis",
            title="返修件根因分析",
            title_en="Root-cause analysis of repeat repairs",
            minutes=50,
            **lesson_bodies("board-level-repair", "repeat-repair-analysis"),
        ),
    ),
)


PRACTICAL_ASSESSMENT = Course(
    slug="practical-assessment",
    title="实操考核评估",
    title_en="Observing practical assessments",
    summary="高级技术员担任评估员观察实操考核：评分表与一票否决的关键项，考核前、中、后的规范，以及公正与反馈的要求。",
    summary_en="Senior technicians as assessors of practical assessments: the checklist and its critical items, what to do before, during and after, and the rules of fairness and feedback.",
    objectives=_ul(
        "按评分表逐项观察，记录看到的事实",
        "准确识别关键项不合格",
        "给出具体、可执行的反馈",
    ),
    objectives_en=_ul(
        "Observe item by item against the checklist and record what you saw",
        "Recognise a failed critical item",
        "Give specific feedback the candidate can act on",
    ),
    minutes=60,
    prerequisites=("esd-safe-disassembly",),
    lessons=(
        Lesson(
            slug="checklist-and-critical-items",
            title="考核评分表与关键项",
            title_en="The checklist and its critical items",
            minutes=30,
            **lesson_bodies("practical-assessment", "checklist-and-critical-items"),
        ),
        Lesson(
            slug="fair-assessment",
            title="公正考核与反馈",
            title_en="Fair assessment and feedback",
            minutes=30,
            **lesson_bodies("practical-assessment", "fair-assessment"),
        ),
    ),
)


QUALITY_MANAGEMENT = Course(
    slug="outlet-quality-management",
    title="网点质量管理",
    title_en="Outlet quality management",
    summary="网点经理用数据管理服务质量：返修率、一次修复率和客户满意度的定义与目标，每日晨会和工单抽检，以及迎接品牌稽核。",
    summary_en="Outlet managers run service quality on data: what repeat repair rate, first-time fix rate and customer satisfaction mean and their targets, daily huddles and order sampling, and being ready for the brand's audits.",
    objectives=_ul(
        "按定义计算并解读网点的质量指标",
        "通过晨会和工单抽检形成整改闭环",
        "按稽核清单做好日常准备",
    ),
    objectives_en=_ul(
        "Calculate and read the outlet's quality indicators",
        "Close the loop through daily huddles and order sampling",
        "Keep the outlet audit-ready every day",
    ),
    minutes=90,
    prerequisites=("counter-warranty-policy",),
    lessons=(
        Lesson(
            slug="quality-indicators",
            title="质量指标：返修率、一次修复率与满意度",
            title_en="Quality indicators: repeat repairs, first-time fixes, satisfaction",
            minutes=30,
            **lesson_bodies("outlet-quality-management", "quality-indicators"),
        ),
        Lesson(
            slug="huddles-and-spot-checks",
            title="晨会、工单抽检与整改闭环",
            title_en="Daily huddles, order sampling and closing the loop",
            minutes=30,
            **lesson_bodies("outlet-quality-management", "huddles-and-spot-checks"),
        ),
        Lesson(
            slug="audit-readiness",
            title="迎接品牌稽核",
            title_en="Being ready for a brand audit",
            minutes=30,
            **lesson_bodies("outlet-quality-management", "audit-readiness"),
        ),
    ),
)


TEAM_CERTIFICATION = Course(
    slug="team-certification",
    title="团队培训与上岗证管理",
    title_en="Training and certifying your team",
    summary="网点经理对本网点每个人的培训与认证负责：新员工入职培训期限、独立上岗的条件、上岗证到期复训与实操考核的安排。",
    summary_en="Outlet managers answer for the training and certification of everyone at their outlet: onboarding deadlines, when someone may serve alone, and planning refreshers and assessments before certificates expire.",
    objectives=_ul(
        "确保新员工在期限内完成入职培训",
        "未取得上岗证的人员不安排独立上岗",
        "提前安排证书到期人员的复训和考核",
    ),
    objectives_en=_ul(
        "Get new starters through onboarding by the deadline",
        "Never roster anyone alone before they are certified",
        "Plan refreshers and assessments before certificates expire",
    ),
    minutes=45,
    lessons=(
        Lesson(
            slug="onboarding-and-serving-alone",
            title="入职培训期限与独立上岗",
            title_en="Onboarding deadlines and serving alone",
            minutes=20,
            **lesson_bodies("team-certification", "onboarding-and-serving-alone"),
        ),
        Lesson(
            slug="certificate-renewal",
            title="证书到期与复训安排",
            title_en="Certificate expiry and refresher planning",
            minutes=25,
            **lesson_bodies("team-certification", "certificate-renewal"),
        ),
    ),
)


# In the order they are created: a course's prerequisites come before it.
COURSES = (
    SERVICE_ETIQUETTE,
    COUNTER_WARRANTY,
    INTAKE_DIAGNOSIS,
    ESD_DISASSEMBLY,
    BATTERY_SAFETY,
    GENUINE_PARTS,
    PARTNER_COMPLIANCE,
    BOARD_REPAIR,
    PRACTICAL_ASSESSMENT,
    QUALITY_MANAGEMENT,
    TEAM_CERTIFICATION,
)

TRACKS = (
    Track(
        slug="front-desk-onboarding",
        title="前台接待入职培训",
        title_en="Front desk onboarding",
        summary="新入职的前台接待在两周内完成：服务礼仪与规范用语、柜台三包政策、接机与故障诊断。完成后取得前台接待上岗证，方可独立接待客户。",
        summary_en="New front desk staff finish it within two weeks: service etiquette and language, the three guarantees at the counter, device intake and diagnosis. It leads to the front desk certificate, needed to serve customers alone.",
        targets=((Role.FRONT_DESK, ""),),
        courses=("service-etiquette", "counter-warranty-policy", "intake-and-diagnosis"),
        onboarding_days=14,
        certificate_name="前台接待上岗证",
        certificate_name_en="Front Desk Service Certificate",
        validity_months=24,
    ),
    Track(
        slug="technician-onboarding",
        title="维修技术员入职培训",
        title_en="Repair technician onboarding",
        summary="所有网点的新维修技术员在 30 天内完成：接机与诊断、防静电拆机、锂电池安全和原厂配件政策，并通过防静电拆机实操考核。",
        summary_en="New repair technicians at every outlet finish it within 30 days: intake and diagnosis, ESD-safe disassembly, lithium battery safety and the genuine parts policy, with a practical assessment of ESD-safe disassembly.",
        targets=((Role.TECHNICIAN, ""),),
        courses=(
            "intake-and-diagnosis",
            "esd-safe-disassembly",
            "battery-safety",
            "genuine-parts-policy",
        ),
        onboarding_days=30,
        certificate_name="维修技术员上岗证",
        certificate_name_en="Repair Technician Certificate",
        validity_months=24,
    ),
    Track(
        slug="partner-technician-certification",
        title="合作网点技术员认证",
        title_en="Partner outlet technician certification",
        summary="授权服务商网点的技术员在入职培训之外还须取得的认证：配件政策、授权服务商合规经营，以及合作网点技术员兼顾接机所需的柜台三包政策。每年复训。",
        summary_en="The certification technicians at authorised partner outlets need on top of onboarding: the parts policy, running a partner outlet by the rules, and the counter's three-guarantees rules, since partner technicians often take devices in too. Renewed every year.",
        targets=((Role.TECHNICIAN, Ownership.PARTNER),),
        courses=("genuine-parts-policy", "partner-outlet-compliance", "counter-warranty-policy"),
        onboarding_days=45,
        certificate_name="授权服务商维修技术员认证",
        certificate_name_en="Authorised Partner Technician Certification",
        validity_months=12,
    ),
    Track(
        slug="senior-technician-certification",
        title="高级技术员认证",
        title_en="Senior technician certification",
        summary="高级技术员负责复杂维修并担任实操考核评估员：防静电与电池安全复训、主板级维修、实操考核评估。",
        summary_en="Senior technicians take on complex repairs and observe practical assessments: an ESD and battery safety refresher, board-level repair, and observing assessments.",
        targets=((Role.SENIOR_TECHNICIAN, ""),),
        courses=(
            "esd-safe-disassembly",
            "battery-safety",
            "board-level-repair",
            "practical-assessment",
        ),
        onboarding_days=45,
        certificate_name="高级技术员认证证书",
        certificate_name_en="Senior Technician Certification",
        validity_months=24,
    ),
    Track(
        slug="outlet-manager-training",
        title="网点经理培训",
        title_en="Outlet manager training",
        summary="网点经理对网点的服务质量和人员认证负责：三包与配件政策、网点质量管理、团队培训与上岗证管理。",
        summary_en="Outlet managers answer for their outlet's service quality and its people's certification: the three-guarantees and parts policies, outlet quality management, and training and certifying the team.",
        targets=((Role.OUTLET_MANAGER, ""),),
        courses=(
            "counter-warranty-policy",
            "genuine-parts-policy",
            "outlet-quality-management",
            "team-certification",
        ),
        onboarding_days=30,
        certificate_name="网点经理任职资格证书",
        certificate_name_en="Outlet Manager Certificate",
        validity_months=24,
    ),
    # Assigned by the quality department's corrective training rules only (no role targets it):
    # to the counter staff of an outlet whose customers say the warranty terms were not explained.
    Track(
        slug="warranty-refresher",
        title="三包与配件政策复训",
        title_en="Three guarantees and parts refresher",
        summary="客户反馈或现场稽核显示三包条款未向客户说明、配件未如实告知时，由质量监督部门指派给该网点的前台和技术员：重新学习柜台三包政策和原厂配件政策，并通过考试。",
        summary_en="Assigned by the quality department to an outlet's front desk and technicians when customers or a field audit show the warranty terms are not explained or parts are not disclosed: the counter warranty and genuine parts policies again, and their exam.",
        targets=(),
        courses=("counter-warranty-policy", "genuine-parts-policy"),
        onboarding_days=14,
        certificate_name="三包与配件政策复训合格证",
        certificate_name_en="Three Guarantees and Parts Refresher Certificate",
        validity_months=12,
    ),
)

# Question texts are kept one string to a line, as a trainer would write them; wrapping Chinese
# sentences to the line length would split them mid-phrase.
# ruff: noqa: E501
"""
The demo question bank, exams and practical checklists, and the demo people's first attempts.

One question category per demo course under a common root, every question in Chinese and
English with its explanation; a course exam per course, a certification exam and a practical
checklist per track. The demo technician failed and then passed the exam of the course whose
lessons they finished and was assessed on the ESD-safe disassembly checklist; the demo front desk
passed the exam of their first course. The attempts go through the same services as a learner's.

`seed_assessments()` creates only what is missing, looking categories up by name and parent,
questions by their source reference, exams by title and checklists by title and track, so a
second run writes nothing. What someone has since edited is left as it is.
"""

import dataclasses
import datetime
from decimal import Decimal

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
from assessments.services.practicals import criterion_record, practical_complete, practical_start
from assessments.services.questions import question_version_current
from courses.models import CoursePage, HomePage, TrackPage
from network.models import Role, Staff

from . import demo_content as content
from .demo_courses import AUTHOR_USERNAME
from .demo_network import DemoDataRefused

# The bank ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Item:
    """A question of the demo bank; `ref` is its source reference, the key a re-run finds."""

    ref: str
    kind: str
    difficulty: int
    text: str
    text_en: str
    explanation: str
    explanation_en: str
    # (text, English text, correct); for ordering, in the right order
    options: tuple[tuple[str, str, bool], ...] = ()
    answer: bool | None = None
    numeric: str | None = None
    tolerance: str = "0"
    proportional: bool = False


def R(text: str, text_en: str) -> tuple[str, str, bool]:
    """A right option."""
    return (text, text_en, True)


def W(text: str, text_en: str) -> tuple[str, str, bool]:
    """A wrong option."""
    return (text, text_en, False)


def _single(ref, difficulty, text, text_en, *options, why, why_en) -> Item:
    return Item(ref, Question.Kind.SINGLE, difficulty, text, text_en, why, why_en, options)


def _multiple(ref, difficulty, text, text_en, *options, why, why_en, proportional=False) -> Item:
    return Item(
        ref,
        Question.Kind.MULTIPLE,
        difficulty,
        text,
        text_en,
        why,
        why_en,
        options,
        proportional=proportional,
    )


def _ordering(ref, difficulty, text, text_en, *steps, why, why_en, proportional=False) -> Item:
    """`steps` are (text, English text) pairs in the right order."""
    return Item(
        ref,
        Question.Kind.ORDERING,
        difficulty,
        text,
        text_en,
        why,
        why_en,
        tuple((zh, en, True) for zh, en in steps),
        proportional=proportional,
    )


def _true_false(ref, difficulty, text, text_en, answer, *, why, why_en) -> Item:
    return Item(
        ref, Question.Kind.TRUE_FALSE, difficulty, text, text_en, why, why_en, answer=answer
    )


def _numeric(ref, difficulty, text, text_en, answer, *, tolerance="0", why, why_en) -> Item:
    return Item(
        ref,
        Question.Kind.NUMERIC,
        difficulty,
        text,
        text_en,
        why,
        why_en,
        numeric=answer,
        tolerance=tolerance,
    )


SERVICE_ETIQUETTE_BANK = (
    _single(
        "demo-se-01",
        1,
        "客户进门后，前台接待应在多长时间内与客户目光接触并问候？",
        "How soon after a customer comes in does the front desk make eye contact and greet them?",
        W("处理完手头的客户之后", "Once the customer at the counter has been served"),
        R("3 秒内", "Within 3 seconds"),
        W("30 秒内", "Within 30 seconds"),
        W("等客户走到柜台开口之后", "When the customer reaches the counter and speaks"),
        why="《品牌售后服务规范》要求客户进门 3 秒内目光接触并问候；有客户在等候时，先向他致意再继续当前的服务。",
        why_en="The service standard asks for eye contact and a greeting within 3 seconds; a waiting customer is acknowledged before you carry on with the current one.",
    ),
    _ordering(
        "demo-se-02",
        2,
        "请把标准接待七步按正确顺序排列。",
        "Put the seven steps of the standard reception in order.",
        ("迎：问候客户", "Welcome: greet the customer"),
        ("问：了解故障发生的时间和情况", "Ask: when and how the fault happens"),
        ("查：查询保修状态，核对购机凭证", "Check: warranty status and proof of purchase"),
        (
            "登：当面检查外观、拍照并填写维修单",
            "Record: inspect, photograph, fill in the repair order",
        ),
        ("释：说明三包、费用和预计完成时间", "Explain: three guarantees, fees and ready time"),
        ("收：开具取机凭证", "Receipt: issue the collection slip"),
        ("送：感谢客户并道别", "See off: thank the customer and say goodbye"),
        why="迎、问、查、登、释、收、送。先查保修状态再登记和说明费用，客户才能在签字前知道是否属于三包。",
        why_en="Welcome, ask, check, record, explain, receipt, see off. Checking the warranty before recording and explaining fees lets the customer know whether the three guarantees apply before signing.",
        proportional=True,
    ),
    _multiple(
        "demo-se-03",
        2,
        "以下哪些说法属于服务禁语？",
        "Which of these are phrases we never use?",
        R("“这不归我管。”", "“That's not my job.”"),
        W("“我确认一下，马上答复您。”", "“Let me check and come back to you right away.”"),
        R("“肯定是你自己摔的。”", "“You must have dropped it.”"),
        R("“规定就是这样。”", "“Those are the rules.”"),
        W("“请您稍等，我马上为您查询。”", "“One moment please, I will look it up right away.”"),
        why="“这不归我管”“肯定是你自己摔的”“规定就是这样”都是禁语，应改说“我帮您联系负责的同事”“检测中发现了外力痕迹，我给您看一下照片”“我给您说明一下这条规定，以及您可以选择的方式”。",
        why_en="“That's not my job”, “You must have dropped it” and “Those are the rules” are forbidden; say “Let me get the colleague who handles this”, “The test found signs of impact; let me show you the photos”, “Let me explain this rule and the options you have”.",
        proportional=True,
    ),
    _single(
        "demo-se-04",
        2,
        "客户提出的要求网点做不到时，规范的回答是：",
        "When the outlet cannot do what the customer asks, the standard answer is:",
        W("“规定就是这样，我也没办法。”", "“Those are the rules, there is nothing I can do.”"),
        W("“这个您去找厂家吧。”", "“You will have to ask the manufacturer.”"),
        R(
            "“很抱歉，这一点我们做不到，我可以为您……”",
            "“I am sorry, we cannot do that, but I can…”",
        ),
        W("“不行。”", "“No.”"),
        why="说“不能”的同时给出可以做的选项，客户才不会空手离开。",
        why_en="Whenever you say no, offer what you can do, so the customer never leaves empty-handed.",
    ),
    _ordering(
        "demo-se-05",
        2,
        "请把投诉处理五步法按正确顺序排列。",
        "Put the five steps of handling a complaint in order.",
        ("倾听：让客户把话说完，记录要点", "Listen: let the customer finish and note the points"),
        ("致歉：为给客户带来的不便致歉", "Apologise for the trouble caused"),
        ("确认：复述问题和客户的诉求", "Confirm: repeat the problem and what the customer wants"),
        ("解决：在政策范围内提出方案", "Resolve: offer a solution within the policy"),
        ("跟进：登记工单，24 小时内回电", "Follow up: log it, call back within 24 hours"),
        why="倾听、致歉、确认、解决、跟进：先处理情绪，再处理问题。致歉不等于认定责任。",
        why_en="Listen, apologise, confirm, resolve, follow up: the feelings first, then the problem. An apology is not an admission of fault.",
    ),
    _numeric(
        "demo-se-06",
        2,
        "按《品牌售后服务规范》第4.2条，客户投诉应当在多少小时内响应？",
        "Under §4.2 of the brand's service standard, within how many hours must a complaint be answered?",
        "24",
        why="投诉应当在 24 小时内响应、48 小时内提出处理方案。",
        why_en="A complaint is answered within 24 hours and a solution proposed within 48 hours.",
    ),
    _true_false(
        "demo-se-07",
        2,
        "前台认为客户的三包诉求不成立时，可以当场直接驳回。",
        "When the front desk thinks a three-guarantees claim is unfounded, they may reject it on the spot.",
        False,
        why="涉及三包争议的，网点不得自行拒绝，应当登记投诉并上报区域服务经理复核。",
        why_en="An outlet may not itself reject a three-guarantees dispute; log the complaint and refer it to the regional service manager.",
    ),
    _multiple(
        "demo-se-08",
        1,
        "以下哪些符合上岗时的仪容仪表要求？",
        "Which of these meet the appearance rules on duty?",
        R(
            "穿品牌统一工装，工牌佩戴在左胸、信息朝外",
            "Brand uniform, name badge on the left of the chest, facing out",
        ),
        R("长发束起，指甲修剪整齐", "Long hair tied back, nails short"),
        W("个人手机放在柜台上，方便随时联系", "Your own phone on the counter, to stay reachable"),
        W("可以涂深色指甲油，与工装颜色协调即可", "Dark nail varnish, if it matches the uniform"),
        why="柜台上只放与服务有关的物品，个人手机不放在柜台上；指甲不涂深色指甲油。",
        why_en="Only service items go on the counter, never your own phone; no dark nail varnish.",
    ),
)

COUNTER_WARRANTY_BANK = (
    _numeric(
        "demo-cw-01",
        1,
        "手机自售出之日起多少日内出现性能故障，消费者可以选择退货、换货或者修理？",
        "Within how many days of the sale may the consumer choose a refund, an exchange or a repair for a phone's performance fault?",
        "7",
        why="《移动电话机商品修理更换退货责任规定》：7日内出现性能故障，可以选择退货、换货或者修理。",
        why_en="Under the mobile phone three-guarantees rules, within 7 days of the sale a performance fault entitles the consumer to a refund, an exchange or a repair.",
    ),
    _single(
        "demo-cw-02",
        2,
        "客户购机后第 10 天，手机出现《性能故障表》所列的性能故障，客户可以选择：",
        "On day 10 after the sale a phone shows a performance fault listed in the table. The customer may choose:",
        W("退货、换货或者修理", "A refund, an exchange or a repair"),
        R("换货或者修理", "An exchange or a repair"),
        W("只能修理", "Only a repair"),
        W("只能退货", "Only a refund"),
        why="第8日至第15日内出现性能故障，消费者可以选择换货或者修理；换货为同型号同规格的主机。",
        why_en="On days 8 to 15 the consumer may choose an exchange or a repair; the exchange is for the same model and specification.",
    ),
    _numeric(
        "demo-cw-03",
        1,
        "手机主机的三包有效期是多少个月？",
        "How many months is the warranty period of the phone itself?",
        "12",
        why="三包有效期：主机 1 年，充电器 1 年，电池 6 个月，外接有线耳机 3 个月。",
        why_en="Warranty periods: phone 1 year, charger 1 year, battery 6 months, wired headset 3 months.",
    ),
    _single(
        "demo-cw-04",
        2,
        "手机电池的三包有效期是：",
        "The warranty period of a phone battery is:",
        W("3 个月", "3 months"),
        R("6 个月", "6 months"),
        W("1 年", "1 year"),
        W("与主机相同", "The same as the phone's"),
        why="电池的三包有效期是 6 个月，比主机短；外接有线耳机是 3 个月。",
        why_en="A battery's period is 6 months, shorter than the phone's; a wired headset's is 3 months.",
    ),
    _true_false(
        "demo-cw-05",
        2,
        "三包有效期内，手机经两次修理仍不能正常使用的，凭修理记录可以免费调换同型号同规格的手机。",
        "A phone that still does not work properly after two repairs within the warranty period is exchanged free of charge for the same model and specification, on the repair record.",
        True,
        why="受理前先查维修记录：已修过两次仍不能正常使用的，直接按换机流程上报，不安排第三次维修。",
        why_en="Check the repair history first: after two repairs that did not fix it, the phone goes to the exchange process, not to a third repair.",
    ),
    _true_false(
        "demo-cw-06",
        1,
        "购机第 5 天出现性能故障时，前台应先建议客户修理，修不好再办理退换。",
        "When a performance fault appears on day 5, the front desk should suggest a repair first and a refund or exchange only if that fails.",
        False,
        why="7 日内退、换还是修由客户选择；不能替客户决定，也不能劝客户“先修一下看看”。",
        why_en="Within 7 days the customer chooses refund, exchange or repair; never choose for them or talk them into “trying a repair first”.",
    ),
    _multiple(
        "demo-cw-07",
        2,
        "以下哪些情形不实行三包，可以收费修理？",
        "In which of these cases do the three guarantees not apply, so that a paid repair may be offered?",
        R("超过三包有效期", "The warranty period has ended"),
        R(
            "未按说明书要求使用、维护造成损坏",
            "Damage from use or maintenance contrary to the manual",
        ),
        W("购机第 3 天屏幕无显示", "No display on day 3 after the sale"),
        R(
            "非承担三包的修理者拆动造成损坏",
            "Damage from a repairer not responsible for the three guarantees opening it",
        ),
        W(
            "客户丢失发票，但电子订单能证明在三包期内",
            "The invoice is lost but the online order proves the period",
        ),
        R(
            "三包凭证与商品实物标识不符或被涂改",
            "The warranty card does not match the product or was altered",
        ),
        why="屏幕无显示是性能故障表所列的故障；丢失发票但能证明在三包期内的，仍应受理。其余四种情形不实行三包。",
        why_en="No display is a listed performance fault, and a lost invoice does not matter when the period can be proved. The other four cases fall outside the three guarantees.",
        proportional=True,
    ),
    _numeric(
        "demo-cw-08",
        3,
        "笔记本电脑主板等主要部件的三包有效期是多少个月？",
        "How many months is the warranty period of a laptop's main parts, such as the mainboard?",
        "24",
        why="《微型计算机商品修理更换退货责任规定》：整机三包期 1 年，主要部件（主板、CPU、内存、硬盘、显示屏、键盘、电源适配器）2 年。",
        why_en="Under the microcomputer rules, the whole machine has 1 year and the main parts (mainboard, CPU, memory, disk, display, keyboard, power adapter) 2 years.",
    ),
    _single(
        "demo-cw-09",
        3,
        "客户在第 12 天要求换货，但店内没有同型号同规格的手机，正确的做法是：",
        "A customer asks for an exchange on day 12 and there is no phone of the same model and specification in stock. The right thing to do is:",
        W(
            "请客户补差价，换一台更高配置的型号",
            "Ask the customer to pay the difference for a better model",
        ),
        W("劝客户改为修理", "Talk the customer into a repair instead"),
        R(
            "立即上报，不得要求客户补差价换其他型号",
            "Report it at once; never ask the customer to pay for another model",
        ),
        W("请客户过几天有货时再来办理", "Ask the customer to come back when stock arrives"),
        why="换货以同型号同规格为准。没有同型号同规格的机器时立即上报，由品牌协调解决。",
        why_en="An exchange is for the same model and specification. When there is none, report it at once and the brand arranges it.",
    ),
    _true_false(
        "demo-cw-10",
        2,
        "三包有效期自设备激活之日起计算。",
        "The warranty period runs from the day the device was activated.",
        False,
        why="三包有效期自开具发票之日起计算；系统日期与发票不一致时以发票日期为准，并在维修单上备注。因修理占用和无零配件待修的时间不计入三包有效期。",
        why_en="The period runs from the invoice date; when the system's dates differ, the invoice date counts and is noted on the order. Time in repair or waiting for parts does not count.",
    ),
    _single(
        "demo-cw-11",
        2,
        "保外维修中发现新的故障，需要增加费用时，应该：",
        "During a paid repair another fault turns up that would cost more. You:",
        W("先修好，交机时一并向客户说明", "Fix it and explain at handover"),
        R(
            "暂停维修，重新报价并取得客户确认",
            "Stop, quote again and get the customer's confirmation",
        ),
        W("费用不超过原报价的 20% 时直接维修", "Go ahead if it adds less than 20% to the quote"),
        W("请网点经理批准后继续维修", "Carry on once the outlet manager approves"),
        why="先报价，后维修：每一笔费用都要在维修前取得客户确认。",
        why_en="Quote first, repair second: the customer confirms every charge before the work.",
    ),
)

INTAKE_DIAGNOSIS_BANK = (
    _single(
        "demo-id-01",
        1,
        "在手机拨号界面输入哪个代码可以显示 IMEI？",
        "Which code on a phone's dialler shows the IMEI?",
        W("*#21#", "*#21#"),
        R("*#06#", "*#06#"),
        W("*#07#", "*#07#"),
        W("##002#", "##002#"),
        why="拨号 *#06# 或在“设置—关于手机”中查看 IMEI；笔记本电脑看底壳铭牌或 BIOS 信息。",
        why_en="Dial *#06# or open Settings › About phone; on a laptop read the label under the base or the BIOS screen.",
    ),
    _multiple(
        "demo-id-02",
        2,
        "接机时当着客户的面检查并拍照的五个部位是哪些？",
        "Which are the five places inspected and photographed in front of the customer at intake?",
        R("屏幕", "Screen"),
        R("边框与四角", "Frame and corners"),
        W("主板", "Mainboard"),
        R("卡托槽内的进水标签", "Liquid indicator in the SIM tray slot"),
        R("充电口", "Charging port"),
        W("电池", "Battery"),
        R("后摄像头", "Rear cameras"),
        why="接机检查不拆机：屏幕、边框与四角、进水标签、充电口和后摄像头，照片存入维修单。",
        why_en="Intake does not open the device: screen, frame and corners, liquid indicator, charging port and rear cameras, with the photos in the repair order.",
        proportional=True,
    ),
    _true_false(
        "demo-id-03",
        1,
        "疑似进水的设备，应先充电开机确认故障，再交技术员处理。",
        "A device that may have got wet should be charged and switched on to confirm the fault before it goes to a technician.",
        False,
        why="疑似进水的设备不要开机、不要充电：立即关机交技术员处理，以免短路扩大损坏。",
        why_en="Never switch on or charge a device that may be wet: switch it off and pass it to a technician, so a short circuit does no more damage.",
    ),
    _single(
        "demo-id-04",
        2,
        "检测需要解锁设备时，正确的做法是：",
        "When a test needs the device unlocked, you:",
        W("请客户把锁屏密码写在维修单上", "Have the customer write the code on the repair order"),
        W("恢复出厂设置绕过锁屏", "Reset it to factory settings to get past the lock"),
        R("请客户本人当面输入密码", "Have the customer type the code in front of you"),
        W(
            "请客户告诉前台，由前台转告技术员",
            "Have the customer tell the front desk, who passes it on",
        ),
        why="不得索要或记录客户的锁屏密码（《个人信息保护法》第十条）；只做检测所需的操作，不浏览、不拷贝客户数据。",
        why_en="Never ask for or record a customer's screen-lock code (Personal Information Protection Law, Article 10); do only what the test needs and never browse or copy data.",
    ),
    _ordering(
        "demo-id-05",
        2,
        "请把初步诊断的五个步骤按正确顺序排列。",
        "Put the five steps of a first diagnosis in order.",
        ("问诊：故障何时开始、是否摔落或进水", "Ask: when it started, dropped or wet"),
        ("复现：在客户描述的条件下复现故障", "Reproduce the fault as the customer describes it"),
        (
            "软件排查：升级系统或恢复出厂设置后复测",
            "Software check: update or reset, then test again",
        ),
        ("硬件检测：运行诊断工具，必要时拆机", "Hardware test: diagnostic tool, opening if needed"),
        (
            "判定：对照性能故障表，拍照记录损坏痕迹",
            "Verdict: against the fault table, photos of any damage",
        ),
        why="排除软件问题后再拆机；判定的依据是检测记录和照片，而不是经验判断。",
        why_en="Open the device only once software is ruled out; the verdict rests on test records and photos, not on a hunch.",
    ),
    _true_false(
        "demo-id-06",
        2,
        "诊断中发现外力或进水痕迹时，应拍照记录位置和程度，作为保外判定的依据。",
        "Signs of impact or liquid found in diagnosis are photographed, where and how bad, as the grounds for an out-of-warranty verdict.",
        True,
        why="人为损坏须经技术员检测并拍照确认后才能判定；没有照片的判定，客户有理由不接受。",
        why_en="Damage is confirmed only by a technician's test and photos; a verdict without photos is one the customer may fairly reject.",
    ),
    _numeric(
        "demo-id-07",
        2,
        "网点付费更换的原厂配件，自交付之日起享受多少天保修？",
        "For how many days from handover is a genuine part fitted in a paid repair under warranty?",
        "90",
        why="《品牌售后服务规范》第6.4条：付费更换的原厂配件享受 90 天保修。交机时告诉客户，并在维修单上写明截止日期。",
        why_en="Service standard §6.4: genuine parts fitted in a paid repair carry 90 days. Tell the customer at handover and write the end date on the order.",
    ),
    _multiple(
        "demo-id-08",
        3,
        "以下哪些属于《移动电话机商品性能故障表》所列的主机性能故障？",
        "Which of these are phone performance faults listed in the table of the mobile phone rules?",
        R("屏幕无显示", "No display"),
        W("摔落造成的外壳裂损", "A casing cracked by a fall"),
        R("无法开机", "Failure to power on"),
        R("SIM 卡接触不良", "Poor SIM card contact"),
        W("所在区域网络覆盖差造成无法通话", "No calls because of poor network coverage"),
        why="外壳裂损只有因结构或材料因素造成的才属于性能故障；网络因素和人为损坏造成的故障除外。",
        why_en="A cracked casing is a performance fault only when its structure or material caused it; faults from the network or from damage are excluded.",
    ),
    _single(
        "demo-id-09",
        2,
        "维修单上的故障描述应该怎么写？",
        "How is the fault described on the repair order?",
        W("用技术术语概括，便于技术员理解", "In technical terms, for the technician"),
        R("用客户的原话", "In the customer's own words"),
        W("写前台的初步判断", "As the front desk's first judgement"),
        W("先留空，检测后再补填", "Left blank, filled in after testing"),
        why="用客户的原话，并附外观照片，请客户核对签字；事后发生争议时，这是双方都认可的记录。",
        why_en="In the customer's own words, with the photos, checked and signed by the customer: the record both sides accept if there is a dispute later.",
    ),
)

ESD_DISASSEMBLY_BANK = (
    _ordering(
        "demo-esd-01",
        2,
        "请把手机标准拆机的步骤按正确顺序排列。",
        "Put the steps of the standard phone disassembly in order.",
        (
            "核对 IMEI，确认客户已备份，拍摄拆机前照片",
            "Check the IMEI and the backup, photograph before opening",
        ),
        (
            "关机取卡托，确认电量低于 25%",
            "Switch off, remove the SIM tray, check the charge is below 25%",
        ),
        ("佩戴防静电腕带并确认接地", "Put on the ESD wrist strap and confirm it is grounded"),
        (
            "确认电池无鼓包后加热边缘软化粘胶",
            "Check the battery is not swollen, then heat the edges",
        ),
        ("用吸盘和塑料撬片分离屏幕", "Open the screen with a suction cup and plastic picks"),
        ("先断开电池排线，再断开其他排线", "Disconnect the battery first, then the other cables"),
        why="按《手机标准拆机流程》：核对、放电、接地、检查鼓包后加热、分离屏幕、先断电池。复装时最后连接电池。",
        why_en="By the standard procedure: check, discharge, ground, heat only a battery that is not swollen, open, battery first. On reassembly the battery is connected last.",
        proportional=True,
    ),
    _numeric(
        "demo-esd-02",
        2,
        "拆机前手机电量高于百分之多少时，须先放电？",
        "Above what charge percentage must a phone be discharged before it is opened?",
        "25",
        why="电量越高，电池被刺穿时起火的风险越大：电量高于 25% 时不得拆机。",
        why_en="The fuller the battery, the greater the fire risk if it is punctured: never open a phone charged above 25%.",
    ),
    _single(
        "demo-esd-03",
        2,
        "拆下的主板应该放在：",
        "A removed mainboard goes into:",
        W("粉红色防静电袋", "A pink antistatic bag"),
        R("金属化防静电屏蔽袋", "A metallised static-shielding bag"),
        W("干净的普通塑料袋", "A clean ordinary plastic bag"),
        W("泡沫包装盒", "A foam packaging box"),
        why="只有金属化屏蔽袋能屏蔽静电场；普通塑料袋和粉红色防静电袋都不能。",
        why_en="Only a metallised shielding bag shields against static fields; ordinary plastic bags and pink antistatic bags do not.",
    ),
    _true_false(
        "demo-esd-04",
        1,
        "腕带测试仪显示 LOW 时，只要把腕带戴紧一些，就可以开始拆机。",
        "When the wrist strap tester shows LOW, tightening the strap is enough to start work.",
        False,
        why="只有绿灯 PASS 才能上岗；显示 LOW 或 HIGH 时检查接地线和扣具，更换腕带后重测。",
        why_en="Start work only on the green PASS light; on LOW or HIGH check the cord and clip, change the strap and test again.",
    ),
    _single(
        "demo-esd-05",
        2,
        "静电的“潜在损伤”为什么最危险？",
        "Why is latent ESD damage the most dangerous kind?",
        W("它会当场烧毁主板", "It destroys the mainboard on the spot"),
        R(
            "器件当时测试正常，交付客户几天或几周后才失效",
            "The part tests fine and fails days or weeks after the customer has it back",
        ),
        W("它只在湿度高的季节发生", "It happens only in humid seasons"),
        W("它会让设备外壳带电", "It leaves the casing charged"),
        why="潜在损伤直接推高网点的返修率，也最难追查原因。",
        why_en="Latent damage pushes up repeat repairs and is the hardest to trace.",
    ),
    _numeric(
        "demo-esd-06",
        3,
        "人体一般要到约多少伏以上才能感觉到静电放电？（允许误差 ±500 伏）",
        "From roughly how many volts does a person feel a static discharge? (±500 V accepted)",
        "3000",
        tolerance="500",
        why="约 3000 伏以上人才有感觉，而有些芯片不到 100 伏就可能受损：感觉不到，不等于没有放电。",
        why_en="People feel a discharge only from about 3,000 V, while some chips are damaged by less than 100 V: not feeling it does not mean it did not happen.",
    ),
    _multiple(
        "demo-esd-07",
        2,
        "开工前的防静电工位日检包括哪些项目？",
        "What does the daily check of the ESD workstation before work include?",
        R("在测试仪上测试腕带，绿灯 PASS", "Testing the wrist strap: green PASS"),
        R("检查台垫接地线连接牢固", "Checking the mat's ground cord"),
        W("把个人手机放在台垫上备用", "Putting your own phone on the mat"),
        R("查看温湿度计", "Reading the hygrometer"),
        R("填写日检记录并签名", "Filling in and signing the daily log"),
        why="绝缘物（包括个人手机）与拆开的设备至少保持 30 厘米；日检记录保存不少于 12 个月。",
        why_en="Insulators, your phone included, stay at least 30 cm from an open device; daily logs are kept at least 12 months.",
        proportional=True,
    ),
    _true_false(
        "demo-esd-08",
        2,
        "防静电工位的日检记录应保存不少于 12 个月。",
        "ESD workstation daily check logs are kept for at least 12 months.",
        True,
        why="《品牌售后服务规范》第7.1条；稽核时会抽查日检记录。",
        why_en="Service standard §7.1; auditors sample the logs.",
    ),
    _single(
        "demo-esd-09",
        3,
        "更换配件后复装手机时，电池排线应该：",
        "When reassembling a phone after replacing a part, the battery cable is:",
        W("最先连接，便于开机测试每一根排线", "Connected first, to test each cable as it goes in"),
        R("最后连接", "Connected last"),
        W("与屏幕排线同时连接", "Connected together with the display cable"),
        W("顺序不限，连接牢固即可", "Connected in any order, as long as it is firm"),
        why="电池接通时插拔其他排线可能短路烧毁主板：拆机时最先断开电池，复装时最后连接电池。",
        why_en="Plugging cables with the battery connected can short the board: the battery is disconnected first and connected last.",
    ),
)

BATTERY_SAFETY_BANK = (
    _true_false(
        "demo-bat-01",
        1,
        "鼓包电池可以用加热台适当加热，软化粘胶后再取出。",
        "A swollen battery may be warmed on the heating pad to soften the adhesive before removal.",
        False,
        why="鼓包电池不得加热，屏幕或后盖也不得加热：受热可能引发热失控甚至起火。",
        why_en="Never heat a swollen battery, nor the screen or back over it: heat can set off thermal runaway and fire.",
    ),
    _multiple(
        "demo-bat-02",
        2,
        "以下哪些是电池可能鼓包的迹象？",
        "Which of these are signs that a battery may be swollen?",
        R("屏幕或后盖隆起，边缘缝隙变大", "A raised screen or back, a widening gap"),
        R("设备平放在桌面上会打转", "The device spins when laid flat"),
        W("电量显示 100%", "The charge shows 100%"),
        R("有刺激性气味或漏液", "A sharp smell or leaking"),
        W("开机后启动速度变慢", "It boots more slowly"),
        why="还包括屏幕出现压痕或彩色水波纹、电池明显发热。疑似鼓包的设备不得充电，立即交技术员放入防火隔离区。",
        why_en="Also pressure marks or rainbow ripples on the screen, and obvious heat. A device that may be swollen is never charged and goes to the fire-safe area.",
        proportional=True,
    ),
    _single(
        "demo-bat-03",
        2,
        "鼓包电池没有易拉胶条或胶条已断裂时，应该如何取出？",
        "How is a swollen battery removed when it has no stretch-release strips, or they snapped?",
        W("用金属撬棒从边缘撬出", "Pry it out from the edge with a metal bar"),
        W("加热后盖后用手掰出", "Heat the back and pull it out by hand"),
        R(
            "在边缘滴入少量异丙醇软化粘胶，用塑料卡片从侧面缓慢推出",
            "Put a few drops of isopropyl alcohol at the edge and push it out slowly from the side with a plastic card",
        ),
        W("按压电池中部使其与粘胶分离", "Press the middle of the battery to break the adhesive"),
        why="不得用金属工具撬动或刺穿电池，不得弯折、挤压电池，也不得加热。",
        why_en="Never pry or puncture a battery with metal tools, never bend or press it, never heat it.",
    ),
    _single(
        "demo-bat-04",
        1,
        "取出的鼓包电池应该：",
        "A swollen battery, once out, goes:",
        W(
            "放进旧件盒，月底随旧件返还品牌",
            "Into the old parts box, returned with them at month end",
        ),
        R(
            "立即放入防火沙箱或电池防爆箱，贴上标签和工单号",
            "Straight into the sand box or battery safety box, labelled with the order number",
        ),
        W(
            "放在工位上，等客户决定是否带走",
            "On the bench until the customer decides whether to take it",
        ),
        W("放进普通垃圾桶", "Into the ordinary bin"),
        why="废旧锂电池按危废流程单独隔离存放，交回收商并在系统中登记，不得丢进普通垃圾，也不得与其他旧件混放。",
        why_en="Used lithium batteries are stored apart under the hazardous waste process, handed to the recycler and recorded; never in ordinary rubbish or mixed with other old parts.",
    ),
    _ordering(
        "demo-bat-05",
        3,
        "请把鼓包电池拆卸规程的步骤按正确顺序排列。",
        "Put the steps of removing a swollen battery in order.",
        ("停止加热，告知客户风险并记录", "Stop heating; tell the customer the risk and record it"),
        ("移到通风的防火作业区，备好沙箱", "Move to the ventilated fire-safe area with a sand box"),
        (
            "佩戴腕带和护目镜，用塑料工具分离屏幕或后盖",
            "Wrist strap and glasses on; open with plastic tools",
        ),
        ("先断开电池排线，再缓慢取出电池", "Disconnect the battery, then remove it slowly"),
        (
            "电池放入沙箱，贴标签和工单号",
            "Battery into the sand box, labelled with the order number",
        ),
        ("按危废流程交回收商并登记", "Hand it to the recycler under the hazardous waste process"),
        why="先消除热源、准备好隔离条件，再开机身；电池离开设备后立即隔离。",
        why_en="Remove the heat and prepare the isolation before opening; isolate the battery as soon as it is out.",
    ),
    _numeric(
        "demo-bat-06",
        2,
        "装新电池复装后，应充电测试多少分钟，确认温度和电量显示正常再交机？",
        "For how many minutes is a phone charged after a new battery is fitted, to check temperature and the charge reading before handover?",
        "30",
        why="装新电池前检查外观和型号标签；复装后充电测试 30 分钟。",
        why_en="Check the new battery's appearance and label before fitting; charge for 30 minutes after reassembly.",
    ),
    _single(
        "demo-bat-07",
        2,
        "拆卸中电池开始冒烟、发烫，你应该：",
        "During removal the battery starts to smoke and get hot. You:",
        W("戴上手套把它拿到室外", "Put on gloves and carry it outside"),
        R(
            "用工具把它放入沙箱并盖严，人员后退，通知网点经理",
            "Move it into the sand box with a tool and close it, step back and call the outlet manager",
        ),
        W("尽快断开排线，继续拆卸", "Disconnect it quickly and carry on"),
        W("用塑料卡片按住电池防止变形", "Hold it down with a plastic card so it does not deform"),
        why="不要用手拿冒烟或发烫的电池；灭火器材放在伸手可及处。",
        why_en="Never pick up a smoking or hot battery by hand; keep the extinguisher within reach.",
    ),
)

GENUINE_PARTS_BANK = (
    _single(
        "demo-gp-01",
        2,
        "保内维修可以使用哪类配件？",
        "Which parts may be fitted in a warranty repair?",
        W("客户书面同意后可以使用翻新件", "Refurbished parts, with the customer's written consent"),
        R("只能使用原厂新件", "Only genuine new parts"),
        W("检测合格的拆机件", "Salvaged parts that passed a test"),
        W("与原厂件规格相同的任何新件", "Any new part of the same specification"),
        why="《授权服务商配件管理办法》第3.2条：保内维修不得使用翻新件或拆机件，即使客户同意。",
        why_en="Parts rules §3.2: refurbished and salvaged parts are never used in warranty repairs, even with consent.",
    ),
    _true_false(
        "demo-gp-02",
        1,
        "保外维修使用翻新件前，口头告知客户即可。",
        "Before fitting a refurbished part in a paid repair, telling the customer is enough.",
        False,
        why="须事先书面说明配件类型、价格和保修期，并取得客户签字同意（《非原厂新件使用确认书》）。",
        why_en="The kind, price and warranty are explained in writing beforehand and the customer signs the consent form.",
    ),
    _numeric(
        "demo-gp-03",
        2,
        "把翻新件当原厂新件收费属于欺诈。按《消费者权益保护法》第五十五条，增加赔偿的金额是维修费用的几倍？",
        "Charging for a refurbished part as genuine new is fraud. Under Article 55 of the Consumer Rights Protection Law, the additional compensation is how many times the fee?",
        "3",
        why="增加赔偿为费用的三倍；不足五百元的，为五百元。品牌还会暂停网点的授权。",
        why_en="Three times the fee, and at least 500 yuan; the brand also suspends the outlet's authorisation.",
    ),
    _numeric(
        "demo-gp-04",
        3,
        "一次维修费 120 元的欺诈，消费者可以要求的增加赔偿是多少元？",
        "For fraud on a repair that cost 120 yuan, how many yuan of additional compensation may the consumer claim?",
        "500",
        why="三倍是 360 元，不足五百元，按五百元赔偿。",
        why_en="Three times is 360 yuan, which is below the 500-yuan minimum, so it is 500 yuan.",
    ),
    _multiple(
        "demo-gp-05",
        2,
        "使用非原厂新件前，必须书面向客户说明哪些内容？",
        "What must be explained to the customer in writing before a part that is not genuine new is fitted?",
        R("配件类型（翻新件或拆机件）", "The kind of part (refurbished or salvaged)"),
        R("价格", "The price"),
        W("网点的进货渠道和进货价", "Where the outlet bought it and at what price"),
        R("保修期", "The warranty"),
        why="说明配件类型、价格差异和保修期，客户签字后扫描上传到工单；一式两份，客户和网点各执一份。",
        why_en="Its kind, the price difference and its warranty; the signed form is scanned into the order, one copy each for the customer and the outlet.",
    ),
    _single(
        "demo-gp-06",
        2,
        "配件标签上的追溯码无法识别时，应该：",
        "When a part's traceability code cannot be read, you:",
        W("手工抄写编号后照常使用", "Copy the number by hand and fit it"),
        W("先安装，事后在系统中补登记", "Fit it and register it afterwards"),
        R("不得使用，退回库房", "Do not fit it; return it to stock"),
        W("改用旧件上的追溯码", "Use the old part's code instead"),
        why="安装前扫码绑定工单；追溯码无法识别的配件不得使用。",
        why_en="Every part is scanned into the order before fitting; a part whose code cannot be read is not fitted.",
    ),
    _true_false(
        "demo-gp-07",
        2,
        "保外维修换下的旧件归客户所有，交机时应询问客户是否带走并记录。",
        "Old parts from a paid repair belong to the customer; ask at handover whether they want them and record the answer.",
        True,
        why="保内维修换下的旧件贴旧件标签按月返还品牌；保外旧件归客户。换下的锂电池按危废流程单独处理。",
        why_en="Old parts from warranty repairs are labelled and returned to the brand monthly; from paid repairs they are the customer's. Removed lithium batteries follow the hazardous waste process.",
    ),
)

PARTNER_COMPLIANCE_BANK = (
    _single(
        "demo-pc-01",
        1,
        "客户说：“不开单，便宜点行不行？”你应该：",
        "A customer asks: “No paperwork, a cheaper price?” You:",
        W("同意，但提醒客户没有保修", "Agree, and warn that there is no warranty"),
        W("请网点经理决定", "Let the outlet manager decide"),
        R(
            "礼貌拒绝：所有维修都要在系统内开单",
            "Decline politely: every repair gets an order in the system",
        ),
        W("开单，但按低于价目表的价格收费", "Open an order but charge less than the price list"),
        why="授权服务商不得承接系统外维修（私单）。开单也是在保障客户自己的保修权益。",
        why_en="Authorised providers never take repairs outside the system. The order is also what protects the customer's warranty.",
    ),
    _multiple(
        "demo-pc-02",
        2,
        "授权协议对合作网点的“四条底线”是哪些？",
        "What are the four bottom lines the authorisation agreement sets for a partner outlet?",
        R("只做授权范围内的维修", "Only repairs within the authorised scope"),
        R("工单全程在系统内", "Every order in the system"),
        W("客户同意即可承接主板级维修", "Board-level repairs whenever the customer agrees"),
        R("只收公示价目表上的费用", "Only the fees on the published price list"),
        R(
            "只用原厂配件，非原厂新件须客户书面同意",
            "Only genuine parts; anything else with written consent",
        ),
        why="授权等级之外的维修（例如主板级维修）转送上级网点，客户同意也不能自行承接。",
        why_en="Repairs above the outlet's level, such as board-level repair, go to a higher-level outlet whatever the customer agrees to.",
    ),
    _numeric(
        "demo-pc-03",
        2,
        "稽核发现的一般不符合项，须在多少个工作日内完成整改？",
        "Within how many working days must a minor audit nonconformity be corrected?",
        "15",
        why="《授权服务商管理办法》第9.2条：一般不符合项 15 个工作日内整改；严重不符合项可以立即暂停授权。",
        why_en="Partner rules §9.2: minor nonconformities within 15 working days; a major one can suspend the authorisation at once.",
    ),
    _true_false(
        "demo-pc-04",
        2,
        "稽核发现私单属于严重不符合项，品牌可以立即暂停网点的授权。",
        "A private job found in an audit is a major nonconformity, for which the brand may suspend the outlet's authorisation at once.",
        True,
        why="严重不符合项包括私单、以次充好、未按三包规定受理。",
        why_en="Major nonconformities include private jobs, passing off inferior parts and refusing claims the three-guarantees rules cover.",
    ),
    _ordering(
        "demo-pc-05",
        2,
        "请把收到稽核问题之后的处理步骤按正确顺序排列。",
        "Put the steps after an audit finding in order.",
        ("确认问题清单，指定责任人和完成日期", "Confirm the findings, name owners and dates"),
        ("分析根因：培训、管理还是条件", "Find the root cause: training, management or means"),
        ("按计划整改，保留前后照片和记录", "Carry out the plan, keeping before and after records"),
        ("在系统中提交整改报告", "Submit the corrective action report in the system"),
        ("质量监督部门复核通过后关闭问题", "Close once quality supervision verifies it"),
        why="逾期未整改或复查仍不合格的，品牌可以暂停网点的维修授权。",
        why_en="If the action is late or fails verification again, the brand may suspend the outlet's repair authorisation.",
    ),
    _single(
        "demo-pc-06",
        2,
        "网点被暂停授权期间，网点人员的上岗证：",
        "While an outlet's authorisation is suspended, its staff's certificates are:",
        W("不受影响，可以继续独立维修", "Unaffected; they may keep repairing alone"),
        R("一并暂停，客户由附近的网点接待", "Suspended too; nearby outlets serve the customers"),
        W("只暂停网点经理的证书", "Suspended only for the outlet manager"),
        W("自动吊销，须重新参加入职培训", "Revoked; everyone repeats onboarding"),
        why="《授权服务商管理办法》第9.2条的说明：暂停授权期间，人员证书一并暂停。",
        why_en="Under the note to partner rules §9.2, staff certificates are suspended with the outlet.",
    ),
)

BOARD_REPAIR_BANK = (
    _true_false(
        "demo-br-01",
        1,
        "用可调电源给主板供电时，应先接上供电线，再设定限流。",
        "When powering a board from a bench supply, connect first and set the current limit afterwards.",
        False,
        why="必须先设定限流再通电：短路时不限流的电流会烧毁主板线路。",
        why_en="Always set the current limit before powering: an unlimited current into a short burns the board's traces.",
    ),
    _single(
        "demo-br-02",
        2,
        "接上可调电源后，还没按开机键就有电流，说明：",
        "With the bench supply connected, current flows before the power button is pressed. This means:",
        W("主板处于正常待机状态", "The board is in normal standby"),
        R("存在漏电或短路", "There is leakage or a short"),
        W("电池需要更换", "The battery needs replacing"),
        W("系统软件损坏", "The system software is corrupt"),
        why="用热成像仪或松香烟雾法找到发热的元件。",
        why_en="Find the hot component with a thermal camera or rosin smoke.",
    ),
    _true_false(
        "demo-br-03",
        2,
        "网点没有主板维修授权时，持有效高级技术员认证的人员在客户同意后可以自行拆焊芯片。",
        "At an outlet without board repair authorisation, a certified senior technician may lift chips once the customer agrees.",
        False,
        why="《品牌售后服务规范》第7.5条：主板级维修须同时具备有效的高级技术员认证和网点的主板维修授权；没有授权的网点一律转送上级网点。",
        why_en="Service standard §7.5: board-level repair needs both a valid senior technician certification and the outlet's board repair authorisation; without it, every board fault goes to a higher-level outlet.",
    ),
    _ordering(
        "demo-br-04",
        3,
        "请把 BGA 芯片拆焊的步骤按正确顺序排列。",
        "Put the steps of removing a BGA chip in order.",
        ("拆下电池和附近怕热的部件", "Remove the battery and nearby heat-sensitive parts"),
        ("保护相邻元件，预热主板", "Shield neighbouring parts and preheat the board"),
        ("涂助焊剂，均匀加热后取下芯片", "Apply flux, heat evenly and lift the chip"),
        (
            "清理焊盘，植锡后在显微镜下检查",
            "Clean the pads, reball and inspect under the microscope",
        ),
        (
            "自然冷却后做电流测试和功能测试",
            "Let it cool naturally, then run current and function tests",
        ),
        why="热风不得吹向电池和塑料排线座，电池必须先拆下；焊接后不用冷风或液体急冷。",
        why_en="Hot air never points at the battery or plastic connectors, so the battery comes out first; never cool the board with cold air or liquid.",
    ),
    _numeric(
        "demo-br-05",
        2,
        "“返修”指修好的设备在多少天内因同一故障回到网点？",
        "A repeat repair is a repaired device that comes back with the same fault within how many days?",
        "90",
        why="90 日同故障返修率是技术质量最直接的指标，每一台返修设备都由高级技术员做根因分析。",
        why_en="The 90-day same-fault repeat repair rate is the most direct measure of technical quality; a senior technician analyses every one.",
    ),
    _multiple(
        "demo-br-06",
        3,
        "以下哪些是返修的常见根因？",
        "Which of these are common root causes of repeat repairs?",
        R(
            "诊断不准，只换了表现出故障的部件",
            "Wrong diagnosis: the symptom's part replaced, not the cause",
        ),
        R("未佩戴腕带造成的潜在静电损伤", "Latent ESD damage from working without a strap"),
        R("配件批次不良", "A faulty batch of parts"),
        W("客户满意度回访得分低", "A low satisfaction score in the follow-up call"),
        R("客户再次摔落或进水", "The customer dropped it or got it wet again"),
        why="满意度低是结果而不是原因。用“五个为什么”追问，每个回答都要有检测记录、照片或追溯码作证据。",
        why_en="Low satisfaction is an effect, not a cause. Ask “why” five times, each answer backed by test records, photos or traceability codes.",
        proportional=True,
    ),
    _single(
        "demo-br-07",
        2,
        "同一机型的同一颗芯片反复出现故障时，应该：",
        "When the same chip fails again and again on one model, you:",
        W("每次照常更换芯片即可", "Replace the chip each time as usual"),
        R(
            "上报品牌技术支持，这往往是设计或批次问题",
            "Report it to the brand's technical support: usually a design or batch problem",
        ),
        W("改用其他品牌的芯片", "Use another make of chip"),
        W("建议客户更换新机", "Advise the customer to buy a new phone"),
        why="每次主板维修都记录芯片位号、操作温度和测试结果，反复出现的问题才能被发现。",
        why_en="Recording the chip's designator, temperatures and results for every board repair is what makes repeated failures visible.",
    ),
)

PRACTICAL_ASSESSMENT_BANK = (
    _true_false(
        "demo-pa-01",
        1,
        "实操考核总分达到通过线时，即使有一个关键项不合格，考核也算通过。",
        "A practical assessment passes on a total above the pass line even when one critical item failed.",
        False,
        why="任何一个关键项不合格，本次考核即不通过，与总分无关。",
        why_en="A single failed critical item fails the assessment, whatever the total.",
    ),
    _multiple(
        "demo-pa-02",
        2,
        "防静电拆机考核中，以下哪些属于关键项不合格？",
        "In the ESD-safe disassembly assessment, which of these are failed critical items?",
        R(
            "开工前没有测试腕带，或作业中没有佩戴腕带",
            "No strap test before work, or no strap worn",
        ),
        R("加热疑似鼓包的电池", "Heating a battery that may be swollen"),
        W("拆机前照片少拍了一个角度", "One angle missing from the photos before opening"),
        R("没有先断开电池排线就插拔其他排线", "Unplugging other cables before the battery"),
        R(
            "复装后没有做功能测试就判定合格",
            "Passing the device without a function test after reassembly",
        ),
        why="关键项还包括用金属工具撬动屏幕或电池。照片不全是一般项，只影响得分。",
        why_en="Prying the screen or battery with metal tools is critical too. A missing photo is a general item that only costs points.",
        proportional=True,
    ),
    _single(
        "demo-pa-03",
        2,
        "考生准备加热一块疑似鼓包的电池，评估员应该：",
        "The candidate is about to heat a battery that may be swollen. The assessor:",
        W("提示考生换一种方法", "Hints that another method is better"),
        W("记录下来，继续观察", "Notes it and keeps watching"),
        R(
            "立即叫停，按关键项不合格处理",
            "Stops the assessment at once; it counts as a failed critical item",
        ),
        W("等考核结束后再指出", "Points it out after the assessment"),
        why="考核中不提示、不代做；但考生出现安全风险时立即叫停。",
        why_en="No hints and no doing it for them; but a safety risk stops the assessment at once.",
    ),
    _ordering(
        "demo-pa-04",
        2,
        "请把实操考核的流程按正确顺序排列。",
        "Put the steps of running a practical assessment in order.",
        (
            "确认考生已完成课程，核对身份，检查工位和考核用机",
            "Check the courses, identity, bench and test device",
        ),
        ("宣读考核要求和时间", "Read out the task and the time allowed"),
        ("只观察和记录，不提示、不代做", "Only watch and record; no hints, no help"),
        ("当场告知结果和改进建议", "Give the result and feedback on the spot"),
        ("当天提交评分表和证据照片", "Submit the checklist and photos the same day"),
        why="未通过的，约定补考时间；补考应当更换评估员。",
        why_en="Agree a retake date with a candidate who failed; a retake has a different assessor.",
    ),
    _true_false(
        "demo-pa-05",
        2,
        "同一考生补考时，应当更换评估员。",
        "A candidate's retake is observed by a different assessor.",
        True,
        why="《培训与认证管理办法》第4.6条；评估员也不得考核与本人有直接上下级关系或亲属关系的人员。",
        why_en="Training rules §4.6; an assessor also never assesses someone in a direct reporting line or a relative.",
    ),
    _single(
        "demo-pa-06",
        1,
        "考核结束后给考生反馈，正确的顺序是：",
        "Feedback after the assessment goes:",
        W("先逐条指出错误，再说总体结果", "Each mistake first, then the result"),
        R(
            "当场告知结果，先说做得好的地方，再逐条说明不合格项和正确做法",
            "The result on the spot, what went well first, then each failed item and the right way",
        ),
        W("只告知通过与否，细节见系统", "Pass or fail only; the details are in the system"),
        W("第二天书面通知", "In writing the next day"),
        why="反馈要具体、可执行：考生知道下次怎么做，补考才有意义。",
        why_en="Feedback is specific and actionable: the candidate knows what to do next time, so a retake makes sense.",
    ),
)

QUALITY_MANAGEMENT_BANK = (
    _numeric(
        "demo-qm-01",
        2,
        "授权服务网点的月度质量目标：90日同故障返修率不高于百分之多少？",
        "Monthly quality target of an authorised outlet: the 90-day same-fault repeat repair rate at most what percentage?",
        "2",
        why="《授权服务商管理办法》第8.1条：返修率不高于 2%，客户满意度不低于 90 分，一次修复率不低于 95%。",
        why_en="Partner rules §8.1: repeat repairs at most 2%, satisfaction at least 90, first-time fixes at least 95%.",
    ),
    _numeric(
        "demo-qm-02",
        3,
        "某网点本月完工 400 台，其中 6 台在 90 天内因同一故障再次送修。90日返修率是百分之多少？（允许误差 ±0.05）",
        "An outlet repaired 400 devices this month; 6 came back within 90 days with the same fault. What is the 90-day repeat repair rate in percent? (±0.05 accepted)",
        "1.5",
        tolerance="0.05",
        why="6 ÷ 400 = 1.5%，在 2% 的目标以内。",
        why_en="6 ÷ 400 = 1.5%, within the 2% target.",
    ),
    _single(
        "demo-qm-03",
        2,
        "一次修复率的定义是：",
        "The first-time fix rate is:",
        W("当天修好的台数 ÷ 接机台数", "Devices fixed the same day ÷ devices taken in"),
        R(
            "一次送修即修好、无需再次到店的台数 ÷ 完工台数",
            "Devices fixed on the first visit with no second trip ÷ devices repaired",
        ),
        W("保内维修台数 ÷ 完工台数", "Warranty repairs ÷ devices repaired"),
        W("未返修台数 ÷ 接机台数", "Devices not returned ÷ devices taken in"),
        why="一次修复率的目标不低于 95%。",
        why_en="The target is at least 95%.",
    ),
    _true_false(
        "demo-qm-04",
        2,
        "稽核员发现缺少某天的防静电日检记录时，网点可以当场补填。",
        "When an auditor finds a day missing from the ESD daily log, the outlet may fill it in on the spot.",
        False,
        why="对发现的问题当场确认并拍照，不争辩、不补做记录；补做记录本身就是严重问题。",
        why_en="Confirm and photograph each finding; never argue and never fill in records after the fact, which is a serious problem in itself.",
    ),
    _numeric(
        "demo-qm-05",
        1,
        "每周抽检工单时，每位技术员至少抽检多少张？",
        "In the weekly order sampling, at least how many orders per technician are checked?",
        "5",
        why="核对接机照片、报价确认、配件追溯码和质检记录。",
        why_en="Checking intake photos, quote confirmation, traceability codes and the final check.",
    ),
    _multiple(
        "demo-qm-06",
        2,
        "品牌稽核的现场检查清单包括哪些？",
        "What is on the brand audit's site checklist?",
        R(
            "三包政策和价目表在柜台显著位置公示",
            "The three-guarantees policy and price list displayed at the counter",
        ),
        R("每个维修工位有当月的防静电日检记录", "This month's ESD log at every bench"),
        R("在岗人员的上岗证都在有效期内", "A valid certificate for everyone on duty"),
        W(
            "每位员工的私人手机号码公示在柜台",
            "Every employee's private phone number at the counter",
        ),
        R("鼓包电池隔离存放，危废回收有记录", "Swollen batteries stored apart, recycling recorded"),
        why="还包括配件库存、旧件与系统记录一致。平时做到位，稽核就不需要准备。",
        why_en="Also parts stock and old parts matching the system. An outlet that works right every day needs no preparation.",
        proportional=True,
    ),
    _ordering(
        "demo-qm-07",
        2,
        "请把稽核当天网点经理的工作按正确顺序排列。",
        "Put the outlet manager's work on audit day in order.",
        (
            "陪同稽核员，如实提供工单、记录和人员名单",
            "Accompany the auditor; provide orders, records and staff lists as they are",
        ),
        ("对发现的问题当场确认并拍照", "Confirm and photograph each finding on the spot"),
        ("稽核结束后召集全员传达问题", "Brief the whole team after the audit"),
        (
            "2 个工作日内在系统中确认问题清单",
            "Confirm the findings in the system within 2 working days",
        ),
        why="之后按整改流程推进：根因分析、整改、提交报告、复核关闭。",
        why_en="Then follow the corrective action process: root cause, action, report, verification.",
    ),
)

TEAM_CERTIFICATION_BANK = (
    _true_false(
        "demo-tc-01",
        1,
        "新员工取得上岗证之前，可以在持证人员指导下工作，但不得独立接待客户或独立维修。",
        "Before certification a new starter may work under a certified colleague's guidance, but never serve customers or repair alone.",
        True,
        why="《培训与认证管理办法》第3.2条；转岗人员同样适用。",
        why_en="Training rules §3.2; the same applies after a change of role.",
    ),
    _numeric(
        "demo-tc-02",
        2,
        "网点经理每月第一周查看未来多少天内到期的证书清单？",
        "In the first week of each month, the outlet manager reads the list of certificates expiring within how many days?",
        "60",
        why="为即将到期的人员指派复训课程；需要实操考核的，提前预约评估员。",
        why_en="Assign refreshers to those people; book an assessor early for roles that need a practical assessment.",
    ),
    _single(
        "demo-tc-03",
        2,
        "员工的上岗证已过期，复训和考核还没有完成。在此期间：",
        "A certificate has expired and the refresher and assessment are not done yet. Meanwhile:",
        W("可以继续独立工作，直到复训完成", "They keep working alone until the refresher is done"),
        W("网点经理口头授权后可以独立工作", "They work alone on the outlet manager's word"),
        R(
            "不得独立上岗，尽快安排复训和考核",
            "They do not work alone; the refresher and assessment are arranged quickly",
        ),
        W("证书自动续期一个月", "The certificate renews itself for a month"),
        why="证书过期期间不得独立上岗；未通过的安排补考。",
        why_en="Nobody works alone on an expired certificate; after a fail, arrange a retake.",
    ),
    _single(
        "demo-tc-04",
        2,
        "排班时，未持证的新员工应该：",
        "On the roster, an uncertified new starter is:",
        W("安排在客户少的时段独自值班", "Alone on the quiet shifts"),
        R("与持证员工排在同一班次", "On the same shift as certified staff"),
        W("只安排夜班", "Only on late shifts"),
        W("取得证书前不排班", "Not rostered until certified"),
        why="稽核会核对排班表和证书。",
        why_en="Auditors compare rosters with certificates.",
    ),
    _numeric(
        "demo-tc-05",
        1,
        "新入职的前台接待须在多少天内完成入职培训？",
        "Within how many days must a new front desk employee finish onboarding?",
        "14",
        why="前台接待入职培训 14 天，维修技术员入职培训 30 天，从入职日或转岗日起计算。",
        why_en="Front desk onboarding takes 14 days and technician onboarding 30, counted from the start date or the change of role.",
    ),
    _true_false(
        "demo-tc-06",
        2,
        "人员离职或转岗后，等季度盘点时再在系统中更新即可。",
        "When someone leaves or changes role, the system can wait for the quarterly review.",
        False,
        why="及时在系统中更新，避免错误的培训分配，也避免合规报告失真。",
        why_en="Update the system at once, so training is not assigned wrongly and the compliance report stays true.",
    ),
)

# Course slug -> the questions of its category.
BANK = {
    content.SERVICE_ETIQUETTE.slug: SERVICE_ETIQUETTE_BANK,
    content.COUNTER_WARRANTY.slug: COUNTER_WARRANTY_BANK,
    content.INTAKE_DIAGNOSIS.slug: INTAKE_DIAGNOSIS_BANK,
    content.ESD_DISASSEMBLY.slug: ESD_DISASSEMBLY_BANK,
    content.BATTERY_SAFETY.slug: BATTERY_SAFETY_BANK,
    content.GENUINE_PARTS.slug: GENUINE_PARTS_BANK,
    content.PARTNER_COMPLIANCE.slug: PARTNER_COMPLIANCE_BANK,
    content.BOARD_REPAIR.slug: BOARD_REPAIR_BANK,
    content.PRACTICAL_ASSESSMENT.slug: PRACTICAL_ASSESSMENT_BANK,
    content.QUALITY_MANAGEMENT.slug: QUALITY_MANAGEMENT_BANK,
    content.TEAM_CERTIFICATION.slug: TEAM_CERTIFICATION_BANK,
}

BANK_ROOT = "售后服务培训题库"
BANK_ROOT_EN = "After-sales service training bank"
BANK_ROOT_DESCRIPTION = "演示题库：每门课程一个分类，课程考试和认证考试从中抽题。"


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
        _questions_write(categories, author=author, result=result)
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


def _questions_write(categories, *, author, result: AssessmentsSeedResult) -> None:
    refs = [item.ref for items in BANK.values() for item in items]
    known = set(Question.objects.filter(source_ref__in=refs).values_list("source_ref", flat=True))
    for slug, items in BANK.items():
        for item in items:
            result.questions += 1
            if item.ref in known:
                continue
            _question_create(item, category=categories[slug], author=author)
            result.questions_created += 1


def _question_create(item: Item, *, category: QuestionCategory, author) -> Question:
    question = Question(
        category=category,
        kind=item.kind,
        difficulty=item.difficulty,
        text=item.text,
        text_en=item.text_en,
        explanation=item.explanation,
        explanation_en=item.explanation_en,
        partial_credit=(
            Question.PartialCredit.PROPORTIONAL
            if item.proportional
            else Question.PartialCredit.ALL_OR_NOTHING
        ),
        true_false_answer=item.answer,
        numeric_answer=Decimal(item.numeric) if item.numeric is not None else None,
        numeric_tolerance=Decimal(item.tolerance),
        source_ref=item.ref,
    )
    question.options = [
        QuestionOption(text=text, text_en=text_en, is_correct=correct, sort_order=n)
        for n, (text, text_en, correct) in enumerate(item.options)
    ]
    question.save()
    # The first version is made from the stored row, as an attempt's draw reads it, so that the
    # draw finds it current (7 and 7.0000 would hash differently).
    stored = Question.objects.prefetch_related("options").get(pk=question.pk)
    question_version_current(question=stored, actor=author)
    return stored


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

# Lesson prose is kept one paragraph to a string, as a trainer would write it; wrapping Chinese
# sentences to the line length would split them mid-phrase.
# ruff: noqa: E501
"""
The demo catalog's words: five tracks, eleven courses and their lessons, in Chinese and English.

Policy clauses quote the state rules the counter applies (the three-guarantees regulations for
mobile phones and for microcomputers, the Consumer Rights Protection Law, the Price Law, the
Personal Information Protection Law) with the date each took effect. Clauses citing the brand's
own standards (品牌售后服务规范, 授权服务商管理办法, ...) stand for the brand's internal rules.
"""

import dataclasses
import datetime

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
            body=(
                Text(
                    "<h3>仪容仪表</h3>"
                    + _ul(
                        "上岗穿着品牌统一工装，工牌佩戴在左胸，信息朝外。",
                        "头发整洁，长发束起；指甲修剪整齐，不涂深色指甲油；男员工不留胡须。",
                        "柜台上只放与服务有关的物品，个人手机不放在柜台上。",
                    )
                    + "<h3>接待原则</h3><p>客户进门 3 秒内目光接触并问候。有客户在等候时，先向他致意再继续当前的服务，不让任何一位客户被忽视。递接设备和单据时用双手，文字朝向客户。</p>"
                ),
                Procedure(
                    "标准接待七步",
                    (
                        Step(
                            "<p><b>迎</b>：起身或目光接触，问候：“您好，欢迎光临，请问有什么可以帮您？”</p>"
                        ),
                        Step(
                            "<p><b>问</b>：请客户描述问题：什么时候开始、在什么情况下出现、是否摔过或进过水。</p>"
                        ),
                        Step("<p><b>查</b>：查询设备 IMEI 或序列号的保修状态，核对购机凭证。</p>"),
                        Step(
                            "<p><b>登</b>：当着客户的面检查外观并拍照，填写维修单，请客户核对后签字。</p>"
                        ),
                        Step(
                            "<p><b>释</b>：说明是否属于三包、可能的费用和预计完成时间；费用以检测后的报价单为准。</p>"
                        ),
                        Step("<p><b>收</b>：开具取机凭证，提醒客户保管好凭证并留意取机短信。</p>"),
                        Step(
                            "<p><b>送</b>：感谢客户并道别：“感谢您的耐心，维修完成后我们会第一时间通知您。”</p>"
                        ),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<h3>Appearance</h3>"
                    + _ul(
                        "Wear the brand uniform on duty, with your name badge on the left of your chest, facing out.",
                        "Keep hair tidy and long hair tied back; nails short and without dark varnish; men clean-shaven.",
                        "Keep only service items on the counter; your own phone stays off it.",
                    )
                    + "<h3>Principles</h3><p>Make eye contact and greet every customer within 3 seconds of their coming in. When someone is waiting, acknowledge them before you carry on, so nobody feels ignored. Hand devices and papers over with both hands, the writing facing the customer.</p>"
                ),
                Procedure(
                    "The seven-step reception",
                    (
                        Step(
                            "<p><b>Welcome</b>: stand up or make eye contact and greet: “Hello, welcome. How can I help you?”</p>"
                        ),
                        Step(
                            "<p><b>Ask</b>: have the customer describe the problem: when it started, when it happens, whether the device was dropped or got wet.</p>"
                        ),
                        Step(
                            "<p><b>Check</b>: look up the warranty status of the IMEI or serial number and check the proof of purchase.</p>"
                        ),
                        Step(
                            "<p><b>Record</b>: inspect and photograph the device in front of the customer, fill in the repair order and have the customer check and sign it.</p>"
                        ),
                        Step(
                            "<p><b>Explain</b>: say whether the three guarantees apply, what it may cost and when it will be ready; the fee is the one on the quote after testing.</p>"
                        ),
                        Step(
                            "<p><b>Receipt</b>: issue the collection slip and ask the customer to keep it and watch for the collection text message.</p>"
                        ),
                        Step(
                            "<p><b>See off</b>: thank the customer and say goodbye: “Thank you for your patience. We will let you know as soon as it is ready.”</p>"
                        ),
                    ),
                ),
            ),
        ),
        Lesson(
            slug="standard-phrases",
            title="规范用语与服务禁语",
            title_en="Standard phrases and phrases we never use",
            minutes=20,
            body=(
                Text(
                    "<h3>规范用语</h3>"
                    + _ul(
                        "问候：“您好，欢迎光临，请问有什么可以帮您？”",
                        "请客户等候：“请您稍等，我马上为您查询。”等候超过 5 分钟要再次致意。",
                        "说明政策：“根据国家三包规定和品牌政策，您的情况可以……”",
                        "无法满足要求：“很抱歉，这一点我们做不到，我可以为您……”——说“不能”的同时给出可以做的选项。",
                        "道别：“感谢您的光临，请慢走。”",
                    )
                ),
                Text(
                    "<h3>服务禁语与替代说法</h3>"
                    + _ul(
                        "“这不归我管。”→“我帮您联系负责的同事。”",
                        "“肯定是你自己摔的。”→“检测中发现了外力痕迹，我给您看一下照片。”",
                        "“不知道。”→“我确认一下，马上答复您。”",
                        "“规定就是这样。”→“我给您说明一下这条规定，以及您可以选择的方式。”",
                        "“你听不懂吗？”→“可能我没有讲清楚，我换个方式再说明一次。”",
                    )
                    + "<p>对老年客户放慢语速、多做示范；对情绪激动的客户，先处理情绪，再处理问题。电话回访同样使用规范用语，开头说明网点名称和本人工号。</p>"
                ),
            ),
            body_en=(
                Text(
                    "<h3>Standard phrases</h3>"
                    + _ul(
                        "Greeting: “Hello, welcome. How can I help you?”",
                        "Asking to wait: “One moment please, I will look it up right away.” Acknowledge the customer again after 5 minutes of waiting.",
                        "Explaining a rule: “Under the national three-guarantees rules and the brand's policy, in your case we can…”",
                        "Declining a request: “I am sorry, we cannot do that, but I can…” Whenever you say no, offer what you can do.",
                        "Goodbye: “Thank you for coming. Take care.”",
                    )
                ),
                Text(
                    "<h3>Phrases we never use, and what to say instead</h3>"
                    + _ul(
                        "“That's not my job.” → “Let me get the colleague who handles this.”",
                        "“You must have dropped it.” → “The test found signs of impact; let me show you the photos.”",
                        "“I don't know.” → “Let me check and come back to you right away.”",
                        "“Those are the rules.” → “Let me explain this rule and the options you have.”",
                        "“Don't you understand?” → “I may not have explained it well; let me put it another way.”",
                    )
                    + "<p>Speak more slowly and show rather than tell with older customers; with an upset customer, deal with the feelings first and the problem second. Follow-up calls use the same phrases and start with the outlet's name and your employee number.</p>"
                ),
            ),
        ),
        Lesson(
            slug="complaint-handling",
            title="投诉处理五步法",
            title_en="Handling a complaint in five steps",
            minutes=20,
            body=(
                Text(
                    "<p>投诉是客户给我们的第二次机会。处理得当，投诉的客户往往会成为更信任品牌的客户；处理不当，一次投诉就会变成网上的差评和监管部门的投诉。</p>"
                ),
                Procedure(
                    "投诉处理五步法",
                    (
                        Step(
                            "<p><b>倾听</b>：让客户把话说完，不打断、不辩解，记录要点。</p>",
                            warning="客户情绪失控或出现推搡时，先保证人员安全，请网点经理到场，必要时报警。",
                        ),
                        Step(
                            "<p><b>致歉</b>：为给客户带来的不便致歉：“给您添麻烦了，非常抱歉。”致歉不等于认定责任。</p>"
                        ),
                        Step("<p><b>确认</b>：复述问题和客户的诉求，确认双方理解一致。</p>"),
                        Step(
                            "<p><b>解决</b>：在政策范围内提出方案；超出本人权限的补偿（例如赠送配件、减免费用），经网点经理批准后再向客户承诺。</p>"
                        ),
                        Step(
                            "<p><b>跟进</b>：在系统中登记投诉工单，24 小时内回电告知进展，结案后回访满意度。</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>客户投诉应当在 <b>24小时</b> 内响应、<b>48小时</b> 内提出处理方案；涉及三包争议的，网点不得自行拒绝，应当上报区域服务经理复核。</p>",
                    f"{SERVICE_STANDARD}第4.2条",
                    SERVICE_STANDARD_DATE,
                    "柜台人员无权直接驳回三包诉求：拿不准时登记投诉并上报，不要让客户空手离开。",
                ),
            ),
            body_en=(
                Text(
                    "<p>A complaint is a second chance the customer gives us. Handled well, a complaining customer often ends up trusting the brand more; handled badly, one complaint becomes a bad online review and a complaint to the regulator.</p>"
                ),
                Procedure(
                    "Handling a complaint in five steps",
                    (
                        Step(
                            "<p><b>Listen</b>: let the customer finish, without interrupting or arguing, and note the main points.</p>",
                            warning="If a customer loses control or pushes anyone, keep people safe first, call the outlet manager and, if needed, the police.",
                        ),
                        Step(
                            "<p><b>Apologise</b> for the trouble caused: “I am very sorry for the inconvenience.” An apology is not an admission of fault.</p>"
                        ),
                        Step(
                            "<p><b>Confirm</b>: repeat the problem and what the customer wants, and check that you agree on both.</p>"
                        ),
                        Step(
                            "<p><b>Resolve</b>: offer a solution within the policy; promise anything beyond your authority (a free accessory, a waived fee) only after the outlet manager approves it.</p>"
                        ),
                        Step(
                            "<p><b>Follow up</b>: log the complaint in the system, call back within 24 hours with progress and survey satisfaction once it is closed.</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>Customer complaints shall be answered within <b>24 hours</b> and a solution proposed within <b>48 hours</b>. An outlet may not itself reject a dispute about the three guarantees; it shall refer it to the regional service manager for review.</p>",
                    f"{SERVICE_STANDARD_EN}, §4.2",
                    SERVICE_STANDARD_DATE,
                    "Counter staff may not turn down a three-guarantees claim themselves: when in doubt, log a complaint and refer it; never send the customer away empty-handed.",
                ),
            ),
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
            body=(
                Text(
                    "<p>“三包”即包修、包换、包退，是国家规定的销售者、修理者和生产者的最基本责任。移动电话机商品实行<b>谁销售谁负责</b>三包的原则；品牌的三包承诺不低于国家规定，前台接待必须按规定受理，不得推诿。</p><p>三包有效期自开具发票之日起计算；因修理占用和无零配件待修的时间，不计入三包有效期。</p>"
                ),
                Picture("warranty-timeline"),
                Clause(
                    "<p>自售出之日起 <b>7日内</b>，移动电话机主机出现《移动电话机商品性能故障表》所列性能故障的，消费者可以选择<b>退货、换货或者修理</b>。退货时，销售者应当按发票价格一次退清货款。</p>",
                    MOBILE_RULES,
                    MOBILE_RULES_DATE,
                    "7 日内出现性能故障，退、换还是修由客户选择；不能替客户决定，也不能劝客户“先修一下看看”。",
                ),
                Clause(
                    "<p>自售出之日起<b>第8日至第15日内</b>，主机出现性能故障的，消费者可以选择<b>换货或者修理</b>。换货时，销售者应当免费为消费者调换同型号同规格的移动电话机主机。</p>",
                    MOBILE_RULES,
                    MOBILE_RULES_DATE,
                    "换货以同型号同规格为准。没有同型号同规格的机器时立即上报，不得要求客户补差价换其他型号。",
                ),
                Clause(
                    "<p>在三包有效期内，移动电话机主机出现性能故障的，由修理者<b>免费修理</b>；经<b>两次修理</b>仍不能正常使用的，凭修理者提供的修理记录，由销售者负责为消费者免费调换同型号同规格的移动电话机主机。</p><p>三包有效期：主机 <b>1年</b>；充电器 <b>1年</b>；电池 <b>6个月</b>；外接有线耳机 <b>3个月</b>。</p>",
                    MOBILE_RULES,
                    MOBILE_RULES_DATE,
                    "受理前先查维修记录：已经修过两次仍不能正常使用的，直接按换机流程上报，不安排第三次维修。",
                ),
                Download("warranty-card", "打印后贴在柜台内侧，接待时对照使用。"),
            ),
            body_en=(
                Text(
                    "<p>The “three guarantees” (三包) are repair, exchange and refund: the minimum duties the state places on sellers, repairers and manufacturers. For mobile phones <b>the seller is responsible</b>; the brand's own promise is never less than the state rules, and the front desk must accept every claim they cover without passing the customer on.</p><p>The warranty period runs from the invoice date; days the device spends in repair or waiting for parts do not count.</p>"
                ),
                Picture("warranty-timeline"),
                Clause(
                    "<p>When, within <b>7 days</b> of the sale, the phone shows a performance fault listed in the table of performance faults, the consumer may choose a <b>refund, an exchange or a repair</b>. A refund is the full invoice price, paid at once.</p>",
                    MOBILE_RULES_EN,
                    MOBILE_RULES_DATE,
                    "Within 7 days the customer chooses refund, exchange or repair; never choose for them, and never talk them into “trying a repair first”.",
                ),
                Clause(
                    "<p>When the phone shows a performance fault on <b>days 8 to 15</b> after the sale, the consumer may choose an <b>exchange or a repair</b>. The seller exchanges it free of charge for a phone of the same model and specification.</p>",
                    MOBILE_RULES_EN,
                    MOBILE_RULES_DATE,
                    "An exchange is for the same model and specification. If there is none in stock, report it at once; never ask the customer to pay the difference for another model.",
                ),
                Clause(
                    "<p>Within the warranty period the repairer <b>repairs performance faults free of charge</b>. When the phone still does not work properly after <b>two repairs</b>, the seller exchanges it free of charge for one of the same model and specification, on the repairer's repair record.</p><p>Warranty periods: phone <b>1 year</b>; charger <b>1 year</b>; battery <b>6 months</b>; wired headset <b>3 months</b>.</p>",
                    MOBILE_RULES_EN,
                    MOBILE_RULES_DATE,
                    "Check the repair history first: a phone repaired twice that still fails goes straight to the exchange process, not to a third repair.",
                ),
                Download(
                    "warranty-card",
                    "Print it and keep it inside the counter for every customer conversation.",
                ),
            ),
        ),
        Lesson(
            slug="laptops-and-accessories",
            title="笔记本电脑与附件的三包",
            title_en="Laptops and accessories",
            minutes=25,
            body=(
                Text(
                    "<p>笔记本电脑适用《微型计算机商品修理更换退货责任规定》。与手机不同，笔记本电脑除整机三包期（1年）外，还有更长的<b>主要部件</b>三包期（2年）：主板、CPU、内存、硬盘、显示屏、键盘和电源适配器。</p>"
                ),
                Clause(
                    "<p>在整机三包有效期内，微型计算机商品出现质量问题，应当由修理者负责免费维护、修理，并保证修理后的商品能够正常使用<b>30日以上</b>。</p><p>在主要部件三包有效期内，主要部件出现故障，应当由修理者负责免费修理或者免费更换新的主要部件。</p>",
                    f"{PC_RULES}第十条",
                    PC_RULES_DATE,
                    "客户购机后第13至24个月内主板故障，仍属免费范围：查系统时看清“部件保修”一栏，不要只看整机保修。",
                ),
                Clause(
                    "<p>在三包有效期内，消费者凭发货票和三包凭证办理修理、换货、退货。如果消费者丢失发货票和三包凭证，但能够证明该微型计算机商品在三包有效期内，销售者、修理者、生产者应当按照本规定负责修理、更换。</p>",
                    f"{PC_RULES}第九条",
                    PC_RULES_DATE,
                    "客户找不到纸质发票时，先查电子发票、电商订单和设备激活日期；能证明在三包期内的，照常受理。",
                ),
                Procedure(
                    "查询保修状态",
                    (
                        Step(
                            "<p>读取 IMEI 或序列号：手机拨号 <b>*#06#</b> 或在“设置—关于手机”中查看；笔记本电脑看底壳铭牌或 BIOS 信息。</p>"
                        ),
                        Step("<p>在系统中核对销售日期、激活日期和维修记录。</p>"),
                        Step(
                            "<p>比对客户的发票或三包凭证；日期不一致时以发票日期为准，并在维修单上备注。</p>"
                        ),
                        Step("<p>告诉客户结论：整机和主要部件是否在保，以及在保到哪一天。</p>"),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>Laptops fall under the microcomputer three-guarantees rules. Unlike phones, a laptop has, besides the 1-year period for the whole machine, a longer 2-year period for its <b>main parts</b>: mainboard, CPU, memory, disk, display, keyboard and power adapter.</p>"
                ),
                Clause(
                    "<p>When a microcomputer shows a quality problem within the whole-machine warranty period, the repairer maintains and repairs it free of charge and guarantees that it then works properly for <b>at least 30 days</b>.</p><p>When a main part fails within the main-parts warranty period, the repairer repairs it free of charge or replaces it with a new main part free of charge.</p>",
                    f"{PC_RULES_EN}, Article 10",
                    PC_RULES_DATE,
                    "A mainboard failing 13 to 24 months after purchase is still free: read the “parts warranty” line in the system, not only the whole-machine one.",
                ),
                Clause(
                    "<p>Within the warranty period the consumer obtains repair, exchange or refund on the invoice and the warranty card. A consumer who lost both but can prove that the computer is within the warranty period is still entitled to repair and exchange under these provisions.</p>",
                    f"{PC_RULES_EN}, Article 9",
                    PC_RULES_DATE,
                    "When the paper invoice is lost, look for an electronic invoice, the online order and the activation date; if they prove the period, accept the claim as usual.",
                ),
                Procedure(
                    "Looking up the warranty status",
                    (
                        Step(
                            "<p>Read the IMEI or serial number: on a phone dial <b>*#06#</b> or open Settings › About phone; on a laptop read the label under the base or the BIOS screen.</p>"
                        ),
                        Step(
                            "<p>Check the sale date, the activation date and the repair history in the system.</p>"
                        ),
                        Step(
                            "<p>Compare with the customer's invoice or warranty card; if the dates differ, the invoice date counts, and you note it on the repair order.</p>"
                        ),
                        Step(
                            "<p>Tell the customer the result: whether the device and its main parts are covered, and until which day.</p>"
                        ),
                    ),
                ),
            ),
        ),
        Lesson(
            slug="exclusions-and-fees",
            title="不属于三包的情形与收费说明",
            title_en="When the three guarantees do not apply, and explaining fees",
            minutes=35,
            body=(
                Clause(
                    "<p>有下列情形之一的，不实行三包，可以实行收费修理：</p>"
                    + _ul(
                        "超过三包有效期的；",
                        "未按产品使用说明书的要求使用、维护、保管而造成损坏的；",
                        "非承担三包的修理者拆动造成损坏的；",
                        "无三包凭证及有效发货票的，但能够证明该商品在三包有效期内的除外；",
                        "三包凭证上的内容与商品实物标识不符或者涂改的；",
                        "因不可抗力造成损坏的。",
                    ),
                    MOBILE_RULES,
                    MOBILE_RULES_DATE,
                    "进水、摔裂等人为损坏须经技术员检测并拍照确认后才能判定；前台只说“需要检测确认”，不凭外观当场下结论。",
                ),
                Clause(
                    "<p>经营者销售、收购商品和提供服务，应当按照政府价格主管部门的规定明码标价，注明商品的品名、产地、规格、等级、计价单位、价格或者服务的项目、收费标准等有关情况。</p><p>经营者不得在标价之外加价出售商品，不得收取任何未予标明的费用。</p>",
                    "《中华人民共和国价格法》第十三条",
                    PRICE_LAW_DATE,
                    "配件价格和工时费以柜台公示的价目表为准；价目表上没有的费用，一律不得收取。",
                ),
                Procedure(
                    "保外维修：先报价，后维修",
                    (
                        Step(
                            "<p>技术员检测后在系统中生成报价单，逐项列明配件名称、原厂配件价格和工时费。</p>"
                        ),
                        Step("<p>向客户逐项说明报价，以及维修后配件的保修期。</p>"),
                        Step("<p>客户同意后在报价单上签字或在系统中电子确认，再安排维修。</p>"),
                        Step(
                            "<p>维修中发现新的故障、需要增加费用的，暂停维修，重新报价并取得客户确认。</p>"
                        ),
                        Step(
                            "<p>客户不同意维修的，按原状交还设备；只收取价目表上公示的检测费（如有）。</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>说明费用时，先说结论，再说依据，最后说客户可以选择的方式。例如：“您的手机屏幕有外力撞击造成的裂痕，不属于三包范围。更换原厂屏幕总价 ×× 元，其中配件 ×× 元、工时费 ×× 元，更换后的屏幕享受 90 天保修。您看是否需要维修？”</p>"
                ),
            ),
            body_en=(
                Clause(
                    "<p>The three guarantees do not apply, and a paid repair may be offered, when:</p>"
                    + _ul(
                        "the warranty period has ended;",
                        "the damage was caused by use, maintenance or storage contrary to the product manual;",
                        "the damage was caused by a repairer who is not responsible for the three guarantees opening the device;",
                        "there is no warranty card and no valid invoice, unless the product can be proved to be within the warranty period;",
                        "the warranty card does not match the product's markings or has been altered;",
                        "the damage was caused by force majeure.",
                    ),
                    MOBILE_RULES_EN,
                    MOBILE_RULES_DATE,
                    "Liquid damage, cracks and other damage are confirmed only by a technician's test and photos; at the counter say “we need to test it”, never judge from the outside.",
                ),
                Clause(
                    "<p>Business operators selling or buying goods or providing services shall mark prices clearly as the government price authorities require, stating the name, origin, specification, grade, unit and price of goods, or the item and rate of a service.</p><p>Business operators may not sell at more than the marked price, nor charge any fee that is not marked.</p>",
                    "Price Law of the PRC (中华人民共和国价格法), Article 13",
                    PRICE_LAW_DATE,
                    "Parts prices and labour are those on the price list displayed at the counter; nothing that is not on it may be charged.",
                ),
                Procedure(
                    "Out-of-warranty repairs: quote first, repair second",
                    (
                        Step(
                            "<p>After testing, the technician creates a quote in the system listing each part, its genuine-part price and the labour.</p>"
                        ),
                        Step(
                            "<p>Explain the quote line by line, and the warranty on the parts after the repair.</p>"
                        ),
                        Step(
                            "<p>Start the repair only after the customer signs the quote or confirms it electronically.</p>"
                        ),
                        Step(
                            "<p>If the repair reveals another fault that would cost more, stop, quote again and get the customer's confirmation.</p>"
                        ),
                        Step(
                            "<p>If the customer declines, return the device as it came; charge only a testing fee shown on the price list, if there is one.</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>When you explain a fee, give the conclusion first, then the reason, then the customer's options. For example: “The crack in your screen comes from an impact, which the three guarantees do not cover. A genuine replacement screen costs ×× yuan in all: ×× for the part and ×× for labour, and the new screen has a 90-day warranty. Would you like us to go ahead?”</p>"
                ),
            ),
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
            body=(
                Text(
                    "<p>接机是三包纠纷最常见的源头：接机时没有记录的划痕、没有检查的进水标签，事后都说不清。接机检查必须当着客户的面完成，照片存入维修单。</p>"
                ),
                Picture("intake-checkpoints"),
                Procedure(
                    "接机登记",
                    (
                        Step(
                            "<p>核对客户身份和购机凭证（发票、电子发票或三包凭证），确认送修人是否为机主。</p>"
                        ),
                        Step(
                            "<p>拨号 *#06# 或查看铭牌，读取 IMEI 或序列号，在系统中查询保修状态和维修记录。</p>"
                        ),
                        Step(
                            "<p>按上图检查五个部位并拍照：①屏幕 ②边框与四角 ③卡托槽内的进水标签 ④充电口 ⑤后摄像头。</p>"
                        ),
                        Step(
                            "<p>询问设备是否进过水。进水标签变红或客户说明进水的，在维修单上注明。</p>",
                            warning="疑似进水的设备不要开机、不要充电：立即关机交技术员处理，以免短路扩大损坏。",
                        ),
                        Step(
                            "<p>提醒客户自行备份数据，并退出账号或关闭“查找设备”功能；不得索要或记录客户的锁屏密码。</p>"
                        ),
                        Step(
                            "<p>填写维修单：故障描述用客户的原话，附外观照片；请客户核对签字，开具取机凭证并告知预计完成时间。</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>任何组织、个人不得非法收集、使用、加工、传输他人个人信息，不得非法买卖、提供或者公开他人个人信息；不得从事危害国家安全、公共利益的个人信息处理活动。</p>",
                    "《中华人民共和国个人信息保护法》第十条",
                    PIPL_DATE,
                    "维修中只做检测所需的操作：不浏览相册、聊天记录和文件，不拷贝客户数据；需要解锁测试时，请客户本人当面输入密码。",
                ),
            ),
            body_en=(
                Text(
                    "<p>Intake is where most three-guarantees disputes begin: a scratch nobody recorded, a liquid indicator nobody checked, and later nobody can say what happened. Inspect the device in front of the customer and keep the photos in the repair order.</p>"
                ),
                Picture("intake-checkpoints"),
                Procedure(
                    "Taking a device in",
                    (
                        Step(
                            "<p>Check the customer's identity and proof of purchase (invoice, electronic invoice or warranty card), and whether they are the owner.</p>"
                        ),
                        Step(
                            "<p>Dial *#06# or read the label for the IMEI or serial number, and look up the warranty status and repair history.</p>"
                        ),
                        Step(
                            "<p>Inspect and photograph the five places in the picture above: (1) screen, (2) frame and corners, (3) the liquid contact indicator in the SIM tray slot, (4) charging port, (5) rear cameras.</p>"
                        ),
                        Step(
                            "<p>Ask whether the device got wet. Note it on the repair order when the indicator is red or the customer says so.</p>",
                            warning="Do not switch on or charge a device that may have got wet: switch it off and pass it to a technician, so that a short circuit does no more damage.",
                        ),
                        Step(
                            "<p>Remind the customer to back up their data and to sign out or turn off “Find my device”; never ask for or write down their screen-lock code.</p>"
                        ),
                        Step(
                            "<p>Fill in the repair order with the fault in the customer's own words and the photos; have the customer check and sign it, hand over the collection slip and say when it will be ready.</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>No organisation or individual may illegally collect, use, process or transmit other persons' personal information, or illegally trade, provide or disclose it, or carry out personal information processing that endangers national security or the public interest.</p>",
                    "Personal Information Protection Law of the PRC (中华人民共和国个人信息保护法), Article 10",
                    PIPL_DATE,
                    "Do only what the test needs: never browse photos, chats or files, never copy customer data; when a test needs the device unlocked, the customer types the code in front of you.",
                ),
            ),
        ),
        Lesson(
            slug="fault-diagnosis",
            title="故障复现与初步诊断",
            title_en="Reproducing and diagnosing the fault",
            minutes=30,
            body=(
                Text(
                    "<p>诊断要回答三个问题：故障能否复现？是硬件故障还是软件问题？是性能故障还是人为损坏？回答的依据必须是检测记录和照片，而不是经验判断。</p>"
                ),
                Picture("diagnosis-flow"),
                Procedure(
                    "初步诊断",
                    (
                        Step(
                            "<p><b>问诊</b>：故障何时开始、多久出现一次；出现前是否摔落、进水、升级系统或安装了新应用。</p>"
                        ),
                        Step(
                            "<p><b>复现</b>：在客户描述的条件下复现故障；无法复现的，记录测试项目和时长，与客户约定观察方案。</p>"
                        ),
                        Step(
                            "<p><b>软件排查</b>：客户已备份的，先升级到最新系统版本或恢复出厂设置后复测；排除软件问题后再拆机。</p>"
                        ),
                        Step(
                            "<p><b>硬件检测</b>：运行品牌诊断工具并保存结果；需要拆机检测的，在防静电工位按拆机规范进行。</p>",
                            warning=ESD_WARNING,
                        ),
                        Step(
                            "<p><b>判定</b>：对照《移动电话机商品性能故障表》判定是否属于性能故障；发现外力或进水痕迹的，拍照记录位置和程度，作为保外判定的依据。</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>《移动电话机商品性能故障表》所列的主机性能故障包括：说明书所列功能失效；屏幕无显示、错字、漏划；无法开机、不能正常登录或通信；无振铃；拨号错误；非正常关机；SIM 卡接触不良；按键控制失效；无声响、单向无声或音量不正常；因结构或材料因素造成的外壳裂损。网络因素、手机卡数据异常和人为损坏造成的故障除外。</p>"
                ),
            ),
            body_en=(
                Text(
                    "<p>A diagnosis answers three questions: can the fault be reproduced? Is it hardware or software? Is it a performance fault or damage? The answers rest on test records and photos, not on a hunch.</p>"
                ),
                Picture("diagnosis-flow"),
                Procedure(
                    "First diagnosis",
                    (
                        Step(
                            "<p><b>Ask</b>: when did it start, how often does it happen; was the device dropped, wet, updated or given a new app before it began?</p>"
                        ),
                        Step(
                            "<p><b>Reproduce</b> the fault in the conditions the customer describes; if you cannot, record what you tested and for how long, and agree with the customer how to watch for it.</p>"
                        ),
                        Step(
                            "<p><b>Software check</b>: once the customer has backed up, update to the latest system version or reset to factory settings and test again; open the device only when software is ruled out.</p>"
                        ),
                        Step(
                            "<p><b>Hardware test</b>: run the brand's diagnostic tool and save the result; open the device only at an ESD workstation, following the disassembly procedure.</p>",
                            warning=ESD_WARNING_EN,
                        ),
                        Step(
                            "<p><b>Verdict</b>: decide against the table of performance faults whether this is one; photograph any sign of impact or liquid, where and how bad, as the grounds for an out-of-warranty verdict.</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>The table of performance faults in the mobile phone rules lists, for the phone itself: a function in the manual that fails; a screen with no display, wrong characters or missing segments; failure to power on, register or communicate; no ringing; wrong dialling; unexpected shutdown; poor SIM card contact; keys that do not work; no sound, one-way sound or wrong volume; a casing that cracks because of its structure or material. Faults caused by the network, by bad SIM data or by damage are excluded.</p>"
                ),
            ),
        ),
        Lesson(
            slug="final-check-and-handover",
            title="完工质检与交机",
            title_en="Final check and handing the device back",
            minutes=30,
            body=(
                Procedure(
                    "完工质检与交机",
                    (
                        Step(
                            "<p>按机型质检清单逐项测试：开关机、触摸与显示、通话与扬声器、麦克风、前后摄像头、充电、Wi-Fi 与蓝牙、指纹或面部识别。</p>"
                        ),
                        Step(
                            "<p>核对更换配件的追溯码已扫码绑定工单；旧件按规定处理：保内旧件返还品牌，保外旧件由客户选择是否带走。</p>"
                        ),
                        Step("<p>清洁设备，与接机照片对比，确认没有新增划痕。</p>"),
                        Step(
                            "<p>请客户当面验机，说明维修内容、更换的配件和维修后的保修期，请客户签字确认。</p>"
                        ),
                        Step("<p>3 个工作日内电话回访，询问使用情况和满意度，记录在系统中。</p>"),
                    ),
                ),
                Clause(
                    "<p>网点付费更换的原厂配件，自交付之日起享受 <b>90天</b> 保修；保修期内同一配件出现性能故障的，免费维修或更换。</p>",
                    f"{SERVICE_STANDARD}第6.4条",
                    SERVICE_STANDARD_DATE,
                    "交机时一定告诉客户这 90 天，并在维修单上写明截止日期。",
                ),
                Text(
                    "<p>交机时客户最关心两件事：修好了没有，花了多少钱。先请客户试用，再逐项解释费用，发票和维修单一起交给客户。</p>"
                ),
            ),
            body_en=(
                Procedure(
                    "Final check and handover",
                    (
                        Step(
                            "<p>Test every item on the model's checklist: power, touch and display, calls and speaker, microphone, front and rear cameras, charging, Wi-Fi and Bluetooth, fingerprint or face unlock.</p>"
                        ),
                        Step(
                            "<p>Check that the new parts' traceability codes are scanned into the order; deal with the old parts as the rules say: returned to the brand for warranty repairs, offered to the customer for paid ones.</p>"
                        ),
                        Step(
                            "<p>Clean the device and compare it with the intake photos: no new scratches.</p>"
                        ),
                        Step(
                            "<p>Have the customer check the device in front of you; explain what was done, which parts were replaced and the warranty on the repair, and have them sign.</p>"
                        ),
                        Step(
                            "<p>Call the customer within 3 working days to ask how the device works and how satisfied they are, and record it.</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>Genuine parts fitted in a paid repair carry a <b>90-day</b> warranty from handover; a performance fault of the same part within that time is repaired or the part replaced free of charge.</p>",
                    f"{SERVICE_STANDARD_EN}, §6.4",
                    SERVICE_STANDARD_DATE,
                    "Always tell the customer about these 90 days at handover, and write the end date on the repair order.",
                ),
                Text(
                    "<p>At handover the customer wants to know two things: is it fixed, and what did it cost. Let them try the device first, then go through the fees line by line, and hand over the invoice with the repair order.</p>"
                ),
            ),
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
            body=(
                Text(
                    "<p>人在走动、起身、脱外套时，身上很容易积累数千伏的静电。人一般要到约 3000 伏以上才能感觉到放电，而手机主板上的一些芯片，在不到 100 伏的静电放电中就可能受损。</p><p>静电损伤最危险的不是当场坏掉，而是<b>潜在损伤</b>：器件被削弱，当时测试正常，交付客户几天或几周后才失效。这类故障直接推高网点的返修率，也最难追查原因。</p>"
                ),
                Picture("esd-workstation"),
                Text(
                    "<h3>防静电工位的组成</h3>"
                    + _ul(
                        "<b>①防静电腕带</b>：金属面贴肤佩戴，内置 1 兆欧限流电阻，通过接地线连到公共接地点。",
                        "<b>②防静电台垫</b>：接到同一个公共接地点，让台面上的器件和人保持同一电位。",
                        "<b>③公共接地点</b>与<b>④接地线</b>：每天检查连接是否牢固。",
                        "<b>⑤防静电屏蔽袋</b>：拆下的主板、屏幕总成放入金属化屏蔽袋；普通塑料袋和粉红色防静电袋都不能屏蔽静电场。",
                        "塑料水杯、泡沫包装、个人手机等绝缘物，与拆开的设备保持至少 30 厘米。",
                    )
                ),
            ),
            body_en=(
                Text(
                    "<p>Walking, standing up or taking off a jacket easily charges a person to several thousand volts. People feel a discharge only from about 3,000 volts, while some chips on a phone's mainboard can be damaged by a discharge of less than 100 volts.</p><p>The danger is less the part that dies on the spot than <b>latent damage</b>: the component is weakened, tests fine, and fails days or weeks after the customer has it back. Such faults push up an outlet's repeat repairs and are the hardest to trace.</p>"
                ),
                Picture("esd-workstation"),
                Text(
                    "<h3>What an ESD workstation is made of</h3>"
                    + _ul(
                        "<b>(1) Wrist strap</b>: worn with the metal against the skin, with a built-in 1 megohm resistor, connected by its cord to the common ground point.",
                        "<b>(2) Dissipative mat</b>: connected to the same common ground point, so that the parts on the bench and the person stay at the same potential.",
                        "<b>(3) Common ground point</b> and <b>(4) ground cords</b>: check every day that they are firmly connected.",
                        "<b>(5) Static-shielding bag</b>: removed mainboards and display assemblies go into metallised shielding bags; ordinary plastic bags and pink antistatic bags do not shield.",
                        "Keep insulators (plastic cups, foam packaging, your own phone) at least 30 cm from an open device.",
                    )
                ),
            ),
        ),
        Lesson(
            slug="workstation-daily-check",
            title="防静电工位日检",
            title_en="The daily check of the ESD workstation",
            minutes=25,
            body=(
                Procedure(
                    "开工前日检",
                    (
                        Step(
                            "<p>佩戴防静电腕带，松紧以能插入一指为宜，金属面贴紧皮肤。</p>",
                            warning=ESD_WARNING + "腕带测试合格前不得拆机。",
                        ),
                        Step(
                            "<p>在腕带测试仪上测试：①手指按住测试板，②绿灯 <b>PASS</b> 方可上岗；显示 LOW 或 HIGH 时，检查接地线和扣具，更换腕带后重测。</p>",
                            image="wrist-strap-test",
                        ),
                        Step("<p>检查台垫接地线连接牢固，台面无破损、无积尘和金属碎屑。</p>"),
                        Step(
                            "<p>查看温湿度计：工位相对湿度保持在 40%～60%，过于干燥时开启加湿器。</p>"
                        ),
                        Step("<p>清走工位上的绝缘物，备好屏蔽袋和零件盒。</p>"),
                        Step("<p>在《防静电工位日检记录表》上填写结果并签名。</p>"),
                    ),
                ),
                Download("esd-log", "每个工位每月一张，按月归档，稽核时抽查。"),
                Clause(
                    "<p>所有拆机、维修作业必须在日检合格的防静电工位上进行，作业人员全程佩戴防静电腕带。日检记录保存不少于 <b>12个月</b>。</p>",
                    f"{SERVICE_STANDARD}第7.1条",
                    SERVICE_STANDARD_DATE,
                    "稽核中发现未佩戴腕带拆机，属于严重不符合项，直接影响网点的认证状态。",
                ),
            ),
            body_en=(
                Procedure(
                    "The check before work",
                    (
                        Step(
                            "<p>Put on the wrist strap, snug enough that one finger fits under it, metal against the skin.</p>",
                            warning=ESD_WARNING_EN
                            + " Do not open any device before the strap passes its test.",
                        ),
                        Step(
                            "<p>Test it on the wrist strap tester: (1) press the touch plate; (2) start work only on the green <b>PASS</b> light. On LOW or HIGH, check the cord and clip, change the strap and test again.</p>",
                            image="wrist-strap-test",
                        ),
                        Step(
                            "<p>Check that the mat's ground cord is firmly connected and that the mat is undamaged and free of dust and metal particles.</p>"
                        ),
                        Step(
                            "<p>Read the hygrometer: keep relative humidity at the bench at 40–60%, and turn on the humidifier when it is too dry.</p>"
                        ),
                        Step(
                            "<p>Clear insulators off the bench and have shielding bags and parts trays ready.</p>"
                        ),
                        Step(
                            "<p>Record the results on the ESD workstation daily check log and sign it.</p>"
                        ),
                    ),
                ),
                Download(
                    "esd-log", "One sheet per bench per month, filed monthly; auditors sample it."
                ),
                Clause(
                    "<p>All disassembly and repair work shall be done at an ESD workstation that passed its daily check, with the ESD wrist strap worn throughout. Daily check logs shall be kept for at least <b>12 months</b>.</p>",
                    f"{SERVICE_STANDARD_EN}, §7.1",
                    SERVICE_STANDARD_DATE,
                    "An audit that finds someone opening a device without a wrist strap records a major nonconformity, which affects the outlet's certification directly.",
                ),
            ),
        ),
        Lesson(
            slug="phone-disassembly",
            title="手机标准拆机流程",
            title_en="Standard phone disassembly",
            minutes=40,
            body=(
                Text(
                    "<p>以下流程适用于屏幕或后盖用胶粘合的智能手机。具体机型的加热温度、螺丝位置和排线顺序，以品牌维修手册为准。</p>"
                ),
                Procedure(
                    "手机拆机",
                    (
                        Step(
                            "<p>核对工单与设备的 IMEI 或序列号一致，确认客户已备份数据并关闭“查找设备”，拍摄拆机前照片。</p>"
                        ),
                        Step(
                            "<p>关机，取出卡托。查看电量：高于 25% 的先放电至 25% 以下。</p>",
                            warning="电量越高，电池被刺穿时起火的风险越大：电量高于 25% 时不得拆机。",
                        ),
                        Step(
                            "<p>佩戴防静电腕带并确认接地，把设备放在接地的防静电台垫上。</p>",
                            warning=ESD_WARNING,
                        ),
                        Step(
                            "<p>检查屏幕和后盖是否隆起、缝隙是否变大。确认电池没有鼓包后，用加热台按维修手册的温度加热屏幕（或后盖）边缘，使粘胶软化。</p>",
                            warning=SWOLLEN_WARNING
                            + "发现鼓包立即停止，按《鼓包电池拆卸规程》处理。",
                            image="battery-swollen",
                        ),
                        Step(
                            "<p>用吸盘拉开一道缝隙，插入塑料撬片沿边缘划开粘胶。撬片插入不超过 3 毫米，避开排线位置。</p>",
                            warning="不得使用金属工具撬动：金属会划伤排线，或刺穿电池。",
                        ),
                        Step(
                            "<p>拆下电池排线保护盖，<b>先断开①电池排线</b>，再断开④屏幕排线和其他排线。</p>",
                            warning="未断开电池前不得插拔其他排线，以免短路烧毁主板。",
                            image="phone-internals",
                        ),
                        Step(
                            "<p>②螺丝按拆下的位置放进磁性螺丝垫的对应格子。长短不同的螺丝装错位置，会顶穿主板内层线路。</p>"
                        ),
                        Step(
                            "<p>更换配件后复装：换用新的防水胶，<b>最后连接电池排线</b>，按质检清单逐项测试。</p>"
                        ),
                        Step(
                            "<p>在工单中记录更换配件的追溯码，并告诉客户：拆机后，设备的防水性能可能低于出厂状态。</p>"
                        ),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>This procedure is for smartphones whose screen or back cover is glued on. Heating temperatures, screw positions and the order of the cables for each model are in the brand's repair manual.</p>"
                ),
                Procedure(
                    "Opening a phone",
                    (
                        Step(
                            "<p>Check that the IMEI or serial number matches the order, that the customer has backed up and turned off “Find my device”, and take photos before opening.</p>"
                        ),
                        Step(
                            "<p>Switch off and remove the SIM tray. Check the charge: above 25%, discharge the battery below 25% first.</p>",
                            warning="The fuller the battery, the greater the fire risk if it is punctured: never open a phone charged above 25%.",
                        ),
                        Step(
                            "<p>Put on the wrist strap and confirm it is grounded; place the device on the grounded mat.</p>",
                            warning=ESD_WARNING_EN,
                        ),
                        Step(
                            "<p>Look for a raised screen or back, or a widening gap. Only when the battery is not swollen, heat the edges of the screen (or back) on the heating pad at the manual's temperature to soften the adhesive.</p>",
                            warning=SWOLLEN_WARNING_EN
                            + " Stop at any sign of swelling and follow the swollen battery procedure.",
                            image="battery-swollen",
                        ),
                        Step(
                            "<p>Open a gap with a suction cup, insert a plastic pick and slice the adhesive along the edge, no deeper than 3 mm and away from the cables.</p>",
                            warning="Never pry with metal tools: metal cuts cables or punctures the battery.",
                        ),
                        Step(
                            "<p>Remove the battery connector bracket and <b>disconnect (1) the battery first</b>, then (4) the display cable and the others.</p>",
                            warning="Never disconnect or connect any other cable while the battery is connected: a short circuit can destroy the mainboard.",
                            image="phone-internals",
                        ),
                        Step(
                            "<p>Put (2) each screw in the matching cell of the magnetic screw mat. A long screw in a short screw's hole can pierce the mainboard's inner layers.</p>"
                        ),
                        Step(
                            "<p>After replacing the part, reassemble with new waterproof adhesive, <b>connect the battery last</b> and test every item on the checklist.</p>"
                        ),
                        Step(
                            "<p>Record the new parts' traceability codes in the order and tell the customer that, once opened, the device may be less water-resistant than when new.</p>"
                        ),
                    ),
                ),
            ),
        ),
        Lesson(
            slug="laptop-disassembly",
            title="笔记本电脑拆机要点",
            title_en="Laptop disassembly essentials",
            minutes=35,
            body=(
                Text(
                    "<p>笔记本电脑的内置电池在关机后仍向主板供电。拆机前必须断开电池，否则更换内存、硬盘或插拔排线时可能短路。</p>"
                ),
                Procedure(
                    "笔记本电脑拆机",
                    (
                        Step(
                            "<p>关机，拔下电源适配器和所有外设；合上屏幕，底壳朝上放在台垫上。</p>"
                        ),
                        Step("<p>佩戴防静电腕带并确认接地。</p>", warning=ESD_WARNING),
                        Step(
                            "<p>拧下底壳螺丝并按位置记录长短；用塑料撬棒从转轴附近开始分离卡扣。</p>"
                        ),
                        Step(
                            "<p>先断开内置电池接口。机型支持“电池断开”或“运输模式”的，也可以先在 BIOS 中启用再拆机。</p>",
                            warning="断开电池之前，不得插拔主板上的任何接口或部件。",
                        ),
                        Step(
                            "<p>内存和固态硬盘只拿边缘，不碰金手指和芯片；拆下后立即放入屏蔽袋。</p>"
                        ),
                        Step(
                            "<p>复装时最后连接电池，装回底壳全部螺丝后开机测试，确认电池识别和充电正常。</p>"
                        ),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>A laptop's built-in battery keeps powering the mainboard when the laptop is off. Disconnect it before anything else, or changing memory or a disk, or unplugging a cable, can short the board.</p>"
                ),
                Procedure(
                    "Opening a laptop",
                    (
                        Step(
                            "<p>Shut down, unplug the power adapter and all peripherals; close the lid and lay the laptop on the mat, base up.</p>"
                        ),
                        Step(
                            "<p>Put on the wrist strap and confirm it is grounded.</p>",
                            warning=ESD_WARNING_EN,
                        ),
                        Step(
                            "<p>Remove the base screws, noting which length goes where; release the clips with a plastic spudger, starting near the hinges.</p>"
                        ),
                        Step(
                            "<p>Disconnect the internal battery first. On models with a “battery disconnect” or “shipping mode” setting, you may enable it in the BIOS before opening.</p>",
                            warning="Do not unplug or plug anything on the mainboard before the battery is disconnected.",
                        ),
                        Step(
                            "<p>Hold memory and SSDs by the edges, never by the contacts or chips, and put them straight into shielding bags.</p>"
                        ),
                        Step(
                            "<p>Reconnect the battery last, refit every base screw, then power on and check that the battery is recognised and charges.</p>"
                        ),
                    ),
                ),
            ),
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
            body=(
                Text(
                    "<p>锂离子电池老化、过充、受挤压或进水后可能鼓包。鼓包电池内部已经产气，受热、挤压或被刺穿时可能迅速升温甚至起火（热失控）。</p><h3>鼓包的迹象</h3>"
                    + _ul(
                        "屏幕或后盖隆起，边缘缝隙变大，屏幕出现压痕或彩色水波纹；",
                        "设备平放在桌面上会打转，后盖不再平整；",
                        "电池变形、有刺激性气味、漏液或明显发热。",
                    )
                ),
                Picture("battery-swollen"),
                Clause(
                    "<p>移动电话机附件的三包有效期：电池 <b>6个月</b>，充电器 <b>1年</b>，外接有线耳机 <b>3个月</b>。电池的性能故障为：充电后移动电话机仍不能正常工作。</p>",
                    f"{MOBILE_RULES}附录",
                    MOBILE_RULES_DATE,
                    "电池的三包期只有 6 个月，比主机短。超过 6 个月的电池按保外报价更换；但鼓包电池无论是否在保，都要向客户讲明安全风险、建议立即更换，客户拒绝的在维修单上记录已告知。",
                ),
                Text(
                    "<p>接到与电池有关的送修时，前台和技术员都先看外观：疑似鼓包的设备不得充电，立即交技术员处理，放在防火隔离区。</p>"
                ),
            ),
            body_en=(
                Text(
                    "<p>Lithium-ion batteries can swell when they age, are overcharged, crushed or get wet. A swollen battery has already produced gas inside; heated, pressed or punctured, it can heat up fast and catch fire (thermal runaway).</p><h3>Signs of swelling</h3>"
                    + _ul(
                        "a raised screen or back, a widening gap at the edge, pressure marks or rainbow ripples on the screen;",
                        "the device spins when laid flat on a table; the back is no longer flat;",
                        "a deformed battery, a sharp smell, leaking or obvious heat.",
                    )
                ),
                Picture("battery-swollen"),
                Clause(
                    "<p>Warranty periods of mobile phone accessories: battery <b>6 months</b>, charger <b>1 year</b>, wired headset <b>3 months</b>. A battery's performance fault is that the phone still does not work properly after charging.</p>",
                    f"{MOBILE_RULES_EN}, appendix",
                    MOBILE_RULES_DATE,
                    "The battery's period is only 6 months, shorter than the phone's. An older battery is replaced at the out-of-warranty price; but for any swollen battery, covered or not, explain the risk and advise replacing it now, and if the customer declines, record on the order that you told them.",
                ),
                Text(
                    "<p>Whenever a device comes in for a battery problem, front desk and technician look at it first: a device that may be swollen is never charged; it goes straight to a technician and into the fire-safe area.</p>"
                ),
            ),
        ),
        Lesson(
            slug="swollen-battery-removal",
            title="鼓包电池拆卸规程",
            title_en="Removing a swollen battery",
            minutes=35,
            body=(
                Procedure(
                    "鼓包电池拆卸规程",
                    (
                        Step(
                            "<p>停止一切加热操作；告知客户风险，在维修单上记录。</p>",
                            warning=SWOLLEN_WARNING + "屏幕或后盖也不得加热。",
                        ),
                        Step(
                            "<p>把设备移到通风处的防火作业区，旁边备好防火沙箱或电池防爆箱。</p>",
                            warning="作业区内不放易燃物，灭火器材放在伸手可及处。",
                        ),
                        Step(
                            "<p>佩戴防静电腕带和护目镜，用塑料撬片和切胶线慢慢分离屏幕或后盖。</p>",
                            warning=ESD_WARNING + "全程佩戴护目镜。",
                        ),
                        Step(
                            "<p>先断开电池排线。电池有易拉胶条的，沿平行方向缓慢拉出；没有胶条或胶条断裂的，在电池边缘滴入少量异丙醇软化粘胶，再用塑料卡片从侧面缓慢推出。</p>",
                            warning="不得用金属工具撬动或刺穿电池，不得弯折、挤压电池。",
                            image="phone-internals",
                        ),
                        Step(
                            "<p>取出的电池立即放入防火沙箱或防爆箱，贴上“鼓包电池”标签和工单号。</p>",
                            warning="电池冒烟或发烫时，用工具把它放入沙箱并盖严，人员后退，通知网点经理；不要用手拿。",
                        ),
                        Step(
                            "<p>废旧锂电池按品牌危废回收流程交回收商，不得丢进普通垃圾；在系统中登记回收。</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>装新电池前检查外观和型号标签；复装后充电测试 30 分钟，确认温度和电量显示正常再交机。</p>"
                ),
            ),
            body_en=(
                Procedure(
                    "Removing a swollen battery",
                    (
                        Step(
                            "<p>Stop all heating; explain the risk to the customer and record it on the order.</p>",
                            warning=SWOLLEN_WARNING_EN + " Do not heat the screen or back either.",
                        ),
                        Step(
                            "<p>Move the device to the ventilated fire-safe area, with a sand box or battery safety box beside you.</p>",
                            warning="Keep anything flammable out of the area and the extinguisher within reach.",
                        ),
                        Step(
                            "<p>Wear the wrist strap and safety glasses; separate the screen or back slowly with plastic picks and a cutting wire.</p>",
                            warning=ESD_WARNING_EN + " Wear safety glasses throughout.",
                        ),
                        Step(
                            "<p>Disconnect the battery first. Pull stretch-release adhesive strips out slowly and flat; where there are none or they snap, put a few drops of isopropyl alcohol at the battery's edge to soften the adhesive and push the battery out slowly from the side with a plastic card.</p>",
                            warning="Never pry or puncture the battery with metal tools; never bend or press it.",
                            image="phone-internals",
                        ),
                        Step(
                            "<p>Put the battery straight into the sand box or safety box and label it “swollen battery” with the order number.</p>",
                            warning="If the battery smokes or gets hot, move it into the sand box with a tool and close it, step back and call the outlet manager; never pick it up by hand.",
                        ),
                        Step(
                            "<p>Hand used lithium batteries to the recycler under the brand's hazardous waste process, never into ordinary rubbish, and record it in the system.</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>Check the new battery's appearance and model label before fitting it; after reassembly, charge for 30 minutes and check temperature and the charge reading before handing the device back.</p>"
                ),
            ),
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
            body=(
                Text(
                    _ul(
                        "<b>原厂配件（原厂新件）</b>：品牌生产或认证、通过品牌配件系统调拨的新配件，每件带唯一的追溯码。",
                        "<b>翻新件</b>：经过修复和检测后重新使用的配件，性能和寿命可能低于新件。",
                        "<b>拆机件</b>：从其他设备上拆下直接使用的配件，来源和使用时长无法追溯。",
                    )
                    + "<p>客户到授权网点维修，默认期待的是原厂新件。使用任何非原厂新件，都必须事先告知并取得客户的书面同意。</p>"
                ),
                Picture("parts-label"),
                Clause(
                    "<p>授权服务网点只得使用通过品牌配件系统调拨的原厂配件。使用翻新件或拆机件的，须事先向客户书面说明配件类型、价格和保修期，并取得客户签字同意；保内维修不得使用翻新件或拆机件。</p>",
                    f"{PARTS_RULES}第3.2条",
                    PARTS_RULES_DATE,
                    "没有客户签字的《非原厂新件使用确认书》，就只能用原厂新件。",
                ),
                Clause(
                    "<p>经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的<b>三倍</b>；增加赔偿的金额不足五百元的，为五百元。法律另有规定的，依照其规定。</p>",
                    f"{CONSUMER_LAW}第五十五条",
                    CONSUMER_LAW_DATE,
                    "把翻新件当原厂新件收费就是欺诈：网点要按维修费用的三倍赔偿（不足五百元按五百元），品牌还会暂停网点的授权。",
                ),
            ),
            body_en=(
                Text(
                    _ul(
                        "<b>Genuine parts (genuine new)</b>: new parts made or approved by the brand and issued through its parts system, each with a unique traceability code.",
                        "<b>Refurbished parts</b>: parts restored and tested for reuse; they may perform worse and last less long than new ones.",
                        "<b>Salvaged parts</b>: parts taken from another device and fitted as they are; where they come from and how long they were used cannot be traced.",
                    )
                    + "<p>A customer who comes to an authorised outlet expects genuine new parts. Any other part needs the customer to be told beforehand and to agree in writing.</p>"
                ),
                Picture("parts-label"),
                Clause(
                    "<p>Authorised outlets shall use only genuine parts issued through the brand's parts system. Before fitting a refurbished or salvaged part, the outlet shall explain its kind, price and warranty to the customer in writing and obtain the customer's signed consent. Refurbished and salvaged parts shall never be used in warranty repairs.</p>",
                    f"{PARTS_RULES_EN}, §3.2",
                    PARTS_RULES_DATE,
                    "Without the customer's signed consent form, only genuine new parts may be fitted.",
                ),
                Clause(
                    "<p>A business operator who commits fraud in providing goods or services shall, at the consumer's request, pay additional compensation of <b>three times</b> the price of the goods or the fee for the service, and no less than 500 yuan, unless another law provides otherwise.</p>",
                    f"{CONSUMER_LAW_EN} (消费者权益保护法), Article 55",
                    CONSUMER_LAW_DATE,
                    "Charging for a refurbished part as if it were genuine new is fraud: the outlet pays three times the repair fee (at least 500 yuan), and the brand suspends its authorisation.",
                ),
            ),
        ),
        Lesson(
            slug="consent-and-traceability",
            title="客户书面同意与配件追溯",
            title_en="Written consent and parts traceability",
            minutes=25,
            body=(
                Procedure(
                    "使用配件的规范流程",
                    (
                        Step(
                            "<p><b>领料</b>：凭工单在配件系统领取原厂配件，核对料号与机型一致。</p>"
                        ),
                        Step(
                            "<p><b>安装前扫码</b>：读取配件标签上的①追溯二维码，绑定到工单；追溯码无法识别的配件不得使用，退回库房。</p>",
                            image="parts-label",
                        ),
                        Step(
                            "<p><b>非原厂新件</b>：仅在客户主动选择时使用。说明配件类型、价格差异和保修期，请客户在《非原厂新件使用确认书》上签字，扫描上传到工单。</p>"
                        ),
                        Step(
                            "<p><b>旧件</b>：保内维修换下的旧件贴旧件标签，按月返还品牌；保外维修的旧件归客户所有，交机时询问客户是否带走并记录。</p>",
                            warning="换下的锂电池不是普通旧件：按危废流程单独隔离存放，不得与其他旧件混放。",
                        ),
                        Step(
                            "<p><b>月底对账</b>：配件系统中的领用、安装和旧件返还数量必须一致，差异由网点经理书面说明。</p>"
                        ),
                    ),
                ),
                Download(
                    "parts-consent", "客户选择非原厂新件时使用，一式两份，客户和网点各执一份。"
                ),
            ),
            body_en=(
                Procedure(
                    "Using parts the right way",
                    (
                        Step(
                            "<p><b>Issue</b>: draw genuine parts from the parts system against the order, and check that the part number fits the model.</p>"
                        ),
                        Step(
                            "<p><b>Scan before fitting</b>: read (1) the traceability QR code on the part's label into the order; a part whose code cannot be read is not fitted but returned to stock.</p>",
                            image="parts-label",
                        ),
                        Step(
                            "<p><b>Parts that are not genuine new</b>: only when the customer chooses one. Explain its kind, the price difference and its warranty, have the customer sign the consent form and scan it into the order.</p>"
                        ),
                        Step(
                            "<p><b>Old parts</b>: from warranty repairs, label them and return them to the brand monthly; from paid repairs they belong to the customer: ask at handover whether they want them and record the answer.</p>",
                            warning="A removed lithium battery is not an ordinary old part: store it apart under the hazardous waste process, never mixed with other parts.",
                        ),
                        Step(
                            "<p><b>Month-end reconciliation</b>: parts issued, fitted and returned must match in the parts system; the outlet manager explains any difference in writing.</p>"
                        ),
                    ),
                ),
                Download(
                    "parts-consent",
                    "For a customer who chooses a part that is not genuine new; two copies, one each for the customer and the outlet.",
                ),
            ),
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
            body=(
                Text(
                    "<p>合作网点由外包服务商经营，但在客户眼里，它就是品牌的服务中心。授权协议要求合作网点执行与直营服务中心完全相同的服务规范、三包政策和配件政策。</p><h3>四条底线</h3><ol><li><b>只做授权范围内的维修</b>：授权等级之外的维修（例如主板级维修）转送上级网点。</li><li><b>工单全程在系统内</b>：不接“私单”，不在系统之外收费。</li><li><b>只收公示价目表上的费用</b>。</li><li><b>只用原厂配件</b>：非原厂新件须客户书面同意。</li></ol>"
                ),
                Clause(
                    "<p>授权服务商不得承接系统外维修（私单），不得以任何名义收取品牌价目表以外的费用。发现私单或乱收费的，品牌有权暂停直至取消其授权。</p>",
                    f"{PARTNER_RULES}第5.3条",
                    PARTNER_RULES_DATE,
                    "客户要求“不开单、便宜点”时礼貌拒绝：所有维修都要开单，这也是在保障客户自己的保修权益。",
                ),
                Text(
                    "<p>合作网点的技术员常常也要兼顾前台接机。三四线城市的网点人少，更需要每个人都能准确执行三包政策，所以本认证包含柜台三包政策课程。</p>"
                ),
            ),
            body_en=(
                Text(
                    "<p>A partner outlet is run by an outsourced service company, but to the customer it is the brand's service centre. The authorisation agreement binds partner outlets to exactly the same service norms, three-guarantees policy and parts policy as the brand's own centres.</p><h3>Four bottom lines</h3><ol><li><b>Only repairs within the authorised scope</b>: anything above the outlet's level (board-level repair, for example) goes to a higher-level outlet.</li><li><b>Every order in the system</b>: no “private jobs”, no payment outside the system.</li><li><b>Only the fees on the published price list</b>.</li><li><b>Only genuine parts</b>: anything else needs the customer's written consent.</li></ol>"
                ),
                Clause(
                    "<p>Authorised service providers may not take repairs outside the system (private jobs) or charge, under any name, fees that are not on the brand's price list. For private jobs or improper charges the brand may suspend, and finally revoke, the authorisation.</p>",
                    f"{PARTNER_RULES_EN}, §5.3",
                    PARTNER_RULES_DATE,
                    "When a customer asks for “no paperwork, a cheaper price”, decline politely: every repair gets an order, which is also what protects the customer's warranty.",
                ),
                Text(
                    "<p>Technicians at partner outlets often take devices in at the counter too. Outlets in smaller cities have few people, so everyone must apply the three guarantees correctly; that is why this certification includes the counter course on them.</p>"
                ),
            ),
        ),
        Lesson(
            slug="audits-and-corrective-action",
            title="稽核、整改与暂停授权",
            title_en="Audits, corrective action and suspension",
            minutes=30,
            body=(
                Text(
                    "<p>品牌质量监督部门用同一标准稽核所有网点，常见方式有：</p>"
                    + _ul(
                        "<b>神秘客暗访</b>：检查接待流程、规范用语和三包说明是否准确；",
                        "<b>工单抽查</b>：核对接机照片、报价确认、质检记录和回访；",
                        "<b>配件对账</b>：核对配件领用、安装追溯码和旧件返还；",
                        "<b>现场检查</b>：防静电工位日检记录，在岗人员的上岗证是否在有效期内。",
                    )
                ),
                Procedure(
                    "收到稽核问题之后",
                    (
                        Step(
                            "<p>网点经理在 2 个工作日内确认问题清单，逐条指定责任人和完成日期。</p>"
                        ),
                        Step(
                            "<p>分析根因：是人员不会（培训）、不愿（管理），还是条件不具备（设备、配件）。</p>"
                        ),
                        Step("<p>按计划整改，保留整改前后的照片和记录。</p>"),
                        Step("<p>在系统中提交整改报告，等待质量监督部门复核。</p>"),
                        Step(
                            "<p>复核通过后关闭问题；逾期未整改或复查仍不合格的，品牌可以暂停网点的维修授权。</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>稽核发现严重不符合项（包括私单、以次充好、未按三包规定受理）的，品牌可以立即暂停网点授权；一般不符合项须在 <b>15个工作日</b> 内完成整改。</p>",
                    f"{PARTNER_RULES}第9.2条",
                    PARTNER_RULES_DATE,
                    "暂停授权期间，网点人员的上岗证一并暂停，客户由附近的网点接待。",
                ),
            ),
            body_en=(
                Text(
                    "<p>The brand's quality supervision audits every outlet against the same standard, usually by:</p>"
                    + _ul(
                        "<b>mystery shoppers</b>: is the reception routine followed, are the phrases and the three-guarantees explanations right?",
                        "<b>order sampling</b>: intake photos, quote confirmations, final checks and follow-up calls;",
                        "<b>parts reconciliation</b>: parts issued, traceability codes fitted and old parts returned;",
                        "<b>site inspection</b>: ESD daily check logs, and whether everyone on duty holds a valid certificate.",
                    )
                ),
                Procedure(
                    "After an audit finding",
                    (
                        Step(
                            "<p>Within 2 working days the outlet manager confirms the list of findings and names an owner and a date for each.</p>"
                        ),
                        Step(
                            "<p>Find the root cause: people who cannot (training), will not (management), or lack the means (equipment, parts).</p>"
                        ),
                        Step(
                            "<p>Carry out the plan, keeping photos and records from before and after.</p>"
                        ),
                        Step(
                            "<p>Submit the corrective action report in the system for quality supervision to verify.</p>"
                        ),
                        Step(
                            "<p>The finding closes once verified; if it is late or fails verification again, the brand may suspend the outlet's repair authorisation.</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>When an audit finds a major nonconformity (private jobs, passing off inferior parts, refusing claims the three-guarantees rules cover), the brand may suspend the outlet's authorisation at once; minor nonconformities shall be corrected within <b>15 working days</b>.</p>",
                    f"{PARTNER_RULES_EN}, §9.2",
                    PARTNER_RULES_DATE,
                    "While an outlet is suspended its staff's certificates are suspended too, and nearby outlets serve its customers.",
                ),
            ),
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
            body=(
                Text(
                    "<p>不开机的设备，第一步不是拆芯片，而是看电流。用可调直流电源代替电池给主板供电，观察按下开机键后的电流变化，与维修手册中的正常开机电流曲线对比，就能判断故障卡在哪个阶段。</p>"
                ),
                Picture("current-curve"),
                Procedure(
                    "电流法诊断",
                    (
                        Step(
                            "<p>断开电池，把主板或整机放在防静电台垫上。</p>", warning=ESD_WARNING
                        ),
                        Step(
                            "<p>按机型维修手册设定可调电源的电压，<b>先设定限流</b>，再通过维修专用供电线连接电池接口。</p>",
                            warning="必须先设定限流再通电：短路时不限流的电流会烧毁主板线路。",
                        ),
                        Step(
                            "<p>未按开机键就有电流：存在漏电或短路。用热成像仪或松香烟雾法找到发热元件。</p>"
                        ),
                        Step(
                            "<p>按下开机键后电流停在某一数值不动：对照维修手册，判断卡在哪一路供电或哪一颗芯片。</p>"
                        ),
                        Step("<p>把电流读数和判断依据写入工单的检测记录。</p>"),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>With a dead device, the first step is not to lift chips but to read the current. Power the board from an adjustable bench supply instead of the battery, watch the current after pressing the power button and compare it with the normal boot curve in the repair manual: it tells you at which stage the boot stops.</p>"
                ),
                Picture("current-curve"),
                Procedure(
                    "Diagnosis by current draw",
                    (
                        Step(
                            "<p>Disconnect the battery and place the board or device on the ESD mat.</p>",
                            warning=ESD_WARNING_EN,
                        ),
                        Step(
                            "<p>Set the supply's voltage from the model's repair manual, <b>set the current limit first</b>, then connect through the service power cable to the battery connector.</p>",
                            warning="Always set the current limit before powering: an unlimited current into a short burns the board's traces.",
                        ),
                        Step(
                            "<p>Current before the power button is pressed means leakage or a short: find the hot component with a thermal camera or rosin smoke.</p>"
                        ),
                        Step(
                            "<p>Current that stops at one value after pressing the button: find in the manual which power rail or chip the boot is stuck at.</p>"
                        ),
                        Step(
                            "<p>Write the current readings and your reasoning into the order's test record.</p>"
                        ),
                    ),
                ),
            ),
        ),
        Lesson(
            slug="precision-soldering",
            title="精密焊接与 BGA 作业",
            title_en="Precision soldering and BGA rework",
            minutes=50,
            body=(
                Clause(
                    "<p>主板级维修（包括 BGA 芯片拆焊、植锡与重焊）仅限持有有效高级技术员认证的人员，在具有主板维修授权的网点进行。</p>",
                    f"{SERVICE_STANDARD}第7.5条",
                    SERVICE_STANDARD_DATE,
                    "本网点没有主板维修授权的，主板故障一律转送上级网点，不得自行拆焊芯片。",
                ),
                Procedure(
                    "BGA 芯片拆焊",
                    (
                        Step(
                            "<p>拆下电池，以及芯片附近的塑料排线座、摄像头等怕热部件。</p>",
                            warning="热风不得吹向电池和塑料排线座；电池必须先拆下。",
                        ),
                        Step("<p>用耐高温胶带或隔热片保护相邻元件，把主板放在预热台上预热。</p>"),
                        Step(
                            "<p>涂适量助焊剂，按维修手册设定热风枪的温度和风量，均匀加热到焊锡熔化后取下芯片。</p>",
                            warning="热风枪和预热台表面温度很高：作业中不得离人，用完放回支架。",
                        ),
                        Step("<p>清理焊盘，检查焊盘无脱落；植锡后在显微镜下检查锡球。</p>"),
                        Step(
                            "<p>焊接后让主板自然冷却，不用冷风或液体急冷；冷却后做电流测试和功能测试。</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>每一次主板维修都要在工单中记录芯片位号、操作温度和测试结果。同一机型的同一颗芯片反复出故障时，上报品牌技术支持：这往往是设计或批次问题，而不是个别故障。</p>"
                ),
            ),
            body_en=(
                Clause(
                    "<p>Board-level repair (including BGA chip removal, reballing and resoldering) may be done only by holders of a valid senior technician certification, at outlets authorised for board repair.</p>",
                    f"{SERVICE_STANDARD_EN}, §7.5",
                    SERVICE_STANDARD_DATE,
                    "An outlet without board repair authorisation sends every board fault to a higher-level outlet and never lifts chips itself.",
                ),
                Procedure(
                    "Removing a BGA chip",
                    (
                        Step(
                            "<p>Remove the battery and any heat-sensitive parts near the chip: plastic connector housings, cameras.</p>",
                            warning="Never point hot air at the battery or plastic connectors; the battery comes out first.",
                        ),
                        Step(
                            "<p>Shield neighbouring components with heat-resistant tape or shields, and preheat the board on the preheater.</p>"
                        ),
                        Step(
                            "<p>Apply flux, set the hot-air station's temperature and airflow from the repair manual, heat evenly until the solder melts and lift the chip.</p>",
                            warning="The hot-air nozzle and preheater are very hot: never leave them unattended, and put them back in their holder after use.",
                        ),
                        Step(
                            "<p>Clean the pads and check that none lifted; after reballing, inspect the balls under the microscope.</p>"
                        ),
                        Step(
                            "<p>Let the board cool naturally, never with cold air or liquid; then run the current test and the function test.</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>Record the chip's reference designator, the temperatures used and the test results in the order for every board repair. When the same chip fails again and again on one model, report it to the brand's technical support: it is usually a design or batch problem, not a one-off.</p>"
                ),
            ),
        ),
        Lesson(
            slug="repeat-repair-analysis",
            title="返修件根因分析",
            title_en="Root-cause analysis of repeat repairs",
            minutes=50,
            body=(
                Text(
                    "<p>返修（修好的设备在 90 天内因同一故障回到网点）是技术质量最直接的指标。每一台返修设备都由高级技术员做根因分析，回答：为什么修好了又坏了？</p><h3>常见根因</h3>"
                    + _ul(
                        "<b>诊断不准</b>：只换了表现出故障的部件，没有找到真正的原因（例如只换屏幕，没有发现排线座虚焊）；",
                        "<b>操作损伤</b>：没有佩戴腕带造成的潜在静电损伤、撬片划伤排线、螺丝装错位置；",
                        "<b>配件问题</b>：配件批次不良（追溯码可查）；",
                        "<b>客户使用</b>：再次摔落或进水（有照片为证）。",
                    )
                ),
                Procedure(
                    "用“五个为什么”找到根因",
                    (
                        Step("<p>描述现象：返修设备的故障，首次维修的内容、时间和技术员。</p>"),
                        Step(
                            "<p>连续追问“为什么”，每个回答都要有证据：检测记录、照片、追溯码。</p>"
                        ),
                        Step(
                            "<p>找到可以采取措施的根因就停止，例如“该技术员没有做过笔记本电脑拆机的实操考核”。</p>"
                        ),
                        Step("<p>制定措施：培训、修改作业指导书或反馈配件质量，指定完成日期。</p>"),
                        Step("<p>在系统中关闭返修分析，把培训需求反馈给网点经理和培训讲师。</p>"),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>A repeat repair (a repaired device back within 90 days with the same fault) is the most direct measure of technical quality. A senior technician analyses every one to answer: why did it fail again?</p><h3>Common root causes</h3>"
                    + _ul(
                        "<b>Wrong diagnosis</b>: the part that showed the fault was replaced, not the cause (the screen was changed, the cracked solder joint on its connector missed);",
                        "<b>Damage in the repair</b>: latent ESD damage from working without a strap, a cable cut by a pick, a screw in the wrong hole;",
                        "<b>Bad parts</b>: a faulty batch, which the traceability code shows;",
                        "<b>Customer use</b>: dropped or wet again, with photos to show it.",
                    )
                ),
                Procedure(
                    "Five whys to the root cause",
                    (
                        Step(
                            "<p>Describe what happened: the fault now, and what the first repair was, when and by whom.</p>"
                        ),
                        Step(
                            "<p>Ask “why” again and again, each answer backed by evidence: test records, photos, traceability codes.</p>"
                        ),
                        Step(
                            "<p>Stop at a cause you can act on, such as “this technician never took the laptop disassembly practical assessment”.</p>"
                        ),
                        Step(
                            "<p>Decide the action (training, a revised work instruction, a parts quality report) and its date.</p>"
                        ),
                        Step(
                            "<p>Close the analysis in the system and pass the training need to the outlet manager and the trainers.</p>"
                        ),
                    ),
                ),
            ),
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
            body=(
                Text(
                    "<p>实操考核考的是“做”，不是“说”：评估员按评分表逐项观察考生的操作，只记录看到的事实。评分表分为一般项和<b>关键项</b>：一般项累计得分；任何一个关键项不合格，本次考核即不通过，与总分无关。</p><h3>防静电拆机考核的关键项</h3>"
                    + _ul(
                        "开工前没有测试腕带，或作业中没有佩戴腕带；",
                        "加热疑似鼓包的电池；",
                        "没有先断开电池排线就插拔其他排线；",
                        "用金属工具撬动屏幕或电池；",
                        "复装后没有做功能测试就判定合格。",
                    )
                ),
                Download("assessment-checklist", "考核时打印，每位考生一份，考核后扫描上传。"),
            ),
            body_en=(
                Text(
                    "<p>A practical assessment tests doing, not talking: the assessor watches the candidate item by item against the checklist and records only facts. The checklist has general items and <b>critical items</b>: general items add up to a score; a single failed critical item fails the assessment, whatever the score.</p><h3>Critical items of the ESD-safe disassembly assessment</h3>"
                    + _ul(
                        "no wrist strap test before work, or no strap worn during it;",
                        "heating a battery that may be swollen;",
                        "unplugging other cables before the battery;",
                        "prying the screen or battery with metal tools;",
                        "passing the device without a function test after reassembly.",
                    )
                ),
                Download(
                    "assessment-checklist",
                    "Print one per candidate; scan and upload it after the assessment.",
                ),
            ),
        ),
        Lesson(
            slug="fair-assessment",
            title="公正考核与反馈",
            title_en="Fair assessment and feedback",
            minutes=30,
            body=(
                Procedure(
                    "考核流程",
                    (
                        Step(
                            "<p>考核前：确认考生已完成相应课程，核对身份；检查工位、工具和考核用机完好。</p>"
                        ),
                        Step("<p>宣读考核要求和时间，说明评估员在考核中不做提示。</p>"),
                        Step(
                            "<p>考核中：只观察和记录，不提示、不代做；每一项记录看到的事实。</p>",
                            warning="考生出现安全风险（例如准备加热鼓包电池）时立即叫停，按关键项不合格处理。",
                        ),
                        Step(
                            "<p>考核后：当场告知结果，先说做得好的地方，再逐条说明不合格项和正确做法。</p>"
                        ),
                        Step("<p>当天在系统中提交评分表和证据照片；未通过的，约定补考时间。</p>"),
                    ),
                ),
                Clause(
                    "<p>评估员不得考核与本人有直接上下级关系或亲属关系的人员；同一考生补考时，应当更换评估员。</p>",
                    f"{TRAINING_RULES}第4.6条",
                    TRAINING_RULES_DATE,
                    "网点里只有你一位高级技术员时，请培训讲师安排其他网点的评估员，或采用视频远程考核。",
                ),
            ),
            body_en=(
                Procedure(
                    "Running an assessment",
                    (
                        Step(
                            "<p>Before: check that the candidate finished the required courses and is who they say; check the bench, the tools and the test device.</p>"
                        ),
                        Step(
                            "<p>Read out the task and the time allowed, and say that you will give no hints.</p>"
                        ),
                        Step(
                            "<p>During: only watch and record; no hints, no doing it for them; for every item note what you saw.</p>",
                            warning="Stop the assessment at once when the candidate creates a safety risk (about to heat a swollen battery, say); it counts as a failed critical item.",
                        ),
                        Step(
                            "<p>After: give the result on the spot; first what went well, then each failed item and the right way to do it.</p>"
                        ),
                        Step(
                            "<p>Submit the checklist and evidence photos in the system the same day; agree a retake date with a candidate who failed.</p>"
                        ),
                    ),
                ),
                Clause(
                    "<p>An assessor may not assess a person who reports to them directly, or to whom they report, or a relative. A retake shall be observed by a different assessor.</p>",
                    f"{TRAINING_RULES_EN}, §4.6",
                    TRAINING_RULES_DATE,
                    "If you are the only senior technician at your outlet, ask the trainers for an assessor from another outlet, or a remote video assessment.",
                ),
            ),
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
            body=(
                Text(
                    _ul(
                        "<b>90日返修率</b> = 90 天内因同一故障再次送修的台数 ÷ 同期完工台数。返修率高，说明诊断或操作有问题，往往对应培训缺口。",
                        "<b>一次修复率</b> = 一次送修即修好、无需再次到店的台数 ÷ 完工台数。",
                        "<b>客户满意度</b>：交机后回访问卷的平均得分（百分制）。",
                        "<b>维修周期</b>：从接机到通知取机的平均时长。",
                    )
                ),
                Picture("return-rate-chart"),
                Clause(
                    "<p>授权服务网点的月度质量目标：90日同故障返修率不高于 <b>2%</b>，客户满意度不低于 <b>90分</b>，一次修复率不低于 <b>95%</b>。连续两个月未达标的，须提交整改计划。</p>",
                    f"{PARTNER_RULES}第8.1条",
                    PARTNER_RULES_DATE,
                    "直营服务中心执行相同的目标。返修率上升时，先查是哪位技术员、哪类故障，再安排有针对性的复训。",
                ),
            ),
            body_en=(
                Text(
                    _ul(
                        "<b>90-day repeat repair rate</b> = devices back within 90 days with the same fault ÷ devices repaired in the period. A high rate points at diagnosis or workmanship, and usually at a training gap.",
                        "<b>First-time fix rate</b> = devices fixed on the first visit, with no second trip ÷ devices repaired.",
                        "<b>Customer satisfaction</b>: the average score (out of 100) of the survey after handover.",
                        "<b>Turnaround</b>: the average time from intake to telling the customer it is ready.",
                    )
                ),
                Picture("return-rate-chart"),
                Clause(
                    "<p>Monthly quality targets of authorised outlets: 90-day same-fault repeat repair rate no higher than <b>2%</b>, customer satisfaction at least <b>90</b>, first-time fix rate at least <b>95%</b>. An outlet that misses them two months running submits a corrective action plan.</p>",
                    f"{PARTNER_RULES_EN}, §8.1",
                    PARTNER_RULES_DATE,
                    "Brand-owned centres have the same targets. When repeat repairs rise, find which technician and which kind of fault first, then plan targeted refresher training.",
                ),
            ),
        ),
        Lesson(
            slug="huddles-and-spot-checks",
            title="晨会、工单抽检与整改闭环",
            title_en="Daily huddles, order sampling and closing the loop",
            minutes=30,
            body=(
                Procedure(
                    "每周质量例行工作",
                    (
                        Step(
                            "<p>每日晨会（10 分钟）：前一天的投诉、返修和超期工单，当天的重点提醒。</p>"
                        ),
                        Step(
                            "<p>每周抽检工单：每位技术员至少 5 张，核对接机照片、报价确认、配件追溯码和质检记录。</p>"
                        ),
                        Step("<p>每周查看返修清单，交高级技术员做根因分析。</p>"),
                        Step("<p>根据根因安排复训或实操考核，在系统中为相关人员指派课程。</p>"),
                        Step("<p>月底对照质量目标复盘，把整改措施写入下月计划。</p>"),
                    ),
                ),
                Text(
                    "<p>晨会讲事实、不点名批评；抽检发现的问题，先找本人核实，再决定是培训问题还是管理问题。</p>"
                ),
            ),
            body_en=(
                Procedure(
                    "The weekly quality routine",
                    (
                        Step(
                            "<p>Daily huddle (10 minutes): yesterday's complaints, repeat repairs and overdue orders; today's reminders.</p>"
                        ),
                        Step(
                            "<p>Weekly order sampling: at least 5 orders per technician, checking intake photos, quote confirmation, traceability codes and the final check.</p>"
                        ),
                        Step(
                            "<p>Weekly, pass the list of repeat repairs to a senior technician for root-cause analysis.</p>"
                        ),
                        Step(
                            "<p>Act on the causes with refresher training or a practical assessment, assigning courses to the people concerned in the system.</p>"
                        ),
                        Step(
                            "<p>At month end, review against the targets and put the corrective actions into next month's plan.</p>"
                        ),
                    ),
                ),
                Text(
                    "<p>Huddles deal in facts and never single people out; check a sampling finding with the person first, then decide whether it is a training or a management problem.</p>"
                ),
            ),
        ),
        Lesson(
            slug="audit-readiness",
            title="迎接品牌稽核",
            title_en="Being ready for a brand audit",
            minutes=30,
            body=(
                Text(
                    "<p>稽核不是突击考试，而是对日常工作的抽样：平时做到位，稽核就不需要准备。</p><h3>现场检查清单</h3>"
                    + _ul(
                        "三包政策和价目表在柜台显著位置公示；",
                        "每个维修工位有当月的防静电日检记录；",
                        "在岗人员的上岗证都在有效期内，新员工在完成入职培训前没有独立接待或维修；",
                        "配件库存、旧件与系统记录一致；",
                        "鼓包电池隔离存放，危废回收有记录。",
                    )
                ),
                Procedure(
                    "稽核当天",
                    (
                        Step("<p>陪同稽核员，如实提供工单、记录和人员名单。</p>"),
                        Step("<p>对发现的问题当场确认并拍照，不争辩、不补做记录。</p>"),
                        Step("<p>稽核结束后召集全员，传达发现的问题。</p>"),
                        Step("<p>2 个工作日内在系统中确认问题清单，按整改流程推进。</p>"),
                    ),
                ),
            ),
            body_en=(
                Text(
                    "<p>An audit is not a surprise exam but a sample of everyday work: an outlet that works right every day needs no preparation.</p><h3>Site checklist</h3>"
                    + _ul(
                        "the three-guarantees policy and the price list displayed prominently at the counter;",
                        "this month's ESD daily check log at every repair bench;",
                        "a valid certificate for everyone on duty, and no new starter serving or repairing alone before finishing onboarding;",
                        "parts stock and old parts matching the system;",
                        "swollen batteries stored apart, hazardous waste collection recorded.",
                    )
                ),
                Procedure(
                    "On the day",
                    (
                        Step(
                            "<p>Accompany the auditor and provide orders, records and staff lists as they are.</p>"
                        ),
                        Step(
                            "<p>Confirm and photograph each finding on the spot; do not argue, and never fill in records after the fact.</p>"
                        ),
                        Step("<p>After the audit, brief the whole team on the findings.</p>"),
                        Step(
                            "<p>Confirm the list of findings in the system within 2 working days and follow the corrective action process.</p>"
                        ),
                    ),
                ),
            ),
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
            body=(
                Text(
                    "<p>新员工入职后，系统按岗位自动分配入职培训，并从入职日（或转岗日）起计算完成期限。网点经理可以随时在“我的团队”中查看每个人的进度和到期日。</p>"
                ),
                Clause(
                    "<p>新入职或转岗人员在完成岗位入职培训并取得上岗证之前，不得独立接待客户或独立从事维修作业，须在持证人员指导下工作。</p>",
                    f"{TRAINING_RULES}第3.2条",
                    TRAINING_RULES_DATE,
                    "排班时把未持证的新员工和持证员工排在同一班次；稽核会核对排班表和证书。",
                ),
                Text(
                    "<p>入职培训逾期时，系统会提醒本人；逾期未完成的人员会出现在网点的合规报告中，影响网点的认证覆盖率。</p>"
                ),
            ),
            body_en=(
                Text(
                    "<p>When someone joins, the system assigns the onboarding for their role and counts the deadline from their start date (or the date they changed role). Outlet managers see everyone's progress and due dates at any time under “My team”.</p>"
                ),
                Clause(
                    "<p>A new starter, or a person who changed role, may not serve customers or repair devices alone before finishing the role's onboarding and receiving its certificate; until then they work under the guidance of a certified colleague.</p>",
                    f"{TRAINING_RULES_EN}, §3.2",
                    TRAINING_RULES_DATE,
                    "Roster uncertified new starters on the same shift as certified staff; auditors compare rosters with certificates.",
                ),
                Text(
                    "<p>When onboarding runs late the system reminds the person; anyone still not finished shows up in the outlet's compliance report and lowers its certification coverage.</p>"
                ),
            ),
        ),
        Lesson(
            slug="certificate-renewal",
            title="证书到期与复训安排",
            title_en="Certificate expiry and refresher planning",
            minutes=25,
            body=(
                Procedure(
                    "每月的证书管理",
                    (
                        Step(
                            "<p>每月第一周查看本网点的证书到期清单（未来 60 天内到期的人员）。</p>"
                        ),
                        Step("<p>为即将到期的人员指派复训课程，约定完成日期。</p>"),
                        Step("<p>需要实操考核的岗位，提前向培训讲师预约评估员和考核时间。</p>"),
                        Step(
                            "<p>考核通过后确认新证书已生效；未通过的安排补考，证书过期期间不得独立上岗。</p>"
                        ),
                        Step("<p>人员离职或转岗时及时在系统中更新，避免错误的培训分配。</p>"),
                    ),
                ),
            ),
            body_en=(
                Procedure(
                    "Managing certificates every month",
                    (
                        Step(
                            "<p>In the first week of each month, read the outlet's list of certificates expiring in the next 60 days.</p>"
                        ),
                        Step(
                            "<p>Assign refresher courses to those people and agree completion dates.</p>"
                        ),
                        Step(
                            "<p>For roles that need a practical assessment, book an assessor and a date with the trainers in good time.</p>"
                        ),
                        Step(
                            "<p>After a pass, check that the new certificate is in force; after a fail, arrange a retake; nobody works alone on an expired certificate.</p>"
                        ),
                        Step(
                            "<p>Update the system as soon as someone leaves or changes role, so that training is not assigned wrongly.</p>"
                        ),
                    ),
                ),
            ),
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
)

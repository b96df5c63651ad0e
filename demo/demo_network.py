"""
The demo service network: four partner companies, brand-owned service centres in tier-1 cities
and partner outlets in tier-2 and tier-3 cities, a few hundred people in every role, seven
sign-ins and the training home's English title and introduction.

`network_rows()` only builds rows, the same clean rows the HR file checks produce;
`seed_network()` writes them through the network import services, which upsert by outlet code
and employee number, so running it again writes nothing.
"""

import dataclasses
import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import HomePage
from network.imports import ImportReport
from network.models import CityTier, ImportBatch, Ownership, PartnerCompany, Role, Staff
from network.services import outlets_import, staff_import

# Published in the README and printed by seed_demo; only settings with DEMO_DATA_ALLOWED use it.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105
DEMO_SEED = 2026
ADMIN_USERNAME = "admin"
# The sign-ins a demo is walked through, one per kind of person; all but `admin` are staff rows.
SIGN_INS = (ADMIN_USERNAME, "trainer", "auditor", "partner", "manager", "frontdesk", "technician")

# The outlet whose manager, front desk and technician sign-ins show a partner outlet's view.
DEMO_OUTLET_CODE = "HY-001"
DEMO_PARTNER_CODE = "HNLX"

BRAND_EMAIL_DOMAIN = "brand.example.com"

# code, name, English name
PARTNER_COMPANIES = (
    ("HNLX", "湖南联信通讯服务有限公司", "Hunan Lianxin Telecom Services Co., Ltd."),
    ("JXHT", "江西恒通电子维修服务有限公司",
     "Jiangxi Hengtong Electronics Repair Services Co., Ltd."),
    ("SCTY", "四川天禹数码科技服务有限公司",
     "Sichuan Tianyu Digital Technology Services Co., Ltd."),
    ("AHXC", "安徽鑫城通信技术服务有限公司",
     "Anhui Xincheng Communication Technology Services Co., Ltd."),
)  # fmt: skip

# code, partner company code ("" for a brand-owned centre), province, city, tier, name,
# English name, address
OUTLETS = (
    ("BJ-D01", "", "北京市", "北京市", 1, "北京朝阳直营服务中心", "Beijing Chaoyang Service Centre",
     "北京市朝阳区建国路93号万达广场B座1层"),
    ("BJ-D02", "", "北京市", "北京市", 1, "北京海淀直营服务中心", "Beijing Haidian Service Centre",
     "北京市海淀区中关村大街15号1层"),
    ("SH-D01", "", "上海市", "上海市", 1, "上海徐汇直营服务中心", "Shanghai Xuhui Service Centre",
     "上海市徐汇区漕溪北路88号1层"),
    ("SH-D02", "", "上海市", "上海市", 1, "上海浦东直营服务中心", "Shanghai Pudong Service Centre",
     "上海市浦东新区张杨路501号2层"),
    ("GZ-D01", "", "广东省", "广州市", 1, "广州天河直营服务中心", "Guangzhou Tianhe Service Centre",
     "广州市天河区天河路208号3层"),
    ("SZ-D01", "", "广东省", "深圳市", 1, "深圳福田直营服务中心", "Shenzhen Futian Service Centre",
     "深圳市福田区深南中路3018号1层"),
    ("SZ-D02", "", "广东省", "深圳市", 1, "深圳南山直营服务中心", "Shenzhen Nanshan Service Centre",
     "深圳市南山区科苑路15号1层"),
    ("CD-D01", "", "四川省", "成都市", 2, "成都锦江直营服务中心", "Chengdu Jinjiang Service Centre",
     "成都市锦江区红星路三段99号1层"),
    ("CS-001", "HNLX", "湖南省", "长沙市", 2, "长沙五一大道授权服务中心",
     "Changsha Wuyi Avenue Authorised Service Centre", "长沙市芙蓉区五一大道368号1层"),
    ("CS-002", "HNLX", "湖南省", "长沙市", 2, "长沙韶山路授权服务中心",
     "Changsha Shaoshan Road Authorised Service Centre", "长沙市雨花区韶山中路421号1层"),
    ("HY-001", "HNLX", "湖南省", "衡阳市", 3, "衡阳解放大道授权服务中心",
     "Hengyang Jiefang Avenue Authorised Service Centre", "衡阳市蒸湘区解放大道36号1层"),
    ("YY-001", "HNLX", "湖南省", "岳阳市", 3, "岳阳巴陵路授权服务中心",
     "Yueyang Baling Road Authorised Service Centre", "岳阳市岳阳楼区巴陵中路128号1层"),
    ("ZZ-001", "HNLX", "湖南省", "株洲市", 3, "株洲建设路授权服务中心",
     "Zhuzhou Jianshe Road Authorised Service Centre", "株洲市芦淞区建设中路65号1层"),
    ("NC-001", "JXHT", "江西省", "南昌市", 2, "南昌八一大道授权服务中心",
     "Nanchang Bayi Avenue Authorised Service Centre", "南昌市东湖区八一大道357号1层"),
    ("NC-002", "JXHT", "江西省", "南昌市", 2, "南昌红谷滩授权服务中心",
     "Nanchang Honggutan Authorised Service Centre", "南昌市红谷滩区红谷中大道1368号1层"),
    ("GNZ-001", "JXHT", "江西省", "赣州市", 3, "赣州文清路授权服务中心",
     "Ganzhou Wenqing Road Authorised Service Centre", "赣州市章贡区文清路66号1层"),
    ("JJ-001", "JXHT", "江西省", "九江市", 3, "九江浔阳路授权服务中心",
     "Jiujiang Xunyang Road Authorised Service Centre", "九江市浔阳区浔阳路118号1层"),
    ("SR-001", "JXHT", "江西省", "上饶市", 3, "上饶五三大道授权服务中心",
     "Shangrao Wusan Avenue Authorised Service Centre", "上饶市信州区五三大道208号1层"),
    ("CD-001", "SCTY", "四川省", "成都市", 2, "成都建设路授权服务中心",
     "Chengdu Jianshe Road Authorised Service Centre", "成都市成华区建设路55号1层"),
    ("MY-001", "SCTY", "四川省", "绵阳市", 3, "绵阳临园路授权服务中心",
     "Mianyang Linyuan Road Authorised Service Centre", "绵阳市涪城区临园路东段48号1层"),
    ("MY-002", "SCTY", "四川省", "绵阳市", 3, "绵阳长虹大道授权服务中心",
     "Mianyang Changhong Avenue Authorised Service Centre", "绵阳市涪城区长虹大道北段112号1层"),
    ("YB-001", "SCTY", "四川省", "宜宾市", 3, "宜宾人民路授权服务中心",
     "Yibin Renmin Road Authorised Service Centre", "宜宾市翠屏区人民路86号1层"),
    ("DY-001", "SCTY", "四川省", "德阳市", 3, "德阳长江西路授权服务中心",
     "Deyang Changjiang West Road Authorised Service Centre", "德阳市旌阳区长江西路一段19号1层"),
    ("HF-001", "AHXC", "安徽省", "合肥市", 2, "合肥长江西路授权服务中心",
     "Hefei Changjiang West Road Authorised Service Centre", "合肥市蜀山区长江西路189号1层"),
    ("HF-002", "AHXC", "安徽省", "合肥市", 2, "合肥马鞍山路授权服务中心",
     "Hefei Ma'anshan Road Authorised Service Centre", "合肥市包河区马鞍山路130号1层"),
    ("WH-001", "AHXC", "安徽省", "芜湖市", 3, "芜湖中山路授权服务中心",
     "Wuhu Zhongshan Road Authorised Service Centre", "芜湖市镜湖区中山北路77号1层"),
    ("FY-001", "AHXC", "安徽省", "阜阳市", 3, "阜阳颍州路授权服务中心",
     "Fuyang Yingzhou Road Authorised Service Centre", "阜阳市颍州区颍州中路156号1层"),
    ("AQ-001", "AHXC", "安徽省", "安庆市", 3, "安庆人民路授权服务中心",
     "Anqing Renmin Road Authorised Service Centre", "安庆市迎江区人民路302号1层"),
)  # fmt: skip

# Front desk, technician and senior technician head counts by city tier: the big-city centres
# are busier and keep the senior technicians that smaller outlets often lack.
STAFFING = {
    CityTier.TIER_1: ((3, 4), (5, 6), (1, 2)),
    CityTier.TIER_2: ((2, 4), (4, 6), (1, 2)),
    CityTier.TIER_3: ((2, 3), (3, 5), (0, 1)),
}
PARTNER_ADMINS_PER_COMPANY = 2
TRAINERS = 6
AUDITORS = 4
# How many people who have left (离职) an outlet's records still list, and how likely each is.
FORMER_STAFF_WEIGHTS = {0: 5, 1: 3, 2: 1}

# Common surnames, most frequent first, and common given names.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
)
GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "霞", "平", "刚", "凯", "琳", "斌", "鑫", "宁", "辉", "倩", "颖", "秀英", "桂英",
    "建华", "建国", "志强", "志明", "文斌", "海燕", "晓东", "晓燕", "红梅", "丽娟", "俊杰", "浩然",
    "子豪", "梓涵", "雨欣", "思琪", "欣怡", "宇航", "嘉伟", "佳琪", "一鸣", "鹏飞", "文静", "婷婷",
    "晓明", "国强", "春梅", "玉兰", "海涛", "振宇", "晨曦", "雪莹", "志伟", "博文", "嘉怡", "俊宇",
    "诗涵", "子轩", "浩宇", "雅婷", "家豪", "天宇", "明轩", "梦瑶", "欣然", "晓雯", "建军", "丽华",
    "永强", "金凤", "立新", "文华", "晓峰", "亚楠", "静怡", "红霞", "建平", "小龙",
)  # fmt: skip
# Weighting by rank keeps 王, 李 and 张 about as common as they are in a real staff list.
_SURNAME_WEIGHTS = [1 / (rank + 8) for rank in range(len(SURNAMES))]
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "199",
)  # fmt: skip

# Hire dates are fixed, not relative to today, so that a later run writes the same rows.
_EARLIEST_HIRE = datetime.date(2015, 3, 1)
_LATEST_HIRE = datetime.date(2026, 9, 30)

HOME_TITLE_EN = "Training home"
HOME_INTRO = (
    "<p>售后服务学院是品牌售后服务体系的培训与认证平台。直营服务中心和各地授权服务商的前台接待、"
    "维修技术员和网点经理在这里学习统一的服务规范、三包政策和原厂配件规定，完成岗位课程、在线考试"
    "和实操考核，取得上岗证并按期更新。</p>"
    "<p>网点经理和服务商管理员随时可以查看本网点每位员工的培训与认证情况；质量监督部门按同一标准"
    "稽核每个网点，让三四线城市的合作网点和一线城市的直营服务中心一样专业。</p>"
)
HOME_INTRO_EN = (
    "<p>The Service Network Academy trains and certifies everyone who looks after the brand's "
    "customers once the sale is made. Front desk staff, technicians and outlet managers in "
    "brand-owned service centres and partner outlets learn the same service norms, the "
    "three-guarantees rules and the genuine-parts policy, then take role courses, online exams "
    "and practical assessments to earn certificates they renew on time.</p>"
    "<p>Outlet managers and partner administrators see at any moment who at their outlets is "
    "trained and certified for what; quality supervision audits every outlet against the same "
    "standard, so that partner outlets in smaller cities serve customers as well as the brand's "
    "own centres.</p>"
)


class DemoDataRefused(Exception):
    """The demo network cannot be written to this database."""


@dataclasses.dataclass
class SeedResult:
    """What one run of `seed_network()` wrote, and the rows it wrote from."""

    outlet_rows: list[dict]
    staff_rows: list[dict]
    outlets: ImportReport
    staff: ImportReport
    companies_written: int
    passwords_set: int
    home_page_written: bool
    # (username, who they are) for each demo sign-in
    sign_ins: list[tuple[str, str]]


def _person_name(rng: random.Random) -> str:
    return rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0] + rng.choice(GIVEN_NAMES)


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _outlet_rows() -> list[dict]:
    companies = {code: name for code, name, _name_en in PARTNER_COMPANIES}
    return [
        {
            "row": number,
            "code": code,
            "name": name,
            "name_en": name_en,
            "province": province,
            "city": city,
            "city_tier": tier,
            "ownership": (Ownership.PARTNER if company else Ownership.BRAND).value,
            "partner_company_code": company,
            "partner_company_name": companies.get(company, ""),
            "address": address,
            "is_active": True,
        }
        for number, (code, company, province, city, tier, name, name_en, address) in enumerate(
            OUTLETS, start=2
        )
    ]


class _StaffRows:
    """Collect staff rows, numbering employees per employer the way their HR systems do."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[dict] = []
        self.numbers = {"": 10000}

    def add(
        self,
        *,
        role: Role,
        employer: str,
        hired: tuple[datetime.date, datetime.date],
        outlet_code: str | None = None,
        partner_company_code: str | None = None,
        username: str = "",
        is_active: bool = True,
    ) -> None:
        self.numbers[employer] = self.numbers.get(employer, 0) + 1
        if employer:
            number = f"{employer}{self.numbers[employer]:04d}"
            domain = f"{employer.lower()}.example.com"
        else:
            number = f"BR{self.numbers[employer]:05d}"
            domain = BRAND_EMAIL_DOMAIN
        self.rows.append(
            {
                "row": len(self.rows) + 2,
                "employee_number": number,
                "name": _person_name(self.rng),
                "role": role.value,
                "outlet_code": outlet_code,
                "partner_company_code": partner_company_code,
                "hire_date": _date_between(self.rng, *hired),
                "email": f"{number.lower()}@{domain}",
                "phone": _mobile(self.rng),
                "username": username or number.lower(),
                "is_active": is_active,
            }
        )


def network_rows(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """
    Return the demo outlet rows and staff rows, in the shape `outlet_rows_check` and
    `staff_rows_check` return. The same `rng` seed always gives the same rows.
    """
    outlet_rows = _outlet_rows()
    staff = _StaffRows(rng)
    d = datetime.date
    for company, _name, _name_en in PARTNER_COMPANIES:
        for index in range(PARTNER_ADMINS_PER_COMPANY):
            staff.add(
                role=Role.PARTNER_ADMIN,
                employer=company,
                hired=(_EARLIEST_HIRE, d(2022, 6, 30)),
                partner_company_code=company,
                username="partner" if company == DEMO_PARTNER_CODE and index == 0 else "",
            )
    for outlet in outlet_rows:
        code, employer = outlet["code"], outlet["partner_company_code"]
        demo = code == DEMO_OUTLET_CODE
        front_desk, technicians, seniors = (
            rng.randint(*bounds) for bounds in STAFFING[outlet["city_tier"]]
        )
        staff.add(
            role=Role.OUTLET_MANAGER,
            employer=employer,
            hired=(_EARLIEST_HIRE, d(2022, 12, 31)),
            outlet_code=code,
            username="manager" if demo else "",
        )
        for _ in range(seniors):
            staff.add(
                role=Role.SENIOR_TECHNICIAN,
                employer=employer,
                hired=(_EARLIEST_HIRE, d(2021, 12, 31)),
                outlet_code=code,
            )
        for index in range(technicians):
            staff.add(
                role=Role.TECHNICIAN,
                employer=employer,
                hired=(d(2018, 1, 1), _LATEST_HIRE),
                outlet_code=code,
                username="technician" if demo and index == 0 else "",
            )
        for index in range(front_desk):
            staff.add(
                role=Role.FRONT_DESK,
                employer=employer,
                hired=(d(2019, 1, 1), _LATEST_HIRE),
                outlet_code=code,
                username="frontdesk" if demo and index == 0 else "",
            )
        former = rng.choices(list(FORMER_STAFF_WEIGHTS), weights=FORMER_STAFF_WEIGHTS.values())[0]
        for _ in range(former):
            staff.add(
                role=rng.choice((Role.FRONT_DESK, Role.TECHNICIAN)),
                employer=employer,
                hired=(d(2017, 1, 1), d(2023, 12, 31)),
                outlet_code=code,
                is_active=False,
            )
    for index in range(TRAINERS):
        staff.add(
            role=Role.TRAINER,
            employer="",
            hired=(_EARLIEST_HIRE, d(2024, 6, 30)),
            username="trainer" if index == 0 else "",
            # The last trainer has left; their courses and sign-offs stay on record.
            is_active=index < TRAINERS - 1,
        )
    for index in range(AUDITORS):
        staff.add(
            role=Role.AUDITOR,
            employer="",
            hired=(_EARLIEST_HIRE, d(2024, 6, 30)),
            username="auditor" if index == 0 else "",
        )
    return outlet_rows, staff.rows


def seed_network(*, seed: int = DEMO_SEED) -> SeedResult:
    """
    Write the demo network, the demo sign-ins and the home page introduction in one
    transaction. What is already there and matches is left alone, so a second run writes
    nothing.
    """
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoDataRefused(
            "Demo data is not allowed with these settings (DEMO_DATA_ALLOWED is False); "
            "nothing was written."
        )
    outlet_rows, staff_rows = network_rows(random.Random(seed))
    outlet_report = ImportReport(kind=ImportBatch.Kind.OUTLETS, total_rows=len(outlet_rows))
    staff_report = ImportReport(kind=ImportBatch.Kind.STAFF, total_rows=len(staff_rows))
    with transaction.atomic():
        _usernames_check(staff_rows)
        companies_written = _partner_companies_write()
        outlets_import(rows=outlet_rows, report=outlet_report)
        staff_import(rows=staff_rows, report=staff_report, actor=None)
        outlet_report.applied = staff_report.applied = True
        passwords_set = _sign_ins_write()
        home_page_written = _home_page_write()
        sign_ins = _sign_ins_describe()
    return SeedResult(
        outlet_rows=outlet_rows,
        staff_rows=staff_rows,
        outlets=outlet_report,
        staff=staff_report,
        companies_written=companies_written,
        passwords_set=passwords_set,
        home_page_written=home_page_written,
        sign_ins=sign_ins,
    )


def _usernames_check(staff_rows: list[dict]) -> None:
    # staff_import creates users by bulk insert and would fail on the unique username with an
    # IntegrityError; refuse first, with the names to rename.
    known = set(Staff.objects.values_list("employee_number", flat=True))
    new_usernames = [r["username"] for r in staff_rows if r["employee_number"] not in known]
    taken = sorted(
        get_user_model()
        .objects.filter(username__in=new_usernames)
        .values_list("username", flat=True)
    )
    if taken:
        raise DemoDataRefused(
            f"These usernames already belong to other accounts: {', '.join(taken)}. "
            "Rename or delete those accounts; nothing was written."
        )


def _partner_companies_write() -> int:
    # outlets_import creates a company from its code and name only; the demo companies also
    # have an English name and a contact address.
    existing = {c.code: c for c in PartnerCompany.objects.all()}
    written = 0
    for code, name, name_en in PARTNER_COMPANIES:
        values = {
            "name": name,
            "name_en": name_en,
            "contact_email": f"service@{code.lower()}.example.com",
            "is_active": True,
        }
        company = existing.get(code)
        if company is None:
            PartnerCompany.objects.create(code=code, **values)
            written += 1
            continue
        changed = [f for f, v in values.items() if getattr(company, f) != v]
        if changed:
            for f in changed:
                setattr(company, f, values[f])
            company.save(update_fields=changed)
            written += 1
    return written


def _sign_ins_write() -> int:
    """
    Make `admin` an active superuser and give every demo sign-in the demo password; return how
    many passwords were set.
    """
    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        User.objects.create_user(
            ADMIN_USERNAME,
            f"{ADMIN_USERNAME}@{BRAND_EMAIL_DOMAIN}",
            is_superuser=True,
            is_staff=True,
        )
    elif not (admin.is_superuser and admin.is_staff and admin.is_active):
        admin.is_superuser = admin.is_staff = admin.is_active = True
        admin.save(update_fields=["is_superuser", "is_staff", "is_active"])
    written = 0
    for user in User.objects.filter(username__in=SIGN_INS):
        # Hashing is slow on purpose; check first so that a second run hashes and writes nothing.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            written += 1
    return written


def _home_page_write() -> bool:
    page = HomePage.objects.first()
    if page is None:
        return False
    changed = False
    if not page.title_en.strip():
        page.title_en = HOME_TITLE_EN
        changed = True
    if not page.intro.strip():
        page.intro = HOME_INTRO
        changed = True
    if not page.intro_en.strip():
        page.intro_en = HOME_INTRO_EN
        changed = True
    if changed:
        page.save_revision().publish()
    return changed


def _sign_ins_describe() -> list[tuple[str, str]]:
    people = {
        s.user.username: s
        for s in Staff.objects.select_related("user", "outlet", "partner_company").filter(
            user__username__in=SIGN_INS
        )
    }
    described = []
    for username in SIGN_INS:
        person = people.get(username)
        if person is None:
            described.append((username, "superuser"))
            continue
        where = person.outlet or person.partner_company
        who = f"{person.name} {person.employee_number}, {person.get_role_display()}"
        described.append((username, f"{who}, {where}" if where else who))
    return described

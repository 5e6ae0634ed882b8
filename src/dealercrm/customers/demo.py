"""The demo dealer: a food and beverage wholesaler in 新野县 (南阳市, 河南省).

It has a boss, two managers, a clerk and twelve reps, a territory of five areas over the county's
real townships, three sub-distributors and 1,500 terminals whose files range from a bare name and
address to complete (personal profile included).

`build_demo()` is pure: from a fixed seed it returns plain specifications of every row, the same
on every run. `load_demo()` writes them with bulk inserts (plus one audit entry per created row)
so the whole dealer loads in a few seconds; `remove_demo()` takes it out again. The names of
shops, people and brands are invented.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.db import transaction
from django.db.models import ProtectedError
from django.test.utils import override_settings
from django.utils import timezone

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.accounts.services import create_user
from dealercrm.companies.models import Company
from dealercrm.companies.services import create_company
from dealercrm.core.audit import record_create
from dealercrm.core.models import AuditEntry, AuditSource, CompanyOwned
from dealercrm.customers.choices import (
    BirthdayCalendar,
    Channel,
    ContactRole,
    CustomerKind,
    MarketScale,
)
from dealercrm.customers.models import Assignment, CarriedProduct, Contact, Customer
from dealercrm.customers.services import derived_fields
from dealercrm.regions.models import SalesRegion
from dealercrm.regions.services import resolve_divisions

COMPANY_CODE = "DEMO"
COMPANY_NAME = "新野县鑫源食品饮料商贸有限公司"
PASSWORD = "demo1234"
SEED = 20091215
TERMINAL_COUNT = 1500

# ---------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Township:
    """A real township of 新野县 with an approximate centre, as the demo's smallest region."""

    name: str
    area: str  # the sales area (片) it belongs to
    latitude: float
    longitude: float
    weight: int  # share of the terminals
    market_days: str = ""  # 集市 days (农历), empty for the county town

    @property
    def short(self) -> str:
        return self.name[:-2] if self.name.endswith("街道") else self.name[:-1]

    @property
    def in_county_town(self) -> bool:
        return self.area == "城区片"


TOWNSHIPS = [
    Township("汉城街道", "城区片", 32.524, 112.356, 22),
    Township("汉华街道", "城区片", 32.514, 112.373, 18),
    Township("城郊乡", "城区片", 32.542, 112.342, 7, "逢一、四、七"),
    Township("王集镇", "东片", 32.452, 112.478, 6, "逢二、五、八"),
    Township("前高庙乡", "东片", 32.498, 112.522, 4, "逢三、六、九"),
    Township("溧河铺镇", "东片", 32.566, 112.452, 5, "逢一、四、七"),
    Township("歪子镇", "西片", 32.662, 112.201, 7, "逢二、五、八"),
    Township("上庄乡", "西片", 32.566, 112.183, 4, "逢三、六、九"),
    Township("上港乡", "西片", 32.452, 112.224, 4, "逢一、四、七"),
    Township("王庄镇", "南片", 32.362, 112.384, 6, "逢二、五、八"),
    Township("新甸铺镇", "南片", 32.402, 112.283, 5, "逢三、六、九"),
    Township("五星镇", "南片", 32.452, 112.362, 4, "逢一、四、七"),
    Township("施庵镇", "北片", 32.662, 112.521, 6, "逢二、五、八"),
    Township("沙堰镇", "北片", 32.632, 112.302, 5, "逢三、六、九"),
    Township("樊集乡", "北片", 32.582, 112.272, 4, "逢一、四、七"),
]
AREAS = {
    "城区片": "县城两个街道和城郊乡：商超、餐饮、酒店集中",
    "东片": "王集、前高庙、溧河铺，靠唐河县一侧",
    "西片": "歪子、上庄、上港，白河以西",
    "南片": "王庄、新甸铺、五星，靠湖北襄阳一侧",
    "北片": "施庵、沙堰、樊集，靠南阳市区一侧",
}
TOWN_STREETS = ["汉城路", "书院路", "人民路", "朝阳路", "新华路", "中兴路", "健康路"]
TOWN_STREETS += ["汉华路", "解放路", "建设路", "光武路", "白河路", "红旗路", "育才路"]
TOWNSHIP_STREETS = ["中心街", "东街", "西街", "南街", "北街", "新街", "府前路", "工业路"]
VILLAGE_SUFFIXES = "庄营湾岗楼寨店庙"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
SURNAMES += "邓曹彭曾田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
GIVEN_MALE = "建国 志强 国强 建华 海涛 春生 德胜 红军 永刚 保国 金山 长青 新民"
GIVEN_MALE += " 文斌 振华 家宝 明 伟 刚 斌 磊 军 勇 涛 鹏 亮"
GIVEN_FEMALE = "秀英 桂兰 红梅 玉兰 丽娟 春花 凤霞 晓燕 美玲 秀珍 小红 艳 丽 静 敏 娟 芳 霞 燕 琳"
WORDS = "鑫隆 福源 万家 惠民 金鑫 永盛 兴旺 好运 佳佳 乐购 顺发 宏达 家和 旺福 富民 天天 百姓 利民"
WORDS += " 恒丰 众兴 聚福 友谊 和顺 红星 新华 金桥 龙腾 春来 德胜 丰收 吉祥 平安 美佳 盛源 鸿运"
WORDS += " 隆昌 祥和 如意 鼎盛 喜来 汇丰 宏远 新星 金穗 利达 诚信 家乐 华联 益民 四季"

# Channel: (share of terminals, shop name patterns). {s} surname, {w} word, {t} township short.
CHANNELS: dict[str, tuple[int, list[str]]] = {
    Channel.KA: (6, ["{t}{w}超市", "{w}购物广场", "{w}生活超市", "{t}{w}量贩"]),
    Channel.CONVENIENCE: (20, ["{s}记便利店", "{w}便利店", "{w}24小时便利店", "{t}{w}便利"]),
    Channel.GROCERY: (38, ["{s}家食杂店", "{w}副食店", "{w}日杂百货", "{s}记小卖部", "{t}{w}商店"]),
    Channel.RESTAURANT: (
        20,
        ["{w}饭店", "{s}家菜馆", "老{s}家烩面馆", "{w}酒家", "{t}{s}记羊肉汤馆"],
    ),
    Channel.HOTEL: (4, ["{w}大酒店", "{w}宾馆", "{t}{w}商务酒店"]),
    Channel.WHOLESALE: (8, ["{s}记副食批发", "{w}批发部", "{t}{w}食品批发"]),
    Channel.OTHER: (4, ["{w}网吧", "{w}棋牌室", "{t}{w}KTV", "{t}中学{s}记小卖部"]),
}
# Per channel: staff, business area m², warehouse m², capital in 万元, cases a month per product.
SIZES: dict[str, dict[str, tuple[int, int]]] = {
    Channel.KA: {"staff": (8, 40), "area": (200, 1800), "store": (50, 400), "capital": (50, 500)},
    Channel.CONVENIENCE: {"staff": (1, 4), "area": (30, 120), "store": (0, 20), "capital": (3, 20)},
    Channel.GROCERY: {"staff": (1, 3), "area": (20, 80), "store": (0, 30), "capital": (1, 10)},
    Channel.RESTAURANT: {"staff": (3, 20), "area": (60, 400), "store": (5, 30), "capital": (5, 50)},
    Channel.HOTEL: {
        "staff": (10, 60),
        "area": (300, 3000),
        "store": (20, 100),
        "capital": (50, 800),
    },
    Channel.WHOLESALE: {
        "staff": (2, 8),
        "area": (50, 300),
        "store": (100, 800),
        "capital": (20, 200),
    },
    Channel.OTHER: {"staff": (1, 6), "area": (40, 200), "store": (0, 20), "capital": (2, 30)},
    "distributor": {
        "staff": (8, 20),
        "area": (200, 500),
        "store": (800, 2000),
        "capital": (200, 800),
    },
}
VOLUME = {Channel.KA: 60, Channel.HOTEL: 30, Channel.WHOLESALE: 80, "distributor": 400}

# (brand, product and spec, retail price); the dealer's own lines, then competitors'.
OWN_PRODUCTS = [
    ("清泉山", "饮用天然水 550ml", "2.00"),
    ("清泉山", "饮用天然水 4L", "8.00"),
    ("福满堂", "红烧牛肉面 袋装", "3.00"),
    ("福满堂", "老坛酸菜面 桶装", "4.50"),
    ("乐哈哈", "AD钙奶 220g×4", "7.50"),
    ("橙意满", "橙汁饮料 500ml", "3.50"),
    ("冰清", "冰红茶 500ml", "3.00"),
    ("豫丰", "火腿肠 40g×10", "9.90"),
]
COMPETITOR_PRODUCTS = [
    ("碧水湾", "饮用纯净水 550ml", "1.50"),
    ("麦香园", "红烧牛肉面 袋装", "2.50"),
    ("绿野", "茉莉清茶 500ml", "3.00"),
    ("白河", "清爽啤酒 500ml", "3.00"),
    ("宛都", "火腿肠 35g×10", "8.50"),
    ("果先生", "苹果汁饮料 450ml", "3.50"),
]

HOBBIES = ["钓鱼", "打牌", "下象棋", "听豫剧", "打篮球", "跳广场舞", "养花", "刷短视频", "打乒乓球"]
HABITS = ["抽烟", "爱喝白酒", "不喝酒", "爱喝茶", "早起", "晚上打麻将", "爱喝啤酒"]
PERSONALITIES = ["爽快，好说话", "精明，爱算账", "谨慎，先看样品", "热情好客", "直性子", "好面子"]
FAMILIES = [
    "已婚，一儿一女",
    "夫妻店，老伴帮忙看店",
    "儿子在郑州上大学",
    "女儿在县城教书",
    "三代同堂",
]
ORIGINS = ["本地人", "樊集乡人", "从唐河县过来", "从邓州过来做生意", "县城老户"]
EDUCATIONS = ["小学", "初中", "高中", "中专", "大专", "本科"]
BACKGROUNDS = ["原来在县供销社上班", "开过货车", "当过兵", "在广东打工多年回乡", "家里几代做生意"]
CONTACT_TITLES = {
    Channel.KA: ["店长", "采购", "收银主管"],
    Channel.RESTAURANT: ["前台", "采购", "老板娘"],
    Channel.HOTEL: ["采购经理", "前台经理"],
}
MOBILE_PREFIXES = [str(p) for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158)]
MOBILE_PREFIXES += [str(p) for p in (159, 166, 173, 175, 176, 177, 178, *range(180, 190), 198, 199)]

# ---------------------------------------------------------------------------- specifications


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    role: str
    mobile: str
    area: str = ""  # for a rep: the sales area they cover


@dataclass(frozen=True)
class RegionSpec:
    name: str
    parent: str | None
    notes: str = ""


@dataclass
class CustomerSpec:
    """One customer file: Customer field values, its relations by key, contacts and products."""

    code: str
    fields: dict[str, Any]
    region: str
    rep: str  # username
    parent_code: str | None = None
    contacts: list[dict[str, Any]] = field(default_factory=list)
    carried: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DemoDealer:
    company_code: str
    company_name: str
    password: str
    staff: list[StaffSpec]
    regions: list[RegionSpec]
    customers: list[CustomerSpec]


REPS_PER_AREA = {"城区片": 4, "东片": 2, "西片": 2, "南片": 2, "北片": 2}
REP_NAMES = ["王磊", "陈刚", "杨帆", "周鹏", "吴昊", "孙涛", "马超", "朱亮", "胡斌", "郭凯", "何伟"]
REP_NAMES += ["高峰"]


def build_staff(rng: random.Random) -> list[StaffSpec]:
    """The boss, two managers, a clerk and twelve reps (rep01–rep12) spread over the areas."""
    staff = [
        StaffSpec("boss", "张德胜", Role.BOSS, mobile(rng)),
        StaffSpec("manager1", "李红梅", Role.MANAGER, mobile(rng)),
        StaffSpec("manager2", "赵志强", Role.MANAGER, mobile(rng)),
        StaffSpec("clerk", "刘晓燕", Role.CLERK, mobile(rng)),
    ]
    areas = [area for area, count in REPS_PER_AREA.items() for _ in range(count)]
    for number, (name, area) in enumerate(zip(REP_NAMES, areas, strict=True), start=1):
        staff.append(StaffSpec(f"rep{number:02d}", name, Role.REP, mobile(rng), area))
    return staff


def build_regions() -> list[RegionSpec]:
    """Five areas (片), each over its real townships."""
    regions = [RegionSpec(area, None, notes) for area, notes in AREAS.items()]
    regions += [RegionSpec(t.name, t.area) for t in TOWNSHIPS]
    return regions


def mobile(rng: random.Random) -> str:
    """A mobile number in E.164 with a prefix that China's numbering plan has issued."""
    return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    """A 新野 landline (area code 0377, eight digits starting with 6) in E.164."""
    return f"+86377{rng.choice('66666678')}{rng.randrange(10**7):07d}"


def person_name(rng: random.Random, *, female: bool | None = None) -> str:
    female = rng.random() < 0.4 if female is None else female
    given = (GIVEN_FEMALE if female else GIVEN_MALE).split()
    return rng.choice(SURNAMES) + rng.choice(given)


def village(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}{rng.choice(VILLAGE_SUFFIXES)}村"


def address(rng: random.Random, township: Township, channel: str) -> tuple[str, str]:
    """(detailed address, market scale): a street number in town, else a village or the seat."""
    if township.in_county_town:
        return f"{rng.choice(TOWN_STREETS)}{rng.randint(1, 399)}号", MarketScale.COUNTY_TOWN
    in_seat = channel in (Channel.KA, Channel.HOTEL, Channel.WHOLESALE) or rng.random() < 0.55
    if in_seat:
        street = rng.choice(TOWNSHIP_STREETS)
        return f"{township.name}{street}{rng.randint(1, 199)}号", MarketScale.MARKET_FAIR
    return f"{township.name}{village(rng)}", MarketScale.VILLAGE


def position(rng: random.Random, township: Township) -> tuple[Decimal, Decimal]:
    """A point scattered around the township's centre (a few km), six decimals."""
    spread = 0.012 if township.in_county_town else 0.02
    lat = township.latitude + rng.gauss(0, spread)
    lon = township.longitude + rng.gauss(0, spread)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def shop_name(rng: random.Random, channel: str, township: Township, used: set[str]) -> str:
    """A shop name in the channel's style, unique within the demo (a branch number if needed)."""
    words = WORDS.split()
    for _attempt in range(8):
        pattern = rng.choice(CHANNELS[channel][1])
        name = pattern.format(s=rng.choice(SURNAMES), w=rng.choice(words), t=township.short)
        if name not in used:
            used.add(name)
            return name
    branch = 2
    while f"{name}{branch}店" in used:
        branch += 1
    used.add(f"{name}{branch}店")
    return f"{name}{branch}店"


def birthday(rng: random.Random) -> dict[str, Any]:
    """A solar birthday, or for about two in five a lunar one (农历, year often unknown)."""
    if rng.random() < 0.4:
        return {
            "birthday_calendar": BirthdayCalendar.LUNAR,
            "birthday_month": rng.randint(1, 12),
            "birthday_day": rng.randint(1, 29),
            "birthday_year": rng.choice([None, rng.randint(1960, 1995)]),
        }
    return {
        "birthday_calendar": BirthdayCalendar.SOLAR,
        "birthday_month": rng.randint(1, 12),
        "birthday_day": rng.randint(1, 28),
        "birthday_year": rng.randint(1960, 1998),
    }


def personal_profile(rng: random.Random, fill: float) -> dict[str, Any]:
    """§5 of the file: each item known with probability `fill`."""
    choices = {
        "hobbies": HOBBIES,
        "habits": HABITS,
        "personality": PERSONALITIES,
        "family": FAMILIES,
        "origin": ORIGINS,
        "education": EDUCATIONS,
        "background": BACKGROUNDS,
    }
    profile = {name: rng.choice(values) for name, values in choices.items() if rng.random() < fill}
    if rng.random() < fill:
        profile.update(birthday(rng))
    return profile


def contacts_for(
    rng: random.Random, channel: str, fill: float, personal: bool
) -> list[dict[str, Any]]:
    """The owner (负责人), and a primary contact (联系人) for about half of the files."""
    owner: dict[str, Any] = {
        "role": ContactRole.OWNER,
        "name": person_name(rng),
        "title": "老板",
    }
    if rng.random() < 0.3 + 0.7 * fill:
        owner["mobile"] = mobile(rng)
    if personal:
        owner.update(personal_profile(rng, max(fill, 0.5)))
    contacts = [owner]
    if rng.random() < fill:
        titles = CONTACT_TITLES.get(channel, ["老板娘", "店员", "收银员"])
        contact = {
            "role": ContactRole.CONTACT,
            "is_primary": True,
            "name": person_name(rng, female=rng.random() < 0.6),
            "title": rng.choice(titles),
        }
        if rng.random() < 0.4 + 0.6 * fill:
            contact["mobile"] = mobile(rng)
        contacts.append(contact)
    return contacts


def carried_for(rng: random.Random, channel: str, fill: float) -> list[dict[str, Any]]:
    """Brands carried (own and competitors'); with prices and monthly cases as fill allows."""
    if rng.random() > 0.2 + 0.8 * fill:
        return []
    count = rng.randint(2, 4) if channel not in (Channel.KA, "distributor") else rng.randint(6, 10)
    own = rng.sample(OWN_PRODUCTS, k=min(len(OWN_PRODUCTS), max(1, count * 2 // 3)))
    rival = rng.sample(COMPETITOR_PRODUCTS, k=min(len(COMPETITOR_PRODUCTS), max(1, count // 3)))
    detailed = rng.random() < fill
    base_volume = VOLUME.get(channel, 12)
    items = []
    for (brand, product, price), competitor in [(p, False) for p in own] + [
        (p, True) for p in rival
    ]:
        item: dict[str, Any] = {"brand": brand, "is_competitor": competitor}
        if detailed:
            item["product"] = product
            item["price"] = Decimal(price)
            if rng.random() < fill:
                item["monthly_volume"] = Decimal(rng.randint(1, base_volume))
        items.append(item)
    return items


def resources(rng: random.Random, size_key: str, fill: float) -> dict[str, Any]:
    """§4: staff, vehicles, business and warehouse area, capital; each known as fill allows."""
    size = SIZES[size_key]
    values: dict[str, Any] = {
        "staff_count": rng.randint(*size["staff"]),
        "vehicle_count": rng.randint(3, 8) if size_key == "distributor" else rng.randint(0, 2),
        "business_area": Decimal(rng.randint(*size["area"])),
        "warehouse_area": Decimal(rng.randint(*size["store"])),
        "capital": Decimal(rng.randint(*size["capital"]) * 10_000),
    }
    return {name: value for name, value in values.items() if rng.random() < fill}


def file_fill(rng: random.Random) -> tuple[float, bool]:
    """How complete a file is (0–1) and whether the owner's personal side is known.

    About one in ten files is complete, one in ten bare; the rest spread in between. The
    personal side (§5) is known for about 30%, the complete files included.
    """
    roll = rng.random()
    if roll < 0.1:
        return 1.0, True
    if roll < 0.2:
        return 0.0, False
    return rng.uniform(0.15, 0.9), rng.random() < 0.23


def build_customer(
    rng: random.Random,
    *,
    code: str,
    name: str,
    kind: str,
    channel: str,
    township: Township,
    rep: str,
    parent_code: str | None = None,
) -> CustomerSpec:
    fill, personal = file_fill(rng)
    street, scale = address(rng, township, channel)
    latitude, longitude = position(rng, township)
    fields: dict[str, Any] = {
        "code": code,
        "name": name,
        "kind": kind,
        "channel": channel if kind == CustomerKind.TERMINAL else "",
        "address": street,
        "latitude": latitude,
        "longitude": longitude,
        "phone": landline(rng) if rng.random() < 0.3 else mobile(rng),
    }
    if rng.random() < fill:
        fields["market_scale"] = scale
        if township.market_days and scale != MarketScale.COUNTY_TOWN:
            fields["market_notes"] = f"{township.name}农历{township.market_days}赶集"
    if rng.random() < fill:
        fields["indoor_ads"] = rng.random() < 0.6
        fields["outdoor_ads"] = rng.random() < 0.3
    size_key = "distributor" if kind == CustomerKind.DISTRIBUTOR else channel
    fields.update(resources(rng, size_key, fill))
    return CustomerSpec(
        code=code,
        fields=fields,
        region=township.name,
        rep=rep,
        parent_code=parent_code,
        contacts=contacts_for(rng, channel or "distributor", fill, personal),
        carried=carried_for(rng, channel or "distributor", fill),
    )


# Sub-distributors (分销商): township, name. Terminals nearby are often served through them.
DISTRIBUTORS = [
    ("歪子镇", "歪子镇宏达副食批发部"),
    ("施庵镇", "施庵镇聚丰食品经销部"),
    ("王集镇", "王集镇万顺商贸有限公司"),
]


def build_customers(rng: random.Random, staff: list[StaffSpec]) -> list[CustomerSpec]:
    """Three sub-distributors, then the terminals, each owned by a rep of its area."""
    reps_by_area: dict[str, list[str]] = {}
    for person in staff:
        if person.role == Role.REP:
            reps_by_area.setdefault(person.area, []).append(person.username)
    townships = {t.name: t for t in TOWNSHIPS}
    customers = []
    served_area: dict[str, str] = {}
    for number, (township_name, name) in enumerate(DISTRIBUTORS, start=1):
        township = townships[township_name]
        code = f"D{number:03d}"
        served_area[township.area] = code
        customers.append(
            build_customer(
                rng,
                code=code,
                name=name,
                kind=CustomerKind.DISTRIBUTOR,
                channel="",
                township=township,
                rep=rng.choice(reps_by_area[township.area]),
            )
        )
    used_names = {name for _township, name in DISTRIBUTORS}
    channels = list(CHANNELS)
    channel_weights = [CHANNELS[c][0] for c in channels]
    for number in range(1, TERMINAL_COUNT + 1):
        township = rng.choices(TOWNSHIPS, weights=[t.weight for t in TOWNSHIPS])[0]
        channel = rng.choices(channels, weights=channel_weights)[0]
        parent = served_area.get(township.area)
        # Small village shops are the ones a sub-distributor's van serves.
        served = parent and channel in (Channel.GROCERY, Channel.CONVENIENCE) and rng.random() < 0.5
        customers.append(
            build_customer(
                rng,
                code=f"T{number:04d}",
                name=shop_name(rng, channel, township, used_names),
                kind=CustomerKind.TERMINAL,
                channel=channel,
                township=township,
                rep=rng.choice(reps_by_area[township.area]),
                parent_code=parent if served else None,
            )
        )
    return customers


def build_demo(seed: int = SEED) -> DemoDealer:
    """Every row of the demo dealer, as plain values; the same seed gives the same dealer."""
    rng = random.Random(seed)
    staff = build_staff(rng)
    return DemoDealer(
        company_code=COMPANY_CODE,
        company_name=COMPANY_NAME,
        password=PASSWORD,
        staff=staff,
        regions=build_regions(),
        customers=build_customers(rng, staff),
    )


# ---------------------------------------------------------------------------- loading


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, used only while the demo logins are created.

    Every demo login shares one password that is printed on the screen, so a slow hash protects
    nothing, and sixteen full-strength hashes take about ten seconds here. The hash keeps the
    standard algorithm name, so the regular PBKDF2 hasher checks it and upgrades it to the full
    iteration count at the first login.
    """

    iterations = 1000


@contextmanager
def _fast_demo_hashing() -> Iterator[None]:
    """Hash with DemoPasswordHasher when the installation's default is PBKDF2 (it can check it)."""
    if get_hasher("default").algorithm != DemoPasswordHasher.algorithm:
        yield
        return
    hasher = f"{DemoPasswordHasher.__module__}.{DemoPasswordHasher.__qualname__}"
    with override_settings(PASSWORD_HASHERS=[hasher, *settings.PASSWORD_HASHERS]):
        yield


def demo_company() -> Company | None:
    return Company.objects.filter(code=COMPANY_CODE).first()


@dataclass
class LoadedDemo:
    company: Company
    staff: list[StaffSpec]
    password: str
    customers: int


@transaction.atomic
def load_demo(data: DemoDealer | None = None) -> LoadedDemo:
    """Create the demo company with its staff, regions and customers (one transaction)."""
    data = data or build_demo()
    company = create_company(data.company_code, data.company_name)
    users = _create_staff(company, data.staff, data.password)
    regions = _create_regions(company, data.regions)
    count = _create_customers(company, data.customers, users, regions)
    return LoadedDemo(company, data.staff, data.password, count)


def _create_staff(company: Company, staff: list[StaffSpec], password: str) -> dict[str, User]:
    with _fast_demo_hashing():
        return {
            person.username: create_user(
                username=person.username,
                company=company,
                role=person.role,
                password=password,
                display_name=person.display_name,
                mobile=person.mobile,
            )
            for person in staff
        }


def _create_regions(company: Company, specs: list[RegionSpec]) -> dict[str, SalesRegion]:
    """The territory tree, parents first (a new company: the names cannot clash)."""
    regions: dict[str, SalesRegion] = {}
    for spec in specs:
        regions[spec.name] = SalesRegion.objects.create(
            company=company, name=spec.name, parent=regions.get(spec.parent), notes=spec.notes
        )
    return regions


def _create_customers(
    company: Company,
    specs: list[CustomerSpec],
    users: dict[str, User],
    regions: dict[str, SalesRegion],
) -> int:
    """Customers, contacts, products and assignments in bulk, then one audit entry per row."""
    where = resolve_divisions(province="河南省", city="南阳市", county="新野县")
    by_code: dict[str, Customer] = {}
    files: list[tuple[Customer, list[Contact], list[CarriedProduct]]] = []
    for spec in specs:
        customer = Customer(
            company=company,
            **spec.fields,
            parent=by_code.get(spec.parent_code) if spec.parent_code else None,
            rep=users[spec.rep],
            sales_region=regions[spec.region],
            province=where.province,
            city=where.city,
            county=where.county,
        )
        by_code[spec.code] = customer
        contacts = [Contact(company=company, customer=customer, **c) for c in spec.contacts]
        # In Contact's default order, as the services read them back (the search text follows it).
        contacts.sort(key=lambda contact: (contact.role, not contact.is_primary))
        carried = [CarriedProduct(company=company, customer=customer, **c) for c in spec.carried]
        for name, value in derived_fields(customer, contacts, carried).items():
            setattr(customer, name, value)
        files.append((customer, contacts, carried))
    # Sub-distributors first: terminals refer to them as their parent.
    ordered = sorted(by_code.values(), key=lambda c: c.kind != CustomerKind.DISTRIBUTOR)
    distributors = [c for c in ordered if c.kind == CustomerKind.DISTRIBUTOR]
    Customer.objects.bulk_create(distributors)
    Customer.objects.bulk_create(ordered[len(distributors) :], batch_size=500)
    contacts = [contact for _c, people, _p in files for contact in people]
    carried = [item for _c, _people, items in files for item in items]
    Contact.objects.bulk_create(contacts, batch_size=500)
    CarriedProduct.objects.bulk_create(carried, batch_size=500)
    now = timezone.now()
    Assignment.objects.bulk_create(
        [
            Assignment(company=company, customer=c, rep=c.rep, started_at=now, reason="初始分配")
            for c in ordered
        ],
        batch_size=500,
    )
    entries = [record_create(None, AuditSource.SYSTEM, c, c.pk) for c in ordered]
    entries += [record_create(None, AuditSource.SYSTEM, c, c.customer_id) for c in contacts]
    entries += [record_create(None, AuditSource.SYSTEM, p, p.customer_id) for p in carried]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(ordered)


@transaction.atomic
def remove_demo(company: Company) -> None:
    """Delete the demo company and everything in it (for `dealercrm demo --reset`)."""
    # Trees protect their own rows (a parent with children); cut them first.
    Customer.objects.for_company(company).update(parent=None)
    SalesRegion.objects.for_company(company).update(parent=None)
    _delete_company_rows(company)
    User.objects.filter(company=company).delete()
    company.delete()


def _delete_company_rows(company: Company) -> None:
    """Delete the company's rows of every company-owned model, whatever the apps installed.

    A model whose rows others still protect is retried after those others are gone.
    """
    left = [model for model in apps.get_models() if issubclass(model, CompanyOwned)]
    while left:
        blocked = []
        for model in left:
            try:
                with transaction.atomic():
                    model._default_manager.filter(company=company).delete()
            except ProtectedError:
                blocked.append(model)
        if len(blocked) == len(left):
            raise ProtectedError("demo rows protect each other", set())
        left = blocked

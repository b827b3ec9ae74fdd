"""The fictional demo geography: S-town (S镇), L city (L市), Henan, and its neighbour Q-town.

The field study we start from (DESIGN.md §1) names its pilot town only "S-town, L city,
Henan"; everything below is invented. Division codes follow the real 12-digit pattern
(6-digit county + 3-digit township, 100-199 for a town + 3-digit village, 200-399 for a
village committee). The county borrows the code 410327 so that generated resident ID
numbers carry a region code that python-stdnum accepts for every birth year; its name is
the placeholder "X县".

Village weights make the villages uneven (the first is the largest, by construction, so
the demo director's village is known in advance). Each village has two or three dominant
lineage surnames, as Henan villages named after a lineage (王庄, 李楼 …) do.
"""

from dataclasses import dataclass

COUNTY_REGION = "410327"  # 6-digit region code of the county, also in ID numbers
PROVINCE_CODE = "410000000000"
PREFECTURE_CODE = "410300000000"
COUNTY_CODE = f"{COUNTY_REGION}000000"
S_TOWN_CODE = f"{COUNTY_REGION}101000"
Q_TOWN_CODE = f"{COUNTY_REGION}102000"

# Share of the demo's children who live in Q-town (the "outsider" township).
Q_TOWN_SHARE = 0.05

# Region codes of neighbouring counties and of the cities where parents work: a few
# children were first registered there. Each is used only for birth years in which
# python-stdnum knows it as valid (410381 偃师市 ended in 2021).
OTHER_REGIONS: tuple[str, ...] = ("410323", "410328", "410329", "410381", "410102", "441900")
OTHER_REGION_SHARE = 0.04

LEVELS: tuple[tuple[str, int, str, str], ...] = (
    # slug, depth, name_zh, name_en
    ("province", 0, "省", "Province"),
    ("prefecture", 1, "地级市", "Prefecture-level city"),
    ("county", 2, "县", "County"),
    ("township", 3, "乡镇", "Township"),
    ("village", 4, "行政村", "Village"),
)


@dataclass(frozen=True)
class Village:
    code_suffix: str  # the last three digits of the 12-digit code
    name_zh: str
    name_en: str
    weight: float  # relative number of children
    lineages: tuple[tuple[str, float], ...]  # dominant surnames and their share of fathers
    teaching_point: bool = False  # a village teaching point (教学点) for grades 1-3


S_TOWN_VILLAGES: tuple[Village, ...] = (
    Village("201", "王庄村", "Wangzhuang Village", 14, (("王", 0.32), ("李", 0.12))),
    Village("202", "李楼村", "Lilou Village", 10, (("李", 0.30), ("张", 0.12))),
    Village("203", "张洼村", "Zhangwa Village", 9, (("张", 0.26), ("刘", 0.10), ("王", 0.08))),
    Village("204", "刘营村", "Liuying Village", 8, (("刘", 0.30), ("马", 0.10))),
    Village("205", "郭店村", "Guodian Village", 8, (("郭", 0.28), ("杨", 0.12))),
    Village("206", "马岗村", "Magang Village", 7, (("马", 0.28), ("赵", 0.12))),
    Village("207", "孙寨村", "Sunzhai Village", 6, (("孙", 0.30), ("翟", 0.10)), True),
    Village("208", "柳树湾村", "Liushuwan Village", 6, (("陈", 0.22), ("周", 0.14))),
    Village("209", "东岭村", "Dongling Village", 5, (("杨", 0.25), ("牛", 0.15))),
    Village("210", "石桥村", "Shiqiao Village", 5, (("赵", 0.20), ("宋", 0.12), ("王", 0.08))),
    Village("211", "杨河村", "Yanghe Village", 5, (("杨", 0.28), ("程", 0.10))),
    Village("212", "槐树庄村", "Huaishuzhuang Village", 4, (("程", 0.22), ("贾", 0.14))),
    Village("213", "后沟村", "Hougou Village", 4, (("申", 0.25), ("李", 0.12)), True),
    Village("214", "南坡村", "Nanpo Village", 3, (("宋", 0.24), ("郝", 0.12)), True),
    Village("215", "老君庙村", "Laojunmiao Village", 3, (("张", 0.20), ("耿", 0.15))),
)

Q_TOWN_VILLAGES: tuple[Village, ...] = (
    Village("201", "前营村", "Qianying Village", 3, (("王", 0.25), ("闫", 0.15))),
    Village("202", "周屯村", "Zhoutun Village", 2, (("周", 0.28), ("刘", 0.10))),
)

# Where parents work: (place, weight, is_in_henan). Most go to the coast; some to
# Zhengzhou, close enough to come home monthly.
WORK_PLACES: tuple[tuple[str, float, bool], ...] = (
    ("广东省东莞市", 12, False),
    ("广东省深圳市", 9, False),
    ("广东省广州市", 6, False),
    ("浙江省义乌市", 7, False),
    ("浙江省杭州市", 6, False),
    ("浙江省宁波市", 5, False),
    ("江苏省苏州市", 9, False),
    ("江苏省昆山市", 4, False),
    ("上海市", 10, False),
    ("北京市", 9, False),
    ("福建省晋江市", 4, False),
    ("福建省厦门市", 3, False),
    ("河南省郑州市", 14, True),
)

DISABILITY_TYPES: tuple[str, ...] = (
    "肢体残疾",
    "智力残疾",
    "听力残疾",
    "言语残疾",
    "视力残疾",
    "精神残疾",
    "多重残疾",
)

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name_zh: str
    name_en: str
    org_type: str  # an Organisation.Type value
    sector: str  # an Organisation.Sector value
    area: str  # a key of the generated areas: county, s_town, q_town, village:S:201 …


# The organisations of the four welfare sectors (DESIGN.md §1). Village committees and
# teaching points are added per village by the generator.
ORGANISATIONS: tuple[OrgSpec, ...] = (
    # State.
    OrgSpec(
        "civil_affairs",
        "X县民政局",
        "X County Civil Affairs Bureau",
        "civil_affairs",
        "state",
        "county",
    ),
    OrgSpec("education", "X县教育局", "X County Education Bureau", "education", "state", "county"),
    OrgSpec("s_gov", "S镇人民政府", "S-town Government", "township_government", "state", "s_town"),
    OrgSpec("q_gov", "Q镇人民政府", "Q-town Government", "township_government", "state", "q_town"),
    OrgSpec(
        "police",
        "X县公安局S镇派出所",
        "S-town Police Station",
        "public_security",
        "state",
        "s_town",
    ),
    OrgSpec("health", "S镇卫生院", "S-town Health Centre", "health", "state", "s_town"),
    # Schools (public, so of the state sector).
    OrgSpec(
        "s_primary", "S镇中心小学", "S-town Central Primary School", "school", "state", "s_town"
    ),
    OrgSpec("s_junior", "S镇初级中学", "S-town Junior Middle School", "school", "state", "s_town"),
    OrgSpec(
        "s_kindergarten",
        "S镇中心幼儿园",
        "S-town Central Kindergarten",
        "school",
        "state",
        "s_town",
    ),
    OrgSpec(
        "q_primary", "Q镇中心小学", "Q-town Central Primary School", "school", "state", "q_town"
    ),
    OrgSpec(
        "senior",
        "X县第一高级中学",
        "X County No. 1 Senior High School",
        "school",
        "state",
        "county",
    ),
    OrgSpec(
        "vocational",
        "X县职业教育中心",
        "X County Vocational Education Centre",
        "school",
        "state",
        "county",
    ),
    # Voluntary and community.
    OrgSpec(
        "social_work",
        "X县阳光社会工作服务中心",
        "X County Sunshine Social Work Centre",
        "social_work",
        "voluntary",
        "county",
    ),
    OrgSpec(
        "volunteers",
        "S镇青年志愿者服务队",
        "S-town Youth Volunteer Team",
        "volunteer_team",
        "voluntary",
        "s_town",
    ),
    # Market.
    OrgSpec(
        "enterprise",
        "S镇宏达服装厂",
        "S-town Hongda Garment Factory",
        "enterprise",
        "market",
        "s_town",
    ),
    # Informal and family.
    OrgSpec(
        "mutual_help",
        "王庄村邻里互助会",
        "Wangzhuang Neighbourhood Mutual-Help Network",
        "family_network",
        "informal",
        "village:S:201",
    ),
)

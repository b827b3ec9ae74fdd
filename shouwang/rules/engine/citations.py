"""The documents behind every rule and parameter, with how far we trust each reading.

Grades (DOMAIN.md, "How much to trust each claim"):

- ``V1``: checked against the full text of the law;
- ``V2``: checked against secondary sources quoting the document; check the official text
  before release;
- ``R``: unconfirmed; encoded only as a configurable parameter with a default.

Titles, issuers, numbers and articles are kept in Chinese, as issued: they are names of
documents, not interface text, and are never translated.
"""

from dataclasses import dataclass
from typing import Any

GRADES = ("V1", "V2", "R")  # strongest first


@dataclass(frozen=True)
class Citation:
    """One document (and article) a rule or parameter rests on."""

    title: str  # document title in Chinese
    issuer: str
    grade: str  # "V1" | "V2" | "R"
    number: str | None = None  # document number, e.g. 国发〔2016〕13号; None for laws
    article: str | None = None  # e.g. 第二十一条第一款
    url: str | None = None  # where the text was seen (often a mirror: see DOMAIN.md)

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            msg = f"citation grade must be one of {', '.join(GRADES)}, not {self.grade!r}"
            raise ValueError(msg)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "number": self.number,
            "article": self.article,
            "grade": self.grade,
            "url": self.url,
        }

    def short(self) -> str:
        """A one-line reference: number (or title) and article."""
        head = self.number or f"《{self.title}》"
        return f"{head} {self.article}" if self.article else head


def weakest_grade(citations: "tuple[Citation, ...] | list[Citation]") -> str:
    """The least trusted grade among ``citations``: a rule is as sure as its weakest source."""
    return max((c.grade for c in citations), key=GRADES.index, default="R")


# ---------------------------------------------------------------------------------------
# 农村留守儿童 (DOMAIN.md §1)

GUOFA_2016_13 = Citation(
    title="国务院关于加强农村留守儿童关爱保护工作的意见",
    issuer="国务院",
    number="国发〔2016〕13号",
    grade="V2",
    url="https://www.gov.cn/xinwen/2016-04/25/content_5067587.htm",
)

# The 2016 census notice, as MCA explained it: 无监护能力 = "因重病、重残等原因丧失监护能力";
# the care-arrangement categories are those the census reported on.
MCA_2016_CENSUS = Citation(
    title="关于开展农村留守儿童摸底排查工作的通知",
    issuer="民政部、教育部、公安部",
    grade="V2",
    url="https://fx361.cc/page/2016/0530/22214416.shtml",
)

# 困境儿童 (DOMAIN.md §2)

GUOFA_2016_36 = Citation(
    title="国务院关于加强困境儿童保障工作的意见",
    issuer="国务院",
    number="国发〔2016〕36号",
    grade="V2",
    url="https://mzj.sz.gov.cn/szmz/pc/zmhd/ywzsk/qt/content/post_11401303.html",
)

# 事实无人抚养儿童 (DOMAIN.md §3)

MINFA_2019_62 = Citation(
    title="关于进一步加强事实无人抚养儿童保障工作的意见",
    issuer="民政部等12部门",
    number="民发〔2019〕62号",
    grade="V2",
)

MINFA_2019_62_PROCEDURE = Citation(
    title="关于进一步加强事实无人抚养儿童保障工作的意见",
    issuer="民政部等12部门",
    number="民发〔2019〕62号",
    article="办理时限（未核实）",
    grade="R",
)

MINFA_2020_125 = Citation(
    title="关于进一步做好事实无人抚养儿童保障有关工作的通知",
    issuer="民政部、公安部、财政部",
    number="民发〔2020〕125号",
    grade="V2",
    url="http://zwgk.changchun.gov.cn/ng/zfzcbm/ngqmzj/lzyj/202104/t20210423_2803092.html",
)

GUANGDONG_2019_10 = Citation(
    title="广东省事实无人抚养儿童保障实施文件（标题待核实）",
    issuer="广东省民政厅等",
    number="粤民规字〔2019〕10号",
    grade="V2",
)

# 未成年人保护法 (2020 revision, in force 2021-06-01; these articles unchanged in 2024) and
# 民法典 (DOMAIN.md §5)

_MPL_TITLE = "中华人民共和国未成年人保护法"
_MPL_ISSUER = "全国人民代表大会常务委员会"

MPL_ART_21_1 = Citation(
    title=_MPL_TITLE, issuer=_MPL_ISSUER, article="第二十一条第一款", grade="V1"
)
MPL_ART_21_2 = Citation(
    title=_MPL_TITLE, issuer=_MPL_ISSUER, article="第二十一条第二款", grade="V1"
)
MPL_ART_22 = Citation(title=_MPL_TITLE, issuer=_MPL_ISSUER, article="第二十二条", grade="V1")
MPL_ART_23 = Citation(title=_MPL_TITLE, issuer=_MPL_ISSUER, article="第二十三条", grade="V1")

CIVIL_CODE_ART_18 = Citation(
    title="中华人民共和国民法典", issuer="全国人民代表大会", article="第十八条", grade="V1"
)

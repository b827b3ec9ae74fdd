"""Generated registries with injected duplicates, for the linkage tests and benchmarks.

Deterministic (one ``random.Random(seed)``), no database: plain dicts with a ground-truth
``cluster_id``. Names come from the demo town's weighted lists (``shouwang.demo.names``),
so 张伟-style collisions are as common as in a real county. Splink's bundled example data
download at first use, so we never rely on them.

Each duplicate is a second registration of the same child with 1–3 of these corruptions:
a typo in the name (another character), a homophone (another character read the same),
day and month swapped, a birth date off by a day, a missing ID number, an ID number with
one wrong digit, a move to another village of the county, a different caregiver, a parent's
name written with a homophone. Twins (same parents, birth date and village, other names,
other ID) are injected as hard non-matches.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pypinyin import lazy_pinyin

from shouwang.demo import names
from shouwang.imports.synthetic import MEN, OLD_WOMEN, SURNAMES, WOMEN, child_name
from shouwang.lib.idcard import make_id_number

CHILDREN_PER_COUNTY = 20_000
TODAY = dt.date(2026, 3, 1)
CORRUPTIONS = (
    "typo",
    "homophone",
    "swap_day_month",
    "date_off_by_one",
    "missing_id",
    "id_typo",
    "moved_village",
    "other_carer",
    "parent_homophone",
)


def _homophones() -> dict[str, list[str]]:
    """Characters of the name lists grouped by their reading: 红/宏/鸿 -> hong."""
    chars: set[str] = set()
    for table in (
        names.BOY_POPULAR,
        names.BOY_FIRST,
        names.BOY_SECOND,
        names.BOY_SINGLE,
        names.GIRL_POPULAR,
        names.GIRL_FIRST,
        names.GIRL_SECOND,
        names.GIRL_SINGLE,
        names.MEN_NAMES,
        names.WOMEN_NAMES,
        names.OLD_WOMEN_NAMES,
    ):
        for word in table:
            chars.update(word)
    chars.update("宏鸿弘洪虹伟玮炜薇维微卫婷亭庭廷静靖敬晶菁军君俊峻郡丽莉立力俐利")
    by_reading: dict[str, list[str]] = defaultdict(list)
    for ch in sorted(chars):
        by_reading[lazy_pinyin(ch)[0]].append(ch)
    return {ch: [o for o in by_reading[lazy_pinyin(ch)[0]] if o != ch] for ch in chars}


HOMOPHONES = _homophones()
TYPO_CHARS = "明华国文建平军红英玉兰秀芳丽强伟刚勇杰涛斌超磊鹏辉"


@dataclass(frozen=True)
class Area:
    county: str  # 6-digit region
    villages: tuple[str, ...]  # 12-digit codes


def areas(n_children: int) -> list[Area]:
    counties = max(1, round(n_children / CHILDREN_PER_COUNTY))
    result = []
    for c in range(counties):
        region = f"41{c // 30 + 1:02d}{c % 30 + 1:02d}"
        villages = tuple(
            f"{region}{town:03d}{v:03d}" for town in range(100, 116) for v in range(201, 216)
        )
        result.append(Area(region, villages))
    return result


def _homophone(rng: random.Random, name: str, *, keep_surname: bool = True) -> str:
    positions = [i for i in range(1 if keep_surname else 0, len(name)) if HOMOPHONES.get(name[i])]
    if not positions:
        return _typo(rng, name)
    i = rng.choice(positions)
    return name[:i] + rng.choice(HOMOPHONES[name[i]]) + name[i + 1 :]


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name)) if len(name) > 1 else 0
    other = rng.choice([c for c in TYPO_CHARS if c != name[i]])
    return name[:i] + other + name[i + 1 :]


def _one_wrong_digit(rng: random.Random, number: str) -> str:
    i = rng.randrange(14, 17)  # the sequence digits: a date typo would also move the birth date
    digit = rng.choice([d for d in "0123456789" if d != number[i]])
    return number[:i] + digit + number[i + 1 :]


def _corrupt(rng: random.Random, rec: dict[str, Any], kind: str, area: Area) -> None:
    born: dt.date = rec["birth_date"]
    if kind == "typo":
        rec["name"] = _typo(rng, rec["name"])
    elif kind == "homophone":
        rec["name"] = _homophone(rng, rec["name"])
    elif kind == "swap_day_month":
        if born.day <= 12 and born.day != born.month:
            rec["birth_date"] = born.replace(month=born.day, day=born.month)
        else:
            rec["birth_date"] = born + dt.timedelta(days=rng.choice((-1, 1)))
    elif kind == "date_off_by_one":
        rec["birth_date"] = born + dt.timedelta(days=rng.choice((-1, 1)))
    elif kind == "missing_id":
        rec["id_number"] = ""
    elif kind == "id_typo":
        if rec["id_number"]:
            rec["id_number"] = _one_wrong_digit(rng, rec["id_number"])
    elif kind == "moved_village":
        rec["village"] = rng.choice([v for v in area.villages if v != rec["village"]])
    elif kind == "other_carer":
        rec["carer_name"] = SURNAMES.pick(rng) + OLD_WOMEN.pick(rng)
    elif kind == "parent_homophone":
        rec["father_name"] = _homophone(rng, rec["father_name"])


def registry(
    n: int, *, dup_rate: float = 0.1, twin_rate: float = 0.01, seed: int = 8
) -> list[dict[str, Any]]:
    """About ``n`` records: originals, ``dup_rate`` of them registered again (corrupted)."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, seeded on purpose)
    area_list = areas(n)
    n_orig = round(n / (1 + dup_rate))
    seqs: dict[tuple[str, dt.date], int] = defaultdict(int)
    out: list[dict[str, Any]] = []

    def new_child(area: Area, **same: Any) -> dict[str, Any]:
        sex = "male" if rng.random() < 0.545 else "female"
        surname = same.get("surname") or SURNAMES.pick(rng)
        born = same.get("birth_date") or TODAY - dt.timedelta(days=rng.randrange(365, 17 * 365))
        key = (area.county, born)
        seq = seqs[key] = seqs[key] + 1
        seq = seq * 2 + (1 if sex == "male" else 0)
        return {
            "cluster_id": len(out),
            "name": child_name(rng, surname, sex),
            "sex": sex,
            "birth_date": born,
            "id_number": make_id_number(area.county, born, seq % 1000)
            if rng.random() < 0.85
            else "",
            "village": same.get("village") or rng.choice(area.villages),
            "county": area.county,
            "father_name": same.get("father_name") or surname + MEN.pick(rng),
            "mother_name": same.get("mother_name") or SURNAMES.pick(rng) + WOMEN.pick(rng),
            "carer_name": same.get("carer_name") or SURNAMES.pick(rng) + OLD_WOMEN.pick(rng),
        }

    while len(out) < n_orig:
        area = area_list[len(out) * len(area_list) // n_orig]
        rec = new_child(area)
        out.append(rec)
        if rng.random() < twin_rate:
            twin = new_child(
                area,
                surname=rec["name"][0],
                **{k: rec[k] for k in ("birth_date", "village", "father_name", "mother_name")},
                carer_name=rec["carer_name"],
            )
            out.append(twin)
    originals = list(out)
    areas_by_county = {a.county: a for a in area_list}
    for rec in rng.sample(originals, round(len(originals) * dup_rate)):
        dup = dict(rec)
        for kind in rng.sample(CORRUPTIONS, rng.choice((1, 2, 2, 3))):
            _corrupt(rng, dup, kind, areas_by_county[rec["county"]])
        out.append(dup)
    rng.shuffle(out)
    for i, rec in enumerate(out):
        rec["unique_id"] = i
    return out


def true_pairs(records: list[dict[str, Any]]) -> set[tuple[int, int]]:
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for rec in records:
        by_cluster[rec["cluster_id"]].append(rec["unique_id"])
    pairs = set()
    for ids in by_cluster.values():
        ids.sort()
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs

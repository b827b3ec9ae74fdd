"""Synthetic census sheets for benchmarks and tests: fictional children, valid rows.

Deterministic (one ``random.Random(seed)``); names from the demo town's weighted lists,
so names repeat the way they do in a real township.
"""

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from shouwang.demo import names, town
from shouwang.geo.models import Area
from shouwang.imports.columns import BOOL, CHOICE, COLUMNS, label_for
from shouwang.imports.workbooks import village_label
from shouwang.lib.idcard import make_id_number

REGION = town.COUNTY_REGION  # a code valid in every birth year
WORK_PLACES = ("广东省东莞市", "浙江省杭州市", "上海市", "江苏省苏州市", "北京市", "郑州市")


class Picker:
    def __init__(self, pairs: Sequence[tuple[str, float]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(itertools.accumulate(p[1] for p in pairs))

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


SURNAMES = Picker(names.SURNAMES)


def _ranked(words: Sequence[str]) -> Picker:
    return Picker([(w, 1 / (i + 1) ** 0.9) for i, w in enumerate(words)])


GIVEN = {
    "male": (_ranked(names.BOY_POPULAR), _ranked(names.BOY_FIRST), _ranked(names.BOY_SECOND)),
    "female": (_ranked(names.GIRL_POPULAR), _ranked(names.GIRL_FIRST), _ranked(names.GIRL_SECOND)),
}
MEN, WOMEN = _ranked(names.MEN_NAMES), _ranked(names.WOMEN_NAMES)
OLD_WOMEN = _ranked(names.OLD_WOMEN_NAMES)


def child_name(rng: random.Random, surname: str, sex: str) -> str:
    popular, first, second = GIVEN[sex]
    if rng.random() < 0.25:
        return surname + popular.pick(rng)
    return surname + first.pick(rng) + second.pick(rng)


def census_rows(
    n: int, villages: Sequence[Area], *, seed: int = 8, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """``n`` valid census rows (85% with an ID number) spread over ``villages``."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, seeded on purpose)
    today = today or dt.date(2026, 3, 1)
    labels = [village_label(v) for v in villages]
    used: dict[tuple[dt.date, str], int] = {}
    for _ in range(n):
        sex = "male" if rng.random() < 0.545 else "female"
        surname = SURNAMES.pick(rng)
        born = today - dt.timedelta(days=rng.randrange(365, 15 * 365))
        nth = used[(born, sex)] = used.get((born, sex), -1) + 1
        seq = (nth * 2 + (1 if sex == "male" else 0)) % 1000
        left = born + dt.timedelta(days=rng.randrange(30, 900))
        left = min(left, today - dt.timedelta(days=1))
        yield {
            "village": labels[rng.randrange(len(labels))],
            "name": child_name(rng, surname, sex),
            "sex": sex,
            "birth_date": born,
            "id_number": make_id_number(REGION, born, seq) if rng.random() < 0.85 else "",
            "ethnicity": "汉族",
            "school_stage": "primary",
            "father_name": surname + MEN.pick(rng),
            "father_situation": "working_away",
            "father_phone": f"139{rng.randrange(10**8):08d}",
            "father_work_place": WORK_PLACES[rng.randrange(len(WORK_PLACES))],
            "father_away_since": left,
            "mother_name": SURNAMES.pick(rng) + WOMEN.pick(rng),
            "mother_situation": "working_away",
            "mother_work_place": WORK_PLACES[rng.randrange(len(WORK_PLACES))],
            "mother_away_since": left,
            "carer_relation": "paternal_grandmother",
            "carer_name": SURNAMES.pick(rng) + OLD_WOMEN.pick(rng),
            "carer_birth_year": rng.randint(1950, 1970),
            "confirmed_by_guardian": True,
            "father_birth_year": rng.randint(1975, 1992),
            "mother_birth_year": rng.randint(1977, 1994),
            "father_return_pattern": "spring_festival",
            "mother_return_pattern": RETURNS[rng.randrange(len(RETURNS))],
        }


RETURNS = ("spring_festival", "several_a_year", "rarely")


def write_xlsx(rows: Iterator[dict[str, Any]], path: Path, *, lang: str = "zh-hans") -> int:
    """Write rows in the template's layout (xlsxwriter, constant memory); return the count."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("儿童摸底登记")
    for i, column in enumerate(COLUMNS):
        ws.write_string(0, i, column.header(lang))
    labels: dict[tuple[str, str], str] = {}
    count = 0
    for r, row in enumerate(rows, start=1):
        count += 1
        for i, column in enumerate(COLUMNS):
            value = row.get(column.key)
            if value in (None, ""):
                continue
            if column.kind in (CHOICE, BOOL):
                code = ("true" if value else "false") if column.kind == BOOL else value
                key = (column.key, code)
                if key not in labels:
                    labels[key] = label_for(column, code, lang)
                ws.write_string(r, i, labels[key])
            elif isinstance(value, dt.date):
                ws.write_string(r, i, value.isoformat())
            elif isinstance(value, int):
                ws.write_number(r, i, value)
            else:
                ws.write_string(r, i, value)
    book.close()
    return count

"""Probabilistic record linkage of child registrations: Splink 5 on DuckDB.

A Fellegi–Sunter model (Splink) over these comparisons:

- name: same characters (term-frequency adjusted, so two 张伟 count for less than two
  庞梓萱), same pinyin (a homophone: 张红梅/章红梅), same dialect-folded pinyin
  (z/zh, n/l, an/ang…), one character different, same initials;
- birth date: exact, day and month swapped, within a day or one digit different;
- sex; resident ID number (exact, one digit different); father's, mother's and
  caregiver's names (pinyin exact or close); village (same village, same township).

Blocking (the pairs the model scores at all): same ID number; same birth date in the
county; same name pinyin in the county; same father's or mother's pinyin in the county.

m values (how often a true duplicate agrees at each level) are trained once on generated
data (``train_model``; saved in ``model.json``); u values (chance agreement) are re-estimated
within one county (the largest) of the registry being linked when it has enough records,
because blocked pairs are within a county; term frequencies always come from that
registry. Parents, birthday and village are scored together (``HOUSEHOLD``) so that
twins, who share all three, are told apart by name and ID number. Pinyin keys use
``shouwang.lib.pinyin`` and its surname table.
"""

import datetime as dt
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from shouwang.duplicates.keys import name_keys, pinyin_of

MODEL_PATH = Path(__file__).with_name("model.json")
THRESHOLD = 0.9  # match probability from which a pair enters the review queue
U_SAMPLE_MIN_RECORDS = 5_000  # a largest county below this keeps the shipped u values

BLOCKING_RULES = [
    "l.id_number = r.id_number",
    "l.birth_date = r.birth_date AND l.county = r.county",
    "l.name_py = r.name_py AND l.county = r.county",
    "l.father_py = r.father_py AND l.county = r.county",
    "l.mother_py = r.mother_py AND l.county = r.county",
]

SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("name", pa.string()),
        ("name_py", pa.string()),
        ("name_ini", pa.string()),
        ("name_fuzzy", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.string()),
        ("id_number", pa.string()),
        ("village", pa.string()),
        ("town", pa.string()),
        ("county", pa.string()),
        ("father_py", pa.string()),
        ("mother_py", pa.string()),
        ("carer_py", pa.string()),
    ]
)


def _level(sql: str, label: str, **kw: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **kw}


def _null(col: str) -> dict[str, Any]:
    return _level(f"{col}_l IS NULL OR {col}_r IS NULL", "null", is_null_level=True)


def _else() -> dict[str, Any]:
    return _level("ELSE", "else")


def _swap(side_a: str, side_b: str) -> str:
    return (
        f"substr(birth_date_{side_a}, 1, 4) = substr(birth_date_{side_b}, 1, 4) AND "
        f"substr(birth_date_{side_a}, 6, 2) = substr(birth_date_{side_b}, 9, 2) AND "
        f"substr(birth_date_{side_a}, 9, 2) = substr(birth_date_{side_b}, 6, 2)"
    )


# DuckDB's levenshtein counts UTF-8 bytes (3 per Hanzi), so count differing characters
# position by position (names have at most five; no lambdas, which sqlglot and DuckDB 2
# spell differently).
_DIFFERS = " + ".join(
    f"CAST(substr(name_l, {k}, 1) <> substr(name_r, {k}, 1) AS INTEGER)" for k in range(1, 6)
)
ONE_CHARACTER_DIFFERENT = (
    f"length(name_l) = length(name_r) AND length(name_l) >= 2 AND ({_DIFFERS}) = 1"
)

_SAME_PARENTS = " + ".join(
    f"CAST(coalesce({c}_l = {c}_r, FALSE) AS INTEGER)"
    for c in ("father_py", "mother_py", "carer_py")
)

# Twins share their parents, their birthday and their village. Scored as three independent
# pieces of evidence, that agreement made twins look like one child (at 1M records 95% of
# the false positives were twins). So the three are scored once, together, by the
# family comparison's first level; the birth date and village comparisons step aside
# (a null level: no evidence) for such a pair. Its u — how often two different
# children share parents, birthday and village: twins — cannot be sampled (about one
# random pair in a million), so it is counted on the labelled training data.
HOUSEHOLD = f"birth_date_l = birth_date_r AND village_l = village_r AND ({_SAME_PARENTS}) >= 2"
HOUSEHOLD_LABEL = "same parents, birthday and village"
PINNED_U = {("family", HOUSEHOLD_LABEL)}  # u from training, never re-sampled


def _household_elsewhere() -> dict[str, Any]:
    return _level(
        HOUSEHOLD, "same household and birthday (scored with the family)", is_null_level=True
    )


COMPARISONS: list[dict[str, Any]] = [
    {
        "output_column_name": "name",
        "comparison_description": "child's name",
        "comparison_levels": [
            _null("name"),
            _level(
                "name_l = name_r",
                "same characters",
                tf_adjustment_column="name",
                tf_adjustment_weight=1.0,
            ),
            _level(
                "name_py_l = name_py_r",
                "homophone",
                tf_adjustment_column="name_py",
                tf_adjustment_weight=1.0,
            ),
            _level("name_fuzzy_l = name_fuzzy_r", "dialect homophone"),
            _level(ONE_CHARACTER_DIFFERENT, "one character different"),
            _level("name_ini_l = name_ini_r", "same initials"),
            _else(),
        ],
    },
    {
        "output_column_name": "birth_date",
        "comparison_description": "date of birth",
        "comparison_levels": [
            _null("birth_date"),
            _household_elsewhere(),
            _level("birth_date_l = birth_date_r", "exact"),
            _level(_swap("l", "r"), "day and month swapped"),
            _level(
                "abs(date_diff('day', CAST(birth_date_l AS DATE), CAST(birth_date_r AS DATE)))"
                " <= 1 OR levenshtein(birth_date_l, birth_date_r) = 1",
                "within a day or one digit",
            ),
            _else(),
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_description": "sex",
        "comparison_levels": [_null("sex"), _level("sex_l = sex_r", "same"), _else()],
    },
    {
        "output_column_name": "id_number",
        "comparison_description": "resident ID number",
        "comparison_levels": [
            _null("id_number"),
            _level("id_number_l = id_number_r", "exact"),
            _level("damerau_levenshtein(id_number_l, id_number_r) <= 1", "one digit different"),
            _else(),
        ],
    },
    # One comparison for the family: father, mother and caregiver agree together in a
    # family, so three separate comparisons would count the same evidence three times
    # (and score twins, who share all of it, as one child).
    {
        "output_column_name": "family",
        "comparison_description": "father's, mother's and caregiver's names",
        "comparison_levels": [
            _level(
                "(father_py_l IS NULL OR father_py_r IS NULL) AND "
                "(mother_py_l IS NULL OR mother_py_r IS NULL)",
                "null",
                is_null_level=True,
            ),
            _level(HOUSEHOLD, HOUSEHOLD_LABEL),
            _level(f"({_SAME_PARENTS}) >= 2", "both parents (or a parent and caregiver) same"),
            _level(f"({_SAME_PARENTS}) = 1", "one of them same"),
            _level(
                "jaro_winkler_similarity(father_py_l, father_py_r) >= 0.9 OR "
                "jaro_winkler_similarity(mother_py_l, mother_py_r) >= 0.9",
                "a parent's pinyin close",
            ),
            _else(),
        ],
    },
    {
        "output_column_name": "village",
        "comparison_description": "village",
        "comparison_levels": [
            _null("village"),
            _household_elsewhere(),
            _level("village_l = village_r", "same village"),
            _level("town_l = town_r", "same township"),
            _else(),
        ],
    },
]


def settings_dict() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-5,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": r, "sql_dialect": "duckdb"} for r in BLOCKING_RULES
        ],
        "comparisons": COMPARISONS,
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


def _blank(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None


def to_table(records: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Records (``unique_id``, ``name``, ``sex``, ``birth_date``, ``id_number``, ``village``
    (12-digit code), ``county``, ``father_name``, ``mother_name``, ``carer_name``) -> the
    Arrow table Splink reads, with the pinyin keys. A ground-truth ``cluster_id`` (generated
    data) is kept for training."""
    cols: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    labels: list[int] = []
    for rec in records:
        if "cluster_id" in rec:
            labels.append(int(rec["cluster_id"]))
        chars, py, ini, fz, _surname = name_keys(rec.get("name") or "")
        born = rec.get("birth_date")
        village = _blank(rec.get("village"))
        cols["unique_id"].append(int(rec["unique_id"]))
        cols["name"].append(chars or None)
        cols["name_py"].append(py or None)
        cols["name_ini"].append(ini or None)
        cols["name_fuzzy"].append(fz or None)
        cols["sex"].append(_blank(rec.get("sex")))
        cols["birth_date"].append(born.isoformat() if isinstance(born, dt.date) else _blank(born))
        cols["id_number"].append(_blank(rec.get("id_number")))
        cols["village"].append(village)
        cols["town"].append(village[:9] if village else None)
        cols["county"].append(_blank(rec.get("county")) or (village[:6] if village else None))
        for key in ("father", "mother", "carer"):
            cols[f"{key}_py"].append(pinyin_of(rec.get(f"{key}_name") or "") or None)
    table = pa.table(cols, schema=SCHEMA)
    if labels:
        table = table.append_column("cluster_id", pa.array(labels, pa.int64()))
    return table


def _connection(threads: int | None, memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def _linker(
    table: pa.Table,
    settings: dict[str, Any] | Path,
    con: duckdb.DuckDBPyConnection,
    name: str = "children",
) -> tuple[Any, Any]:
    from splink import DuckDBAPI, Linker  # noqa: PLC0415  (heavy import, only when linking)

    db = DuckDBAPI(connection=con)
    sdf = db.register(table, table_name=name)
    return Linker(sdf, settings, log_level="WARNING"), sdf


def train_model(table: pa.Table, path: Path = MODEL_PATH) -> dict[str, Any]:
    """Train on a generated registry with its ground truth and save the model.

    m values come from the labelled duplicates (``cluster_id``): how often a true duplicate
    agrees at each level is exactly what the generator's corruption rates encode. We tried
    unsupervised EM first: it learnt "same family" (twins share everything but the given
    name and ID), so twins scored as duplicates.

    u values and the prior are *within one county* (the largest), like every blocked
    pair: u from random sampling, the prior from deterministic rules, and the household
    level's u from the labels (``_household_u``). ``link`` re-estimates u on the real
    registry, again within its largest county.
    """
    con = _connection(2, "16GB")
    county = _largest_county(table)
    linker, _sdf = _linker(county, settings_dict(), con, "children_county")
    linker.training.estimate_probability_two_random_records_match(
        ["l.id_number = r.id_number", "l.name = r.name AND l.birth_date = r.birth_date"],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    county_model = linker.misc.save_model_to_json()
    labelled, _sdf = _linker(table, county_model, con)
    labelled.training.estimate_m_from_label_column("cluster_id")
    model = labelled.misc.save_model_to_json()
    household_u = _household_u(table)
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if (comparison["output_column_name"], level["label_for_charts"]) in PINNED_U:
                level["u_probability"] = household_u
    _fill_untrained(model)
    path.write_text(json.dumps(model, ensure_ascii=False, indent=2) + "\n")
    return model


def _household_u(table: pa.Table) -> float:
    """Share of within-county pairs of *different* children (by ``cluster_id``) that
    agree on parents, birthday and village: twins, in generated data."""
    con = duckdb.connect()
    con.register("labelled", table)
    cols = ("birth_date", "village", "father_py", "mother_py", "carer_py")
    select = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    sql = (  # constants only, no input
        f"SELECT count(*) FROM (SELECT l.cluster_id AS c_l, r.cluster_id AS c_r, {select} "  # noqa: S608
        "FROM labelled l JOIN labelled r ON l.county = r.county "
        "AND l.birth_date = r.birth_date AND l.unique_id < r.unique_id) "
        f"WHERE c_l <> c_r AND {HOUSEHOLD}"
    )
    different = con.execute(sql).fetchall()[0][0]
    pairs = con.execute(
        "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM labelled GROUP BY county)"
    ).fetchall()[0][0]
    con.close()
    return max(different, 1) / pairs


def _fill_untrained(model: dict[str, Any]) -> None:
    """A level that random sampling never hit (two IDs one digit apart) gets a small u,
    and a level no labelled duplicate reached gets a small m, instead of Splink's default."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("u_probability") is None:
                level["u_probability"] = 1e-6
            if level.get("m_probability") is None:
                level["m_probability"] = 1e-4


@dataclass
class Link:
    left: int
    right: int
    match_probability: float
    match_weight: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class LinkResult:
    links: list[Link]
    records: int
    comparisons: int
    seconds: dict[str, float]


def link(
    records: Iterable[Mapping[str, Any]] | pa.Table,
    *,
    threshold: float = THRESHOLD,
    threads: int | None = 2,
    memory_limit: str | None = "16GB",
    reestimate_u: bool | None = None,
    count: bool = False,
    term_frequencies: bool = True,
) -> LinkResult:
    """Score every blocked pair of ``records`` and return those at ``threshold`` or above."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    table = records if isinstance(records, pa.Table) else to_table(records)
    seconds["keys"] = time.perf_counter() - t0
    if table.num_rows < 2:
        return LinkResult([], table.num_rows, 0, seconds)
    settings = json.loads(MODEL_PATH.read_text())
    if not term_frequencies:  # a handful of records says nothing about name frequencies
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
                level.pop("tf_adjustment_weight", None)
    con = _connection(threads, memory_limit)
    t0 = time.perf_counter()
    u_table = _largest_county(table)
    if reestimate_u if reestimate_u is not None else u_table.num_rows >= U_SAMPLE_MIN_RECORDS:
        trainer, _sdf = _linker(u_table, settings, con, "children_u")
        trainer.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
        settings = _with_registry_u(settings, trainer.misc.save_model_to_json())
    linker, sdf = _linker(table, settings, con)
    seconds["train"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    rel = predictions.as_duckdbpyrelation()
    cols = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    gammas = [c for c in rel.columns if c.startswith("gamma_")]
    rows = rel.select(", ".join(cols + gammas)).fetchall()
    seconds["predict"] = time.perf_counter() - t0
    links = [
        Link(
            left=min(r[0], r[1]),
            right=max(r[0], r[1]),
            match_probability=float(r[2]),
            match_weight=float(r[3]),
            detail={g.removeprefix("gamma_"): int(v) for g, v in zip(gammas, r[4:], strict=True)},
        )
        for r in rows
    ]
    comparisons = 0
    if count:
        t0 = time.perf_counter()
        comparisons = count_comparisons(sdf)
        seconds["count"] = time.perf_counter() - t0
    return LinkResult(links, table.num_rows, comparisons, seconds)


def _largest_county(table: pa.Table) -> pa.Table:
    """The records of the county with the most records.

    u (how often two records that are *not* the same child agree) must be measured on
    the kind of pairs the model scores, and every blocking rule but the ID number pairs
    records of one county only.
    Sampled across many counties, random pairs almost never share a village, so "same
    village" looked 50 times rarer at 1M records (50 counties) than inside a county, and
    twins and neighbours scored as duplicates (docs/duplicates.md, "Precision at 1M").
    """
    import pyarrow.compute as pc  # noqa: PLC0415

    counts = pc.value_counts(table["county"]).to_pylist()
    counts = [c for c in counts if c["values"] is not None]
    if len(counts) <= 1:
        return table
    county = max(counts, key=lambda c: (c["counts"], c["values"]))["values"]
    return table.filter(pc.equal(table["county"], county))


def _with_registry_u(shipped: dict[str, Any], estimated: dict[str, Any]) -> dict[str, Any]:
    """The estimated model, except where sampling on the registry found no pair at a
    level, and at the household level (``PINNED_U``): there the shipped u stays."""
    for comp, old in zip(estimated["comparisons"], shipped["comparisons"], strict=True):
        pairs = zip(comp["comparison_levels"], old["comparison_levels"], strict=True)
        for level, old_level in pairs:
            if level.get("is_null_level"):
                continue
            pinned = (comp["output_column_name"], level["label_for_charts"]) in PINNED_U
            if pinned or level.get("u_probability") is None:
                level["u_probability"] = old_level.get("u_probability")
    return estimated


def count_comparisons(linker_input: Any, *, sample: float = 1.0) -> int:
    """Pairs generated by the blocking rules (each pair once), counted by Splink."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules  # noqa: PLC0415

    records = count_comparisons_from_blocking_rules(
        linker_input,
        blocking_rules=[{"blocking_rule": r, "sql_dialect": "duckdb"} for r in BLOCKING_RULES],
        link_type="dedupe_only",
        record_sample_proportion=sample,
    )
    return int(records[-1]["cumulative_comparison_count"])


def precision_recall(
    predicted: Iterable[tuple[int, int]], truth: set[tuple[int, int]]
) -> tuple[float, float]:
    pred = {(min(a, b), max(a, b)) for a, b in predicted}
    tp = len(pred & truth)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall

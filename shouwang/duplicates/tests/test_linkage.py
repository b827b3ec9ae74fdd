"""Linkage quality on generated data: precision and recall at least 0.95 (issue 8)."""

import time

from shouwang.duplicates import generator, linkage
from shouwang.duplicates.keys import fuzzy, name_keys


def test_surname_readings_and_keys() -> None:
    assert name_keys("曾小明")[1] == "zengxiaoming"
    assert name_keys("单红")[1] == "shanhong"
    assert name_keys("解伟")[1] == "xiewei"
    assert name_keys("张红梅")[1] == name_keys("章红梅")[1]
    assert fuzzy("zhangfang") == fuzzy("zangfan")


def test_precision_and_recall_on_10000_generated_records() -> None:
    records = generator.registry(10_000, seed=5)  # the shipped model was trained on seed 1
    truth = generator.true_pairs(records)
    started = time.perf_counter()
    result = linkage.link(records)
    assert time.perf_counter() - started < 30
    precision, recall = linkage.precision_recall(((x.left, x.right) for x in result.links), truth)
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


def test_each_kind_of_corruption_is_found() -> None:
    import random  # noqa: PLC0415

    base = generator.registry(2_000, dup_rate=0.0, twin_rate=0.0, seed=7)
    rng = random.Random(3)  # noqa: S311
    records = list(base)
    area = generator.areas(2_000)[0]
    for i, kind in enumerate(generator.CORRUPTIONS):
        original = next(r for r in base[i * 10 :] if r["id_number"] and r["birth_date"].day <= 12)
        dup = dict(original, unique_id=10_000 + i)
        generator._corrupt(rng, dup, kind, area)
        records.append(dup)
    result = linkage.link(records, reestimate_u=False)
    found = {(x.left, x.right) for x in result.links}
    for i, kind in enumerate(generator.CORRUPTIONS):
        dup = records[len(base) + i]
        original = next(r for r in base if r["cluster_id"] == dup["cluster_id"])
        ids = (original["unique_id"], dup["unique_id"])
        pair = (min(ids), max(ids))
        assert pair in found, kind

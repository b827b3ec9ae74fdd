"""Comparison keys for linkage: pinyin (with the surname reading table), initials and a
dialect-folded "fuzzy pinyin" key, computed once per distinct name.

Names repeat a great deal (a county has dozens of 张伟), so the keys are cached per
string: 1M records need only the distinct names converted (pypinyin is pure Python).
"""

from functools import lru_cache

from shouwang.lib.pinyin import full_pinyin, normalise_name, pinyin_initials

# Registrars in the south mis-hear these (PERFORMANCE.md §1.3): fold them together.
_FOLDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def fuzzy(py: str) -> str:
    """zhangfang -> "zanfan": z/zh, c/ch, s/sh, n/l, f/h, an/ang, en/eng, in/ing folded."""
    for a, b in _FOLDS:
        py = py.replace(a, b)
    return py.replace("l", "n").replace("h", "f")


@lru_cache(maxsize=200_000)
def name_keys(name: str) -> tuple[str, str, str, str, str]:
    """(normalised characters, pinyin, initials, fuzzy pinyin, surname pinyin)."""
    clean = normalise_name(name or "")
    if not clean:
        return ("", "", "", "", "")
    py = full_pinyin(clean)
    surname = full_pinyin(clean[0]) if clean else ""
    return (clean, py, pinyin_initials(clean), fuzzy(py), surname)


@lru_cache(maxsize=200_000)
def pinyin_of(name: str) -> str:
    clean = normalise_name(name or "")
    return full_pinyin(clean) if clean else ""

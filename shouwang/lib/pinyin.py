"""Search keys for Chinese names: full toneless pinyin and pinyin initials.

Village staff type names on phones in three ways: the characters (张红梅), the full
pinyin (zhanghongmei) or the initials (zhm). We compute both pinyin keys when a record is
written and store them, so a search is an indexed string match, not pinyin conversion
of every row.

pypinyin has no surname mode (mozillazg/python-pinyin issue #297), so polyphonic
surnames would get their common reading (曾 -> ceng). A short override table gives the
surname reading of the first character when it is one of these surnames. Compound
surnames (欧阳, 司马…) need no override: their characters read normally.
"""

import unicodedata

from pypinyin import lazy_pinyin

# Surname readings that differ from the character's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "翟": "zhai",
    "乐": "yue",
    "盖": "ge",
    "覃": "qin",
    "尉": "yu",
    "缪": "miao",
    "种": "chong",
    "秘": "bi",
    "冼": "xian",
    "纪": "ji",
    "繁": "po",
    "员": "yun",
    "句": "gou",
    "召": "shao",
    "朝": "chao",
    "长": "chang",
    "重": "chong",
    "万": "wan",
    "沈": "shen",
    "石": "shi",
    "薄": "bo",
    "卜": "bu",
}


def normalise_name(name: str) -> str:
    """NFKC, no spaces or middle dots: what we compare and derive keys from."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "·•・.")


def _syllables(name: str) -> list[str]:
    cleaned = normalise_name(name)
    if not cleaned:
        return []
    syllables = [s.lower() for s in lazy_pinyin(cleaned, v_to_u=False, errors="default")]
    first = cleaned[0]
    if first in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[first]
    return [s for s in syllables if s.isascii()]


def full_pinyin(name: str) -> str:
    """张红梅 -> "zhanghongmei"; ü is written v (lv), as on a phone keyboard."""
    return "".join(_syllables(name)).replace(" ", "")


def pinyin_initials(name: str) -> str:
    """张红梅 -> "zhm": the first letter of each syllable."""
    return "".join(s[0] for s in _syllables(name) if s)


def has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def search_key(query: str) -> str:
    """A typed query folded the way stored keys are: lower case, no spaces, ü -> v."""
    text = unicodedata.normalize("NFKC", query).strip().lower()
    return "".join(ch for ch in text.replace("ü", "v") if not ch.isspace() and ch != "'")

from shouwang.lib.pinyin import full_pinyin, has_han, normalise_name, pinyin_initials, search_key


def test_it_gives_full_pinyin_and_initials() -> None:
    assert full_pinyin("张红梅") == "zhanghongmei"
    assert pinyin_initials("张红梅") == "zhm"


def test_it_reads_polyphonic_surnames_as_surnames() -> None:
    assert full_pinyin("曾小明") == "zengxiaoming"
    assert full_pinyin("单伟") == "shanwei"
    assert pinyin_initials("解放") == "xf"
    assert full_pinyin("卜凡") == "bufan"


def test_it_writes_u_umlaut_as_v_like_a_phone_keyboard() -> None:
    assert full_pinyin("吕丽") == "lvli"
    assert search_key("Lü Li") == "lvli"


def test_it_normalises_spaces_dots_and_full_width_letters() -> None:
    assert normalise_name(" 张 红梅 ") == "张红梅"
    assert normalise_name("阿依·古丽") == "阿依古丽"
    assert search_key("ＺＨＭ") == "zhm"
    assert search_key("Zhang Hong Mei") == "zhanghongmei"


def test_it_detects_han_characters() -> None:
    assert has_han("红")
    assert not has_han("zhm")

"""Han → every romanization, keys and codes; romanized → pinyin-syllable keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sojourn.core.names import han_forms, passport_pinyin, romanized_keys
from sojourn.core.names.readings import to_traditional
from sojourn.core.names.spellings import compact


@pytest.mark.parametrize(
    ("surname", "expected"),
    [
        ("单", "SHAN"),
        ("曾", "ZENG"),
        ("解", "XIE"),
        ("区", "OU"),
        ("仇", "QIU"),
        ("覃", "QIN"),
        ("查", "ZHA"),
        ("朴", "PIAO"),
        ("乐", "YUE"),
        ("缪", "MIAO"),
        ("翟", "ZHAI"),
        ("黑", "HE"),
        ("盖", "GE"),
        ("重", "CHONG"),
        ("种", "CHONG"),
        ("秘", "BI"),
        ("召", "SHAO"),
        ("繁", "PO"),
        ("员", "YUN"),
        ("折", "SHE"),
        ("薄", "BO"),
        ("尉迟", "YUCHI"),
        ("万俟", "MOQI"),
        ("长孙", "ZHANGSUN"),
        ("單", "SHAN"),  # traditional input
        ("區", "OU"),
    ],
)
def test_heteronym_surnames_take_their_surname_reading(surname: str, expected: str) -> None:
    assert passport_pinyin(surname, "明")[0] == expected


def test_passport_pinyin_joins_the_given_name() -> None:
    assert passport_pinyin("单", "晓明") == ("SHAN", "XIAOMING")
    assert passport_pinyin("張", "偉") == ("ZHANG", "WEI")


def test_u_umlaut_is_yu_on_the_passport_with_old_spellings_as_alternates() -> None:
    assert passport_pinyin("吕", "女") == ("LYU", "NYU")
    forms = han_forms("吕", "小明")
    surnames = {s for s, _ in forms.pinyin}
    assert {"LYU", "LU", "LV"} <= surnames


def test_compound_surnames_are_joined() -> None:
    assert passport_pinyin("欧阳", "娜娜") == ("OUYANG", "NANA")
    assert passport_pinyin("诸葛", "亮") == ("ZHUGE", "LIANG")
    assert passport_pinyin("司马", "迁") == ("SIMA", "QIAN")
    assert passport_pinyin("上官", "婉儿")[0] == "SHANGGUAN"


def test_two_surnames_combined_are_hyphenated() -> None:
    assert passport_pinyin("张王", "小明") == ("ZHANG-WANG", "XIAOMING")


def test_given_names_are_joined_spaced_and_hyphenated() -> None:
    forms = han_forms("单", "晓明")
    assert {("SHAN", "XIAOMING"), ("SHAN", "XIAO MING"), ("SHAN", "XIAO-MING")} <= forms.pinyin
    assert "SHAN XIAOMING" in forms.all_latin()


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("张", "伟", ("CHANG", "WEI")),
        ("徐", "志明", ("HSU", "CHIH-MING")),
        ("蔡", "英文", ("TSAI", "YING-WEN")),
        ("蒋", "经国", ("CHIANG", "CHING-KUO")),
        ("郭", "台铭", ("KUO", "TAI-MING")),
        ("谢", "长廷", ("HSIEH", "CHANG-TING")),
        ("欧阳", "明", ("OU-YANG", "MING")),
    ],
)
def test_wade_giles_forms(surname: str, given: str, expected: tuple[str, str]) -> None:
    assert expected in han_forms(surname, given).wade_giles


def test_taiwan_customary_and_mixed_forms() -> None:
    assert ("TSAI", "ING-WEN") in han_forms("蔡", "英文").taiwan
    assert ("MA", "YING-JEOU") in han_forms("马", "英九").taiwan
    assert ("CHEN", "SHUI-BIAN") in han_forms("陈", "水扁").taiwan  # pinyin syllable in a WG name
    assert ("LEE", "TENG-HUI") in han_forms("李", "登辉").taiwan


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("张", "伟", ("CHEUNG", "WAI")),
        ("陈", "大文", ("CHAN", "TAI MAN")),
        ("刘", "德华", ("LAU", "TAK WAH")),
        ("曾", "荫权", ("TSANG", "YAM KUEN")),
        ("单", "明", ("SIN", "MING")),
        ("区", "明", ("AU", "MING")),
        ("欧阳", "娜娜", ("AU YEUNG", "NA NA")),
        ("欧阳", "娜娜", ("AUYEUNG", "NA NA")),
        ("吴", "明", ("NG", "MING")),
        ("吴", "明", ("WOO", "MING")),
        ("司徒", "华", ("SZETO", "WA")),
        ("黄", "志明", ("WONG", "CHI MING")),
    ],
)
def test_hong_kong_forms(surname: str, given: str, expected: tuple[str, str]) -> None:
    assert expected in han_forms(surname, given).hk


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("黄", "志明", ("VONG", "CHI MENG")),
        ("王", "明", ("VONG", "MENG")),
        ("杨", "一", ("IEONG", "IAT")),
        ("郑", "诚", ("CHEANG", "SENG")),
        ("刘", "明", ("LAO", "MENG")),
        ("张", "明", ("CHEONG", "MENG")),
        ("郭", "明", ("KUOK", "MENG")),
        ("梁", "容", ("LEONG", "IONG")),
        ("周", "高", ("CHAO", "KOU")),
        ("吕", "明", ("LOI", "MENG")),
        ("赵", "明", ("CHIO", "MENG")),
        ("李", "明", ("LEI", "MENG")),
        ("曾", "明", ("CHANG", "MENG")),
        ("欧阳", "明", ("AO IEONG", "MENG")),
    ],
)
def test_macau_forms(surname: str, given: str, expected: tuple[str, str]) -> None:
    assert expected in han_forms(surname, given).macau


def test_simplified_and_traditional_share_keys() -> None:
    traditional, simplified = han_forms("張", "偉"), han_forms("张", "伟")
    assert traditional.simplified_key == simplified.simplified_key == "张伟"
    assert traditional.exact_key == simplified.exact_key
    assert simplified.traditional == "張偉"
    assert traditional.all_latin() == simplified.all_latin()


@pytest.mark.parametrize(("distinct", "merged"), [("於", "于"), ("甯", "宁"), ("鬱", "郁")])
def test_surnames_merged_by_t2s_block_together_but_are_not_the_same(distinct: str, merged: str) -> None:
    a, b = han_forms(distinct, "梨华"), han_forms(merged, "梨华")
    assert a.simplified_key == b.simplified_key
    assert a.exact_key != b.exact_key


@pytest.mark.parametrize(
    ("surname", "traditional"),
    [
        ("于", "于"),
        ("余", "余"),
        ("范", "范"),
        ("干", "干"),
        ("钟", "鍾"),
        ("沈", "沈"),
        ("郁", "郁"),
        ("朴", "朴"),
    ],
)
def test_traditional_surnames_avoid_opencc_isolated_character_traps(surname: str, traditional: str) -> None:
    assert han_forms(surname, "").traditional == traditional


def test_ccc_covers_both_codebooks() -> None:
    # 钟 is 6988 on the mainland (the code of 鐘); the surname 鍾 is 6945 in Taiwan (specs §2).
    assert {"6988", "6945"} <= han_forms("钟", "").ccc
    assert han_forms("鍾", "").ccc == han_forms("钟", "").ccc
    assert han_forms("张", "伟").ccc == frozenset({"1728 0251"})
    assert han_forms("欧阳", "").ccc == frozenset({"2962 7122"})


def test_ccc_keeps_distinct_surnames_apart() -> None:
    assert han_forms("于", "").ccc == frozenset({"0060"})
    assert han_forms("於", "").ccc == frozenset({"2456"})


def test_all_latin_is_normalized_surname_given() -> None:
    latin = han_forms("欧阳", "娜娜").all_latin()
    assert {"OUYANG NANA", "AUYEUNG NANA", "AOIEONG NANA"} <= latin
    assert all(s == s.upper() and "-" not in s for s in latin)


def test_romanized_keys_meet_across_systems() -> None:
    key = "zhang/wei"
    assert key in han_forms("张", "伟").pinyin_keys
    for surname, given_name in [("CHEUNG", "Wai"), ("CHANG", "Wei"), ("ZHANG", "Wei"), ("Cheong", "Vai")]:
        assert key in romanized_keys(surname, given_name), (surname, given_name)


def test_romanized_keys_split_joined_given_names() -> None:
    assert "zhang/xiaoming" in romanized_keys("ZHANG", "XIAOMING")
    assert "zhang/xiaoming" in romanized_keys("CHANG", "Hsiao-ming")
    assert "xu/zhiming" in romanized_keys("HSU", "Chih Ming")


def test_romanized_keys_keep_different_syllables_apart() -> None:
    assert not romanized_keys("ZHANG", "Wen") & romanized_keys("ZHANG", "Wei")
    assert not romanized_keys("WANG", "Wei") & romanized_keys("ZHANG", "Wei")


def test_romanized_keys_are_empty_for_non_chinese_parts() -> None:
    assert romanized_keys("CHAN", "Peter") == frozenset()
    assert romanized_keys("Scholz", "Olaf") == frozenset()


NAME_CHARACTERS = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建文辉力燕鹏飞斌宇浩凯健俊帆"


def test_a_name_reading_tojyutping_does_not_put_first_reads_back_to_the_name() -> None:
    # 宁 is NING in Hong Kong and NENG, or with n- said as l-, LENG in Macau (never CHU, 貯's reading).
    forms = han_forms("陈", "宁")
    assert {("CHAN", "NING"), ("CHAN", "LING")} <= forms.hk
    assert {("CHAN", "NENG"), ("CHAN", "LENG")} <= forms.macau
    for spelled in [("CHAN", "NING"), ("CHAN", "NENG"), ("CHAN", "LENG"), ("CHAN", "LING")]:
        assert "chen/ning" in romanized_keys(*spelled), spelled


@pytest.mark.parametrize("surname", ["陈", "张", "黄", "区"])
def test_the_first_cantonese_spelling_of_a_name_reads_back_to_it(surname: str) -> None:
    for given_name in NAME_CHARACTERS:
        forms = han_forms(surname, given_name)
        spelled = sorted(forms.hk)[0]
        assert forms.pinyin_keys & romanized_keys(*spelled), (surname + given_name, spelled)



@settings(max_examples=40, deadline=None)
@given(
    surname=st.sampled_from(["王", "张", "陈", "单", "曾", "吕", "欧阳", "区", "郑", "黄"]),
    given_name=st.text(alphabet=NAME_CHARACTERS, min_size=1, max_size=2),
)
def test_forms_are_consistent(surname: str, given_name: str) -> None:
    forms = han_forms(surname, given_name)
    # The passport form is one of the pinyin forms and survives normalization.
    assert forms.passport in forms.pinyin
    assert f"{compact(forms.passport[0])} {forms.passport[1]}" in forms.all_latin()
    # Every given character has spellings, and the pinyin key agrees with the passport.
    assert len(forms.given_syllables) == len(given_name)
    assert all(forms.given_syllables)
    # Writing the name in traditional characters changes no romanization and no key.
    traditional = han_forms(to_traditional(surname), to_traditional(given_name))
    assert traditional.exact_key == forms.exact_key
    assert traditional.all_latin() == forms.all_latin()

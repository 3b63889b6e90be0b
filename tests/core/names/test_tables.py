"""The hand-written tables: syllable inventory, Wade–Giles, Jyutping rules, surname table."""

from __future__ import annotations

import pytest

from sojourn.core.names.cantonese import hk_spellings, macau_spellings, split_jyutping
from sojourn.core.names.readings import segment_pinyin, to_simplified
from sojourn.core.names.spellings import segment, syllable_classes
from sojourn.core.names.surnames import COMPOUND, SINGLE, T2S_MERGED_SURNAMES
from sojourn.core.names.syllables import PINYIN_SYLLABLES, pinyin_spellings, wade_giles


@pytest.mark.parametrize(
    ("syllable", "expected"),
    [
        ("zhang", "CHANG"),
        ("xu", "HSU"),
        ("jiang", "CHIANG"),
        ("cai", "TSAI"),
        ("guo", "KUO"),
        ("xie", "HSIEH"),
        ("zeng", "TSENG"),
        ("zhou", "CHOU"),
        ("ye", "YEH"),
        ("zhuang", "CHUANG"),
        ("jian", "CHIEN"),
        ("shi", "SHIH"),
        ("zhi", "CHIH"),
        ("xue", "HSUEH"),
        ("dong", "TUNG"),
        ("ruan", "JUAN"),
        ("zi", "TZU"),
        ("si", "SSU"),
        ("er", "ERH"),
        ("yong", "YUNG"),
        ("xiong", "HSIUNG"),
        ("gui", "KUEI"),
        ("rui", "JUI"),
        ("yue", "YUEH"),
        ("que", "CHUEH"),
        ("lv", "LU"),
        ("ge", "KO"),
        ("luo", "LO"),
        ("huo", "HUO"),  # pypinyin's WADEGILES style gets 霍 wrong (ho)
        ("hai", "HAI"),  # ... and writes -ai as -ei (specs/names.md §2)
        ("lin", "LIN"),
    ],
)
def test_wade_giles_as_taiwan_passports_write_it(syllable: str, expected: str) -> None:
    assert wade_giles(syllable)[0] == expected


def test_wade_giles_alternates() -> None:
    assert wade_giles("si") == ("SSU", "SZU")
    assert "YI" in wade_giles("yi")


def test_every_inventory_syllable_has_an_apostrophe_free_wade_giles_spelling() -> None:
    spellings = {s for syllable in PINYIN_SYLLABLES for s in wade_giles(syllable)}
    assert all(s.isalpha() and s.isupper() for s in spellings)
    assert len(PINYIN_SYLLABLES) > 400


def test_u_umlaut_is_written_yu_on_passports_with_old_spellings_after() -> None:
    assert pinyin_spellings("lv") == ("LYU", "LU", "LV")
    assert pinyin_spellings("nv")[0] == "NYU"
    assert pinyin_spellings("lve")[0] == "LYUE"
    assert pinyin_spellings("zhang") == ("ZHANG",)


@pytest.mark.parametrize(
    ("jyutping", "expected"),
    [
        ("zoeng1", "CHEUNG"),
        ("can4", "CHAN"),
        ("wong4", "WONG"),
        ("lei5", "LEE"),
        ("ng4", "NG"),
        ("zau1", "CHOW"),
        ("loeng4", "LEUNG"),
        ("lau4", "LAU"),
        ("gwok3", "KWOK"),
        ("ceoi4", "TSUI"),
        ("ze6", "TSE"),
        ("zang1", "TSANG"),
        ("coi3", "CHOI"),
        ("jip6", "YIP"),
        ("heoi2", "HUI"),
        ("pun1", "POON"),
        ("lo4", "LAW"),
        ("paang4", "PANG"),
        ("joeng4", "YEUNG"),
        ("syun1", "SUEN"),
        ("si1", "SZE"),
        ("jyun4", "YUEN"),
        ("wu4", "WOO"),
        ("zan3", "CHUN"),  # §1a further variants: an → UN
        ("jat1", "YAT"),
        ("zi3", "CHEE"),
        ("siu6", "SHIU"),
        ("waa4", "WAH"),
    ],
)
def test_jyutping_to_hong_kong_spellings(jyutping: str, expected: str) -> None:
    assert expected in hk_spellings(jyutping)


@pytest.mark.parametrize(
    ("jyutping", "expected"),
    [
        ("jat1", "IAT"),
        ("joeng4", "IEONG"),
        ("jung4", "IONG"),
        ("wong4", "VONG"),
        ("wai4", "VAI"),
        ("zoeng1", "CHEONG"),
        ("can4", "CHAN"),
        ("zau1", "CHAO"),
        ("gwok3", "KUOK"),
        ("loeng4", "LEONG"),
        ("sing4", "SENG"),
        ("ming4", "MENG"),
        ("lau4", "LAO"),
        ("au1", "AO"),
        ("gou1", "KOU"),
        ("dou6", "TOU"),
        ("ceoi1", "CHUI"),
        ("leoi5", "LOI"),
        ("zung1", "CHONG"),
        ("sung3", "SONG"),
        ("lei5", "LEI"),
        ("sai3", "SAI"),
        ("on1", "ON"),
        ("ziu6", "CHIO"),
        ("jim4", "IM"),  # j + im is IM, not IIM
    ],
)
def test_jyutping_to_macau_spellings(jyutping: str, expected: str) -> None:
    assert expected in macau_spellings(jyutping)


def test_macau_does_not_use_hong_kong_only_spellings() -> None:
    assert "YEUNG" not in macau_spellings("joeng4")
    assert "CHEUNG" not in macau_spellings("zoeng1")


def test_split_jyutping() -> None:
    assert split_jyutping("gwok3") == ("gw", "ok")
    assert split_jyutping("ngai6") == ("ng", "ai")
    assert split_jyutping("ng4") == ("", "ng")
    assert split_jyutping("on1") == ("", "on")


def test_surname_table_traditional_forms_convert_back() -> None:
    # A typo in the traditional column would make traditional text miss its surname entry.
    for entry in (*SINGLE.values(), *COMPOUND.values()):
        if entry.simplified in T2S_MERGED_SURNAMES:
            continue
        assert to_simplified(entry.traditional) == entry.simplified, entry


def test_surname_table_readings_are_pinyin() -> None:
    for entry in (*SINGLE.values(), *COMPOUND.values()):
        for reading in entry.pinyin:
            assert segment_pinyin(reading), (entry.simplified, reading)


def test_surname_table_ranks_follow_frequency() -> None:
    assert SINGLE["王"].rank < SINGLE["张"].rank < SINGLE["曾"].rank < SINGLE["单"].rank
    assert min(e.rank for e in COMPOUND.values()) > max(e.rank for e in SINGLE.values())


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("XIAOMING", ("XIAO", "MING")),
        ("TAIMAN", ("TAI", "MAN")),
        ("JINPING", ("JIN", "PING")),
        ("AUYEUNG", ("AU", "YEUNG")),
        ("HSIAOMING", ("HSIAO", "MING")),
    ],
)
def test_joined_given_names_split_into_syllables(token: str, expected: tuple[str, ...]) -> None:
    assert segment(token)[0] == expected


@pytest.mark.parametrize("token", ["PETER", "SCHOLZ", "MERKEL", "OLAF"])
def test_non_chinese_tokens_do_not_segment(token: str) -> None:
    assert segment(token) == ()


def test_segment_pinyin_handles_passport_u_umlaut() -> None:
    assert segment_pinyin("LYU") == ("lv",)
    assert segment_pinyin("OUYANG") == ("ou", "yang")
    assert segment_pinyin("PETER") == ()


def test_syllable_classes_across_and_within_systems() -> None:
    assert "zhang" in syllable_classes("CHEUNG")
    assert {"zhang", "chang"} <= syllable_classes("CHANG")
    assert syllable_classes("LYU") == {"lv"}
    assert {"lu", "lv"} <= syllable_classes("LU")
    # Within pinyin a spelling is its own syllable; across systems MENG may be Macau for ming.
    assert syllable_classes("MENG", "pinyin") == {"meng"}
    assert "ming" in syllable_classes("MENG")
    assert syllable_classes("PETER") == frozenset()

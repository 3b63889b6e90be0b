"""NameRecord constructors and parse_name: script, split, order, system, English name, CCC."""

from __future__ import annotations

import pytest

from sojourn.core.names import NameRecord, parse_name


@pytest.mark.parametrize(
    ("text", "surname", "given"),
    [
        ("张伟", "张", "伟"),
        ("歐陽娜娜", "歐陽", "娜娜"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("司马迁", "司马", "迁"),
        ("诸葛亮", "诸葛", "亮"),
        ("上官婉儿", "上官", "婉儿"),
        ("司徒华", "司徒", "华"),
        ("欧阳 娜娜", "欧阳", "娜娜"),
        ("司马", "司", "马"),  # two characters: the compound would leave no given name
        ("张伟先生", "张", "伟"),
    ],
)
def test_han_names_split_on_compound_surnames(text: str, surname: str, given: str) -> None:
    record = parse_name(text)
    assert (record.script, record.surname, record.given_name) == ("han", surname, given)
    assert (record.surname_zh, record.given_zh) == (surname, given)
    assert record.order == "surname_first"


def test_transliterated_foreign_name_in_han() -> None:
    record = parse_name("贝拉克·奥巴马")
    assert (record.surname, record.given_name, record.order) == ("奥巴马", "贝拉克", "given_first")


@pytest.mark.parametrize(
    ("text", "surname", "given", "order"),
    [
        ("ZHANG Wei", "ZHANG", "Wei", "surname_first"),
        ("Wei ZHANG", "ZHANG", "Wei", "given_first"),
        ("ZHANG, Wei", "ZHANG", "Wei", "surname_first"),
        ("CHAN Tai Man", "CHAN", "Tai Man", "surname_first"),
        ("Tai Man CHAN", "CHAN", "Tai Man", "given_first"),
        ("Zhang Wei", "Zhang", "Wei", "surname_first"),
        ("Wei Zhang", "Zhang", "Wei", "given_first"),
        ("Tai Man Chan", "Chan", "Tai Man", "given_first"),
        ("AU YEUNG Ka Lok", "AU YEUNG", "Ka Lok", "surname_first"),
        ("Au Yeung Ka Lok", "Au Yeung", "Ka Lok", "surname_first"),
        ("ZHANG<<WEI", "ZHANG", "WEI", "surname_first"),
        ("TSAI, ING-WEN", "TSAI", "ING-WEN", "surname_first"),
        ("HSU Chih-ming", "HSU", "Chih-ming", "surname_first"),
    ],
)
def test_romanized_order_detection(text: str, surname: str, given: str, order: str) -> None:
    record = parse_name(text)
    assert (record.script, record.surname, record.given_name, record.order) == (
        "latin",
        surname,
        given,
        order,
    )


@pytest.mark.parametrize(
    ("text", "surname", "given"),
    [("Wang LI", "LI", "Wang"), ("Zhang WEI", "WEI", "Zhang"), ("LI Wang", "LI", "Wang")],
)
def test_uppercase_surname_convention_overrides_the_lexicon(text: str, surname: str, given: str) -> None:
    # Both tokens are common surnames; only the capitals say which one is meant.
    record = parse_name(text)
    assert (record.surname, record.given_name) == (surname, given)


def test_unknown_order_when_no_surname_is_known() -> None:
    record = parse_name("Olaf Scholz")
    assert record.order == "unknown"
    assert (record.surname, record.given_name) == ("Scholz", "Olaf")


@pytest.mark.parametrize(
    "text",
    ["CHAN Tai Man, Peter", "Peter CHAN Tai Man", "Mr. CHAN Tai Man, Peter", "Mr Peter CHAN Tai Man"],
)
def test_english_given_name_gets_its_own_part(text: str) -> None:
    record = parse_name(text)
    assert (record.surname, record.given_name, record.english_name) == ("CHAN", "Tai Man", "PETER")


def test_english_name_beside_a_lone_surname() -> None:
    record = parse_name("Peter CHAN")
    assert (record.surname, record.given_name, record.english_name) == ("CHAN", "", "PETER")


def test_chinese_given_name_that_looks_english_stays() -> None:
    # ANNA is an English name, but AN NA (安娜) is a Chinese one: it reads as syllables.
    record = parse_name("CHAN Anna")
    assert (record.given_name, record.english_name) == ("Anna", None)


@pytest.mark.parametrize("text", ["Dr. Wei ZHANG", "Prof ZHANG Wei", "Mrs ZHANG Wei"])
def test_titles_are_stripped(text: str) -> None:
    record = parse_name(text)
    assert (record.surname, record.given_name) == ("ZHANG", "Wei")


def test_mixed_script_keeps_both_parts() -> None:
    record = parse_name("张伟 ZHANG Wei")
    assert record.script == "mixed"
    assert (record.surname_zh, record.given_zh) == ("张", "伟")
    assert (record.surname, record.given_name) == ("ZHANG", "Wei")


def test_ccc_digits_are_taken_out() -> None:
    record = parse_name("CHAN Tai Man 7115 1129 2429")
    assert record.ccc == ("7115", "1129", "2429")
    assert (record.surname, record.given_name) == ("CHAN", "Tai Man")


@pytest.mark.parametrize(
    ("text", "system"),
    [
        ("ZHANG Wei", "pinyin"),
        ("CHEUNG Wai", "hk"),
        ("HSU Chih-ming", "wade_giles"),
        ("IEONG Iat", "macau"),
        ("CHANG Wei", None),  # fits pinyin and Wade–Giles alike
        ("Olaf Scholz", None),
    ],
)
def test_system_is_recorded_where_known(text: str, system: str | None) -> None:
    assert parse_name(text).system == system


def test_from_han() -> None:
    record = NameRecord.from_han("欧阳", "娜娜")
    assert record == parse_name("欧阳娜娜")
    assert record.has_han


def test_from_parts() -> None:
    record = NameRecord.from_parts("CHAN", "Tai Man, Peter")
    assert (record.surname, record.given_name, record.english_name) == ("CHAN", "Tai Man", "PETER")
    assert record.order == "surname_first"
    assert NameRecord.from_parts("張", "偉") == NameRecord.from_han("張", "偉")


def test_empty_name() -> None:
    record = parse_name("   ")
    assert (record.surname, record.given_name, record.order) == ("", "", "unknown")

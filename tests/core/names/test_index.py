"""CandidateIndex: variant spellings, scripts, typos and numbers find the entry; others do not."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.core.names import parse_name
from sojourn.core.names.index import CandidateIndex, ListEntry, name_keys, normalize_number, parse_names


@pytest.fixture(scope="module")
def index() -> CandidateIndex:
    entries = [
        ListEntry("zw", "internal", parse_names("张伟"), birth_date=date(1970, 5, 1), action="hold"),
        ListEntry(
            "lm", "lost", parse_names("李明"), doc_numbers=("E1234 5678",), id_numbers=("110101197005010011",)
        ),
        ListEntry("vp", "external", parse_names("Vladimir Putin", ["Владимир Путин"])),
        ListEntry("ctm", "external", parse_names("CHAN Tai Man, Peter")),
        ListEntry("xm", "internal", parse_names("ZHANG Xiaoming"), birth_year=1980),
    ]
    return CandidateIndex.build(entries)


def ids(index: CandidateIndex, name: str) -> set[str]:
    return {e.entry_id for e in index.query(name)}


@pytest.mark.parametrize(
    "query", ["CHEUNG Wai", "CHANG Wei", "ZHANG Wei", "張偉", "张伟", "Wei ZHANG", "CHEONG Vai", "ZHANG<<WEI"]
)
def test_variant_spellings_find_the_han_entry(index: CandidateIndex, query: str) -> None:
    assert "zw" in ids(index, query)


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("ZHANG Xiaomnig", "xm"),  # a typing error in the given name
        ("ZHNAG Xiaoming", "xm"),  # ... or in the surname
        ("张晓明", "xm"),
        ("Путин Владимир", "vp"),
        ("Vladimir Pulin", "vp"),
        ("nituP rimidalV", "vp"),
        ("陈大文", "ctm"),
        ("CHAN Tai Man", "ctm"),
    ],
)
def test_typos_scripts_and_order_find_the_entry(index: CandidateIndex, query: str, entry: str) -> None:
    assert entry in ids(index, query)


def test_unrelated_names_find_nothing(index: CandidateIndex) -> None:
    assert ids(index, "Olaf Scholz") == set()
    assert "zw" not in ids(index, "LI Ming")


def test_numbers_hit_regardless_of_name(index: CandidateIndex) -> None:
    found = index.query("Somebody Else", document_number="e12345678")
    assert [e.entry_id for e in found] == ["lm"]
    assert [e.entry_id for e in index.query(None, id_number="110101197005010011")] == ["lm"]
    assert normalize_number(" e 1234-5678 ") == "E12345678"


def test_entry_round_trips_through_the_columns(index: CandidateIndex) -> None:
    entry = next(e for e in index.query("张伟") if e.entry_id == "zw")
    assert entry.birth_date == date(1970, 5, 1)
    assert entry.birth_year == 1970
    assert entry.action == "hold"
    assert entry.names == parse_names("张伟")
    assert len(index) == 5


def test_repeated_names_are_stored_once() -> None:
    entries = [ListEntry(str(k), "l", parse_names("张伟")) for k in range(50)]
    index = CandidateIndex.build(entries)
    assert len(index.names) == 1
    assert len(index.query("ZHANG Wei")) == 50


def test_han_and_romanized_names_share_a_pinyin_key() -> None:
    assert name_keys(parse_name("张伟")) & name_keys(parse_name("CHEUNG Wai"), query=True)
    assert "h:张伟" in name_keys(parse_name("張偉"))

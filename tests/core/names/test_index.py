"""CandidateIndex: variant spellings, scripts, typos and numbers find the entry; others do not."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sojourn.core.names import parse_name
from sojourn.core.names.forms import NameRecord
from sojourn.core.names.index import (
    MAX_TOKEN_POSTINGS,
    CandidateIndex,
    ListEntry,
    _Buckets,
    name_keys,
    normalize_number,
    parse_names,
)


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


@pytest.mark.parametrize("size", [0, 1, 2, 3, 1000, 20_000])
def test_bucketed_search_finds_what_a_sorted_search_finds(size: int) -> None:
    rng = np.random.default_rng(size)
    info = np.iinfo(np.int64)
    pool = np.unique(rng.integers(info.min, info.max, size=2 * size + 2, dtype=np.int64))
    stored = np.sort(rng.permutation(pool)[:size])
    extremes = np.array([info.min, info.max, 0, -1], dtype=np.int64)
    needles = np.concatenate([pool, extremes, stored[:5]])
    at, found = _Buckets(stored).find(needles)
    present = set(stored.tolist())
    for needle, position, hit in zip(needles.tolist(), at.tolist(), found.tolist(), strict=True):
        assert hit == (needle in present)
        if hit:
            assert stored[position] == needle


def _reference_name_ids(index: CandidateIndex, record: NameRecord, limit: int | None) -> list[int]:
    """What ``lookup`` must return, from the key strings with sets: no hashing, no arrays."""
    postings: dict[str, set[int]] = {}
    for name_id, name in enumerate(index.names):
        for key in name_keys(name):
            postings.setdefault(key, set()).add(name_id)
    keys = [k for k in name_keys(record, query=True) if k in postings]
    keys = [k for k in keys if not (k.startswith("t:") and len(postings[k]) > MAX_TOKEN_POSTINGS)]
    found = set().union(*(postings[k] for k in keys if k[0] not in "cl"))
    first = set().union(*(postings[k] for k in keys if k[0] == "c"))
    last = set().union(*(postings[k] for k in keys if k[0] == "l"))
    found |= first & last
    if limit is None or len(found) <= limit:
        return sorted(found)
    weight = {n: sum((4 if k[0] in "ph" else 1) for k in keys if n in postings[k]) for n in found}
    ranked = sorted(found, key=lambda n: (-weight[n], n))
    return sorted(ranked[:limit])


def test_lookup_agrees_with_a_plain_set_reference() -> None:
    # Ambiguous Hong Kong and Macau spellings (coarse keys), characters, pinyin, typos, repeats.
    texts = ["CHAN Tai Man", "CHAN Tai Wai", "CHAN Siu Man", "CHEUNG Wai", "CHEONG Vai", "VONG Vai Soi",
             "WONG Wai Sui", "张伟", "張偉", "章伟", "张卫", "ZHANG Wei", "ZHANG Xiaoming", "ZHANG Xiaomin",
             "陈大文", "陈小文", "CHAN Dai Man", "李明", "LI Ming", "Olaf Scholz", "Olaf Schulz"]  # fmt: skip
    index = CandidateIndex.build(
        ListEntry(f"e{k}", "l", parse_names(text)) for k, text in enumerate(texts * 3)
    )
    for text in [*texts, "CHAN TAI MAN", "Wei ZHANG", "Man CHAN", "OLAF SCHOLZ", "Nobody Known"]:
        record = parse_name(text)
        for limit in (None, 1, 2, 3, 5):
            assert index.lookup(record, limit=limit).name_ids.tolist() == _reference_name_ids(index, record, limit)

"""The fast scoring path gives compare_names' scores exactly; the compact index keeps entries intact."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sojourn.core.names import compare_names, han_forms, parse_name, passport_pinyin
from sojourn.core.names.compiled import NameScorer, name_score, scoring_row
from sojourn.core.names.index import CandidateIndex, ListEntry, parse_names
from sojourn.core.names.romanize import HanParts
from sojourn.synth.names import draw_given_names, draw_surnames

CASES = Path(__file__).resolve().parents[4] / "shared" / "data" / "name_bench" / "cases.csv"


def _chinese_texts(n: int) -> list[str]:
    rng = np.random.default_rng(7)
    surnames = [str(s) for s in draw_surnames(rng, n)]
    givens = [str(g) for g in draw_given_names(rng, rng.choice(np.array(["M", "F"]), size=n))]
    texts: list[str] = []
    for surname, given in zip(surnames, givens, strict=True):
        forms = han_forms(surname, given)
        texts += [surname + given, forms.traditional, " ".join(passport_pinyin(surname, given))]
        texts += [f"{s} {g}" for s, g in sorted(forms.hk | forms.wade_giles)[:2]]
    return texts + ["CHAN Tai Man, Peter", "CHAN Tai Man, David", "單曉明", "SHAN Xiaoming", "DAN Xiaoming"]


def test_name_score_equals_compare_names_on_chinese_names() -> None:
    texts = _chinese_texts(60)
    records = [parse_name(t) for t in texts]
    for a in records[::3]:
        for b in records:
            assert name_score(a, b) == compare_names(a, b).score, (a.full, b.full)


def test_one_query_scores_many_names_as_one_by_one() -> None:
    # A query keeps its part scores across the names it scores: what it keeps for one name must
    # hold for the others (readings in other systems, other English names, characters).
    texts = _chinese_texts(60)
    # Written the other way round too, so that a reading other than the parsed one wins.
    texts += [" ".join(reversed(t.split())) for t in texts if t.isascii() and " " in t]
    records = [parse_name(t) for t in texts]
    rows = [scoring_row(b) for b in records]
    for a in records:
        expected = [compare_names(a, b).score for b in records]
        assert NameScorer(a).scores(rows) == expected, a.full


@pytest.mark.skipif(not CASES.exists(), reason="name_bench not available")
def test_name_score_equals_compare_names_on_name_bench() -> None:
    with CASES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        a, b = parse_name(row["name1"]), parse_name(row["name2"])
        assert name_score(a, b) == compare_names(a, b).score, (row["name1"], row["name2"])


@pytest.mark.parametrize(
    ("surname", "given"), [("张", "伟"), ("張", "偉"), ("单", "晓明"), ("欧阳", "娜娜"), ("於", "梨华")]
)
def test_han_parts_agree_with_han_forms(surname: str, given: str) -> None:
    forms, parts = han_forms(surname, given), HanParts(surname, given)
    for field in ("surname_key", "exact_key", "simplified_key", "pinyin_keys", "surname_spellings"):
        assert getattr(parts, field) == getattr(forms, field), field
    assert parts.given_spellings == forms.given_spellings
    assert parts.given_syllables == forms.given_syllables
    assert parts.surname_misreadings == forms.surname_misreadings
    for pairs in forms.by_system().values():
        for s, g in sorted(pairs)[:5]:
            assert parts.systems_of(s, g) == forms.systems_of(s, g)
            assert parts.systems_with_surname(s) == forms.systems_with_surname(s)
    assert parts.systems_of("SMITH", "JOHN") == forms.systems_of("SMITH", "JOHN") == ()


def test_entries_round_trip_through_the_columns() -> None:
    entries = [
        ListEntry(
            "a-1", "internal", parse_names("张伟", ["ZHANG Wei"]), birth_date=date(1970, 5, 1), sex="M"
        ),
        ListEntry("a-2", "lost", parse_names("李明"), id_numbers=("1101", "x-2"), doc_numbers=("E 1",)),
        ListEntry("a-3", "external", parse_names("Olaf Scholz"), birth_year=1958, nationality="DEU"),
        ListEntry("a-4", "external", parse_names("王芳"), id_numbers=("--",), action="notify"),
    ]
    index = CandidateIndex.build(entries)
    for k, entry in enumerate(entries):
        rebuilt = index.entry(k)
        expected = dataclasses.replace(
            entry,
            id_numbers=tuple(n.upper().replace("-", "").replace(" ", "") for n in entry.id_numbers),
            doc_numbers=tuple(n.upper().replace("-", "").replace(" ", "") for n in entry.doc_numbers),
            birth_year=entry.birth_date.year if entry.birth_date else entry.birth_year,
        )
        assert rebuilt == expected
        assert index.entry_ids[k] == entry.entry_id


def test_lookup_limit_keeps_the_names_sharing_most_keys() -> None:
    entries = [ListEntry(f"z{k}", "l", parse_names(f"张{g}")) for k, g in enumerate("伟卫威维为薇巍炜玮")]
    index = CandidateIndex.build(entries)
    everything = index.lookup(parse_name("张伟")).name_ids
    capped = index.lookup(parse_name("张伟"), limit=3).name_ids
    assert len(everything) > 3 and len(capped) == 3
    assert set(capped.tolist()) <= set(everything.tolist())
    exact = next(k for k, record in enumerate(index.names) if record.full == "张伟")
    assert exact in capped.tolist()  # the character key counts more than a shared reading

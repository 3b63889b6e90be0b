"""screen(): numbers decide, name-only queries refer at most, birth date and hold rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sojourn.core.names import parse_name
from sojourn.core.names.compiled import NameScorer
from sojourn.core.names.index import CandidateIndex, ListEntry, parse_names
from sojourn.core.screening import NAME_FLOOR, NUMBER_DIFFERS, _name_candidates, _number_delta, _Query, screen


@pytest.fixture(scope="module")
def index() -> CandidateIndex:
    return CandidateIndex.build(
        [
            ListEntry(
                "w-1",
                "internal",
                parse_names("张伟"),
                birth_date=date(1970, 5, 1),
                sex="M",
                nationality="CHN",
                id_numbers=("110101197005010011",),
                action="hold",
            ),
            ListEntry("w-2", "internal", parse_names("张卫"), birth_date=date(1982, 3, 9), action="hold"),
            ListEntry("w-3", "lost", parse_names("李明"), doc_numbers=("E12345678",), action="hold"),
            ListEntry("w-4", "external", parse_names("Olaf Scholz"), birth_year=1958, action="refer"),
            ListEntry("w-5", "external", parse_names("王芳"), action="notify"),
        ]
    )


def by_id(result: object, entry_id: str) -> dict[str, object]:
    matches = result.to_dict()["matches"]  # type: ignore[attr-defined]
    return next(m for m in matches if m["entry_id"] == entry_id)


def test_cheung_wai_born_that_day_finds_zhang_wei(index: CandidateIndex) -> None:
    result = screen(index, name="CHEUNG Wai", birth_date=date(1970, 5, 1))
    top = result.matches[0]
    assert (top.entry_id, top.list, top.match) == ("w-1", "internal", True)
    assert any("same birth date" in e for e in top.explanations)
    assert result.decision == "hold"
    assert set(result.to_dict()) >= {"decision", "matches"}
    assert set(by_id(result, "w-1")) >= {"entry_id", "list", "score", "match", "explanations"}


def test_name_only_query_is_at_most_refer(index: CandidateIndex) -> None:
    result = screen(index, name="ZHANG Wei")
    assert result.decision == "refer"
    assert by_id(result, "w-1")["match"] is True


def test_hold_needs_more_than_the_name(index: CandidateIndex) -> None:
    # A birth date is given but it does not agree: the match rests on the name alone.
    result = screen(index, name="张伟", birth_date=date(1975, 7, 7))
    assert result.decision != "hold"
    assert any("birth date differs" in e for e in by_id(result, "w-1")["explanations"])  # type: ignore[attr-defined]


def test_homophone_characters_do_not_match(index: CandidateIndex) -> None:
    # 张卫 reads ZHANG WEI like 张伟, and is born on 张伟's birthday: still not 张伟.
    result = screen(index, name="张卫", birth_date=date(1970, 5, 1))
    assert all(m.entry_id != "w-1" or not m.match for m in result.matches)
    assert result.decision == "clear"  # 张卫 on the list was born in 1982
    assert by_id(screen(index, name="張衛"), "w-2")["match"] is True


def test_day_month_swap_is_explained(index: CandidateIndex) -> None:
    result = screen(index, name="ZHANG Wei", birth_date=date(1970, 1, 5))
    explanations = by_id(result, "w-1")["explanations"]
    assert any("day and month swapped" in e for e in explanations)  # type: ignore[attr-defined]
    assert result.decision == "hold"


def test_a_number_decides_whatever_the_name(index: CandidateIndex) -> None:
    result = screen(index, name="Somebody Else", document_number="E 1234 5678")
    assert result.decision == "hold"
    assert result.matches[0].entry_id == "w-3"
    assert result.matches[0].score == 1.0
    assert screen(index, name=None, id_number="110101197005010011").matches[0].entry_id == "w-1"


def test_a_different_number_lowers_the_score(index: CandidateIndex) -> None:
    same = screen(index, name="张伟", birth_date=date(1970, 5, 1))
    other = screen(index, name="张伟", birth_date=date(1970, 5, 1), id_number="110101197005010099")
    assert by_id(other, "w-1")["score"] < by_id(same, "w-1")["score"]  # type: ignore[operator]
    assert any("ID number differs" in e for e in by_id(other, "w-1")["explanations"])  # type: ignore[attr-defined]


def test_sex_and_nationality_move_the_score(index: CandidateIndex) -> None:
    agree = screen(index, name="ZHANG Wei", sex="M", nationality="CHN")
    differ = screen(index, name="ZHANG Wei", sex="F", nationality="USA")
    assert agree.matches[0].entry_id == "w-1"  # agreement ranks it first among equal names
    assert by_id(differ, "w-1")["score"] < by_id(agree, "w-1")["score"]  # type: ignore[operator]
    explanations = by_id(differ, "w-1")["explanations"]
    assert any("sex differs" in e for e in explanations)  # type: ignore[attr-defined]
    assert any("nationality differs" in e for e in explanations)  # type: ignore[attr-defined]


def test_year_only_entry_and_other_names(index: CandidateIndex) -> None:
    result = screen(index, name="SCHOLZ, Olaf", birth_date=date(1958, 6, 14))
    assert result.decision == "refer"  # the entry's action is refer
    assert any("only the year" in e for e in result.matches[0].explanations)


def test_notify_entries_do_not_change_the_decision(index: CandidateIndex) -> None:
    result = screen(index, name="WONG Fong")
    assert result.decision == "clear"
    assert result.notify == ["w-5"]


def test_no_hit_is_clear(index: CandidateIndex) -> None:
    result = screen(index, name="Hans Friedrich", birth_date=date(1960, 1, 1))
    assert result.decision == "clear"
    assert result.to_dict()["matches"] == []


def _reference_candidates(index: CandidateIndex, query: str) -> list[tuple[int, float, int]]:
    """Per entry, in the order first met going through the names: (entry, best score, first name with it)."""
    scorer = NameScorer(parse_name(query))
    best: dict[int, tuple[float, int]] = {}
    for name_id in index.lookup(parse_name(query)).name_ids.tolist():
        score = scorer.scores(index.scoring_rows([name_id]))[0]
        if score < NAME_FLOOR:
            continue
        for entry in index.entries_of(name_id).tolist():
            if entry not in best or score > best[entry][0]:
                best[entry] = (score, name_id)
    return [(entry, score, name_id) for entry, (score, name_id) in best.items()]


def test_each_entry_keeps_its_best_name_in_the_order_first_met() -> None:
    # Entries under several names (aliases in characters, pinyin, Hong Kong spellings), names on several entries.
    names = [("张伟", ["ZHANG Wei"]), ("CHEUNG Wai", ["張偉", "章伟"]), ("ZHANG Wei", []), ("张卫", ["CHEUNG Wai"]),
             ("章伟", ["张伟", "CHANG Wei"]), ("ZHANG Weiwei", ["张伟伟"]), ("CHEONG Vai", [])]  # fmt: skip
    index = CandidateIndex.build(
        ListEntry(f"e{k}", "l", parse_names(primary, aliases))
        for k, (primary, aliases) in enumerate(names * 4)
    )
    for query in ["张伟", "CHEUNG Wai", "ZHANG Wei", "章伟", "Wei ZHANG"]:
        record = parse_name(query)
        found = index.lookup(record).name_ids
        entries, scores, name_ids = _name_candidates(index, _Query(record, None, None, None, "", ""), found)
        got = list(zip(entries.tolist(), scores.tolist(), name_ids.tolist(), strict=True))
        assert got == _reference_candidates(index, query)
        assert len(got) > 4


def _reference_number_delta(index: CandidateIndex, query: _Query) -> list[float]:
    """Entry by entry, the rule as written: a number of a kind the query gives, and not the query's."""
    out = []
    for entry in range(len(index)):
        ids, docs = index.numbers_of(entry)
        differs = (query.id_number and ids and query.id_number not in ids) or (
            query.document_number and docs and query.document_number not in docs
        )
        out.append(NUMBER_DIFFERS if differs else 0.0)
    return out


def test_a_differing_number_is_found_for_all_entries_at_once_as_entry_by_entry() -> None:
    # Numbers of either kind, both, none, an empty one, and a number carried as the other kind.
    numbers = [((), ()), (("110101199001011234",), ()), ((), ("E12345678",)), (("110101199001011234",), ("E1",)),
               (("",), ()), (("E12345678",), ("G7",)), (("X9", "110101199001011234"), ("E12345678", "G7")),
               ((), ("G7", "")), (("Y1",), ("Y2",))]  # fmt: skip
    index = CandidateIndex.build(
        ListEntry(f"e{k}", "l", parse_names("张伟"), id_numbers=ids, doc_numbers=docs)
        for k, (ids, docs) in enumerate(numbers)
    )
    everyone = np.arange(len(index), dtype=np.int64)
    for id_number in ["", "110101199001011234", "E12345678", "NOWHERE"]:
        for document_number in ["", "E12345678", "G7", "110101199001011234", "NOWHERE"]:
            query = _Query(parse_name("张伟"), None, None, None, id_number, document_number)
            hits = index.lookup(None, [id_number, document_number]).number_hits
            got = _number_delta(index, everyone, query, np.isin(everyone, list(hits))).tolist()
            assert got == _reference_number_delta(index, query), (id_number, document_number)
            assert (NUMBER_DIFFERS in got) == bool(id_number or document_number)

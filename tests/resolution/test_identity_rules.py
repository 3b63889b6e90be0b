"""The identity part of the four rules, on hand-built clusters (pure: no database, no model)."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.core.rules import Ruleset, default_ruleset
from sojourn.core.rules.identity import LinkedDocument, LinkEdge, LinkedRecord, build

pytestmark = pytest.mark.pure

AS_OF = date(2026, 3, 1)
EMPTY = {"travel_crossings": (), "documents": (), "screening_hits": ()}
OFFICIAL = LinkedRecord("official:O1", "official", "张伟 ZHANG WEI", han="张伟", latin="ZHANGWEI",
                        birth_date=date(1970, 5, 1), sex="M", id_number="11010519700501001X", official_id="O1",
                        documents=(LinkedDocument("CHN:E1", "passport_ordinary"),
                                   LinkedDocument("CHN:E0", "passport_ordinary", valid=False)),
                        fingerprint="f1")
TRAVELLER = LinkedRecord("traveller:CHN:E9", "traveller", "CHEUNG WAI", latin="CHEUNGWAI",
                         birth_date=date(1970, 1, 5), sex="M", documents=(LinkedDocument("CHN:E9",
                                                                                         "passport_ordinary"),),
                         events=("X2", "X1"), fingerprint="f2")
ENTRY = LinkedRecord("watchlist:internal:W1", "watchlist", "张伟", han="张伟", fingerprint="f3")
OTHER = LinkedRecord("official:O2", "official", "刘洋 LIU YANG", han="刘洋", latin="LIUYANG",
                     birth_date=date(1988, 7, 15), sex="F", id_number="11010519700501001X", official_id="O2",
                     fingerprint="f4")
EVIDENCE = {"birth_date": {"label": "day and month swapped", "bayes_factor": 40.0}}


def evaluate(records, edges, codes=None):
    ruleset = default_ruleset()
    rules = tuple(r for r in ruleset.rules if codes is None or r.code in codes)
    inputs = {**EMPTY, "linkage": build(records, edges)}
    return list(Ruleset(ruleset.version, rules).evaluate(inputs, as_of=AS_OF))


def test_a_linked_traveller_is_an_undeclared_document_and_a_second_passport():
    edges = [LinkEdge("7", "official:O1", "traveller:CHN:E9", 0.99, 8.0, EVIDENCE)]
    found = evaluate([OFFICIAL, TRAVELLER], edges, {"travel.undeclared_document", "document.duplicate_holding"})
    assert [(f.code, f.official_id) for f in found] == [("document.duplicate_holding", "O1"),
                                                        ("travel.undeclared_document", "O1")]
    holding, undeclared = found
    assert holding.details["documents"] == ["CHN:E1", "CHN:E9"]  # the lost passport E0 does not count
    assert undeclared.evidence == ("official:O1", "linkpair:7", "document:CHN:E9", "crossing:X1", "crossing:X2")
    assert undeclared.details["pairs"][0]["evidence"] == EVIDENCE
    assert "flag for review" in undeclared.text and "p=0.9900" in undeclared.text


def test_a_watch_list_entry_reached_through_a_chain_names_every_pair():
    edges = [LinkEdge("1", "official:O1", "traveller:CHN:E9", 0.97, 5.0),
             LinkEdge("2", "traveller:CHN:E9", "watchlist:internal:W1", 0.96, 4.0)]
    [match] = evaluate([OFFICIAL, TRAVELLER, ENTRY], edges, {"screening.possible_match"})
    assert match.official_id == "O1" and match.details["entry_id"] == "W1"
    assert [p["pair"] for p in match.details["pairs"]] == ["1", "2"]
    assert match.details["score"] == 0.96


def test_one_id_number_with_another_name_and_birth_date_is_a_conflict_without_a_link():
    found = evaluate([OFFICIAL, OTHER], [], {"document.identity_conflict"})
    assert [f.official_id for f in found] == ["O1", "O2"]
    assert "name, birth date, sex disagree" in found[0].text


def test_without_the_linkage_input_the_rules_are_unchanged():
    ruleset = default_ruleset()
    assert list(Ruleset(ruleset.version, ruleset.rules).evaluate(
        {**EMPTY, "officials": (), "post_changes": (), "relatives": (), "duties": (), "trips": (),
         "trip_screenings": (), "journeys": (), "declarations": (), "assets": (), "declaration_relatives": (),
         "declaration_discrepancies": ()}, as_of=AS_OF)) == []


def test_a_match_continuous_screening_already_raised_is_not_raised_twice():
    edges = [LinkEdge("3", "official:O1", "watchlist:internal:W1", 0.99, 9.0)]
    inputs = {**EMPTY, "linkage": build([OFFICIAL, ENTRY], edges,
                                        screened=frozenset({("official:O1", "internal/W1")}))}
    rules = tuple(r for r in default_ruleset().rules if r.code == "screening.possible_match")
    assert list(Ruleset("t", rules).evaluate(inputs, as_of=AS_OF)) == []
    assert len(evaluate([OFFICIAL, ENTRY], edges, {"screening.possible_match"})) == 1


def test_a_relative_registered_twice_is_a_conflict_but_an_official_and_their_own_relative_is_not():
    parent = LinkedRecord("relative:O1-4", "relative", "王浩伟 WANG HAOWEI", han="王浩伟", latin="WANGHAOWEI",
                          birth_date=date(1946, 11, 29), sex="M", official_id="O1", fingerprint="p1")
    again = LinkedRecord("relative:O1-5", "relative", "WONG HO-WAI", latin="WONGHOWAI",
                         birth_date=date(1945, 11, 29), sex="M", official_id="O1", fingerprint="p2")
    edges = [LinkEdge("8", "relative:O1-4", "relative:O1-5", 0.97, 6.0)]
    [found] = evaluate([parent, again], edges, {"document.identity_conflict"})
    assert found.official_id == "O1" and found.text.startswith("One person appears to be registered twice")
    assert found.evidence[:3] == ("official:O1", "relative:O1-4", "relative:O1-5")
    edges = [LinkEdge("9", "official:O1", "relative:O1-4", 0.95, 5.0)]
    assert evaluate([OFFICIAL, parent], edges, {"document.identity_conflict"}) == []

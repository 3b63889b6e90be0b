"""The synthetic dataset through import, `reconcile` and `resolve`: every injected second passport, listed
traveller and double registration (``anomalies["linkage"]`` of the manifest) comes out as its finding."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.alerts.models import Finding
from sojourn.resolution.services import resolve

pytestmark = pytest.mark.slow


def findings(code: str) -> list[tuple[str, str, list[str]]]:
    return [(f.official.official_id if f.official else "", f.text, list(f.evidence))
            for f in Finding.objects.filter(code=code).select_related("official")]


def test_resolve_finds_the_injected_identities(reconciled_synthetic):
    injected = reconciled_synthetic["anomalies"]["linkage"]
    as_of = date.fromisoformat(reconciled_synthetic["as_of"])
    exact = {f for f in Finding.objects.filter(code="travel.undeclared_document").values_list("dedupe_key", flat=True)}

    result = resolve(actor="test", today=as_of)

    assert result.mode == "full"
    undeclared = findings("travel.undeclared_document")
    for second in injected["second_passport"]:
        assert not any(second["doc_number"] in key for key in exact), "exact matching must not find it"
        named = [(who, evidence) for who, _text, evidence in undeclared
                 if f"document:{second['doc_issuer']}:{second['doc_number']}" in evidence]
        assert named, second
        assert {who for who, _e in named} == {second["official_id"]}
        assert all(f"crossing:{e}" in evidence for _who, evidence in named for e in second["event_ids"])
    # Linkage is probabilistic: listed travellers are asked for at a recall, not one by one. (Seed 3 misses
    # 陈宁 CHEN NING against the Macau spelling CHAN LENG: the romanized keys of LENG lack ning.)
    matches = findings("screening.possible_match")
    found = [listed for listed in injected["listed_traveller"]
             if any(listed["entry_id"] in text and f"{listed['doc_issuer']}:{listed['doc_number']}" in text
                    for _who, text, _e in matches)]
    assert len(found) >= 0.8 * len(injected["listed_traveller"]) > 0
    linked = {(f.details["subject"], f.details["entry_id"]) for f in Finding.objects.filter(
        code="screening.possible_match") if f.details.get("source") == "linkage"}
    screened = {(f.details["subject"], f.details["entry_id"]) for f in Finding.objects.filter(
        code="screening.possible_match") if f.details.get("source") != "linkage"}
    assert screened and not linked & screened, "a match continuous screening raised is not raised again"
    conflicts = findings("document.identity_conflict")
    for twice in injected["registered_twice"]:
        assert any(who == twice["official_id"] and f"relative:{twice['duplicate_relative_id']}" in evidence
                   for who, _text, evidence in conflicts), twice

    again = resolve(actor="test", today=as_of)  # incremental, nothing new
    assert again.mode == "incremental" and again.run.findings_created == 0

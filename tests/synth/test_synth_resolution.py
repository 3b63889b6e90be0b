"""Injections for identity resolution: people exact matching cannot find, listed in the manifest's ``linkage`` part."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.helpers import csv_rows, read_manifest

from sojourn.core.names import han_forms
from sojourn.engine.schema import name_key
from sojourn.synth.dataset import generate_registry, write_registry
from sojourn.synth.resolution import VARIANTS


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("resolution")
    write_registry(generate_registry(scale="small", officials=1000, seed=5, crossings=30_000), out)
    return out


def feed(directory: Path) -> dict[str, dict[str, Any]]:
    table = pa.concat_tables(pq.read_table(p) for p in sorted((directory / "crossings").glob("part-*.parquet")))
    return {row["event_id"]: row for row in table.to_pylist()}


def slips(iso: str) -> set[str]:
    """The birth date as recorded: itself, day and month swapped, the year one off."""
    year, month, day = iso.split("-")
    out = {iso, f"{year}-{day}-{month}"}
    for y in (int(year) - 1, int(year) + 1):
        out |= {f"{y}-{month}-{day}", f"{y}-{month}-28"}
    return out


def spellings(name_zh: str) -> set[tuple[str, str]]:
    forms = [han_forms(name_zh[:n], name_zh[n:]) for n in (1, 2) if len(name_zh) > n]
    return {pair for f in forms for pair in (*f.hk, *f.macau, *f.wade_giles)}


def one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def test_second_passports_escape_exact_matching_and_are_the_officials(data):
    linkage = read_manifest(data)["anomalies"]["linkage"]
    injected = linkage["second_passport"]
    assert len(injected) >= 10 and {i["variant"] for i in injected} == set(VARIANTS)
    assert {i["birth_slip"] for i in injected} >= {"", "day_month"}
    officials = {o["official_id"]: o for o in csv_rows(data, "officials")}
    registry_numbers = {(d["issuer"], d["number"]) for d in csv_rows(data, "documents")}
    people = {(name_key(o["surname"], o["given_name"]), o["birth_date"], o["sex"]) for o in officials.values()}
    rows = feed(data)
    for item in injected:
        official = officials[item["official_id"]]
        assert official["status"] == "active"
        crossings = [rows[e] for e in item["event_ids"]]
        assert [c["direction"] for c in crossings] == ["exit", "entry"]
        assert crossings[0]["crossed_at"] < crossings[1]["crossed_at"]
        for c in crossings:
            assert (c["doc_issuer"], c["doc_number"]) == (item["doc_issuer"], item["doc_number"])
            assert (c["doc_issuer"], c["doc_number"]) not in registry_numbers
            born = c["birth_date"].isoformat()
            assert (name_key(c["surname"], c["given_name"]), born, c["sex"]) not in people  # reconcile's fallback
            assert (c["surname"], c["given_name"], born) == (item["surname"], item["given_name"], item["birth_date"])
            assert c["sex"] == official["sex"]
        assert item["birth_date"] in slips(official["birth_date"])
        assert (item["birth_date"] == official["birth_date"]) == (item["birth_slip"] == "")
        spelled, own = (item["surname"], item["given_name"]), (official["surname"], official["given_name"])
        if item["variant"] == "swapped":
            assert spelled == own[::-1]
        elif item["variant"] == "typo":
            assert spelled[0] == own[0] and one_letter_apart(spelled[1], own[1])
        else:
            assert spelled in spellings(official["name_zh"]), (official, item)


def test_listed_travellers_cross_under_another_spelling(data):
    travellers = read_manifest(data)["anomalies"]["linkage"]["listed_traveller"]
    assert len(travellers) >= 3
    entries = {e["entry_id"]: e for e in csv_rows(data, "watchlist")}
    people = {(name_key(o["surname"], o["given_name"]), o["birth_date"], o["sex"]) for o in csv_rows(data, "officials")}
    rows = feed(data)
    for item in travellers:
        entry = entries[item["entry_id"]]
        assert not entry["entry_id"].startswith("WL-H") and entry["name_zh"]
        assert (item["surname"], item["given_name"]) in spellings(entry["name_zh"])
        assert name_key(item["surname"], item["given_name"]) != name_key(entry["surname"], entry["given_name"])
        for c in (rows[e] for e in item["event_ids"]):
            assert (c["surname"], c["given_name"], c["birth_date"], c["sex"]) == (
                item["surname"], item["given_name"], date.fromisoformat(entry["birth_date"]), entry["sex"])  # fmt: skip
            assert (name_key(c["surname"], c["given_name"]), c["birth_date"].isoformat(), c["sex"]) not in people


def test_one_relative_is_registered_twice(data):
    twice = read_manifest(data)["anomalies"]["linkage"]["registered_twice"]
    assert len(twice) == 1
    relatives = {r["relative_id"]: r for r in csv_rows(data, "relatives")}
    first, second = relatives[twice[0]["relative_id"]], relatives[twice[0]["duplicate_relative_id"]]
    assert first["official_id"] == second["official_id"] == twice[0]["official_id"]
    assert first["relationship"] == second["relationship"] == "parent"
    assert first["residence_country"] == second["residence_country"] == "CHN"
    assert first["name_zh"] and not second["name_zh"]
    assert (second["surname"], second["given_name"]) in spellings(first["name_zh"])
    assert second["birth_date"] != first["birth_date"] and second["birth_date"] in slips(first["birth_date"])

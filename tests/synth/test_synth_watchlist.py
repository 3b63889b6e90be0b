"""Synthetic watch lists: deterministic, unrelated entries are nobody in the registry, and the injected
entries are covered officials and relatives recorded in other scripts and spellings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import csv_rows

from sojourn.core.names import han_forms
from sojourn.feeds.watchlist import WATCHLIST
from sojourn.synth.dataset import generate_registry, write_registry
from sojourn.synth.watchlist import UNRELATED


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("watchlist")
    write_registry(generate_registry(scale="small", officials=2000, seed=8), out)
    return out



def test_same_seed_same_bytes(tmp_path):
    for out, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_registry(generate_registry(scale="small", seed=seed), tmp_path / out)
    assert (tmp_path / "a" / "watchlist.csv").read_bytes() == (tmp_path / "b" / "watchlist.csv").read_bytes()
    assert (tmp_path / "a" / "watchlist.csv").read_bytes() != (tmp_path / "c" / "watchlist.csv").read_bytes()


def test_the_file_has_the_design_columns(data):
    with (data / "watchlist.csv").open(encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    assert header == [c.name for c in WATCHLIST.columns]
    entries = csv_rows(data, "watchlist")
    assert len({e["entry_id"] for e in entries}) == len(entries) >= UNRELATED


def test_no_unrelated_entry_is_a_registry_person(data):
    people = csv_rows(data, "officials") + csv_rows(data, "relatives")
    by_name_and_birth = {(p["name_zh"], p["birth_date"]) for p in people}
    by_spelling_and_birth = {(p["surname"] + p["given_name"], p["birth_date"]) for p in people}
    names = {p["name_zh"] for p in people}
    for entry in csv_rows(data, "watchlist"):
        if entry["entry_id"].startswith("WL-H"):
            continue
        assert (entry["name_zh"], entry["birth_date"]) not in by_name_and_birth
        assert (entry["surname"] + entry["given_name"], entry["birth_date"]) not in by_spelling_and_birth
        assert entry["name_zh"] not in names  # stricter: not even a namesake


def test_injected_entries_are_the_people_recorded_differently(data):
    anomalies = json.loads((data / "manifest.json").read_text("utf-8"))["anomalies"]
    officials = {p["official_id"]: p for p in csv_rows(data, "officials")}
    relatives = {p["relative_id"]: p for p in csv_rows(data, "relatives")}
    entries = {e["entry_id"]: e for e in csv_rows(data, "watchlist")}
    hits = [(officials[a["official_id"]], a) for a in anomalies["watchlist_official_hit"]]
    hits += [(relatives[a["relative_id"]], a) for a in anomalies["watchlist_relative_hit"]]
    assert len(anomalies["watchlist_official_hit"]) >= 3 and len(anomalies["watchlist_relative_hit"]) >= 3
    kinds = set()
    for person, hit in hits:
        entry = entries[hit["entry_id"]]
        assert entry["sex"] == person["sex"]
        year, month, day = person["birth_date"].split("-")
        assert entry["birth_date"] in (person["birth_date"], f"{year}-{day}-{month}")
        if entry["name_zh"]:
            kinds.add("characters" if entry["name_zh"] == person["name_zh"] else "traditional")
            continue
        latin = (entry["surname"], entry["given_name"])
        if latin == (person["surname"], person["given_name"]):
            kinds.add("pinyin")
            continue
        forms = [han_forms(person["name_zh"][:n], person["name_zh"][n:]) for n in (1, 2)]
        assert any(latin in (*f.hk, *f.macau, *f.wade_giles) for f in forms), (person, entry)
        kinds.add("romanized")
    assert kinds >= {"characters", "traditional", "pinyin", "romanized"}

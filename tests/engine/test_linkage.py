"""Identity resolution on real DuckDB (and PySpark in local mode): the shipped model, quality, incremental runs."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sojourn.core.names.forms import NameRecord
from sojourn.core.names.index import name_keys
from sojourn.core.names.readings import split_han
from sojourn.core.names.romanize import romanized_keys
from sojourn.engine import linkage_names
from sojourn.engine.linkage import (
    DEFAULT_MODEL_PATH,
    PERSONS,
    THRESHOLD,
    Resolution,
    link_new,
    load_model,
    model_version,
    prepare,
    resolve,
    train,
)
from sojourn.engine.linkage_names import SEPARATOR, name_columns, name_table
from sojourn.synth.people import synthetic_persons


def person(uid: str, name_zh: str | None, surname: str, given: str, birth: date | None, *, sex: str = "M",
           id_number: str | None = None, documents: tuple[str, ...] = (), source: str = "official") -> dict[str, object]:
    return {"unique_id": uid, "source": source, "name_zh": name_zh, "surname": surname, "given_name": given,
            "birth_date": birth, "sex": sex, "nationality": "CHN", "id_number": id_number,
            "documents": list(documents), "document_types": ["passport_ordinary"] * len(documents),
            "events": ["ev:1"] if source == "traveller" else []}


# Ten records: one person twice (pinyin with Han in the register; Wade–Giles, no Han, a second
# passport at the border), and 张伟 / 张卫 — the same pinyin, birth date and sex, two people.
REGISTRY = pa.Table.from_pylist([
    person("official:1", "王建国", "WANG", "JIANGUO", date(1968, 3, 15), id_number="110101196803150013",
           documents=("CHN:E10000001",)),
    person("traveller:CHN:E20000002", None, "WANG", "CHIEN-KUO", date(1968, 3, 15),
           documents=("CHN:E20000002",), source="traveller"),
    person("official:2", "张伟", "ZHANG", "WEI", date(1975, 6, 1), id_number="110101197506010031",
           documents=("CHN:E10000002",)),
    person("official:3", "张卫", "ZHANG", "WEI", date(1975, 6, 1), id_number="310101197506010057",
           documents=("CHN:E10000003",)),
    person("official:4", "李娜", "LI", "NA", date(1980, 1, 2), sex="F", id_number="110101198001020024",
           documents=("CHN:E10000004",)),
    person("relative:1", "陈静", "CHEN", "JING", date(1979, 9, 9), sex="F"),
    person("relative:2", "刘洋", "LIU", "YANG", date(2001, 12, 24)),
    person("official:5", "欧阳娜娜", "OUYANG", "NANA", date(1990, 7, 7), sex="F", documents=("CHN:E10000005",)),
    person("watchlist:test:1", None, "CHAN", "TAI MAN", date(1955, 5, 5), source="watchlist"),
    person("official:6", "单晓明", "SHAN", "XIAOMING", date(1980, 1, 2), documents=("CHN:E10000006",)),
], schema=PERSONS)


def truth_pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, label in labels.items():
        groups[label].append(uid)
    return {(a, b) for members in groups.values() for a, b in combinations(sorted(members), 2)}


def cluster_map(clusters: pa.Table) -> dict[str, str]:
    return dict(zip(clusters["unique_id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True))


@pytest.fixture(scope="module")
def registry_resolution() -> Resolution:
    return resolve(REGISTRY)


@pytest.fixture(scope="module")
def synthetic() -> tuple[pa.Table, pa.Array]:
    return synthetic_persons(2000)


def test_the_default_model_finds_the_planted_duplicate(registry_resolution):
    pairs = {(p["unique_id_l"], p["unique_id_r"]): p for p in registry_resolution.pairs.to_pylist()}
    assert ("official:1", "traveller:CHN:E20000002") in pairs
    clusters = cluster_map(registry_resolution.clusters)
    assert clusters["traveller:CHN:E20000002"] == "official:1"  # the smallest unique_id names the cluster
    assert registry_resolution.model_version == model_version(load_model())


def test_homophones_with_different_characters_stay_apart(registry_resolution):
    clusters = cluster_map(registry_resolution.clusters)
    assert clusters["official:2"] != clusters["official:3"]
    assert len({c for c in clusters.values()}) == REGISTRY.num_rows - 1


def test_every_record_is_in_a_cluster_named_by_its_smallest_member(registry_resolution):
    clusters = cluster_map(registry_resolution.clusters)
    assert sorted(clusters) == sorted(REGISTRY["unique_id"].to_pylist())
    members: dict[str, list[str]] = defaultdict(list)
    for uid, cluster in clusters.items():
        members[cluster].append(uid)
    assert all(cluster == min(uids) for cluster, uids in members.items())


def test_evidence_explains_each_comparison(registry_resolution):
    pair = registry_resolution.pairs.to_pylist()[0]
    assert pair["unique_id_l"] < pair["unique_id_r"] and pair["match_probability"] >= THRESHOLD
    evidence = json.loads(pair["evidence"])
    assert set(evidence) == {"name", "surname", "birth_date", "sex", "nationality", "id_number", "documents"}
    assert evidence["birth_date"] == {"label": "same date", "gamma": 4, "bayes_factor": pytest.approx(
        evidence["birth_date"]["bayes_factor"]), "left": "1968-03-15", "right": "1968-03-15"}
    assert evidence["documents"]["left"] == "CHN:E10000001"
    assert evidence["documents"]["right"] == "CHN:E20000002"
    assert evidence["documents"]["bayes_factor"] < 1  # a second passport counts a little against


def test_recall_and_precision_on_synthetic_persons(synthetic):
    persons, truth = synthetic
    resolution = resolve(persons)
    found = truth_pairs(cluster_map(resolution.clusters))
    expected = truth_pairs(dict(zip(persons["unique_id"].to_pylist(), truth.to_pylist(), strict=True)))
    hits = len(found & expected)
    assert hits / len(found) >= 0.9, "precision"
    assert hits / len(expected) >= 0.9, "recall"


def test_incremental_linkage_gives_the_clusters_of_a_full_run(synthetic):
    persons, _ = synthetic
    cut = 1600
    existing, new = persons.slice(0, cut), persons.slice(cut)
    before = cluster_map(resolve(existing).clusters)
    with_clusters = existing.append_column(
        "cluster_id", pa.array([before[uid] for uid in existing["unique_id"].to_pylist()], pa.string()))
    incremental = link_new(with_clusters, new)
    after = before | cluster_map(incremental.clusters)
    assert after == cluster_map(resolve(persons).clusters)
    assert set(incremental.clusters["unique_id"].to_pylist()) >= set(new["unique_id"].to_pylist())
    assert all(a < b for a, b in zip(incremental.pairs["unique_id_l"].to_pylist(),
                                     incremental.pairs["unique_id_r"].to_pylist(), strict=True))


def test_prepare_keys_agree_with_the_screening_index():
    samples = [("张伟", "", ""), ("單曉明", "", ""), ("歐陽娜娜", "", ""), (None, "CHEUNG", "WAI"),
               (None, "ZHANG", "XIAOMING"), (None, "CHAN", "TAI MAN"), (None, "AU YEUNG", "KA LOK")]
    for name_zh, surname, given in samples:
        record = NameRecord.from_han(*split_han(name_zh)) if name_zh else NameRecord.from_parts(surname, given)
        expected = {k for k in name_keys(record) if k[0] in "hpde"}
        got = {k for k in name_columns(name_zh, surname, given).name_keys or () if k[0] in "hpde"}
        swapped = {f"p:{k}" for k in romanized_keys(given.replace(" ", ""), surname)} if given else set()
        assert expected <= got and got - expected <= swapped, (name_zh, surname, given, expected ^ got)


def test_prepare_derives_the_comparison_columns():
    prepared = prepare(REGISTRY)
    row = prepared.filter(pc.equal(prepared["unique_id"], "official:6")).to_pylist()[0]
    assert row["han_key"] == "单晓明" and row["ccc"] and len(row["ccc"].split()) == 3
    assert "p:shan/xiaoming" in row["name_keys"] and "shan" in row["surname_keys"]
    assert row["birth_md"] == "01-02" and row["birth_year"] == 1980
    assert prepared.filter(pc.equal(prepared["unique_id"], "relative:1"))["document_set"].to_pylist() == [None]


def test_the_model_round_trips_through_json(tmp_path: Path):
    model = load_model()
    assert model["sojourn"]["threshold"] == THRESHOLD
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    again = load_model(path)
    assert again == model and model_version(again) == model_version(model)
    assert model_version(model).startswith(model["sojourn"]["design"] + "+")
    assert resolve(REGISTRY, model=again).clusters.equals(resolve(REGISTRY).clusters)


def test_training_with_clerical_labels(synthetic):
    persons, truth = synthetic
    sample = persons.slice(0, 800)
    labels = dict(zip(sample["unique_id"].to_pylist(), truth.to_pylist()[:800], strict=True))
    confirmed = sorted(truth_pairs(labels))[:150]
    table = pa.table({"unique_id_l": [a for a, _ in confirmed], "unique_id_r": [b for _, b in confirmed],
                      "clerical_match_score": [1.0] * len(confirmed)})
    model = train(sample, labels=table)
    assert model["sojourn"]["trained_on"]["labels"] == len(confirmed)
    assert model_version(model) != model_version(load_model())
    assert cluster_map(resolve(REGISTRY, model=model).clusters)["traveller:CHN:E20000002"] == "official:1"


def test_the_shipped_model_is_where_the_package_says():
    assert DEFAULT_MODEL_PATH.name == "linkage_model.json" and DEFAULT_MODEL_PATH.is_file()


@pytest.mark.slow
def test_duckdb_and_spark_give_the_same_clusters(synthetic):
    persons, _ = synthetic
    fixture = persons.slice(0, 200)
    duck = resolve(fixture)
    spark = resolve(fixture, engine="spark")
    assert spark.engine == "spark"
    assert duck.clusters.equals(spark.clusters)
    assert duck.pairs.select(["unique_id_l", "unique_id_r"]).equals(spark.pairs.select(["unique_id_l", "unique_id_r"]))
    assert duck.pairs["match_weight"].to_pylist() == pytest.approx(spark.pairs["match_weight"].to_pylist())


def test_training_on_romanized_records_without_id_numbers(synthetic):
    # As FEBRL: no ID numbers, no Han characters. The prior falls back to the exact romanized
    # name with the birth date, and no EM pass blocks on the empty ID column.
    persons, truth = synthetic
    sample = persons.slice(0, 1000)
    for name in ("name_zh", "id_number"):
        sample = sample.set_column(sample.schema.get_field_index(name), name, pa.nulls(sample.num_rows, pa.string()))
    model = train(sample)
    assert 0 < model["probability_two_random_records_match"] < 1
    assert model_version(model) != model_version(load_model())
    found = truth_pairs(cluster_map(resolve(sample, model=model).clusters))
    expected = truth_pairs(dict(zip(sample["unique_id"].to_pylist(), truth.to_pylist()[:1000], strict=True)))
    hits = len(found & expected)
    assert hits / len(found) >= 0.9, "precision"
    assert hits / len(expected) >= 0.6, "recall"


def test_name_columns_from_worker_processes_are_those_computed_here(synthetic, monkeypatch):
    persons, _ = synthetic
    triples = pc.binary_join_element_wise(*(pc.fill_null(persons[c], "") for c in ("name_zh", "surname", "given_name")),
                                          SEPARATOR)
    names = pc.unique(triples).to_pylist()
    monkeypatch.setattr(linkage_names, "PARALLEL_FROM", 10)
    serial = name_table(names, workers=1)
    assert name_table(names, workers=3).equals(serial)
    monkeypatch.setattr(linkage_names.sys, "executable", "/nonexistent/python")  # workers fail: computed here
    assert name_table(names, workers=2).equals(serial)


def test_a_swapped_surname_and_given_name_links_to_the_registry_record():
    """LIMIN / WANG on a second passport (fields swapped, no Han) is 王立民 WANG LIMIN of the registry."""
    import datetime as dt

    rows = [
        {"unique_id": "official:O1", "source": "official", "name_zh": "王立民", "surname": "WANG",
         "given_name": "LIMIN", "birth_date": dt.date(1992, 12, 30), "sex": "M", "nationality": "CHN",
         "id_number": "110105199212300011", "documents": ["CHN:E1"], "document_types": ["passport_ordinary"],
         "events": []},
        {"unique_id": "traveller:CHN:EZ1", "source": "traveller", "name_zh": None, "surname": "LIMIN",
         "given_name": "WANG", "birth_date": dt.date(1992, 12, 30), "sex": "M", "nationality": "CHN",
         "id_number": None, "documents": ["CHN:EZ1"], "document_types": ["passport_ordinary"], "events": ["X1"]},
    ]
    resolution = resolve(pa.Table.from_pylist(rows, schema=PERSONS))
    assert resolution.pairs.column("unique_id_r").to_pylist() == ["traveller:CHN:EZ1"]

"""Synthetic registry: deterministic, valid, importable, and its manifest matches what the rules find."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import csv_rows, read_manifest

from sojourn.core.rules.model import Ruleset
from sojourn.core.rules.registry import OfficialRecord, PostChangeRecord, filing_gap
from sojourn.registry.models import Official, PostChange, Relative, Unit
from sojourn.registry.services import import_registry_file
from sojourn.synth.dataset import FILES, generate_registry, write_registry
from sojourn.synth.ids import check_character
from sojourn.synth.management.commands.synth import Command as SynthCommand
from sojourn.synth.registry import AS_OF

EMIGRATED = {"citizen", "permanent_resident", "long_term_resident"}


@cache
def dataset_dir(seed: int, officials: int | None, root: str) -> Path:
    out = Path(root) / f"synth-{seed}-{officials}"
    write_registry(generate_registry(scale="small", officials=officials, seed=seed), out)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset_dir(3, None, str(tmp_path_factory.mktemp("small")))


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset_dir(4, 3000, str(tmp_path_factory.mktemp("larger")))




def mod11_2(first17: str) -> str:
    """ISO 7064 MOD 11-2, written out from the standard: weights 2**(17-i) mod 11, check = (12 - sum) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    for out in ("a", "b", "c"):
        write_registry(generate_registry(scale="small", seed=11 if out != "c" else 12), tmp_path / out)
    for name in [*(f"{f}.csv" for f in FILES), "manifest.json"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "officials.csv").read_bytes() != (tmp_path / "c" / "officials.csv").read_bytes()


def test_id_numbers_are_valid_and_agree_with_birth_date_sex_and_province(larger):
    regions = {u["unit_code"]: u["region"] for u in csv_rows(larger, "units")}
    officials = csv_rows(larger, "officials")
    assert len({o["id_number"] for o in officials}) == len(officials) == 3000
    for o in officials:
        number = o["id_number"]
        assert len(number) == 18 and number[-1] == mod11_2(number[:17]), number
        assert number[6:14] == o["birth_date"].replace("-", "")
        assert int(number[16]) % 2 == (1 if o["sex"] == "M" else 0)
        province = regions[o["unit_code"]] or "110000"  # the commission sits in Beijing
        assert number[:2] == province[:2]


def test_passport_spelling_of_parts_agrees_with_whole_names(small):
    from sojourn.core.names import passport_pinyin

    # The relative registered a second time for identity resolution is spelled otherwise on purpose.
    twice = {d["duplicate_relative_id"] for d in read_manifest(small)["anomalies"]["linkage"]["registered_twice"]}
    assert twice
    people = csv_rows(small, "officials") + [r for r in csv_rows(small, "relatives") if r["relative_id"] not in twice]
    compound = {"欧阳", "司马", "上官", "诸葛", "司徒", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯",
                "长孙", "宇文", "端木", "万俟"}  # fmt: skip
    for person in people:
        name = person["name_zh"]
        cut = 2 if name[:2] in compound else 1
        assert passport_pinyin(name[:cut], name[cut:]) == (person["surname"], person["given_name"]), name


def test_heteronym_surnames_read_as_surnames():
    from sojourn.synth.names import romanize

    assert romanize(["单", "曾", "解", "万俟"], ["明", "国", "放", "峰"]) == (
        ["SHAN", "ZENG", "XIE", "MOQI"],
        ["MING", "GUO", "FANG", "FENG"],
    )


def test_filing_gap_finds_exactly_the_injected_anomalies(larger):
    officials = [
        OfficialRecord(o["official_id"], date.fromisoformat(o["covered_since"]),
                       date.fromisoformat(o["filed_on"]) if o["filed_on"] else None, o["status"])
        for o in csv_rows(larger, "officials")
    ]  # fmt: skip
    changes = [
        PostChangeRecord(f"{p['official_id']}|{p['started_on']}|{p['post']}", p["official_id"], p["post"],
                         date.fromisoformat(p["started_on"]), date.fromisoformat(p["filed_on"]) if p["filed_on"] else None)
        for p in csv_rows(larger, "posts")
    ]  # fmt: skip
    findings = list(
        Ruleset("test", (filing_gap,)).evaluate(
            {"officials": officials, "post_changes": changes}, as_of=AS_OF
        )
    )
    flagged_officials = {f.official_id for f in findings if ":covered:" in f.dedupe_key}
    flagged_changes = {f.dedupe_key.split(":post:")[1] for f in findings if ":post:" in f.dedupe_key}
    anomalies = read_manifest(larger)["anomalies"]
    assert flagged_officials == set(anomalies["official_not_filed"]) | set(anomalies["official_filed_late"])
    assert len(anomalies["official_not_filed"]) > 30 and len(anomalies["official_filed_late"]) > 20
    injected = anomalies["post_change_not_filed"] + anomalies["post_change_filed_late"]
    assert flagged_changes == {f"{c['official_id']}|{c['started_on']}|{c['post']}" for c in injected}
    assert anomalies["post_change_not_filed"] and anomalies["post_change_filed_late"]


def test_naked_officials_in_manifest_match_the_data(larger):
    relatives = csv_rows(larger, "relatives")
    family: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in relatives:
        family[r["official_id"]].append(r)

    def emigrated(r: dict[str, str]) -> bool:
        return r["nationality"] != "CHN" or (
            r["residence_country"] != "CHN" and r["residence_status"] in EMIGRATED
        )

    naked = set()
    for oid, members in family.items():
        spouses = [r for r in members if r["relationship"] == "spouse"]
        children = [r for r in members if r["relationship"] == "child"]
        if any(emigrated(s) for s in spouses) or (not spouses and children and all(map(emigrated, children))):
            naked.add(oid)
    listed = read_manifest(larger)["anomalies"]["naked_official"]
    assert set(listed) == naked and len(naked) >= 5
    whole_families = [o for o in listed if sum(r["relationship"] == "child" for r in family[o]) > 0 and all(
        emigrated(r) for r in family[o] if r["relationship"] in ("spouse", "child"))]  # fmt: skip
    assert whole_families, "some officials' spouse and all children have emigrated"


def test_relatives_abroad_are_consistent(larger):
    relatives = csv_rows(larger, "relatives")
    abroad = [r for r in relatives if r["residence_country"] != "CHN"]
    assert 0.01 < len(abroad) / len(relatives) < 0.1
    for r in relatives:
        assert (
            (r["residence_country"] != "CHN") == bool(r["abroad_since"]) == (r["residence_status"] != "none")
        )
        if r["emigrated_on"]:
            assert r["abroad_since"] <= r["emigrated_on"] <= AS_OF.isoformat()
        if r["birth_date"] and r["abroad_since"]:
            assert r["birth_date"] <= r["abroad_since"]
    groups = read_manifest(larger)["families_abroad"]["by_destination"]
    assert set(groups) <= {"Hong Kong", "Macau", "United States", "Western Europe", "Nordic countries",
                           "Australia", "New Zealand", "Canada", "South East Asia"}  # fmt: skip
    assert len(groups) >= 7


@pytest.mark.django_db
def test_small_dataset_imports_and_reimports_as_no_op(small):
    counts = read_manifest(small)["counts"]
    for kind in FILES:
        report = import_registry_file(kind=kind, path=small / f"{kind}.csv", actor="synth-test")
        assert report.ok, [str(e) for e in report.errors[:5]]
        assert report.created == counts[kind]
    assert (
        Unit.objects.count(),
        Official.objects.count(),
        Relative.objects.count(),
        PostChange.objects.count(),
    ) == (counts["units"], counts["officials"], counts["relatives"], counts["posts"])
    for kind in FILES:
        report = import_registry_file(kind=kind, path=small / f"{kind}.csv", actor="synth-test")
        assert (report.created, report.updated, report.unchanged) == (0, 0, counts[kind])


def test_synth_command_writes_the_files(tmp_path):
    err = io.StringIO()
    call_command(SynthCommand(), "--out", str(tmp_path), "--officials", "50", "--seed", "5", stderr=err)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "assets.csv",
        "crossings",
        "crossings.csv",
        "custody.csv",
        "declarations.csv",
        "documents.csv",
        "duties.csv",
        "manifest.json",
        "officials.csv",
        "posts.csv",
        "relatives.csv",
        "trips.csv",
        "units.csv",
        "watchlist.csv",
    ]
    assert read_manifest(tmp_path)["counts"]["officials"] == 50
    assert err.getvalue().startswith("wrote 21 units, 50 officials, ")


@pytest.mark.slow
def test_province_scale_generates_about_100k_officials():
    data = generate_registry(scale="province", seed=1)
    counts = data.manifest["counts"]
    assert counts["officials"] == 100_000
    assert 250_000 < counts["relatives"] < 400_000
    anomalies = data.manifest["anomalies"]
    assert 2000 < len(anomalies["official_not_filed"]) < 4000
    assert 1000 < len(anomalies["official_filed_late"]) < 3000


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_is_mod_11_2(first17):
    assert check_character(first17) == mod11_2(first17)


def test_names_are_drawn_by_frequency(larger):
    officials = csv_rows(larger, "officials")
    surnames = Counter(o["surname"] for o in officials)
    assert {s for s, _n in surnames.most_common(4)} >= {"LI", "WANG", "ZHANG"}
    assert len(surnames) > 80
    given_lengths = Counter(len(o["name_zh"]) for o in officials)
    assert given_lengths[2] > 300 and given_lengths[3] > 1500  # one- and two-character given names

"""Synthetic documents: deterministic, plausible by the spec's series and validity facts, and the rules
find exactly the injected anomalies once the dataset goes through the import path."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.helpers import csv_rows, read_manifest

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding
from sojourn.core.documents.codes import add_years, age_on
from sojourn.custody.importing import import_documents_file
from sojourn.custody.models import TravelDocument
from sojourn.registry.services import import_registry_file
from sojourn.synth.dataset import generate_registry, write_registry

# Which rule must flag exactly which injected anomalies (and nothing else).
EXPECTED = {
    "document.forgery_suspected": ("document_forged_zone",),
    "document.identity_conflict": ("document_cloned_number", "document_zone_conflict"),
    "document.duplicate_holding": ("document_duplicate_holding",),
    "document.suspicious_reissue": (),
    "custody.intake_overdue": ("document_not_handed_in",),
    "custody.new_document_undelivered": ("document_new_undelivered",),
    "custody.not_returned": (),
    "custody.breach": ("document_out_of_custody",),
}
KINDS = sorted({kind for kinds in EXPECTED.values() for kind in kinds})


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("documents")
    write_registry(generate_registry(scale="small", officials=3000, seed=4), out)
    return out




def test_same_seed_same_bytes_other_seed_other_documents(tmp_path):
    for out, seed in (("a", 21), ("b", 21), ("c", 22)):
        write_registry(generate_registry(scale="small", seed=seed), tmp_path / out)
    for name in ("documents.csv", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "documents.csv").read_bytes() != (tmp_path / "c" / "documents.csv").read_bytes()


def series_fits(doc_type: str, number: str, issued: date) -> bool:
    """specs/documents.md §2.1, written out again: the number's series and the issue date agree."""
    if doc_type == "passport_official":
        return re.fullmatch(r"(SE|PE)\d{7}", number) is not None
    if doc_type == "permit_hk_macau":
        if re.fullmatch(r"C\d{8}", number):
            return issued >= date(2014, 5, 1)
        return (
            bool(re.fullmatch(r"C[A-HJ-NP-Z]\d{7}", number))
            and issued >= date(2018, 12, 1)
            and (number != "CA0000000")
        )
    if re.fullmatch(r"G\d{8}", number):
        return issued <= date(2014, 12, 31)
    if re.fullmatch(r"E\d{8}", number):
        return issued >= date(2012, 1, 1)
    return bool(re.fullmatch(r"E[A-HJ-NP-Z]\d{7}", number)) and issued >= date(2017, 4, 5)


def test_documents_fit_their_series_validity_and_holder(larger):
    as_of = date.fromisoformat(read_manifest(larger)["as_of"])
    officials = {o["official_id"]: o for o in csv_rows(larger, "officials")}
    documents = csv_rows(larger, "documents")
    assert 3000 < len(documents) < 5000
    for d in documents:
        issued, expires = date.fromisoformat(d["issue_date"]), date.fromisoformat(d["expiry_date"])
        holder = officials[d["official_id"]]
        assert series_fits(d["doc_type"], d["number"], issued), d
        years = 5 if d["doc_type"] == "passport_official" else 10
        assert expires == add_years(issued, years) - timedelta(days=1), d
        assert age_on(date.fromisoformat(holder["birth_date"]), issued) >= 16, d
        assert issued <= as_of and (d["status"] != "valid" or expires >= as_of), d
        assert d["status"] == "valid" or d["custody"] == "not_held", d
        if d["mrz"]:
            line1, line2 = d["mrz"].split("|")
            assert (
                line1.startswith("POCHN") and line2[:9] == d["number"] and line2[21:27] == f"{expires:%y%m%d}"
            )
            assert line2[20] == holder["sex"]
    assert {d["doc_type"] for d in documents} == {"passport_ordinary", "permit_hk_macau", "passport_official"}
    assert sum(d["mrz"] == "" for d in documents) > 300  # permits: number only


def test_only_the_injected_documents_share_numbers_or_leave_custody(larger):
    anomalies = read_manifest(larger)["anomalies"]
    documents = csv_rows(larger, "documents")
    shared = {n for n, k in Counter(d["number"] for d in documents).items() if k > 1}
    assert shared == {a["number"] for a in anomalies["document_cloned_number"]}
    by_state = {
        state: {(d["official_id"], d["number"]) for d in documents if d["custody"] == state}
        for state in ("checked_out", "not_handed_in")
    }
    pairs = {kind: {(a["official_id"], a["number"]) for a in anomalies[kind]} for kind in KINDS}
    travelling = {(a["official_id"], a["number"]) for a in read_manifest(larger)["travel"]["checked_out"]}
    assert by_state["checked_out"] == pairs["document_out_of_custody"] | travelling
    assert not travelling & set().union(*pairs.values())
    assert by_state["not_handed_in"] == pairs["document_not_handed_in"] | pairs["document_new_undelivered"]
    officials = [a["official_id"] for kind in KINDS for a in anomalies[kind]]
    assert len(officials) == len(set(officials))  # each official carries one anomaly at most


@pytest.mark.django_db
def test_rules_find_exactly_the_injected_documents(larger):
    """Through the import path, custody.* and document.* flag exactly the injected officials, per rule."""
    for kind in ("units", "officials"):
        report = import_registry_file(kind=kind, path=larger / f"{kind}.csv", actor="synth-test")
        assert report.ok, [str(e) for e in report.errors[:5]]
    report = import_documents_file(path=larger / "documents.csv", actor="synth-test")
    assert report.ok and report.created == len(csv_rows(larger, "documents")), [str(e) for e in report.errors[:5]]
    data = read_manifest(larger)
    evaluate_rules(as_of=date.fromisoformat(data["as_of"]), actor="synth-test")
    numbers = dict(TravelDocument.objects.values_list("pk", "number"))
    for code, kinds in EXPECTED.items():
        findings = list(Finding.objects.filter(code=code).values_list("subject_id", "evidence"))
        injected = {(a["official_id"], a["number"]) for kind in kinds for a in data["anomalies"][kind]}
        if code == "custody.breach":  # without custody.csv, a document out for a trip has no trip behind it
            injected |= {(a["official_id"], a["number"]) for a in data["travel"]["checked_out"]}
        assert {oid for oid, _e in findings} == {oid for oid, _n in injected}, code
        flagged = {
            (oid, numbers[int(e[9:])]) for oid, ev in findings for e in ev if e.startswith("document:")
        }
        assert injected <= flagged, code
    for kind in KINDS:
        assert len(data["anomalies"][kind]) >= 4, kind
    again = import_documents_file(path=larger / "documents.csv", actor="synth-test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)


@pytest.mark.slow
def test_province_scale_documents():
    data = generate_registry(scale="province", seed=1)
    documents = data.frames["documents"]
    assert 110_000 < len(documents["number"]) < 140_000
    anomalies = data.manifest["anomalies"]
    assert all(len(anomalies[kind]) >= 100 for kind in KINDS)

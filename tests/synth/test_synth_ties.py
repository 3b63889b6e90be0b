"""The small synthetic dataset through the import path and the rules: exactly the manifest's ties."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.helpers import csv_rows

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding
from sojourn.registry.models import Official
from sojourn.reports.naked import Params, naked_officials
from sojourn.synth.dataset import FILES, generate_registry, write_registry
from sojourn.synth.loading import load_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("ties")
    # 1,200 officials at the small scale: enough for a naked official in a restricted post (seed 4 has one).
    generated = generate_registry(scale="small", officials=1200, seed=4, crossings=500)
    write_registry(generated, out)
    # The ties rules read the registry files only: load those (load_dataset skips missing files).
    shutil.rmtree(out / "crossings")
    for path in out.glob("*.csv"):
        if path.stem not in FILES:
            path.unlink()
    return out, generated.manifest


def officials_of(code: str) -> set[str]:
    return set(Finding.objects.filter(code=code).values_list("subject_id", flat=True))


def test_duties_file_lists_the_expected_reminders(dataset):
    out, manifest = dataset
    rows = csv_rows(out, "duties")
    assert rows and set(rows[0]) == {"official_id", "countries", "since", "note"}
    duty = {(r["official_id"], c) for r in rows for c in r["countries"].split(";")}
    expected = manifest["anomalies"]["ties"]["recusal_reminder"]
    assert expected and {tuple(e.split(":")) for e in expected} <= duty
    assert all(r["since"] < manifest["as_of"] for r in rows if r["since"])


def test_the_ties_rules_find_exactly_the_manifests_lists(db, dataset):
    out, manifest = dataset
    load_dataset(out, actor="test")
    evaluate_rules(as_of=date.fromisoformat(manifest["as_of"]), actor="test")
    anomalies = manifest["anomalies"]
    assert anomalies["naked_official"] and anomalies["naked_official_in_restricted_post"]
    assert officials_of("ties.naked_official") == set(anomalies["naked_official"])
    assert officials_of("ties.restricted_post") == set(anomalies["naked_official_in_restricted_post"])
    settled = Finding.objects.filter(code="ties.relative_settled_abroad").values_list("details", flat=True)
    assert {d["relative"] for d in settled} == set(anomalies["relative_settled_abroad"])
    reminders = Finding.objects.filter(code="ties.recusal_reminder").values_list("subject_id", "details")
    assert {f"{oid}:{d['country']}" for oid, d in reminders} == set(anomalies["ties"]["recusal_reminder"])
    for finding in Finding.objects.filter(code="ties.naked_official"):
        assert finding.text.endswith("This is a status that the 2014 measures on posts act on, not a violation.")

    report = naked_officials(Official.objects.all(), Params(by="rank"))
    assert report.totals["officials"] == manifest["counts"]["officials"]
    assert report.totals["naked"] == len(anomalies["naked_official"])
    assert report.totals["in_restricted_post"] == len(anomalies["naked_official_in_restricted_post"])

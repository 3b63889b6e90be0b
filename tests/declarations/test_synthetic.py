"""The small synthetic dataset through the import path, `reconcile` and verification of every report:
exactly the injected omissions and concealments, and the late and missing reports."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from sojourn.alerts.models import Finding
from sojourn.crossings.services import reconcile
from sojourn.declarations.models import Declaration
from sojourn.declarations.services import run_verification
from sojourn.synth.dataset import generate_registry, write_registry
from sojourn.synth.loading import load_dataset

pytestmark = pytest.mark.slow


def test_verification_finds_exactly_the_injected_discrepancies(transactional_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SOJOURN_DATA_DIR", str(tmp_path / "data"))
    dataset = generate_registry(scale="small", seed=3)
    write_registry(dataset, tmp_path / "synth")
    load_dataset(tmp_path / "synth", actor="test")
    injected = dataset.manifest["anomalies"]["declarations"]
    as_of = date.fromisoformat(dataset.manifest["as_of"])
    reconcile(as_of=as_of, actor="test")
    assert Declaration.objects.count() > 200

    run = run_verification(year=injected["year"], actor="test", share=1.0, seed=1)
    found = Counter((v.declaration.official.official_id, d.klass, d.item_kind)
                    for v in run.verifications for d in v.discrepancies.all())
    expected = Counter((a["official_id"], klass, a["kind"]) for klass in ("concealment", "omission")
                       for a in injected[klass])
    assert found == expected
    late = {f.subject_id for f in Finding.objects.filter(code="declaration.late", dedupe_key__endswith=":2025")}
    assert late == set(injected["late"]) | set(injected["missing"])
    trips = {f.subject_id for f in Finding.objects.filter(code="declaration.undeclared_trip")}
    assert trips == {a["official_id"] for a in injected["concealment"] if a["kind"] in ("private_trip", "hkmt_trip")}

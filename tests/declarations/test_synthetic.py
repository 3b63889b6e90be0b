"""The small synthetic dataset through the import path, `reconcile` and verification of every report:
exactly the injected omissions and concealments, and the late and missing reports."""

from __future__ import annotations

from collections import Counter

import pytest

from sojourn.alerts.models import Finding
from sojourn.declarations.models import Declaration
from sojourn.declarations.services import run_verification

pytestmark = pytest.mark.slow


def test_verification_finds_exactly_the_injected_discrepancies(reconciled_synthetic):
    injected = reconciled_synthetic["anomalies"]["declarations"]
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

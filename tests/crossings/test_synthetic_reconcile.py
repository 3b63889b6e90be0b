"""The synthetic dataset through the import path and `reconcile`: exactly the injected travel anomalies, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.alerts.models import Finding
from sojourn.crossings.models import Journey
from sojourn.crossings.services import reconcile
from sojourn.crossings.store import store_files
from sojourn.engine.snapshot import registry_snapshot
from sojourn.reports.nonreturns import Params, Window, non_returns
from tests.engine.test_engines_agree import assert_engines_agree

pytestmark = pytest.mark.slow


def trips_of(code: str) -> set[str]:
    refs = Finding.objects.filter(code=code).values_list("evidence", flat=True)
    return {ref.split(":", 1)[1] for evidence in refs for ref in evidence if ref.startswith("trip:")}


def keys(code: str) -> set[str]:
    return set(Finding.objects.filter(code=code).values_list("dedupe_key", flat=True))


def test_reconcile_finds_exactly_the_injected_anomalies(reconciled_synthetic, tmp_path):
    manifest = reconciled_synthetic
    injected = manifest["anomalies"]["travel"]
    as_of = date.fromisoformat(manifest["as_of"])

    assert keys("travel.exit_unapproved") == {f"travel.exit_unapproved:{e}" for e in injected["exit_unapproved"]}
    assert trips_of("travel.itinerary_deviation") == set(injected["early_departure"]) | set(injected["other_country"])
    assert trips_of("travel.return_overdue") == (set(injected["late_return"]) | set(injected["overdue"])
                                                 | set(injected["missing"]))
    assert trips_of("travel.missing") == set(injected["missing"])
    assert keys("travel.undeclared_document") == (
        {f"travel.undeclared_document:custody:{e}" for e in injected["document_in_custody"]}
        | {f"travel.undeclared_document:{u['official_id']}:CHN:{u['doc_number']}" for u in injected["undeclared_document"]})
    assert keys("document.lost_or_stolen_used") == {
        f"document.lost_or_stolen_used:crossing:{e}" for e in injected["lost_document_used"]}
    not_returned = {key.rsplit(":", 1)[1] for key in keys("custody.not_returned")}
    assert not_returned == {d["trip_id"] for d in injected["document_not_returned"]} | set(injected["missing"])
    assert keys("travel.excessive") == {f"travel.excessive:{t}" for t in injected["excessive"]}

    holiday = manifest["holiday"]
    report = non_returns(Journey.objects.all(), Params(
        Window(date.fromisoformat(holiday["from"]), date.fromisoformat(holiday["to"])), as_of, by="rank"))
    for column in ("travelled", "returned_on_time", "returned_late", "abroad", "overdue", "missing", "unapproved"):
        assert report.totals[column] == holiday[column], column

    again = reconcile(as_of=as_of, actor="test")
    assert again.evaluation.stored.created == 0

    assert_engines_agree(registry_snapshot(), store_files(), tmp_path)

"""Synthetic declarations: every reporting official has one (but the missing), the files parse, and the
injected anomalies are listed with their class and kind."""

from __future__ import annotations

from sojourn.feeds.base import Table, check_table
from sojourn.feeds.declarations import ASSETS, DECLARATIONS
from sojourn.synth.dataset import generate_registry


def table(name, frame):
    rows = [(n + 2, list(r)) for n, r in enumerate(zip(*frame.values(), strict=True))]
    return Table(name, list(frame), rows, data_rows=len(rows))


def test_declarations_and_assets_of_the_small_dataset():
    first, again = generate_registry(scale="small", seed=5), generate_registry(scale="small", seed=5)
    assert first.frames["declarations"] == again.frames["declarations"]
    assert first.frames["assets"] == again.frames["assets"]
    injected = first.manifest["anomalies"]["declarations"]
    assert injected["concealment"] and injected["omission"] and injected["missing"] and injected["late"]
    assert {a["kind"] for a in injected["omission"]} <= {"permit_hk_macau", "real_estate", "parking_space",
                                                         "securities"}
    declared = set(first.frames["declarations"]["official_id"])
    assert not declared & set(injected["missing"])
    officials = first.frames["officials"]
    reporting = {o for o, s in zip(officials["official_id"], officials["status"], strict=True)
                 if s in ("active", "under_investigation")}
    assert declared <= reporting and len(declared) > 0.8 * len(reporting)
    for schema, name in ((DECLARATIONS, "declarations"), (ASSETS, "assets")):
        parsed = check_table(schema, table(name, first.frames[name]))
        assert parsed.ok, parsed.errors[:3]

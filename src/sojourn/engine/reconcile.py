"""Reconciliation on an engine: crossings × registry snapshot → matched crossings and journeys.

This module knows nothing of Django: it takes Arrow tables and Parquet paths and gives Arrow
tables, so the benchmark and the cross-engine tests run it exactly as ``sojourn reconcile`` does.
The rules that turn journeys into findings are pure functions in ``sojourn.core.rules.travel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sojourn.engine import schema
from sojourn.engine.base import Engine

MODELS = ("candidates", "matched_raw", "matched", "journeys")

MATCHED = pa.schema([
    ("event_id", pa.string()),
    ("crossed_at", pa.timestamp("us", tz="UTC")),
    ("local_date", pa.date32()),
    ("direction", pa.string()),
    ("port", pa.string()),
    ("country", pa.string()),
    ("doc_type", pa.string()),
    ("doc_issuer", pa.string()),
    ("doc_number", pa.string()),
    ("official_pk", pa.int64()),
    ("document_pk", pa.int64()),
    ("matched_by", pa.string()),
    ("in_custody", pa.bool_()),
    ("lost_used", pa.bool_()),
])

JOURNEYS = pa.schema([
    ("exit_event_id", pa.string()),
    ("official_pk", pa.int64()),
    ("exit_date", pa.date32()),
    ("exit_country", pa.string()),
    ("exit_port", pa.string()),
    ("entry_event_id", pa.string()),
    ("entry_date", pa.date32()),
    ("entry_country", pa.string()),
    ("trip_pk", pa.int64()),
    ("trip_id", pa.string()),
    ("purpose", pa.string()),
    ("depart_date", pa.date32()),
    ("return_date", pa.date32()),
    ("destinations", pa.string()),
    ("coverage", pa.string()),  # covered | early | none
])


@dataclass(frozen=True)
class ReconcileOutput:
    matched: pa.Table
    journeys: pa.Table


def canonical(table: pa.Table, target: pa.Schema, keys: list[str]) -> pa.Table:
    """The same rows in the same types and order whichever engine produced them."""
    columns = []
    for field in target:
        column = table.column(field.name)
        if pa.types.is_timestamp(field.type) and pa.types.is_timestamp(column.type) and column.type.tz != field.type.tz:
            column = pc.cast(column, pa.timestamp("us", tz="UTC"))
        columns.append(pc.cast(column, field.type))
    shaped = pa.table(columns, schema=target)
    return shaped.sort_by([(k, "ascending") for k in keys])


def reconcile(
    engine: Engine,
    *,
    snapshot: dict[str, pa.Table] | None,
    crossing_files: list[str],
    deviation_days: int,
) -> ReconcileOutput:
    """Register the snapshot and the crossing store, run the models, return their results.

    ``snapshot=None``: the caller has registered the four snapshot tables on the engine already (the
    benchmark registers them as Parquet, so the engine streams them within its memory limit).
    """
    for name in ("officials", "documents", "custody_spans", "trips"):
        if snapshot is not None:
            engine.register_arrow(name, snapshot[name])
    engine.register_parquet("crossings", crossing_files, schema.CROSSINGS)
    engine.run_model("candidates")
    engine.run_model("matched_raw")
    engine.run_model("matched")
    engine.run_model("journeys", {"deviation_days": deviation_days})
    return ReconcileOutput(
        matched=canonical(engine.fetch("matched"), MATCHED, ["event_id"]),
        journeys=canonical(engine.fetch("journeys"), JOURNEYS, ["exit_event_id"]),
    )


def rule_inputs(output: ReconcileOutput, officials: pa.Table) -> dict[str, list[Any]]:
    """The travel rules' inputs straight from an engine's output (as the benchmark and the engine tests use them);
    ``sojourn reconcile`` reads the same records back from the operational store instead."""
    from sojourn.core.rules.travel import CrossingRecord, JourneyRecord

    ids = dict(zip(officials.column("official_pk").to_pylist(), officials.column("official_id").to_pylist(),
                   strict=True))
    crossings = [
        CrossingRecord(event_id=r["event_id"], official_id=ids[r["official_pk"]], local_date=r["local_date"],
                       direction=r["direction"], port=r["port"], country=r["country"], doc_type=r["doc_type"],
                       doc_issuer=r["doc_issuer"], doc_number=r["doc_number"], matched_by=r["matched_by"],
                       document_id=str(r["document_pk"] or ""), in_custody=r["in_custody"], lost_used=r["lost_used"])
        for r in output.matched.to_pylist()
    ]
    journeys = [
        JourneyRecord(exit_event_id=r["exit_event_id"], official_id=ids[r["official_pk"]], exit_date=r["exit_date"],
                      exit_country=r["exit_country"], exit_port=r["exit_port"],
                      entry_event_id=r["entry_event_id"] or "", entry_date=r["entry_date"],
                      entry_country=r["entry_country"] or "", trip_id=r["trip_id"] or "", purpose=r["purpose"] or "",
                      depart_date=r["depart_date"], return_date=r["return_date"],
                      destinations=tuple(c for c in (r["destinations"] or "").split(";") if c), coverage=r["coverage"])
        for r in output.journeys.to_pylist()
    ]
    return {"travel_crossings": crossings, "journeys": journeys}

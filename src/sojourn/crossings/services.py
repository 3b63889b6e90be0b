"""Writes of the crossings app: ingesting feeds into the crossing store, and the reconciliation run.

``reconcile`` takes the registry snapshot through Arrow, runs the engine's models over the crossing
store, writes back the covered slice (matched crossings and journeys) in one transaction, then
evaluates every rule. Everything it writes is recomputed from the sources on each run, so a run
killed at any point leaves the store as it was or complete, and the next run finishes the job.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.db import transaction

from sojourn import conf
from sojourn.alerts.evaluation import EvaluationResult, evaluate_rules
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.crossings.models import Journey, MatchedCrossing
from sojourn.crossings.store import IngestReport, ingest_crossings, store_files
from sojourn.engine.base import get_engine
from sojourn.engine.reconcile import ReconcileOutput
from sojourn.engine.reconcile import reconcile as run_models
from sojourn.engine.snapshot import registry_snapshot

BATCH = 5000
Step = Callable[[str], None]


def import_crossings_file(*, path: Path, actor: Actor, fmt: str | None = None,
                          progress: Callable[[int], None] | None = None) -> IngestReport:
    """Ingest a crossing feed into the store and write one audit row naming the file, checksum and counts."""
    report = ingest_crossings(path, fmt=fmt, progress=progress)
    record(actor=actor, action=AuditAction.IMPORT, object_type="crossings", object_id=path.name,
           detail={"sha256": report.sha256, "read": report.read, "stored": report.stored,
                   "duplicates": report.duplicates, "rejected": report.rejected,
                   "already_ingested": report.already_ingested, "reject_file": report.reject_file})
    return report


@dataclass
class WriteBack:
    crossings_created: int = 0
    crossings_updated: int = 0
    journeys_created: int = 0
    journeys_updated: int = 0


@dataclass
class ReconcileResult:
    engine: str
    as_of: date
    crossing_files: int
    matched: int
    journeys: int
    written: WriteBack
    evaluation: EvaluationResult
    seconds: dict[str, float] = field(default_factory=dict)


def _rows(output: ReconcileOutput) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Matched crossings with the trip of their journey, and journeys, as plain rows."""
    con = duckdb.connect(":memory:")
    try:
        con.register("matched", output.matched)
        con.register("journeys", output.journeys)
        crossings = con.sql("""
            SELECT m.*, COALESCE(x.trip_pk, n.trip_pk) AS trip_pk
            FROM matched m
            LEFT JOIN journeys x ON x.exit_event_id = m.event_id
            LEFT JOIN (SELECT entry_event_id, MIN(trip_pk) AS trip_pk FROM journeys
                       WHERE entry_event_id IS NOT NULL GROUP BY entry_event_id) n ON n.entry_event_id = m.event_id
            ORDER BY m.event_id
        """).to_arrow_table().to_pylist()
        journeys = output.journeys.to_pylist()
    finally:
        con.close()
    return crossings, journeys


def write_back(output: ReconcileOutput) -> WriteBack:
    """Store new matched crossings and journeys and update the links that changed; all in one transaction."""
    crossings, journeys = _rows(output)
    result = WriteBack()
    with transaction.atomic():
        known = {
            e: (pk, o, d, t, m, h, lost)
            for e, pk, o, d, t, m, h, lost in MatchedCrossing.objects.values_list(
                "event_id", "pk", "official_id", "document_id", "trip_id", "matched_by", "doc_in_custody", "doc_lost"
            ).iterator(chunk_size=20000)
        }
        fresh, changed = [], []
        for c in crossings:
            state = (c["official_pk"], c["document_pk"], c["trip_pk"], c["matched_by"], c["in_custody"],
                     c["lost_used"])
            existing = known.get(c["event_id"])
            if existing is None:
                fresh.append(MatchedCrossing(
                    event_id=c["event_id"], official_id=c["official_pk"], crossed_at=c["crossed_at"],
                    local_date=c["local_date"], direction=c["direction"], port=c["port"], country=c["country"],
                    doc_type=c["doc_type"], doc_issuer=c["doc_issuer"], doc_number=c["doc_number"],
                    document_id=c["document_pk"], matched_by=c["matched_by"], trip_id=c["trip_pk"],
                    doc_in_custody=c["in_custody"], doc_lost=c["lost_used"],
                ))
            elif existing[1:] != state:
                changed.append(MatchedCrossing(
                    pk=existing[0], official_id=c["official_pk"], document_id=c["document_pk"], trip_id=c["trip_pk"],
                    matched_by=c["matched_by"], doc_in_custody=c["in_custody"], doc_lost=c["lost_used"],
                ))
        MatchedCrossing.objects.bulk_create(fresh, batch_size=BATCH)
        MatchedCrossing.objects.bulk_update(
            changed, ["official", "document", "trip", "matched_by", "doc_in_custody", "doc_lost"], batch_size=BATCH)
        result.crossings_created, result.crossings_updated = len(fresh), len(changed)

        pk_of = dict(MatchedCrossing.objects.values_list("event_id", "pk").iterator(chunk_size=20000))
        known_j = {
            exit_id: (pk, entry, trip, entry_date, due, coverage)
            for exit_id, pk, entry, trip, entry_date, due, coverage in Journey.objects.values_list(
                "exit_id", "pk", "entry_id", "trip_id", "entry_date", "due_date", "coverage"
            ).iterator(chunk_size=20000)
        }
        fresh_j, changed_j = [], []
        for j in journeys:
            exit_pk = pk_of[j["exit_event_id"]]
            entry_pk = pk_of.get(j["entry_event_id"]) if j["entry_event_id"] else None
            journey_state = (entry_pk, j["trip_pk"], j["entry_date"], j["return_date"], j["coverage"])
            existing_j = known_j.get(exit_pk)
            if existing_j is None:
                fresh_j.append(Journey(
                    exit_id=exit_pk, entry_id=entry_pk, official_id=j["official_pk"], trip_id=j["trip_pk"],
                    exit_date=j["exit_date"], entry_date=j["entry_date"], due_date=j["return_date"],
                    destination=j["exit_country"], port=j["exit_port"], coverage=j["coverage"],
                ))
            elif existing_j[1:] != journey_state:
                changed_j.append(Journey(
                    pk=existing_j[0], entry_id=entry_pk, trip_id=j["trip_pk"], entry_date=j["entry_date"],
                    due_date=j["return_date"], coverage=j["coverage"],
                ))
        Journey.objects.bulk_create(fresh_j, batch_size=BATCH)
        Journey.objects.bulk_update(changed_j, ["entry", "trip", "entry_date", "due_date", "coverage"],
                                    batch_size=BATCH)
        result.journeys_created, result.journeys_updated = len(fresh_j), len(changed_j)
    return result


def reconcile(*, engine: str = "duckdb", as_of: date, actor: Actor = None, step: Step | None = None) -> ReconcileResult:
    """Match the crossing store against the registry, write back the covered slice, evaluate every rule."""
    seconds: dict[str, float] = {}

    def timed(label: str, started: float) -> float:
        seconds[label] = round(time.perf_counter() - started, 3)
        if step:
            step(label)
        return time.perf_counter()

    started = time.perf_counter()
    snapshot = registry_snapshot()
    files = store_files()
    started = timed("snapshot", started)
    with (tempfile.TemporaryDirectory(prefix="sojourn-engine-", dir=conf.home()) as work,
          get_engine(engine, work_dir=Path(work)) as runner):
        output = run_models(runner, snapshot=snapshot, crossing_files=files,
                            deviation_days=int(settings.SOJOURN_DEVIATION_DAYS))
    started = timed("engine", started)
    written = write_back(output)
    started = timed("write-back", started)
    evaluation = evaluate_rules(as_of=as_of, actor=actor)
    timed("rules", started)
    result = ReconcileResult(engine=engine, as_of=as_of, crossing_files=len(files), matched=output.matched.num_rows,
                             journeys=output.journeys.num_rows, written=written, evaluation=evaluation,
                             seconds=seconds)
    record(actor=actor, action=AuditAction.JOB, object_type="job", object_id="reconcile",
           detail={"engine": engine, "as_of": as_of.isoformat(), "crossing_files": len(files),
                   "matched": result.matched, "journeys": result.journeys,
                   "written": written.__dict__, "seconds": seconds})
    return result


"""Evaluate the ruleset over the operational store and keep what it raises.

Each input a rule may name has a provider here; later families (custody, travel, ties…) add
theirs, and the batch engine supplies the crossing-based inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from sojourn.alerts.services import StoreResult, store_findings
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.core.rules import Ruleset, default_ruleset
from sojourn.crossings import snapshot as crossings_snapshot
from sojourn.custody import snapshot as custody_snapshot
from sojourn.declarations import snapshot as declarations_snapshot
from sojourn.registry import snapshot
from sojourn.screening import snapshot as screening_snapshot
from sojourn.travel import snapshot as travel_snapshot

PROVIDERS: dict[str, Callable[[], Any]] = {
    "officials": snapshot.official_records,
    "post_changes": snapshot.post_change_records,
    "relatives": snapshot.relative_records,
    "duties": snapshot.duty_records,
    "documents": custody_snapshot.document_records,
    "screening_hits": screening_snapshot.screening_hits,
    "trips": travel_snapshot.trip_records,
    "trip_screenings": travel_snapshot.trip_screenings,
    "journeys": crossings_snapshot.journey_records,
    "travel_crossings": crossings_snapshot.crossing_records,
    "declarations": declarations_snapshot.declaration_records,
    "assets": declarations_snapshot.asset_records,
    "declaration_relatives": declarations_snapshot.declaration_relatives,
    "declaration_discrepancies": declarations_snapshot.discrepancy_records,
}


def configured_ruleset() -> Ruleset:
    """The default ruleset with the parameters set through the environment."""
    return default_ruleset(overrides={
        "registry.filing_gap": {"deadline_working_days": settings.SOJOURN_FILING_DEADLINE_DAYS},
        "travel.excessive": {"trips_per_year": settings.SOJOURN_EXCESSIVE_TRIPS,
                             "max_days": settings.SOJOURN_EXCESSIVE_DAYS},
        "travel.return_overdue": {"grace_days": settings.SOJOURN_RETURN_GRACE_DAYS},
        "travel.missing": {"missing_days": settings.SOJOURN_MISSING_DAYS},
    })


@dataclass(frozen=True)
class EvaluationResult:
    ruleset: str
    as_of: date
    by_code: dict[str, int]
    stored: StoreResult


def evaluate_rules(*, as_of: date, actor: Actor = None, ruleset: Ruleset | None = None) -> EvaluationResult:
    """Run every enabled rule, store new findings, and write one audit row for the run."""
    ruleset = ruleset or configured_ruleset()
    inputs = {name: PROVIDERS[name]() for name in sorted(ruleset.inputs())}
    findings = list(ruleset.evaluate(inputs, as_of=as_of))
    stored = store_findings(findings=findings, ruleset=ruleset.version)
    # What the rules flag now; a condition that has ended is a resolution, not a flag.
    by_code = dict(Counter(f.code for f in findings if not f.resolution or f.raise_if_new))
    record(
        actor=actor, action=AuditAction.JOB, object_type="job", object_id="evaluate_rules",
        detail={"as_of": as_of.isoformat(), "ruleset": ruleset.version, "raised": by_code,
                "created": stored.created},
    )
    return EvaluationResult(ruleset.version, as_of, by_code, stored)

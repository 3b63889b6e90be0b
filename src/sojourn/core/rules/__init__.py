"""The rule catalogue as code: every rule Sojourn evaluates, and the default ruleset."""

from __future__ import annotations

from sojourn.core.rules.custody import CUSTODY_RULES
from sojourn.core.rules.declarations import DECLARATION_RULES
from sojourn.core.rules.documents import DOCUMENT_RULES
from sojourn.core.rules.model import Context, Finding, Rule, Ruleset, Severity, rule
from sojourn.core.rules.registry import filing_gap
from sojourn.core.rules.screening import SCREENING_RULES
from sojourn.core.rules.ties import TIES_RULES
from sojourn.core.rules.travel import TRAVEL_RULES
from sojourn.core.rules.trips import TRIP_RULES

RULESET_VERSION = "2026.11.6"

# Later families (travel, ties, declarations) add their rules here.
ALL_RULES: tuple[Rule, ...] = (filing_gap, *CUSTODY_RULES, *DOCUMENT_RULES, *SCREENING_RULES, *TRAVEL_RULES,
                               *TRIP_RULES, *TIES_RULES, *DECLARATION_RULES)


def default_ruleset(*, disabled: frozenset[str] = frozenset(),
                    overrides: dict[str, dict[str, object]] | None = None) -> Ruleset:
    return Ruleset(version=RULESET_VERSION, rules=ALL_RULES, disabled=disabled, overrides=overrides or {})


__all__ = ["ALL_RULES", "RULESET_VERSION", "Context", "Finding", "Rule", "Ruleset", "Severity",
           "default_ruleset", "rule"]

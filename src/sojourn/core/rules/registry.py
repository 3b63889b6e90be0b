"""Rules over the registry itself."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sojourn.core.rules.model import Context, Finding, Severity, rule

FILING_BASIS = (
    "Filing notice of 2003 (公通字[2003]13号): covered officials are filed with the exit-entry "
    "administration; local deadlines require a change of post to be filed within 5 working days."
)

# Officials in these states are no longer travelling under the unit's oversight.
INACTIVE = frozenset({"deceased"})


@dataclass(frozen=True)
class OfficialRecord:
    official_id: str
    covered_since: date
    filed_on: date | None
    status: str
    post: str = ""
    restricted_post: bool = False


@dataclass(frozen=True)
class PostChangeRecord:
    change_id: str
    official_id: str
    post: str
    started_on: date
    filed_on: date | None


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``; public holidays are not known."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@rule("registry.filing_gap", severity=Severity.MEDIUM, basis=FILING_BASIS,
      inputs=("officials", "post_changes"), deadline_working_days=5)
def filing_gap(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A covered official not filed with the exit-entry administration, or a change of post not filed in time.

    The deadline is ``deadline_working_days`` working days (default 5) after the official
    became covered, or after the new post was taken up. Filing late is flagged as well as not
    filing at all, so the record shows how long the gap was.
    """
    days = int(ctx.params["deadline_working_days"])
    officials: Sequence[OfficialRecord] = inputs["officials"]
    for off in officials:
        if off.status in INACTIVE:
            continue
        due = add_working_days(off.covered_since, days)
        if off.filed_on is None and ctx.as_of > due:
            yield Finding(
                code="registry.filing_gap", severity=Severity.MEDIUM, official_id=off.official_id,
                text=(f"Covered since {off.covered_since:%Y-%m-%d} but not filed with the exit-entry "
                      f"administration; filing was due by {due:%Y-%m-%d}."),
                basis=FILING_BASIS, dedupe_key=f"registry.filing_gap:{off.official_id}:covered:{off.covered_since}",
                evidence=(f"official:{off.official_id}",),
                details={"due": due.isoformat(), "covered_since": off.covered_since.isoformat()},
            )
        elif off.filed_on is not None and off.filed_on > due:
            yield Finding(
                code="registry.filing_gap", severity=Severity.MEDIUM, official_id=off.official_id,
                text=(f"Covered since {off.covered_since:%Y-%m-%d}, filed on {off.filed_on:%Y-%m-%d}: "
                      f"{(off.filed_on - due).days} days after the deadline of {due:%Y-%m-%d}."),
                basis=FILING_BASIS, dedupe_key=f"registry.filing_gap:{off.official_id}:covered:{off.covered_since}",
                evidence=(f"official:{off.official_id}",),
                details={"due": due.isoformat(), "filed_on": off.filed_on.isoformat()},
            )
    changes: Sequence[PostChangeRecord] = inputs["post_changes"]
    for ch in changes:
        due = add_working_days(ch.started_on, days)
        late = ch.filed_on is not None and ch.filed_on > due
        if (ch.filed_on is None and ctx.as_of > due) or late:
            filed = f"filed on {ch.filed_on:%Y-%m-%d}" if ch.filed_on else "not filed"
            yield Finding(
                code="registry.filing_gap", severity=Severity.MEDIUM, official_id=ch.official_id,
                text=(f"Took up the post '{ch.post}' on {ch.started_on:%Y-%m-%d}; the change was {filed}, "
                      f"and was due by {due:%Y-%m-%d}."),
                basis=FILING_BASIS, dedupe_key=f"registry.filing_gap:{ch.official_id}:post:{ch.change_id}",
                evidence=(f"official:{ch.official_id}", f"post_change:{ch.change_id}"),
                details={"due": due.isoformat(), "post": ch.post},
            )

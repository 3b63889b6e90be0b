"""Reads for match review: open possible-match findings the user may see, with both records side by side."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sojourn.accounts.scope import User
from sojourn.alerts.models import Finding, FindingStatus
from sojourn.alerts.selectors import visible_findings
from sojourn.registry.models import Official, Relative
from sojourn.screening.models import WatchlistEntry
from sojourn.screening.services import POSSIBLE_MATCH

PERSON_FIELDS = ("name_zh", "surname", "given_name", "birth_date", "sex")
ENTRY_FIELDS = ("name_zh", "surname", "given_name", "aliases", "birth_date", "sex", "nationality",
                "id_number", "doc_numbers", "reason", "action")  # fmt: skip


@dataclass(frozen=True)
class ReviewPair:
    """A possible-match finding with the person's record and the list entry's record."""

    finding: Finding
    person: dict[str, Any]
    entry: dict[str, Any]


def open_matches(user: User) -> QuerySet[Finding]:
    """The user's visible possible-match findings that are still open (a queryset)."""
    return (
        visible_findings(user)
        .filter(code=POSSIBLE_MATCH)
        .exclude(status__in=[FindingStatus.DISMISSED, FindingStatus.CONFIRMED])
    )


def _person(subject: str) -> dict[str, Any]:
    kind, _, key = subject.partition(":")
    if kind == "relative":
        row = (
            Relative.objects.filter(relative_id=key)
            .values("pk", "relative_id", "relationship", *PERSON_FIELDS, "nationality")
            .first()
        )
    else:
        row = (
            Official.objects.filter(official_id=key)
            .values("pk", "official_id", *PERSON_FIELDS, "id_number")
            .first()
        )
    return dict(row or {})


def review_pairs(findings: Iterable[Finding]) -> list[ReviewPair]:
    """Each finding with the person and entry it is about (empty dicts for records gone since)."""
    pairs = []
    for finding in findings:
        details = finding.details
        entry = (
            WatchlistEntry.objects.filter(
                watchlist__name=details.get("list"), entry_id=details.get("entry_id")
            )
            .values("entry_id", "watchlist__name", *ENTRY_FIELDS)
            .first()
        )
        pairs.append(ReviewPair(finding, _person(str(details.get("subject", ""))), dict(entry or {})))
    return pairs

"""Continuous screening: covered officials and their relatives who may be on a watch list.

The provider (``sojourn.screening.snapshot``) screens every official and relative against the
lists valid today and hands the rule one ``ScreeningHit`` per (person, entry) pair whose score
reaches the match threshold, leaving out pairs an inspector has rejected for the same data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sojourn.core.rules import identity
from sojourn.core.rules.model import Context, Finding, Severity, rule

SCREENING_BASIS = "Internal list practice; GTAS watch-list matching."
TOP_EXPLANATIONS = 3


@dataclass(frozen=True)
class ScreeningHit:
    """One person of the registry that may be one list entry, with the score and the reasons.

    ``relative_id`` is empty when the person is the official. ``data_key`` is a fingerprint of
    both records' identifying fields, so a changed record is a new pair to review;
    ``reopened_after`` is the expiry of an earlier rejection of the same pair, if one lapsed.
    """

    official_id: str
    relative_id: str
    relationship: str
    person_name: str
    birth_date: date | None
    entry_id: str
    list_name: str
    entry_name: str
    score: float
    explanations: tuple[str, ...]
    data_key: str
    reopened_after: date | None = None

    @property
    def subject_key(self) -> str:
        """``official:<id>`` or ``relative:<id>``: the person a judgement is about."""
        return f"relative:{self.relative_id}" if self.relative_id else f"official:{self.official_id}"


def query_name(name_zh: str, surname: str, given_name: str) -> str:
    """The name a registry person is screened by: characters and passport spelling together
    (``毛瑶 MAO YAO``), so the spelling fixes the order and the characters still decide between
    homophones (张伟 is not 张卫)."""
    latin = " ".join(p for p in (surname.upper(), given_name.upper()) if p)
    return " ".join(p for p in (name_zh, latin) if p)


def _who(hit: ScreeningHit) -> str:
    born = f", born {hit.birth_date.isoformat()}" if hit.birth_date else ""
    if hit.relative_id:
        return f"{hit.person_name}{born} ({hit.relationship} of official {hit.official_id})"
    return f"Official {hit.official_id} {hit.person_name}{born}"


@rule("screening.possible_match", severity=Severity.HIGH, basis=SCREENING_BASIS, inputs=("screening_hits",))
def possible_match(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """An official or a relative may be a person on a watch list (name across scripts and
    romanizations, birth date, sex, ID number). A flag to review, never a verdict: an inspector
    confirms the match or rejects it with a reason, and a rejected pair is not raised again for
    the same data until the rejection expires. With the optional input ``linkage`` (identity
    resolution), also a list entry linked to an official, a relative or a traveller.
    """
    hits: Sequence[ScreeningHit] = inputs["screening_hits"]
    for hit in hits:
        reasons = "; ".join(hit.explanations[:TOP_EXPLANATIONS])
        text = (
            f"{_who(hit)} may be entry {hit.entry_id} on list {hit.list_name} ({hit.entry_name}): "
            f"score {hit.score:.2f}" + (f" — {reasons}." if reasons else ".")
        )
        evidence = [f"official:{hit.official_id}"]
        if hit.relative_id:
            evidence.append(f"relative:{hit.relative_id}")
        evidence.append(f"watchlist:{hit.list_name}/{hit.entry_id}")
        key = f"screening.possible_match:{hit.subject_key}:{hit.list_name}/{hit.entry_id}:{hit.data_key}"
        if hit.reopened_after is not None:
            key += f":after-{hit.reopened_after.isoformat()}"
        yield Finding(
            code="screening.possible_match", severity=Severity.HIGH, official_id=hit.official_id, text=text,
            basis=SCREENING_BASIS, dedupe_key=key, evidence=tuple(evidence),
            details={
                "subject": hit.subject_key, "list": hit.list_name, "entry_id": hit.entry_id,
                "score": round(hit.score, 4), "explanations": list(hit.explanations), "data_key": hit.data_key,
            },
        )  # fmt: skip
    yield from identity.possible_matches(inputs, code="screening.possible_match", basis=SCREENING_BASIS)


SCREENING_RULES = (possible_match,)

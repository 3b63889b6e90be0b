"""Continuous screening: every official and relative against the lists, as plain hits for the rules.

``screening_hits`` is the provider of the ``screening_hits`` input (``sojourn.alerts.evaluation``):
it screens each person of the registry — name in characters and passport spelling together
(``query_name``), birth date, sex, nationality, ID number — against the index of the entries
valid today (``current_index``) and returns one ``ScreeningHit`` per pair that reaches the
match threshold. The index is asked for candidates first and ``screen`` runs only for the
people who have any (most have none).

Pairs an inspector rejected for the same data (``MatchJudgement``) are left out until the
rejection expires; a lapsed rejection reopens the pair under a new dedupe key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from sojourn.core.names.forms import NameRecord, parse_name
from sojourn.core.names.index import CandidateIndex
from sojourn.core.rules.screening import ScreeningHit, query_name
from sojourn.core.screening import Match, screen
from sojourn.registry.models import Official, Relative
from sojourn.screening.models import MatchJudgement, Verdict, WatchlistEntry
from sojourn.screening.services import current_index

PERSON_FIELDS = ("name_zh", "surname", "given_name", "birth_date", "sex")
ENTRY_FIELDS = ("name_zh", "surname", "given_name", "aliases", "birth_date", "sex", "nationality",
                "id_number", "doc_numbers")  # fmt: skip


@dataclass(frozen=True)
class Person:
    """An official or a relative as screened."""

    official_id: str
    relative_id: str
    relationship: str
    name_zh: str
    surname: str
    given_name: str
    birth_date: date | None
    sex: str
    nationality: str
    id_number: str

    @property
    def latin(self) -> str:
        return " ".join(p for p in (self.surname.upper(), self.given_name) if p)

    @property
    def display(self) -> str:
        latin = self.latin
        return f"{self.name_zh} ({latin})" if self.name_zh and latin else self.name_zh or latin


def people() -> Iterator[Person]:
    """Every official and every relative, officials first."""
    officials = Official.objects.values_list("official_id", *PERSON_FIELDS, "id_number")
    for oid, zh, sur, given, birth, sex, number in officials.iterator(chunk_size=5000):
        yield Person(oid, "", "official", zh, sur, given, birth, sex, "CHN", number)
    relatives = Relative.objects.values_list(
        "official__official_id", "relative_id", "relationship", *PERSON_FIELDS, "nationality"
    )
    for oid, rid, relationship, zh, sur, given, birth, sex, nationality in relatives.iterator(
        chunk_size=5000
    ):
        yield Person(oid, rid, relationship, zh, sur, given, birth, sex, nationality, "")


def person_matches(index: CandidateIndex, person: Person, names: dict[str, NameRecord]) -> list[Match]:
    """The entries the person matches (score at or above the threshold); ``names`` caches parsed names."""
    text = query_name(person.name_zh, person.surname, person.given_name)
    if not text:
        return []
    record = names.get(text)
    if record is None:
        record = names[text] = parse_name(text)
    numbers = [person.id_number] if person.id_number else []
    found = index.lookup(record, numbers, limit=1)
    if not len(found.name_ids) and not found.number_hits:
        return []
    result = screen(
        index, name=record, birth_date=person.birth_date, sex=person.sex or None,
        nationality=person.nationality or None, id_number=person.id_number or None,
    )  # fmt: skip
    return [m for m in result.matches if m.match]


def data_key(person: Person, entry: dict[str, Any]) -> str:
    """A fingerprint of the identifying fields of both records (16 hex digits)."""
    mine = (
        person.name_zh,
        person.surname,
        person.given_name,
        person.birth_date,
        person.sex,
        person.id_number,
    )
    theirs = tuple(entry.get(f) for f in ENTRY_FIELDS)
    return hashlib.sha256(repr((mine, theirs)).encode("utf-8")).hexdigest()[:16]


def _entries(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored identifying fields of these (list, entry id) pairs."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    ids = sorted({entry_id for _list, entry_id in pairs})
    for i in range(0, len(ids), 500):
        rows = WatchlistEntry.objects.filter(entry_id__in=ids[i : i + 500]).values(
            "watchlist__name", "entry_id", *ENTRY_FIELDS
        )
        for row in rows:
            key = (row.pop("watchlist__name"), row["entry_id"])
            if key in pairs:
                found[key] = row
    return found


def latest_judgements() -> dict[tuple[str, str, str, str], MatchJudgement]:
    """The latest judgement of each (person, list, entry, data) pair."""
    latest: dict[tuple[str, str, str, str], MatchJudgement] = {}
    for judgement in MatchJudgement.objects.order_by("at", "id").iterator():
        latest[(judgement.subject_key, judgement.list_name, judgement.entry_id, judgement.data_key)] = (
            judgement
        )
    return latest


def _entry_name(entry: dict[str, Any]) -> str:
    latin = " ".join(p for p in (str(entry["surname"]).upper(), entry["given_name"]) if p)
    return " / ".join(p for p in (entry["name_zh"], latin) if p) or entry["entry_id"]


def screening_hits(today: date | None = None) -> list[ScreeningHit]:
    """Every (official or relative, list entry) pair that matches, less the unexpired rejections."""
    today = today or timezone.localdate()
    index = current_index(today)
    if not len(index):
        return []
    names: dict[str, NameRecord] = {}
    raw = [(person, m) for person in people() for m in person_matches(index, person, names)]
    entries = _entries({(m.list, m.entry_id) for _p, m in raw})
    judgements = latest_judgements()
    hits = []
    for person, match in raw:
        entry = entries.get((match.list, match.entry_id))
        if entry is None:  # removed since the index was built
            continue
        key = data_key(person, entry)
        subject = f"relative:{person.relative_id}" if person.relative_id else f"official:{person.official_id}"
        judged = judgements.get((subject, match.list, match.entry_id, key))
        reopened = None
        if judged is not None and judged.verdict == Verdict.REJECTED:
            if judged.expires_on is None or today < judged.expires_on:
                continue
            reopened = judged.expires_on
        hits.append(ScreeningHit(
            official_id=person.official_id, relative_id=person.relative_id, relationship=person.relationship,
            person_name=person.display, birth_date=person.birth_date, entry_id=match.entry_id,
            list_name=match.list, entry_name=_entry_name(entry), score=match.score,
            explanations=tuple(match.explanations), data_key=key, reopened_after=reopened,
        ))  # fmt: skip
    return hits

"""Screening one person against the watch lists: candidates from the index, scores, a decision.

How the evidence counts (issue 5, DESIGN.md §6):

* ID and document numbers decide. A number on a list entry equal to the query's is a match
  whatever the names say; a number that differs where both sides carry one of that kind
  lowers the score.
* The name score comes from ``compare_names`` (Han characters decide over pinyin, etc.).
* Birth date: the same date raises the score, day and month swapped raises it less, a list
  entry that knows only the year and agrees raises it a little; a different date or year
  lowers it. Sex and nationality raise or lower it a little. Each says so in words.
* The decision: ``hold`` only when a matching entry's action is ``hold`` and the match rests on
  more than the name (a number, or a birth date that agrees); a name-only query — no birth
  date, no number — is at most ``refer``; other matches ``refer``. Entries whose action is
  ``notify`` do not change the decision: they are listed in ``notify`` for the list's owner.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from sojourn.core.names.compiled import NameScorer
from sojourn.core.names.forms import NameRecord, parse_name
from sojourn.core.names.index import ACTIONS, COLUMNS, SEXES, CandidateIndex, normalize_number
from sojourn.core.names.match import MATCH_THRESHOLD, compare_names

DEFAULT_THRESHOLD = MATCH_THRESHOLD
NAME_FLOOR = 0.5  # names scoring below this are not considered further (unless a number hit)
REPORT_FLOOR = 0.5  # entries scoring below this are not reported
MAX_MATCHES = 10
# Names scored per query at most: beyond this, those sharing the most keys with the query
# (CandidateIndex.lookup's limit). Only very ambiguous spellings reach it on a 1M list.
MAX_CANDIDATES = 128

BIRTH_EXACT = 0.10
BIRTH_SWAPPED = 0.06
BIRTH_YEAR_ONLY = 0.03
BIRTH_DIFFERS = -0.15  # same year, another day
BIRTH_YEAR_DIFFERS = -0.30
SEX_AGREES = 0.02
SEX_DIFFERS = -0.15
NATIONALITY_AGREES = 0.03
NATIONALITY_DIFFERS = -0.05
NUMBER_DIFFERS = -0.20
# Where an entry's fields sit in a row of CandidateIndex.table.
_LIST, _ACTION, _BIRTH, _YEAR, _SEX, _NATIONALITY = (
    COLUMNS.index(c) for c in ("list", "action", "birth", "year", "sex", "nationality")
)
# _birth_delta's cases: none, exact, day and month swapped, year only, another day, another year.
_BIRTH_DELTAS = np.array(
    [0.0, BIRTH_EXACT, BIRTH_SWAPPED, BIRTH_YEAR_ONLY, BIRTH_DIFFERS, BIRTH_YEAR_DIFFERS]
)


@dataclass(frozen=True)
class Match:
    """One list entry the query may be, with its score and the reasons."""

    entry_id: str
    list: str
    score: float
    match: bool
    action: str
    explanations: builtins.list[str] = field(default_factory=builtins.list)

    def to_dict(self) -> dict[str, Any]:
        """The match as DESIGN.md §6 shows it."""
        return {
            "entry_id": self.entry_id,
            "list": self.list,
            "score": self.score,
            "match": self.match,
            "action": self.action,
            "explanations": list(self.explanations),
        }


@dataclass(frozen=True)
class ScreeningResult:
    """The decision for one query and the entries behind it (best first)."""

    decision: str  # clear | refer | hold
    matches: list[Match]
    threshold: float
    notify: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"decision", "matches", "threshold", "notify"}``; the API adds ``document`` and ``ruleset``."""
        return {
            "decision": self.decision,
            "matches": [m.to_dict() for m in self.matches],
            "threshold": self.threshold,
            "notify": list(self.notify),
        }


@dataclass(frozen=True)
class _Query:
    record: NameRecord | None
    birth_date: date | None
    sex: str | None
    nationality: str | None
    id_number: str
    document_number: str


@dataclass
class _Scored:
    """Candidate entries (indexes into the index) with their best names and final scores."""

    entries: npt.NDArray[np.int64]
    name_ids: npt.NDArray[np.int64]  # the entry's best-scoring name (-1: none), explained only if reported
    final: npt.NDArray[np.float64]
    raw: npt.NDArray[np.float64]  # before clipping to 0..1: orders entries whose score is 1.0
    corroborated: npt.NDArray[np.bool_]
    fields: npt.NDArray[np.int32]  # the entries' rows of CandidateIndex.table


def _name_candidates(
    index: CandidateIndex, query: _Query, name_ids: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """(entries, best name score, that name's id) for names that reach NAME_FLOOR (scores only, no reasons).

    Entries come in the order they are first met going through the names in turn; an entry
    carrying several names keeps the first of its best-scoring ones.
    """
    if query.record is None or not len(name_ids):
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64)
    scores = np.array(NameScorer(query.record).scores(index.scoring_rows(name_ids.tolist())))
    kept = scores >= NAME_FLOOR
    kept_ids = name_ids[kept].astype(np.int64)
    entries, counts = index.entries_of_names(kept_ids)
    if not len(entries):
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64)
    entry_scores, entry_names = np.repeat(scores[kept], counts), np.repeat(kept_ids, counts)
    met = np.arange(len(entries))
    # Per entry: the highest score, the earliest met among equals; then the entries as first met.
    order = np.lexsort((met, -entry_scores, entries))
    grouped = entries[order]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    best = order[starts][np.argsort(np.minimum.reduceat(order, starts))]
    return entries[best].astype(np.int64), entry_scores[best], entry_names[best]


def _swapped(day: date) -> int:
    """The ordinal of the date with day and month swapped, 0 when that is not another valid date."""
    if day.day == day.month or day.day > 12:
        return 0
    return date(day.year, day.day, day.month).toordinal()


def _birth_delta(fields: npt.NDArray[np.int32], birth: date) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Score change from the birth date, and whether it corroborates the name (``fields``: the entries' rows)."""
    on_list = fields[:, _BIRTH]
    year = fields[:, _YEAR]  # the year of the date where the entry has one
    exact = on_list == birth.toordinal()
    other = _swapped(birth)
    swapped = on_list == other if other else np.zeros(len(fields), dtype=bool)
    known = on_list > 0
    same_year = year == birth.year
    year_only = ~known & same_year
    # Exactly one of these holds, or none (no date and no year on the list): a row of _BIRTH_DELTAS.
    how = np.where(
        exact,
        1,
        np.where(swapped, 2, np.where(year_only, 3, np.where(~same_year & (year > 0), 5, known * 4))),
    )
    return _BIRTH_DELTAS[how], exact | swapped | year_only


def _category_delta(index: CandidateIndex, fields: npt.NDArray[np.int32], query: _Query) -> npt.NDArray[np.float64]:
    delta = np.zeros(len(fields))
    if query.sex in ("M", "F"):
        sexes = fields[:, _SEX]
        code = SEXES.index(query.sex)
        delta += SEX_AGREES * (sexes == code) + SEX_DIFFERS * ((sexes > 0) & (sexes != code))
    if query.nationality:
        nationalities = fields[:, _NATIONALITY]
        code = (
            index.nationalities.index(query.nationality) if query.nationality in index.nationalities else -1
        )
        delta += NATIONALITY_AGREES * (nationalities == code)
        delta += NATIONALITY_DIFFERS * ((nationalities > 0) & (nationalities != code))
    return delta


def _differing_numbers(index: CandidateIndex, entry: int, query: _Query) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, the query's number, the entry's numbers) for each kind where the entry carries numbers and not the query's."""
    id_numbers, doc_numbers = index.numbers_of(entry)
    return [
        (kind, mine, theirs)
        for kind, mine, theirs in (
            ("ID number", query.id_number, id_numbers),
            ("document number", query.document_number, doc_numbers),
        )
        if mine and theirs and mine not in theirs
    ]


def _number_delta(
    index: CandidateIndex, entries: npt.NDArray[np.int64], query: _Query, hit: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """NUMBER_DIFFERS where the entry carries numbers of a kind the query gives, and not the query's.

    An entry that none of the query's numbers found (``hit``: the index finds every number of
    every entry) carries neither of them, so the test is whether it carries a number of that
    kind at all, for all such entries at once; the entries found are compared number by number.
    """
    delta = np.zeros(len(entries))
    if not (query.id_number or query.document_number):
        return delta
    has_ids, has_docs = index.carry_numbers(entries)
    differs = np.zeros(len(entries), dtype=bool)
    if query.id_number:
        differs |= has_ids
    if query.document_number:
        differs |= has_docs
    for k in np.flatnonzero(hit).tolist():
        differs[k] = bool(_differing_numbers(index, int(entries[k]), query))
    delta[differs] = NUMBER_DIFFERS
    return delta


def _score(
    index: CandidateIndex,
    query: _Query,
    by_name: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]],
    hits: dict[int, str],
) -> _Scored:
    entries, base, names = by_name
    hit = np.zeros(len(entries), dtype=bool)
    if not hits and not len(entries):
        return _Scored(entries, names, base, base, hit, index.table[:0])
    if hits and not len(entries):
        entries = np.fromiter(hits, dtype=np.int64, count=len(hits))
        base, names, hit = (
            np.zeros(len(hits)),
            np.full(len(hits), -1, dtype=np.int64),
            np.ones(len(hits), dtype=bool),
        )
    elif hits:  # entries a number hit: those also found by name first, then the others in the order hit
        listed = set(entries.tolist())
        hit = np.isin(entries, np.fromiter(hits, dtype=np.int64, count=len(hits)))
        others = [e for e in hits if e not in listed]
        entries = np.concatenate([entries, np.array(others, dtype=np.int64)])
        base = np.concatenate([base, np.zeros(len(others))])
        names = np.concatenate([names, np.full(len(others), -1, dtype=np.int64)])
        hit = np.concatenate([hit, np.ones(len(others), dtype=bool)])
    fields = index.table[entries]
    corroborated = np.zeros(len(entries), dtype=bool)
    delta = _category_delta(index, fields, query) + _number_delta(index, entries, query, hit)
    if query.birth_date:
        birth, corroborated = _birth_delta(fields, query.birth_date)
        delta += birth
    raw = base + delta + hit * 1.0
    final = np.clip(base + delta, 0.0, 1.0)
    final[hit] = 1.0
    return _Scored(entries, names, np.round(final, 4), raw, corroborated | hit, fields)


def _explain(
    index: CandidateIndex,
    query: _Query,
    entry: int,
    name_id: int,
    hit: str | None,
    names: dict[int, list[str]],
    fields: list[int],
) -> list[str]:
    """The reasons for one reported entry; ``names`` keeps the name's reasons per name for this query.

    ``name_id``: the entry's best name, -1 for an entry only a number found; ``fields``: the
    entry's row of ``CandidateIndex.table``.
    """
    if name_id >= 0 and query.record is not None and name_id not in names:
        explained = compare_names(query.record, index.names[name_id]).explanations
        names[name_id] = [f"name: {e}" for e in explained]
    out = list(names.get(name_id, [])) if name_id >= 0 else []
    if hit:
        out.insert(0, f"number {hit} is on the list entry: the number decides")
    if query.birth_date:
        birth = date.fromordinal(fields[_BIRTH]) if fields[_BIRTH] else None
        out.append(birth_sentence(query.birth_date, birth, fields[_YEAR] or None))
    sex = SEXES[fields[_SEX]]
    if query.sex in ("M", "F") and sex:
        out.append(f"sex {'agrees' if sex == query.sex else 'differs'} ({query.sex} / {sex})")
    nationality = index.nationalities[fields[_NATIONALITY]]
    if query.nationality and nationality:
        same = nationality == query.nationality
        out.append(f"nationality {'agrees' if same else 'differs'} ({query.nationality} / {nationality})")
    if query.id_number or query.document_number:
        for kind, mine, theirs in _differing_numbers(index, entry, query):
            out.append(f"{kind} differs: {mine} / {', '.join(theirs)}")
    return [sentence for sentence in out if sentence]


def birth_sentence(mine: date, theirs: date | None, year: int | None) -> str:
    """How a queried birth date compares with a list entry's date (or year, when that is all it knows)."""
    if theirs is None:
        if year is None:
            return "no birth date on the list entry"
        same = year == mine.year
        return f"birth year {'agrees' if same else 'differs'} ({mine.year} / {year}; the list knows only the year)"
    if theirs == mine:
        return f"same birth date {mine.isoformat()}"
    if _swapped(mine) == theirs.toordinal():
        return f"birth date with day and month swapped ({mine.isoformat()} / {theirs.isoformat()})"
    if theirs.year == mine.year:
        return f"birth date differs in the same year ({mine.isoformat()} / {theirs.isoformat()})"
    return f"birth date differs ({mine.isoformat()} / {theirs.isoformat()})"


def _decide(index: CandidateIndex, query: _Query, scored: _Scored, threshold: float) -> tuple[str, list[str]]:
    matched = scored.final >= threshold
    actions = scored.fields[:, _ACTION]
    notify = [index.entry_ids[int(e)] for e in scored.entries[matched & (actions == ACTIONS.index("notify"))]]
    escalating = matched & (actions != ACTIONS.index("notify"))
    name_only = query.birth_date is None and not (query.id_number or query.document_number)
    if not name_only and (escalating & scored.corroborated & (actions == ACTIONS.index("hold"))).any():
        return "hold", notify
    return ("refer" if escalating.any() else "clear"), notify


def screen(
    index: CandidateIndex,
    *,
    name: str | NameRecord | None,
    birth_date: date | None = None,
    sex: str | None = None,
    nationality: str | None = None,
    id_number: str | None = None,
    document_number: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = MAX_MATCHES,
) -> ScreeningResult:
    """Screen one person against the indexed lists: decision, and the best entries with reasons."""
    record = (
        parse_name(name)
        if isinstance(name, str) and name.strip()
        else name
        if isinstance(name, NameRecord)
        else None
    )
    query = _Query(
        record=record,
        birth_date=birth_date,
        sex=(sex or "").upper()[:1] or None,
        nationality=(nationality or "").upper() or None,
        id_number=normalize_number(id_number or ""),
        document_number=normalize_number(document_number or ""),
    )
    numbers = [n for n in (query.id_number, query.document_number) if n]
    found = index.lookup(record, numbers, limit=MAX_CANDIDATES)
    by_name = _name_candidates(index, query, found.name_ids)
    scored = _score(index, query, by_name, found.number_hits)
    decision, notify = _decide(index, query, scored, threshold)
    order = np.argsort(-scored.raw, kind="stable")[:limit]
    order = order[scored.final[order] >= REPORT_FLOOR]
    entries = scored.entries[order]
    scores = scored.final[order].tolist()
    rows = scored.fields[order].tolist()
    matches = []
    explained: dict[int, list[str]] = {}
    for k, (entry, name_id) in enumerate(zip(entries.tolist(), scored.name_ids[order].tolist(), strict=True)):
        matches.append(
            Match(
                entry_id=index.entry_ids[entry],
                list=index.list_names[rows[k][_LIST]],
                score=scores[k],
                match=scores[k] >= threshold,
                action=ACTIONS[rows[k][_ACTION]],
                explanations=_explain(
                    index, query, entry, name_id, found.number_hits.get(entry), explained,
                    rows[k],
                ),  # fmt: skip
            )
        )
    return ScreeningResult(decision=decision, matches=matches, threshold=threshold, notify=notify)

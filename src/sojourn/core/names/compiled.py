"""Scores without reasons, for screening many candidates: ``name_score(a, b) == compare_names(a, b).score``.

Screening scores every candidate a query's keys return and explains only the few it reports,
so the hot path skips what only the explanations need, and never builds ``han_forms`` for a
list name:

* Han on both sides: the characters decide, so the simplified and exact keys suffice.
* Han against Latin: the romanized side is scored against the spellings of the surname and of
  the given name, cached per part (``surname_parts``, ``given_parts``): names repeat by parts
  far more than whole (431,000 distinct names on a 1M list, a few thousand surnames).
* Latin on both sides, both read as Chinese: each reading against each, the part scores
  kept per query.
* Anything else (other Latin names, codes, other scripts) goes through ``compare_names``.

A candidate index keeps each list name's ``scoring_row``, so the strings scoring compares are
worked out once per name, not once per query.

tests/core/names/test_compiled.py checks the equality on the name_bench pairs and Chinese sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sojourn.core.names.forms import NameRecord
from sojourn.core.names.match import (
    ENGLISH_NAME_CONFLICT,
    GIVEN_WEIGHT,
    MISREAD_SURNAME,
    SURNAME_WEIGHT,
    _best,
    _fuzzy_given,
    _fuzzy_surname,
    _given_pair,
    _given_splits,
    _Latin,
    _latin_of,
    _reads_chinese,
    _Split,
    _surname_pair,
    _typo_given,
    compare_names,
    latin_record,
)
from sojourn.core.names.readings import simplified_surname, to_simplified
from sojourn.core.names.romanize import (
    given_parts,
    surname_parts,
    written_in_one_system,
)
from sojourn.core.names.spellings import is_known_surname
from sojourn.core.names.surnames import T2S_MERGED_SURNAMES


@lru_cache(maxsize=16384)
def _surname_keys(surname_zh: str) -> tuple[str, str]:
    """(exact, blocking) simplified surname: distinct surnames kept apart (於) or merged (於 → 于)."""
    exact = simplified_surname(surname_zh)
    return exact, "".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in exact)


@lru_cache(maxsize=262144)
def _given_key(given_zh: str) -> str:
    return to_simplified(given_zh)


@lru_cache(maxsize=1 << 19)
def _given_score(given_zh: str, latin_given: tuple[str, ...]) -> float:
    """``_han_given_score``'s score; cached, as given names and their spellings recur across queries."""
    given = given_parts(given_zh)
    joined = "".join(latin_given)
    if not joined:
        return 0.3
    if joined in given.spellings:
        return 1.0
    best = 0.0
    for split in _given_splits(latin_given):
        if len(split) != len(given.syllables):
            continue
        parts = [
            1.0 if syllable in spellings else _fuzzy_given(_best(syllable, spellings)[0])
            for syllable, spellings in zip(split, given.syllables, strict=True)
        ]
        best = max(best, sum(parts) / len(parts))
    similarity = _best(joined, given.spellings)[0]
    fuzzy = _typo_given(similarity) if not _given_splits(latin_given) else _fuzzy_given(similarity)
    return max(best, fuzzy)


@lru_cache(maxsize=1 << 16)
def _surname_score(surname_zh: str, latin_surname: str) -> float:
    """The surname's part of ``_han_latin_once``'s score."""
    surname = surname_parts(surname_zh)
    if latin_surname in surname.spellings:
        return 1.0
    if latin_surname in surname.misreadings:
        return MISREAD_SURNAME
    similarity = _best(latin_surname, surname.spellings)[0]
    return _fuzzy_surname(similarity, is_known_surname(latin_surname))


def _given_once(x: tuple[str, ...], y: tuple[str, ...], english: bool, system: str | None) -> float:
    """The given-name part of ``match._romanized_once``'s score, from the two readings' given tokens."""
    if x and y:
        return _given_pair(x, y, system)[0]
    if english:
        return 0.85
    if not x and not y:
        return 0.5
    return 0.3


@dataclass(frozen=True, slots=True)
class Romanized:
    """What scoring reads of a name without Han characters: its readings, and whether they read as Chinese."""

    latin: _Latin
    chinese: bool


def romanized(record: NameRecord) -> Romanized | None:
    """The Latin side of a name as ``name_score`` reads it; None for Han, codes, or no Latin parts.

    Uncached: a candidate index keeps one per list name (``CandidateIndex.romanized``).
    """
    if record.has_han or record.ccc:
        return None
    side = latin_record(record)
    latin = None if side.ccc or side.has_han else _latin_of(side)
    return None if latin is None else Romanized(latin, _reads_chinese(latin))


# What scoring reads of one list name, worked out once (a candidate index keeps one per name):
#   (HAN, exact key, blocking key, surname key, given key, surname_zh, given_zh, record)
#   (LATIN, reads as Chinese, system, English name, readings, record), each reading being
#       (surname, given tokens, the tokens joined as one dictionary key, penalty)
#   (OTHER, record): codes, other scripts, no Latin parts; compare_names scores these.
HAN, LATIN, OTHER = 0, 1, 2
ScoringRow = tuple[Any, ...]
_JOIN = "\x1f"  # given tokens as one key (tokens carry no control characters)


def scoring_row(record: NameRecord) -> ScoringRow:
    """The row ``NameScorer.scores`` reads for ``record`` (see HAN, LATIN, OTHER)."""
    if record.has_han:
        exact, blocking = _surname_keys(record.surname_zh)
        given = _given_key(record.given_zh)
        return (HAN, exact + given, blocking + given, exact, given, record.surname_zh, record.given_zh, record)
    side = romanized(record)
    if side is None:
        return (OTHER, record)
    latin = side.latin
    readings = tuple((s.surname, s.given, _JOIN.join(s.given), s.penalty) for s in latin.splits)
    return (LATIN, side.chinese, latin.system, latin.english, readings, record)


# _BOUND: a given-name score is at most 1.0, so a pair whose surname score gives
# ``SURNAME_WEIGHT * surname + GIVEN_WEIGHT - penalties <= best`` cannot beat the best pair so
# far (the same operations on a larger operand, rounded to nearest, give no smaller result; a
# full match that mixes systems scores 0.95, below its bound of at least 0.999). Such pairs are
# not scored. The parsed readings meet first and are usually the best pair: about half of the
# other pairs of a Hong Kong or Wade-Giles spelling's candidates are skipped.


def _clipped(score: float) -> float:
    return round(max(0.0, min(score, 1.0)), 4)


class NameScorer:
    """``name_score(query, b)`` for one query against many names: the query's side is worked out once.

    ``scores`` goes through the candidates' rows in one loop per kind of query, with the part
    scores against the query kept in plain dictionaries keyed by strings for the duration of the
    query: its candidates share a few surnames and many given names, and a dictionary read costs a
    fraction of a call through the shared caches.
    """

    __slots__ = ("_chinese", "_han", "_latin", "query")

    def __init__(self, query: NameRecord) -> None:
        self.query = query
        self._han = scoring_row(query) if query.has_han else None
        side = None if query.has_han else romanized(query)
        self._latin = None if side is None else side.latin
        self._chinese = side is not None and side.chinese

    def scores(self, rows: list[ScoringRow]) -> list[float]:
        """``name_score(query, row's record)`` for each row, in order."""
        if self._han is not None:
            return self._han_scores(rows, self._han)
        if self._latin is not None:
            return self._latin_scores(rows, self._latin)
        return [compare_names(self.query, row[-1]).score for row in rows]

    def _han_scores(self, rows: list[ScoringRow], mine: ScoringRow) -> list[float]:
        """A Han query (``mine``: its row): characters against Han names, readings against romanized ones."""
        query = self.query
        _, exact, blocking, surname_key, given_key, surname_zh, given_zh, _ = mine
        surnames: dict[str, float] = {}  # a reading's surname → its score against the query's
        givens: dict[str, float] = {}
        out: list[float] = []
        for row in rows:
            kind = row[0]
            if kind == HAN:
                if row[1] == exact:
                    out.append(1.0)
                elif row[2] == blocking:
                    out.append(0.7)
                else:  # as _compare_han: the given part is what follows the surname in the exact key
                    given = row[4]
                    same = sum(cx == cy for cx, cy in zip(given_key, given, strict=False))
                    share = same / max(len(given_key), len(given), 1)
                    out.append(round(0.3 * (surname_key == row[3]) + 0.3 * share, 4))
            elif kind == LATIN:
                best = -1.0
                for surname, given, key, penalty in row[4]:
                    if best >= 1.0:
                        break  # the parsed reading is already a full match
                    surname_score = surnames.get(surname)
                    if surname_score is None:
                        surname_score = surnames[surname] = _surname_score(surname_zh, surname)
                    if SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT - penalty <= best:
                        continue  # even a given name scoring 1.0 would not beat the best (_BOUND)
                    given_score = givens.get(key)
                    if given_score is None:
                        given_score = givens[key] = _given_score(given_zh, given)
                    score = _han_latin(surname_zh, given_zh, surname, given, surname_score, given_score) - penalty
                    if score > best:
                        best = score
                out.append(_clipped(best))
            else:
                out.append(compare_names(query, row[-1]).score)
        return out

    def _latin_scores(self, rows: list[ScoringRow], x: _Latin) -> list[float]:
        """A romanized query: its readings against Han names' spellings and romanized names' readings."""
        query = self.query
        readings = x.splits
        # Per reading of the query: a Han surname → score, a Han given name → score.
        han_surnames: list[dict[str, float]] = [{} for _ in readings]
        han_givens: list[dict[str, float]] = [{} for _ in readings]
        # Per reading of the query: a romanized surname → score; per (reading, same system, same
        # English name): a romanized given name → score.
        surnames: list[dict[str, float]] = [{} for _ in readings]
        givens: dict[tuple[int, bool, bool], dict[str, float]] = {}
        others = list(enumerate(readings))[1:]
        parsed = readings[0]
        out: list[float] = []
        for row in rows:
            kind = row[0]
            if kind == HAN:
                surname_zh, given_zh = row[5], row[6]
                best = -1.0
                for k, split in enumerate(readings):
                    if best >= 1.0:
                        break
                    surname_score = han_surnames[k].get(surname_zh)
                    if surname_score is None:
                        surname_score = han_surnames[k][surname_zh] = _surname_score(surname_zh, split.surname)
                    if SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT - split.penalty <= best:
                        continue  # _BOUND
                    given_score = han_givens[k].get(given_zh)
                    if given_score is None:
                        given_score = han_givens[k][given_zh] = _given_score(given_zh, split.given)
                    score = _han_latin(surname_zh, given_zh, split.surname, split.given, surname_score, given_score)
                    score -= split.penalty
                    if score > best:
                        best = score
                out.append(_clipped(best))
            elif kind == LATIN and self._chinese and row[1]:
                out.append(self._romanized(row, x, parsed, others, surnames, givens))
            else:
                out.append(compare_names(query, row[-1]).score)
        return out

    @staticmethod
    def _romanized(
        row: ScoringRow,
        x: _Latin,
        parsed: _Split,
        others: list[tuple[int, _Split]],
        surnames: list[dict[str, float]],
        givens: dict[tuple[int, bool, bool], dict[str, float]],
    ) -> float:
        """``_compare_romanized``'s score: x's parsed reading against each of the row's, and x's
        other readings against the row's parsed one (``english``: both carry the same English name)."""
        same_system = x.system == row[2]
        system = x.system if same_system else None
        english = bool(x.english) and x.english == row[3]
        theirs = row[4]
        best = float("-inf")
        pairs = [(0, parsed, reading) for reading in theirs]
        pairs += [(k, mine, theirs[0]) for k, mine in others]
        for k, mine, (surname, given, key, penalty) in pairs:
            known = surnames[k]
            surname_score = known.get(surname)
            if surname_score is None:
                surname_score = known[surname] = _surname_pair(mine.surname, surname)[0]
            if SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT - mine.penalty - penalty <= best:
                continue  # _BOUND
            met = givens.get((k, same_system, english))
            if met is None:
                met = givens[k, same_system, english] = {}
            given_score = met.get(key)
            if given_score is None:
                given_score = met[key] = _given_once(mine.given, given, english, system)
            score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score - mine.penalty - penalty
            if score > best:
                best = score
        if x.english and row[3] and x.english != row[3]:
            best -= ENGLISH_NAME_CONFLICT
        return _clipped(best)


def _han_latin(
    surname_zh: str, given_zh: str, surname: str, given: tuple[str, ...], surname_score: float, given_score: float
) -> float:
    """``_han_latin_once``'s score of one reading, from its part scores: the parts weighed, and 0.95
    for a reading whose parts are each a spelling of the Han name's but not all from one system."""
    score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score
    if score >= 0.999 and not written_in_one_system(
        surname_parts(surname_zh), given_parts(given_zh), surname, "".join(given)
    ):
        return 0.95
    return score


def name_score(a: NameRecord, b: NameRecord) -> float:
    """``compare_names(a, b).score``, faster: no explanations, no ``han_forms`` for a Han side."""
    return NameScorer(a).scores([scoring_row(b)])[0]

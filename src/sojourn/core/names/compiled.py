"""Scores without reasons, for screening many candidates: ``name_score(a, b) == compare_names(a, b).score``.

Screening scores every candidate a query's keys return and explains only the few it reports,
so the hot path skips what only the explanations need, and never builds ``han_forms`` for a
list name:

* Han on both sides: the characters decide, so the simplified and exact keys suffice.
* Han against Latin: the romanized side is scored against the spellings of the surname and of
  the given name, cached per part (``surname_parts``, ``given_parts``): names repeat by parts
  far more than whole (431,000 distinct names on a 1M list, a few thousand surnames).
* Anything else (Latin on both sides, codes, other scripts) goes through ``compare_names``.

tests/core/names/test_compiled.py checks the equality on the name_bench pairs and Chinese sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class _HanKeys:
    """What ``_han_keys_score`` compares of one Han name (a Han query's, worked out once)."""

    surname: str  # simplified, distinct surnames kept apart
    given: str
    exact: str  # surname + given
    blocking: str  # with the surnames that merge in simplified characters merged

    @classmethod
    def of(cls, record: NameRecord) -> _HanKeys:
        exact, blocking = _surname_keys(record.surname_zh)
        given = _given_key(record.given_zh)
        return cls(exact, given, exact + given, blocking + given)


def _han_keys_score(x: _HanKeys, b: NameRecord) -> float:
    """``_compare_han``'s score from the characters alone."""
    exact_b, blocking_b = _surname_keys(b.surname_zh)
    given_b = _given_key(b.given_zh)
    if x.exact == exact_b + given_b:
        return 1.0
    if x.blocking == blocking_b + given_b:
        return 0.7
    # As _compare_han: the given part is what follows the surname in the exact key.
    same_chars = sum(cx == cy for cx, cy in zip(x.given, given_b, strict=False))
    share = same_chars / max(len(x.given), len(given_b), 1)
    return round(0.3 * (x.surname == exact_b) + 0.3 * share, 4)


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


def _han_latin_score(
    surname_zh: str,
    given_zh: str,
    latin: _Latin,
    surnames: dict[tuple[str, str], float],
    givens: dict[tuple[str, tuple[str, ...]], float],
) -> float:
    """``_compare_han_latin``'s score.

    ``surnames`` and ``givens``: a query's own memo of the part scores (``NameScorer``): its
    candidates share a few surnames and many given names, and a dictionary read costs a
    fraction of a call through the shared caches.
    """
    best = -1.0
    for split in latin.splits:
        if best >= 1.0:
            break
        surname_score = surnames.get((surname_zh, split.surname))
        if surname_score is None:
            surname_score = surnames[surname_zh, split.surname] = _surname_score(surname_zh, split.surname)
        given_score = givens.get((given_zh, split.given))
        if given_score is None:
            given_score = givens[given_zh, split.given] = _given_score(given_zh, split.given)
        score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score
        if score >= 0.999 and not written_in_one_system(
            surname_parts(surname_zh), given_parts(given_zh), split.surname, "".join(split.given)
        ):
            score = 0.95
        score -= split.penalty
        best = max(best, score)
    return round(max(0.0, min(best, 1.0)), 4)


def _given_once(x: _Split, y: _Split, english: bool, system: str | None) -> float:
    """The given-name part of ``match._romanized_once``'s score."""
    if x.given and y.given:
        return _given_pair(x.given, y.given, system)[0]
    if english:
        return 0.85
    if not x.given and not y.given:
        return 0.5
    return 0.3


class _RomanizedQuery:
    """``_compare_romanized``'s score of one x against many names: x's parsed reading against each of
    theirs, and each other reading of x against their parsed one.

    The part scores against x's readings are kept per query in plain dictionaries: a query's
    candidates share a few surnames (CHAN, CHEN, ZHANG) and many given names, and a dictionary
    read costs a fraction of a call through the shared caches.
    """

    __slots__ = ("_given", "_surname", "x")

    def __init__(self, x: _Latin) -> None:
        self.x = x
        # Per reading of x: surname → score, and (given, system, english) → score.
        self._surname: list[dict[str, float]] = [{} for _ in x.splits]
        self._given: list[dict[tuple[tuple[str, ...], str | None, bool], float]] = [{} for _ in x.splits]

    def score(self, y: _Latin) -> float:
        """The best ``match._romanized_once`` score: x's parsed reading against each of y's, and x's
        other readings against y's parsed one (``english``: both carry the same English name).

        One loop over those pairs, with no call per pair: a candidate takes four or five of them,
        and a call each was a third of a variant spelling's scoring.
        """
        x = self.x
        system = x.system if x.system == y.system else None
        english = bool(x.english) and x.english == y.english
        best = float("-inf")
        pairs = [(0, other) for other in y.splits]
        pairs += [(k, y.splits[0]) for k in range(1, len(x.splits))]
        for k, other in pairs:
            mine = x.splits[k]
            surnames = self._surname[k]
            surname_score = surnames.get(other.surname)
            if surname_score is None:
                surname_score = surnames[other.surname] = _surname_pair(mine.surname, other.surname)[0]
            givens = self._given[k]
            key = (other.given, system, english)
            given_score = givens.get(key)
            if given_score is None:
                given_score = givens[key] = _given_once(mine, other, english, system)
            score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score - mine.penalty - other.penalty
            if score > best:
                best = score
        if x.english and y.english and x.english != y.english:
            best -= ENGLISH_NAME_CONFLICT
        return round(max(0.0, min(best, 1.0)), 4)


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


class NameScorer:
    """``name_score(query, b)`` for one query against many names: the query's side is worked out once."""

    __slots__ = ("_givens", "_han", "_latin", "_romanized", "_surnames", "query")

    def __init__(self, query: NameRecord) -> None:
        self.query = query
        self._latin = None if query.has_han else romanized(query)
        self._han = _HanKeys.of(query) if query.has_han else None
        latin = self._latin
        self._romanized = _RomanizedQuery(latin.latin) if latin is not None and latin.chinese else None
        self._surnames: dict[tuple[str, str], float] = {}  # Han against Latin part scores, this query's
        self._givens: dict[tuple[str, tuple[str, ...]], float] = {}

    def score(self, b: NameRecord, b_latin: Romanized | None) -> float:
        """The score against ``b``, whose ``romanized(b)`` the caller passes (an index keeps them)."""
        query = self.query
        if self._han is not None:
            if b.has_han:
                return _han_keys_score(self._han, b)
            if b_latin is not None:
                return _han_latin_score(
                    query.surname_zh, query.given_zh, b_latin.latin, self._surnames, self._givens
                )
        elif b.has_han:
            if self._latin is not None:
                return _han_latin_score(b.surname_zh, b.given_zh, self._latin.latin, self._surnames, self._givens)
        elif self._romanized is not None and b_latin is not None and b_latin.chinese:
            return self._romanized.score(b_latin.latin)
        return compare_names(query, b).score


def name_score(a: NameRecord, b: NameRecord) -> float:
    """``compare_names(a, b).score``, faster: no explanations, no ``han_forms`` for a Han side."""
    return NameScorer(a).score(b, romanized(b))

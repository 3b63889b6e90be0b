"""The reverse side of romanization: Latin spellings back to Mandarin syllables and surnames.

A spelling in any system (pinyin, Wade–Giles, Hong Kong, Macau) maps to the set of pinyin
syllables it can stand for: CHEUNG → {zhang, jiang, chang, ...}, CHANG → {zhang, chang}. Two
romanized names written in different systems can then be compared syllable by syllable through
these classes. The Cantonese side is built from the usual readings of surnames, common
given-name characters (lexicon.GIVEN_NAME_CHARACTERS) and the telegraph codebook's ~7,000
characters, not of every character in Unicode, so the classes stay small.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from sojourn.core.names.cantonese import hk_spellings, macau_spellings
from sojourn.core.names.lexicon import GIVEN_NAME_CHARACTERS
from sojourn.core.names.readings import (
    NAME_JYUTPING,
    codebook_characters,
    given_pinyin,
    jyutping_candidates,
    surname_jyutping,
    surname_pinyin,
)
from sojourn.core.names.surnames import COMPOUND, DIASPORA, SINGLE, TAIWAN_CUSTOMARY, SurnameEntry
from sojourn.core.names.syllables import PINYIN_SYLLABLES, pinyin_spellings, taiwan_customary, wade_giles

SYSTEMS = ("pinyin", "wade_giles", "hk", "macau")

# Segmentations kept per token when several use the fewest syllables (CHANGAN: CHANG AN, CHAN GAN).
MAX_SEGMENTATIONS = 4
# Characters of the telegraph codebook needed behind a (spelling, syllable) pair before it joins
# the index. In a synthetic pinyin-vs-HK test 2 halved false positives (0.5% → 0.2% at the match
# threshold) but lost a tenth of the recall on rarer characters; 1 keeps recall.
MIN_SUPPORT = 1


def normalize_latin(text: str) -> str:
    """Uppercase A–Z words: accents dropped (Ü → U), apostrophes removed, other marks → space."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = letters.upper().replace("'", "").replace("’", "").replace("`", "")
    return " ".join("".join(ch if "A" <= ch <= "Z" else " " for ch in cleaned).split())


_SEPARATORS = str.maketrans("", "", " -'")


def compact(text: str) -> str:
    """A name part with separators removed: "Xiao-Ming", "XIAO MING" and "XIAOMING" compare equal."""
    if text.isascii():
        # Fast path for what we generate ourselves (uppercase ASCII with spaces and hyphens).
        fast = text.translate(_SEPARATORS).upper()
        if fast.isalpha() or not fast:
            return fast
    return normalize_latin(text).replace(" ", "")


# system → spelling → pinyin syllables it stands for in that system
PerSystem = defaultdict[str, defaultdict[str, set[str]]]


@dataclass(frozen=True)
class SpellingIndex:
    """Spelling → pinyin syllables (in any system and per system), and the surname lexicon."""

    syllables: dict[str, frozenset[str]]
    per_system: dict[str, dict[str, frozenset[str]]]
    surnames: dict[str, frozenset[str]]  # compact spelling → simplified surnames
    surname_rank: dict[str, int]  # compact spelling → best rank, customary spellings only
    longest: int


def _surname_forms(entry: SurnameEntry) -> tuple[set[str], set[str]]:
    """(customary, derived) compact spellings of one surname across all systems."""
    customary: set[str] = set()
    derived: set[str] = set()
    for reading in surname_pinyin(entry.simplified):
        for combo in itertools.product(*(pinyin_spellings(s) for s in reading)):
            (customary if combo == tuple(pinyin_spellings(s)[0] for s in reading) else derived).add(
                "".join(combo)
            )
        customary.add("".join(wade_giles(s)[0] for s in reading))
        derived.update("".join(c) for c in itertools.product(*(wade_giles(s) for s in reading)))
    extra = TAIWAN_CUSTOMARY.get(entry.simplified, ()) + DIASPORA.get(entry.simplified, ())
    customary.update(compact(s) for s in (*entry.hk, *entry.macau, *extra))
    per_char = surname_jyutping(entry.simplified)
    for spell in (hk_spellings, macau_spellings):
        for combo in itertools.product(*(r[:2] for r in per_char)):
            for spelled in itertools.islice(itertools.product(*(spell(j) for j in combo)), 16):
                derived.add("".join(spelled))
    return customary, derived - customary


def _cantonese_pairs(ch: str, *, name: bool = False) -> set[tuple[str, str, str]]:
    """(system, spelling, mandarin syllable) for one character's usual reading; ``name``: for a
    given-name character, its readings in names where ``NAME_JYUTPING`` knows them (宁: NENG, LENG)."""
    pairs: set[tuple[str, str, str]] = set()
    mandarin = given_pinyin(ch)[0][0]
    usual = jyutping_candidates(ch)[0][:1]
    readings = NAME_JYUTPING.get(ch, usual) if name else usual
    for jyutping in readings:
        for system, spell in (("hk", hk_spellings), ("macau", macau_spellings)):
            pairs.update((system, spelling, mandarin) for spelling in spell(jyutping))
    return pairs


def _add_character_readings(per_system: PerSystem) -> None:
    trusted = set().union(*(_cantonese_pairs(ch, name=True) for ch in dict.fromkeys(GIVEN_NAME_CHARACTERS)))
    # The rest of the codebook widens coverage to characters outside our name list.
    support: Counter[tuple[str, str, str]] = Counter()
    for ch in codebook_characters():
        support.update(_cantonese_pairs(ch))
    for system, spelling, mandarin in trusted | {pair for pair, n in support.items() if n >= MIN_SUPPORT}:
        per_system[system][spelling].add(mandarin)
    for entry in SINGLE.values():
        readings = {reading[0] for reading in surname_pinyin(entry.simplified) if len(reading) == 1}
        for jyutping in surname_jyutping(entry.simplified)[0]:
            for system, spell in (("hk", hk_spellings), ("macau", macau_spellings)):
                for spelling in spell(jyutping):
                    per_system[system][spelling].update(readings)
        for system, customary in (("hk", entry.hk), ("macau", entry.macau)):
            for spelling in customary:
                per_system[system][spelling].update(readings)
        for spelling in TAIWAN_CUSTOMARY.get(entry.simplified, ()):
            per_system["wade_giles"][spelling].update(readings)


def _surname_lexicon() -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    surnames: defaultdict[str, set[str]] = defaultdict(set)
    rank: dict[str, int] = {}
    for entry in (*SINGLE.values(), *COMPOUND.values()):
        customary, derived = _surname_forms(entry)
        for spelling in customary | derived:
            surnames[spelling].add(entry.simplified)
        for spelling in customary:
            rank[spelling] = min(rank.get(spelling, entry.rank), entry.rank)
    return {k: frozenset(v) for k, v in surnames.items()}, rank


@cache
def spelling_index() -> SpellingIndex:
    """Build (once) the reverse index from the syllable tables, surname tables and character readings."""
    per_system: PerSystem = defaultdict(lambda: defaultdict(set))
    for syllable in PINYIN_SYLLABLES:
        for spelling in (*pinyin_spellings(syllable), syllable.upper()):
            per_system["pinyin"][spelling].add(syllable)
        for spelling in (*wade_giles(syllable), *taiwan_customary(syllable)):
            per_system["wade_giles"][spelling].add(syllable)
    _add_character_readings(per_system)
    syllables: defaultdict[str, set[str]] = defaultdict(set)
    for table in per_system.values():
        for spelling, readings in table.items():
            syllables[spelling] |= readings
    surnames, rank = _surname_lexicon()
    return SpellingIndex(
        syllables={k: frozenset(v) for k, v in syllables.items() if v},
        per_system={
            system: {k: frozenset(v) for k, v in table.items() if v} for system, table in per_system.items()
        },
        surnames=surnames,
        surname_rank=rank,
        longest=max(len(k) for k in syllables),
    )


@lru_cache(maxsize=65536)
def segment(token: str) -> tuple[tuple[str, ...], ...]:
    """Ways to split a compact uppercase token into known syllable spellings, fewest syllables first.

    Returns every split that uses the fewest syllables (up to MAX_SEGMENTATIONS), or () when the
    token is not a romanized Chinese name part (PETER, SCHOLZ).
    """
    index = spelling_index()
    text = compact(token)
    if not text:
        return ()
    # best[i] = (syllable count, splits) for text[:i]
    empty: tuple[str, ...] = ()
    best: list[tuple[int, list[tuple[str, ...]]]] = [(0, [empty])]
    best += [(1 << 30, [])] * len(text)
    for end in range(1, len(text) + 1):
        count, splits = 1 << 30, list[tuple[str, ...]]()
        for start in range(max(0, end - index.longest), end):
            piece = text[start:end]
            head_count, heads = best[start]
            if not heads or piece not in index.syllables:
                continue
            if head_count + 1 < count:
                count, splits = head_count + 1, []
            if head_count + 1 == count:
                splits.extend((*head, piece) for head in heads)
        best[end] = (count, splits[:MAX_SEGMENTATIONS])
    return tuple(best[-1][1])


def syllable_classes(spelling: str, system: str | None = None) -> frozenset[str]:
    """Pinyin syllables one spelling can stand for (CHEUNG → zhang, jiang, ...); empty if unknown.

    With a system, only within it: in pinyin MIN is min and never ming (as it may be elsewhere).
    """
    index = spelling_index()
    table = index.syllables if system is None else index.per_system.get(system, {})
    return table.get(spelling, frozenset())


@lru_cache(maxsize=65536)
def surname_classes(surname: str) -> frozenset[str]:
    """Joined pinyin readings (``ouyang``) a romanized surname can stand for."""
    text = compact(surname)
    index = spelling_index()
    readings: set[str] = set()
    for simplified in index.surnames.get(text, ()):
        readings.update("".join(r) for r in surname_pinyin(simplified))
    for split in segment(text):
        classes = [sorted(syllable_classes(s)) for s in split]
        readings.update("".join(combo) for combo in itertools.islice(itertools.product(*classes), 64))
    return frozenset(readings)


def surname_rank(surname: str) -> int | None:
    """Frequency rank of a romanized surname (0 = most common), None if it is not a known surname."""
    return spelling_index().surname_rank.get(compact(surname))


def is_known_surname(surname: str) -> bool:
    """Whether a romanized spelling is one of our surnames in any system (customary or derived)."""
    return compact(surname) in spelling_index().surnames


def systems_of(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """The romanization systems whose inventory contains every one of these spellings."""
    per_system = spelling_index().per_system
    return tuple(s for s in SYSTEMS if all(syl in per_system.get(s, {}) for syl in syllables))

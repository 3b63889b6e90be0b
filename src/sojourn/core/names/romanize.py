"""Han characters → every form a document or a foreign register may carry, and Latin → pinyin keys.

``han_forms`` expands a Han name into passport pinyin (with our surname readings), Wade–Giles
as Taiwan passports print it, Taiwan customary and mixed forms, Hong Kong and Macau Cantonese
spellings, a simplified-character key and Chinese Commercial Code sequences. ``romanized_keys``
goes the other way: a romanized name in any system → pinyin-syllable keys, so that
``CHEUNG Wai``, ``CHANG Wei``, ``ZHANG Wei`` and 张伟 meet on ``zhang/wei``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from sojourn.core.names.cantonese import hk_spellings, macau_spellings
from sojourn.core.names.readings import (
    ccc_sequences,
    given_jyutping,
    given_pinyin,
    simplified_surname,
    surname_entry,
    surname_jyutping,
    surname_pinyin,
    to_simplified,
    to_traditional,
    traditional_surname,
)
from sojourn.core.names.spellings import compact, segment, surname_classes, syllable_classes
from sojourn.core.names.surnames import DIASPORA, T2S_MERGED_SURNAMES, TAIWAN_CUSTOMARY
from sojourn.core.names.syllables import pinyin_spellings, taiwan_customary, wade_giles

Pair = tuple[str, str]

# Given-name spellings generated per system and name: the product of per-syllable candidates is
# taken in order of preference and cut here, which keeps rare combinations out of the sets.
MAX_GIVEN_COMBINATIONS = 48
# Keys returned for one romanized name (the product of syllable classes): beyond this the
# spelling is too ambiguous for a key to mean anything.
MAX_KEYS = 512


SYSTEMS = ("pinyin", "wade_giles", "taiwan", "hk", "macau")


def _masks(per_system: Iterable[tuple[int, Iterable[str]]]) -> dict[str, int]:
    masks: dict[str, int] = {}
    for bit, spellings in per_system:
        for spelling in spellings:
            masks[spelling] = masks.get(spelling, 0) | (1 << bit)
    return masks


@dataclass(frozen=True)
class NameForms:
    """Every romanization and key of one Han name. Latin forms are (SURNAME, GIVEN) pairs, uppercase."""

    surname_zh: str
    given_zh: str
    simplified_key: str  # t2s, distinct surnames merged (於→于): for blocking
    exact_key: str  # t2s, distinct surnames kept (於 stays 於): for "same characters"
    traditional: str
    passport: Pair
    pinyin: frozenset[Pair]
    wade_giles: frozenset[Pair]
    taiwan: frozenset[Pair]  # customary and mixed Taiwan forms (TSAI ING-WEN, CHEN SHUI-BIAN)
    hk: frozenset[Pair]
    macau: frozenset[Pair]
    surname_key: str  # the surname part of exact_key
    surname_misreadings: frozenset[str]  # everyday readings of a heteronym surname (单 DAN), compact
    surname_spellings: frozenset[str]  # compact, every system plus SG/MY spellings
    given_spellings: frozenset[str]  # compact joined given names, every system
    given_syllables: tuple[frozenset[str], ...]  # per given character, every spelling in every system
    pinyin_keys: frozenset[str]  # "surname/given" in pinyin syllables, as romanized_keys makes them
    ccc: frozenset[str]  # space-joined 4-digit codes, both codebooks, both scripts

    def by_system(self) -> dict[str, frozenset[Pair]]:
        """The Latin forms keyed by system name."""
        return {
            "pinyin": self.pinyin,
            "wade_giles": self.wade_giles,
            "taiwan": self.taiwan,
            "hk": self.hk,
            "macau": self.macau,
        }

    def all_latin(self) -> frozenset[str]:
        """Every Latin form as a normalized "SURNAME GIVEN" string (separators inside parts removed)."""
        return frozenset(
            f"{compact(s)} {compact(g)}".strip() for forms in self.by_system().values() for s, g in forms
        )

    def systems_of(self, surname: str, given: str) -> tuple[str, ...]:
        """Which systems produce this (surname, given) pair, compared without separators."""
        surname_masks, given_masks = self.system_masks
        mask = surname_masks.get(compact(surname), 0) & given_masks.get(compact(given), 0)
        return tuple(name for bit, name in enumerate(SYSTEMS) if mask >> bit & 1)

    def systems_with_surname(self, surname: str) -> tuple[str, ...]:
        """Which systems write the surname so (compact)."""
        mask = self.system_masks[0].get(compact(surname), 0)
        return tuple(name for bit, name in enumerate(SYSTEMS) if mask >> bit & 1)

    @cached_property
    def system_masks(self) -> tuple[dict[str, int], dict[str, int]]:
        """Compact surname and given spellings → bit mask of SYSTEMS; each system's pairs are a product."""
        forms = self.by_system()
        return (
            _masks(
                (bit, {compact(s) for s, _ in dict.fromkeys(forms[name])}) for bit, name in enumerate(SYSTEMS)
            ),
            _masks(
                (bit, {compact(g) for g in {g for _, g in forms[name]}}) for bit, name in enumerate(SYSTEMS)
            ),
        )


def _given_styles(syllables: Sequence[str]) -> tuple[str, ...]:
    """A given name joined (XIAOMING), spaced (XIAO MING) and hyphenated (XIAO-MING)."""
    if len(syllables) <= 1:
        return ("".join(syllables),)
    return ("".join(syllables), " ".join(syllables), "-".join(syllables))


def _combinations(per_syllable: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    unique = [tuple(dict.fromkeys(options)) for options in per_syllable]
    return list(itertools.islice(itertools.product(*unique), MAX_GIVEN_COMBINATIONS))


def _pairs(surnames: Iterable[str], givens: Iterable[tuple[str, ...]]) -> frozenset[Pair]:
    given_forms = [style for given in givens for style in _given_styles(given)] or [""]
    return frozenset((s, g) for s in dict.fromkeys(surnames) for g in given_forms)


PerSyllable = list[list[str]]


def _pinyin_surname(surname: str) -> tuple[str, list[str]]:
    """(passport spelling, every pinyin spelling) of a simplified surname."""
    surname_readings = surname_pinyin(surname)
    passport_surname = "".join(pinyin_spellings(s)[0] for s in surname_readings[0])
    if len(surname) > 1 and surname_entry(surname) is None:
        # Two surnames combined (父姓+母姓) are hyphenated on passports, specs/names.md §1.
        passport_surname = "-".join(pinyin_spellings(s)[0] for s in surname_readings[0])
    surnames = [passport_surname] + [
        "".join(combo)
        for reading in surname_readings
        for combo in itertools.product(*(pinyin_spellings(s) for s in reading))
    ]
    return passport_surname, surnames


def _pinyin_given(given: str) -> tuple[str, PerSyllable]:
    """(passport spelling, per-syllable spellings) of a simplified given name."""
    given_readings = given_pinyin(given)
    passport_given = "".join(pinyin_spellings(r[0])[0] for r in given_readings if r[0])
    per_syllable = [[sp for r in readings for sp in pinyin_spellings(r)] for readings in given_readings]
    return passport_given, per_syllable


def _pinyin_forms(surname: str, given: str) -> tuple[Pair, list[str], PerSyllable]:
    """(passport pair, surname spellings, per-syllable given spellings) in pinyin."""
    passport_surname, surnames = _pinyin_surname(surname)
    passport_given, per_syllable = _pinyin_given(given)
    return (passport_surname, passport_given), surnames, per_syllable


def _wade_giles_surnames(surname: str) -> list[str]:
    surnames = []
    for reading in surname_pinyin(surname):
        spelled = [wade_giles(s)[0] for s in reading]
        surnames += ["".join(spelled), "-".join(spelled)]
    return surnames


def _wade_giles_given(given: str) -> PerSyllable:
    return [[sp for r in readings for sp in wade_giles(r)] for readings in given_pinyin(given)]


def _cantonese_surnames(surname: str, system: str) -> list[str]:
    """Surname spellings in the Hong Kong ("hk") or Macau ("macau") system."""
    speller = hk_spellings if system == "hk" else macau_spellings
    entry = surname_entry(surname)
    surnames = list((entry.hk if system == "hk" else entry.macau) if entry else ())
    for combo in itertools.product(*surname_jyutping(surname)):
        for spelled in itertools.islice(itertools.product(*(speller(j) for j in combo)), 8):
            surnames += ["".join(spelled), " ".join(spelled)] if len(spelled) > 1 else [spelled[0]]
    return surnames


def _cantonese_given(given: str, system: str) -> PerSyllable:
    """Per-syllable given-name spellings in the Hong Kong ("hk") or Macau ("macau") system."""
    speller = hk_spellings if system == "hk" else macau_spellings
    return [[sp for j in readings for sp in speller(j)] for readings in given_jyutping(given)]


def _keys_for(surname: str, given: str) -> frozenset[str]:
    surnames = {"".join(reading) for reading in surname_pinyin(surname)}
    givens = {"".join(combo) for combo in itertools.product(*given_pinyin(given))}
    return frozenset(f"{s}/{g}" for s in surnames for g in givens)


def _misreadings(surname: str) -> frozenset[str]:
    """Pinyin a clerk or a converter without a surname table would write (单 DAN, 曾 CENG, 区 QU)."""
    readings = given_pinyin(surname)
    return frozenset("".join(combo).upper() for combo in itertools.product(*(r[:1] for r in readings)))


def _merge(*per_syllable: PerSyllable) -> PerSyllable:
    """Union of per-syllable options across systems (Taiwan mixes Wade–Giles and pinyin syllables)."""
    return [list(dict.fromkeys(itertools.chain(*options))) for options in zip(*per_syllable, strict=True)]


@dataclass(frozen=True)
class _SystemForms:
    """One system's surname spellings and given-name syllable combinations, before pairing."""

    surnames: list[str]
    given: list[tuple[str, ...]]

    def pairs(self) -> frozenset[Pair]:
        """Every (surname, given) pair, given names joined, spaced and hyphenated."""
        return _pairs(self.surnames, self.given)


@lru_cache(maxsize=8192)
def _surname_systems(surname_zh: str) -> dict[str, list[str]]:
    """Surname spellings per system, plus the Singapore/Malaysia ones ("all"): the surname alone decides them."""
    exact_surname = simplified_surname(surname_zh)
    blocking_surname = "".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in exact_surname)
    passport, py_surnames = _pinyin_surname(exact_surname)
    wg_surnames = _wade_giles_surnames(exact_surname)
    return {
        "pinyin": [passport, *py_surnames],
        "wade_giles": wg_surnames,
        "taiwan": [*TAIWAN_CUSTOMARY.get(blocking_surname, ()), *wg_surnames, *py_surnames],
        "hk": _cantonese_surnames(surname_zh, "hk"),
        "macau": _cantonese_surnames(surname_zh, "macau"),
        "all": list(DIASPORA.get(blocking_surname, ())),
    }


def _given_systems(given_zh: str) -> dict[str, list[tuple[str, ...]]]:
    """Given-name syllable combinations per system, plus the per-syllable union ("all")."""
    simplified_given = to_simplified(given_zh)
    py_given = _pinyin_given(simplified_given)[1]
    wg_given = _wade_giles_given(simplified_given)
    hk_given = _cantonese_given(given_zh, "hk")
    mo_given = _cantonese_given(given_zh, "macau")
    tw_given = [
        [sp for r in readings for sp in taiwan_customary(r)] for readings in given_pinyin(simplified_given)
    ]
    aligned = len({len(py_given), len(wg_given), len(hk_given), len(mo_given)}) == 1
    every = _merge(py_given, wg_given, tw_given, hk_given, mo_given) if aligned else py_given
    return {
        "pinyin": _combinations(py_given),
        "wade_giles": _combinations(wg_given),
        "taiwan": _combinations(_merge(wg_given, py_given, tw_given)),
        "hk": _combinations(hk_given),
        "macau": _combinations(mo_given),
        "all": [tuple(o) for o in every],
    }


def _system_forms(surname_zh: str, given_zh: str) -> dict[str, _SystemForms]:
    """Surname spellings and given combinations per system, plus the per-syllable union ("all")."""
    surnames, givens = _surname_systems(surname_zh), _given_systems(given_zh)
    return {name: _SystemForms(list(surnames[name]), givens[name]) for name in (*SYSTEMS, "all")}


@dataclass(frozen=True, slots=True)
class SurnameParts:
    """What scoring a romanized surname against a Han surname needs (the surname alone decides it)."""

    spellings: frozenset[str]  # compact, every system plus SG/MY spellings
    misreadings: frozenset[str]
    systems: dict[str, int]  # compact spelling → bit mask of SYSTEMS that write it


@dataclass(frozen=True, slots=True)
class GivenParts:
    """What scoring a romanized given name against a Han given name needs (the given name alone decides it)."""

    spellings: frozenset[str]  # joined, every system
    syllables: tuple[frozenset[str], ...]  # per character, every spelling in every system
    systems: dict[str, int]  # compact joined spelling → bit mask of SYSTEMS that write it


@lru_cache(maxsize=8192)
def surname_parts(surname_zh: str) -> SurnameParts:
    """The surname side of ``han_forms``, cached per surname (names repeat by parts far more than whole)."""
    systems = _surname_systems(surname_zh)
    spellings = frozenset(compact(s) for name in SYSTEMS for s in (*systems[name], *systems["all"]))
    return SurnameParts(
        spellings=spellings,
        misreadings=_misreadings(simplified_surname(surname_zh)) - spellings,
        systems=_masks((bit, {compact(s) for s in systems[name]}) for bit, name in enumerate(SYSTEMS)),
    )


@lru_cache(maxsize=131072)
def given_parts(given_zh: str) -> GivenParts:
    """The given-name side of ``han_forms``, cached per given name."""
    systems = _given_systems(given_zh)
    styles = {
        name: {compact(style) for combo in systems[name] for style in _given_styles(combo)} or {""}
        for name in SYSTEMS
    }
    return GivenParts(
        spellings=frozenset(sys.intern("".join(g)) for name in SYSTEMS for g in systems[name]),
        syllables=tuple(frozenset(options) for options in systems["all"]),
        systems=_masks((bit, styles[name]) for bit, name in enumerate(SYSTEMS)),
    )


def written_in_one_system(surname: SurnameParts, given: GivenParts, spelled: str, given_spelled: str) -> bool:
    """Whether one system writes both parts as spelled (``NameForms.systems_of`` is not empty)."""
    return bool(surname.systems.get(compact(spelled), 0) & given.systems.get(compact(given_spelled), 0))


class HanParts:
    """What scoring reads of a Han name, built from the cached surname and given parts.

    The same values as the ``NameForms`` fields of the same name, without the (SURNAME, GIVEN)
    pairs, which only ``han_forms`` callers need; ``pinyin_keys`` is computed when asked.
    """

    def __init__(self, surname_zh: str, given_zh: str) -> None:
        self.surname_zh = surname_zh
        self.given_zh = given_zh
        exact_surname = simplified_surname(surname_zh)
        simplified_given = to_simplified(given_zh)
        blocking_surname = "".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in exact_surname)
        self.surname_key = exact_surname
        self.exact_key = exact_surname + simplified_given
        self.simplified_key = blocking_surname + simplified_given
        self.surname = surname_parts(surname_zh)
        self.given = given_parts(given_zh)
        self.surname_spellings = self.surname.spellings
        self.surname_misreadings = self.surname.misreadings
        self.given_spellings = self.given.spellings
        self.given_syllables = self.given.syllables

    @cached_property
    def pinyin_keys(self) -> frozenset[str]:
        """As ``NameForms.pinyin_keys``."""
        return _keys_for(self.surname_key, self.exact_key[len(self.surname_key) :])

    def systems_of(self, surname: str, given: str) -> tuple[str, ...]:
        """As ``NameForms.systems_of``."""
        mask = self.surname.systems.get(compact(surname), 0) & self.given.systems.get(compact(given), 0)
        return tuple(name for bit, name in enumerate(SYSTEMS) if mask >> bit & 1)

    def systems_with_surname(self, surname: str) -> tuple[str, ...]:
        """As ``NameForms.systems_with_surname``."""
        mask = self.surname.systems.get(compact(surname), 0)
        return tuple(name for bit, name in enumerate(SYSTEMS) if mask >> bit & 1)


@lru_cache(maxsize=65536)
def han_parts(surname_zh: str, given_zh: str) -> HanParts:
    """``HanParts`` of a Han name, cached."""
    return HanParts(surname_zh, given_zh)


@lru_cache(maxsize=65536)
def han_forms(surname_zh: str, given_zh: str) -> NameForms:
    """Every romanization, key and code of a Han name given as surname and given name (either script)."""
    simplified_given = to_simplified(given_zh)
    exact_surname = simplified_surname(surname_zh)
    systems = _system_forms(surname_zh, given_zh)
    every = systems.pop("all")
    traditional = traditional_surname(surname_zh) + to_traditional(given_zh)
    spellings = frozenset(
        compact(s) for forms in systems.values() for s in (*forms.surnames, *every.surnames)
    )
    return NameForms(
        surname_zh=surname_zh,
        given_zh=given_zh,
        simplified_key="".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in exact_surname) + simplified_given,
        exact_key=exact_surname + simplified_given,
        traditional=traditional,
        passport=passport_pinyin(surname_zh, given_zh),
        pinyin=systems["pinyin"].pairs(),
        wade_giles=systems["wade_giles"].pairs(),
        taiwan=systems["taiwan"].pairs(),
        hk=systems["hk"].pairs(),
        macau=systems["macau"].pairs(),
        surname_key=exact_surname,
        surname_misreadings=_misreadings(exact_surname) - spellings,
        surname_spellings=spellings,
        given_spellings=frozenset("".join(g) for forms in systems.values() for g in forms.given),
        given_syllables=tuple(frozenset(options) for options in every.given),
        pinyin_keys=_keys_for(exact_surname, simplified_given),
        ccc=ccc_sequences(surname_zh + given_zh, exact_surname + simplified_given, traditional),
    )


@lru_cache(maxsize=65536)
def passport_pinyin(surname_zh: str, given_zh: str) -> Pair:
    """The single (SURNAME, GIVEN) a PRC passport prints: 单晓明 → ("SHAN", "XIAOMING"), 吕 → "LYU".

    Computes only the pinyin side, so bulk callers (the synthetic data generator) stay fast.
    """
    return _pinyin_forms(simplified_surname(surname_zh), to_simplified(given_zh))[0]


@lru_cache(maxsize=65536)
def given_keys(given: str) -> frozenset[str]:
    """Joined pinyin readings a romanized given name can stand for (TAIMAN → daiman, taiwen, ...)."""
    text = compact(given)
    if not text:
        return frozenset({""})
    keys: set[str] = set()
    for split in segment(text):
        classes = [sorted(syllable_classes(s)) for s in split]
        keys.update("".join(c) for c in itertools.islice(itertools.product(*classes), MAX_KEYS))
    return frozenset(keys)


def romanized_keys(surname: str, given: str) -> frozenset[str]:
    """Pinyin-syllable keys ("zhang/wei") for a romanized name in any system.

    Each spelling maps to the pinyin syllables it can stand for (spellings.syllable_classes);
    the keys are the product over syllables. Empty when a part is not a Chinese romanization
    (e.g. an English given name), so an empty result means "no key", not "no match".
    """
    surnames = surname_classes(surname)
    givens = given_keys(given)
    if not surnames or not givens:
        return frozenset()
    return frozenset(
        itertools.islice((f"{s}/{g}" for s in sorted(surnames) for g in sorted(givens)), MAX_KEYS)
    )

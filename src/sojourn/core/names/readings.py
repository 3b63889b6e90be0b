"""Readings of Han characters: pinyin with surname readings, Jyutping, script conversion, CCC.

The third-party libraries load large dictionaries (pypinyin and ToJyutping take about half a
second each), so they are imported on first use, not when ``sojourn.core.names`` is imported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from sojourn.core.names.cantonese import hk_spellings, macau_spellings
from sojourn.core.names.lexicon import HAN_HONORIFICS
from sojourn.core.names.surnames import COMPOUND, COMPOUND_FORMS, SINGLE, T2S_MERGED_SURNAMES, SurnameEntry
from sojourn.core.names.syllables import PINYIN_SYLLABLES

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# Readings kept per given-name character: the one in context first, then heteronyms. More
# readings raise recall a little and the number of generated forms a lot.
MAX_READINGS = 3
# Given-name characters whose Cantonese readings in names ToJyutping does not put first, the
# usual one first: it reads 宁 alone as cyu5 (the reading of 貯), never a name's; in names it is
# ning4 (HK NING, Macau NENG) or, n- said as l-, ling4 (Macau LENG).
NAME_JYUTPING: dict[str, tuple[str, ...]] = {"宁": ("ning4", "ling4"), "寧": ("ning4", "ling4")}


@cache
def _opencc(config: str) -> Callable[[str], str]:
    import opencc

    converter = opencc.OpenCC(config)

    def convert(text: str) -> str:
        return str(converter.convert(text))

    return convert


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Han text to simplified, phrase-aware (OpenCC t2s)."""
    return _opencc("t2s")(text)


def to_traditional(text: str) -> str:
    """Simplified Han text to traditional, phrase-aware (OpenCC s2t)."""
    return _opencc("s2t")(text)


def _pypinyin() -> Any:
    import pypinyin

    return pypinyin


def _tojyutping() -> Any:
    import ToJyutping  # type: ignore[import-untyped]  # ships no type information

    return ToJyutping


def _zhtelecode() -> Any:
    import zhtelecode  # type: ignore[import-untyped]  # ships no type information

    return zhtelecode


def strip_honorifics(text: str) -> str:
    """Drop a trailing Han honorific (张伟先生 → 张伟) when a name of two characters remains."""
    for honorific in HAN_HONORIFICS:
        if text.endswith(honorific) and len(text) - len(honorific) >= 2:
            return text[: -len(honorific)]
    return text


def split_han(text: str) -> tuple[str, str]:
    """Split a Han name into surname and given name: a listed compound surname, else one character."""
    text = "".join(text.split())
    if len(text) > 2 and (text[:2] in COMPOUND_FORMS or to_simplified(text[:2]) in COMPOUND_FORMS):
        return text[:2], text[2:]
    return text[:1], text[1:]


def surname_entry(surname: str) -> SurnameEntry | None:
    """The table entry for a surname written in either script, if we have one."""
    simplified = simplified_surname(surname)
    return SINGLE.get(simplified) or COMPOUND.get(simplified)


def simplified_surname(surname: str) -> str:
    """Simplified form of a surname, keeping the distinct surnames OpenCC would merge (於 stays 於)."""
    return "".join(ch if ch in T2S_MERGED_SURNAMES else to_simplified(ch) for ch in surname)


def traditional_surname(surname: str) -> str:
    """Traditional form of a surname from our table (OpenCC gets isolated surnames wrong: 于→於)."""
    entry = surname_entry(surname)
    if entry is not None and surname == entry.simplified:
        return entry.traditional
    if entry is not None:
        return surname  # already traditional (or written the same in both scripts)
    return to_traditional(surname)


@lru_cache(maxsize=4096)
def segment_pinyin(spelling: str) -> tuple[str, ...]:
    """Split a joined pinyin spelling into syllables (OUYANG → ou, yang; LYU → lv), or () if it is not pinyin."""
    text = spelling.lower()
    best: list[tuple[str, ...] | None] = [None] * (len(text) + 1)
    best[0] = ()
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            head, piece = best[start], text[start:end]
            syllable = {"lyu": "lv", "nyu": "nv", "lyue": "lve", "nyue": "nve"}.get(piece, piece)
            if head is not None and syllable in PINYIN_SYLLABLES:
                candidate = (*head, syllable)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1] or ()


def _char_pinyin(ch: str) -> str:
    pypinyin = _pypinyin()
    reading: str = pypinyin.lazy_pinyin(ch, style=pypinyin.Style.NORMAL)[0]
    return reading


@lru_cache(maxsize=8192)
def surname_pinyin(surname: str) -> tuple[tuple[str, ...], ...]:
    """Pinyin readings of a surname as syllable tuples, the passport reading first.

    Our table's reading wins over pypinyin's default (单 shan, not dan). A two-character surname
    that is not a listed compound is a two-surname combination; each part is read as a surname.
    """
    entry = surname_entry(surname)
    if entry is not None and entry.pinyin:
        readings = [segment_pinyin(spelling) for spelling in entry.pinyin]
        return tuple(r for r in readings if r) or ((_char_pinyin(surname),),)
    if len(surname) == 1 or entry is not None:
        return (tuple(_char_pinyin(ch) for ch in surname),)
    parts = [surname_pinyin(ch) for ch in surname]
    return tuple(tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts))


@lru_cache(maxsize=8192)
def given_pinyin(given: str) -> tuple[tuple[str, ...], ...]:
    """Per character of a given name, its pinyin readings: the reading in context first, then heteronyms."""
    if not given:
        return ()
    pypinyin = _pypinyin()
    in_context = pypinyin.lazy_pinyin(given, style=pypinyin.Style.NORMAL)
    each = pypinyin.pinyin(given, style=pypinyin.Style.NORMAL, heteronym=True)
    readings = []
    for ch, first, alternatives in zip(given, in_context, each, strict=False):
        options = dict.fromkeys([first, *alternatives]) if HAN_RE.match(ch) else {first: None}
        readings.append(tuple(r for r in options if r.isascii() and r.isalpha())[:MAX_READINGS] or ("",))
    return tuple(readings)


def jyutping_candidates(text: str) -> tuple[tuple[str, ...], ...]:
    """Per character, ToJyutping's candidate readings (tones kept), the usual one first."""
    candidates = _tojyutping().get_jyutping_candidates(text)
    return tuple(tuple(readings) for _, readings in candidates)


@lru_cache(maxsize=8192)
def surname_jyutping(surname: str) -> tuple[tuple[str, ...], ...]:
    """Per character of a surname, the Jyutping readings that fit its customary spelling.

    ToJyutping's default is wrong for several surnames (單 daan1, 曾 cang4, 區 keoi1) but its
    candidate list holds the right reading, so we keep the candidates whose HK or Macau spelling
    is the customary one. Without a customary spelling the first two candidates are kept.
    """
    entry = surname_entry(surname)
    per_char = jyutping_candidates(surname)
    if entry is None or len(surname) != 1 or not (entry.hk or entry.macau):
        return tuple(readings[:2] for readings in per_char)
    customary = set(entry.hk) | set(entry.macau)
    fitting = tuple(r for r in per_char[0] if customary & (set(hk_spellings(r)) | set(macau_spellings(r))))
    return (fitting or per_char[0][:1],)


@lru_cache(maxsize=8192)
def given_jyutping(given: str) -> tuple[tuple[str, ...], ...]:
    """Per character of a given name, Jyutping readings: the reading in context first, then candidates."""
    if not given:
        return ()
    in_context = _tojyutping().get_jyutping_list(given)
    readings = []
    for (ch, first), candidates in zip(in_context, jyutping_candidates(given), strict=False):
        leading = NAME_JYUTPING.get(ch, (first,) if first else ())
        options = dict.fromkeys([*leading, *candidates])
        readings.append(tuple(options)[:MAX_READINGS])
    return tuple(readings)


def _codes(ch: str) -> set[str]:
    codes: set[str] = set()
    for codebook in ("mainland", "taiwan"):
        try:
            codes.update(_zhtelecode().to_telecode(ch, encoding=codebook))
        except LookupError:
            continue  # the character is not in this codebook (e.g. 張 on the mainland)
    return codes


@lru_cache(maxsize=16384)
def char_codes(ch: str, simplified: str, traditional: str) -> frozenset[str]:
    """Chinese Commercial Codes of one character in both codebooks, both scripts.

    The codebooks differ (钟 is 6988 on the mainland, the surname 鍾 is 6945 in Taiwan), so a
    character carries the set of every code a document could print for it.
    """
    return frozenset(_codes(ch) | _codes(simplified) | _codes(traditional))


def ccc_sequences(written: str, simplified: str, traditional: str, limit: int = 16) -> frozenset[str]:
    """Space-joined CCC sequences for a name, one per combination of per-character codes.

    ``simplified`` keeps the distinct surnames t2s would merge (於 is 2456, 于 is 0060).
    """
    per_char: list[Sequence[str]] = []
    for ch, simp, trad in zip(written, simplified, traditional, strict=False):
        codes = sorted(char_codes(ch, simp, trad))
        if not codes:
            return frozenset()  # a character outside both codebooks: no CCC form exists
        per_char.append(codes)
    return frozenset(" ".join(combo) for combo in itertools.islice(itertools.product(*per_char), limit))


@cache
def codebook_characters() -> str:
    """The characters of the mainland telegraph codebook (about 7,000 in everyday use), in code order.

    The Hong Kong romanization was vetted against this kind of codebook (specs/names.md §1), so it
    is a fair stand-in for "characters a name may use" without a frequency list.
    """
    characters = []
    for code in range(10000):
        try:
            characters.append(str(_zhtelecode().to_unicode([f"{code:04d}"], encoding="mainland")))
        except LookupError:
            continue  # an unused code
    return "".join(ch for ch in characters if HAN_RE.match(ch))


def decode_ccc(codes: Sequence[str]) -> tuple[str, ...]:
    """Han strings a sequence of CCC codes can stand for (mainland and Taiwan codebooks)."""
    decoded: dict[str, None] = {}
    for codebook in ("mainland", "taiwan"):
        try:
            decoded[str(_zhtelecode().to_unicode(list(codes), encoding=codebook))] = None
        except LookupError:
            continue  # a code unused in this codebook
    return tuple(decoded)

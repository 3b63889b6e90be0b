"""Name records: a name as written, with its script, surname/given split, order and system.

``parse_name`` reads a free-text name: Han (张伟, 歐陽娜娜, 张伟先生), romanized (``ZHANG Wei``,
``Wei ZHANG``, ``ZHANG, Wei``, ``CHAN Tai Man, Peter``, ``Mr. Tai Man CHAN``, ``ZHANG<<WEI``),
mixed (``张伟 ZHANG Wei``) and Chinese Commercial Codes (``CHAN Tai Man 7115 1132 2429``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sojourn.core.names.lexicon import ENGLISH_GIVEN_NAMES, TITLES
from sojourn.core.names.readings import HAN_RE, split_han, strip_honorifics
from sojourn.core.names.spellings import (
    compact,
    is_known_surname,
    normalize_latin,
    segment,
    spelling_index,
    surname_rank,
    systems_of,
)
from sojourn.core.names.surnames import COMPOUND

Script = Literal["han", "latin", "mixed"]
Order = Literal["surname_first", "given_first", "unknown"]
System = Literal["pinyin", "wade_giles", "hk", "macau"]

_CCC_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_HAN_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·・‧\s]+")
# Ranks closer than this are a coin toss: the order stays "unknown" (Li Wei / Wei Li).
_RANK_MARGIN = 10
_SYSTEMS: dict[str, System] = {"pinyin": "pinyin", "wade_giles": "wade_giles", "hk": "hk", "macau": "macau"}
# Suffixes after the name (titles before it are in lexicon.TITLES).
_SUFFIXES = frozenset({"JR", "SR", "ESQ", "II", "III"})


@dataclass(frozen=True, slots=True)
class NameRecord:
    """One name as a document or register carries it.

    ``surname``/``given_name`` are in the record's own script (Han for Han records, Latin for
    Latin and mixed ones); ``surname_zh``/``given_zh`` hold the Han split whenever Han is known.
    """

    full: str
    script: Script
    surname: str
    given_name: str
    order: Order
    system: System | None = None
    english_name: str | None = None
    surname_zh: str = ""
    given_zh: str = ""
    ccc: tuple[str, ...] = ()

    @property
    def has_han(self) -> bool:
        """Whether Han characters are known for this name."""
        return bool(self.surname_zh or self.given_zh)

    @classmethod
    def from_han(cls, surname_zh: str, given_zh: str) -> NameRecord:
        """A record from a Han surname and given name (either script)."""
        return cls(
            full=surname_zh + given_zh,
            script="han",
            surname=surname_zh,
            given_name=given_zh,
            order="surname_first",
            surname_zh=surname_zh,
            given_zh=given_zh,
        )

    @classmethod
    def from_parts(cls, surname: str, given_name: str) -> NameRecord:
        """A record from a known surname and given name (register columns), Han or romanized."""
        surname, given_name = surname.strip(), given_name.strip()
        if HAN_RE.search(surname) and not re.search("[A-Za-z]", surname + given_name):
            return cls.from_han(surname, given_name)
        given, english = _split_english(given_name.replace(",", " ").split())
        return cls(
            full=f"{surname} {given_name}".strip(),
            script="latin",
            surname=surname,
            given_name=" ".join(given),
            order="surname_first",
            system=guess_system(surname, " ".join(given)),
            english_name=english,
        )


def guess_system(surname: str, given: str) -> System | None:
    """The one romanization system every syllable fits, None when none or several fit.

    ``CHEUNG Wai`` is Hong Kong; ``ZHANG Wei`` is pinyin; ``CHANG Wei`` fits both pinyin and
    Wade–Giles, so it is None.
    """
    syllables: list[str] = []
    for part in (*normalize_latin(surname).split(), *normalize_latin(given).split()):
        splits = segment(part)
        if not splits:
            return None
        syllables.extend(splits[0])
    fitting = systems_of(tuple(syllables)) if syllables else ()
    return _SYSTEMS[fitting[0]] if len(fitting) == 1 else None


def _is_chinese_token(token: str) -> bool:
    return bool(segment(token))


def _split_english(tokens: list[str]) -> tuple[list[str], str | None]:
    """Take English given names out of a token list when the rest reads as a Chinese romanization."""
    english = [t for t in tokens if compact(t) in ENGLISH_GIVEN_NAMES and not _is_chinese_token(t)]
    rest = [t for t in tokens if t not in english]
    readable = rest and all(_is_chinese_token(t) for t in rest)
    # "Peter CHAN": what remains may be a lone surname, but then it must be one we know.
    if english and readable and (len(rest) >= 2 or is_known_surname(rest[0])):
        return rest, " ".join(compact(t) for t in english)
    return tokens, None


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading titles (Mr, Dr., Prof) and trailing suffixes (Jr), keeping at least one token."""
    start, end = 0, len(tokens)
    while start < end - 1 and compact(tokens[start]) in TITLES:
        start += 1
    while end - 1 > start and compact(tokens[end - 1]) in _SUFFIXES:
        end -= 1
    return tokens[start:end]


def _is_upper(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _compound_length(tokens: list[str], at_end: bool) -> int:
    """2 when the first (or last) two tokens spell a compound surname (AU YEUNG, SZE TO), else 1."""
    if len(tokens) < 3:
        return 1
    pair = tokens[-2:] if at_end else tokens[:2]
    spelled = compact("".join(pair))
    if is_known_surname(spelled) and any(len(s) == 2 and s in COMPOUND for s in _surnames_of(spelled)):
        return 2
    return 1


def _surnames_of(spelled: str) -> frozenset[str]:
    return spelling_index().surnames.get(spelled, frozenset())


def _by_case(tokens: list[str]) -> tuple[list[str], list[str], Order] | None:
    """Uppercase-surname convention: ``CHAN Tai Man``, ``Wei ZHANG``, ``AU YEUNG Ka Lok``."""
    upper = [_is_upper(t) for t in tokens]
    if all(upper) or not any(upper):
        return None
    first_lower = upper.index(False)
    if first_lower > 0 and not any(upper[first_lower:]):
        return tokens[:first_lower], tokens[first_lower:], "surname_first"
    last_lower = len(upper) - 1 - upper[::-1].index(False)
    if last_lower < len(tokens) - 1 and all(not u for u in upper[: last_lower + 1]):
        return tokens[last_lower + 1 :], tokens[: last_lower + 1], "given_first"
    return None


def _by_lexicon(tokens: list[str]) -> tuple[list[str], list[str], Order]:
    """Surname-first or given-first from the surname lexicon and surname frequency."""
    if len(tokens) == 1:
        return tokens, [], "unknown"
    head, tail = _compound_length(tokens, at_end=False), _compound_length(tokens, at_end=True)
    first_rank = surname_rank("".join(tokens[:head]))
    last_rank = surname_rank("".join(tokens[-tail:]))
    surname_first = (tokens[:head], tokens[head:])
    given_first = (tokens[-tail:], tokens[:-tail])
    if head == 2 and tail == 1:  # a compound surname leads: AU YEUNG Ka Lok
        return (*surname_first, "surname_first")
    if tail == 2 and head == 1:
        return (*given_first, "given_first")
    if first_rank is not None and last_rank is None:
        return (*surname_first, "surname_first")
    if last_rank is not None and first_rank is None:
        return (*given_first, "given_first")
    if first_rank is None or last_rank is None:
        # No surname we know at either end: a romanized Chinese name most likely follows the
        # passport order, anything else the Western one; either way we do not know.
        if all(_is_chinese_token(t) for t in tokens):
            return (*surname_first, "unknown")
        return (*given_first, "unknown")
    if abs(first_rank - last_rank) < _RANK_MARGIN:
        return (*surname_first, "unknown")
    if last_rank < first_rank:
        return (*given_first, "given_first")
    return (*surname_first, "surname_first")


def _parse_latin(text: str) -> tuple[str, str, Order, str | None]:
    """(surname, given, order, english name) of a romanized name."""
    if "<<" in text:  # MRZ name field
        surname, _, given = text.partition("<<")
        return surname.replace("<", " ").strip(), given.replace("<", " ").strip(), "surname_first", None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2:
        left, right = _strip_titles(parts[0].split()), " ".join(parts[1:]).split()
        if len(left) >= 2 and len(right) == 1 and not _is_chinese_token(right[0]):
            # HK style: "CHAN Tai Man, Peter" — the part after the comma is the English name.
            surname, given, order, _ = _parse_latin(" ".join(left))
            return surname, given, order, compact(right[0])
        given_tokens, english = _split_english(_strip_titles(right))
        return " ".join(left), " ".join(given_tokens), "surname_first", english
    tokens = _strip_titles(text.split())
    tokens, english = _split_english(tokens)
    split = _by_case(tokens) or _by_lexicon(tokens)
    surname_tokens, given_tokens, order = split
    return " ".join(surname_tokens), " ".join(given_tokens), order, english


def _parse_han(text: str) -> tuple[str, str, Order]:
    text = strip_honorifics(" ".join(text.split()))
    for dot in "·・‧":
        if dot in text:
            # A transliterated foreign name (贝拉克·奥巴马): given names first, surname last.
            given, _, surname = text.replace(" ", "").rpartition(dot)
            return surname, given, "given_first"
    if " " in text:  # the writer split it for us (欧阳 娜娜)
        surname, given = text.split(" ", 1)
        return surname, given.replace(" ", ""), "surname_first"
    surname, given = split_han(text)
    return surname, given, "surname_first"


def parse_name(text: str) -> NameRecord:
    """Read a free-text name into a NameRecord (script, split, order, system, English name, CCC)."""
    full = " ".join(text.split())
    ccc = tuple(_CCC_RE.findall(full))
    rest = _CCC_RE.sub(" ", full)
    han_runs = [run.strip() for run in _HAN_RUN_RE.findall(rest) if HAN_RE.search(run)]
    latin = " ".join(_HAN_RUN_RE.sub(" ", rest).split()) if han_runs else " ".join(rest.split())
    surname_zh = given_zh = ""
    if han_runs:
        surname_zh, given_zh, han_order = _parse_han(max(han_runs, key=len))
    if not re.search("[A-Za-z]", latin):
        if not han_runs:
            return NameRecord(full=full, script="latin", surname="", given_name="", order="unknown", ccc=ccc)
        return NameRecord(
            full=full,
            script="han",
            surname=surname_zh,
            given_name=given_zh,
            order=han_order,
            surname_zh=surname_zh,
            given_zh=given_zh,
            ccc=ccc,
        )
    surname, given, order, english = _parse_latin(latin)
    return NameRecord(
        full=full,
        script="mixed" if han_runs else "latin",
        surname=surname,
        given_name=given,
        order=order,
        system=guess_system(surname, given),
        english_name=english,
        surname_zh=surname_zh,
        given_zh=given_zh,
        ccc=ccc,
    )

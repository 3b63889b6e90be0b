"""An in-memory candidate index over watch-list entries: blocking keys in, a few entries out.

Names repeat (张伟 is on every large list hundreds of times), so the index keeps each distinct
``NameRecord`` once and computes its keys once; entries hold only the ids of their names. Keys
are hashed to 64-bit integers in one sorted numpy array (``searchsorted`` answers a query's keys
in one call), and the per-entry fields that scoring needs live in numpy columns, not objects.

Keys of one name (``name_keys``), each a string before hashing:

* ``p:zhang/wei`` — pinyin syllable classes: the readings of Han characters, or every pinyin
  reading a romanized spelling can stand for (CHEUNG WAI, CHANG WEI → zhang/wei). A romanized
  name with more than MAX_FULL_KEYS readings is keyed coarsely instead (``c:`` surname and first
  given syllable); queries always ask both kinds.
* ``h:张伟`` — the simplified-character key (張偉 and 张伟 meet; CCC digits are decoded first).
* ``d:ZHANG|XIAOMIG`` / ``e:XIAOMING|ZHNG`` — the spelling with one letter of the given name or
  the surname deleted, so that a typing error on one side still meets (symmetric deletion).
* ``t:`` / ``u:`` — consonant skeletons of single tokens and of token pairs (non-Chinese names,
  any order). Single-token keys that would return too many names are skipped at query time.

Numbers (ID and document) are keyed separately, normalized to upper-case letters and digits.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import re
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from sojourn.core.names.compiled import ScoringRow, scoring_row
from sojourn.core.names.forms import NameRecord, parse_name
from sojourn.core.names.match import latin_record
from sojourn.core.names.readings import (
    decode_ccc,
    given_pinyin,
    simplified_surname,
    split_han,
    surname_pinyin,
    to_simplified,
)
from sojourn.core.names.romanize import given_keys, given_parts, passport_pinyin, surname_parts
from sojourn.core.names.spellings import compact, normalize_latin, segment, surname_classes, syllable_classes
from sojourn.core.names.surnames import T2S_MERGED_SURNAMES

ACTIONS = ("hold", "refer", "notify")
# An entry's scalar fields, the columns of ``CandidateIndex.table`` in this order.
COLUMNS = ("list", "action", "birth", "year", "sex", "nationality")
SEXES = ("", "M", "F")
# A romanized name with more pinyin readings than this is keyed by surname and first syllable.
MAX_FULL_KEYS = 64
# Keys a query may expand to (CHAN TAI MAN has 420 readings).
MAX_QUERY_KEYS = 4096
# Single-token keys whose posting list is longer than this are skipped (MOHAMMED, ZHANG).
MAX_TOKEN_POSTINGS = 2000
_NUMBER_RE = re.compile(r"[^0-9A-Z]")
_KIND_C, _KIND_H, _KIND_L, _KIND_P, _KIND_T = (ord(kind) for kind in "chlpt")  # a key's first letter


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One person on a watch list: names (primary first, then aliases), identifiers, the action a hit calls for."""

    entry_id: str
    list_name: str
    names: tuple[NameRecord, ...]
    birth_date: date | None = None
    birth_year: int | None = None  # when only the year is known (or as well as the date)
    sex: str | None = None
    nationality: str | None = None
    id_numbers: tuple[str, ...] = ()
    doc_numbers: tuple[str, ...] = ()
    action: str = "refer"


def normalize_number(number: str) -> str:
    """An ID or document number as compared: upper case, letters and digits only (E 1234-567 → E1234567)."""
    return _NUMBER_RE.sub("", number.upper())


def _key_hash(key: str) -> int:
    # 64-bit, salted per process: the index lives in one process only. CandidateIndex._name_ids
    # calls hash() itself, a function call less per key of a query.
    return hash(key)


def _deletions(text: str) -> list[str]:
    return [text, *(text[:k] + text[k + 1 :] for k in range(len(text)))] if len(text) >= 3 else [text]


def _typo_keys(surname: str, given: str) -> list[str]:
    surname, given = compact(surname), compact(given)
    if not surname or not given:
        return []
    keys = [f"d:{surname}|{variant}" for variant in _deletions(given)]
    if len(given) >= 3:
        keys += [f"e:{given}|{variant}" for variant in _deletions(surname)]
    return keys


@lru_cache(maxsize=16384)
def _han_keys(surname_zh: str, given_zh: str) -> tuple[str, ...]:
    """Keys of a Han name: pinyin readings (also the everyday reading of a heteronym surname), characters, typos."""
    surname = simplified_surname(surname_zh)
    given = to_simplified(given_zh)
    surnames = {"".join(reading) for reading in surname_pinyin(surname)}
    surnames.add("".join(r[0] for r in given_pinyin(surname)))
    givens = {"".join(combo) for combo in itertools.islice(itertools.product(*given_pinyin(given)), 16)}
    blocking = "".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in surname) + given
    passport_surname, passport_given = passport_pinyin(surname_zh, given_zh)
    return (
        f"h:{blocking}",
        *(f"p:{s}/{g}" for s in surnames for g in givens),
        *_typo_keys(passport_surname, passport_given),
    )


@lru_cache(maxsize=65536)
def _han_coarse_keys(surname_zh: str, given_zh: str) -> tuple[str, ...]:
    surnames = {"".join(reading) for reading in surname_pinyin(simplified_surname(surname_zh))}
    if not given_zh:
        return ()
    first = given_pinyin(to_simplified(given_zh[0]))[0]
    last = given_pinyin(to_simplified(given_zh[-1]))[0]
    return (*(f"c:{s}/{g}" for s in surnames for g in first), *(f"l:{s}/{g}" for s in surnames for g in last))


def _edge_syllables(given: str, at: int) -> set[str]:
    """Pinyin classes of the first (``at=0``) or last (``at=-1``) syllable of a romanized given name."""
    tokens = given.split()
    if not tokens:
        return set()
    return {c for split in segment(compact(tokens[at])) for c in syllable_classes(split[at])}


@lru_cache(maxsize=16384)
def _pinyin_keys(surname: str, given: str, query: bool) -> tuple[str, ...]:
    """``p:`` keys of a romanized name (all readings), or coarse ``c:``/``l:`` keys when it has too many.

    Coarse keys pair the surname with the first (``c:``) and with the last (``l:``) given
    syllable; a query keeps only names found through both.
    """
    surnames = surname_classes(surname)
    if not surnames:
        return ()
    givens = given_keys(given) if given else frozenset({""})
    many = len(surnames) * len(givens) > (MAX_QUERY_KEYS if query else MAX_FULL_KEYS)
    full = [] if many else [f"p:{s}/{g}" for s in sorted(surnames) for g in sorted(givens)]
    if not (many or query):
        return tuple(full)  # coarse keys only for ambiguous names and for queries
    coarse = [f"c:{s}/{g}" for s in surnames for g in _edge_syllables(given, 0)]
    coarse += [f"l:{s}/{g}" for s in surnames for g in _edge_syllables(given, -1)]
    return tuple(full + coarse)


def _skeleton(token: str) -> str:
    text = (
        token.replace("PH", "F").replace("TH", "T").replace("KH", "H").replace("SH", "S").replace("CK", "K")
    )
    text = text.translate(str.maketrans("PQCZWVGJ", "BKKSUBKI"))
    rest = [ch for ch in text[1:] if ch not in "AEIOUYH"]
    head = "A" if text[0] in "AEIOUY" else text[0]
    out = [head, *rest]
    return "".join(ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1])


@lru_cache(maxsize=262144)
def _token_keys(tokens: tuple[str, ...]) -> tuple[str, ...]:
    skeletons = sorted({_skeleton(t) for t in tokens if len(t) >= 2})
    return (
        *(f"t:{s}" for s in skeletons),
        *(f"u:{a}|{b}" for a, b in itertools.combinations(skeletons, 2)),
    )


def _splits(record: NameRecord, query: bool) -> list[tuple[str, str]]:
    """(surname, given) readings of a romanized name: the parsed one, and for queries or unknown order the others."""
    splits = [(record.surname, record.given_name)]
    tokens = normalize_latin(f"{record.surname} {record.given_name}").split()
    if len(tokens) >= 2 and (query or record.order == "unknown"):
        splits += [(tokens[-1], " ".join(tokens[:-1])), (tokens[0], " ".join(tokens[1:]))]
        if record.order == "given_first":
            written = normalize_latin(f"{record.given_name} {record.surname}").split()
            splits += [(written[0], " ".join(written[1:]))]
    return list(dict.fromkeys(splits))


def _reading_keys(
    surname: str,
    given: str,
    query: bool,
    pinyin_keys: Callable[[str, str, bool], tuple[str, ...]] = _pinyin_keys,
) -> tuple[tuple[str, ...], bool]:
    """Pinyin and typo keys of one (surname, given) reading, and whether the pinyin keys read it as Chinese."""
    pinyin = pinyin_keys(compact(surname), " ".join(normalize_latin(given).split()), query)
    chinese = any(not k.startswith(("c:", "l:")) for k in pinyin) or bool(pinyin and not query)
    return (*pinyin, *_typo_keys(surname, given)), chinese


_split_keys = lru_cache(maxsize=65536)(_reading_keys)  # per reading: the same spellings recur across queries


def name_keys(record: NameRecord, *, query: bool = False, cached: bool = True) -> set[str]:
    """The blocking keys of one name; ``query=True`` adds what a query must also ask (coarse keys, other splits).

    ``cached=False`` (the build: every name is distinct there) bypasses the per-name key caches,
    which would only fill memory.
    """
    keys: set[str] = set()
    han_keys = _han_keys if cached else _han_keys.__wrapped__
    han = [(record.surname_zh, record.given_zh)] if record.has_han else []
    han += [split_han(text) for text in decode_ccc(record.ccc)] if record.ccc and not han else []
    for surname_zh, given_zh in han:
        keys.update(han_keys(surname_zh, given_zh))
        if query:  # ambiguous romanized entries are keyed coarsely
            keys.update(_han_coarse_keys(surname_zh, given_zh))
    latin = latin_record(record) if cached else latin_record.__wrapped__(record)
    if latin.script != "han" and (latin.surname or latin.given_name):
        chinese = False
        for surname, given in _splits(latin, query):
            split, reads_chinese = (
                _split_keys(surname, given, query)
                if cached
                else _reading_keys(surname, given, query, _pinyin_keys.__wrapped__)
            )
            chinese = chinese or reads_chinese
            keys.update(split)
        tokens = tuple(normalize_latin(f"{latin.given_name} {latin.surname}").split())
        if not chinese:  # skeletons of short syllables (WEI → W) would block on nearly nothing
            keys.update(_token_keys(tokens))
        if query:
            keys.update(_token_keys(tuple(t[::-1] for t in tokens)))  # a name typed backwards
    elif not record.has_han and record.full:
        keys.update(_token_keys(tuple(record.full.casefold().split())))
    return keys


def _release_free_memory() -> None:
    """Give the heap the build freed back to the system (glibc keeps it otherwise); no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _csr(
    owner: npt.NDArray[np.int64], value: npt.NDArray[np.int64], size: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """(offsets, values) grouping ``value`` by ``owner`` (0..size-1)."""
    order = np.argsort(owner, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(np.bincount(owner, minlength=size), out=offsets[1:])
    return offsets, value[order].astype(np.int32)


def _ranges(lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions ``lo[0]..hi[0]-1``, then ``lo[1]..hi[1]-1``, …, in one array (no Python loop)."""
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    # Position k of the output is lo[j] + (k - where run j starts).
    return np.repeat(lo - (ends - lengths), lengths) + np.arange(total)


def _distinct(values: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """The distinct values, sorted (``np.unique`` costs several times this on the short arrays of a query)."""
    if len(values) < 2:
        return values
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class _Buckets:
    """Where each of many 64-bit hashes sits in a sorted array of them, in one or two memory reads each.

    ``searchsorted`` over 5.5 M hashes walks ~23 cache lines per needle; here the top bits of a
    hash pick a bucket (about one key in two buckets: the hashes are uniform) whose keys are
    compared at once, as many as the fullest bucket holds. A needle can equal only keys of its
    own bucket (same hash, same top bits), so the window may run into the next buckets freely;
    the hashes are kept padded by that width so that it never runs off the end.
    """

    def __init__(self, hashes: npt.NDArray[np.int64]) -> None:
        self.bits = max(1, len(hashes).bit_length())
        self.shift = 64 - self.bits
        counts = np.bincount(self._bucket(hashes), minlength=1 << self.bits)
        self.starts = np.zeros((1 << self.bits) + 1, dtype=np.int64 if len(hashes) >= 2**31 else np.int32)
        np.cumsum(counts, out=self.starts[1:])
        self.width = np.arange(int(counts.max()) if len(counts) else 0)
        self.size = len(hashes)
        self.padded = np.concatenate([hashes, np.zeros(len(self.width), dtype=np.int64)])

    def _bucket(self, hashes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return (hashes >> self.shift) + (1 << (self.bits - 1))  # signed top bits → 0 .. 2**bits - 1

    def find(self, needles: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """(position, found) of each needle in the sorted hashes these buckets were built on."""
        start = self.starts[self._bucket(needles)].astype(np.int64)
        if not len(self.width) or not len(needles):
            return np.zeros(len(needles), dtype=np.int64), np.zeros(len(needles), dtype=bool)
        hit = self.padded[start[:, None] + self.width] == needles[:, None]
        at = start + hit.argmax(axis=1)
        return at, hit.any(axis=1) & (at < self.size)  # a needle equal to the padding is not there


class StringColumn:
    """Many short strings in one: a joined string and offsets (a list of 1M ``str`` costs ~65 MB)."""

    def __init__(self, values: Iterable[str]) -> None:
        parts = list(values)
        self._text = "".join(parts)
        self._offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=self._offsets[1:])

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:
        return self._text[int(self._offsets[index]) : int(self._offsets[index + 1])]

    def filled(self, indexes: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether each of these strings is not empty."""
        return self._offsets[indexes + 1] > self._offsets[indexes]


_SEP = "\x1f"  # between the numbers of one entry


def _joined(numbers: tuple[str, ...]) -> str:
    """Numbers as one string: empty for none, else a marker and the numbers (an empty number survives)."""
    return "\x1e" + _SEP.join(numbers) if numbers else ""


def _split(text: str) -> tuple[str, ...]:
    return tuple(text[1:].split(_SEP)) if text else ()


@dataclass(frozen=True)
class Candidates:
    """What a query found: distinct names (ids into the index) and entries hit by a number."""

    name_ids: npt.NDArray[np.int32]
    number_hits: dict[int, str]  # entry index → the normalized number that hit


class _Builder:
    """Accumulates entries into columns; names are interned as they come."""

    def __init__(self) -> None:
        self.name_ids: dict[NameRecord, int] = {}
        self.strings: dict[str, str] = {}
        self.names: list[NameRecord] = []
        self.entry_ids: list[str] = []
        self.lists: dict[str, int] = {}
        self.nationalities: dict[str, int] = {"": 0}
        self.entry_names = array("i")
        self.name_offsets = array("i", [0])
        self.id_numbers: list[str] = []
        self.doc_numbers: list[str] = []
        self.number_keys = array("q")
        self.number_entries = array("i")
        self.scalars = {k: array("i") for k in COLUMNS}

    def _interned(self, record: NameRecord) -> NameRecord:
        """An equal record whose strings are shared with other names (张 is in 7% of them)."""
        strings = self.strings
        english = record.english_name
        return replace(
            record,
            full=strings.setdefault(record.full, record.full),
            surname=strings.setdefault(record.surname, record.surname),
            given_name=strings.setdefault(record.given_name, record.given_name),
            surname_zh=strings.setdefault(record.surname_zh, record.surname_zh),
            given_zh=strings.setdefault(record.given_zh, record.given_zh),
            english_name=strings.setdefault(english, english) if english else english,
        )

    def add(self, entry: ListEntry) -> None:
        index = len(self.entry_ids)
        self.entry_ids.append(entry.entry_id)
        for record in entry.names:
            name_id = self.name_ids.setdefault(record, len(self.names))
            if name_id == len(self.names):
                self.names.append(self._interned(record))
            self.entry_names.append(name_id)
        self.name_offsets.append(len(self.entry_names))
        ids = tuple(normalize_number(n) for n in entry.id_numbers)
        docs = tuple(normalize_number(n) for n in entry.doc_numbers)
        self.id_numbers.append(_joined(ids))
        self.doc_numbers.append(_joined(docs))
        for number in dict.fromkeys(ids + docs):
            self.number_keys.append(_key_hash(number))
            self.number_entries.append(index)
        birth_year = entry.birth_date.year if entry.birth_date else entry.birth_year
        values = {
            "list": self.lists.setdefault(entry.list_name, len(self.lists)),
            "action": ACTIONS.index(entry.action),
            "birth": entry.birth_date.toordinal() if entry.birth_date else 0,
            "year": birth_year or 0,
            "sex": SEXES.index(entry.sex) if entry.sex in SEXES else 0,
            "nationality": self.nationalities.setdefault(entry.nationality or "", len(self.nationalities)),
        }
        for column, value in values.items():
            self.scalars[column].append(value)


class CandidateIndex:
    """Candidate entries for a screening query, over distinct names and numbers (see the module docstring)."""

    def __init__(self, builder: _Builder) -> None:
        self.names = builder.names
        self.entry_ids = StringColumn(builder.entry_ids)
        self.list_names = list(builder.lists)
        self.nationalities = list(builder.nationalities)
        self._ids = StringColumn(builder.id_numbers)
        self._docs = StringColumn(builder.doc_numbers)
        builder.entry_ids.clear()
        builder.id_numbers.clear()
        builder.doc_numbers.clear()
        # One row of fields per entry, so that scoring reads all of an entry's at once; ``columns``
        # are views of it by name.
        self.table = np.stack([np.frombuffer(builder.scalars[k], dtype=np.int32) for k in COLUMNS], axis=1)
        self.columns = {k: self.table[:, j] for j, k in enumerate(COLUMNS)}
        self.entry_name_offsets = np.frombuffer(builder.name_offsets, dtype=np.int32).copy()
        self.entry_names = np.frombuffer(builder.entry_names, dtype=np.int32).copy()
        owners = np.repeat(np.arange(len(self.entry_ids)), np.diff(self.entry_name_offsets))
        self.name_entry_offsets, self.name_entries = _csr(
            self.entry_names.astype(np.int64), owners.astype(np.int64), len(self.names)
        )
        self.key_hashes, self.key_offsets, self.key_names = self._name_keys()
        self._buckets = _Buckets(self.key_hashes)
        self.key_hashes = self._buckets.padded[: len(self.key_hashes)]  # one copy of the hashes, not two
        self._scratch = threading.local()
        numbers = np.frombuffer(builder.number_keys, dtype=np.int64)
        order = np.argsort(numbers, kind="stable")
        self.number_hashes = numbers[order]
        self.number_entries = np.frombuffer(builder.number_entries, dtype=np.int32)[order]
        self._rows: list[ScoringRow | None] = [None] * len(self.names)  # see scoring_rows()

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> CandidateIndex:
        """Index the entries (consumed once, so a generator keeps memory down)."""
        builder = _Builder()
        for entry in entries:
            builder.add(entry)
        builder.name_ids.clear()
        builder.strings.clear()
        index = cls(builder)
        index.warm()
        # The per-name key caches hold every key string of every name: drop them once hashed.
        for cached in (
            _han_keys,
            _han_coarse_keys,
            _pinyin_keys,
            _split_keys,
            _token_keys,
            latin_record,
            given_keys,
        ):
            cached.cache_clear()
        _release_free_memory()
        return index

    def _name_keys(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """Distinct key hashes (sorted), and per hash its names: ``key_names[offsets[k]:offsets[k + 1]]``."""
        hashes = array("q")
        owners = array("i")
        for name_id, record in enumerate(self.names):
            for key in name_keys(record, cached=False):
                hashes.append(_key_hash(key))
                owners.append(name_id)
        keys = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        names = np.frombuffer(owners, dtype=np.int32)[order]
        unique, starts = np.unique(keys[order], return_index=True)
        del keys, order, hashes, owners
        offsets = np.append(starts, [len(names), len(names)]).astype(np.int64)  # one spare: no keys at all
        return unique, offsets, names

    def __len__(self) -> int:
        return len(self.entry_ids)

    def scoring_rows(self, name_ids: list[int]) -> list[ScoringRow]:
        """``compiled.scoring_row`` of each list name, worked out on first use and kept (scoring reads them per query)."""
        rows = self._rows
        out = [rows[n] for n in name_ids]
        if None in out:
            for k, n in enumerate(name_ids):
                if out[k] is None:
                    out[k] = rows[n] = scoring_row(self.names[n])
        return out  # type: ignore[return-value]

    def warm(self) -> None:
        """Fill the per-part caches scoring reads for Han list names (a 1M list has ~12k given names)."""
        for record in self.names:
            if record.has_han:
                surname_parts(record.surname_zh)
                given_parts(record.given_zh)

    def lookup(
        self, name: NameRecord | None, numbers: Sequence[str] = (), *, limit: int | None = None
    ) -> Candidates:
        """Distinct candidate names for a name query, and entries carrying any of the numbers.

        ``limit`` keeps only that many names, those sharing the most keys with the query
        (``_best_by_keys``): screening caps the work of a very ambiguous query this way.
        """
        name_ids = np.empty(0, dtype=np.int32) if name is None else self._name_ids(name, limit)
        hits: dict[int, str] = {}
        for number in dict.fromkeys(normalize_number(n) for n in numbers if n):
            if not number:
                continue
            value = _key_hash(number)
            start = int(np.searchsorted(self.number_hashes, value, "left"))
            stop = int(np.searchsorted(self.number_hashes, value, "right"))
            for entry in self.number_entries[start:stop]:
                hits.setdefault(int(entry), number)
        return Candidates(name_ids=name_ids, number_hits=hits)

    def _name_ids(self, name: NameRecord, limit: int | None) -> npt.NDArray[np.int32]:
        keys = name_keys(name, query=True)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))  # _key_hash, inlined
        kinds = np.frombuffer("".join([k[0] for k in keys]).encode("ascii"), dtype=np.uint8)
        at, found = self._buckets.find(hashes)
        lo = self.key_offsets[at]
        hi = np.where(found, self.key_offsets[at + 1], lo)
        keep = (hi > lo) & ~((kinds == _KIND_T) & (hi - lo > MAX_TOKEN_POSTINGS))
        lo, hi, kinds = lo[keep], hi[keep], kinds[keep]
        # The names of every kept key, one run per key in key order, and each one's key kind.
        hits = self.key_names[_ranges(lo, hi)]
        of = np.repeat(kinds, hi - lo)
        first, last = of == _KIND_C, of == _KIND_L
        name_ids = _distinct(hits[~(first | last)])
        if first.any():  # coarse keys: the first and the last syllable must both meet
            marks = self._marks()
            firsts, lasts = hits[first], hits[last]
            marks[firsts] = True
            both = lasts[marks[lasts]]
            marks[firsts] = False
            name_ids = _distinct(np.concatenate([name_ids, both]))
        if limit is not None and len(name_ids) > limit:
            name_ids = self._best_by_keys(hits, of, name_ids, limit)
        return name_ids

    def _marks(self) -> npt.NDArray[np.bool_]:
        """A flag per name, all False between uses; one per thread (Django serves queries from several)."""
        marks: npt.NDArray[np.bool_] | None = getattr(self._scratch, "marks", None)
        if marks is None:
            marks = self._scratch.marks = np.zeros(len(self.names), dtype=bool)
        return marks

    def _slots(self) -> npt.NDArray[np.int32]:
        """A number per name, all 0 between uses; one per thread, as ``_marks``."""
        slots: npt.NDArray[np.int32] | None = getattr(self._scratch, "slots", None)
        if slots is None:
            slots = self._scratch.slots = np.zeros(len(self.names), dtype=np.int32)
        return slots

    def _best_by_keys(
        self, hits: npt.NDArray[np.int32], of: npt.NDArray[np.uint8], name_ids: npt.NDArray[np.int32], limit: int
    ) -> npt.NDArray[np.int32]:
        """The ``limit`` names that share the most keys with the query; a pinyin or character key counts 4.

        ``hits``: the names of the query's keys, ``of``: each one's key kind (``_name_ids``).
        """
        weight = np.where((of == _KIND_P) | (of == _KIND_H), 4.0, 1.0)
        # Each hit's place in name_ids, through a per-name slot (place + 1; 0: not listed, as are
        # the names of coarse keys that missed the intersection). The hits run to tens of
        # thousands in random order, where a binary search per hit cost several times this.
        slots = self._slots()
        slots[name_ids] = np.arange(1, len(name_ids) + 1, dtype=np.int32)
        pos = slots[hits]
        slots[name_ids] = 0
        listed = pos > 0
        weights = np.bincount(pos[listed] - 1, weights=weight[listed], minlength=len(name_ids))
        return name_ids[np.sort(np.argsort(-weights, kind="stable")[:limit])]

    def entries_of(self, name_id: int) -> npt.NDArray[np.int32]:
        """Indexes of the entries that carry this name."""
        return self.name_entries[self.name_entry_offsets[name_id] : self.name_entry_offsets[name_id + 1]]

    def entries_of_names(
        self, name_ids: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The entries of each name in turn (``entries_of`` of each, concatenated), and how many each name has."""
        lo = self.name_entry_offsets[name_ids].astype(np.int64)
        hi = self.name_entry_offsets[name_ids + 1].astype(np.int64)
        return self.name_entries[_ranges(lo, hi)], hi - lo

    def numbers_of(self, index: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(ID numbers, document numbers) of the entry at ``index``, normalized."""
        return _split(self._ids[index]), _split(self._docs[index])

    def carry_numbers(
        self, entries: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Whether each entry carries an ID number, and whether it carries a document number."""
        return self._ids.filled(entries), self._docs.filled(entries)

    def entry(self, index: int) -> ListEntry:
        """The entry at ``index``, rebuilt from the columns."""
        col = {k: int(v[index]) for k, v in self.columns.items()}
        numbers = self.numbers_of(index)
        names = self.entry_names[self.entry_name_offsets[index] : self.entry_name_offsets[index + 1]]
        return ListEntry(
            entry_id=self.entry_ids[index],
            list_name=self.list_names[col["list"]],
            names=tuple(self.names[int(n)] for n in names),
            birth_date=date.fromordinal(col["birth"]) if col["birth"] else None,
            birth_year=col["year"] or None,
            sex=SEXES[col["sex"]] or None,
            nationality=self.nationalities[col["nationality"]] or None,
            id_numbers=numbers[0],
            doc_numbers=numbers[1],
            action=ACTIONS[col["action"]],
        )

    def query(
        self,
        name: NameRecord | str | None = None,
        *,
        id_number: str | None = None,
        document_number: str | None = None,
    ) -> list[ListEntry]:
        """Candidate entries for a name (record or free text) and/or numbers: a superset to be scored."""
        record = parse_name(name) if isinstance(name, str) else name
        found = self.lookup(record, [n for n in (id_number, document_number) if n])
        indexes = dict.fromkeys(found.number_hits)
        for name_id in found.name_ids:
            indexes.update(dict.fromkeys(int(i) for i in self.entries_of(int(name_id))))
        return [self.entry(i) for i in indexes]


def parse_names(primary: str, aliases: Iterable[str] = ()) -> tuple[NameRecord, ...]:
    """Name records for a primary name and its aliases, as list entries carry them."""
    return tuple(parse_name(text) for text in (primary, *aliases) if text and text.strip())

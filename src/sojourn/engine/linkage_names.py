"""The name columns identity resolution compares, composed from per-part caches.

The keys are those of ``sojourn.core.names.index.name_keys`` (kinds ``h:``, ``p:``, ``d:``,
``e:``), plus coarse ``c:``/``l:`` keys (surname with the first / last given syllable) for every
name, not only for ambiguous romanized ones: ``VONG IOK MAN`` has too many readings for ``p:``
keys and meets 王玉雯 there. ``name_keys`` works per whole name; a million records hold hundreds
of thousands of distinct names but only a few hundred surnames and some ten thousand given
names, so here each part is read once and the keys of a name are a product of its parts'
strings. ``tests/engine/test_linkage.py`` checks the two agree.

``name_table`` gives the columns of many names as Arrow; with enough distinct names it shares
them out over the cores: one share in the calling process, each other one in a fresh
interpreter (``python -m sojourn.engine.linkage_names``, names and columns as Arrow streams on
its stdin and stdout). Not ``multiprocessing``: ``fork`` is unsafe beside DuckDB's and Spark's
threads, and ``spawn`` re-runs the caller's main script, which a script without a main guard
(or a daemonic worker) does not survive. A share whose worker fails is computed here.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from sojourn.core.names.forms import NameRecord
from sojourn.core.names.readings import (
    ccc_sequences,
    decode_ccc,
    given_pinyin,
    simplified_surname,
    split_han,
    surname_pinyin,
    to_simplified,
    to_traditional,
)
from sojourn.core.names.romanize import given_keys, passport_pinyin, romanized_keys
from sojourn.core.names.spellings import (
    compact,
    is_known_surname,
    normalize_latin,
    segment,
    surname_classes,
    syllable_classes,
)
from sojourn.core.names.surnames import T2S_MERGED_SURNAMES

# As in ``index``: a romanized name with more pinyin readings than this gets coarse keys only.
MAX_FULL_KEYS = 64
# Readings of a Han given name kept (heteronyms multiply them), as in ``index``.
MAX_HAN_GIVEN_READINGS = 16
_NEUTRAL_SURNAME = "王"  # one reading: romanizes a given name on its own
_LATIN_RE = re.compile("[A-Za-z]")
# Distinct names from which ``name_table`` uses worker processes: a worker needs ~2 s to start
# (imports, spelling tables, cold part caches), what some 30,000 names take in one process.
PARALLEL_FROM = 100_000
_WORKER = "sojourn.engine.linkage_names"
_logger = logging.getLogger(__name__)
# What the names are joined with in ``name_table``'s input: (name_zh, surname, given_name).
SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class NameColumns:
    """What ``prepare`` adds for one distinct (Han, surname, given name)."""

    han_key: str | None  # simplified characters, distinct surnames kept apart
    ccc: str | None  # Chinese Commercial Codes of the Han name (mainland codebook first)
    name_keys: list[str] | None
    block_keys: list[str] | None  # h:, p: and the spelling as written
    coarse_keys: list[str] | None  # c: keys
    surname_keys: list[str] | None  # pinyin classes of the surname


@dataclass(frozen=True, slots=True)
class _Part:
    readings: tuple[str, ...]  # pinyin readings for p: keys
    classes: tuple[str, ...]  # surname: classes for c:/l: and surname_keys; given: first syllable
    last: tuple[str, ...]  # given: last syllable classes
    spelled: str  # compact spelling for d:/e: keys
    deletions: tuple[str, ...]
    chars: str  # Han: simplified characters (blocking form for a surname)
    ccc: str | None

    # The parts' strings as key prefixes, so a name's keys are one concatenation each.
    @property
    def p_prefixes(self) -> tuple[str, ...]:
        return _prefixes("p:", self.readings, "/")

    @property
    def c_prefixes(self) -> tuple[str, ...]:
        return _prefixes("c:", self.classes, "/")

    @property
    def l_prefixes(self) -> tuple[str, ...]:
        return _prefixes("l:", self.classes, "/")


@lru_cache(maxsize=65536)
def _prefixes(kind: str, texts: tuple[str, ...], end: str) -> tuple[str, ...]:
    return tuple(f"{kind}{t}{end}" for t in texts)


def _deletions(text: str) -> tuple[str, ...]:
    return (text, *(text[:k] + text[k + 1 :] for k in range(len(text)))) if len(text) >= 3 else (text,)


def _first_ccc(written: str, simplified: str) -> str | None:
    codes = sorted(ccc_sequences(written, simplified, to_traditional(written)))
    return codes[0] if codes else None


@lru_cache(maxsize=8192)
def _han_surname(surname_zh: str) -> _Part:
    exact = simplified_surname(surname_zh)
    table = {"".join(reading) for reading in surname_pinyin(exact)}
    everyday = "".join(r[0] for r in given_pinyin(exact))
    spelled = compact(passport_pinyin(surname_zh, "")[0])
    return _Part(
        readings=tuple(sorted(table | {everyday})),
        classes=tuple(sorted(table)),
        last=(),
        spelled=spelled,
        deletions=_deletions(spelled),
        chars="".join(T2S_MERGED_SURNAMES.get(ch, ch) for ch in exact),
        ccc=_first_ccc(surname_zh, exact),
    )


@lru_cache(maxsize=262144)
def _han_given(given_zh: str) -> _Part:
    given = to_simplified(given_zh)
    combos = itertools.islice(itertools.product(*given_pinyin(given)), MAX_HAN_GIVEN_READINGS)
    spelled = compact(passport_pinyin(_NEUTRAL_SURNAME, given_zh)[1])
    return _Part(
        readings=tuple(sorted({"".join(c) for c in combos})),
        classes=tuple(given_pinyin(to_simplified(given_zh[0]))[0]) if given_zh else (),
        last=tuple(given_pinyin(to_simplified(given_zh[-1]))[0]) if given_zh else (),
        spelled=spelled,
        deletions=_deletions(spelled),
        chars=given,
        ccc=_first_ccc(given_zh, given) if given_zh else "",
    )


@lru_cache(maxsize=65536)
def _latin_surname(surname: str) -> _Part:
    spelled = compact(surname)
    classes = tuple(sorted(surname_classes(spelled)))
    return _Part(readings=classes, classes=classes, last=(), spelled=spelled,
                 deletions=_deletions(spelled), chars="", ccc=None)


def _edge(given: str, at: int) -> tuple[str, ...]:
    tokens = given.split()
    if not tokens:
        return ()
    return tuple(sorted({c for split in segment(compact(tokens[at])) for c in syllable_classes(split[at])}))


@lru_cache(maxsize=262144)
def _latin_given(given: str) -> _Part:
    normalized = " ".join(normalize_latin(given).split())
    spelled = compact(given)
    return _Part(
        readings=tuple(sorted(given_keys(normalized))) if normalized else ("",),
        classes=_edge(normalized, 0),
        last=_edge(normalized, -1),
        spelled=spelled,
        deletions=_deletions(spelled),
        chars="",
        ccc=None,
    )


def _keys(surname: _Part, given: _Part, *, full: bool) -> tuple[set[str], set[str], set[str]]:
    """The name's (p:, d:/e:, c:/l:) keys from its parts."""
    readings: set[str] = set()
    if full and surname.readings:
        readings = {s + g for s in surname.p_prefixes for g in given.readings}
    spellings: set[str] = set()
    if surname.spelled and given.spelled:
        d = f"d:{surname.spelled}|"
        spellings = {d + v for v in given.deletions}
        if len(given.spelled) >= 3:
            e = f"e:{given.spelled}|"
            spellings.update([e + v for v in surname.deletions])
    coarse = {s + g for s in surname.c_prefixes for g in given.classes}
    coarse.update([s + g for s in surname.l_prefixes for g in given.last])
    return readings, spellings, coarse


def han_of(name_zh: str | None, surname: str, given: str) -> tuple[str, str] | None:
    """(surname, given) in Han: from ``name_zh``, from Han register columns, or decoded from CCC digits."""
    if name_zh and name_zh.strip():
        return split_han("".join(name_zh.split()))
    if surname and not _LATIN_RE.search(surname + given):
        record = NameRecord.from_parts(surname, given)
        if record.has_han:
            return record.surname_zh, record.given_zh
    digits = f"{surname} {given}".split()
    if digits and all(d.isdigit() and len(d) == 4 for d in digits):
        decoded = decode_ccc(digits)
        return split_han(decoded[0]) if decoded else None
    return None


@lru_cache(maxsize=65536)
def _swapped(given: str, surname: str) -> tuple[str, ...]:
    """p: keys of a romanized name whose surname and given name a clerk swapped (MINGHUA / WANG)."""
    if not is_known_surname(given):
        return ()
    keys = romanized_keys(compact(given), surname)
    return tuple(f"p:{k}" for k in keys) if len(keys) <= MAX_FULL_KEYS else ()


def name_columns(name_zh: str | None, surname: str, given: str) -> NameColumns:
    """The comparison columns of one name, in Han and/or romanized."""
    han = han_of(name_zh, surname, given)
    latin = bool(_LATIN_RE.search(surname + given))
    readings: set[str] = set()  # h: and p:
    spellings: set[str] = set()  # d: and e:
    coarse: set[str] = set()  # c: and l:
    surnames: set[str] = set()
    spelled: set[str] = set()
    han_key = ccc = None
    if han:
        han_surname, han_given = _han_surname(han[0]), _han_given(han[1])
        han_key = han_surname.chars + han_given.chars
        if han_surname.ccc is not None and han_given.ccc is not None:
            ccc = f"{han_surname.ccc} {han_given.ccc}".strip()
        readings, spellings, coarse = _keys(han_surname, han_given, full=True)
        readings.add(f"h:{han_key}")
        surnames.update(han_surname.classes)
        spelled.add(f"d:{han_surname.spelled}|{han_given.spelled}")
    if latin:
        part_s, part_g = _latin_surname(surname), _latin_given(given)
        as_passport = han and (part_s.spelled, part_g.spelled) == (han_surname.spelled, han_given.spelled)
        if not as_passport:  # the passport spelling adds nothing the Han keys lack
            full = len(part_s.readings) * len(part_g.readings) <= MAX_FULL_KEYS
            more = _keys(part_s, part_g, full=full)
            readings |= more[0]
            swapped = _swapped(given, surname)
            readings.update(swapped)
            spellings |= more[1]
            coarse |= more[2]
            surnames.update(part_s.classes)
            if swapped:  # the given-name column may hold the surname: its class counts as one too
                surnames.update(_latin_surname(given).classes)
            spelled.add(f"d:{part_s.spelled}|{part_g.spelled}")
    keys = readings | spellings | coarse
    block = sorted(readings | (spelled & spellings))
    return NameColumns(
        han_key=han_key,
        ccc=ccc,
        name_keys=sorted(keys) or None,
        block_keys=block or None,
        coarse_keys=sorted(k for k in coarse if k[0] == "c") or None,
        surname_keys=sorted(surnames) or None,
    )


NAME_COLUMNS = pa.schema([
    ("han_key", pa.string()),
    ("ccc", pa.string()),
    ("name_keys", pa.list_(pa.string())),
    ("block_keys", pa.list_(pa.string())),
    ("coarse_keys", pa.list_(pa.string())),
    ("surname_keys", pa.list_(pa.string())),
])


def _serial_table(names: Sequence[str]) -> pa.Table:
    columns = [name_columns(*text.split(SEPARATOR)) for text in names]
    return pa.table({field.name: pa.array([getattr(c, field.name) for c in columns], field.type)
                     for field in NAME_COLUMNS})  # fmt: skip


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _in_worker(names: Sequence[str]) -> pa.Table:
    """``_serial_table(names)`` from a worker interpreter; computed here when the worker fails."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, pa.schema([("name", pa.string())])) as writer:
        writer.write_table(pa.table({"name": pa.array(names, pa.string())}))
    package_root = str(Path(__file__).resolve().parents[2])  # the caller may have found sojourn on its own sys.path
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
    try:
        # -P: the caller's working directory must not shadow the package.
        done = subprocess.run([sys.executable, "-P", "-m", _WORKER], input=sink.getvalue().to_pybytes(),
                              capture_output=True, check=True, env=env)  # fmt: skip
        with pa.ipc.open_stream(done.stdout) as reader:
            table: pa.Table = reader.read_all()
    except (OSError, subprocess.CalledProcessError, pa.ArrowInvalid) as error:
        # sys.executable is not always Python (an embedding server): the share is still computed.
        _logger.warning("name worker failed (%s); computing its %d names in this process", error, len(names))
        return _serial_table(names)
    return table


def name_table(names: Sequence[str], *, workers: int | None = None) -> pa.Table:
    """``NAME_COLUMNS`` of each name (``name_zh``, ``surname``, ``given_name`` joined by ``SEPARATOR``), in order.

    From ``PARALLEL_FROM`` names on, one share per core (``workers``: the cores this process may
    use), all but the first in worker interpreters; serially below.
    """
    workers = min(_cores() if workers is None else workers, len(names))
    if workers < 2 or len(names) < PARALLEL_FROM:
        return _serial_table(names)
    # Shares in order of the romanized given name: a given name (and the Han names spelled so)
    # then falls in one share, and each process reads the parts of its share only once.
    column = pa.array(names, pa.string())
    given = pc.list_element(pc.split_pattern(column, SEPARATOR), 2)
    order = pc.sort_indices(pa.table({"given": given, "name": column}), [("given", "ascending"), ("name", "ascending")])
    ordered = column.take(order).to_pylist()
    size = -(-len(ordered) // workers)
    shares = [ordered[k : k + size] for k in range(0, len(ordered), size)]
    with ThreadPoolExecutor(max_workers=len(shares) - 1) as threads:  # each thread waits on its worker
        others = [threads.submit(_in_worker, share) for share in shares[1:]]
        first = _serial_table(shares[0])
        table = pa.concat_tables([first, *(future.result() for future in others)])
    return table.take(pc.sort_indices(order))  # back to the callers' order


def _serve() -> None:
    """The worker side of ``name_table``: names as an Arrow stream on stdin, their columns on stdout."""
    with pa.ipc.open_stream(sys.stdin.buffer) as reader:
        names = reader.read_all()["name"].to_pylist()
    table = _serial_table(names)
    with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as writer:
        writer.write_table(table)


if __name__ == "__main__":
    _serve()

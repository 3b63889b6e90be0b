"""Screening benchmark: name_bench quality, a Chinese-name set, and in-process speed at 1M entries.

    .venv/bin/python bench/screening.py [--entries 1000000] [--queries 10000] [--people 2000] [--skip-speed]
    bench/.venv-names/bin/python bench/screening.py [...] [--logic-v2-queries 1000] [--logic-v2-index-entries 50000]

(a) name_bench (nomenklatura, 826 labelled pairs): precision / recall / F1 of compare_names at
    several thresholds, all pairs and Person pairs only.
(b) Chinese names: people drawn by frequency (sojourn.synth.names); positives in pinyin,
    Wade–Giles, Hong Kong, Macau spellings, traditional characters, swapped order, English given
    names; negatives with the same surname (other given names, and homophones). Recall at 1%
    false positives against the negatives, beside rapidfuzz token_sort_ratio on the romanized
    strings. Which variants come from our own tables (circular) is printed per variant.
(c) Speed: an index of N synthetic entries, screen() p50/p99 and decisions/s on mixed queries.

nomenklatura's logic-v2 runs beside each part, in the same process, when nomenklatura imports:
it is installed in the names bench environment only (`bash bench/setup_env.sh --names`, then
`bench/.venv-names/bin/python bench/screening.py`), never in the project's. It scores FtM Person
entities built with followthemoney's model.make_entity, with LogicV2.default_config():
(a) the same name_bench pairs; (b) the same Chinese pairs, and rapidfuzz's romanized strings;
(c) the first --logic-v2-queries of the speed queries, on the candidate entries Sojourn's index
    returns for each (equal candidates: the scoring cost alone), and end to end on a smaller
    list (--logic-v2-index-entries) with nomenklatura's own DuckDB blocking index beside a
    Sojourn index of the same list.
Without nomenklatura the script says logic-v2 was not run and measures the rest.
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from sojourn.core.names import (
    MATCH_THRESHOLD,
    NameRecord,
    compare_names,
    han_forms,
    parse_name,
    passport_pinyin,
)
from sojourn.core.names.index import CandidateIndex, ListEntry, normalize_number
from sojourn.core.names.readings import to_traditional
from sojourn.core.screening import MAX_CANDIDATES, screen
from sojourn.synth.names import draw_given_names, draw_surnames

try:  # the names bench environment only (bench/.venv-names): never a project dependency
    from followthemoney import Dataset, StatementEntity
    from followthemoney import model as ftm_model
    from nomenklatura.blocker import Index as NkIndex
    from nomenklatura.matching import LogicV2
    from nomenklatura.resolver import Linker
    from nomenklatura.store.memory import MemoryStore
except ImportError:
    LogicV2 = None

CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "name_bench" / "cases.csv"
ENGLISH = ("PETER", "DAVID", "MARY", "JOHN", "GRACE", "KELVIN", "ANNA", "ERIC")


def prf(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``score >= threshold`` against the labels."""
    tp = sum(s >= threshold and y for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and not y for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y for s, y in zip(scores, labels, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def name_bench(path: Path) -> tuple[list[dict[str, str]], list[float]]:
    """(a) P/R/F1 on name_bench; the rows and scores, for logic-v2 beside them."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scores = [compare_names(parse_name(r["name1"]), parse_name(r["name2"])).score for r in rows]
    labels = [r["is_match"] == "true" for r in rows]
    person = [k for k, r in enumerate(rows) if r["schema"] == "Person"]
    print(f"## name_bench: {len(rows)} pairs ({len(person)} Person)")
    print("| threshold | P (all) | R (all) | F1 (all) | P (Person) | R (Person) | F1 (Person) |")
    print("|---|---|---|---|---|---|---|")
    for threshold in (0.7, 0.75, MATCH_THRESHOLD, 0.85):
        all_pairs = prf(scores, labels, threshold)
        persons = prf([scores[k] for k in person], [labels[k] for k in person], threshold)
        cells = " | ".join(f"{v:.3f}" for v in (*all_pairs, *persons))
        print(f"| {threshold:.2f} | {cells} |")
    return rows, scores


@cache
def _forms(surname: str, given: str) -> dict[str, str]:
    """Romanized renderings of a Han name: ours (circular) and pypinyin's (independent of our tables)."""
    forms = han_forms(surname, given)
    passport = passport_pinyin(surname, given)
    wg = [s.upper() for s in lazy_pinyin(surname + given, style=Style.WADEGILES)]
    out = {
        "pinyin (ours)": f"{passport[0]} {passport[1]}",
        "pinyin (pypinyin default readings)": " ".join(
            s.upper().replace("V", "YU") for s in lazy_pinyin(surname + given)
        ),
        "Wade-Giles (pypinyin style)": f"{wg[0]} {'-'.join(wg[1:]).replace(chr(39), '')}",
        "swapped order": f"{passport[1].title()} {passport[0]}",
        "traditional characters": to_traditional(surname + given),
    }
    for label, pairs in (("Hong Kong (ours)", forms.hk), ("Macau (ours)", forms.macau)):
        spaced = sorted((s, g) for s, g in pairs if " " in g or len(given) == 1)
        if spaced:
            out[label] = f"{spaced[0][0]} {spaced[0][1].title()}"
    if "Hong Kong (ours)" in out:
        out["HK + English name"] = (
            f"{out['Hong Kong (ours)']}, {ENGLISH[len(given + surname) % len(ENGLISH)]}"
        )
    return out


def _chinese_pairs(
    people: int, seed: int
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, bool]]]:
    """(variant, han, text, baseline query) positives; (han, other han, its pinyin, homophone?) negatives."""
    rng = np.random.default_rng(seed)
    sexes = rng.choice(np.array(["M", "F"]), size=people * 3)
    surnames = [str(s) for s in draw_surnames(rng, people * 3)]
    givens = [str(g) for g in draw_given_names(rng, sexes)]
    by_reading: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    by_surname: defaultdict[str, set[str]] = defaultdict(set)
    for s, g in zip(surnames, givens, strict=True):
        by_reading[(s, passport_pinyin(s, g)[1])].add(g)
        by_surname[s].add(g)
    positives, negatives = [], []
    pick = random.Random(seed)
    for s, g in zip(surnames[:people], givens[:people], strict=True):
        passport = " ".join(passport_pinyin(s, g))
        for label, text in _forms(s, g).items():
            positives.append((label, s + g, text, passport))
        homophones = sorted(by_reading[(s, passport_pinyin(s, g)[1])] - {g})
        others = sorted(by_surname[s] - {g} - set(homophones))
        for other in [*homophones[:1], *pick.sample(others, min(2, len(others)))]:
            negatives.append((s + g, s + other, " ".join(passport_pinyin(s, other)), other in homophones))
    return positives, negatives


def _recall_at_fpr(pos: list[float], neg: list[float], fpr: float = 0.01) -> tuple[float, float]:
    """(recall, threshold) at the lowest threshold that keeps false positives at or below ``fpr``."""
    ranked = sorted(neg, reverse=True)
    allowed = int(fpr * len(ranked))
    threshold = ranked[allowed] + 1e-9 if allowed < len(ranked) else 0.0
    return sum(p >= threshold for p in pos) / len(pos), threshold


ChineseScores = tuple[
    list[tuple[str, str, str, str]],
    list[tuple[str, str, str, bool]],
    list[float],
    list[float],
    list[float],
    list[float],
]


def chinese_names(people: int, seed: int) -> ChineseScores:
    """(b) recall at 1% FPR against same-surname negatives, ours beside rapidfuzz; the pairs and scores."""
    positives, negatives = _chinese_pairs(people, seed)

    def ours(a: str, b: str) -> float:
        return compare_names(parse_name(a), parse_name(b)).score

    def baseline(a: str, b: str) -> float:
        return fuzz.token_sort_ratio(a, b) / 100.0

    neg_ours = [ours(a, b) for a, b, _, _ in negatives]
    neg_base = [baseline(" ".join(passport_pinyin(a[:1], a[1:])), pb) for a, _, pb, _ in negatives]
    plain = [k for k, n in enumerate(negatives) if not n[3]]
    pos_ours = [ours(han, text) for _, han, text, _ in positives]
    # The baseline compares romanized strings; a Han variant is romanized with our passport pinyin.
    pos_base = [
        baseline(query, text if text.isascii() else query) if label != "traditional characters" else 1.0
        for label, _, text, query in positives
    ]
    r_ours, t_ours = _recall_at_fpr(pos_ours, neg_ours)
    r_base, t_base = _recall_at_fpr(pos_base, neg_base)
    fpr = sum(s >= MATCH_THRESHOLD for s in neg_ours) / len(neg_ours)
    recall = sum(s >= MATCH_THRESHOLD for s in pos_ours) / len(pos_ours)
    print(
        f"\n## Chinese names: {people} people, {len(positives)} positive pairs, {len(negatives)} same-surname negatives"
    )
    print(
        f"recall at 1% FPR: ours {r_ours:.3f} (threshold {t_ours:.3f}); rapidfuzz token_sort_ratio {r_base:.3f} (threshold {t_base:.3f})"
    )
    r_plain, t_plain = _recall_at_fpr(pos_base, [neg_base[k] for k in plain])
    r_mine_plain, _ = _recall_at_fpr(pos_ours, [neg_ours[k] for k in plain])
    print(
        f"without homophone negatives ({len(plain)}): ours {r_mine_plain:.3f}; "
        f"rapidfuzz {r_plain:.3f} (threshold {t_plain:.3f})"
    )
    print(f"at MATCH_THRESHOLD {MATCH_THRESHOLD}: ours recall {recall:.3f}, FPR {fpr:.3f}")
    print("| variant | ours | rapidfuzz |\n|---|---|---|")
    for label in dict.fromkeys(label for label, *_ in positives):
        ks = [k for k, p in enumerate(positives) if p[0] == label]
        mine = sum(pos_ours[k] >= t_ours for k in ks) / len(ks)
        theirs = sum(pos_base[k] >= t_base for k in ks) / len(ks)
        print(f"| {label} | {mine:.3f} | {theirs:.3f} |")
    return positives, negatives, pos_ours, neg_ours, pos_base, neg_base


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


@cache
def _record(kind: str, surname: str, given: str) -> NameRecord:
    if kind == "han":
        return NameRecord.from_han(surname, given)
    if kind == "pinyin":
        return NameRecord.from_parts(*passport_pinyin(surname, given))
    return parse_name(_hk_text(surname, given))


def _hk_text(surname: str, given: str) -> str:
    """``_forms``' "Hong Kong (ours)" rendering (or its pinyin one), without the pypinyin renderings."""
    # Uncached: han_forms' cache (65,536 full NameForms) would sit in the RSS measured for the index.
    forms = han_forms.__wrapped__(surname, given)
    spaced = sorted((s, g) for s, g in forms.hk if " " in g or len(given) == 1)
    if spaced:
        return f"{spaced[0][0]} {spaced[0][1].title()}"
    passport = passport_pinyin(surname, given)
    return f"{passport[0]} {passport[1]}"


def _people(n: int, seed: int) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sexes = rng.choice(np.array(["M", "F"]), size=n)
    births = rng.integers(date(1940, 1, 1).toordinal(), date(2005, 1, 1).toordinal(), size=n)
    return (
        [str(s) for s in draw_surnames(rng, n)],
        [str(g) for g in draw_given_names(rng, sexes)],
        sexes,
        births,
    )


def _entries(n: int, seed: int) -> Iterator[ListEntry]:
    surnames, givens, sexes, births = _people(n, seed)
    kinds = ("han", "han", "pinyin", "hk")
    for k in range(n):
        kind = kinds[k % 4]
        names = (_record(kind, surnames[k], givens[k]),)
        if k % 8 == 0:  # an alias in characters beside a romanized primary name
            names += (_record("han", surnames[k], givens[k]),)
        yield ListEntry(
            entry_id=f"E{k:07d}",
            list_name="synthetic",
            names=names,
            birth_date=date.fromordinal(int(births[k])) if k % 5 else None,
            birth_year=date.fromordinal(int(births[k])).year,
            sex=str(sexes[k]),
            nationality="CHN",
            id_numbers=(f"{k:018d}",) if k % 2 else (),
            doc_numbers=(f"E{k:08d}",) if k % 3 == 0 else (),
            action=("hold", "refer", "notify")[k % 3],
        )


def _query_specs(n_entries: int, n: int, seed: int) -> list[dict[str, Any]]:
    """screen()'s keyword arguments for the speed queries (the same ones logic-v2 gets)."""
    surnames, givens, _, births = _people(n_entries, seed)
    rng = random.Random(seed + 1)
    western = ["Olaf Scholz", "Maria Gonzalez", "John Smith", "Ahmed Hassan", "Anna Kowalska"]
    out: list[dict[str, Any]] = []
    for q in range(n):
        k = rng.randrange(n_entries)
        s, g, born = surnames[k], givens[k], date.fromordinal(int(births[k]))
        kind = q % 10
        if kind < 4:  # exact: characters and birth date
            out.append({"name": s + g, "birth_date": born})
        elif kind < 7:  # a variant spelling
            text = list(_forms(s, g).values())[q % 7]
            out.append({"name": text, "birth_date": born})
        elif kind < 9:  # no hit
            text = f"{western[q % 5]} {rng.choice('ABCDEFGH')}"
            out.append({"name": text, "birth_date": date(1970, 1, 1)})
        else:
            out.append({"name": None, "id_number": f"{k:018d}"})
    return out


def _queries(n_entries: int, n: int, seed: int) -> list[Callable[[CandidateIndex], object]]:
    return [lambda i, kw=kw: screen(i, **kw) for kw in _query_specs(n_entries, n, seed)]


def speed(
    entries: int, queries: int, seed: int, beside: Callable[[CandidateIndex], None] | None = None
) -> None:
    """(c) build time, memory, and screen() latency in process; then ``beside(index)`` (logic-v2)."""
    calls = _queries(entries, queries, seed)  # before the build, so RSS counts the index only
    gc.collect()
    before = _rss_mb()
    start = time.perf_counter()
    index = CandidateIndex.build(_entries(entries, seed))
    built = time.perf_counter() - start
    for cached in (_record, _forms, han_forms, passport_pinyin):  # the generator's caches, not the index
        cached.cache_clear()
    gc.collect()
    after = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n## Speed: {len(index):,} entries, {len(index.names):,} distinct names, {len(index.key_names):,} name keys ({len(index.key_hashes):,} distinct)"
    )
    print(
        f"build {built:.1f} s; RSS {before:.0f} → {after:.0f} MB (+{after - before:.0f} MB; peak {peak:.0f} MB)"
    )
    for call in calls[:200]:
        call(index)  # warm the caches a service would have warm
    times = []
    decisions: defaultdict[str, int] = defaultdict(int)
    total = time.perf_counter()
    for call in calls:
        t0 = time.perf_counter_ns()
        result = call(index)
        times.append(time.perf_counter_ns() - t0)
        decisions[result.decision] += 1  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - total
    p50, p99 = np.percentile(times, [50, 99]) / 1e6
    print(
        f"screen(): {queries} queries, p50 {p50:.2f} ms, p99 {p99:.2f} ms, {queries / elapsed:,.0f} decisions/s (1 core)"
    )
    print(f"decisions: {dict(decisions)}")
    lookups = []
    for text in ["ZHANG Wei", "CHEUNG Wai", "张伟", "CHAN Tai Man", "Olaf Scholz", "LI Ming"] * 200:
        record = parse_name(text)
        t0 = time.perf_counter_ns()
        index.lookup(record)
        lookups.append(time.perf_counter_ns() - t0)
    l50, l99 = np.percentile(lookups, [50, 99]) / 1e3
    print(f"index.lookup() alone (keys + searchsorted, parsed name): p50 {l50:.0f} µs, p99 {l99:.0f} µs")
    if beside is not None:
        beside(index)
    del index
    for cached in (_record, _forms, han_forms, passport_pinyin):
        cached.cache_clear()
    start = time.perf_counter()
    for _ in _entries(entries, seed):
        pass
    generated = time.perf_counter() - start
    print(f"of the build, generating the entries alone (same generator, cold caches): {generated:.1f} s")


# --- nomenklatura logic-v2 beside Sojourn, in the same process (bench/.venv-names only) -------

LV2_THRESHOLD = 0.7  # logic-v2's own default (yente's match threshold)
LV2_WARM = 200  # queries run before timing, as Sojourn's speed part does
_lv2_ids = itertools.count()


def _lv2_about() -> str:
    return (
        f"nomenklatura {version('nomenklatura')} `{LogicV2.NAME}` (LogicV2), followthemoney "
        f"{version('followthemoney')}, rigour {version('rigour')}; LogicV2.default_config() "
        "(no weight or option changed)"
    )


def _ftm(schema: str = "Person", **props: str | Iterable[str] | None) -> Any:
    """An FtM entity (followthemoney's model.make_entity) with a fresh id; empty values left out."""
    entity = ftm_model.make_entity(schema)
    entity.id = f"lv2-{next(_lv2_ids)}"
    for prop, values in props.items():
        for value in [values] if isinstance(values, str) else values or ():
            if value:
                entity.add(prop, value)
    return entity


def _lv2(query: Any, result: Any) -> float:
    return float(LogicV2.compare(query, result, _lv2_config()).score)


@cache
def _lv2_config() -> Any:
    return LogicV2.default_config()


def _cells(p: float, r: float, f: float) -> str:
    return f"{p:.3f} / {r:.3f} / {f:.3f}"


def _best_f1(scores: list[float], labels: list[bool]) -> tuple[float, float]:
    """(best F1, its threshold) over thresholds 0.30–0.95 in steps of 0.01."""
    return max((prf(scores, labels, t / 100)[2], t / 100) for t in range(30, 96))


def lv2_name_bench(rows: list[dict[str, str]], ours: list[float]) -> None:
    """(a) logic-v2 on the same name_bench pairs, beside Sojourn's scores."""
    start = time.perf_counter()
    theirs = [_lv2(_ftm(r["schema"], name=r["name1"]), _ftm(r["schema"], name=r["name2"])) for r in rows]
    elapsed = time.perf_counter() - start
    labels = [r["is_match"] == "true" for r in rows]
    person = [k for k, r in enumerate(rows) if r["schema"] == "Person"]
    print(f"\n## name_bench beside logic-v2: the same {len(rows)} pairs, same process")
    print(
        f"logic-v2: {_lv2_about()}. Each pair as two entities of the row's schema with `name` only "
        f"(query name1, result name2), as nomenklatura's own name_bench harness builds them; "
        f"{len(rows)} pairs in {elapsed:.1f} s."
    )
    print(
        "| threshold | Sojourn P / R / F1 (all) | logic-v2 P / R / F1 (all) | Sojourn (Person) | logic-v2 (Person) |"
    )
    print("|---|---|---|---|---|")
    for threshold in sorted({LV2_THRESHOLD, 0.75, MATCH_THRESHOLD, 0.85}):
        cells = [_cells(*prf(ours, labels, threshold)), _cells(*prf(theirs, labels, threshold))]
        for scores in (ours, theirs):
            cells.append(_cells(*prf([scores[k] for k in person], [labels[k] for k in person], threshold)))
        print(f"| {threshold:.2f} | {' | '.join(cells)} |")
    (f_ours, t_ours), (f_theirs, t_theirs) = _best_f1(ours, labels), _best_f1(theirs, labels)
    print(
        f"best F1 over thresholds 0.30–0.95 (all pairs): Sojourn {f_ours:.3f} at {t_ours:.2f}; "
        f"logic-v2 {f_theirs:.3f} at {t_theirs:.2f}"
    )
    mine = [s >= MATCH_THRESHOLD for s in ours]
    other = [s >= LV2_THRESHOLD for s in theirs]
    both = sum(a == y and b == y for a, b, y in zip(mine, other, labels, strict=True))
    only_ours = sum(a == y and b != y for a, b, y in zip(mine, other, labels, strict=True))
    only_theirs = sum(a != y and b == y for a, b, y in zip(mine, other, labels, strict=True))
    print(
        f"each at its own default (Sojourn {MATCH_THRESHOLD}, logic-v2 {LV2_THRESHOLD}): both right {both}, "
        f"only Sojourn right {only_ours}, only logic-v2 right {only_theirs}, both wrong "
        f"{len(rows) - both - only_ours - only_theirs}"
    )


def _passport(han: str) -> str:
    return " ".join(passport_pinyin(han[:1], han[1:]))


def lv2_chinese(scored: ChineseScores) -> None:
    """(b) logic-v2 on the same Chinese pairs, and on rapidfuzz's romanized strings."""
    positives, negatives, pos_ours, neg_ours, pos_base, neg_base = scored
    start = time.perf_counter()
    # The same pairs Sojourn scores: query = the rendering (or the other person), result = the Han name on the list.
    pos_lv2 = [_lv2(_ftm(name=text), _ftm(name=han)) for _, han, text, _ in positives]
    neg_lv2 = [_lv2(_ftm(name=other), _ftm(name=han)) for han, other, _, _ in negatives]
    # The strings rapidfuzz sees: the list name in passport pinyin, a Han rendering romanized the same way.
    pos_rom = [
        _lv2(_ftm(name=text if text.isascii() else query), _ftm(name=query))
        for _, _, text, query in positives
    ]
    neg_rom = [_lv2(_ftm(name=other), _ftm(name=_passport(han))) for han, _, other, _ in negatives]
    elapsed = time.perf_counter() - start
    plain = [k for k, n in enumerate(negatives) if not n[3]]
    methods = {
        "Sojourn (`compare_names`)": (pos_ours, neg_ours),
        "logic-v2, same pairs": (pos_lv2, neg_lv2),
        "logic-v2 on rapidfuzz's romanized strings": (pos_rom, neg_rom),
        "rapidfuzz `token_sort_ratio`": (pos_base, neg_base),
    }
    print(
        f"\n## Chinese names beside logic-v2: the same {len(positives)} positive pairs and "
        f"{len(negatives)} same-surname negatives"
    )
    print(
        f"logic-v2: {_lv2_about()}; Person entities with `name` only; {2 * (len(positives) + len(negatives))} "
        f"comparisons in {elapsed:.1f} s. 'Same pairs': query the rendering (or the other person), result the "
        "Han name on the list. 'Romanized': rapidfuzz's inputs (the list name in passport pinyin against the "
        "rendering; a rendering in characters romanized the same way)."
    )
    print(f"| | {' | '.join(methods)} |")
    print(f"|---{'|---' * len(methods)}|")
    rows: dict[str, list[str]] = defaultdict(list)
    thresholds = {}
    for label, (pos, neg) in methods.items():
        recall, threshold = _recall_at_fpr(pos, neg)
        thresholds[label] = threshold
        rows["recall at 1% FPR (threshold)"].append(f"{recall:.3f} ({min(threshold, 1.0):.3f})")
        r_plain, t_plain = _recall_at_fpr(pos, [neg[k] for k in plain])
        rows["without homophone negatives"].append(f"{r_plain:.3f} ({min(t_plain, 1.0):.3f})")
        for cut in (LV2_THRESHOLD, MATCH_THRESHOLD):
            rows[f"recall / FPR at {cut}"].append(
                f"{sum(s >= cut for s in pos) / len(pos):.3f} / {sum(s >= cut for s in neg) / len(neg):.3f}"
            )
        rows["positives scored 0"].append(f"{sum(s == 0 for s in pos) / len(pos):.3f}")
    for name, cells in rows.items():
        print(f"| {name} | {' | '.join(cells)} |")
    print(
        "(a threshold of 0.000 means every negative scored 0, so 'recall at 1% FPR' is the share of positives "
        "scored above 0; 1.000 means the homophones score 1 and nothing passes)"
    )
    print(f"\nper rendering, recall at each one's 1%-FPR threshold above; logic-v2 also at {LV2_THRESHOLD}:")
    print(
        f"| rendering | {' | '.join(methods)} | logic-v2 same pairs ≥ {LV2_THRESHOLD} | logic-v2 romanized ≥ {LV2_THRESHOLD} |"
    )
    print(f"|---{'|---' * (len(methods) + 2)}|")
    for variant in dict.fromkeys(label for label, *_ in positives):
        ks = [k for k, p in enumerate(positives) if p[0] == variant]
        cells = [
            f"{sum(pos[k] >= thresholds[label] for k in ks) / len(ks):.3f}"
            for label, (pos, _) in methods.items()
        ]
        cells += [f"{sum(pos[k] >= LV2_THRESHOLD for k in ks) / len(ks):.3f}" for pos in (pos_lv2, pos_rom)]
        print(f"| {variant} | {' | '.join(cells)} |")
    print("\nexamples (query ~ list name): Sojourn / logic-v2")
    for query, listed in (
        ("Zhang Wei", "张伟"),
        ("ZHANG WEI", "张伟"),
        ("張偉", "张伟"),
        ("CHEUNG Wai", "张伟"),
        ("Wei ZHANG", "ZHANG Wei"),
        ("ZHANG Wei", "ZHANG Wei"),
        ("张伟", "张伟"),
    ):
        ours = compare_names(parse_name(query), parse_name(listed)).score
        print(f"- `{query}` ~ `{listed}`: {ours:.2f} / {_lv2(_ftm(name=query), _ftm(name=listed)):.2f}")


def _entry_props(entry: ListEntry) -> dict[str, list[str]]:
    """An FtM Person's properties for a list entry (clean values: StatementEntity takes them as they are)."""
    born = entry.birth_date.isoformat() if entry.birth_date else str(entry.birth_year or "")
    props = {
        "name": [r.full for r in entry.names],
        "birthDate": [born],
        "gender": [{"M": "male", "F": "female"}.get(entry.sex or "", "")],
        "nationality": [{"CHN": "cn"}.get(entry.nationality or "", (entry.nationality or "").lower())],
        "idNumber": list(entry.id_numbers),
        "passportNumber": list(entry.doc_numbers),
    }
    return {prop: [v for v in values if v] for prop, values in props.items() if any(values)}


def _query_props(kw: dict[str, Any]) -> dict[str, list[str]]:
    """The FtM Person a speed query is: name, birth date, ID number (what screen() gets)."""
    props = {
        "name": [kw.get("name") or ""],
        "birthDate": [kw["birth_date"].isoformat() if kw.get("birth_date") else ""],
        "idNumber": [kw.get("id_number") or ""],
    }
    return {prop: values for prop, values in props.items() if values[0]}


def _ms(times: list[int]) -> tuple[float, float]:
    p50, p99 = np.percentile(times, [50, 99]) / 1e6
    return float(p50), float(p99)


def _candidate_entries(index: CandidateIndex, kw: dict[str, Any]) -> tuple[list[int], int]:
    """The entries screen() would consider for a query (names looked up as screen() does, and number hits)."""
    name = kw.get("name")
    record = parse_name(name) if isinstance(name, str) and name.strip() else None
    numbers = [normalize_number(kw["id_number"])] if kw.get("id_number") else []
    found = index.lookup(record, numbers, limit=MAX_CANDIDATES)
    entries = dict.fromkeys(found.number_hits)
    for name_id in found.name_ids.tolist():
        entries.update(dict.fromkeys(index.entries_of(name_id).tolist()))
    return list(entries), len(found.name_ids)


def _top(query: Any, candidates: list[Any]) -> list[float]:
    """logic-v2 on every candidate, best first, the ten a response would carry."""
    return sorted((_lv2(query, c) for c in candidates), reverse=True)[:10]


def lv2_speed(index: CandidateIndex, specs: list[dict[str, Any]]) -> None:
    """(c) logic-v2 on the candidate entries Sojourn's index returns, beside screen() on the same queries."""
    n = len(specs)
    sojourn, decisions = [], defaultdict(int)
    for kw in specs:
        t0 = time.perf_counter_ns()
        result = screen(index, **kw)
        sojourn.append(time.perf_counter_ns() - t0)
        decisions[result.decision] += 1
    times, names, entries, matched = [], [], [], 0
    for timed, batch in ((False, specs[:LV2_WARM]), (True, specs)):
        for kw in batch:
            found, n_names = _candidate_entries(index, kw)
            candidates = [_ftm(**_entry_props(index.entry(e))) for e in found]  # as a store would hand them
            t0 = time.perf_counter_ns()
            top = _top(_ftm(**_query_props(kw)), candidates)
            if timed:
                times.append(time.perf_counter_ns() - t0)
                names.append(n_names)
                entries.append(len(found))
                matched += bool(top) and top[0] >= LV2_THRESHOLD
    s50, s99 = _ms(sojourn)
    l50, l99 = _ms(times)
    s_rate, l_rate = n / (sum(sojourn) / 1e9), n / (sum(times) / 1e9)
    print(
        f"\n## Speed beside logic-v2: the first {n} of the queries above, the same {len(index):,}-entry index"
    )
    print(
        f"logic-v2: {_lv2_about()}. Each query scores, with LogicV2.compare, every entry behind the candidates "
        "Sojourn's index returns for it (CandidateIndex.lookup as screen() calls it, MAX_CANDIDATES "
        f"{MAX_CANDIDATES} names, plus ID-number hits), as FtM Persons (names, birth date or year, gender, "
        "nationality, ID and passport numbers) built before the clock starts; the clock covers the query "
        f"entity, the comparisons and the sort. Candidate retrieval is free for logic-v2 here; screen() "
        f"includes its lookup. logic-v2 warmed on the first {min(LV2_WARM, n)} queries; screen() timed "
        "again here, warm from the run above. One core."
    )
    print(
        f"candidates per query: names (what Sojourn scores) mean {np.mean(names):.1f}, max {max(names)}; "
        f"entries (what logic-v2 compares) mean {np.mean(entries):.1f}, p99 {np.percentile(entries, 99):.0f}, "
        f"max {max(entries)}; {sum(entries):,} comparisons"
    )
    print("| | p50 ms | p99 ms | queries/s | comparisons/s |\n|---|---|---|---|---|")
    print(
        f"| Sojourn `screen()` (lookup + scoring + decision + explanations) | {s50:.2f} | {s99:.2f} | {s_rate:,.0f} | — |"
    )
    print(
        f"| logic-v2 on the same candidates (scoring only) | {l50:.2f} | {l99:.2f} | {l_rate:,.1f} | "
        f"{sum(entries) / (sum(times) / 1e9):,.0f} |"
    )
    print(
        f"Sojourn ÷ logic-v2: {s_rate / l_rate:.1f}× the queries/s; p50 {l50 / s50:.1f}×, p99 {l99 / s99:.1f}× lower. "
        f"Queries with a match: Sojourn refer/hold {decisions['refer'] + decisions['hold']} of {n}; logic-v2 a "
        f"candidate ≥ {LV2_THRESHOLD}: {matched} of {n}"
    )


def lv2_own_index(entries: int, specs: list[dict[str, Any]], seed: int) -> None:
    """(c) end to end on a smaller list: logic-v2 with nomenklatura's DuckDB blocking index, beside screen()."""
    n = len(specs)
    print(f"\n## End to end beside logic-v2 with nomenklatura's own index: {entries:,} entries, {n} queries")
    start = time.perf_counter()
    index = CandidateIndex.build(_entries(entries, seed))
    built = time.perf_counter() - start
    for kw in specs[:LV2_WARM]:
        screen(index, **kw)
    sojourn, decisions = [], defaultdict(int)
    for kw in specs:
        t0 = time.perf_counter_ns()
        decisions[screen(index, **kw).decision] += 1
        sojourn.append(time.perf_counter_ns() - t0)
    del index
    gc.collect()
    dataset = Dataset.make({"name": "synthetic", "title": "Synthetic list"})
    queries = Dataset.make({"name": "queries", "title": "Screening queries"})
    store = MemoryStore(dataset, Linker({}))
    start = time.perf_counter()
    with store.writer() as writer:
        for entry in _entries(entries, seed):
            data = {"schema": "Person", "id": entry.entry_id, "properties": _entry_props(entry)}
            writer.add_entity(StatementEntity(dataset, data))
    loaded = time.perf_counter() - start
    view = store.default_view()
    with tempfile.TemporaryDirectory(prefix="lv2-nkindex-") as folder:
        blocker = NkIndex(view, Path(folder))
        blocker.con.execute("SET threads = 1")  # one core, as Sojourn and LogicV2 use
        limit = blocker.max_candidates
        start = time.perf_counter()
        blocker.build()
        indexed = time.perf_counter() - start
        subjects = {
            f"Q{k:06d}": StatementEntity(
                queries, {"schema": "Person", "id": f"Q{k:06d}", "properties": _query_props(kw)}
            )
            for k, kw in enumerate(specs)
        }
        start = time.perf_counter()
        blocks = {ident.id: found for ident, found in blocker.match_entities(subjects.values())}
        blocking = time.perf_counter() - start
        blocker.close()
    times, counts, matched = [], [], 0
    for qid, subject in subjects.items():
        t0 = time.perf_counter_ns()
        candidates = [
            e for e in (view.get_entity(ident.id) for ident, _ in blocks.get(qid, [])) if e is not None
        ]
        top = _top(subject, candidates)
        times.append(time.perf_counter_ns() - t0)
        counts.append(len(candidates))
        matched += bool(top) and top[0] >= LV2_THRESHOLD
    s50, s99 = _ms(sojourn)
    l50, l99 = _ms(times)
    s_rate = n / (sum(sojourn) / 1e9)
    l_rate = n / (blocking + sum(times) / 1e9)
    print(
        f"logic-v2: {_lv2_about()}; nomenklatura.blocker.Index (DuckDB {version('duckdb')}, 1 thread, default "
        f"options: max_candidates {limit}) over a MemoryStore of the same entries "
        "as FtM Persons; the queries blocked in one batch (match_entities, as nomenklatura's matching does), "
        "then per query: the candidates fetched from the store, LogicV2.compare on each, sorted. Sojourn: "
        f"CandidateIndex.build of the same entries, screen() per query after {min(LV2_WARM, n)} warm-up queries."
    )
    print(
        f"build: Sojourn index {built:.1f} s; nomenklatura store {loaded:.1f} s + index {indexed:.1f} s. "
        f"logic-v2 candidates per query: mean {np.mean(counts):.1f}, max {max(counts)}"
    )
    print("| | p50 ms | p99 ms | queries/s |\n|---|---|---|---|")
    print(f"| Sojourn `screen()` | {s50:.2f} | {s99:.2f} | {s_rate:,.0f} |")
    print(
        f"| nomenklatura blocking, batch of {n} | — | — | {n / blocking:,.1f} (blocking alone, {blocking:.1f} s) |"
    )
    print(
        f"| logic-v2: fetch + compare + sort per query | {l50:.2f} | {l99:.2f} | {n / (sum(times) / 1e9):,.1f} |"
    )
    print(f"| logic-v2 end to end (blocking + scoring) | — | — | {l_rate:,.1f} |")
    print(
        f"Sojourn ÷ logic-v2 end to end: {s_rate / l_rate:.0f}× the queries/s. Queries with a match: Sojourn "
        f"refer/hold {decisions['refer'] + decisions['hold']} of {n}; logic-v2 ≥ {LV2_THRESHOLD}: {matched} of {n}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the three parts and print Markdown-ready figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--logic-v2-queries",
        type=int,
        default=1000,
        help="speed queries logic-v2 runs (the first N of --queries; ~10-50 queries/s); 0 skips its speed runs",
    )
    parser.add_argument(
        "--logic-v2-index-entries",
        type=int,
        default=50_000,
        help="list size of the end-to-end run with nomenklatura's own index; 0 skips it",
    )
    args = parser.parse_args(argv)
    if LogicV2 is None:
        print(
            "nomenklatura logic-v2: not run (nomenklatura is not installed in this environment; it is in "
            "bench/.venv-names: `bash bench/setup_env.sh --names && bench/.venv-names/bin/python bench/screening.py`)\n"
        )
    rows, scores = name_bench(CASES)
    chinese = chinese_names(args.people, args.seed)
    lv2_queries = (
        min(args.queries, args.logic_v2_queries) if LogicV2 is not None and not args.skip_speed else 0
    )
    if not args.skip_speed:

        def beside(index: CandidateIndex) -> None:
            lv2_speed(index, _query_specs(args.entries, lv2_queries, args.seed))

        speed(args.entries, args.queries, args.seed, beside if lv2_queries else None)
    # logic-v2's quality parts after Sojourn's speed part: run before it, their garbage is reused by
    # the index build and the build's RSS figure reads low (measured: +65 MB instead of +150 MB at 100k).
    if LogicV2 is not None:
        lv2_name_bench(rows, scores)
        lv2_chinese(chinese)
    if lv2_queries and args.logic_v2_index_entries:
        small = args.logic_v2_index_entries
        lv2_own_index(small, _query_specs(small, lv2_queries, args.seed), args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

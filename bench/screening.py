"""Screening benchmark: name_bench quality, a Chinese-name set, and in-process speed at 1M entries.

    .venv/bin/python bench/screening.py [--entries 1000000] [--queries 10000] [--people 2000] [--skip-speed]

(a) name_bench (nomenklatura, 826 labelled pairs): precision / recall / F1 of compare_names at
    several thresholds, all pairs and Person pairs only.
(b) Chinese names: people drawn by frequency (sojourn.synth.names); positives in pinyin,
    Wade–Giles, Hong Kong, Macau spellings, traditional characters, swapped order, English given
    names; negatives with the same surname (other given names, and homophones). Recall at 1%
    false positives against the negatives, beside rapidfuzz token_sort_ratio on the romanized
    strings. Which variants come from our own tables (circular) is printed per variant.
(c) Speed: an index of N synthetic entries, screen() p50/p99 and decisions/s on mixed queries.
    nomenklatura logic-v2 is not installed in the project environment and is not run here.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

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
from sojourn.core.names.index import CandidateIndex, ListEntry
from sojourn.core.names.readings import to_traditional
from sojourn.core.screening import screen
from sojourn.synth.names import draw_given_names, draw_surnames

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


def name_bench(path: Path) -> None:
    """(a) P/R/F1 on name_bench."""
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


def chinese_names(people: int, seed: int) -> None:
    """(b) recall at 1% FPR against same-surname negatives, ours beside rapidfuzz."""
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


def _queries(n_entries: int, n: int, seed: int) -> list[Callable[[CandidateIndex], object]]:
    surnames, givens, _, births = _people(n_entries, seed)
    rng = random.Random(seed + 1)
    western = ["Olaf Scholz", "Maria Gonzalez", "John Smith", "Ahmed Hassan", "Anna Kowalska"]
    out: list[Callable[[CandidateIndex], object]] = []
    for q in range(n):
        k = rng.randrange(n_entries)
        s, g, born = surnames[k], givens[k], date.fromordinal(int(births[k]))
        kind = q % 10
        if kind < 4:  # exact: characters and birth date
            out.append(lambda i, s=s, g=g, b=born: screen(i, name=s + g, birth_date=b))
        elif kind < 7:  # a variant spelling
            text = list(_forms(s, g).values())[q % 7]
            out.append(lambda i, t=text, b=born: screen(i, name=t, birth_date=b))
        elif kind < 9:  # no hit
            text = f"{western[q % 5]} {rng.choice('ABCDEFGH')}"
            out.append(lambda i, t=text: screen(i, name=t, birth_date=date(1970, 1, 1)))
        else:
            out.append(lambda i, k=k: screen(i, name=None, id_number=f"{k:018d}"))
    return out


def speed(entries: int, queries: int, seed: int) -> None:
    """(c) build time, memory, and screen() latency in process."""
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
    del index
    for cached in (_record, _forms, han_forms, passport_pinyin):
        cached.cache_clear()
    start = time.perf_counter()
    for _ in _entries(entries, seed):
        pass
    generated = time.perf_counter() - start
    print(f"of the build, generating the entries alone (same generator, cold caches): {generated:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the three parts and print Markdown-ready figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    name_bench(CASES)
    chinese_names(args.people, args.seed)
    if not args.skip_speed:
        speed(args.entries, args.queries, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

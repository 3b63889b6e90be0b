"""Batch document validation: ``validate_mrz_batch`` against the `mrz` package and PassportEye.

    bash bench/setup_env.sh
    bench/.venv/bin/python bench/documents.py [--rows 1000000] [--sample 50000] [--repeat 3]

One run, one data set: ``--rows`` TD3 zones of PRC passports made with our ``make_td3``
(deterministic, ``--seed``), a few percent with a corrupted check digit (``--corrupt``) or a
misread data digit (``--misread``), as a feed would bring them. Timed on it, each ``--repeat``
times (the median is reported):

* our vectorised ``validate_mrz_batch`` on all rows, as one Arrow string column with lines
  joined by `|` as in the documents import file (and again joined by newlines);
* our scalar ``check_document(mrz=...)`` and ``parse_mrz``, one zone at a time, on a
  ``--sample`` subsample;
* the `mrz` package's ``TD3CodeChecker`` (GPL-3.0: the bench environment only, never a
  project dependency) and PassportEye's text parser ``passporteye.mrz.text.MRZ`` on the same
  subsample (each called as its users call it: the zone text in, a valid/invalid verdict out).

Then agreement: on the subsample, the share of rows where each one's valid/invalid verdict is
the batch's, with a few disagreements and their reasons. A smaller mixed set (TD1, TD2 and TD3
of several states, some TD1 numbers longer than 9 characters) gives a sanity line.

Runs in bench/.venv (made by bench/setup_env.sh), which holds the two anchors, numpy and
pyarrow; sojourn's pure core is imported from src/. PassportEye is installed there without
its OCR dependencies, so only its text module is loaded, by file path.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import statistics
import string
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np
import pyarrow as pa

from sojourn.core.documents import check_document, make_mrz, make_td3, parse_mrz
from sojourn.core.documents.batch import validate_mrz_batch
from sojourn.core.documents.codes import add_years

# Verdicts are pinned to one day so that a rerun gives the same verdicts (expiry is a warning).
TODAY = date(2026, 1, 1)
TARGET_RATE, TARGET_RATIO = 1_000_000, 20

SURNAMES = (  # noqa: SIM905  (word lists read better as words)
    "WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE GAO LIN LUO ZHENG LIANG "
    "XIE SONG TANG HAN FENG DENG CAO PENG ZENG XIAO TIAN DONG YUAN PAN CAI JIANG YU DU YE CHENG WEI "
    "SU LYU DING REN SHEN YAO LU JIANG CUI ZHONG TAN OUYANG SIMA ZHUGE SHANGGUAN"
).split()
SYLLABLES = (  # noqa: SIM905
    "WEI FANG NA XIU YING MIN JING LI QIANG LEI JUN YANG YONG YAN JIE TAO MING CHAO LAN XIA PING "
    "GANG GUI HUA JIAN ZI HAN YU XUAN HAO XIN YI CHEN HONG JUAN WEN BIN HUI KAI LONG PENG RUI SHU"
).split()
# Columns of the check digits in the zone text (lines joined by a newline).
CHECK_COLUMNS = {"TD3": (54, 64, 72, 87, 88), "TD2": (46, 56, 64, 72), "TD1": (14, 37, 45, 60)}
# A misread data digit: document number, birth date or expiry date of line 2.
DATA_COLUMNS = {"TD3": (*range(45, 54), *range(58, 64), *range(66, 72))}


# ---- data -------------------------------------------------------------------------------------


def _given(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 2))))


def _passport_number(rng: random.Random, issued: date) -> str:
    """The PRC ordinary series of the issue date: G before 2012, E + 8 digits, then E + letter + 7."""
    if issued < date(2012, 1, 1):
        return f"G{rng.randrange(10**8):08d}"
    if issued < date(2017, 4, 5):
        return f"E{rng.randrange(10**8):08d}"
    letter = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")  # no I or O
    return f"E{letter}{rng.randrange(10**7):07d}"


def _chn_passport(rng: random.Random) -> str:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(70 * 365))
    issued = max(birth + timedelta(days=30), date(2008, 1, 1) + timedelta(days=rng.randrange(18 * 365)))
    adult = (issued - birth).days >= 16 * 365
    expiry = add_years(issued, 10 if adult else 5) - timedelta(days=1)
    # Most PRC passports carry a letter-coded field in the personal-number slot; some none.
    optional = "".join(rng.choice("ABCDEFGHIJKLMNOP") for _ in range(14)) if rng.random() < 0.8 else ""
    return make_td3(
        surname=rng.choice(SURNAMES),
        given_names=_given(rng),
        document_number=_passport_number(rng, issued),
        nationality="CHN",
        birth_date=birth,
        sex=rng.choice("MF"),
        expiry_date=expiry,
        optional_data=optional,
    )


def _corrupt(zone: str, kind: str, rng: random.Random, *, check: float, misread: float) -> str:
    """A wrong check digit with probability ``check``, else a misread data digit with ``misread``."""
    roll = rng.random()
    if roll < check:
        col = rng.choice(CHECK_COLUMNS[kind])
    elif roll < check + misread and kind in DATA_COLUMNS:
        col = rng.choice(DATA_COLUMNS[kind])
    else:
        return zone
    old = zone[col]
    new = rng.choice([d for d in "0123456789" if d != old and not (old == "<" and d == "0")])
    return zone[:col] + new + zone[col + 1 :]


def td3_feed(rows: int, seed: int, *, check: float, misread: float) -> list[str]:
    """``rows`` PRC passport zones, the same for the same seed."""
    rng = random.Random(seed)
    return [_corrupt(_chn_passport(rng), "TD3", rng, check=check, misread=misread) for _ in range(rows)]


def mixed_feed(rows: int, seed: int, *, check: float) -> list[str]:
    """TD1, TD2 and TD3 of several states in turn (Germany as `D`, as its documents write it);
    one TD1 in 20 has a 12-character number, continued in the optional field."""
    rng = random.Random(seed)
    states = ("CHN", "HKG", "MAC", "D", "FRA", "ITA", "USA", "GBR", "JPN", "KOR", "SGP", "NLD")
    out = []
    for i in range(rows):
        kind = ("TD1", "TD2", "TD3")[i % 3]
        state = rng.choice(states)
        number = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
        if kind == "TD1" and rng.random() < 0.05:
            number += f"{rng.randrange(1000):03d}"
        birth = date(1945, 1, 1) + timedelta(days=rng.randrange(65 * 365))
        fields = {
            "issuer": state, "nationality": state, "surname": rng.choice(SURNAMES),
            "given_names": _given(rng), "document_number": number, "birth_date": birth,
            "sex": rng.choice("MF"), "expiry_date": TODAY + timedelta(days=rng.randrange(1, 3650)),
        }  # fmt: skip
        out.append(_corrupt(make_mrz(kind, fields), kind, rng, check=check, misread=0.0))
    return out


# ---- the anchors ------------------------------------------------------------------------------


def load_passporteye_text() -> ModuleType:
    """``passporteye/mrz/text.py`` alone: ``import passporteye`` would import its OCR pipeline."""
    spec = importlib.util.find_spec("passporteye")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("PassportEye is missing: run `bash bench/setup_env.sh` and use bench/.venv/bin/python")
    path = Path(next(iter(spec.submodule_search_locations))) / "mrz" / "text.py"
    text_spec = importlib.util.spec_from_file_location("passporteye_mrz_text", path)
    assert text_spec is not None and text_spec.loader is not None
    module = importlib.util.module_from_spec(text_spec)
    text_spec.loader.exec_module(module)
    return module


def mrz_package_checker() -> Callable[[str], bool]:
    """The `mrz` package's verdict: its checker of the zone's size; a refused zone is invalid."""
    try:
        from mrz.checker.td1 import TD1CodeChecker
        from mrz.checker.td2 import TD2CodeChecker
        from mrz.checker.td3 import TD3CodeChecker
    except ImportError:
        sys.exit("the mrz package is missing: run `bash bench/setup_env.sh` and use bench/.venv/bin/python")
    by_length = {89: TD3CodeChecker, 73: TD2CodeChecker, 92: TD1CodeChecker}

    def verdict(zone: str) -> bool:
        checker = by_length.get(len(zone))
        if checker is None:
            return False
        try:
            return bool(checker(zone))
        except Exception:  # its prechecks raise on a bad length or character
            return False

    return verdict


def mrz_package_reasons(zone: str) -> str:
    from mrz.checker.td1 import TD1CodeChecker
    from mrz.checker.td2 import TD2CodeChecker
    from mrz.checker.td3 import TD3CodeChecker

    checker = {89: TD3CodeChecker, 73: TD2CodeChecker, 92: TD1CodeChecker}[len(zone)]
    try:
        return "; ".join(checker(zone).report.errors) or "no errors"
    except Exception as error:
        return f"refused: {error}"


def passporteye_checker(text_module: ModuleType) -> Callable[[str], bool]:
    parser = text_module.MRZ

    def verdict(zone: str) -> bool:
        return bool(parser(zone.split("\n")).valid)

    return verdict


def passporteye_reasons(text_module: ModuleType, zone: str) -> str:
    m = text_module.MRZ(zone.split("\n"))
    return f"check digits {m.valid_check_digits}, lengths {m.valid_line_lengths}, misc {m.valid_misc}"


# ---- timing and agreement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall times of the runs of one implementation over ``zones`` zones."""

    name: str
    zones: int
    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def rate(self) -> float:
        return self.zones / self.median


def timed(run: Callable[[], object], repeat: int) -> tuple[float, ...]:
    """The wall time of each of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return tuple(times)


def scalar_verdicts(
    verdict: Callable[[str], bool], zones: Sequence[str], repeat: int
) -> tuple[tuple[float, ...], list[bool]]:
    out: list[bool] = []

    def run() -> None:
        out[:] = [verdict(zone) for zone in zones]

    return timed(run, repeat), out


def ours_check_document(zone: str) -> bool:
    return check_document(mrz=zone, today=TODAY).valid


def ours_parse_mrz(zone: str) -> bool:
    return not any(p.severity == "error" for p in parse_mrz(zone, today=TODAY).problems)


def batch_table(
    zones: Sequence[str], repeat: int, *, separator: str
) -> tuple[tuple[float, ...], pa.Table, float]:
    """Run times of ``validate_mrz_batch`` over the zones as one Arrow column; its table.

    ``separator`` joins the lines: `|` as in the documents import file, or the newline that
    the other parsers are given.
    """
    t0 = time.perf_counter()
    column = pa.array([zone.replace("\n", separator) for zone in zones], pa.large_string())
    to_arrow = time.perf_counter() - t0
    result: list[pa.Table] = []
    runs = timed(lambda: result.append(validate_mrz_batch(column, today=TODAY)), repeat)
    return runs, result[-1], to_arrow


def agreement(
    name: str, verdicts: list[bool], ours: list[bool], zones: list[str], problems: list[str],
    reasons: Callable[[str], str], show: int,
) -> tuple[int, int, list[str]]:  # fmt: skip
    """Rows where ``verdicts`` match ``ours``, and a few disagreements with both sides' reasons."""
    differ = [i for i, (a, b) in enumerate(zip(verdicts, ours, strict=True)) if a != b]
    lines = []
    for i in differ[:show]:
        ours_text = f"ours {'valid' if ours[i] else 'invalid'} ({problems[i] or 'no problems'})"
        theirs = f"{name} {'valid' if verdicts[i] else 'invalid'} ({reasons(zones[i])})"
        lines.append(f"- `{zones[i].replace(chr(10), '|')}`: {ours_text}; {theirs}")
    return len(verdicts) - len(differ), len(differ), lines


# ---- report -----------------------------------------------------------------------------------


def machine_note() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (shared), load average {load}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, pyarrow {pa.__version__}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="TD3 zones in the main feed")
    parser.add_argument("--sample", type=int, default=50_000, help="subsample for the scalar parsers")
    parser.add_argument("--mixed", type=int, default=30_000, help="zones in the mixed TD1/TD2/TD3 set")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the median is reported")
    parser.add_argument("--corrupt", type=float, default=0.03, help="share with a wrong check digit")
    parser.add_argument("--misread", type=float, default=0.01, help="share with a misread data digit")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--show", type=int, default=3, help="disagreements listed per library")
    return parser.parse_args()


Scalar = tuple[str, Callable[[str], bool], Callable[[str], str]]


@dataclass
class Results:
    """What one run measured: timings, agreement, and the lines of the report."""

    rows: int
    sample: int
    invalid: int
    to_arrow: float
    load: float
    timings: list[Timing] = field(default_factory=list)  # the batch first, then the scalar parsers
    agree: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, zones, same, differ
    examples: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)
    batch_newline: Timing = Timing("", 0, (1.0,))

    @property
    def batch_rate(self) -> float:
        return self.timings[0].rate


def scalars_to_compare() -> list[Scalar]:
    text_module = load_passporteye_text()
    return [
        ("ours: check_document(mrz=...), scalar", ours_check_document, lambda z: "same code as the batch"),
        ("ours: parse_mrz, scalar", ours_parse_mrz, lambda z: "same code as the batch"),
        ("`mrz` 0.6.2: TD3CodeChecker (TD1/TD2 in the mixed set)", mrz_package_checker(), mrz_package_reasons),
        ("PassportEye 2.2.2: mrz.text.MRZ", passporteye_checker(text_module),
         lambda z: passporteye_reasons(text_module, z)),
    ]  # fmt: skip


def measure(args: argparse.Namespace, scalars: list[Scalar]) -> Results:
    t0 = time.perf_counter()
    mixed = mixed_feed(args.mixed, args.seed + 1, check=args.corrupt)
    zones = td3_feed(args.rows, args.seed, check=args.corrupt, misread=args.misread)
    print(
        f"generated {args.rows:,} + {args.mixed:,} zones in {time.perf_counter() - t0:.1f} s", file=sys.stderr
    )
    # The mixed set first: it warms the batch code paths before the timed runs of the main feed.
    mixed_runs, mixed_table, _ = batch_table(mixed, args.repeat, separator="|")
    runs, table, to_arrow = batch_table(zones, args.repeat, separator="|")
    newline_runs, newline_table, _ = batch_table(zones, args.repeat, separator="\n")
    assert newline_table.column("valid").equals(table.column("valid"))
    del newline_table
    ours, problems = table.column("valid").to_pylist(), table.column("problems").to_pylist()
    sample = sorted(random.Random(args.seed).sample(range(args.rows), min(args.sample, args.rows)))
    picked = [zones[i] for i in sample]
    ours_picked, problems_picked = [ours[i] for i in sample], [problems[i] for i in sample]
    result = Results(args.rows, len(picked), ours.count(False), to_arrow, os.getloadavg()[0])
    result.timings.append(Timing("ours: validate_mrz_batch, vectorised", args.rows, runs))
    result.batch_newline = Timing("same, lines joined by newlines", args.rows, newline_runs)
    for name, verdict, reasons in scalars:
        scalar_runs, verdicts = scalar_verdicts(verdict, picked, args.repeat)
        result.timings.append(Timing(name, len(picked), scalar_runs))
        same, differ, lines = agreement(
            name, verdicts, ours_picked, picked, problems_picked, reasons, args.show
        )
        result.agree.append((name, len(picked), same, differ))
        result.examples += lines
    result.mixed.append(
        f"Mixed set: {args.mixed:,} zones (TD1, TD2, TD3 in turn), batch {Timing('', args.mixed, mixed_runs).rate:,.0f} MRZ/s"
    )
    result.mixed += mixed_agreement(mixed, mixed_table, scalars, args.show)
    return result


def report(result: Results, repeat: int) -> None:
    print(
        f"\n{result.rows:,} TD3 zones (PRC passports; {result.invalid:,} = {result.invalid / result.rows:.2%} "
        f"invalid by the batch); scalar parsers on {result.sample:,} of them; median of {repeat} runs; "
        f"verdicts as of {TODAY}"
    )
    print(f"machine: {machine_note()}; 1-minute load after the batch runs {result.load:.2f}")
    print(f"(building the Arrow column from Python strings, not timed: {result.to_arrow:.2f} s)\n")
    print("| implementation | zones timed | runs, s | median s | MRZ/s | batch ÷ this |")
    print("|---|---:|---|---:|---:|---:|")
    for t in [result.timings[0], result.batch_newline, *result.timings[1:]]:
        runs = " / ".join(f"{x:.3f}" for x in t.runs)
        ratio = result.batch_rate / t.rate
        print(f"| {t.name} | {t.zones:,} | {runs} | {t.median:.3f} | {t.rate:,.0f} | {ratio:,.1f}× |")
    print("\n| verdict of | zones compared | same as the batch | agreement | disagreements |")
    print("|---|---:|---:|---:|---:|")
    for name, n, same, differ in result.agree:
        print(f"| {name} | {n:,} | {same:,} | {same / n:.4%} | {differ:,} |")
    print("\n" + ("\n".join(result.examples) if result.examples else "No disagreements."))
    print("\n" + "\n".join(result.mixed))
    print("\nTargets (DESIGN.md §8):")
    rate = result.batch_rate
    print(f"- ≥ {TARGET_RATE:,} MRZ/s vectorised: {rate:,.0f} → {_met(rate >= TARGET_RATE)}")
    for t in result.timings[3:]:  # the two libraries
        print(f"- ≥ {TARGET_RATIO}× {t.name}: {rate / t.rate:,.1f}× → {_met(rate / t.rate >= TARGET_RATIO)}")


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def mixed_agreement(zones: list[str], table: pa.Table, scalars: list[Scalar], show: int) -> list[str]:
    """The mixed set's agreement with the batch, one line per scalar parser (untimed)."""
    ours = table.column("valid").to_pylist()
    problems = table.column("problems").to_pylist()
    lines = []
    for name, verdict, reasons in scalars:
        verdicts = [verdict(zone) for zone in zones]
        same, differ, examples = agreement(name, verdicts, ours, zones, problems, reasons, show)
        long = sum(a != b and _long_td1(zone) for a, b, zone in zip(verdicts, ours, zones, strict=True))
        lines.append(
            f"- {name}: {same:,} of {len(zones):,} agree ({same / len(zones):.4%}), {differ:,} differ, "
            f"{long:,} of them TD1 zones with a document number longer than 9 characters"
        )
        lines += ["  " + line for line in examples]
    return lines


def _long_td1(zone: str) -> bool:
    """A TD1 zone whose number-check-digit position holds `<`: the number continues in the optional field."""
    return len(zone) == 92 and zone[14] == "<"


def main() -> None:
    args = parse_args()
    scalars = scalars_to_compare()
    print(f"machine: {machine_note()}", file=sys.stderr)
    report(measure(args, scalars), args.repeat)


if __name__ == "__main__":
    main()

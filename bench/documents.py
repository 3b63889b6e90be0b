"""Batch document validation: ``validate_mrz_batch`` against the `mrz` package and PassportEye.

    bash bench/setup_env.sh
    bench/.venv/bin/python bench/documents.py [--rows 1000000] [--sample 50000] [--repeat 3]

One run, one data set: ``--rows`` TD3 zones of PRC passports made with our ``make_td3``
(deterministic, ``--seed``), a few percent with a corrupted check digit (``--corrupt``) or a
misread data digit (``--misread``), as a feed would bring them. Timed on it, each ``--repeat``
times (the median is reported):

* our vectorised ``validate_mrz_batch`` on all rows, as one Arrow string column;
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
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402  (after src/ is on the path, like the sojourn imports)
import pyarrow as pa  # noqa: E402

from sojourn.core.documents import check_document, make_mrz, make_td3, parse_mrz  # noqa: E402
from sojourn.core.documents.batch import validate_mrz_batch  # noqa: E402
from sojourn.core.documents.codes import add_years  # noqa: E402

# Verdicts are pinned to one day so that a rerun gives the same verdicts (expiry is a warning).
TODAY = date(2026, 1, 1)
TARGET_RATE, TARGET_RATIO = 1_000_000, 20

SURNAMES = (
    "WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE GAO LIN LUO ZHENG LIANG "
    "XIE SONG TANG HAN FENG DENG CAO PENG ZENG XIAO TIAN DONG YUAN PAN CAI JIANG YU DU YE CHENG WEI "
    "SU LYU DING REN SHEN YAO LU JIANG CUI ZHONG TAN OUYANG SIMA ZHUGE SHANGGUAN"
).split()
SYLLABLES = (
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
    """TD1, TD2 and TD3 of several states in turn; one TD1 in 20 has a 12-character number."""
    rng = random.Random(seed)
    states = ("CHN", "HKG", "MAC", "DEU", "FRA", "ITA", "USA", "GBR", "JPN", "KOR", "SGP", "NLD")
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


def timed(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """The median wall time of ``repeat`` runs, and all of them."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def scalar_verdicts(verdict: Callable[[str], bool], zones: Sequence[str], repeat: int) -> tuple[float, list[bool]]:
    out: list[bool] = []

    def run() -> None:
        out[:] = [verdict(zone) for zone in zones]

    seconds, _ = timed(run, repeat)
    return seconds, out


def ours_check_document(zone: str) -> bool:
    return check_document(mrz=zone, today=TODAY).valid


def ours_parse_mrz(zone: str) -> bool:
    return not any(p.severity == "error" for p in parse_mrz(zone, today=TODAY).problems)


def batch_table(zones: Sequence[str], repeat: int) -> tuple[float, pa.Table, float]:
    """Median seconds of ``validate_mrz_batch`` over the zones as one Arrow column; its table."""
    t0 = time.perf_counter()
    column = pa.array(zones, pa.large_string())
    to_arrow = time.perf_counter() - t0
    result: list[pa.Table] = []
    seconds, _ = timed(lambda: result.append(validate_mrz_batch(column, today=TODAY)), repeat)
    return seconds, result[-1], to_arrow


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="TD3 zones in the main feed")
    parser.add_argument("--sample", type=int, default=50_000, help="subsample for the scalar parsers")
    parser.add_argument("--mixed", type=int, default=30_000, help="zones in the mixed TD1/TD2/TD3 set")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the median is reported")
    parser.add_argument("--corrupt", type=float, default=0.03, help="share with a wrong check digit")
    parser.add_argument("--misread", type=float, default=0.01, help="share with a misread data digit")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--show", type=int, default=3, help="disagreements listed per library")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    text_module = load_passporteye_text()
    scalars: list[tuple[str, Callable[[str], bool], Callable[[str], str]]] = [
        ("ours: check_document(mrz=...), scalar", ours_check_document, lambda z: "same code as the batch"),
        ("ours: parse_mrz, scalar", ours_parse_mrz, lambda z: "same code as the batch"),
        ("`mrz` 0.6.2: TD3CodeChecker", mrz_package_checker(), mrz_package_reasons),
        ("PassportEye 2.2.2: mrz.text.MRZ", passporteye_checker(text_module),
         lambda z: passporteye_reasons(text_module, z)),
    ]  # fmt: skip
    print(f"machine: {machine_note()}", file=sys.stderr)

    t0 = time.perf_counter()
    mixed = mixed_feed(args.mixed, args.seed + 1, check=args.corrupt)
    zones = td3_feed(args.rows, args.seed, check=args.corrupt, misread=args.misread)
    print(f"generated {args.rows:,} + {args.mixed:,} zones in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    # The mixed set first: it warms the batch code paths before the timed runs of the main feed.
    mixed_seconds, mixed_table, _ = batch_table(mixed, args.repeat)
    seconds, table, to_arrow = batch_table(zones, args.repeat)
    load = os.getloadavg()[0]
    batch_rate = args.rows / seconds
    ours = table.column("valid").to_pylist()
    problems = table.column("problems").to_pylist()
    sample = sorted(random.Random(args.seed).sample(range(args.rows), min(args.sample, args.rows)))
    picked = [zones[i] for i in sample]
    ours_picked, problems_picked = [ours[i] for i in sample], [problems[i] for i in sample]

    rows = [("ours: validate_mrz_batch, vectorised", args.rows, seconds, batch_rate)]
    agree_rows, notes = [], []
    for name, verdict, reasons in scalars:
        scalar_seconds, verdicts = scalar_verdicts(verdict, picked, args.repeat)
        rows.append((name, len(picked), scalar_seconds, len(picked) / scalar_seconds))
        same, differ, lines = agreement(name, verdicts, ours_picked, picked, problems_picked, reasons, args.show)
        agree_rows.append((name, len(picked), same, differ))
        notes += lines
    mixed_lines = mixed_agreement(mixed, mixed_table, scalars, args.show)

    invalid = ours.count(False)
    print(f"\n{args.rows:,} TD3 zones (PRC passports; {invalid:,} = {invalid / args.rows:.2%} invalid by the batch); "
          f"scalar parsers on {len(picked):,} of them; median of {args.repeat} runs; verdicts as of {TODAY}")
    print(f"machine: {machine_note()}; 1-minute load after the batch runs {load:.2f}")
    print(f"(building the Arrow column from Python strings, not timed: {to_arrow:.2f} s)\n")
    print("| implementation | zones timed | median s | MRZ/s | batch ÷ this |\n|---|---:|---:|---:|---:|")
    for name, n, secs, rate in rows:
        print(f"| {name} | {n:,} | {secs:.3f} | {rate:,.0f} | {batch_rate / rate:,.1f}× |")
    print("\n| verdict of | zones compared | same as the batch | agreement | disagreements |\n|---|---:|---:|---:|---:|")
    for name, n, same, differ in agree_rows:
        print(f"| {name} | {n:,} | {same:,} | {same / n:.4%} | {differ:,} |")
    print("\n" + ("\n".join(notes) if notes else "No disagreements."))
    print(f"\nMixed set: {args.mixed:,} zones (TD1, TD2, TD3 in turn), batch {args.mixed / mixed_seconds:,.0f} MRZ/s")
    print("\n".join(mixed_lines))
    print("\nTargets (DESIGN.md §8):")
    print(f"- ≥ {TARGET_RATE:,} MRZ/s vectorised: {batch_rate:,.0f} → {'met' if batch_rate >= TARGET_RATE else 'NOT met'}")
    for name, _, _, rate in rows[3:]:
        ratio = batch_rate / rate
        print(f"- ≥ {TARGET_RATIO}× {name}: {ratio:,.1f}× → {'met' if ratio >= TARGET_RATIO else 'NOT met'}")


def mixed_agreement(
    zones: list[str], table: pa.Table, scalars: list[tuple[str, Callable[[str], bool], Callable[[str], str]]],
    show: int,
) -> list[str]:  # fmt: skip
    """The mixed set's agreement with the batch, one line per scalar parser (untimed)."""
    ours = table.column("valid").to_pylist()
    problems = table.column("problems").to_pylist()
    lines = []
    for name, verdict, reasons in scalars:
        verdicts = [verdict(zone) for zone in zones]
        same, differ, examples = agreement(name, verdicts, ours, zones, problems, reasons, show)
        lines.append(f"- {name}: {same:,} of {len(zones):,} agree ({same / len(zones):.4%}), {differ:,} differ")
        lines += ["  " + line for line in examples]
    return lines


if __name__ == "__main__":
    main()

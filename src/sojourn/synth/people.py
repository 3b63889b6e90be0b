"""Synthetic persons with known truth, for training and measuring identity resolution.

Each true person is drawn once (Han name by frequency, sex, birth date, a valid ID number, an
ordinary passport) and recorded as an official, a relative, a traveller (a crossing record:
romanized name, one document) or a watch-list entry. A share of the rows are further records of
persons already drawn, as other sources would write them: a second passport, the name spelled in
Hong Kong, Macau or Wade–Giles instead of pinyin, surname and given name swapped, a typing error,
birth-date slips (day and month swapped, year ±1, missing) and the Han characters missing.
Homophones (张伟 / 张卫) arise on their own, as in life: the draw repeats syllables, not people.

Everything derives from the seed; spellings are cached per surname and per given name, so a
million rows take seconds, not minutes.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import numpy as np
import pyarrow as pa

from sojourn.engine.linkage import PERSONS
from sojourn.synth.ids import PROVINCES, check_character
from sojourn.synth.names import draw_given_names, draw_surnames, given_spelling, surname_spelling

SOURCES = ("official", "relative", "traveller", "watchlist")
SOURCE_P = (0.4, 0.3, 0.2, 0.1)  # of first records
DUPLICATE_SOURCE_P = (0.1, 0.1, 0.55, 0.25)  # further records come mostly from crossings and lists
SYSTEMS = ("hk", "macau", "wade_giles")
# Chance of each slip on a further record (independent draws).
SLIPS = {"spelling": 0.35, "second_passport": 0.45, "swapped": 0.08, "typo": 0.1,
         "no_han": 0.5, "dob_swap": 0.05, "dob_year": 0.05, "dob_missing": 0.05}
FOREIGN_NATIONALITIES = ("HKG", "MAC", "TWN", "SGP", "CAN", "USA", "AUS")
_EPOCH = date(1945, 1, 1)
_COUNTIES = [c for p in PROVINCES for c in p[3]]
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@cache
def _surname_in(system: str, surname_zh: str) -> str:
    from sojourn.core.names.romanize import _surname_systems

    spellings = _surname_systems(surname_zh)[system]
    return spellings[0].upper() if spellings else surname_spelling(surname_zh)


@cache
def _given_in(system: str, given_zh: str) -> str:
    from sojourn.core.names.romanize import _given_systems

    combos = _given_systems(given_zh)[system]
    if not combos:
        return given_spelling(given_zh)
    syllables = [s.upper() for s in combos[0]]
    return " ".join(syllables) if system in ("hk", "macau") else "-".join(syllables)


def _id_number(birth: date, male: bool, serial: int) -> str:
    county = _COUNTIES[serial % len(_COUNTIES)]
    sequence = (serial // len(_COUNTIES)) % 500 * 2 + (1 if male else 0)
    first17 = f"{county}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def _passport(serial: int) -> str:
    # A bijective scramble of the serial keeps numbers unique and unordered.
    return f"E{(serial * 7_919_423 + 12_345) % 100_000_000:08d}"


def _typo(rng: np.random.Generator, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text
    at = letters[int(rng.integers(1, len(letters)))]
    if rng.random() < 0.5:
        return text[:at] + text[at + 1 :]
    return text[:at] + _ALPHABET[int(rng.integers(0, 26))] + text[at + 1 :]


def _slipped_birth(rng: np.random.Generator, birth: date) -> date | None:
    roll = rng.random()
    if roll < SLIPS["dob_missing"]:
        return None
    if roll < SLIPS["dob_missing"] + SLIPS["dob_swap"] and birth.day <= 12 and birth.day != birth.month:
        return birth.replace(month=birth.day, day=birth.month)
    if roll < SLIPS["dob_missing"] + SLIPS["dob_swap"] + SLIPS["dob_year"]:
        year = birth.year + (1 if rng.random() < 0.5 else -1)
        return birth.replace(year=year) if (birth.month, birth.day) != (2, 29) else birth
    return birth


def synthetic_persons(n: int, *, seed: int = 7, duplicate_share: float = 0.3) -> tuple[pa.Table, pa.Array]:
    """``n`` PERSONS rows with injected duplicates, and the true person id of each row.

    ``duplicate_share`` of the rows are further records of persons already drawn.
    """
    rng = np.random.default_rng(seed)
    further = int(n * duplicate_share)
    people = n - further
    sexes = np.where(rng.random(people) < 0.55, "M", "F")
    surnames = draw_surnames(rng, people)
    givens = draw_given_names(rng, sexes)
    births = rng.integers(0, 365 * 55, people)
    foreign = rng.random(people) < 0.05
    nationality = [FOREIGN_NATIONALITIES[i % len(FOREIGN_NATIONALITIES)] for i in range(people)]
    # Further records belong to a fifth of the persons, some of whom get several.
    owners = np.sort(np.concatenate([np.arange(people), rng.choice(max(people // 5, 1), further)]))
    first = np.r_[True, owners[1:] != owners[:-1]]
    sources = np.where(first, rng.choice(4, n, p=SOURCE_P), rng.choice(4, n, p=DUPLICATE_SOURCE_P))
    rows: list[dict[str, object]] = []
    serials = iter(range(10, 10 * n + 10))
    used: set[str] = set()
    for row, (person, is_first, source_index) in enumerate(zip(owners, first, sources, strict=True)):
        p = int(person)
        s_zh, g_zh, sex = str(surnames[p]), str(givens[p]), str(sexes[p])
        birth: date | None = _EPOCH + timedelta(days=int(births[p]))
        surname, given = surname_spelling(s_zh), given_spelling(g_zh)
        passport = _passport(p)
        documents = [f"CHN:{passport}"]
        types = ["passport_ordinary"]
        name_zh: str | None = s_zh + g_zh
        if not is_first:
            slip = rng.random(len(SLIPS))
            if slip[0] < SLIPS["spelling"]:
                system = SYSTEMS[int(rng.integers(0, len(SYSTEMS)))]
                surname, given = _surname_in(system, s_zh), _given_in(system, g_zh)
            if slip[1] < SLIPS["second_passport"]:
                second = _passport(people + next(serials))
                official = rng.random() < 0.3
                documents = [f"CHN:{second}"] if rng.random() < 0.7 else [*documents, f"CHN:{second}"]
                types = ["passport_official" if official else "passport_ordinary"] * len(documents)
            if slip[2] < SLIPS["swapped"]:
                surname, given = given.replace("-", "").replace(" ", ""), surname
            if slip[3] < SLIPS["typo"]:
                given = _typo(rng, given)
            if slip[4] < SLIPS["no_han"]:
                name_zh = None
            assert birth is not None
            birth = _slipped_birth(rng, birth)
        label = SOURCES[int(source_index)]
        if label == "traveller":
            if f"traveller:{documents[-1]}" in used:  # one crossing record per document: a new passport
                documents, types = [f"CHN:{_passport(people + next(serials))}"], ["passport_ordinary"]
            documents, types = documents[-1:], types[-1:]
            name_zh = None if rng.random() < 0.8 else name_zh
        elif label == "watchlist" and rng.random() < 0.5:
            documents, types = [], []
        unique_id = {"official": f"official:O{row:07d}", "relative": f"relative:R{row:07d}",
                     "traveller": f"traveller:{documents[0]}" if documents else "",
                     "watchlist": f"watchlist:synthetic:W{row:07d}"}[label]
        used.add(unique_id)
        is_citizen = label in ("official", "relative") or not foreign[p]
        carries_id = label in ("official", "relative") or (label == "watchlist" and rng.random() < 0.3)
        rows.append({
            "unique_id": unique_id,
            "source": label,
            "name_zh": name_zh,
            "surname": surname,
            "given_name": given,
            "birth_date": birth,
            "sex": sex if label != "watchlist" or rng.random() < 0.8 else None,
            "nationality": "CHN" if is_citizen else nationality[p],
            "id_number": _id_number(_EPOCH + timedelta(days=int(births[p])), sex == "M", p) if carries_id else None,
            "documents": documents,
            "document_types": types,
            "events": [f"ev:{row}"] if label == "traveller" else [],
        })
    table = pa.Table.from_pylist(rows, schema=PERSONS)
    truth = pa.array([f"person:{int(p)}" for p in owners], pa.string())
    return table, truth

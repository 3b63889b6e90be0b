"""Injections that exact matching cannot find and identity resolution should (the manifest's ``linkage`` part).

``sojourn reconcile`` ties a crossing to a covered official by document (issuer + number), by
identity number on an identity card, or by the exact name key (the passport spelling's letters),
birth date and sex. Three kinds of people slip past that and are only found by ``sojourn resolve``:

* **second passports**: covered officials who cross (out and back) on a passport the registry does
  not know, under another spelling of their name: Hong Kong or Macau Cantonese on a Hong Kong or
  Macau passport, Wade–Giles on a Taiwan passport, or, on a second PRC passport, given name and
  surname swapped or a one-letter typo; sometimes with the birth date slipped (day and month swapped,
  or the year one off). A crossing never carries the characters, so the Han name is always missing.
  Each variant is checked against every official's (name key, birth date, sex), so reconcile leaves
  the rows unmatched: they belong to nobody and no travel rule sees them.
* **listed travellers**: people on the watch list (recorded in characters and pinyin) who cross on a
  Hong Kong, Macau or Taiwan passport spelled in Cantonese or Wade–Giles, with the same birth date.
* **one person registered twice**: a covered official's parent, recorded a second time under a Hong
  Kong spelling, without characters, with the birth date slipped. A parent at home counts in no
  families-abroad, ties or declaration rule, and the copy is checked not to screen against the list,
  so no existing count moves.

Only people whose characters and passport spelling nobody else in the registry bears are picked,
and none already in another injected anomaly, so each injection stands for exactly one person.
The numbers come from ranges nothing else uses: ``EZ`` 8,000,000–8,999,999 (checked against the
registry), ``H`` + 8 digits (Hong Kong; the feed's own use ``K``), ``MB`` + 7 digits (Macau; the feed's
``MA``) and 9 digits beginning with 3 from Taiwan (the feed has no Taiwan passports).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from sojourn.core.names import han_forms
from sojourn.core.names.index import CandidateIndex, ListEntry, parse_names
from sojourn.core.rules.screening import query_name
from sojourn.core.screening import screen
from sojourn.engine.schema import FEED, name_key
from sojourn.synth.calendar import (
    ABROAD,
    ABROAD_CDF,
    COUNTRIES,
    END,
    PORTS,
    below,
    pick,
    ports_for,
    utc_micros,
)
from sojourn.synth.names import surname_spelling
from sojourn.synth.registry import Frame

VARIANTS = ("hk", "macau", "wade_giles", "swapped", "typo")
TRAVELLER_FORMS = ("hk", "wade_giles", "macau")
SLIPS = ("day_month", "year")
SLIP_EVERY = 3  # every third second-passport injection has its birth date slipped too
SHARE = 0.004  # of officials, for the second passports
MIN_OFFICIALS = 10  # two of each variant, even at the small scale
LISTED_TRAVELLERS = 6
ISSUER = {"hk": "HKG", "macau": "MAC", "wade_giles": "TWN", "swapped": "CHN", "typo": "CHN"}
SECOND_FROM, SECOND_TO = (
    8_000_000,
    9_000_000,
)  # EZ digits for second PRC passports (undeclared ones use 9,000,000+)
# What the manifest's anomalies["linkage"] lists mean (copied into its definitions).
LINKAGE_DEFINITIONS = {
    "second_passport": "a covered official's exit and entry on a passport the registry does not know, under "
    "another spelling (variant: hk, macau, wade_giles, swapped, typo; birth_slip: '', day_month, year); "
    "reconcile leaves both crossings unmatched",
    "listed_traveller": "a watch-list person (entry in characters and pinyin) crossing under a Cantonese or "
    "Wade-Giles spelling with the same birth date and sex",
    "registered_twice": "a covered official's parent recorded a second time (Hong Kong spelling, no characters, "
    "birth date slipped)",
}


@dataclass
class LinkageInjections:
    """Feed rows (FEED columns but event_id, in pairs: exit then entry) and what each pair stands for."""

    rows: pa.Table
    officials: list[dict[str, Any]] = field(default_factory=list)  # per pair of rows, in order
    travellers: list[dict[str, Any]] = field(default_factory=list)  # per pair, after the officials'

    def manifest(self, events: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The manifest part, given the event id of every row of ``rows`` in order."""
        pairs = [events[i : i + 2] for i in range(0, len(events), 2)]
        official = [{**o, "event_ids": pairs[k]} for k, o in enumerate(self.officials)]
        at = len(self.officials)
        travellers = [{**t, "event_ids": pairs[at + k]} for k, t in enumerate(self.travellers)]
        return {"second_passport": official, "listed_traveller": travellers}


def _unique_rows(frame: Frame, *others: Frame) -> list[int]:
    """Rows of ``frame`` with characters and a birth date whose characters and spelling nobody in
    ``frame`` or ``others`` bears (counted over the columns: registers of millions stay cheap)."""
    by_zh: Counter[str] = Counter()
    by_key: Counter[str] = Counter()
    keys = [name_key(s, g) for s, g in zip(frame["surname"], frame["given_name"], strict=True)]
    for f in (frame, *others):
        by_zh.update(f["name_zh"])
        by_key.update(keys if f is frame else map(name_key, f["surname"], f["given_name"]))
    zh, born = frame["name_zh"], frame["birth_date"]
    return [i for i, key in enumerate(keys) if zh[i] and born[i] and by_zh[zh[i]] == 1 and by_key[key] == 1]


def _person(frame: Frame, i: int) -> dict[str, str]:
    """One row's name fields and ``official_id``."""
    return {k: frame[k][i] for k in ("name_zh", "surname", "given_name", "birth_date", "sex", "official_id")}


def _split_han(name_zh: str, surname: str) -> tuple[str, str]:
    """Surname and given name in characters: the passport spelling tells a compound surname (欧阳 OUYANG)."""
    n = 2 if len(name_zh) > 2 and surname_spelling(name_zh[:2]) == surname else 1
    return name_zh[:n], name_zh[n:]


def _spelled(rng: np.random.Generator, kind: str, person: dict[str, str]) -> tuple[str, str] | None:
    """(surname, given name) in the variant ``kind``, or None when it would spell the passport's letters."""
    surname, given = person["surname"], person["given_name"]
    if kind == "swapped":
        options = [(given, surname)]
    elif kind == "typo":
        letters = list(given)
        at = int(rng.integers(len(letters)))
        vowels = "AEIOU" if letters[at] in "AEIOU" else "BCDFGHJKLMNPQRSTWXYZ"
        letters[at] = str(rng.choice([c for c in vowels if c != letters[at]]))
        options = [(surname, "".join(letters))]
    else:
        forms = getattr(han_forms(*_split_han(person["name_zh"], surname)), kind)
        ranked = sorted(forms, key=lambda o: ("-" not in o[1], o))  # hyphenated: the customary way abroad
        hyphenated = sum("-" in o[1] for o in ranked)
        start = int(rng.integers(hyphenated or len(ranked))) if ranked else 0
        options = ranked[start:] + ranked[:start]
    own = name_key(surname, given)
    for option in options:
        if name_key(*option) != own:
            return option
    return None


def _slipped(rng: np.random.Generator, iso: str, kind: str) -> str:
    year, month, day = iso.split("-")
    if kind == "day_month" and int(day) <= 12 and day != month:
        return f"{year}-{day}-{month}"
    shifted = int(year) + (1 if rng.random() < 0.5 else -1)
    return f"{shifted}-{month}-{day}" if (month, day) != ("02", "29") else f"{shifted}-{month}-28"


class _Numbers:
    """Second-passport numbers from ranges nothing else in the dataset uses."""

    def __init__(self, rng: np.random.Generator, taken: set[str]) -> None:
        self.rng, self.used = rng, set(taken)

    def draw(self, issuer: str) -> str:
        while True:
            if issuer == "CHN":
                number = f"EZ{self.rng.integers(SECOND_FROM, SECOND_TO)}"
            elif issuer == "HKG":
                number = f"H{self.rng.integers(10**7, 10**8):08d}"
            elif issuer == "MAC":
                number = f"MB{self.rng.integers(10**6, 10**7):07d}"
            else:
                number = f"3{self.rng.integers(10**7, 10**8):08d}"
            if number not in self.used:
                self.used.add(number)
                return number


def _pairs(rng: np.random.Generator, people: list[dict[str, str]]) -> pa.Table:
    """An exit and the entry after it for each person (surname, given_name, birth_date, sex, issuer,
    number, nationality), somewhere in the calendar."""
    n = len(people)
    u = rng.random((6, n))
    exit_day = 20 + below(u[0], END - 60)
    entry_day = exit_day + 2 + below(u[1], 11)
    country = ABROAD[pick(u[2], ABROAD_CDF)]
    port_x, port_e = ports_for(country, u[3], u[4]), ports_for(country, u[4], u[5])
    micros = np.stack(
        [utc_micros(exit_day, 480 + below(u[3], 600)), utc_micros(entry_day, 600 + below(u[5], 700))], 1
    )

    def twice(key: str) -> list[Any]:
        return [p[key] for p in people for _ in (0, 1)]

    births = np.array(twice("birth_date"), dtype="datetime64[D]")
    columns = {
        "crossed_at": pa.array(micros.ravel(), pa.int64()).cast(FEED.field("crossed_at").type),
        "direction": pa.array(["exit", "entry"] * n, pa.string()),
        "port": pa.array(np.array(PORTS)[np.stack([port_x, port_e], 1).ravel()], pa.string()),
        "doc_type": pa.array(["passport_ordinary"] * 2 * n, pa.string()),
        "doc_issuer": pa.array(twice("issuer"), pa.string()),
        "doc_number": pa.array(twice("number"), pa.string()),
        "surname": pa.array(twice("surname"), pa.string()),
        "given_name": pa.array(twice("given_name"), pa.string()),
        "birth_date": pa.array(births).cast(pa.date32()),
        "sex": pa.array(twice("sex"), pa.string()),
        "nationality": pa.array(twice("issuer"), pa.string()),
        "country": pa.array(np.array(COUNTRIES)[np.repeat(country, 2)], pa.string()),
    }
    return pa.table(columns, schema=FEED.remove(0))


def make_linkage_injections(
    rng: np.random.Generator, *, officials: Frame, relatives: Frame, watchlist: Frame, eligible: set[str],
    official_keys: set[tuple[str, str, str]], taken_numbers: set[str],
) -> LinkageInjections:  # fmt: skip
    """Second passports of officials in ``eligible`` and crossings of listed travellers (see the module).

    ``official_keys`` holds every official's (name key, birth date, sex): no injected row may have one."""
    ids = officials["official_id"]
    unique = [_person(officials, i) for i in _unique_rows(officials, relatives) if ids[i] in eligible]
    order = rng.permutation(len(unique))
    want = max(MIN_OFFICIALS, round(SHARE * len(officials["official_id"])))
    numbers = _Numbers(rng, taken_numbers)
    rows: list[dict[str, str]] = []
    injected: list[dict[str, Any]] = []
    for i in order.tolist():
        if len(injected) >= want:
            break
        person, k = unique[i], len(injected)
        variant = VARIANTS[k % len(VARIANTS)]
        slip = SLIPS[(k // SLIP_EVERY) % len(SLIPS)] if k % SLIP_EVERY == SLIP_EVERY - 1 else ""
        spelled = _spelled(rng, variant, person)
        if spelled is None:
            continue
        birth = _slipped(rng, person["birth_date"], slip) if slip else person["birth_date"]
        if (name_key(*spelled), birth, person["sex"]) in official_keys:
            continue
        issuer = ISSUER[variant]
        row = {"surname": spelled[0], "given_name": spelled[1], "birth_date": birth, "sex": person["sex"],
               "issuer": issuer, "number": numbers.draw(issuer)}  # fmt: skip
        rows.append(row)
        injected.append({"official_id": person["official_id"], "doc_issuer": issuer, "doc_number": row["number"],
                         "variant": variant, "birth_slip": slip, "surname": row["surname"],
                         "given_name": row["given_name"], "birth_date": birth})  # fmt: skip
    travellers = _listed_travellers(rng, watchlist, official_keys, numbers)
    rows += [t.pop("_row") for t in travellers]
    return LinkageInjections(_pairs(rng, rows), injected, travellers)


def _listed_travellers(rng: np.random.Generator, watchlist: Frame, official_keys: set[tuple[str, str, str]],
                       numbers: _Numbers) -> list[dict[str, Any]]:  # fmt: skip
    """Unrelated watch-list people crossing under a Cantonese or Wade–Giles spelling of their name."""
    entries = [{k: watchlist[k][i] for k in ("entry_id", "list", "name_zh", "surname", "given_name", "birth_date",
                                              "sex")} for i in range(len(watchlist["entry_id"]))]  # fmt: skip
    entries = [
        e for e in entries if not e["entry_id"].startswith("WL-H") and e["name_zh"] and e["birth_date"]
    ]
    out: list[dict[str, Any]] = []
    for i in rng.permutation(len(entries)).tolist():
        if len(out) >= LISTED_TRAVELLERS:
            break
        entry = entries[i]
        form = TRAVELLER_FORMS[len(out) % len(TRAVELLER_FORMS)]
        spelled = _spelled(rng, form, entry)
        if spelled is None or (name_key(*spelled), entry["birth_date"], entry["sex"]) in official_keys:
            continue
        issuer = ISSUER[form]
        number = numbers.draw(issuer)
        out.append({"entry_id": entry["entry_id"], "list": entry["list"], "doc_issuer": issuer, "doc_number": number,
                    "variant": form, "surname": spelled[0], "given_name": spelled[1],
                    "birth_date": entry["birth_date"],
                    "_row": {"surname": spelled[0], "given_name": spelled[1], "birth_date": entry["birth_date"],
                             "sex": entry["sex"], "issuer": issuer, "number": number}})  # fmt: skip
    return out


def duplicate_relative(
    rng: np.random.Generator, *, relatives: Frame, officials: Frame, watchlist: Frame, excluded: set[str]
) -> tuple[Frame, list[dict[str, str]]]:
    """The relatives file with one parent at home recorded a second time (Hong Kong spelling, no
    characters, birth date slipped), and the manifest's ``registered_twice`` entry."""
    r = relatives
    parents = [i for i in _unique_rows(r, officials) if r["relationship"][i] == "parent"
               and r["residence_country"][i] == "CHN" and r["relative_id"][i] not in excluded
               and r["official_id"][i] not in excluded]  # fmt: skip
    index = _watchlist_index(watchlist)
    for k in rng.permutation(len(parents)).tolist():
        row = parents[k]
        person = {**_person(r, row), "relative_id": r["relative_id"][row]}
        spelled = _spelled(rng, "hk", person)
        if spelled is None:
            continue
        birth = _slipped(rng, person["birth_date"], "day_month")
        if _screens(index, spelled, birth, person["sex"]):
            continue
        mine = [r for r in relatives["relative_id"] if r.startswith(person["official_id"] + "-")]
        new_id = f"{person['official_id']}-{1 + max(int(r.rsplit('-', 1)[1]) for r in mine)}"
        out = {k: [*v, v[row]] for k, v in relatives.items()}
        out["relative_id"][-1], out["name_zh"][-1] = new_id, ""
        out["surname"][-1], out["given_name"][-1], out["birth_date"][-1] = spelled[0], spelled[1], birth
        return out, [{"official_id": person["official_id"], "relative_id": person["relative_id"],
                      "duplicate_relative_id": new_id, "variant": "hk",
                      "birth_slip": "day_month" if birth[5:7] != person["birth_date"][5:7] else "year"}]  # fmt: skip
    return relatives, []


def _watchlist_index(watchlist: Frame) -> CandidateIndex:
    entries = []
    for i in range(len(watchlist["entry_id"])):
        latin = " ".join(p for p in (watchlist["surname"][i].upper(), watchlist["given_name"][i]) if p)
        names = [p for p in (watchlist["name_zh"][i], latin) if p]
        born = watchlist["birth_date"][i]
        entries.append(ListEntry(entry_id=watchlist["entry_id"][i], list_name=watchlist["list"][i],
                                 names=parse_names(names[0], names[1:]),
                                 birth_date=date.fromisoformat(born) if born else None,
                                 sex=watchlist["sex"][i] or None))  # fmt: skip
    return CandidateIndex.build(entries)


def _screens(index: CandidateIndex, spelled: tuple[str, str], birth: str, sex: str) -> bool:
    result = screen(index, name=query_name("", *spelled), birth_date=date.fromisoformat(birth), sex=sex)
    return any(m.match for m in result.matches)

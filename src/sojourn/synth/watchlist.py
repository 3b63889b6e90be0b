"""Synthetic watch lists: unrelated people, plus a handful who are covered officials or relatives.

``make_watchlist`` writes the rows of ``watchlist.csv`` (DESIGN.md §6 columns). Most entries
are people who are not in the registry: a Han name drawn like the registry's, recorded in
characters and in the passport spelling, with a birth date. A name already borne by anyone in
the registry (same characters, or same passport spelling) is drawn again, so no unrelated
entry can be mistaken for a registry person by name and birth date.

A handful of entries ARE covered officials or their relatives, recorded the way another
authority would record them: in characters (simplified or traditional), in pinyin, or in Hong
Kong, Macau or Wade–Giles spellings (``sojourn.core.names.han_forms``), with the birth date —
sometimes with day and month swapped. Only people whose name is borne by nobody else in the
registry are picked, so each injected entry stands for exactly one person. The manifest lists
them as ``watchlist_official_hit`` (``official_id``, ``entry_id``) and ``watchlist_relative_hit``
(``relative_id``, ``official_id``, ``entry_id``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from sojourn.core.names import han_forms
from sojourn.core.names.index import CandidateIndex, ListEntry, parse_names
from sojourn.core.rules.screening import query_name
from sojourn.core.screening import screen
from sojourn.synth.names import draw_given_names, draw_surnames, romanize
from sojourn.synth.registry import Frame

COLUMNS = ("entry_id", "list", "name_zh", "surname", "given_name", "aliases", "birth_date", "sex",
           "nationality", "id_number", "doc_numbers", "reason", "action", "valid_from", "valid_to")  # fmt: skip
LISTS = ("internal_investigation", "partner_notices")
UNRELATED = 300
OFFICIAL_HITS = 4
RELATIVE_HITS = 4
FORMS = ("characters", "traditional", "pinyin", "hk", "macau", "wade_giles")
SWAP_SHARE = 0.25  # of injected entries whose birth date has day and month swapped (when it can be)
REASONS = ("investigation file", "partner notice", "absconded suspect", "fraud inquiry")
ACTIONS = ("refer", "hold", "notify")


@dataclass
class Watchlist:
    frame: Frame
    anomalies: dict[str, list[dict[str, str]]]


def _compact(surname: str, given: str) -> str:
    return (surname + given).replace(" ", "").replace("-", "").upper()


def _registry_people(officials: Frame, relatives: Frame) -> list[dict[str, str]]:
    """Officials and relatives as dicts with ``official_id``, ``relative_id`` and the name fields."""
    people = [
        {"official_id": officials["official_id"][i], "relative_id": "", **_fields(officials, i)}
        for i in range(len(officials["official_id"]))
    ]
    people += [
        {
            "official_id": relatives["official_id"][i],
            "relative_id": relatives["relative_id"][i],
            **_fields(relatives, i),
        }
        for i in range(len(relatives["relative_id"]))
    ]
    return people


def _fields(frame: Frame, i: int) -> dict[str, str]:
    return {k: frame[k][i] for k in ("name_zh", "surname", "given_name", "birth_date", "sex")}


def _spelling(
    rng: np.random.Generator, form: str, person: dict[str, str], surname_len: int
) -> tuple[str, str, str]:
    """(name_zh, surname, given_name) of a person's name recorded in ``form``."""
    name_zh = person["name_zh"]
    forms = han_forms(name_zh[:surname_len], name_zh[surname_len:])
    if form == "characters":
        return name_zh, "", ""
    if form == "traditional":
        return forms.traditional, "", ""
    if form == "pinyin":
        return "", *forms.passport
    options = sorted(getattr(forms, form))
    hyphenated = [o for o in options if "-" in o[1]]  # the customary way of HK, Macau and Taiwan documents
    options = [*hyphenated, *(o for o in options if o not in hyphenated)]
    start = int(rng.integers(len(hyphenated) or len(options)))
    for surname, given in options[start:] + options[:start]:
        if _found(person, surname, given):
            return "", surname, given
    return name_zh, "", ""


def _found(person: dict[str, str], surname: str, given: str) -> bool:
    """Whether continuous screening finds the person under this spelling.

    Some spellings ``han_forms`` lists are not yet matched by the screening core (spaced
    three-syllable Hong Kong names such as TSIU YUK TO); an injected entry is recorded in one
    that is, so the manifest's hits are what the pipeline must find. Matcher recall itself is
    measured by the benchmark, not here.
    """
    entry = ListEntry(entry_id="probe", list_name="probe", names=parse_names(f"{surname} {given}"),
                      birth_date=date.fromisoformat(person["birth_date"]), sex=person["sex"])  # fmt: skip
    result = screen(
        CandidateIndex.build([entry]), name=query_name(person["name_zh"], person["surname"], person["given_name"]),
        birth_date=date.fromisoformat(person["birth_date"]), sex=person["sex"],
    )  # fmt: skip
    return any(m.match for m in result.matches)


def _birth(rng: np.random.Generator, iso: str) -> str:
    """The birth date as recorded: sometimes with day and month swapped (when that is another date)."""
    year, month, day = iso.split("-")
    if rng.random() < SWAP_SHARE and int(day) <= 12 and day != month:
        return f"{year}-{day}-{month}"
    return iso


def _surname_length(person: dict[str, str]) -> int:
    """How many characters of ``name_zh`` are the surname: its passport spelling tells (欧阳 OUYANG)."""
    from sojourn.synth.names import surname_spelling

    for length in (2, 1):
        if surname_spelling(person["name_zh"][:length]) == person["surname"]:
            return length
    return 1


def _injected(
    rng: np.random.Generator, people: list[dict[str, str]]
) -> tuple[list[dict[str, str]], dict[str, list[dict[str, str]]]]:
    """Entries for a handful of officials and relatives with a name no one else in the registry bears."""
    by_zh = Counter(p["name_zh"] for p in people)
    by_latin = Counter(_compact(p["surname"], p["given_name"]) for p in people)
    unique = [p for p in people if p["birth_date"] and p["name_zh"] and by_zh[p["name_zh"]] == 1
              and by_latin[_compact(p["surname"], p["given_name"])] == 1]  # fmt: skip
    officials = [p for p in unique if not p["relative_id"]]
    relatives = [p for p in unique if p["relative_id"]]
    picked = [
        officials[i]
        for i in rng.choice(len(officials), size=min(OFFICIAL_HITS, len(officials)), replace=False)
    ]
    picked += [
        relatives[i]
        for i in rng.choice(len(relatives), size=min(RELATIVE_HITS, len(relatives)), replace=False)
    ]
    rows: list[dict[str, str]] = []
    anomalies: dict[str, list[dict[str, str]]] = {"watchlist_official_hit": [], "watchlist_relative_hit": []}
    for k, person in enumerate(picked):
        entry_id = f"WL-H{k + 1:04d}"
        birth = _birth(rng, person["birth_date"])
        recorded = {**person, "birth_date": birth}
        name_zh, surname, given = _spelling(rng, FORMS[k % len(FORMS)], recorded, _surname_length(person))
        rows.append(
            {
                "entry_id": entry_id,
                "list": LISTS[0],
                "name_zh": name_zh,
                "surname": surname,
                "given_name": given,
                "birth_date": birth,
                "sex": person["sex"],
            }
        )
        if person["relative_id"]:
            anomalies["watchlist_relative_hit"].append(
                {
                    "relative_id": person["relative_id"],
                    "official_id": person["official_id"],
                    "entry_id": entry_id,
                }
            )
        else:
            anomalies["watchlist_official_hit"].append(
                {"official_id": person["official_id"], "entry_id": entry_id}
            )
    return rows, anomalies


def _unrelated(rng: np.random.Generator, people: list[dict[str, str]], n: int) -> list[dict[str, str]]:
    """``n`` people not in the registry: any drawn name a registry person bears is drawn again."""
    taken_zh = {p["name_zh"] for p in people}
    taken_latin = {_compact(p["surname"], p["given_name"]) for p in people}
    rows: list[dict[str, str]] = []
    while len(rows) < n:
        male = rng.random(n) < 0.7
        surnames = draw_surnames(rng, n)
        given = draw_given_names(rng, np.where(male, "M", "F"))
        latin_s, latin_g = romanize(surnames.tolist(), given.tolist())
        births = np.datetime64("1945-01-01") + rng.integers(0, 20000, size=n).astype("timedelta64[D]")
        for i in range(n):
            name_zh = str(surnames[i]) + str(given[i])
            latin = _compact(latin_s[i], latin_g[i])
            if name_zh in taken_zh or latin in taken_latin or len(rows) >= n:
                continue
            taken_zh.add(name_zh)
            taken_latin.add(latin)
            rows.append({"entry_id": f"WL-{len(rows) + 1:05d}", "list": LISTS[len(rows) % len(LISTS)],
                         "name_zh": name_zh, "surname": latin_s[i], "given_name": latin_g[i],
                         "birth_date": str(births[i]), "sex": "M" if male[i] else "F"})  # fmt: skip
    return rows


def make_watchlist(rng: np.random.Generator, officials: Frame, relatives: Frame) -> Watchlist:
    """The watchlist file's rows (unrelated entries, then the injected ones) and the injected hits."""
    people = _registry_people(officials, relatives)
    injected, anomalies = _injected(rng, people)
    rows = _unrelated(rng, people, UNRELATED) + injected
    for k, row in enumerate(rows):
        defaults = {
            "aliases": "", "nationality": "CHN" if k < UNRELATED and rng.random() < 0.8 else "", "id_number": "",
            "doc_numbers": "", "reason": REASONS[int(rng.integers(len(REASONS)))],
            "action": ACTIONS[int(rng.integers(len(ACTIONS)))], "valid_from": "", "valid_to": "",
        }  # fmt: skip
        rows[k] = {**defaults, **row}
    frame: Frame = {column: [row[column] for row in rows] for column in COLUMNS}
    return Watchlist(frame, anomalies)

"""Synthetic travel documents of the officials, in custody at their units' desks, with known anomalies.

Most officials hold one ordinary e-passport (``E`` + 8 digits, or ``E`` + letter + 7 digits
when issued on or after 2017-04-05), valid ten years, with a zone built from the registry
record (passport spelling, birth date, sex; code ``PO``). A share also hold a card permit to
Hong Kong and Macau (``C`` + 8 digits, or ``C`` + letter + 7 from December 2018; number
only), and some have their earlier passport on file, cancelled at renewal or expired (``G``
+ 8 digits when issued before 2012, either series until 2014). Every date fits its series
and validity period (specs/documents.md §2.1) and every document is issued to an adult.
Documents are in custody, except the injected anomalies below.

Injected anomalies, each listed in the manifest with the official and the document number:

* ``document_forged_zone``: one check digit of the zone corrupted;
* ``document_cloned_number``: one passport number recorded for two officials (both listed);
* ``document_zone_conflict``: a valid zone whose birth date is not the registry's;
* ``document_duplicate_holding``: a second valid ordinary passport, or an official
  (service / public-affairs) passport beside the ordinary one (the extra one listed);
* ``document_not_handed_in``: a recently covered official's passport, issued before the
  official became covered, not handed in;
* ``document_new_undelivered``: a passport issued after the official became covered, not
  delivered;
* ``document_out_of_custody``: a passport checked out with no trip behind it.

Nothing else can raise the rules these feed: numbers are unique apart from the clones, the
earlier passports are no longer valid, and only the injected documents are out of custody or
not handed in. ``ANOMALY_RULES`` names the rule that should flag each kind.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import numpy.typing as npt

from sojourn.core.documents import make_td3
from sojourn.core.documents.cn import (
    C_LETTER_FIRST_ISSUE,
    C_SERIES_FIRST_ISSUE,
    E_LETTER_FIRST_ISSUE,
    E_SERIES_FIRST_ISSUE,
    G_SERIES_LAST_ISSUE,
)
from sojourn.synth.registry import AS_OF, Frame, Officials, days, iso

Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Texts = npt.NDArray[np.str_]

PASSPORT_SHARE = 0.93  # of living officials
PERMIT_SHARE = 0.2
EARLIER_SHARE = 0.15  # current passport holders whose earlier passport is on file
OUT_OF_CUSTODY_SHARE = 0.01
ANOMALY_SHARE = 0.002  # of officials, for each other kind (clones: pairs)
MIN_ANOMALIES = 2
RECENTLY_COVERED_DAYS = 730
ADULT_DAYS = 6576  # a little over 18 years: no document here is issued to a minor
CURRENT_DAYS = 3640  # a current document was issued at most this long before AS_OF: valid at AS_OF
CLONE_SOURCE_DAYS = 1826  # a cloned number comes from a passport issued in the last 5 years
SERIES_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))  # never I or O
CHECK_DIGITS = (9, 19, 27, 43)  # number, birth date, expiry date and composite check digits on line 2

ANOMALY_RULES = {
    "document_forged_zone": "document.forgery_suspected",
    "document_cloned_number": "document.identity_conflict",
    "document_zone_conflict": "document.identity_conflict",
    "document_duplicate_holding": "document.duplicate_holding",
    "document_not_handed_in": "custody.intake_overdue",
    "document_new_undelivered": "custody.new_document_undelivered",
    "document_out_of_custody": "custody.breach",
}


@dataclass
class Documents:
    """The documents import file and the injected anomalies, by manifest key."""

    frame: Frame
    anomalies: dict[str, list[dict[str, str]]]


@dataclass
class _Docs:
    """Documents as parallel arrays; ``zone_birth`` is the birth date a zone will carry (NaT: no zone)."""

    owner: Ints
    doc_type: Texts
    issue: Dates
    expiry: Dates
    status: Texts
    custody: Texts
    prefix: Texts
    width: Ints
    zone_birth: Dates


def _concat(parts: list[_Docs]) -> _Docs:
    return _Docs(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Docs)))


def _day(value: date) -> np.datetime64:
    return np.datetime64(value, "D")


def _between(rng: np.random.Generator, low: Dates, high: Dates) -> Dates:
    """A day drawn uniformly from ``low`` to ``high`` (both included; ``high`` raised to ``low`` if below)."""
    span = (np.maximum(high, low) - low).astype(np.int64) + 1
    return (low + days((rng.random(len(low)) * span).astype(np.int64))).astype("datetime64[D]")


def _plus_years(day: Dates, years: int) -> Dates:
    """The same calendar day ``years`` later; 29 February becomes 28 February (as ``add_years``)."""
    month = day.astype("datetime64[M]")
    target = month + np.timedelta64(12 * years, "M")
    out: Dates = target.astype("datetime64[D]") + (day - month.astype("datetime64[D]"))
    over = out.astype("datetime64[M]") != target
    out[over] = (target[over] + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return out


def _expiry(issue: Dates, years: int) -> Dates:
    """Valid ``years`` years: the day before the anniversary."""
    out: Dates = _plus_years(issue, years) - np.timedelta64(1, "D")
    return out


def _letters(issue: Dates, first: date) -> Texts:
    """The series letter in use on each date: A on the series' first day, moving on to Z by AS_OF."""
    elapsed = (issue - _day(first)).astype(np.int64)
    total = (_day(AS_OF) - _day(first)).astype(np.int64) + 1
    index = np.clip(elapsed * len(SERIES_LETTERS) // total, 0, len(SERIES_LETTERS) - 1)
    letters: Texts = SERIES_LETTERS[index]
    return letters


def _passport_series(rng: np.random.Generator, issue: Dates) -> tuple[Texts, Ints]:
    """Number prefix and digit count of an ordinary passport issued on each date."""
    lettered = issue >= _day(E_LETTER_FIRST_ISSUE)
    g = (issue < _day(E_SERIES_FIRST_ISSUE)) | (
        (issue <= _day(G_SERIES_LAST_ISSUE)) & (rng.random(len(issue)) < 0.5)
    )
    prefix = np.where(
        lettered, np.char.add("E", _letters(issue, E_LETTER_FIRST_ISSUE)), np.where(g, "G", "E")
    )
    return prefix.astype("<U2"), np.where(lettered, 7, 8)


def _docs(owner: Ints, doc_type: str, issue: Dates, expiry: Dates, prefix: Texts, width: Ints,
          zone_birth: Dates, *, status: str = "valid", custody: str = "in_custody") -> _Docs:  # fmt: skip
    n = len(owner)
    return _Docs(owner, np.full(n, doc_type), issue, expiry, np.full(n, status, dtype="<U9"),
                 np.full(n, custody, dtype="<U13"), prefix.astype("<U2"), width, zone_birth)  # fmt: skip


@dataclass
class _Picks:
    """Officials chosen for each anomaly (disjoint), as indexes into the officials."""

    late: Ints
    new: Ints
    forged: Ints
    conflict: Ints
    duplicate: Ints
    out: Ints
    clones: Ints  # officials whose passport carries a copied number
    rest: Ints  # the other active passport holders, in random order


def _pick(rng: np.random.Generator, off: Officials, holds: npt.NDArray[np.bool_]) -> _Picks:
    """Disjoint sets of active passport holders; officials not handed in are among the recently covered."""
    n = len(off.ids)

    def want(share: float) -> int:
        return max(MIN_ANOMALIES, round(share * n))

    order = rng.permutation(np.flatnonzero(holds & (off.status == "active")))
    recent = off.covered[order] >= _day(AS_OF) - np.timedelta64(RECENTLY_COVERED_DAYS, "D")
    late = order[recent][: want(ANOMALY_SHARE)]
    rest = order[~np.isin(order, late)]
    sizes = [want(ANOMALY_SHARE)] * 4 + [want(OUT_OF_CUSTODY_SHARE), want(ANOMALY_SHARE / 2)]
    cuts = np.minimum(np.cumsum(sizes), len(rest))
    new, forged, conflict, duplicate, out, clones, others = np.split(rest, cuts)
    return _Picks(late, new, forged, conflict, duplicate, out, clones, rest=others)


def _current_passports(rng: np.random.Generator, off: Officials, holds: npt.NDArray[np.bool_],
                       picks: _Picks) -> tuple[_Docs, Ints]:  # fmt: skip
    """Each holder's current ordinary passport, sorted by official; also the clone sources' officials."""
    today, adult = _day(AS_OF), off.birth + days(np.full(len(off.ids), ADULT_DAYS))
    issue = _between(
        rng, np.maximum(today - np.timedelta64(CURRENT_DAYS, "D"), adult), np.full(len(adult), today - 30)
    )
    late = picks.late
    issue[late] = _between(
        rng, np.maximum(today - np.timedelta64(CURRENT_DAYS, "D"), adult[late]), off.covered[late]
    )
    new = picks.new
    low = np.maximum(np.maximum(off.covered[new] + 1, adult[new]), today - np.timedelta64(365, "D"))
    issue[new] = _between(rng, low, np.full(len(new), today - 8))
    recent = picks.rest[issue[picks.rest] >= today - np.timedelta64(CLONE_SOURCE_DAYS, "D")]
    sources = recent[: len(picks.clones)]
    picks.clones = picks.clones[: len(sources)]
    issue[picks.clones] = issue[sources]  # the copy carries the original's dates too
    custody = np.full(len(adult), "in_custody", dtype="<U13")
    custody[np.concatenate([late, new])] = "not_handed_in"
    custody[picks.out] = "checked_out"
    zone_birth = off.birth.copy()
    shift = (30 + rng.random(len(picks.conflict)) * 370).astype(np.int64)
    zone_birth[picks.conflict] = off.birth[picks.conflict] - days(shift)
    owner = np.flatnonzero(holds)
    prefix, width = _passport_series(rng, issue[owner])
    docs = _docs(owner, "passport_ordinary", issue[owner], _expiry(issue[owner], 10), prefix, width,
                 zone_birth[owner])  # fmt: skip
    docs.custody = custody[owner]
    return docs, sources


def _earlier_passports(rng: np.random.Generator, off: Officials, current: _Docs) -> _Docs:
    """The passport before the current one: cancelled at renewal, or expired before it."""
    chosen = rng.random(len(current.owner)) < EARLIER_SHARE
    owner, renewed = current.owner[chosen], current.issue[chosen]
    issue = renewed - days((3652 - 200 + rng.random(len(owner)) * 380).astype(np.int64))
    adult = off.birth[owner] + days(np.full(len(owner), ADULT_DAYS))
    keep = issue >= adult
    owner, renewed, issue = owner[keep], renewed[keep], issue[keep]
    expiry = _expiry(issue, 10)
    prefix, width = _passport_series(rng, issue)
    docs = _docs(
        owner, "passport_ordinary", issue, expiry, prefix, width, off.birth[owner], custody="not_held"
    )
    docs.status = np.where(expiry < renewed, "expired", "cancelled").astype("<U9")
    return docs


def _permits(rng: np.random.Generator, off: Officials) -> _Docs:
    """Card permits to Hong Kong and Macau, number only, issued since the card series began."""
    owner = np.flatnonzero((off.status != "deceased") & (rng.random(len(off.ids)) < PERMIT_SHARE))
    today = _day(AS_OF)
    low = np.maximum(
        off.birth[owner] + days(np.full(len(owner), ADULT_DAYS)), today - np.timedelta64(CURRENT_DAYS, "D")
    )
    issue = _between(rng, np.maximum(low, _day(C_SERIES_FIRST_ISSUE)), np.full(len(owner), today - 30))
    lettered = issue >= _day(C_LETTER_FIRST_ISSUE)
    prefix = np.where(lettered, np.char.add("C", _letters(issue, C_LETTER_FIRST_ISSUE)), "C")
    no_zone = np.full(len(owner), np.datetime64("NaT"), dtype="datetime64[D]")
    return _docs(
        owner, "permit_hk_macau", issue, _expiry(issue, 10), prefix, np.where(lettered, 7, 8), no_zone
    )


def _duplicates(rng: np.random.Generator, off: Officials, owner: Ints) -> _Docs:
    """A second valid ordinary passport for half of ``owner``, an official passport for the others."""
    today, half = _day(AS_OF), len(owner) // 2
    second, official = owner[:half], owner[half:]
    low = np.maximum(
        off.birth[second] + days(np.full(half, ADULT_DAYS)), today - np.timedelta64(CURRENT_DAYS, "D")
    )
    issue = _between(rng, low, np.full(half, today - 30))
    prefix, width = _passport_series(rng, issue)
    ordinary = _docs(second, "passport_ordinary", issue, _expiry(issue, 10), prefix, width, off.birth[second])
    n = len(official)
    issue = _between(rng, np.full(n, today - np.timedelta64(4 * 365, "D")), np.full(n, today - 30))
    prefix = np.where(rng.random(n) < 0.5, "SE", "PE")
    no_zone = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    service = _docs(official, "passport_official", issue, _expiry(issue, 5), prefix, np.full(n, 7), no_zone)
    return _concat([ordinary, service])


def _numbers(rng: np.random.Generator, prefix: Texts, width: Ints) -> list[str]:
    """Numbers of the given series prefixes and digit counts, never zero, redrawn until all differ."""
    todo = np.arange(len(prefix))
    out = [""] * len(prefix)
    seen: set[str] = set()
    while len(todo):
        drawn = rng.integers(1, 10 ** width[todo])
        clash = []
        for i, p, w, d in zip(
            todo.tolist(), prefix[todo].tolist(), width[todo].tolist(), drawn.tolist(), strict=True
        ):
            number = f"{p}{d:0{w}d}"
            if number in seen:
                clash.append(i)
            else:
                seen.add(number)
                out[i] = number
        todo = np.array(clash, dtype=np.int64)
    return out


def _zones(off: Officials, docs: _Docs, numbers: list[str]) -> list[str]:
    """Zones (lines joined by ``|``) of the documents that have one, from the registry's spelling and sex."""
    surname, given, sex = off.frame["surname"], off.frame["given_name"], off.frame["sex"]
    births = docs.zone_birth.astype(object).tolist()
    expiries = docs.expiry.astype(object).tolist()
    out = []
    for i, owner in enumerate(docs.owner.tolist()):
        birth = births[i]
        if birth is None:
            out.append("")
            continue
        zone = make_td3(document_code="PO", issuer="CHN", nationality="CHN", surname=surname[owner],
                        given_names=given[owner], document_number=numbers[i], birth_date=birth, sex=sex[owner],
                        expiry_date=expiries[i])  # fmt: skip
        out.append(zone.replace("\n", "|"))
    return out


def _corrupt(rng: np.random.Generator, zone: str) -> str:
    """The zone with one check digit of line 2 changed to another digit."""
    at = len(zone.split("|")[0]) + 1 + int(rng.choice(CHECK_DIGITS))
    digit = (int(zone[at]) + int(rng.integers(1, 10))) % 10
    return f"{zone[:at]}{digit}{zone[at + 1 :]}"


def _frame(off: Officials, docs: _Docs, numbers: list[str], zones: list[str]) -> Frame:
    return {
        "official_id": [off.ids[o] for o in docs.owner.tolist()],
        "doc_type": docs.doc_type.tolist(),
        "issuer": ["CHN"] * len(numbers),
        "number": numbers,
        "issue_date": iso(docs.issue),
        "expiry_date": iso(docs.expiry),
        "mrz": zones,
        "status": docs.status.tolist(),
        "custody": docs.custody.tolist(),
    }


def make_documents(rng: np.random.Generator, off: Officials) -> Documents:
    """The officials' documents with the injected anomalies, sorted by official and issue date."""
    holds = (off.status != "deceased") & (rng.random(len(off.ids)) < PASSPORT_SHARE)
    picks = _pick(rng, off, holds)
    current, sources = _current_passports(rng, off, holds, picks)
    parts = [
        current,
        _earlier_passports(rng, off, current),
        _permits(rng, off),
        _duplicates(rng, off, picks.duplicate),
    ]
    docs = _concat(parts)
    order = np.lexsort((docs.issue, docs.owner))
    docs = _Docs(*(getattr(docs, f.name)[order] for f in fields(_Docs)))
    row = np.empty(len(order), dtype=np.int64)
    row[order] = np.arange(len(order))  # original position → row in the file
    passport = np.full(len(off.ids), -1, dtype=np.int64)
    passport[current.owner] = row[: len(current.owner)]
    numbers = _numbers(rng, docs.prefix, docs.width)
    for copy, source in zip(passport[picks.clones].tolist(), passport[sources].tolist(), strict=True):
        numbers[copy] = numbers[source]
    zones = _zones(off, docs, numbers)
    for i in passport[picks.forged].tolist():
        zones[i] = _corrupt(rng, zones[i])
    frame = _frame(off, docs, numbers, zones)

    def listed(rows: Ints) -> list[dict[str, str]]:
        pairs = {(off.ids[docs.owner[r]], numbers[r]) for r in rows.tolist()}
        return [{"official_id": o, "number": n} for o, n in sorted(pairs)]

    anomalies = {
        "document_forged_zone": listed(passport[picks.forged]),
        "document_cloned_number": listed(passport[np.concatenate([picks.clones, sources])]),
        "document_zone_conflict": listed(passport[picks.conflict]),
        "document_duplicate_holding": listed(row[len(order) - len(parts[-1].owner) :]),
        "document_not_handed_in": listed(passport[picks.late]),
        "document_new_undelivered": listed(passport[picks.new]),
        "document_out_of_custody": listed(passport[picks.out]),
    }
    return Documents(frame, anomalies)

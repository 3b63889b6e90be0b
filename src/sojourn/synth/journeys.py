"""Covered officials' trips, their crossings and the custody history of their documents.

The calendar (2025-01-01 … AS_OF) is cut into twelve slots of about six weeks; the seventh
begins just before the National Day holidays. A travelling official takes at most one trip
per slot, so trips never overlap and there is room between them for the document's return to
the desk and for the 7-day window before the next departure. Most trips are private, at
most four private ones a year (``travel.excessive`` stays silent but where injected), at most
13 days long; about half the travellers go over the holidays.

Every approved trip lists the documents checked out for it (a Hong Kong/Macau permit for
trips there, the passport otherwise) and has an exit on the departure date (sometimes the
next day) and an entry on or before the return date, on the listed document; the document
is checked out on the departure date or the day before and returned within the limit after
the entry. Some exits are early in the morning, when the UTC date is still the day before.

Each injected anomaly is the last journey of its official and the only thing wrong with it
(see ``TRAVEL_ANOMALY_RULES``): the reconciliation with default parameters finds exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sojourn.engine.schema import FEED
from sojourn.synth.calendar import (
    ABROAD,
    ABROAD_CDF,
    COUNTRIES,
    END,
    HOLIDAY_DAYS,
    Ints,
    below,
    pick,
    ports_for,
    utc_micros,
)
from sojourn.synth.calendar import PORTS as PORT_NAMES

Bools = npt.NDArray[np.bool_]

SLOT_STARTS = np.array([0, 45, 90, 135, 180, 225, 264, 310, 355, 400, 445, 490], dtype=np.int64)
SLOT_ENDS = np.append(SLOT_STARTS[1:], END + 1)
SLOTS = len(SLOT_STARTS)
HOLIDAY_SLOT = 6
LIMITS = np.array([10, 7])  # days to hand a document back: private, official
PRIVATE, OFFICIAL = 0, 1
APPROVED, PENDING, REJECTED, WITHDRAWN = 0, 1, 2, 3
STATUSES = ("approved", "pending", "rejected", "withdrawn")
PURPOSES = ("private", "official")
INTAKE, CHECKOUT, RETURN, LOST = 0, 1, 2, 3
EVENTS = ("intake", "checkout", "return", "lost", "cancelled", "renewed")
SLOT_P = (0.12, 0.35)  # per-slot travel probability, drawn per traveller
HOLIDAY_P = 0.5
OFFICIAL_SHARE = 0.2
NOT_APPROVED_SHARE = 0.05
EARLY_SHARE = 0.15  # of normal exits before 08:00 local: the UTC date is the day before
ANOMALY_SHARE = 0.004  # of travellers, for each kind
MIN_ANOMALIES = 4

KINDS = ("exit_unapproved", "early_departure", "other_country", "late_return", "overdue", "missing",
         "undeclared_document", "document_in_custody", "lost_document_used", "document_not_returned",
         "excessive")  # fmt: skip
K = {name: i + 1 for i, name in enumerate(KINDS)}  # 0: a normal trip
LOST_BEFORE = len(KINDS) + 1  # the trip during which the document later used was lost
HOLIDAY_KINDS = ("exit_unapproved", "late_return", "missing")
NEEDS_PERMIT = ("document_in_custody", "lost_document_used")
TRAVEL_ANOMALY_RULES = {
    "exit_unapproved": ["travel.exit_unapproved"],
    "early_departure": ["travel.itinerary_deviation"],
    "other_country": ["travel.itinerary_deviation"],
    "late_return": ["travel.return_overdue"],
    "overdue": ["travel.return_overdue"],
    "missing": ["travel.return_overdue", "travel.missing", "custody.not_returned"],
    "undeclared_document": ["travel.undeclared_document"],
    "document_in_custody": ["travel.undeclared_document"],
    "lost_document_used": ["document.lost_or_stolen_used"],
    "document_not_returned": ["custody.not_returned"],
    "excessive": ["travel.excessive"],
}


@dataclass
class Holders:
    """What the planner needs to know of the officials and their documents (days count from START)."""

    n: int
    eligible: Bools  # may travel: active, no injected document or watchlist anomaly
    passport: Ints  # document row of the official's passport in custody, -1: none
    permit: Ints  # document row of the official's Hong Kong/Macau permit in custody, -1: none
    intake: Ints  # per document row: day of the intake event (meaningful where held)
    held: Bools  # per document row: custodial and in custody, gets an intake event
    doc_owner: Ints


@dataclass
class Plan:
    """Trips, journeys and custody events as parallel arrays (indexes into officials and documents)."""

    trip: dict[str, Ints]
    journey: dict[str, Ints]
    event: dict[str, Ints]
    kinds: dict[str, Ints] = field(default_factory=dict)  # anomaly kind → officials


def _choose(rng: np.random.Generator, allowed: Bools) -> Ints:
    """A random allowed column per row (rows with none allowed: -1)."""
    score = np.where(allowed, rng.random(allowed.shape), -1.0)
    out: Ints = np.where(allowed.any(1), score.argmax(1), -1)
    return out


def _allowed(kind: str, holiday: bool) -> Bools:
    s = np.arange(SLOTS)
    regular = (s <= 10) & (s != HOLIDAY_SLOT)
    length = SLOT_ENDS - SLOT_STARTS
    table: dict[str, Bools] = {
        "exit_unapproved": s == HOLIDAY_SLOT if holiday else regular,
        "late_return": s == HOLIDAY_SLOT if holiday else regular,
        "missing": s == HOLIDAY_SLOT if holiday else regular,
        "overdue": s == SLOTS - 1,
        "document_not_returned": s <= 10,
        "excessive": (length >= 45) & (s != HOLIDAY_SLOT),
        "lost_document_used": s >= 1,
    }
    return table.get(kind, np.ones(SLOTS, dtype=bool))


def _assign(rng: np.random.Generator, h: Holders, travellers: Ints, usable: Bools,
            count: int) -> tuple[Ints, Ints, Bools]:  # fmt: skip
    """Anomaly kind and slot per traveller (0 / -1: none), and which are the holiday variants."""
    m = len(travellers)
    kind = np.zeros(m, dtype=np.int64)
    slot = np.full(m, -1, dtype=np.int64)
    holiday = np.zeros(m, dtype=bool)
    both = (h.passport[travellers] >= 0) & (h.permit[travellers] >= 0)
    has_p = h.passport[travellers] >= 0
    order = rng.permutation(m)
    for name in sorted(KINDS, key=lambda k: k not in NEEDS_PERMIT):  # the scarce ones first
        variants = [(True, (count + 1) // 2 + 1), (False, count // 2 + 1)] if name in HOLIDAY_KINDS else [(False, count)]
        for is_holiday, want in variants:
            free = order[(kind[order] == 0) & (both[order] if name in NEEDS_PERMIT else has_p[order])]
            allowed = usable[free] & _allowed(name, is_holiday)
            if name == "lost_document_used":
                allowed[:, 1:] &= usable[free][:, :-1]
            chosen = _choose(rng, allowed)
            if name == "excessive":  # the fifth private trip of 2025 needs five usable slots in 2025
                chosen = np.where(usable[free][:, :8].sum(1) >= 5, chosen, -1)
            take = free[chosen >= 0][:want]
            kind[take], slot[take], holiday[take] = K[name], chosen[chosen >= 0][:want], is_holiday
    return kind, slot, holiday


def _occupancy(rng: np.random.Generator, usable: Bools, kind: Ints, slot: Ints) -> tuple[Bools, Bools]:
    """Which slots each traveller travels in; second array: travellers taking five private trips in 2025."""
    m = len(kind)
    p = SLOT_P[0] + rng.random(m) * (SLOT_P[1] - SLOT_P[0])
    occ = usable & (rng.random((m, SLOTS)) < p[:, None])
    occ[:, HOLIDAY_SLOT] = usable[:, HOLIDAY_SLOT] & (rng.random(m) < HOLIDAY_P)
    s = np.arange(SLOTS)
    has = kind > 0
    occ[has] &= s[None, :] < slot[has, None]
    occ[has, slot[has]] = True
    lost = np.flatnonzero(kind == K["lost_document_used"])
    occ[lost, slot[lost] - 1] = True
    excessive = np.flatnonzero(kind == K["excessive"])
    fifth = np.zeros(m, dtype=bool)
    fifth[excessive[: (len(excessive) + 1) // 2]] = True  # half: the fifth private trip of 2025
    rows = np.flatnonzero(fifth)
    pattern = np.zeros((len(rows), SLOTS), dtype=bool)
    pattern[:, :8] = usable[rows, :8]
    keep = _choose_k(rng, pattern, 5)
    occ[rows] = keep
    slot[rows] = SLOTS - 1 - np.argmax(keep[:, ::-1], axis=1)
    return occ, fifth


def _choose_k(rng: np.random.Generator, allowed: Bools, k: int) -> Bools:
    score = np.where(allowed, rng.random(allowed.shape), -1.0)
    top = np.argsort(-score, axis=1)[:, :k]
    out = np.zeros(allowed.shape, dtype=bool)
    np.put_along_axis(out, top, True, axis=1)
    return out & allowed


def plan_travel(rng: np.random.Generator, h: Holders, travellers_wanted: int) -> Plan:
    """Trips, journeys, custody events and anomalies for ``travellers_wanted`` travelling officials."""
    ready = np.full(h.n, -(10**6), dtype=np.int64)
    np.maximum.at(ready, h.doc_owner[h.held], h.intake[h.held] + 1)
    candidates = np.flatnonzero(h.eligible & ((h.passport >= 0) | (h.permit >= 0)))
    travellers = np.sort(rng.permutation(candidates)[:travellers_wanted])
    usable = SLOT_STARTS[None, :] >= ready[travellers, None]
    count = max(MIN_ANOMALIES, round(ANOMALY_SHARE * len(travellers)))
    kind, slot, holiday = _assign(rng, h, travellers, usable, count)
    occ, fifth = _occupancy(rng, usable, kind, slot)
    ti, ts = np.nonzero(occ)
    trips = _place(rng, h, travellers, ti, ts, kind, slot, holiday, fifth)
    trips = _add_not_approved(rng, h, travellers, usable & ~occ & (kind == 0)[:, None], trips)
    _cap_private(trips, fifth[trips["traveller"]])
    journeys = _journeys(rng, h, trips)
    events = _events(rng, h, trips, journeys)
    plan = Plan(trips, journeys, events)
    plan.kinds = {name: travellers[kind == K[name]] for name in KINDS}
    return plan


def _place(rng: np.random.Generator, h: Holders, travellers: Ints, ti: Ints, ts: Ints, kind: Ints,
           slot: Ints, holiday: Bools, fifth: Bools) -> dict[str, Ints]:  # fmt: skip
    """Dates, purpose, documents and destinations of the approved trips in the occupied slots."""
    n = len(ti)
    is_anomaly = (ts == slot[ti]) & (kind[ti] > 0)
    tkind = np.where(is_anomaly, kind[ti], 0)
    tkind = np.where((kind[ti] == K["lost_document_used"]) & (ts == slot[ti] - 1), LOST_BEFORE, tkind)
    a, b = SLOT_STARTS[ts], SLOT_ENDS[ts]
    u = rng.random((6, n))
    long = (tkind == K["excessive"]) & ~fifth[ti]
    dur = np.where(long, 16 + below(u[0], 9), 1 + (13 * u[0] ** 1.5).astype(np.int64))
    depart = a + 9 + below(u[1], np.maximum(b - a - 21 - dur + 1, 1))
    in_holiday = ts == HOLIDAY_SLOT
    unapproved_h = in_holiday & (tkind == K["exit_unapproved"])
    dur = np.where(in_holiday, np.where(unapproved_h, 4 + below(u[0], 3), 3 + below(u[0], 5)), dur)
    first_day = np.where(holiday[ti] & is_anomaly, HOLIDAY_DAYS[0], HOLIDAY_DAYS[0] - 1)  # anomalies leave in it
    depart = np.where(in_holiday, np.where(unapproved_h, 266 + below(u[1], 3), first_day + below(u[1], 3)), depart)
    overdue = tkind == K["overdue"]
    ret = np.where(overdue, END - 3 - below(u[2], 5), depart + dur)
    depart = np.where(overdue, ret - np.minimum(dur, 13), depart)
    purpose = np.where((u[3] < OFFICIAL_SHARE) & (kind[ti] == 0), OFFICIAL, PRIVATE)
    official = travellers[ti]
    passport, permit = h.passport[official], h.permit[official]
    needs_p = np.isin(tkind, [K["other_country"], K["undeclared_document"]])
    hkmo = (permit >= 0) & ((passport < 0) | (u[4] < 0.45))
    # An official whose passport will be lost never crossed on it before (only lost_on's side of the date counts).
    hkmo = (hkmo & ~needs_p) | np.isin(tkind, [K["document_in_custody"]]) | (kind[ti] == K["lost_document_used"])
    doc1 = np.where(hkmo, permit, passport)
    doc2 = np.where(~hkmo & (permit >= 0) & (u[5] < 0.1) & (tkind == 0), permit, -1)
    # The passport to be lost goes along on a Hong Kong/Macau trip, unused, and is lost before it is handed back.
    doc2 = np.where(tkind == LOST_BEFORE, passport, doc2)
    dest1 = np.where(hkmo, (u[5] < 0.3).astype(np.int64), ABROAD[pick(u[4], ABROAD_CDF)])
    v = rng.random(n)
    second = np.where(hkmo, np.where(v < 0.2, 1 - dest1, -1),
                      np.where(v < 0.25, ABROAD[(np.searchsorted(ABROAD, dest1) + 1 + below(rng.random(n),
                                                                               len(ABROAD) - 1)) % len(ABROAD)], -1))  # fmt: skip
    return {"traveller": ti, "official": official, "slot": ts, "kind": tkind, "purpose": purpose,
            "depart": depart, "ret": ret, "status": np.zeros(n, dtype=np.int64), "hkmo": hkmo.astype(np.int64),
            "doc1": doc1, "doc2": doc2, "dest1": dest1, "dest2": second,
            "holiday": (holiday[ti] & is_anomaly).astype(np.int64)}  # fmt: skip


def _add_not_approved(rng: np.random.Generator, h: Holders, travellers: Ints, free: Bools,
                      trips: dict[str, Ints]) -> dict[str, Ints]:  # fmt: skip
    """A few pending (future), rejected and withdrawn requests in slots the traveller does not use."""
    want = max(3, round(NOT_APPROVED_SHARE * len(trips["official"])))
    ti, ts = np.nonzero(free)
    pick_rows = rng.permutation(len(ti))[:want]
    ti, ts = ti[pick_rows], ts[pick_rows]
    n = len(ti)
    status = np.array([PENDING, REJECTED, WITHDRAWN])[below(rng.random(n), 3)]
    dur = 2 + below(rng.random(n), 10)
    depart = np.where(status == PENDING, END + 10 + below(rng.random(n), 50),
                      SLOT_STARTS[ts] + 9 + below(rng.random(n), 10))  # fmt: skip
    official = travellers[ti]
    passport, permit = h.passport[official], h.permit[official]
    hkmo = (permit >= 0) & ((passport < 0) | (rng.random(n) < 0.45))
    extra = {"traveller": ti, "official": official, "slot": ts, "kind": np.zeros(n, dtype=np.int64),
             "purpose": np.where(rng.random(n) < OFFICIAL_SHARE, OFFICIAL, PRIVATE), "depart": depart,
             "ret": depart + dur, "status": status, "hkmo": hkmo.astype(np.int64),
             "doc1": np.where(hkmo, permit, passport), "doc2": np.full(n, -1),
             "dest1": np.where(hkmo, 0, ABROAD[pick(rng.random(n), ABROAD_CDF)]), "dest2": np.full(n, -1),
             "holiday": np.zeros(n, dtype=np.int64)}  # fmt: skip
    merged = {k: np.concatenate([v, extra[k]]) for k, v in trips.items()}
    order = np.lexsort((merged["official"], merged["depart"]))
    return {k: v[order] for k, v in merged.items()}


def _cap_private(trips: dict[str, Ints], exempt: Bools) -> None:
    """At most four private trips per official and year (counting requests too): the earliest extra ones
    become official trips, so an official's last trip (where anomalies sit) stays as drawn."""
    year = (trips["depart"] >= 365).astype(np.int64)
    private = (trips["purpose"] == PRIVATE) & ~exempt
    idx = np.flatnonzero(private)
    order = idx[np.lexsort((-trips["depart"][idx], year[idx], trips["official"][idx]))]
    group = trips["official"][order] * 2 + year[order]
    start = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    rank = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
    trips["purpose"][order[rank >= 4]] = OFFICIAL


def _journeys(rng: np.random.Generator, h: Holders, trips: dict[str, Ints]) -> dict[str, Ints]:
    """One journey per approved trip, plus the unapproved ones after a trip's return."""
    sel = np.flatnonzero(trips["status"] == APPROVED)
    kind, depart, ret = trips["kind"][sel], trips["depart"][sel], trips["ret"][sel]
    n = len(sel)
    u = rng.random((12, n))
    exit_day = depart + (u[0] < 0.15) * (ret > depart)
    exit_day = np.where(kind == K["early_departure"], depart - 2 - below(u[1], 6), exit_day)
    entry_day = np.maximum(ret - (u[2] < 0.3), exit_day)
    entry_day = np.where(kind == K["late_return"], ret + 3 + below(u[3], 23), entry_day)
    entry_day = np.where(np.isin(kind, [K["overdue"], K["missing"]]), -1, entry_day)
    exit_min = np.where(u[4] < EARLY_SHARE, 360 + below(u[5], 120), 480 + below(u[5], 900))
    entry_min = 420 + below(u[6], 1010)
    same = entry_day == exit_day
    exit_min = np.where(same, 360 + (exit_min - 360) * 340 // 1020, exit_min)  # a day trip leaves by 11:40
    entry_min = np.where(same, np.maximum(entry_min, exit_min + 180), entry_min)
    official = trips["official"][sel]
    hkmo = trips["hkmo"][sel].astype(bool)
    doc = np.where(hkmo, h.permit[official], h.passport[official])
    doc = np.where(np.isin(kind, [K["document_in_custody"], K["lost_document_used"]]), h.passport[official], doc)
    doc = np.where(kind == K["undeclared_document"], -1, doc)
    dest1, dest2 = trips["dest1"][sel], trips["dest2"][sel]
    exit_country = dest1
    other = ABROAD[pick(u[7], ABROAD_CDF)]
    for _ in range(50):  # a country the trip does not list
        bad = (other == dest1) | (other == dest2)
        if not bad.any():
            break
        other = np.where(bad, ABROAD[below(rng.random(n), len(ABROAD))], other)
    exit_country = np.where(kind == K["other_country"], other, exit_country)
    entry_country = np.where(dest2 >= 0, dest2, dest1)
    journeys = {"official": official, "trip": sel, "kind": kind, "doc": doc, "exit_day": exit_day,
                "exit_min": exit_min, "exit_country": exit_country, "entry_day": entry_day,
                "entry_min": entry_min, "entry_country": entry_country}  # fmt: skip
    # The unapproved journey: after the trip's return, before the document is handed back.
    un = np.flatnonzero(kind == K["exit_unapproved"])
    m = len(un)
    v = rng.random((5, m))
    lo = np.where(trips["holiday"][sel[un]] == 1, np.maximum(HOLIDAY_DAYS[0], ret[un] + 1), ret[un] + 1)
    x_day = np.minimum(lo + below(v[0], 3), ret[un] + 3)
    extra = {"official": official[un], "trip": np.full(m, -1), "kind": np.full(m, K["exit_unapproved"]),
             "doc": doc[un], "exit_day": x_day, "exit_min": 480 + below(v[1], 600),
             "exit_country": ABROAD[pick(v[2], ABROAD_CDF)] * (~hkmo[un]) + dest1[un] * hkmo[un],
             "entry_day": x_day + 1 + below(v[3], 4), "entry_min": 600 + below(v[4], 700)}  # fmt: skip
    extra["entry_country"] = extra["exit_country"]
    journeys["kind"] = np.where(kind == K["exit_unapproved"], 0, kind)  # the trip itself is normal
    journeys["parent_trip"] = sel
    extra["parent_trip"] = sel[un]
    merged = {k: np.concatenate([v, extra[k]]) for k, v in journeys.items()}
    merged["exit_port"] = ports_for(merged["exit_country"], rng.random(len(merged["doc"])),
                                    rng.random(len(merged["doc"])))  # fmt: skip
    merged["entry_port"] = ports_for(merged["entry_country"], rng.random(len(merged["doc"])),
                                     rng.random(len(merged["doc"])))  # fmt: skip
    return merged


def _events(rng: np.random.Generator, h: Holders, trips: dict[str, Ints], j: dict[str, Ints]) -> dict[str, Ints]:
    """Intake of every held document, and checkout, return (or loss) for each approved trip's documents."""
    held = np.flatnonzero(h.held)
    parts = [{"doc": held, "kind": np.full(len(held), INTAKE), "day": h.intake[held], "due": np.full(len(held), -1),
              "trip": np.full(len(held), -1)}]  # fmt: skip
    real = np.flatnonzero(j["trip"] >= 0)
    trip = j["trip"][real]
    last_entry = j["entry_day"][real].copy()
    un = np.flatnonzero(j["trip"] < 0)  # the unapproved journey comes before the hand-back
    at = np.searchsorted(trip, j["parent_trip"][un])
    last_entry[at] = j["entry_day"][un]
    kind = j["kind"][real]
    early = kind == K["early_departure"]
    n = len(real)
    u = rng.random((3, n))
    checkout = np.where(early, j["exit_day"][real], trips["depart"][trip]) - (u[0] < 0.5)
    limit = LIMITS[trips["purpose"][trip]]
    due = trips["ret"][trip] + limit
    back = np.minimum(last_entry + (u[1] ** 2 * (limit + 1)).astype(np.int64), END)
    back = np.where(trips["kind"][trip] == K["exit_unapproved"], last_entry + below(u[2], 2), back)
    keeps = np.isin(kind, [K["overdue"], K["missing"], K["document_not_returned"]])
    lost_trip = trips["kind"][trip] == LOST_BEFORE
    for second, docs in enumerate((trips["doc1"][trip], trips["doc2"][trip])):
        has = docs >= 0
        parts.append({"doc": docs[has], "kind": np.full(int(has.sum()), CHECKOUT), "day": checkout[has],
                      "due": due[has], "trip": trip[has]})  # fmt: skip
        lost = has & lost_trip & (second == 1)
        ret = has & ~keeps & ~lost
        parts.append({"doc": docs[ret], "kind": np.full(int(ret.sum()), RETURN), "day": back[ret],
                      "due": np.full(int(ret.sum()), -1), "trip": trip[ret]})  # fmt: skip
        parts.append({"doc": docs[lost], "kind": np.full(int(lost.sum()), LOST),
                      "day": last_entry[lost] + 1 + below(u[2][lost], 3), "due": np.full(int(lost.sum()), -1),
                      "trip": np.full(int(lost.sum()), -1)})  # fmt: skip
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((merged["kind"], merged["day"], merged["doc"]))
    return {k: v[order] for k, v in merged.items()}


def holiday_classes(plan: Plan) -> dict[str, int]:
    """Covered officials' journeys leaving during the holidays, classified as of AS_OF."""
    j, t = plan.journey, plan.trip
    window = (j["exit_day"] >= HOLIDAY_DAYS[0]) & (j["exit_day"] <= HOLIDAY_DAYS[1])
    unapproved = window & (j["trip"] < 0)
    ok = window & (j["trip"] >= 0)
    due = t["ret"][np.where(j["trip"] >= 0, j["trip"], 0)]
    entry = j["entry_day"]
    back = entry >= 0
    return {
        "travelled": int(window.sum()),
        "returned_on_time": int((ok & back & (entry <= due + 1)).sum()),
        "returned_late": int((ok & back & (entry > due + 1)).sum()),
        "abroad": int((ok & ~back & (due + 1 >= END)).sum()),
        "overdue": int((ok & ~back & (due + 1 < END) & (due + 30 >= END)).sum()),
        "missing": int((ok & ~back & (due + 30 < END)).sum()),
        "unapproved": int(unapproved.sum()),
    }


@dataclass
class CoveredRows:
    """The covered officials' crossings in time order, with what each row belongs to."""

    official: Ints
    journey: Ints
    direction: Ints  # 0 exit, 1 entry
    doc: Ints  # -1: the official's undeclared passport
    micros: Ints
    port: Ints
    country: Ints


def covered_rows(plan: Plan) -> CoveredRows:
    j = plan.journey
    n = len(j["official"])
    back = np.flatnonzero(j["entry_day"] >= 0)
    rows = CoveredRows(
        official=np.concatenate([j["official"], j["official"][back]]),
        journey=np.concatenate([np.arange(n), back]),
        direction=np.concatenate([np.zeros(n, dtype=np.int64), np.ones(len(back), dtype=np.int64)]),
        doc=np.concatenate([j["doc"], j["doc"][back]]),
        micros=np.concatenate([utc_micros(j["exit_day"], j["exit_min"]),
                               utc_micros(j["entry_day"][back], j["entry_min"][back])]),  # fmt: skip
        port=np.concatenate([j["exit_port"], j["entry_port"][back]]),
        country=np.concatenate([j["exit_country"], j["entry_country"][back]]),
    )
    order = np.lexsort((rows.direction, rows.official, rows.micros))
    return CoveredRows(*(getattr(rows, f)[order] for f in rows.__dataclass_fields__))


def covered_table(rows: CoveredRows, *, doc_type: pa.Array, doc_number: pa.Array, undeclared: pa.Array,
                  surname: pa.Array, given: pa.Array, birth: pa.Array, sex: pa.Array) -> pa.Table:  # fmt: skip
    """The covered rows in FEED's columns but event_id; ``undeclared`` is per official (null: none)."""
    doc = np.maximum(rows.doc, 0)
    own = rows.doc >= 0
    off = pa.array(rows.official)
    number = pa.array(np.where(own, doc_number.take(pa.array(doc)).to_numpy(zero_copy_only=False),
                               undeclared.take(off).to_numpy(zero_copy_only=False)), pa.string())  # fmt: skip
    dtype = pa.array(np.where(own, doc_type.take(pa.array(doc)).to_numpy(zero_copy_only=False),
                              "passport_ordinary"), pa.string())  # fmt: skip
    n = len(rows.official)
    columns = {
        "crossed_at": pa.array(rows.micros, pa.int64()).cast(FEED.field("crossed_at").type),
        "direction": pa.array(np.array(["exit", "entry"])[rows.direction], pa.string()),
        "port": pa.array(np.array(PORT_NAMES)[rows.port], pa.string()),
        "doc_type": dtype,
        "doc_issuer": pa.array(["CHN"] * n, pa.string()),
        "doc_number": number,
        "surname": surname.take(off),
        "given_name": given.take(off),
        "birth_date": birth.take(off),
        "sex": sex.take(off),
        "nationality": pa.array(["CHN"] * n, pa.string()),
        "country": pa.array(np.array(COUNTRIES)[rows.country], pa.string()),
    }
    return pa.table(columns, schema=FEED.remove(0))


def destinations(trips: dict[str, Ints]) -> list[str]:
    codes = np.array(COUNTRIES)
    first = codes[trips["dest1"]]
    second = np.where(trips["dest2"] >= 0, np.char.add(";", codes[np.maximum(trips["dest2"], 0)]), "")
    return list(np.char.add(first, second).tolist())

"""Synthetic trips, custody history and border crossings for a synthetic registry.

``make_travel`` takes the registry's officials and documents and returns ``trips.csv`` and
``custody.csv`` (DESIGN.md §6), the documents file updated to the custody state at AS_OF, a
``FeedPlan`` that streams the crossing feed, and the manifest's ``anomalies["travel"]`` and
``holiday`` parts. How the covered officials travel is in ``sojourn.synth.journeys``; the
rest of the feed in ``sojourn.synth.feed``.

Nothing here changes what the registry's own anomalies produce: documents listed in any
document anomaly, and officials on a watchlist, get no custody events and take no trips;
every intake happens within 7 days of the official becoming covered (or of the document's
issue, when it was issued later), so ``custody.intake_overdue`` and
``custody.new_document_undelivered`` find what they found before.

Given the relatives and the watch list, the feed also carries crossings that only identity
resolution can tie to a person (second passports under other spellings, listed travellers;
``sojourn.synth.resolution``): they take positions among the covered rows, are matched by nothing
in ``reconcile`` and are listed in ``Travel.linkage`` (the manifest's ``anomalies["linkage"]``).

``write_engine_inputs`` (in ``sojourn.synth.engine_inputs``) writes the engine's own tables
for the benchmark, without the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from sojourn.engine.schema import name_key
from sojourn.synth.calendar import COUNTRIES, END, EPOCH_DAY, HOLIDAY, iso_days
from sojourn.synth.engine_inputs import write_engine_inputs
from sojourn.synth.feed import (
    LETTERS,
    UNDECLARED_FROM,
    UNDECLARED_LETTER,
    FeedPlan,
    KeySet,
    covered_positions,
    event_id,
    layout,
    make_name_table,
    name_hash,
    person_key,
    registry_number_codes,
)
from sojourn.synth.journeys import (
    EVENTS,
    LOST,
    PURPOSES,
    STATUSES,
    TRAVEL_ANOMALY_RULES,
    Holders,
    K,
    Plan,
    covered_rows,
    covered_table,
    destinations,
    holiday_classes,
    plan_travel,
)
from sojourn.synth.registry import AS_OF, Frame, Officials
from sojourn.synth.resolution import LinkageInjections, make_linkage_injections

__all__ = ["Travel", "make_travel", "write_engine_inputs", "TRAVEL_ANOMALY_RULES"]

DEFAULT_CROSSINGS = {"small": 20_000, "province": 2_000_000, "national": 20_000_000}
COVERED_SHARE = 0.01  # of travellers, when the feed is large enough
MIN_TRAVELLERS = 120
INTAKE_DAYS = 7
NOTES = ("handed in", "checked out for the trip", "handed back", "reported lost")


@dataclass
class Travel:
    trips: Frame
    custody: Frame
    documents: Frame  # the documents file with the custody state at AS_OF
    feed: FeedPlan
    anomalies: dict[str, list[Any]]
    holiday: dict[str, Any]
    summary: dict[str, Any]
    # Every journey of a covered official: official_id, exit_date, entry_date ("" not back), country of the exit
    # and whether it is private (a private trip, or no approved trip). Not an import file: declarations read it.
    journeys: Frame = field(default_factory=dict)
    # The manifest's anomalies["linkage"] feed part: second passports and listed travellers (sojourn.synth.resolution).
    linkage: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _journeys_frame(plan: Plan, ids: list[str]) -> Frame:
    j, t = plan.journey, plan.trip
    trip = j["trip"]
    private = np.where(trip >= 0, t["purpose"][np.maximum(trip, 0)] == PURPOSES.index("private"), True)
    entry = iso_days(np.maximum(j["entry_day"], 0)).astype(str)
    entry[j["entry_day"] < 0] = ""
    return {"official_id": [ids[o] for o in j["official"].tolist()],
            "exit_date": iso_days(j["exit_day"]).astype(str).tolist(), "entry_date": entry.tolist(),
            "country": np.array(COUNTRIES)[j["exit_country"]].tolist(), "private": private.tolist()}


def _days(texts: list[str]) -> np.ndarray:
    return np.array(texts, dtype="datetime64[D]").astype(np.int64) - EPOCH_DAY


def _excluded(officials: list[str], anomalies: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    """Officials who must not travel (any document or watchlist anomaly) and the listed documents."""
    people: set[str] = set()
    documents: set[tuple[str, str]] = set()
    for name, items in anomalies.items():
        if not name.startswith(("document_", "watchlist_")):
            continue
        for item in items:
            people.add(item["official_id"])
            if "number" in item:
                documents.add((item["official_id"], item["number"]))
    return people, documents


def _holders(rng: np.random.Generator, offs: Officials, docs: Frame, anomalies: dict[str, Any]) -> Holders:
    n = len(offs.ids)
    index = {oid: i for i, oid in enumerate(offs.ids)}
    owner = np.array([index[o] for o in docs["official_id"]], dtype=np.int64)
    excluded, listed = _excluded(offs.ids, anomalies)
    doc_type = np.array(docs["doc_type"])
    is_listed = np.array([(o, num) in listed for o, num in zip(docs["official_id"], docs["number"], strict=True)],
                         dtype=bool)  # fmt: skip
    held = ((doc_type != "id_card") & (np.array(docs["status"]) == "valid")
            & np.isin(np.array(docs["custody"]), ["in_custody", "checked_out"]) & ~is_listed)  # fmt: skip
    issue = _days(docs["issue_date"])
    covered = offs.covered.astype(np.int64) - EPOCH_DAY
    since = np.maximum(covered[owner], issue)  # a document issued later is delivered within 7 days of issue
    intake = np.minimum(since + (rng.random(len(owner)) * (INTAKE_DAYS + 1)).astype(np.int64), END)
    eligible = (offs.status == "active") & ~np.isin(np.array(offs.ids), sorted(excluded))
    passport = np.full(n, -1, dtype=np.int64)
    permit = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(held)
    for kind, target in (("passport_ordinary", passport), ("permit_hk_macau", permit)):
        mine = rows[doc_type[rows] == kind]
        target[owner[mine]] = mine
    return Holders(n, eligible, passport, permit, intake, held, owner)


def _undeclared(rng: np.random.Generator, officials: np.ndarray, known: set[str]) -> dict[int, str]:
    """An unknown passport number (series ``EZ``, digits from 9,000,000) per official."""
    out: dict[int, str] = {}
    used = set(known)
    for official in officials.tolist():
        while True:
            number = f"E{LETTERS[UNDECLARED_LETTER]}{rng.integers(UNDECLARED_FROM, 10_000_000)}"
            if number not in used:
                used.add(number)
                out[official] = number
                break
    return out


def _official_keys(offs: Officials) -> KeySet:
    names = np.array([name_hash("".join(ch for ch in (s + g).upper() if "A" <= ch <= "Z"))
                      for s, g in zip(offs.frame["surname"], offs.frame["given_name"], strict=True)],
                     dtype=np.uint64)  # fmt: skip
    birth = offs.birth.astype(np.int64)
    return KeySet(person_key(names, birth, offs.male))


def make_travel(*, seed: int, offs: Officials, documents: Frame, anomalies: dict[str, Any], crossings: int,
                relatives: Frame | None = None, watchlist: Frame | None = None) -> Travel:  # fmt: skip
    """Trips, custody history and the crossing feed (``crossings`` events in all) for the registry.

    Given ``relatives`` and ``watchlist``, the feed also carries the crossings only identity resolution
    can tie to a person (``sojourn.synth.resolution``), listed in ``Travel.linkage``."""
    rng = np.random.default_rng([seed, 6])
    h = _holders(rng, offs, documents, anomalies)
    wanted = max(MIN_TRAVELLERS, round(COVERED_SHARE / (1 - COVERED_SHARE) * layout(crossings).travellers))
    plan = plan_travel(rng, h, wanted)
    numbers = documents["number"]
    undeclared = _undeclared(rng, plan.kinds["undeclared_document"], set(numbers))
    rows = covered_rows(plan)
    linkage = None
    if relatives is not None and watchlist is not None:
        linkage = _linkage(seed, offs, plan, anomalies, relatives, watchlist, set(numbers) | set(undeclared.values()))
    extra = linkage.rows.num_rows if linkage else 0
    total = max(crossings, len(rows.official) + extra)
    all_positions = covered_positions(total, len(rows.official) + extra, seed)
    mine = _spread(len(rows.official), extra)
    positions, linkage_positions = all_positions[~mine], all_positions[mine]
    per_official = [undeclared.get(i) for i in range(len(offs.ids))]
    frame = offs.frame
    table = covered_table(
        rows, doc_type=pa.array(documents["doc_type"]), doc_number=pa.array(numbers),
        undeclared=pa.array(per_official, pa.string()), surname=pa.array(frame["surname"]),
        given=pa.array(frame["given_name"]), birth=pa.array(offs.birth.astype("datetime64[D]")).cast(pa.date32()),
        sex=pa.array(frame["sex"]),
    )  # fmt: skip
    if linkage is not None:  # the injected rows take their positions among the covered ones
        order = np.argsort(np.concatenate([np.flatnonzero(~mine), np.flatnonzero(mine)]), kind="stable")
        table = pa.concat_tables([table, linkage.rows]).take(pa.array(order))
    feed = FeedPlan(seed, total, table, all_positions, make_name_table(), _official_keys(offs),
                    registry_number_codes(numbers))  # fmt: skip
    trip_ids = [f"TR{i + 1:07d}" for i in range(len(plan.trip["official"]))]
    docs_out, checked_out, lost = _custody_state(plan, offs, documents, trip_ids)
    travel_anomalies = _anomalies(plan, rows, positions, offs.ids, trip_ids, numbers, undeclared)
    lay = feed.layout
    summary = {
        "crossings": total,
        "covered_crossings": len(rows.official),
        "travellers": lay.travellers + int(len(np.unique(plan.journey["official"]))),
        "covered_travellers": int(len(np.unique(plan.journey["official"]))),
        "checked_out": checked_out,
        "lost": lost,
    }
    holiday = {"from": HOLIDAY[0].isoformat(), "to": HOLIDAY[1].isoformat(), "as_of": AS_OF.isoformat(),
               **holiday_classes(plan)}  # fmt: skip
    linkage_part = linkage.manifest([event_id(p) for p in linkage_positions.tolist()]) if linkage else {}
    return Travel(_trips_frame(plan, offs.ids, trip_ids, numbers), _custody_frame(plan, documents, trip_ids),
                  docs_out, feed, travel_anomalies, holiday, summary, _journeys_frame(plan, offs.ids),
                  linkage_part)  # fmt: skip


def _spread(covered: int, extra: int) -> np.ndarray:
    """Which of ``covered + extra`` slots the ``extra`` injected rows take, in pairs, spread evenly."""
    out = np.zeros(covered + extra, dtype=bool)
    pairs = extra // 2
    if pairs:
        for at in ((np.arange(pairs) * (covered + extra - 1)) // pairs).tolist():
            while out[at] or out[at + 1]:  # the stretches are wide: this only moves on past a neighbour
                at += 1
            out[at] = out[at + 1] = True
    return out


def _linkage(seed: int, offs: Officials, plan: Plan, anomalies: dict[str, Any], relatives: Frame,
             watchlist: Frame, numbers: set[str]) -> LinkageInjections:  # fmt: skip
    """Second passports of officials in no other anomaly, and listed travellers (sojourn.synth.resolution)."""
    excluded, _ = _excluded(offs.ids, anomalies)
    excluded |= {offs.ids[o] for kind in plan.kinds.values() for o in kind.tolist()}
    eligible = {oid for oid, status in zip(offs.ids, offs.status.tolist(), strict=True)
                if status == "active" and oid not in excluded}  # fmt: skip
    frame = offs.frame
    keys = {(name_key(s, g), b, x) for s, g, b, x in zip(frame["surname"], frame["given_name"], frame["birth_date"],
                                                        frame["sex"], strict=True)}  # fmt: skip
    return make_linkage_injections(np.random.default_rng([seed, 18]), officials=frame, relatives=relatives,
                                   watchlist=watchlist, eligible=eligible, official_keys=keys,
                                   taken_numbers=numbers)  # fmt: skip


def _trips_frame(plan: Plan, ids: list[str], trip_ids: list[str], numbers: list[str]) -> Frame:
    t = plan.trip
    doc1 = [numbers[d] for d in t["doc1"].tolist()]
    listed = [a if d < 0 else f"{a};{numbers[d]}" for a, d in zip(doc1, t["doc2"].tolist(), strict=True)]
    return {
        "trip_id": trip_ids,
        "official_id": [ids[o] for o in t["official"].tolist()],
        "purpose": [PURPOSES[p] for p in t["purpose"].tolist()],
        "destinations": destinations(t),
        "depart_date": iso_days(t["depart"]).astype(str).tolist(),
        "return_date": iso_days(t["ret"]).astype(str).tolist(),
        "status": [STATUSES[s] for s in t["status"].tolist()],
        "document_numbers": listed,
    }


def _custody_frame(plan: Plan, documents: Frame, trip_ids: list[str]) -> Frame:
    e = plan.event
    docs = e["doc"].tolist()
    due = iso_days(np.maximum(e["due"], 0)).astype(str)
    due[e["due"] < 0] = ""
    return {
        "official_id": [documents["official_id"][d] for d in docs],
        "doc_type": [documents["doc_type"][d] for d in docs],
        "issuer": [documents["issuer"][d] for d in docs],
        "number": [documents["number"][d] for d in docs],
        "event": [EVENTS[k] for k in e["kind"].tolist()],
        "on": iso_days(e["day"]).astype(str).tolist(),
        "due_back": due.tolist(),
        "trip_id": [trip_ids[t] if t >= 0 else "" for t in e["trip"].tolist()],
        "note": [NOTES[k] for k in e["kind"].tolist()],
    }


def _custody_state(plan: Plan, offs: Officials, documents: Frame,
                   trip_ids: list[str]) -> tuple[Frame, list[dict[str, str]], list[dict[str, str]]]:  # fmt: skip
    """The documents file with each document's state after its last event; documents out and lost."""
    e = plan.event
    last = np.r_[np.flatnonzero(np.diff(e["doc"])), len(e["doc"]) - 1] if len(e["doc"]) else np.zeros(0, int)
    status = list(documents["status"])
    custody = list(documents["custody"])
    checked_out, lost = [], []
    last_checkout: dict[int, int] = {}
    for d, k, t in zip(e["doc"].tolist(), e["kind"].tolist(), e["trip"].tolist(), strict=True):
        if k == 1:
            last_checkout[d] = t
    for i in last.tolist():
        d, kind, day = int(e["doc"][i]), int(e["kind"][i]), int(e["day"][i])
        if kind == 1:
            custody[d] = "checked_out"
            checked_out.append({"official_id": documents["official_id"][d], "number": documents["number"][d],
                                "trip_id": trip_ids[last_checkout[d]]})  # fmt: skip
        elif kind == LOST:
            status[d], custody[d] = "lost", "not_held"
            lost.append({"official_id": documents["official_id"][d], "number": documents["number"][d],
                         "lost_on": str(iso_days(np.array([day]))[0])})
        else:
            custody[d] = "in_custody"
    out = dict(documents)
    out["status"], out["custody"] = status, custody
    return out, checked_out, lost


def _anomalies(plan: Plan, rows: Any, positions: np.ndarray, ids: list[str], trip_ids: list[str],
               numbers: list[str], undeclared: dict[int, str]) -> dict[str, list[Any]]:  # fmt: skip
    j, t = plan.journey, plan.trip
    events = [event_id(p) for p in positions.tolist()]
    journey_kind = j["kind"][rows.journey]

    def crossing_ids(name: str, exits_only: bool = False) -> list[str]:
        hit = journey_kind == K[name]
        if exits_only:
            hit &= rows.direction == 0
        return sorted(events[i] for i in np.flatnonzero(hit).tolist())

    def trips_of(name: str) -> list[str]:
        return sorted(trip_ids[i] for i in np.flatnonzero((t["kind"] == K[name]) & (t["status"] == 0)).tolist())

    out = np.flatnonzero((t["kind"] == K["document_not_returned"]) & (t["status"] == 0)).tolist()
    not_returned = sorted(({"official_id": ids[t["official"][k]], "trip_id": trip_ids[k],
                            "number": numbers[t["doc1"][k]]} for k in out), key=lambda a: a["trip_id"])  # fmt: skip
    return {
        "exit_unapproved": crossing_ids("exit_unapproved", exits_only=True),
        "early_departure": trips_of("early_departure"),
        "other_country": trips_of("other_country"),
        "late_return": trips_of("late_return"),
        "overdue": trips_of("overdue"),
        "missing": trips_of("missing"),
        "undeclared_document": sorted(({"official_id": ids[o], "doc_number": n} for o, n in undeclared.items()),
                                      key=lambda a: a["official_id"]),  # fmt: skip
        "document_in_custody": crossing_ids("document_in_custody"),
        "lost_document_used": crossing_ids("lost_document_used"),
        "document_not_returned": not_returned,
        "excessive": trips_of("excessive"),
    }

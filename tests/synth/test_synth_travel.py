"""Synthetic trips, custody history and crossings: deterministic, consistent with the registry, and a
reconciliation written out here from specs/rules.md finds exactly the injected anomalies."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from tests.helpers import csv_rows, read_manifest

from sojourn.engine import schema
from sojourn.synth.dataset import generate_registry, write_registry
from sojourn.synth.management.commands.synth import Command as SynthCommand

AS_OF = date(2026, 6, 30)
LOCAL = timezone(timedelta(hours=8))
GRACE, MISSING_DAYS, WINDOW = 1, 30, 7


@cache
def dataset_dir(seed: int, officials: int | None, root: str, crossings: int | None = None) -> Path:
    out = Path(root) / f"travel-{seed}-{officials}-{crossings}"
    write_registry(generate_registry(scale="small", officials=officials, seed=seed, crossings=crossings), out)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset_dir(3, None, str(tmp_path_factory.mktemp("travel")))


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset_dir(4, 3000, str(tmp_path_factory.mktemp("travel-larger")), 60_000)


def crossings(directory: Path) -> list[dict[str, Any]]:
    table = pa.concat_tables(pq.read_table(p) for p in sorted((directory / "crossings").glob("part-*.parquet")))
    return table.to_pylist()  # type: ignore[no-any-return]


def name_key(surname: str, given: str) -> str:
    return "".join(ch for ch in (surname + given).upper() if "A" <= ch <= "Z")


@dataclass
class Registry:
    officials: dict[str, dict[str, str]]
    by_person: dict[tuple[str, str, str], str]
    documents: dict[tuple[str, str], list[dict[str, str]]]  # (issuer, number) → rows
    trips: dict[str, list[dict[str, Any]]]  # official → approved trips
    spans: dict[tuple[str, str], list[tuple[date, date | None]]]  # (official, number) → custody spans
    last_event: dict[tuple[str, str], dict[str, str]]


def load(directory: Path) -> Registry:
    officials = {o["official_id"]: o for o in csv_rows(directory, "officials")}
    by_person = {(name_key(o["surname"], o["given_name"]), o["birth_date"], o["sex"]): oid
                 for oid, o in officials.items()}  # fmt: skip
    documents: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for d in csv_rows(directory, "documents"):
        documents[(d["issuer"], d["number"])].append(d)
    trips: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in csv_rows(directory, "trips"):
        if t["status"] == "approved":
            t = {**t, "depart": date.fromisoformat(t["depart_date"]), "ret": date.fromisoformat(t["return_date"])}
            trips[t["official_id"]].append(t)
    events: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for e in csv_rows(directory, "custody"):
        events[(e["official_id"], e["number"])].append(e)
    spans: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
    for key, history in events.items():
        spans[key] = []
        for i, e in enumerate(history):
            if e["event"] in ("intake", "return"):
                nxt = history[i + 1]["on"] if i + 1 < len(history) else None
                spans[key].append((date.fromisoformat(e["on"]), date.fromisoformat(nxt) if nxt else None))
    last = {key: history[-1] for key, history in events.items()}
    return Registry(officials, by_person, documents, trips, spans, last)


def local_date(crossed_at: datetime) -> date:
    return crossed_at.astimezone(LOCAL).date()


def reconcile(reg: Registry, feed: list[dict[str, Any]]) -> dict[str, set[Any]]:
    """specs/rules.md's travel rules with default parameters, as of AS_OF, written out plainly."""
    found: dict[str, set[Any]] = defaultdict(set)
    mine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in feed:
        docs = [d for d in reg.documents.get((c["doc_issuer"], c["doc_number"]), [])]
        person = reg.by_person.get((name_key(c["surname"], c["given_name"]), c["birth_date"].isoformat(), c["sex"]))
        if docs:
            oid = docs[0]["official_id"]
        elif person:
            oid = person
        else:
            continue
        day = local_date(c["crossed_at"])
        mine[oid].append({**c, "day": day})
        known = any(d["official_id"] == oid for d in docs)
        held = any(a < day and (b is None or day < b) for a, b in reg.spans.get((oid, c["doc_number"]), []))
        if not known:
            found["travel.undeclared_document"].add((oid, c["doc_number"]))
        elif held:
            found["travel.undeclared_document"].add(c["event_id"])
        if any(d["status"] in ("lost", "cancelled") for d in docs):
            found["document.lost_or_stolen_used"].add(c["event_id"])
    for oid, rows in mine.items():
        rows.sort(key=lambda c: c["crossed_at"])
        trips = reg.trips.get(oid, [])
        for i, c in enumerate(rows):
            if c["direction"] != "exit":
                continue
            entry = next((e for e in rows[i + 1 :] if e["direction"] == "entry"), None)
            trip = next((t for t in trips if t["depart"] - timedelta(days=WINDOW) <= c["day"] <= t["ret"]), None)
            if trip is None:
                found["travel.exit_unapproved"].add(c["event_id"])
                continue
            places = trip["destinations"].split(";")
            if c["day"] < trip["depart"] or c["country"] not in places or (entry and entry["country"] not in places):
                found["travel.itinerary_deviation"].add(trip["trip_id"])
            due = trip["ret"] + timedelta(days=GRACE)
            if (entry is None and due < AS_OF) or (entry is not None and entry["day"] > due):
                found["travel.return_overdue"].add(trip["trip_id"])
            if entry is None and (AS_OF - trip["ret"]).days > MISSING_DAYS:
                found["travel.missing"].add(trip["trip_id"])
    for trips in reg.trips.values():
        private = sorted((t for t in trips if t["purpose"] == "private"), key=lambda t: t["depart"])
        per_year: Counter[int] = Counter()
        for t in private:
            per_year[t["depart"].year] += 1
            if per_year[t["depart"].year] > 4 or (t["ret"] - t["depart"]).days + 1 > 15:
                found["travel.excessive"].add(t["trip_id"])
    for (oid, number), e in reg.last_event.items():
        if e["event"] == "checkout" and e["due_back"] and date.fromisoformat(e["due_back"]) < AS_OF:
            found["custody.not_returned"].add((oid, e["trip_id"], number))
    return found


def expected(manifest: dict[str, Any]) -> dict[str, set[Any]]:
    a = manifest["anomalies"]["travel"]
    missing_docs = {(c["official_id"], c["trip_id"], c["number"]) for c in manifest["travel"]["checked_out"]
                    if c["trip_id"] in set(a["missing"])}  # fmt: skip
    return {
        "travel.exit_unapproved": set(a["exit_unapproved"]),
        "travel.itinerary_deviation": set(a["early_departure"]) | set(a["other_country"]),
        "travel.return_overdue": set(a["late_return"]) | set(a["overdue"]) | set(a["missing"]),
        "travel.missing": set(a["missing"]),
        "travel.undeclared_document": {(u["official_id"], u["doc_number"]) for u in a["undeclared_document"]}
        | set(a["document_in_custody"]),
        "document.lost_or_stolen_used": set(a["lost_document_used"]),
        "travel.excessive": set(a["excessive"]),
        "custody.not_returned": {(n["official_id"], n["trip_id"], n["number"]) for n in a["document_not_returned"]}
        | missing_docs,
    }


@pytest.mark.parametrize("which", ["small", "larger"])
def test_reconciliation_finds_exactly_the_injected_anomalies(which, request):
    directory = request.getfixturevalue(which)
    manifest = read_manifest(directory)
    found = reconcile(load(directory), crossings(directory))
    want = expected(manifest)
    for code in want:
        assert found.get(code, set()) == want[code], code
    assert set(found) <= set(want)
    for kind, items in manifest["anomalies"]["travel"].items():
        assert len(items) >= 3, kind


def test_holiday_classification(small):
    manifest = read_manifest(small)
    holiday = manifest["holiday"]
    assert (holiday["from"], holiday["to"], holiday["as_of"]) == ("2025-10-01", "2025-10-08", "2026-06-30")
    classes = ("returned_on_time", "returned_late", "abroad", "overdue", "missing", "unapproved")
    assert holiday["travelled"] == sum(holiday[c] for c in classes)
    for c in ("returned_on_time", "returned_late", "missing", "unapproved"):
        assert holiday[c] >= 3, c
    # recount from the files
    reg = load(small)
    counts: Counter[str] = Counter()
    for oid, rows in _covered_by_official(reg, crossings(small)).items():
        for i, c in enumerate(rows):
            if c["direction"] != "exit" or not date(2025, 10, 1) <= c["day"] <= date(2025, 10, 8):
                continue
            trip = next((t for t in reg.trips[oid] if t["depart"] - timedelta(days=7) <= c["day"] <= t["ret"]), None)
            entry = next((e for e in rows[i + 1 :] if e["direction"] == "entry"), None)
            if trip is None:
                counts["unapproved"] += 1
            elif entry:
                counts["returned_on_time" if entry["day"] <= trip["ret"] + timedelta(days=1) else "returned_late"] += 1
            else:
                late = (AS_OF - trip["ret"]).days
                counts["abroad" if late <= 1 else "overdue" if late <= 30 else "missing"] += 1
    assert {c: counts[c] for c in classes} == {c: holiday[c] for c in classes}
    # the spike: more covered exits per day in the window than on an ordinary day
    per_day = Counter(c["day"] for rows in _covered_by_official(reg, crossings(small)).values() for c in rows
                      if c["direction"] == "exit")  # fmt: skip
    assert holiday["travelled"] / 8 > 4 * sum(per_day.values()) / 546


def _covered_by_official(reg: Registry, feed: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in feed:
        docs = reg.documents.get((c["doc_issuer"], c["doc_number"]), [])
        oid = docs[0]["official_id"] if docs else reg.by_person.get(
            (name_key(c["surname"], c["given_name"]), c["birth_date"].isoformat(), c["sex"]))
        if oid:
            out[oid].append({**c, "day": local_date(c["crossed_at"])})
    for rows in out.values():
        rows.sort(key=lambda c: c["crossed_at"])
    return out


def test_covered_crossings_trips_and_custody_are_consistent(larger):
    reg = load(larger)
    manifest = read_manifest(larger)
    undeclared = {(u["official_id"], u["doc_number"]) for u in manifest["anomalies"]["travel"]["undeclared_document"]}
    officials = reg.officials
    covered = 0
    for c in crossings(larger):
        docs = reg.documents.get((c["doc_issuer"], c["doc_number"]), [])
        person = reg.by_person.get((name_key(c["surname"], c["given_name"]), c["birth_date"].isoformat(), c["sex"]))
        if docs:
            assert len(docs) == 1 and person == docs[0]["official_id"], c  # never a clone, always the holder
        elif person:
            assert (person, c["doc_number"]) in undeclared, c
        else:
            continue
        covered += 1
        o = officials[person]
        assert (c["surname"], c["given_name"], c["birth_date"].isoformat(), c["sex"]) == (
            o["surname"], o["given_name"], o["birth_date"], o["sex"])  # fmt: skip
    assert covered == manifest["travel"]["covered_crossings"]
    numbers = {(d["official_id"], d["number"]): d for rows in reg.documents.values() for d in rows}
    for t in csv_rows(larger, "trips"):
        assert t["status"] in ("approved", "pending", "rejected", "withdrawn")
        for number in t["document_numbers"].split(";"):
            assert (t["official_id"], number) in numbers, t
    # custody.csv agrees with documents.csv
    for (oid, number), last in reg.last_event.items():
        doc = numbers[(oid, number)]
        state = {"intake": "in_custody", "return": "in_custody", "checkout": "checked_out", "lost": "not_held"}
        assert doc["custody"] == state[last["event"]], (doc, last)
        assert (doc["status"] == "lost") == (last["event"] == "lost")
    listed = {(a["official_id"], a["number"]) for kind, items in manifest["anomalies"].items()
              if kind.startswith("document_") for a in items}  # fmt: skip
    assert not listed & set(reg.last_event)
    held = {k for k, d in numbers.items() if d["status"] == "valid" and d["custody"] in ("in_custody", "checked_out")}
    for k in held - listed:
        assert k in reg.last_event, k


def test_intake_dates_keep_the_custody_rules_as_they_were(larger):
    officials = {o["official_id"]: o for o in csv_rows(larger, "officials")}
    documents = {(d["official_id"], d["number"]): d for d in csv_rows(larger, "documents")}
    firsts: dict[tuple[str, str], str] = {}
    for e in csv_rows(larger, "custody"):
        firsts.setdefault((e["official_id"], e["number"]), e["on"])
        assert e["on"] <= AS_OF.isoformat()
    for key, first in firsts.items():
        since = date.fromisoformat(officials[key[0]]["covered_since"])
        issued = date.fromisoformat(documents[key]["issue_date"])
        assert date.fromisoformat(first) <= max(since, issued) + timedelta(days=7)
        assert date.fromisoformat(first) >= issued


def test_nobody_else_collides_with_an_official(larger):
    reg = load(larger)
    numbers = {n for (_issuer, n) in reg.documents}
    others = 0
    for c in crossings(larger):
        if (c["doc_issuer"], c["doc_number"]) in reg.documents:
            continue
        key = (name_key(c["surname"], c["given_name"]), c["birth_date"].isoformat(), c["sex"])
        if key in reg.by_person:
            continue  # an official's undeclared passport, checked above
        others += 1
        assert c["doc_number"] not in numbers
    assert others > 50_000


def test_local_date_trap_and_feed_shape(small):
    feed = crossings(small)
    assert len(feed) == read_manifest(small)["counts"]["crossings"] == 20_000
    assert len({c["event_id"] for c in feed}) == len(feed)
    early = [c for c in feed if c["direction"] == "exit" and local_date(c["crossed_at"]) != c["crossed_at"].date()]
    assert len(early) > 100
    reg = load(small)
    covered_early = [c for rows in _covered_by_official(reg, feed).values() for c in rows
                     if c["direction"] == "exit" and c["crossed_at"].astimezone(LOCAL).hour < 8]  # fmt: skip
    assert len(covered_early) >= 5
    directions = Counter(c["direction"] for c in feed)
    assert 0.4 < directions["exit"] / len(feed) < 0.6
    ports = Counter(c["port"] for c in feed)
    assert {"Shenzhen Bay", "Luohu", "Gongbei", "Shanghai Pudong Airport"} <= set(ports)
    assert all(date(2025, 1, 1) <= local_date(c["crossed_at"]) <= AS_OF for c in feed)


def test_csv_feed_matches_the_parquet(small):
    feed = crossings(small)
    with (small / "crossings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == schema.FEED.names
    assert len(rows) == len(feed)
    for row, c in zip(rows[:500], feed[:500], strict=False):
        assert row["crossed_at"].endswith("+08:00")
        assert datetime.fromisoformat(row["crossed_at"]) == c["crossed_at"]
        assert row["event_id"] == c["event_id"] and row["doc_number"] == c["doc_number"]


def test_parquet_schema_and_chunking(tmp_path):
    data = generate_registry(scale="small", seed=6, crossings=25_000)
    write_registry(data, tmp_path / "one")
    write_registry(data, tmp_path / "many", chunk_rows=7_000)
    one = sorted((tmp_path / "one" / "crossings").glob("*.parquet"))
    many = sorted((tmp_path / "many" / "crossings").glob("*.parquet"))
    assert [p.name for p in one] == ["part-00000.parquet"]
    assert [p.name for p in many] == [f"part-{i:05d}.parquet" for i in range(4)]
    assert all(pq.read_metadata(p).num_rows <= 7_000 for p in many)
    tables = [pa.concat_tables(pq.read_table(p) for p in paths) for paths in (one, many)]
    assert tables[0].schema == tables[1].schema == schema.FEED
    assert tables[0].equals(tables[1])


def test_same_seed_same_bytes(tmp_path):
    for out, seed in (("a", 21), ("b", 21), ("c", 22)):
        write_registry(generate_registry(scale="small", seed=seed), tmp_path / out)
    for name in ("trips.csv", "custody.csv", "documents.csv", "crossings.csv", "manifest.json",
                 "crossings/part-00000.parquet"):  # fmt: skip
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "trips.csv").read_bytes() != (tmp_path / "c" / "trips.csv").read_bytes()


def test_synth_command_takes_a_number_of_crossings(tmp_path):
    err = io.StringIO()
    call_command(SynthCommand(), "--out", str(tmp_path), "--officials", "80", "--crossings", "3000", stderr=err)
    assert read_manifest(tmp_path)["counts"]["crossings"] == 3000
    assert pq.read_metadata(tmp_path / "crossings" / "part-00000.parquet").num_rows == 3000
    assert "3000 crossings" in err.getvalue()


def test_engine_inputs_have_the_engine_schemas(tmp_path):
    from sojourn.synth.travel import write_engine_inputs

    manifest = write_engine_inputs(tmp_path, officials=20_000, crossings=200_000, seed=2)
    for name, want in (("officials", schema.OFFICIALS), ("documents", schema.DOCUMENTS),
                       ("custody_spans", schema.CUSTODY_SPANS), ("trips", schema.TRIPS)):  # fmt: skip
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.schema == want, name
        assert table.num_rows == manifest["counts"][name]
    feed = pa.concat_tables(pq.read_table(p) for p in sorted((tmp_path / "feed").glob("part-*.parquet")))
    assert feed.schema == schema.FEED and feed.num_rows == 200_000
    officials = pq.read_table(tmp_path / "officials.parquet").to_pydict()
    assert len(set(officials["id_number"])) == len(officials["id_number"])
    assert all(k == schema.name_key(k, "") for k in officials["name_key"][:1000])
    counts = manifest["anomalies"]
    assert all(v >= 3 for v in counts.values()), counts
    share = manifest["counts"]["covered_travellers"] / manifest["counts"]["travellers"]
    assert 0.005 < share < 0.02
    holiday = manifest["holiday"]
    assert holiday["returned_on_time"] > 0 and holiday["missing"] > 0

"""A small travel world: three officials, their documents and approved trips, and crossing feeds around them.

Registered as a pytest plugin in tests/conftest.py, so every test module can ask for ``travel_world``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sojourn.custody.models import TravelDocument
from sojourn.travel.models import Trip

HEADER = ("event_id,crossed_at,direction,port,doc_type,doc_issuer,doc_number,surname,given_name,birth_date,sex,"
          "nationality,country")
ZHANG = "ZHANG,WEI,1970-05-01,M,CHN"  # OA-1
SHAN = "SHAN,XIAOMING,1980-01-02,M,CHN"  # OA1-1
CHEN = "CHEN,JING,1975-03-04,F,CHN"  # OB-1 (the factory's birth date is overridden below)

FEED_1 = [
    # OA-1, trip T1 (HKG, 1–7 Oct): leaves 07:50 local on 1 Oct (30 Sep in UTC), back on the 6th. Clean.
    f"A1,2025-10-01T07:50:00+08:00,exit,Shenzhen Bay,passport_ordinary,CHN,E10000001,{ZHANG},HKG",
    f"A2,2025-10-06T18:00:00+08:00,entry,Shenzhen Bay,passport_ordinary,CHN,E10000001,{ZHANG},HKG",
    # OA-1 leaves on 20 Nov with no trip and comes back on the 22nd.
    f"A3,2025-11-20T09:00:00+08:00,exit,Luohu,passport_ordinary,CHN,E10000001,{ZHANG},HKG",
    f"A4,2025-11-22T21:00:00+08:00,entry,Luohu,passport_ordinary,CHN,E10000001,{ZHANG},HKG",
    # OA1-1, trip T2 (MAC, 1–5 Dec): leaves three days early, comes back 15 days late.
    f"S1,2025-11-28T10:00:00+08:00,exit,Gongbei,permit_hk_macau,CHN,C20000002,{SHAN},MAC",
    f"S2,2025-12-20T10:00:00+08:00,entry,Gongbei,permit_hk_macau,CHN,C20000002,{SHAN},MAC",
    # OB-1, trip T3 (USA, 10–15 Jan): leaves on a passport the registry does not know; no entry yet.
    f"B1,2026-01-10T13:00:00+08:00,exit,Beijing Capital Airport,passport_ordinary,CHN,G99999999,{CHEN},USA",
    # Someone not covered at all.
    "X1,2026-01-10T13:05:00+08:00,exit,Beijing Capital Airport,passport_ordinary,CHN,E55555555,WANG,FANG,"
    "1990-01-01,F,CHN,USA",
]
FEED_2 = [  # OB-1 comes back
    f"B2,2026-02-20T08:00:00+08:00,entry,Beijing Capital Airport,passport_ordinary,CHN,G99999999,{CHEN},USA",
]


def write_feed(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def travel_world(transactional_db, world, tmp_path, monkeypatch):
    monkeypatch.setenv("SOJOURN_DATA_DIR", str(tmp_path / "data"))
    oa, oa1, ob = (world.officials[k] for k in ("OA-1", "OA1-1", "OB-1"))
    ob.birth_date = date(1975, 3, 4)
    ob.save()
    passport = TravelDocument.objects.create(holder=oa, doc_type="passport_ordinary", issuer="CHN",
                                             number="E10000001", custody="in_custody")
    permit = TravelDocument.objects.create(holder=oa1, doc_type="permit_hk_macau", issuer="CHN", number="C20000002",
                                           custody="in_custody")
    trips = {
        "T1": Trip.objects.create(trip_id="T1", official=oa, purpose="private", destinations="HKG",
                                  depart_date=date(2025, 10, 1), return_date=date(2025, 10, 7), status="approved"),
        "T2": Trip.objects.create(trip_id="T2", official=oa1, purpose="private", destinations="MAC",
                                  depart_date=date(2025, 12, 1), return_date=date(2025, 12, 5), status="approved"),
        "T3": Trip.objects.create(trip_id="T3", official=ob, purpose="private", destinations="USA",
                                  depart_date=date(2026, 1, 10), return_date=date(2026, 1, 15), status="approved"),
    }
    trips["T1"].documents.add(passport)
    trips["T2"].documents.add(permit)
    return world, tmp_path


@pytest.fixture
def reconciled_synthetic(transactional_db, tmp_path, monkeypatch) -> dict:
    """The small synthetic dataset (seed 3) loaded through the import path and reconciled as of its own
    date: returns its manifest (``anomalies``, ``as_of``, ``holiday`` …)."""
    from sojourn.crossings.services import reconcile
    from sojourn.synth.dataset import generate_registry, write_registry
    from sojourn.synth.loading import load_dataset

    monkeypatch.setenv("SOJOURN_DATA_DIR", str(tmp_path / "data"))
    dataset = generate_registry(scale="small", seed=3)
    write_registry(dataset, tmp_path / "synth")
    load_dataset(tmp_path / "synth", actor="test")
    reconcile(as_of=date.fromisoformat(dataset.manifest["as_of"]), actor="test")
    return dataset.manifest

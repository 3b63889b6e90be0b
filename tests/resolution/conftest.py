"""A resolution world: the travel world plus the records identity resolution should link.

Expected clusters (the model links each by name across scripts, birth date and sex):

* ``official:OB-1`` (陈静) with ``traveller:CHN:G99999999`` (CHEN JING, crossing B1): OB-1 crossed on a
  passport the registry does not know, while the registry holds her passport E20000002 — an undeclared
  document and a duplicate holding;
* ``official:OA1-1`` (單曉明, unit A1) with ``official:OB-2`` (單曉明, unit B, same ID number): one person
  registered twice — an identity conflict;
* ``official:OB-3`` carries OA-1's ID number with another name and birth date — an identity conflict
  without a link;
* ``relative:RB-1`` (王强) with watch-list entry ``W-2``, and ``traveller:CHN:E55555555`` (WANG FANG,
  crossing X1) with entry ``W-1`` — possible matches.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sojourn.custody.models import TravelDocument
from sojourn.engine import linkage
from sojourn.screening.models import Watchlist, WatchlistEntry
from tests.factories import make_official
from tests.travel_fixtures import FEED_1, write_feed

# Test models are trained once per session when the shipped model is missing (it lands with the engine).
TRAIN_PERSONS = 2000


@pytest.fixture(scope="session")
def linkage_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if linkage.DEFAULT_MODEL_PATH.exists():
        return linkage.DEFAULT_MODEL_PATH
    import json

    from sojourn.synth.people import synthetic_persons

    persons, _truth = synthetic_persons(TRAIN_PERSONS, seed=11)
    path = tmp_path_factory.mktemp("linkage") / "model-00000000T000000-test.json"
    path.write_text(json.dumps(linkage.train(persons)), encoding="utf-8")
    return path


@pytest.fixture
def resolution_world(travel_world, linkage_model_file):
    from sojourn import conf
    from sojourn.crossings.services import import_crossings_file

    world, tmp = travel_world
    if linkage_model_file != linkage.DEFAULT_MODEL_PATH:
        target = conf.data_dir() / "linkage"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(linkage_model_file, target / linkage_model_file.name)
    ob = world.officials["OB-1"]
    TravelDocument.objects.create(holder=ob, doc_type="passport_ordinary", issuer="CHN", number="E20000002",
                                  custody="in_custody")
    world.officials["OB-2"] = make_official(
        "OB-2", world.units["B"], name_zh="單曉明", surname="SHAN", given_name="XIAOMING",
        id_number="110105198001020038", birth_date=date(1980, 1, 2))
    world.officials["OB-3"] = make_official(
        "OB-3", world.units["B"], name_zh="刘洋", surname="LIU", given_name="YANG", sex="F",
        id_number="11010519700501001X", birth_date=date(1988, 7, 15))
    internal = Watchlist.objects.create(name="internal")
    WatchlistEntry.objects.create(watchlist=internal, entry_id="W-1", name_zh="王芳", surname="WANG",
                                  given_name="FANG", birth_date=date(1990, 1, 1), sex="F", nationality="CHN",
                                  reason="absconded with funds", action="hold")
    WatchlistEntry.objects.create(watchlist=internal, entry_id="W-2", name_zh="王强", surname="WANG",
                                  given_name="QIANG", birth_date=date(1972, 3, 9), sex="M", nationality="CHN",
                                  reason="under investigation", action="refer")
    import_crossings_file(path=write_feed(tmp / "feed1.csv", FEED_1), actor="test")
    return world, tmp

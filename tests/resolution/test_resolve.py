"""Identity resolution end to end: registry, crossing store and watch list → resolve → findings of four rules.

The tests commit their data (transactional_db, through ``travel_world``), as reconciliation's do.
"""

from __future__ import annotations

import io
import json
from datetime import date

from django.core.management import call_command

from sojourn.alerts.models import Finding, FindingStatus
from sojourn.audit.models import AuditEvent
from sojourn.crossings.services import import_crossings_file
from sojourn.engine.linkage import PERSONS
from sojourn.resolution.models import ClusterMember, LinkPair, ResolutionRun
from sojourn.resolution.services import CODES, judge_pair, resolve
from sojourn.resolution.snapshot import gather_persons
from tests.travel_fixtures import write_feed

AS_OF = date(2026, 3, 1)
NEW_TRAVELLER = ["Z1,2026-02-01T09:00:00+08:00,exit,Luohu,passport_ordinary,CHN,E77777777,ZHANG,WEI,1970-05-01,M,"
                 "CHN,HKG"]


def linkage_findings() -> list[tuple[str, str]]:
    return sorted(Finding.objects.filter(code__in=CODES, details__source="linkage").values_list("code", "subject_id"))


def pair(left: str, right: str) -> LinkPair:
    return LinkPair.objects.get(unique_id_l=left, unique_id_r=right, active=True)


def clusters() -> dict[str, str]:
    return dict(ClusterMember.objects.values_list("unique_id", "cluster_id"))


def test_gather_persons_reads_every_source(resolution_world):
    persons = gather_persons(today=AS_OF)
    assert persons.schema == PERSONS
    rows = {r["unique_id"]: r for r in persons.to_pylist()}
    assert {r["source"] for r in rows.values()} == {"official", "relative", "traveller", "watchlist"}
    # Crossings on registry documents are the registry's; only the unknown documents become travellers.
    assert sorted(u for u in rows if u.startswith("traveller:")) == ["traveller:CHN:E55555555",
                                                                     "traveller:CHN:G99999999"]
    assert rows["traveller:CHN:G99999999"]["events"] == ["B1"]
    assert rows["traveller:CHN:G99999999"]["document_types"] == ["passport_ordinary"]
    assert rows["official:OB-1"]["documents"] == ["CHN:E20000002"]
    assert rows["watchlist:internal:W-2"]["name_zh"] == "王强"


def test_resolve_raises_the_four_findings_with_evidence(resolution_world):
    result = resolve(actor="test", today=AS_OF)
    assert (result.mode, result.reason, result.records) == ("full", "first run", 11)
    assert linkage_findings() == [
        ("document.duplicate_holding", "OB-1"),
        ("document.identity_conflict", "OA-1"),  # OB-3 carries OA-1's ID number under another name
        ("document.identity_conflict", "OA1-1"),  # registered twice: OA1-1 and OB-2
        ("document.identity_conflict", "OB-2"),
        ("document.identity_conflict", "OB-3"),
        ("screening.possible_match", "OB-1"),  # OB-1's relative RB-1 is list entry W-2
        ("screening.possible_match", "traveller:CHN:E55555555"),
        ("travel.undeclared_document", "OB-1"),
    ]
    traveller = pair("official:OB-1", "traveller:CHN:G99999999")
    undeclared = Finding.objects.get(code="travel.undeclared_document")
    assert undeclared.dedupe_key == "travel.undeclared_document:OB-1:CHN:G99999999"
    assert f"linkpair:{traveller.pk}" in undeclared.evidence and "crossing:B1" in undeclared.evidence
    assert "G99999999" in undeclared.text and "flag for review" in undeclared.text
    [used] = undeclared.details["pairs"]
    assert used["pair"] == str(traveller.pk) and used["match_probability"] >= 0.95
    assert used["evidence"]["birth_date"]["label"] and "bayes_factor" in used["evidence"]["name"]
    holding = Finding.objects.get(code="document.duplicate_holding")
    assert holding.details["documents"] == ["CHN:E20000002", "CHN:G99999999"]
    match = Finding.objects.get(code="screening.possible_match", subject_id="OB-1")
    assert match.details["entry_id"] == "W-2" and "relative:RB-1" in match.evidence
    assert sorted(traveller.codes) == ["document.duplicate_holding", "travel.undeclared_document"]
    assert traveller.unit_l.code == "B" and traveller.unit_r is None
    assert clusters()["traveller:CHN:G99999999"] == "official:OB-1"

    [job] = AuditEvent.objects.filter(action="job", object_id="resolve")
    assert job.detail["records"] == 11 and job.detail["mode"] == "full"
    assert job.detail["findings"]["document.identity_conflict"] == 4

    again = resolve(actor="test", today=AS_OF)
    assert (again.mode, again.linked, again.stored.created) == ("incremental", 0, 0)
    assert ResolutionRun.objects.count() == 2


def test_incremental_run_links_a_new_traveller_as_a_full_run_would(resolution_world):
    world, tmp = resolution_world
    resolve(actor="test", today=AS_OF)
    import_crossings_file(path=write_feed(tmp / "feed3.csv", NEW_TRAVELLER), actor="test")
    result = resolve(actor="test", today=AS_OF)
    assert (result.mode, result.linked) == ("incremental", 1)
    assert clusters()["traveller:CHN:E77777777"] == "official:OA-1"
    new = Finding.objects.get(code="travel.undeclared_document", subject_id="OA-1")
    assert "crossing:Z1" in new.evidence and "E77777777" in new.text
    incremental = clusters()
    pairs = set(LinkPair.objects.filter(active=True).values_list("unique_id_l", "unique_id_r", "data_key"))

    full = resolve(actor="test", today=AS_OF, full=True)
    assert (full.mode, full.stored.created) == ("full", 0)
    assert clusters() == incremental
    assert set(LinkPair.objects.filter(active=True).values_list("unique_id_l", "unique_id_r", "data_key")) == pairs


def test_a_rejected_pair_is_not_raised_again(resolution_world):
    world, _tmp = resolution_world
    resolve(actor="test", today=AS_OF)
    rejected = pair("official:OB-1", "traveller:CHN:G99999999")
    judge_pair(pair=rejected, verdict="rejected", actor=world.users["inspector"], reason="her sister's passport")
    resting = Finding.objects.filter(code__in=["travel.undeclared_document", "document.duplicate_holding"])
    assert {f.status for f in resting} == {FindingStatus.DISMISSED}

    result = resolve(actor="test", today=AS_OF, full=True)
    assert result.stored.created == 0
    assert "travel.undeclared_document" not in result.by_code and "document.duplicate_holding" not in result.by_code
    assert LinkPair.objects.get(pk=rejected.pk).review == "rejected"
    assert {f.status for f in resting.all()} == {FindingStatus.DISMISSED}  # never reopened


def test_a_changed_record_reopens_review(resolution_world):
    world, _tmp = resolution_world
    resolve(actor="test", today=AS_OF)
    rejected = pair("official:OB-1", "traveller:CHN:G99999999")
    judge_pair(pair=rejected, verdict="rejected", actor="test", reason="not her")
    ob = world.officials["OB-1"]
    ob.sex = "F"
    ob.given_name = "JING"
    ob.post = "director"  # not an identifying field: no new pair
    ob.save()
    assert resolve(actor="test", today=AS_OF).mode == "incremental"
    ob.name_zh = "陈晶"  # an identifying field: the pair is scored anew and awaits review again
    ob.save()
    result = resolve(actor="test", today=AS_OF)
    assert (result.mode, result.reason) == ("full", "1 records changed or removed")
    fresh = LinkPair.objects.filter(unique_id_l="official:OB-1", unique_id_r="traveller:CHN:G99999999", active=True)
    assert [p.review for p in fresh] == ["pending"] and fresh[0].pk != rejected.pk


def test_resolve_command_prints_a_json_summary(resolution_world):
    out = io.StringIO()
    call_command("resolve", "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert summary["mode"] == "full" and summary["records"] == 11 and summary["clusters"] == 4
    assert summary["findings"]["travel.undeclared_document"] == 1


def test_train_learns_from_judgements_and_later_runs_use_the_saved_model(resolution_world):
    world, _tmp = resolution_world
    resolve(actor="test", today=AS_OF)
    judge_pair(pair=pair("official:OB-1", "traveller:CHN:G99999999"), verdict="confirmed", actor="test")
    judge_pair(pair=pair("official:OA1-1", "official:OB-2"), verdict="rejected", actor="test", reason="twins")
    trained = resolve(actor="test", today=AS_OF, train=True)
    assert trained.run.trained and trained.mode == "full"
    from sojourn.engine.linkage import model_version
    from sojourn.resolution.services import current_model, models_dir

    saved = sorted(models_dir().glob("model-*.json"))
    assert saved and model_version(current_model()) == trained.run.model_version
    job = AuditEvent.objects.filter(object_id="resolve").order_by("-seq").first()
    assert job.detail["train"] is True and job.detail["model_path"] == str(saved[-1])
    assert resolve(actor="test", today=AS_OF).run.model_version == trained.run.model_version

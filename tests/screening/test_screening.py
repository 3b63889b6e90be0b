"""Watchlists: the import (all or nothing, idempotent), the index, `sojourn screen` and `POST /api/v1/screen`."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from sojourn.accounts.api_auth import revoke_token
from sojourn.accounts.models import ApiToken
from sojourn.audit.models import AuditEvent
from sojourn.custody.models import TravelDocument
from sojourn.registry.services import ImportReport
from sojourn.screening.importing import import_watchlist_file
from sojourn.screening.models import Watchlist, WatchlistEntry
from sojourn.screening.services import current_index

HEADER = (
    "entry_id,list,name_zh,surname,given_name,aliases,birth_date,sex,nationality,id_number,doc_numbers,"
    "reason,action,valid_from,valid_to\n"
)
GOOD = HEADER + (
    "W-1,internal,张伟,ZHANG,WEI,,1970-05-01,M,CHN,,,under investigation,hold,2020-01-01,\n"
    "W-2,external,,CHAN,Tai Man,CHAN Tai Man Peter,1965-03-04,M,HKG,,,,refer,,\n"
    "W-3,internal,,LI,MING,,,,,,E 1234 5678; G87654321,wanted,hold,,\n"
    "W-4,internal,王芳,WANG,FANG,,1980-01-01,F,CHN,,,expired entry,hold,2010-01-01,2015-12-31\n"
)


def load(tmp_path: Path, content: str, name: str = "watchlist.csv", **kwargs: Any) -> ImportReport:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return import_watchlist_file(path=path, actor="tester", **kwargs)


def imports() -> int:
    return AuditEvent.objects.filter(action="import", object_type="import:watchlist").count()


def screening_rows() -> int:
    return AuditEvent.objects.filter(object_type="screening").count()


def screen_json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("screen", *args, "--json", stdout=out, stderr=io.StringIO())
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def entry(result: dict[str, Any], entry_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in result["matches"] if m["entry_id"] == entry_id)
    return found


@pytest.fixture
def lists(tmp_path: Path, db: None) -> None:
    report = load(tmp_path, GOOD)
    assert report.ok, [str(e) for e in report.errors]


@pytest.mark.django_db
def test_import_creates_lists_and_entries_with_one_audit_row(tmp_path: Path) -> None:
    report = load(tmp_path, GOOD)
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    assert sorted(Watchlist.objects.values_list("name", flat=True)) == ["external", "internal"]
    w3 = WatchlistEntry.objects.get(entry_id="W-3")
    assert w3.doc_numbers == "E12345678;G87654321"
    assert imports() == 1


@pytest.mark.django_db
def test_reimport_is_a_no_op(tmp_path: Path) -> None:
    load(tmp_path, GOOD)
    again = load(tmp_path, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert WatchlistEntry.objects.count() == 4


@pytest.mark.django_db
def test_a_changed_row_updates_the_entry_and_the_index(tmp_path: Path) -> None:
    load(tmp_path, GOOD)
    assert len(current_index()) == 3  # W-4's window is over
    changed = GOOD.replace("2010-01-01,2015-12-31", "2010-01-01,")
    report = load(tmp_path, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert len(current_index()) == 4


@pytest.mark.django_db
def test_bad_rows_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    bad = GOOD + (
        "W-5,internal,,,,,1970-13-01,M,CHN,,,,hold,,\n"
        "W-6,internal,李四,,,,,X,China,,,,jail,,\n"
        "W-1,internal,张伟,,,,,,,,,,hold,,\n"
        "W-7,internal,,,,,,M,CHN,,,,hold,,\n"
        "W-8,internal,李五,,,,,M,CHN,,,,hold,2020-01-01,2019-01-01\n"
    )
    report = load(tmp_path, bad)
    assert not report.ok
    shown = [str(e) for e in report.errors]
    assert any("row 6, birth_date '1970-13-01': not a date" in e for e in shown), shown
    assert any("row 7, sex 'X'" in e for e in shown), shown
    assert any("row 7, nationality" in e for e in shown), shown
    assert any("row 7, action 'jail'" in e for e in shown), shown
    assert any("row 8" in e and "duplicate of row 2" in e for e in shown), shown
    assert any("row 9, name_zh" in e and "needs a name" in e for e in shown), shown
    assert any("row 10, valid_to" in e and "before valid_from" in e for e in shown), shown
    assert WatchlistEntry.objects.count() == 0 and Watchlist.objects.count() == 0
    assert imports() == 0


@pytest.mark.django_db
def test_unknown_column_is_reported(tmp_path: Path) -> None:
    report = load(tmp_path, GOOD.replace("valid_to\n", "valid_to,extra\n", 1))
    assert any("extra" in str(e) and "unknown column" in str(e) for e in report.errors)
    assert WatchlistEntry.objects.count() == 0


@pytest.mark.django_db
def test_import_command_takes_watchlist(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.csv"
    path.write_text(GOOD, encoding="utf-8")
    err = io.StringIO()
    call_command("import", "watchlist", str(path), stdout=io.StringIO(), stderr=err)
    assert "4 rows imported: 4 created" in err.getvalue()
    assert WatchlistEntry.objects.count() == 4


def test_cheung_wai_born_that_day_finds_zhang_wei(lists: None) -> None:
    before = screening_rows()
    result = screen_json("--name", "CHEUNG Wai", "--birth-date", "1970-05-01")
    top = result["matches"][0]
    assert (top["entry_id"], top["list"], top["match"]) == ("W-1", "internal", True)
    assert result["decision"] == "hold"
    assert result["document"] is None and result["ruleset"]
    assert screening_rows() == before + 1


def test_name_only_is_at_most_refer(lists: None) -> None:
    result = screen_json("--name", "ZHANG Wei")
    assert result["decision"] == "refer"
    assert entry(result, "W-1")["match"] is True


def test_hong_kong_spelling_on_the_list_is_found(lists: None) -> None:
    result = screen_json("--name", "CHAN TAI MAN", "--birth-date", "1965-03-04")
    assert entry(result, "W-2")["match"] is True
    assert result["decision"] == "refer"  # the entry's action is refer


def test_expired_entries_are_not_screened(lists: None) -> None:
    result = screen_json("--name", "王芳", "--birth-date", "1980-01-01")
    assert all(m["entry_id"] != "W-4" for m in result["matches"])
    assert result["decision"] == "clear"


def test_a_document_number_decides(lists: None) -> None:
    result = screen_json("--name", "Somebody Else", "--document", "G87654321")
    w3 = entry(result, "W-3")
    assert w3["match"] is True and w3["score"] == 1.0
    assert result["decision"] == "hold"


def test_a_lost_document_holds(world: Any, lists: None) -> None:
    TravelDocument.objects.create(
        holder=world.officials["OB-1"], doc_type="passport_ordinary", issuer="CHN", number="E55554444",
        custody="not_handed_in", status="lost",
    )  # fmt: skip
    result = screen_json("--name", "Nobody", "--document", "E 5555 4444")
    assert result["decision"] == "hold"
    assert any(e.startswith("document.lost_or_stolen") for e in result["matches"][0]["explanations"])
    assert "CHEN" not in json.dumps(result)  # the verdict, never the holder


def test_table_output_goes_to_stderr(lists: None) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("screen", "--name", "张伟", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "decision: refer" in err.getvalue() and "internal:W-1" in err.getvalue()


# --- the API ---------------------------------------------------------------------------------


def post(client: Client, body: dict[str, Any], **extra: Any) -> Any:
    return client.post("/api/v1/screen", data=json.dumps(body), content_type="application/json", **extra)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_checkpoint_token_screens_and_is_audited(world: Any, lists: None) -> None:
    before = screening_rows()
    response = post(
        Client(), {"name": "CHEUNG Wai", "birth_date": "1970-05-01"}, **bearer(world.checkpoint_token)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "hold" and body["matches"][0]["entry_id"] == "W-1"
    assert set(body) >= {"decision", "matches", "document", "ruleset"}
    assert screening_rows() == before + 1
    event = AuditEvent.objects.filter(object_type="screening").latest("seq")
    assert event.actor == "checkpoint" and event.detail["decision"] == "hold"
    assert event.detail["matches"] == ["internal:W-1"]


def test_every_call_is_audited(world: Any, lists: None) -> None:
    before = screening_rows()
    for _ in range(7):
        assert post(Client(), {"name": "ZHANG Wei"}, **bearer(world.checkpoint_token)).status_code == 200
    assert screening_rows() == before + 7


def test_mrz_fills_the_query_and_is_checked(world: Any, lists: None) -> None:
    from sojourn.core.documents import make_td3

    zone = make_td3(
        document_code="P", issuer="CHN", surname="ZHANG", given_names="WEI", document_number="EC1234567",
        nationality="CHN", birth_date=date(1970, 5, 1), sex="M", expiry_date=date(2034, 5, 1),
    )  # fmt: skip
    response = post(Client(), {"mrz": zone}, **bearer(world.checkpoint_token))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document"]["valid"] is True and body["document"]["kind"] == "TD3"
    assert body["decision"] == "hold" and body["matches"][0]["entry_id"] == "W-1"


def test_empty_request_is_refused(world: Any, lists: None) -> None:
    assert post(Client(), {}, **bearer(world.checkpoint_token)).status_code == 422


def test_session_login_is_not_accepted(world: Any, lists: None) -> None:
    for persona in ("inspector", "admin", "checkpoint"):
        assert post(world.client(persona), {"name": "ZHANG Wei"}).status_code == 401


def test_revoked_token_is_refused(world: Any, lists: None) -> None:
    revoke_token(ApiToken.objects.get(scope="screening"))
    response = post(Client(), {"name": "ZHANG Wei"}, **bearer(world.checkpoint_token))
    assert response.status_code == 401


def test_an_api_token_is_not_a_screening_token(world: Any, lists: None) -> None:
    from sojourn.accounts.services import issue_token

    token = issue_token(user=world.users["inspector"], name="laptop", scope="api")
    assert post(Client(), {"name": "ZHANG Wei"}, **bearer(token)).status_code == 401


def test_watchlists_for_inspectors_only(world: Any, lists: None) -> None:
    body = world.client("inspector").get("/api/v1/watchlists").json()
    assert body == [
        {"name": "external", "description": "", "entries": 1},
        {"name": "internal", "description": "", "entries": 3},
    ]
    for persona in ("registrar_a", "outsider", "auditor", "checkpoint"):
        assert world.client(persona).get("/api/v1/watchlists").status_code == 403
    assert Client().get("/api/v1/watchlists", **bearer(world.checkpoint_token)).status_code == 401


def test_index_notices_changes_made_by_another_process(lists: None) -> None:
    from sojourn.screening import services

    first = current_index()
    assert len(first) == 3
    # A raw delete sends no signal and calls no invalidate_index(): as if another process did it.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WatchlistEntry._meta.db_table} WHERE entry_id = %s", ["W-3"])
    assert current_index() is first  # read again only every RECHECK_SECONDS
    services._HOLDER.checked -= services.RECHECK_SECONDS  # that much later
    assert len(current_index()) == 2
    assert current_index() is current_index()  # unchanged lists: the same index
    assert current_index(max_age=0) is current_index()


def test_the_lists_version_changes_with_every_kind_of_change(lists: None) -> None:
    from sojourn.screening.services import lists_version

    today = date(2026, 1, 1)
    seen = [lists_version(today)]

    def changed() -> bool:
        seen.append(lists_version(today))
        return seen[-1] != seen[-2]

    internal = Watchlist.objects.get(name="internal")
    WatchlistEntry.objects.create(watchlist=internal, entry_id="W-5", surname="ZHAO", given_name="LEI")
    assert changed()
    entry = WatchlistEntry.objects.get(entry_id="W-2")
    entry.reason = "new reason"
    entry.save()
    assert changed()
    with connection.cursor() as cursor:  # another process's delete: no signal, only the count moves
        cursor.execute(f"DELETE FROM {WatchlistEntry._meta.db_table} WHERE entry_id = %s", ["W-3"])
    assert changed()
    Watchlist.objects.create(name="new list")
    assert changed()
    internal.description = "renamed"
    internal.save()
    assert changed()
    assert not changed()


def test_index_drops_at_once_when_this_process_changes_a_list(lists: None) -> None:
    assert len(current_index()) == 3
    WatchlistEntry.objects.filter(entry_id="W-3").delete()
    assert len(current_index()) == 2
    entry = WatchlistEntry.objects.get(entry_id="W-2")
    entry.valid_to = date(2000, 1, 1)
    entry.save()
    assert len(current_index()) == 1

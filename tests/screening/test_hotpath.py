"""The screening hot path (`sojourn serve-screening`): the same answers and tokens as POST /api/v1/screen,
every call audited through the group-commit writer, a revoked token refused within the cache's bound.

The app runs under Starlette's TestClient (its lifespan included) over the real test database; the
data is committed (transactional_db) because the app reads it from its own threads.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from starlette.testclient import TestClient

from sojourn.accounts.api_auth import revoke_token
from sojourn.accounts.models import ApiToken
from sojourn.audit.models import AuditEvent
from sojourn.audit.services import verify_chain
from sojourn.custody.models import TravelDocument
from sojourn.screening.hotpath import TokenCache, create_app
from sojourn.screening.serve import CoalescingTransport
from tests.screening.test_screening import GOOD, load, screening_rows

QUERIES: list[dict[str, Any]] = [
    {"name": "CHEUNG Wai", "birth_date": "1970-05-01"},
    {"name": "张伟"},
    {"name": "CHAN TAI MAN", "birth_date": "1965-03-04"},
    {"name": "王芳", "birth_date": "1980-01-01"},
    {"name": "Somebody Else", "document_number": "G87654321"},
    {"name": "Nobody", "document_number": "E 5555 4444"},
    {"name": "Olaf Scholz", "sex": "M", "nationality": "DEU"},
]


@pytest.fixture
def lists(transactional_db: None, tmp_path: Path) -> None:
    report = load(tmp_path, GOOD)
    assert report.ok, [str(e) for e in report.errors]


@pytest.fixture
def hot(transactional_db: None, world: Any, lists: None) -> Iterator[TestClient]:
    with TestClient(create_app(flush_seconds=0.01, token_ttl=0.3, index_check=0.2)) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def drain(hot: TestClient) -> None:
    """Let the audit writer commit what it holds (in-memory SQLite's shared cache does not wait for locks)."""
    hot.app.state.screening.writer.drain()  # type: ignore[attr-defined]


def django_screen(body: dict[str, Any], token: str, hot: TestClient | None = None) -> tuple[int, Any]:
    if hot is not None:
        drain(hot)
    response = Client().post(
        "/api/v1/screen", data=json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    return response.status_code, response.json()


def test_same_answers_as_the_django_endpoint(world: Any, hot: TestClient) -> None:
    TravelDocument.objects.create(
        holder=world.officials["OB-1"], doc_type="passport_ordinary", issuer="CHN", number="E55554444",
        custody="not_handed_in", status="lost",
    )  # fmt: skip
    for body in QUERIES:
        response = hot.post("/screen", json=body, headers=bearer(world.checkpoint_token))
        assert (response.status_code, response.json()) == django_screen(body, world.checkpoint_token, hot), body
    decisions = [hot.post("/screen", json=q, headers=bearer(world.checkpoint_token)).json()["decision"]
                 for q in QUERIES]  # fmt: skip
    assert decisions == ["hold", "refer", "refer", "clear", "hold", "hold", "clear"]


def test_lost_documents_are_asked_on_one_kept_connection_and_seen_at_once(
    world: Any, hot: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from sojourn.screening import hotpath, services

    seen: list[tuple[str, object]] = []
    reconnects: list[str] = []
    ask = services.lost_document

    def lost_document(number: str | None) -> dict[str, Any] | None:
        found = ask(number)
        seen.append((threading.current_thread().name, connection.connection))  # the DB-API connection used
        return found

    def close_old_connections() -> None:  # with CONN_MAX_AGE=0 (SQLite) a reconnect every time
        reconnects.append(threading.current_thread().name)

    monkeypatch.setattr(services, "lost_document", lost_document)
    monkeypatch.setattr(hotpath, "close_old_connections", close_old_connections)
    body = {"name": "Nobody", "document_number": "E 5555 4444"}
    assert hot.post("/screen", json=body, headers=bearer(world.checkpoint_token)).json()["decision"] == "clear"
    TravelDocument.objects.create(
        holder=world.officials["OB-1"], doc_type="passport_ordinary", issuer="CHN", number="E55554444",
        custody="not_handed_in", status="lost",
    )  # fmt: skip
    answers = [hot.post("/screen", json=body, headers=bearer(world.checkpoint_token)).json() for _ in range(3)]
    assert [a["decision"] for a in answers] == ["hold"] * 3  # reported stolen: the next request holds
    assert answers[0]["matches"][0]["entry_id"] == "document:E55554444"
    # The lost-document threads ask, each on one connection it keeps: never handed to close_old_connections().
    assert len(seen) == 4 and all(name.startswith("lost-documents") and used is not None for name, used in seen)
    assert all(used is dict(seen)[name] for name, used in seen)
    assert not [r for r in reconnects if r.startswith("lost-documents")]


def test_mrz_and_refusals_match_the_django_endpoint(world: Any, hot: TestClient) -> None:
    from datetime import date

    from sojourn.core.documents import make_td3

    zone = make_td3(
        document_code="P", issuer="CHN", surname="ZHANG", given_names="WEI", document_number="EC1234567",
        nationality="CHN", birth_date=date(1970, 5, 1), sex="M", expiry_date=date(2034, 5, 1),
    )  # fmt: skip
    for body in ({"mrz": zone}, {}, {"name": "   "}, {"name": "X", "birth_date": "1970-13-01"}):
        response = hot.post("/screen", json=body, headers=bearer(world.checkpoint_token))
        expected = django_screen(body, world.checkpoint_token, hot)
        assert response.status_code == expected[0], body
        if response.status_code == 200:
            assert response.json() == expected[1]
        else:
            assert response.status_code == 422 and "detail" in response.json()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"name": 5}', '{"birth_date": "1970-02-30", "name": "X"}'])
def test_bad_bodies_are_refused_as_the_django_endpoint_refuses_them(world: Any, hot: TestClient, body: str) -> None:
    headers = {"Authorization": f"Bearer {world.checkpoint_token}", "Content-Type": "application/json"}
    response = hot.post("/screen", content=body, headers=headers)
    drain(hot)
    expected = Client().post("/api/v1/screen", data=body, content_type="application/json",
                             HTTP_AUTHORIZATION=headers["Authorization"])  # fmt: skip
    assert (response.status_code, response.json()) == (expected.status_code, expected.json())



def test_the_fast_route_answers_as_the_starlette_route(world: Any, hot: TestClient) -> None:
    """POST /screen skips Starlette's routing (HotPath); the same ScreeningApp behind Starlette's route answers alike."""
    routed = TestClient(hot.app.starlette)  # type: ignore[attr-defined]  # no lifespan: the state is hot's
    token = f"Bearer {world.checkpoint_token}"
    cases = [(token, json.dumps(body)) for body in QUERIES]
    cases += [(token, "not json"), (token, '{"name": 5}'), (token, "{}"), (None, "{}"), ("Basic abc", "{}"),
              (f"bearer  {world.checkpoint_token}", json.dumps(QUERIES[0])), ("Bearer nope", json.dumps(QUERIES[0]))]  # fmt: skip
    for authorization, body in cases:
        headers = {"Content-Type": "application/json", **({"Authorization": authorization} if authorization else {})}
        fast, slow = (client.post("/screen", content=body, headers=headers) for client in (hot, routed))
        assert (fast.status_code, fast.content) == (slow.status_code, slow.content), (authorization, body)
        assert fast.headers["content-type"] == slow.headers["content-type"] == "application/json"
        assert fast.headers["content-length"] == slow.headers["content-length"]
    assert hot.get("/screen").status_code == routed.get("/screen").status_code == 405
    drain(hot)

AWKWARD = [
    '{"birth_date": 0}', '{"birth_date": 86400.0}', '{"birth_date": 1.5}', '{"birth_date": "1970-01-01T00:00:00"}',
    '{"birth_date": "1970-01-01T00:00:00Z"}', '{"birth_date": "1970-01-01T01:00:00"}', '{"birth_date": "19700101"}',
    '{"birth_date": "86400"}', '{"birth_date": true}', '{"birth_date": ""}', '{"birth_date": null}',
    '{"name": 5}', '{"name": true}', '{"name": ["a"]}', '{"name": "\\ud800"}', '{"name": "a", "name": "b"}',
    '{"name": "a\\u0000b"}', '{"extra": 1}', "{}", "[]", "null", '"x"', "1", ' {"name": "x"} ', '{"name": "x"} x',
    '{"mrz": "P<CHN", "sex": "X", "nationality": "", "id_number": "1", "document_number": null}',
]  # fmt: skip


@pytest.mark.parametrize("body", AWKWARD)
def test_the_plain_body_model_takes_only_what_screen_in_takes_alike(body: str) -> None:
    """The hot path validates with a plain copy of ScreenIn first; what it accepts must be ScreenIn's answer."""
    from pydantic import ValidationError

    from sojourn.screening.api import ScreenIn
    from sojourn.screening.hotpath import _PlainScreenIn

    try:
        plain = _PlainScreenIn.model_validate_json(body).model_dump()
    except ValidationError:
        return  # the hot path asks ScreenIn itself
    assert ScreenIn.model_validate_json(body).model_dump() == plain


def test_a_failed_audit_write_is_retried(world: Any, lists: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    from sojourn.screening import hotpath

    failures, write = [OperationalError("database is locked")], hotpath.record_many

    def flaky(batch: list[Any]) -> int:
        if failures:
            raise failures.pop()
        return write(batch)

    monkeypatch.setattr(hotpath, "RETRY_SECONDS", 0.01)
    before = screening_rows()
    with TestClient(create_app(flush_seconds=0.005)) as hot:
        monkeypatch.setattr(hotpath, "record_many", flaky)
        for body in QUERIES[:3]:
            assert hot.post("/screen", json=body, headers=bearer(world.checkpoint_token)).status_code == 200
        drain(hot)
        assert not failures
    assert screening_rows() == before + 3
    assert verify_chain().ok


def test_no_token_or_another_scope_is_refused(world: Any, hot: TestClient) -> None:
    from sojourn.accounts.services import issue_token

    before = screening_rows()
    assert hot.post("/screen", json={"name": "ZHANG Wei"}).status_code == 401
    assert hot.post("/screen", json={"name": "ZHANG Wei"}, headers={"Authorization": "Token x"}).status_code == 401
    assert hot.post("/screen", json={"name": "ZHANG Wei"}, headers=bearer("sjn_wrong")).status_code == 401
    drain(hot)
    api_token = issue_token(user=world.users["inspector"], name="laptop", scope="api")
    response = hot.post("/screen", json={"name": "ZHANG Wei"}, headers=bearer(api_token))
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}
    assert screening_rows() == before


def test_a_revoked_token_stops_working_within_the_cache_bound(world: Any, hot: TestClient) -> None:
    body, headers = {"name": "ZHANG Wei"}, bearer(world.checkpoint_token)
    assert hot.post("/screen", json=body, headers=headers).status_code == 200
    drain(hot)
    revoke_token(ApiToken.objects.get(scope="screening"))
    time.sleep(0.35)  # token_ttl=0.3 in the fixture; the default bound is TOKEN_TTL (5 s)
    assert hot.post("/screen", json=body, headers=headers).status_code == 401


def test_a_token_is_checked_once_however_many_wait_and_again_before_it_runs_out() -> None:
    calls: list[str] = []
    release = threading.Event()

    def check(digest: str) -> str | None:  # the database, slow to answer
        calls.append(digest)
        release.wait(5)
        tokens._valid[digest] = ("checkpoint", time.monotonic() + tokens.ttl)
        return "checkpoint"

    tokens = TokenCache(ttl=10.0)
    tokens.check = check  # type: ignore[method-assign]

    async def scenario() -> None:
        waiting = [asyncio.ensure_future(tokens.user("d1")) for _ in range(8)]
        await asyncio.sleep(0.05)
        release.set()
        assert await asyncio.gather(*waiting) == ["checkpoint"] * 8
        assert calls == ["d1"]  # eight requests, one check
        release.clear()
        tokens._valid["d1"] = ("checkpoint", time.monotonic() + 1.0)  # less than TOKEN_REFRESH left
        for _ in range(5):  # answered at once from the cache; one check runs behind them
            assert await asyncio.wait_for(tokens.user("d1"), 0.5) == "checkpoint"
            await asyncio.sleep(0.01)
        for _ in range(200):  # the check reaches its thread
            if len(calls) == 2:
                break
            await asyncio.sleep(0.01)
        assert calls == ["d1", "d1"]
        release.set()
        while tokens._checking:
            await asyncio.sleep(0.01)
        assert tokens._valid["d1"][1] > time.monotonic() + 9  # trusted for another ttl
        assert await tokens.user("d1") == "checkpoint" and len(calls) == 2

    run_apart(scenario)


def run_apart(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run the scenario's event loop in a thread of its own: in the whole suite, the browser
    tests leave an event loop running in this one."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # re-raised below, in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    if failures:
        raise failures[0]


def test_a_response_leaves_in_one_write_and_nothing_is_held_past_the_turn() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.writes: list[bytes] = []
            self.closed = False

        def write(self, data: bytes) -> None:
            self.writes.append(data)

        def close(self) -> None:
            self.closed = True

        def is_closing(self) -> bool:
            return self.closed

        def get_extra_info(self, name: str) -> str:
            return f"real {name}"

    async def scenario() -> None:
        real = Recorder()
        transport = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(memoryview(b"{}"))
        assert real.writes == []  # held until the turn ends
        await asyncio.sleep(0)
        assert real.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
        transport.write(b"head of a streamed response")  # nothing follows it this turn
        await asyncio.sleep(0)
        assert real.writes[-1] == b"head of a streamed response"
        transport.write(b"last words")
        transport.close()  # what is held goes out before the close
        assert real.writes[-1] == b"last words" and real.closed
        await asyncio.sleep(0)
        assert len(real.writes) == 3
        assert transport.get_extra_info("peername") == "real peername"
        transport.write(b"to a peer gone before the turn ended")  # the connection closed meanwhile
        await asyncio.sleep(0)
        assert len(real.writes) == 3

    run_apart(scenario)


def test_every_call_is_audited_and_the_chain_verifies(world: Any, lists: None) -> None:
    before = screening_rows()
    with TestClient(create_app(flush_seconds=0.005, flush_rows=3)) as hot:
        for k in range(21):
            body = QUERIES[k % len(QUERIES)]
            assert hot.post("/screen", json=body, headers=bearer(world.checkpoint_token)).status_code == 200
            if k == 10:  # a row written meanwhile by the Django side joins the same chain
                assert django_screen(body, world.checkpoint_token, hot)[0] == 200
    assert screening_rows() == before + 22
    event = AuditEvent.objects.filter(object_type="screening").latest("seq")
    assert event.actor == "checkpoint" and event.purpose == "screening"
    assert event.detail["decision"] == "clear" and event.detail["query"]["nationality"] == "DEU"
    report = verify_chain()
    assert report.ok, report.reason


def test_queued_rows_are_written_on_shutdown(world: Any, lists: None) -> None:
    before = screening_rows()
    with TestClient(create_app(flush_seconds=3600, flush_rows=10_000)) as hot:
        for body in QUERIES[:5]:
            assert hot.post("/screen", json=body, headers=bearer(world.checkpoint_token)).status_code == 200
        time.sleep(0.1)
        assert screening_rows() == before  # still queued: the batch is neither full nor due
    assert screening_rows() == before + 5
    assert verify_chain().ok


def test_the_index_follows_a_changed_list(world: Any, hot: TestClient, tmp_path: Path) -> None:
    body, headers = {"name": "王芳", "birth_date": "1980-01-01"}, bearer(world.checkpoint_token)
    assert hot.post("/screen", json=body, headers=headers).json()["decision"] == "clear"
    drain(hot)
    load(tmp_path, GOOD.replace("2010-01-01,2015-12-31", "2010-01-01,"), name="changed.csv")
    deadline = time.monotonic() + 5
    while hot.post("/screen", json=body, headers=headers).json()["decision"] == "clear":
        assert time.monotonic() < deadline, "the hot path never saw the changed list"
        time.sleep(0.1)
    assert hot.post("/screen", json=body, headers=headers).json()["matches"][0]["entry_id"] == "W-4"


def test_healthz(hot: TestClient) -> None:
    assert hot.get("/healthz").text == "ok"


def test_serve_screening_runs_uvicorn_with_the_hot_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command

    seen: list[list[str]] = []
    monkeypatch.setattr("os.execvp", lambda file, argv: seen.append(argv))
    call_command("serve_screening", "--port", "9001", "--workers", "3")
    argv = seen[0]
    assert argv[1:3] == ["-m", "sojourn.screening.serve"]
    assert argv[argv.index("--port") + 1] == "9001" and argv[argv.index("--workers") + 1] == "3"


def test_a_worker_lets_the_event_loop_take_the_gil_back_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import uvicorn

    from sojourn.screening import serve

    ran: list[float] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: ran.append(sys.getswitchinterval()))
    monkeypatch.setattr(serve, "listening_socket", lambda host, port: None)
    before = sys.getswitchinterval()
    try:
        serve.run_worker("127.0.0.1", 0)
    finally:
        sys.setswitchinterval(before)
    assert ran == [pytest.approx(serve.SWITCH_SECONDS)] and before > serve.SWITCH_SECONDS

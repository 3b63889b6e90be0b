"""The screening hot path: ``POST /screen`` as a small Starlette app beside Django (docs/decisions/0009).

Same request, response and semantics as ``POST /api/v1/screen`` (the same ``ScreenIn`` and
``ScreenOut`` schemas, the same steps of ``services.screen_person``), without Django's request
cycle. What differs is only where state lives:

* **Tokens**: checked as ``TokenAuth("screening")`` checks them (``token_user``), and a valid
  token's digest is cached for ``TOKEN_TTL`` seconds. A revoked token, or a deactivated
  checkpoint user, is refused at most ``TOKEN_TTL`` seconds after the change. Unknown tokens
  are not cached: each is one query. A token in use is checked again in the background
  before its time runs out, once however many requests carry it, so requests do not wait
  for the database.
* **Index**: the process's ``CandidateIndex`` (``services.current_index``) is built before the
  first request is served; a thread checks the lists' version every ``INDEX_CHECK`` seconds and
  swaps in a rebuilt index when they changed. Requests never wait for a rebuild; the old index
  answers meanwhile.
* **Audit**: one row per call, as ``screen_person`` writes it, handed to an ``AuditWriter``
  that appends the queued rows in one transaction every ``FLUSH_SECONDS`` or ``FLUSH_ROWS``
  rows, retries a failed write (never drops a row), and flushes what is queued on shutdown.
  The response does not wait for the commit: a process killed outright (SIGKILL, power
  loss) loses at most the rows of the last ``FLUSH_SECONDS``.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import json
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from django.db import close_old_connections, connection
from pydantic import BaseModel, ValidationError, create_model
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from sojourn.accounts.api_auth import token_user
from sojourn.accounts.models import hash_token
from sojourn.audit.services import PendingEvent, record_many
from sojourn.core.names.index import CandidateIndex
from sojourn.screening import services
from sojourn.screening.api import ScreenIn, ScreenOut

log = logging.getLogger(__name__)
server_log = logging.getLogger("uvicorn.error")  # uvicorn's own log, shown by default

TOKEN_TTL = 5.0  # seconds a valid token is trusted without asking the database again
TOKEN_REFRESH = 0.2  # share of TOKEN_TTL left when a token in use is checked again, in the background
TOKEN_CACHE_MAX = 10_000  # digests kept; the cache is emptied when it grows past this
INDEX_CHECK = 5.0  # seconds between checks of the lists' version
FLUSH_SECONDS = 0.05  # the audit writer commits at least this often while rows wait
FLUSH_ROWS = 500  # ... or as soon as this many rows wait
QUEUE_MAX = 50_000  # rows waiting before a request blocks until the writer catches up
RETRY_SECONDS = 1.0  # pause before retrying a failed audit write
REUSE_SECONDS = 60.0  # the writer and keeper threads open a new connection at least this often
LOST_THREADS = 4  # threads asking for lost documents, each with its own connection
SCOPE = "screening"


def reuse_connection(until: float) -> float:
    """This thread's connection until ``until`` (``time.monotonic()``), then a new one: the next deadline.

    The writer and keeper threads call this instead of ``close_old_connections()``, which with
    ``CONN_MAX_AGE=0`` (SQLite) reconnects every time: ~1 ms of CPU per audit batch or version
    check. A connection still ends after ``REUSE_SECONDS``, so that a database file replaced
    underneath (SQLite) is not written to, or read from, for longer than that; a failed write
    or check closes it at once (see their ``except``).
    """
    now = time.monotonic()
    if now < until:
        return until
    connection.close()
    return now + REUSE_SECONDS


class TokenCache:
    """Digests of valid screening tokens and their user names, each trusted for ``ttl`` seconds.

    ``user`` answers from the cache while a digest is trusted, and asks the database once per
    digest however many requests wait on it. A trusted digest still in use when less than
    ``TOKEN_REFRESH`` of its time is left is checked again in the background: at a steady
    load no request waits for the database, where before every request arriving in the
    moment a digest ran out asked it for itself (up to the 16 of a checkpoint's connections,
    each reconnecting, every ``ttl`` seconds).
    """

    def __init__(self, ttl: float = TOKEN_TTL) -> None:
        self.ttl = ttl
        self._valid: dict[str, tuple[str, float]] = {}
        self._checking: dict[str, asyncio.Future[str | None]] = {}  # one database check per digest

    async def user(self, digest: str) -> str | None:
        """The user name of a valid token's digest, else None: cached, or one database check (on the event loop)."""
        hit = self._valid.get(digest)
        if hit is not None:
            left = hit[1] - time.monotonic()
            if left > 0:
                if left < self.ttl * TOKEN_REFRESH and digest not in self._checking:
                    self._start(digest).add_done_callback(_log_failed_check)
                return hit[0]
        return await asyncio.shield(self._checking.get(digest) or self._start(digest))

    def _start(self, digest: str) -> asyncio.Future[str | None]:
        future = asyncio.ensure_future(run_in_threadpool(self.check, digest))
        self._checking[digest] = future
        future.add_done_callback(lambda done: self._checking.pop(digest, None))
        return future

    def check(self, digest: str) -> str | None:
        """Ask the database (as ``TokenAuth`` does); remember a valid token. Runs in a worker thread."""
        close_old_connections()
        user = token_user(digest, SCOPE)
        if user is None:
            self._valid.pop(digest, None)
            return None
        if len(self._valid) >= TOKEN_CACHE_MAX:
            self._valid.clear()
        name = str(user.get_username())
        self._valid[digest] = (name, time.monotonic() + self.ttl)
        return name


def _log_failed_check(future: asyncio.Future[str | None]) -> None:
    """A background token check that failed: logged; the digest stays trusted until its time is up."""
    if not future.cancelled() and future.exception() is not None:
        log.error("checking a screening token failed", exc_info=future.exception())


class AuditWriter:
    """Group commit of audit rows: requests append them, one thread writes what has gathered.

    A request only appends its row to a deque: no lock and no wake-up. Waking the writer for
    every row, as a ``queue.Queue`` does, cost a worker about a tenth of its CPU at a thousand
    requests a second (the put's notify, then the writer taking the GIL once per row). The
    writer looks every ``flush_seconds`` instead, and at once when ``flush_rows`` wait.
    """

    def __init__(self, flush_seconds: float = FLUSH_SECONDS, flush_rows: int = FLUSH_ROWS) -> None:
        self.flush_seconds = flush_seconds
        self.flush_rows = flush_rows
        self._rows: deque[PendingEvent] = deque()
        self._wake = threading.Event()  # write now: a batch is full, a drain or a close waits
        self._stopping = False
        self._progress = threading.Condition()  # committed rows, for drain()
        self._appended = 0  # rows submitted (requests submit from one thread: the event loop)
        self._committed = 0
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._closing = threading.Lock()
        self._reuse_until = 0.0  # see reuse_connection()
        self.written = 0

    def start(self) -> None:
        self._thread.start()

    def submit(self, event: PendingEvent) -> None:
        """Queue one row; blocks only while ``QUEUE_MAX`` rows wait (back-pressure, never a drop)."""
        while len(self._rows) >= QUEUE_MAX and self._thread.is_alive():
            self._wake.set()
            time.sleep(RETRY_SECONDS / 100)
        self._rows.append(event)
        self._appended += 1
        if len(self._rows) >= self.flush_rows:
            self._wake.set()

    def drain(self) -> None:
        """Wait until every row queued so far is committed."""
        target = self._appended
        self._wake.set()
        with self._progress:
            self._progress.wait_for(lambda: self._committed >= target)

    def close(self, timeout: float | None = None) -> None:
        """Write every queued row, then stop the thread (again: nothing to do)."""
        with self._closing:
            if self._thread.is_alive():
                self._stopping = True
                self._wake.set()
                self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.flush_seconds)
                self._wake.clear()
                stopping = self._stopping  # read before taking the rows: none is left behind
                while self._rows:
                    rows = self._rows
                    batch = [rows.popleft() for _ in range(min(len(rows), self.flush_rows))]
                    self._write(batch)
                    with self._progress:
                        self._committed += len(batch)
                        self._progress.notify_all()
                if stopping:
                    return
        finally:
            connection.close()

    def _write(self, batch: list[PendingEvent]) -> None:
        while batch:
            try:
                self._reuse_until = reuse_connection(self._reuse_until)
                self.written += record_many(batch)
                return
            except Exception:  # a locked or lost database: keep the rows and try again
                log.exception("audit write of %d screening rows failed; retrying", len(batch))
                connection.close()
                time.sleep(RETRY_SECONDS)


class IndexKeeper:
    """The index requests read, swapped for a rebuilt one when the lists change."""

    def __init__(self, check_seconds: float = INDEX_CHECK) -> None:
        self.check_seconds = check_seconds
        self.index: CandidateIndex | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-keeper", daemon=True)

    def load(self) -> None:
        """Build (or take the process's current) index; the lists' version is checked."""
        close_old_connections()
        self._load()

    def _load(self) -> None:
        started = time.perf_counter()
        index = services.current_index(max_age=0)  # this thread is the recheck
        if index is not self.index:
            built = time.perf_counter()
            self.index = index
            # The index is millions of long-lived objects: keep them out of the collector's
            # full passes, which would otherwise stall requests for tens of milliseconds.
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            server_log.info("screening index: %d entries, built in %.1f s, frozen in %.2f s",
                            len(index), built - started, time.perf_counter() - built)  # fmt: skip

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            reuse_until = 0.0
            while not self._stop.wait(self.check_seconds):
                try:
                    reuse_until = reuse_connection(reuse_until)
                    self._load()
                except Exception:  # keep serving the index we have
                    log.exception("checking the watch lists failed; keeping the current index")
                    connection.close()
                # What scoring caches as it goes (each list name's readings, part scores: hundreds
                # of MB after hours at 1M entries) is as long-lived as the index: freeze it too,
                # so that full collections do not walk it again and again.
                gc.freeze()
        finally:
            connection.close()


# ScreenIn's fields on a plain pydantic model. django-ninja's Schema validates through a Python
# wrap validator (its DjangoGetter), ~11 µs a body; this model takes ~2.5 µs. A body it accepts,
# ScreenIn accepts with the same values (test_hotpath checks awkward ones); a body it refuses goes
# to ScreenIn, so the errors are ScreenIn's, as are the bodies only ScreenIn takes (``[]``, ``null``:
# every field empty).
_FIELDS: dict[str, Any] = {name: (info.annotation, info) for name, info in ScreenIn.model_fields.items()}
_PlainScreenIn = create_model("ScreenIn", **_FIELDS)


def _bearer(value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header value, parsed as django-ninja's HttpBearer does."""
    if not value:
        return None
    parts = value.split(" ")
    if parts[0].lower() != "bearer":
        return None
    return " ".join(parts[1:])


def _json(content: Any) -> bytes:
    """``content`` as Starlette's ``JSONResponse`` renders it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


def _validation_detail(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors as django-ninja reports a body's: located under ``["body", "payload"]``, no input."""
    detail = []
    for error in exc.errors(include_url=False, include_input=False):
        item: dict[str, Any] = {"type": error["type"], "loc": ["body", "payload", *error["loc"]], "msg": error["msg"]}
        if "ctx" in error:
            item["ctx"] = {k: str(v) if isinstance(v, Exception) else v for k, v in error["ctx"].items()}
        detail.append(item)
    return detail


class ScreeningApp:
    """State of one worker process: the token cache, the index keeper, the audit writer and the lost-document threads."""

    def __init__(self, *, flush_seconds: float = FLUSH_SECONDS, flush_rows: int = FLUSH_ROWS,
                 token_ttl: float = TOKEN_TTL, index_check: float = INDEX_CHECK) -> None:  # fmt: skip
        self.tokens = TokenCache(token_ttl)
        self.keeper = IndexKeeper(index_check)
        self.writer = AuditWriter(flush_seconds, flush_rows)
        self.lost = LostDocuments()

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(self.keeper.load)
        self.keeper.start()
        self.writer.start()
        # A forced stop (a second Ctrl-C) skips the lifespan's shutdown; the exit still flushes.
        atexit.register(self.writer.close)
        try:
            yield
        finally:
            self.keeper.stop()
            await run_in_threadpool(self.lost.close)
            await run_in_threadpool(self.writer.close)

    async def screen(self, request: Request) -> Response:
        """``POST /screen``: as ``POST /api/v1/screen`` (Starlette's route: see ``HotPath`` for the fast one)."""
        status, content = await self.answer(_bearer(request.headers.get("authorization")), await request.body())
        return Response(content, status_code=status, media_type="application/json")

    async def answer(self, token: str | None, body: bytes) -> tuple[int, bytes]:
        """The status and JSON body of ``POST /screen`` for a bearer token and a request body."""
        actor = None
        if token is not None:
            digest = hash_token(token)
            actor = await self.tokens.user(digest)
        if actor is None:
            return 401, _json({"detail": "Unauthorized"})
        payload: BaseModel
        try:
            payload = _PlainScreenIn.model_validate_json(body)
        except ValidationError:  # ScreenIn's own answer: its errors, or the few it takes
            try:
                payload = ScreenIn.model_validate_json(body)
            except ValidationError as exc:
                if any(e["type"] == "json_invalid" for e in exc.errors()):  # as ninja says:
                    return 400, _json({"detail": "Cannot parse request body"})
                return 422, _json({"detail": _validation_detail(exc)})
        at = datetime.now(UTC)
        try:
            query, document = services.prepare_query(**payload.model_dump())
        except ValueError as exc:
            return 422, _json({"detail": str(exc)})
        index = self.keeper.index
        assert index is not None  # loaded before the first request (lifespan)
        out = services.decide(index, query, document)
        if query["document_number"]:
            out = services.apply_lost(out, await self.lost.find(query["document_number"]))
        self.writer.submit(PendingEvent(at=at, actor=actor, **services.audit_entry(query, out)))
        return 200, _render(out)

    async def healthz(self, request: Request) -> Response:
        """``GET /healthz``: the framework's floor (no database, no index)."""
        return PlainTextResponse("ok")

    def app(self) -> HotPath:
        app = Starlette(
            routes=[Route("/screen", self.screen, methods=["POST"]), Route("/healthz", self.healthz)],
            lifespan=self.lifespan,
        )
        app.state.screening = self
        return HotPath(self, app)


class HotPath:
    """The ASGI app: ``POST /screen`` answered here, everything else (lifespan, ``/healthz``, 404, 405) by Starlette.

    Starlette's middleware, routing, ``Request`` and ``Response`` cost a request about 5% of a
    worker's CPU at 1,000,000 entries (measured with py-spy under bench/screening_http.py);
    the one route that carries the load skips them. Its answers are the route's (the same
    ``ScreeningApp.answer``), as a test checks.
    """

    def __init__(self, screening: ScreeningApp, app: Starlette) -> None:
        self.screening = screening
        self.starlette = app

    @property
    def state(self) -> State:
        return self.starlette.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/screen":
            await self.starlette(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        authorization = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        token = _bearer(None if authorization is None else authorization.decode("latin-1"))
        status, content = await self.screening.answer(token, body)
        headers = [(b"content-length", str(len(content)).encode()), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


_PLAIN_KEYS = frozenset(ScreenOut.model_fields)


def _render(out: dict[str, Any]) -> bytes:
    """``out`` as ``ScreenOut`` renders it; without a document every value is already plain JSON."""
    if out["document"] is None and out.keys() == _PLAIN_KEYS:
        return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()
    return ScreenOut.model_validate(out).model_dump_json().encode()


class LostDocuments:
    """The lost, stolen and cancelled documents, asked from a few threads that keep their database connections.

    A request carrying a document number (every MRZ read) asks the database for it. From
    Starlette's thread pool, each ask began with ``close_old_connections()``, which with
    ``CONN_MAX_AGE=0`` (SQLite) reconnected every time: about 1 ms of CPU for a query of a
    few dozen microseconds. The threads here keep their connections as the writer does
    (``reuse_connection``), and a failed ask closes its thread's. ``LOST_THREADS`` of them, so
    that a database a network hop away (PostgreSQL) answers several asks at once. Each ask is a
    statement of its own (autocommit), so a document reported lost is seen by the next request.
    """

    def __init__(self, threads: int = LOST_THREADS) -> None:
        self.threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lost-documents")
        self._reuse = threading.local()  # each thread's reuse_connection() deadline

    async def find(self, number: str) -> dict[str, Any] | None:
        """``services.lost_document(number)``, from one of these threads."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._find, number)

    def _find(self, number: str) -> dict[str, Any] | None:
        try:
            self._reuse.until = reuse_connection(getattr(self._reuse, "until", 0.0))
            return services.lost_document(number)
        except Exception:
            connection.close()
            self._reuse.until = 0.0
            raise

    def close(self) -> None:
        """Close each thread's connection, then the threads.

        A connection is closed only from its own thread: one task per thread, each holding its
        thread until all have started (a barrier), so that every thread runs exactly one.
        """
        started = threading.Barrier(self.threads)

        def close_mine() -> None:
            started.wait(timeout=10)
            connection.close()

        for done in [self._pool.submit(close_mine) for _ in range(self.threads)]:
            done.result()
        self._pool.shutdown()


def create_app(**options: Any) -> HotPath:
    """A fresh app (Django must be set up): ``sojourn.screening.asgi:app`` for uvicorn, or tests."""
    return ScreeningApp(**options).app()

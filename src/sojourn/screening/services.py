"""Screening people against the watch lists: the process-wide index and the audited service.

The index (``sojourn.core.names.index.CandidateIndex``) holds every entry valid today (valid
from ≤ today ≤ valid to, open ends allowed). It is built on first use and rebuilt when the
lists change: a version — the number of entries and lists, the latest ``updated_at`` of an entry
and ``changed_at`` of a list, and today's date — is compared with the one the index was built
at. Reading that version still counts the entries (a few milliseconds at 1,000,000, see
``lists_version``), so a process asks at most every RECHECK_SECONDS: a change made by another
process is seen within that time. In the process that makes it, the change is seen at once: the
importer, and saving or deleting a list or an entry through the ORM, drop the index.

Every call of ``screen_person`` writes one audit row (DESIGN.md §7: never skipped).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from sojourn.alerts.models import Finding
from sojourn.alerts.services import confirm_finding, dismiss_finding
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, actor_name, record
from sojourn.core.documents import check_document
from sojourn.core.names.index import CandidateIndex, ListEntry, normalize_number, parse_names
from sojourn.core.screening import screen
from sojourn.screening.models import MatchJudgement, Verdict, Watchlist, WatchlistEntry

RULESET = "screening-1"
LOST_LIST = "lost_stolen_cancelled"
LOST_CODE = "document.lost_or_stolen"
DECISION_ORDER = ("clear", "refer", "hold")
RECHECK_SECONDS = 5.0  # how long an index is served before the lists' version is read again
_ENTRY_FIELDS = (
    "entry_id", "watchlist__name", "name_zh", "surname", "given_name", "aliases", "birth_date",
    "sex", "nationality", "id_number", "doc_numbers", "action",
)  # fmt: skip


class _Holder:
    """The index of this process and the version of the lists it was built from."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple[Any, ...] | None = None
        self.index: CandidateIndex | None = None
        self.checked = 0.0  # time.monotonic() when the version was last read


_HOLDER = _Holder()


def invalidate_index() -> None:
    """Forget the index: the next screening rebuilds it (the importer calls this after writing)."""
    with _HOLDER.lock:
        _HOLDER.version = None
        _HOLDER.index = None


def lists_version(today: date) -> tuple[Any, ...]:
    """A cheap fingerprint of the lists: changes whenever an entry or list is added, changed or removed.

    The entries' count and latest ``updated_at`` are two queries on purpose: alone, ``MAX`` is one
    probe of the ``updated_at`` index and a bare ``COUNT(*)`` reads an index, not the table (SQLite's
    count shortcut, PostgreSQL's index-only scan); the two in one query read every row. At 1,000,000
    entries on SQLite: ~10 ms, against ~165 ms for the one query. The count stays: it is what
    notices a deleted entry.
    """
    entries = WatchlistEntry.objects.count()
    latest = WatchlistEntry.objects.aggregate(latest=Max("updated_at"))["latest"]
    lists = Watchlist.objects.aggregate(n=Count("pk"), latest=Max("changed_at"))
    return (today, entries, latest, lists["n"], lists["latest"])


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def list_entry(row: dict[str, Any]) -> ListEntry:
    """A stored entry (a ``values()`` row) as the index takes it: characters first, then the spellings."""
    latin = " ".join(p for p in (row["surname"].upper(), row["given_name"]) if p)
    names = [n for n in (row["name_zh"], latin) if n]
    numbers = [normalize_number(n) for n in _split(row["doc_numbers"])]
    return ListEntry(
        entry_id=row["entry_id"],
        list_name=row["watchlist__name"],
        names=parse_names(names[0] if names else "", [*names[1:], *_split(row["aliases"])]),
        birth_date=row["birth_date"],
        sex=row["sex"] or None,
        nationality=row["nationality"] or None,
        id_numbers=(normalize_number(row["id_number"]),) if row["id_number"] else (),
        doc_numbers=tuple(n for n in numbers if n),
        action=row["action"],
    )


def entries_valid_on(today: date) -> Iterator[ListEntry]:
    """Every stored entry whose validity window includes ``today``."""
    rows = (
        WatchlistEntry.objects.exclude(valid_from__gt=today)
        .exclude(valid_to__lt=today)
        .values(*_ENTRY_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        yield list_entry(row)


def current_index(today: date | None = None, *, max_age: float = RECHECK_SECONDS) -> CandidateIndex:
    """The index of the entries valid today, rebuilt when the lists have changed since it was built.

    The lists' version is read again only when the last reading is older than ``max_age``
    seconds (or the day has changed); ``max_age=0`` reads it now.
    """
    today = today or timezone.localdate()
    with _HOLDER.lock:
        index, version = _HOLDER.index, _HOLDER.version
        if (
            index is not None
            and version is not None
            and version[0] == today
            and time.monotonic() - _HOLDER.checked < max_age
        ):
            return index
    version = lists_version(today)
    with _HOLDER.lock:
        if _HOLDER.index is None or _HOLDER.version != version:
            _HOLDER.index = CandidateIndex.build(entries_valid_on(today))
            _HOLDER.version = version
        _HOLDER.checked = time.monotonic()
        return _HOLDER.index


def _lists_changed(**kwargs: Any) -> None:
    """A list or an entry was saved or deleted in this process: the next screening rebuilds."""
    invalidate_index()


def connect_signals() -> None:
    """Drop the index when this process changes a list or an entry (the app's ready() calls this)."""
    from django.db.models.signals import post_delete, post_save

    for model in (Watchlist, WatchlistEntry):
        post_save.connect(_lists_changed, sender=model, dispatch_uid=f"screening-index-{model.__name__}-save")
        post_delete.connect(_lists_changed, sender=model, dispatch_uid=f"screening-index-{model.__name__}-delete")


def _from_zone(fields: dict[str, Any], query: dict[str, Any]) -> None:
    """Fill what the query does not give from a zone's fields: name, birth date, sex, nationality, number."""
    zone_name = " ".join(str(fields.get(k) or "") for k in ("surname", "given_names")).strip()
    birth = fields.get("birth_date")
    filled = {
        "name": zone_name,
        "birth_date": birth if isinstance(birth, date) else None,
        "sex": fields.get("sex") if fields.get("sex") in ("M", "F") else None,
        "nationality": fields.get("nationality_iso") or None,
        "document_number": fields.get("document_number") or None,
    }
    for key, value in filled.items():
        if not query.get(key) and value:
            query[key] = value


_LOST_SQL: dict[tuple[str, str], tuple[str, tuple[Any, ...], int]] = {}  # per database: SQL, params, the number's place


def _lost_statuses(number: str) -> set[str]:
    """The statuses of the documents with this number on ``lost_stolen_cancelled()``.

    The selector's query is compiled once per database and then run with each number: compiling
    it through the ORM cost ~300 µs a call on SQLite, running it ~20 µs, and every checkpoint
    request that reads an MRZ asks.
    """
    from sojourn.custody.selectors import lost_stolen_cancelled

    key = (connection.alias, connection.vendor)
    compiled = _LOST_SQL.get(key)
    if compiled is None:
        sentinel = "\x00number"
        sql, params = lost_stolen_cancelled().filter(number=sentinel).values_list("status").query.sql_with_params()
        compiled = _LOST_SQL[key] = (sql, tuple(params), list(params).index(sentinel))
    sql, params, at = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params[:at], number, *params[at + 1 :]])
        return {str(row[0]) for row in cursor.fetchall()}


def lost_document(number: str | None) -> dict[str, Any] | None:
    """A match for a document number on the lost, stolen and cancelled list, or None (one query)."""
    normalized = normalize_number(number or "")
    if not normalized:
        return None
    statuses = sorted(_lost_statuses(normalized))
    if not statuses:
        return None
    return {
        "entry_id": f"document:{normalized}",
        "list": LOST_LIST,
        "score": 1.0,
        "match": True,
        "action": "hold",
        "explanations": [f"{LOST_CODE}: document {normalized} is reported {' and '.join(statuses)}"],
    }


def audit_entry(query: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """The audit row of one screening call, as ``record``'s keyword arguments less the actor."""
    shown = {k: v for k, v in query.items() if v not in (None, "") and k != "mrz"}
    return {
        "action": AuditAction.READ,
        "object_type": "screening",
        "object_id": out["decision"],
        "purpose": "screening",
        "detail": {
            "query": shown,
            "mrz": bool(query.get("mrz")),
            "decision": out["decision"],
            "matches": [f"{m['list']}:{m['entry_id']}" for m in out["matches"] if m["match"]],
            "ruleset": RULESET,
        },
    }


def prepare_query(
    *,
    name: str | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
    nationality: str | None = None,
    id_number: str | None = None,
    document_number: str | None = None,
    mrz: str | None = None,
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The query as screened, and the MRZ's check-document result (None without an MRZ). No database.

    An MRZ fills in what the query leaves out. Raises ValueError when there is nothing to screen.
    """
    query: dict[str, Any] = {
        "name": (name or "").strip() or None, "birth_date": birth_date, "sex": sex,
        "nationality": nationality, "id_number": id_number, "document_number": document_number, "mrz": mrz,
    }  # fmt: skip
    document: dict[str, Any] | None = None
    if mrz and mrz.strip():
        check = check_document(mrz=mrz, today=today)
        document = check.to_dict()
        _from_zone(check.fields, query)
    if not (query["name"] or query["id_number"] or query["document_number"]):
        raise ValueError("nothing to screen: give a name, an ID number, a document number or an MRZ")
    return query, document


def decide(index: CandidateIndex, query: dict[str, Any], document: dict[str, Any] | None) -> dict[str, Any]:
    """The answer against the lists in ``index``, before the lost-document check. No database."""
    result = screen(
        index, name=query["name"], birth_date=query["birth_date"], sex=query["sex"],
        nationality=query["nationality"], id_number=query["id_number"], document_number=query["document_number"],
    ).to_dict()  # fmt: skip
    return {**result, "document": document, "ruleset": RULESET}


def apply_lost(out: dict[str, Any], lost: dict[str, Any] | None) -> dict[str, Any]:
    """A lost, stolen or cancelled document makes the decision ``hold`` and is named first."""
    if lost is None:
        return out
    out["decision"] = "hold"
    out["matches"] = [lost, *out["matches"]]
    document = out["document"]
    if document is not None:
        message = lost["explanations"][0].split(": ", 1)[1]
        document["problems"].append({"code": LOST_CODE, "severity": "error", "message": message})
    return out


def screen_person(
    *,
    actor: Actor,
    name: str | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
    nationality: str | None = None,
    id_number: str | None = None,
    document_number: str | None = None,
    mrz: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Screen one person and/or document: ``{"decision", "matches", "document", "ruleset", ...}`` (DESIGN §6).

    An MRZ is validated (``document`` is the check-document result, else None) and fills in the
    name, birth date, sex, nationality and number the query leaves out. A document number on
    the lost/stolen/cancelled list makes the decision ``hold`` (``document.lost_or_stolen``).
    Every call is audited. Raises ValueError when there is nothing to screen.

    The screening hot path (``sojourn.screening.hotpath``) runs the same steps —
    ``prepare_query``, ``decide``, ``lost_document``, ``apply_lost``, ``audit_entry`` — with
    its own index holder and a group-commit audit writer.
    """
    query, document = prepare_query(
        name=name, birth_date=birth_date, sex=sex, nationality=nationality, id_number=id_number,
        document_number=document_number, mrz=mrz, today=today,
    )  # fmt: skip
    out = decide(current_index(today), query, document)
    out = apply_lost(out, lost_document(query["document_number"]))
    record(actor=actor, **audit_entry(query, out))
    return out


def watchlist_counts() -> list[dict[str, Any]]:
    """Each list's name, description and number of entries (no entries themselves)."""
    rows = Watchlist.objects.annotate(entries_count=Count("entries")).order_by("name")
    return [{"name": w.name, "description": w.description, "entries": w.entries_count} for w in rows]


POSSIBLE_MATCH = "screening.possible_match"


def judge_match(
    *, finding: Finding, verdict: str, actor: Actor, reason: str = "", expires_on: date | None = None
) -> MatchJudgement:
    """Record an inspector's verdict on a ``screening.possible_match`` finding, and settle the finding.

    ``rejected`` needs a reason and dismisses the finding; the pair is not raised again for the
    same data until ``expires_on`` (never, when None). ``confirmed`` confirms the finding. One
    audit row for the judgement, one for the finding's change. Returns the ``MatchJudgement``.
    """
    if finding.code != POSSIBLE_MATCH:
        raise ValueError(f"not a {POSSIBLE_MATCH} finding")
    if verdict not in Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    reason = reason.strip()
    if verdict == Verdict.REJECTED and not reason:
        raise ValueError("a rejection needs a reason")
    details = finding.details
    with transaction.atomic():
        judgement = MatchJudgement.objects.create(
            subject_key=details["subject"], list_name=details["list"], entry_id=details["entry_id"],
            data_key=details["data_key"], verdict=verdict, reason=reason,
            expires_on=expires_on if verdict == Verdict.REJECTED else None, finding=finding,
            actor=actor_name(actor)[:150],
        )  # fmt: skip
        record(actor=actor, action=AuditAction.CREATE, obj=judgement, detail={
            "verdict": verdict, "subject": judgement.subject_key, "entry": f"{judgement.list_name}/{judgement.entry_id}",
            "reason": reason, "expires_on": judgement.expires_on.isoformat() if judgement.expires_on else None,
        })  # fmt: skip
        if verdict == Verdict.REJECTED:
            dismiss_finding(finding=finding, actor=actor, reason=reason)
        else:
            confirm_finding(finding=finding, actor=actor, reason=reason)
    return judgement

"""The yente-compatible reads over the screening index: match (audited), catalog, one entity (audited).

Matching uses the same process-wide candidate index and the same scoring as ``POST
/api/v1/screen`` (``sojourn.screening.services.current_index`` and
``sojourn.core.screening.screen``), so a list entry valid today scores the same through
either door. The lost/stolen/cancelled document check of ``/api/v1/screen`` is not part of it:
that list holds the registry's own documents, which are not FtM entities a client may read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.core.screening import MAX_MATCHES, screen
from sojourn.interop import yente
from sojourn.screening.models import Watchlist, WatchlistEntry
from sojourn.screening.services import RULESET, current_index


class UnknownDataset(LookupError):
    """The dataset of ``/match/{dataset}`` is neither a list's name nor ``default``."""


def _valid_entries(today: date) -> QuerySet[WatchlistEntry]:
    return WatchlistEntry.objects.exclude(valid_from__gt=today).exclude(valid_to__lt=today)


def listed_person(row: WatchlistEntry) -> yente.ListedPerson:
    """A stored entry (with its watchlist loaded) as the pure side takes it."""
    return yente.ListedPerson(
        list_name=row.watchlist.name, entry_id=row.entry_id, name_zh=row.name_zh, surname=row.surname,
        given_name=row.given_name, aliases=tuple(a.strip() for a in row.aliases.split(";") if a.strip()),
        birth_date=row.birth_date, sex=row.sex, nationality=row.nationality, id_number=row.id_number,
        doc_numbers=tuple(n.strip() for n in row.doc_numbers.split(";") if n.strip()), action=row.action,
        updated_at=row.updated_at,
    )  # fmt: skip


def _persons(keys: set[tuple[str, str]], today: date) -> dict[tuple[str, str], yente.ListedPerson]:
    by_list: dict[str, list[str]] = defaultdict(list)
    for list_name, entry_id in keys:
        by_list[list_name].append(entry_id)
    if not by_list:
        return {}
    where = reduce(or_, (Q(watchlist__name=name, entry_id__in=ids) for name, ids in by_list.items()))
    rows = _valid_entries(today).filter(where).select_related("watchlist")
    return {(row.watchlist.name, row.entry_id): listed_person(row) for row in rows}


def _screen_query(
    query: yente.PersonQuery, dataset: str, params: yente.MatchParams, fetch: int, today: date
) -> tuple[dict[tuple[str, str], tuple[float, yente.Variant]], bool]:
    """Best (score, variant) per (list, entry) over the query's variants, and whether screening hit its limit."""
    index = current_index(today)
    best: dict[tuple[str, str], tuple[float, yente.Variant]] = {}
    more = False
    for variant in query.variants():
        result = screen(
            index, name=variant.name, birth_date=variant.birth_date, sex=variant.sex,
            nationality=variant.nationality, id_number=variant.id_number,
            document_number=variant.document_number, threshold=params.threshold, limit=fetch,
        )  # fmt: skip
        more = more or len(result.matches) >= fetch
        for found in result.matches:
            if dataset != yente.DEFAULT_DATASET and found.list != dataset:
                continue
            key = (found.list, found.entry_id)
            if key not in best or found.score > best[key][0]:
                best[key] = (found.score, variant)
    return best, more


def match(
    *, actor: Actor, dataset: str, body: Any, params: yente.MatchParams, today: date | None = None
) -> dict[str, Any]:
    """``POST /match/{dataset}``: every query screened against the lists, one audit row for the request.

    Raises ``UnknownDataset`` for a dataset that is no list, ``yente.QueryError`` for a bad query.
    """
    today = today or timezone.localdate()
    if dataset != yente.DEFAULT_DATASET and not Watchlist.objects.filter(name=dataset).exists():
        raise UnknownDataset(dataset)
    queries = yente.parse_body(body)
    # Enough candidates that the excluded ones and those of other lists still leave ``limit``.
    # A few more than ``limit`` so that ``total`` is exact when the candidates are few.
    fetch = max(params.limit, MAX_MATCHES) + len(params.exclude_entity_ids)
    if dataset != yente.DEFAULT_DATASET:
        fetch = yente.MAX_LIMIT + len(params.exclude_entity_ids)
    found = {q.key: _screen_query(q, dataset, params, fetch, today) for q in queries}
    persons = _persons({key for best, _ in found.values() for key in best}, today)
    responses = {}
    for query in queries:
        best, more = found[query.key]
        candidates = [
            yente.Candidate(person=persons[key], score=score, variant=variant)
            for key, (score, variant) in best.items()
            if key in persons
        ]
        responses[query.key] = yente.query_response(query, candidates, params, more=more)
    _audit(actor, dataset, params, queries, responses)
    return {"responses": responses, "limit": params.limit}


def _audit(
    actor: Actor,
    dataset: str,
    params: yente.MatchParams,
    queries: list[yente.PersonQuery],
    responses: dict[str, dict[str, Any]],
) -> None:
    record(
        actor=actor,
        action=AuditAction.READ,
        object_type="screening",
        object_id=f"match:{dataset}",
        purpose="screening",
        detail={
            "api": "yente",
            "dataset": dataset,
            "algorithm": params.algorithm,
            "threshold": params.threshold,
            "limit": params.limit,
            "queries": {q.key: q.properties for q in queries},
            "matches": {k: [r["id"] for r in v["results"] if r["match"]] for k, v in responses.items()},
            "ruleset": RULESET,
        },
    )


def catalog(*, today: date | None = None) -> dict[str, Any]:
    """``GET /catalog``: each list as a dataset (entries valid today, last change), and ``default`` over all."""
    today = today or timezone.localdate()
    valid = (Q(entries__valid_from__isnull=True) | Q(entries__valid_from__lte=today)) & (
        Q(entries__valid_to__isnull=True) | Q(entries__valid_to__gte=today)
    )
    rows = Watchlist.objects.annotate(count=Count("entries", filter=valid), latest=Max("entries__updated_at"))
    datasets = []
    for row in rows.order_by("name"):
        updated = max(d for d in (row.changed_at, row.latest) if d is not None)
        datasets.append({
            "name": row.name, "title": row.name, "summary": row.description, "type": "source",
            "entity_count": row.count, "updated_at": updated.isoformat(), "load": True,
        })  # fmt: skip
    default = {
        "name": yente.DEFAULT_DATASET,
        "title": "All Sojourn watch lists",
        "summary": "Every list, screened together.",
        "type": "collection",
        "children": [d["name"] for d in datasets],
        "entity_count": sum(d["entity_count"] for d in datasets),
        "updated_at": max((d["updated_at"] for d in datasets), default=None),
        "load": True,
    }
    names = [d["name"] for d in datasets]
    return {"datasets": [default, *datasets], "current": [yente.DEFAULT_DATASET, *names], "outdated": [],
            "index_stale": False}  # fmt: skip


def entity(*, actor: Actor, entity_id: str, today: date | None = None) -> dict[str, Any] | None:
    """``GET /entities/{id}``: one entry valid today as an FtM entity (the read audited), or None."""
    today = today or timezone.localdate()
    names = Watchlist.objects.values_list("name", flat=True)
    row = None
    for list_name, entry_id in yente.split_entity_id(entity_id, names):
        row = (
            _valid_entries(today)
            .filter(watchlist__name=list_name, entry_id=entry_id)
            .select_related("watchlist")
            .first()
        )
        if row is not None:
            break
    if row is None:
        return None
    record(actor=actor, action=AuditAction.READ, obj=row, purpose="screening", detail={"api": "yente"})
    return yente.to_entity(listed_person(row))

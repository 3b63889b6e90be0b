"""Reads of identity resolution that need scope: pairs for review, both records side by side, runs.

Pairs are the inspectors' work. An inspector sees a pair when the unit scope covers the official of
either side (an official, or the official who declared a relative); pairs between a traveller and a
list entry have no official and are seen only by those whose scope is everything (the commission's
inspectors, admins). Registrars, approvers, auditors and checkpoints see none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
from django.db.models import QuerySet

from sojourn.accounts.models import Role
from sojourn.accounts.roles import has_role
from sojourn.accounts.scope import User, unit_scope
from sojourn.crossings.store import store_files
from sojourn.custody.models import TravelDocument
from sojourn.engine import linkage
from sojourn.engine.schema import number_key
from sojourn.registry.models import Official, Relative
from sojourn.resolution.models import LinkJudgement, LinkPair, ResolutionRun
from sojourn.screening.models import WatchlistEntry

PAIR_READERS = frozenset({Role.INSPECTOR, Role.ADMIN})
REVIEW_STATES = ("pending", "confirmed", "rejected")


def visible_pairs(user: User) -> QuerySet[LinkPair]:
    scope = unit_scope(user, roles=PAIR_READERS)
    if scope.nothing:
        return LinkPair.objects.none()
    if scope.everything:
        return LinkPair.objects.all()
    return LinkPair.objects.filter(scope.unit_filter("unit_l") | scope.unit_filter("unit_r"))


def filter_pairs(qs: QuerySet[LinkPair], *, code: str = "", review: str = "", active: bool | None = True,
                 ) -> QuerySet[LinkPair]:
    """Narrow by the finding code a pair supports, its review state, and whether the latest run still finds it."""
    if code:
        ids = [pk for pk, codes in qs.values_list("pk", "codes").iterator(chunk_size=5000) if code in (codes or [])]
        qs = qs.filter(pk__in=ids)
    if review:
        qs = qs.filter(review=review)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def visible_runs(user: User) -> QuerySet[ResolutionRun]:
    """Runs carry counts and parameters only, no personal data; still, they are the pair readers' business."""
    return ResolutionRun.objects.all() if has_role(user, *PAIR_READERS) else ResolutionRun.objects.none()


@dataclass
class Side:
    """One record of a pair as the review page shows it."""

    unique_id: str
    source: str
    fields: dict[str, Any]
    names: list[str] = field(default_factory=list)  # every name form the record was written in
    documents: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: tuple[str, str] | None = None  # (object_type, object_id) of the personal record read

    @property
    def key(self) -> str:
        return self.unique_id.partition(":")[2]


def _name(row: Mapping[str, Any]) -> str:
    return " ".join(p for p in (row.get("name_zh"), row.get("surname"), row.get("given_name")) if p)


def _documents(official_pk: int) -> list[dict[str, Any]]:
    return [dict(d) for d in TravelDocument.objects.filter(holder_id=official_pk).values(
        "doc_type", "issuer", "number", "status", "custody", "expiry_date")]


TRAVELLER_SQL = """
    SELECT event_id, crossed_at, direction, port, country, doc_type, doc_issuer, doc_number, surname, given_name,
           birth_date, sex, nationality
    FROM read_parquet($files, hive_partitioning = true, union_by_name = true)
    WHERE doc_issuer = $issuer AND number_key = $number ORDER BY crossed_at, event_id
"""


def _traveller(uid: str) -> Side:
    _kind, _, rest = uid.partition(":")
    issuer, _, number = rest.partition(":")
    files = store_files()
    events: list[dict[str, Any]] = []
    if files:
        con = duckdb.connect(":memory:")
        try:
            found: pa.Table = con.sql(
                TRAVELLER_SQL, params={"files": files, "issuer": issuer, "number": number}).to_arrow_table()
            events = found.to_pylist()
        finally:
            con.close()
    first = events[0] if events else {}
    names = sorted({_name(e) for e in events if _name(e)})
    fields = {"surname": first.get("surname", ""), "given_name": first.get("given_name", ""),
              "birth_date": first.get("birth_date"), "sex": first.get("sex", ""),
              "nationality": first.get("nationality", ""), "id_number": ""}
    documents = [{"doc_type": first.get("doc_type", ""), "issuer": issuer, "number": number, "status": "",
                  "custody": "", "expiry_date": None}]
    return Side(uid, "traveller", fields, names, documents, events, ("crossings.traveller", rest))


def _official(uid: str) -> Side | None:
    row = Official.objects.filter(official_id=uid.partition(":")[2]).values(
        "pk", "official_id", "name_zh", "surname", "given_name", "birth_date", "sex", "id_number",
        "unit__code").first()
    if row is None:
        return None
    fields = {**row, "nationality": "CHN"}
    return Side(uid, "official", fields, [_name(row)], _documents(row["pk"]), [],
                ("registry.official", str(row["pk"])))


def _relative(uid: str) -> Side | None:
    row = Relative.objects.filter(relative_id=uid.partition(":")[2]).values(
        "pk", "relative_id", "relationship", "official__official_id", "name_zh", "surname", "given_name",
        "birth_date", "sex", "nationality", "residence_country").first()
    if row is None:
        return None
    return Side(uid, "relative", {**row, "id_number": ""}, [_name(row)], [], [],
                ("registry.relative", str(row["pk"])))


def _entry(uid: str) -> Side | None:
    list_name, _, entry_id = uid.partition(":")[2].partition(":")
    row = WatchlistEntry.objects.filter(watchlist__name=list_name, entry_id=entry_id).values(
        "pk", "entry_id", "name_zh", "surname", "given_name", "aliases", "birth_date", "sex", "nationality",
        "id_number", "doc_numbers", "reason", "action").first()
    if row is None:
        return None
    names = [_name(row), *(a.strip() for a in row["aliases"].split(";") if a.strip())]
    documents = [{"doc_type": "", "issuer": row["nationality"], "number": number_key(n), "status": "",
                  "custody": "", "expiry_date": None} for n in row["doc_numbers"].split(";") if n.strip()]
    return Side(uid, "watchlist", {**row, "list": list_name}, names, documents, [],
                ("screening.watchlistentry", str(row["pk"])))


def side(uid: str) -> Side:
    """The record behind a unique_id, or an empty side when it is gone."""
    kind = uid.partition(":")[0]
    if kind == "traveller":
        return _traveller(uid)
    readers = {"official": _official, "relative": _relative, "watchlist": _entry}
    found = readers[kind](uid) if kind in readers else None
    return found or Side(uid, kind, {})


def _met(left: Side, right: Side) -> list[str]:
    """The name keys both records share (characters, pinyin, Wade–Giles, Hong Kong and Macau spellings)."""
    rows: list[dict[str, Any]] = []
    for s in (left, right):
        f = s.fields
        rows.append({"unique_id": s.unique_id, "source": s.source, "name_zh": f.get("name_zh") or None,
                     "surname": f.get("surname") or "", "given_name": f.get("given_name") or "",
                     "birth_date": f.get("birth_date"), "sex": f.get("sex") or None,
                     "nationality": f.get("nationality") or None, "id_number": f.get("id_number") or None,
                     "documents": [], "document_types": [], "events": []})
    prepared = linkage.prepare(pa.Table.from_pylist(rows, schema=linkage.PERSONS))
    keys = prepared["name_keys"].to_pylist()
    return sorted(set(keys[0] or ()) & set(keys[1] or ()))


@dataclass
class PairDetail:
    pair: LinkPair
    left: Side
    right: Side
    met: list[str]
    evidence: list[dict[str, Any]]
    judgements: list[LinkJudgement]


def pair_detail(pair: LinkPair) -> PairDetail:
    left, right = side(pair.unique_id_l), side(pair.unique_id_r)
    evidence = [{"comparison": name, **item} for name, item in sorted((pair.evidence or {}).items())
                if isinstance(item, dict)]
    met = _met(left, right) if left.fields and right.fields else []
    judgements = list(LinkJudgement.objects.filter(unique_id_l=pair.unique_id_l, unique_id_r=pair.unique_id_r))
    return PairDetail(pair, left, right, met, evidence, judgements)

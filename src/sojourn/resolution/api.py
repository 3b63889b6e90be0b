"""Identity resolution endpoints: runs, pairs (with filters), one pair with both records, confirm / reject."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.roles import has_role
from sojourn.resolution.models import LinkPair, ResolutionRun, Verdict
from sojourn.resolution.selectors import (
    PAIR_READERS,
    Side,
    filter_pairs,
    pair_detail,
    visible_pairs,
    visible_runs,
)
from sojourn.resolution.services import judge_pair, record_pair_read

router = Router(tags=["resolution"])
DENIED = "Your role gives no access to identity resolution."


class RunOut(Schema):
    id: int
    engine: str
    model_version: str
    threshold: float
    mode: str
    note: str
    trained: bool
    records: int
    linked: int
    pairs: int
    clusters: int
    findings: dict[str, int]
    findings_created: int
    started_at: datetime
    finished_at: datetime | None


class PairOut(Schema):
    id: int
    unique_id_l: str
    unique_id_r: str
    match_probability: float
    match_weight: float
    codes: list[str]
    review: str
    active: bool
    data_key: str


class SideOut(Schema):
    unique_id: str
    source: str
    fields: dict[str, Any]
    names: list[str]
    documents: list[dict[str, Any]]
    events: list[dict[str, Any]]


class JudgementOut(Schema):
    verdict: str
    reason: str
    actor: str
    at: datetime
    data_key: str


class PairDetailOut(PairOut):
    evidence: dict[str, Any]
    left: SideOut
    right: SideOut
    names_met: list[str]
    judgements: list[JudgementOut]


class ConfirmIn(Schema):
    reason: str = ""


class RejectIn(Schema):
    reason: str


def run_out(run: ResolutionRun) -> dict[str, Any]:
    return {f: getattr(run, f) for f in RunOut.model_fields if f != "id"} | {"id": run.pk}


def pair_out(pair: LinkPair) -> dict[str, Any]:
    return {"id": pair.pk, "unique_id_l": pair.unique_id_l, "unique_id_r": pair.unique_id_r,
            "match_probability": pair.match_probability, "match_weight": pair.match_weight,
            "codes": list(pair.codes or []), "review": pair.review, "active": pair.active, "data_key": pair.data_key}


def _side(side: Side) -> dict[str, Any]:
    return {"unique_id": side.unique_id, "source": side.source, "fields": side.fields, "names": side.names,
            "documents": side.documents, "events": side.events}


def _require(request: HttpRequest) -> None:
    if not has_role(request.user, *PAIR_READERS):
        raise HttpError(403, DENIED)


def _pair(request: HttpRequest, pair_id: int) -> LinkPair:
    _require(request)
    pair = visible_pairs(request.user).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


@router.get("/resolution/runs", response=list[RunOut])
def list_runs(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    _require(request)
    limit = max(1, min(limit, 500))
    return [run_out(r) for r in visible_runs(request.user)[offset:offset + limit]]


@router.get("/resolution/pairs", response=list[PairOut])
def list_pairs(request: HttpRequest, code: str = "", review: str = "", active: bool | None = True,
               offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Pairs the user may review, best first; ``review`` is pending, confirmed or rejected."""
    _require(request)
    qs = filter_pairs(visible_pairs(request.user), code=code, review=review, active=active)
    limit = max(1, min(limit, 1000))
    return [pair_out(p) for p in qs.order_by("-match_probability", "id")[offset:offset + limit]]


def _detail(request: HttpRequest, pair: LinkPair) -> dict[str, Any]:
    detail = pair_detail(pair)
    record_pair_read(actor=request.user, pair=pair, sides=(detail.left.audit, detail.right.audit), purpose="api")
    return {**pair_out(pair), "evidence": pair.evidence or {}, "left": _side(detail.left),
            "right": _side(detail.right), "names_met": detail.met,
            "judgements": [{"verdict": j.verdict, "reason": j.reason, "actor": j.actor, "at": j.at,
                            "data_key": j.data_key} for j in detail.judgements]}


@router.get("/resolution/pairs/{pair_id}", response=PairDetailOut)
def get_pair(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    """Both records side by side, the per-comparison evidence and the judgements; an audited read."""
    return _detail(request, _pair(request, pair_id))


@router.post("/resolution/pairs/{pair_id}/confirm", response=PairOut)
def confirm(request: HttpRequest, pair_id: int, payload: ConfirmIn) -> dict[str, Any]:
    pair = _pair(request, pair_id)
    judge_pair(pair=pair, verdict=Verdict.CONFIRMED, actor=request.user, reason=payload.reason)
    return pair_out(pair)


@router.post("/resolution/pairs/{pair_id}/reject", response=PairOut)
def reject(request: HttpRequest, pair_id: int, payload: RejectIn) -> dict[str, Any]:
    """Reject a pair (a reason is required); it is not raised again for the same data."""
    pair = _pair(request, pair_id)
    if not payload.reason.strip():
        raise HttpError(422, "A rejection needs a reason.")
    judge_pair(pair=pair, verdict=Verdict.REJECTED, actor=request.user, reason=payload.reason)
    return pair_out(pair)

"""Document endpoints: the validator, and the desk's documents under the same scope as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.roles import OFFICIAL_READERS, has_role
from sojourn.audit.services import record_read
from sojourn.core.documents import check_document
from sojourn.custody import services
from sojourn.custody.models import TravelDocument
from sojourn.custody.selectors import DESK_ROLES, desk_documents, visible_documents

router = Router(tags=["documents"])


class CheckIn(Schema):
    mrz: str | None = None
    id_number: str | None = None
    doc_type: str | None = None
    number: str | None = None
    issuer: str | None = None
    issue_date: date | None = None


class ProblemOut(Schema):
    code: str
    severity: str
    message: str


class CheckOut(Schema):
    valid: bool
    kind: str
    fields: dict[str, Any]
    problems: list[ProblemOut]


class DocumentOut(Schema):
    id: int
    official_id: str
    doc_type: str
    issuer: str
    number: str
    issue_date: date | None
    expiry_date: date | None
    status: str
    custody: str
    due_back: date | None


class CheckoutIn(Schema):
    due_back: date
    on: date | None = None
    trip_ref: str = ""
    purpose: str = "private"


def _out(d: TravelDocument) -> dict[str, Any]:
    return {"id": d.pk, "official_id": d.holder.official_id, "doc_type": d.doc_type, "issuer": d.issuer,
            "number": d.number, "issue_date": d.issue_date, "expiry_date": d.expiry_date, "status": d.status,
            "custody": d.custody, "due_back": d.due_back}


@router.post("/documents/check", response=CheckOut)
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Validate one document (the `sojourn check-document` result); nothing is stored or looked up."""
    if not has_role(request.user, *OFFICIAL_READERS):
        raise HttpError(403, "Your role gives no access to the document check.")
    try:
        return check_document(**payload.dict()).to_dict()
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


@router.get("/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, official: str = "", custody: str = "", offset: int = 0,
                   limit: int = 100) -> list[dict[str, Any]]:
    if not has_role(request.user, *OFFICIAL_READERS):
        raise HttpError(403, "Your role gives no access to documents.")
    qs = visible_documents(request.user).order_by("pk")
    if official:
        qs = qs.filter(holder__official_id=official)
    if custody:
        qs = qs.filter(custody=custody)
    return [_out(d) for d in qs[offset:offset + max(1, min(limit, 1000))]]


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    if not has_role(request.user, *OFFICIAL_READERS):
        raise HttpError(403, "Your role gives no access to documents.")
    document = visible_documents(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    record_read(actor=request.user, obj=document, purpose="api document detail")
    return _out(document)


def _desk_document(request: HttpRequest, document_id: int) -> TravelDocument:
    if not has_role(request.user, *DESK_ROLES):
        raise HttpError(403, "Only the document desk changes custody.")
    document = desk_documents(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


@router.post("/documents/{document_id}/checkout", response=DocumentOut)
def checkout(request: HttpRequest, document_id: int, payload: CheckoutIn) -> dict[str, Any]:
    from django.utils import timezone

    document = _desk_document(request, document_id)
    try:
        done = services.checkout_document(document=document, on=payload.on or timezone.localdate(),
                                          due_back=payload.due_back, trip_ref=payload.trip_ref,
                                          purpose=payload.purpose, actor=request.user)
    except services.DeskError as exc:
        raise HttpError(409, str(exc)) from exc
    return _out(done)


@router.post("/documents/{document_id}/return", response=DocumentOut)
def return_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    from django.utils import timezone

    document = _desk_document(request, document_id)
    try:
        return _out(services.return_document(document=document, on=timezone.localdate(), actor=request.user))
    except services.DeskError as exc:
        raise HttpError(409, str(exc)) from exc

"""Trip request endpoints: the same reads, scope and decisions as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from sojourn.accounts.roles import OFFICIAL_READERS, has_role
from sojourn.audit.services import record_read
from sojourn.custody.selectors import visible_documents
from sojourn.travel import selectors, services
from sojourn.travel.models import Trip

router = Router(tags=["trips"])


class TripIn(Schema):
    official_id: str
    purpose: str = "private"
    destinations: list[str]
    depart_date: date
    return_date: date
    document_ids: list[int]
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class TripDocumentOut(Schema):
    id: int
    doc_type: str
    issuer: str
    number: str


class TripOut(Schema):
    trip_id: str
    official_id: str
    purpose: str
    destinations: list[str]
    depart_date: date
    return_date: date
    status: str
    documents: list[TripDocumentOut]
    note: str
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_reason: str
    hold_reason: str
    verdict: dict[str, Any]


def _out(trip: Trip) -> dict[str, Any]:
    return {
        "trip_id": trip.trip_id, "official_id": trip.official.official_id, "purpose": trip.purpose,
        "destinations": trip.destination_list, "depart_date": trip.depart_date, "return_date": trip.return_date,
        "status": trip.status, "note": trip.note, "submitted_at": trip.submitted_at, "decided_at": trip.decided_at,
        "decision_reason": trip.decision_reason, "hold_reason": trip.hold_reason, "verdict": trip.verdict,
        "documents": [{"id": d.pk, "doc_type": d.doc_type, "issuer": d.issuer, "number": d.number}
                      for d in trip.documents.all()],
    }


def _reader(request: HttpRequest) -> None:
    if not has_role(request.user, *OFFICIAL_READERS):
        raise HttpError(403, "Your role gives no access to trips.")


def _trip(request: HttpRequest, trip_id: str) -> Trip:
    _reader(request)
    trip = selectors.visible_trips(request.user).filter(trip_id=trip_id).first()
    if trip is None:
        raise Http404
    return trip


def _call(action: Callable[[], Trip]) -> dict[str, Any]:
    try:
        return _out(action())
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Not allowed.") from exc
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc


@router.get("/trips", response=list[TripOut])
def list_trips(request: HttpRequest, status: str = "", official: str = "", offset: int = 0,
               limit: int = 100) -> list[dict[str, Any]]:
    """Trip requests in the caller's scope, newest departure first; filter by status and official ID."""
    _reader(request)
    qs = selectors.filter_trips(selectors.visible_trips(request.user), status=status, official=official)
    qs = qs.order_by("-depart_date", "trip_id").prefetch_related("documents")
    return [_out(t) for t in qs[offset:offset + max(1, min(limit, 1000))]]


@router.post("/trips", response={201: TripOut})
def submit(request: HttpRequest, payload: TripIn) -> Status[dict[str, Any]]:
    """Request a trip; 422 with the reason when the request cannot stand (nothing is stored)."""
    if not has_role(request.user, *selectors.REQUESTERS):
        raise HttpError(403, "Only registrars request trips.")
    official = selectors.requestable_officials(request.user).filter(official_id=payload.official_id).first()
    if official is None:
        raise Http404
    documents = list(visible_documents(request.user).filter(pk__in=payload.document_ids))
    missing = set(payload.document_ids) - {d.pk for d in documents}
    if missing:
        raise HttpError(422, f"no such document in your scope: {', '.join(map(str, sorted(missing)))}")
    out = _call(lambda: services.submit_trip(
        official=official, purpose=payload.purpose, destinations=payload.destinations,
        depart_date=payload.depart_date, return_date=payload.return_date, documents=documents,
        note=payload.note, actor=request.user))
    return Status(201, out)


@router.get("/trips/{trip_id}", response=TripOut)
def get_trip(request: HttpRequest, trip_id: str) -> dict[str, Any]:
    trip = _trip(request, trip_id)
    record_read(actor=request.user, obj=trip, purpose="api trip detail")
    return _out(trip)


@router.post("/trips/{trip_id}/approve", response=TripOut)
def approve(request: HttpRequest, trip_id: str, payload: ReasonIn) -> dict[str, Any]:
    """Approve a pending request; its documents are checked out until the return date + 10 days (7 official)."""
    trip = _trip(request, trip_id)
    return _call(lambda: services.approve_trip(trip=trip, actor=request.user, reason=payload.reason))


@router.post("/trips/{trip_id}/reject", response=TripOut)
def reject(request: HttpRequest, trip_id: str, payload: ReasonIn) -> dict[str, Any]:
    """Reject a pending request; the reason is required."""
    trip = _trip(request, trip_id)
    return _call(lambda: services.reject_trip(trip=trip, actor=request.user, reason=payload.reason))


@router.post("/trips/{trip_id}/withdraw", response=TripOut)
def withdraw(request: HttpRequest, trip_id: str) -> dict[str, Any]:
    trip = _trip(request, trip_id)
    return _call(lambda: services.withdraw_trip(trip=trip, actor=request.user))


@router.post("/trips/{trip_id}/lift-hold", response=TripOut)
def lift_hold(request: HttpRequest, trip_id: str, payload: ReasonIn) -> dict[str, Any]:
    """Lift an automatic hold (inspectors); the request goes back to pending."""
    trip = _trip(request, trip_id)
    return _call(lambda: services.lift_hold(trip=trip, actor=request.user, reason=payload.reason))


@router.post("/trips/{trip_id}/confirm-hold", response=TripOut)
def confirm_hold(request: HttpRequest, trip_id: str, payload: ReasonIn) -> dict[str, Any]:
    """Confirm an automatic hold (inspectors); the request is rejected."""
    trip = _trip(request, trip_id)
    return _call(lambda: services.confirm_hold(trip=trip, actor=request.user, reason=payload.reason))

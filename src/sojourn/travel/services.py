"""Trip requests: submission, the automatic hold, decisions. Every write here, each with its audit event.

A request that cannot stand (dates the wrong way round, an unknown country, a document that
is lost, expired by the return date, failed its check, belongs to someone else or is out for
another trip at the same time) is refused with a ``ValidationError`` naming the document and
the reason, and nothing is stored. A request that stands is screened against the lists and
weighed by the trip rules (``sojourn.core.rules.trips``); what they said is kept in
``Trip.verdict``, and what they raised is stored as findings. A hit on a list entry whose
action is ``hold`` puts the request on hold until an inspector lifts or confirms the hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sojourn.accounts.scope import User
from sojourn.alerts.evaluation import configured_ruleset
from sojourn.alerts.services import store_findings
from sojourn.audit.models import AuditAction
from sojourn.audit.services import actor_name, record
from sojourn.core.documents.codes import ISO_ALPHA3
from sojourn.core.rules import Finding, Ruleset
from sojourn.core.rules.screening import query_name
from sojourn.core.rules.trips import TRIP_RULES, TripScreeningHit
from sojourn.custody import services as desk
from sojourn.custody.models import CustodyEvent, CustodyState, DocStatus, EventKind, TravelDocument
from sojourn.registry.models import Official
from sojourn.screening.services import screen_person
from sojourn.travel import selectors
from sojourn.travel.models import Trip, TripPurpose, TripStatus
from sojourn.travel.snapshot import official_trip_records, screening_hits_of

# Days after the return date by which documents must be back at the desk (custody rules).
RETURN_DAYS = {TripPurpose.PRIVATE: 10, TripPurpose.OFFICIAL: 7}
TRIP_CODES = frozenset(r.code for r in TRIP_RULES)
SYSTEM_ACTOR = "system:travel"


# --- validation -----------------------------------------------------------------------------------


def parse_destinations(destinations: str | Iterable[str]) -> list[str]:
    """ISO 3166-1 alpha-3 codes from a ";"-joined string or a list; ValidationError for an unknown one."""
    parts = destinations.split(";") if isinstance(destinations, str) else list(destinations)
    codes = [p.strip().upper() for p in parts if p.strip()]
    if not codes:
        raise ValidationError("Give at least one destination (ISO 3166-1 alpha-3 code, e.g. HKG).")
    unknown = [c for c in codes if c not in ISO_ALPHA3]
    if unknown:
        raise ValidationError(f"{', '.join(unknown)}: not an ISO 3166-1 alpha-3 country code.")
    return list(dict.fromkeys(codes))


def _label(document: TravelDocument) -> str:
    kind = "passport" if document.doc_type.startswith("passport") else str(document.get_doc_type_display())
    return f"{kind} {document.number}"


def _overlapping(document: TravelDocument, depart: date, back: date, exclude: str) -> Trip | None:
    """Another approved trip on this document whose window meets [depart, back], or the trip it is out for."""
    clash = (Trip.objects.filter(documents=document, status=TripStatus.APPROVED, depart_date__lte=back,
                                 return_date__gte=depart).exclude(trip_id=exclude).first())
    if clash is not None or document.custody != CustodyState.CHECKED_OUT:
        return clash
    out_for = (CustodyEvent.objects.filter(document=document, kind=EventKind.CHECKOUT)
               .order_by("-on", "-id").values_list("trip_ref", flat=True).first())
    trip = Trip.objects.filter(trip_id=out_for).first() if out_for else None
    if trip is not None and trip.trip_id != exclude and trip.depart_date <= back and trip.return_date >= depart:
        return trip
    return None


def document_problem(document: TravelDocument, *, official: Official, depart: date, back: date,
                     today: date, trip_id: str = "") -> str | None:
    """Why ``document`` cannot be used for this trip, in one sentence naming it; None when it can."""
    label = _label(document)
    if document.holder_id != official.pk:
        return f"{label} does not belong to official {official.official_id}"
    if document.status != DocStatus.VALID:
        return f"{label} is {document.get_status_display()}"
    if document.expiry_date is not None and document.expiry_date < back:
        if document.expiry_date < today:
            return f"{label} expired on {document.expiry_date:%Y-%m-%d}"
        return f"{label} expires on {document.expiry_date:%Y-%m-%d}, before the return on {back:%Y-%m-%d}"
    errors = [p["code"] for p in (document.check_result or {}).get("problems", []) if p.get("severity") == "error"]
    if errors:
        return f"{label} failed the document check ({', '.join(errors)})"
    if document.custody not in (CustodyState.IN_CUSTODY, CustodyState.CHECKED_OUT):
        return f"{label} is not in custody ({document.get_custody_display()})"
    clash = _overlapping(document, depart, back, trip_id)
    if clash is not None:
        return (f"{label} is already out for trip {clash.trip_id} "
                f"({clash.depart_date:%Y-%m-%d}–{clash.return_date:%Y-%m-%d}), which overlaps these dates")
    if document.custody == CustodyState.CHECKED_OUT and not _checked_out_for_a_trip(document):
        return f"{label} is checked out with no approved trip behind it"
    return None


def _checked_out_for_a_trip(document: TravelDocument) -> bool:
    ref = (CustodyEvent.objects.filter(document=document, kind=EventKind.CHECKOUT)
           .order_by("-on", "-id").values_list("trip_ref", flat=True).first())
    return bool(ref)


def check_request(*, official: Official, purpose: str, destinations: str | Iterable[str], depart_date: date,
                  return_date: date, documents: Sequence[TravelDocument], today: date,
                  trip_id: str = "") -> list[str]:
    """The request's destinations, or a ValidationError with every reason it cannot stand."""
    if purpose not in TripPurpose.values:
        raise ValidationError(f"{purpose}: the purpose is private or official.")
    codes = parse_destinations(destinations)
    if depart_date > return_date:
        raise ValidationError(f"The return date {return_date:%Y-%m-%d} is before the departure "
                              f"{depart_date:%Y-%m-%d}.")
    if not documents:
        raise ValidationError("Choose the documents the official will travel on.")
    reasons = [r for d in documents
               if (r := document_problem(d, official=official, depart=depart_date, back=return_date, today=today,
                                         trip_id=trip_id))]
    if reasons:
        raise ValidationError(reasons)
    return codes


# --- rules ----------------------------------------------------------------------------------------


def _trip_ruleset() -> Ruleset:
    full = configured_ruleset()
    return Ruleset(version=full.version, rules=tuple(r for r in full.rules if r.code in TRIP_CODES),
                   disabled=full.disabled, overrides=full.overrides)


def evaluate_trip(trip: Trip, *, as_of: date) -> tuple[str, list[Finding]]:
    """The trip rules over this official's requests; the findings that concern ``trip``."""
    ruleset = _trip_ruleset()
    screenings: dict[str, tuple[TripScreeningHit, ...]] = {trip.trip_id: screening_hits_of(trip.verdict)}
    inputs: dict[str, Any] = {"trips": official_trip_records(trip.official_id), "trip_screenings": screenings}
    mine = f":{trip.trip_id}"
    return ruleset.version, [f for f in ruleset.evaluate(inputs, as_of=as_of) if f.dedupe_key.endswith(mine)]


def _store(trip: Trip, *, as_of: date) -> dict[str, Any]:
    """Evaluate the trip rules, store what they raise, and return the outcome as kept in the verdict."""
    version, findings = evaluate_trip(trip, as_of=as_of)
    store_findings(findings=findings, ruleset=version, actor=SYSTEM_ACTOR)
    return {"ruleset": version, "as_of": as_of.isoformat(),
            "findings": [{"code": f.code, "severity": f.severity.label, "text": f.text} for f in findings]}


def _screen(official: Official, actor: User, today: date) -> dict[str, Any]:
    """Screen the official against the lists; every hit is kept, only ``hold`` ones hold the request."""
    out = screen_person(actor=actor, name=query_name(official.name_zh, official.surname, official.given_name),
                        birth_date=official.birth_date, sex=official.sex or None, nationality="CHN",
                        id_number=official.id_number or None, today=today)
    hits = [{"entry_id": m["entry_id"], "list": m["list"], "score": round(float(m["score"]), 4),
             "action": m.get("action") or "", "explanations": list(m.get("explanations") or [])}
            for m in out["matches"] if m.get("match")]
    return {"decision": out["decision"], "ruleset": out["ruleset"], "hits": hits}


# --- writes ---------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def next_trip_id(year: int) -> str:
    """``T2026-00001``: the year of submission and the next number within it."""
    prefix = f"T{year}-"
    taken = Trip.objects.filter(trip_id__startswith=prefix).values_list("trip_id", flat=True)
    numbers = [int(t[len(prefix):]) for t in taken if t[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"


def submit_trip(
    *, official: Official, purpose: str, destinations: str | Iterable[str], depart_date: date, return_date: date,
    documents: Sequence[TravelDocument], actor: User, note: str = "", today: date | None = None,
) -> Trip:
    """Request a trip for ``official``; refused (ValidationError, nothing stored) when it cannot stand.

    The official is screened against the lists: a hit on an entry whose action is ``hold`` puts
    the request on hold and raises ``travel.request_on_watchlist``; ``travel.excessive`` weighs
    the request against the official's other trips. Both outcomes are kept in ``verdict``.
    """
    _require(selectors.requestable_officials(actor).filter(pk=official.pk).exists(),
             "Only a registrar of the official's unit requests trips.")
    today = today or timezone.localdate()
    codes = check_request(official=official, purpose=purpose, destinations=destinations, depart_date=depart_date,
                          return_date=return_date, documents=documents, today=today)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _create(official=official, purpose=purpose, codes=codes, depart_date=depart_date,
                               return_date=return_date, documents=documents, actor=actor, note=note, today=today)
        except IntegrityError:  # someone took the same trip id meanwhile: take the next one
            continue
    raise ValidationError("Could not number the request; submit it again.")


def _create(*, official: Official, purpose: str, codes: list[str], depart_date: date, return_date: date,
            documents: Sequence[TravelDocument], actor: User, note: str, today: date) -> Trip:
    trip = Trip.objects.create(
        trip_id=next_trip_id(today.year), official=official, purpose=purpose, destinations=";".join(codes),
        depart_date=depart_date, return_date=return_date, note=note.strip(), submitted_by=_user(actor),
        submitted_at=timezone.now(), status=TripStatus.PENDING,
    )
    trip.documents.set(documents)
    screening = _screen(official, actor, today)
    holds = [h for h in screening["hits"] if h["action"] == "hold"]
    if holds:
        trip.status = TripStatus.ON_HOLD
        trip.hold_reason = "; ".join(f"Matched entry {h['entry_id']} on list {h['list']} (action hold)"
                                     for h in holds)
    trip.verdict = {"screening": screening}
    trip.save()
    trip.verdict = {"screening": screening, "submission": _store(trip, as_of=today)}
    trip.save(update_fields=["verdict"])
    record(actor=actor, action=AuditAction.CREATE, obj=trip, object_id=trip.trip_id, detail={
        "official_id": official.official_id, "purpose": purpose, "destinations": trip.destinations,
        "depart_date": depart_date, "return_date": return_date, "documents": [d.number for d in documents],
        "status": trip.status, "findings": [f["code"] for f in trip.verdict["submission"]["findings"]],
    })
    return trip


def _user(actor: User) -> Any:
    return actor if actor.is_authenticated else None


def _locked(trip: Trip) -> Trip:
    return Trip.objects.select_for_update().select_related("official").get(pk=trip.pk)


def _decide(trip: Trip, *, actor: User, status: str, reason: str, detail: dict[str, Any] | None = None) -> Trip:
    before = trip.status
    trip.status, trip.decided_by, trip.decided_at = status, _user(actor), timezone.now()
    trip.decision_reason = reason
    trip.save()
    record(actor=actor, action=AuditAction.UPDATE, obj=trip, object_id=trip.trip_id,
           detail={"status": status, "before": before, "reason": reason, **(detail or {})})
    return trip


def _expect(trip: Trip, *statuses: str) -> None:
    if trip.status not in statuses:
        shown = " or ".join(str(TripStatus(s).label) for s in statuses)
        raise ValidationError(f"Trip {trip.trip_id} is {trip.get_status_display()}; this needs it {shown}.")


@transaction.atomic
def approve_trip(*, trip: Trip, actor: User, reason: str = "", today: date | None = None) -> Trip:
    """Approve a pending request: the rules are weighed again and kept as they were at the decision, and
    each document is checked out until the return date + 10 days (7 for an official trip)."""
    _require(selectors.decidable_trips(actor).filter(pk=trip.pk).exists(),
             "Only an approver of the official's unit decides trip requests.")
    trip = _locked(trip)
    _expect(trip, TripStatus.PENDING)
    today = today or timezone.localdate()
    documents = list(trip.documents.all())
    check_request(official=trip.official, purpose=trip.purpose, destinations=trip.destinations,
                  depart_date=trip.depart_date, return_date=trip.return_date, documents=documents, today=today,
                  trip_id=trip.trip_id)
    outcome = _store(trip, as_of=today)
    due = trip.return_date + timedelta(days=RETURN_DAYS[TripPurpose(trip.purpose)])
    for document in documents:
        try:
            desk.checkout_document(document=document, on=today, due_back=due, actor=actor, trip_ref=trip.trip_id,
                                   purpose=trip.purpose, today=today)
        except desk.DeskError as exc:
            raise ValidationError(str(exc)) from exc
    trip.verdict = {**trip.verdict, "decision": {**outcome, "status": TripStatus.APPROVED.value,
                                                 "by": actor_name(actor), "reason": reason.strip()}}
    return _decide(trip, actor=actor, status=TripStatus.APPROVED, reason=reason.strip(),
                   detail={"due_back": due, "documents": [d.number for d in documents]})


@transaction.atomic
def reject_trip(*, trip: Trip, actor: User, reason: str, today: date | None = None) -> Trip:
    """Reject a pending request; the reason is required and kept."""
    _require(selectors.decidable_trips(actor).filter(pk=trip.pk).exists(),
             "Only an approver of the official's unit decides trip requests.")
    if not reason.strip():
        raise ValidationError("A rejection needs a reason.")
    trip = _locked(trip)
    _expect(trip, TripStatus.PENDING)
    outcome = _store(trip, as_of=today or timezone.localdate())
    trip.verdict = {**trip.verdict, "decision": {**outcome, "status": TripStatus.REJECTED.value,
                                                 "by": actor_name(actor), "reason": reason.strip()}}
    return _decide(trip, actor=actor, status=TripStatus.REJECTED, reason=reason.strip())


@transaction.atomic
def withdraw_trip(*, trip: Trip, actor: User) -> Trip:
    """Withdraw a request that is not decided yet (pending or on hold)."""
    _require(selectors.requestable_trips(actor).filter(pk=trip.pk).exists(),
             "Only a registrar of the official's unit withdraws trip requests.")
    trip = _locked(trip)
    _expect(trip, TripStatus.PENDING, TripStatus.ON_HOLD)
    return _decide(trip, actor=actor, status=TripStatus.WITHDRAWN, reason="")


def _hold_decision(trip: Trip, *, actor: User, reason: str, status: str, verb: str) -> Trip:
    _require(selectors.hold_trips(actor).filter(pk=trip.pk).exists(),
             "Only an inspector lifts or confirms a hold.")
    if not reason.strip():
        raise ValidationError("Lifting a hold needs a reason." if verb == "lift" else "Confirming a hold needs a reason.")
    trip = _locked(trip)
    _expect(trip, TripStatus.ON_HOLD)
    trip.verdict = {**trip.verdict, "hold": {"status": verb, "by": actor_name(actor), "reason": reason.strip(),
                                             "at": timezone.now().isoformat()}}
    if status == TripStatus.PENDING:  # lifted: back in the approvers' queue, undecided
        before = trip.status
        trip.status = status
        trip.save(update_fields=["status", "verdict"])
        record(actor=actor, action=AuditAction.UPDATE, obj=trip, object_id=trip.trip_id,
               detail={"status": status, "before": before, "hold": "lifted", "reason": reason.strip()})
        return trip
    return _decide(trip, actor=actor, status=status, reason=reason.strip(), detail={"hold": "confirmed"})


@transaction.atomic
def lift_hold(*, trip: Trip, actor: User, reason: str) -> Trip:
    """Lift the automatic hold (the list hit is not this person, or does not bar travel): back to pending."""
    return _hold_decision(trip, actor=actor, reason=reason, status=TripStatus.PENDING, verb="lift")


@transaction.atomic
def confirm_hold(*, trip: Trip, actor: User, reason: str) -> Trip:
    """Confirm the hold: the request is rejected."""
    return _hold_decision(trip, actor=actor, reason=reason, status=TripStatus.REJECTED, verb="confirm")

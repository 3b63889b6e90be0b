"""The document desk: every write to documents and their custody, each with its audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.core.documents import check_document
from sojourn.core.documents.checks import RegistryRecord, compare_with_record
from sojourn.core.documents.cn import normalise_number
from sojourn.custody.models import CustodyEvent, CustodyState, DocStatus, EventKind, TravelDocument
from sojourn.registry.models import Official


class DeskError(ValueError):
    """A desk action that the document's state does not allow; the message says why."""


def check_for_holder(
    *, holder: Official, doc_type: str, issuer: str, number: str, issue_date: date | None,
    expiry_date: date | None, mrz: str = "", today: date | None = None,
) -> dict[str, Any]:
    """The validator's verdict on a document, including its agreement with the holder's record."""
    if mrz.strip():
        result = check_document(mrz=mrz, number=number or None, issue_date=issue_date, expiry_date=expiry_date,
                                birth_date=holder.birth_date, today=today)
        extra = compare_with_record(
            result.fields, RegistryRecord(surname=holder.surname, given_name=holder.given_name, sex=holder.sex),
            today=today or date.today(),  # noqa: DTZ011  (only used for partial-date comparisons)
        )
    else:
        result = check_document(doc_type=doc_type, number=number, issuer=issuer, issue_date=issue_date,
                                expiry_date=expiry_date, birth_date=holder.birth_date, today=today)
        extra = []
    out = result.to_dict()
    problems: list[dict[str, Any]] = list(out["problems"])  # type: ignore[call-overload]
    known = {p["code"] for p in problems}
    problems += [p.to_dict() for p in extra if p.code not in known]
    out["problems"] = problems
    out["valid"] = not any(p["severity"] == "error" for p in problems)
    return out


def _event(document: TravelDocument, kind: str, *, on: date, actor: Actor, **fields: Any) -> CustodyEvent:
    user = actor if isinstance(actor, User) else None
    event = CustodyEvent.objects.create(document=document, kind=kind, on=on, actor=user, **fields)
    record(actor=actor, action=AuditAction.UPDATE, obj=document,
           detail={"custody_event": kind, "on": on.isoformat(), **{k: str(v) for k, v in fields.items()}})
    return event


@transaction.atomic
def intake_document(
    *, holder: Official, doc_type: str, issuer: str, number: str, issue_date: date | None,
    expiry_date: date | None, mrz: str, on: date, actor: Actor, note: str = "",
    check: dict[str, Any] | None = None,
) -> tuple[TravelDocument, dict[str, Any]]:
    """Take a document into custody (creating its record if new) and keep the validator's verdict.

    ``check`` is the verdict the desk already showed for these same fields, if any. With a zone
    and no typed number, the number is the zone's.
    """
    number = normalise_number(number)
    if check is None:
        check = check_for_holder(holder=holder, doc_type=doc_type, issuer=issuer, number=number,
                                 issue_date=issue_date, expiry_date=expiry_date, mrz=mrz)
    number = number or normalise_number(str(check["fields"].get("document_number") or ""))
    if not number:
        raise DeskError("The document has no readable number.")
    document, created = TravelDocument.objects.select_for_update().get_or_create(
        holder=holder, doc_type=doc_type, issuer=issuer, number=number,
        defaults={"issue_date": issue_date, "expiry_date": expiry_date, "mrz": mrz},
    )
    if document.custody == CustodyState.IN_CUSTODY:
        raise DeskError(f"{document} is already in custody.")
    if created:
        record(actor=actor, action=AuditAction.CREATE, obj=document, detail={"number": number})
    document.mrz = mrz or document.mrz
    document.issue_date = issue_date or document.issue_date
    document.expiry_date = expiry_date or document.expiry_date
    document.custody = CustodyState.IN_CUSTODY
    document.due_back = None
    document.check_result = check
    document.save()
    _event(document, EventKind.INTAKE, on=on, actor=actor, note=note, state_before="" if created else "unknown")
    return document, check


@transaction.atomic
def checkout_document(
    *, document: TravelDocument, on: date, due_back: date, actor: Actor, trip_ref: str = "",
    purpose: str = "private", today: date | None = None,
) -> TravelDocument:
    """Hand a document out for a trip; an invalid, expired or absent document cannot go out."""
    document = TravelDocument.objects.select_for_update().get(pk=document.pk)
    if document.custody != CustodyState.IN_CUSTODY:
        raise DeskError(f"{document} is not in custody ({document.get_custody_display()}).")
    if document.status != DocStatus.VALID:
        raise DeskError(f"{document} is {document.get_status_display()} and cannot be checked out.")
    if document.expiry_date is not None and document.expiry_date < (today or on):
        raise DeskError(f"{document} expired on {document.expiry_date:%Y-%m-%d}.")
    if due_back < on:
        raise DeskError("The due date is before the checkout date.")
    before = document.custody
    document.custody, document.due_back = CustodyState.CHECKED_OUT, due_back
    document.save(update_fields=["custody", "due_back"])
    _event(document, EventKind.CHECKOUT, on=on, actor=actor, due_back=due_back, trip_ref=trip_ref,
           purpose=purpose, state_before=before)
    return document


@transaction.atomic
def return_document(*, document: TravelDocument, on: date, actor: Actor, note: str = "") -> TravelDocument:
    document = TravelDocument.objects.select_for_update().get(pk=document.pk)
    if document.custody != CustodyState.CHECKED_OUT:
        raise DeskError(f"{document} is not checked out.")
    document.custody, document.due_back = CustodyState.IN_CUSTODY, None
    document.save(update_fields=["custody", "due_back"])
    _event(document, EventKind.RETURN, on=on, actor=actor, note=note, state_before=CustodyState.CHECKED_OUT)
    return document


def _retire(document: TravelDocument, *, status: str, kind: str, on: date, actor: Actor, note: str,
            custody: str | None = None) -> TravelDocument:
    """Give a document a final status (lost, cancelled) with its event; the state before is kept."""
    document = TravelDocument.objects.select_for_update().get(pk=document.pk)
    if document.status == status:
        raise DeskError(f"{document} is already {document.get_status_display()}.")
    before = document.custody
    document.status = status
    document.custody = custody or document.custody
    document.save(update_fields=["status", "custody"])
    _event(document, kind, on=on, actor=actor, note=note, state_before=before)
    return document


@transaction.atomic
def report_lost(*, document: TravelDocument, on: date, actor: Actor, note: str) -> TravelDocument:
    """Record a loss report; a loss of a document the desk holds is itself suspicious and is kept as such."""
    # A document the desk does not hold is no longer held by anyone once it is lost.
    held = document.custody == CustodyState.IN_CUSTODY
    return _retire(document, status=DocStatus.LOST, kind=EventKind.LOST, on=on, actor=actor, note=note,
                   custody=None if held else CustodyState.NOT_HELD)


@transaction.atomic
def cancel_document(*, document: TravelDocument, on: date, actor: Actor, note: str) -> TravelDocument:
    """Record that the issuing authority cancelled a document; it stays on the lost/stolen/cancelled list."""
    return _retire(document, status=DocStatus.CANCELLED, kind=EventKind.CANCELLED, on=on, actor=actor, note=note)


@transaction.atomic
def renew_document(
    *, document: TravelDocument, number: str, issue_date: date, expiry_date: date | None, mrz: str,
    on: date, actor: Actor,
) -> TravelDocument:
    """Record that ``document`` was replaced by a new one (renewal or reissue).

    The old document is cancelled with a ``renewed`` event naming its successor; the new one is
    recorded as not yet handed in, so ``custody.new_document_undelivered`` watches its delivery
    (hand it in through the intake).
    """
    old = TravelDocument.objects.select_for_update().get(pk=document.pk)
    new_number = normalise_number(number)
    if old.status != DocStatus.VALID:
        raise DeskError(f"{old} is {old.get_status_display()}; only a valid document is renewed.")
    successor, created = TravelDocument.objects.get_or_create(
        holder=old.holder, doc_type=old.doc_type, issuer=old.issuer, number=new_number,
        defaults={"issue_date": issue_date, "expiry_date": expiry_date, "mrz": mrz,
                  "custody": CustodyState.NOT_HANDED_IN},
    )
    if not created:
        raise DeskError(f"{successor} is already recorded.")
    successor.check_result = check_for_holder(
        holder=old.holder, doc_type=old.doc_type, issuer=old.issuer, number=new_number, issue_date=issue_date,
        expiry_date=expiry_date, mrz=mrz)
    successor.save(update_fields=["check_result"])
    record(actor=actor, action=AuditAction.CREATE, obj=successor, detail={"number": new_number, "renews": old.pk})
    before = old.custody
    old.status = DocStatus.CANCELLED
    old.save(update_fields=["status"])
    _event(old, EventKind.RENEWED, on=on, actor=actor, note=f"replaced by {successor.issuer} {new_number}",
           state_before=before)
    return successor

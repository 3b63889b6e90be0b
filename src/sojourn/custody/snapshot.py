"""Plain-record snapshot of documents and their custody history for the rules."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sojourn.core.rules.custody import DocumentRecord
from sojourn.custody.models import CustodyEvent, CustodyState, EventKind, TravelDocument


def _history() -> dict[int, dict[str, Any]]:
    """Per document: first intake, the latest checkout, loss dates, and whether a loss hit a held document."""
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"intake": None, "checkout": None, "losses": [],
                                                          "lost_in_custody": False})
    rows = CustodyEvent.objects.order_by("document_id", "on", "id").values_list(
        "document_id", "kind", "on", "trip_ref", "purpose", "state_before", "due_back")
    for doc_id, kind, on, trip_ref, purpose, state_before, due_back in rows.iterator(chunk_size=10000):
        h = out[doc_id]
        if kind == EventKind.INTAKE and h["intake"] is None:
            h["intake"] = on
        elif kind == EventKind.CHECKOUT:
            h["checkout"] = (trip_ref, purpose)
            h["checkout_due"] = due_back
        elif kind == EventKind.LOST:
            h["losses"].append(on)
            h["lost_in_custody"] = h["lost_in_custody"] or state_before == CustodyState.IN_CUSTODY
    return out


def _problems(check: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(p["code"]), str(p["severity"])) for p in check.get("problems", []))


def document_records() -> list[DocumentRecord]:
    history = _history()
    rows = TravelDocument.objects.values_list(
        "pk", "holder__official_id", "doc_type", "issuer", "number", "issue_date", "expiry_date", "status",
        "custody", "due_back", "check_result")
    records = []
    for pk, oid, doc_type, issuer, number, issued, expires, status, custody, due_back, check in rows.iterator(
        chunk_size=10000
    ):
        h = history.get(pk)
        intake: date | None = h["intake"] if h else None
        out_for_trip = bool(h and h["checkout"] and custody == CustodyState.CHECKED_OUT)
        trip, purpose = h["checkout"] if h and out_for_trip else ("", "")
        # Imported documents carry no due date; the checkout event that sent them out does.
        due_back = due_back or (h.get("checkout_due") if h and out_for_trip else None)
        records.append(DocumentRecord(
            document_id=str(pk), official_id=oid, doc_type=doc_type, issuer=issuer, number=number,
            issue_date=issued, expiry_date=expires, status=status, custody=custody, due_back=due_back,
            first_intake=intake, checkout_trip=trip, checkout_purpose=purpose, problems=_problems(check or {}),
            losses=tuple(h["losses"]) if h else (), lost_while_in_custody=bool(h and h["lost_in_custody"]),
        ))
    return records

"""Rules of the document desk: hand-in, return and delivery deadlines, documents out without a trip."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sojourn.core.rules.model import Context, Finding, Severity, rule

CUSTODY_BASIS = (
    "Custody rules for private passports and permits published by organization departments: hand in "
    "within 7 days of appointment; return within 10 days after a private trip (7 after an official one); "
    "deliver new or renewed documents within 7 days of issue."
)
BREACH_BASIS = "Filing notice of 2003 (公通字[2003]13号); internal control lists for document custody."
NEW_DOCUMENT_BASIS = CUSTODY_BASIS + " 2015 campaign on irregularly held documents."


DOC_TYPE_LABELS = {
    "passport_ordinary": "ordinary passport", "passport_official": "official passport",
    "passport_service": "service passport", "passport_diplomatic": "diplomatic passport",
    "permit_hk_macau": "Hong Kong and Macau permit", "permit_taiwan": "Taiwan permit", "id_card": "identity card",
}


@dataclass(frozen=True)
class DocumentRecord:
    """A document as the rules see it; ``problems`` are the validator's (code, severity) pairs."""

    document_id: str
    official_id: str
    doc_type: str
    issuer: str
    number: str
    issue_date: date | None
    expiry_date: date | None
    status: str
    custody: str
    due_back: date | None = None
    first_intake: date | None = None
    checkout_trip: str = ""
    checkout_purpose: str = ""
    problems: tuple[tuple[str, str], ...] = ()
    losses: tuple[date, ...] = ()
    lost_while_in_custody: bool = False

    @property
    def label(self) -> str:
        kind = DOC_TYPE_LABELS.get(self.doc_type, self.doc_type.replace("_", " "))
        return f"{kind} {self.issuer} {self.number}"

    @property
    def custodial(self) -> bool:
        """Identity cards stay with their holder; every other document belongs in custody."""
        return self.doc_type != "id_card" and self.status == "valid"


def _f(code: str, severity: Severity, doc: DocumentRecord, text: str, basis: str, key: str,
       **details: Any) -> Finding:
    return Finding(code=code, severity=severity, official_id=doc.official_id, text=text, basis=basis,
                   dedupe_key=f"{code}:{doc.document_id}:{key}",
                   evidence=(f"official:{doc.official_id}", f"document:{doc.document_id}"), details=details)


@rule("custody.intake_overdue", severity=Severity.MEDIUM, basis=CUSTODY_BASIS,
      inputs=("officials", "documents"), days=7)
def intake_overdue(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A newly covered official's documents not handed in within ``days`` (default 7) of becoming covered.

    Documents issued after the official became covered are the business of
    ``custody.new_document_undelivered`` instead.
    """
    days = int(ctx.params["days"])
    covered = {o.official_id: o.covered_since for o in inputs["officials"]}
    docs: Sequence[DocumentRecord] = inputs["documents"]
    for doc in docs:
        since = covered.get(doc.official_id)
        if since is None or not doc.custodial or (doc.issue_date and doc.issue_date > since):
            continue
        due = since + timedelta(days=days)
        late_intake = doc.first_intake is not None and doc.first_intake > due
        never = doc.first_intake is None and doc.custody == "not_handed_in" and ctx.as_of > due
        if never or late_intake:
            how = f"handed in on {doc.first_intake:%Y-%m-%d}" if late_intake else "not handed in"
            yield _f("custody.intake_overdue", Severity.MEDIUM, doc,
                     f"Covered since {since:%Y-%m-%d}; {doc.label} {how}; it was due by {due:%Y-%m-%d}.",
                     CUSTODY_BASIS, f"since:{since}", due=due.isoformat())


@rule("custody.new_document_undelivered", severity=Severity.HIGH, basis=NEW_DOCUMENT_BASIS,
      inputs=("officials", "documents"), days=7)
def new_document_undelivered(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A new, renewed or reissued document not delivered to custody within ``days`` (default 7) of issue."""
    days = int(ctx.params["days"])
    covered = {o.official_id: o.covered_since for o in inputs["officials"]}
    for doc in inputs["documents"]:
        since = covered.get(doc.official_id)
        if since is None or not doc.custodial or doc.issue_date is None or doc.issue_date <= since:
            continue
        due = doc.issue_date + timedelta(days=days)
        late = doc.first_intake is not None and doc.first_intake > due
        if late or (doc.first_intake is None and doc.custody == "not_handed_in" and ctx.as_of > due):
            how = f"delivered on {doc.first_intake:%Y-%m-%d}" if late else "not delivered"
            yield _f("custody.new_document_undelivered", Severity.HIGH, doc,
                     f"{doc.label} was issued on {doc.issue_date:%Y-%m-%d} and {how}; delivery was due by "
                     f"{due:%Y-%m-%d}.", NEW_DOCUMENT_BASIS, f"issued:{doc.issue_date}", due=due.isoformat())


@rule("custody.not_returned", severity=Severity.MEDIUM, basis=CUSTODY_BASIS,
      inputs=("documents", "journeys"), private_days=10, official_days=7)
def not_returned(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A document checked out for a trip and not handed back within 10 days of the traveller's return (7 for
    official trips); until an entry crossing shows the return, the checkout's due date (trip end + the limit).

    Severity rises to high once the delay exceeds the limit again (twice the limit after the return).
    """
    from sojourn.core.rules.travel import returns_by_trip

    back = returns_by_trip(inputs["journeys"], ctx.as_of)
    for doc in inputs["documents"]:
        if doc.custody != "checked_out" or not doc.checkout_trip:
            continue
        limit = int(ctx.params["official_days" if doc.checkout_purpose == "official" else "private_days"])
        returned = back.get(doc.checkout_trip)
        due = returned + timedelta(days=limit) if returned else doc.due_back
        if due is None or ctx.as_of <= due:
            continue
        overdue = (ctx.as_of - due).days
        severity = Severity.HIGH if overdue > limit else Severity.MEDIUM
        since = f"the traveller came back on {returned:%Y-%m-%d}" if returned else "the trip ended"
        yield _f("custody.not_returned", severity, doc,
                 f"{doc.label} was checked out for trip {doc.checkout_trip}; {since} and it was due back at the "
                 f"desk by {due:%Y-%m-%d}; {overdue} days overdue.",
                 CUSTODY_BASIS, f"trip:{doc.checkout_trip}", due=due.isoformat(), overdue_days=overdue)


@rule("custody.breach", severity=Severity.HIGH, basis=BREACH_BASIS, inputs=("documents",))
def breach(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A document out of custody with no approved trip behind it.

    The finding concerns the holder; its text names the custodian unit's desk as the place the
    document should be. A document out for a trip but past its due date is ``custody.not_returned``.
    """
    for doc in inputs["documents"]:
        if doc.custody == "checked_out" and not doc.checkout_trip and doc.status == "valid":
            yield _f("custody.breach", Severity.HIGH, doc,
                     f"{doc.label} is out of custody with no approved trip recorded; it belongs at the "
                     f"unit's document desk.", BREACH_BASIS, "out-without-trip")


CUSTODY_RULES = (intake_overdue, new_document_undelivered, not_returned, breach)

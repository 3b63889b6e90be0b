"""Rules over the documents themselves: forgeries, duplicates, conflicting identities, reissues."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sojourn.core.rules import identity
from sojourn.core.rules.custody import DocumentRecord
from sojourn.core.rules.model import Context, Finding, Severity, rule

FORGERY_BASIS = "ICAO Doc 9303 (check digits, field rules); PRC number series and validity periods."
DUPLICATE_BASIS = "1990 notice on multiple passports (国办发〔1990〕46号); 2015 campaign on irregularly held documents."
CONFLICT_BASIS = "INTERPOL SLTD practice; 1990 notice on forged exit certificates."
REISSUE_BASIS = "Document custody rules (bar on reissue after a loss); Henan rules."

# Validator codes that make a document suspect: integrity of the zone, the number, and its plausibility.
FORGERY_PREFIXES = ("check_digit.", "format.", "id.", "series.", "validity.", "code.")
FORGERY_CODES = frozenset({"date.invalid", "date.issue_after_expiry", "date.birth_in_future", "sex.invalid",
                           "cross.number_mismatch", "cross.expiry_mismatch"})
# Codes that say the document's person is not the registry's person.
CONFLICT_CODES = frozenset({"cross.birth_date_mismatch", "cross.sex_mismatch", "cross.name_mismatch"})
CLASSES = {"passport_ordinary": "passport", "passport_official": "passport", "passport_service": "passport",
           "passport_diplomatic": "passport", "permit_hk_macau": "permit_hk_macau",
           "permit_taiwan": "permit_taiwan"}


def _evidence(*docs: DocumentRecord) -> tuple[str, ...]:
    officials = sorted({f"official:{d.official_id}" for d in docs})
    return (*officials, *sorted(f"document:{d.document_id}" for d in docs))


@rule("document.forgery_suspected", severity=Severity.HIGH, basis=FORGERY_BASIS, inputs=("documents",))
def forgery_suspected(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """The validator found a failed check digit, a malformed zone, an implausible number series for the
    issue date, a wrong validity period, or a contradiction between the zone and the document record."""
    for doc in inputs["documents"]:
        codes = sorted({c for c, _sev in doc.problems
                        if c.startswith(FORGERY_PREFIXES) or c in FORGERY_CODES})
        if codes:
            yield Finding(
                code="document.forgery_suspected", severity=Severity.HIGH, official_id=doc.official_id,
                text=f"{doc.label}: the document check reports {', '.join(codes)}.",
                basis=FORGERY_BASIS, dedupe_key=f"document.forgery_suspected:{doc.document_id}:{'+'.join(codes)}",
                evidence=_evidence(doc), details={"problems": codes},
            )


def _active(doc: DocumentRecord, as_of: date) -> bool:
    return doc.status == "valid" and (doc.expiry_date is None or doc.expiry_date >= as_of)


@rule("document.duplicate_holding", severity=Severity.HIGH, basis=DUPLICATE_BASIS, inputs=("documents",))
def duplicate_holding(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """One person holding two or more valid documents of one class (two ordinary passports, or an
    ordinary and an official one; two Hong Kong and Macau permits). With the optional input ``linkage``
    (identity resolution), also across linked records: the registry's documents of an official and a
    document a linked traveller crossed on."""
    groups: dict[tuple[str, str], list[DocumentRecord]] = defaultdict(list)
    for doc in inputs["documents"]:
        cls = CLASSES.get(doc.doc_type)
        if cls and _active(doc, ctx.as_of):
            groups[(doc.official_id, cls)].append(doc)
    for (official_id, cls), docs in sorted(groups.items()):
        if len(docs) < 2:
            continue
        labels = "; ".join(d.label for d in sorted(docs, key=lambda d: d.number))
        ids = "+".join(sorted(d.document_id for d in docs))
        yield Finding(
            code="document.duplicate_holding", severity=Severity.HIGH, official_id=official_id,
            text=f"Holds {len(docs)} valid documents of the class '{cls.replace('_', ' ')}': {labels}.",
            basis=DUPLICATE_BASIS, dedupe_key=f"document.duplicate_holding:{official_id}:{cls}:{ids}",
            evidence=_evidence(*docs), details={"class": cls},
        )
    yield from identity.duplicate_holdings(inputs, code="document.duplicate_holding", basis=DUPLICATE_BASIS)


@rule("document.identity_conflict", severity=Severity.CRITICAL, basis=CONFLICT_BASIS, inputs=("documents",))
def identity_conflict(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """One issuer and number recorded for two different holders, or a document whose zone gives a name,
    birth date or sex that conflicts with the holder's registry record. With the optional input ``linkage``
    (identity resolution), also registry records of two different officials (or an official and another
    official's relative) linked as one person, and one ID number carried by records whose name, birth
    date or sex disagree."""
    docs: Sequence[DocumentRecord] = inputs["documents"]
    by_number: dict[tuple[str, str], list[DocumentRecord]] = defaultdict(list)
    for doc in docs:
        by_number[(doc.issuer, doc.number)].append(doc)
    for (issuer, number), group in sorted(by_number.items()):
        holders = sorted({d.official_id for d in group})
        if len(holders) < 2:
            continue
        for official_id in holders:
            others = ", ".join(h for h in holders if h != official_id)
            yield Finding(
                code="document.identity_conflict", severity=Severity.CRITICAL, official_id=official_id,
                text=f"Document {issuer} {number} is also recorded for {others}: one number, several holders.",
                basis=CONFLICT_BASIS, dedupe_key=f"document.identity_conflict:{issuer}:{number}:{official_id}",
                evidence=_evidence(*group), details={"holders": holders},
            )
    for doc in docs:
        codes = sorted({c for c, _sev in doc.problems if c in CONFLICT_CODES})
        if codes:
            yield Finding(
                code="document.identity_conflict", severity=Severity.CRITICAL, official_id=doc.official_id,
                text=f"{doc.label} disagrees with the registry record of its holder: {', '.join(codes)}.",
                basis=CONFLICT_BASIS, dedupe_key=f"document.identity_conflict:{doc.document_id}:{'+'.join(codes)}",
                evidence=_evidence(doc), details={"problems": codes},
            )
    yield from identity.identity_conflicts(inputs, code="document.identity_conflict", basis=CONFLICT_BASIS)


@rule("document.suspicious_reissue", severity=Severity.HIGH, basis=REISSUE_BASIS, inputs=("documents",),
      losses=2, years=5)
def suspicious_reissue(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A loss reported while the document was in custody, or ``losses`` (default 2) or more losses by one
    person within ``years`` (default 5) years."""
    per_person: dict[str, list[tuple[date, DocumentRecord]]] = defaultdict(list)
    for doc in inputs["documents"]:
        if doc.lost_while_in_custody:
            yield Finding(
                code="document.suspicious_reissue", severity=Severity.HIGH, official_id=doc.official_id,
                text=f"{doc.label} was reported lost while the desk recorded it as in custody.",
                basis=REISSUE_BASIS, dedupe_key=f"document.suspicious_reissue:{doc.document_id}:in-custody",
                evidence=_evidence(doc),
            )
        per_person[doc.official_id].extend((d, doc) for d in doc.losses)
    window = int(ctx.params["years"]) * 365
    for official_id, losses in sorted(per_person.items()):
        losses.sort(key=lambda item: item[0])
        for i in range(len(losses)):
            j = i + int(ctx.params["losses"]) - 1
            if j < len(losses) and (losses[j][0] - losses[i][0]).days <= window:
                docs = [d for _when, d in losses[i:j + 1]]
                dates = ", ".join(f"{w:%Y-%m-%d}" for w, _d in losses[i:j + 1])
                yield Finding(
                    code="document.suspicious_reissue", severity=Severity.HIGH, official_id=official_id,
                    text=f"{j - i + 1} documents reported lost within {ctx.params['years']} years ({dates}).",
                    basis=REISSUE_BASIS,
                    dedupe_key=f"document.suspicious_reissue:{official_id}:losses:{losses[i][0]}",
                    evidence=_evidence(*docs),
                )
                break


DOCUMENT_RULES = (forgery_suspected, duplicate_holding, identity_conflict, suspicious_reissue)

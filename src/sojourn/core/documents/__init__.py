"""Document validation: ICAO Doc 9303 zones and PRC documents, as plain functions over plain data.

``check_document`` is the one entry point (``sojourn check-document``, the screening API and
the importers call it); ``validate_mrz_batch`` in ``batch`` validates whole feeds of zones.

Kinds (``DocumentCheck.kind``):

* zones: ``TD3``, ``TD2``, ``TD1``, ``MRV-A``, ``MRV-B``, ``CN-PERMIT-HKMO`` (the one-line
  ``CS`` zone of the card permit to HK/Macau), and ``MRZ`` for a zone of no known shape;
* ID numbers: ``CN-RIC``, ``CN-RIC-15``, ``CN-RESIDENCE-PERMIT`` (HK/Macau/Taiwan residents,
  810000/820000/830000), ``CN-PERMANENT-RESIDENCE`` (leading 9, since 2023-12-01),
  ``CN-PERMANENT-RESIDENCE-2017`` (3 letters + 12 digits);
* numbered documents: ``CN-PASSPORT``, ``CN-PASSPORT-HKSAR``, ``CN-PASSPORT-MSAR``,
  ``CN-PERMIT-HKMO``, ``CN-PERMIT-TW``, ``CN-TRAVEL-HKMO`` (回乡证), ``CN-TRAVEL-TW`` (台胞证),
  and ``PASSPORT`` for a passport of another issuer.

Problem codes and severities are in ``codes.SEVERITY`` (DESIGN.md §6); ``valid`` is false
exactly when some problem is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sojourn.core.documents.checks import (
    RegistryRecord,
    check_dates,
    compare_person,
    compare_with_id_number,
    compare_with_record,
)
from sojourn.core.documents.cn import (
    DOC_TYPES,
    VALIDITY,
    check_numbered_document,
    convert_15_to_18,
    mrz_series_problems,
    normalise_number,
    parse_id_number,
    ric_check_char,
    validity_problems,
)
from sojourn.core.documents.codes import (
    ERROR,
    SPECIMEN_CODE,
    PartialDate,
    Problem,
    canonical_order,
    is_state_code,
    local_today,
    problem,
)
from sojourn.core.documents.mrz import UNKNOWN_KIND, check_digit, make_mrz, make_td3, parse_mrz


@dataclass(frozen=True)
class DocumentCheck:
    """The verdict on one document: what it is, what it says, and what is wrong with it."""

    valid: bool
    kind: str
    fields: dict[str, object]
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, object]:
        """The ``check-document --json`` shape of DESIGN.md §6; dates as ISO 8601 text."""
        return {
            "valid": self.valid,
            "kind": self.kind,
            "fields": {key: _json_value(value) for key, value in self.fields.items()},
            "problems": [p.to_dict() for p in self.problems],
        }


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date | PartialDate) else value


def check_document(
    *,
    mrz: str | None = None,
    id_number: str | None = None,
    doc_type: str | None = None,
    number: str | None = None,
    issuer: str | None = None,
    issue_date: date | None = None,
    allow_specimen: bool = False,
    today: date | None = None,
    expiry_date: date | None = None,
    birth_date: date | None = None,
) -> DocumentCheck:
    """Validate one document: a zone, an ID number, or a document type with its number.

    The zone wins when several are given; the others are then checked against it (a
    different ``number`` is ``cross.number_mismatch``, an ID number whose birth date or sex
    differs is ``cross.*``). ``issue_date`` enables the validity-period and series checks;
    ``expiry_date`` and ``birth_date`` (keyword extensions of the §6 contract) serve
    documents without a zone, e.g. rows of the documents import file. ``today`` defaults to
    the date in China. Raises ValueError when nothing is given or ``doc_type`` is unknown.
    """
    request = _Request(
        today=today or local_today(),
        id_number=id_number,
        number=number,
        issuer=issuer,
        issue_date=issue_date,
        expiry_date=expiry_date,
        birth_date=birth_date,
        allow_specimen=allow_specimen,
    )
    if mrz is not None:
        kind, fields, found = _zone(mrz, request)
    elif doc_type is not None and doc_type != "id_card":
        if number is None:
            raise ValueError("a document type needs a number")
        kind, fields, found = _numbered(doc_type, number, request)
    elif id_number is not None or (doc_type == "id_card" and number is not None):
        kind, fields, found = _id_card(
            number if doc_type == "id_card" and number else str(id_number), request
        )
    else:
        raise ValueError("give a zone (mrz), an ID number, or a document type with its number")
    problems = canonical_order(found)
    return DocumentCheck(not any(p.severity == ERROR for p in problems), kind, fields, problems)


@dataclass(frozen=True)
class _Request:
    """What the caller gave besides the document itself."""

    today: date
    id_number: str | None
    number: str | None
    issuer: str | None
    issue_date: date | None
    expiry_date: date | None
    birth_date: date | None
    allow_specimen: bool


_Parts = tuple[str, dict[str, object], list[Problem]]


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _zone(mrz: str, request: _Request) -> _Parts:
    """A zone, its number series, and whatever the caller typed beside it."""
    parsed = parse_mrz(mrz, today=request.today, allow_specimen=request.allow_specimen)
    fields, found = dict(parsed.fields), list(parsed.problems)
    if parsed.kind == UNKNOWN_KIND:
        return parsed.kind, fields, found
    found += mrz_series_problems(parsed.kind, fields, issue_date=request.issue_date)
    if request.issue_date is not None:
        birth, expiry = _as_date(fields.get("birth_date")), _as_date(fields.get("expiry_date"))
        # The zone's own expiry was reported by parse_mrz already.
        found += check_dates(
            today=request.today,
            issue_date=request.issue_date,
            birth_date=birth,
            expiry_date=expiry,
            report_expired=False,
        )
        fields["issue_date"] = request.issue_date
    record = RegistryRecord(
        document_number=request.number, expiry_date=request.expiry_date, birth_date=request.birth_date
    )
    found += compare_with_record(fields, record, today=request.today)
    if request.id_number is not None:
        found += _beside_zone(fields, request.id_number, request.today)
    return parsed.kind, fields, found


def _beside_zone(fields: dict[str, object], id_number: str, today: date) -> list[Problem]:
    """An ID number given with a zone: its own problems, then its birth date and sex against the zone's."""
    parsed = parse_id_number(id_number, today=today)
    fields.update({key: parsed.fields.get(key) for key in ("id_number", "region_code", "sequence")})
    found = list(parsed.problems)
    if not any(p.code.startswith(("format.", "id.birth")) for p in parsed.problems):
        found += compare_with_id_number(fields, id_number, today=today)
    return found


def _numbered(doc_type: str, number: str, request: _Request) -> _Parts:
    """A document type and number, with the holder's birth date from ``birth_date`` or the ID number."""
    id_fields: dict[str, object] = {}
    found: list[Problem] = []
    if request.id_number is not None:
        parsed = parse_id_number(request.id_number, today=request.today)
        id_fields, found = parsed.fields, list(parsed.problems)
    id_birth = _as_date(id_fields.get("birth_date"))
    holder_birth = request.birth_date or id_birth
    dates = {"issue_date": request.issue_date, "expiry_date": request.expiry_date}
    result = check_numbered_document(
        doc_type, number, issuer=request.issuer, birth_date=holder_birth, **dates
    )
    fields, found = dict(result.fields), found + list(result.problems)
    digits = normalise_number(number)
    if not digits:
        found.append(problem("format.length", "The document number is empty."))
    elif not (digits.isascii() and digits.isalnum()):
        found.append(problem("format.charset", f"The document number {digits!r} may hold only A-Z and 0-9."))
    if request.issuer is not None:
        found += _issuer_problems(request.issuer, allow_specimen=request.allow_specimen)
    found += check_dates(
        today=request.today,
        birth_date=request.birth_date,
        issue_date=request.issue_date,
        expiry_date=request.expiry_date,
    )
    if request.birth_date is not None and id_birth is not None:
        source = f"ID number {id_fields['id_number']}"
        found += compare_person(
            {"birth_date": request.birth_date}, birth_date=id_birth, sex=None, source=source
        )
    fields.update(dates, birth_date=holder_birth)
    return result.kind, fields, found


def _issuer_problems(issuer: str, *, allow_specimen: bool) -> list[Problem]:
    if issuer == SPECIMEN_CODE:
        text = "The issuer UTO (Utopia) marks a specimen document."
        return [problem("code.specimen", text, warn_only=allow_specimen)]
    if not is_state_code(issuer):
        return [problem("code.unknown_state", f"The issuer code {issuer!r} is not a known state code.")]
    return []


def _id_card(card: str, request: _Request) -> _Parts:
    """An ID number (or ID card): the number itself, its dates, and the card's validity by age."""
    parsed = parse_id_number(card, today=request.today)
    fields, found = dict(parsed.fields), list(parsed.problems)
    other = request.id_number
    if other is not None and normalise_number(other) != fields["id_number"]:
        text = f"The card number {fields['id_number']} differs from the ID number {normalise_number(other)}."
        found.append(problem("cross.number_mismatch", text))
    if request.birth_date is not None:
        found += compare_person(
            fields, birth_date=request.birth_date, sex=None, source="the given birth date"
        )
    dates = {"issue_date": request.issue_date, "expiry_date": request.expiry_date}
    found += check_dates(today=request.today, issue_date=request.issue_date, expiry_date=request.expiry_date)
    if parsed.kind in ("CN-RIC", "CN-RIC-15"):
        found += validity_problems(
            VALIDITY["id_card"], birth_date=_as_date(fields.get("birth_date")), **dates
        )
    if request.issue_date is not None or request.expiry_date is not None:
        fields.update(dates)
    return parsed.kind, fields, found


__all__ = [
    "DOC_TYPES",
    "DocumentCheck",
    "PartialDate",
    "Problem",
    "RegistryRecord",
    "check_digit",
    "check_document",
    "compare_with_record",
    "convert_15_to_18",
    "make_mrz",
    "make_td3",
    "parse_id_number",
    "parse_mrz",
    "ric_check_char",
]

"""Cross-field checks: a zone against a registry record or an ID number, and date sanity.

Zones carry no century and may carry a truncated name, so comparisons are made in the
zone's own terms: dates of birth on ``YYMMDD`` (and only as far as a partial date goes),
names as zone letters with the zone's name as a prefix of the record's (specs/documents.md
§1.3 and §4).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sojourn.core.documents.cn import normalise_number, parse_id_number
from sojourn.core.documents.codes import PartialDate, Problem, problem


@dataclass(frozen=True)
class RegistryRecord:
    """What the registry holds about a document and its holder; any field may be missing.

    Names are the romanized forms the registry keeps (``surname``/``given_name`` columns),
    in any case, with or without spaces and hyphens.
    """

    surname: str | None = None
    given_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    document_number: str | None = None
    expiry_date: date | None = None
    id_number: str | None = None


def check_dates(
    *,
    today: date,
    birth_date: date | None = None,
    issue_date: date | None = None,
    expiry_date: date | None = None,
    report_expired: bool = True,
) -> list[Problem]:
    """Date sanity: birth not in the future, birth ≤ issue ≤ today, issue before expiry, expiry."""
    out: list[Problem] = []
    if birth_date is not None and birth_date > today:
        out.append(
            problem("date.birth_in_future", f"The birth date {birth_date.isoformat()} is after today.")
        )
    if issue_date is not None and issue_date > today:
        out.append(problem("date.invalid", f"The issue date {issue_date.isoformat()} is after today."))
    if issue_date is not None and birth_date is not None and issue_date < birth_date:
        out.append(
            problem(
                "date.invalid",
                f"The issue date {issue_date.isoformat()} is before the holder's birth "
                f"on {birth_date.isoformat()}.",
            )
        )
    if issue_date is not None and expiry_date is not None and issue_date >= expiry_date:
        out.append(
            problem(
                "date.issue_after_expiry",
                f"The issue date {issue_date.isoformat()} is not before the expiry date "
                f"{expiry_date.isoformat()}.",
            )
        )
    if report_expired and expiry_date is not None and expiry_date < today:
        out.append(problem("date.expired", f"The document expired on {expiry_date.isoformat()}."))
    return out


def birth_dates_agree(zone: object, full: date) -> bool | None:
    """Whether a zone's date of birth (date, partial or None) agrees with a full date.

    Compared on ``YYMMDD`` because the zone has no century; None when the zone has none.
    """
    if isinstance(zone, date):
        return (zone.year % 100, zone.month, zone.day) == (full.year % 100, full.month, full.day)
    if isinstance(zone, PartialDate):
        return zone.year % 100 == full.year % 100 and zone.month in (None, full.month)
    return None


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date | PartialDate) else str(value)


def compare_person(
    fields: Mapping[str, object], *, birth_date: date | None, sex: str | None, source: str
) -> list[Problem]:
    """``cross.birth_date_mismatch`` / ``cross.sex_mismatch`` between a document and ``source``.

    ``fields`` holds the document's ``birth_date`` (date, partial or None) and ``sex``;
    ``source`` names where the other values come from, for the message.
    """
    out: list[Problem] = []
    doc_birth, doc_sex = fields.get("birth_date"), fields.get("sex")
    if birth_date is not None and birth_dates_agree(doc_birth, birth_date) is False:
        out.append(
            problem(
                "cross.birth_date_mismatch",
                f"The document gives the birth date {_shown(doc_birth)}, "
                f"but {source} gives {birth_date.isoformat()}.",
            )
        )
    if sex in ("M", "F") and doc_sex in ("M", "F") and sex != doc_sex:
        out.append(
            problem("cross.sex_mismatch", f"The document gives sex {doc_sex}, but {source} gives {sex}.")
        )
    return out


def compare_with_id_number(fields: Mapping[str, object], id_number: str, *, today: date) -> list[Problem]:
    """A document's birth date and sex against those encoded in a PRC ID number."""
    parsed = parse_id_number(id_number, today=today)
    birth, sex = parsed.fields.get("birth_date"), parsed.fields.get("sex")
    return compare_person(
        fields,
        birth_date=birth if isinstance(birth, date) else None,
        sex=sex if isinstance(sex, str) else None,
        source=f"ID number {parsed.fields['id_number']}",
    )


# Letters without a decomposition, and the umlauts Doc 9303 may also write as two letters.
_PLAIN = {"Æ": "AE", "Œ": "OE", "Þ": "TH", "Ø": "O", "Đ": "D", "Ð": "D", "Ł": "L"}
_DIGRAPHS = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Å": "AA", "Ø": "OE"}


def zone_letters(text: str | None) -> set[str] | None:
    """Forms a name may take in a zone, as bare letters A-Z; None when it is not in Latin script.

    ``Müller`` gives {``MULLER``, ``MUELLER``}; spaces, hyphens and apostrophes vanish.
    """
    if not text:
        return {""}
    upper = text.upper()  # upper() already turns ß into SS
    forms = set()
    for table in (_PLAIN, _DIGRAPHS | {k: v for k, v in _PLAIN.items() if k not in _DIGRAPHS}):
        bare = unicodedata.normalize("NFKD", "".join(table.get(c, c) for c in upper))
        bare = "".join(c for c in bare if not unicodedata.combining(c))
        if any(c.isalpha() and not ("A" <= c <= "Z") for c in bare):
            return None
        forms.add(re.sub(r"[^A-Z]", "", bare))
    return forms


def name_matches(fields: Mapping[str, object], surname: str | None, given_name: str | None) -> bool | None:
    """Whether the zone's name fits the record's (prefix match when truncated); None if unknown."""
    if not surname and not given_name:
        return None
    surnames, givens = zone_letters(surname), zone_letters(given_name)
    if surnames is None or givens is None:
        return None
    zone_surname = re.sub(r"[^A-Z]", "", str(fields.get("surname") or ""))
    zone_given = re.sub(r"[^A-Z]", "", str(fields.get("given_names") or ""))
    zone = f"{zone_surname}|{zone_given}"
    truncated = bool(fields.get("name_truncated"))
    for record in (f"{s}|{g}" for s in surnames for g in givens):
        if record == zone or (truncated and record.startswith(zone.rstrip("|"))):
            return True
    return False


def compare_with_record(
    fields: Mapping[str, object], record: RegistryRecord, *, today: date
) -> list[Problem]:
    """A parsed zone (``parse_mrz`` fields) against what the registry holds.

    Number, birth date, sex and expiry must agree; the name must agree as zone letters,
    the zone's as a prefix of the record's when the zone's name fills its field.
    """
    out: list[Problem] = []
    if name_matches(fields, record.surname, record.given_name) is False:
        zone_name = f"{fields.get('surname') or ''} / {fields.get('given_names') or ''}"
        out.append(
            problem(
                "cross.name_mismatch",
                f"The zone names {zone_name!r}, but the record names "
                f"{record.surname or ''!r} / {record.given_name or ''!r}.",
            )
        )
    zone_number = fields.get("document_number")
    if record.document_number and normalise_number(record.document_number).replace("<", "") != zone_number:
        out.append(
            problem(
                "cross.number_mismatch",
                f"The zone gives document number {zone_number}, "
                f"but the record gives {record.document_number}.",
            )
        )
    out += compare_person(fields, birth_date=record.birth_date, sex=record.sex, source="the record")
    zone_expiry = fields.get("expiry_date")
    if record.expiry_date is not None and isinstance(zone_expiry, date) and zone_expiry != record.expiry_date:
        out.append(
            problem(
                "cross.expiry_mismatch",
                f"The zone gives the expiry date {zone_expiry.isoformat()}, "
                f"but the record gives {record.expiry_date.isoformat()}.",
            )
        )
    if record.id_number:
        out += compare_with_id_number(fields, record.id_number, today=today)
    return out

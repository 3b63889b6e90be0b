"""PRC identity documents: ID card numbers, passport number series, permits, validity periods.

Facts from specs/documents.md §2 and §4. Kinds this module gives:

* ``CN-RIC``: 18-character Resident Identity Card number (GB 11643-1999);
* ``CN-RIC-15``: first-generation 15-digit number, converted to 18 in ``id_number_18``;
* ``CN-RESIDENCE-PERMIT``: residence permit of HK/Macau/Taiwan residents (address 810000/820000/830000);
* ``CN-PERMANENT-RESIDENCE``: foreigner's permanent-residence card since 2023-12-01 (18 digits, leading 9);
* ``CN-PERMANENT-RESIDENCE-2017``: the 2017 card (3 letters + 12 digits);
* ``CN-PASSPORT``: PRC passport (ordinary, diplomatic, service, public affairs);
* ``CN-PASSPORT-HKSAR`` / ``CN-PASSPORT-MSAR``: HKSAR (``K``+8) and MSAR (``MA``+7) passports;
* ``CN-PERMIT-HKMO``: Exit-Entry Permit to HK/Macau (往来港澳通行证), card;
* ``CN-PERMIT-TW``: Exit-Entry Permit to Taiwan (往来台湾通行证);
* ``CN-TRAVEL-HKMO``: Mainland Travel Permit for HK/Macau residents (回乡证);
* ``CN-TRAVEL-TW``: Mainland Travel Permit for Taiwan residents (台胞证).

Anything the spec marks "Unverified" (official passport series, HKSAR/MSAR facts, the
Taiwan permit) yields warnings only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sojourn.core.documents.codes import Problem, add_years, age_on, local_today, problem

# ---- Resident Identity Card numbers (GB 11643-1999) ----------------------------------

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"  # indexed by S mod 11 (ISO 7064 MOD 11-2)

# First two digits of GB/T 2260 address codes (provinces). The spec gives no region table,
# and the one library table it examined (python-stdnum) rejects valid numbers because
# registration codes change over time (#442). So this is a province-level plausibility
# check only, and an unknown code is a warning, not the error other ``id.*`` codes are.
_PROVINCE_TEXT = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71"
)
PROVINCES = frozenset(_PROVINCE_TEXT.split())
RESIDENCE_PERMIT_REGIONS = {"810000": "HK", "820000": "MO", "830000": "TW"}


def ric_check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits of an ID number."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, RIC_WEIGHTS, strict=True))
    return RIC_CHECK[total % 11]


def convert_15_to_18(number: str) -> str:
    """A first-generation 15-digit number in 18-digit form: insert the century, append the check.

    Sequences 996–999 were given to centenarians by the 1989 standard (GB 11643-1999
    foreword), so those numbers take 18YY; all others 19YY.
    """
    if not re.fullmatch(r"\d{15}", number):
        raise ValueError(f"expected 15 digits, got {number!r}")
    century = "18" if int(number[12:]) >= 996 else "19"
    first17 = number[:6] + century + number[6:]
    return first17 + ric_check_char(first17)


@dataclass(frozen=True)
class CnResult:
    """A classified Chinese number: its kind, what it says, and what is wrong with it."""

    kind: str
    fields: dict[str, object]
    problems: tuple[Problem, ...]


def id_kind(number: str) -> str:
    """The kind of an ID-shaped number, from its length and prefix."""
    if re.fullmatch(r"[A-Z]{3}\d{12}", number):
        return "CN-PERMANENT-RESIDENCE-2017"
    if len(number) == 15:
        return "CN-RIC-15"
    if number[:2] in ("81", "82", "83"):
        return "CN-RESIDENCE-PERMIT"
    if number.startswith("9"):
        return "CN-PERMANENT-RESIDENCE"
    return "CN-RIC"


def parse_id_number(text: str, *, today: date | None = None) -> CnResult:
    """Parse and check a Resident Identity Card number, or a number of the same format.

    Accepts a lowercase ``x`` and inner spaces. Fields: ``id_number``, ``region_code``,
    ``birth_date``, ``sex``, ``sequence`` (and ``id_number_18`` for 15-digit numbers).
    """
    today = today or local_today()
    number = "".join(text.split()).upper()
    kind = id_kind(number)
    fields: dict[str, object] = {"id_number": number}
    if kind == "CN-PERMANENT-RESIDENCE-2017":
        return CnResult(kind, fields, ())
    if len(number) not in (15, 18):
        message = (
            f"The ID number {number!r} has {len(number)} characters; "
            "expected 18 (or 15 for the first generation)."
        )
        return CnResult(kind, fields, (problem("format.length", message),))
    shape = r"\d{15}" if len(number) == 15 else r"\d{17}[\dX]"
    if not re.fullmatch(shape, number):
        odd = sorted({c for c in number if not c.isascii() or c not in "0123456789X"})
        code = "format.charset" if odd else "format.layout"
        message = f"The ID number {number!r} may hold only digits" + (
            " and a final X." if len(number) == 18 else "."
        )
        return CnResult(kind, fields, (problem(code, message),))
    problems: list[Problem] = []
    if len(number) == 15:
        fields["id_number_18"] = convert_15_to_18(number)
        digits18 = str(fields["id_number_18"])
    else:
        digits18 = number
        expected = ric_check_char(number[:17])
        if number[17] != expected:
            problems.append(
                problem(
                    "id.check_character",
                    f"The check character of ID number {number} should be {expected}, not {number[17]}.",
                )
            )
    fields.update(_id_parts(digits18, kind, today, problems))
    return CnResult(kind, fields, tuple(problems))


def _id_parts(digits18: str, kind: str, today: date, problems: list[Problem]) -> dict[str, object]:
    """Region, birth date, sex and sequence of an 18-digit number; problems appended."""
    region, sequence = digits18[:6], digits18[14:17]
    birth: date | None
    try:
        birth = date(int(digits18[6:10]), int(digits18[10:12]), int(digits18[12:14]))
    except ValueError:
        birth = None
        problems.append(
            problem(
                "id.birth_date",
                f"The ID number encodes the birth date {digits18[6:14]}, which is not a calendar date.",
            )
        )
    if birth is not None and birth > today:
        problems.append(
            problem(
                "date.birth_in_future",
                f"The ID number gives a birth date of {birth.isoformat()}, after today.",
            )
        )
    if kind == "CN-RESIDENCE-PERMIT" and region not in RESIDENCE_PERMIT_REGIONS:
        problems.append(
            problem(
                "id.region_unknown",
                f"A residence permit number starts 810000, 820000 or 830000, not {region}.",
                warn_only=True,
            )
        )
    if kind in ("CN-RIC", "CN-RIC-15") and region[:2] not in PROVINCES:
        problems.append(
            problem(
                "id.region_unknown",
                f"The address code {region} does not start with a known province code.",
                warn_only=True,
            )
        )
    fields: dict[str, object] = {
        "region_code": region,
        "birth_date": birth,
        "sex": "M" if int(sequence) % 2 else "F",
        "sequence": sequence,
    }
    if kind == "CN-RESIDENCE-PERMIT":
        fields["holder_region"] = RESIDENCE_PERMIT_REGIONS.get(region)
    return fields


# ---- number series -------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One number series of a PRC document: its pattern, the document class, its kind."""

    name: str
    pattern: str
    document: str
    kind: str
    verified: bool

    def matches(self, number: str) -> bool:
        return re.fullmatch(self.pattern, number) is not None


PASSPORT_SERIES: tuple[Series, ...] = (
    Series("G", r"G\d{8}", "ordinary", "CN-PASSPORT", True),
    Series("E", r"E\d{8}", "ordinary", "CN-PASSPORT", True),
    Series("E-letter", r"E[A-Z]\d{7}", "ordinary", "CN-PASSPORT", True),
    Series("14/15", r"1[45]\d{7}", "ordinary", "CN-PASSPORT", True),
    Series("K", r"K\d{8}", "hksar", "CN-PASSPORT-HKSAR", False),
    Series("MA", r"MA\d{7}", "msar", "CN-PASSPORT-MSAR", False),
    Series("DE", r"DE\d{7}", "diplomatic", "CN-PASSPORT", False),
    Series("SE", r"SE\d{7}", "service", "CN-PASSPORT", False),
    Series("PE", r"PE\d{7}", "public_affairs", "CN-PASSPORT", False),
    Series("D", r"D\d{7,8}", "diplomatic", "CN-PASSPORT", False),
    Series("S", r"S\d{7,8}", "service", "CN-PASSPORT", False),
    Series("P", r"P\d{7}", "public_affairs", "CN-PASSPORT", False),
)
PERMIT_HKMO_SERIES: tuple[Series, ...] = (
    Series("C", r"C\d{8}", "permit_hk_macau", "CN-PERMIT-HKMO", True),
    Series("C-letter", r"C[A-Z]\d{7}", "permit_hk_macau", "CN-PERMIT-HKMO", True),
)
TRAVEL_HKMO_SERIES: tuple[Series, ...] = (
    Series("1999", r"[HM]\d{10}", "travel_permit_hk_macau", "CN-TRAVEL-HKMO", True),
    Series("9", r"[HM]\d{8}", "travel_permit_hk_macau", "CN-TRAVEL-HKMO", True),
    Series("non-Chinese", r"[HM]A\d{7}", "travel_permit_hk_macau", "CN-TRAVEL-HKMO", True),
)
TRAVEL_TW_SERIES: tuple[Series, ...] = (Series("8", r"\d{8}", "travel_permit_taiwan", "CN-TRAVEL-TW", True),)

# The import file's passport classes. PRC English usage calls 公务护照 both "official" and
# "service" passport, and 公务普通护照 "public affairs"; the spec does not settle which of
# the import file's two names covers which, so both accept either series (warnings only).
PASSPORT_CLASSES: dict[str, frozenset[str]] = {
    "passport_ordinary": frozenset({"ordinary", "hksar", "msar"}),
    "passport_diplomatic": frozenset({"diplomatic"}),
    "passport_official": frozenset({"service", "public_affairs"}),
    "passport_service": frozenset({"service", "public_affairs"}),
}

G_SERIES_LAST_EXPIRY = date(2025, 6, 30)  # "expiring after early 2025 is implausible"
G_SERIES_LAST_ISSUE = date(2014, 12, 31)  # all new passports biometric since January 2015
E_SERIES_FIRST_ISSUE = date(2012, 1, 1)  # E + 8 digits "from 2012"
E_LETTER_FIRST_ISSUE = date(2017, 4, 5)
C_SERIES_FIRST_ISSUE = date(2014, 5, 1)  # card permits "from May 2014"
C_LETTER_FIRST_ISSUE = date(2018, 12, 1)  # "~Dec 2018" (NIA notice of 2018-12-10)


def classify(number: str, series: tuple[Series, ...]) -> Series | None:
    """The first series whose pattern the number matches, or None."""
    return next((s for s in series if s.matches(number)), None)


def series_problems(
    found: Series, number: str, *, issue_date: date | None, expiry_date: date | None
) -> list[Problem]:
    """Number-series plausibility (specs/documents.md §4): letters, and dates against the series."""
    out: list[Problem] = []

    def flag(reason: str) -> None:
        out.append(problem("series.implausible", f"Number {number} ({found.name} series) {reason}."))

    if found.name in ("E-letter", "C-letter") and number[1] in "IO":
        flag(f"has {number[1]} as its series letter, which the series never uses")
    if found.name == "C-letter" and number[1:] == "A0000000":
        flag("is below CA0000001, where the series starts")
    if found.name == "G" and expiry_date is not None and expiry_date > G_SERIES_LAST_EXPIRY:
        flag(f"expires on {expiry_date.isoformat()}, but G-series passports were last issued in 2014")
    if issue_date is None:
        return out
    starts = {
        "E": E_SERIES_FIRST_ISSUE,
        "E-letter": E_LETTER_FIRST_ISSUE,
        "C": C_SERIES_FIRST_ISSUE,
        "C-letter": C_LETTER_FIRST_ISSUE,
    }
    first = starts.get(found.name)
    if first is not None and issue_date < first:
        flag(f"was issued on {issue_date.isoformat()}, before the series began on {first.isoformat()}")
    if found.name == "G" and issue_date > G_SERIES_LAST_ISSUE:
        flag(f"was issued on {issue_date.isoformat()}, after G-series issuing ended in 2014")
    return out


# ---- validity periods ----------------------------------------------------------------


@dataclass(frozen=True)
class Validity:
    """Validity in years by age at issue: ``bands`` pairs an age limit (exclusive) with years.

    ``None`` years means long-term (no expiry). ``at_most`` means the period may be
    shorter. ``verified`` is False when the spec marks the rule unverified.
    """

    what: str
    bands: tuple[tuple[int, int | None], ...]
    verified: bool = True
    at_most: bool = False

    def years(self, age: int) -> int | None:
        return next(years for limit, years in self.bands if age < limit)


NEVER = 10_000
VALIDITY: dict[str, Validity] = {
    "ordinary": Validity("An ordinary passport", ((16, 5), (NEVER, 10))),
    "diplomatic": Validity("A diplomatic passport", ((NEVER, 5),), verified=False, at_most=True),
    "service": Validity("A service passport", ((NEVER, 5),), verified=False, at_most=True),
    "public_affairs": Validity("A public-affairs passport", ((NEVER, 5),), verified=False, at_most=True),
    "hksar": Validity("An HKSAR passport", ((16, 5), (NEVER, 10)), verified=False),
    "msar": Validity("An MSAR passport", ((18, 5), (NEVER, 10)), verified=False),
    "permit_hk_macau": Validity("An exit-entry permit to HK/Macau", ((16, 5), (NEVER, 10))),
    "permit_taiwan": Validity("An exit-entry permit to Taiwan", ((16, 5), (NEVER, 10)), verified=False),
    "travel_permit_hk_macau_1999": Validity(
        "A 1999 travel permit for HK/Macau residents", ((18, 3), (NEVER, 10))
    ),
    "id_card": Validity("A resident identity card", ((16, 5), (26, 10), (46, 20), (NEVER, None))),
}


def validity_problems(
    rule: Validity, *, birth_date: date | None, issue_date: date | None, expiry_date: date | None
) -> list[Problem]:
    """``validity.period`` when expiry − issue does not match the rule for the age at issue (±1 day)."""
    if issue_date is None or birth_date is None or issue_date < birth_date:
        return []
    age = age_on(birth_date, issue_date)
    years = rule.years(age)
    if years is None:
        if expiry_date is None:
            return []
        text = (
            f"{rule.what} issued at age {age} is long-term, "
            f"but an expiry date of {expiry_date.isoformat()} is given."
        )
        return [problem("validity.period", text, warn_only=not rule.verified)]
    if expiry_date is None:
        return []
    expected = add_years(issue_date, years)
    slack = timedelta(days=1)
    ok = expiry_date <= expected + slack if rule.at_most else abs(expiry_date - expected) <= slack
    if ok:
        return []
    limit = "at most " if rule.at_most else ""
    text = (
        f"{rule.what} issued on {issue_date.isoformat()} at age {age} is valid for {limit}{years} years "
        f"(to about {expected.isoformat()}), but it expires on {expiry_date.isoformat()}."
    )
    return [problem("validity.period", text, warn_only=not rule.verified)]


# ---- numbered documents (doc_type + number) ------------------------------------------

# The import file's ``doc_type`` values, plus the two mainland travel permits of HK/Macau
# and Taiwan residents, which relatives and travellers in a crossing feed carry.
DOC_TYPES = (
    "passport_ordinary",
    "passport_official",
    "passport_service",
    "passport_diplomatic",
    "permit_hk_macau",
    "permit_taiwan",
    "id_card",
    "travel_permit_hk_macau",
    "travel_permit_taiwan",
)
CHINESE_PASSPORT_ISSUERS = ("CHN", "HKG", "MAC")


def normalise_number(text: str) -> str:
    """A document number as written in a zone: upper case, no spaces."""
    return "".join(text.split()).upper()


def check_numbered_document(
    doc_type: str,
    number: str,
    *,
    issuer: str | None = None,
    issue_date: date | None = None,
    expiry_date: date | None = None,
    birth_date: date | None = None,
) -> CnResult:
    """Classify a document number of a PRC document type and check it against its series.

    A number of a verified format that fits none of its series is a ``format.layout``
    error; a series that does not fit the document type, issuer or dates is
    ``series.implausible``; a period that does not fit the holder's age at issue is
    ``validity.period``. Passports of other issuers get the kind ``PASSPORT`` and no series
    check. ``id_card`` numbers go through ``parse_id_number`` instead.
    """
    if doc_type not in DOC_TYPES or doc_type == "id_card":
        raise ValueError(f"unknown document type {doc_type!r}; expected one of {', '.join(DOC_TYPES)}")
    number = normalise_number(number)
    dates = {"issue_date": issue_date, "expiry_date": expiry_date}
    if doc_type.startswith("passport_"):
        return _passport(doc_type, number, issuer or "CHN", birth_date=birth_date, **dates)
    if doc_type == "permit_hk_macau":
        return _permit_hkmo(number, birth_date=birth_date, **dates)
    if doc_type == "permit_taiwan":
        # The number format is not confirmed (spec: unverified), so only the period is checked.
        fields: dict[str, object] = {"doc_type": doc_type, "document_number": number}
        found = validity_problems(VALIDITY["permit_taiwan"], birth_date=birth_date, **dates)
        return CnResult("CN-PERMIT-TW", fields, tuple(found))
    series = TRAVEL_HKMO_SERIES if doc_type == "travel_permit_hk_macau" else TRAVEL_TW_SERIES
    return _travel_permit(doc_type, number, series, birth_date=birth_date, **dates)


def _passport(
    doc_type: str,
    number: str,
    issuer: str,
    *,
    issue_date: date | None,
    expiry_date: date | None,
    birth_date: date | None,
) -> CnResult:
    fields: dict[str, object] = {"doc_type": doc_type, "issuer": issuer, "document_number": number}
    if issuer not in CHINESE_PASSPORT_ISSUERS:
        return CnResult("PASSPORT", fields, ())
    found = classify(number, PASSPORT_SERIES)
    if found is None:
        # Only the ordinary series are verified; the official series rest on secondary pages.
        strict = doc_type == "passport_ordinary"
        code = "format.layout" if strict else "series.implausible"
        text = f"Passport number {number} fits none of the PRC passport series for {doc_type}."
        return CnResult("CN-PASSPORT", fields, (problem(code, text, warn_only=not strict),))
    fields.update(series=found.name, passport_class=found.document)
    out: list[Problem] = []
    if found.document not in PASSPORT_CLASSES[doc_type]:
        out.append(
            problem(
                "series.implausible",
                f"Number {number} belongs to the {found.name} series of {found.document} passports, "
                f"not to a {doc_type}.",
            )
        )
    regional = {"hksar": "HKG", "msar": "MAC"}.get(found.document)
    if issuer != "CHN" and issuer != regional:
        out.append(
            problem(
                "series.implausible",
                f"Number {number} is of the {found.name} series, which {issuer} does not issue.",
            )
        )
    out += series_problems(found, number, issue_date=issue_date, expiry_date=expiry_date)
    out += validity_problems(
        VALIDITY[found.document], birth_date=birth_date, issue_date=issue_date, expiry_date=expiry_date
    )
    return CnResult(found.kind, fields, tuple(out))


def _permit_hkmo(
    number: str, *, issue_date: date | None, expiry_date: date | None, birth_date: date | None
) -> CnResult:
    fields: dict[str, object] = {"doc_type": "permit_hk_macau", "document_number": number}
    found = classify(number, PERMIT_HKMO_SERIES)
    if found is None:
        other = classify(number, TRAVEL_HKMO_SERIES)
        if other is not None:
            text = f"Number {number} is a Mainland Travel Permit for HK/Macau residents, not an exit permit."
            return CnResult(other.kind, fields, (problem("series.implausible", text),))
        if issue_date is not None and issue_date < C_SERIES_FIRST_ISSUE:
            # A booklet permit; the spec does not give the booklet's number format.
            text = (
                f"Number {number} of a permit issued on {issue_date.isoformat()} is not a card number; "
                "booklet numbers are not checked."
            )
            return CnResult("CN-PERMIT-HKMO", fields, (problem("series.implausible", text),))
        text = f"Exit-entry permit number {number} is neither C + 8 digits nor C + letter + 7 digits."
        return CnResult("CN-PERMIT-HKMO", fields, (problem("format.layout", text),))
    fields["series"] = found.name
    out = series_problems(found, number, issue_date=issue_date, expiry_date=expiry_date)
    out += validity_problems(
        VALIDITY["permit_hk_macau"], birth_date=birth_date, issue_date=issue_date, expiry_date=expiry_date
    )
    return CnResult(found.kind, fields, tuple(out))


def _travel_permit(
    doc_type: str,
    number: str,
    series: tuple[Series, ...],
    *,
    issue_date: date | None,
    expiry_date: date | None,
    birth_date: date | None,
) -> CnResult:
    fields: dict[str, object] = {"doc_type": doc_type, "document_number": number}
    kind = series[0].kind
    found = classify(number, series)
    if found is None:
        text = f"Number {number} fits none of the number formats of a {doc_type}."
        return CnResult(kind, fields, (problem("format.layout", text),))
    fields["series"] = found.name
    if found.name == "1999":
        # The first 9 characters identify the holder for life; the last 2 count renewals.
        fields.update(person_number=number[:9], renewal_count=int(number[9:]))
        return CnResult(
            kind,
            fields,
            tuple(
                validity_problems(
                    VALIDITY["travel_permit_hk_macau_1999"],
                    birth_date=birth_date,
                    issue_date=issue_date,
                    expiry_date=expiry_date,
                )
            ),
        )
    return CnResult(kind, fields, ())


def mrz_series_problems(
    kind: str, fields: dict[str, object], *, issue_date: date | None = None
) -> list[Problem]:
    """Series and validity checks for a zone: PRC passports (TD3, issuer CHN) and the CS permit.

    Zone numbers are protected by check digits, so a number that fits no known series is
    only ``series.implausible`` here (CHN is reportedly also used on HKSAR passports).
    """
    number = fields.get("document_number")
    code = str(fields.get("document_code") or "")
    expiry = fields.get("expiry_date")
    birth = fields.get("birth_date")
    expiry_date = expiry if isinstance(expiry, date) else None
    birth_date = birth if isinstance(birth, date) else None
    if not isinstance(number, str):
        return []
    if kind == "TD3" and fields.get("issuer") == "CHN" and code.startswith("P"):
        table, what = PASSPORT_SERIES, "PRC passport"
    elif kind == "CN-PERMIT-HKMO":
        table, what = PERMIT_HKMO_SERIES, "exit-entry permit"
    else:
        return []
    found = classify(number, table)
    if found is None:
        return [problem("series.implausible", f"Number {number} fits none of the {what} number series.")]
    out = series_problems(found, number, issue_date=issue_date, expiry_date=expiry_date)
    rule = VALIDITY[found.document]
    out += validity_problems(rule, birth_date=birth_date, issue_date=issue_date, expiry_date=expiry_date)
    return out

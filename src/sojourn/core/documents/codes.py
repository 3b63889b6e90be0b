"""Code tables the document validator rests on: problem codes with their severities, and state codes.

Problem codes are a contract (DESIGN.md §6): callers filter and count by them, so they are
never renamed. ``PROBLEM_CODES`` lists them in their canonical order, which is also the
order in which the batch validator joins them; ``SEVERITY`` gives each its default
severity. A problem that rests on a fact the spec marks "Unverified" is always emitted as
a warning, whatever its default (``problem(..., warn_only=True)``).

State codes are ISO 3166-1 alpha-3 plus the additions of ICAO Doc 9303 Part 3
(specs/documents.md §1.3). ``UTO`` (Utopia) is not a state: it appears only in specimens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"

# Canonical order. The first 24 are DESIGN.md §6's stable codes; the ``cross.*_mismatch``
# codes after them extend the list for the comparison with a registry record, which §6
# does not name (extend, don't rename).
SEVERITY: dict[str, Severity] = {
    "format.length": ERROR,
    "format.charset": ERROR,
    "format.layout": ERROR,
    "check_digit.document_number": ERROR,
    "check_digit.birth_date": ERROR,
    "check_digit.expiry_date": ERROR,
    "check_digit.personal_number": ERROR,
    "check_digit.composite": ERROR,
    "date.invalid": ERROR,
    "date.birth_in_future": ERROR,
    "date.expired": WARNING,
    "date.issue_after_expiry": ERROR,
    "sex.invalid": ERROR,
    "sex.nonstandard": WARNING,
    "code.unknown_state": ERROR,
    "code.specimen": ERROR,
    "series.implausible": WARNING,
    # §6 lists validity.period under neither errors nor warnings. It is a warning: it rests
    # on the issue date, which no check digit protects and which is usually keyed by hand,
    # and specs/documents.md §4 asks only that a mismatch be flagged.
    "validity.period": WARNING,
    "id.check_character": ERROR,
    "id.birth_date": ERROR,
    "id.region_unknown": ERROR,
    "id.sex_mismatch": ERROR,
    # Two documents (or a document and the registry) that disagree cannot both describe
    # the same person, so a mismatch is an error.
    "cross.birth_date_mismatch": ERROR,
    "cross.sex_mismatch": ERROR,
    "cross.number_mismatch": ERROR,
    "cross.name_mismatch": ERROR,
    "cross.expiry_mismatch": ERROR,
}

PROBLEM_CODES: tuple[str, ...] = tuple(SEVERITY)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: a stable code, its severity and a readable sentence."""

    code: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


def problem(code: str, message: str, *, warn_only: bool = False) -> Problem:
    """Build a problem with the code's default severity, or a warning when ``warn_only``.

    ``warn_only`` is for problems that rest on an unverified fact, and for specimens when
    specimens are allowed.
    """
    severity = SEVERITY[code]  # KeyError on a misspelt code is a programming error
    return Problem(code, WARNING if warn_only else severity, message)


def canonical_order(problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems sorted by code in canonical order, keeping the order of equal codes."""
    rank = {code: i for i, code in enumerate(PROBLEM_CODES)}
    return tuple(sorted(problems, key=lambda p: rank[p.code]))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date of birth known only to the year or the month (Doc 9303 allows `<<` or `00`)."""

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        """ISO 8601 reduced precision: ``1974`` or ``1974-08``."""
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"


# ISO 3166-1 alpha-3, the officially assigned codes.
_ISO_ALPHA3_TEXT = """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA
    BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN
    CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU
    EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB
    GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL
    ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO
    LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR
    MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER
    PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM
    SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK
    TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UMI UKR URY USA UZB VAT VCT VEN VGB VIR VNM
    VUT WLF WSM YEM ZAF ZMB ZWE
"""
ISO_ALPHA3_IN_ORDER: tuple[str, ...] = tuple(_ISO_ALPHA3_TEXT.split())  # alphabetical, as listed above
ISO_ALPHA3: frozenset[str] = frozenset(ISO_ALPHA3_IN_ORDER)

# Doc 9303 additions (specs/documents.md §1.3), mapped to the ISO code they stand for where
# there is one. ``D`` is Germany, written ``D<<`` in the zone.
DOC9303_CODES: dict[str, str | None] = {
    "D": "DEU",
    "GBD": "GBR",  # British Overseas Territories citizen
    "GBN": "GBR",  # British National (Overseas)
    "GBO": "GBR",  # British Overseas citizen
    "GBS": "GBR",  # British subject
    "GBP": "GBR",  # British protected person
    "UNO": None,  # United Nations
    "UNA": None,  # UN specialised agency
    "UNK": None,  # UN Interim Administration Mission in Kosovo
    "XXA": None,  # stateless
    "XXB": None,  # refugee under the 1951 Convention
    "XXC": None,  # other refugee
    "XXX": None,  # nationality unspecified
    "EUE": None,  # European Union
    "XOM": None,  # Sovereign Military Order of Malta
    "XPO": None,  # INTERPOL
    "XCC": None,
    "XBA": None,
    "XIM": None,
    "XCE": None,
    "XCO": None,
    "XEC": None,
    "XES": None,
    "XDC": None,
    "XXK": None,  # Kosovo
    "RKS": None,  # Kosovo
}

SPECIMEN_CODE = "UTO"

STATE_CODES: frozenset[str] = ISO_ALPHA3 | frozenset(DOC9303_CODES)


def is_state_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or a Doc 9303 addition (not ``UTO``)."""
    return code in STATE_CODES


def iso_alpha3(code: str) -> str | None:
    """The ISO 3166-1 alpha-3 code a zone code stands for (``D`` → ``DEU``), or None."""
    if code in ISO_ALPHA3:
        return code
    return DOC9303_CODES.get(code)


# China keeps one time zone and no daylight saving, so a fixed offset is exact; callers
# that know the deployment's zone pass ``today`` themselves.
_CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_today() -> date:
    """Today's date in China, the default evaluation date of every check."""
    return datetime.now(_CHINA).date()


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: date, day: date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

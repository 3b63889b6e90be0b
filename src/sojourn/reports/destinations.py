"""Destination groups, periods of emigration and senior ranks of the families-abroad report.

Plain data and parsers, no Django: the report (``sojourn.reports.families``) reads them from the
settings, and the synthetic data generator (``sojourn.synth``) uses the defaults to write the
figures its manifest promises. The defaults follow the groups and periods of the 2006 report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OTHER = "Other"
# The 2006 report's destination groups; any other country abroad counts as "Other".
DEFAULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hong Kong", ("HKG",)),
    ("Macau", ("MAC",)),
    ("United States", ("USA",)),
    ("Western Europe", ("GBR", "FRA", "DEU", "NLD", "BEL", "CHE", "AUT", "IRL", "LUX", "ESP", "ITA", "PRT",
                        "MCO", "LIE", "AND", "GRC", "MLT")),
    ("Nordic countries", ("SWE", "NOR", "DNK", "FIN", "ISL")),
    ("Australia", ("AUS",)),
    ("New Zealand", ("NZL",)),
    ("Canada", ("CAN",)),
    ("South East Asia", ("SGP", "MYS", "THA")),
)  # fmt: skip
# (first year, last year) of each explicit bin, then bins of CONTINUE_YEARS years up to the as-of year.
DEFAULT_PERIODS: tuple[tuple[int, int], ...] = ((1985, 1990), (1991, 1998), (1999, 2005))
CONTINUE_YEARS = 5
DEFAULT_SENIOR_RANKS = ("national", "ministerial", "bureau")
UNKNOWN = "date unknown"  # the period row of relatives abroad with no date
# Category rows: every relative abroad, those of senior officials, those in business, those studying.
CATEGORIES = ("all", "senior", "business", "study")


@dataclass(frozen=True)
class Groups:
    """Destination groups in report order; a country in none of them is ``Other``."""

    groups: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_GROUPS

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for name, countries in self.groups:
            if not name or name == OTHER:
                raise ValueError(f"a destination group needs a name other than {OTHER!r}")
            for code in countries:
                if len(code) != 3 or not code.isalpha() or not code.isupper():
                    raise ValueError(f"{code!r} in group {name!r} is not an ISO 3166-1 alpha-3 code")
                if code == "CHN":
                    raise ValueError("CHN is home, not a destination")
                if code in seen:
                    raise ValueError(f"{code} is in both {seen[code]!r} and {name!r}")
                seen[code] = name

    @property
    def names(self) -> tuple[str, ...]:
        """Every row label, ``Other`` last."""
        return (*(name for name, _c in self.groups), OTHER)

    def group_of(self, country: str) -> str:
        for name, countries in self.groups:
            if country in countries:
                return name
        return OTHER

    def countries(self, name: str) -> tuple[str, ...]:
        return next((c for n, c in self.groups if n == name), ())

    @classmethod
    def parse(cls, text: str) -> Groups:
        """``Group:ISO3,ISO3;Group:ISO3`` (or a JSON object of group → list of codes); empty: the defaults."""
        text = text.strip()
        if not text:
            return cls()
        if text.startswith("{"):
            import json

            data = json.loads(text)
            return cls(tuple((str(k), tuple(str(c).strip().upper() for c in v)) for k, v in data.items()))
        groups = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            name, sep, codes = part.partition(":")
            if not sep:
                raise ValueError(f"{part!r} is not Group:ISO3,ISO3")
            groups.append((name.strip(), tuple(c.strip().upper() for c in codes.split(",") if c.strip())))
        return cls(tuple(groups))


@dataclass(frozen=True)
class Periods:
    """Bins of the year a relative emigrated: explicit ``(first, last)`` years, then ``step``-year bins."""

    bins: tuple[tuple[int, int], ...] = DEFAULT_PERIODS
    step: int = CONTINUE_YEARS

    def __post_init__(self) -> None:
        if not self.bins:
            raise ValueError("at least one period is needed")
        for (a, b), (c, _d) in zip(self.bins, self.bins[1:], strict=False):
            if c != b + 1:
                raise ValueError(f"periods must follow each other without gaps: {a}–{b}, then {c}")
        if any(a > b for a, b in self.bins):
            raise ValueError("a period ends before it starts")
        if self.step < 0:
            raise ValueError("the step of the continuing periods cannot be negative")

    def until(self, year: int) -> tuple[tuple[int, int], ...]:
        """The explicit bins and the continuing ones up to the bin holding ``year``."""
        bins = list(self.bins)
        while self.step and bins[-1][1] < year:
            start = bins[-1][1] + 1
            bins.append((start, start + self.step - 1))
        return tuple(bins)

    @property
    def before(self) -> str:
        """The row of dates before the first bin."""
        return f"before {self.bins[0][0]}"

    def keys(self, as_of: date) -> tuple[str, ...]:
        """Row labels in order: before the first bin, each bin, no date."""
        return (self.before, *(label(b) for b in self.until(as_of.year)), UNKNOWN)

    def key_of(self, on: date | None, as_of: date) -> str:
        """The row of a relative who emigrated ``on`` (None: unknown); dates after the last bin go in it."""
        if on is None:
            return UNKNOWN
        bins = self.until(as_of.year)
        if on.year < bins[0][0]:
            return self.before
        return label(next((b for b in bins if on.year <= b[1]), bins[-1]))

    @classmethod
    def parse(cls, text: str) -> Periods:
        """``1985-1990,1991-1998,1999-2005,+5``: year ranges, optionally ``+N`` to continue by N years."""
        text = text.strip()
        if not text:
            return cls()
        bins, step = [], 0
        for part in filter(None, (p.strip() for p in text.split(","))):
            if part.startswith("+"):
                step = int(part[1:])
                continue
            first, sep, last = part.partition("-")
            if not sep:
                raise ValueError(f"{part!r} is not a period (YYYY-YYYY)")
            bins.append((int(first), int(last)))
        return cls(tuple(bins), step)


def label(period: tuple[int, int]) -> str:
    return f"{period[0]}–{period[1]}"


RANKS = ("national", "ministerial", "bureau", "division", "section", "staff")


def parse_ranks(text: str) -> tuple[str, ...]:
    """``national,ministerial,bureau``; empty: the defaults."""
    ranks = tuple(r.strip() for r in text.split(",") if r.strip())
    unknown = [r for r in ranks if r not in RANKS]
    if unknown:
        raise ValueError(f"unknown rank(s) {', '.join(unknown)}; ranks are {', '.join(RANKS)}")
    return ranks or DEFAULT_SENIOR_RANKS

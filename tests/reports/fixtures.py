"""A small set of journeys in units A, A1 and B, judged as of AS_OF (window: the October holiday)."""

from __future__ import annotations

from datetime import date

from tests.reports.journeys import make_journey

AS_OF = date(2025, 10, 20)
FROM, TO = date(2025, 10, 1), date(2025, 10, 8)


def holiday_journeys(world) -> dict[str, object]:
    """A: on time, late, overdue, unapproved; A1: missing (due long ago... but left in the window), abroad; B: two."""
    a, a1, b = world.officials["OA-1"], world.officials["OA1-1"], world.officials["OB-1"]
    return {
        "a_on_time": make_journey(a, date(2025, 10, 1), due=date(2025, 10, 7), entry=date(2025, 10, 8)),
        "a_late": make_journey(a, date(2025, 10, 2), due=date(2025, 10, 5), entry=date(2025, 10, 9),
                               destination="MAC", port="Gongbei"),
        "a_overdue": make_journey(a, date(2025, 10, 3), due=date(2025, 10, 7), destination="THA",
                                  port="Beijing Capital"),
        "a_unapproved": make_journey(a, date(2025, 10, 4), destination="USA", port="Beijing Capital"),
        "a1_abroad": make_journey(a1, date(2025, 10, 5), due=date(2025, 10, 25), destination="MAC",
                                  port="Gongbei"),
        "a1_missing": make_journey(a1, date(2025, 10, 1), due=date(2025, 9, 15)),
        "b_overdue": make_journey(b, date(2025, 10, 2), due=date(2025, 10, 6)),
        "b_on_time": make_journey(b, date(2025, 10, 3), due=date(2025, 10, 6), entry=date(2025, 10, 6)),
        "outside": make_journey(a, date(2025, 9, 20), due=date(2025, 9, 25)),  # before the window
    }

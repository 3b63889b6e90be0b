"""The classification of a journey as of a date, at every boundary, and the database saying the same."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sojourn.crossings.models import Journey
from sojourn.reports.nonreturns import Status, Thresholds, classify, with_status
from tests.reports.journeys import make_journey

T = Thresholds(grace_days=1, missing_days=30)
DUE = date(2025, 10, 7)
D = timedelta


def status(entry: date | None, as_of: date, due: date | None = DUE) -> Status:
    return classify(due_date=due, entry_date=entry, as_of=as_of, thresholds=T)


CASES = [
    # (entry, as_of, due, expected)
    (None, date(2025, 12, 31), None, Status.UNAPPROVED),
    (date(2025, 10, 3), date(2025, 12, 31), None, Status.UNAPPROVED),  # back, but no trip: counts nowhere else
    (DUE, date(2025, 12, 31), DUE, Status.RETURNED_ON_TIME),
    (DUE + D(1), date(2025, 12, 31), DUE, Status.RETURNED_ON_TIME),  # on due + grace: on time
    (DUE + D(2), date(2025, 12, 31), DUE, Status.RETURNED_LATE),  # due + grace + 1: late
    (DUE - D(3), DUE - D(3), DUE, Status.RETURNED_ON_TIME),  # back on the as-of day counts
    (None, DUE, DUE, Status.ABROAD),
    (None, DUE + D(1), DUE, Status.ABROAD),  # D = due + grace: not yet overdue
    (None, DUE + D(2), DUE, Status.OVERDUE),
    (None, DUE + D(30), DUE, Status.OVERDUE),  # D = due + missing: overdue
    (None, DUE + D(31), DUE, Status.MISSING),  # + 1: missing
    (DUE + D(20), DUE + D(10), DUE, Status.OVERDUE),  # an entry after D is ignored
    (DUE + D(40), DUE + D(31), DUE, Status.MISSING),
    (DUE + D(1), DUE, DUE, Status.ABROAD),  # back on time, but after D: still abroad as of D
]


@pytest.mark.parametrize(("entry", "as_of", "due", "expected"), CASES)
def test_classify(entry, as_of, due, expected):
    assert status(entry, as_of, due) is expected


def test_thresholds_are_the_settings(settings):
    settings.SOJOURN_RETURN_GRACE_DAYS, settings.SOJOURN_MISSING_DAYS = 3, 10
    assert Thresholds.from_settings() == Thresholds(3, 10)
    t = Thresholds.from_settings()
    assert classify(due_date=DUE, entry_date=DUE + D(3), as_of=DUE + D(40), thresholds=t) is Status.RETURNED_ON_TIME
    assert classify(due_date=DUE, entry_date=None, as_of=DUE + D(11), thresholds=t) is Status.MISSING


def test_database_classifies_like_the_function(world):
    """The CASE expression and ``classify`` agree on every boundary case (and on some arbitrary ones)."""
    official = world.officials["OA-1"]
    expected = {}
    for as_of in sorted({c[1] for c in CASES} | {DUE - D(5), DUE + D(29), date(2026, 3, 1)}):
        Journey.objects.all().delete()
        for i, (entry, _as_of, due, _expected) in enumerate(CASES):
            exit_date = date(2025, 9, 1) + D(i)
            make_journey(official, exit_date, due=due, entry=entry)
            expected[exit_date] = classify(due_date=due, entry_date=entry, as_of=as_of, thresholds=T)
        got = {j.exit_date: j.status for j in with_status(Journey.objects.all(), as_of, T)}
        assert got == {k: v.value for k, v in expected.items()}, as_of
        expected.clear()


def test_holiday_window_setting(settings):
    from sojourn.reports.apps import check_holiday_window
    from sojourn.reports.nonreturns import Window, holiday_window

    settings.SOJOURN_HOLIDAY_WINDOW = ""
    assert holiday_window(date(2026, 2, 23)) == Window(date(2026, 2, 16), date(2026, 2, 23))
    settings.SOJOURN_HOLIDAY_WINDOW = "2026-02-15..2026-02-23"
    assert holiday_window(date(2026, 3, 1)) == Window(date(2026, 2, 15), date(2026, 2, 23))
    assert check_holiday_window() == []
    settings.SOJOURN_HOLIDAY_WINDOW = "2026-02-23..2026-02-15"
    assert [e.id for e in check_holiday_window()] == ["sojourn.reports.E001"]

"""Documents and list entries the trip tests lean on (the ``world`` personas are in tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.custody.models import TravelDocument
from sojourn.screening.models import Watchlist, WatchlistEntry

GOOD_CHECK = {"valid": True, "kind": "CN-PASSPORT", "fields": {}, "problems": []}


def make_document(holder, number, **fields):
    values = {"doc_type": "passport_ordinary", "issuer": "CHN", "issue_date": date(2021, 5, 2),
              "expiry_date": date(2031, 5, 1), "status": "valid", "custody": "in_custody", "check_result": GOOD_CHECK}
    values.update(fields)
    return TravelDocument.objects.create(holder=holder, number=number, **values)


@pytest.fixture
def passport(world):
    return make_document(world.officials["OA-1"], "E12345678")


@pytest.fixture
def permit(world):
    return make_document(world.officials["OA-1"], "C12345678", doc_type="permit_hk_macau")


@pytest.fixture
def hold_entry(world):
    """OA-1 (张伟 ZHANG WEI, born 1970-05-01) on the internal investigation list, action hold."""
    watchlist = Watchlist.objects.create(name="internal", description="investigation list")
    return WatchlistEntry.objects.create(watchlist=watchlist, entry_id="W-1", name_zh="张伟", surname="ZHANG",
                                         given_name="WEI", birth_date=date(1970, 5, 1), sex="M", nationality="CHN",
                                         reason="under investigation", action="hold")

"""Custody and document rules over plain records."""

from __future__ import annotations

from datetime import date

from sojourn.core.rules import default_ruleset
from sojourn.core.rules.custody import DocumentRecord
from sojourn.core.rules.registry import OfficialRecord

AS_OF = date(2026, 3, 2)
OFFICIALS = [OfficialRecord("O1", date(2026, 1, 5), date(2026, 1, 6), "active"),
             OfficialRecord("O2", date(2010, 1, 4), date(2010, 1, 5), "active")]


def doc(doc_id="1", official="O1", **kw):
    values = dict(document_id=doc_id, official_id=official, doc_type="passport_ordinary", issuer="CHN",
                  number=f"E0000000{doc_id}", issue_date=date(2020, 1, 1), expiry_date=date(2030, 1, 1),
                  status="valid", custody="in_custody", first_intake=date(2026, 1, 8))
    values.update(kw)
    return DocumentRecord(**values)


def custody_ruleset():
    """The default ruleset narrowed to the document desk's families (other families need other records)."""
    from sojourn.core.rules import ALL_RULES

    others = frozenset(r.code for r in ALL_RULES if not r.code.startswith(("custody.", "document.")))
    return default_ruleset(disabled=others)


def codes(docs, as_of=AS_OF):
    ruleset = custody_ruleset()
    inputs = {name: {} if name == "trip_screenings" else [] for name in ruleset.inputs()}
    inputs.update({"officials": OFFICIALS, "documents": docs})
    found = ruleset.evaluate(inputs, as_of=as_of)
    return sorted((f.code, f.official_id, f.severity.label) for f in found)


def test_clean_records_raise_nothing():
    assert codes([doc()]) == []


def test_intake_overdue_and_late_intake():
    assert codes([doc(custody="not_handed_in", first_intake=None)]) == [("custody.intake_overdue", "O1", "medium")]
    assert codes([doc(first_intake=date(2026, 1, 20))]) == [("custody.intake_overdue", "O1", "medium")]
    # Within the 7 days: nothing yet.
    assert codes([doc(custody="not_handed_in", first_intake=None)], as_of=date(2026, 1, 10)) == []


def test_new_document_undelivered():
    new = doc(official="O2", issue_date=date(2026, 2, 1), custody="not_handed_in", first_intake=None)
    assert codes([new]) == [("custody.new_document_undelivered", "O2", "high")]


def test_not_returned_escalates_after_twice_the_limit():
    out = doc(custody="checked_out", checkout_trip="T-1", checkout_purpose="private", due_back=date(2026, 2, 25))
    assert codes([out]) == [("custody.not_returned", "O1", "medium")]
    assert codes([out], as_of=date(2026, 3, 10)) == [("custody.not_returned", "O1", "high")]


def test_not_returned_counts_from_the_travellers_return():
    from sojourn.core.rules.travel import JourneyRecord

    out = doc(custody="checked_out", checkout_trip="T-1", checkout_purpose="private", due_back=date(2026, 2, 25))
    came_back = JourneyRecord("X1", "O1", date(2026, 2, 1), "HKG", "Luohu", entry_event_id="X2",
                              entry_date=date(2026, 2, 20), trip_id="T-1", depart_date=date(2026, 2, 1),
                              return_date=date(2026, 2, 15), destinations=("HKG",),
                              coverage="covered")
    ruleset = custody_ruleset()
    inputs = {name: {} if name == "trip_screenings" else [] for name in ruleset.inputs()}
    inputs.update({"officials": OFFICIALS, "documents": [out], "journeys": [came_back]})
    # Back on 20 February: due at the desk by 2 March; on 2 March nothing yet, on 3 March medium.
    def custody(as_of):
        return [f for f in ruleset.evaluate(inputs, as_of=as_of) if f.code.startswith("custody.")]

    assert custody(date(2026, 3, 2)) == []
    found = custody(date(2026, 3, 3))
    assert [(f.code, f.severity.label) for f in found] == [("custody.not_returned", "medium")]
    assert "came back on 2026-02-20" in found[0].text


def test_breach_is_out_without_a_trip():
    assert codes([doc(custody="checked_out")]) == [("custody.breach", "O1", "high")]


def test_forgery_from_validator_problems():
    bad = doc(problems=(("check_digit.composite", "error"), ("date.expired", "warning")))
    assert codes([bad]) == [("document.forgery_suspected", "O1", "high")]
    assert codes([doc(problems=(("date.expired", "warning"),))]) == []


def test_duplicate_holding_counts_one_class():
    two = [doc("1"), doc("2", doc_type="passport_official")]
    assert codes(two) == [("document.duplicate_holding", "O1", "high")]
    permit = [doc("1"), doc("2", doc_type="permit_hk_macau")]
    assert codes(permit) == []
    expired = [doc("1"), doc("2", expiry_date=date(2025, 1, 1))]
    assert codes(expired) == []


def test_identity_conflict_one_number_two_holders():
    clone = [doc("1", number="E11111111"), doc("2", official="O2", number="E11111111", first_intake=date(2010, 1, 6))]
    assert codes(clone) == [("document.identity_conflict", "O1", "critical"),
                            ("document.identity_conflict", "O2", "critical")]


def test_identity_conflict_from_zone_vs_record():
    assert codes([doc(problems=(("cross.birth_date_mismatch", "error"),))]) == [
        ("document.identity_conflict", "O1", "critical")]


def test_suspicious_reissue():
    assert codes([doc(status="lost", lost_while_in_custody=True, losses=(date(2026, 2, 1),))]) == [
        ("document.suspicious_reissue", "O1", "high")]
    two = [doc("1", status="lost", losses=(date(2022, 2, 1),)), doc("2", status="lost", losses=(date(2025, 2, 1),))]
    assert codes(two) == [("document.suspicious_reissue", "O1", "high")]
    far = [doc("1", status="lost", losses=(date(2015, 2, 1),)), doc("2", status="lost", losses=(date(2025, 2, 1),))]
    assert codes(far) == []

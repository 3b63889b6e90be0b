"""Comparing a declaration with the records, and the ``declaration.*`` rules, on plain records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sojourn.core.rules import ALL_RULES, RULESET_VERSION, Ruleset
from sojourn.core.rules.declarations import (
    DECLARATION_RULES,
    AssetRecord,
    DeclarationRecord,
    DeclaredItem,
    DiscrepancyRecord,
    HeldDocument,
    Holdings,
    RelativeRecord,
    concealment,
    find_discrepancies,
    foreign_asset,
    late,
    omission,
    undeclared_foreign_marriage,
    undeclared_trip,
    unexplained_wealth,
)
from sojourn.core.rules.registry import OfficialRecord
from sojourn.core.rules.travel import JourneyRecord

AS_OF = date(2026, 3, 2)


def report(*items, official="O1", year=2025, kind="annual", on=date(2026, 1, 20), version=1, pk="1"):
    return DeclarationRecord(pk, official, year, kind, on, tuple(items), version)


def run(rule, **inputs):
    return list(Ruleset("test", (rule,)).evaluate(inputs, as_of=inputs.pop("as_of", AS_OF)))


def journey(event, exit_date, *, official="O1", trip="", purpose="", country="HKG"):
    return JourneyRecord(exit_event_id=event, official_id=official, exit_date=exit_date, exit_country=country,
                         exit_port="Luohu", trip_id=trip, purpose=purpose)


def classes(found):
    return sorted((d.klass, d.item_kind) for d in found)


def test_the_rules_are_in_the_catalogue():
    assert {r.code for r in DECLARATION_RULES} <= {r.code for r in ALL_RULES}
    assert RULESET_VERSION == "2026.11.6"
    assert all(r.doc and r.basis for r in DECLARATION_RULES)


# --- the classes of discrepancy ----------------------------------------------------------------------


def test_an_unreported_passport_is_concealment_and_a_reported_one_is_not():
    passport = HeldDocument("7", "O1", "passport_ordinary", "CHN", "E12345678", date(2021, 1, 1), date(2031, 1, 1))
    [d] = find_discrepancies(report(), Holdings("O1", documents=(passport,)))
    assert (d.klass, d.item_kind) == ("concealment", "passport") and d.evidence == ("official:O1", "document:7")
    assert "E12345678" in d.text
    assert find_discrepancies(report(DeclaredItem("passport", number="e12345678")), Holdings("O1", documents=(passport,))) == []


def test_an_unreported_hong_kong_macau_permit_is_an_omission():
    permit = HeldDocument("8", "O1", "permit_hk_macau", "CHN", "C12345678")
    taiwan = HeldDocument("9", "O1", "permit_taiwan", "CHN", "T1234567")
    found = find_discrepancies(report(), Holdings("O1", documents=(permit, taiwan)))
    assert classes(found) == [("concealment", "permit_taiwan"), ("omission", "permit_hk_macau")]


def test_documents_outside_the_year_are_not_asked_for():
    issued_later = HeldDocument("1", "O1", "passport_ordinary", "CHN", "E1", date(2026, 2, 1), None)
    expired_before = HeldDocument("2", "O1", "passport_ordinary", "CHN", "E2", date(2010, 1, 1), date(2020, 1, 1))
    identity = HeldDocument("3", "O1", "id_card", "CHN", "110")
    assert find_discrepancies(report(), Holdings("O1", documents=(issued_later, expired_before, identity))) == []


def test_an_under_reported_area_is_an_omission_and_an_unreported_flat_is_concealment():
    flat = AssetRecord("A1", "O1", "real_estate", "CHN", Decimal("3000000"), area=Decimal("120"))
    other = AssetRecord("A2", "O1", "real_estate", "CHN", Decimal("900000"), area=Decimal("60"))
    under = report(DeclaredItem("real_estate", country="CHN", area=Decimal("90")))
    found = find_discrepancies(under, Holdings("O1", assets=(flat, other)))
    assert classes(found) == [("concealment", "real_estate"), ("omission", "real_estate")]
    omitted = next(d for d in found if d.klass == "omission")
    assert omitted.evidence == ("official:O1", "asset:A1") and "90" in omitted.text
    exact = report(DeclaredItem("real_estate", country="CHN", area=Decimal("120")),
                   DeclaredItem("real_estate", area=Decimal("59.5")))
    assert find_discrepancies(exact, Holdings("O1", assets=(flat, other))) == []


def test_an_unreported_parking_space_is_an_omission():
    space = AssetRecord("P1", "O1", "parking_space", "CHN", Decimal("200000"), area=Decimal("12"))
    [d] = find_discrepancies(report(), Holdings("O1", assets=(space,)))
    assert (d.klass, d.item_kind) == ("omission", "parking_space")


def test_securities_and_business_unreported_are_concealment_under_reported_an_omission():
    shares = AssetRecord("S1", "O1", "securities", "CHN", Decimal("100000"))
    firm = AssetRecord("B1", "O1", "business", "CHN", Decimal("500000"), holder_relative_id="R1")
    assert classes(find_discrepancies(report(), Holdings("O1", assets=(shares, firm)))) == [
        ("concealment", "business_investment"), ("concealment", "securities")]
    partly = report(DeclaredItem("securities", amount=Decimal("50000"), currency="CNY"),
                    DeclaredItem("business_investment", amount=Decimal("490000")))
    [d] = find_discrepancies(partly, Holdings("O1", assets=(shares, firm)))
    assert (d.klass, d.item_kind) == ("omission", "securities")  # 490,000 of 500,000 is within 5 %


def test_a_deposit_abroad_not_reported_is_an_under_reported_amount():
    deposit = AssetRecord("D1", "O1", "deposit", "USA", Decimal("80000"), currency="USD")
    home = AssetRecord("D2", "O1", "deposit", "CHN", Decimal("80000"))
    [d] = find_discrepancies(report(), Holdings("O1", assets=(deposit, home)))
    assert (d.klass, d.item_kind, d.evidence) == ("omission", "foreign_deposit", ("official:O1", "asset:D1"))


def test_family_items():
    spouse = RelativeRecord("R1", "O1", "spouse", "CHN", "CAN", "permanent_resident", date(2015, 6, 1))
    student = RelativeRecord("R2", "O1", "child", "CHN", "GBR", "resident", date(2020, 9, 1), activity="study")
    married = RelativeRecord("R3", "O1", "child", "AUS", "AUS", "citizen", date(2010, 1, 1),
                             married_to_foreigner=True, activity="work")
    parent = RelativeRecord("R4", "O1", "parent", "CHN", "USA", "citizen", date(2000, 1, 1))
    recent = RelativeRecord("R5", "O1", "child", "CHN", "USA", "resident", date(2025, 6, 1), activity="study")
    holdings = Holdings("O1", relatives=(spouse, student, married, parent, recent))
    found = find_discrepancies(report(), holdings)
    assert classes(found) == [("concealment", "abroad_year"), ("concealment", "child_foreign_marriage"),
                              ("concealment", "emigration"), ("concealment", "emigration"),
                              ("concealment", "relative_job")]
    assert {d.evidence[1] for d in found if d.item_kind == "emigration"} == {"relative:R1", "relative:R3"}
    honest = report(DeclaredItem("emigration", relative_id="R1", country="CAN"),
                    DeclaredItem("abroad_year", country="GBR"),  # no id: named by the country
                    DeclaredItem("emigration", relative_id="R3"), DeclaredItem("child_foreign_marriage", relative_id="R3"),
                    DeclaredItem("relative_job", relative_id="R3", text="engineer"))
    assert find_discrepancies(honest, holdings) == []


def test_private_trips_must_be_reported_official_ones_need_not():
    journeys = (journey("X1", date(2025, 3, 4)), journey("X2", date(2025, 5, 1), trip="T1", purpose="private",
                                                          country="JPN"),
                journey("X3", date(2025, 7, 1), trip="T2", purpose="official"), journey("X4", date(2024, 7, 1)))
    found = find_discrepancies(report(), Holdings("O1", journeys=journeys))
    assert classes(found) == [("concealment", "hkmt_trip"), ("concealment", "private_trip")]
    assert {d.evidence[1] for d in found} == {"crossing:X1", "crossing:X2"}
    declared = report(DeclaredItem("hkmt_trip", country="HKG", from_date=date(2025, 3, 6), to_date=date(2025, 3, 8)),
                      DeclaredItem("private_trip", from_date=date(2025, 4, 28), to_date=date(2025, 5, 3)))
    assert find_discrepancies(declared, Holdings("O1", journeys=journeys)) == []


# --- the rules ---------------------------------------------------------------------------------------------


def official(oid="O1", covered=date(2020, 1, 1), status="active"):
    return OfficialRecord(oid, covered, covered, status, "director")


def test_late_annual_report_missing_late_or_on_time():
    officials = [official("O1"), official("O2"), official("O3"), official("O4", status="retired"),
                 official("O5", covered=date(2026, 1, 5))]
    reports = [report(official="O2", on=date(2026, 2, 10)), report(official="O3", on=date(2026, 1, 31))]
    found = {f.official_id: f for f in run(late, officials=officials, declarations=reports)}
    assert set(found) == {"O1", "O2"}
    assert found["O1"].dedupe_key == "declaration.late:O1:2025" and "none has been submitted" in found["O1"].text
    assert found["O2"].resolution == "Submitted on 2026-02-10." and found["O2"].raise_if_new
    on_the_day = run(late, officials=officials, declarations=[], as_of=date(2026, 1, 31))
    assert {f.details["year"] for f in on_the_day} == {2024}  # 2025's is due that day, not yet late


def test_late_event_report_after_30_days():
    on_time = report(DeclaredItem("marriage", from_date=date(2025, 5, 1)), kind="event", on=date(2025, 5, 31), pk="2")
    tardy = report(DeclaredItem("emigration", from_date=date(2025, 5, 1)), kind="event", on=date(2025, 6, 1), pk="3")
    [f] = run(late, officials=[], declarations=[on_time, tardy])
    assert "31 days later" in f.text and f.evidence == ("official:O1", "declaration:3")


def test_undeclared_trip_against_the_report_in_force():
    journeys = [journey("X1", date(2025, 3, 4)), journey("X2", date(2025, 8, 1), trip="T9", purpose="private")]
    first = report(pk="1")
    corrected = report(DeclaredItem("hkmt_trip", from_date=date(2025, 3, 4)), pk="2", version=2)
    found = run(undeclared_trip, journeys=journeys, declarations=[first, corrected])
    assert [f.dedupe_key for f in found] == ["declaration.undeclared_trip:X2"]
    assert found[0].severity.label == "high" and "crossing:X2" in found[0].evidence
    assert run(undeclared_trip, journeys=journeys, declarations=[]) == []  # no report: declaration.late's job


def test_concealment_and_omission_findings_name_item_and_evidence():
    found = [DiscrepancyRecord("concealment", "passport", "The official holds passport E1.", ("official:O1",
                                                                                             "document:7"),
                               "O1", 2025, "4", "9"),
             DiscrepancyRecord("omission", "permit_hk_macau", "Permit C1 unreported.", ("official:O1", "document:8"),
                               "O1", 2025, "4", "9")]
    [c] = run(concealment, declaration_discrepancies=found)
    [o] = run(omission, declaration_discrepancies=found)
    assert c.severity.label == "high" and o.severity.label == "medium"
    assert "passport" in c.text and "document:7" in c.text and "declaration:4" in c.evidence
    assert c.dedupe_key == "declaration.concealment:O1:2025:passport:document:7"


def test_unexplained_wealth_thresholds():
    income = report(DeclaredItem("income", amount=Decimal("100000"), currency="CNY"))
    just_under = [AssetRecord("D1", "O1", "deposit", "CHN", Decimal("999999"))]
    at = [AssetRecord("D1", "O1", "deposit", "CHN", Decimal("600000")),
          AssetRecord("S1", "O1", "securities", "CHN", Decimal("400000")),
          AssetRecord("D9", "O1", "deposit", "USA", Decimal("9000000"), currency="USD")]  # not converted
    assert run(unexplained_wealth, declarations=[income], assets=just_under) == []
    [f] = run(unexplained_wealth, declarations=[income], assets=at)
    assert f.severity.label == "high" and "10.0 times" in f.text and "asset:D9" not in f.evidence
    spending = [AssetRecord("X1", "O1", "other", "CHN", Decimal("400000"), acquired_on=date(2025, 8, 1),
                            source="spending"), AssetRecord("D1", "O1", "deposit", "CHN", Decimal("100000"))]
    [s] = run(unexplained_wealth, declarations=[income], assets=spending)  # 400,000 ≥ 3 × 100,000 + 100,000
    assert "spending" in s.text and "asset:X1" in s.evidence
    spending[0] = AssetRecord("X1", "O1", "other", "CHN", Decimal("399999"), acquired_on=date(2025, 8, 1),
                              source="spending")
    assert run(unexplained_wealth, declarations=[income], assets=spending) == []
    assert run(unexplained_wealth, declarations=[report()], assets=at) == []  # no income declared


def test_foreign_assets_severity_by_rank():
    assets = [AssetRecord("A1", "O1", "real_estate", "CAN", Decimal("1"), official_rank="division"),
              AssetRecord("A2", "O2", "deposit", "HKG", Decimal("1"), "HKD", "R7", official_rank="ministerial"),
              AssetRecord("A3", "O3", "securities", "CHN", Decimal("1"), official_rank="national")]
    found = {f.official_id: f for f in run(foreign_asset, assets=assets)}
    assert set(found) == {"O1", "O2"}
    assert found["O1"].severity.label == "medium" and found["O2"].severity.label == "high"
    assert "relative:R7" in found["O2"].evidence and "ministerial" in found["O2"].text


def test_undeclared_foreign_marriage():
    child = RelativeRecord("R3", "O1", "child", married_to_foreigner=True, residence_country="AUS")
    [f] = run(undeclared_foreign_marriage, declaration_relatives=[child], declarations=[report()])
    assert f.severity.label == "high" and f.evidence[:2] == ("official:O1", "relative:R3")
    told = report(DeclaredItem("child_foreign_marriage", relative_id="R3"))
    assert run(undeclared_foreign_marriage, declaration_relatives=[child], declarations=[told]) == []
    assert run(undeclared_foreign_marriage, declaration_relatives=[child], declarations=[]) == []

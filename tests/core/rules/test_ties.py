"""The ties rules: naked officials, restricted posts, relatives settled abroad, recusal reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sojourn.core.rules import ALL_RULES, RULESET_VERSION, Ruleset
from sojourn.core.rules.registry import OfficialRecord
from sojourn.core.rules.ties import (
    TIES_RULES,
    DutyRecord,
    RelativeRecord,
    family_emigrated_on,
    naked_basis,
    naked_official,
    recusal_reminder,
    relative_settled_abroad,
    restricted_post,
)

AS_OF = date(2026, 6, 30)


def official(oid: str = "O1", *, restricted: bool = False) -> OfficialRecord:
    return OfficialRecord(oid, date(2010, 1, 4), date(2010, 1, 5), "active", "director", restricted)


def rel(rid: str, relationship: str = "spouse", *, official_id: str = "O1", nationality: str = "CHN",
        country: str = "CHN", status: str = "none", since: date | None = None,
        emigrated_on: date | None = None) -> RelativeRecord:
    return RelativeRecord(rid, official_id, relationship, nationality, country, status, since, emigrated_on)


def emigrated(rid: str, relationship: str = "spouse", *, official_id: str = "O1",
              emigrated_on: date = date(2018, 3, 1)) -> RelativeRecord:
    return rel(rid, relationship, official_id=official_id, country="CAN", status="permanent_resident",
               since=date(2015, 6, 1), emigrated_on=emigrated_on)


def run(rule, officials=(), relatives=(), duties=(), as_of=AS_OF):
    ruleset = Ruleset("test", (rule,))
    inputs = {"officials": list(officials), "relatives": list(relatives), "duties": list(duties)}
    return list(ruleset.evaluate(inputs, as_of=as_of))


def test_the_rules_are_in_the_catalogue():
    assert {r.code for r in TIES_RULES} == {"ties.naked_official", "ties.restricted_post",
                                           "ties.relative_settled_abroad", "ties.recusal_reminder"}
    assert {r.code for r in TIES_RULES} <= {r.code for r in ALL_RULES}
    assert RULESET_VERSION == "2026.11.6"
    assert {r.code: r.severity.label for r in TIES_RULES} == {
        "ties.naked_official": "high", "ties.restricted_post": "critical",
        "ties.relative_settled_abroad": "medium", "ties.recusal_reminder": "info"}


@pytest.mark.parametrize(("record", "expected"), [
    (rel("R", nationality="CAN", country="CAN", status="citizen"), True),
    (rel("R", nationality="USA"), True),  # a foreign national living in China has emigrated too
    (rel("R", country="CAN", status="permanent_resident"), True),
    (rel("R", country="AUS", status="long_term_resident"), True),
    (rel("R", country="HKG", status="permanent_resident"), True),
    (rel("R", country="GBR", status="resident"), False),  # a residence permit is not settlement
    (rel("R", country="CHN", status="permanent_resident"), False),  # not abroad
    (rel("R"), False),
])
def test_what_emigrated_means(record, expected):
    assert record.emigrated is expected


def test_spouse_emigrated_makes_the_official_naked_and_says_it_is_a_status():
    [finding] = run(naked_official, [official()], [emigrated("R1"), rel("R2", "child")])
    assert finding.code == "ties.naked_official" and finding.severity.label == "high"
    assert finding.official_id == "O1" and finding.dedupe_key == "ties.naked_official:O1"
    assert finding.evidence == ("official:O1", "relative:R1")
    assert "spouse R1 has emigrated (permanent resident of CAN, emigrated on 2018-03-01)" in finding.text
    assert finding.text.endswith("This is a status that the 2014 measures on posts act on, not a violation.")
    assert "2014 measures" in finding.basis
    assert finding.details["family_emigrated_on"] == "2018-03-01"


def test_no_spouse_and_all_children_emigrated_is_naked():
    children = [emigrated("C1", "child"), emigrated("C2", "child", emigrated_on=date(2020, 1, 2))]
    [finding] = run(naked_official, [official()], children)
    assert "no spouse on record and all 2 children have emigrated" in finding.text
    assert finding.evidence == ("official:O1", "relative:C1", "relative:C2")
    assert family_emigrated_on(naked_basis(children)) == date(2020, 1, 2)


def test_one_child_not_emigrated_is_not_naked():
    children = [emigrated("C1", "child"), rel("C2", "child", country="GBR", status="resident",
                                               since=date(2020, 9, 1))]
    assert run(naked_official, [official()], children) == []


def test_spouse_at_home_and_children_emigrated_is_not_naked():
    assert run(naked_official, [official()], [rel("S1"), emigrated("C1", "child")]) == []


def test_parents_abroad_do_not_count_and_no_relatives_is_not_flagged():
    assert run(naked_official, [official()], [emigrated("P1", "parent")]) == []
    assert run(naked_official, [official()], []) == []
    # A relative of another official never makes this one naked.
    assert run(naked_official, [official()], [emigrated("R9", official_id="O2")]) == []


def test_restricted_post_only_when_naked_and_restricted():
    [finding] = run(restricted_post, [official(restricted=True)], [emigrated("R1")])
    assert finding.code == "ties.restricted_post" and finding.severity.label == "critical"
    assert finding.dedupe_key == "ties.restricted_post:O1" and "restricted post 'director'" in finding.text
    assert run(restricted_post, [official(restricted=False)], [emigrated("R1")]) == []
    assert run(restricted_post, [official(restricted=True)], [rel("R1")]) == []


def test_settled_abroad_from_365_days_not_364():
    at_365 = rel("C1", "child", country="GBR", status="resident", since=AS_OF - timedelta(days=365))
    at_364 = rel("C2", "child", country="GBR", status="resident", since=AS_OF - timedelta(days=364))
    [finding] = run(relative_settled_abroad, relatives=[at_365, at_364])
    assert finding.code == "ties.relative_settled_abroad" and finding.severity.label == "medium"
    assert finding.dedupe_key == "ties.relative_settled_abroad:O1:C1"
    assert finding.details["days_abroad"] == 365 and "since 2025-06-30 (365 days)" in finding.text
    assert run(relative_settled_abroad, relatives=[at_364], as_of=AS_OF + timedelta(days=1))[0].details[
        "days_abroad"] == 365


def test_settled_abroad_excludes_emigrated_parents_and_people_at_home():
    long_ago = date(2015, 1, 1)
    assert run(relative_settled_abroad, relatives=[
        emigrated("S1"),  # emigrated: that is naked_official's business
        rel("P1", "parent", country="USA", status="resident", since=long_ago),
        rel("C1", "child", since=long_ago),  # at home
    ]) == []


def test_recusal_reminder_per_official_and_country():
    family = [emigrated("S1"), rel("C1", "child", country="GBR", status="resident", since=date(2020, 1, 1)),
              rel("C2", "child", country="USA", status="resident", since=AS_OF - timedelta(days=30))]
    duties = [DutyRecord("O1", ("CAN", "GBR", "USA", "DEU"), date(2024, 1, 1))]
    findings = run(recusal_reminder, relatives=family, duties=duties)
    assert [(f.dedupe_key, f.severity.label) for f in findings] == [
        ("ties.recusal_reminder:O1:CAN", "info"), ("ties.recusal_reminder:O1:GBR", "info")]
    assert findings[0].evidence == ("official:O1", "duties:O1", "relative:S1")
    assert "duties concern CAN" in findings[0].text


def test_recusal_reminder_waits_for_the_duties_to_start_and_ignores_parents():
    duties = [DutyRecord("O1", ("CAN",), AS_OF + timedelta(days=1))]
    assert run(recusal_reminder, relatives=[emigrated("S1")], duties=duties) == []
    assert run(recusal_reminder, relatives=[emigrated("P1", "parent")],
               duties=[DutyRecord("O1", ("CAN",), None)]) == []
    assert len(run(recusal_reminder, relatives=[emigrated("S1")], duties=[DutyRecord("O1", ("CAN",))])) == 1

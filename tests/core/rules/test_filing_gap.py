from __future__ import annotations

from datetime import date

from sojourn.core.rules import Ruleset
from sojourn.core.rules.registry import OfficialRecord, PostChangeRecord, add_working_days, filing_gap


def run(officials, changes=(), as_of=date(2026, 3, 2), **overrides):
    ruleset = Ruleset(
        "test", (filing_gap,), overrides={"registry.filing_gap": overrides} if overrides else {}
    )
    return list(ruleset.evaluate({"officials": officials, "post_changes": list(changes)}, as_of=as_of))


def test_working_days_skip_weekends():
    assert add_working_days(date(2026, 1, 2), 5) == date(2026, 1, 9)  # Friday + 5 working days
    assert add_working_days(date(2026, 1, 5), 5) == date(2026, 1, 12)


def test_unfiled_official_past_deadline_is_flagged():
    [finding] = run([OfficialRecord("O1", date(2026, 1, 5), None, "active")])
    assert finding.code == "registry.filing_gap" and finding.official_id == "O1"
    assert "2026-01-12" in finding.text and "公通字[2003]13号" in finding.basis


def test_within_deadline_is_not_flagged():
    assert run([OfficialRecord("O1", date(2026, 2, 26), None, "active")], as_of=date(2026, 3, 2)) == []
    assert run([OfficialRecord("O1", date(2026, 1, 5), date(2026, 1, 12), "active")]) == []


def test_late_filing_is_flagged_with_the_delay():
    [finding] = run([OfficialRecord("O1", date(2026, 1, 5), date(2026, 1, 20), "active")])
    assert "8 days after" in finding.text


def test_post_change_not_filed():
    changes = [
        PostChangeRecord("7", "O1", "director", date(2026, 2, 2), None),
        PostChangeRecord("8", "O1", "deputy", date(2026, 2, 2), date(2026, 2, 4)),
    ]
    findings = run([OfficialRecord("O1", date(2020, 1, 6), date(2020, 1, 7), "active")], changes)
    assert [f.dedupe_key for f in findings] == ["registry.filing_gap:O1:post:7"]
    assert "post_change:7" in findings[0].evidence


def test_deadline_is_a_parameter():
    officials = [OfficialRecord("O1", date(2026, 1, 5), date(2026, 1, 14), "active")]
    assert len(run(officials)) == 1
    assert run(officials, deadline_working_days=10) == []


def test_dedupe_key_is_stable_across_runs():
    officials = [OfficialRecord("O1", date(2026, 1, 5), None, "active")]
    assert [f.dedupe_key for f in run(officials)] == [
        f.dedupe_key for f in run(officials, as_of=date(2026, 6, 1))
    ]


def test_rule_can_be_switched_off():
    ruleset = Ruleset("test", (filing_gap,), disabled=frozenset({"registry.filing_gap"}))
    assert list(ruleset.evaluate({}, as_of=date(2026, 1, 1))) == []
